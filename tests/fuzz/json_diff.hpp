#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace xuictl::fuzz {

// One JSON event as text: kind 'n' null, 'b' boolean, 'i' integer, 'd' number,
// 's' string, 'k' key, '{' '}' '[' ']'.
struct JsonEvent {
    char kind = 0;
    std::string text;  // strings, keys; "true"/"false"
    int64_t integer = 0;
    double number = 0;
};

// What a parser made of a text: its events and its verdict.
struct JsonRun {
    std::vector<JsonEvent> events;
    int code = 0;  // rapidjson::ParseErrorCode; 0 = accepted
    size_t offset = 0;
};

// Which keys a consumer skips (JsonEvents::skip_value); nullptr = none.
using SkipRule = bool (*)(std::string_view key);

// rapidjson::Reader with kParseDefaultFlags over the whole text: the
// reference. With `skip`, the events of skipped members' values are removed
// afterwards, which is what a skipping consumer must see.
JsonRun run_rapidjson(std::string_view text, SkipRule skip = nullptr);

// JsonStreamReader over the text handed out in pieces of the sizes given,
// cycled (each piece in its own buffer, overwritten when the next is asked for,
// so a view kept too long reads garbage).
JsonRun run_stream(std::string_view text, const std::vector<size_t>& piece_sizes,
                   SkipRule skip = nullptr);

// Empty when the runs agree: same verdict, offset, and events (numbers that
// are not integers within a relative 1e-12, see json_diff.cpp), else what differs.
std::string json_difference(const JsonRun& expected, const JsonRun& actual);

}  // namespace xuictl::fuzz
