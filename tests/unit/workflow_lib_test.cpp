// lib parts of the operator workflows: the restore plan and its
// verification, plans and snapshots read back, usage levels and reports.
#include <catch2/catch.hpp>

#include <rapidjson/document.h>

#include "model/usage_level.hpp"
#include "model/usage_report.hpp"
#include "ops/plan.hpp"
#include "ops/plan_json.hpp"
#include "ops/plan_record.hpp"
#include "store/snapshot.hpp"
#include "support/harness.hpp"
#include "support/panel_script.hpp"

using namespace xuictl;
using namespace xuictl::test;

namespace {

Capabilities v3_caps() {
    Capabilities c;
    c.generation = ApiGeneration::v3;
    c.version = Version{{3, 6, 0}};
    return c;
}

RecordedPlan recorded(std::string operation, std::vector<RecordedClient> clients) {
    RecordedPlan p;
    p.operation = std::move(operation);
    p.command = "inbound reset 2";
    p.clients = std::move(clients);
    return p;
}

void set_counters(std::vector<Inbound>& inbounds, const std::string& email, int64_t up, int64_t down) {
    for (auto& in : inbounds) {
        for (auto& r : in.client_stats) {
            if (r.email == email) {
                r.up = up;
                r.down = down;
            }
        }
    }
}

ClientUsage client(int64_t used, int64_t quota, int64_t expiry = 0) {
    ClientUsage c;
    c.email = "c@x";
    c.up = used;
    c.quota = quota;
    c.expiry_time = expiry;
    return c;
}

}  // namespace

TEST_CASE("plan_restore_counters: targets, skips and notes", "[unit][restore]") {
    auto inbounds = fixture_inbounds(Api::v3);
    set_counters(inbounds, "b1@x.test", 0, 0);
    const auto snap = recorded("reset_inbound_clients", {{2, "b1@x.test", 5, 6, 0},
                                                         {2, "b1@x.test", 5, 6, 0},  // listed twice
                                                         {2, "b2@x.test", 3221225472, 0, 0},  // equal now
                                                         {9, "gone@x.test", 1, 1, 0}});
    auto p = plan_restore_counters(inbounds, snap, "S1", "", v3_caps(), kFixtureNow);
    REQUIRE(p.ok());
    CHECK(p->operation == Operation::restore_clients);
    CHECK(p->command == "traffic restore S1");
    CHECK(p->phrase == "RESTORE 1 CLIENTS");
    CHECK(p->emails() == std::vector<std::string>{"b1@x.test"});
    CHECK(p->restore_to == std::vector<ClientCounters>{{"b1@x.test", 5, 6}});
    CHECK(p->restore_from == "S1");
    REQUIRE(p->notes.size() == 3);
    CHECK(p->notes[1] == "1 client(s) already have the snapshot's counters (left out)");
    CHECK(p->notes[2] == "1 client(s) of the snapshot are not on the panel any more and are skipped: gone@x.test");

    const std::string json = plan_to_json(*p);
    CHECK(json.find(R"("restore_from":"S1","restore_to":[{"email":"b1@x.test","up":5,"down":6}]})") !=
          std::string::npos);
    rapidjson::Document doc;
    doc.Parse(json.c_str());
    auto back = plan_from_json(doc, "plan");
    REQUIRE(back.ok());
    CHECK(back->operation == "restore_clients");
    CHECK(back->restore_to == p->restore_to);
    CHECK(back->emails() == std::vector<std::string>{"b1@x.test"});
}

TEST_CASE("plan_restore_counters: what cannot be restored", "[unit][restore]") {
    const auto inbounds = fixture_inbounds(Api::v3);
    auto counters = plan_restore_counters(inbounds, recorded("reset_inbound_counters", {}), "S", "",
                                          v3_caps(), kFixtureNow);
    REQUIRE_FALSE(counters.ok());
    CHECK(counters.error().kind == ErrorKind::unsupported);
    auto gone = plan_restore_counters(inbounds, recorded("purge_all", {{1, "x@y", 1, 1, 0}}), "S", "",
                                      v3_caps(), kFixtureNow);
    REQUIRE_FALSE(gone.ok());
    CHECK(gone.error().kind == ErrorKind::not_found);
    auto other = plan_restore_counters(inbounds, recorded("reset_client", {{1, "a1@x.test", 1, 1, 0}}), "S",
                                       "b1@x.test", v3_caps(), kFixtureNow);
    REQUIRE_FALSE(other.ok());
    CHECK(other.error().message == "snapshot S has no client 'b1@x.test'");
}

TEST_CASE("verify of a restore: equal, or grown from below", "[unit][restore]") {
    auto inbounds = fixture_inbounds(Api::v3);
    set_counters(inbounds, "b1@x.test", 0, 0);        // below the target before
    set_counters(inbounds, "a1@x.test", 900, 900);    // above the target before
    const auto snap = recorded("reset_inbound_clients", {{2, "b1@x.test", 100, 200, 0},
                                                         {1, "a1@x.test", 10, 20, 0}});
    auto p = plan_restore_counters(inbounds, snap, "S", "", v3_caps(), kFixtureNow);
    REQUIRE(p.ok());
    auto after = inbounds;
    set_counters(after, "b1@x.test", 100, 200);
    set_counters(after, "a1@x.test", 10, 20);
    CHECK(verify(*p, after).ok());
    set_counters(after, "b1@x.test", 150, 260);  // traffic since the write
    CHECK(verify(*p, after).ok());
    set_counters(after, "a1@x.test", 11, 20);    // was above: must be exact
    CHECK(verify(*p, after).mismatches == std::vector<std::string>{"a1@x.test: up 11 down 20, expected up 10 down 20"});
    CHECK(verify(*p, inbounds).mismatches.size() == 2);  // nothing happened
}

TEST_CASE("snapshot_from_json reads what snapshot_to_json writes", "[unit][restore]") {
    AuditEntry e;
    e.id = "ID1";
    e.panel = "https://p/x/";
    e.time_ms = 42;
    e.command = "inbound reset 2";
    e.plan_json = R"({"operation":"reset_inbound_clients","clients":[{"inbound_id":2,"email":"b@x","up":1,"down":2}]})";
    auto s = snapshot_from_json(snapshot_to_json(e), "f.json");
    REQUIRE(s.ok());
    CHECK(s->id == "ID1");
    CHECK(s->panel == "https://p/x/");
    CHECK(s->taken_at_ms == 42);
    REQUIRE(s->plan.clients.size() == 1);
    CHECK(s->plan.clients[0].down == 2);
    CHECK(s->plan.used_before() == 3);

    auto bad = snapshot_from_json(R"({"id":"x","panel":"p","taken_at_ms":1,"plan":{"operation":"a","clients":[{"email":"e","up":"1"}]}})",
                                  "f.json");
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().kind == ErrorKind::config);
    CHECK(bad.error().message.find("'f.json' is not a xuictl snapshot: plan.clients[0].up") == 0);
    CHECK_FALSE(snapshot_from_json("nope", "f").ok());
}

TEST_CASE("usage_level: depleted beats crit beats warn; unlimited only depletes", "[unit][monitor]") {
    const Thresholds t{75.0, 90.0};
    const auto rule = DepletedRule::quota_or_expiry;
    CHECK(usage_level(client(74, 100), t, rule, 0) == UsageLevel::ok);
    CHECK(usage_level(client(75, 100), t, rule, 0) == UsageLevel::warn);
    CHECK(usage_level(client(90, 100), t, rule, 0) == UsageLevel::crit);
    CHECK(usage_level(client(100, 100), t, rule, 0) == UsageLevel::depleted);
    CHECK(usage_level(client(10, 100, 5), t, rule, 10) == UsageLevel::depleted);  // expired
    CHECK(usage_level(client(1000, 0), t, rule, 0) == UsageLevel::ok);           // unlimited
    auto renew = client(100, 100);
    renew.reset = 30;  // out of traffic, but the panel renews it: not depleted
    CHECK_FALSE(is_depleted(renew, rule, 0));
    CHECK(usage_level(renew, t, rule, 0) == UsageLevel::crit);
    CHECK(usage_level(renew, Thresholds{75.0, std::nullopt}, rule, 0) == UsageLevel::warn);
    // On panels <= 2.8.0 depleted means auto-disabled by the panel: 100 % used
    // and not disabled yet is crit, as stats' DEPLETED column says "no".
    auto old_rule = client(100, 100);
    old_rule.has_traffic_row = true;
    CHECK(usage_level(old_rule, t, DepletedRule::disabled_flag, 0) == UsageLevel::crit);
    old_rule.traffic_enable = false;
    CHECK(usage_level(old_rule, t, DepletedRule::disabled_flag, 0) == UsageLevel::depleted);
    CHECK(usage_level(client(95, 100), Thresholds{75.0, std::nullopt}, rule, 0) == UsageLevel::warn);
    CHECK(std::string(to_string(UsageLevel::crit)) == "crit");
}

TEST_CASE("build_usage_report counts a shared v3 email once in the total", "[unit][report]") {
    auto inbounds = fixture_inbounds(Api::v3);
    auto clients = client_usage(inbounds);
    auto shared = clients.front();  // a1, attached to inbound 3 as well
    shared.inbound_id = 3;
    clients.push_back(shared);
    const auto r = build_usage_report(inbounds, clients);
    REQUIRE(r.inbounds.size() == 3);
    CHECK(r.inbounds[2].totals.clients == 2);
    CHECK(r.total.clients == 9);
    CHECK(r.total.used() == 75254202368);
    CHECK(r.inbounds[0].totals.unlimited == 1);
    CHECK_FALSE(r.inbounds[0].totals.percent().has_value());
}
