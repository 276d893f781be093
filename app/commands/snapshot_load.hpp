#pragma once

#include <string>

#include "context.hpp"
#include "panel/panel_api.hpp"
#include "store/snapshot.hpp"

namespace xuictl {

// The snapshot an operation id (= audit id) names in the local store, or
// the file at a path (anything with a '/' or a .json suffix: one kept by
// the previous release, or copied elsewhere). A missing one is a not_found
// Error pointing at `xuictl audit`; reading creates no store.
Result<Snapshot> load_snapshot(Context& ctx, const std::string& id_or_path);

// The PlanCheck of the commands that set counters back (traffic restore,
// clients restore): an unsupported Error, before the plan is shown, when the
// panel has no route for it (classic before v2.6.3).
Status require_counter_route(PanelApi& api, const std::vector<Inbound>& inbounds);

}  // namespace xuictl
