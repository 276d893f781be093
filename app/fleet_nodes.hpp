#pragma once

#include <optional>
#include <string>
#include <vector>

#include <functional>

#include "commands/usage_query.hpp"
#include "model/inbound.hpp"
#include "panel/panel_role.hpp"
#include "ui/json_out.hpp"
#include "ui/usage_view.hpp"
#include "util/result.hpp"

namespace xuictl {

class Context;
class Fleet;

// A master panel and its own nodes in one fleet (3x-ui multi-node, issue 18).
// A master's client counters already include the traffic its nodes report
// (it adds each node's growth over a baseline: internal/web/service/
// inbound_node.go:808-926), so a fleet total that added a node's clients to
// its master's would count that traffic twice. The fleet total is the sum
// over the panels that are not a node of another panel of the same fleet;
// a node's rows are shown as a breakdown under its master.

// GET panel/api/nodes/list of one panel of a fleet, only where the answer
// can matter and can be given: `inbounds` (its list, read in this run) holds
// an inbound hosted on a node (nodeId: a v3.1+ master whose counters include
// a node's traffic — without one nothing of a node is in its totals), and
// the session may ask it: a login, or an API token whose scope is known to
// allow it (admin; or a panel without scopes, ≤ v3.6.0). A token whose scope
// is not known, node-sync or monitor is not sent it (api.go:76-114 refuses
// both scopes). nullopt: not asked, or the panel cannot say (404, refused).
Result<std::optional<std::vector<PanelNode>>> read_fleet_panel_nodes(
    Context& ctx, const std::vector<Inbound>& inbounds);

// Which panel of a fleet is a node of which (selection order).
struct FleetNodes {
    // master[i]: the fleet panel that panel i is a node of, or nullopt.
    std::vector<std::optional<size_t>> master;
    // entry[i]: that master's node-list entry for panel i (when master[i]).
    std::vector<std::optional<PanelNode>> entry;
    std::vector<std::string> names;  // the panels' names in output (Fleet::name)

    bool any() const;
    bool is_node(size_t i) const { return i < master.size() && master[i].has_value(); }
    // How a fleet view names panel i in a table: its name, and
    // " (node of MASTER)" for a node of another panel of the fleet.
    std::string label(size_t i) const;
    // "node_of": "MASTER" in panel i's JSON object, when it is a node.
    void write_node_of(JsonWriter& w, size_t i) const;
    // The lines under a fleet total naming what it leaves out, one per node:
    // "nl1 is a node of de1: de1's client counters already include its
    // traffic, so the (fleet) total leaves out nl1's clients". Empty
    // without nodes.
    std::vector<std::string> notes() const;
    // Panel i's clients of `inbounds` that its master counts already (the
    // inbounds it syncs: node_syncs_tag); none for a panel of its own.
    bool counted_by_master(size_t i, const Inbound& inbound) const;
};

// Links the panels of `fleet`: panel i is a node of panel j when j's node
// list (lists[j], nullptr when not read) has an entry that is panel i's URL
// (node_is_panel; panel i answered: answered[i]). The first such master in
// selection order wins; a link that would close a loop is not made. A node
// whose master is not in the fleet is a panel of its own.
FleetNodes link_fleet_nodes(Fleet& fleet, const std::vector<const std::vector<PanelNode>*>& lists,
                            const std::vector<bool>& answered);

// What a fleet's read views (stats, clients list|show, inbound list) read
// of each panel: read_inbounds(detail), and in a fleet of several panels
// the panel's node list after it (read_fleet_panel_nodes; its failure is
// the panel's).
std::function<Result<InboundsRead>(Context&)> fleet_inbounds_reader(const Fleet& fleet,
                                                                    PanelApi::ListDetail detail);

// link_fleet_nodes over the reads of fleet_inbounds_reader.
FleetNodes link_read_nodes(Fleet& fleet, const std::vector<Result<InboundsRead>>& reads);

// Of node i's `clients`, those of inbounds its master does not sync (sync
// mode "selected"): what the fleet total counts of a node. Usually none.
std::vector<ClientUsage> fleet_counted_clients(const FleetNodes& nodes, size_t i,
                                               const std::vector<ClientUsage>& clients,
                                               const std::vector<Inbound>& inbounds);

// Panel i's client totals as the fleet total counts them: all of them for a
// panel of its own; for a node, only the clients of inbounds its master does
// not sync (sync mode "selected"), usually none.
ClientTotals fleet_counted_totals(const FleetNodes& nodes, size_t i,
                                  const std::vector<ClientUsage>& clients,
                                  const std::vector<Inbound>& inbounds, const UsageStyle& style);

}  // namespace xuictl
