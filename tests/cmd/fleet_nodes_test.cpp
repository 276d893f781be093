// A master panel and its own node in one fleet (3x-ui multi-node, issue 18):
// the master's client counters include the node's traffic, so the fleet
// total never adds the node's clients to the master's; destructive commands
// skip a node its master's write reaches. Each panel has its own fake
// transport: these tests see exactly which panel got nodes/list.
#include <catch2/catch.hpp>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <filesystem>

#include "support/fleet_checks.hpp"
#include "support/harness.hpp"
#include "support/list_edit.hpp"
#include "support/panel_script.hpp"
#include "support/temp_dir.hpp"
#include "util/exit_code.hpp"

using namespace xuictl;
using namespace xuictl::test;

namespace {

// de1: a v3 master (password), one of whose inbounds runs on node nl1.
// nl1: that node, its profile URL spelled in another case and without the
// default port. us3: a classic panel of its own. tk: a v3 master reached
// with an API token whose scope this run does not know.
constexpr const char* kDe1 = "https://de1.test:2053";
constexpr const char* kNl1 = "https://NL1.test";  // the host as the profile spells it
constexpr const char* kUs3 = "http://127.0.0.1:8080";
constexpr const char* kTk = "https://tk.test";

// de1's node list: nl1 as the master stores it (an empty base path is "/",
// node.go:383-395), and a node on another port of the same host (no panel).
const std::string kNodes = ok_envelope(
    R"([{"id":1,"name":"nl","scheme":"https","address":"NL1.test","port":443,"basePath":"",)"
    R"("enable":true,"status":"online","inboundSyncMode":"all"},)"
    R"({"id":2,"name":"other","scheme":"https","address":"nl1.test","port":2053,"basePath":"/",)"
    R"("enable":true,"status":"online"}])");

// A v3 list whose inbound 1 runs on node 1 (a master's list).
std::string master_list() {
    rapidjson::Document d;
    const std::string list = list_fixture(Api::v3);
    d.Parse(list.c_str(), list.size());
    REQUIRE(d.IsObject());
    d["obj"][0].AddMember("nodeId", 1, d.GetAllocator());
    rapidjson::StringBuffer out;
    rapidjson::Writer<rapidjson::StringBuffer> w(out);
    d.Accept(w);
    return out.GetString();
}

struct NodePanels {
    Harness h;
    StateDir state;
    NodePanels() {
        const auto home = h.home.path();
        const auto dir = home / ".config" / "xuictl";
        std::filesystem::create_directories(dir);
        write_file(home / "tk.token", "tk-tok\n", 0600);
        write_file(dir / "config.toml",
                   "[profiles.de1]\nurl = \"https://de1.test:2053/p/\"\nusername = \"u\"\n"
                   "password = \"de1-pw\"\n"
                   "[profiles.nl1]\nurl = \"https://NL1.test/\"\nusername = \"u\"\n"
                   "password = \"nl1-pw\"\n"
                   "[profiles.us3]\nurl = \"http://127.0.0.1:8080/\"\nusername = \"u\"\n"
                   "password = \"us3-pw\"\n"
                   "[profiles.tk]\nurl = \"https://tk.test/\"\ntoken-file = \"" +
                       (home / "tk.token").string() + "\"\n",
                   0600);
        h.env.erase("XUI_URL");
        h.env["XDG_STATE_HOME"] = state.str();
    }
    int run(const std::vector<std::string>& args) { return run_logged(h, args); }
    FakeTransport& de1() { return h.panels[kDe1]; }
    FakeTransport& nl1() { return h.panels[kNl1]; }
    FakeTransport& us3() { return h.panels[kUs3]; }
    FakeTransport& tk() { return h.panels[kTk]; }
    void check_all_sent() { check_fleet_sent(h); }
};

// de1's and nl1's reads: login, the status probe when `probe` (the views
// that show cycles, and plans), the list (`list`: list/slim or the full
// list), and de1's node list after its list.
void expect_master_and_node(NodePanels& f, bool probe, const std::string& list) {
    f.de1().expect_login_v3("/p/");
    if (probe) {
        f.de1().expect("GET", "/p/panel/api/server/status", 200, status_v3());
    }
    f.de1().expect("GET", "/p/panel/api/inbounds/" + list, 200, master_list());
    f.de1().expect("GET", "/p/panel/api/nodes/list", 200, kNodes);
    f.nl1().expect_login_v3();
    if (probe) {
        f.nl1().expect("GET", "/panel/api/server/status", 200, status_v3());
    }
    f.nl1().expect("GET", "/panel/api/inbounds/" + list, 200, list_fixture(Api::v3));
}

// How many requests of `t` went to `path`.
size_t sent_to(const FakeTransport& t, const std::string& line) {
    size_t n = 0;
    for (const auto& l : t.request_lines()) {
        n += l == line ? size_t{1} : size_t{0};
    }
    return n;
}

}  // namespace

TEST_CASE("fleet nodes: stats counts a node's clients once, under its master",
          "[cmd][fleet][nodes]") {
    NodePanels f;
    // The plain views show each client's own cycle: a status probe first.
    expect_master_and_node(f, true, "list/slim");
    f.us3().expect_login_classic();
    f.us3().expect("GET", "/panel/api/inbounds/list", 200, list_fixture(Api::classic));

    SECTION("json: node_of, and the fleet total is master + unrelated") {
        REQUIRE(f.run({"--profile", "de1,nl1,us3", "stats", "-o", "json", "--bytes"}) == 0);
        f.check_all_sent();
        // nodes/list: once, to the master only (the node's list has no nodeId).
        CHECK(sent_to(f.de1(), "GET /p/panel/api/nodes/list") == 1);
        CHECK(sent_to(f.nl1(), "GET /panel/api/nodes/list") == 0);
        const auto d = parse_json(f.h.out);
        const auto& p = d["panels"];
        CHECK_FALSE(p[0].HasMember("node_of"));
        REQUIRE(p[1].HasMember("node_of"));
        CHECK(std::string(p[1]["node_of"].GetString()) == "de1");
        CHECK_FALSE(p[2].HasMember("node_of"));
        CHECK(p[1]["totals"]["clients"].GetUint64() == 9);  // its own rows, as a breakdown
        CHECK(p[1]["fleet_counted"]["clients"].GetUint64() == 0);
        CHECK(d["totals"]["clients"].GetUint64() ==
              p[0]["totals"]["clients"].GetUint64() + p[2]["totals"]["clients"].GetUint64());
        CHECK(d["totals"]["used"].GetInt64() ==
              p[0]["totals"]["used"].GetInt64() + p[2]["totals"]["used"].GetInt64());
    }
    SECTION("table: the node's rows are named after its master, a note under the totals") {
        REQUIRE(f.run({"--profile", "de1,nl1,us3", "stats", "-o", "table", "--bytes"}) == 0);
        f.check_all_sent();
        const auto lines = lines_of(f.h.out);
        REQUIRE(lines.size() > 6);
        const auto n = lines.size();
        CHECK(lines[n - 6].rfind("PANEL              STATUS  CLIENTS", 0) == 0);
        CHECK(lines[n - 5].rfind("de1                ok            9", 0) == 0);
        CHECK(lines[n - 4].rfind("nl1 (node of de1)  ok            9", 0) == 0);
        CHECK(lines[n - 3].rfind("us3                ok            9", 0) == 0);
        CHECK(lines[n - 2].rfind("(fleet)            ok           18", 0) == 0);
        CHECK(lines[n - 1] ==
              "(nl1 is a node of de1: de1's client counters already include its traffic, so "
              "the (fleet) total leaves out nl1's clients)");
        CHECK(f.h.out.find("\nnl1 (node of de1)  ") != std::string::npos);  // inbound rows
    }
    SECTION("tsv: PANEL stays the profile name; the rule goes to stderr") {
        REQUIRE(f.run({"--profile", "de1,nl1,us3", "stats", "-o", "tsv"}) == 0);
        CHECK(f.h.out.find("(node of") == std::string::npos);
        CHECK(f.h.out.find("\nnl1\t") != std::string::npos);
        CHECK(f.h.err.find("nl1 is a node of de1") != std::string::npos);
    }
}

TEST_CASE(
    "fleet nodes: --report's fleet total leaves the node to its master; a token of "
    "unknown scope is not asked",
    "[cmd][fleet][nodes]") {
    NodePanels f;
    SECTION("a master with a login: nodes/list once") {
        expect_master_and_node(f, false, "list/slim");
        REQUIRE(f.run({"--profile", "de1,nl1", "stats", "--report", "-o", "json"}) == 0);
        f.check_all_sent();
        const auto d = parse_json(f.h.out);
        CHECK(std::string(d["panels"][1]["node_of"].GetString()) == "de1");
        CHECK(d["total"]["clients"].GetUint64() == d["panels"][0]["total"]["clients"].GetUint64());
        CHECK(d["total"]["used"].GetInt64() == d["panels"][0]["total"]["used"].GetInt64());
    }
    SECTION("a master reached by a token of unknown scope: not sent, the node counts alone") {
        // No probe (the report shows no cycle): the token's scope is not known.
        f.tk().expect("GET", "/panel/api/inbounds/list/slim", 200, master_list());
        f.nl1().expect_login_v3();
        f.nl1().expect("GET", "/panel/api/inbounds/list/slim", 200, list_fixture(Api::v3));
        REQUIRE(f.run({"--profile", "tk,nl1", "stats", "--report", "-o", "json"}) == 0);
        f.check_all_sent();  // nodes/list would be an unexpected request
        const auto d = parse_json(f.h.out);
        CHECK_FALSE(d["panels"][1].HasMember("node_of"));
        CHECK(d["total"]["clients"].GetUint64() ==
              d["panels"][0]["total"]["clients"].GetUint64() +
                  d["panels"][1]["total"]["clients"].GetUint64());
    }
}

TEST_CASE("fleet nodes: clients list and inbound list mark the node", "[cmd][fleet][nodes]") {
    NodePanels f;
    expect_master_and_node(f, false, "list/slim");
    REQUIRE(f.run({"--profile", "nl1,de1", "inbound", "list", "-o", "json"}) == 0);
    f.check_all_sent();
    const auto d = parse_json(f.h.out);
    CHECK(std::string(d["panels"][0]["panel"].GetString()) == "nl1");
    CHECK(std::string(d["panels"][0]["node_of"].GetString()) == "de1");
    CHECK_FALSE(d["panels"][1].HasMember("node_of"));
}

TEST_CASE("fleet nodes: a write its master's reaches is not sent to the node",
          "[cmd][fleet][nodes][destructive]") {
    NodePanels f;
    expect_master_and_node(f, true, "list");
    f.us3().expect_login_classic();
    f.us3().expect("GET", "/panel/api/server/status", 200, status_classic());
    f.us3().expect("GET", "/panel/api/inbounds/list", 200, list_fixture(Api::classic));
    // traffic reset-all: inbounds/resetAllTraffics on the master resets every
    // node's inbound counters (inbound_traffic.go:767-807).
    f.de1().expect("POST", "/p/panel/api/inbounds/resetAllTraffics", 200, ok_envelope("null"));
    f.de1().expect("GET", "/p/panel/api/inbounds/list", 200,
                   ListEdit(master_list()).zero_inbound_counters().str());
    f.us3().expect("POST", "/panel/api/inbounds/resetAllTraffics", 200, ok_envelope("null"));
    f.us3().expect("GET", "/panel/api/inbounds/list", 200,
                   ListEdit(list_fixture(Api::classic)).zero_inbound_counters().str());

    // The phrase counts the panels written: the node is not one.
    REQUIRE(f.run({"--profile", "de1,nl1,us3", "traffic", "reset-all", "--confirm",
                   "RESET ALL INBOUNDS ON 2 PANELS", "-o", "json"}) == 0);
    f.check_all_sent();  // nl1: reads only
    CHECK(f.nl1().posts() == login_posts());
    const auto out = lines_of(f.h.out);
    REQUIRE(out.size() == 2);
    const auto plan = parse_json(out[0]);
    CHECK(std::string(plan["panels"][1]["node_of"].GetString()) == "de1");
    CHECK(std::string(plan["panels"][1]["status"].GetString()) == "skipped");
    CHECK(std::string(plan["panels"][1]["message"].GetString()) ==
          "a node of de1: de1's inbounds/resetAllTraffics resets every node's inbound counters");
    const auto result = parse_json(out[1]);
    CHECK(std::string(result["panels"][1]["result"]["status"].GetString()) == "skipped");
    CHECK(result["exit_code"].GetInt() == 0);
    CHECK(f.state.audit_lines().size() == 2);  // a record per panel written
    CHECK(f.h.err.find("Panel nl1: skipped: a node of de1") != std::string::npos);
}

TEST_CASE("fleet nodes: version names the node's master", "[cmd][fleet][nodes]") {
    NodePanels f;
    f.de1().expect_login_v3("/p/");
    f.de1().expect("GET", "/p/panel/api/server/status", 200, status_v3());
    f.de1().expect("GET", "/p/panel/api/nodes/list", 200, kNodes);
    f.nl1().expect_login_v3();
    f.nl1().expect("GET", "/panel/api/server/status", 200, status_v3());
    f.nl1().expect("GET", "/panel/api/nodes/list", 200, ok_envelope("[]"));
    REQUIRE(f.run({"--profile", "de1,nl1", "version", "-o", "json"}) == 0);
    f.check_all_sent();
    const auto d = parse_json(f.h.out);
    CHECK(std::string(d["panels"][0]["role"].GetString()) == "master");
    CHECK(std::string(d["panels"][1]["node_of"].GetString()) == "de1");
}
