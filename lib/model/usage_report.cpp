#include "model/usage_report.hpp"

#include <map>
#include <set>

#include "util/units.hpp"

namespace xuictl {

std::optional<double> UsageTotals::percent() const {
    if (unlimited > 0) {
        return std::nullopt;
    }
    return percent_of(used(), quota);
}

void UsageTotals::add(const ClientUsage& c) {
    ++clients;
    up += c.up;
    down += c.down;
    if (c.quota > 0) {
        quota += c.quota;
    } else {
        ++unlimited;
    }
}

UsageReport build_usage_report(const std::vector<Inbound>& inbounds,
                               const std::vector<ClientUsage>& selected) {
    UsageReport report;
    std::map<int, UsageTotals> per_inbound;
    std::set<std::string> counted;
    for (const auto& c : selected) {
        per_inbound[c.inbound_id].add(c);
        if (counted.insert(c.email).second) {
            report.total.add(c);
        }
    }
    for (const auto& in : inbounds) {
        auto it = per_inbound.find(in.id);
        if (it == per_inbound.end()) {
            continue;
        }
        InboundTotals row{in.id, in.remark, it->second, std::nullopt};
        row.share = percent_of(row.totals.used(), report.total.used());
        report.inbounds.push_back(std::move(row));
    }
    return report;
}

}  // namespace xuictl
