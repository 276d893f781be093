#pragma once

#include <optional>
#include <string>
#include <vector>

#include "commands/history_query.hpp"
#include "commands/usage_query.hpp"
#include "fleet.hpp"

namespace xuictl {

// The usage-history views over a fleet (--since/--from/--to/--lifetime,
// --by, clients show --history). Every panel's samples are keyed by its own
// panel identity in the one local database (history.hpp), so each panel is
// queried on its own and shows its own coverage of the one window.
struct FleetHistoryPanel {
    std::string name;
    std::optional<Error> error;  // its read or its history failed: shown in its place
    std::optional<HistorySource> source;
    HistoryWindow window;              // the run's window, this panel's coverage
    std::vector<ClientUsage> clients;  // its selected clients
    // false: a node of another panel of the fleet (fleet_nodes.hpp), shown
    // but left out of the "(fleet)" sums, which its master's samples hold.
    bool counted = true;
};

// Panel i takes selected[i] and opens its history (panel identity from its
// own Context); a panel whose read failed keeps that error.
std::vector<FleetHistoryPanel> open_fleet_history(Fleet& fleet,
                                                  const std::vector<const Error*>& read_errors,
                                                  std::vector<std::vector<ClientUsage>>& selected,
                                                  const HistoryWindow& window);

// apply_history on every panel that answered (a history error becomes
// that panel's error).
void apply_fleet_history(std::vector<FleetHistoryPanel>& panels);

// The panels' errors (nullptr: it answered), for report_panel_errors.
std::vector<const Error*> fleet_history_errors(const std::vector<FleetHistoryPanel>& panels);

// After apply_fleet_history: table: a window line per panel, PANEL + the
// client rows and each panel's TOTAL row, a "(fleet)" TOTAL row last;
// CSV/TSV: PANEL + the columns of one panel (its own COVERED); JSON
// {panels: [{panel, status, [error], window, clients, totals}], totals}.
void write_fleet_history_clients(Context& ctx, const std::vector<FleetHistoryPanel>& panels);

// --by day|week|month|cycle and clients show --history over a fleet: each
// panel's periods (a history error becomes its error) behind a PANEL
// column; for periods, "(fleet)" rows per period sum the panels that
// answered (COVERED "-": each panel covers its own part). JSON {panels:
// [{panel, status, [error], window, by, periods|cycles}], periods: [{from_ms,
// to_ms, up, down, used}]} (no fleet rows for cycles: they are per client).
void write_fleet_history_periods(Context& ctx, const HistoryOptions& options,
                                 std::vector<FleetHistoryPanel>& panels, bool bars);

}  // namespace xuictl
