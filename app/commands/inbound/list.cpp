// xuictl inbound list — every inbound with its own counters.
#include <CLI/CLI.hpp>

#include <memory>
#include <ostream>

#include "commands/command.hpp"
#include "commands/usage_query.hpp"
#include "ui/usage_view.hpp"

namespace xuictl {
namespace {

int run_inbound_list(Context& ctx) {
    auto read = read_inbounds(ctx);
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
    cmd->callback([&dispatch] { dispatch.selected = run_inbound_list; });
}

}  // namespace xuictl
