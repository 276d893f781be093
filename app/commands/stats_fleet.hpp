#pragma once

#include <string>
#include <vector>

#include "commands/stats_monitor.hpp"
#include "commands/stats_report.hpp"
#include "commands/usage_query.hpp"
#include "fleet.hpp"

namespace xuictl {

// `stats` over a fleet: per panel its inbounds and clients (a PANEL column
// or "panel" key), then per-panel totals and the fleet total below them
// (table: a TOTALS table; JSON: each panel's "totals" and a top-level
// "totals"); TSV/CSV are the client rows. Exit 0, 7 when a panel failed (its
// error shown in its place), or the failure's own code when all did.
// --warn/--crit, -o prometheus/--textfile and --report give their fleet
// views (run_fleet_threshold_view, run_fleet_prometheus_view,
// write_fleet_report); with a history window (not nullptr) each panel's
// usage history instead of its counters (history_fleet.hpp), --report
// included.
int run_fleet_stats(Context& ctx, Fleet& fleet, std::vector<Result<InboundsRead>>& reads,
                    const UsageQuery& query, const MonitorOptions& monitor,
                    const ReportOptions& report, const HistoryOptions& history,
                    const HistoryWindow* window);

}  // namespace xuictl
