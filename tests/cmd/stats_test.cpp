#include <catch2/catch.hpp>

#include "support/harness.hpp"
#include "support/panel_script.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

using namespace xuictl::test;

TEST_CASE("stats costs one list request after login, on both API shapes", "[cmd][stats]") {
    for (const char* shape : {"inbounds_v3.json", "inbounds_classic.json"}) {
        Harness h;
        if (std::string(shape) == "inbounds_v3.json") {
            h.transport.expect_login_v3();
        } else {
            h.transport.expect_login_classic();
        }
        h.transport.expect("GET", "/panel/api/inbounds/list", 200, fixture(shape));
        REQUIRE(h.run({"stats", "-o", "tsv", "--bytes"}) == 0);
        CHECK(h.transport.unexpected().empty());
        CHECK(h.transport.pending() == 0);
        CHECK(h.transport.request_lines().back() == "GET /panel/api/inbounds/list");
        // One line per client plus the header; exact bytes for a known client.
        CHECK(h.out.find("1\ta1@x.test\t1073741824\t2147483648\t3221225472\t10737418240\t30.0%\tin "
                         "30d\tyes\tno\n") != std::string::npos);
        CHECK(std::count(h.out.begin(), h.out.end(), '\n') == 10);
    }
}

TEST_CASE("stats --depleted picks the panel's depleted set", "[cmd][stats]") {
    Harness h;
    h.transport.expect_login_v3();
    h.transport.expect("GET", "/panel/api/inbounds/list", 200, fixture("inbounds_v3.json"));
    REQUIRE(h.run({"stats", "--depleted", "-o", "csv"}) == 0);
    // a2 (quota), a3 (expired), b2 (quota), c1 (expired); not a5 (auto-renew),
    // not a6 (delay-start), not a4 (disabled but within limits).
    CHECK(h.out.find("a2@x.test") != std::string::npos);
    CHECK(h.out.find("a3@x.test") != std::string::npos);
    CHECK(h.out.find("b2@x.test") != std::string::npos);
    CHECK(h.out.find("c1@x.test") != std::string::npos);
    CHECK(h.out.find("a5@x.test") == std::string::npos);
    CHECK(h.out.find("a6@x.test") == std::string::npos);
    CHECK(h.out.find("a4@x.test") == std::string::npos);
}

TEST_CASE("stats with an unknown inbound or client exits 5", "[cmd][stats]") {
    Harness h;
    h.transport.expect_login_v3();
    h.transport.expect("GET", "/panel/api/inbounds/list", 200, fixture("inbounds_v3.json"));
    CHECK(h.run({"stats", "--inbound", "9"}) == 5);
    CHECK(h.err.find("no inbound with id 9") != std::string::npos);

    Harness h2;
    h2.transport.expect_login_v3();
    h2.transport.expect("GET", "/panel/api/inbounds/list", 200, fixture("inbounds_v3.json"));
    CHECK(h2.run({"stats", "--client", "nobody@x.test"}) == 5);
}

TEST_CASE("wrong password exits 4 after exactly one login request", "[cmd][auth]") {
    Harness h;
    h.transport.expect("GET", "/csrf-token", 200, R"({"success":true,"obj":"t"})");
    h.transport.expect("POST", "/getTwoFactorEnable", 200,
                       R"({"success":true,"msg":"","obj":false})");
    h.transport.expect("POST", "/login", 200,
                       fail_envelope("Invalid username or password or two-factor code."));
    CHECK(h.run({"stats"}) == 4);
    CHECK(h.transport.posts() ==
          std::vector<std::string>{"POST /getTwoFactorEnable", "POST /login"});
    CHECK(h.err.find("5 failed logins") != std::string::npos);
}

namespace {

// inbounds/list/slim as v3.1+ panels send it: settings.clients cut down to
// {email, enable, comment}; every inbound field and clientStats row kept.
std::string slim_of(const std::string& full) {
    rapidjson::Document doc;
    doc.Parse(full.c_str(), full.size());
    for (auto& in : doc["obj"].GetArray()) {
        for (auto& client : in["settings"]["clients"].GetArray()) {
            rapidjson::Value slim(rapidjson::kObjectType);
            for (const char* key : {"email", "enable", "comment"}) {
                if (client.HasMember(key)) {
                    slim.AddMember(rapidjson::StringRef(key), client[key], doc.GetAllocator());
                }
            }
            client = slim;
        }
    }
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
    doc.Accept(w);
    return buffer.GetString();
}

}  // namespace

TEST_CASE("read-only views ask a known v3.1+ panel for list/slim, others for the full list",
          "[cmd][stats]") {
    const std::string full = fixture("inbounds_v3.json");
    std::string expected;
    {
        Harness h;  // version unknown (no probe yet): the full list
        h.transport.expect_login_v3();
        h.transport.expect("GET", "/panel/api/inbounds/list", 200, full);
        REQUIRE(h.run({"stats", "-o", "tsv", "--bytes"}) == 0);
        CHECK(h.transport.pending() == 0);
        expected = h.out;
    }
    Harness h;
    h.transport.expect_login_v3();
    h.transport.expect("GET", "/panel/api/server/status", 200, status_v3("3.6.0"));
    REQUIRE(h.run({"version"}) == 0);  // learns v3, kept with the session
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"stats", "-o", "tsv", "--bytes"}, {"clients", "list", "-o", "tsv"}}) {
        h.transport.expect("GET", "/panel/api/inbounds/list/slim", 200, slim_of(full));
        REQUIRE(h.run(args) == 0);
        CHECK(h.transport.unexpected().empty());
        CHECK(h.transport.pending() == 0);
        CHECK(h.transport.request_lines().back() == "GET /panel/api/inbounds/list/slim");
        if (args[0] == "stats") {
            CHECK(h.out == expected);  // the same figures from half the bytes
        }
    }
    // A plan needs every field: destructive commands read the full list.
    h.transport.expect("GET", "/panel/api/inbounds/list", 200, full);
    REQUIRE(h.run({"traffic", "reset-all", "--dry-run"}) == 0);
    CHECK(h.transport.unexpected().empty());
    CHECK(h.transport.request_lines().back() == "GET /panel/api/inbounds/list");

    // Without a probe, a full list with nested settings (v3.1+) is enough to
    // know: the next read asks for list/slim, and no request is spent on it.
    Harness learns;
    learns.transport.expect_login_v3();
    learns.transport.expect("GET", "/panel/api/inbounds/list", 200, full);
    REQUIRE(learns.run({"stats", "-o", "tsv"}) == 0);
    learns.transport.expect("GET", "/panel/api/inbounds/list/slim", 200, slim_of(full));
    REQUIRE(learns.run({"stats", "-o", "tsv"}) == 0);
    CHECK(learns.transport.unexpected().empty());
    CHECK(learns.transport.pending() == 0);

    Harness classic;  // a classic panel has no list/slim, however often it is read
    classic.transport.expect_login_classic();
    classic.transport.expect("GET", "/panel/api/server/status", 200, status_classic());
    REQUIRE(classic.run({"version"}) == 0);
    classic.transport.expect("GET", "/panel/api/inbounds/list", 200,
                             fixture("inbounds_classic.json"));
    REQUIRE(classic.run({"stats", "-o", "tsv"}) == 0);
    classic.transport.expect("GET", "/panel/api/inbounds/list", 200,
                             fixture("inbounds_classic.json"));
    REQUIRE(classic.run({"stats", "-o", "tsv"}) == 0);
    CHECK(classic.transport.unexpected().empty());
    CHECK(classic.transport.pending() == 0);
}
