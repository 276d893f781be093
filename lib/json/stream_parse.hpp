#pragma once

#include <string_view>

#include "json/events.hpp"
#include "net/http_transport.hpp"
#include "util/result.hpp"

namespace xuictl {

// Parses one JSON text arriving in pieces (a response body) and reports it to
// `events` as it goes: memory stays at one piece plus what `events` keeps.
// Errors: the body's own transport Error; events' stop_reason(); a syntax
// error as an api Error naming `what` and the byte offset (as parse_json).
Status parse_json_stream(HttpBodyReader& body, JsonEvents& events, std::string_view what);

// The same for a complete text (the settings string inside the JSON).
// A syntax error is reported as `syntax_error_at` byte offset, else -1.
Status parse_json_text(std::string_view text, JsonEvents& events, long& syntax_error_at);

}  // namespace xuictl
