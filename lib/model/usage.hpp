#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/inbound.hpp"

namespace xuictl {

// Which predicate the panel's own "delete depleted" uses (3x-ui-api.md §7.1).
enum class DepletedRule {
    disabled_flag,    // ≤ v2.8.0: reset = 0 AND traffic row disabled
    quota_or_expiry,  // v2.8.1 – v3.6.0: reset = 0 AND (quota used up OR expired)
    with_reset_day,   // after v3.6.0: as above AND resetDay = 0
};

// One client as an operator thinks of it: where it lives, what it used,
// what it may use. Built from settings.clients joined with client_traffics.
struct ClientUsage {
    int inbound_id = 0;  // its inbound's remark: remark_of(inbounds, inbound_id)
    std::string email;
    bool settings_enable = true;  // the admin's switch
    bool traffic_enable = true;   // false once the panel auto-disabled it
    bool has_traffic_row = false;
    int64_t up = 0;
    int64_t down = 0;
    int64_t quota = 0;        // bytes, 0 = unlimited
    int64_t expiry_time = 0;  // ms, 0 never, negative delay-start
    int reset = 0;
    int reset_day = 0;
    // Renewal cap and the client's own reset cycle (after v3.6.0, §2.3, §2.4).
    int reset_max = 0;                                   // 0 = unlimited renewals
    int reset_count = 0;                                 // renewals done
    TrafficCycle traffic_cycle = TrafficCycle::unknown;  // unknown from list/slim
    int traffic_reset_day = 1;

    // up + down, saturating: a hostile or broken panel must not cause overflow.
    int64_t used() const;
    std::optional<double> percent() const;
    bool enabled() const { return settings_enable && traffic_enable; }
};

// Every client of every inbound, inbound order then settings order. Counters
// come from the client_traffics row with the same email, looked up across all
// inbounds because v3 keeps one row per email (§6.2).
std::vector<ClientUsage> client_usage(const std::vector<Inbound>& inbounds);

// client_usage() built one inbound at a time, so a streamed list can be
// turned into usage rows while it arrives. A client's row is the one at its
// own position in its inbound when the emails agree (the panel lists rows in
// client order); otherwise the first row with its email in list order, across
// every inbound added (resolved by finish(), since it may come later).
class UsageBuilder {
public:
    // Adds `in`'s clients, reading its clients and client_stats.
    void add(const Inbound& in);
    // The same, but takes the clients' emails and frees both vectors, keeping
    // only their count (Inbound::client_count()): a 100 000-client list then
    // never holds its settings and its rows next to the usage rows.
    void consume(Inbound& in);
    // Every row so far, in order; the builder is empty afterwards.
    std::vector<ClientUsage> finish();

private:
    template <typename InboundRef>
    void add_rows(InboundRef& in);
    // A row no client took by position: kept for clients found later.
    struct LooseRow {
        size_t order;  // list order of all rows: (inbound, position)
        ClientUsage counters;
    };

    // Where each inbound's clients start in m_out, and its rows in list order.
    struct Span {
        size_t first_client;
        size_t first_row;
    };

    static constexpr size_t kReservedRows = size_t{1} << 18;
    std::vector<ClientUsage> m_out;
    std::vector<Span> m_spans;
    std::vector<size_t> m_unresolved;  // m_out indexes whose row was not at their position
    std::vector<LooseRow> m_loose;
    size_t m_rows_seen = 0;
};

// The remark of inbound `id`, "" when there is none.
const std::string& remark_of(const std::vector<Inbound>& inbounds, int id);

// The panel's own predicate for "depleted" under `rule` at now_ms: the one
// meaning of "depleted" everywhere (stats and its totals, --depleted,
// monitoring levels and exit 12, metrics, purge plans).
bool is_depleted(const ClientUsage& client, DepletedRule rule, int64_t now_ms);

// Quota used up (total > 0 and up + down >= total), whatever the rule.
bool quota_used_up(const ClientUsage& client);
// Expired (expiry > 0 and expiry <= now); delay-start clients never are.
bool expired(const ClientUsage& client, int64_t now_ms);

}  // namespace xuictl

namespace xuictl {

// The depleted rule implied by an inbound list alone (no version probe):
// nested settings mean v3.1+; the trafficReset field means classic v2.8.1+.
DepletedRule depleted_rule_from_list(const std::vector<Inbound>& inbounds);

}  // namespace xuictl
