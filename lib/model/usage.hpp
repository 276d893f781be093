#pragma once

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
    int inbound_id = 0;
    std::string inbound_remark;
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

    // up + down, saturating: a hostile or broken panel must not cause overflow.
    int64_t used() const;
    std::optional<double> percent() const;
    bool enabled() const { return settings_enable && traffic_enable; }
};

// Every client of every inbound, inbound order then settings order. Counters
// come from the client_traffics row with the same email, looked up across all
// inbounds because v3 keeps one row per email (§6.2).
std::vector<ClientUsage> client_usage(const std::vector<Inbound>& inbounds);

// The panel's own predicate for "depleted" under `rule` at now_ms.
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
