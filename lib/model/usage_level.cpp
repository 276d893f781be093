#include "model/usage_level.hpp"

namespace xuictl {

UsageLevel usage_level(const ClientUsage& c, const Thresholds& t, DepletedRule rule,
                       int64_t now_ms) {
    if (is_depleted(c, rule, now_ms)) {
        return UsageLevel::depleted;
    }
    const auto pct = c.percent();
    if (!pct) {
        return UsageLevel::ok;
    }
    if (t.crit && *pct >= *t.crit) {
        return UsageLevel::crit;
    }
    if (t.warn && *pct >= *t.warn) {
        return UsageLevel::warn;
    }
    return UsageLevel::ok;
}

const char* to_string(UsageLevel level) {
    switch (level) {
        case UsageLevel::ok:
            return "ok";
        case UsageLevel::warn:
            return "warn";
        case UsageLevel::crit:
            return "crit";
        case UsageLevel::depleted:
            return "depleted";
    }
    return "";
}

}  // namespace xuictl
