#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "json/events.hpp"
#include "util/byte_buffer.hpp"

namespace xuictl {

// JSON events written down as they happen, to be played back later into
// another consumer (on another thread: parse_json_stream's pipeline). A flat
// buffer of a tag byte per event, then the event's payload: an int64 or a
// double (8 bytes), or a string's length (4 bytes) and its bytes.
class EventTape {
public:
    // A tape is handed on once it holds about this much (a long string makes
    // it longer): small enough to keep two threads busy, large enough that
    // handing it on is rare.
    static constexpr size_t kTargetBytes = 256 * 1024;

    // A moved-from tape is empty, with no buffer (it grows one when used).
    EventTape() = default;
    EventTape(EventTape&&) noexcept = default;
    EventTape& operator=(EventTape&&) noexcept = default;

    void clear() { m_bytes.clear(); }
    bool full() const { return m_bytes.size() >= kTargetBytes; }
    bool empty() const { return m_bytes.empty(); }

    void null() { put_tag(Tag::null); }
    void boolean(bool value) { put_tag(value ? Tag::true_value : Tag::false_value); }
    void integer(int64_t value) { put_number(Tag::integer, value); }
    void number(double value) { put_number(Tag::number, value); }
    void string(std::string_view value) { put_text(Tag::string, value); }
    void key(std::string_view name) { put_text(Tag::key, name); }
    void start_object() { put_tag(Tag::start_object); }
    void end_object() { put_tag(Tag::end_object); }
    void start_array() { put_tag(Tag::start_array); }
    void end_array() { put_tag(Tag::end_array); }

    enum class Tag : uint8_t {
        null,
        false_value,
        true_value,
        integer,
        number,
        string,
        key,
        start_object,
        end_object,
        start_array,
        end_array,
    };

    const char* begin() const { return m_bytes.data(); }
    const char* end() const { return m_bytes.data() + m_bytes.size(); }

private:
    void put_tag(Tag tag) {
        *m_bytes.claim(1) = static_cast<char>(tag);
        m_bytes.add(1);
    }
    template <typename Number>
    void put_number(Tag tag, Number value) {
        char* p = m_bytes.claim(1 + sizeof value);
        *p = static_cast<char>(tag);
        std::memcpy(p + 1, &value, sizeof value);
        m_bytes.add(1 + sizeof value);
    }
    void put_text(Tag tag, std::string_view text);

    // A little over the target, so a full tape rarely grows.
    ByteBuffer m_bytes{kTargetBytes + 4096};
};

// Plays tapes back into `events`, one after the other, as one stream of
// events, and does what JsonStreamReader does with skip_value(): after a key()
// that returned true it asks events.skip_value(), and when that is true the
// member's value (which may span tapes) reaches `events` as nothing at all.
class TapePlayer {
public:
    explicit TapePlayer(JsonEvents& events) : m_events(events) {}

    // False as soon as `events` refused one (its stop_reason() says why);
    // nothing more may be played then.
    bool play(const EventTape& tape);

private:
    bool dispatch(EventTape::Tag tag, const char*& p);
    // Advances past a skipped event; ends the skip when its value is complete.
    void pass_over(EventTape::Tag tag, const char*& p);

    JsonEvents& m_events;
    bool m_skipping = false;
    size_t m_skip_depth = 0;  // containers open inside the skipped value
};

}  // namespace xuictl
