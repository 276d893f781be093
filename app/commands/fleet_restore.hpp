#pragma once

#include <functional>
#include <string>

#include "commands/destructive.hpp"
#include "store/snapshot.hpp"

namespace xuictl {

// True for an id `xuictl audit` shows in its FLEET column ("fleet-...").
bool is_fleet_id(const std::string& id);

// What a restore plans on one panel, given that panel's snapshot.
using SnapshotPlanBuilder = std::function<PlanBuilder(const Snapshot&)>;

// `clients restore FLEET-ID` / `traffic restore FLEET-ID`: the panels of
// the fleet operation's records (each by the profile it recorded, and only
// when that profile still points at the recorded panel URL: a snapshot's
// secrets go back only to the panel they came from), each with its own
// snapshot; `validate` (optional) checks each snapshot first. Then the
// fleet flow: one plan, one phrase, a restore per panel. A fleet id with
// no records is not_found; one recorded without a profile, a usage error.
int run_fleet_restore(Context& ctx, const DestructiveOptions& options, const std::string& fleet_id,
                      const SnapshotPlanBuilder& plan_for, const PlanWriter& write,
                      const PlanCheck& check,
                      const std::function<Status(const Snapshot&)>& validate = {});

}  // namespace xuictl
