#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/inbound.hpp"
#include "model/usage.hpp"
#include "panel/panel_api.hpp"
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

// Not-found errors worded once: "no inbound with id 9 (ids: 1, 2, 3)".
Error unknown_inbound(int id, const std::vector<Inbound>& inbounds);
Error unknown_client(const std::string& email);

}  // namespace xuictl
