#include <catch2/catch.hpp>

#include "support/harness.hpp"
#include "support/panel_script.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <filesystem>
#include <fstream>

using namespace xuictl::test;

TEST_CASE("stats costs one list request after login, on both API shapes", "[cmd][stats]") {
    for (const char* shape : {"inbounds_v3.json", "inbounds_classic.json"}) {
        Harness h;
        const Api api = std::string(shape) == "inbounds_v3.json" ? Api::v3 : Api::classic;
        if (api == Api::v3) {
            h.transport.expect_login_v3();
            h.transport.expect("GET", "/panel/api/server/status", 200, status_v3());
        } else {
            h.transport.expect_login_classic();
        }
        h.transport.expect("GET", first_view_list_path(api), 200, fixture(shape));
        REQUIRE(h.run({"stats", "-o", "tsv", "--bytes"}) == 0);
        CHECK(h.transport.unexpected().empty());
        CHECK(h.transport.pending() == 0);
        CHECK(h.transport.request_lines().back() == "GET " + first_view_list_path(api));
        // One line per client plus the header; exact bytes for a known client.
        // TSV is data: the expiry as ISO 8601 UTC, the ratio a plain decimal.
        CHECK(h.out.find("1\ta1@x.test\t1073741824\t2147483648\t3221225472\t10737418240\t30.00\t"
                         "2026-01-31T00:00:00Z\ttrue\tfalse\t") != std::string::npos);
        CHECK(std::count(h.out.begin(), h.out.end(), '\n') == 10);
    }
}

TEST_CASE("stats --depleted picks the panel's depleted set", "[cmd][stats]") {
    Harness h;
    h.transport.expect_login_v3();
    h.transport.expect("GET", "/panel/api/server/status", 200, status_v3());
    h.transport.expect("GET", first_view_list_path(Api::v3), 200, fixture("inbounds_v3.json"));
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
    h.transport.expect("GET", "/panel/api/server/status", 200, status_v3());
    h.transport.expect("GET", first_view_list_path(Api::v3), 200, fixture("inbounds_v3.json"));
    CHECK(h.run({"stats", "--inbound", "9"}) == 5);
    CHECK(h.err.find("no inbound with id 9") != std::string::npos);

    Harness h2;
    h2.transport.expect_login_v3();
    h2.transport.expect("GET", "/panel/api/server/status", 200, status_v3());
    h2.transport.expect("GET", first_view_list_path(Api::v3), 200, fixture("inbounds_v3.json"));
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

TEST_CASE("read-only views ask a v3.1+ panel for list/slim, others for the full list",
          "[cmd][stats]") {
    const std::string full = fixture("inbounds_v3.json");
    std::string expected;
    {
        Harness h;  // the figures from the full list, for comparison
        h.transport.expect_login_v3();
        h.transport.expect("GET", "/panel/api/server/status", 200, status_v3("3.6.0"));
        h.transport.expect("GET", "/panel/api/inbounds/list", 200, full);
        REQUIRE(h.run({"traffic", "reset-all", "--dry-run"}) == 0);
        h.transport.expect("GET", "/panel/api/inbounds/list/slim", 200, full);
        REQUIRE(h.run({"stats", "-o", "tsv", "--bytes"}) == 0);
        CHECK(h.transport.pending() == 0);
        expected = h.out;
    }
    Harness h;
    h.transport.expect_login_v3();  // a CSRF token: v3.0+, so list/slim is tried first
    h.transport.expect("GET", "/panel/api/server/status", 200, status_v3());
    h.transport.expect("GET", "/panel/api/inbounds/list/slim", 200, slim_of(full));
    REQUIRE(h.run({"stats", "-o", "tsv", "--bytes"}) == 0);
    CHECK(h.transport.request_lines() ==
          std::vector<std::string>{"GET /csrf-token", "POST /getTwoFactorEnable", "POST /login",
                                   "GET /panel/api/server/status",
                                   "GET /panel/api/inbounds/list/slim"});
    CHECK(h.out == expected);  // the same figures from half the bytes
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"stats", "-o", "tsv", "--bytes"}, {"clients", "list", "-o", "tsv"}}) {
        h.transport.expect("GET", "/panel/api/inbounds/list/slim", 200, slim_of(full));
        REQUIRE(h.run(args) == 0);  // the cached session knows: no login, one request
        CHECK(h.transport.unexpected().empty());
        CHECK(h.transport.pending() == 0);
        CHECK(h.transport.request_lines().back() == "GET /panel/api/inbounds/list/slim");
        if (args[0] == "stats") {
            CHECK(h.out == expected);
        }
    }
    // A plan needs every field: destructive commands read the full list
    // (the version is cached: stats asked it, for the clients' cycles).
    h.transport.expect("GET", "/panel/api/inbounds/list", 200, full);
    REQUIRE(h.run({"traffic", "reset-all", "--dry-run"}) == 0);
    CHECK(h.transport.unexpected().empty());
    CHECK(h.transport.request_lines().back() == "GET /panel/api/inbounds/list");

    // v3.0.x: CSRF but no list/slim. Its 404 right after the login is a
    // missing route (not an expired session): one fallback to the full list,
    // remembered with the session, so the next run asks for the list alone.
    Harness v30;
    const std::string string_settings = fixture("inbounds_classic.json");
    v30.transport.expect_login_v3();
    v30.transport.expect("GET", "/panel/api/inbounds/list/slim", 404, "");
    v30.transport.expect("GET", "/panel/api/inbounds/list", 200, string_settings);
    // (`inbound list`: `stats` would ask the version first, for the cycles.)
    REQUIRE(v30.run({"inbound", "list", "-o", "tsv", "--bytes"}) == 0);
    CHECK(v30.transport.request_lines() ==
          std::vector<std::string>{"GET /csrf-token", "POST /getTwoFactorEnable", "POST /login",
                                   "GET /panel/api/inbounds/list/slim",
                                   "GET /panel/api/inbounds/list"});
    v30.transport.expect("GET", "/panel/api/inbounds/list", 200, string_settings);
    REQUIRE(v30.run({"inbound", "list", "-o", "tsv"}) == 0);
    CHECK(v30.transport.request_lines().back() == "GET /panel/api/inbounds/list");
    CHECK(v30.transport.unexpected().empty());
    CHECK(v30.transport.pending() == 0);

    // Any other failure of list/slim is the command's error: no fallback.
    Harness broken;
    broken.transport.expect_login_v3();
    broken.transport.expect("GET", "/panel/api/inbounds/list/slim", 500, "");
    CHECK(broken.run({"inbound", "list"}) == 1);
    CHECK(broken.transport.unexpected().empty());
    CHECK(broken.transport.pending() == 0);

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

TEST_CASE("a run that learns nothing leaves the cached session file alone", "[cmd][stats]") {
    namespace fs = std::filesystem;
    Harness h;
    h.transport.expect_login_v3();
    h.transport.expect("GET", "/panel/api/server/status", 200, status_v3());
    h.transport.expect("GET", first_view_list_path(Api::v3), 200, fixture("inbounds_v3.json"));
    REQUIRE(h.run({"stats", "-o", "tsv"}) == 0);  // logs in: writes the cache
    const fs::path dir = h.home.path() / ".cache" / "xuictl" / "sessions";
    std::vector<fs::path> files(fs::directory_iterator(dir), fs::directory_iterator{});
    REQUIRE(files.size() == 1);
    // Marked with trailing blank lines (still valid JSON): a rewrite drops them.
    const auto read = [](const fs::path& p) {
        std::ifstream in(p);
        return std::string(std::istreambuf_iterator<char>(in), {});
    };
    const std::string marked = read(files[0]) + "\n\n";
    std::ofstream(files[0], std::ios::trunc) << marked;
    h.transport.expect("GET", "/panel/api/inbounds/list/slim", 200, fixture("inbounds_v3.json"));
    REQUIRE(h.run({"stats", "-o", "tsv"}) == 0);
    CHECK(h.transport.request_lines().back() == "GET /panel/api/inbounds/list/slim");
    CHECK(h.transport.pending() == 0);
    CHECK(read(files[0]) == marked);
}
