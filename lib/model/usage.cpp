#include "model/usage.hpp"

#include <unordered_map>

#include "util/units.hpp"

namespace xuictl {

int64_t ClientUsage::used() const {
    return saturating_add(up, down);
}

std::optional<double> ClientUsage::percent() const {
    return percent_of(used(), quota);
}

namespace {

// Finds a client's client_traffics row. The panel lists an inbound's rows in
// the order of its clients, so the row at the client's own position is tried
// first; only a client whose row is elsewhere (v3 keeps one row per email,
// under one of the inbounds that share it) needs the index of every row,
// which is then built once.
class TrafficRows {
public:
    explicit TrafficRows(const std::vector<Inbound>& inbounds) : m_inbounds(inbounds) {}

    const ClientTraffic* find(const Inbound& in, size_t position, const std::string& email) {
        if (position < in.client_stats.size() && in.client_stats[position].email == email) {
            return &in.client_stats[position];
        }
        if (!m_indexed) {
            index();
        }
        auto it = m_rows.find(email);
        return it == m_rows.end() ? nullptr : it->second;
    }

private:
    void index() {
        m_indexed = true;
        size_t stats = 0;
        for (const auto& in : m_inbounds) {
            stats += in.client_stats.size();
        }
        m_rows.reserve(stats);  // no rehashing at 100 000 clients
        for (const auto& in : m_inbounds) {
            for (const auto& row : in.client_stats) {
                m_rows.emplace(row.email, &row);  // the first row of an email wins
            }
        }
    }

    const std::vector<Inbound>& m_inbounds;
    std::unordered_map<std::string_view, const ClientTraffic*> m_rows;
    bool m_indexed = false;
};

}  // namespace

std::vector<ClientUsage> client_usage(const std::vector<Inbound>& inbounds) {
    size_t count = 0;
    for (const auto& in : inbounds) {
        count += in.clients.size();
    }
    TrafficRows rows(inbounds);
    std::vector<ClientUsage> out;
    out.reserve(count);
    for (const auto& in : inbounds) {
        for (size_t i = 0; i < in.clients.size(); ++i) {
            const Client& c = in.clients[i];
            ClientUsage u;
            u.inbound_id = in.id;
            u.inbound_remark = in.remark;
            u.email = c.email;
            u.settings_enable = c.enable;
            u.quota = c.total_bytes;
            u.expiry_time = c.expiry_time;
            u.reset = c.reset;
            if (const ClientTraffic* t = rows.find(in, i, c.email)) {
                u.has_traffic_row = true;
                u.traffic_enable = t->enable;
                u.up = t->up;
                u.down = t->down;
                // The panel enforces the row's copy of the limits (§6.2).
                u.quota = t->total;
                u.expiry_time = t->expiry_time;
                u.reset = t->reset;
                u.reset_day = t->reset_day;
            }
            out.push_back(std::move(u));
        }
    }
    return out;
}

bool quota_used_up(const ClientUsage& c) {
    return c.quota > 0 && c.used() >= c.quota;
}

bool expired(const ClientUsage& c, int64_t now_ms) {
    return c.expiry_time > 0 && c.expiry_time <= now_ms;
}

bool is_depleted(const ClientUsage& c, DepletedRule rule, int64_t now_ms) {
    if (c.reset != 0) {
        return false;  // auto-renewing clients are never deleted (§7.1)
    }
    switch (rule) {
        case DepletedRule::disabled_flag:
            return c.has_traffic_row && !c.traffic_enable;
        case DepletedRule::quota_or_expiry:
            return quota_used_up(c) || expired(c, now_ms);
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
