#include <catch2/catch.hpp>

#include <cstdint>

#include "util/units.hpp"

using namespace xuictl;

namespace {
constexpr int64_t kKiB = 1024;
constexpr int64_t kMiB = kKiB * 1024;
constexpr int64_t kGiB = kMiB * 1024;
constexpr int64_t kSecond = 1000;
constexpr int64_t kMinute = 60 * kSecond;
constexpr int64_t kHour = 60 * kMinute;
constexpr int64_t kDay = 24 * kHour;
constexpr int64_t kNow = 1767225600000;  // 2026-01-01T00:00:00Z
}  // namespace

TEST_CASE("format_bytes uses IEC units with two decimals", "[unit][units]") {
    CHECK(format_bytes(0) == "0 B");
    CHECK(format_bytes(1) == "1 B");
    CHECK(format_bytes(1023) == "1023 B");
    CHECK(format_bytes(1024) == "1.00 KiB");
    CHECK(format_bytes(1536) == "1.50 KiB");
    CHECK(format_bytes(kMiB - 1) == "1.00 MiB");  // not "1024.00 KiB"
    CHECK(format_bytes(kMiB - 6 * kKiB) == "1018.00 KiB");
    CHECK(format_bytes(kMiB) == "1.00 MiB");
    CHECK(format_bytes(10 * kGiB) == "10.00 GiB");
    CHECK(format_bytes(5 * kGiB / 2) == "2.50 GiB");
    CHECK(format_bytes(kGiB * 1024) == "1.00 TiB");
    CHECK(format_bytes(kGiB * kMiB) == "1.00 PiB");
    CHECK(format_bytes(INT64_MAX) == "8.00 EiB");
    CHECK(format_bytes(-1) == "-1 B");
    CHECK(format_bytes(-1536) == "-1.50 KiB");
    CHECK(format_bytes(INT64_MIN) == "-8.00 EiB");
}

TEST_CASE("format_percent and percent_of", "[unit][units]") {
    CHECK(format_percent(std::nullopt) == "-");
    CHECK(format_percent(0.0) == "0.0%");
    CHECK(format_percent(87.5) == "87.5%");
    CHECK(format_percent(100.0) == "100.0%");
    CHECK(format_percent(250.04) == "250.0%");
    CHECK_FALSE(percent_of(10, 0).has_value());
    CHECK_FALSE(percent_of(10, -1).has_value());
    CHECK(*percent_of(3 * kGiB, 10 * kGiB) == Approx(30.0));
    CHECK(*percent_of(0, 10) == Approx(0.0));
    CHECK(*percent_of(15, 10) == Approx(150.0));
}

TEST_CASE("format_expiry: never, future, expired, delay-start", "[unit][units]") {
    CHECK(format_expiry(0, kNow) == "never");
    CHECK(format_expiry(kNow + 30 * kDay, kNow) == "in 30d");
    CHECK(format_expiry(kNow + 3 * kDay + 4 * kHour + 5 * kMinute, kNow) == "in 3d 4h");
    CHECK(format_expiry(kNow + 5 * kHour + 12 * kMinute, kNow) == "in 5h 12m");
    CHECK(format_expiry(kNow + 42 * kMinute + 30 * kSecond, kNow) == "in 42m");
    CHECK(format_expiry(kNow + 15 * kSecond, kNow) == "in 15s");
    CHECK(format_expiry(kNow, kNow) == "expired 0s ago");
    CHECK(format_expiry(kNow - 2 * kDay, kNow) == "expired 2d ago");
    CHECK(format_expiry(kNow - kHour, kNow) == "expired 1h ago");
    CHECK(format_expiry(-7 * kDay, kNow) == "7d after first use");
    CHECK(format_expiry(-30 * kDay, kNow) == "30d after first use");
    CHECK(format_duration(0) == "0s");
    CHECK(format_duration(kDay) == "1d");
    CHECK(format_duration(3 * kHour) == "3h");
    CHECK(format_duration(-90 * kMinute) == "1h 30m");
}

TEST_CASE("format_utc prints ISO 8601 UTC", "[unit][units]") {
    CHECK(format_utc(kNow) == "2026-01-01T00:00:00Z");
    CHECK(format_utc(kNow + 30 * kDay + 2 * kHour + 18 * kMinute + 36 * kSecond + 999) ==
          "2026-01-31T02:18:36Z");
    CHECK(format_utc(0) == "1970-01-01T00:00:00Z");
}
