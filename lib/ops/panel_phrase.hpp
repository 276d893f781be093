#pragma once

#include <string>

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

}  // namespace xuictl
