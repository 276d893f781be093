#include <charconv>
#include <limits>

#include "json_out.hpp"
#include "pages.hpp"
#include "request_body.hpp"
#include "routes.hpp"
#include "util.hpp"

namespace sandbox {

namespace {

// Returns the request's session, creating one (and announcing it with a
// Set-Cookie on `reply`) when the request has none.
Session& ensure_session(Services& s, RequestContext& ctx, Reply& reply) {
    if (ctx.session == nullptr) {
        ctx.session_id = s.sessions.create(ctx.now);
        ctx.session = s.sessions.find(ctx.session_id, ctx.now);
        reply.headers.emplace_back(
            "Set-Cookie", set_cookie_value(s.cookie, ctx.session_id, s.cookie.max_age_s, ctx.now));
    }
    return *ctx.session;
}

// session.EnsureCSRFToken: reuse the session's token or mint one (the session is saved then).
std::string ensure_csrf_token(Services& s, RequestContext& ctx, Reply& reply) {
    Session& session = ensure_session(s, ctx, reply);
    if (session.csrf_token.empty()) {
        session.csrf_token = random_token(32);
        if (reply.headers.empty()) {
            reply.headers.emplace_back("Set-Cookie", set_cookie_value(s.cookie, ctx.session_id,
                                                                      s.cookie.max_age_s, ctx.now));
        }
    }
    return session.csrf_token;
}

Reply login(Services& s, RequestContext& ctx) {
    const Messages& m = s.msg;
    Binding form(ctx.req, Binding::Mode::should_bind, "controller.LoginForm");
    const std::string username = form.str("username");
    const std::string password = form.str("password");
    // v2.6.0+: twoFactorCode (must be a JSON string); before: loginSecret (ignored here).
    const std::string code =
        form.str(s.opts.version >= PanelVersion{2, 6, 0} ? "twoFactorCode" : "loginSecret");
    if (form.failed()) {
        return envelope(false, m.invalid_form_data);
    }
    if (username.empty()) {
        return envelope(false, m.empty_username);
    }
    if (password.empty()) {
        return envelope(false, m.empty_password);
    }
    const std::string ip = client_ip(ctx.req);
    // §3.1: while blocked even correct credentials get the wrong-credentials text.
    if (s.opts.lockout && !s.limiter.allow(ip, username, ctx.now)) {
        return envelope(false, m.wrong_credentials);
    }
    if (!check_user(s.creds, username, password, code, ctx.now)) {
        if (s.opts.lockout) {
            s.limiter.register_failure(ip, username, ctx.now);
        }
        return envelope(false, m.wrong_credentials);
    }
    if (s.opts.lockout) {
        s.limiter.register_success(ip, username);
    }
    // The session (and its CSRF token) survives the login; the cookie is re-issued.
    const std::string id = s.sessions.rotate(ctx.session_id, ctx.now);
    s.sessions.find(id, ctx.now)->logged_in = true;
    Reply reply = envelope(true, m.success_login);
    reply.headers.emplace_back("Set-Cookie",
                               set_cookie_value(s.cookie, id, s.cookie.max_age_s, ctx.now));
    return reply;
}

// §3.3: cookie cleared on the base path (and on "/" as well from v3.0.2).
void clear_session(Services& s, RequestContext& ctx, Reply& reply) {
    if (!ctx.session_id.empty()) {
        s.sessions.erase(ctx.session_id);
    }
    reply.headers.emplace_back("Cache-Control", "no-store");
    reply.headers.emplace_back("Set-Cookie", set_cookie_value(s.cookie, "", -1, ctx.now));
    if (s.opts.version >= PanelVersion{3, 0, 2} && s.cookie.path != "/") {
        CookieSpec root = s.cookie;
        root.path = "/";
        reply.headers.emplace_back("Set-Cookie", set_cookie_value(root, "", -1, ctx.now));
    }
}

}  // namespace

std::optional<int> go_atoi(std::string_view text, OpStatus& error) {
    long long value = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec == std::errc{} && ptr == text.data() + text.size() &&
        value >= std::numeric_limits<int>::min() && value <= std::numeric_limits<int>::max()) {
        return static_cast<int>(value);
    }
    const char* reason =
        ec == std::errc::result_out_of_range ? "value out of range" : "invalid syntax";
    error = OpStatus::fail("strconv.Atoi: parsing \"" + std::string(text) + "\": " + reason);
    return std::nullopt;
}

Reply service_reply(const Messages& msg, std::string_view success_msg, const OpStatus& status) {
    return json_msg(msg, status.ok() ? success_msg : std::string_view(msg.something_went_wrong),
                    status);
}

Reply onlines_reply(const Db& db) {
    return json_obj([&db](JsonWriter& w) {
        w.StartArray();
        for (const auto& [id, row] : db.traffic_rows()) {
            if (row.online && row.enable) {
                put_string(w, row.email);
            }
        }
        w.EndArray();
    });
}

Reply last_online_reply(const Db& db) {
    return json_obj(
        [&db](JsonWriter& w) {
            w.StartObject();
            for (const auto& [id, row] : db.traffic_rows()) {
                put_key(w, row.email);
                w.Int64(row.last_online);
            }
            w.EndObject();
        },
        db.traffic_rows().size() * 48 + 64);
}

std::size_t listing_capacity(const Db& db) {
    return db.client_count() * 900 + db.inbounds().size() * 2048 + 256;
}

void add_common_routes(Router& r, Services& s) {
    const PanelVersion v = s.opts.version;

    r.add("GET", "", Guard::open, k_route_plain, [&s](RequestContext& ctx) {
        if (ctx.auth == AuthKind::cookie) {
            Reply reply = Reply::redirect(307, s.opts.base_path + "panel/", true);
            reply.headers.emplace_back("Cache-Control", "no-store");
            return reply;
        }
        return Reply::html(login_page_html(s.opts.base_path));
    });
    r.add("GET", "panel/", Guard::panel_page, k_route_plain,
          [&s](RequestContext&) { return Reply::html(panel_page_html(s.opts.base_path)); });

    r.add("POST", "login", Guard::csrf, k_route_plain,
          [&s](RequestContext& ctx) { return login(s, ctx); });

    if (v >= PanelVersion{3, 0, 2}) {
        r.add("POST", "logout", Guard::csrf, k_route_plain, [&s](RequestContext& ctx) {
            Reply reply = Reply::json(R"({"success":true})");
            clear_session(s, ctx, reply);
            return reply;
        });
    } else {
        r.add("GET", "logout", Guard::open, k_route_plain, [&s](RequestContext& ctx) {
            Reply reply = Reply::redirect(307, s.opts.base_path, true);
            clear_session(s, ctx, reply);
            return reply;
        });
    }

    if (v >= PanelVersion{3, 0, 0}) {
        // Public: no `msg` key in this answer (§3.1).
        r.add("GET", "csrf-token", Guard::open, k_route_plain, [&s](RequestContext& ctx) {
            Reply reply;
            const std::string token = ensure_csrf_token(s, ctx, reply);
            Reply body = Reply::json(to_json([&token](JsonWriter& w) {
                w.StartObject();
                w.Key("success");
                w.Bool(true);
                put_field(w, "obj", token);
                w.EndObject();
            }));
            body.headers = std::move(reply.headers);
            return body;
        });
        r.add("GET", "panel/csrf-token", Guard::panel_page, k_route_plain,
              [&s](RequestContext& ctx) {
                  Reply reply;
                  const std::string token = ensure_csrf_token(s, ctx, reply);
                  Reply body = json_obj([&token](JsonWriter& w) { put_string(w, token); });
                  body.headers = std::move(reply.headers);
                  return body;
              });
    }

    if (v >= PanelVersion{2, 6, 0}) {
        r.add("POST", "getTwoFactorEnable", Guard::csrf, k_route_plain, [&s](RequestContext&) {
            const bool enabled = s.creds.totp_key.has_value();
            return json_obj([enabled](JsonWriter& w) { w.Bool(enabled); });
        });
    }

    const auto status = [&s](RequestContext& ctx) {
        const std::int64_t uptime = (ctx.now - s.start_ms) / 1000;
        return json_obj([&s, uptime](JsonWriter& w) {
            write_server_status(w, s.opts.version, s.opts.version_text, uptime);
        });
    };
    if (v >= PanelVersion{3, 6, 0}) {
        // internal/web/controller/server.go:59,401-413 (present in v3.6.0):
        // this panel's own web certificate paths; node-sync tokens may read it.
        r.add("GET", "panel/api/server/getWebCertFiles", Guard::api, k_route_plain,
              [](RequestContext&) {
                  return json_obj([](JsonWriter& w) {
                      w.StartObject();
                      put_field(w, "webCertFile", "");
                      put_field(w, "webKeyFile", "");
                      w.EndObject();
                  });
              });
    }
    if (v >= PanelVersion{2, 7, 0}) {
        r.add("GET", "panel/api/server/status", Guard::api, k_route_plain, status);
    } else {
        r.add("POST", "panel/server/status", Guard::panel_page, k_route_plain, status);
    }
}

}  // namespace sandbox
