#include "auth.hpp"

#include <algorithm>

#include <arpa/inet.h>

#include <fmt/format.h>
#include <openssl/crypto.h>

#include "totp.hpp"
#include "util.hpp"

namespace sandbox {

namespace {

constexpr std::int64_t k_limit_window_ms = 5 * 60 * 1000;
constexpr std::int64_t k_limit_cooldown_ms = 15 * 60 * 1000;
constexpr std::size_t k_limit_max_failures = 5;

// Returns the canonical textual IP if `text` is an IPv4/IPv6 address
// (optionally bracketed or with a port), IPv4-mapped IPv6 unmapped.
std::optional<std::string> parse_ip(std::string_view raw) {
    std::string text = trim(raw);
    if (!text.empty() && text.front() == '[') {
        const auto close = text.find(']');
        if (close == std::string::npos) {
            return std::nullopt;
        }
        text = text.substr(1, close - 1);
    } else if (std::count(text.begin(), text.end(), ':') == 1) {
        text.resize(text.find(':'));  // host:port
    }
    if (text.rfind("::ffff:", 0) == 0 && text.find('.') != std::string::npos) {
        text = text.substr(7);
    }
    unsigned char buf[16];
    if (inet_pton(AF_INET, text.c_str(), buf) == 1 || inet_pton(AF_INET6, text.c_str(), buf) == 1) {
        return text;
    }
    return std::nullopt;
}

}  // namespace

CookieSpec cookie_spec_for(PanelVersion v, const std::string& base_path, bool tls) {
    CookieSpec spec;
    spec.name = v >= PanelVersion{2, 3, 8} ? "3x-ui" : "session";
    spec.path = v >= PanelVersion{2, 9, 0} ? base_path : "/";
    spec.http_only = v >= PanelVersion{2, 3, 8};
    spec.same_site_lax = v >= PanelVersion{2, 8, 0};
    spec.secure = tls && v >= PanelVersion{3, 1, 0};
    spec.max_age_s = 360LL * 60;
    return spec;
}

std::string set_cookie_value(const CookieSpec& spec, std::string_view value, std::int64_t max_age_s,
                             std::int64_t now_ms) {
    // gorilla/sessions sets Expires alongside Max-Age; Go prints Max-Age=0 for negatives.
    std::string out = fmt::format("{}={}; Path={}", spec.name, value, spec.path);
    if (max_age_s > 0) {
        out += fmt::format("; Expires={}; Max-Age={}", http_date(now_ms / 1000 + max_age_s),
                           max_age_s);
    } else if (max_age_s < 0) {
        out += fmt::format("; Expires={}; Max-Age=0", http_date(1));
    }
    if (spec.http_only) {
        out += "; HttpOnly";
    }
    if (spec.secure) {
        out += "; Secure";
    }
    if (spec.same_site_lax) {
        out += "; SameSite=Lax";
    }
    return out;
}

std::optional<std::string> request_cookie(const httplib::Request& req, std::string_view name) {
    const std::size_t count = req.get_header_value_count("Cookie");
    for (std::size_t i = 0; i < count; ++i) {
        const std::string header = req.get_header_value("Cookie", i);
        std::size_t pos = 0;
        while (pos < header.size()) {
            auto semi = header.find(';', pos);
            if (semi == std::string::npos) {
                semi = header.size();
            }
            const std::string part = trim(std::string_view(header).substr(pos, semi - pos));
            const auto eq = part.find('=');
            if (eq != std::string::npos && part.substr(0, eq) == name) {
                std::string value = part.substr(eq + 1);
                if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
                    value = value.substr(1, value.size() - 2);
                }
                return value;
            }
            pos = semi + 1;
        }
    }
    return std::nullopt;
}

std::string client_ip(const httplib::Request& req) {
    const auto peer = parse_ip(req.remote_addr);
    if (!peer) {
        return "unknown";
    }
    if (*peer == "127.0.0.1" || *peer == "::1") {
        if (const auto ip = parse_ip(req.get_header_value("X-Real-IP"))) {
            return *ip;
        }
        const std::string xff = req.get_header_value("X-Forwarded-For");
        std::size_t pos = 0;
        while (pos < xff.size()) {
            auto comma = xff.find(',', pos);
            if (comma == std::string::npos) {
                comma = xff.size();
            }
            if (const auto ip = parse_ip(std::string_view(xff).substr(pos, comma - pos))) {
                return *ip;
            }
            pos = comma + 1;
        }
    }
    return *peer;
}

Session* SessionStore::find(const std::string& id, std::int64_t now) {
    const auto it = m_sessions.find(id);
    if (it == m_sessions.end()) {
        return nullptr;
    }
    if (it->second.expires_ms <= now) {
        m_sessions.erase(it);
        return nullptr;
    }
    return &it->second;
}

std::string SessionStore::create(std::int64_t now) {
    std::string id = random_token(32);
    m_sessions[id] = Session{{}, false, now + m_lifetime_ms};
    return id;
}

std::string SessionStore::rotate(const std::string& old_id, std::int64_t now) {
    Session data;
    if (const Session* old = find(old_id, now)) {
        data = *old;
        m_sessions.erase(old_id);
    }
    data.expires_ms = now + m_lifetime_ms;
    std::string id = random_token(32);
    m_sessions[id] = std::move(data);
    return id;
}

std::string LoginLimiter::key(const std::string& ip, std::string_view username) {
    return trim(ip) + '\0' + to_lower(trim(username));
}

bool LoginLimiter::allow(const std::string& ip, std::string_view username, std::int64_t now) {
    const auto it = m_records.find(key(ip, username));
    if (it == m_records.end()) {
        return true;
    }
    Record& rec = it->second;
    if (now < rec.blocked_until) {
        return false;
    }
    rec.blocked_until = 0;
    while (!rec.failures.empty() && rec.failures.front() < now - k_limit_window_ms) {
        rec.failures.pop_front();
    }
    if (rec.failures.empty()) {
        m_records.erase(it);
    }
    return true;
}

void LoginLimiter::register_failure(const std::string& ip, std::string_view username,
                                    std::int64_t now) {
    Record& rec = m_records[key(ip, username)];
    while (!rec.failures.empty() && rec.failures.front() < now - k_limit_window_ms) {
        rec.failures.pop_front();
    }
    rec.failures.push_back(now);
    if (rec.failures.size() >= k_limit_max_failures) {
        rec.failures.clear();
        rec.blocked_until = now + k_limit_cooldown_ms;
    }
}

void LoginLimiter::register_success(const std::string& ip, std::string_view username) {
    m_records.erase(key(ip, username));
}

bool check_user(const Credentials& creds, std::string_view username, std::string_view password,
                std::string_view two_factor_code, std::int64_t now_ms) {
    if (username != creds.username || password.size() != creds.password.size() ||
        CRYPTO_memcmp(password.data(), creds.password.data(), password.size()) != 0) {
        return false;
    }
    if (creds.totp_key) {
        return two_factor_code == totp_code(*creds.totp_key, now_ms / 1000);
    }
    return true;
}

bool token_matches(const Credentials& creds, std::string_view presented, std::int64_t now_ms) {
    if (!creds.api_token || creds.api_token->empty() ||
        presented.size() != creds.api_token->size()) {
        return false;
    }
    // service/panel/api_token.go:249: an expired token matches nothing.
    if (creds.token_expires_ms && now_ms >= *creds.token_expires_ms) {
        return false;
    }
    return CRYPTO_memcmp(presented.data(), creds.api_token->data(), presented.size()) == 0;
}

bool scope_allows(std::string_view scope, std::string_view method, std::string_view pattern) {
    if (scope == "admin") {
        return true;
    }
    constexpr std::string_view api = "panel/api";
    if (!pattern.starts_with(api)) {
        return false;
    }
    const std::string_view rel = pattern.substr(api.size());
    if (scope == "monitor") {  // api.go:76-87, GET/HEAD only
        static constexpr std::string_view allowed[] = {
            "/server/status",
            "/server/cpuHistory/:bucket",
            "/server/history/:metric/:bucket",
            "/server/xrayMetricsState",
            "/server/xrayMetricsHistory/:metric/:bucket",
            "/server/xrayObservatory",
            "/server/xrayObservatoryHistory/:tag/:bucket",
            "/server/getXrayVersion",
            "/server/getPanelUpdateInfo",
            "/nodes/history/:id/:metric/:bucket",
        };
        return (method == "GET" || method == "HEAD") &&
               std::find(std::begin(allowed), std::end(allowed), rel) != std::end(allowed);
    }
    if (scope == "node-sync") {  // api.go:91-114
        struct Allowed {
            std::string_view method;
            std::string_view rel;
        };
        static constexpr Allowed allowed[] = {
            {"GET", "/server/status"},
            {"GET", "/inbounds/list"},
            {"POST", "/inbounds/add"},
            {"POST", "/inbounds/del/:id"},
            {"POST", "/inbounds/update/:id"},
            {"POST", "/clients/add"},
            {"POST", "/clients/del/:email"},
            {"POST", "/clients/:email/detach"},
            {"POST", "/clients/update/:email"},
            {"POST", "/server/restartXrayService"},
            {"GET", "/server/getWebCertFiles"},
            {"GET", "/server/descendants"},
            {"POST", "/clients/resetTraffic/:email"},
            {"POST", "/inbounds/resetAllTraffics"},
            {"POST", "/inbounds/:id/resetTraffic"},
            {"POST", "/clients/onlinesByGuid"},
            {"POST", "/clients/onlines"},
            {"POST", "/clients/lastOnline"},
            {"POST", "/inbounds/pushClientTraffics"},
            {"GET", "/server/clientIps"},
            {"POST", "/server/clientIps"},
            {"POST", "/clients/clientIpsByGuid"},
            {"GET", "/hosts/list"},
        };
        return std::any_of(std::begin(allowed), std::end(allowed),
                           [&](const Allowed& a) { return a.method == method && a.rel == rel; });
    }
    return false;  // api.go:149-151: an unknown scope is denied
}

}  // namespace sandbox
