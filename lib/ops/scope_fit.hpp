#pragma once

#include <string>

#include "ops/plan.hpp"
#include "panel/token_scope.hpp"

namespace xuictl {

// How a plan's write fits the API token's known scope (3x-ui after v3.6.0,
// api.go:76-114), decided before the plan is shown, so a write the scope
// forbids is never confirmed, recorded or sent.
struct ScopeFit {
    // What the write needs that the scope forbids ("the clients/updateTraffic
    // route ..."), "" when it may be sent.
    std::string refused;
    // The allowed route used instead, said in the plan; "" when none.
    std::string note;
};

// node-sync: clients/bulkResetTraffic becomes one clients/resetTraffic/:email
// per client (the same write, PanelApi does it); a client no URL path can
// carry, a purge (its snapshot reads inbounds/get/:id) and every counter
// write (traffic restore, clients restore) are refused. monitor: every write is refused. admin and
// unscoped: everything fits.
ScopeFit fit_to_scope(const Plan& plan, TokenScope scope);

}  // namespace xuictl
