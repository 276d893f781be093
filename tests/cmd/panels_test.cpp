// Commands against panels after v3.6.0 (issue 17), with the fake transport:
// exactly what is sent for scoped tokens and dev builds, and what is said.
#include <catch2/catch.hpp>

#include <algorithm>

#include "support/list_edit.hpp"
#include "support/panel_script.hpp"
#include "support/store_view.hpp"
#include "support/workflow.hpp"

using namespace xuictl;
using namespace xuictl::test;

namespace {

const std::string kScopeDenied =
    R"({"msg":"this API token is not permitted to access this endpoint","success":false})";

// Only an API token: no username or password to fall back on.
void use_token(Harness& h) {
    h.env.erase("XUI_USERNAME");
    h.env.erase("XUI_PASSWORD");
    h.env["XUI_TOKEN"] = "tok";
}

}  // namespace

TEST_CASE("a scope refusal is an auth error with the panel's message, never 'check --url'",
          "[cmd][token]") {
    Harness h;
    use_token(h);
    h.transport.expect("GET", "/panel/api/server/status", 200, status_v3());
    h.transport.expect("GET", "/panel/api/inbounds/list/slim", 403, kScopeDenied);
    h.transport.expect("GET", "/panel/api/inbounds/list", 403, kScopeDenied);
    CHECK(h.run({"stats"}) == 4);
    CHECK(h.transport.unexpected().empty());
    CHECK(h.transport.pending() == 0);
    CHECK(h.out.empty());
    CHECK(h.err.find("xuictl: error: the API token's scope does not allow the inbound list; the "
                     "panel says: this API token is not permitted to access this endpoint") !=
          std::string::npos);
    CHECK(h.err.find("use a token with the admin scope") != std::string::npos);
    CHECK(h.err.find("check --url") == std::string::npos);
}

TEST_CASE("a 403 without the panel's JSON stays an HTTP error", "[cmd][token]") {
    Harness h;
    use_token(h);
    h.transport.expect("GET", "/panel/api/server/status", 200, status_v3());
    h.transport.expect("GET", "/panel/api/inbounds/list/slim", 403, "");
    h.transport.expect("GET", "/panel/api/inbounds/list", 403, "");
    CHECK(h.run({"stats"}) == 1);
    CHECK(h.err.find("scope") == std::string::npos);
}

TEST_CASE("node-sync: list/slim refused, the full list read instead", "[cmd][token]") {
    Harness h;
    use_token(h);
    h.transport.expect("GET", "/panel/api/server/status", 200, status_v3());
    h.transport.expect("GET", "/panel/api/inbounds/list/slim", 403, kScopeDenied);
    h.transport.expect("GET", "/panel/api/inbounds/list", 200, list_fixture(Api::v3));
    REQUIRE(h.run({"stats", "-o", "tsv"}) == 0);
    CHECK(h.transport.unexpected().empty());
    CHECK(h.transport.pending() == 0);
    CHECK(h.out.find("a1@x.test") != std::string::npos);
}

TEST_CASE("version names the token's scope from two reads that change nothing", "[cmd][token]") {
    struct Case {
        const char* name;
        long get_status;
        long certs_status;
        const char* line;
    };
    for (const auto& c :
         {Case{"admin", 200, 0, "token  admin: every route\n"},
          Case{"node-sync", 403, 200, "token  node-sync: may read inbounds/list"},
          Case{"monitor", 403, 403, "token  monitor: server status and history only"}}) {
        SECTION(c.name) {
            Harness h;
            use_token(h);
            h.transport.expect("GET", "/panel/api/server/status", 200, status_v3("3.7.0"));
            h.transport.expect(
                "GET", "/panel/api/inbounds/get/0", c.get_status,
                c.get_status == 200
                    ? R"x({"success":false,"msg":"Obtain (record not found)","obj":null})x"
                    : kScopeDenied);
            if (c.certs_status != 0) {
                h.transport.expect(
                    "GET", "/panel/api/server/getWebCertFiles", c.certs_status,
                    c.certs_status == 200 ? ok_envelope(R"({"webCertFile":""})") : kScopeDenied);
            }
            if (c.get_status == 200) {
                h.transport.expect("GET", "/panel/api/nodes/list", 200, ok_envelope("[]"));
                h.transport.expect("GET", "/panel/api/setting/apiTokens", 200, ok_envelope("[]"));
            }
            REQUIRE(h.run({"version"}) == 0);
            CHECK(h.transport.unexpected().empty());
            CHECK(h.transport.pending() == 0);
            CHECK(h.out.find(c.line) != std::string::npos);
            for (const auto& r : h.transport.requests()) {
                CHECK(r.method == "GET");  // nothing is changed to find out
            }
        }
    }
}

TEST_CASE("a dev build is driven with the v3 bulk routes", "[cmd][version]") {
    Harness h;
    expect_read(h.transport, Api::v3, {}, "dev+02002dc1");
    h.transport.expect("POST", "/panel/api/clients/bulkResetTraffic", 200,
                       ok_envelope(R"({"affected":6})"));
    h.transport.expect("GET", "/panel/api/inbounds/list", 200,
                       ListEdit(list_fixture(Api::v3)).zero_all_clients().str());
    REQUIRE(h.run({"inbound", "reset", "1", "--yes"}) == 0);
    CHECK(h.transport.unexpected().empty());
    CHECK(h.transport.pending() == 0);
    CHECK(h.err.find(", dev+02002dc1 (API v3; \"dev+02002dc1\" is not a release number") !=
          std::string::npos);
}

TEST_CASE("a version xuictl cannot read: a missing bulk route falls back to per-email routes",
          "[cmd][version]") {
    Harness h;
    expect_read(h.transport, Api::v3, {}, "nightly-build");
    // An empty 404: the route is missing (a write is never sent twice, so
    // no re-login and no second bulkResetTraffic), per-email routes serve.
    h.transport.expect("POST", "/panel/api/clients/bulkResetTraffic", 404, "");
    for (const char* user : {"a1", "a2", "a3", "a4", "a5", "a6"}) {
        h.transport.expect("POST",
                           std::string("/panel/api/clients/resetTraffic/") + user + "%40x.test",
                           200, ok_envelope("null"));
    }
    h.transport.expect("GET", "/panel/api/inbounds/list", 200,
                       ListEdit(list_fixture(Api::v3)).zero_all_clients().str());
    const int code = h.run({"inbound", "reset", "1", "--yes"});
    CHECK(h.transport.unexpected().empty());
    REQUIRE(code == 0);
    CHECK(h.transport.pending() == 0);
    const auto posts = h.transport.posts();
    CHECK(std::count(posts.begin(), posts.end(), "POST /panel/api/clients/bulkResetTraffic") == 1);
}

namespace {

// `xuictl version` with a node-sync token on 3.7.0: the scope probe's two
// reads, after which the session cache knows the scope for this token.
void learn_node_sync(StateRun& r) {
    r.h.transport.expect("GET", "/panel/api/server/status", 200, status_v3("3.7.0"));
    r.h.transport.expect("GET", "/panel/api/inbounds/get/0", 403, kScopeDenied);
    r.h.transport.expect("GET", "/panel/api/server/getWebCertFiles", 200,
                         ok_envelope(R"({"webCertFile":""})"));
    REQUIRE(r.h.run({"version"}) == 0);
    REQUIRE(r.h.transport.unexpected().empty());
    REQUIRE(r.h.transport.pending() == 0);
    r.h.out.clear();
    r.h.err.clear();
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
    for (size_t at = text.find(from); at != std::string::npos;
         at = text.find(from, at + to.size())) {
        text.replace(at, from.size(), to);
    }
    return text;
}

size_t requests_so_far(const StateRun& r) {
    return r.h.transport.requests().size();
}

std::vector<std::string> lines_since(const StateRun& r, size_t from) {
    const auto all = r.h.transport.request_lines();
    return {all.begin() + static_cast<std::ptrdiff_t>(from), all.end()};
}

}  // namespace

TEST_CASE("a node-sync token known from the cache: inbound reset sends the per-client route",
          "[cmd][token]") {
    StateRun r;
    use_token(r.h);
    learn_node_sync(r);
    const size_t from = requests_so_far(r);
    r.h.transport.expect("GET", "/panel/api/server/status", 200, status_v3("3.7.0"));
    r.h.transport.expect("GET", "/panel/api/inbounds/list", 200, list_fixture(Api::v3));
    std::vector<std::string> expected{"GET /panel/api/server/status",
                                      "GET /panel/api/inbounds/list"};
    for (int k = 1; k <= 6; ++k) {
        const std::string path =
            "/panel/api/clients/resetTraffic/a" + std::to_string(k) + "%40x.test";
        r.h.transport.expect("POST", path, 200, ok_envelope("null"));
        expected.push_back("POST " + path);
    }
    r.h.transport.expect("GET", "/panel/api/inbounds/list", 200,
                         ListEdit(list_fixture(Api::v3)).zero_all_clients().str());
    expected.push_back("GET /panel/api/inbounds/list");
    REQUIRE(r.h.run({"inbound", "reset", "1", "--yes"}) == 0);
    CHECK(r.h.transport.unexpected().empty());
    CHECK(r.h.transport.pending() == 0);
    // Never list/slim, never bulkResetTraffic, never setting/apiTokens.
    CHECK(lines_since(r, from) == expected);
    CHECK(r.h.err.find("note: this API token has the node-sync scope, which may not send "
                       "clients/bulkResetTraffic: the 6 client(s) are sent one request each to "
                       "clients/resetTraffic/:email (the same reset: counters zeroed, the client "
                       "re-enabled)") != std::string::npos);
    CHECK(r.h.err.find("note: this panel is a node that a master manages (this API token has "
                       "the node-sync scope)") != std::string::npos);
    CHECK(stored_operations(r.state).size() == 1);
}

TEST_CASE(
    "a node-sync token known from the cache: purge --all reads the list whole and "
    "deletes per client",
    "[cmd][token]") {
    StateRun r;
    use_token(r.h);
    learn_node_sync(r);
    const size_t from = requests_so_far(r);
    const std::vector<std::string> depleted = {"a2@x.test", "a3@x.test", "b2@x.test", "c1@x.test"};
    r.h.transport.expect("GET", "/panel/api/server/status", 200, status_v3("3.7.0"));
    r.h.transport.expect("GET", "/panel/api/inbounds/list", 200, list_fixture(Api::v3));
    // The snapshot's whole records: the list once, not inbounds/get/:id
    // (which node-sync may not read) per inbound.
    r.h.transport.expect("GET", "/panel/api/inbounds/list", 200, list_fixture(Api::v3));
    std::vector<std::string> expected{"GET /panel/api/server/status",
                                      "GET /panel/api/inbounds/list",
                                      "GET /panel/api/inbounds/list"};
    for (const auto& email : depleted) {
        const std::string path = "/panel/api/clients/del/" + replaced(email, "@", "%40");
        r.h.transport.expect("POST", path, 200, ok_envelope("null"));
        expected.push_back("POST " + path);
    }
    r.h.transport.expect("GET", "/panel/api/inbounds/list", 200,
                         ListEdit(list_fixture(Api::v3)).remove_clients(depleted).str());
    expected.push_back("GET /panel/api/inbounds/list");
    REQUIRE(r.h.run({"clients", "purge-depleted", "--all", "--yes"}) == 0);
    CHECK(r.h.transport.unexpected().empty());
    CHECK(r.h.transport.pending() == 0);
    // Never bulkDel, never inbounds/get/:id.
    CHECK(lines_since(r, from) == expected);
    CHECK(r.h.err.find("note: this API token has the node-sync scope, which may not send "
                       "clients/bulkDel: the 4 client(s) are sent one request each to "
                       "clients/del/:email (the same delete: the client, its links and traffic "
                       "row)") != std::string::npos);
    CHECK(stored_operations(r.state).size() == 1);
    REQUIRE(r.state.snapshots().size() == 1);
}

TEST_CASE("a node-sync token: what no allowed route does is refused before the plan is shown",
          "[cmd][token]") {
    struct Case {
        const char* name;
        std::vector<std::string> args;
        const char* route;
    };
    for (const auto& c : {Case{"purge of one inbound",
                               {"clients", "purge-depleted", "1", "--yes"},
                               "does not allow the inbounds/get/:id route"},
                          Case{"purge dry run",
                               {"clients", "purge-depleted", "1", "--dry-run"},
                               "does not allow the inbounds/get/:id route"},
                          Case{"email no path carries",
                               {"traffic", "reset", "a/b@x.test", "--confirm", "x"},
                               "does not allow the clients/bulkResetTraffic route, the only one "
                               "that can name client 'a/b@x.test'"}}) {
        SECTION(c.name) {
            StateRun r;
            use_token(r.h);
            learn_node_sync(r);
            const size_t from = requests_so_far(r);
            r.h.transport.expect("GET", "/panel/api/server/status", 200, status_v3("3.7.0"));
            r.h.transport.expect("GET", "/panel/api/inbounds/list", 200,
                                 replaced(list_fixture(Api::v3), "a1@x.test", "a/b@x.test"));
            CHECK(r.h.run(c.args) == 4);
            CHECK(r.h.transport.unexpected().empty());
            CHECK(r.h.transport.pending() == 0);
            CHECK(lines_since(r, from) == std::vector<std::string>{"GET /panel/api/server/status",
                                                                   "GET /panel/api/inbounds/list"});
            CHECK(r.h.err.find(std::string("xuictl: error: the API token's scope (node-sync) ") +
                               c.route) != std::string::npos);
            CHECK(r.h.err.find("the panel says: this API token is not permitted to access this "
                               "endpoint") != std::string::npos);
            CHECK(r.h.err.find("Plan:") == std::string::npos);
            CHECK(r.h.terminal.prompts.empty());
            CHECK(stored_operations(r.state).empty());
            CHECK(r.state.snapshots().empty());
        }
    }
}

TEST_CASE("a scope refusal of a write teaches the next run, which fits the plan to it",
          "[cmd][token]") {
    StateRun r;
    use_token(r.h);
    r.h.transport.expect("GET", "/panel/api/server/status", 200, status_v3("3.7.0"));
    r.h.transport.expect("GET", "/panel/api/inbounds/list", 200, list_fixture(Api::v3));
    r.h.transport.expect("POST", "/panel/api/clients/bulkResetTraffic", 403, kScopeDenied);
    CHECK(r.h.run({"inbound", "reset", "2", "--yes"}) == 4);
    CHECK(r.h.err.find("the API token's scope does not allow the inbound clients reset") !=
          std::string::npos);
    r.h.transport.expect("GET", "/panel/api/server/status", 200, status_v3("3.7.0"));
    r.h.transport.expect("GET", "/panel/api/inbounds/list", 200, list_fixture(Api::v3));
    r.h.transport.expect("POST", "/panel/api/clients/resetTraffic/b1%40x.test", 200,
                         ok_envelope("null"));
    r.h.transport.expect("POST", "/panel/api/clients/resetTraffic/b2%40x.test", 200,
                         ok_envelope("null"));
    r.h.transport.expect("GET", "/panel/api/inbounds/list", 200,
                         ListEdit(list_fixture(Api::v3)).zero_all_clients().str());
    CHECK(r.h.run({"inbound", "reset", "2", "--yes"}) == 0);
    CHECK(r.h.transport.unexpected().empty());
    CHECK(r.h.transport.pending() == 0);
}

TEST_CASE("a monitor token known from the cache: nothing is sent that it may not read",
          "[cmd][token]") {
    Harness h;
    use_token(h);
    h.transport.expect("GET", "/panel/api/server/status", 200, status_v3());
    h.transport.expect("GET", "/panel/api/inbounds/list/slim", 403, kScopeDenied);
    h.transport.expect("GET", "/panel/api/inbounds/list", 403, kScopeDenied);
    CHECK(h.run({"stats"}) == 4);
    const size_t sent = h.transport.requests().size();
    CHECK(h.run({"stats"}) == 4);
    CHECK(h.run({"clients", "list"}) == 4);
    CHECK(h.transport.requests().size() == sent);
    CHECK(h.transport.unexpected().empty());
    CHECK(h.err.find("xuictl: error: the API token's scope (monitor) does not allow the inbound "
                     "list; the panel says: this API token is not permitted to access this "
                     "endpoint") != std::string::npos);
    // Another token of the same panel knows nothing of it.
    h.env["XUI_TOKEN"] = "other";
    h.transport.expect("GET", "/panel/api/server/status", 200, status_v3());
    h.transport.expect("GET", "/panel/api/inbounds/list/slim", 403, kScopeDenied);
    h.transport.expect("GET", "/panel/api/inbounds/list", 403, kScopeDenied);
    CHECK(h.run({"stats"}) == 4);
    CHECK(h.transport.pending() == 0);
}

TEST_CASE("a master's node-sync token marks a node: version names it, plans warn", "[cmd][node]") {
    const std::string tokens =
        R"([{"id":1,"name":"ops","enabled":true,"createdAt":1,"scope":"admin","expiresAt":0},)"
        R"({"id":2,"name":"old-master","enabled":true,"createdAt":1,"scope":"node-sync","expiresAt":1000},)"
        R"({"id":3,"name":"off","enabled":false,"createdAt":1,"scope":"node-sync","expiresAt":0},)"
        R"({"id":4,"name":"central\u001b[31m-a","enabled":true,"createdAt":1,"scope":"node-sync","expiresAt":0}])";
    SECTION("version") {
        Harness h;
        h.transport.expect_login_v3();
        h.transport.expect("GET", "/panel/api/server/status", 200, status_v3("3.7.0"));
        h.transport.expect("GET", "/panel/api/nodes/list", 200, ok_envelope("[]"));
        h.transport.expect("GET", "/panel/api/setting/apiTokens", 200, ok_envelope(tokens));
        REQUIRE(h.run({"version"}) == 0);
        CHECK(h.transport.unexpected().empty());
        CHECK(h.transport.pending() == 0);
        // Only the enabled, unexpired node-sync token; its name escaped.
        CHECK(h.out.find("role   node (managed by a master: node-sync token "
                         "\"central\\x1b[31m-a\"); the master's sync can overwrite changes made "
                         "here\n") != std::string::npos);
        CHECK(h.out.find("old-master") == std::string::npos);
        CHECK(h.out.find("\x1b") == std::string::npos);
    }
    SECTION("plan") {
        StateRun r;
        expect_read(r.h.transport, Api::v3, {}, "3.7.0");
        REQUIRE(r.h.run({"traffic", "reset-all", "--dry-run"}) == 0);
        CHECK(r.h.err.find("this panel is a node") == std::string::npos);  // "[]": no token
    }
    SECTION("plan of a node") {
        StateRun r;
        r.h.transport.expect_login_v3();
        r.h.transport.expect("GET", "/panel/api/server/status", 200, status_v3("3.8.5"));
        r.h.transport.expect("GET", "/panel/api/inbounds/list", 200, list_fixture(Api::v3));
        r.h.transport.expect("GET", "/panel/api/setting/apiTokens", 200, ok_envelope(tokens));
        REQUIRE(r.h.run({"traffic", "reset-all", "--dry-run"}) == 0);
        CHECK(r.h.transport.unexpected().empty());
        CHECK(r.h.transport.pending() == 0);
        CHECK(r.h.err.find("note: this panel is a node that a master manages (node-sync token "
                           "\"central\\x1b[31m-a\"): the master's sync can overwrite what this "
                           "plan changes here") != std::string::npos);
        for (const auto& req : r.h.transport.requests()) {
            CHECK((req.method == "GET" || url_path(req.url) == "/login" ||
                   url_path(req.url) == "/getTwoFactorEnable"));
        }
    }
}
