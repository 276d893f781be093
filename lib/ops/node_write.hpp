#pragma once

#include <string>

#include "ops/plan.hpp"

namespace xuictl {

// A fleet holding a master and one of its own nodes (3x-ui multi-node,
// issue 18): whether the node's own plan is still sent. Read in the 3x-ui
// source at 02002dc1 (docs/panel-api.md "Master and node panels"):
// - a master's clients/resetTraffic/:email resets the node's counters too
//   (client_traffic.go:16-59 → inbound_traffic.go:642-662, inbounds with a
//   nodeId), its inbounds/resetAllTraffics every node's inbound counters
//   (inbound_traffic.go:767-807), clients/del and clients/bulkDel delete the
//   client on the node (client_bulk.go:1074-1085): the node is skipped;
// - clients/updateTraffic/:email (traffic restore) sets the master's own
//   counters, which it pushes to the node as the client's totals, while a
//   node-local raise would be added to the master's counters as new traffic
//   (inbound_node.go:808-926: growth over a baseline): skipped;
// - clients/bulkResetTraffic zeroes the master's counters only
//   (client_traffic.go:61-124, no node call): the node keeps its own, and
//   cuts a client whose local share reached the quota
//   (inbound_disable.go:41-53), so the node IS written.
// A node whose plan names a target the master's plan does not (an inbound
// the master does not sync) is written as planned.
struct NodeWrite {
    bool skip = false;
    // Why, for the plan and the result: "skipped: ..." or the note a written
    // node's plan gets.
    std::string reason;
};

// `master` is the master's confirmed-to-be plan (nullptr: it writes
// nothing, so nothing reaches the node); `bulk_reset` whether its client
// resets go through clients/bulkResetTraffic (PanelApi::resets_in_bulk).
NodeWrite node_write(const Plan* master, bool bulk_reset, const Plan& node,
                     const std::string& master_name);

}  // namespace xuictl
