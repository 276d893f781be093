#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <string_view>

#include "util/result.hpp"

namespace xuictl {

// A JSON value as a stream of events (RapidJSON's SAX model, without its
// templates): lets a decoder build the model straight from the bytes as they
// arrive, with no document in between. Every event returns false to stop the
// parse; stop_reason() then says why.
class JsonEvents {
public:
    virtual ~JsonEvents() = default;
    virtual bool null() = 0;
    virtual bool boolean(bool value) = 0;
    virtual bool integer(int64_t value) = 0;
    // Any other number: fractional, exponent, or an integer beyond int64.
    virtual bool number(double value) = 0;
    // Views are valid during the call only.
    virtual bool string(std::string_view value) = 0;
    virtual bool key(std::string_view name) = 0;
    virtual bool start_object() = 0;
    virtual bool end_object() = 0;
    virtual bool start_array() = 0;
    virtual bool end_array() = 0;
    virtual Error stop_reason() const = 0;

    // Asked by the streaming parser (JsonStreamReader) right after a key()
    // that returned true: true means "I do not read this member's value".
    // The parser then validates the whole value (scalar or container, any
    // depth) without a single event for it, and the next event is the one
    // after that value. Answer true only when receiving and ignoring the
    // value's events would leave the consumer in the same state. Other
    // sources of events (Value::Accept, replay) never ask and send them all.
    virtual bool skip_value() { return false; }
};

// RapidJSON's handler concept on top of JsonEvents, for Reader::Parse and
// Value::Accept.
struct RapidJsonEvents {
    JsonEvents& events;

    bool Null() { return events.null(); }
    bool Bool(bool b) { return events.boolean(b); }
    bool Int(int i) { return events.integer(i); }
    bool Uint(unsigned u) { return events.integer(u); }
    bool Int64(int64_t i) { return events.integer(i); }
    bool Uint64(uint64_t u) {
        return u <= static_cast<uint64_t>(INT64_MAX) ? events.integer(static_cast<int64_t>(u))
                                                     : events.number(static_cast<double>(u));
    }
    bool Double(double d) { return events.number(d); }
    bool RawNumber(const char*, rapidjson::SizeType, bool) { return false; }  // not asked for
    bool String(const char* s, rapidjson::SizeType n, bool) { return events.string({s, n}); }
    bool Key(const char* s, rapidjson::SizeType n, bool) { return events.key({s, n}); }
    bool StartObject() { return events.start_object(); }
    bool EndObject(rapidjson::SizeType) { return events.end_object(); }
    bool StartArray() { return events.start_array(); }
    bool EndArray(rapidjson::SizeType) { return events.end_array(); }
};

// Replays a parsed value as events (the DOM entry points of the decoders).
// An Error when the consumer stopped.
inline Status replay(const rapidjson::Value& value, JsonEvents& events) {
    RapidJsonEvents adapter{events};
    if (!value.Accept(adapter)) {
        return events.stop_reason();
    }
    return ok_status();
}

}  // namespace xuictl
