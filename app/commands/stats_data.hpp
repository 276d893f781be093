#pragma once

#include <vector>

#include "commands/history_query.hpp"
#include "commands/usage_query.hpp"
#include "model/inbound.hpp"
#include "model/usage.hpp"
#include "ui/usage_view.hpp"

namespace xuictl {

// What `stats` read and selected, handed to its output views (plain,
// thresholds, prometheus, report).
struct StatsData {
    const std::vector<Inbound>& inbounds;     // every inbound of the panel
    const std::vector<Inbound>& shown;        // the inbounds the query selects
    const std::vector<ClientUsage>& clients;  // the clients it selects, in its order
    // Every client of the shown inbounds, panel order; only filled for -o prometheus.
    const std::vector<ClientUsage>& shown_clients;
    const UsageQuery& query;
    UsageStyle style;
    // With --since/--from/--to/--lifetime: the window the clients' up/down
    // cover (history_query.hpp); nullptr for the panel's counters.
    const HistoryWindow* window = nullptr;
};

}  // namespace xuictl
