#pragma once

#include <vector>

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
};

}  // namespace xuictl
