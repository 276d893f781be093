#include "json/reader.hpp"

#include <rapidjson/error/en.h>

#include <cmath>
#include <fmt/format.h>
#include <limits>

namespace xuictl {

Result<rapidjson::Document> parse_json(std::string_view text, std::string_view what) {
    rapidjson::Document doc;
    doc.Parse(text.data(), text.size());
    if (doc.HasParseError()) {
        return make_error(ErrorKind::api,
                          fmt::format("the panel sent invalid JSON for the {} ({} at byte {})",
                                      what, rapidjson::GetParseError_En(doc.GetParseError()),
                                      doc.GetErrorOffset()),
                          "the response may have been cut off; retry, and check the panel's log");
    }
    return doc;
}

const char* json_type_name(const rapidjson::Value& value) {
    switch (value.GetType()) {
        case rapidjson::kNullType: return "null";
        case rapidjson::kFalseType:
        case rapidjson::kTrueType: return "a boolean";
        case rapidjson::kObjectType: return "an object";
        case rapidjson::kArrayType: return "an array";
        case rapidjson::kStringType: return "a string";
        case rapidjson::kNumberType: return "a number";
    }
    return "unknown";
}

std::string json_index(const std::string& path, size_t index) {
    return fmt::format("{}[{}]", path, index);
}

std::string json_field(const std::string& path, const char* key) {
    return path.empty() ? std::string(key) : path + "." + key;
}

ObjectReader::ObjectReader(const rapidjson::Value& value, std::string path, Error& first_error)
    : m_value(value), m_path(std::move(path)), m_error(first_error) {
    if (!m_value.IsObject()) {
        m_failed = true;
        if (m_error.message.empty()) {
            m_error = make_error(ErrorKind::api,
                                 fmt::format("unexpected panel JSON at {}: expected an object, got {}",
                                             m_path, json_type_name(m_value)));
        }
    }
}

void ObjectReader::fail(const std::string& key, const std::string& why) {
    m_failed = true;
    if (m_error.message.empty()) {
        m_error = make_error(
            ErrorKind::api,
            fmt::format("unexpected panel JSON at {}: {}", json_field(m_path, key.c_str()), why),
            "this panel version may not be supported; run with -v and report it");
    }
}

const rapidjson::Value* ObjectReader::member(const char* key) const {
    if (!m_value.IsObject()) {
        return nullptr;
    }
    auto it = m_value.FindMember(key);
    if (it == m_value.MemberEnd()) {
        return nullptr;
    }
    return &it->value;
}

bool ObjectReader::has(const char* key) const { return member(key) != nullptr; }

namespace {

// Go marshals int64 as integers, but tolerate an integral double so that a
// panel behind a re-encoding proxy still works.
bool read_integer(const rapidjson::Value& v, int64_t& out) {
    if (v.IsInt64()) {
        out = v.GetInt64();
        return true;
    }
    if (v.IsDouble()) {
        const double d = v.GetDouble();
        if (std::isfinite(d) && std::floor(d) == d && std::fabs(d) < 9.0e18) {
            out = static_cast<int64_t>(d);
            return true;
        }
    }
    return false;
}

}  // namespace

int64_t ObjectReader::int64(const char* key) {
    const auto* v = member(key);
    if (v == nullptr) {
        fail(key, "missing");
        return 0;
    }
    int64_t out = 0;
    if (!read_integer(*v, out)) {
        fail(key, fmt::format("expected an integer, got {}", json_type_name(*v)));
    }
    return out;
}

int64_t ObjectReader::int64_or(const char* key, int64_t fallback) {
    const auto* v = member(key);
    if (v == nullptr || v->IsNull()) {
        return fallback;
    }
    int64_t out = fallback;
    if (!read_integer(*v, out)) {
        fail(key, fmt::format("expected an integer, got {}", json_type_name(*v)));
        return fallback;
    }
    return out;
}

int ObjectReader::int32(const char* key) {
    const int64_t v = int64(key);
    if (v < std::numeric_limits<int>::min() || v > std::numeric_limits<int>::max()) {
        fail(key, fmt::format("integer {} out of range", v));
        return 0;
    }
    return static_cast<int>(v);
}

int ObjectReader::int32_or(const char* key, int fallback) {
    const int64_t v = int64_or(key, fallback);
    if (v < std::numeric_limits<int>::min() || v > std::numeric_limits<int>::max()) {
        fail(key, fmt::format("integer {} out of range", v));
        return fallback;
    }
    return static_cast<int>(v);
}

bool ObjectReader::boolean(const char* key) {
    const auto* v = member(key);
    if (v == nullptr) {
        fail(key, "missing");
        return false;
    }
    if (!v->IsBool()) {
        fail(key, fmt::format("expected a boolean, got {}", json_type_name(*v)));
        return false;
    }
    return v->GetBool();
}

bool ObjectReader::boolean_or(const char* key, bool fallback) {
    const auto* v = member(key);
    if (v == nullptr || v->IsNull()) {
        return fallback;
    }
    if (!v->IsBool()) {
        fail(key, fmt::format("expected a boolean, got {}", json_type_name(*v)));
        return fallback;
    }
    return v->GetBool();
}

std::string ObjectReader::string(const char* key) {
    const auto* v = member(key);
    if (v == nullptr) {
        fail(key, "missing");
        return {};
    }
    if (!v->IsString()) {
        fail(key, fmt::format("expected a string, got {}", json_type_name(*v)));
        return {};
    }
    return std::string(v->GetString(), v->GetStringLength());
}

std::string ObjectReader::string_or(const char* key, std::string fallback) {
    const auto* v = member(key);
    if (v == nullptr || v->IsNull()) {
        return fallback;
    }
    if (!v->IsString()) {
        fail(key, fmt::format("expected a string, got {}", json_type_name(*v)));
        return fallback;
    }
    return std::string(v->GetString(), v->GetStringLength());
}

std::string ObjectReader::scalar_as_string_or(const char* key, std::string fallback) {
    const auto* v = member(key);
    if (v == nullptr || v->IsNull()) {
        return fallback;
    }
    if (v->IsString()) {
        return std::string(v->GetString(), v->GetStringLength());
    }
    int64_t n = 0;
    if (read_integer(*v, n)) {
        return std::to_string(n);
    }
    fail(key, fmt::format("expected a string or an integer, got {}", json_type_name(*v)));
    return fallback;
}

const rapidjson::Value* ObjectReader::object_or_null(const char* key) {
    const auto* v = member(key);
    if (v == nullptr || v->IsNull()) {
        return nullptr;
    }
    if (!v->IsObject()) {
        fail(key, fmt::format("expected an object, got {}", json_type_name(*v)));
        return nullptr;
    }
    return v;
}

const rapidjson::Value* ObjectReader::array_or_null(const char* key) {
    const auto* v = member(key);
    if (v == nullptr || v->IsNull()) {
        return nullptr;
    }
    if (!v->IsArray()) {
        fail(key, fmt::format("expected an array, got {}", json_type_name(*v)));
        return nullptr;
    }
    return v;
}

}  // namespace xuictl
