#pragma once

#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace sandbox {

// A 3x-ui release number (e.g. 2.9.4). Every behavioural switch in the
// emulator is expressed as a comparison against one of these.
struct PanelVersion {
    int major = 0;
    int minor = 0;
    int patch = 0;

    auto operator<=>(const PanelVersion&) const = default;

    // "X.Y.Z" without the leading "v".
    [[nodiscard]] std::string str() const;
};

// The first release after the v3.6.0 tag (v3.7.0, 2026-08-24): every change
// read at 3x-ui main 02002dc1 (3x-ui-after-3.6.md §2) switches on here.
inline constexpr PanelVersion k_after_3_6{3, 7, 0};
// What a dev-channel build ("dev+<8 hex>", §4 D1) emulates: the newest
// release the emulator knows (v3.8.5, §5).
inline constexpr PanelVersion k_newest_known{3, 8, 5};

// Parses "X.Y.Z" (an optional leading "v" is accepted); nullopt on garbage.
[[nodiscard]] std::optional<PanelVersion> parse_version(std::string_view text);

// The two API generations of §1: classic per-inbound client routes (< 3.1.0)
// and the first-class clients API (>= 3.1.0).
enum class ApiKind { classic, v3 };

[[nodiscard]] std::string_view api_name(ApiKind api);

}  // namespace sandbox
