#pragma once

#include <rapidjson/prettywriter.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string_view>

#include "ui/compact_json.hpp"
#include "ui/json_out_stream.hpp"

namespace xuictl {

// All JSON output goes through this writer: stable key order (the order the
// code writes them), UTF-8 passed through unescaped; indented by two spaces
// for a person at a terminal, on one line for a pipe or a file (half the
// bytes to write and to read; jq reads both). The method names are
// RapidJSON's, so views write to it as to any RapidJSON writer. The
// one-line text is CompactJsonWriter's (RapidJSON Writer's text, faster);
// the indented one is RapidJSON's PrettyWriter's.
class JsonWriter {
public:
    using Ch = char;
    JsonWriter(std::ostream& out, bool pretty);
    // One-line, in memory: the text is read with text() (a chunk of rows
    // formatted on a worker thread, see ui/parallel_rows.hpp).
    JsonWriter() : m_pretty(false), m_indented(m_stream), m_compact(m_stream) {}
    // Ends the document with a newline and writes out what is buffered.
    void finish();

    bool pretty() const { return m_pretty; }
    // In memory: what has been written since the start or clear().
    std::string_view text() const { return m_stream.text(); }
    // In memory, between two documents: drops the text, keeps the buffer.
    void clear() { m_stream.clear(); }

    bool Null() { return m_pretty ? m_indented.Null() : m_compact.Null(); }
    bool Bool(bool b) { return m_pretty ? m_indented.Bool(b) : m_compact.Bool(b); }
    bool Int(int i) { return m_pretty ? m_indented.Int(i) : m_compact.Int(i); }
    bool Uint(unsigned u) { return m_pretty ? m_indented.Uint(u) : m_compact.Uint(u); }
    bool Int64(int64_t i) { return m_pretty ? m_indented.Int64(i) : m_compact.Int64(i); }
    bool Uint64(uint64_t u) { return m_pretty ? m_indented.Uint64(u) : m_compact.Uint64(u); }
    bool Double(double d) { return m_pretty ? m_indented.Double(d) : m_compact.Double(d); }
    // `copy` is RapidJSON's handler signature (Value::Accept); always copied.
    bool String(const char* s, rapidjson::SizeType n, bool copy = false) {
        (void)copy;
        return m_pretty ? m_indented.String(s, n) : m_compact.String(s, n);
    }
    bool String(const char* s) { return String(s, static_cast<rapidjson::SizeType>(strlen(s))); }
    bool Key(const char* s, rapidjson::SizeType n, bool copy = false) {
        (void)copy;
        return m_pretty ? m_indented.Key(s, n) : m_compact.Key(s, n);
    }
    // Key() for a key known to need no escaping (see write_key below).
    bool clean_key(const char* s, size_t n) {
        return m_pretty ? m_indented.Key(s, static_cast<rapidjson::SizeType>(n))
                        : m_compact.clean_key(s, n);
    }
    bool RawValue(const char* json, size_t n, rapidjson::Type type) {
        return m_pretty ? m_indented.RawValue(json, n, type) : m_compact.RawValue(json, n);
    }
    // One-line only, in an array: already formatted elements, see
    // CompactJsonWriter::raw_elements. Indented text cannot be spliced (its
    // indentation depends on the depth): std::logic_error.
    bool raw_elements(const char* json, size_t n) {
        if (m_pretty) {
            throw std::logic_error("raw_elements on an indented JSON writer");
        }
        return m_compact.raw_elements(json, n);
    }
    bool StartObject() { return m_pretty ? m_indented.StartObject() : m_compact.StartObject(); }
    bool EndObject(rapidjson::SizeType = 0) {
        return m_pretty ? m_indented.EndObject() : m_compact.EndObject();
    }
    bool StartArray() { return m_pretty ? m_indented.StartArray() : m_compact.StartArray(); }
    bool EndArray(rapidjson::SizeType = 0) {
        return m_pretty ? m_indented.EndArray() : m_compact.EndArray();
    }

private:
    JsonOutStream m_stream;
    bool m_pretty;
    rapidjson::PrettyWriter<JsonOutStream> m_indented;
    CompactJsonWriter m_compact;
};

inline JsonWriter::JsonWriter(std::ostream& out, bool pretty)
    : m_stream(out), m_pretty(pretty), m_indented(m_stream), m_compact(m_stream) {
    m_indented.SetIndent(' ', 2);
}

inline void JsonWriter::finish() {
    m_stream.Put('\n');
    m_stream.Flush();
}

inline void write_string(JsonWriter& w, std::string_view s) {
    w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}
inline void write_key(JsonWriter& w, std::string_view k) {
    w.Key(k.data(), static_cast<rapidjson::SizeType>(k.size()));
}
// A key written in the code: its length is known at compile time and the
// check that no byte needs escaping folds away for a literal, so it is
// written with no scan (1.4 million keys in a 100 000-client document).
template <size_t N>
inline void write_key(JsonWriter& w, const char (&k)[N]) {
    static_assert(N > 0);
    const bool clean = std::none_of(k, k + N - 1, [](char c) {
        return c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20;
    });
    if (clean) {
        w.clean_key(k, N - 1);
    } else {
        w.Key(k, static_cast<rapidjson::SizeType>(N - 1));
    }
}
inline void write_optional_double(JsonWriter& w, std::optional<double> v) {
    if (v) {
        w.Double(*v);
    } else {
        w.Null();
    }
}

}  // namespace xuictl
