#pragma once

#include <optional>
#include <string>
#include <vector>

#include "commands/stats_data.hpp"
#include "context.hpp"
#include "model/usage_level.hpp"

namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace xuictl {

// `stats --warn PCT --crit PCT` and `stats -o prometheus [--textfile PATH]`:
// monitoring output and exit codes 10/11/12.
struct MonitorOptions {
    Thresholds thresholds;
    std::string textfile;
};

// The options added, for the report options to exclude.
struct MonitorFlags {
    CLI::Option* warn = nullptr;
    CLI::Option* crit = nullptr;
    CLI::Option* textfile = nullptr;
};

MonitorFlags add_monitor_options(CLI::App& stats, MonitorOptions& options);

// Option combinations CLI11 cannot check (-o is a global option): a usage Error.
Status check_monitor_options(const MonitorOptions& options, const std::string& output, bool report);

// Prometheus output is chosen by -o prometheus or --textfile.
bool wants_prometheus(const MonitorOptions& options, const std::string& output);

// Clients at or above each threshold (each under its highest level) as a
// table / TSV / CSV / JSON, a summary on stderr; returns 0, 10, 11 or 12.
int run_threshold_view(Context& ctx, const MonitorOptions& options, const StatsData& data);

// One panel of a fleet as the monitoring view sees it: its name and either
// its selected data or its error.
struct FleetStatsPanel {
    std::string name;
    const StatsData* data = nullptr;  // nullptr: the panel failed
    const Error* error = nullptr;
};
struct FleetNodes;
struct FleetStats {
    std::vector<FleetStatsPanel> panels;
    // Which panel is a node of another (fleet_nodes.hpp): --report's fleet
    // total leaves a node's clients to its master. nullptr: none.
    const FleetNodes* nodes = nullptr;
};

// --warn/--crit over a fleet: PANEL + the threshold columns (a failed panel
// in its place), or JSON {thresholds, level, panels: [{panel, status,
// level, depleted, crit, warn}]}; per-panel summaries and a fleet line on
// stderr; the exit code of fleet_monitor_exit_code (util/exit_code.hpp).
int run_fleet_threshold_view(Context& ctx, const MonitorOptions& options, const FleetStats& fleet);

// Metrics in the node_exporter textfile format, to --textfile (atomically,
// mode 0644) or stdout; with --warn/--crit the exit code as above.
int run_prometheus_view(Context& ctx, const MonitorOptions& options, const StatsData& data);

// The same over a fleet: every series with panel="<profile>" first, plus
// xuictl_panel_up{panel} 1|0 (a failed panel: 0 and no other series, its
// error on stderr). The file is written even when panels failed. Exit code:
// without --warn/--crit 0, 7 when a panel failed, the failure's own code
// when all did (fleet_exit_code); with them fleet_monitor_exit_code.
int run_fleet_prometheus_view(Context& ctx, const MonitorOptions& options, const FleetStats& fleet);

}  // namespace xuictl
