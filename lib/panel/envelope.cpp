#include "panel/envelope.hpp"

#include <fmt/format.h>

namespace xuictl {

bool EnvelopeEvents::shape_error(const std::string& why) {
    m_not_envelope = true;
    m_error = make_error(ErrorKind::api, why);
    return false;
}

Error EnvelopeEvents::stop_reason() const {
    return m_obj_failed ? m_obj.stop_reason() : m_error;
}

bool EnvelopeEvents::skip_value() {
    return m_state == State::forwarding && m_obj.skip_value();
}

bool EnvelopeEvents::value(const char* type, bool opens) {
    switch (m_state) {
        case State::outside:
            if (!opens || std::string_view(type) != "an object") {
                return shape_error(fmt::format("expected an object, got {}", type));
            }
            m_state = State::keys;
            return true;
        case State::success:
            return shape_error(
                fmt::format("unexpected panel JSON at success: expected a boolean, got {}", type));
        case State::msg:
            return shape_error(
                fmt::format("unexpected panel JSON at msg: expected a string, got {}", type));
        case State::skipping:
            if (opens) {
                ++m_depth;
            } else if (m_depth == 0) {
                m_state = State::keys;
            }
            return true;
        default:
            return true;  // keys/obj/forwarding/done are handled by the callers
    }
}

bool EnvelopeEvents::null() {
    if (m_state == State::forwarding) {
        return (m_obj_failed = !m_obj.null(), !m_obj_failed);
    }
    if (m_state == State::obj) {
        m_obj_seen = m_obj_null = true;
        m_state = State::keys;
        return true;
    }
    if (m_state == State::msg) {
        m_state = State::keys;
        return true;
    }
    return value("null", false);
}

bool EnvelopeEvents::boolean(bool b) {
    if (m_state == State::success) {
        m_success = b;
        m_state = State::keys;
        return true;
    }
    if (m_state == State::forwarding || m_state == State::obj) {
        const bool was_obj = m_state == State::obj;
        m_obj_seen = true;
        m_obj_failed = !m_obj.boolean(b);
        if (was_obj) {
            m_state = State::keys;
        }
        return !m_obj_failed;
    }
    return value("a boolean", false);
}

bool EnvelopeEvents::integer(int64_t i) {
    if (m_state == State::forwarding || m_state == State::obj) {
        const bool was_obj = m_state == State::obj;
        m_obj_seen = true;
        m_obj_failed = !m_obj.integer(i);
        if (was_obj) {
            m_state = State::keys;
        }
        return !m_obj_failed;
    }
    return value("a number", false);
}

bool EnvelopeEvents::number(double d) {
    if (m_state == State::forwarding || m_state == State::obj) {
        const bool was_obj = m_state == State::obj;
        m_obj_seen = true;
        m_obj_failed = !m_obj.number(d);
        if (was_obj) {
            m_state = State::keys;
        }
        return !m_obj_failed;
    }
    return value("a number", false);
}

bool EnvelopeEvents::string(std::string_view s) {
    if (m_state == State::msg) {
        m_msg.assign(s);
        m_state = State::keys;
        return true;
    }
    if (m_state == State::forwarding || m_state == State::obj) {
        const bool was_obj = m_state == State::obj;
        m_obj_seen = true;
        m_obj_failed = !m_obj.string(s);
        if (was_obj) {
            m_state = State::keys;
        }
        return !m_obj_failed;
    }
    return value("a string", false);
}

bool EnvelopeEvents::key(std::string_view name) {
    if (m_state == State::forwarding) {
        return (m_obj_failed = !m_obj.key(name), !m_obj_failed);
    }
    if (m_state != State::keys) {
        return true;  // a key inside a skipped value
    }
    if (name == "success") {
        m_state = State::success;
    } else if (name == "msg") {
        m_state = State::msg;
    } else if (name == "obj" && !refused()) {
        m_state = State::obj;
    } else {
        // Unknown fields, and the obj of a refused request, are skipped.
        m_state = State::skipping;
        m_depth = 0;
    }
    return true;
}

bool EnvelopeEvents::start_object() {
    if (m_state == State::forwarding || m_state == State::obj) {
        if (m_state == State::obj) {
            m_obj_seen = true;
            m_state = State::forwarding;
            m_depth = 0;
        }
        ++m_depth;
        return (m_obj_failed = !m_obj.start_object(), !m_obj_failed);
    }
    return value("an object", true);
}

bool EnvelopeEvents::start_array() {
    if (m_state == State::forwarding || m_state == State::obj) {
        if (m_state == State::obj) {
            m_obj_seen = true;
            m_state = State::forwarding;
            m_depth = 0;
        }
        ++m_depth;
        return (m_obj_failed = !m_obj.start_array(), !m_obj_failed);
    }
    return value("an array", true);
}

bool EnvelopeEvents::end_object() {
    if (m_state == State::forwarding) {
        m_obj_failed = !m_obj.end_object();
        if (--m_depth == 0) {
            m_state = State::keys;
        }
        return !m_obj_failed;
    }
    if (m_state == State::skipping) {
        if (--m_depth == 0) {
            m_state = State::keys;
        }
        return true;
    }
    m_state = State::done;  // the envelope itself ends
    return true;
}

bool EnvelopeEvents::end_array() {
    if (m_state == State::forwarding) {
        m_obj_failed = !m_obj.end_array();
        if (--m_depth == 0) {
            m_state = State::keys;
        }
        return !m_obj_failed;
    }
    if (m_state == State::skipping && --m_depth == 0) {
        m_state = State::keys;
    }
    return true;
}

Status EnvelopeEvents::finish() {
    if (!m_success.has_value()) {
        shape_error("unexpected panel JSON at success: missing");
        return m_error;
    }
    if (!*m_success) {
        m_error = make_error(ErrorKind::api, "refused");
        return m_error;
    }
    if (!m_obj_seen || m_obj_null) {
        // No payload: the decoder says what it expected instead.
        if (!m_obj.null()) {
            return m_obj.stop_reason();
        }
    }
    return ok_status();
}

}  // namespace xuictl
