// xuictl clients show EMAIL — one client in detail, in every inbound holding it.
#include <CLI/CLI.hpp>

#include <memory>
#include <ostream>
#include <utility>

#include "commands/command.hpp"
#include "commands/fleet_clients.hpp"
#include "commands/usage_query.hpp"
#include "ui/usage_view.hpp"
#include "util/units.hpp"

namespace xuictl {
namespace {

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
    return t;
}

int run_fleet_clients_show(Context& ctx, const Fleet& fleet,
                           std::vector<Result<InboundsRead>>& reads, const UsageQuery& query) {
    const auto errors = panel_errors(reads);
    auto selected = select_fleet_clients(reads, query);
    if (!selected) {
        return report_panels_then(ctx, fleet, errors, selected.error());
    }
    const FleetClients f{fleet, reads, errors, *selected};
    auto& out = ctx.env().out;
    const Format format = ctx.format();
    if (format == Format::json) {
        write_fleet_clients_json(out, ctx.pretty_json(), f);
    } else if (format != Format::table) {
        fleet_client_table(f).render(out, format);
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

int run_clients_show(Context& ctx, const std::string& email) {
    UsageQuery query;
    query.client = email;
    auto fleet = Fleet::open(ctx);
    if (!fleet) {
        return ctx.report(fleet.error());
    }
    auto reads = (*fleet)->read<InboundsRead>(read_inbounds);
    if ((*fleet)->is_fleet()) {
        return run_fleet_clients_show(ctx, **fleet, reads, query);
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
        client_table(*clients, style).render(out, format);
        return 0;
    }
    for (const auto& c : *clients) {
        client_detail(c, inbounds, style, "").render(out, Format::table);
    }
    return 0;
}

}  // namespace

void register_clients_show(CLI::App& clients, Dispatch& dispatch) {
    auto email = std::make_shared<std::string>();
    auto* cmd = clients.add_subcommand("show", "Show one client's usage, quota, expiry and state");
    cmd->add_option("email", *email, "Client email (exact)")->required()->type_name("EMAIL");
    cmd->callback([&dispatch, email] {
        dispatch.fleet_ok = true;
        dispatch.selected = [email](Context& c) { return run_clients_show(c, *email); };
    });
}

}  // namespace xuictl
