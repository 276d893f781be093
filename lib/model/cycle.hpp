#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "model/inbound.hpp"
#include "model/usage.hpp"

namespace xuictl {

// What the panel itself will do to a client, read from its fields (3x-ui after
// v3.6.0, 3x-ui-after-3.6.md §2.3, §2.4):
//  - renewal (auto-renew, `reset` days or calendar `resetDay`): when the
//    expiry passes, the panel moves the expiry on and zeroes the counters,
//    at most `resetMax` times (`resetCount` so far; 0 = unlimited);
//  - its own traffic-reset cycle (`trafficReset`): the periodic job zeroes
//    the counters hourly / daily / weekly (Sunday) / monthly (on
//    `trafficResetDay`), at 00:00 in the panel's time zone, skipping a client
//    switched off and not over quota.
struct ClientCycle {
    bool renews = false;                     // reset > 0 or resetDay > 0
    std::optional<int> renewals_left;        // nullopt: unlimited (or no renewal)
    bool renewals_spent = false;             // capped renewal used up: stays expired
    std::optional<int64_t> next_renewal_ms;  // the expiry, while a renewal is left (past: due)
    TrafficCycle traffic_cycle = TrafficCycle::unknown;
    bool traffic_reset_skipped = false;  // switched off and under quota: the job skips it
    // The next cycle reset, computed in UTC: the panel runs the job in its own
    // time zone, which xuictl does not know (up to ±14 h off).
    std::optional<int64_t> next_traffic_reset_ms;
};

ClientCycle client_cycle(const ClientUsage& client, int64_t now_ms);

// The panel will renew or reset this client's counters within `window_ms`
// (a renewal due by then, or a cycle reset whose UTC estimate, widened by
// the 14 h a time zone may shift it, falls in the window).
bool panel_acts_within(const ClientCycle& cycle, int64_t now_ms, int64_t window_ms);

// Depleted by the numbers (quota used up or expired) but never matched by the
// panel's delDepleted predicate, because its renewals are spent yet
// reset/resetDay stay set (D4).
bool never_purged_by_panel(const ClientUsage& client, const ClientCycle& cycle, int64_t now_ms);

// One cell: "every 30 d, next in 3d 4h, 2 left; resets monthly (day 5), next
// 2026-12-05 UTC", "-" when the panel does nothing by itself, "?" for a cycle
// the list did not carry.
std::string describe_cycle(const ClientCycle& cycle, const ClientUsage& client, int64_t now_ms);

}  // namespace xuictl
