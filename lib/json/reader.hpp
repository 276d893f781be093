#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace xuictl {

// Parses JSON text; a syntax error becomes an api Error that names `what`
// ("inbound list") and the byte offset, never an exception or a crash.
Result<rapidjson::Document> parse_json(std::string_view text, std::string_view what);

// Reads the fields of one JSON object and remembers the first problem with
// its JSON path ("obj[3].clientStats[0].up: expected an integer, got a string").
// Getters return a neutral value after a failure so decoders can read on and
// check failed() once at the end, instead of testing every field.
class ObjectReader {
public:
    ObjectReader(const rapidjson::Value& value, std::string path, Error& first_error);

    bool failed() const { return m_failed; }
    bool has(const char* key) const;
    const std::string& path() const { return m_path; }

    int64_t int64(const char* key);                       // required
    int64_t int64_or(const char* key, int64_t fallback);  // missing or null → fallback
    int int32(const char* key);
    int int32_or(const char* key, int fallback);
    bool boolean(const char* key);
    bool boolean_or(const char* key, bool fallback);
    std::string string(const char* key);
    std::string string_or(const char* key, std::string fallback);
    // Accepts either a number or a numeric string (tgId changed type in v2.2.8).
    std::string scalar_as_string_or(const char* key, std::string fallback);

    // The member itself (object or array) or nullptr if missing/null;
    // a present member of another type records an error.
    const rapidjson::Value* object_or_null(const char* key);
    const rapidjson::Value* array_or_null(const char* key);
    const rapidjson::Value* member(const char* key) const;

    void fail(const std::string& key, const std::string& why);

private:
    const rapidjson::Value& m_value;
    std::string m_path;
    Error& m_error;
    bool m_failed = false;
};

// Name of a JSON value's type for messages: "a string", "null", "an array".
const char* json_type_name(const rapidjson::Value& value);

// Path helpers: "obj" + "[3]" and "obj[3]" + ".clients".
std::string json_index(const std::string& path, size_t index);
std::string json_field(const std::string& path, const char* key);

}  // namespace xuictl
