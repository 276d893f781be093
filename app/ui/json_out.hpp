#pragma once

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include <optional>
#include <ostream>
#include <string_view>

namespace xuictl {

// All JSON output goes through this writer: stable key order (the order the
// code writes them), two-space indent, UTF-8 passed through unescaped.
using JsonWriter = rapidjson::PrettyWriter<rapidjson::StringBuffer>;

inline void configure(JsonWriter& w) { w.SetIndent(' ', 2); }

inline void write_string(JsonWriter& w, std::string_view s) {
    w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}
inline void write_key(JsonWriter& w, std::string_view k) {
    w.Key(k.data(), static_cast<rapidjson::SizeType>(k.size()));
}
inline void write_optional_double(JsonWriter& w, std::optional<double> v) {
    if (v) {
        w.Double(*v);
    } else {
        w.Null();
    }
}

// Writes a finished JSON document and a newline to out in one go.
inline void emit_json(std::ostream& out, const rapidjson::StringBuffer& buffer) {
    out.write(buffer.GetString(), static_cast<std::streamsize>(buffer.GetSize()));
    out << "\n";
}

}  // namespace xuictl
