#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "json/events.hpp"

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

    EventTape() = default;
    // A moved-from tape is empty, with no buffer (it grows one when used).
    EventTape(EventTape&& other) noexcept { *this = std::move(other); }
    EventTape& operator=(EventTape&& other) noexcept {
        m_data = std::move(other.m_data);
        m_size = std::exchange(other.m_size, 0);
        m_capacity = std::exchange(other.m_capacity, 0);
        return *this;
    }

    void clear() { m_size = 0; }
    bool full() const { return m_size >= kTargetBytes; }
    bool empty() const { return m_size == 0; }

    void null() { put_tag(Tag::null); }
    void boolean(bool value) { put_tag(value ? Tag::true_value : Tag::false_value); }
    void integer(int64_t value) { put_number(Tag::integer, value); }
    void number(double value) { put_number(Tag::number, value); }
    void string(std::string_view value) { put_text(Tag::string, value); }
    // A string as escaped in the JSON text: decoded when played.
    void escaped_string(std::string_view escaped) { put_text(Tag::escaped_string, escaped); }
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
        escaped_string,
        key,
        start_object,
        end_object,
        start_array,
        end_array,
    };

    const char* begin() const { return m_data.get(); }
    const char* end() const { return m_data.get() + m_size; }

private:
    // Room for `count` more bytes; the buffer only grows.
    char* claim(size_t count) {
        if (m_size + count > m_capacity) [[unlikely]] {
            grow(m_size + count);
        }
        return m_data.get() + m_size;
    }
    void grow(size_t needed);
    void put_tag(Tag tag) {
        *claim(1) = static_cast<char>(tag);
        m_size += 1;
    }
    template <typename Number>
    void put_number(Tag tag, Number value) {
        char* p = claim(1 + sizeof value);
        *p = static_cast<char>(tag);
        std::memcpy(p + 1, &value, sizeof value);
        m_size += 1 + sizeof value;
    }
    void put_text(Tag tag, std::string_view text);

    std::unique_ptr<char[]> m_data;
    size_t m_size = 0;
    size_t m_capacity = 0;
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
    std::string m_decoded;  // an escaped string's value
    bool m_skipping = false;
    size_t m_skip_depth = 0;  // containers open inside the skipped value
};

}  // namespace xuictl
