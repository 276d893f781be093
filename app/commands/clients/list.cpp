// xuictl clients list — clients with usage, optionally of one inbound.
#include <CLI/CLI.hpp>

#include <memory>
#include <ostream>
#include <utility>

#include "commands/command.hpp"
#include "commands/fleet_clients.hpp"
#include "commands/usage_query.hpp"
#include "fleet_nodes.hpp"
#include "ui/parallel_rows.hpp"
#include "ui/usage_view.hpp"

namespace xuictl {
namespace {

int run_fleet_clients_list(Context& ctx, Fleet& fleet, std::vector<Result<InboundsRead>>& reads,
                           const UsageQuery& query) {
    const auto errors = panel_errors(reads);
    auto selected = select_fleet_clients(reads, query);
    if (!selected) {
        return report_panels_then(ctx, fleet, errors, selected.error());
    }
    const FleetNodes nodes = link_read_nodes(fleet, reads);
    const FleetClients f{fleet, reads, errors, *selected, &nodes};
    if (ctx.format() == Format::json) {
        write_fleet_clients_json(ctx.env().out, ctx.pretty_json(), f);
    } else {
        fleet_client_table(f, ctx.format()).render(ctx.env().out, ctx.format());
    }
    return report_panel_errors(ctx, fleet, errors);
}

int run_clients_list(Context& ctx, const UsageQuery& query) {
    // Every view of it shows each client's own cycle.
    auto fleet = Fleet::open(ctx);
    if (!fleet) {
        return ctx.report(fleet.error());
    }
    auto reads = (*fleet)->read<InboundsRead>(
        fleet_inbounds_reader(**fleet, PanelApi::ListDetail::usage_and_cycles));
    if ((*fleet)->is_fleet()) {
        return run_fleet_clients_list(ctx, **fleet, reads, query);
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
    if (ctx.format() == Format::json) {
        JsonWriter w(out, ctx.pretty_json());
        w.StartArray();
        write_rows(w, clients->size(), [&rows = *clients, &style](JsonWriter& rw, size_t i) {
            write_client_json(rw, rows[i], style);
        });
        w.EndArray();
        w.finish();
        return 0;
    }
    client_table(*clients, style, ctx.format()).render(out, ctx.format());
    return 0;
}

}  // namespace

void register_clients_list(CLI::App& clients, Dispatch& dispatch) {
    auto query = std::make_shared<UsageQuery>();
    auto* cmd = clients.add_subcommand("list", "List clients with usage, quota and expiry");
    add_usage_query_options(*cmd, *query);
    cmd->callback([&dispatch, query] {
        dispatch.fleet_ok = true;
        dispatch.selected = [query](Context& c) { return run_clients_list(c, *query); };
    });
}

}  // namespace xuictl
