#include <catch2/catch.hpp>

#include "model/usage.hpp"
#include "support/describe.hpp"

using namespace xuictl;
using xuictl::test::describe;

namespace {

constexpr int64_t kNow = 1767225600000;
constexpr int64_t kDay = 86400000;
constexpr int64_t kGiB = int64_t{1} << 30;

// A client with a traffic row, enabled, within limits; tests change one thing.
ClientUsage client() {
    ClientUsage c;
    c.inbound_id = 1;
    c.email = "c@x";
    c.has_traffic_row = true;
    c.up = 1 * kGiB;
    c.down = 1 * kGiB;
    c.quota = 10 * kGiB;
    return c;
}

struct StateCase {
    const char* name;
    ClientUsage client;
    bool disabled_flag;    // expected under DepletedRule::disabled_flag
    bool quota_or_expiry;  // ... quota_or_expiry
    bool with_reset_day;   // ... with_reset_day
};

std::vector<StateCase> state_cases() {
    std::vector<StateCase> cases;
    auto add = [&](const char* name, auto change, bool d, bool q, bool r) {
        ClientUsage c = client();
        change(c);
        cases.push_back({name, c, d, q, r});
    };
    add(
        "within limits", [](ClientUsage&) {}, false, false, false);
    add(
        "quota exactly used up", [](ClientUsage& c) { c.down = 9 * kGiB; }, false, true, true);
    add(
        "one byte under the quota", [](ClientUsage& c) { c.down = 9 * kGiB - 1; }, false, false,
        false);
    add(
        "over quota, auto-disabled",
        [](ClientUsage& c) {
            c.up = 20 * kGiB;
            c.traffic_enable = false;
        },
        true, true, true);
    add(
        "unlimited, huge usage",
        [](ClientUsage& c) {
            c.quota = 0;
            c.up = 1000 * kGiB;
        },
        false, false, false);
    add(
        "expired yesterday", [](ClientUsage& c) { c.expiry_time = kNow - kDay; }, false, true,
        true);
    add(
        "expires exactly now", [](ClientUsage& c) { c.expiry_time = kNow; }, false, true, true);
    add(
        "expires in a millisecond", [](ClientUsage& c) { c.expiry_time = kNow + 1; }, false, false,
        false);
    add(
        "never expires", [](ClientUsage& c) { c.expiry_time = 0; }, false, false, false);
    add(
        "delay-start, within quota", [](ClientUsage& c) { c.expiry_time = -7 * kDay; }, false,
        false, false);
    add(
        "delay-start, quota used up",
        [](ClientUsage& c) {
            c.expiry_time = -7 * kDay;
            c.up = 10 * kGiB;
        },
        false, true, true);
    add(
        "auto-renew and expired",
        [](ClientUsage& c) {
            c.reset = 30;
            c.expiry_time = kNow - kDay;
        },
        false, false, false);
    add(
        "auto-renew, over quota and auto-disabled",
        [](ClientUsage& c) {
            c.reset = 30;
            c.up = 20 * kGiB;
            c.traffic_enable = false;
        },
        false, false, false);
    add(
        "calendar renewal day and over quota",
        [](ClientUsage& c) {
            c.reset_day = 5;
            c.up = 20 * kGiB;
        },
        false, true, false);
    add(
        "calendar renewal day and expired",
        [](ClientUsage& c) {
            c.reset_day = 1;
            c.expiry_time = kNow - kDay;
        },
        false, true, false);
    add(
        "disabled by the admin, within limits", [](ClientUsage& c) { c.settings_enable = false; },
        false, false, false);
    add(
        "auto-disabled, within limits", [](ClientUsage& c) { c.traffic_enable = false; }, true,
        false, false);
    add(
        "no traffic row",
        [](ClientUsage& c) {
            c.has_traffic_row = false;
            c.traffic_enable = true;
        },
        false, false, false);
    return cases;
}

}  // namespace

TEST_CASE("is_depleted for every client state under each rule", "[unit][usage]") {
    for (const auto& c : state_cases()) {
        SECTION(c.name) {
            CHECK(is_depleted(c.client, DepletedRule::disabled_flag, kNow) == c.disabled_flag);
            CHECK(is_depleted(c.client, DepletedRule::quota_or_expiry, kNow) == c.quota_or_expiry);
            CHECK(is_depleted(c.client, DepletedRule::with_reset_day, kNow) == c.with_reset_day);
        }
    }
}

TEST_CASE("quota_used_up, expired and percent", "[unit][usage]") {
    ClientUsage c = client();
    CHECK(c.used() == 2 * kGiB);
    CHECK(*c.percent() == Approx(20.0));
    CHECK_FALSE(quota_used_up(c));
    c.quota = 0;
    CHECK_FALSE(c.percent().has_value());
    CHECK_FALSE(quota_used_up(c));
    c.expiry_time = -kDay;
    CHECK_FALSE(expired(c, kNow));
    c.expiry_time = kNow - 1;
    CHECK(expired(c, kNow));
    CHECK(c.enabled());
    c.traffic_enable = false;
    CHECK_FALSE(c.enabled());
}

TEST_CASE("client_usage joins traffic rows by email across inbounds", "[unit][usage]") {
    Inbound one;
    one.id = 1;
    one.remark = "one";
    one.clients = {Client{"shared@x", true, 5 * kGiB, 0, 0},
                   Client{"norow@x", false, 7 * kGiB, kNow + kDay, 2}};
    // v3 keeps one row per email; its inboundId may name another inbound.
    ClientTraffic row;
    row.inbound_id = 1;
    row.email = "shared@x";
    row.enable = false;
    row.up = 11;
    row.down = 22;
    row.total = 3 * kGiB;  // the row's copy of the limits wins
    row.expiry_time = kNow - kDay;
    row.reset = 0;
    row.reset_day = 4;
    one.client_stats = {row};
    Inbound two;
    two.id = 2;
    two.remark = "two";
    two.clients = {Client{"shared@x", true, 5 * kGiB, 0, 0}, Client{"b@x", true, 0, 0, 0}};
    ClientTraffic brow;
    brow.inbound_id = 1;  // stale inbound id: still joined by email
    brow.email = "b@x";
    brow.up = 5;
    brow.down = 6;
    two.client_stats = {brow};

    const auto all = client_usage({one, two});
    REQUIRE(all.size() == 4);
    CHECK(describe(all[0]) ==
          "1 shared@x s=true t=false row=true up=11 down=22 quota=3221225472 "
          "exp=1767139200000 reset=0 day=4");
    CHECK(describe(all[1]) ==
          "1 norow@x s=false t=true row=false up=0 down=0 quota=7516192768 "
          "exp=1767312000000 reset=2 day=0");
    CHECK(describe(all[2]) ==
          "2 shared@x s=true t=false row=true up=11 down=22 quota=3221225472 "
          "exp=1767139200000 reset=0 day=4");
    CHECK(describe(all[3]) ==
          "2 b@x s=true t=true row=true up=5 down=6 quota=0 exp=0 reset=0 day=0");
}

TEST_CASE("UsageBuilder::consume gives client_usage's rows and frees the inbound's clients",
          "[unit][usage]") {
    // Rows out of position, a row that only a later inbound holds, and two
    // rows for one email (the first in list order wins).
    const auto traffic = [](int inbound, const char* email, int64_t up) {
        ClientTraffic t;
        t.inbound_id = inbound;
        t.email = email;
        t.up = up;
        t.down = 1;
        return t;
    };
    Inbound one;
    one.id = 1;
    one.clients = {Client{"late@x", true, 0, 0, 0}, Client{"a@x", true, 0, 0, 0},
                   Client{"dup@x", true, 0, 0, 0}};
    one.client_stats = {traffic(1, "a@x", 10), traffic(1, "dup@x", 30)};  // both out of place
    Inbound two;
    two.id = 2;
    two.clients = {Client{"b@x", true, 0, 0, 0}, Client{"dup@x", true, 0, 0, 0}};
    two.client_stats = {traffic(2, "b@x", 20), traffic(2, "dup@x", 40), traffic(2, "late@x", 50)};

    const auto expected = client_usage({one, two});
    REQUIRE(expected.size() == 5);
    CHECK(describe(expected[0]) ==
          "1 late@x s=true t=true row=true up=50 down=1 quota=0 exp=0 reset=0 day=0");
    CHECK(describe(expected[1]) ==
          "1 a@x s=true t=true row=true up=10 down=1 quota=0 exp=0 reset=0 day=0");
    CHECK(describe(expected[2]) ==
          "1 dup@x s=true t=true row=true up=30 down=1 quota=0 exp=0 reset=0 day=0");
    CHECK(describe(expected[3]) ==
          "2 b@x s=true t=true row=true up=20 down=1 quota=0 exp=0 reset=0 day=0");
    CHECK(describe(expected[4]) ==  // its own row at its position
          "2 dup@x s=true t=true row=true up=40 down=1 quota=0 exp=0 reset=0 day=0");

    UsageBuilder builder;
    std::vector<Inbound> list{one, two};
    for (auto& in : list) {
        builder.consume(in);
        CHECK(in.clients.empty());
        CHECK(in.client_stats.empty());
    }
    CHECK(list[0].client_count() == 3);
    CHECK(list[1].client_count() == 2);
    const auto streamed = builder.finish();
    REQUIRE(streamed.size() == expected.size());
    for (size_t i = 0; i < streamed.size(); ++i) {
        CHECK(describe(streamed[i]) == describe(expected[i]));
    }
    CHECK(builder.finish().empty());  // the builder starts over
}

TEST_CASE("depleted_rule_from_list reads the shape of the list", "[unit][usage]") {
    Inbound nested;
    nested.settings_was_object = true;
    Inbound modern_classic;
    modern_classic.has_traffic_reset = true;
    Inbound old_classic;
    CHECK(depleted_rule_from_list({old_classic, nested}) == DepletedRule::with_reset_day);
    CHECK(depleted_rule_from_list({old_classic, modern_classic}) == DepletedRule::quota_or_expiry);
    CHECK(depleted_rule_from_list({old_classic}) == DepletedRule::disabled_flag);
    CHECK(depleted_rule_from_list({}) == DepletedRule::quota_or_expiry);
}
