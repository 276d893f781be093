#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/inbound.hpp"
#include "model/usage.hpp"

namespace xuictl {

// Sums of client counters and quotas (`stats --report`).
struct UsageTotals {
    size_t clients = 0;
    int64_t up = 0;
    int64_t down = 0;
    int64_t quota = 0;       // sum of the finite quotas, bytes
    size_t unlimited = 0;    // clients without a quota

    int64_t used() const { return up + down; }
    // used / quota, or nullopt when any client is unlimited (or no quota at all).
    std::optional<double> percent() const;
    void add(const ClientUsage& client);
};

struct InboundTotals {
    int id = 0;
    std::string remark;
    UsageTotals totals;
    std::optional<double> share;  // % of the panel-wide used bytes; nullopt when that is 0
};

struct UsageReport {
    std::vector<InboundTotals> inbounds;  // panel order; only inbounds with selected clients
    UsageTotals total;                    // every selected email once
};

// Totals of `selected` (clients chosen by the usage query) per inbound and
// overall. v3 lists a client attached to several inbounds under each of them
// with its one traffic row: it counts in each inbound, once in the total.
UsageReport build_usage_report(const std::vector<Inbound>& inbounds,
                               const std::vector<ClientUsage>& selected);

}  // namespace xuictl
