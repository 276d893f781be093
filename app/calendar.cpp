#include "calendar.hpp"

#include <ctime>
#include <fmt/format.h>

namespace xuictl {
namespace {

constexpr int64_t kMsPerSecond = 1000;

std::tm local_tm(int64_t unix_ms) {
    const std::time_t t = static_cast<std::time_t>(unix_ms / kMsPerSecond);
    std::tm tm{};
    localtime_r(&t, &tm);
    return tm;
}

// mktime of a local broken-down time; DST is looked up, not assumed.
int64_t local_ms(std::tm tm) {
    tm.tm_isdst = -1;
    return static_cast<int64_t>(std::mktime(&tm)) * kMsPerSecond;
}

// Reads exactly `digits` decimal digits at text[pos].
std::optional<int> digits_at(std::string_view text, size_t pos, size_t digits) {
    if (pos + digits > text.size()) {
        return std::nullopt;
    }
    int value = 0;
    for (size_t i = pos; i < pos + digits; ++i) {
        if (text[i] < '0' || text[i] > '9') {
            return std::nullopt;
        }
        value = value * 10 + (text[i] - '0');
    }
    return value;
}

Error bad_date(std::string_view text) {
    return make_error(ErrorKind::usage, fmt::format("'{}' is not a date", text),
                      "use YYYY-MM-DD (local midnight) or ISO 8601 such as 2026-01-05T14:30, "
                      "2026-01-05T14:30:00Z or 2026-01-05T14:30:00+02:00");
}

}  // namespace

std::optional<Period> parse_period(std::string_view text) {
    if (text == "day") {
        return Period::day;
    }
    if (text == "week") {
        return Period::week;
    }
    if (text == "month") {
        return Period::month;
    }
    return std::nullopt;
}

const char* to_string(Period period) {
    switch (period) {
        case Period::day: return "day";
        case Period::week: return "week";
        case Period::month: return "month";
    }
    return "";
}

int64_t period_start_ms(Period period, int64_t now_ms) {
    std::tm tm = local_tm(now_ms);
    tm.tm_hour = 0;
    tm.tm_min = 0;
    tm.tm_sec = 0;
    switch (period) {
        case Period::day: break;
        case Period::week: tm.tm_mday -= (tm.tm_wday + 6) % 7; break;  // back to Monday
        case Period::month: tm.tm_mday = 1; break;
    }
    return local_ms(tm);
}

Result<int64_t> parse_date_arg(std::string_view text) {
    const auto year = digits_at(text, 0, 4);
    const auto month = digits_at(text, 5, 2);
    const auto day = digits_at(text, 8, 2);
    if (!year || !month || !day || text[4] != '-' || text[7] != '-' || *month < 1 || *month > 12 ||
        *day < 1 || *day > 31) {
        return bad_date(text);
    }
    std::tm tm{};
    tm.tm_year = *year - 1900;
    tm.tm_mon = *month - 1;
    tm.tm_mday = *day;
    size_t pos = 10;
    if (pos < text.size()) {
        if (text[pos] != 'T' && text[pos] != 't' && text[pos] != ' ') {
            return bad_date(text);
        }
        const auto hour = digits_at(text, pos + 1, 2);
        const auto minute = digits_at(text, pos + 4, 2);
        if (!hour || !minute || text[pos + 3] != ':' || *hour > 23 || *minute > 59) {
            return bad_date(text);
        }
        tm.tm_hour = *hour;
        tm.tm_min = *minute;
        pos += 6;
        if (pos < text.size() && text[pos] == ':') {
            const auto second = digits_at(text, pos + 1, 2);
            if (!second || *second > 60) {
                return bad_date(text);
            }
            tm.tm_sec = *second;
            pos += 3;
            if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
                ++pos;
                const size_t start = pos;
                while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
                    ++pos;
                }
                if (pos == start) {
                    return bad_date(text);
                }
            }
        }
    }
    // Reject impossible days (2026-02-30) rather than letting mktime roll them over.
    const std::tm asked = tm;
    std::tm check = tm;
    check.tm_isdst = -1;
    if (::timegm(&check) == -1 || check.tm_mday != asked.tm_mday || check.tm_mon != asked.tm_mon) {
        return bad_date(text);
    }
    if (pos == text.size()) {
        return local_ms(tm);
    }
    int offset_s = 0;
    const std::string_view zone = text.substr(pos);
    if (zone == "Z" || zone == "z") {
        offset_s = 0;
    } else if (zone[0] == '+' || zone[0] == '-') {
        const auto zh = digits_at(zone, 1, 2);
        const bool colon = zone.size() == 6 && zone[3] == ':';
        const auto zm = digits_at(zone, colon ? 4 : 3, 2);
        if (!zh || !zm || zone.size() != (colon ? 6u : 5u) || *zh > 23 || *zm > 59) {
            return bad_date(text);
        }
        offset_s = (*zh * 3600 + *zm * 60) * (zone[0] == '-' ? -1 : 1);
    } else {
        return bad_date(text);
    }
    std::tm utc = tm;
    return (static_cast<int64_t>(::timegm(&utc)) - offset_s) * kMsPerSecond;
}

std::string format_local(int64_t unix_ms) {
    const std::tm tm = local_tm(unix_ms);
    return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}", tm.tm_year + 1900, tm.tm_mon + 1,
                       tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

}  // namespace xuictl
