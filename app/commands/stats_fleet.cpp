#include "commands/stats_fleet.hpp"

#include <fmt/format.h>

#include <optional>
#include <ostream>

#include "commands/fleet_clients.hpp"
#include "commands/history_fleet.hpp"
#include "fleet_nodes.hpp"
#include "ui/fleet_view.hpp"
#include "ui/usage_view.hpp"

namespace xuictl {
namespace {

// The fleet total's row name: not a valid-looking profile name.
constexpr const char* kFleetRow = "(fleet)";

// PANEL ... USED per panel, then the (fleet) row: the sum of `counted`
// (a node of a fleet master: what its master does not count already).
Table totals_table(const Fleet& fleet, const FleetNodes& nodes,
                   const std::vector<const Error*>& errors, const std::vector<ClientTotals>& totals,
                   const std::vector<ClientTotals>& counted, bool raw) {
    Table t({{"PANEL", false},
             {"STATUS", false},
             {"CLIENTS", true},
             {"DEPLETED", true},
             {"UP", true},
             {"DOWN", true},
             {"USED", true}});
    ClientTotals sum;
    size_t failed = 0;
    auto row = [&](const std::string& name, const std::string& status, const ClientTotals& c) {
        t.add_row({name, status, std::to_string(c.clients), std::to_string(c.depleted),
                   bytes_cell(c.up, raw), bytes_cell(c.down, raw), bytes_cell(c.used(), raw)});
    };
    for (size_t i = 0; i < totals.size(); ++i) {
        if (errors[i] != nullptr) {
            ++failed;
            t.add_row({fleet.name(i), "failed"});
            continue;
        }
        row(nodes.label(i), "ok", totals[i]);
        sum += counted[i];
    }
    row(kFleetRow, failed == 0 ? "ok" : fmt::format("{} of {} failed", failed, totals.size()), sum);
    return t;
}

// --since/--from/--to/--lifetime/--by over a fleet: each panel's history.
int run_fleet_stats_history(Context& ctx, Fleet& fleet, std::vector<Result<InboundsRead>>& reads,
                            std::vector<std::vector<ClientUsage>>& selected,
                            const std::vector<std::vector<Inbound>>& shown, const UsageQuery& query,
                            const ReportOptions& report, const HistoryOptions& history,
                            const HistoryWindow& window, const FleetNodes& nodes) {
    auto panels = open_fleet_history(fleet, panel_errors(reads), selected, window);
    for (size_t i = 0; i < panels.size(); ++i) {
        panels[i].counted = !nodes.is_node(i);
    }
    if (!report.enabled) {
        for (const auto& note : nodes.notes()) {
            ctx.note(note);  // --report says it under its own total
        }
    }
    if (!history.by.empty()) {
        for (auto& p : panels) {
            keep_first_per_email(p.clients);
        }
        write_fleet_history_periods(ctx, history, panels, false);
        return report_panel_errors(ctx, fleet, fleet_history_errors(panels));
    }
    apply_fleet_history(panels);
    if (!report.enabled) {
        write_fleet_history_clients(ctx, panels);
        return report_panel_errors(ctx, fleet, fleet_history_errors(panels));
    }
    const size_t n = panels.size();
    std::vector<std::optional<StatsData>> data(n);
    FleetStats view;
    const std::vector<ClientUsage> none;
    for (size_t i = 0; i < n; ++i) {
        const auto& p = panels[i];
        if (!p.error) {
            data[i].emplace(
                StatsData{reads[i]->inbounds, shown[i], p.clients, none, query, reads[i]->style});
            data[i]->window = &p.window;
        }
        view.panels.push_back(
            {p.name, data[i] ? &*data[i] : nullptr, p.error ? &*p.error : nullptr});
    }
    view.nodes = &nodes;
    write_fleet_report(ctx, report, view);
    return report_panel_errors(ctx, fleet, fleet_history_errors(panels));
}

}  // namespace

int run_fleet_stats(Context& ctx, Fleet& fleet, std::vector<Result<InboundsRead>>& reads,
                    const UsageQuery& query, const MonitorOptions& monitor,
                    const ReportOptions& report, const HistoryOptions& history,
                    const HistoryWindow* window) {
    const auto errors = panel_errors(reads);
    const size_t n = reads.size();
    const FleetNodes nodes = link_read_nodes(fleet, reads);
    // Prometheus sums every client of a shown inbound, selected or not.
    const bool prometheus = wants_prometheus(monitor, ctx.global().output);
    std::vector<std::vector<ClientUsage>> every(n);
    if (prometheus) {
        for (size_t i = 0; i < n; ++i) {
            if (errors[i] == nullptr) {
                every[i] = reads[i]->clients;
            }
        }
    }
    auto selected = select_fleet_clients(reads, query);
    if (!selected) {
        return report_panels_then(ctx, fleet, errors, selected.error());
    }
    std::vector<std::vector<Inbound>> shown(n);
    std::vector<ClientTotals> totals(n);
    std::vector<ClientTotals> counted(n);  // what the (fleet) total adds up
    for (size_t i = 0; i < n; ++i) {
        if (errors[i] == nullptr) {
            shown[i] = query.filters() ? shown_inbounds(reads[i]->inbounds, (*selected)[i], query)
                                       : reads[i]->inbounds;
            totals[i] = client_totals((*selected)[i], reads[i]->style);
            counted[i] = nodes.master[i] ? fleet_counted_totals(nodes, i, (*selected)[i],
                                                                reads[i]->inbounds, reads[i]->style)
                                         : totals[i];
            if (query.filters() && prometheus) {
                keep_shown_inbounds(every[i], shown[i]);
            }
        }
    }
    if (window != nullptr) {
        return run_fleet_stats_history(ctx, fleet, reads, *selected, shown, query, report, history,
                                       *window, nodes);
    }
    if (monitor.thresholds.any() || prometheus || report.enabled) {
        std::vector<std::optional<StatsData>> data(n);
        FleetStats view;
        for (size_t i = 0; i < n; ++i) {
            if (errors[i] == nullptr) {
                data[i].emplace(StatsData{reads[i]->inbounds, shown[i], (*selected)[i], every[i],
                                          query, reads[i]->style});
            }
            view.panels.push_back({fleet.name(i), data[i] ? &*data[i] : nullptr, errors[i]});
        }
        view.nodes = &nodes;
        if (prometheus) {
            return run_fleet_prometheus_view(ctx, monitor, view);
        }
        if (report.enabled) {
            write_fleet_report(ctx, report, view);
            return report_panel_errors(ctx, fleet, errors);
        }
        return run_fleet_threshold_view(ctx, monitor, view);
    }
    auto& out = ctx.env().out;
    const FleetClients f{fleet, reads, errors, *selected, &nodes};
    const Format format = ctx.format();
    const auto notes = nodes.notes();
    if (format == Format::json) {
        JsonWriter w(out, ctx.pretty_json());
        w.StartObject();
        ClientTotals sum;
        write_panels_json(
            w, n, [&](size_t i) -> const std::string& { return fleet.name(i); },
            [&](size_t i) { return errors[i]; },
            [&](JsonWriter& pw, size_t i) {
                nodes.write_node_of(pw, i);
                write_key(pw, "inbounds");
                pw.StartArray();
                for (const auto& in : shown[i]) {
                    pw.StartObject();
                    write_inbound_json_fields(pw, in, reads[i]->style);
                    pw.EndObject();
                }
                pw.EndArray();
                write_panel_clients_json(pw, f, i);
                write_key(pw, "totals");
                write_totals_json(pw, totals[i]);
                if (nodes.master[i]) {
                    // What of this node the fleet total counts (its master has the rest).
                    write_key(pw, "fleet_counted");
                    write_totals_json(pw, counted[i]);
                }
                sum += counted[i];
            });
        write_key(w, "totals");
        write_totals_json(w, sum);
        w.EndObject();
        w.finish();
    } else if (format == Format::table) {
        Table inbounds = with_panel_column(inbound_table({}, UsageStyle{}).columns());
        for (size_t i = 0; i < n; ++i) {
            if (errors[i] == nullptr) {
                inbounds.add_rows_of(nodes.label(i), inbound_table(shown[i], reads[i]->style));
            } else {
                add_failed_panel(inbounds, fleet.name(i), *errors[i]);
            }
        }
        inbounds.render(out, format);
        out << "\n";
        fleet_client_table(f, format).render(out, format);
        out << "\n";
        totals_table(fleet, nodes, errors, totals, counted, ctx.raw_bytes()).render(out, format);
        for (const auto& note : notes) {
            out << "(" << note << ")\n";
        }
    } else {
        fleet_client_table(f, format).render(out, format);
        for (const auto& note : notes) {
            ctx.note(note);  // the rows are data: the rule goes to stderr
        }
    }
    return report_panel_errors(ctx, fleet, errors);
}

}  // namespace xuictl
