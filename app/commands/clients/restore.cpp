// xuictl clients restore ID — create again the clients a purge deleted, from
// the snapshot it took before deleting them.
#include <CLI/CLI.hpp>

#include <fmt/format.h>
#include <memory>
#include <set>

#include "commands/command.hpp"
#include "commands/destructive.hpp"
#include "commands/fleet_restore.hpp"
#include "commands/snapshot_load.hpp"

namespace xuictl {
namespace {

struct ClientsRestoreOptions {
    std::string id;  // the purge's operation id (or its snapshot file)
    DestructiveOptions destructive;
};

// A purge's deleted clients (and the inbounds a classic purge deleted with
// them), created again through `write`.
Status recreate(PanelApi& api, const Plan& plan) {
    std::vector<std::string> inbounds;
    std::set<int> created;
    for (const auto& in : plan.inbounds_created) {
        inbounds.push_back(in.body);
        created.insert(in.id);
    }
    std::vector<PanelApi::Recreate> targets;
    for (const auto& d : plan.recreate) {
        targets.push_back({d.inbound_id, d.email, d.client_json, d.enable, d.up, d.down,
                           created.count(d.inbound_id) > 0});
    }
    return api.recreate_clients(inbounds, targets);
}

int run_clients_restore(Context& ctx, const ClientsRestoreOptions& o) {
    if (is_fleet_id(o.id)) {
        // A fleet purge: each panel its own snapshot, one plan and phrase.
        return run_fleet_restore(
            ctx, o.destructive, o.id,
            [](const Snapshot& snap) -> PlanBuilder {
                return [&snap](const std::vector<Inbound>& inbounds, const Capabilities& caps,
                               int64_t now) {
                    return plan_restore_deleted(inbounds, snap.deleted, snap.id, caps, now);
                };
            },
            recreate, require_counter_route);
    }
    auto snapshot = load_snapshot(ctx, o.id);
    if (!snapshot) {
        return ctx.report(snapshot.error());
    }
    const Snapshot& snap = *snapshot;
    auto panel = ctx.panel();
    if (!panel) {
        return ctx.report(panel.error());
    }
    // The records carry secrets (uuids, passwords): they go back only to the
    // panel they were read from.
    const std::string here = panel.value()->session().url().base_url();
    if (snap.panel != here) {
        return ctx.report(
            make_error(ErrorKind::usage,
                       fmt::format("operation {} deleted clients on {}, not on this panel ({})",
                                   snap.id, snap.panel, here),
                       "use --profile/--url for that panel"));
    }
    return run_destructive(
        ctx, o.destructive,
        [&](const std::vector<Inbound>& inbounds, const Capabilities& caps, int64_t now) {
            return plan_restore_deleted(inbounds, snap.deleted, snap.id, caps, now);
        },
        recreate, require_counter_route);
}

}  // namespace

void register_clients_restore(CLI::App& clients, Dispatch& dispatch) {
    auto o = std::make_shared<ClientsRestoreOptions>();
    auto* cmd = clients.add_subcommand(
        "restore", "Create again the clients a purge deleted, from its snapshot (undo a purge)");
    cmd->add_option("id", o->id,
                    "Operation id the purge printed (see `xuictl audit`), or its snapshot file")
        ->required()
        ->type_name("ID");
    add_destructive_options(*cmd, o->destructive);
    cmd->footer(
        "A purge keeps each client it deletes in its snapshot exactly as the panel returned it.\n"
        "restore creates them again with the same uuid/password and subId (subscription links\n"
        "keep working), puts their enable switch and up/down counters back, and verifies.\n"
        "Classic: inbounds/addClient + updateClientTraffic; v3.1+: clients/add (+ clients/update\n"
        "for a disabled client) + clients/updateTraffic. Clients already on the panel are left\n"
        "out. An inbound a classic purge deleted is created again first (inbounds/add: same id,\n"
        "port, tag, remark, quota, expiry, counters, settings with its clients, streamSettings,\n"
        "sniffing); refused, nothing sent, when another inbound now holds its port or tag.\n"
        "Confirm by typing: RESTORE <n> DELETED CLIENTS [AND <m> INBOUND(S)]");
    cmd->callback([&dispatch, o] {
        dispatch.selected = [o](Context& c) { return run_clients_restore(c, *o); };
    });
}

}  // namespace xuictl
