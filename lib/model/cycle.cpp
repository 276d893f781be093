#include "model/cycle.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <ctime>

#include "util/units.hpp"

namespace xuictl {
namespace {

constexpr int64_t kHourMs = 3'600'000;
constexpr int64_t kDayMs = 24 * kHourMs;
constexpr int64_t kTimeZoneSlackMs = 14 * kHourMs;  // UTC-12 … UTC+14

struct Civil {
    int year, month, day, weekday;  // month 1-12, weekday 0 = Sunday
};

Civil civil_of(int64_t ms) {
    const std::time_t t = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&t, &tm);
    return {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_wday};
}

int64_t midnight_of(int year, int month, int day) {
    std::tm tm{};
    tm.tm_year = year - 1900;
    tm.tm_mon = month - 1;
    tm.tm_mday = day;
    return static_cast<int64_t>(::timegm(&tm)) * 1000;
}

int days_in_month(int year, int month) {
    static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : days[month - 1];
}

// The next 00:00 UTC strictly after now on which the job fires for `cycle`
// (internal/web/web.go:360-366: @hourly, @daily, @weekly, and a daily run
// for monthly that fires on min(trafficResetDay, last day of the month),
// job/periodic_traffic_reset_job.go:30-36).
std::optional<int64_t> next_reset(TrafficCycle cycle, int reset_day, int64_t now_ms) {
    const int64_t today = now_ms - ((now_ms % kDayMs) + kDayMs) % kDayMs;
    switch (cycle) {
        case TrafficCycle::hourly:
            return now_ms - ((now_ms % kHourMs) + kHourMs) % kHourMs + kHourMs;
        case TrafficCycle::daily:
            return today + kDayMs;
        case TrafficCycle::weekly: {
            const int wday = civil_of(now_ms).weekday;
            return today + (7 - wday) * kDayMs;  // the coming Sunday (a week on, on a Sunday)
        }
        case TrafficCycle::monthly: {
            Civil c = civil_of(now_ms);
            const int wanted = std::clamp(reset_day, 1, 31);
            for (int step = 0; step < 3; ++step) {  // this month, or one of the next two
                const int day = std::min(wanted, days_in_month(c.year, c.month));
                const int64_t at = midnight_of(c.year, c.month, day);
                if (at > now_ms) {
                    return at;
                }
                c.month = c.month == 12 ? 1 : c.month + 1;
                c.year += c.month == 1 ? 1 : 0;
            }
            return std::nullopt;
        }
        case TrafficCycle::never:
        case TrafficCycle::unknown:
            return std::nullopt;
    }
    return std::nullopt;
}

const char* every_text(TrafficCycle cycle) {
    switch (cycle) {
        case TrafficCycle::hourly:
            return "hourly";
        case TrafficCycle::daily:
            return "daily";
        case TrafficCycle::weekly:
            return "weekly (Sunday)";
        case TrafficCycle::monthly:
            return "monthly";
        case TrafficCycle::never:
        case TrafficCycle::unknown:
            break;
    }
    return "";
}

}  // namespace

TrafficCycle traffic_cycle_from(std::string_view text) {
    if (text.empty() || text == "never") {
        return TrafficCycle::never;  // client_crud.go:48-58 stores "" as never
    }
    if (text == "hourly") {
        return TrafficCycle::hourly;
    }
    if (text == "daily") {
        return TrafficCycle::daily;
    }
    if (text == "weekly") {
        return TrafficCycle::weekly;
    }
    if (text == "monthly") {
        return TrafficCycle::monthly;
    }
    return TrafficCycle::unknown;
}

const char* to_string(TrafficCycle cycle) {
    switch (cycle) {
        case TrafficCycle::unknown:
            return "unknown";
        case TrafficCycle::never:
            return "never";
        case TrafficCycle::hourly:
            return "hourly";
        case TrafficCycle::daily:
            return "daily";
        case TrafficCycle::weekly:
            return "weekly";
        case TrafficCycle::monthly:
            return "monthly";
    }
    return "unknown";
}

ClientCycle client_cycle(const ClientUsage& c, int64_t now_ms) {
    ClientCycle k;
    // autoRenewClients (inbound_traffic.go:341-345): (reset > 0 or reset_day > 0)
    // and expiry_time > 0, while reset_max <= 0 or reset_count < reset_max.
    k.renews = c.reset > 0 || c.reset_day > 0;
    if (k.renews && c.reset_max > 0) {
        k.renewals_left = std::max(0, c.reset_max - c.reset_count);
        k.renewals_spent = *k.renewals_left == 0;
    }
    if (k.renews && !k.renewals_spent && c.expiry_time > 0) {
        // In the past: due at the panel's next run. Kept as the expiry, so the
        // figure does not move with the clock between two reads.
        k.next_renewal_ms = c.expiry_time;
    }
    k.traffic_cycle = c.traffic_cycle;
    // periodic_traffic_reset_job.go:106-110: a client switched off and not
    // over quota (client_crud.go:99-101) is skipped, not reset.
    k.traffic_reset_skipped = !c.settings_enable && !quota_used_up(c);
    if (!k.traffic_reset_skipped) {
        k.next_traffic_reset_ms = next_reset(c.traffic_cycle, c.traffic_reset_day, now_ms);
    }
    return k;
}

bool panel_acts_within(const ClientCycle& k, int64_t now_ms, int64_t window_ms) {
    if (k.next_renewal_ms && *k.next_renewal_ms <= now_ms + window_ms) {
        return true;
    }
    if (!k.next_traffic_reset_ms) {
        return false;
    }
    if (k.traffic_cycle == TrafficCycle::hourly || k.traffic_cycle == TrafficCycle::daily) {
        return true;  // some hour or midnight of the panel falls in any day
    }
    return *k.next_traffic_reset_ms <= now_ms + window_ms + kTimeZoneSlackMs;
}

bool never_purged_by_panel(const ClientUsage& c, const ClientCycle& k, int64_t now_ms) {
    return k.renewals_spent && (quota_used_up(c) || expired(c, now_ms));
}

std::string describe_cycle(const ClientCycle& k, const ClientUsage& c, int64_t now_ms) {
    std::string out;
    if (k.renews) {
        out = c.reset_day > 0 ? fmt::format("renews on day {}", c.reset_day)
                              : fmt::format("renews every {} d", c.reset);
        if (k.renewals_spent) {
            out += fmt::format(", all {} renewals used", c.reset_max);
        } else {
            if (k.next_renewal_ms) {
                out += *k.next_renewal_ms <= now_ms
                           ? std::string(", due now")
                           : ", next in " + format_duration(*k.next_renewal_ms - now_ms);
            }
            if (k.renewals_left) {
                out += fmt::format(", {} left", *k.renewals_left);
            }
        }
    }
    if (k.traffic_cycle == TrafficCycle::unknown) {
        return out.empty() ? "?" : out;
    }
    if (k.traffic_cycle != TrafficCycle::never) {
        if (!out.empty()) {
            out += "; ";
        }
        out += std::string("resets ") + every_text(k.traffic_cycle);
        if (k.traffic_cycle == TrafficCycle::monthly) {
            out += fmt::format(" (day {})", c.traffic_reset_day);
        }
        if (k.traffic_reset_skipped) {
            out += ", skipped while switched off";
        } else if (k.next_traffic_reset_ms) {
            out += ", next " + format_utc(*k.next_traffic_reset_ms).substr(0, 10) + " UTC";
        }
    }
    return out.empty() ? "-" : out;
}

}  // namespace xuictl
