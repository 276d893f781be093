// xuictl inbound list — every inbound with its own counters.
#include <CLI/CLI.hpp>

#include <memory>
#include <ostream>

#include "commands/command.hpp"
#include "ui/usage_view.hpp"

namespace xuictl {
namespace {

int run_inbound_list(Context& ctx) {
    auto panel = ctx.panel();
    if (!panel) {
        return ctx.report(panel.error());
    }
    auto inbounds = panel.value()->list_inbounds();
    if (!inbounds) {
        return ctx.report(inbounds.error());
    }
    UsageStyle style{ctx.raw_bytes(), ctx.clock().now_ms(), depleted_rule_from_list(*inbounds)};
    auto& out = ctx.env().out;
    if (ctx.format() == Format::json) {
        rapidjson::StringBuffer buffer;
        JsonWriter w(buffer);
        configure(w);
        w.StartArray();
        for (const auto& in : *inbounds) {
            w.StartObject();
            write_inbound_json_fields(w, in, style);
            w.EndObject();
        }
        w.EndArray();
        out.write(buffer.GetString(), static_cast<std::streamsize>(buffer.GetSize()));
        out << "\n";
        return 0;
    }
    inbound_table(*inbounds, style).render(out, ctx.format());
    return 0;
}

}  // namespace

void register_inbound_list(CLI::App& inbound, Dispatch& dispatch) {
    auto* cmd = inbound.add_subcommand("list", "List inbounds with their own up/down counters");
    cmd->callback([&dispatch] { dispatch.selected = run_inbound_list; });
}

}  // namespace xuictl
