// --once-per on destructive commands: skip (exit 0, nothing written) when the
// audit log shows the same command succeeded on the same panel in the
// current local calendar cycle; run otherwise.
#include <catch2/catch.hpp>

#include "calendar.hpp"
#include "support/harness.hpp"
#include "support/list_edit.hpp"
#include "support/panel_script.hpp"
#include "support/workflow.hpp"

using namespace xuictl;
using namespace xuictl::test;

namespace {

constexpr int64_t kHour = 3600000;
// 2026-01-31T20:00:00Z = Sunday 2026-02-01 05:00 in Japan (JST, UTC+9).
constexpr int64_t kNow = 1769889600000;

Recorded earlier(int64_t at_ms, std::string status = "ok") {
    Recorded r;
    r.id = "earlier-" + std::to_string(at_ms);
    r.time_ms = at_ms;
    r.command = "inbound reset 2";
    r.clients = {{2, "b1@x.test", 1, 2}};
    r.status = std::move(status);
    return r;
}

// The full run of `inbound reset 2 --yes` on v3.
void script_reset(Harness& h) {
    expect_read(h.transport, Api::v3);
    h.transport.expect("POST", "/panel/api/clients/bulkResetTraffic", 200, ok_envelope("null"));
    h.transport.expect(
        "GET", "/panel/api/inbounds/list", 200,
        ListEdit(list_fixture(Api::v3)).zero_clients({"b1@x.test", "b2@x.test"}).str());
}

}  // namespace

TEST_CASE("--once-per skips a second run in the same local cycle and runs a first",
          "[cmd][once-per]") {
    TzGuard tz("JST-9");
    struct Case {
        const char* name;
        std::vector<Recorded> log;
        const char* period;
        bool skipped;
    };
    Recorded other_panel = earlier(kNow - kHour);
    other_panel.panel = "https://other.test/";
    Recorded other_command = earlier(kNow - kHour);
    other_command.command = "inbound reset 1";
    const std::vector<Case> cases = {
        {"empty log: first run", {}, "month", false},
        {"ok 1 h ago (same JST month)", {earlier(kNow - kHour)}, "month", true},
        {"ok 4 h ago: Feb 1 01:00 JST, this month", {earlier(kNow - 4 * kHour)}, "month", true},
        {"ok 6 h ago: Jan 31 23:00 JST, last month", {earlier(kNow - 6 * kHour)}, "month", false},
        {"failed 1 h ago does not count", {earlier(kNow - kHour, "failed")}, "month", false},
        {"verify_failed does not count", {earlier(kNow - kHour, "verify_failed")}, "month", false},
        {"pending does not count", {earlier(kNow - kHour, "pending")}, "month", false},
        {"another panel does not count", {other_panel}, "month", false},
        {"another command does not count", {other_command}, "month", false},
        {"day: Feb 1 01:00 JST is today", {earlier(kNow - 4 * kHour)}, "day", true},
        {"day: Jan 31 23:00 JST was yesterday", {earlier(kNow - 6 * kHour)}, "day", false},
        // Feb 1 2026 is a Sunday: the ISO week began Monday Jan 26 00:00 JST.
        {"week: Monday Jan 26 01:00 JST is this week",
         {earlier(kNow - (5 * 24 + 4) * kHour)},
         "week",
         true},
        {"week: Sunday Jan 25 23:00 JST was last week",
         {earlier(kNow - (6 * 24 + 6) * kHour)},
         "week",
         false},
    };
    for (const auto& c : cases) {
        SECTION(c.name) {
            StateRun r;
            r.h.clock = FixedClock(kNow);
            for (const auto& rec : c.log) {
                append_audit(r.state, rec);
            }
            if (c.skipped) {
                expect_read(r.h.transport, Api::v3);
            } else {
                script_reset(r.h);
            }
            CHECK(r.h.run({"inbound", "reset", "2", "--yes", "--once-per", c.period}) == 0);
            CHECK(r.h.transport.unexpected().empty());
            CHECK(r.h.transport.pending() == 0);
            const size_t lines = r.state.audit_lines().size();
            if (c.skipped) {
                CHECK(r.h.transport.posts() == login_posts());
                CHECK(lines == c.log.size());
                CHECK(r.h.err.find(std::string("skipped: `inbound reset 2` already succeeded on ") +
                                   kHarnessPanel + " this " + c.period) != std::string::npos);
            } else {
                CHECK(lines == c.log.size() + 1);
                CHECK(r.h.err.find("done: inbound reset 2") != std::string::npos);
            }
        }
    }
}

TEST_CASE("--once-per: a first run proceeds, the second is skipped", "[cmd][once-per]") {
    StateRun r;
    script_reset(r.h);
    REQUIRE(r.h.run({"inbound", "reset", "2", "--yes", "--once-per", "day"}) == 0);
    // Second run: session and capabilities cached, so only the list is read.
    r.h.transport.expect("GET", "/panel/api/inbounds/list", 200, list_fixture(Api::v3));
    const size_t before = r.h.transport.requests().size();
    CHECK(r.h.run({"inbound", "reset", "2", "--yes", "--once-per", "day"}) == 0);
    CHECK(r.h.err.find("skipped:") != std::string::npos);
    CHECK(r.state.audit_lines().size() == 1);
    for (size_t i = before; i < r.h.transport.requests().size(); ++i) {
        CHECK(r.h.transport.requests()[i].method == "GET");
    }
}

TEST_CASE("--once-per takes day, week or month only", "[cmd][once-per]") {
    StateRun r;
    CHECK(r.h.run({"inbound", "reset", "2", "--yes", "--once-per", "year"}) == 2);
    CHECK(r.h.transport.requests().empty());
}

TEST_CASE("period_start_ms and parse_date_arg follow local time", "[cmd][calendar]") {
    TzGuard tz("JST-9");
    // 2026-02-01 00:00 JST = 2026-01-31T15:00Z.
    constexpr int64_t kFeb1Jst = 1769871600000;
    CHECK(period_start_ms(Period::month, kNow) == kFeb1Jst);
    CHECK(period_start_ms(Period::day, kNow) == kFeb1Jst);
    CHECK(period_start_ms(Period::week, kNow) == kFeb1Jst - 6 * 24 * kHour);
    CHECK(period_start_ms(Period::month, kFeb1Jst - 1) == kFeb1Jst - 31 * 24 * kHour);
    CHECK(*parse_date_arg("2026-02-01") == kFeb1Jst);
    CHECK(*parse_date_arg("2026-02-01T00:00") == kFeb1Jst);
    CHECK(*parse_date_arg("2026-02-01 00:00:00+09:00") == kFeb1Jst);
    CHECK(*parse_date_arg("2026-01-31T15:00:00Z") == kFeb1Jst);
    CHECK(*parse_date_arg("2026-01-31T15:00:00.250Z") == kFeb1Jst);
    CHECK(*parse_date_arg("2026-01-31T10:00:00-0500") == kFeb1Jst);
    CHECK(format_local(kFeb1Jst) == "2026-02-01 00:00:00");
    for (const char* bad : {"", "2026-2-1", "2026-02-01T", "2026-02-01T9:00", "2026-02-01Z",
                            "2026-02-01T00:00+9", "2026-02-29", "2026-02-01T00:00:00.Z"}) {
        CAPTURE(bad);
        auto r = parse_date_arg(bad);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().kind == ErrorKind::usage);
    }
}
