#pragma once

#include "ops/plan.hpp"
#include "ui/table.hpp"

namespace xuictl {

// The rows of a restore plan: INBOUND, EMAIL, UP NOW, DOWN NOW, UP AFTER,
// DOWN AFTER, QUOTA (counters now and the snapshot's values they get).
Table restore_table(const Plan& plan, bool raw_bytes);

}  // namespace xuictl
