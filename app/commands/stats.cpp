// xuictl stats — usage per inbound and per client, from one list request.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <memory>
#include <ostream>
#include <set>
#include <string_view>
#include <unordered_set>

#include "commands/command.hpp"
#include "commands/history_query.hpp"
#include "commands/stats_data.hpp"
#include "commands/stats_fleet.hpp"
#include "commands/stats_monitor.hpp"
#include "commands/stats_report.hpp"
#include "commands/usage_query.hpp"
#include "fleet_nodes.hpp"
#include "ops/panel_notes.hpp"
#include "ui/parallel_rows.hpp"
#include "ui/usage_view.hpp"
#include "util/units.hpp"

namespace xuictl {
namespace {

struct StatsOptions {
    UsageQuery query;
    MonitorOptions monitor;
    ReportOptions report;
    HistoryOptions history;
};

// --since/--from/--to/--by/--lifetime: the selected clients' bytes per the
// usage history instead of the panel's counters (history_query.hpp).
int run_stats_history(Context& ctx, const StatsOptions& o, HistoryWindow window,
                      const StatsData& live, std::vector<ClientUsage> clients) {
    auto source = open_history_source(ctx);
    if (!source) {
        return ctx.report(source.error());
    }
    if (!o.history.by.empty()) {
        keep_first_per_email(clients);
        return run_history_periods(ctx, *source, o.history, window, clients, false);
    }
    if (auto s = apply_history(*source, window, clients); !s) {
        return ctx.report(s.error());
    }
    if (o.report.enabled) {
        StatsData data{live.inbounds,      live.shown, clients,
                       live.shown_clients, live.query, live.style};
        data.window = &window;
        return run_report_view(ctx, o.report, data);
    }
    return write_history_clients(ctx, window, clients);
}

int run_stats(Context& ctx, const StatsOptions& o) {
    const std::string& output = ctx.global().output;
    if (auto s = check_monitor_options(o.monitor, output, o.report.enabled); !s) {
        return ctx.report(s.error());
    }
    std::optional<HistoryWindow> window;
    if (o.history.any()) {
        if (o.monitor.thresholds.any() || wants_prometheus(o.monitor, output)) {
            return ctx.report(
                make_error(ErrorKind::usage, "the usage-history options do not go with monitoring",
                           "--warn/--crit and -o prometheus read the panel's counters now; drop "
                           "--since/--from/--to/--by/--lifetime"));
        }
        auto resolved = resolve_window(o.history, ctx.clock().now_ms());
        if (!resolved) {
            return ctx.report(resolved.error());
        }
        window = std::move(*resolved);
    }
    // Only the plain views show each client's own cycle (not the report,
    // thresholds, metrics or history): only they may need the full list.
    const bool cycles = !window && !wants_prometheus(o.monitor, output) && !o.report.enabled &&
                        !o.monitor.thresholds.any();
    const auto detail =
        cycles ? PanelApi::ListDetail::usage_and_cycles : PanelApi::ListDetail::usage;
    auto fleet = Fleet::open(ctx);
    if (!fleet) {
        return ctx.report(fleet.error());
    }
    auto reads = (*fleet)->read<InboundsRead>(fleet_inbounds_reader(**fleet, detail));
    if ((*fleet)->is_fleet()) {
        return run_fleet_stats(ctx, **fleet, reads, o.query, o.monitor, o.report, o.history,
                               window ? &*window : nullptr);
    }
    auto& read = reads[0];
    if (!read) {
        return ctx.report(read.error());
    }
    const std::vector<Inbound>& inbounds = read->inbounds;
    const UsageStyle& style = read->style;
    if (auto note = node_traffic_note(inbounds)) {
        ctx.note(*note);
    }
    // Without a filter every inbound is shown: no copy of 100 000 clients.
    const bool filtered = o.query.filters();
    // Prometheus sums every client of a shown inbound, selected or not.
    std::vector<ClientUsage> every;
    if (wants_prometheus(o.monitor, output)) {
        every = read->clients;
    }
    auto clients =
        select_clients(std::move(read->clients), inbounds, o.query, style.rule, style.now_ms);
    if (!clients) {
        return ctx.report(clients.error());
    }
    std::vector<Inbound> selected;
    if (filtered) {
        selected = shown_inbounds(inbounds, *clients, o.query);
    }
    const std::vector<Inbound>& shown = filtered ? selected : inbounds;
    if (filtered && !every.empty()) {
        keep_shown_inbounds(every, selected);
    }
    const StatsData data{inbounds, shown, *clients, every, o.query, style};
    if (window) {
        return run_stats_history(ctx, o, std::move(*window), data, std::move(*clients));
    }
    if (wants_prometheus(o.monitor, output)) {
        return run_prometheus_view(ctx, o.monitor, data);
    }
    if (o.report.enabled) {
        return run_report_view(ctx, o.report, data);
    }
    if (o.monitor.thresholds.any()) {
        return run_threshold_view(ctx, o.monitor, data);
    }

    auto& out = ctx.env().out;
    switch (ctx.format()) {
        case Format::json: {
            JsonWriter w(out, ctx.pretty_json());
            w.StartObject();
            write_key(w, "inbounds");
            w.StartArray();
            for (const auto& in : shown) {
                w.StartObject();
                write_inbound_json_fields(w, in, style);
                w.EndObject();
            }
            w.EndArray();
            write_key(w, "clients");
            w.StartArray();
            // 28 MB at 100 000 clients: formatted on up to four cores.
            write_rows(w, clients->size(), [&rows = *clients, &style](JsonWriter& rw, size_t i) {
                write_client_json(rw, rows[i], style);
            });
            w.EndArray();
            write_key(w, "totals");
            write_totals_json(w, client_totals(*clients, style));
            w.EndObject();
            w.finish();
            break;
        }
        case Format::table:
            inbound_table(shown, style).render(out, Format::table);
            out << "\n";
            client_table(*clients, style).render(out, Format::table);
            break;
        case Format::tsv:
        case Format::csv:
            client_table(*clients, style, ctx.format()).render(out, ctx.format());
            break;
    }
    return 0;
}

}  // namespace

void register_stats(CLI::App& root, Dispatch& dispatch) {
    auto o = std::make_shared<StatsOptions>();
    auto* cmd = root.add_subcommand(
        "stats", "Usage per inbound and per client: up, down, used, quota, % used, expiry");
    add_usage_query_options(*cmd, o->query);
    const auto monitor = add_monitor_options(*cmd, o->monitor);
    add_report_options(*cmd, o->report, monitor);
    add_history_options(*cmd, o->history);
    cmd->footer(
        "One list request (plus login when no session is cached). Table on a terminal, TSV in a\n"
        "pipe; -o json prints {inbounds, clients, totals} with bytes and unix-ms values.\n"
        "Monitoring: --warn/--crit list the clients at or above each % of their quota (each\n"
        "under its highest level; 100 % or expired = depleted) and exit 0 (none), 10 (warn),\n"
        "11 (crit) or 12 (depleted). -o prometheus prints node_exporter textfile metrics\n"
        "(client up/down/quota by inbound and email, inbound totals); --textfile PATH writes\n"
        "them atomically (mode 0644). --report sums per inbound and overall (-o csv for a\n"
        "spreadsheet, -o json for scripts); the filters and --sort apply to all of these.\n"
        "History (needs `xuictl collect` samples): --since 30d|DATE, --from/--to, --lifetime\n"
        "show the bytes moved in that window, and which part of it samples cover; --by\n"
        "day|week|month|cycle splits it. `stats --report --since 30d` is a time-range report.\n"
        "Over a fleet (--profile a,b, @group, --all-profiles) every view gives each panel's\n"
        "rows behind a PANEL column, per-panel totals and a (fleet) total, each panel's own\n"
        "history coverage; -o prometheus labels every series panel=\"NAME\" and adds\n"
        "xuictl_panel_up; a panel that fails is shown in its place and the run exits 7.\n"
        "A panel that is a node of a master in the same fleet (3x-ui multi-node: nodes/list,\n"
        "matched on the exact URL) is shown as \"NAME (node of MASTER)\" (JSON \"node_of\"),\n"
        "and the (fleet) total leaves its clients to the master, whose counters include them.");
    cmd->callback([&dispatch, o] {
        dispatch.prometheus_ok = true;
        dispatch.fleet_ok = true;
        dispatch.selected = [o](Context& c) { return run_stats(c, *o); };
    });
}

}  // namespace xuictl
