#pragma once

#include <cstdint>
#include <string_view>

#include <httplib.h>

#include "auth.hpp"
#include "db.hpp"
#include "fault.hpp"
#include "reply.hpp"
#include "request_log.hpp"

namespace sandbox {

struct ControlDeps {
    Db& db;
    RequestLog& log;
    SessionStore& sessions;
    FaultTable& faults;
    const Credentials& creds;
};

// Test-only routes at the server root, outside the base path, never logged
// and never subject to faults:
//   GET  /__sandbox/state            the DB as canonical JSON
//   GET  /__sandbox/requests         the request log as a JSON array
//   POST /__sandbox/expire-sessions  drop every session
//   GET  /__sandbox/totp             {"code":"123456"} (404 without 2FA)
//   POST /__sandbox/reset-log        clear the request log
//   POST /__sandbox/fault            add a fault rule ({"mode":"none"} clears)
//   GET  /__sandbox/fault            list active fault rules
//   POST /__sandbox/traffic          set a client's counters, as traffic
//                                    flows or the panel's own periodic reset
//                                    would: {"email":E,"up":N,"down":N}
//   POST /__sandbox/traffic-flow     add up/down to every N-th traffic row:
//                                    {"every":N,"offset":K,"up":U,"down":D}
//   POST /__sandbox/client           edit one client for a test: {"email", "attach":[ids],
//                                    "reset","resetDay","resetMax","resetCount",
//                                    "trafficReset","trafficResetDay","expiryTime",
//                                    "total","up","down"} (each optional)
//   POST /__sandbox/inbound          {"id", "protocol" (a name the emulator does not model,
//                                    e.g. amneziawg, tuic), "nodeId"} (each but id optional)
[[nodiscard]] Reply handle_control(ControlDeps& deps, const httplib::Request& req,
                                   std::string_view path, std::int64_t now);

}  // namespace sandbox
