#include "json/stream_parse.hpp"

#include <rapidjson/error/en.h>

#include <fmt/format.h>
#include <utility>

#include "json/stream_reader.hpp"

namespace xuictl {
namespace {

// A complete text as a body of one piece.
class TextBody final : public HttpBodyReader {
public:
    explicit TextBody(std::string_view text) : m_text(text) {}
    Result<std::string_view> next() override { return std::exchange(m_text, {}); }

private:
    std::string_view m_text;
};

}  // namespace

Status parse_json_stream(HttpBodyReader& body, JsonEvents& events, std::string_view what) {
    JsonStreamReader reader(body);
    const rapidjson::ParseResult result = reader.parse(events);
    if (const Error* failed = reader.transport_error()) {
        return *failed;  // the cut-off connection, not the JSON it left behind
    }
    if (result.Code() == rapidjson::kParseErrorTermination) {
        return events.stop_reason();
    }
    if (result.IsError()) {
        return make_error(
            ErrorKind::api,
            fmt::format("the panel sent invalid JSON for the {} ({} at byte {})", what,
                        rapidjson::GetParseError_En(result.Code()), result.Offset()),
            "the response may have been cut off; retry, and check the panel's log");
    }
    return ok_status();
}

Status parse_json_text(std::string_view text, JsonEvents& events, long& syntax_error_at) {
    syntax_error_at = -1;
    TextBody body(text);
    JsonStreamReader reader(body);
    const rapidjson::ParseResult result = reader.parse(events);
    if (result.Code() == rapidjson::kParseErrorTermination) {
        return events.stop_reason();
    }
    if (result.IsError()) {
        syntax_error_at = static_cast<long>(result.Offset());
        return make_error(ErrorKind::api, fmt::format("invalid JSON at byte {}", result.Offset()));
    }
    return ok_status();
}

}  // namespace xuictl
