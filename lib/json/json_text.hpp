#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace xuictl {

// Pieces of JSON text handling that keep no state, for JsonStreamReader.

// Bytes that end a run of plain string bytes: the closing quote, an escape,
// and the control bytes JSON forbids raw (RFC 8259 §7).
struct JsonStringStops {
    bool stop[256] = {};
    constexpr JsonStringStops() {
        for (int c = 0; c < 0x20; ++c) {
            stop[c] = true;
        }
        stop[static_cast<unsigned char>('"')] = true;
        stop[static_cast<unsigned char>('\\')] = true;
    }
};
inline constexpr JsonStringStops k_json_string_stops;

#if defined(__SSE2__)
// Bit i set when byte i of `s` ends a run of plain string bytes: 16 bytes of
// k_json_string_stops at once.
inline unsigned json_string_stop_mask(__m128i s) {
    const __m128i control = _mm_set1_epi8(0x1F);
    // s <= 0x1F (unsigned) exactly when max(s, 0x1F) == 0x1F.
    const __m128i hits = _mm_or_si128(
        _mm_or_si128(_mm_cmpeq_epi8(s, _mm_set1_epi8('"')), _mm_cmpeq_epi8(s, _mm_set1_epi8('\\'))),
        _mm_cmpeq_epi8(_mm_max_epu8(s, control), control));
    return static_cast<unsigned>(_mm_movemask_epi8(hits));
}
#endif

// The first byte in [p, end) that ends a run of plain string bytes, or end.
// Most of a 50 MB list is strings (uuids, emails, subIds): 16 bytes a step.
inline const char* scan_json_string(const char* p, const char* end) {
#if defined(__SSE2__)
    while (end - p >= 16) {
        const auto mask =
            json_string_stop_mask(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
        if (mask != 0) {
            return p + __builtin_ctz(mask);
        }
        p += 16;
    }
#endif
    while (p != end && !k_json_string_stops.stop[static_cast<unsigned char>(*p)]) {
        ++p;
    }
    return p;
}

inline bool is_json_digit(char c) {
    return c >= '0' && c <= '9';
}

// The value of a hexadecimal digit, or -1.
inline int json_hex_digit(char c) {
    if (is_json_digit(c)) {
        return c - '0';
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    return -1;
}

// What a one-character escape stands for ("\\n" → '\n'), or '\0' for an
// escape that is not one ('u', and the invalid ones).
struct JsonSimpleEscapes {
    char value[256] = {};
    constexpr JsonSimpleEscapes() {
        value[static_cast<unsigned char>('"')] = '"';
        value[static_cast<unsigned char>('\\')] = '\\';
        value[static_cast<unsigned char>('/')] = '/';
        value[static_cast<unsigned char>('b')] = '\b';
        value[static_cast<unsigned char>('f')] = '\f';
        value[static_cast<unsigned char>('n')] = '\n';
        value[static_cast<unsigned char>('r')] = '\r';
        value[static_cast<unsigned char>('t')] = '\t';
    }
};
inline constexpr JsonSimpleEscapes k_json_simple_escapes;

// scan_json_string() that also copies the plain bytes it passes to `out`,
// which moves on by as many. It may store up to 15 bytes past them (and
// past `end - p` in all): `out` needs that much room beyond.
inline const char* copy_json_string(const char* p, const char* end, char*& out) {
#if defined(__SSE2__)
    while (end - p >= 16) {
        const __m128i s = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
        _mm_storeu_si128(reinterpret_cast<__m128i*>(out), s);  // stored before it is looked at
        const auto mask = json_string_stop_mask(s);
        if (mask != 0) {
            const auto n = __builtin_ctz(mask);
            out += n;
            return p + n;
        }
        p += 16;
        out += 16;
    }
#endif
    while (p != end && !k_json_string_stops.stop[static_cast<unsigned char>(*p)]) {
        *out++ = *p++;
    }
    return p;
}

// Writes code point `cp` in UTF-8 as RapidJSON's UTF8::Encode does (lone
// surrogates included, at most 4 bytes) and returns the end.
char* put_utf8(char* out, unsigned cp);

// The value of a valid JSON number's text, as std::from_chars reads it (the
// nearest double); ±inf or ±0 when out of range, as RapidJSON gives there.
double json_number_value(std::string_view text);

}  // namespace xuictl
