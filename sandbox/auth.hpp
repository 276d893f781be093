#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <httplib.h>

#include "version.hpp"

namespace sandbox {

// Server-side session (the real panel keeps it in a signed cookie, §3.2;
// an opaque id plus this record behaves the same for a client).
struct Session {
    std::string csrf_token;  // v3.0.0+: created by GET csrf-token, kept across login (§3.1)
    bool logged_in = false;
    std::int64_t expires_ms = 0;
};

// Session cookie attributes by version (§3.2).
struct CookieSpec {
    std::string name;  // "session" <= v2.3.7, "3x-ui" after
    std::string path;  // "/" before v2.9.0, the base path after
    bool http_only = false;
    bool same_site_lax = false;  // v2.8.0+
    bool secure = false;         // HEAD with direct TLS
    std::int64_t max_age_s = 0;  // sessionMaxAge (360 min) * 60
};

[[nodiscard]] CookieSpec cookie_spec_for(PanelVersion version, const std::string& base_path,
                                         bool tls);

// Set-Cookie value in Go http.Cookie order; `max_age_s < 0` deletes the cookie.
[[nodiscard]] std::string set_cookie_value(const CookieSpec& spec, std::string_view value,
                                           std::int64_t max_age_s, std::int64_t now_ms);

// First cookie named `name` in the Cookie header(s) (Go's r.Cookie).
[[nodiscard]] std::optional<std::string> request_cookie(const httplib::Request& req,
                                                        std::string_view name);

// getRemoteIp (controller/util.go): X-Real-IP / X-Forwarded-For are honoured
// only when the peer is a trusted proxy (default 127.0.0.1/32, ::1/128).
[[nodiscard]] std::string client_ip(const httplib::Request& req);

class SessionStore {
public:
    explicit SessionStore(std::int64_t lifetime_ms) : m_lifetime_ms(lifetime_ms) {}

    // The live session for a cookie value, or nullptr (expired ones are dropped).
    Session* find(const std::string& id, std::int64_t now);
    // A new empty session; returns its id (the cookie value).
    std::string create(std::int64_t now);
    // Moves `old_id`'s data (if any) to a fresh id, as a login re-issues the cookie.
    std::string rotate(const std::string& old_id, std::int64_t now);
    void erase(const std::string& id) { m_sessions.erase(id); }
    void clear() { m_sessions.clear(); }
    [[nodiscard]] std::int64_t lifetime_ms() const { return m_lifetime_ms; }

private:
    std::int64_t m_lifetime_ms;
    std::unordered_map<std::string, Session> m_sessions;
};

// login_limiter.go: 5 failures in 5 minutes per (ip, lower(username)) block
// that pair for 15 minutes (§3.1).
class LoginLimiter {
public:
    [[nodiscard]] bool allow(const std::string& ip, std::string_view username, std::int64_t now);
    void register_failure(const std::string& ip, std::string_view username, std::int64_t now);
    void register_success(const std::string& ip, std::string_view username);

private:
    struct Record {
        std::deque<std::int64_t> failures;
        std::int64_t blocked_until = 0;
    };
    static std::string key(const std::string& ip, std::string_view username);
    std::unordered_map<std::string, Record> m_records;
};

// Credentials and secrets of the emulated admin user.
struct Credentials {
    std::string username;
    std::string password;
    std::optional<std::vector<unsigned char>> totp_key;  // 2FA enabled when set
    std::optional<std::string> api_token;
    std::string token_scope = "admin";
    std::optional<std::int64_t> token_expires_ms;  // unix ms; unset = never
};

// enforceTokenScope (internal/web/controller/api.go:76-153, after v3.6.0):
// whether a token of `scope` may call `method` on the route `pattern`
// (relative to the base path, e.g. "panel/api/inbounds/list"). admin passes
// everything; monitor and node-sync only their allow-lists; anything else
// is denied.
[[nodiscard]] bool scope_allows(std::string_view scope, std::string_view method,
                                std::string_view pattern);

// UserService.CheckUser: password, then (if enabled) the exact current TOTP code.
[[nodiscard]] bool check_user(const Credentials& creds, std::string_view username,
                              std::string_view password, std::string_view two_factor_code,
                              std::int64_t now_ms);

// Constant-time Bearer token comparison.
[[nodiscard]] bool token_matches(const Credentials& creds, std::string_view presented,
                                 std::int64_t now_ms);

}  // namespace sandbox
