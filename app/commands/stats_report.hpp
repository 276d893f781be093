#pragma once

#include <cstddef>

#include "commands/stats_data.hpp"
#include "commands/stats_monitor.hpp"
#include "context.hpp"

namespace CLI {
class App;
}

namespace xuictl {

// `stats --report [--top N]`: totals per inbound and overall.
struct ReportOptions {
    bool enabled = false;
    size_t top = 10;
};

// --report excludes the monitoring options; --top needs --report.
void add_report_options(CLI::App& stats, ReportOptions& options, const MonitorFlags& monitor);

// Per inbound: clients, up, down, used, quota, % used, % of the panel total;
// the total; the top N clients (by the --sort key when it is used, percent
// or quota, else by used). Table, CSV/TSV (one sheet, SCOPE column) or JSON.
int run_report_view(Context& ctx, const ReportOptions& options, const StatsData& data);

// --report over a fleet: each panel's report (as above) behind its panel —
// table: PANEL + the inbound rows and the panel's TOTAL row (its SHARE: the
// panel's % of the fleet), a failed panel in its place, a "(fleet)" TOTAL
// row last, then each panel's top clients; CSV/TSV: PANEL + the sheet's
// columns, a "(fleet)" total row last; JSON {panels: [{panel, status,
// [error], [window], inbounds, total, top, fleet_share}], total}. With a
// history window, each panel's window line first (table). Writes stdout
// only: the caller reports failed panels and chooses the exit code.
void write_fleet_report(Context& ctx, const ReportOptions& options, const FleetStats& fleet);

}  // namespace xuictl
