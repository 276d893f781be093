#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/inbound.hpp"
#include "ops/plan.hpp"
#include "panel/panel_role.hpp"

namespace xuictl {

// Notes every plan gets from the panel it was read from, added once for all
// destructive commands (after the builder, before the plan is shown):
//  - the panel's version is not a release number (a dev build): the plan
//    follows the newest known semantics;
//  - a planned client is attached to several inbounds (v3.1+): every inbound
//    it belongs to, and that the write acts on it there too (one record, one
//    traffic row);
//  - a planned inbound is hosted on a node of this master panel;
//  - the panel itself will reset or renew planned clients within a day
//    (their counters change again after the write);
//  - purge plans: clients depleted by the numbers whose capped renewals are
//    spent, which the panel's predicate never matches (not in the plan).
void add_panel_notes(Plan& plan, const std::vector<Inbound>& inbounds);

// A node that a master manages (detect_node_role): the master's sync can
// overwrite what the plan changes here. Adds nothing when `role` is not a
// managed node.
void note_managed_node(Plan& plan, const NodeRole& role);

// For `stats`: the inbounds of a master panel hosted on its nodes, whose
// client counters include the traffic those nodes report; nullopt when
// every inbound is the panel's own.
std::optional<std::string> node_traffic_note(const std::vector<Inbound>& inbounds);

}  // namespace xuictl
