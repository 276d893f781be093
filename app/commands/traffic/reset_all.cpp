// xuictl traffic reset-all — zero every inbound's own counters (not clients').
#include <CLI/CLI.hpp>

#include <memory>

#include "commands/command.hpp"
#include "commands/destructive.hpp"

namespace xuictl {

void register_traffic_reset_all(CLI::App& traffic, Dispatch& dispatch) {
    auto o = std::make_shared<DestructiveOptions>();
    auto* cmd = traffic.add_subcommand(
        "reset-all", "Reset every INBOUND's own up/down counters; client counters are NOT touched");
    add_destructive_options(*cmd, *o);
    cmd->footer(
        "This is the panel's resetAllTraffics: it zeroes inbound counters only and leaves every\n"
        "client's usage as it is. To reset clients use: xuictl inbound reset --all\n"
        "Confirm by typing: RESET ALL INBOUNDS ON <panel> (the profile, else the panel's host)");
    cmd->callback([&dispatch, o] {
        dispatch.fleet_ok = true;  // one plan, one phrase, a result per panel
        dispatch.selected = [o](Context& ctx) {
            return run_destructive(
                ctx, *o,
                [](const std::vector<Inbound>& inbounds, const Capabilities& caps, int64_t now) {
                    return plan_reset_inbound_counters(inbounds, caps, now);
                },
                [](PanelApi& api, const Plan&) { return api.reset_inbound_counters(); });
        };
    });
}

}  // namespace xuictl
