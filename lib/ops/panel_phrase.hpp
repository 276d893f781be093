#pragma once

#include <string>
#include <vector>

#include "ops/plan.hpp"

namespace xuictl {

// True for operations on a whole panel: traffic reset-all, inbound reset
// --all, clients purge-depleted --all.
bool is_panel_wide(Operation operation);

// Makes the confirmation phrase of a panel-wide plan name the panel
// ("RESET ALL CLIENTS ON prod"), so a phrase typed, scripted or scheduled
// for one panel never confirms the same command on another. `label` is the
// profile name, else the host. Other plans keep their phrase: it already
// names its inbound or client.
void name_panel_in_phrase(Plan& plan, const std::string& label);

// The one phrase that confirms a plan on several panels (a fleet, DESIGN
// §9): each panel's phrase (without its panel) with the counts summed over
// `plans`, ending " ON N PANELS": "RESET ALL CLIENTS ON 3 PANELS",
// "DELETE 14 CLIENTS ON 2 PANELS", "RESET INBOUND 3 ON 2 PANELS",
// "RESTORE 9 DELETED CLIENTS ON 2 PANELS". `plans` are the non-empty plans
// of one command; one plan keeps its own phrase (it names its panel).
std::string fleet_phrase(const std::vector<const Plan*>& plans);

}  // namespace xuictl
