// xuictl traffic restore SNAPSHOT [--client EMAIL] — put client counters back
// to the values a destructive command's snapshot recorded.
#include <CLI/CLI.hpp>

#include <fmt/format.h>
#include <memory>

#include "commands/command.hpp"
#include "commands/destructive.hpp"
#include "commands/fleet_restore.hpp"
#include "commands/snapshot_load.hpp"
#include "store/snapshot.hpp"

namespace xuictl {
namespace {

struct TrafficRestoreOptions {
    std::string snapshot;  // a snapshot id (= audit id) or a file path
    std::string client;
    bool allow_other_panel = false;
    DestructiveOptions destructive;
};

int run_traffic_restore(Context& ctx, const TrafficRestoreOptions& o) {
    if (is_fleet_id(o.snapshot)) {
        // A fleet operation: each panel its own snapshot, one plan and phrase.
        const std::string client = o.client;
        return run_fleet_restore(
            ctx, o.destructive, o.snapshot,
            [client](const Snapshot& snap) -> PlanBuilder {
                return [&snap, client](const std::vector<Inbound>& inbounds,
                                       const Capabilities& caps, int64_t now) {
                    return plan_restore_counters(inbounds, snap.plan, snap.id, client, caps, now);
                };
            },
            [](PanelApi& api, const Plan& plan) {
                return api.set_client_counters(plan.restore_to);
            },
            require_counter_route,
            [](const Snapshot& snap) { return check_restorable(snap.plan, snap.id); });
    }
    auto snapshot = load_snapshot(ctx, o.snapshot);
    if (!snapshot) {
        return ctx.report(snapshot.error());
    }
    const Snapshot& snap = *snapshot;
    if (auto restorable = check_restorable(snap.plan, snap.id); !restorable) {
        return ctx.report(restorable.error());
    }
    auto panel = ctx.panel();
    if (!panel) {
        return ctx.report(panel.error());
    }
    const std::string here = panel.value()->session().url().base_url();
    if (snap.panel != here) {
        if (!o.allow_other_panel) {
            return ctx.report(make_error(
                ErrorKind::usage,
                fmt::format("snapshot {} was taken from {}, not from this panel ({})", snap.id,
                            snap.panel, here),
                "use --profile/--url for that panel, or add --allow-other-panel to set these "
                "counters here anyway (clients are matched by email)"));
        }
        ctx.warn(fmt::format("restoring counters recorded on {} onto {} (--allow-other-panel)",
                             snap.panel, here));
    }
    return run_destructive(
        ctx, o.destructive,
        [&](const std::vector<Inbound>& inbounds, const Capabilities& caps, int64_t now) {
            return plan_restore_counters(inbounds, snap.plan, snap.id, o.client, caps, now);
        },
        [](PanelApi& api, const Plan& plan) { return api.set_client_counters(plan.restore_to); },
        require_counter_route);
}

}  // namespace

void register_traffic_restore(CLI::App& traffic, Dispatch& dispatch) {
    auto o = std::make_shared<TrafficRestoreOptions>();
    auto* cmd = traffic.add_subcommand(
        "restore", "Set client up/down counters back to the values a snapshot recorded");
    cmd->add_option("snapshot", o->snapshot,
                    "Snapshot id (the audit id, see `xuictl audit`) or snapshot file path")
        ->required()
        ->type_name("SNAPSHOT");
    cmd->add_option("--client", o->client, "Only this client (email) of the snapshot")
        ->type_name("EMAIL");
    cmd->add_flag("--allow-other-panel", o->allow_other_panel,
                  "Restore a snapshot taken from another panel URL (clients matched by email)");
    add_destructive_options(*cmd, o->destructive);
    cmd->footer(
        "Every destructive command snapshots the counters it is about to change in\n"
        "$XDG_STATE_HOME/xuictl/xuictl.db, under its audit id (a SNAPSHOT with a slash or\n"
        "ending in .json is a snapshot file, e.g. one the previous release wrote under\n"
        "snapshots.imported/). restore SETS up/down to those values\n"
        "(absolute bytes; usage counted since is replaced), via clients/updateTraffic on v3.1+\n"
        "and inbounds/updateClientTraffic on classic panels (v2.6.3+; older ones exit 6 before\n"
        "any write). Quota, expiry and enable state are not changed. A restore is itself\n"
        "snapshotted, so it can be undone the same way. Snapshots of `traffic reset-all`\n"
        "(inbound counters) cannot be restored: the panel has no route for that.\n"
        "Confirm by typing: RESTORE <n> CLIENTS");
    cmd->callback([&dispatch, o] {
        dispatch.selected = [o](Context& c) { return run_traffic_restore(c, *o); };
    });
}

}  // namespace xuictl
