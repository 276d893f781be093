#pragma once

#include <string_view>

#include "json/events.hpp"
#include "net/http_transport.hpp"
#include "util/result.hpp"

namespace xuictl {

// How parse_json_stream spreads its work.
enum class ParseThreads {
    automatic,  // two when the machine has two cores or more
    one,        // the bytes are read, parsed and consumed on the calling thread
    two,        // read and parsed on the calling thread, consumed on a second one
};

// Parses one JSON text arriving in pieces (a response body) and reports it to
// `events` as it goes: memory stays at one piece plus what `events` keeps.
// Errors: the body's own transport Error; events' stop_reason(); a syntax
// error as an api Error naming `what` and the byte offset (as parse_json).
//
// With two threads the events are recorded (EventTape) and played into
// `events` on a second thread while the next bytes are parsed: at 100 000
// clients parsing and decoding each take about half of the time, and the
// panel's answer is all there at once. `events` then runs on that thread
// (the caller's thread waits for it, so nothing else runs alongside); it sees
// the same events in the same order, is asked skip_value() at the same
// points, and the result is the same: the parser may read past the point
// where `events` stopped, but what it meets there (a syntax error, a
// transport failure) is not reported, just as one thread never reads it. At
// most four tapes (about 1 MiB) are in flight. An exception thrown by
// `events` reaches the caller after both threads have stopped.
Status parse_json_stream(HttpBodyReader& body, JsonEvents& events, std::string_view what,
                         ParseThreads threads = ParseThreads::automatic);

// The same for a complete text (the settings string inside the JSON), on the
// calling thread. A syntax error is reported as `syntax_error_at` byte
// offset, else -1.
Status parse_json_text(std::string_view text, JsonEvents& events, long& syntax_error_at);

}  // namespace xuictl
