#pragma once

#include <cstdint>
#include <optional>

#include "model/usage.hpp"

namespace xuictl {

// How close a client is to being cut off, for monitoring (`stats --warn
// --crit`, exit codes 10/11/12). Ordered: a higher level wins.
enum class UsageLevel { ok, warn, crit, depleted };

// Percent-of-quota thresholds; either may be absent.
struct Thresholds {
    std::optional<double> warn;
    std::optional<double> crit;

    bool any() const { return warn.has_value() || crit.has_value(); }
};

// depleted: exactly is_depleted (model/usage.hpp), the one meaning of the
// word in stats, its --depleted filter, the DEPLETED column, the metrics and
// purge plans: the panel's own predicate (quota used up or expired, no
// auto-renew ...). crit / warn: % used at or above that threshold; a client
// out of quota that the panel renews (auto-renew, a reset day) is not
// depleted and is judged by its % used like any other. A client without a
// quota (unlimited) is never warn or crit.
UsageLevel usage_level(const ClientUsage& client, const Thresholds& thresholds, DepletedRule rule,
                       int64_t now_ms);

// "ok", "warn", "crit", "depleted".
const char* to_string(UsageLevel level);

}  // namespace xuictl
