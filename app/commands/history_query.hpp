#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "context.hpp"
#include "model/usage.hpp"
#include "store/usage_history.hpp"
#include "ui/json_out.hpp"
#include "ui/table.hpp"

namespace CLI {
class App;
}

namespace xuictl {

// The usage-history options of `stats` and `clients show`:
// --since 30d|2026-11-01, --from/--to DATE, --by day|week|month|cycle,
// --lifetime. With any of them, a client's up/down are what the history
// (xuictl collect) saw in that window instead of the panel's counters.
struct HistoryOptions {
    std::string since;
    std::string from;
    std::string to;
    std::string by;  // "" | day | week | month | cycle
    bool lifetime = false;
    bool any() const {
        return !since.empty() || !from.empty() || !to.empty() || !by.empty() || lifetime;
    }
};

void add_history_options(CLI::App& cmd, HistoryOptions& options);

// The window asked for, [from_ms, to_ms]: bytes of samples taken in
// (from_ms, to_ms] count. --since N(h|d|w) is now minus N hours/days/weeks;
// a date is local midnight (calendar.hpp); --to defaults to now; --by
// without a window means the last 30 days. Bad values are usage Errors.
struct HistoryWindow {
    int64_t from_ms = 0;
    int64_t to_ms = 0;
    bool lifetime = false;
    std::vector<Span> covered;  // what samples cover (never invented)
};
Result<HistoryWindow> resolve_window(const HistoryOptions& options, int64_t now_ms);

// The panel's history, opened for reading (nullopt: no database yet, an
// empty history) with the panel's identity.
struct HistorySource {
    std::optional<UsageHistory> history;
    std::string panel;
};
Result<HistorySource> open_history_source(Context& ctx);

// Replaces each client's up/down with what the history saw in `window`
// (lifetime: counters when first seen plus every delta since), keeping one
// row per email (a shared client listed under several inbounds counts once),
// and fills window.covered.
Status apply_history(HistorySource& source, HistoryWindow& window,
                     std::vector<ClientUsage>& clients);

// "2026-11-01 00:00:00 → 2026-11-30 12:00:00", the covered spans, the gaps:
// how each output says which part of the window samples cover.
std::string covered_text(const HistoryWindow& window);
// One line for people: "window: A → B; samples cover: ...; gaps: ...".
std::string window_line(const HistoryWindow& window);
// "window": {"from_ms", "to_ms", "lifetime", "covered":[{from_ms,to_ms}],
// "gaps":[{from_ms,to_ms}]} (a key and its object).
void write_window_json(JsonWriter& w, const HistoryWindow& window);

// The clients (after apply_history) with the window's bytes: a window line
// and INBOUND, EMAIL, UP, DOWN, USED on a terminal; WINDOW_FROM, WINDOW_TO
// and COVERED columns added in CSV/TSV; {window, clients, totals} in JSON.
int write_history_clients(Context& ctx, const HistoryWindow& window,
                          const std::vector<ClientUsage>& clients);

// "up", "down", "used" (= up + down) of a history row.
void write_bytes_json(JsonWriter& w, int64_t up, int64_t down);

// The pieces of the views above, for the fleet views (history_fleet.hpp):
// the members of the JSON object and the table rows, per panel.
void write_history_clients_members(JsonWriter& w, const HistoryWindow& window,
                                   const std::vector<ClientUsage>& clients);
// With a TOTAL row for a table; WINDOW_FROM/WINDOW_TO/COVERED for CSV/TSV.
Table history_clients_table(const HistoryWindow& window, const std::vector<ClientUsage>& clients,
                            Format format, bool raw);

// One period of --by day|week|month: (from, to] clipped to the window,
// what samples cover of it, the bytes per client and in all.
struct PeriodRow {
    Span span;
    std::string label;
    std::vector<Span> covered;
    std::unordered_map<std::string, Moved> clients;
    int64_t up = 0;
    int64_t down = 0;
};
Result<std::vector<PeriodRow>> history_periods(HistorySource& source, const HistoryOptions& options,
                                               const HistoryWindow& window,
                                               const std::vector<ClientUsage>& clients);
// window, by, periods: [{from_ms, to_ms, covered_ms, covered, up, down, used, clients}]
void write_periods_members(JsonWriter& w, const HistoryOptions& options,
                           const HistoryWindow& window, const std::vector<PeriodRow>& periods,
                           const std::vector<ClientUsage>& clients);
int64_t periods_max_used(const std::vector<PeriodRow>& periods);
// PERIOD, EMAIL, UP, DOWN, USED, COVERED (+ a bar when `chart`, scaled to
// max_used): per period an "(all)" row (bars: the one client's) and, unless
// `bars`, a row per client that moved bytes.
Table periods_table(const std::vector<PeriodRow>& periods, const std::vector<ClientUsage>& clients,
                    bool bars, bool chart, int64_t max_used, Format format, bool raw);

// --by cycle: the reset cycles of `clients` that overlap the window.
Result<std::vector<CycleRow>> history_cycles(HistorySource& source, const HistoryWindow& window,
                                             const std::vector<ClientUsage>& clients);
// window, by: "cycle", cycles: [{email, start_ms, last_seen_ms, reset_seen_ms, up, down, used,
// cause}]
void write_cycles_members(JsonWriter& w, const HistoryWindow& window,
                          const std::vector<CycleRow>& rows);
// EMAIL, FROM, LAST SEEN, RESET SEEN, UP, DOWN, USED, CAUSE (CSV/TSV: raw
// numbers and UTC times, as every table below).
Table cycles_table(const std::vector<CycleRow>& rows, Format format, bool raw);

// `--by day|week|month|cycle` (and `clients show --history`, which is
// --by day for one client): rows per period or cycle, written to ctx's
// output. `email` empty = every client in `clients`.
int run_history_periods(Context& ctx, HistorySource& source, const HistoryOptions& options,
                        const HistoryWindow& window, const std::vector<ClientUsage>& clients,
                        bool bars);

}  // namespace xuictl
