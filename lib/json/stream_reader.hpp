#pragma once

#include <rapidjson/error/error.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "json/events.hpp"
#include "net/http_transport.hpp"
#include "util/byte_buffer.hpp"
#include "util/result.hpp"

namespace xuictl {

// A strictly validating JSON parser over the pieces of a body, written for
// the 30–50 MB inbound list: it scans within the current piece and copies a
// token (string, number) only when it straddles two pieces, so memory stays
// at one piece plus the longest token.
//
// It accepts and rejects exactly what rapidjson::Reader::Parse with
// kParseDefaultFlags does, and reports the same ParseErrorCode at the same
// byte offset: no comments, no trailing commas, no NaN, no raw control bytes
// in strings, UTF-8 not validated, and a NUL byte reads as the end of the
// input (RapidJSON's streams say '\0' at the end, so "1\0x" is accepted).
// Numbers are classified as RapidJSON classifies them (see events.hpp); a
// double's value comes from std::from_chars, which rounds correctly where
// RapidJSON's default strtod may differ in the last bits.
// Differences kept on purpose: nesting depth is not limited by the call
// stack (RapidJSON recurses and may overflow it on very deep input).
class JsonStreamReader {
public:
    explicit JsonStreamReader(HttpBodyReader& body) : m_body(body) {}
    JsonStreamReader(const JsonStreamReader&) = delete;
    JsonStreamReader& operator=(const JsonStreamReader&) = delete;

    // Reads one JSON text to the end of the body and reports it to `events`.
    // A consumer that returns false ends the parse with kParseErrorTermination
    // (its stop_reason() says why). After a successful key() event the parser
    // asks events.skip_value(): when true, the next value is validated but
    // produces no events. A transport Error reads as the end of the input:
    // check transport_error() before the syntax error it caused.
    rapidjson::ParseResult parse(JsonEvents& events);

    // The body's Error when a piece could not be read, else nullptr.
    const Error* transport_error() const { return m_failed ? &m_error : nullptr; }

private:
    bool parse_values();
    bool parse_key();
    bool parse_string(bool is_key);
    bool parse_string_slow(bool is_key, const char* start);
    bool read_escape(unsigned& code_point);
    bool parse_hex4(size_t escape_offset, unsigned& code_point);
    bool parse_number();
    bool parse_number_slow();
    bool parse_literal(std::string_view word);

    bool emit_string(bool is_key, std::string_view text);
    bool emit_double(std::string_view text);
    bool fail(rapidjson::ParseErrorCode code, size_t offset);
    bool stopped() { return fail(rapidjson::kParseErrorTermination, tell()); }

    // The byte at the cursor, or '\0' at the end of the input (RapidJSON's Peek).
    char peek() { return m_cur != m_end ? *m_cur : peek_next_piece(); }
    char peek_next_piece() { return refill() ? *m_cur : '\0'; }
    // Compact JSON has no whitespace between tokens: one test, inline.
    void skip_whitespace() {
        if (m_cur == m_end || is_whitespace(*m_cur)) {
            skip_whitespace_slow();
        }
    }
    static bool is_whitespace(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }
    void skip_whitespace_slow();
    size_t tell() const { return m_before + static_cast<size_t>(m_cur - m_begin); }
    // Moves to the next non-empty piece; false at the end or on an Error.
    bool refill();

    // A token that may straddle pieces: its text is [m_token_begin, m_cur)
    // appended to m_carry, which refill() extends with each finished piece.
    void begin_capture(const char* start);
    std::string_view end_capture();

    HttpBodyReader& m_body;
    JsonEvents* m_events = nullptr;
    const char* m_begin = nullptr;  // the current piece
    const char* m_cur = nullptr;
    const char* m_end = nullptr;
    size_t m_before = 0;  // bytes in the pieces before this one
    bool m_finished = false;
    bool m_failed = false;
    Error m_error;

    bool m_capturing = false;
    const char* m_token_begin = nullptr;
    std::string m_carry;  // a straddling number's bytes from earlier pieces
    // A string's value after its escapes, or one that straddles pieces;
    // copy_json_string() may store this far past what it copies.
    static constexpr size_t kCopySlack = 16;
    ByteBuffer m_text{4096};

    std::string m_stack;  // '{' or '[' per open container
    bool m_skipping = false;
    size_t m_skip_depth = 0;  // m_stack's size when the skipped value began
    rapidjson::ParseResult m_result;
};

}  // namespace xuictl
