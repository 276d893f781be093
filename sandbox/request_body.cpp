#include "request_body.hpp"

#include <charconv>
#include <limits>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "util.hpp"

namespace sandbox {

namespace {

std::string_view json_type_name(const rapidjson::Value& v) {
    switch (v.GetType()) {
        case rapidjson::kNullType:
            return "null";
        case rapidjson::kFalseType:
        case rapidjson::kTrueType:
            return "bool";
        case rapidjson::kObjectType:
            return "object";
        case rapidjson::kArrayType:
            return "array";
        case rapidjson::kStringType:
            return "string";
        case rapidjson::kNumberType:
            return "number";
    }
    return "value";
}

// Typed access to the members of one JSON object, recording the first
// mismatch as encoding/json would word it.
class JsonFields {
public:
    JsonFields(const rapidjson::Value& object, std::string_view go_struct, std::string& error)
        : m_object(object), m_struct(go_struct), m_error(error) {}

    const rapidjson::Value* get(const char* key) const {
        const rapidjson::Value* value = find_member(m_object, key);
        return value == nullptr || value->IsNull() ? nullptr : value;
    }

    void mismatch(const char* key, const rapidjson::Value& value, std::string_view go_type) {
        if (!m_error.empty()) {
            return;
        }
        std::string what(json_type_name(value));
        if (value.IsNumber()) {
            rapidjson::StringBuffer sb;
            rapidjson::Writer<rapidjson::StringBuffer> w(sb);
            value.Accept(w);
            what += std::string(" ") + sb.GetString();
        }
        // UnmarshalTypeError names the struct without its package.
        const auto dot = m_struct.rfind('.');
        const std::string_view short_name =
            dot == std::string_view::npos ? m_struct : m_struct.substr(dot + 1);
        m_error = "json: cannot unmarshal " + what + " into Go struct field " +
                  std::string(short_name) + "." + key + " of type " + std::string(go_type);
    }

    std::string str(const char* key) {
        const rapidjson::Value* v = get(key);
        if (v == nullptr) {
            return {};
        }
        if (!v->IsString()) {
            mismatch(key, *v, "string");
            return {};
        }
        return std::string(v->GetString(), v->GetStringLength());
    }

    std::int64_t i64(const char* key) {
        const rapidjson::Value* v = get(key);
        if (v == nullptr) {
            return 0;
        }
        if (!v->IsInt64()) {
            mismatch(key, *v, "int64");
            return 0;
        }
        return v->GetInt64();
    }

    int i32(const char* key) {
        const rapidjson::Value* v = get(key);
        if (v == nullptr) {
            return 0;
        }
        if (!v->IsInt()) {
            mismatch(key, *v, "int");
            return 0;
        }
        return v->GetInt();
    }

    bool boolean(const char* key) {
        const rapidjson::Value* v = get(key);
        if (v == nullptr) {
            return false;
        }
        if (!v->IsBool()) {
            mismatch(key, *v, "bool");
            return false;
        }
        return v->GetBool();
    }

    template <class T, class Pred, class Get>
    std::vector<T> list(const char* key, std::string_view go_type, Pred ok, Get get_value) {
        std::vector<T> out;
        const rapidjson::Value* v = get(key);
        if (v == nullptr) {
            return out;
        }
        if (!v->IsArray()) {
            mismatch(key, *v, go_type);
            return out;
        }
        for (const auto& item : v->GetArray()) {
            if (!ok(item)) {
                mismatch(key, item, go_type.substr(2));
                return {};
            }
            out.push_back(get_value(item));
        }
        return out;
    }

private:
    const rapidjson::Value& m_object;
    std::string_view m_struct;
    std::string& m_error;
};

std::optional<std::int64_t> parse_go_int(std::string_view text) {
    std::int64_t value = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || ptr != text.data() + text.size()) {
        return std::nullopt;
    }
    return value;
}

std::optional<bool> parse_go_bool(std::string_view text) {
    if (text == "1" || text == "t" || text == "T" || text == "true" || text == "TRUE" ||
        text == "True") {
        return true;
    }
    if (text.empty() || text == "0" || text == "f" || text == "F" || text == "false" ||
        text == "FALSE" || text == "False") {
        return false;
    }
    return std::nullopt;
}

std::string raw_query(const httplib::Request& req) {
    const auto q = req.target.find('?');
    return q == std::string::npos ? std::string() : req.target.substr(q + 1);
}

}  // namespace

std::string media_type(const httplib::Request& req) {
    std::string type = req.get_header_value("Content-Type");
    const auto semi = type.find(';');
    if (semi != std::string::npos) {
        type.resize(semi);
    }
    while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) {
        type.pop_back();
    }
    return to_lower(type);
}

FormValues parse_urlencoded(std::string_view text) {
    FormValues out;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        auto amp = text.find('&', pos);
        if (amp == std::string_view::npos) {
            amp = text.size();
        }
        const std::string_view pair = text.substr(pos, amp - pos);
        if (!pair.empty()) {
            const auto eq = pair.find('=');
            const std::string_view key = pair.substr(0, eq);
            const std::string_view value =
                eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
            out.emplace_back(url_decode(key, true), url_decode(value, true));
        }
        pos = amp + 1;
    }
    return out;
}

std::optional<std::string> post_form(const httplib::Request& req, std::string_view key) {
    const std::string type = media_type(req);
    if (type == "application/x-www-form-urlencoded") {
        for (auto& [k, v] : parse_urlencoded(req.body)) {
            if (k == key) {
                return v;
            }
        }
    } else if (type == "multipart/form-data") {
        const auto it = req.files.find(std::string(key));
        if (it != req.files.end() && it->second.filename.empty()) {
            return it->second.content;
        }
    }
    return std::nullopt;
}

std::optional<std::string> parse_json_text(std::string_view text, rapidjson::Document& doc) {
    doc.Parse(text.data(), text.size());
    if (!doc.HasParseError()) {
        return std::nullopt;
    }
    if (doc.GetParseError() == rapidjson::kParseErrorDocumentEmpty) {
        return std::string("EOF");  // json.Decoder on an empty body
    }
    const std::size_t offset = doc.GetErrorOffset();
    if (offset >= text.size()) {
        return std::string("unexpected EOF");
    }
    return std::string("invalid character '") + text[offset] + "' looking for beginning of value";
}

Binding::Binding(const httplib::Request& req, Mode mode, std::string go_struct)
    : m_struct(std::move(go_struct)) {
    const std::string type = media_type(req);
    m_json = mode == Mode::json_only || type == "application/json";
    if (m_json) {
        if (auto err = parse_json_text(req.body, m_doc)) {
            m_error = *err;
        } else if (!m_doc.IsObject()) {
            m_error = "json: cannot unmarshal " + std::string(json_type_name(m_doc)) +
                      " into Go value of type " + m_struct;
        }
        return;
    }
    // gin form binding reads req.Form: the form body (if any) plus the query string.
    if (type == "application/x-www-form-urlencoded") {
        m_form = parse_urlencoded(req.body);
    } else if (type == "multipart/form-data") {
        for (const auto& [name, part] : req.files) {
            if (part.filename.empty()) {
                m_form.emplace_back(name, part.content);
            }
        }
    }
    for (auto& kv : parse_urlencoded(raw_query(req))) {
        m_form.push_back(std::move(kv));
    }
}

std::optional<std::string> Binding::form_value(const char* key) const {
    for (const auto& [k, v] : m_form) {
        if (k == key) {
            return v;
        }
    }
    return std::nullopt;
}

const rapidjson::Value* Binding::member(const char* key) const {
    if (!m_json || failed()) {
        return nullptr;
    }
    return find_member(m_doc, key);
}

std::string Binding::str(const char* key) {
    if (failed()) {
        return {};
    }
    if (m_json) {
        return JsonFields(m_doc, m_struct, m_error).str(key);
    }
    return form_value(key).value_or(std::string());
}

std::int64_t Binding::i64(const char* key) {
    if (failed()) {
        return 0;
    }
    if (m_json) {
        return JsonFields(m_doc, m_struct, m_error).i64(key);
    }
    const auto text = form_value(key);
    if (!text || text->empty()) {
        return 0;
    }
    if (const auto value = parse_go_int(*text)) {
        return *value;
    }
    m_error = "strconv.ParseInt: parsing \"" + *text + "\": invalid syntax";
    return 0;
}

int Binding::i32(const char* key) {
    const std::int64_t value = i64(key);
    if (value < std::numeric_limits<int>::min() || value > std::numeric_limits<int>::max()) {
        m_error = "value out of range";
        return 0;
    }
    return static_cast<int>(value);
}

bool Binding::boolean(const char* key) {
    if (failed()) {
        return false;
    }
    if (m_json) {
        return JsonFields(m_doc, m_struct, m_error).boolean(key);
    }
    const auto text = form_value(key);
    if (!text) {
        return false;
    }
    if (const auto value = parse_go_bool(*text)) {
        return *value;
    }
    m_error = "strconv.ParseBool: parsing \"" + *text + "\": invalid syntax";
    return false;
}

std::vector<std::string> Binding::str_list(const char* key) {
    if (failed()) {
        return {};
    }
    if (m_json) {
        return JsonFields(m_doc, m_struct, m_error)
            .list<std::string>(
                key, "[]string", [](const rapidjson::Value& v) { return v.IsString(); },
                [](const rapidjson::Value& v) {
                    return std::string(v.GetString(), v.GetStringLength());
                });
    }
    std::vector<std::string> out;
    for (const auto& [k, v] : m_form) {
        if (k == key) {
            out.push_back(v);
        }
    }
    return out;
}

std::vector<int> Binding::int_list(const char* key) {
    if (failed()) {
        return {};
    }
    if (m_json) {
        return JsonFields(m_doc, m_struct, m_error)
            .list<int>(
                key, "[]int", [](const rapidjson::Value& v) { return v.IsInt(); },
                [](const rapidjson::Value& v) { return v.GetInt(); });
    }
    std::vector<int> out;
    for (const auto& [k, v] : m_form) {
        if (k == key) {
            const auto value = parse_go_int(v);
            if (!value) {
                m_error = "strconv.ParseInt: parsing \"" + v + "\": invalid syntax";
                return {};
            }
            out.push_back(static_cast<int>(*value));
        }
    }
    return out;
}

const rapidjson::Value* find_member(const rapidjson::Value& object, const char* key) {
    if (!object.IsObject()) {
        return nullptr;
    }
    const auto it = object.FindMember(key);
    return it == object.MemberEnd() ? nullptr : &it->value;
}

bool client_from_json(const rapidjson::Value& value, Client& out, std::string& error) {
    if (!value.IsObject()) {
        error = "json: cannot unmarshal " + std::string(json_type_name(value)) +
                " into Go value of type model.Client";
        return false;
    }
    JsonFields f(value, "model.Client", error);
    out.uuid = f.str("id");
    out.security = f.str("security");
    out.password = f.str("password");
    out.flow = f.str("flow");
    out.email = f.str("email");
    out.limit_ip = f.i32("limitIp");
    out.total_gb = f.i64("totalGB");
    out.expiry_time = f.i64("expiryTime");
    out.enable = f.boolean("enable");
    out.tg_id = f.i64("tgId");
    out.sub_id = f.str("subId");
    out.comment = f.str("comment");
    out.reset = f.i32("reset");
    // After v3.6.0 every omitted field takes its default: a full replacement
    // (internal/web/service/client_crud.go:48-58,80-85,424-433,604; D14).
    out.reset_day = f.i32("resetDay");
    out.reset_max = f.i32("resetMax");
    out.limit_hwid = f.i32("limitHwid");
    out.traffic_reset = f.str("trafficReset");
    if (out.traffic_reset.empty()) {
        out.traffic_reset = "never";
    }
    out.traffic_reset_day = f.i32("trafficResetDay");
    if (out.traffic_reset_day == 0) {
        out.traffic_reset_day = 1;
    }
    out.created_at = f.i64("created_at");
    out.updated_at = f.i64("updated_at");
    return error.empty();
}

}  // namespace sandbox

namespace sandbox {

std::optional<std::string> query_value(const httplib::Request& req, std::string_view key) {
    const auto q = req.target.find('?');
    if (q == std::string::npos) {
        return std::nullopt;
    }
    for (auto& [k, v] : parse_urlencoded(std::string_view(req.target).substr(q + 1))) {
        if (k == key) {
            return v;
        }
    }
    return std::nullopt;
}

}  // namespace sandbox
