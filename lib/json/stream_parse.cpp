#include "json/stream_parse.hpp"

#include <rapidjson/error/en.h>
#include <rapidjson/reader.h>

#include <fmt/format.h>

namespace xuictl {
namespace {

// RapidJSON input stream over the pieces of a body. Peek/Take are the hot
// path (every byte of a 50 MB list) and stay inline; only refill() is not.
class PieceStream {
public:
    using Ch = char;

    explicit PieceStream(HttpBodyReader& body) : m_body(body) {}

    Ch Peek() {
        if (m_cur == m_end && !refill()) {
            return '\0';  // RapidJSON's end of input
        }
        return *m_cur;
    }
    Ch Take() {
        if (m_cur == m_end && !refill()) {
            return '\0';
        }
        return *m_cur++;
    }
    size_t Tell() const { return m_before + static_cast<size_t>(m_cur - m_begin); }

    // Unused by the reader without kParseInsituFlag, required by the concept.
    Ch* PutBegin() { return nullptr; }
    void Put(Ch) {}
    void Flush() {}
    size_t PutEnd(Ch*) { return 0; }

    const Error* transport_error() const { return m_failed ? &m_error : nullptr; }

private:
    bool refill() {
        if (m_failed || m_finished) {
            return false;
        }
        auto piece = m_body.next();
        m_before += static_cast<size_t>(m_end - m_begin);
        if (!piece) {
            m_error = piece.error();
            m_failed = true;
            m_begin = m_cur = m_end = nullptr;
            return false;
        }
        if (piece->empty()) {
            m_finished = true;
            m_begin = m_cur = m_end = nullptr;
            return false;
        }
        m_begin = m_cur = piece->data();
        m_end = m_begin + piece->size();
        return true;
    }

    HttpBodyReader& m_body;
    const char* m_begin = nullptr;
    const char* m_cur = nullptr;
    const char* m_end = nullptr;
    size_t m_before = 0;  // bytes in the pieces before this one
    bool m_finished = false;
    bool m_failed = false;
    Error m_error;
};

}  // namespace

Status parse_json_stream(HttpBodyReader& body, JsonEvents& events, std::string_view what) {
    PieceStream stream(body);
    RapidJsonEvents adapter{events};
    rapidjson::Reader reader;
    const rapidjson::ParseResult result = reader.Parse(stream, adapter);
    if (const Error* failed = stream.transport_error()) {
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
    rapidjson::MemoryStream bytes(text.data(), text.size());
    RapidJsonEvents adapter{events};
    rapidjson::Reader reader;
    const rapidjson::ParseResult result = reader.Parse(bytes, adapter);
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
