// xuictl inbound reset ID|--all — zero up/down of every client of an inbound.
#include <CLI/CLI.hpp>

#include <memory>

#include "cli_checks.hpp"
#include "commands/command.hpp"
#include "commands/destructive.hpp"

namespace xuictl {
namespace {

struct InboundResetOptions {
    std::optional<int> id;
    bool all = false;
    DestructiveOptions destructive;
};

int run_inbound_reset(Context& ctx, const InboundResetOptions& o) {
    if (o.id.has_value() == o.all) {
        return ctx.report(make_error(ErrorKind::usage, "give either an inbound ID or --all",
                                     "usage: xuictl inbound reset ID | --all"));
    }
    const std::optional<int> target = o.all ? std::nullopt : o.id;
    return run_destructive(
        ctx, o.destructive,
        [target](const std::vector<Inbound>& inbounds, const Capabilities& caps, int64_t now) {
            return plan_reset_inbound_clients(inbounds, target, caps, now);
        },
        [](PanelApi& api, const Plan& plan) {
            if (!plan.inbound_id) {
                return api.reset_all_clients(plan.emails());
            }
            return api.reset_inbound_clients(*plan.inbound_id, plan.emails());
        });
}

}  // namespace

void register_inbound_reset(CLI::App& inbound, Dispatch& dispatch) {
    auto o = std::make_shared<InboundResetOptions>();
    auto* cmd = inbound.add_subcommand(
        "reset", "Reset up/down of every client of inbound ID, or of every inbound with --all");
    cmd->add_option("id", o->id, "Inbound id")->check(whole_number("ID"))->type_name("ID");
    cmd->add_flag("--all", o->all, "Every client of every inbound");
    add_destructive_options(*cmd, o->destructive);
    cmd->footer(
        "Confirm by typing: RESET INBOUND <id>, or RESET ALL CLIENTS ON <panel> with --all\n"
        "(<panel>: the profile, else the panel's host).\n"
        "Inbound counters, quotas and expiry dates are not changed.");
    cmd->callback([&dispatch, o] {
        dispatch.fleet_ok = true;  // one plan, one phrase, a result per panel
        dispatch.selected = [o](Context& c) { return run_inbound_reset(c, *o); };
    });
}

}  // namespace xuictl
