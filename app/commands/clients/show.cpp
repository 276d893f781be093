// xuictl clients show EMAIL — one client in detail, in every inbound holding it.
#include <CLI/CLI.hpp>

#include <memory>
#include <optional>
#include <ostream>
#include <utility>

#include "commands/command.hpp"
#include "commands/fleet_clients.hpp"
#include "commands/history_fleet.hpp"
#include "commands/history_query.hpp"
#include "commands/usage_query.hpp"
#include "fleet_nodes.hpp"
#include "model/cycle.hpp"
#include "ui/usage_view.hpp"
#include "util/units.hpp"

namespace xuictl {
namespace {

struct ShowOptions {
    std::string email;
    HistoryOptions history;
    bool chart = false;  // --history
};

// --history (a bar per day, or per --by period) and the window options:
// this client's bytes per the usage history.
int run_show_history(Context& ctx, const ShowOptions& o, HistoryWindow window,
                     std::vector<ClientUsage> clients) {
    auto source = open_history_source(ctx);
    if (!source) {
        return ctx.report(source.error());
    }
    clients.resize(1);  // a shared client is one history, whichever inbound lists it
    if (o.chart || !o.history.by.empty()) {
        return run_history_periods(ctx, *source, o.history, window, clients, o.chart);
    }
    if (auto s = apply_history(*source, window, clients); !s) {
        return ctx.report(s.error());
    }
    return write_history_clients(ctx, window, clients);
}

// The FIELD/VALUE table of one client, for people (first row: its panel
// when the run reads a fleet).
Table client_detail(const ClientUsage& c, const std::vector<Inbound>& inbounds,
                    const UsageStyle& style, const std::string& panel) {
    Table t({{"FIELD", false}, {"VALUE", false}});
    if (!panel.empty()) {
        t.add_row({"panel", panel});
    }
    t.add_row({"email", c.email});
    t.add_row({"inbound", std::to_string(c.inbound_id) + " " + remark_of(inbounds, c.inbound_id)});
    t.add_row({"enabled", client_state(c)});
    t.add_row({"up", bytes_cell(c.up, style.raw_bytes)});
    t.add_row({"down", bytes_cell(c.down, style.raw_bytes)});
    t.add_row({"used", bytes_cell(c.used(), style.raw_bytes)});
    t.add_row({"quota", quota_cell(c.quota, style.raw_bytes)});
    t.add_row({"used %", format_percent(c.percent())});
    t.add_row({"expires", format_expiry(c.expiry_time, style.now_ms)});
    t.add_row({"auto-renew", c.reset > 0 ? std::to_string(c.reset) + " days" : "off"});
    t.add_row({"depleted", is_depleted(c, style.rule, style.now_ms) ? "yes" : "no"});
    t.add_row({"cycle", describe_cycle(client_cycle(c, style.now_ms), c, style.now_ms)});
    if (never_purged_by_panel(c, client_cycle(c, style.now_ms), style.now_ms)) {
        t.add_row({"purge", "never by the panel: capped renewals spent, reset/resetDay set"});
    }
    return t;
}

// --history and the window options over a fleet: the client's history on
// each panel that has it (history_fleet.hpp).
int run_fleet_show_history(Context& ctx, Fleet& fleet, const ShowOptions& o,
                           const std::vector<const Error*>& errors,
                           std::vector<std::vector<ClientUsage>>& selected,
                           const HistoryWindow& window) {
    auto all = open_fleet_history(fleet, errors, selected, window);
    // A panel without the client shows nothing, as clients show over a fleet.
    std::vector<FleetHistoryPanel> panels;
    std::vector<size_t> index;  // panels[k] is the fleet's panel index[k]
    for (size_t i = 0; i < all.size(); ++i) {
        if (all[i].error || !all[i].clients.empty()) {
            all[i].clients.resize(std::min<size_t>(all[i].clients.size(), 1));  // one history
            panels.push_back(std::move(all[i]));
            index.push_back(i);
        }
    }
    if (o.chart || !o.history.by.empty()) {
        write_fleet_history_periods(ctx, o.history, panels, o.chart);
    } else {
        apply_fleet_history(panels);
        write_fleet_history_clients(ctx, panels);
    }
    std::vector<const Error*> failed(errors.size(), nullptr);
    for (size_t k = 0; k < panels.size(); ++k) {
        failed[index[k]] = panels[k].error ? &*panels[k].error : nullptr;
    }
    return report_panel_errors(ctx, fleet, failed);
}

int run_fleet_clients_show(Context& ctx, Fleet& fleet, std::vector<Result<InboundsRead>>& reads,
                           const UsageQuery& query, const ShowOptions& o,
                           const std::optional<HistoryWindow>& window) {
    const auto errors = panel_errors(reads);
    auto selected = select_fleet_clients(reads, query);
    if (!selected) {
        return report_panels_then(ctx, fleet, errors, selected.error());
    }
    if (window) {
        return run_fleet_show_history(ctx, fleet, o, errors, *selected, *window);
    }
    const FleetNodes nodes = link_read_nodes(fleet, reads);
    const FleetClients f{fleet, reads, errors, *selected, &nodes};
    auto& out = ctx.env().out;
    const Format format = ctx.format();
    if (format == Format::json) {
        write_fleet_clients_json(out, ctx.pretty_json(), f);
    } else if (format != Format::table) {
        fleet_client_table(f, format).render(out, format);
    } else {
        for (size_t i = 0; i < reads.size(); ++i) {
            if (errors[i] != nullptr) {
                Table t({{"FIELD", false}, {"VALUE", false}});
                t.add_row({"panel", fleet.name(i)});
                t.add_row({"status", "failed: " + errors[i]->message});
                t.render(out, Format::table);
                continue;
            }
            for (const auto& c : (*selected)[i]) {
                client_detail(c, reads[i]->inbounds, reads[i]->style, fleet.name(i))
                    .render(out, Format::table);
            }
        }
    }
    return report_panel_errors(ctx, fleet, errors);
}

int run_clients_show(Context& ctx, const ShowOptions& o) {
    const std::string& email = o.email;
    std::optional<HistoryWindow> window;
    if (o.chart || o.history.any()) {
        auto resolved = resolve_window(o.history, ctx.clock().now_ms());
        if (!resolved) {
            return ctx.report(resolved.error());
        }
        window = std::move(*resolved);
    }
    // A fleet reads each panel's list (Fleet::read): the run's own Context
    // names no one panel, so it is never asked here.
    if (window && (o.chart || !o.history.by.empty()) && !wants_fleet(ctx.global())) {
        // Per-period views need of the panel only that the client exists:
        // asked about it alone where the panel can say (v3.1+), not with
        // the whole list (bench/history: 10 000 clients, 655 ms of 700).
        auto api = ctx.panel();
        if (!api) {
            return ctx.report(api.error());
        }
        auto ids = (*api)->client_inbounds(email);
        if (!ids) {
            return ctx.report(ids.error());
        }
        if (*ids) {
            ClientUsage client;
            client.email = email;
            client.inbound_id = (*ids)->front();
            return run_show_history(ctx, o, std::move(*window), {std::move(client)});
        }
    }
    auto fleet = Fleet::open(ctx);
    if (!fleet) {
        return ctx.report(fleet.error());
    }
    // The full list: only it carries each client's own reset cycle (after
    // v3.6.0); list/slim cuts settings.clients down to email and switch.
    auto reads =
        (*fleet)->read<InboundsRead>(fleet_inbounds_reader(**fleet, PanelApi::ListDetail::full));
    UsageQuery query;
    query.client = email;
    if ((*fleet)->is_fleet()) {
        return run_fleet_clients_show(ctx, **fleet, reads, query, o, window);
    }
    auto& read = reads[0];
    if (!read) {
        return ctx.report(read.error());
    }
    const std::vector<Inbound>& inbounds = read->inbounds;
    const UsageStyle& style = read->style;
    auto clients =
        select_clients(std::move(read->clients), inbounds, query, style.rule, style.now_ms);
    if (!clients) {
        return ctx.report(clients.error());
    }
    if (window) {
        return run_show_history(ctx, o, std::move(*window), std::move(*clients));
    }
    auto& out = ctx.env().out;
    const Format format = ctx.format();
    if (format == Format::json) {
        JsonWriter w(out, ctx.pretty_json());
        // One object for the common case of one inbound; scripts index [0]
        // otherwise, so always an array keeps the shape stable.
        w.StartArray();
        for (const auto& c : *clients) {
            write_client_json(w, c, style);
        }
        w.EndArray();
        w.finish();
        return 0;
    }
    if (format != Format::table) {
        client_table(*clients, style, format).render(out, format);
        return 0;
    }
    for (const auto& c : *clients) {
        client_detail(c, inbounds, style, "").render(out, Format::table);
    }
    return 0;
}

}  // namespace

void register_clients_show(CLI::App& clients, Dispatch& dispatch) {
    auto o = std::make_shared<ShowOptions>();
    auto* cmd = clients.add_subcommand("show", "Show one client's usage, quota, expiry and state");
    cmd->add_option("email", o->email, "Client email (exact)")->required()->type_name("EMAIL");
    add_history_options(*cmd, o->history);
    cmd->add_flag("--history", o->chart,
                  "Usage per day (or --by period) from the usage history: a bar chart on a "
                  "terminal, numbers with -o json/csv")
        ->group("Usage history (xuictl collect)")
        ->excludes("--lifetime");
    cmd->footer(
        "With --since/--from/--to/--lifetime the client's up/down are what `xuictl collect`\n"
        "samples saw in that window; --history draws the last 30 days (or the window) per day.");
    cmd->callback([&dispatch, o] {
        dispatch.fleet_ok = true;
        dispatch.selected = [o](Context& c) { return run_clients_show(c, *o); };
    });
}

}  // namespace xuictl
