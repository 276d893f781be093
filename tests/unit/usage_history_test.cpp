// lib/store/usage_history: samples, resets, shared clients, retention.
#include <catch2/catch.hpp>

#include <filesystem>
#include <map>

#include "store/migrations.hpp"
#include "store/sqlite.hpp"
#include "store/usage_history.hpp"
#include "support/temp_dir.hpp"

using namespace xuictl;
using namespace xuictl::test;

namespace {

constexpr int64_t kHour = 3600 * 1000LL;
constexpr int64_t kDay = 24 * kHour;
// 2026-11-02 00:00:00 UTC
constexpr int64_t kT0 = 1793577600000LL;
const std::string kPanel = "https://p/ admin";
const std::string kAuditPanel = "https://p/";

UsageHistory open_history(const TempDir& dir) {
    auto h = UsageHistory::open(dir.file("xuictl.db"), 200);
    REQUIRE(h.ok());
    return std::move(*h);
}

SampleResult sample(UsageHistory& h, int64_t at, std::vector<CounterReading> readings,
                    const Retention* retention = nullptr) {
    auto r = h.record_sample(kPanel, kAuditPanel, at, readings, retention);
    REQUIRE(r.ok());
    return *r;
}

int64_t moved_up(UsageHistory& h, const std::string& email, int64_t from, int64_t to) {
    auto rows = h.moved(kPanel, from, to);
    REQUIRE(rows.ok());
    for (const auto& r : *rows) {
        if (r.email == email) {
            return r.up;
        }
    }
    return 0;
}

Retention utc_days(int64_t hourly_ms) {
    Retention r;
    r.hourly_ms = hourly_ms;
    r.day_start = [](int64_t ms) { return ms - ms % kDay; };
    return r;
}

}  // namespace

TEST_CASE("usage history: deltas of changed clients only, first sample is the base",
          "[unit][store][history]") {
    TempDir dir;
    auto h = open_history(dir);
    auto first = sample(h, kT0, {{"a", 100, 200}, {"b", 5, 5}});
    CHECK(first.first);
    CHECK(first.new_clients == 2);
    CHECK(first.changed == 0);
    auto second = sample(h, kT0 + kHour, {{"a", 150, 260}, {"b", 5, 5}});
    CHECK_FALSE(second.first);
    CHECK(second.changed == 1);
    CHECK(*h.row_count("usage_deltas") == 1);  // b did not move: no row
    auto rows = h.moved(kPanel, kT0, kT0 + kHour);
    REQUIRE(rows.ok());
    REQUIRE(rows->size() == 1);
    CHECK((*rows)[0].email == "a");
    CHECK((*rows)[0].up == 50);
    CHECK((*rows)[0].down == 60);
    auto life = h.lifetime(kPanel);
    REQUIRE(life.ok());
    REQUIRE(life->size() == 2);
    for (const auto& l : *life) {
        CHECK(l.up == (l.email == "a" ? 150 : 5));
    }
    auto cov = h.coverage(kPanel, kT0 - kDay, kT0 + kDay);
    REQUIRE(cov.ok());
    REQUIRE(cov->size() == 1);  // the first sample covers nothing by itself
    CHECK((*cov)[0].start_ms == kT0);
    CHECK((*cov)[0].end_ms == kT0 + kHour);
}

TEST_CASE("usage history: a shared client (same email twice) counts once",
          "[unit][store][history]") {
    TempDir dir;
    auto h = open_history(dir);
    sample(h, kT0, {{"s", 10, 10}, {"s", 10, 10}});
    auto r = sample(h, kT0 + kHour, {{"s", 30, 10}, {"s", 30, 10}});
    CHECK(r.clients == 1);
    CHECK(r.changed == 1);
    CHECK(moved_up(h, "s", kT0, kT0 + kHour) == 20);
}

TEST_CASE("usage history: a sample on a base read ahead equals one read at the time",
          "[unit][store][history]") {
    TempDir dir;
    auto h = open_history(dir);
    sample(h, kT0, {{"a", 100, 200}, {"b", 5, 5}, {"s", 1, 1}});
    auto base = h.prepare_sample(kPanel);
    REQUIRE(base.ok());
    REQUIRE(base->latest_ms == kT0);
    auto r = h.record_sample(kPanel, kAuditPanel, kT0 + kHour,
                             {{"a", 150, 260}, {"b", 5, 5}, {"s", 3, 1}, {"s", 3, 1}, {"n", 7, 7}},
                             nullptr, &*base);
    REQUIRE(r.ok());
    CHECK(r->clients == 4);  // the shared client once, the new one too
    CHECK(r->changed == 2);
    CHECK(r->new_clients == 1);
    CHECK(moved_up(h, "a", kT0, kT0 + kHour) == 50);
    CHECK(moved_up(h, "s", kT0, kT0 + kHour) == 2);
}

TEST_CASE("usage history: a base read before another sample landed is read again",
          "[unit][store][history]") {
    TempDir dir;
    auto h = open_history(dir);
    sample(h, kT0, {{"a", 100, 100}});
    auto base = h.prepare_sample(kPanel);  // sees a at 100
    REQUIRE(base.ok());
    // Meanwhile another collect (another connection) records a at 160.
    {
        auto other = open_history(dir);
        sample(other, kT0 + kHour, {{"a", 160, 100}});
    }
    // Compared with the stale base, a would have moved 100 (counted twice).
    auto r = h.record_sample(kPanel, kAuditPanel, kT0 + 2 * kHour, {{"a", 200, 100}}, nullptr,
                             &*base);
    REQUIRE(r.ok());
    auto rows = h.deltas(kPanel, "a", kT0, kT0 + 2 * kHour);
    REQUIRE(rows.ok());
    REQUIRE(rows->size() == 2);
    CHECK((*rows)[0].up == 60);
    CHECK((*rows)[1].up == 40);  // not 100: the base is read again
    CHECK(moved_up(h, "a", kT0 + kHour, kT0 + 2 * kHour) == 40);
    CHECK(moved_up(h, "a", kT0, kT0 + 2 * kHour) == 100);
    auto life = h.lifetime(kPanel);
    REQUIRE(life.ok());
    REQUIRE(life->size() == 1);
    CHECK((*life)[0].up == 200);
}

TEST_CASE("usage history: a base of a panel without history", "[unit][store][history]") {
    TempDir dir;
    auto h = open_history(dir);
    auto base = h.prepare_sample(kPanel);
    REQUIRE(base.ok());
    CHECK_FALSE(base->panel_id);
    CHECK_FALSE(base->latest_ms);
    auto r = h.record_sample(kPanel, kAuditPanel, kT0, {{"a", 1, 1}}, nullptr, &*base);
    REQUIRE(r.ok());
    CHECK(r->first);
    CHECK(r->new_clients == 1);
}

TEST_CASE("usage history: a counter that went down closes a cycle, never negative",
          "[unit][store][history]") {
    TempDir dir;
    auto h = open_history(dir);
    sample(h, kT0, {{"a", 1000, 2000}});
    sample(h, kT0 + kHour, {{"a", 1100, 2100}});
    auto r = sample(h, kT0 + 2 * kHour, {{"a", 30, 40}});
    CHECK(r.resets == 1);
    CHECK(moved_up(h, "a", kT0, kT0 + 2 * kHour) == 100 + 30);
    auto cycles = h.cycles(kPanel, "a");
    REQUIRE(cycles.ok());
    REQUIRE(cycles->size() == 2);
    CHECK((*cycles)[0].up == 1100);
    CHECK((*cycles)[0].down == 2100);
    CHECK((*cycles)[0].seen_ms == kT0 + 2 * kHour);
    CHECK((*cycles)[0].cause == "panel");
    CHECK((*cycles)[1].seen_ms == 0);  // the open cycle
    CHECK((*cycles)[1].up == 30);
    // Only one counter down is a reset too: the other is not counted twice.
    r = sample(h, kT0 + 3 * kHour, {{"a", 10, 50}});
    CHECK(r.resets == 1);
    CHECK(moved_up(h, "a", kT0 + 2 * kHour, kT0 + 3 * kHour) == 10);
    // A negative counter from a broken panel is read as zero.
    sample(h, kT0 + 4 * kHour, {{"a", -5, 50}});
    auto life = h.lifetime(kPanel);
    REQUIRE(life.ok());
    CHECK((*life)[0].up == 1000 + 100 + 30 + 10);
}

TEST_CASE("usage history: our reset is told from the panel's by the audit records",
          "[unit][store][history]") {
    TempDir dir;
    {
        auto db = SqliteDb::open(dir.file("xuictl.db"), 200);
        REQUIRE(db.ok());
        REQUIRE(migrate(*db).ok());
    }
    auto h = open_history(dir);
    sample(h, kT0, {{"a", 1000, 2000}, {"b", 500, 500}});
    {
        auto db = SqliteDb::open(dir.file("xuictl.db"), 200);
        const std::string plan =
            R"({"operation":"reset_client","clients":[{"inbound_id":1,"email":"a"}]})";
        auto st = SqliteStatement::prepare(
            *db,
            "INSERT INTO operations (id, time_ms, panel, command, plan) VALUES ('op1', ?1, "
            "?2, 'traffic reset 1 a', ?3)");
        REQUIRE(st.ok());
        st->bind(1, kT0 + 10).bind(2, kAuditPanel).bind(3, plan);
        REQUIRE(st->run().ok());
    }
    sample(h, kT0 + kHour, {{"a", 0, 0}, {"b", 0, 0}});
    auto a = h.cycles(kPanel, "a");
    auto b = h.cycles(kPanel, "b");
    REQUIRE(a.ok());
    REQUIRE(b.ok());
    CHECK((*a)[0].cause == "xuictl traffic reset 1 a op1");
    CHECK((*b)[0].cause == "panel");  // the record does not name b
}

TEST_CASE("usage history: a sample at or before the latest is skipped, nothing written",
          "[unit][store][history]") {
    TempDir dir;
    auto h = open_history(dir);
    sample(h, kT0, {{"a", 1, 1}});
    sample(h, kT0 + kHour, {{"a", 2, 2}});
    auto r = sample(h, kT0 + kHour, {{"a", 9, 9}});
    CHECK(r.skipped);
    r = sample(h, kT0 + 10, {{"a", 9, 9}});
    CHECK(r.skipped);
    CHECK(*h.row_count("usage_deltas") == 1);
    CHECK(*h.row_count("usage_samples") == 2);
}

TEST_CASE("usage history: panels are kept apart", "[unit][store][history]") {
    TempDir dir;
    auto h = open_history(dir);
    sample(h, kT0, {{"a", 1, 1}});
    REQUIRE(h.record_sample("https://q/ admin", "https://q/", kT0, {{"a", 50, 50}}, nullptr).ok());
    sample(h, kT0 + kHour, {{"a", 11, 1}});
    REQUIRE(h.record_sample("https://q/ admin", "https://q/", kT0 + kHour, {{"a", 52, 50}}, nullptr)
                .ok());
    CHECK(moved_up(h, "a", kT0, kT0 + kHour) == 10);
    auto q = h.moved("https://q/ admin", kT0, kT0 + kHour);
    REQUIRE(q.ok());
    CHECK((*q)[0].up == 2);
}

TEST_CASE("usage history: retention merges old days, keeping every byte and the coverage",
          "[unit][store][history]") {
    TempDir dir;
    auto h = open_history(dir);
    const Retention keep_two_days = utc_days(2 * kDay);
    // Ten days of hourly samples; client a moves 1 byte up every hour.
    int64_t up = 0;
    SampleResult last;
    for (int64_t i = 0; i <= 10 * 24; ++i) {
        last = sample(h, kT0 + i * kHour, {{"a", up, 0}, {"b", 7, 7}}, &keep_two_days);
        ++up;
    }
    // The whole history's bytes are unchanged by compaction.
    CHECK(moved_up(h, "a", kT0 - 1, kT0 + 10 * kDay) == 240);
    // Days 0-7 ended more than 2 days before the last sample: one row each.
    // (Day 0 starts with the first sample, which covers nothing.)
    auto samples = *h.row_count("usage_samples");
    CHECK(samples == 8 + (10 * 24 + 1 - 8 * 24));
    auto cov = h.coverage(kPanel, kT0 - kDay, kT0 + 11 * kDay);
    REQUIRE(cov.ok());
    REQUIRE(cov->size() == 1);  // contiguous: no gap invented by merging
    CHECK((*cov)[0].start_ms == kT0);
    CHECK((*cov)[0].end_ms == kT0 + 10 * kDay);
    // A merged day counts where its samples were seen: day 3 holds 24 bytes.
    CHECK(moved_up(h, "a", kT0 + 3 * kDay, kT0 + 4 * kDay - 1) == 24);
    // Recent hours keep their detail.
    CHECK(moved_up(h, "a", kT0 + 9 * kDay, kT0 + 9 * kDay + kHour) == 1);
}

TEST_CASE("usage history: a missed collect is one long sample, merged with its day",
          "[unit][store][history]") {
    TempDir dir;
    auto h = open_history(dir);
    const Retention keep_one_day = utc_days(kDay);
    sample(h, kT0, {{"a", 0, 0}}, &keep_one_day);
    sample(h, kT0 + kHour, {{"a", 1, 0}}, &keep_one_day);
    sample(h, kT0 + 2 * kHour, {{"a", 2, 0}}, &keep_one_day);
    // No collect from 02:00 to 20:00, then two more.
    sample(h, kT0 + 20 * kHour, {{"a", 10, 0}}, &keep_one_day);
    sample(h, kT0 + 21 * kHour, {{"a", 11, 0}}, &keep_one_day);
    sample(h, kT0 + 3 * kDay, {{"a", 11, 0}}, &keep_one_day);
    auto cov = h.coverage(kPanel, kT0, kT0 + kDay);
    REQUIRE(cov.ok());
    // The 18-hour interval is one sample: covered (its bytes are known, seen
    // at 20:00), and the day is one row after retention.
    REQUIRE(cov->size() == 1);
    CHECK((*cov)[0].start_ms == kT0);
    CHECK((*cov)[0].end_ms == kT0 + 21 * kHour);
    CHECK(moved_up(h, "a", kT0, kT0 + kDay) == 11);
    CHECK(*h.row_count("usage_samples") == 2);  // day 0 merged, and the last sample
    // The last sample covers the two days without collects: its span says so.
    cov = h.coverage(kPanel, kT0 + kDay, kT0 + 3 * kDay);
    REQUIRE(cov.ok());
    REQUIRE(cov->size() == 1);
    CHECK((*cov)[0].start_ms == kT0 + 21 * kHour);
}

TEST_CASE("usage history: every window's bytes equal the sum of its delta rows",
          "[unit][store][history]") {
    // moved() reads running totals (schema step 0004); deltas() returns the
    // rows themselves. Resets, clients that stop and start, and retention
    // merging days must leave the two in agreement for any window.
    TempDir dir;
    auto h = open_history(dir);
    const Retention keep_two_days = utc_days(2 * kDay);
    std::vector<CounterReading> readings = {{"a", 0, 0}, {"b", 50, 60}, {"c", 9, 9}};
    for (int64_t i = 0; i <= 6 * 24; ++i) {
        readings[0].up += 3;                       // every hour
        readings[1].down += (i % 5 == 0) ? 7 : 0;  // now and then
        if (i % 40 == 39) {
            readings[1] = {"b", 1, 2};  // reset by the panel
        }
        if (i == 100) {
            readings.push_back({"d", 5, 5});  // a client that arrives late
        }
        if (readings.size() > 3) {
            readings[3].up += i % 2;
        }
        sample(h, kT0 + i * kHour, readings, &keep_two_days);
    }
    CHECK(*h.row_count("usage_samples") < 6 * 24);  // retention did merge days
    auto rows = h.deltas(kPanel, "", 0, kT0 + 7 * kDay);
    REQUIRE(rows.ok());
    const int64_t bounds[] = {0,
                              kT0,
                              kT0 + 1,
                              kT0 + 5 * kHour,
                              kT0 + kDay + 23 * kHour,
                              kT0 + 2 * kDay,
                              kT0 + 3 * kDay + 7 * kHour,
                              kT0 + 4 * kDay + 12 * kHour,
                              kT0 + 5 * kDay,
                              kT0 + 6 * kDay,
                              kT0 + 9 * kDay};
    for (int64_t from : bounds) {
        for (int64_t to : bounds) {
            if (to <= from) {
                continue;
            }
            std::map<std::string, std::pair<int64_t, int64_t>> want;
            for (const auto& d : *rows) {
                if (d.end_ms > from && d.end_ms <= to) {
                    want[d.email].first += d.up;
                    want[d.email].second += d.down;
                }
            }
            auto got = h.moved(kPanel, from, to);
            REQUIRE(got.ok());
            std::map<std::string, std::pair<int64_t, int64_t>> have;
            for (const auto& m : *got) {
                have[m.email] = {m.up, m.down};
            }
            INFO("window (" << from << ", " << to << "]");
            CHECK(have == want);
        }
    }
    // Lifetime: the counters when first seen plus every delta.
    auto life = h.lifetime(kPanel);
    REQUIRE(life.ok());
    for (const auto& l : *life) {
        int64_t sum = 0;
        for (const auto& d : *rows) {
            sum += d.email == l.email ? d.up : 0;
        }
        const int64_t first_up = l.email == "a" ? 3 : l.email == "b" ? 50 : l.email == "c" ? 9 : 5;
        CHECK(l.up == first_up + sum);
    }
}
