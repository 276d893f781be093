#pragma once

#include <array>
#include <bitset>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "ui/json_out_stream.hpp"

namespace xuictl {

// Characters a JSON string writes as an escape, and the letter after the
// backslash ('u': \u00XX): RapidJSON Writer's table, so the text is the same.
// '/' and 0x7F stay as they are; bytes 0x80 and up (UTF-8) pass through.
inline constexpr std::array<char, 256> kJsonEscape = [] {
    std::array<char, 256> table{};
    for (size_t c = 0; c < 0x20; ++c) {
        table[c] = 'u';
    }
    const auto set = [&table](char c, char escape) {
        table[static_cast<unsigned char>(c)] = escape;
    };
    set('\b', 'b');
    set('\t', 't');
    set('\n', 'n');
    set('\f', 'f');
    set('\r', 'r');
    set('"', '"');
    set('\\', '\\');
    return table;
}();

// Whether any of the eight bytes of `word` is in kJsonEscape: below 0x20,
// '"' or '\\'. Exact for "any" (the borrows of the classic zero-byte test
// only ever mark bytes above one that matches).
constexpr bool needs_json_escape(uint64_t word) {
    constexpr uint64_t kOnes = 0x0101010101010101;
    constexpr uint64_t kHighs = 0x8080808080808080;
    const auto has_zero = [](uint64_t v) { return (v - kOnes) & ~v & kHighs; };
    const uint64_t below_space = (word - kOnes * 0x20) & ~word & kHighs;
    return (below_space | has_zero(word ^ (kOnes * '"')) | has_zero(word ^ (kOnes * '\\'))) != 0;
}

// The one-line JSON text rapidjson::Writer<JsonOutStream> writes with its
// default flags, byte for byte, for the same calls with the same return
// values, at a fraction of the cost: one buffer check per token, clean runs
// of a string copied whole, integers by std::to_chars. (At 100 000 clients
// the RapidJSON writer was a quarter of `stats -o json`.)
//
// Like RapidJSON: a key is a string (Key is String); a separator is chosen
// by position (',' between values, ':' after a key); Double(NaN or ±Inf)
// writes the separator, no value, and returns false; the end of the root
// value flushes the stream. Calls out of order (a value where a key goes)
// are not checked: RapidJSON asserts on them.
//
// Containers nest at most kMaxDepth deep (views write at most 5; `audit
// show` replays a recorded plan); one more throws std::length_error rather
// than write a broken document.
class CompactJsonWriter {
public:
    static constexpr size_t kMaxDepth = 256;

    explicit CompactJsonWriter(JsonOutStream& stream) : m_stream(stream) {}
    CompactJsonWriter(const CompactJsonWriter&) = delete;
    CompactJsonWriter& operator=(const CompactJsonWriter&) = delete;

    bool Null() { return put_literal("null", 4); }
    bool Bool(bool b) { return b ? put_literal("true", 4) : put_literal("false", 5); }
    bool Int(int i) { return put_integer(i); }
    bool Uint(unsigned u) { return put_integer(u); }
    bool Int64(int64_t i) { return put_integer(i); }
    bool Uint64(uint64_t u) { return put_integer(u); }
    // RapidJSON's Grisu2 (internal::dtoa), so the digits are the same.
    bool Double(double d);
    bool String(const char* s, size_t n);
    bool Key(const char* s, size_t n) { return String(s, n); }
    // A key with no byte to escape (a literal in the code): copied as it is,
    // with no scan (a 100 000-client document has 1.4 million keys).
    bool clean_key(const char* s, size_t n) {
        char* p = begin_value(n + 2);
        *p++ = '"';
        std::memcpy(p, s, n);
        p += n;
        *p++ = '"';
        end_value(p);
        return true;
    }
    // `json` is well-formed JSON text, written as it is.
    bool RawValue(const char* json, size_t n);
    // In an array: `json` is one or more of its elements, comma-separated
    // (what another CompactJsonWriter wrote between its '[' and ']'), written
    // as they are after a ',' if this array already has an element. Nothing
    // for n == 0. A long run goes to the stream without a copy.
    bool raw_elements(const char* json, size_t n);
    bool StartObject() { return open('{', false); }
    bool EndObject() { return close('}'); }
    bool StartArray() { return open('[', true); }
    bool EndArray() { return close(']'); }

private:
    // Room for the separator and `count` more characters; puts the separator
    // and returns where the value goes.
    char* begin_value(size_t count) {
        char* p = m_stream.claim(count + 1);
        *p = m_separator;
        p += m_separator != 0;  // no branch: the separator is there or not
        // In an object the values alternate key, member value, key …
        m_separator = (m_in_array || m_separator == ':') ? ',' : ':';
        return p;
    }
    void end_value(const char* end) {
        m_stream.commit(end);
        if (m_depth == 0) [[unlikely]] {
            end_root();
        }
    }
    void end_root();
    bool put_literal(const char* text, size_t n) {
        char* p = begin_value(n);
        std::memcpy(p, text, n);
        end_value(p + n);
        return true;
    }
    template <typename Integer>
    bool put_integer(Integer value) {
        constexpr size_t kMaxDigits = 20;  // "-9223372036854775808", UINT64_MAX
        char* p = begin_value(kMaxDigits);
        end_value(std::to_chars(p, p + kMaxDigits, value).ptr);
        return true;
    }
    bool open(char bracket, bool array);
    bool close(char bracket);

    JsonOutStream& m_stream;
    // What goes before the next value at this level: nothing, ',' or ':'.
    char m_separator = 0;
    bool m_in_array = false;
    size_t m_depth = 0;
    // Whether each enclosing level is an array, outermost first; the only
    // state a closed container gives back (its parent's next separator is
    // always ',').
    std::bitset<kMaxDepth> m_outer_in_array;
};

inline bool CompactJsonWriter::String(const char* s, size_t n) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    // Quotes plus the worst case, every byte as \u00XX (as RapidJSON reserves).
    char* p = begin_value(2 + n * 6);
    *p++ = '"';
    const char* const end = s + n;
    for (;;) {
        // Eight clean bytes at a time (emails, keys: most of a document)…
        while (end - s >= 8) {
            uint64_t word;
            std::memcpy(&word, s, 8);
            if (needs_json_escape(word)) {
                break;
            }
            std::memcpy(p, &word, 8);
            p += 8;
            s += 8;
        }
        // … then one at a time up to the escape or the end.
        while (s != end && kJsonEscape[static_cast<unsigned char>(*s)] == 0) {
            *p++ = *s++;
        }
        if (s == end) {
            break;
        }
        const auto c = static_cast<unsigned char>(*s++);
        const char escape = kJsonEscape[c];
        *p++ = '\\';
        *p++ = escape;
        if (escape == 'u') {
            *p++ = '0';
            *p++ = '0';
            *p++ = kHex[c >> 4];
            *p++ = kHex[c & 0xF];
        }
    }
    *p++ = '"';
    end_value(p);
    return true;
}

}  // namespace xuictl
