#include "server.hpp"

#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>
#include <openssl/crypto.h>

#include "banner.hpp"
#include "control.hpp"
#include "pages.hpp"
#include "request_body.hpp"
#include "seed.hpp"
#include "totp.hpp"
#include "util.hpp"

namespace sandbox {

namespace {

constexpr std::int64_t k_session_lifetime_ms = 360LL * 60 * 1000;  // sessionMaxAge default 360 min
constexpr std::size_t k_max_body_bytes = 10U * 1024 * 1024;        // HEAD MaxBodyBytes
constexpr std::string_view k_control_prefix = "/__sandbox/";

Credentials make_credentials(const Options& opts) {
    Credentials creds{opts.username,  opts.password,    std::nullopt,
                      opts.api_token, opts.token_scope, std::nullopt};
    if (opts.totp_secret) {
        creds.totp_key = base32_decode(*opts.totp_secret);
    }
    return creds;
}

bool is_safe_method(const std::string& method) {
    return method == "GET" || method == "HEAD" || method == "OPTIONS" || method == "TRACE";
}

std::string url_host(const std::string& host) {
    return host.find(':') != std::string::npos ? "[" + host + "]" : host;
}

// Fills req.body / req.files through httplib's content reader. httplib owns
// the Request as a mutable local and hands it out as const only by API shape.
void read_body(const httplib::Request& req, const httplib::ContentReader& reader) {
    const bool chunked =
        req.get_header_value("Transfer-Encoding").find("chunked") != std::string::npos;
    if (!chunked && req.get_header_value<std::uint64_t>("Content-Length") == 0) {
        return;
    }
    auto& mutable_req = const_cast<httplib::Request&>(req);
    if (req.is_multipart_form_data()) {
        httplib::MultipartFormDataItems parts;
        reader(
            [&parts](const httplib::MultipartFormData& part) {
                parts.push_back(part);
                return true;
            },
            [&parts](const char* data, std::size_t length) {
                parts.back().content.append(data, length);
                return true;
            });
        for (auto& part : parts) {
            mutable_req.files.emplace(part.name, std::move(part));
        }
        return;
    }
    reader([&mutable_req](const char* data, std::size_t length) {
        mutable_req.body.append(data, length);
        return true;
    });
}

}  // namespace

Sandbox::Sandbox(Options opts)
    : m_opts(std::move(opts)),
      m_messages(messages_for(m_opts.version)),
      m_creds(make_credentials(m_opts)),
      m_db(m_opts.api, m_opts.version),
      m_sessions(k_session_lifetime_ms),
      m_log(m_opts.request_log),
      m_faults(m_opts.faults),
      m_start_ms(now_ms()) {
    if (m_opts.token_expires_in_s) {
        m_creds.token_expires_ms = m_start_ms + *m_opts.token_expires_in_s * 1000;
    }
    seed_db(m_db,
            SeedSpec{m_opts.inbounds, m_opts.clients, m_opts.seed, m_start_ms, m_opts.emails});

    m_services = std::make_unique<Services>(
        Services{m_opts, m_messages, m_db, m_sessions, m_limiter, m_creds,
                 cookie_spec_for(m_opts.version, m_opts.base_path, m_opts.tls), m_start_ms});
    add_common_routes(m_router, *m_services);
    if (m_opts.api == ApiKind::classic) {
        add_classic_routes(m_router, *m_services);
    } else {
        add_v3_routes(m_router, *m_services);
    }

    if (m_opts.tls) {
        m_tls = std::make_unique<TlsMaterial>(std::vector<std::string>{"localhost"},
                                              std::vector<std::string>{"127.0.0.1", "::1"});
        auto server = std::make_unique<httplib::SSLServer>(m_tls->cert(), m_tls->key());
        if (!server->is_valid()) {
            throw std::runtime_error("cannot initialise the TLS server");
        }
        m_server = std::move(server);
    } else {
        m_server = std::make_unique<httplib::Server>();
    }
    m_server->new_task_queue = [] { return new httplib::ThreadPool(16); };
    m_server->set_payload_max_length(k_max_body_bytes);
    // Go's net/http sets TCP_NODELAY on every connection; without it each
    // request on a kept-alive connection waits ~40 ms for delayed ACKs.
    m_server->set_tcp_nodelay(true);
    // Go's net/http keeps a connection for any number of requests (httplib
    // closes after 5 by default), so a client's writes do travel on
    // connections it reused, as with a real panel.
    m_server->set_keep_alive_max_count(1000);
    const auto handler = [this](const httplib::Request& req, httplib::Response& res) {
        handle(req, res);
    };
    // Methods with a body use content-reader handlers so that a request without
    // Content-Length has an empty body (RFC 9112 §6.3, Go) instead of httplib's 400.
    const auto body_handler = [this](const httplib::Request& req, httplib::Response& res,
                                     const httplib::ContentReader& reader) {
        read_body(req, reader);
        handle(req, res);
    };
    m_server->Get(".*", handler);
    m_server->Options(".*", handler);
    m_server->Post(".*", body_handler);
    m_server->Put(".*", body_handler);
    m_server->Patch(".*", body_handler);
    m_server->Delete(".*", body_handler);
}

Sandbox::~Sandbox() = default;

int Sandbox::run() {
    const std::string bind_host = m_opts.host == "localhost" ? "127.0.0.1" : m_opts.host;
    int port = m_opts.port;
    if (port == 0) {
        port = m_server->bind_to_any_port(bind_host);
    } else if (!m_server->bind_to_port(bind_host, port)) {
        port = -1;
    }
    if (port <= 0) {
        std::fprintf(stderr, "xuictl-sandbox: cannot bind %s:%d\n", bind_host.c_str(), m_opts.port);
        return 1;
    }
    ReadyInfo ready;
    ready.port = port;
    ready.url = fmt::format("{}://{}:{}{}", m_opts.tls ? "https" : "http", url_host(m_opts.host),
                            port, m_opts.base_path);
    std::string error;
    if (m_tls) {
        ready.cacert = m_tls->cert_path();
        if (!m_opts.cert_out.empty()) {
            if (!write_file_atomic(m_opts.cert_out, m_tls->cert_pem(), error)) {
                std::fprintf(stderr, "xuictl-sandbox: cannot write %s: %s\n",
                             m_opts.cert_out.c_str(), error.c_str());
                return 1;
            }
            ready.cacert = m_opts.cert_out;
        }
    }
    if (!m_opts.info_file.empty() && !write_info_file(m_opts, ready, error)) {
        std::fprintf(stderr, "xuictl-sandbox: cannot write %s: %s\n", m_opts.info_file.c_str(),
                     error.c_str());
        return 1;
    }
    if (!m_opts.quiet) {
        print_banner(m_opts, ready);
    }
    return m_server->listen_after_bind() ? 0 : 1;
}

void Sandbox::stop() {
    m_server->stop();
}

void Sandbox::handle(const httplib::Request& req, httplib::Response& res) {
    const std::string raw_path = req.target.substr(0, req.target.find('?'));
    std::unique_lock lock(m_mutex);
    if (raw_path.starts_with(k_control_prefix)) {
        ControlDeps deps{m_db, m_log, m_sessions, m_faults, m_creds};
        write_reply(handle_control(deps, req, raw_path, now_ms()), false, res);
        return;
    }
    Outcome out = serve_panel(req, raw_path, lock);
    const auto q = req.target.find('?');
    m_log.append(RequestLogEntry{
        req.method, raw_path, q == std::string::npos ? std::string() : req.target.substr(q + 1),
        out.dropped ? 0 : out.reply.status, std::string(auth_name(out.auth)),
        req.has_header("X-CSRF-Token"), out.route, redact_body(out.route, raw_path, req)});
    write_reply(std::move(out.reply), true, res);
}

Sandbox::Outcome Sandbox::serve_panel(const httplib::Request& req, const std::string& raw_path,
                                      std::unique_lock<std::mutex>& lock) {
    Outcome out;
    const auto fault = m_faults.find(raw_path);
    std::string mode = fault ? m_faults.rule(*fault).mode : std::string();
    const auto take_fault = [&] {
        m_faults.consume(*fault);
        mode.clear();
    };

    // Faults that act before the panel sees the request.
    if (mode == "slow") {
        const int delay = m_faults.rule(*fault).delay_ms;
        take_fault();
        lock.unlock();
        std::this_thread::sleep_for(std::chrono::milliseconds(delay));
        lock.lock();
    } else if (mode == "http500" || mode == "drop" || mode == "login-page") {
        const std::string what = mode;
        take_fault();
        if (what == "drop") {
            out.dropped = drop_connection(req);
            out.reply = Reply::empty(500);
        } else if (what == "login-page") {
            out.reply = Reply::html(login_page_html(m_opts.base_path));
        } else {
            out.reply = Reply::empty(500);
        }
        return out;
    } else if (mode == "expire-session") {
        take_fault();
        m_sessions.clear();
    }

    RequestContext ctx{req, now_ms(), {}, AuthKind::none, {}, nullptr};
    const std::string& base = m_opts.base_path;
    const std::string& path = req.path;  // percent-decoded, as gin matches URL.Path
    std::optional<RouteMatch> match;
    std::string rel;
    if (path.starts_with(base)) {
        rel = path.substr(base.size());
        match = m_router.match(req.method, rel);
    }
    authenticate(ctx, match ? match->route->guard == Guard::api : rel.starts_with("panel/api/"));
    out.auth = ctx.auth;
    if (!match) {
        out.reply =
            trailing_slash_redirect(req, raw_path).value_or(Reply::not_found(m_opts.version));
        return out;
    }
    const Route& route = *match->route;
    out.route = route.pattern;
    ctx.params = std::move(match->params);
    if (auto denied = check_guard(ctx, route.guard)) {
        out.reply = std::move(*denied);
        return out;
    }
    // enforceTokenScope runs right after checkAPIAuth (api.go:170); the body
    // has no obj (3x-ui-after-3.6.md D7).
    if (ctx.auth == AuthKind::bearer &&
        !scope_allows(m_creds.token_scope, req.method, route.pattern)) {
        out.reply = Reply::json(
            R"({"msg":"this API token is not permitted to access this endpoint","success":false})",
            403);
        return out;
    }

    // Faults that act inside the handler.
    if (mode == "write-fails" && (route.flags & k_route_write) != 0U) {
        take_fault();
        out.reply = envelope(false, m_messages.something_went_wrong + " (database is locked\n)");
        return out;
    }
    std::optional<Db> snapshot;
    if (mode == "reset-reverts" && (route.flags & k_route_reset) != 0U) {
        take_fault();
        snapshot.emplace(m_db);  // answer normally, then put every counter back
    }
    out.reply = route.handler(ctx);
    if (snapshot) {
        m_db = std::move(*snapshot);
    }
    if (mode == "deplete-after") {
        const std::string email = m_faults.rule(*fault).email;
        take_fault();
        m_db.make_depleted(email, ctx.now);
    }
    if ((route.flags & k_route_write) != 0U &&
        (mode == "applied-drop" || mode == "applied-http500" || mode == "applied-html")) {
        // The panel did the work; only its answer goes missing.
        const std::string what = mode;
        take_fault();
        if (what == "applied-drop") {
            out.dropped = drop_connection(req);
            out.reply = Reply::empty(500);
        } else if (what == "applied-html") {
            out.reply = Reply::html("<html><body><h1>502 Bad Gateway</h1></body></html>");
        } else {
            out.reply = Reply::empty(500);
        }
        return out;
    }
    if (mode == "malformed-json" || mode == "truncated-json") {
        const bool malformed = mode == "malformed-json";
        take_fault();
        out.reply.status = 200;
        out.reply.content_type = "application/json; charset=utf-8";
        out.reply.body = malformed ? malformed_json_body() : truncated_body(out.reply.body);
    }
    return out;
}

void Sandbox::authenticate(RequestContext& ctx, bool api_path) {
    if (const auto cookie = request_cookie(ctx.req, m_services->cookie.name)) {
        if (Session* session = m_sessions.find(*cookie, ctx.now)) {
            ctx.session = session;
            ctx.session_id = *cookie;
        }
    }
    // §3.4: Bearer only on <base>panel/api/* and only from v3.0.0; an invalid
    // token falls through to the cookie check (checkAPIAuth).
    if (api_path && m_opts.version >= PanelVersion{3, 0, 0}) {
        const std::string header = ctx.req.get_header_value("Authorization");
        if (header.starts_with("Bearer ") &&
            token_matches(m_creds, std::string_view(header).substr(7), ctx.now)) {
            ctx.auth = AuthKind::bearer;
            return;
        }
    }
    if (ctx.session != nullptr && ctx.session->logged_in) {
        ctx.auth = AuthKind::cookie;
    }
}

std::optional<Reply> Sandbox::check_guard(const RequestContext& ctx, Guard guard) const {
    const bool xhr = ctx.req.get_header_value("X-Requested-With") == "XMLHttpRequest";
    if (guard == Guard::api && ctx.auth == AuthKind::none) {
        return unauthenticated_api(xhr, ctx.req.method);
    }
    if (guard == Guard::panel_page && !(ctx.session != nullptr && ctx.session->logged_in)) {
        return login_required(xhr, ctx.req.method);
    }
    // §3.6: CSRF from v3.0.0 on unsafe methods; Bearer-authenticated calls skip it.
    if (guard != Guard::open && m_opts.version >= PanelVersion{3, 0, 0} &&
        !is_safe_method(ctx.req.method) && ctx.auth != AuthKind::bearer && !csrf_ok(ctx)) {
        return Reply::empty(403);
    }
    return std::nullopt;
}

Reply Sandbox::unauthenticated_api(bool xhr, const std::string& method) const {
    // §3.5
    const PanelVersion v = m_opts.version;
    if (v < PanelVersion{2, 8, 4}) {
        if (!xhr) {
            return Reply::redirect(307, m_opts.base_path, method == "GET");
        }
        return envelope(false, m_messages.login_again, {}, 0,
                        v < PanelVersion{2, 3, 0} ? 200 : 401);
    }
    if (v < PanelVersion{3, 0, 2}) {
        return Reply::empty(404);
    }
    return Reply::empty(xhr ? 401 : 404);
}

Reply Sandbox::login_required(bool xhr, const std::string& method) const {
    // checkLogin: 401 JSON for XHR, else 307 to the base path.
    if (xhr) {
        return envelope(false, m_messages.login_again, {}, 0,
                        m_opts.version < PanelVersion{2, 3, 0} ? 200 : 401);
    }
    Reply reply = Reply::redirect(307, m_opts.base_path, method == "GET");
    reply.headers.emplace_back("Cache-Control", "no-store");
    return reply;
}

bool Sandbox::csrf_ok(const RequestContext& ctx) const {
    if (ctx.session == nullptr || ctx.session->csrf_token.empty()) {
        return false;
    }
    std::string presented = ctx.req.get_header_value("X-CSRF-Token");
    if (presented.empty()) {
        presented = post_form(ctx.req, "_csrf").value_or(std::string());
    }
    const std::string& expected = ctx.session->csrf_token;
    return presented.size() == expected.size() &&
           CRYPTO_memcmp(presented.data(), expected.data(), expected.size()) == 0;
}

std::optional<Reply> Sandbox::trailing_slash_redirect(const httplib::Request& req,
                                                      const std::string& raw_path) const {
    // gin RedirectTrailingSlash (§2): 301 for GET, 307 otherwise.
    const std::string& path = req.path;
    if (path == "/" || path.empty()) {
        return std::nullopt;
    }
    const bool has_slash = path.back() == '/';
    const std::string alt = has_slash ? path.substr(0, path.size() - 1) : path + "/";
    const std::string& base = m_opts.base_path;
    if (!alt.starts_with(base) ||
        !m_router.match(req.method, std::string_view(alt).substr(base.size()))) {
        return std::nullopt;
    }
    std::string location = has_slash ? raw_path.substr(0, raw_path.size() - 1) : raw_path + "/";
    if (const auto q = req.target.find('?'); q != std::string::npos) {
        location += req.target.substr(q);
    }
    return Reply::redirect(req.method == "GET" ? 301 : 307, location, req.method == "GET");
}

void Sandbox::write_reply(Reply reply, bool panel, httplib::Response& res) const {
    res.status = reply.status;
    for (auto& [name, value] : reply.headers) {
        res.set_header(name.c_str(), value);
    }
    if (panel && m_opts.version >= PanelVersion{3, 1, 0}) {  // HEAD SecurityHeadersMiddleware
        res.set_header("X-Content-Type-Options", "nosniff");
        res.set_header("X-Frame-Options", "DENY");
        res.set_header("Referrer-Policy", "no-referrer");
    }
    if (!reply.content_type.empty()) {
        res.set_header("Content-Type", reply.content_type);
    }
    res.body = std::move(reply.body);
}

}  // namespace sandbox
