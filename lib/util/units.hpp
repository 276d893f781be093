#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace xuictl {

// a + b clamped to the int64 range (counters come from an untrusted panel).
int64_t saturating_add(int64_t a, int64_t b);

// Bytes in IEC units with two decimals: "0 B", "512 B", "1.50 KiB", "2.00 GiB".
std::string format_bytes(int64_t bytes);

// Percentage with one decimal ("87.5%"), or "-" when there is no quota.
std::string format_percent(std::optional<double> percent);

// used / quota * 100, or nullopt when quota <= 0 (unlimited).
std::optional<double> percent_of(int64_t used, int64_t quota);

// A 3x-ui expiryTime (unix ms; 0 = never; negative = starts after first use,
// lasting -value ms) relative to now_ms, in words an operator reads at a glance:
// "never", "in 3d 4h", "expired 2d ago", "30d after first use".
std::string format_expiry(int64_t expiry_ms, int64_t now_ms);

// A duration in ms as "3d 4h", "5h 12m", "42m", "15s".
std::string format_duration(int64_t ms);

// ISO 8601 UTC ("2026-11-25T02:18:36Z") of a unix ms timestamp.
std::string format_utc(int64_t unix_ms);

}  // namespace xuictl
