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

}  // namespace xuictl
