#pragma once

#include <vector>

#include "commands/usage_query.hpp"
#include "fleet.hpp"
#include "ui/table.hpp"

namespace xuictl {

struct FleetNodes;

// What `clients list`, `clients show` and `stats` read from a fleet and
// selected: one entry per panel, in selection order.
struct FleetClients {
    const Fleet& fleet;
    const std::vector<Result<InboundsRead>>& reads;  // their clients taken by `selected`
    const std::vector<const Error*>& errors;         // nullptr: the panel answered
    const std::vector<std::vector<ClientUsage>>& selected;
    // Which panel is a node of another (fleet_nodes.hpp): its rows are
    // named "NAME (node of MASTER)" in a table and carry "node_of" in JSON.
    const FleetNodes* nodes = nullptr;
};

// PANEL + the client columns of `format` (client_table); a failed panel in
// its place (add_failed_panel).
Table fleet_client_table(const FleetClients& f, Format format);

// One panel's object members after write_panel_status: "clients": [...].
void write_panel_clients_json(JsonWriter& w, const FleetClients& f, size_t panel);

// {"panels": [{panel, status, [error], clients}]} for clients list/show.
void write_fleet_clients_json(std::ostream& out, bool pretty, const FleetClients& f);

}  // namespace xuictl
