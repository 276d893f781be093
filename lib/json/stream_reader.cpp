#include "json/stream_reader.hpp"

#include <algorithm>
#include <cstring>
#include <limits>

#include "json/json_text.hpp"

namespace xuictl {

bool JsonStreamReader::fail(rapidjson::ParseErrorCode code, size_t offset) {
    m_result.Set(code, offset);
    return false;
}

bool JsonStreamReader::refill() {
    if (m_finished || m_failed) {
        return false;
    }
    if (m_capturing && m_token_begin != m_end) {
        m_carry.append(m_token_begin, m_end);
    }
    m_before += static_cast<size_t>(m_end - m_begin);
    auto piece = m_body.next();
    if (!piece || piece->empty()) {
        if (!piece) {
            m_error = piece.error();
            m_failed = true;
        } else {
            m_finished = true;
        }
        m_begin = m_cur = m_end = m_token_begin = nullptr;
        return false;
    }
    m_begin = m_cur = m_token_begin = piece->data();
    m_end = m_begin + piece->size();
    return true;
}

void JsonStreamReader::skip_whitespace_slow() {
    do {
        while (m_cur != m_end) {
            if (!is_whitespace(*m_cur)) {
                return;
            }
            ++m_cur;
        }
    } while (refill());
}

void JsonStreamReader::begin_capture(const char* start) {
    m_capturing = true;
    m_token_begin = start;
    m_carry.clear();
}

std::string_view JsonStreamReader::end_capture() {
    m_capturing = false;
    if (m_carry.empty()) {
        return {m_token_begin, static_cast<size_t>(m_cur - m_token_begin)};
    }
    m_carry.append(m_token_begin, m_cur);
    return m_carry;
}

rapidjson::ParseResult JsonStreamReader::parse(JsonEvents& events) {
    m_events = &events;
    m_result.Clear();
    skip_whitespace();
    if (peek() == '\0') {
        fail(rapidjson::kParseErrorDocumentEmpty, tell());
        return m_result;
    }
    if (!parse_values()) {
        return m_result;
    }
    skip_whitespace();
    if (peek() != '\0') {
        fail(rapidjson::kParseErrorDocumentRootNotSingular, tell());
    }
    return m_result;
}

// One root value, without recursion: m_stack holds the open containers.
// Checks are made in RapidJSON's order so that errors match its own.
bool JsonStreamReader::parse_values() {
    for (;;) {
        // A value begins at the cursor (whitespace before it is skipped).
        switch (peek()) {
            case '{':
                ++m_cur;
                if (!m_skipping && !m_events->start_object()) {
                    return stopped();
                }
                skip_whitespace();
                if (peek() == '}') {
                    ++m_cur;
                    if (!m_skipping && !m_events->end_object()) {
                        return stopped();
                    }
                    break;
                }
                m_stack += '{';
                if (!parse_key()) {
                    return false;
                }
                continue;
            case '[':
                ++m_cur;
                if (!m_skipping && !m_events->start_array()) {
                    return stopped();
                }
                skip_whitespace();
                if (peek() == ']') {
                    ++m_cur;
                    if (!m_skipping && !m_events->end_array()) {
                        return stopped();
                    }
                    break;
                }
                m_stack += '[';
                continue;
            case '"':
                if (!parse_string(false)) {
                    return false;
                }
                break;
            case 'n':
                if (!parse_literal("null")) {
                    return false;
                }
                if (!m_skipping && !m_events->null()) {
                    return stopped();
                }
                break;
            case 't':
                if (!parse_literal("true")) {
                    return false;
                }
                if (!m_skipping && !m_events->boolean(true)) {
                    return stopped();
                }
                break;
            case 'f':
                if (!parse_literal("false")) {
                    return false;
                }
                if (!m_skipping && !m_events->boolean(false)) {
                    return stopped();
                }
                break;
            default:
                if (!parse_number()) {
                    return false;
                }
                break;
        }
        // The value is complete: close the containers it completes, then
        // find where the next value begins.
        for (;;) {
            if (m_skipping && m_stack.size() == m_skip_depth) {
                m_skipping = false;
            }
            if (m_stack.empty()) {
                return true;
            }
            skip_whitespace();
            const char c = peek();
            if (m_stack.back() == '[') {
                if (c == ',') {
                    ++m_cur;
                    skip_whitespace();
                    break;
                }
                if (c != ']') {
                    return fail(rapidjson::kParseErrorArrayMissCommaOrSquareBracket, tell());
                }
                ++m_cur;
                m_stack.pop_back();
                if (!m_skipping && !m_events->end_array()) {
                    return stopped();
                }
                continue;
            }
            if (c == ',') {
                ++m_cur;
                skip_whitespace();
                if (!parse_key()) {
                    return false;
                }
                break;
            }
            if (c != '}') {
                return fail(rapidjson::kParseErrorObjectMissCommaOrCurlyBracket, tell());
            }
            ++m_cur;
            m_stack.pop_back();
            if (!m_skipping && !m_events->end_object()) {
                return stopped();
            }
        }
    }
}

// A member's name and colon, up to where its value begins.
bool JsonStreamReader::parse_key() {
    if (peek() != '"') {
        return fail(rapidjson::kParseErrorObjectMissName, tell());
    }
    if (!parse_string(true)) {
        return false;
    }
    if (!m_skipping && m_events->skip_value()) {
        m_skipping = true;
        m_skip_depth = m_stack.size();
    }
    skip_whitespace();
    if (peek() != ':') {
        return fail(rapidjson::kParseErrorObjectMissColon, tell());
    }
    ++m_cur;
    skip_whitespace();
    return true;
}

bool JsonStreamReader::emit_string(bool is_key, std::string_view text) {
    if (!(is_key ? m_events->key(text) : m_events->string(text))) {
        return stopped();
    }
    return true;
}

// The cursor is on the opening quote. The common case, a string without
// escapes inside the piece, is passed on as a view of the piece itself.
bool JsonStreamReader::parse_string(bool is_key) {
    const char* start = ++m_cur;
    const char* stop = scan_json_string(start, m_end);
    if (stop != m_end && *stop == '"') [[likely]] {
        m_cur = stop + 1;
        return m_skipping || emit_string(is_key, {start, static_cast<size_t>(stop - start)});
    }
    m_cur = stop;
    return parse_string_slow(is_key, start);
}

// A string with escapes, or one that continues in the next piece. Its value
// is decoded into m_text in the same pass that validates it: a classic list's
// settings text (50 MB with an escape every few bytes) is read once, not twice.
bool JsonStreamReader::parse_string_slow(bool is_key, const char* start) {
    m_text.clear();
    char* out = m_text.claim(static_cast<size_t>(m_end - start) + kCopySlack);
    out = std::copy(start, m_cur, out);
    for (;;) {
        // Invariant: room for the rest of the piece plus kCopySlack at `out`
        // (a decoded escape is never longer than its text).
        if (m_cur == m_end) {
            m_text.commit(out);
            if (!refill()) {
                return fail(rapidjson::kParseErrorStringMissQuotationMark, tell());
            }
            out = m_text.claim(static_cast<size_t>(m_end - m_cur) + kCopySlack);
        } else if (*m_cur == '"') {
            break;
        } else if (*m_cur == '\\') {
            const char value =
                m_end - m_cur >= 2
                    ? k_json_simple_escapes.value[static_cast<unsigned char>(m_cur[1])]
                    : '\0';
            if (value != '\0') [[likely]] {
                *out++ = value;
                m_cur += 2;
            } else {
                m_text.commit(out);
                unsigned cp = 0;
                if (!read_escape(cp)) {
                    return false;
                }
                out =
                    put_utf8(m_text.claim(static_cast<size_t>(m_end - m_cur) + kCopySlack + 4), cp);
            }
        } else {
            // A control byte. RapidJSON reads a NUL byte as the end of the input.
            return fail(*m_cur == '\0' ? rapidjson::kParseErrorStringMissQuotationMark
                                       : rapidjson::kParseErrorStringEscapeInvalid,
                        tell());
        }
        m_cur = copy_json_string(m_cur, m_end, out);
    }
    m_text.commit(out);
    ++m_cur;
    return m_skipping || emit_string(is_key, {m_text.data(), m_text.size()});
}

// Validates the escape at the cursor ('\\') in RapidJSON's order of checks
// and moves past it; `code_point` is what it stands for. Errors point at the
// backslash. The escape may continue in the next piece.
bool JsonStreamReader::read_escape(unsigned& code_point) {
    const size_t escape_offset = tell();
    ++m_cur;
    const char e = peek();
    if (const char value = k_json_simple_escapes.value[static_cast<unsigned char>(e)];
        value != '\0') {
        ++m_cur;
        code_point = static_cast<unsigned char>(value);
        return true;
    }
    if (e != 'u') {
        return fail(rapidjson::kParseErrorStringEscapeInvalid, escape_offset);
    }
    ++m_cur;
    unsigned cp = 0;
    if (!parse_hex4(escape_offset, cp)) {
        return false;
    }
    if (cp >= 0xD800 && cp <= 0xDBFF) {
        // A high surrogate must be followed by an escaped low one.
        if (peek() != '\\') {
            return fail(rapidjson::kParseErrorStringUnicodeSurrogateInvalid, escape_offset);
        }
        ++m_cur;
        if (peek() != 'u') {
            return fail(rapidjson::kParseErrorStringUnicodeSurrogateInvalid, escape_offset);
        }
        ++m_cur;
        unsigned low = 0;
        if (!parse_hex4(escape_offset, low)) {
            return false;
        }
        if (low < 0xDC00 || low > 0xDFFF) {
            return fail(rapidjson::kParseErrorStringUnicodeSurrogateInvalid, escape_offset);
        }
        cp = (((cp - 0xD800) << 10) | (low - 0xDC00)) + 0x10000;
    }
    code_point = cp;
    return true;
}

bool JsonStreamReader::parse_hex4(size_t escape_offset, unsigned& code_point) {
    code_point = 0;
    for (int i = 0; i < 4; ++i) {
        const int digit = json_hex_digit(peek());
        if (digit < 0) {
            return fail(rapidjson::kParseErrorStringUnicodeEscapeInvalidHex, escape_offset);
        }
        code_point = code_point * 16 + static_cast<unsigned>(digit);
        ++m_cur;
    }
    return true;
}

// The cursor is on the literal's first letter.
bool JsonStreamReader::parse_literal(std::string_view word) {
    if (static_cast<size_t>(m_end - m_cur) >= word.size() &&
        std::memcmp(m_cur, word.data(), word.size()) == 0) {
        m_cur += word.size();
        return true;
    }
    ++m_cur;
    for (size_t i = 1; i < word.size(); ++i) {
        if (peek() != word[i]) {
            return fail(rapidjson::kParseErrorValueInvalid, tell());
        }
        ++m_cur;
    }
    return true;
}

// The common case: an integer of at most 18 digits (it cannot overflow)
// that ends inside the piece.
bool JsonStreamReader::parse_number() {
    if (m_cur == m_end) {
        return parse_number_slow();  // the end of the input: an error there
    }
    const char* p = m_cur;
    const bool minus = *p == '-';
    p += minus ? 1 : 0;
    const char* digits = p;
    uint64_t magnitude = 0;
    while (p != m_end && is_json_digit(*p)) {
        magnitude = magnitude * 10 + static_cast<uint64_t>(*p - '0');
        ++p;
    }
    const auto count = p - digits;
    if (p == m_end || count == 0 || count > 18 || *p == '.' || *p == 'e' || *p == 'E' ||
        (*digits == '0' && count > 1)) {
        return parse_number_slow();  // a leading zero ends the number after it: RapidJSON's way
    }
    m_cur = p;
    if (m_skipping) {
        return true;
    }
    const auto value = static_cast<int64_t>(magnitude);
    return m_events->integer(minus ? -value : value) || stopped();
}

// RapidJSON's ParseNumber, step for step where it decides: which characters
// belong to the number, integer or double, and its two "too big" errors (an
// integer past DBL_MAX / 10 while its digits are summed in a double, and an
// exponent past 308 less the fraction digits it counted).
bool JsonStreamReader::parse_number_slow() {
    const size_t start_offset = tell();
    if (!m_skipping) {
        begin_capture(m_cur);
    }
    const bool minus = peek() == '-';
    if (minus) {
        ++m_cur;
    }
    uint64_t magnitude = 0;
    bool use_double = false;
    bool big = false;
    int significand_digits = 0;
    char c = peek();
    if (c == '0') {
        ++m_cur;
    } else if (c >= '1' && c <= '9') {
        ++m_cur;
        magnitude = static_cast<uint64_t>(c - '0');
        // Past 2^63 (negative) or 2^64 - 1 the integer becomes a double.
        const uint64_t limit = minus ? 922337203685477580ULL : 1844674407370955161ULL;
        const char last_digit = minus ? '8' : '5';
        while (is_json_digit(c = peek())) {
            if (magnitude >= limit && (magnitude != limit || c > last_digit)) [[unlikely]] {
                use_double = big = true;
                break;
            }
            magnitude = magnitude * 10 + static_cast<uint64_t>(c - '0');
            ++m_cur;
            ++significand_digits;
        }
        if (big) {
            auto sum = static_cast<double>(magnitude);
            while (is_json_digit(c = peek())) {
                if (sum >= 1.7976931348623157e307) {
                    m_capturing = false;
                    return fail(rapidjson::kParseErrorNumberTooBig, start_offset);
                }
                sum = sum * 10 + (c - '0');
                ++m_cur;
            }
        }
    } else {
        m_capturing = false;
        return fail(rapidjson::kParseErrorValueInvalid, tell());
    }

    int64_t exp_frac = 0;  // fraction digits RapidJSON counts
    if (peek() == '.') {
        ++m_cur;
        if (!is_json_digit(peek())) {
            m_capturing = false;
            return fail(rapidjson::kParseErrorNumberMissFraction, tell());
        }
        bool nonzero = big;
        if (!use_double) {
            uint64_t significand = magnitude;
            while (is_json_digit(c = peek()) && significand <= 0x1FFFFFFFFFFFFFULL) {
                significand = significand * 10 + static_cast<uint64_t>(c - '0');
                ++m_cur;
                --exp_frac;
                if (significand != 0) {
                    ++significand_digits;
                }
            }
            nonzero = significand != 0;
            use_double = true;
        }
        while (is_json_digit(c = peek())) {
            if (significand_digits < 17) {
                --exp_frac;
                nonzero = nonzero || c != '0';
                if (nonzero) {
                    ++significand_digits;
                }
            }
            ++m_cur;
        }
    }

    c = peek();
    if (c == 'e' || c == 'E') {
        ++m_cur;
        use_double = true;
        bool exp_minus = false;
        c = peek();
        if (c == '+' || c == '-') {
            exp_minus = c == '-';
            ++m_cur;
        }
        c = peek();
        if (!is_json_digit(c)) {
            m_capturing = false;
            return fail(rapidjson::kParseErrorNumberMissExponent, tell());
        }
        ++m_cur;
        int64_t exp = c - '0';
        const int64_t max_exp = 308 - exp_frac;
        while (is_json_digit(c = peek())) {
            ++m_cur;
            if (!exp_minus) {
                exp = exp * 10 + (c - '0');
                if (exp > max_exp) {
                    m_capturing = false;
                    return fail(rapidjson::kParseErrorNumberTooBig, start_offset);
                }
            }
        }
    }

    if (m_skipping) {
        return true;
    }
    if (use_double) {
        return emit_double(end_capture());
    }
    m_capturing = false;
    bool more = false;
    if (minus) {
        more = m_events->integer(static_cast<int64_t>(~magnitude + 1));
    } else if (magnitude <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
        more = m_events->integer(static_cast<int64_t>(magnitude));
    } else {
        more = m_events->number(static_cast<double>(magnitude));  // as RapidJsonEvents::Uint64
    }
    return more || stopped();
}

bool JsonStreamReader::emit_double(std::string_view text) {
    return m_events->number(json_number_value(text)) || stopped();
}

}  // namespace xuictl
