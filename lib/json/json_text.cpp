#include "json/json_text.hpp"

#include <charconv>
#include <cstring>
#include <limits>

namespace xuictl {
namespace {

unsigned hex4(const char* p) {
    unsigned value = 0;
    for (int i = 0; i < 4; ++i) {
        value = value * 16 + static_cast<unsigned>(json_hex_digit(p[i]));
    }
    return value;
}

// As RapidJSON's UTF8::Encode, lone surrogates included; returns the end.
char* put_utf8(char* o, unsigned cp) {
    if (cp <= 0x7F) {
        *o++ = static_cast<char>(cp);
    } else if (cp <= 0x7FF) {
        *o++ = static_cast<char>(0xC0 | (cp >> 6));
        *o++ = static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp <= 0xFFFF) {
        *o++ = static_cast<char>(0xE0 | (cp >> 12));
        *o++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        *o++ = static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        *o++ = static_cast<char>(0xF0 | (cp >> 18));
        *o++ = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        *o++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        *o++ = static_cast<char>(0x80 | (cp & 0x3F));
    }
    return o;
}

// Copies [p, end) to o up to the first backslash; both end up there (or at end).
void copy_to_backslash(const char*& p, const char* end, char*& o) {
#if defined(__SSE2__)
    // 16 bytes at a time, stored before they are looked at: the output has
    // 16 bytes of slack (decode_json_escapes).
    const __m128i backslash = _mm_set1_epi8('\\');
    while (end - p >= 16) {
        const __m128i s = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
        _mm_storeu_si128(reinterpret_cast<__m128i*>(o), s);
        const auto mask = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(s, backslash)));
        if (mask != 0) {
            const auto n = __builtin_ctz(mask);
            p += n;
            o += n;
            return;
        }
        p += 16;
        o += 16;
    }
#endif
    while (p != end && *p != '\\') {
        *o++ = *p++;
    }
}

}  // namespace

// Escapes were validated by JsonStreamReader::check_escape().
// Settings strings (≤ v3.0.x) are mostly escaped quotes, one every few bytes:
// the text is copied 16 bytes at a time into a buffer sized once.
void decode_json_escapes(std::string_view raw, std::string& out) {
    // Never longer than the text (every escape is longer than what it stands
    // for), plus the slack copy_to_backslash writes into. `out` keeps its
    // size between calls, so only growth is zero-filled.
    constexpr size_t kSlack = 16;
    if (out.size() < raw.size() + kSlack) {
        out.resize(raw.size() + kSlack);
    }
    char* const begin = out.data();
    char* o = begin;
    const char* p = raw.data();
    const char* const end = p + raw.size();
    for (;;) {
        copy_to_backslash(p, end, o);
        if (p == end) {
            break;
        }
        const char e = p[1];
        p += 2;
        switch (e) {
            case 'b':
                *o++ = '\b';
                break;
            case 'f':
                *o++ = '\f';
                break;
            case 'n':
                *o++ = '\n';
                break;
            case 'r':
                *o++ = '\r';
                break;
            case 't':
                *o++ = '\t';
                break;
            case 'u': {
                unsigned cp = hex4(p);
                p += 4;
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    const unsigned low = hex4(p + 2);  // after its backslash and u
                    p += 6;
                    cp = (((cp - 0xD800) << 10) | (low - 0xDC00)) + 0x10000;
                }
                o = put_utf8(o, cp);
                break;
            }
            default:
                *o++ = e;  // '"', '\\', '/'
                break;
        }
    }
    out.resize(static_cast<size_t>(o - begin));
}

namespace {

// from_chars says only "out of range": whether the value is too large or too
// small follows from its decimal exponent (RapidJSON gives ±inf or ±0 there).
double out_of_range_value(std::string_view text) {
    const bool minus = !text.empty() && text[0] == '-';
    // The value is 0.d... × 10^(scale + exponent), d the first non-zero digit.
    long long scale = 0;
    long long fraction_digits = 0;
    bool found = false;
    bool fraction = false;
    size_t i = minus ? 1 : 0;
    for (; i < text.size() && text[i] != 'e' && text[i] != 'E'; ++i) {
        if (text[i] == '.') {
            fraction = true;
            continue;
        }
        if (!found && text[i] != '0') {
            found = true;
            scale = fraction ? -fraction_digits : 0;
        }
        if (fraction) {
            ++fraction_digits;
        } else if (found) {
            ++scale;
        }
    }
    long long exponent = 0;
    bool exponent_minus = false;
    if (i < text.size()) {
        ++i;
        if (text[i] == '+' || text[i] == '-') {
            exponent_minus = text[i] == '-';
            ++i;
        }
        // Saturates: RapidJSON accepts any number of digits in a negative exponent.
        for (; i < text.size() && exponent < 1'000'000'000'000LL; ++i) {
            exponent = exponent * 10 + (text[i] - '0');
        }
    }
    const long long power = scale + (exponent_minus ? -exponent : exponent);
    const double magnitude = power > 0 ? std::numeric_limits<double>::infinity() : 0.0;
    return minus ? -magnitude : magnitude;
}

}  // namespace

double json_number_value(std::string_view text) {
    double value = 0;
    const char* first = text.data();
    const auto [ptr, ec] = std::from_chars(first, first + text.size(), value);
    if (ec == std::errc::result_out_of_range) {
        value = out_of_range_value(text);
    }
    return value;
}

}  // namespace xuictl
