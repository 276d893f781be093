// Commands against panels after v3.6.0 (issue 17), with the fake transport:
// exactly what is sent for scoped tokens and dev builds, and what is said.
#include <catch2/catch.hpp>

#include <algorithm>

#include "support/list_edit.hpp"
#include "support/panel_script.hpp"

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
    h.transport.expect("GET", "/panel/api/inbounds/list/slim", 403, "");
    h.transport.expect("GET", "/panel/api/inbounds/list", 403, "");
    CHECK(h.run({"stats"}) == 1);
    CHECK(h.err.find("scope") == std::string::npos);
}

TEST_CASE("node-sync: list/slim refused, the full list read instead", "[cmd][token]") {
    Harness h;
    use_token(h);
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
