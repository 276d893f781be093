#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/inbound.hpp"
#include "model/usage.hpp"
#include "panel/panel_api.hpp"
#include "panel/panel_role.hpp"
#include "ui/usage_view.hpp"
#include "util/result.hpp"

namespace CLI {
class App;
}

namespace xuictl {

class Context;

// What every read-only view starts with: the panel's inbound list (one
// request after login), every client's usage, and the style to show them in
// (units, clock, the depleted rule implied by the list). The clients were
// taken out of the inbounds while the list streamed in (UsageBuilder::consume:
// a 100 000-client panel is held once, as usage rows); an inbound still
// knows how many it had (Inbound::client_count()).
struct InboundsRead {
    std::vector<Inbound> inbounds;
    std::vector<ClientUsage> clients;  // panel order
    UsageStyle style;
    // A fleet read: the panel's node list, when asked (fleet_nodes.hpp).
    std::optional<std::vector<PanelNode>> nodes;
};
// `detail` full reads inbounds/list, whose clients carry their own reset
// cycle (list/slim leaves it out: the cycle then reads as unknown);
// usage_and_cycles reads list/slim where that loses nothing (PanelApi).
Result<InboundsRead> read_inbounds(Context& ctx,
                                   PanelApi::ListDetail detail = PanelApi::ListDetail::usage);

// Filters and sort order shared by `stats` and `clients list`.
struct UsageQuery {
    std::optional<int> inbound;
    std::string client;
    bool depleted_only = false;
    std::optional<double> over_percent;
    std::string sort = "inbound";  // inbound|email|used|percent|quota|expiry
    bool reverse = false;

    // Selects fewer than every client (the sort alone does not).
    bool filters() const { return inbound || !client.empty() || depleted_only || over_percent; }
};

// Adds --inbound, --client, --depleted, --over, --sort, --reverse to cmd.
void add_usage_query_options(CLI::App& cmd, UsageQuery& query);

// Applies the query to `all` (InboundsRead::clients, taken: filtered and
// sorted in place, no second copy): unknown --inbound/--client is a
// not_found Error naming what exists. Returns the selected clients in the
// requested order.
Result<std::vector<ClientUsage>> select_clients(std::vector<ClientUsage> all,
                                                const std::vector<Inbound>& inbounds,
                                                const UsageQuery& query, DepletedRule rule,
                                                int64_t now_ms);

// The inbounds a filtered query shows: --inbound's, else those holding a
// selected client; panel order.
std::vector<Inbound> shown_inbounds(const std::vector<Inbound>& all,
                                    const std::vector<ClientUsage>& selected,
                                    const UsageQuery& query);

// Keeps the clients of `shown`'s inbounds (-o prometheus sums every client
// of a shown inbound, selected or not).
void keep_shown_inbounds(std::vector<ClientUsage>& clients, const std::vector<Inbound>& shown);

// Keeps each email's first row: a client shared by several inbounds
// (v3.1+) is one history, whichever inbound lists it.
void keep_first_per_email(std::vector<ClientUsage>& clients);

// select_clients on each panel of a fleet that answered (reads[i] ok),
// taking its clients; a panel that failed selects nothing. The fleet is
// searched as a whole: a panel without the asked --inbound or --client
// selects nothing, and only when no panel that answered has it is that a
// not_found Error (the first panel's).
Result<std::vector<std::vector<ClientUsage>>> select_fleet_clients(
    std::vector<Result<InboundsRead>>& reads, const UsageQuery& query);

// Not-found errors worded once: "no inbound with id 9 (ids: 1, 2, 3)".
Error unknown_inbound(int id, const std::vector<Inbound>& inbounds);
Error unknown_client(const std::string& email);

}  // namespace xuictl
