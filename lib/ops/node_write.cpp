#include "ops/node_write.hpp"

#include <fmt/format.h>

#include <unordered_set>

#include "panel/panel_api.hpp"

namespace xuictl {
namespace {

// Every target of `node` is one of `master`'s (v3 acts per email, across the
// inbounds a client is attached to).
bool names_all(const Plan& master, const Plan& node) {
    std::unordered_set<std::string> planned;
    for (const auto& c : master.clients) {
        planned.insert(c.email);
    }
    for (const auto& c : node.clients) {
        if (planned.count(c.email) == 0) {
            return false;
        }
    }
    return true;
}

}  // namespace

NodeWrite node_write(const Plan* master, bool bulk_reset, const Plan& node,
                     const std::string& master_name) {
    if (master == nullptr) {
        return {false, fmt::format("a node of {}, which writes nothing in this run", master_name)};
    }
    // What the master's write does on its nodes; "" when it does not reach them.
    std::string reaches;
    bool every_target = false;  // it reaches only the clients its plan names
    switch (node.operation) {
        case Operation::reset_inbound_counters:
            if (master->operation == Operation::reset_inbound_counters) {
                reaches = master_name +
                          "'s inbounds/resetAllTraffics resets every node's inbound counters";
            }
            break;
        case Operation::reset_client:
        case Operation::reset_inbound_clients:
        case Operation::reset_all_clients:
            // traffic reset EMAIL goes through resetTraffic/:email unless the
            // email cannot be in a path (PanelApi::reset_client).
            if (master->operation == Operation::reset_client
                    ? !path_addressable(master->emails(), "").ok()
                    : bulk_reset) {
                return {false, fmt::format("a node of {}: {}'s clients/bulkResetTraffic zeroes its "
                                           "own counters only, so this node's (it cuts clients "
                                           "by them) are reset here too",
                                           master_name, master_name)};
            }
            reaches = master_name + "'s clients/resetTraffic resets these clients on its nodes too";
            every_target = true;
            break;
        case Operation::purge_inbound:
        case Operation::purge_all:
            reaches = master_name + " deletes these clients on its nodes too";
            every_target = true;
            break;
        case Operation::restore_clients:
            reaches = master_name +
                      " pushes its restored counters to its nodes, and a counter set here "
                      "would count in it as new traffic";
            every_target = true;
            break;
        case Operation::restore_deleted:
            break;
    }
    if (!reaches.empty() && (!every_target || names_all(*master, node))) {
        return {true, fmt::format("a node of {}: {}", master_name, reaches)};
    }
    return {false, fmt::format("a node of {}, whose plan does not name all of this node's "
                               "targets",
                               master_name)};
}

}  // namespace xuictl
