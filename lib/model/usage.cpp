#include "model/usage.hpp"

#include <cstdint>
#include <type_traits>
#include <unordered_map>
#include <utility>

#include "util/units.hpp"

namespace xuictl {

int64_t ClientUsage::used() const {
    return saturating_add(up, down);
}

std::optional<double> ClientUsage::percent() const {
    return percent_of(used(), quota);
}

namespace {

// The client_traffics row's part of a usage row: the panel enforces the
// row's copy of the limits (§6.2).
void take_counters(ClientUsage& u, const ClientTraffic& t) {
    u.has_traffic_row = true;
    u.traffic_enable = t.enable;
    u.up = t.up;
    u.down = t.down;
    u.quota = t.total;
    u.expiry_time = t.expiry_time;
    u.reset = t.reset;
    u.reset_day = t.reset_day;
    u.reset_max = t.reset_max;
    u.reset_count = t.reset_count;
}

}  // namespace

template <typename InboundRef>
void UsageBuilder::add_rows(InboundRef& in) {
    constexpr bool consuming = !std::is_const_v<InboundRef>;
    if (m_out.capacity() == 0) {
        // Address space for 2^18 rows (~25 MB) at once; a page only becomes
        // memory when a row is written to it. Growing by doubling instead
        // copies the rows at each step into fresh pages: a third of the page
        // faults of a 100 000-client `stats`, and ~5 % of its CPU time.
        m_out.reserve(kReservedRows);
    }
    m_spans.push_back({m_out.size(), m_rows_seen});
    for (size_t i = 0; i < in.clients.size(); ++i) {
        auto& c = in.clients[i];
        ClientUsage u;
        u.inbound_id = in.id;
        u.settings_enable = c.enable;
        u.quota = c.total_bytes;
        u.expiry_time = c.expiry_time;
        u.reset = c.reset;
        // list/slim leaves the cycle out: unknown, not "never" — on a panel
        // that has per-client cycles at all (after v3.6.0: rows carry resetCount).
        u.traffic_cycle = in.clients_complete ? c.traffic_cycle
                          : in.rows_after_3_6 ? TrafficCycle::unknown
                                              : TrafficCycle::never;
        u.traffic_reset_day = c.traffic_reset_day;
        // The panel lists an inbound's rows in the order of its clients.
        if (i < in.client_stats.size() && in.client_stats[i].email == c.email) {
            take_counters(u, in.client_stats[i]);
        } else {
            m_unresolved.push_back(m_out.size());
        }
        if constexpr (consuming) {
            u.email = std::move(c.email);
        } else {
            u.email = c.email;
        }
        m_out.push_back(std::move(u));
    }
    // Rows no client took by position: another inbound's client may use them
    // (v3 keeps one row per email, under one of the inbounds sharing it).
    for (size_t j = 0; j < in.client_stats.size(); ++j) {
        const ClientTraffic& t = in.client_stats[j];
        const bool taken =
            j < in.clients.size() && m_out[m_spans.back().first_client + j].email == t.email;
        if (!taken) {
            LooseRow loose{m_rows_seen + j, {}};
            loose.counters.email = t.email;
            take_counters(loose.counters, t);
            m_loose.push_back(std::move(loose));
        }
    }
    m_rows_seen += in.client_stats.size();
}

void UsageBuilder::add(const Inbound& in) {
    add_rows(in);
}

void UsageBuilder::consume(Inbound& in) {
    add_rows(in);
    in.consumed_clients += in.clients.size();
    // Swapped out, not cleared: clear() would keep the capacity.
    std::vector<Client>().swap(in.clients);
    std::vector<ClientTraffic>().swap(in.client_stats);
}

std::vector<ClientUsage> UsageBuilder::finish() {
    if (!m_unresolved.empty()) {
        // The first row of each wanted email in list order: positional rows
        // (inside m_out) and loose ones. Only these emails are indexed.
        struct Found {
            size_t order;
            const ClientUsage* counters;
        };
        std::unordered_map<std::string_view, Found> first;
        for (size_t index : m_unresolved) {
            first.emplace(m_out[index].email, Found{SIZE_MAX, nullptr});
        }
        const auto offer = [&first](const ClientUsage& row, size_t order) {
            auto it = first.find(row.email);
            if (it != first.end() && order < it->second.order) {
                it->second = {order, &row};
            }
        };
        for (size_t k = 0; k < m_spans.size(); ++k) {
            const size_t end = k + 1 < m_spans.size() ? m_spans[k + 1].first_client : m_out.size();
            for (size_t u = m_spans[k].first_client; u < end; ++u) {
                if (m_out[u].has_traffic_row) {  // only positional ones so far
                    offer(m_out[u], m_spans[k].first_row + (u - m_spans[k].first_client));
                }
            }
        }
        for (const auto& loose : m_loose) {
            offer(loose.counters, loose.order);
        }
        // Copied into a second pass: a resolved row must not become a source.
        std::vector<std::pair<size_t, ClientUsage>> resolved;
        for (size_t index : m_unresolved) {
            const Found& f = first.at(m_out[index].email);
            if (f.counters != nullptr) {
                resolved.emplace_back(index, *f.counters);
            }
        }
        for (auto& [index, counters] : resolved) {
            // The row's counters, the client's own place, email and switch.
            ClientUsage& u = m_out[index];
            counters.inbound_id = u.inbound_id;
            counters.email = std::move(u.email);
            counters.settings_enable = u.settings_enable;
            counters.traffic_cycle = u.traffic_cycle;
            counters.traffic_reset_day = u.traffic_reset_day;
            u = std::move(counters);
        }
    }
    m_spans.clear();
    m_unresolved.clear();
    m_loose.clear();
    m_rows_seen = 0;
    return std::move(m_out);
}

std::vector<ClientUsage> client_usage(const std::vector<Inbound>& inbounds) {
    UsageBuilder builder;
    for (const auto& in : inbounds) {
        builder.add(in);
    }
    return builder.finish();
}

const std::string& remark_of(const std::vector<Inbound>& inbounds, int id) {
    static const std::string none;
    for (const auto& in : inbounds) {
        if (in.id == id) {
            return in.remark;
        }
    }
    return none;
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
