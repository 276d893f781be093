#pragma once

#include <string>
#include <string_view>
#include <utility>

namespace sandbox {

// Outcome of a panel service call: success, a Go `error` (its Error() text),
// or a Go panic (gin Recovery turns it into HTTP 500 with an empty body, §3.7).
struct OpStatus {
    enum class Kind { ok, error, panic };

    Kind kind = Kind::ok;
    std::string error;

    static OpStatus success() { return {}; }
    static OpStatus fail(std::string text) { return {Kind::error, std::move(text)}; }
    static OpStatus crash() { return {Kind::panic, {}}; }

    [[nodiscard]] bool ok() const { return kind == Kind::ok; }
};

// Text of common.NewError(a, b): fmt.Sprintln semantics, i.e. operands joined
// by one space and a trailing newline (§3.7: "Duplicate email: bob\n").
inline std::string go_new_error(std::string_view a, std::string_view b = {}) {
    std::string out(a);
    if (!b.empty()) {
        out += ' ';
        out += b;
    }
    out += '\n';
    return out;
}

// gorm.ErrRecordNotFound.Error()
inline constexpr std::string_view k_record_not_found = "record not found";

}  // namespace sandbox
