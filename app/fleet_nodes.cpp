#include "fleet_nodes.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <unordered_set>

#include "context.hpp"
#include "fleet.hpp"
#include "panel/node_match.hpp"

namespace xuictl {
namespace {

// nodes/list is in neither scoped allow-list (api.go:76-114): only an admin
// token, or one on a panel without scopes, may ask it.
bool token_may_list_nodes(const PanelApi& api) {
    if (const auto scope = api.token_scope()) {
        return *scope == TokenScope::admin || *scope == TokenScope::unscoped;
    }
    const auto& caps = api.known_capabilities();
    return caps && !may_have_scopes(*caps);
}

}  // namespace

Result<std::optional<std::vector<PanelNode>>> read_fleet_panel_nodes(
    Context& ctx, const std::vector<Inbound>& inbounds) {
    const bool hosts_node_inbounds = std::any_of(inbounds.begin(), inbounds.end(),
                                                 [](const Inbound& in) { return in.node_id != 0; });
    if (!hosts_node_inbounds) {
        return std::optional<std::vector<PanelNode>>{};
    }
    auto panel = ctx.panel();
    if (!panel) {
        return panel.error();
    }
    PanelApi& api = *panel.value();
    if (api.session().uses_token() && !token_may_list_nodes(api)) {
        return std::optional<std::vector<PanelNode>>{};  // never a request its scope may refuse
    }
    return list_panel_nodes(api.session());
}

bool FleetNodes::any() const {
    return std::any_of(master.begin(), master.end(),
                       [](const std::optional<size_t>& m) { return m.has_value(); });
}

bool FleetNodes::counted_by_master(size_t i, const Inbound& inbound) const {
    return is_node(i) && entry[i] && node_syncs_tag(*entry[i], inbound.tag);
}

FleetNodes link_fleet_nodes(Fleet& fleet, const std::vector<const std::vector<PanelNode>*>& lists,
                            const std::vector<bool>& answered) {
    const size_t n = fleet.size();
    FleetNodes out;
    out.master.resize(n);
    out.entry.resize(n);
    for (size_t i = 0; i < n; ++i) {
        out.names.push_back(fleet.name(i));
    }
    if (n < 2) {
        return out;
    }
    // Whether following masters up from `from` reaches `to` (a loop guard).
    const auto reaches = [&out](size_t from, size_t to) {
        for (size_t k = 0, at = from; k <= out.master.size(); ++k) {
            if (at == to) {
                return true;
            }
            if (!out.master[at]) {
                return false;
            }
            at = *out.master[at];
        }
        return true;
    };
    for (size_t j = 0; j < n; ++j) {
        if (lists[j] == nullptr || lists[j]->empty()) {
            continue;
        }
        for (size_t i = 0; i < n; ++i) {
            if (i == j || !answered[i] || out.master[i] || reaches(j, i)) {
                continue;
            }
            const PanelIdentity& id = fleet.context(i).identity();
            for (const auto& node : *lists[j]) {
                if (node_is_panel(node, id)) {
                    out.master[i] = j;
                    out.entry[i] = node;
                    break;
                }
            }
        }
    }
    return out;
}

std::function<Result<InboundsRead>(Context&)> fleet_inbounds_reader(const Fleet& fleet,
                                                                    PanelApi::ListDetail detail) {
    const bool ask_nodes = fleet.is_fleet() && fleet.size() > 1;
    return [detail, ask_nodes](Context& c) -> Result<InboundsRead> {
        auto read = read_inbounds(c, detail);
        if (!read || !ask_nodes) {
            return read;
        }
        auto nodes = read_fleet_panel_nodes(c, read->inbounds);
        if (!nodes) {
            return nodes.error();
        }
        read->nodes = std::move(*nodes);
        return read;
    };
}

FleetNodes link_read_nodes(Fleet& fleet, const std::vector<Result<InboundsRead>>& reads) {
    std::vector<const std::vector<PanelNode>*> lists(reads.size(), nullptr);
    std::vector<bool> answered(reads.size(), false);
    for (size_t i = 0; i < reads.size(); ++i) {
        if (reads[i]) {
            answered[i] = true;
            if (reads[i]->nodes) {
                lists[i] = &*reads[i]->nodes;
            }
        }
    }
    return link_fleet_nodes(fleet, lists, answered);
}

std::string FleetNodes::label(size_t i) const {
    if (is_node(i)) {
        return fmt::format("{} (node of {})", names[i], names[*master[i]]);
    }
    return i < names.size() ? names[i] : std::string();
}

void FleetNodes::write_node_of(JsonWriter& w, size_t i) const {
    if (is_node(i)) {
        write_key(w, "node_of");
        write_string(w, names[*master[i]]);
    }
}

std::vector<ClientUsage> fleet_counted_clients(const FleetNodes& nodes, size_t i,
                                               const std::vector<ClientUsage>& clients,
                                               const std::vector<Inbound>& inbounds) {
    std::unordered_set<int> own;  // inbounds the master does not sync
    for (const auto& in : inbounds) {
        if (!nodes.counted_by_master(i, in)) {
            own.insert(in.id);
        }
    }
    std::vector<ClientUsage> rest;
    if (!own.empty()) {
        std::copy_if(clients.begin(), clients.end(), std::back_inserter(rest),
                     [&own](const ClientUsage& c) { return own.count(c.inbound_id) > 0; });
    }
    return rest;
}

ClientTotals fleet_counted_totals(const FleetNodes& nodes, size_t i,
                                  const std::vector<ClientUsage>& clients,
                                  const std::vector<Inbound>& inbounds, const UsageStyle& style) {
    if (!nodes.is_node(i)) {
        return client_totals(clients, style);
    }
    return client_totals(fleet_counted_clients(nodes, i, clients, inbounds), style);
}

std::vector<std::string> FleetNodes::notes() const {
    std::vector<std::string> out;
    for (size_t i = 0; i < master.size(); ++i) {
        if (!master[i]) {
            continue;
        }
        const std::string& node = names[i];
        const std::string& of = names[*master[i]];
        const bool selected = entry[i] && entry[i]->inbound_sync_mode == "selected";
        out.push_back(fmt::format(
            "{} is a node of {}: {}'s client counters already include its traffic, so the "
            "(fleet) total leaves out {}'s clients{}",
            node, of, of, node,
            selected ? fmt::format(" of the inbounds {} syncs", of) : std::string()));
    }
    return out;
}

}  // namespace xuictl
