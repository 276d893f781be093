// clients restore of a classic purge that deleted a whole inbound: the plan
// creates the inbound again from the snapshot (same id, settings cut to the
// clients not on the panel again, no clientStats), or refuses before
// anything is recorded or sent.
#include <catch2/catch.hpp>

#include <rapidjson/document.h>

#include <fmt/format.h>

#include "ops/plan.hpp"
#include "ops/plan_json.hpp"
#include "support/panel_script.hpp"
#include "util/exit_code.hpp"

using namespace xuictl;
using namespace xuictl::test;

namespace {

Capabilities classic_caps() {
    Capabilities c;
    c.generation = ApiGeneration::classic;
    return c;
}

// Inbound 9 (port 20009) as inbounds/get/:id returned it before the purge,
// holding d1 and d2, both deleted.
DeletedRecords deleted_inbound_9(int port = 20009, const std::string& tag = "inbound-20009") {
    DeletedRecords d;
    d.clients.push_back(
        {9, "d1@x.test", R"({"email":"d1@x.test","id":"uuid-d1","subId":"s1"})", "", true, 10, 20});
    d.clients.push_back({9, "d2@x.test", R"({"email":"d2@x.test","id":"uuid-d2","subId":"s2"})", "",
                         false, 30, 40});
    d.inbounds.push_back(
        fmt::format(R"({{"id":9,"up":5,"down":6,"total":0,"remark":"gone","enable":true,)"
                    R"("expiryTime":0,"clientStats":null,"listen":"","port":{},"protocol":"vless",)"
                    R"("settings":"{{\"clients\":[{{\"email\":\"d1@x.test\",\"id\":\"uuid-d1\"}},)"
                    R"({{\"email\":\"d2@x.test\",\"id\":\"uuid-d2\"}}],\"decryption\":\"none\"}}",)"
                    R"("streamSettings":"{{\"network\":\"tcp\"}}","tag":"{}","sniffing":"{{}}"}})",
                    port, tag));
    return d;
}

}  // namespace

TEST_CASE("plan_restore_deleted creates again the inbound a classic purge deleted",
          "[unit][restore]") {
    auto live = fixture_inbounds(Api::classic);
    auto p = plan_restore_deleted(live, deleted_inbound_9(), "OP", classic_caps(), 0);
    REQUIRE(p.ok());
    CHECK(p->phrase == "RESTORE 2 DELETED CLIENTS AND 1 INBOUND");
    REQUIRE(p->inbounds_created.size() == 1);
    const RecreatedInbound& in = p->inbounds_created[0];
    CHECK(in.id == 9);
    CHECK(in.port == 20009);
    CHECK(in.emails == std::vector<std::string>{"d1@x.test", "d2@x.test"});
    // Exactly the snapshot's object, clientStats left out, settings a string.
    CHECK(in.body ==
          R"({"id":9,"up":5,"down":6,"total":0,"remark":"gone","enable":true,"expiryTime":0,)"
          R"("listen":"","port":20009,"protocol":"vless","settings":"{\"clients\":[{\"email\":)"
          R"(\"d1@x.test\",\"id\":\"uuid-d1\"},{\"email\":\"d2@x.test\",\"id\":\"uuid-d2\"}],)"
          R"(\"decryption\":\"none\"}","streamSettings":"{\"network\":\"tcp\"}",)"
          R"("tag":"inbound-20009","sniffing":"{}"})");
    CHECK(p->clients.size() == 2);
    CHECK(p->notes[0] ==
          "inbound 9 (vless on port 20009, tag 'inbound-20009') is created again from the "
          "snapshot exactly as the panel returned it (same id, remark, quota, expiry, counters, "
          "settings, streamSettings, sniffing) with 2 of its clients");
    // The plan JSON says what it creates.
    rapidjson::Document doc;
    const std::string json = plan_to_json(*p);
    doc.Parse(json.c_str());
    REQUIRE(doc["inbounds_created"].Size() == 1);
    CHECK(doc["inbounds_created"][0]["id"].GetInt() == 9);
    CHECK(doc["inbounds_created"][0]["clients"].Size() == 2);
}

TEST_CASE("plan_restore_deleted leaves out of the inbound a client on the panel again",
          "[unit][restore]") {
    auto live = fixture_inbounds(Api::classic);
    DeletedRecords d = deleted_inbound_9();
    d.clients[0].email = "a1@x.test";  // on inbound 1 now
    d.inbounds[0].replace(d.inbounds[0].find("d1@x.test"), 9, "a1@x.test");
    auto p = plan_restore_deleted(live, d, "OP", classic_caps(), 0);
    REQUIRE(p.ok());
    CHECK(p->phrase == "RESTORE 1 DELETED CLIENTS AND 1 INBOUND");
    REQUIRE(p->inbounds_created.size() == 1);
    CHECK(p->inbounds_created[0].emails == std::vector<std::string>{"d2@x.test"});
    CHECK(p->inbounds_created[0].body.find("a1@x.test") == std::string::npos);
    CHECK(p->inbounds_created[0].body.find("d2@x.test") != std::string::npos);
}

TEST_CASE("plan_restore_deleted refuses an inbound it cannot create as it was", "[unit][restore]") {
    auto live = fixture_inbounds(Api::classic);
    SECTION("another inbound holds its port now: exit 5") {
        auto p = plan_restore_deleted(live, deleted_inbound_9(20002), "OP", classic_caps(), 0);
        REQUIRE_FALSE(p.ok());
        CHECK(exit_code_for(p.error().kind) == 5);
        CHECK(p.error().message ==
              "inbound 9 that snapshot OP keeps cannot be created again: inbound 2 now holds its "
              "port 20002");
    }
    SECTION("another inbound holds its tag now: exit 5") {
        auto p = plan_restore_deleted(live, deleted_inbound_9(20009, "inbound-20003"), "OP",
                                      classic_caps(), 0);
        REQUIRE_FALSE(p.ok());
        CHECK(exit_code_for(p.error().kind) == 5);
        CHECK(p.error().message ==
              "inbound 9 that snapshot OP keeps cannot be created again: inbound 3 now holds its "
              "tag inbound-20003");
    }
    SECTION("the snapshot does not keep the inbound: exit 5") {
        DeletedRecords d = deleted_inbound_9();
        d.inbounds.clear();
        auto p = plan_restore_deleted(live, d, "OP", classic_caps(), 0);
        REQUIRE_FALSE(p.ok());
        CHECK(exit_code_for(p.error().kind) == 5);
        CHECK(p.error().message ==
              "client 'd1@x.test' belonged to inbound 9, which is not on the panel any more");
    }
    SECTION("the panel speaks v3.1+ now: exit 6") {
        Capabilities v3;
        v3.generation = ApiGeneration::v3;
        auto p = plan_restore_deleted(live, deleted_inbound_9(), "OP", v3, 0);
        REQUIRE_FALSE(p.ok());
        CHECK(exit_code_for(p.error().kind) == 6);
    }
}

TEST_CASE("verify of a restore names a re-created inbound that is missing", "[unit][restore]") {
    auto live = fixture_inbounds(Api::classic);
    auto p = plan_restore_deleted(live, deleted_inbound_9(), "OP", classic_caps(), 0);
    REQUIRE(p.ok());
    const Verification v = verify(*p, live);
    REQUIRE_FALSE(v.ok());
    CHECK(v.failed[0] == "inbound 9");
    CHECK(v.mismatches[0] == "inbound 9: not on the panel");
}
