#include <catch2/catch.hpp>

#include <functional>

#include "panel/panel_api.hpp"
#include "support/fake_transport.hpp"
#include "support/panel_script.hpp"

using namespace xuictl;
using namespace xuictl::test;

namespace {

// PanelApi over a token session (no login noise in the request record).
struct ApiRig {
    FakeTransport t;
    Session session;
    PanelApi api;
    ApiRig() : session(t, PanelUrl::parse("http://panel.test/").value(), token()), api(session) {}
    static Credentials token() {
        Credentials c;
        c.token = "tok";
        return c;
    }
};

Capabilities classic() {
    return Capabilities{};
}
Capabilities v3(int minor, int patch = 0) {
    Capabilities c;
    c.generation = ApiGeneration::v3;
    c.version = Version{{3, minor, patch}};
    return c;
}

using Action = std::function<Status(PanelApi&)>;

struct Route {
    const char* name;
    Capabilities caps;
    Action action;
    std::vector<std::string> requests;  // "POST /path"
    std::vector<std::string> bodies;    // one per request
};

const std::vector<std::string> kTwo = {"a@b", "c d"};

}  // namespace

TEST_CASE("capabilities: v3 from panelVersion, classic otherwise; probed once",
          "[unit][panel_api]") {
    SECTION("v3.6.0") {
        ApiRig rig;
        rig.t.expect("GET", "/panel/api/server/status", 200, status_v3("3.6.0"));
        auto caps = rig.api.capabilities();
        REQUIRE(caps.ok());
        CHECK(caps->generation == ApiGeneration::v3);
        CHECK(caps->version == Version{{3, 6, 0}});
        REQUIRE(rig.api.capabilities().ok());  // cached: no second request
        CHECK(rig.t.unexpected().empty());
        CHECK(rig.t.pending() == 0);
    }
    SECTION("status without panelVersion") {
        ApiRig rig;
        rig.t.expect("GET", "/panel/api/server/status", 200, status_classic());
        auto caps = rig.api.capabilities();
        REQUIRE(caps.ok());
        CHECK(caps->generation == ApiGeneration::classic);
        CHECK_FALSE(caps->version.has_value());
    }
    SECTION("no status route at all (before v2.7.0)") {
        ApiRig rig;
        rig.t.expect("GET", "/panel/api/server/status", 404, "");
        rig.t.expect("POST", "/panel/server/status", 404, "");
        auto caps = rig.api.capabilities();
        REQUIRE(caps.ok());
        CHECK(caps->generation == ApiGeneration::classic);
        CHECK(rig.t.pending() == 0);
    }
    SECTION("a failing probe is an error, not a guess") {
        ApiRig rig;
        rig.t.expect("GET", "/panel/api/server/status", 500, "");
        auto caps = rig.api.capabilities();
        REQUIRE_FALSE(caps.ok());
        CHECK(caps.error().kind == ErrorKind::http);
    }
}

TEST_CASE("PanelApi maps each operation to the routes of the generation and version",
          "[unit][panel_api]") {
    const std::string emails_body = R"({"emails":["a@b","c d"]})";
    const std::vector<Route> routes = {
        {"reset client, classic",
         classic(),
         [](PanelApi& a) { return a.reset_client(3, "a@b"); },
         {"POST /panel/api/inbounds/3/resetClientTraffic/a%40b"},
         {""}},
        {"reset client, v3",
         v3(6),
         [](PanelApi& a) { return a.reset_client(3, "a@b"); },
         {"POST /panel/api/clients/resetTraffic/a%40b"},
         {""}},
        {"inbound counters, classic",
         classic(),
         [](PanelApi& a) { return a.reset_inbound_counters(); },
         {"POST /panel/api/inbounds/resetAllTraffics"},
         {""}},
        {"inbound counters, v3",
         v3(6),
         [](PanelApi& a) { return a.reset_inbound_counters(); },
         {"POST /panel/api/inbounds/resetAllTraffics"},
         {""}},
        {"inbound clients, classic",
         classic(),
         [](PanelApi& a) { return a.reset_inbound_clients(2, kTwo); },
         {"POST /panel/api/inbounds/resetAllClientTraffics/2"},
         {""}},
        {"inbound clients, v3.2.0 bulk",
         v3(2),
         [](PanelApi& a) { return a.reset_inbound_clients(2, kTwo); },
         {"POST /panel/api/clients/bulkResetTraffic"},
         {emails_body}},
        {"inbound clients, v3.1.x one per email",
         v3(1, 5),
         [](PanelApi& a) { return a.reset_inbound_clients(2, kTwo); },
         {"POST /panel/api/clients/resetTraffic/a%40b",
          "POST /panel/api/clients/resetTraffic/c%20d"},
         {"", ""}},
        {"inbound clients, v3, no clients",
         v3(6),
         [](PanelApi& a) { return a.reset_inbound_clients(2, {}); },
         {},
         {}},
        {"all clients, classic",
         classic(),
         [](PanelApi& a) { return a.reset_all_clients(kTwo); },
         {"POST /panel/api/inbounds/resetAllClientTraffics/-1"},
         {""}},
        // Never clients/resetAllTraffics or clients/delDepleted: those act on
        // whoever is on the panel when they arrive, not on the plan.
        {"all clients, v3.6 bulkResetTraffic with exactly the planned emails",
         v3(6),
         [](PanelApi& a) { return a.reset_all_clients(kTwo); },
         {"POST /panel/api/clients/bulkResetTraffic"},
         {emails_body}},
        {"all clients, v3.1.x one reset per planned email",
         v3(1),
         [](PanelApi& a) { return a.reset_all_clients(kTwo); },
         {"POST /panel/api/clients/resetTraffic/a%40b",
          "POST /panel/api/clients/resetTraffic/c%20d"},
         {"", ""}},
        {"purge all, classic",
         classic(),
         [](PanelApi& a) { return a.purge_depleted_all(kTwo); },
         {"POST /panel/api/inbounds/delDepletedClients/-1"},
         {""}},
        {"purge all, v3.6 bulkDel with exactly the planned emails",
         v3(6),
         [](PanelApi& a) { return a.purge_depleted_all(kTwo); },
         {"POST /panel/api/clients/bulkDel"},
         {emails_body}},
        {"purge all, v3.1.x one delete per planned email",
         v3(1),
         [](PanelApi& a) { return a.purge_depleted_all(kTwo); },
         {"POST /panel/api/clients/del/a%40b", "POST /panel/api/clients/del/c%20d"},
         {"", ""}},
        {"reset client, v3.2+: an email with '/' goes in bulkResetTraffic's body",
         v3(6),
         [](PanelApi& a) { return a.reset_client(3, "a/b@c"); },
         {"POST /panel/api/clients/bulkResetTraffic"},
         {R"({"emails":["a/b@c"]})"}},
        {"purge inbound, classic",
         classic(),
         [](PanelApi& a) { return a.purge_depleted_inbound(2, kTwo); },
         {"POST /panel/api/inbounds/delDepletedClients/2"},
         {""}},
        {"purge inbound, v3.6 bulkDel with exactly the emails",
         v3(6),
         [](PanelApi& a) { return a.purge_depleted_inbound(2, kTwo); },
         {"POST /panel/api/clients/bulkDel"},
         {emails_body}},
        {"purge inbound, v3.1.x one delete per email",
         v3(1),
         [](PanelApi& a) { return a.purge_depleted_inbound(2, kTwo); },
         {"POST /panel/api/clients/del/a%40b", "POST /panel/api/clients/del/c%20d"},
         {"", ""}},
        {"purge inbound, v3, nothing planned",
         v3(6),
         [](PanelApi& a) { return a.purge_depleted_inbound(2, {}); },
         {},
         {}},
    };
    for (const auto& route : routes) {
        SECTION(route.name) {
            ApiRig rig;
            rig.api.assume_capabilities(route.caps);
            for (const auto& line : route.requests) {
                const auto space = line.find(' ');
                rig.t.expect(line.substr(0, space), line.substr(space + 1), 200,
                             ok_envelope("null"));
            }
            REQUIRE(route.action(rig.api).ok());
            CHECK(rig.t.unexpected().empty());
            CHECK(rig.t.request_lines() == route.requests);
            REQUIRE(rig.t.requests().size() == route.bodies.size());
            for (size_t i = 0; i < route.bodies.size(); ++i) {
                CHECK(rig.t.requests()[i].body == route.bodies[i]);
                if (!route.bodies[i].empty()) {
                    CHECK(request_header(rig.t.requests()[i], "Content-Type") ==
                          "application/json");
                }
            }
        }
    }
}

TEST_CASE("one request per email stops at the first failure and reports a partial",
          "[unit][panel_api]") {
    ApiRig rig;
    rig.api.assume_capabilities(v3(1));
    rig.t.expect("POST", "/panel/api/clients/resetTraffic/a", 200, ok_envelope("null"));
    rig.t.expect("POST", "/panel/api/clients/resetTraffic/b", 200,
                 fail_envelope("Something went wrong (record not found)"));
    auto s = rig.api.reset_inbound_clients(1, {"a", "b", "c"});
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().kind == ErrorKind::partial);
    CHECK(s.error().message ==
          "1 of 3 clients done, 2 not done (failed at b: the panel refused the client traffic "
          "reset: Something went wrong (record not found))");
    CHECK(rig.t.unexpected().empty());
    CHECK(rig.t.request_lines().size() == 2);  // c was never sent

    ApiRig first;
    first.api.assume_capabilities(v3(1));
    first.t.expect("POST", "/panel/api/clients/del/a", 200, fail_envelope("nope"));
    auto f = first.api.purge_depleted_inbound(1, {"a", "b"});
    REQUIRE_FALSE(f.ok());
    CHECK(f.error().kind == ErrorKind::api);  // nothing done: a plain failure
    CHECK(first.t.request_lines().size() == 1);
}

TEST_CASE("list_inbounds decodes the list and names bad JSON", "[unit][panel_api]") {
    ApiRig rig;
    rig.t.expect("GET", "/panel/api/inbounds/list", 200, list_fixture(Api::v3));
    rig.t.expect("GET", "/panel/api/inbounds/list", 200, ok_envelope("null"));
    auto list = rig.api.list_inbounds();
    REQUIRE(list.ok());
    CHECK(list->size() == 3);
    auto bad = rig.api.list_inbounds();
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().message == "unexpected panel JSON at obj: expected an array, got null");
}

TEST_CASE("a usage list with a token tries list/slim; a 404 or 403 there falls back to list",
          "[unit][panel_api]") {
    for (int status : {404, 403}) {
        ApiRig rig;
        rig.t.expect("GET", "/panel/api/inbounds/list/slim", status, "");
        rig.t.expect("GET", "/panel/api/inbounds/list", 200, list_fixture(Api::v3));
        auto list = rig.api.list_inbounds(PanelApi::ListDetail::usage);
        REQUIRE(list.ok());
        CHECK(list->size() == 3);
        CHECK(rig.api.slim_list() == std::optional<bool>(false));
        CHECK(rig.t.request_lines() == std::vector<std::string>{"GET /panel/api/inbounds/list/slim",
                                                                "GET /panel/api/inbounds/list"});
    }
    ApiRig served;  // v3.1+: list/slim answers, and is remembered
    served.t.expect("GET", "/panel/api/inbounds/list/slim", 200, list_fixture(Api::v3));
    size_t seen = 0;
    auto list = served.api.list_inbounds(PanelApi::ListDetail::usage,
                                         [&seen](Inbound& in) { seen += in.client_count(); });
    REQUIRE(list.ok());
    CHECK(seen == 9);  // every inbound handed over as it was read
    CHECK(served.api.slim_list() == std::optional<bool>(true));
    ApiRig failing;  // any other failure is the caller's error: no fallback
    failing.t.expect("GET", "/panel/api/inbounds/list/slim", 500, "");
    auto failed = failing.api.list_inbounds(PanelApi::ListDetail::usage);
    REQUIRE_FALSE(failed.ok());
    CHECK(failing.t.pending() == 0);
    CHECK(failing.t.unexpected().empty());
}
