// Panels after v3.6.0 (issue 17): version text, per-client cycles and
// renewals, plan notes for shared clients, cycles and capped renewals.
#include <catch2/catch.hpp>

#include "model/cycle.hpp"
#include "ops/panel_notes.hpp"
#include "panel/capabilities.hpp"

using namespace xuictl;

namespace {

constexpr int64_t kNow = 1767225600000;  // 2026-01-01T00:00:00Z, a Thursday
constexpr int64_t kHour = 3'600'000;
constexpr int64_t kDay = 24 * kHour;

ClientUsage client(const char* email) {
    ClientUsage c;
    c.email = email;
    c.inbound_id = 1;
    c.has_traffic_row = true;
    c.traffic_cycle = TrafficCycle::never;
    return c;
}

}  // namespace

TEST_CASE("any panelVersion means the v3 API; text that is no release number is not classic",
          "[unit][capabilities]") {
    const auto dev = capabilities_from_panel_version("dev+02002dc1");
    CHECK(dev.generation == ApiGeneration::v3);
    CHECK_FALSE(dev.version.has_value());
    CHECK(dev.version_unknown());
    CHECK(dev.version_text == "dev+02002dc1");
    CHECK(dev.effective_version() == kNewestKnownVersion);
    CHECK(dev.has_bulk_client_routes());
    CHECK(dev.depleted_rule(true) == DepletedRule::with_reset_day);
    CHECK(dev.describe() ==
          "dev+02002dc1 (API v3; \"dev+02002dc1\" is not a release number, so xuictl assumes the "
          "newest behaviour it knows, 3.8.5 or later)");

    const auto released = capabilities_from_panel_version("v3.7.0");
    CHECK(released.generation == ApiGeneration::v3);
    CHECK(released.version == Version{{3, 7, 0}});
    CHECK_FALSE(released.version_unknown());
    CHECK(released.describe() == "3.7.0 (API v3)");

    // panelVersion exists from v3.1.0: a smaller number is no release either.
    for (const char* odd : {"garbage", "2.9.4", "nightly", "+x"}) {
        CAPTURE(odd);
        const auto c = capabilities_from_panel_version(odd);
        CHECK(c.generation == ApiGeneration::v3);
        CHECK(c.version_unknown());
    }
    const auto classic = capabilities_from_panel_version("");
    CHECK(classic.generation == ApiGeneration::classic);
    CHECK_FALSE(classic.version_unknown());
}

TEST_CASE("traffic cycle names from the panel", "[unit][cycle]") {
    CHECK(traffic_cycle_from("") == TrafficCycle::never);
    CHECK(traffic_cycle_from("never") == TrafficCycle::never);
    CHECK(traffic_cycle_from("monthly") == TrafficCycle::monthly);
    CHECK(traffic_cycle_from("fortnightly") == TrafficCycle::unknown);
    CHECK(std::string(to_string(TrafficCycle::weekly)) == "weekly");
}

TEST_CASE("next traffic reset follows the panel's job schedule (UTC estimate)", "[unit][cycle]") {
    auto c = client("a@x");
    c.traffic_cycle = TrafficCycle::hourly;
    CHECK(client_cycle(c, kNow + 10 * 60'000).next_traffic_reset_ms == kNow + kHour);
    c.traffic_cycle = TrafficCycle::daily;
    CHECK(client_cycle(c, kNow).next_traffic_reset_ms == kNow + kDay);
    c.traffic_cycle = TrafficCycle::weekly;  // @weekly: Sunday 00:00; 2026-01-01 is a Thursday
    CHECK(client_cycle(c, kNow).next_traffic_reset_ms == kNow + 3 * kDay);
    c.traffic_cycle = TrafficCycle::monthly;
    c.traffic_reset_day = 31;  // January has 31 days
    CHECK(client_cycle(c, kNow).next_traffic_reset_ms == kNow + 30 * kDay);
    // February has 28 in 2026: the job fires on its last day.
    CHECK(client_cycle(c, kNow + 31 * kDay).next_traffic_reset_ms == kNow + (31 + 27) * kDay);
    c.traffic_reset_day = 1;  // today at 00:00 has passed: next month
    CHECK(client_cycle(c, kNow).next_traffic_reset_ms == kNow + 31 * kDay);
    // Switched off and under quota: the job skips the client (job.go:106-110).
    c.settings_enable = false;
    c.quota = 100;
    c.up = 10;
    CHECK_FALSE(client_cycle(c, kNow).next_traffic_reset_ms.has_value());
    CHECK(describe_cycle(client_cycle(c, kNow), c, kNow) ==
          "resets monthly (day 1), skipped while switched off");
    c.up = 100;  // over quota: reset (and re-enabled)
    CHECK(client_cycle(c, kNow).next_traffic_reset_ms == kNow + 31 * kDay);
}

TEST_CASE("renewals: next one, renewals left, a spent cap", "[unit][cycle]") {
    auto c = client("r@x");
    c.reset = 30;
    c.expiry_time = kNow + 5 * kHour;
    auto k = client_cycle(c, kNow);
    CHECK(k.renews);
    CHECK_FALSE(k.renewals_left.has_value());  // unlimited
    CHECK(k.next_renewal_ms == c.expiry_time);
    CHECK(panel_acts_within(k, kNow, kDay));
    CHECK_FALSE(panel_acts_within(k, kNow, 4 * kHour));
    CHECK(describe_cycle(k, c, kNow) == "renews every 30 d, next in 5h");

    c.reset_max = 3;
    c.reset_count = 1;
    k = client_cycle(c, kNow);
    CHECK(k.renewals_left == 2);
    CHECK(describe_cycle(k, c, kNow) == "renews every 30 d, next in 5h, 2 left");

    c.reset_count = 3;  // spent: the client stays expired, the panel never purges it
    c.expiry_time = kNow - kDay;
    k = client_cycle(c, kNow);
    CHECK(k.renewals_spent);
    CHECK_FALSE(k.next_renewal_ms.has_value());
    CHECK_FALSE(panel_acts_within(k, kNow, kDay));
    CHECK(never_purged_by_panel(c, k, kNow));
    CHECK_FALSE(is_depleted(c, DepletedRule::with_reset_day, kNow));
    CHECK(describe_cycle(k, c, kNow) == "renews every 30 d, all 3 renewals used");

    auto day = client("d@x");
    day.reset_day = 5;
    day.expiry_time = kNow - kHour;  // passed: due at the panel's next run
    k = client_cycle(day, kNow);
    CHECK(k.next_renewal_ms == kNow - kHour);
    CHECK(describe_cycle(k, day, kNow) == "renews on day 5, due now");
    CHECK(describe_cycle(client_cycle(client("n@x"), kNow), client("n@x"), kNow) == "-");
    auto slim = client("s@x");
    slim.traffic_cycle = TrafficCycle::unknown;
    CHECK(describe_cycle(client_cycle(slim, kNow), slim, kNow) == "?");
}

TEST_CASE("plan notes: shared clients, the panel's own resets, spent caps, dev builds",
          "[unit][plan]") {
    Inbound a;
    a.id = 1;
    Inbound b;
    b.id = 2;
    for (const char* email : {"shared@x", "daily@x", "capped@x"}) {
        Client cl;
        cl.email = email;
        a.clients.push_back(cl);
        ClientTraffic t;
        t.email = email;
        t.up = 10;
        a.client_stats.push_back(t);
    }
    a.client_stats[2].reset = 30;
    a.client_stats[2].reset_max = 2;
    a.client_stats[2].reset_count = 2;
    a.client_stats[2].expiry_time = kNow - kDay;
    a.clients[1].traffic_cycle = TrafficCycle::daily;
    a.clients_complete = true;
    Client shared;
    shared.email = "shared@x";
    b.clients.push_back(shared);
    const std::vector<Inbound> inbounds{a, b};

    Plan p;
    p.operation = Operation::purge_all;
    p.capabilities = capabilities_from_panel_version("dev+0123abcd");
    p.planned_at_ms = kNow;
    for (auto& c : client_usage(inbounds)) {
        if (c.email != "capped@x" && c.inbound_id == 1) {
            p.clients.push_back(c);
        }
    }
    add_panel_notes(p, inbounds);
    REQUIRE(p.notes.size() == 4);
    CHECK(p.notes[0] ==
          "the panel reports version \"dev+0123abcd\", which is not a release number (a "
          "dev-channel build): this plan follows the newest behaviour xuictl knows (3.8.5 or "
          "later)");
    CHECK(p.notes[1] ==
          "1 client(s) are attached to several inbounds: shared@x (inbounds 1, 2); each is "
          "counted once, and deleted from every one of them (one client record)");
    CHECK(p.notes[2].rfind("the panel itself will reset or renew 1 planned client(s) within "
                           "about a day, so their counters change again after this write: "
                           "daily@x (resets daily, next 2026-01-02 UTC)",
                           0) == 0);
    CHECK(p.notes[3] ==
          "1 client(s) have used all their capped renewals and stay expired or over quota, but "
          "the panel's depleted rule never matches them (reset/resetDay stay set), so they are "
          "not in this plan: capped@x");

    // A classic plan (no shared clients there), a release number: no such notes.
    Plan q = p;
    q.notes.clear();
    q.operation = Operation::reset_inbound_clients;
    q.capabilities = capabilities_from_panel_version("3.6.0");
    add_panel_notes(q, inbounds);
    REQUIRE(q.notes.size() == 2);
    CHECK(q.notes[0].find("its counters are reset there too (one traffic row)") !=
          std::string::npos);
    CHECK(q.notes[1].rfind("the panel itself will reset or renew", 0) == 0);
}

TEST_CASE("stats note for a master's node inbounds", "[unit][plan]") {
    Inbound own;
    own.id = 1;
    Inbound hosted;
    hosted.id = 2;
    hosted.node_id = 7;
    CHECK_FALSE(node_traffic_note({own}).has_value());
    CHECK(node_traffic_note({own, hosted}) ==
          "this panel is a master: inbound(s) 2 (node 7) run on its nodes, and their client "
          "counters include the traffic those nodes report (3x-ui syncs it into the master)");
}
