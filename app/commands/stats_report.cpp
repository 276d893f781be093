#include "commands/stats_report.hpp"

#include <CLI/CLI.hpp>

#include <fmt/format.h>
#include <algorithm>
#include <ostream>

#include "cli_checks.hpp"
#include "fleet_nodes.hpp"
#include "model/usage_report.hpp"
#include "ui/fleet_view.hpp"
#include "util/units.hpp"

namespace xuictl {
namespace {

bool sorts_by_amount(const std::string& sort) {
    return sort == "used" || sort == "percent" || sort == "quota";
}

// Inbound rows follow --sort where it means something for a sum.
void sort_rows(std::vector<InboundTotals>& rows, const UsageQuery& q) {
    auto key_less = [&](const InboundTotals& a, const InboundTotals& b) {
        if (q.sort == "used") {
            return a.totals.used() > b.totals.used();
        }
        if (q.sort == "quota") {
            return a.totals.quota > b.totals.quota;
        }
        if (q.sort == "percent") {
            return a.totals.percent().value_or(-1.0) > b.totals.percent().value_or(-1.0);
        }
        return false;  // panel order
    };
    std::stable_sort(rows.begin(), rows.end(), key_less);
    if (q.reverse) {
        std::reverse(rows.begin(), rows.end());
    }
}

std::vector<ClientUsage> top_clients(const StatsData& data, size_t n) {
    std::vector<ClientUsage> top = data.clients;
    if (!sorts_by_amount(data.query.sort)) {
        std::stable_sort(top.begin(), top.end(), [](const ClientUsage& a, const ClientUsage& b) {
            return a.used() > b.used();
        });
    }
    top.resize(std::min(n, top.size()));
    return top;
}

std::string quota_total_cell(const UsageTotals& t, bool raw) {
    if (t.unlimited > 0) {
        return raw ? "0" : "unlimited";
    }
    return quota_cell(t.quota, raw);
}

// `data`: TSV/CSV cells (raw bytes, plain decimal ratios).
std::vector<std::string> totals_cells(const UsageTotals& t, std::optional<double> share, bool raw,
                                      bool data = false) {
    raw = raw || data;
    return {std::to_string(t.clients), bytes_cell(t.up, raw),    bytes_cell(t.down, raw),
            bytes_cell(t.used(), raw), quota_total_cell(t, raw), percent_cell(t.percent(), data),
            percent_cell(share, data)};
}

void write_totals_json(JsonWriter& w, const UsageTotals& t) {
    write_key(w, "clients");
    w.Uint64(t.clients);
    write_key(w, "up");
    w.Int64(t.up);
    write_key(w, "down");
    w.Int64(t.down);
    write_key(w, "used");
    w.Int64(t.used());
    write_key(w, "quota");
    w.Int64(t.quota);
    write_key(w, "unlimited_clients");
    w.Uint64(t.unlimited);
    write_key(w, "percent");
    write_optional_double(w, t.percent());
}

// The report object's members: [window], inbounds, total, top.
void write_report_members(JsonWriter& w, const UsageReport& r, const std::vector<ClientUsage>& top,
                          const UsageStyle& style, const HistoryWindow* window) {
    if (window != nullptr) {
        write_window_json(w, *window);
    }
    write_key(w, "inbounds");
    w.StartArray();
    for (const auto& row : r.inbounds) {
        w.StartObject();
        write_key(w, "id");
        w.Int(row.id);
        write_key(w, "remark");
        write_string(w, row.remark);
        write_totals_json(w, row.totals);
        write_key(w, "share");
        write_optional_double(w, row.share);
        w.EndObject();
    }
    w.EndArray();
    write_key(w, "total");
    w.StartObject();
    write_totals_json(w, r.total);
    w.EndObject();
    write_key(w, "top");
    w.StartArray();
    for (const auto& c : top) {
        write_client_json(w, c, style);
    }
    w.EndArray();
}

void write_json(std::ostream& out, bool pretty, const UsageReport& r,
                const std::vector<ClientUsage>& top, const UsageStyle& style,
                const HistoryWindow* window) {
    JsonWriter w(out, pretty);
    w.StartObject();
    write_report_members(w, r, top, style, window);
    w.EndObject();
    w.finish();
}

// The TOTAL row's label: what it adds up.
std::string total_label(size_t clients) {
    return fmt::format("{} client{}, shared counted once", clients, clients == 1 ? "" : "s");
}

// For people: the inbound rows and a TOTAL row (its SHARE: `total_share`).
// Every number is a sum over the inbound's clients (their traffic rows and
// their own quotas), never the inbound's own counters or quota: the header
// and the total row say so.
Table report_table(const UsageReport& r, std::optional<double> total_share, bool raw) {
    Table t({{"INBOUND", true},
             {"REMARK", false},
             {"CLIENTS", true},
             {"UP", true},
             {"DOWN", true},
             {"USED", true},
             {"CLIENT QUOTAS", true},
             {"USED%", true},
             {"SHARE", true}});
    for (const auto& row : r.inbounds) {
        auto cells = totals_cells(row.totals, row.share, raw);
        cells.insert(cells.begin(), {std::to_string(row.id), row.remark});
        t.add_row(std::move(cells));
    }
    auto total = totals_cells(r.total, total_share, raw);
    total.insert(total.begin(), {"TOTAL", total_label(r.total.clients)});
    t.add_row(std::move(total));
    return t;
}

// The top clients: #, INBOUND, EMAIL, USED, QUOTA, USED%, SHARE (of `whole`).
Table top_table(const std::vector<ClientUsage>& top, int64_t whole, bool raw) {
    Table c({{"#", true},
             {"INBOUND", true},
             {"EMAIL", false},
             {"USED", true},
             {"QUOTA", true},
             {"USED%", true},
             {"SHARE", true}});
    for (size_t i = 0; i < top.size(); ++i) {
        c.add_row({std::to_string(i + 1), std::to_string(top[i].inbound_id), top[i].email,
                   bytes_cell(top[i].used(), raw), quota_cell(top[i].quota, raw),
                   format_percent(top[i].percent()),
                   format_percent(percent_of(top[i].used(), whole))});
    }
    return c;
}

// For people: the inbound table with a TOTAL row, then the top clients.
void write_tables(std::ostream& out, const UsageReport& r, const std::vector<ClientUsage>& top,
                  bool raw) {
    report_table(r, percent_of(r.total.used(), r.total.used()), raw).render(out, Format::table);
    out << "(sums of the clients' traffic and of their own quotas, not the inbounds' own "
           "counters; a client in several inbounds counts once in TOTAL)\n";
    if (top.empty()) {
        return;
    }
    out << "\nTop " << top.size() << " client(s):\n";
    top_table(top, r.total.used(), raw).render(out, Format::table);
}

// For spreadsheets: one rectangular sheet; SCOPE is window, inbound, total or top.
const std::vector<Column> kSheetColumns = {{"SCOPE", false}, {"INBOUND", false}, {"REMARK", false},
                                           {"EMAIL", false}, {"CLIENTS", false}, {"UP", false},
                                           {"DOWN", false},  {"USED", false},    {"QUOTA", false},
                                           {"USED%", false}, {"SHARE", false}};

Table report_sheet(const UsageReport& r, const std::vector<ClientUsage>& top,
                   const std::vector<Inbound>& inbounds, bool raw, const HistoryWindow* window) {
    Table t(kSheetColumns);
    if (window != nullptr) {
        // The window and what samples cover, as the sheet's first row.
        t.add_row({"window", "", window_line(*window), "", "", "", "", "", "", "", ""});
    }
    for (const auto& row : r.inbounds) {
        auto cells = totals_cells(row.totals, row.share, raw, true);
        cells.insert(cells.begin(), {"inbound", std::to_string(row.id), row.remark, ""});
        t.add_row(std::move(cells));
    }
    auto total = totals_cells(r.total, percent_of(r.total.used(), r.total.used()), raw, true);
    total.insert(total.begin(), {"total", "", "", ""});
    t.add_row(std::move(total));
    for (const auto& c : top) {
        UsageTotals one;
        one.add(c);
        auto cells = totals_cells(one, percent_of(c.used(), r.total.used()), raw, true);
        cells.insert(cells.begin(), {"top", std::to_string(c.inbound_id),
                                     remark_of(inbounds, c.inbound_id), c.email});
        t.add_row(std::move(cells));
    }
    return t;
}

// One panel's report, as run_report_view builds it.
struct PanelReport {
    UsageReport report;
    std::vector<ClientUsage> top;
};

PanelReport build_panel_report(const ReportOptions& o, const StatsData& data) {
    PanelReport p{build_usage_report(data.inbounds, data.clients), {}};
    sort_rows(p.report.inbounds, data.query);
    p.top = top_clients(data, o.top);
    return p;
}

UsageTotals& operator+=(UsageTotals& a, const UsageTotals& b) {
    a.clients += b.clients;
    a.up += b.up;
    a.down += b.down;
    a.quota += b.quota;
    a.unlimited += b.unlimited;
    return a;
}

// The fleet total's row name (as stats over a fleet): not a profile name.
constexpr const char* kFleetRow = "(fleet)";

}  // namespace

void add_report_options(CLI::App& stats, ReportOptions& o, const MonitorFlags& monitor) {
    const char* group = "Report";
    auto* report = stats
                       .add_flag("--report", o.enabled,
                                 "Totals per inbound and overall: used, quota, % used, % of the "
                                 "panel total, and the top clients")
                       ->group(group);
    report->excludes(monitor.warn)->excludes(monitor.crit)->excludes(monitor.textfile);
    stats
        .add_option("--top", o.top,
                    "With --report: how many top clients to list (default 10, 0 = none)")
        ->type_name("N")
        ->check(whole_number("--top"))
        ->needs(report)
        ->group(group);
}

int run_report_view(Context& ctx, const ReportOptions& o, const StatsData& data) {
    const PanelReport p = build_panel_report(o, data);
    const UsageReport& report = p.report;
    const auto& top = p.top;
    auto& out = ctx.env().out;
    switch (ctx.format()) {
        case Format::json:
            write_json(out, ctx.pretty_json(), report, top, data.style, data.window);
            break;
        case Format::table:
            if (data.window != nullptr) {
                out << window_line(*data.window) << "\n";
            }
            write_tables(out, report, top, data.style.raw_bytes);
            break;
        case Format::csv:
        case Format::tsv:
            report_sheet(report, top, data.inbounds, data.style.raw_bytes, data.window)
                .render(out, ctx.format());
            break;
    }
    return 0;
}

void write_fleet_report(Context& ctx, const ReportOptions& o, const FleetStats& fleet) {
    const size_t n = fleet.panels.size();
    std::vector<std::optional<PanelReport>> reports(n);
    const FleetNodes none;
    const FleetNodes& nodes = fleet.nodes != nullptr ? *fleet.nodes : none;
    UsageTotals sum;
    for (size_t i = 0; i < n; ++i) {
        if (const StatsData* d = fleet.panels[i].data) {
            reports[i] = build_panel_report(o, *d);
            if (nodes.is_node(i)) {
                // A node of a fleet master: only what its master does not count.
                sum += build_usage_report(d->inbounds,
                                          fleet_counted_clients(nodes, i, d->clients, d->inbounds))
                           .total;
            } else {
                sum += reports[i]->report.total;
            }
        }
    }
    // A node's rows are named "NAME (node of MASTER)" in tables.
    const auto label = [&](size_t i) {
        return nodes.is_node(i) ? nodes.label(i) : fleet.panels[i].name;
    };
    const bool raw = ctx.raw_bytes();
    auto& out = ctx.env().out;
    const Format format = ctx.format();
    if (format == Format::json) {
        JsonWriter w(out, ctx.pretty_json());
        w.StartObject();
        write_panels_json(
            w, n, [&](size_t i) -> const std::string& { return fleet.panels[i].name; },
            [&](size_t i) { return fleet.panels[i].error; },
            [&](JsonWriter& pw, size_t i) {
                const auto& p = fleet.panels[i];
                nodes.write_node_of(pw, i);
                write_report_members(pw, reports[i]->report, reports[i]->top, p.data->style,
                                     p.data->window);
                write_key(pw, "fleet_share");
                write_optional_double(pw, percent_of(reports[i]->report.total.used(), sum.used()));
            });
        write_key(w, "total");
        w.StartObject();
        write_totals_json(w, sum);
        w.EndObject();
        w.EndObject();
        w.finish();
    } else if (format == Format::table) {
        for (size_t i = 0; i < n; ++i) {
            if (reports[i] && fleet.panels[i].data->window != nullptr) {
                out << "panel " << fleet.panels[i].name << ": "
                    << window_line(*fleet.panels[i].data->window) << "\n";
            }
        }
        // A panel's TOTAL row: its share of the fleet; the fleet row last.
        Table all = with_panel_column(report_table({}, std::nullopt, raw).columns());
        Table top = with_panel_column(top_table({}, 0, raw).columns());
        for (size_t i = 0; i < n; ++i) {
            const auto& p = fleet.panels[i];
            if (!reports[i]) {
                add_failed_panel(all, p.name, *p.error);
                continue;
            }
            const auto& r = reports[i]->report;
            all.add_rows_of(label(i), report_table(r, percent_of(r.total.used(), sum.used()), raw));
            top.add_rows_of(label(i), top_table(reports[i]->top, r.total.used(), raw));
        }
        auto total = totals_cells(sum, percent_of(sum.used(), sum.used()), raw);
        total.insert(total.begin(), {kFleetRow, "TOTAL", total_label(sum.clients)});
        all.add_row(std::move(total));
        all.render(out, format);
        out << "(sums of the clients' traffic and of their own quotas, not the inbounds' own "
               "counters; a client in several inbounds counts once in each panel's TOTAL)\n";
        for (const auto& note : nodes.notes()) {
            out << "(" << note << ")\n";
        }
        if (!top.empty()) {
            out << "\nTop client(s) per panel:\n";
            top.render(out, format);
        }
    } else {
        Table all = with_panel_column(kSheetColumns);
        for (size_t i = 0; i < n; ++i) {
            const auto& p = fleet.panels[i];
            if (reports[i]) {
                all.add_rows_of(p.name, report_sheet(reports[i]->report, reports[i]->top,
                                                     p.data->inbounds, raw, p.data->window));
            }
        }
        auto total = totals_cells(sum, percent_of(sum.used(), sum.used()), raw, true);
        total.insert(total.begin(), {kFleetRow, "total", "", "", ""});
        all.add_row(std::move(total));
        all.render(out, format);
        for (const auto& note : nodes.notes()) {
            ctx.note(note);  // the rows are data: the rule goes to stderr
        }
    }
}

}  // namespace xuictl
