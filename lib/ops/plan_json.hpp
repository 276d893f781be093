#pragma once

#include <string>

#include "ops/plan.hpp"

namespace xuictl {

// The plan as compact JSON with stable keys: the -o json output of every
// destructive command, the "plan" of its audit line and the body of its
// snapshot (the input of a later restore). Bytes and unix ms throughout.
// Restore plans add "restore_from" (snapshot id) and "restore_to"
// ([{email,up,down}], the counters set); plan_from_json reads it back.
std::string plan_to_json(const Plan& plan);

// Operation name in JSON and the audit log ("reset_inbound_clients").
const char* operation_key(Operation operation);

}  // namespace xuictl
