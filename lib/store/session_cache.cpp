#include "store/session_cache.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <fmt/format.h>
#include <cerrno>
#include <cstdio>

#include "json/reader.hpp"
#include "store/files.hpp"

namespace xuictl {

SessionCache::SessionCache(std::string dir) : m_dir(std::move(dir)) {}

std::string SessionCache::path_for(const std::string& key) const {
    return path_join(m_dir, key + ".json");
}

std::optional<CachedSession> SessionCache::load(const std::string& key, const std::string& url,
                                                const std::string& username, int64_t now_ms) const {
    auto text = read_file(path_for(key));
    if (!text) {
        return std::nullopt;
    }
    auto doc = parse_json(*text, "session cache");
    if (!doc) {
        return std::nullopt;
    }
    Error error;
    ObjectReader r(doc.value(), "", error);
    CachedSession s;
    s.url = r.string("url");
    s.username = r.string_or("username", "");
    s.expires_ms = r.int64("expires_ms");
    s.state.csrf_token = r.string_or("csrf_token", "");
    if (const auto* cookies = r.object_or_null("cookies")) {
        for (const auto& m : cookies->GetObject()) {
            if (m.value.IsString()) {
                s.state.cookies[m.name.GetString()] = m.value.GetString();
            }
        }
    }
    if (const auto* caps = r.object_or_null("capabilities")) {
        ObjectReader c(*caps, "capabilities", error);
        Capabilities k;
        k.generation = c.string("api") == "v3" ? ApiGeneration::v3 : ApiGeneration::classic;
        k.version = Version::parse(c.string_or("version", ""));
        // The panel's own text: a dev build's "dev+02002dc1" is no version.
        k.version_text = c.string_or("version_text", k.version ? k.version->to_string() : "");
        s.capabilities = k;
    }
    if (const auto* slim = r.member("slim_list"); slim != nullptr && slim->IsBool()) {
        s.slim_list = slim->GetBool();
    }
    if (const auto* scope = r.member("token_scope"); scope != nullptr && scope->IsString()) {
        s.token_scope = token_scope_from(scope->GetString());
        s.scope_words = r.string_or("scope_words", "");
    }
    // A login without cookies is no session; a token run keeps only its scope.
    if (!error.message.empty() || s.url != url || s.username != username ||
        s.expires_ms <= now_ms || (s.state.cookies.empty() && !s.token_scope)) {
        return std::nullopt;
    }
    return s;
}

Status SessionCache::save(const std::string& key, const CachedSession& s) const {
    if (auto d = ensure_private_dir(m_dir); !d) {
        return d;
    }
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
    w.StartObject();
    w.Key("url");
    w.String(s.url.c_str());
    w.Key("username");
    w.String(s.username.c_str());
    w.Key("expires_ms");
    w.Int64(s.expires_ms);
    w.Key("csrf_token");
    w.String(s.state.csrf_token.c_str());
    w.Key("cookies");
    w.StartObject();
    for (const auto& [name, value] : s.state.cookies) {
        w.Key(name.c_str());
        w.String(value.c_str());
    }
    w.EndObject();
    if (s.capabilities) {
        w.Key("capabilities");
        w.StartObject();
        w.Key("api");
        w.String(to_string(s.capabilities->generation));
        w.Key("version");
        w.String(s.capabilities->version ? s.capabilities->version->to_string().c_str() : "");
        w.Key("version_text");
        w.String(s.capabilities->version_text.c_str());
        w.EndObject();
    }
    if (s.slim_list) {
        w.Key("slim_list");
        w.Bool(*s.slim_list);
    }
    if (s.token_scope) {
        w.Key("token_scope");
        w.String(to_string(*s.token_scope));
        w.Key("scope_words");
        w.String(s.scope_words.c_str());
    }
    w.EndObject();
    const std::string path = path_for(key);
    const std::string_view content(buffer.GetString(), buffer.GetSize());
    // A reused session usually comes back unchanged: skip the rewrite and its
    // two fsyncs, which every warm command would otherwise pay (bench/).
    if (auto existing = read_file(path); existing && existing.value() == content) {
        return ok_status();
    }
    return write_file_atomic(path, content);
}

Status SessionCache::remove(const std::string& key) const {
    const std::string path = path_for(key);
    if (std::remove(path.c_str()) != 0 && errno != ENOENT) {
        return make_error(ErrorKind::local, fmt::format("cannot delete '{}'", path));
    }
    return ok_status();
}

}  // namespace xuictl
