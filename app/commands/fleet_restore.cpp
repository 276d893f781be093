#include "commands/fleet_restore.hpp"

#include <fmt/format.h>

#include <memory>
#include <vector>

#include "commands/destructive_steps.hpp"
#include "commands/snapshot_load.hpp"
#include "fleet.hpp"
#include "local_store.hpp"

namespace xuictl {

bool is_fleet_id(const std::string& id) {
    return id.rfind("fleet-", 0) == 0;
}

int run_fleet_restore(Context& ctx, const DestructiveOptions& o, const std::string& fleet_id,
                      const SnapshotPlanBuilder& plan_for, const PlanWriter& write,
                      const PlanCheck& check,
                      const std::function<Status(const Snapshot&)>& validate) {
    auto store = open_local_store_if_any(ctx);
    if (!store) {
        return ctx.report(store.error());
    }
    std::vector<AuditEntry> records;
    if (*store) {
        auto list = (*store)->operations();
        if (!list) {
            return ctx.report(list.error());
        }
        for (auto& e : list->entries) {
            if (e.fleet_id == fleet_id) {
                records.push_back(std::move(e));
            }
        }
    }
    if (records.empty()) {
        return ctx.report(make_error(ErrorKind::not_found,
                                     fmt::format("no fleet operation '{}'", fleet_id),
                                     "`xuictl audit` shows fleet ids in its FLEET column"));
    }
    std::vector<std::string> profiles;
    std::vector<Snapshot> snapshots;
    for (const auto& e : records) {
        if (e.profile.empty()) {
            return ctx.report(make_error(
                ErrorKind::usage,
                fmt::format("record {} of {} names no profile, so its panel cannot be chosen", e.id,
                            fleet_id),
                fmt::format("restore it alone: xuictl --url {} ... {}", e.panel, e.id)));
        }
        auto snap = load_snapshot(ctx, e.id);
        if (!snap) {
            return ctx.report(snap.error());
        }
        if (validate) {
            if (auto s = validate(*snap); !s) {
                return ctx.report(s.error());
            }
        }
        profiles.push_back(e.profile);
        snapshots.push_back(std::move(*snap));
    }
    auto fleet = Fleet::open_profiles(ctx, profiles);
    if (!fleet) {
        return ctx.report(fleet.error());
    }
    FleetCommand command;
    command.build = [&](size_t i) { return plan_for(snapshots[i]); };
    command.write = write;
    command.check = [&](size_t i) -> PlanCheck {
        return [&check, &snap = snapshots[i]](PanelApi& api, const std::vector<Inbound>& inbounds) {
            // The records carry secrets (uuids, passwords): only to their own panel.
            const std::string here = api.session().url().base_url();
            if (snap.panel != here) {
                return Status(make_error(
                    ErrorKind::usage,
                    fmt::format("operation {} was recorded on {}, but its profile now points at {}",
                                snap.id, snap.panel, here),
                    "restore it alone with --url for that panel"));
            }
            return check ? check(api, inbounds) : ok_status();
        };
    };
    return run_fleet_command(ctx, **fleet, o, command);
}

}  // namespace xuictl
