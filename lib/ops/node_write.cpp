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
    switch (node.operation) {
        case Operation::reset_inbound_counters:
            if (master->operation == Operation::reset_inbound_counters) {
                return {true, fmt::format("a node of {}: {}'s inbounds/resetAllTraffics resets "
                                          "every node's inbound counters",
                                          master_name, master_name)};
            }
            break;
        case Operation::reset_client:
        case Operation::reset_inbound_clients:
        case Operation::reset_all_clients: {
            // traffic reset EMAIL goes through resetTraffic/:email unless the
            // email cannot be in a path (PanelApi::reset_client).
            const bool bulk = master->operation == Operation::reset_client
                                  ? !path_addressable(master->emails(), "").ok()
                                  : bulk_reset;
            if (bulk) {
                return {false, fmt::format("a node of {}: {}'s clients/bulkResetTraffic zeroes its "
                                           "own counters only, so this node's (it cuts clients "
                                           "by them) are reset here too",
                                           master_name, master_name)};
            }
            if (names_all(*master, node)) {
                return {true, fmt::format("a node of {}: {}'s clients/resetTraffic resets "
                                          "these clients on its nodes too",
                                          master_name, master_name)};
            }
            break;
        }
        case Operation::purge_inbound:
        case Operation::purge_all:
            if (names_all(*master, node)) {
                return {true, fmt::format("a node of {}: {} deletes these clients on its nodes "
                                          "too",
                                          master_name, master_name)};
            }
            break;
        case Operation::restore_clients:
            if (names_all(*master, node)) {
                return {true,
                        fmt::format("a node of {}: {} pushes its restored counters to its nodes, "
                                    "and a counter set here would count in {} as new traffic",
                                    master_name, master_name, master_name)};
            }
            break;
        case Operation::restore_deleted:
            break;
    }
    return {false, fmt::format("a node of {}, whose plan does not name all of this node's "
                               "targets",
                               master_name)};
}

}  // namespace xuictl
