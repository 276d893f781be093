#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace xuictl {

// Local-time calendar helpers for `--once-per`, `schedule` and `audit
// --since`. They live in app/ because local time depends on the TZ
// environment (lib/ never reads the environment).

// A calendar cycle: a local day, an ISO week (Monday 00:00 to Monday), a month.
enum class Period { day, week, month };

// "day" | "week" | "month".
std::optional<Period> parse_period(std::string_view text);
const char* to_string(Period period);

// Unix ms of the local-time start of the cycle holding now_ms: today's
// midnight, this week's Monday midnight, the 1st of this month at midnight.
int64_t period_start_ms(Period period, int64_t now_ms);

// A date or time on the command line: "YYYY-MM-DD" (local midnight) or ISO
// 8601 "YYYY-MM-DDTHH:MM[:SS[.fff]]" (a space may replace the T) with an
// optional "Z" or "+HH:MM"/"-HHMM" zone; without a zone it is local time.
// Anything else is a usage Error naming the accepted forms.
Result<int64_t> parse_date_arg(std::string_view text);

// "2026-01-05 14:03:09" in local time, for people.
std::string format_local(int64_t unix_ms);

}  // namespace xuictl
