#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "json/events.hpp"

namespace xuictl {

// Reads the panel's API envelope {success, msg, obj} from JSON events and
// passes the events of "obj" on to `obj` as they come, so the payload can be
// decoded while it streams in (Session::call_streamed). The panel writes
// success first (Go field order), so a refused request never reaches `obj`.
class EnvelopeEvents final : public JsonEvents {
public:
    explicit EnvelopeEvents(JsonEvents& obj) : m_obj(obj) {}

    bool null() override;
    bool boolean(bool value) override;
    bool integer(int64_t value) override;
    bool number(double value) override;
    bool string(std::string_view value) override;
    bool key(std::string_view name) override;
    bool start_object() override;
    bool end_object() override;
    bool start_array() override;
    bool end_array() override;
    Error stop_reason() const override;
    // Inside obj, obj's consumer decides; the envelope reads all its own keys.
    bool skip_value() override;

    // After the last event: an Error unless success was true and obj was
    // decoded (a missing obj reaches `obj` as null).
    Status finish();
    // What went wrong, for the caller's wording.
    bool not_an_envelope() const { return m_not_envelope; }
    bool refused() const { return m_success.has_value() && !*m_success; }
    const std::string& message() const { return m_msg; }

private:
    enum class State : uint8_t { outside, keys, success, msg, obj, forwarding, skipping, done };

    // A value (scalar, or the start of a container when `opens`) in state m_state.
    bool value(const char* type, bool opens);
    bool shape_error(const std::string& why);

    JsonEvents& m_obj;
    State m_state = State::outside;
    uint32_t m_depth = 0;  // nesting inside obj (forwarding) or a skipped value
    std::optional<bool> m_success;
    std::string m_msg;
    bool m_obj_seen = false;
    bool m_obj_null = false;  // obj was null: given to m_obj only if success
    bool m_obj_failed = false;
    bool m_not_envelope = false;
    Error m_error;
};

}  // namespace xuictl
