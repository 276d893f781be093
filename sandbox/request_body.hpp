#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <httplib.h>
#include <rapidjson/document.h>

#include "db.hpp"

namespace sandbox {

using FormValues = std::vector<std::pair<std::string, std::string>>;

// Lower-cased media type without parameters ("application/json").
[[nodiscard]] std::string media_type(const httplib::Request& req);

// application/x-www-form-urlencoded decoding (keys and values).
[[nodiscard]] FormValues parse_urlencoded(std::string_view text);

// c.PostForm(key): urlencoded or multipart body only.
[[nodiscard]] std::optional<std::string> post_form(const httplib::Request& req,
                                                   std::string_view key);

// A request body bound to named fields the way gin does it (§3.1, §4.2):
// JSON when Content-Type is application/json (or always, for
// ShouldBindJSON), otherwise the form (urlencoded / multipart body plus the
// query string; without a form body only the query string). Getters record
// the first type error with a Go-like text; absent or null fields yield the
// zero value.
class Binding {
public:
    enum class Mode { should_bind, json_only };

    Binding(const httplib::Request& req, Mode mode, std::string go_struct);

    [[nodiscard]] bool failed() const { return !m_error.empty(); }
    [[nodiscard]] const std::string& error() const { return m_error; }
    [[nodiscard]] bool is_json() const { return m_json; }
    [[nodiscard]] const rapidjson::Value* json_root() const {
        return m_json && !failed() ? &m_doc : nullptr;
    }

    std::string str(const char* key);
    std::int64_t i64(const char* key);
    int i32(const char* key);
    bool boolean(const char* key);
    std::vector<std::string> str_list(const char* key);
    std::vector<int> int_list(const char* key);
    // The raw JSON member (JSON bodies only), nullptr when absent.
    const rapidjson::Value* member(const char* key) const;

private:
    void type_error(const char* key, const rapidjson::Value& value, std::string_view go_type);
    std::optional<std::string> form_value(const char* key) const;

    bool m_json = false;
    rapidjson::Document m_doc;
    FormValues m_form;
    std::string m_struct;
    std::string m_error;
};

// The member `key` of a JSON object; nullptr when absent or not an object.
[[nodiscard]] const rapidjson::Value* find_member(const rapidjson::Value& object, const char* key);

// Decodes one model.Client JSON object (settings.clients[] entry or the v3
// client payload). Returns false with a Go-like error text.
bool client_from_json(const rapidjson::Value& value, Client& out, std::string& error);

// Parses a JSON text into `doc`; returns the Go encoding/json error text on failure.
[[nodiscard]] std::optional<std::string> parse_json_text(std::string_view text,
                                                         rapidjson::Document& doc);

}  // namespace sandbox

namespace sandbox {

// c.Query(key): the URL query string only (never the form body).
[[nodiscard]] std::optional<std::string> query_value(const httplib::Request& req,
                                                     std::string_view key);

}  // namespace sandbox
