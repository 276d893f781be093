#include "model/usage.hpp"

#include <unordered_map>

#include "util/units.hpp"

namespace xuictl {

int64_t ClientUsage::used() const { return saturating_add(up, down); }

std::optional<double> ClientUsage::percent() const { return percent_of(used(), quota); }

std::vector<ClientUsage> client_usage(const std::vector<Inbound>& inbounds) {
    std::unordered_map<std::string_view, const ClientTraffic*> rows;
    size_t count = 0;
    size_t stats = 0;
    for (const auto& in : inbounds) {
        count += in.clients.size();
        stats += in.client_stats.size();
    }
    rows.reserve(stats);  // no rehashing at 100 000 clients
    for (const auto& in : inbounds) {
        for (const auto& row : in.client_stats) {
            rows.emplace(row.email, &row);
        }
    }
    std::vector<ClientUsage> out;
    out.reserve(count);
    for (const auto& in : inbounds) {
        for (const auto& c : in.clients) {
            ClientUsage u;
            u.inbound_id = in.id;
            u.inbound_remark = in.remark;
            u.email = c.email;
            u.settings_enable = c.enable;
            u.quota = c.total_bytes;
            u.expiry_time = c.expiry_time;
            u.reset = c.reset;
            if (auto it = rows.find(c.email); it != rows.end()) {
                const ClientTraffic& t = *it->second;
                u.has_traffic_row = true;
                u.traffic_enable = t.enable;
                u.up = t.up;
                u.down = t.down;
                // The panel enforces the row's copy of the limits (§6.2).
                u.quota = t.total;
                u.expiry_time = t.expiry_time;
                u.reset = t.reset;
                u.reset_day = t.reset_day;
            }
            out.push_back(std::move(u));
        }
    }
    return out;
}

bool quota_used_up(const ClientUsage& c) { return c.quota > 0 && c.used() >= c.quota; }

bool expired(const ClientUsage& c, int64_t now_ms) {
    return c.expiry_time > 0 && c.expiry_time <= now_ms;
}

bool is_depleted(const ClientUsage& c, DepletedRule rule, int64_t now_ms) {
    if (c.reset != 0) {
        return false;  // auto-renewing clients are never deleted (§7.1)
    }
    switch (rule) {
        case DepletedRule::disabled_flag: return c.has_traffic_row && !c.traffic_enable;
        case DepletedRule::quota_or_expiry: return quota_used_up(c) || expired(c, now_ms);
        case DepletedRule::with_reset_day:
            return c.reset_day == 0 && (quota_used_up(c) || expired(c, now_ms));
    }
    return false;
}

}  // namespace xuictl

namespace xuictl {

DepletedRule depleted_rule_from_list(const std::vector<Inbound>& inbounds) {
    for (const auto& in : inbounds) {
        if (in.settings_was_object) {
            return DepletedRule::with_reset_day;
        }
    }
    for (const auto& in : inbounds) {
        if (in.has_traffic_reset) {
            return DepletedRule::quota_or_expiry;
        }
    }
    return inbounds.empty() ? DepletedRule::quota_or_expiry : DepletedRule::disabled_flag;
}

}  // namespace xuictl
