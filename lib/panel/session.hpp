#pragma once

#include <rapidjson/document.h>

#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "json/events.hpp"
#include "net/http_transport.hpp"
#include "net/url.hpp"
#include "util/result.hpp"

namespace xuictl {

// Supplies a secret only when it is needed (a prompt, a file); an Error
// aborts the login before any login request is sent.
using SecretSource = std::function<Result<std::string>()>;

// How to prove who we are. With a token no login request is ever sent.
// Sources are asked lazily, so a cached session never prompts.
struct Credentials {
    std::string username;
    std::string password;
    std::string totp_code;         // 2FA code for this login, if the panel wants one
    std::string token;             // API bearer token (v3.0.0+ panels)
    SecretSource password_source;  // used when password is empty
    SecretSource totp_source;      // used when the panel has 2FA on and totp_code is empty
};

// What a session cache needs to resume without logging in (issue: sessions).
struct SessionState {
    std::map<std::string, std::string> cookies;
    std::string csrf_token;

    bool operator==(const SessionState&) const = default;
};

// A conversation with one panel: cookie jar, CSRF token, bearer token, and the
// rule "on an unauthenticated answer, log in again once and retry once, never
// loop" (the panel locks out after 5 failed logins, 3x-ui-api.md §3.1) — for
// reads and probes only: a write (call() with a method other than GET) is
// sent at most once, and its unauthenticated answer is a clear refusal.
class Session {
public:
    Session(HttpTransport& transport, PanelUrl url, Credentials credentials);

    // Calls route (relative to the base path, e.g. "panel/api/inbounds/list"),
    // logging in first when needed, and returns the parsed envelope after
    // checking "success". `what` names the operation in errors ("inbound list").
    // An empty json_body sends no body; a POST with a body sends JSON.
    Result<rapidjson::Document> call(std::string_view method, std::string_view route,
                                     std::string_view what, std::string json_body = {});

    // Like call(), but a 404 answer after a valid login is returned as
    // not_found instead of an error with advice (used by capability probes).
    Result<rapidjson::Document> probe(std::string_view method, std::string_view route,
                                      std::string_view what, std::string json_body = {});

    // Like call(), but the envelope's "obj" goes to `obj_events` while the body
    // streams in, instead of into a document: a 100 000-client list (50 MB)
    // is never held whole. The Errors are call()'s; a decoding problem is
    // obj_events' stop_reason().
    // With `is_probe`, a 404 after a fresh login is not_found, as probe().
    Status call_streamed(std::string_view method, std::string_view route, std::string_view what,
                         JsonEvents& obj_events, bool is_probe = false);

    // Logs in now (CSRF token first on v3.0.0+). A refusal is an auth Error.
    Status login();
    // Logs out on the panel (best effort) and forgets the cookie.
    Status logout();

    bool uses_token() const { return !m_credentials.token.empty(); }
    bool has_session() const { return !m_cookies.empty(); }
    // The panel handed out a CSRF token at login: v3.0.0 or newer (§3.6).
    bool has_csrf_token() const { return !m_csrf_token.empty(); }
    const PanelUrl& url() const { return m_url; }
    int login_requests() const { return m_login_requests; }
    // True when the panel refused a login of this session (wrong user,
    // password or 2FA code, or a lockout: the panel says the same for all).
    bool login_refused() const { return m_login_refused; }
    // The panel's message of the last 403 a token's scope got in this run
    // ("this API token is not permitted to access this endpoint"), "" if none.
    const std::string& last_scope_refusal() const { return m_scope_refusal; }

    SessionState state() const { return SessionState{m_cookies, m_csrf_token}; }
    void restore(SessionState state);

private:
    // An API answer that is a 200 with a JSON body, not yet read, and the
    // "METHOD /path: HTTP 200" that errors about it name.
    struct Answer {
        HttpStream stream;
        std::string where;
    };

    Result<HttpResponse> send(std::string_view method, std::string_view route,
                              const std::string& body, std::string_view content_type);
    Result<HttpStream> open(std::string_view method, std::string_view route,
                            const std::string& body, std::string_view content_type);
    // Sends an API request (logging in first when needed, and once more when
    // the session turns out expired) and returns the answer once it is known
    // to be JSON; every other answer becomes its Error.
    Result<Answer> exchange(std::string_view method, std::string_view route, std::string_view what,
                            const std::string& json_body, bool is_probe);
    Result<rapidjson::Document> call_impl(std::string_view method, std::string_view route,
                                          std::string_view what, const std::string& json_body,
                                          bool is_probe);
    Status fetch_csrf_token();
    // Asks the panel whether 2FA is on (POST getTwoFactorEnable, v2.6.0+);
    // false when the route does not exist.
    Result<bool> two_factor_enabled();
    Error token_rejected(std::string_view method, std::string_view route, std::string_view what,
                         long status);
    void absorb_cookies(const HttpResponse& response);
    std::string cookie_header() const;

    HttpTransport& m_transport;
    PanelUrl m_url;
    Credentials m_credentials;
    std::map<std::string, std::string> m_cookies;
    std::string m_csrf_token;
    bool m_csrf_checked = false;  // asked the panel for a CSRF token already
    int m_login_requests = 0;
    bool m_login_refused = false;
    std::string m_scope_refusal;
    bool m_fresh_login = false;  // logged in, no API request sent since
};

// The response says "you are not logged in" in one of the ways §3.5 lists:
// 401, 404 with an empty body, a 30x redirect, or the HTML login page.
bool looks_unauthenticated(const HttpResponse& response);

// Checks an API envelope {success,msg,obj}: success:false becomes an api
// Error with the panel's message (trailing newline trimmed) and `where`.
Result<rapidjson::Document> decode_envelope(const HttpResponse& response, std::string_view what,
                                            const std::string& where);

}  // namespace xuictl
