#include "request_log.hpp"

#include <stdexcept>

#include <unistd.h>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "request_body.hpp"

namespace sandbox {

namespace {

constexpr std::string_view k_redacted = "<redacted>";

bool is_secret_key(std::string_view key) {
    return key == "password" || key == "twoFactorCode" || key == "_csrf" || key == "token" ||
           key == "loginSecret";
}

// Replaces secret-keyed values in objects (recursively through objects and arrays).
bool redact_json(rapidjson::Value& value, rapidjson::Document::AllocatorType& alloc) {
    bool changed = false;
    if (value.IsObject()) {
        // Indexed access: comparing RapidJSON 1.1 member iterators is ambiguous in C++20.
        const auto members = value.MemberBegin();
        for (rapidjson::SizeType i = 0; i < value.MemberCount(); ++i) {
            auto& member = members[static_cast<std::ptrdiff_t>(i)];
            const std::string_view key(member.name.GetString(), member.name.GetStringLength());
            if (is_secret_key(key)) {
                member.value.SetString(k_redacted.data(),
                                       static_cast<rapidjson::SizeType>(k_redacted.size()), alloc);
                changed = true;
            } else {
                changed = redact_json(member.value, alloc) || changed;
            }
        }
    } else if (value.IsArray()) {
        for (auto& item : value.GetArray()) {
            changed = redact_json(item, alloc) || changed;
        }
    }
    return changed;
}

bool mentions_secret(std::string_view body) {
    for (std::string_view key : {"password", "twoFactorCode", "_csrf", "token", "loginSecret"}) {
        if (body.find(key) != std::string_view::npos) {
            return true;
        }
    }
    return false;
}

void put(rapidjson::Writer<rapidjson::StringBuffer>& w, const char* key, std::string_view value) {
    w.Key(key);
    w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

}  // namespace

std::string redact_body(std::string_view route, std::string_view raw_path,
                        const httplib::Request& req) {
    const std::string& body = req.body;
    if (route == "login" || raw_path.ends_with("/login")) {
        return body.empty() ? std::string() : std::string(k_redacted);
    }
    if (!mentions_secret(body)) {
        return body;
    }
    rapidjson::Document doc;
    if (!parse_json_text(body, doc)) {
        if (!redact_json(doc, doc.GetAllocator())) {
            return body;
        }
        rapidjson::StringBuffer sb;
        rapidjson::Writer<rapidjson::StringBuffer> w(sb);
        doc.Accept(w);
        return std::string(sb.GetString(), sb.GetSize());
    }
    if (media_type(req) == "application/x-www-form-urlencoded") {
        std::string out;
        for (auto& [key, value] : parse_urlencoded(body)) {
            out += (out.empty() ? "" : "&") + key + "=" +
                   (is_secret_key(key) ? std::string(k_redacted) : value);
        }
        return out;
    }
    return std::string(k_redacted);  // unknown encoding that mentions a secret
}

RequestLog::RequestLog(const std::string& file) {
    if (!file.empty()) {
        m_file = std::fopen(file.c_str(), "a");
        if (m_file == nullptr) {
            throw std::runtime_error("cannot open request log " + file);
        }
    }
}

RequestLog::~RequestLog() {
    if (m_file != nullptr) {
        std::fclose(m_file);
    }
}

void RequestLog::append(const RequestLogEntry& e) {
    std::lock_guard lock(m_mutex);
    rapidjson::StringBuffer sb;
    rapidjson::Writer<rapidjson::StringBuffer> w(sb);
    w.StartObject();
    w.Key("seq");
    w.Uint64(++m_seq);
    put(w, "method", e.method);
    put(w, "path", e.path);
    put(w, "query", e.query);
    w.Key("status");
    w.Int(e.status);
    put(w, "auth", e.auth);
    w.Key("csrf");
    w.Bool(e.csrf);
    put(w, "route", e.route);
    put(w, "body", e.body);
    w.EndObject();
    m_lines.emplace_back(sb.GetString(), sb.GetSize());
    if (m_file != nullptr) {
        std::fwrite(sb.GetString(), 1, sb.GetSize(), m_file);
        std::fputc('\n', m_file);
        std::fflush(m_file);
    }
}

std::string RequestLog::to_json_array() const {
    std::lock_guard lock(m_mutex);
    std::string out = "[";
    for (std::size_t i = 0; i < m_lines.size(); ++i) {
        out += (i == 0 ? "" : ",");
        out += m_lines[i];
    }
    out += "]";
    return out;
}

void RequestLog::clear() {
    std::lock_guard lock(m_mutex);
    m_lines.clear();
    if (m_file != nullptr) {
        std::fflush(m_file);
        if (::ftruncate(::fileno(m_file), 0) != 0) {
            // The in-memory log is cleared regardless; a stale file is only cosmetic.
        }
    }
}

}  // namespace sandbox
