#include "commands/stats_fleet.hpp"

#include <fmt/format.h>

#include <optional>
#include <ostream>

#include "commands/fleet_clients.hpp"
#include "ui/fleet_view.hpp"
#include "ui/usage_view.hpp"

namespace xuictl {
namespace {

// The fleet total's row name: not a valid-looking profile name.
constexpr const char* kFleetRow = "(fleet)";

Table totals_table(const Fleet& fleet, const std::vector<const Error*>& errors,
                   const std::vector<ClientTotals>& totals, bool raw) {
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
        row(fleet.name(i), "ok", totals[i]);
        sum += totals[i];
    }
    row(kFleetRow, failed == 0 ? "ok" : fmt::format("{} of {} failed", failed, totals.size()), sum);
    return t;
}

}  // namespace

Status check_fleet_stats_options(const MonitorOptions& monitor, const std::string& output,
                                 bool report) {
    const char* what = report                      ? "--report"
                       : !monitor.textfile.empty() ? "--textfile"
                       : output == "prometheus"    ? "-o prometheus"
                                                   : nullptr;
    if (what == nullptr) {
        return ok_status();
    }
    return make_error(ErrorKind::usage,
                      fmt::format("{} reads one panel; --all-profiles, --profile a,b and @group "
                                  "give the plain view and --warn/--crit",
                                  what),
                      fmt::format("run {} once per profile: --profile NAME", what));
}

int run_fleet_stats(Context& ctx, const Fleet& fleet, std::vector<Result<InboundsRead>>& reads,
                    const UsageQuery& query, const MonitorOptions& monitor) {
    const auto errors = panel_errors(reads);
    auto selected = select_fleet_clients(reads, query);
    if (!selected) {
        return report_panels_then(ctx, fleet, errors, selected.error());
    }
    const size_t n = reads.size();
    std::vector<std::vector<Inbound>> shown(n);
    std::vector<ClientTotals> totals(n);
    for (size_t i = 0; i < n; ++i) {
        if (errors[i] == nullptr) {
            shown[i] = query.filters() ? shown_inbounds(reads[i]->inbounds, (*selected)[i], query)
                                       : reads[i]->inbounds;
            totals[i] = client_totals((*selected)[i], reads[i]->style);
        }
    }
    if (monitor.thresholds.any()) {
        std::vector<std::optional<StatsData>> data(n);
        FleetStats view;
        const std::vector<ClientUsage> none;
        for (size_t i = 0; i < n; ++i) {
            if (errors[i] == nullptr) {
                data[i].emplace(StatsData{reads[i]->inbounds, shown[i], (*selected)[i], none, query,
                                          reads[i]->style});
            }
            view.panels.push_back({fleet.name(i), data[i] ? &*data[i] : nullptr, errors[i]});
        }
        return run_fleet_threshold_view(ctx, monitor, view);
    }
    auto& out = ctx.env().out;
    const FleetClients f{fleet, reads, errors, *selected};
    const Format format = ctx.format();
    if (format == Format::json) {
        JsonWriter w(out, ctx.pretty_json());
        w.StartObject();
        write_key(w, "panels");
        w.StartArray();
        ClientTotals sum;
        for (size_t i = 0; i < n; ++i) {
            w.StartObject();
            write_panel_status(w, fleet.name(i), errors[i]);
            if (errors[i] == nullptr) {
                write_key(w, "inbounds");
                w.StartArray();
                for (const auto& in : shown[i]) {
                    w.StartObject();
                    write_inbound_json_fields(w, in, reads[i]->style);
                    w.EndObject();
                }
                w.EndArray();
                write_panel_clients_json(w, f, i);
                write_key(w, "totals");
                write_totals_json(w, totals[i]);
                sum += totals[i];
            }
            w.EndObject();
        }
        w.EndArray();
        write_key(w, "totals");
        write_totals_json(w, sum);
        w.EndObject();
        w.finish();
    } else if (format == Format::table) {
        Table inbounds = with_panel_column(inbound_table({}, UsageStyle{}).columns());
        for (size_t i = 0; i < n; ++i) {
            if (errors[i] == nullptr) {
                inbounds.add_rows_of(fleet.name(i), inbound_table(shown[i], reads[i]->style));
            } else {
                add_failed_panel(inbounds, fleet.name(i), *errors[i]);
            }
        }
        inbounds.render(out, format);
        out << "\n";
        fleet_client_table(f, format).render(out, format);
        out << "\n";
        totals_table(fleet, errors, totals, ctx.raw_bytes()).render(out, format);
    } else {
        fleet_client_table(f, format).render(out, format);
    }
    return report_panel_errors(ctx, fleet, errors);
}

}  // namespace xuictl
