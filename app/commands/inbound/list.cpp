// xuictl inbound list — every inbound with its own counters.
#include <CLI/CLI.hpp>

#include <memory>
#include <ostream>

#include "commands/command.hpp"
#include "commands/usage_query.hpp"
#include "fleet.hpp"
#include "fleet_nodes.hpp"
#include "ui/fleet_view.hpp"
#include "ui/usage_view.hpp"

namespace xuictl {
namespace {

int run_fleet_inbound_list(Context& ctx, Fleet& fleet,
                           const std::vector<Result<InboundsRead>>& reads) {
    auto& out = ctx.env().out;
    const auto errors = panel_errors(reads);
    const FleetNodes nodes = link_read_nodes(fleet, reads);
    if (ctx.format() == Format::json) {
        JsonWriter w(out, ctx.pretty_json());
        w.StartObject();
        write_key(w, "panels");
        w.StartArray();
        for (size_t i = 0; i < reads.size(); ++i) {
            w.StartObject();
            write_panel_status(w, fleet.name(i), errors[i]);
            if (reads[i]) {
                nodes.write_node_of(w, i);
                write_key(w, "inbounds");
                w.StartArray();
                for (const auto& in : reads[i]->inbounds) {
                    w.StartObject();
                    write_inbound_json_fields(w, in, reads[i]->style);
                    w.EndObject();
                }
                w.EndArray();
            }
            w.EndObject();
        }
        w.EndArray();
        w.EndObject();
        w.finish();
    } else {
        Table all = with_panel_column(inbound_table({}, UsageStyle{}).columns());
        for (size_t i = 0; i < reads.size(); ++i) {
            if (reads[i]) {
                // TSV and CSV are data: PANEL stays the profile name.
                all.add_rows_of(ctx.format() == Format::table ? nodes.label(i) : fleet.name(i),
                                inbound_table(reads[i]->inbounds, reads[i]->style, ctx.format()));
            } else {
                add_failed_panel(all, fleet.name(i), *errors[i]);
            }
        }
        all.render(out, ctx.format());
    }
    return report_panel_errors(ctx, fleet, errors);
}

int run_inbound_list(Context& ctx) {
    auto fleet = Fleet::open(ctx);
    if (!fleet) {
        return ctx.report(fleet.error());
    }
    auto reads =
        (*fleet)->read<InboundsRead>(fleet_inbounds_reader(**fleet, PanelApi::ListDetail::usage));
    if ((*fleet)->is_fleet()) {
        return run_fleet_inbound_list(ctx, **fleet, reads);
    }
    auto& read = reads[0];
    if (!read) {
        return ctx.report(read.error());
    }
    const std::vector<Inbound>& inbounds = read->inbounds;
    const UsageStyle& style = read->style;
    auto& out = ctx.env().out;
    if (ctx.format() == Format::json) {
        JsonWriter w(out, ctx.pretty_json());
        w.StartArray();
        for (const auto& in : inbounds) {
            w.StartObject();
            write_inbound_json_fields(w, in, style);
            w.EndObject();
        }
        w.EndArray();
        w.finish();
        return 0;
    }
    inbound_table(inbounds, style, ctx.format()).render(out, ctx.format());
    return 0;
}

}  // namespace

void register_inbound_list(CLI::App& inbound, Dispatch& dispatch) {
    auto* cmd = inbound.add_subcommand("list", "List inbounds with their own up/down counters");
    cmd->callback([&dispatch] {
        dispatch.fleet_ok = true;
        dispatch.selected = run_inbound_list;
    });
}

}  // namespace xuictl
