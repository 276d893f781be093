// xuictl clients list — clients with usage, optionally of one inbound.
#include <CLI/CLI.hpp>

#include <memory>
#include <ostream>
#include <utility>

#include "commands/command.hpp"
#include "commands/usage_query.hpp"
#include "ui/parallel_rows.hpp"
#include "ui/usage_view.hpp"

namespace xuictl {
namespace {

int run_clients_list(Context& ctx, const UsageQuery& query) {
    // Every view of it shows each client's own cycle.
    auto read = read_inbounds(ctx, PanelApi::ListDetail::usage_and_cycles);
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
        dispatch.selected = [query](Context& c) { return run_clients_list(c, *query); };
    });
}

}  // namespace xuictl
