#pragma once

#include <string>
#include <vector>

#include "commands/stats_monitor.hpp"
#include "commands/usage_query.hpp"
#include "fleet.hpp"

namespace xuictl {

// What `stats` does over a fleet today: the plain view and --warn/--crit.
// -o prometheus, --textfile and --report name one panel's inbounds and are
// a usage error with a fleet (run them per panel).
Status check_fleet_stats_options(const MonitorOptions& monitor, const std::string& output,
                                 bool report);

// `stats` over a fleet: per panel its inbounds and clients (a PANEL column
// or "panel" key), then per-panel totals and the fleet total below them
// (table: a TOTALS table; JSON: each panel's "totals" and a top-level
// "totals"); TSV/CSV are the client rows. Exit 0, 7 when a panel failed (its
// error shown in its place), or the failure's own code when all did.
int run_fleet_stats(Context& ctx, const Fleet& fleet, std::vector<Result<InboundsRead>>& reads,
                    const UsageQuery& query, const MonitorOptions& monitor);

}  // namespace xuictl
