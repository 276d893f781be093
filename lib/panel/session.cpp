#include "panel/session.hpp"

#include <fmt/format.h>
#include <optional>
#include <utility>

#include "json/reader.hpp"
#include "json/stream_parse.hpp"
#include "panel/envelope.hpp"

namespace xuictl {
namespace {

constexpr int kStatusOk = 200;

bool is_html(const HttpResponse& r) {
    if (r.header("content-type").find("text/html") != std::string::npos) {
        return true;
    }
    const auto first = r.body.find_first_not_of(" \t\r\n");
    return first != std::string::npos && r.body.compare(first, 1, "<") == 0;
}

std::string trim(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) {
        s.pop_back();
    }
    while (!s.empty() && s.front() == ' ') {
        s.erase(s.begin());
    }
    return s;
}

// The panel's message on one line: 3x-ui wraps Go errors that end in "\n"
// ("Something went wrong (database is locked\n)"), which would split ours.
std::string one_line(const std::string& text) {
    std::string out;
    for (char c : trim(text)) {
        const bool space = c == '\n' || c == '\r' || c == '\t';
        if (!space) {
            out += c;
        } else if (!out.empty() && out.back() != ' ') {
            out += ' ';
        }
    }
    // "locked\n)" became "locked )": no space before a closing bracket.
    for (size_t i = out.find(" )"); i != std::string::npos; i = out.find(" )", i)) {
        out.erase(i, 1);
    }
    return out;
}

std::string route_path(const PanelUrl& url, std::string_view route) {
    return url.base_path() + std::string(route);
}

Error base_path_error(const PanelUrl& url, std::string_view route) {
    Error e =
        make_error(ErrorKind::http,
                   fmt::format("the panel answered 404 Not Found for {}", route_path(url, route)),
                   "check --url: a wrong web base path looks exactly like 404; copy the "
                   "panel address from the browser, e.g. https://host:2053/secretpath/");
    e.where = fmt::format("POST {}: HTTP 404", route_path(url, route));
    return e;
}

Error refused_error(std::string_view what, const std::string& msg) {
    return make_error(ErrorKind::api, fmt::format("the panel refused the {}: {}", what,
                                                  msg.empty() ? "no message" : one_line(msg)));
}

// A body that starts with the piece already read, then goes on.
class PrefetchedBody final : public HttpBodyReader {
public:
    PrefetchedBody(std::string first, std::unique_ptr<HttpBodyReader> rest)
        : m_first(std::move(first)), m_rest(std::move(rest)) {}
    Result<std::string_view> next() override {
        if (!m_first_given) {
            m_first_given = true;
            if (!m_first.empty()) {
                return std::string_view(m_first);
            }
        }
        return m_rest->next();
    }

private:
    std::string m_first;
    std::unique_ptr<HttpBodyReader> m_rest;
    bool m_first_given = false;
};

// Whether a response is a 200 whose body is not HTML (the login page that
// an expired session gets), reading only as far as its first character.
Result<bool> starts_as_json(HttpStream& stream) {
    if (stream.head.status != kStatusOk ||
        stream.head.header("content-type").find("text/html") != std::string::npos) {
        return false;
    }
    std::string first;
    size_t start = std::string::npos;
    while (start == std::string::npos) {  // ends: each round reads a piece, or the body ends
        auto piece = stream.body->next();
        if (!piece) {
            return piece.error();
        }
        if (piece->empty()) {
            break;
        }
        first.append(*piece);
        start = first.find_first_not_of(" \t\r\n");
    }
    const bool html = start != std::string::npos && first[start] == '<';
    stream.body = std::make_unique<PrefetchedBody>(std::move(first), std::move(stream.body));
    return !html;
}

// A scoped API token outside its allow-list gets 403 with a JSON body
// {"msg":"this API token is not permitted to access this endpoint",
// "success":false} and no obj (3x-ui after v3.6.0: internal/web/controller/
// api.go:118-153; 3x-ui-after-3.6.md §2.1, D7). Returns the panel's message,
// nullopt for any other 403 (a CSRF refusal has an empty body).
std::optional<std::string> scope_refusal(const HttpResponse& r) {
    rapidjson::Document doc;
    doc.Parse(r.body.data(), r.body.size());
    if (doc.HasParseError() || !doc.IsObject()) {
        return std::nullopt;
    }
    const auto success = doc.FindMember("success");
    const auto msg = doc.FindMember("msg");
    if (success == doc.MemberEnd() || !success->value.IsFalse() || msg == doc.MemberEnd() ||
        !msg->value.IsString()) {
        return std::nullopt;
    }
    const std::string text =
        one_line(std::string(msg->value.GetString(), msg->value.GetStringLength()));
    return text.empty() ? std::string("no message") : text;
}

}  // namespace

bool looks_unauthenticated(const HttpResponse& r) {
    if (r.status == 401) {
        return true;
    }
    if (r.status == 404 && trim(r.body).empty()) {
        return true;
    }
    if (r.status >= 300 && r.status < 400) {
        return true;
    }
    return r.status == kStatusOk && is_html(r);
}

Result<rapidjson::Document> decode_envelope(const HttpResponse& response, std::string_view what,
                                            const std::string& where) {
    auto doc = parse_json(response.body, what);
    if (!doc) {
        Error e = doc.error();
        e.where = where;
        e.answer_lost = true;  // unreadable: what the panel did is unknown
        return e;
    }
    Error error;
    ObjectReader r(doc.value(), "", error);
    const bool success = r.boolean("success");
    const std::string msg = r.string_or("msg", "");
    if (r.failed()) {
        error.message = fmt::format("the panel's answer for the {} is not an API envelope ({})",
                                    what, error.message);
        error.where = where;
        error.answer_lost = true;
        return error;
    }
    if (!success) {
        Error e = refused_error(what, msg);
        e.where = where;
        return e;
    }
    return std::move(doc.value());
}

Session::Session(HttpTransport& transport, PanelUrl url, Credentials credentials)
    : m_transport(transport), m_url(std::move(url)), m_credentials(std::move(credentials)) {}

void Session::restore(SessionState state) {
    m_cookies = std::move(state.cookies);
    m_csrf_token = std::move(state.csrf_token);
    m_csrf_checked = true;
}

void Session::absorb_cookies(const HttpResponse& response) {
    for (const auto& [name, value] : response.headers) {
        if (name != "set-cookie") {
            continue;
        }
        const auto eq = value.find('=');
        if (eq == std::string::npos) {
            continue;
        }
        const auto semi = value.find(';');
        std::string cookie_name = trim(value.substr(0, eq));
        std::string cookie_value =
            value.substr(eq + 1, semi == std::string::npos ? semi : semi - eq - 1);
        const bool expired = value.find("Max-Age=-") != std::string::npos ||
                             value.find("Max-Age=0") != std::string::npos || cookie_value.empty();
        if (expired) {
            m_cookies.erase(cookie_name);
        } else {
            m_cookies[cookie_name] = cookie_value;
        }
    }
}

std::string Session::cookie_header() const {
    std::string out;
    for (const auto& [name, value] : m_cookies) {
        if (!out.empty()) {
            out += "; ";
        }
        out += name + "=" + value;
    }
    return out;
}

Result<HttpResponse> Session::send(std::string_view method, std::string_view route,
                                   const std::string& body, std::string_view content_type) {
    auto stream = open(method, route, body, content_type);
    if (!stream) {
        return stream.error();
    }
    return read_whole(std::move(stream.value()));
}

Result<HttpStream> Session::open(std::string_view method, std::string_view route,
                                 const std::string& body, std::string_view content_type) {
    HttpRequest request;
    request.method = std::string(method);
    request.url = m_url.join(route);
    request.body = body;
    request.headers.emplace_back("Accept", "application/json");
    // Asks v2.3+ / v3.0.2+ panels for 401 instead of a redirect or a bare 404
    // when the session is gone, which tells "log in again" from "no route".
    request.headers.emplace_back("X-Requested-With", "XMLHttpRequest");
    if (!content_type.empty()) {
        request.headers.emplace_back("Content-Type", std::string(content_type));
    }
    const bool api_route = route.rfind("panel/api/", 0) == 0;
    if (uses_token() && api_route) {
        // Bearer works on /panel/api only and skips CSRF there (§3.4).
        request.headers.emplace_back("Authorization", "Bearer " + m_credentials.token);
    } else {
        if (!m_cookies.empty()) {
            request.headers.emplace_back("Cookie", cookie_header());
        }
        if (!m_csrf_token.empty() && method != "GET") {
            request.headers.emplace_back("X-CSRF-Token", m_csrf_token);
        }
    }
    auto stream = m_transport.open(request);
    if (stream) {
        absorb_cookies(stream->head);
    }
    return stream;
}

Status Session::fetch_csrf_token() {
    m_csrf_checked = true;
    auto response = send("GET", "csrf-token", {}, {});
    if (!response) {
        return response.error();
    }
    if (response->status == 404) {
        // Panels before v3.0.0 have no CSRF protection (§3.6).
        m_csrf_token.clear();
        return ok_status();
    }
    const std::string where =
        fmt::format("GET {}: HTTP {}", route_path(m_url, "csrf-token"), response->status);
    if (response->status != kStatusOk || is_html(response.value())) {
        return Error{
            ErrorKind::http,
            fmt::format("unexpected answer to the CSRF token request (HTTP {})", response->status),
            where, "check --url: is this a 3x-ui panel?"};
    }
    auto doc = decode_envelope(response.value(), "CSRF token request", where);
    if (!doc) {
        return doc.error();
    }
    const auto& obj = doc.value()["obj"];
    if (!obj.IsString() || obj.GetStringLength() == 0) {
        return Error{ErrorKind::api, "the panel sent no CSRF token", where, {}};
    }
    m_csrf_token.assign(obj.GetString(), obj.GetStringLength());
    return ok_status();
}

Status Session::login() {
    if (uses_token()) {
        return ok_status();
    }
    if (m_credentials.username.empty()) {
        return make_error(ErrorKind::config, "no panel username given",
                          "set --username or XUI_USERNAME (or a profile)");
    }
    // Get the password before anything goes out: with no source (no TTY,
    // no file, no env) the command must fail without a single request.
    if (m_credentials.password.empty() && m_credentials.password_source) {
        auto password = m_credentials.password_source();
        if (!password) {
            return password.error();
        }
        m_credentials.password = password.value();
    }
    m_cookies.clear();
    m_csrf_token.clear();
    if (auto csrf = fetch_csrf_token(); !csrf) {
        return csrf;
    }
    if (m_credentials.totp_code.empty()) {
        // Ask before logging in: a login without the code would count as a
        // failure towards the panel's 5-failure lockout (§3.1).
        auto enabled = two_factor_enabled();
        if (!enabled) {
            return enabled.error();
        }
        if (*enabled) {
            if (!m_credentials.totp_source) {
                return make_error(
                    ErrorKind::auth,
                    "the panel has two-factor authentication on and no 2FA code was given",
                    "give the current code with --totp-file FILE or XUI_TOTP, or run on "
                    "a terminal to be asked");
            }
            auto code = m_credentials.totp_source();
            if (!code) {
                return code.error();
            }
            m_credentials.totp_code = code.value();
        }
    }
    std::string body = "username=" + encode_form_value(m_credentials.username) +
                       "&password=" + encode_form_value(m_credentials.password);
    if (!m_credentials.totp_code.empty()) {
        body += "&twoFactorCode=" + encode_form_value(m_credentials.totp_code);
        // A TOTP code is valid for one 30 s window: never reuse it for a re-login.
        m_credentials.totp_code.clear();
    }
    ++m_login_requests;
    auto response = send("POST", "login", body, "application/x-www-form-urlencoded");
    if (!response) {
        return response.error();
    }
    const std::string where =
        fmt::format("POST {}: HTTP {}", route_path(m_url, "login"), response->status);
    if (response->status == 404) {
        return base_path_error(m_url, "login");
    }
    if (response->status == 403) {
        return Error{ErrorKind::auth, "the panel refused the login with 403 Forbidden", where,
                     "a proxy or the panel's webDomain setting blocks this host name; use the "
                     "address you use in the browser"};
    }
    if (response->status != kStatusOk || is_html(response.value())) {
        return Error{
            ErrorKind::http,
            fmt::format("unexpected answer to the login request (HTTP {})", response->status),
            where, "check --url: is this a 3x-ui panel?"};
    }
    auto doc = decode_envelope(response.value(), "login", where);
    if (!doc) {
        if (doc.error().kind != ErrorKind::api ||
            doc.error().message.find("refused") == std::string::npos) {
            return doc.error();
        }
        // All login failures look alike on the panel (§3.1). Never retry:
        // five failures lock this address out for 15 minutes.
        m_login_refused = true;
        return Error{ErrorKind::auth,
                     "login failed: the panel rejected the username, password or 2FA code", where,
                     "check the credentials (and the 2FA code if 2FA is on); xuictl does not "
                     "retry, because the panel locks you out after 5 failed logins"};
    }
    if (m_cookies.empty()) {
        return Error{ErrorKind::auth, "the panel accepted the login but set no session cookie",
                     where, "check that --url uses the panel's own address and base path"};
    }
    m_fresh_login = true;
    return ok_status();
}

Result<bool> Session::two_factor_enabled() {
    auto response = send("POST", "getTwoFactorEnable", {}, {});
    if (!response) {
        return response.error();
    }
    if (response->status != kStatusOk || is_html(response.value())) {
        return false;  // panels before v2.6.0 have no 2FA (and no such route)
    }
    auto doc = parse_json(response->body, "2FA status");
    if (!doc || !doc.value().IsObject()) {
        return false;
    }
    const auto& d = doc.value();
    auto obj = d.FindMember("obj");
    auto success = d.FindMember("success");
    return success != d.MemberEnd() && success->value.IsTrue() && obj != d.MemberEnd() &&
           obj->value.IsTrue();
}

Error Session::token_rejected(std::string_view method, std::string_view route,
                              std::string_view what, long status) {
    const std::string where =
        fmt::format("{} {}: HTTP {}", method, route_path(m_url, route), status);
    // Tokens exist from v3.0.0, the release that also added the public
    // csrf-token route: its absence tells an older panel (§3.4, §3.6).
    auto csrf = send("GET", "csrf-token", {}, {});
    if (csrf && csrf->status == 404) {
        return Error{ErrorKind::auth,
                     "this panel version has no API tokens (they arrived in 3x-ui v3.0.0)", where,
                     "log in with --username and a password source instead of --token-file"};
    }
    return Error{ErrorKind::auth,
                 fmt::format("the panel did not accept the API token for the {}", what), where,
                 "check the token (expired, disabled or wrong?) and the base path in --url: a bad "
                 "token and a wrong base path both answer 404"};
}

Status Session::logout() {
    if (uses_token() || m_cookies.empty()) {
        m_cookies.clear();
        return ok_status();
    }
    // v3.0.2+ logs out with POST (and CSRF); older panels with GET (§3.3).
    auto response = send("POST", "logout", {}, {});
    if (response && response->status == 404) {
        response = send("GET", "logout", {}, {});
    }
    m_cookies.clear();
    m_csrf_token.clear();
    if (!response) {
        return response.error();
    }
    return ok_status();
}

Result<rapidjson::Document> Session::call(std::string_view method, std::string_view route,
                                          std::string_view what, std::string json_body) {
    return call_impl(method, route, what, json_body, false);
}

Result<rapidjson::Document> Session::probe(std::string_view method, std::string_view route,
                                           std::string_view what, std::string json_body) {
    return call_impl(method, route, what, json_body, true);
}

Result<Session::Answer> Session::exchange(std::string_view method, std::string_view route,
                                          std::string_view what, const std::string& json_body,
                                          bool is_probe) {
    // Fresh also when the caller logged in just before (PanelApi does, to
    // learn the generation before choosing a route): a 404 then means a
    // missing route, not an expired session.
    bool logged_in_now = std::exchange(m_fresh_login, false);
    if (!uses_token() && m_cookies.empty()) {
        if (auto status = login(); !status) {
            return status.error();
        }
        logged_in_now = true;
        m_fresh_login = false;
    }
    const std::string_view content_type = json_body.empty() ? "" : "application/json";
    const auto where_for = [&](long status) {
        return fmt::format("{} {}: HTTP {}", method, route_path(m_url, route), status);
    };
    auto stream = open(method, route, json_body, content_type);
    if (!stream) {
        return stream.error();
    }
    auto json = starts_as_json(stream.value());
    if (!json) {
        return json.error();
    }
    if (*json) {
        return Answer{std::move(stream.value()), where_for(kStatusOk)};
    }
    auto response = read_whole(std::move(stream.value()));
    if (!response) {
        return response.error();
    }
    if (method != "GET" && response->status == kStatusOk) {
        // A 200 page instead of JSON for a write. The panel says "logged
        // out" with 401, an empty 404 or a redirect (§3.5), never with a page
        // on an API route; this is a proxy's error page or worse, and the
        // write may have been handled, so it is not sent again after a login.
        Error e{ErrorKind::http,
                fmt::format("the panel answered the {} with an HTML page instead of JSON", what),
                where_for(kStatusOk), "a proxy in front of the panel may have answered for it",
                kStatusOk};
        e.answer_lost = true;
        return e;
    }
    // A probe's 404 after a fresh login means "no such route on this version".
    const bool missing_route = response->status == 404 && (logged_in_now || uses_token());
    // A write is sent at most once: never again after a re-login. (Reads and
    // probes may log in again and retry; a write's own answer decides.)
    const bool write = !is_probe && method != "GET";
    if (looks_unauthenticated(response.value()) && !(is_probe && missing_route)) {
        if (uses_token()) {
            return token_rejected(method, route, what, response->status);
        }
        if (write && !logged_in_now) {
            // The panel's auth check (401, redirect) or router (empty 404:
            // no route, or old panels' "logged out") turned it away before
            // any handler ran: nothing was applied.
            const std::string where = where_for(response->status);
            if (response->status == 404) {
                return Error{ErrorKind::unsupported,
                             fmt::format("the panel has no route for the {} (404 Not Found), or "
                                         "the session had expired; nothing was applied",
                                         what),
                             where,
                             "a write is never sent twice; `xuictl version` shows what was "
                             "detected; run the command again to renew an expired session"};
            }
            m_cookies.clear();  // whatever comes next in this run logs in first
            return Error{ErrorKind::auth,
                         fmt::format("the panel treated the session as expired and refused the "
                                     "{}; nothing was applied",
                                     what),
                         where,
                         "a write is never sent twice: run the command again (it logs in first)"};
        }
        if (!logged_in_now) {
            // The cached or earlier session expired: log in once, retry once.
            if (auto status = login(); !status) {
                return status.error();
            }
            m_fresh_login = false;
            stream = open(method, route, json_body, content_type);
            if (!stream) {
                return stream.error();
            }
            json = starts_as_json(stream.value());
            if (!json) {
                return json.error();
            }
            if (*json) {
                return Answer{std::move(stream.value()), where_for(kStatusOk)};
            }
            response = read_whole(std::move(stream.value()));
            if (!response) {
                return response.error();
            }
        }
    }
    const std::string where = where_for(response->status);
    if (response->status == 404) {
        Error e{is_probe ? ErrorKind::not_found : ErrorKind::unsupported,
                fmt::format("the panel has no route for the {} (404 Not Found)", what), where,
                "this panel version may not support it; `xuictl version` shows what was detected"};
        return e;
    }
    if (looks_unauthenticated(response.value())) {
        return Error{ErrorKind::auth,
                     fmt::format("the panel still treats us as logged out for the {}", what), where,
                     "log in again with `xuictl login`; check the panel's session settings"};
    }
    if (response->status == 403 && uses_token()) {
        if (auto refusal = scope_refusal(response.value())) {
            m_scope_refusal = *refusal;
            return Error{
                ErrorKind::auth,
                fmt::format("the API token's scope does not allow the {}; the panel says: {}", what,
                            *refusal),
                where,
                "3x-ui after v3.6.0 gives tokens a scope: monitor (server status only) and "
                "node-sync (no client lists, no bulk routes) cannot do this; use a token with "
                "the admin scope, or log in with a username and password",
                response->status};
        }
    }
    if (response->status != kStatusOk) {
        return Error{ErrorKind::http,
                     fmt::format("the panel failed the {} with HTTP {}", what, response->status),
                     where,
                     response->status >= 500 ? "the panel hit an internal error; see its log"
                                             : "check --url and the panel version",
                     response->status};
    }
    // Not reached: a 200 that is not HTML was returned above.
    return Answer{stream_of(std::move(response.value())), where};
}

Result<rapidjson::Document> Session::call_impl(std::string_view method, std::string_view route,
                                               std::string_view what, const std::string& json_body,
                                               bool is_probe) {
    // Whether a failed write may still have been applied: no answer, a
    // timeout, a 5xx, or a body that is not an envelope. A success:false,
    // a 404 (no route) and the auth answers are clear refusals.
    const auto unclear = [method](Error e) {
        const bool lost = e.kind == ErrorKind::network || e.kind == ErrorKind::timeout ||
                          (e.kind == ErrorKind::http && (e.http_status >= 500 || e.answer_lost));
        e.answer_lost = method != "GET" && (lost || e.answer_lost);
        return e;
    };
    auto answer = exchange(method, route, what, json_body, is_probe);
    if (!answer) {
        return unclear(answer.error());
    }
    auto response = read_whole(std::move(answer->stream));
    if (!response) {
        return unclear(response.error());
    }
    auto doc = decode_envelope(response.value(), what, answer->where);
    if (!doc) {
        return unclear(doc.error());
    }
    return doc;
}

Status Session::call_streamed(std::string_view method, std::string_view route,
                              std::string_view what, JsonEvents& obj_events, bool is_probe) {
    auto answer = exchange(method, route, what, {}, is_probe);
    if (!answer) {
        return answer.error();
    }
    EnvelopeEvents envelope(obj_events);
    if (auto parsed = parse_json_stream(*answer->stream.body, envelope, what); !parsed) {
        Error e = parsed.error();
        if (e.where.empty()) {
            e.where = answer->where;
        }
        if (envelope.not_an_envelope()) {
            e.message = fmt::format("the panel's answer for the {} is not an API envelope ({})",
                                    what, e.message);
        }
        return e;
    }
    if (auto finished = envelope.finish(); !finished) {
        Error e = finished.error();
        if (envelope.not_an_envelope()) {
            e.message = fmt::format("the panel's answer for the {} is not an API envelope ({})",
                                    what, e.message);
        } else if (envelope.refused()) {
            e = refused_error(what, envelope.message());
        }
        e.where = answer->where;
        return e;
    }
    return ok_status();
}

}  // namespace xuictl
