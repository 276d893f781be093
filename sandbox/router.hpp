#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <httplib.h>

#include "auth.hpp"
#include "reply.hpp"

namespace sandbox {

// Which middleware chain guards a route (§3.5, §3.6).
enum class Guard {
    open,        // public, no CSRF (GET routes, classic login)
    csrf,        // public but CSRF-protected from v3.0.0 (login, logout, getTwoFactorEnable)
    panel_page,  // <base>panel/...: checkLogin (307 / 401 JSON) + CSRF
    api,         // <base>panel/api/...: checkAPIAuth (cookie or Bearer) + CSRF unless Bearer
};

// Route traits fault injection keys on.
enum RouteFlags : unsigned {
    k_route_plain = 0U,
    k_route_write = 1U << 0U,  // a mutating POST (write-fails)
    k_route_reset = 1U << 1U,  // a traffic reset (reset-reverts)
};

enum class AuthKind { none, cookie, bearer };

[[nodiscard]] std::string_view auth_name(AuthKind kind);

// Everything a handler may look at for one request.
struct RequestContext {
    const httplib::Request& req;
    std::int64_t now = 0;
    std::vector<std::pair<std::string, std::string>> params;  // decoded path parameters
    AuthKind auth = AuthKind::none;
    std::string session_id;  // cookie value of a live session, "" if none
    Session* session = nullptr;

    [[nodiscard]] const std::string& param(std::string_view name) const;
};

using Handler = std::function<Reply(RequestContext&)>;

struct Route {
    std::string method;
    std::string pattern;  // relative to the base path, e.g. "panel/api/inbounds/get/:id"
    Guard guard = Guard::open;
    unsigned flags = k_route_plain;
    Handler handler;
    std::vector<std::string> segments;
};

struct RouteMatch {
    const Route* route = nullptr;
    std::vector<std::pair<std::string, std::string>> params;
};

// gin-like route table: static segments win over `:param` segments, a
// parameter matches exactly one non-empty segment, methods must match
// exactly (HandleMethodNotAllowed is off, so a wrong method is a 404, §2).
class Router {
public:
    void add(std::string method, std::string pattern, Guard guard, unsigned flags, Handler handler);
    [[nodiscard]] std::optional<RouteMatch> match(std::string_view method,
                                                  std::string_view rel_path) const;

private:
    std::vector<Route> m_routes;
};

}  // namespace sandbox
