#include <catch2/catch.hpp>

#include "ops/plan.hpp"
#include "ops/plan_json.hpp"
#include "support/harness.hpp"
#include "support/panel_script.hpp"

using namespace xuictl;
using namespace xuictl::test;

namespace {

Capabilities classic_caps() {
    return Capabilities{};
}
Capabilities v3_caps(int minor = 6, int patch = 0) {
    Capabilities c;
    c.generation = ApiGeneration::v3;
    c.version = Version{{3, minor, patch}};
    return c;
}

ClientTraffic row(const std::string& email, int64_t up, int64_t down, int64_t total,
                  bool enable = true) {
    ClientTraffic t;
    t.email = email;
    t.up = up;
    t.down = down;
    t.total = total;
    t.enable = enable;
    return t;
}

// An inbound whose clients are the emails of its rows (same limits).
Inbound inbound(int id, std::vector<ClientTraffic> rows, bool nested = false) {
    Inbound in;
    in.id = id;
    in.remark = "in" + std::to_string(id);
    in.has_traffic_reset = true;
    in.settings_was_object = nested;
    for (const auto& r : rows) {
        Client c;
        c.email = r.email;
        c.total_bytes = r.total;
        in.clients.push_back(c);
    }
    in.client_stats = std::move(rows);
    return in;
}

std::vector<std::string> emails_of(const Plan& p) {
    return p.emails();
}

void set_counters(std::vector<Inbound>& inbounds, const std::string& email, int64_t up,
                  int64_t down) {
    for (auto& in : inbounds) {
        for (auto& r : in.client_stats) {
            if (r.email == email) {
                r.up = up;
                r.down = down;
                return;
            }
        }
    }
    FAIL("no row for " << email);
}

void remove_client(std::vector<Inbound>& inbounds, const std::string& email) {
    for (auto& in : inbounds) {
        std::erase_if(in.clients, [&](const Client& c) { return c.email == email; });
        std::erase_if(in.client_stats, [&](const ClientTraffic& t) { return t.email == email; });
    }
}

}  // namespace

TEST_CASE("plan_reset_client: unknown email or inbound is not_found", "[unit][plan]") {
    for (Api api : {Api::classic, Api::v3}) {
        CAPTURE(api_name(api));
        const auto inbounds = fixture_inbounds(api);
        const auto caps = api == Api::v3 ? v3_caps() : classic_caps();

        auto no_email = plan_reset_client(inbounds, 1, "nobody@x.test", caps, kFixtureNow);
        REQUIRE_FALSE(no_email.ok());
        CHECK(no_email.error().kind == ErrorKind::not_found);
        CHECK(no_email.error().message == "no client with email 'nobody@x.test'");

        auto no_inbound = plan_reset_client(inbounds, 9, "a1@x.test", caps, kFixtureNow);
        REQUIRE_FALSE(no_inbound.ok());
        CHECK(no_inbound.error().kind == ErrorKind::not_found);
        CHECK(no_inbound.error().message == "no inbound with id 9");
        CHECK(no_inbound.error().hint == "existing ids: 1, 2, 3 (xuictl inbound list)");

        auto elsewhere = plan_reset_client(inbounds, 2, "a1@x.test", caps, kFixtureNow);
        REQUIRE_FALSE(elsewhere.ok());
        CHECK(elsewhere.error().kind == ErrorKind::not_found);
        CHECK(elsewhere.error().message == "client 'a1@x.test' is not in inbound 2");
        CHECK(elsewhere.error().hint == "it is in inbound 1");
    }
}

TEST_CASE("plan_reset_client on classic without an inbound lists the holders", "[unit][plan]") {
    const std::vector<Inbound> inbounds = {inbound(1, {row("shared@x", 1, 2, 0)}),
                                           inbound(2, {row("other@x", 1, 2, 0)}),
                                           inbound(3, {row("shared@x", 1, 2, 0)})};
    auto p = plan_reset_client(inbounds, std::nullopt, "shared@x", classic_caps(), kFixtureNow);
    REQUIRE_FALSE(p.ok());
    CHECK(p.error().kind == ErrorKind::usage);
    CHECK(p.error().message ==
          "this panel uses the classic API, which needs the inbound id to reset 'shared@x'");
    CHECK(p.error().hint == "run: xuictl traffic reset 1 shared@x  (inbounds holding it: 1, 3)");

    auto with_inbound = plan_reset_client(inbounds, 3, "shared@x", classic_caps(), kFixtureNow);
    REQUIRE(with_inbound.ok());
    CHECK(with_inbound->inbound_id == 3);
    CHECK(with_inbound->command == "traffic reset 3 shared@x");
    REQUIRE(with_inbound->clients.size() == 1);
    CHECK(with_inbound->clients[0].inbound_id == 3);
}

TEST_CASE("plan_reset_client on v3 finds the inbound itself", "[unit][plan]") {
    const auto inbounds = fixture_inbounds(Api::v3);
    auto p = plan_reset_client(inbounds, std::nullopt, "b2@x.test", v3_caps(), kFixtureNow);
    REQUIRE(p.ok());
    CHECK(p->operation == Operation::reset_client);
    CHECK(p->inbound_id == 2);
    CHECK(p->email == "b2@x.test");
    CHECK(p->command == "traffic reset 2 b2@x.test");
    CHECK(p->phrase == "RESET b2@x.test");
    CHECK(emails_of(*p) == std::vector<std::string>{"b2@x.test"});
    CHECK(p->clients[0].up == 3221225472);
    CHECK(p->planned_at_ms == kFixtureNow);
    // b2 was auto-disabled (its traffic row), its own switch is on.
    CHECK(p->enable_after == std::vector<EnableEffect>{EnableEffect::reenabled});
    CHECK(p->notes ==
          std::vector<std::string>{
              "enable switch: 1 disabled client(s) come back enabled after this reset"});
}

TEST_CASE("reset plans say what the write does to each enable switch, per panel version",
          "[unit][plan]") {
    // Inbound 1: a1 on, a2/a3/a5 auto-disabled (row off, switch on), a4
    // switched off by hand (switch off, row on), a6 on.
    using E = EnableEffect;
    const auto on = E::stays_enabled;
    struct Case {
        const char* name;
        Api api;
        Capabilities caps;
        std::vector<EnableEffect> effects;
        std::vector<std::string> notes;
    };
    const std::vector<Case> cases = {
        {"v3.3.1+: the record is re-enabled, even a client switched off by hand",
         Api::v3,
         v3_caps(3, 1),
         {on, E::reenabled, E::reenabled, E::reenabled, E::reenabled, on},
         {"enable switch: 4 disabled client(s) come back enabled after this reset (1 of them "
          "switched off in the panel itself: this panel version's reset re-enables those too)"}},
        {"v3.1.0-3.3.0: only the traffic row; a switch that is off stays off",
         Api::v3,
         v3_caps(3, 0),
         {on, E::reenabled, E::reenabled, E::stays_disabled, E::reenabled, on},
         {"enable switch: 3 disabled client(s) come back enabled after this reset",
          "enable switch: 1 client(s) stay disabled: their own switch is off and this panel's "
          "reset does not touch it (an auto-disabled client too); enable them in the panel"}},
        {"classic: only the traffic row",
         Api::classic,
         classic_caps(),
         {on, E::reenabled, E::reenabled, E::stays_disabled, E::reenabled, on},
         {"enable switch: 3 disabled client(s) come back enabled after this reset",
          "enable switch: 1 client(s) stay disabled: their own switch is off and this panel's "
          "reset does not touch it (an auto-disabled client too); enable them in the panel"}},
    };
    for (const auto& c : cases) {
        SECTION(c.name) {
            auto p = plan_reset_inbound_clients(fixture_inbounds(c.api), 1, c.caps, kFixtureNow);
            REQUIRE(p.ok());
            CHECK(p->enable_after == c.effects);
            std::vector<std::string> notes(p->notes.begin() + 1, p->notes.end());
            CHECK(notes == c.notes);
            // The plan JSON carries it per client.
            CHECK(plan_to_json(*p).find(R"("email":"a4@x.test")") != std::string::npos);
            CHECK(plan_to_json(*p).find(std::string(R"("enable_after":")") +
                                        to_string(c.effects[3]) + "\"") != std::string::npos);
        }
    }
}

TEST_CASE("plan phrases and targets of every operation", "[unit][plan]") {
    const auto inbounds = fixture_inbounds(Api::v3);
    const auto caps = v3_caps();

    auto counters = plan_reset_inbound_counters(inbounds, caps, kFixtureNow);
    REQUIRE(counters.ok());
    CHECK(counters->phrase == "RESET ALL INBOUNDS");
    CHECK(counters->command == "traffic reset-all");
    CHECK(counters->clients.empty());
    REQUIRE(counters->inbounds.size() == 3);
    const auto& tokyo = counters->inbounds[1];
    CHECK(tokyo.id == 2);
    CHECK(tokyo.remark == "東京 tokyo");
    CHECK(tokyo.up == 3000);
    CHECK(tokyo.down == 4000);
    CHECK(tokyo.client_count == 2);
    CHECK(counters->notes.at(0).find("client counters are NOT touched") != std::string::npos);

    auto one = plan_reset_inbound_clients(inbounds, 2, caps, kFixtureNow);
    REQUIRE(one.ok());
    CHECK(one->operation == Operation::reset_inbound_clients);
    CHECK(one->phrase == "RESET INBOUND 2");
    CHECK(one->command == "inbound reset 2");
    CHECK(emails_of(*one) == std::vector<std::string>{"b1@x.test", "b2@x.test"});

    auto all = plan_reset_inbound_clients(inbounds, std::nullopt, caps, kFixtureNow);
    REQUIRE(all.ok());
    CHECK(all->operation == Operation::reset_all_clients);
    CHECK(all->phrase == "RESET ALL CLIENTS");
    CHECK(all->command == "inbound reset --all");
    CHECK_FALSE(all->inbound_id.has_value());
    CHECK(all->clients.size() == 9);

    auto missing = plan_reset_inbound_clients(inbounds, 7, caps, kFixtureNow);
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().kind == ErrorKind::not_found);

    auto purge = plan_purge_depleted(inbounds, 1, caps, kFixtureNow);
    REQUIRE(purge.ok());
    CHECK(purge->phrase == "DELETE 2 CLIENTS");
    CHECK(purge->command == "clients purge-depleted 1");

    auto purge_missing = plan_purge_depleted(inbounds, 7, caps, kFixtureNow);
    REQUIRE_FALSE(purge_missing.ok());
    CHECK(purge_missing.error().kind == ErrorKind::not_found);
}

TEST_CASE("purge plans pick exactly the depleted set; classic lists emptied inbounds",
          "[unit][plan]") {
    const std::vector<std::string> depleted = {"a2@x.test", "a3@x.test", "b2@x.test", "c1@x.test"};
    SECTION("v3, every inbound: emptied inbounds are kept") {
        auto p =
            plan_purge_depleted(fixture_inbounds(Api::v3), std::nullopt, v3_caps(), kFixtureNow);
        REQUIRE(p.ok());
        CHECK(p->operation == Operation::purge_all);
        CHECK(p->rule == DepletedRule::with_reset_day);
        CHECK(emails_of(*p) == depleted);
        CHECK(p->phrase == "DELETE 4 CLIENTS");
        CHECK(p->command == "clients purge-depleted --all");
        CHECK(p->inbounds_deleted.empty());
    }
    SECTION("classic, every inbound: inbound 3 would be deleted") {
        auto p = plan_purge_depleted(fixture_inbounds(Api::classic), std::nullopt, classic_caps(),
                                     kFixtureNow);
        REQUIRE(p.ok());
        CHECK(p->rule == DepletedRule::quota_or_expiry);
        CHECK(emails_of(*p) == depleted);
        CHECK(p->inbounds_deleted == std::vector<int>{3});
        CHECK(p->notes ==
              std::vector<std::string>{
                  "inbound 3 would be left with no clients, and this panel then DELETES "
                  "THE WHOLE INBOUND (classic API behaviour)",
                  "depleted = quota used up or expired, no auto-renew (the panel's own rule)"});
    }
    SECTION("classic, one inbound that keeps clients") {
        auto p =
            plan_purge_depleted(fixture_inbounds(Api::classic), 1, classic_caps(), kFixtureNow);
        REQUIRE(p.ok());
        CHECK(emails_of(*p) == std::vector<std::string>{"a2@x.test", "a3@x.test"});
        CHECK(p->inbounds_deleted.empty());
    }
    SECTION("classic, the inbound of a lone depleted client") {
        auto p =
            plan_purge_depleted(fixture_inbounds(Api::classic), 3, classic_caps(), kFixtureNow);
        REQUIRE(p.ok());
        CHECK(emails_of(*p) == std::vector<std::string>{"c1@x.test"});
        CHECK(p->inbounds_deleted == std::vector<int>{3});
        // The phrase names the inbound it deletes (issue 15 §3).
        CHECK(p->phrase == "DELETE 1 CLIENTS AND 1 INBOUND");
    }
    SECTION("old classic (no trafficReset field): the panel's disabled-flag rule") {
        auto inbounds = fixture_inbounds(Api::classic);
        for (auto& in : inbounds) {
            in.has_traffic_reset = false;
        }
        // Auto-disabled but within limits: depleted only under the old rule.
        inbounds[0].client_stats[0].enable = false;
        auto p = plan_purge_depleted(inbounds, 1, classic_caps(), kFixtureNow);
        REQUIRE(p.ok());
        CHECK(p->rule == DepletedRule::disabled_flag);
        CHECK(emails_of(*p) == std::vector<std::string>{"a1@x.test", "a2@x.test", "a3@x.test"});
        CHECK(p->notes.back() ==
              "depleted = auto-disabled by the panel and no auto-renew (panel < 2.8.1)");
    }
    SECTION("nothing depleted: an empty plan") {
        auto inbounds = fixture_inbounds(Api::v3);
        remove_client(inbounds, "b2@x.test");
        auto p = plan_purge_depleted(inbounds, 2, v3_caps(), kFixtureNow);
        REQUIRE(p.ok());
        CHECK(p->empty());
        CHECK(p->phrase == "DELETE 0 CLIENTS");
    }
}

TEST_CASE("verify catches resets that did not happen and purged clients still present",
          "[unit][plan]") {
    const auto before = fixture_inbounds(Api::v3);
    const auto caps = v3_caps();

    auto reset = plan_reset_client(before, 1, "a1@x.test", caps, kFixtureNow);
    REQUIRE(reset.ok());
    auto not_reset = verify(*reset, before);
    CHECK_FALSE(not_reset.ok());
    CHECK(not_reset.mismatches ==
          std::vector<std::string>{"a1@x.test: still 3221225472 B used (up 1073741824 down "
                                   "2147483648), was 3221225472 B"});
    auto after = before;
    set_counters(after, "a1@x.test", 0, 0);
    CHECK(verify(*reset, after).ok());
    set_counters(after, "a1@x.test", 100, 0);  // new traffic since the reset
    CHECK(verify(*reset, after).ok());
    auto gone = before;
    remove_client(gone, "a1@x.test");
    CHECK(verify(*reset, gone).mismatches ==
          std::vector<std::string>{"a1@x.test: gone from the panel"});

    auto purge = plan_purge_depleted(before, std::nullopt, caps, kFixtureNow);
    REQUIRE(purge.ok());
    auto purged = before;
    for (const auto& e : {"a2@x.test", "a3@x.test", "b2@x.test"}) {
        remove_client(purged, e);
    }
    CHECK(verify(*purge, purged).mismatches ==
          std::vector<std::string>{"c1@x.test: still present"});
    remove_client(purged, "c1@x.test");
    CHECK(verify(*purge, purged).ok());

    auto counters = plan_reset_inbound_counters(before, caps, kFixtureNow);
    REQUIRE(counters.ok());
    CHECK(verify(*counters, before).mismatches ==
          std::vector<std::string>{"inbound 1: still 3000 B used, was 3000 B",
                                   "inbound 2: still 7000 B used, was 7000 B"});
    auto zeroed = before;
    for (auto& in : zeroed) {
        in.up = 0;
        in.down = 0;
    }
    CHECK(verify(*counters, zeroed).ok());
}

TEST_CASE("plan_to_json: exact output", "[unit][plan]") {
    SECTION("reset one client on v3") {
        const std::vector<Inbound> inbounds = {inbound(5, {row("e@x", 10, 20, 100)}, true)};
        auto p = plan_reset_client(inbounds, std::nullopt, "e@x", v3_caps(), kFixtureNow);
        REQUIRE(p.ok());
        CHECK(
            plan_to_json(*p) ==
            R"j({"operation":"reset_client","command":"traffic reset 5 e@x","phrase":"RESET e@x",)j"
            R"j("inbound_id":5,"api":"v3","panel_version":"3.6.0","planned_at_ms":1767225600000,)j"
            R"j("clients":[{"inbound_id":5,"email":"e@x","up":10,"down":20,"used":30,"quota":100,)j"
            R"j("percent":30.0,"expiry_time":0,"enabled":true,"reset_days":0,)j"
            R"j("enable_after":"stays enabled"}],"inbounds":[],"inbounds_deleted":[],"notes":[]})j");
    }
    SECTION("purge the only client of a classic inbound") {
        const std::vector<Inbound> inbounds = {inbound(4, {row("z@x", 60, 40, 100, false)})};
        auto p = plan_purge_depleted(inbounds, 4, classic_caps(), kFixtureNow);
        REQUIRE(p.ok());
        CHECK(
            plan_to_json(*p) ==
            R"j({"operation":"purge_inbound","command":"clients purge-depleted 4",)j"
            R"j("phrase":"DELETE 1 CLIENTS AND 1 INBOUND","inbound_id":4,"api":"classic","panel_version":null,)j"
            R"j("planned_at_ms":1767225600000,"clients":[{"inbound_id":4,"email":"z@x","up":60,)j"
            R"j("down":40,"used":100,"quota":100,"percent":100.0,"expiry_time":0,"enabled":false,)j"
            R"j("reset_days":0}],"inbounds":[],"inbounds_deleted":[4],"notes":["inbound 4 would be )j"
            R"j(left with no clients, and this panel then DELETES THE WHOLE INBOUND (classic API )j"
            R"j(behaviour)","depleted = quota used up or expired, no auto-renew (the panel's own rule)"]})j");
    }
    SECTION("inbound counters, unlimited quota") {
        std::vector<Inbound> inbounds = {inbound(1, {})};
        inbounds[0].up = 5;
        inbounds[0].down = 6;
        inbounds[0].remark = "東京";
        auto p = plan_reset_inbound_counters(inbounds, classic_caps(), kFixtureNow);
        REQUIRE(p.ok());
        const std::string json = plan_to_json(*p);
        CHECK(json.find(R"j("inbound_id":null,)j") != std::string::npos);
        CHECK(
            json.find(
                R"j("clients":[],"inbounds":[{"id":1,"remark":"東京","up":5,"down":6,"quota":0,"enabled":true}])j") !=
            std::string::npos);
    }
}
