#include "json/event_tape.hpp"

#include <limits>
#include <stdexcept>

namespace xuictl {

void EventTape::put_text(Tag tag, std::string_view text) {
    if (text.size() > std::numeric_limits<uint32_t>::max()) {
        // Bodies are capped far below this (CurlTransport); never silently cut.
        throw std::length_error("JSON string longer than 4 GiB");
    }
    const auto length = static_cast<uint32_t>(text.size());
    char* p = m_bytes.claim(1 + sizeof length + text.size());
    *p = static_cast<char>(tag);
    std::memcpy(p + 1, &length, sizeof length);
    if (!text.empty()) {
        std::memcpy(p + 1 + sizeof length, text.data(), text.size());
    }
    m_bytes.add(1 + sizeof length + text.size());
}

namespace {

template <typename Number>
Number read_number(const char*& p) {
    Number value;
    std::memcpy(&value, p, sizeof value);
    p += sizeof value;
    return value;
}

std::string_view read_text(const char*& p) {
    const auto length = read_number<uint32_t>(p);
    const std::string_view text(p, length);
    p += length;
    return text;
}

}  // namespace

bool TapePlayer::play(const EventTape& tape) {
    const char* p = tape.begin();
    const char* const end = tape.end();
    while (p != end) {
        const auto tag = static_cast<EventTape::Tag>(*p++);
        if (m_skipping) {
            pass_over(tag, p);
        } else if (!dispatch(tag, p)) {
            return false;
        }
    }
    return true;
}

bool TapePlayer::dispatch(EventTape::Tag tag, const char*& p) {
    using Tag = EventTape::Tag;
    switch (tag) {
        case Tag::null:
            return m_events.null();
        case Tag::false_value:
            return m_events.boolean(false);
        case Tag::true_value:
            return m_events.boolean(true);
        case Tag::integer:
            return m_events.integer(read_number<int64_t>(p));
        case Tag::number:
            return m_events.number(read_number<double>(p));
        case Tag::string:
            return m_events.string(read_text(p));
        case Tag::key:
            if (!m_events.key(read_text(p))) {
                return false;
            }
            // As JsonStreamReader::parse_key asks, right after the key.
            m_skipping = m_events.skip_value();
            m_skip_depth = 0;
            return true;
        case Tag::start_object:
            return m_events.start_object();
        case Tag::end_object:
            return m_events.end_object();
        case Tag::start_array:
            return m_events.start_array();
        case Tag::end_array:
            return m_events.end_array();
    }
    throw std::logic_error("EventTape: unknown tag");  // only a bug writes one
}

void TapePlayer::pass_over(EventTape::Tag tag, const char*& p) {
    using Tag = EventTape::Tag;
    switch (tag) {
        case Tag::integer:
        case Tag::number:
            p += 8;
            break;
        case Tag::string:
        case Tag::key:
            read_text(p);
            break;
        case Tag::start_object:
        case Tag::start_array:
            ++m_skip_depth;
            return;  // the value goes on
        case Tag::end_object:
        case Tag::end_array:
            --m_skip_depth;
            break;
        default:
            break;
    }
    // A key inside a skipped object is never the end of the value; any other
    // event at the value's own level is.
    if (m_skip_depth == 0 && tag != Tag::key) {
        m_skipping = false;
    }
}

}  // namespace xuictl
