#include "util/units.hpp"

#include <fmt/compile.h>
#include <fmt/format.h>
#include <array>
#include <cstdint>
#include <ctime>

namespace xuictl {

int64_t saturating_add(int64_t a, int64_t b) {
    int64_t out = 0;
    if (__builtin_add_overflow(a, b, &out)) {
        return b > 0 ? INT64_MAX : INT64_MIN;
    }
    return out;
}

std::string format_bytes(int64_t bytes) {
    static constexpr std::array<const char*, 7> units = {"B",   "KiB", "MiB", "GiB",
                                                         "TiB", "PiB", "EiB"};
    if (bytes < 0) {
        // INT64_MIN has no positive twin; one byte off is invisible at EiB scale.
        return "-" + format_bytes(bytes == INT64_MIN ? INT64_MAX : -bytes);
    }
    if (bytes < 1024) {
        return fmt::format("{} B", bytes);
    }
    auto value = static_cast<double>(bytes);
    size_t unit = 0;
    // 1023.995 and up would print as "1024.00" of this unit: use the next one.
    while (value >= 1023.995 && unit + 1 < units.size()) {
        value /= 1024.0;
        ++unit;
    }
    return fmt::format("{:.2f} {}", value, units[unit]);
}

std::optional<double> percent_of(int64_t used, int64_t quota) {
    if (quota <= 0) {
        return std::nullopt;
    }
    return static_cast<double>(used) * 100.0 / static_cast<double>(quota);
}

std::string format_percent(std::optional<double> percent) {
    if (!percent) {
        return "-";
    }
    return fmt::format("{:.1f}%", *percent);
}

// Compiled formats: `stats` formats one duration per client (100 000 at a time).
std::string format_duration(int64_t ms) {
    if (ms < 0) {
        ms = -ms;
    }
    const int64_t s = ms / 1000;
    const int64_t d = s / 86400;
    const int64_t h = (s % 86400) / 3600;
    const int64_t m = (s % 3600) / 60;
    if (d > 0) {
        return h > 0 ? fmt::format(FMT_COMPILE("{}d {}h"), d, h)
                     : fmt::format(FMT_COMPILE("{}d"), d);
    }
    if (h > 0) {
        return m > 0 ? fmt::format(FMT_COMPILE("{}h {}m"), h, m)
                     : fmt::format(FMT_COMPILE("{}h"), h);
    }
    if (m > 0) {
        return fmt::format(FMT_COMPILE("{}m"), m);
    }
    return fmt::format(FMT_COMPILE("{}s"), s);
}

std::string format_expiry(int64_t expiry_ms, int64_t now_ms) {
    if (expiry_ms == 0) {
        return "never";
    }
    if (expiry_ms < 0) {
        // §6.3: negative = delayed start; the clock starts at first traffic.
        return format_duration(-expiry_ms) + " after first use";
    }
    if (expiry_ms <= now_ms) {
        return "expired " + format_duration(now_ms - expiry_ms) + " ago";
    }
    return "in " + format_duration(expiry_ms - now_ms);
}

std::string format_utc(int64_t unix_ms) {
    const std::time_t t = static_cast<std::time_t>(unix_ms / 1000);
    std::tm tm{};
    gmtime_r(&t, &tm);
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", tm.tm_year + 1900, tm.tm_mon + 1,
                       tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

}  // namespace xuictl
