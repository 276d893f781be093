// xuictl clients purge-depleted ID|--all — delete clients out of traffic or time.
#include <CLI/CLI.hpp>

#include <memory>

#include "cli_checks.hpp"
#include "commands/command.hpp"
#include "commands/destructive.hpp"

namespace xuictl {
namespace {

struct PurgeOptions {
    std::optional<int> id;
    bool all = false;
    DestructiveOptions destructive;
};

int run_purge(Context& ctx, const PurgeOptions& o) {
    if (o.id.has_value() == o.all) {
        return ctx.report(make_error(ErrorKind::usage, "give either an inbound ID or --all",
                                     "usage: xuictl clients purge-depleted ID | --all"));
    }
    const std::optional<int> target = o.all ? std::nullopt : o.id;
    return run_destructive(
        ctx, o.destructive,
        [target](const std::vector<Inbound>& inbounds, const Capabilities& caps, int64_t now) {
            return plan_purge_depleted(inbounds, target, caps, now);
        },
        [](PanelApi& api, const Plan& plan) {
            if (!plan.inbound_id) {
                return api.purge_depleted_all(plan.emails());
            }
            return api.purge_depleted_inbound(*plan.inbound_id, plan.emails());
        });
}

}  // namespace

void register_clients_purge(CLI::App& clients, Dispatch& dispatch) {
    auto o = std::make_shared<PurgeOptions>();
    auto* cmd = clients.add_subcommand("purge-depleted",
                                       "Delete the clients the panel calls depleted (quota used up "
                                       "or expired) in inbound ID or --all");
    cmd->add_option("id", o->id, "Inbound id")->check(whole_number("ID"))->type_name("ID");
    cmd->add_flag("--all", o->all, "Every inbound");
    add_destructive_options(*cmd, o->destructive);
    cmd->footer(
        "Uses the panel's own rule for its version; auto-renewing clients are never deleted.\n"
        "Classic panels (<= 3.0.x) delete an inbound left with no clients: the plan warns.\n"
        "Confirm by typing: DELETE <n> CLIENTS (with --all: DELETE <n> CLIENTS ON <panel>, the\n"
        "profile, else the panel's host)");
    cmd->callback([&dispatch, o] {
        dispatch.fleet_ok = true;  // one plan, one phrase, a result per panel
        dispatch.selected = [o](Context& c) { return run_purge(c, *o); };
    });
}

}  // namespace xuictl
