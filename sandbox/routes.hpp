#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "auth.hpp"
#include "db.hpp"
#include "messages.hpp"
#include "options.hpp"
#include "router.hpp"

namespace sandbox {

// What route handlers operate on. All of it is protected by the server's
// single mutex, held for the whole request.
struct Services {
    const Options& opts;
    const Messages& msg;
    Db& db;
    SessionStore& sessions;
    LoginLimiter& limiter;
    const Credentials& creds;
    CookieSpec cookie;
    std::int64_t start_ms = 0;
};

// Index, login/logout, CSRF token, 2FA flag, server status (§3, §4.1 "more classic routes").
void add_common_routes(Router& router, Services& services);
// <base>panel/api/inbounds/* of v2.0.0 - v3.0.2 (§4.1).
void add_classic_routes(Router& router, Services& services);
// <base>panel/api/inbounds/* and clients/* of v3.1.0+ (§5).
void add_v3_routes(Router& router, Services& services);

// ---- helpers shared by the route files ---------------------------------------

// strconv.Atoi on a path parameter; nullopt with the Go error text in `error`.
[[nodiscard]] std::optional<int> go_atoi(std::string_view text, OpStatus& error);

// The common controller shape: success -> `success_msg`, failure ->
// somethingWentWrong + " (" + err + ")", panic -> 500.
[[nodiscard]] Reply service_reply(const Messages& msg, std::string_view success_msg,
                                  const OpStatus& status);

// POST onlines: emails seen online (seeded; no traffic is simulated).
[[nodiscard]] Reply onlines_reply(const Db& db);
// POST lastOnline: {email: unix-ms}.
[[nodiscard]] Reply last_online_reply(const Db& db);
// Pre-reserved buffer size for a full inbound listing.
[[nodiscard]] std::size_t listing_capacity(const Db& db);

}  // namespace sandbox
