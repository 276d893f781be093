// Read commands over several panels (a fleet, DESIGN §9): --profile a,b,
// --profile @group, --all-profiles. Each panel has its own fake transport
// (Harness::panels, by origin), so these tests see exactly which requests —
// and which secrets — reached which panel. Any request to another origin is
// recorded in Harness::stray.
#include <catch2/catch.hpp>

#include <rapidjson/document.h>

#include <filesystem>
#include <sstream>

#include "support/harness.hpp"
#include "support/list_edit.hpp"
#include "support/panel_script.hpp"
#include "support/temp_dir.hpp"
#include "util/exit_code.hpp"

using namespace xuictl;
using namespace xuictl::test;

namespace {

// de1: v3 panel, password file "de1-pw". nl2: API token "nl2-tok" (no
// login). us3: classic panel, plain password "us3-pw". Group eu = de1, nl2.
constexpr const char* kDe1 = "https://de1.test:2053";
constexpr const char* kNl2 = "https://nl2.test";
constexpr const char* kUs3 = "http://127.0.0.1:8080";
const std::vector<std::string> kSecrets = {"de1-pw", "nl2-tok", "us3-pw"};

struct Panels {
    Harness h;
    Panels() {
        const auto home = h.home.path();
        const auto dir = home / ".config" / "xuictl";
        std::filesystem::create_directories(dir);
        write_file(home / "de1.pass", "de1-pw\n", 0600);
        write_file(home / "nl2.token", "nl2-tok\n", 0600);
        write_file(dir / "config.toml",
                   "[profiles.de1]\nurl = \"https://de1.test:2053/p/\"\nusername = \"de1user\"\n"
                   "password-file = \"" +
                       (home / "de1.pass").string() +
                       "\"\n"
                       "[profiles.nl2]\nurl = \"https://nl2.test/\"\ntoken-file = \"" +
                       (home / "nl2.token").string() +
                       "\"\n"
                       "[profiles.us3]\nurl = \"http://127.0.0.1:8080/\"\nusername = \"us3user\"\n"
                       "password = \"us3-pw\"\n"
                       "[groups]\neu = [\"de1\", \"nl2\"]\n",
                   0600);
        // The environment's panel and secrets are another panel's.
        h.env.erase("XUI_URL");
        h.env["XUI_PASSWORD"] = "env-secret";
        h.env["XUI_USERNAME"] = "envuser";
    }
    // Runs xuictl; a failing check shows what it said on stderr.
    int run(const std::vector<std::string>& args) {
        const int code = h.run(args);
        UNSCOPED_INFO("stdout: " << h.out << "\nstderr: " << h.err);
        return code;
    }
    FakeTransport& de1() { return h.panels[kDe1]; }
    FakeTransport& nl2() { return h.panels[kNl2]; }
    FakeTransport& us3() { return h.panels[kUs3]; }
    // `clients show` reads the full list (each client's own cycle), the
    // other views list/slim.
    bool full_list = false;
    void expect_de1(const std::string& list = list_fixture(Api::v3)) {
        de1().expect_login_v3("/p/");
        de1().expect(
            "GET", full_list ? "/p/panel/api/inbounds/list" : first_view_list_path(Api::v3, "/p/"),
            200, list);
    }
    void expect_nl2(const std::string& list = list_fixture(Api::v3)) {
        nl2().expect("GET",
                     full_list ? "/panel/api/inbounds/list" : "/panel/api/inbounds/list/slim", 200,
                     list);
    }
    void expect_us3(const std::string& list = list_fixture(Api::classic)) {
        us3().expect_login_classic();
        us3().expect("GET", first_view_list_path(Api::classic), 200, list);
    }
    // Every panel got exactly its script; nothing went anywhere else.
    void check_all_sent() {
        for (auto& [origin, t] : h.panels) {
            INFO(origin);
            CHECK(t.unexpected().empty());
            CHECK(t.pending() == 0);
        }
        CHECK(h.stray.empty());
    }
};

// Every secret that reached `t`, in bodies and headers.
std::vector<std::string> secrets_seen(const FakeTransport& t) {
    std::vector<std::string> seen;
    for (const auto& r : t.requests()) {
        std::string all = r.body;
        for (const auto& [k, v] : r.headers) {
            all += k + ":" + v + "\n";
        }
        for (const auto& s : kSecrets) {
            if (all.find(s) != std::string::npos &&
                std::find(seen.begin(), seen.end(), s) == seen.end()) {
                seen.push_back(s);
            }
        }
        CHECK(all.find("env-secret") == std::string::npos);
    }
    return seen;
}

rapidjson::Document parse(const std::string& text) {
    rapidjson::Document d;
    d.Parse(text.c_str(), text.size());
    REQUIRE_FALSE(d.HasParseError());
    return d;
}

}  // namespace

TEST_CASE("fleet: each panel's secret goes only to its own URL", "[cmd][fleet]") {
    Panels f;
    f.expect_de1();
    f.expect_nl2();
    f.expect_us3();
    REQUIRE(f.run({"--profile", "de1,nl2,us3", "clients", "list", "-o", "json"}) == 0);
    f.check_all_sent();
    CHECK(secrets_seen(f.de1()) == std::vector<std::string>{"de1-pw"});
    CHECK(secrets_seen(f.nl2()) == std::vector<std::string>{"nl2-tok"});
    CHECK(secrets_seen(f.us3()) == std::vector<std::string>{"us3-pw"});
    CHECK(f.de1().requests()[2].body == "username=de1user&password=de1-pw");
    CHECK(f.us3().requests()[2].body == "username=us3user&password=us3-pw");
    CHECK(request_header(f.nl2().requests()[0], "Authorization") == "Bearer nl2-tok");
    CHECK(f.h.transports_made == 3);  // one connection per panel

    const auto d = parse(f.h.out);
    const auto& panels = d["panels"];
    REQUIRE(panels.Size() == 3);
    const char* names[] = {"de1", "nl2", "us3"};
    for (rapidjson::SizeType i = 0; i < 3; ++i) {
        CHECK(std::string(panels[i]["panel"].GetString()) == names[i]);
        CHECK(std::string(panels[i]["status"].GetString()) == "ok");
        CHECK(panels[i]["clients"].Size() == 9);
    }
    CHECK(f.h.err.empty());
}

TEST_CASE("fleet: the environment's secrets reach no profile's panel", "[cmd][fleet]") {
    Panels f;
    const auto path = f.h.home.path() / ".config" / "xuictl" / "config.toml";
    // "bare" has a url and a user but no secret of its own.
    write_file(path,
               slurp(path) + "[profiles.bare]\nurl = \"https://bare.test/\"\nusername = \"b\"\n",
               0600);
    f.h.panels["https://bare.test"];  // listening, with nothing expected
    f.expect_de1();
    // XUI_PASSWORD and XUI_TOKEN belong to XUI_URL's panel: bare gets no
    // secret at all, so it fails alone (no terminal to ask) and sends nothing.
    f.h.env["XUI_TOKEN"] = "env-secret";
    REQUIRE(f.run({"--profile", "de1,bare", "inbound", "list", "-o", "tsv"}) == exit_code::partial);
    CHECK(f.h.panels["https://bare.test"].requests().empty());
    CHECK(f.h.err.find("xuictl: error: panel bare: no password given and no terminal to ask for "
                       "one") != std::string::npos);
    CHECK(secrets_seen(f.de1()) == std::vector<std::string>{"de1-pw"});
    f.check_all_sent();
}

TEST_CASE("fleet: a failing panel is shown in its place and the run exits 7", "[cmd][fleet]") {
    Panels f;
    f.expect_de1();
    f.nl2().expect("GET", "/panel/api/inbounds/list/slim", 500, "boom");
    f.expect_us3();

    SECTION("json: its status and error") {
        REQUIRE(f.run({"--all-profiles", "inbound", "list", "-o", "json"}) == exit_code::partial);
        f.check_all_sent();
        const auto d = parse(f.h.out);
        const auto& panels = d["panels"];
        REQUIRE(panels.Size() == 3);
        CHECK(std::string(panels[0]["status"].GetString()) == "ok");
        CHECK(panels[0]["inbounds"].Size() == 3);
        CHECK(std::string(panels[1]["panel"].GetString()) == "nl2");
        CHECK(std::string(panels[1]["status"].GetString()) == "failed");
        CHECK_FALSE(panels[1].HasMember("inbounds"));
        CHECK(panels[1]["error"]["exit_code"].GetInt() == 1);
        CHECK(std::string(panels[2]["status"].GetString()) == "ok");
        CHECK(f.h.err.rfind("xuictl: error: panel nl2: ", 0) == 0);
    }
    SECTION("table: a failed row between the others; tsv leaves it to stderr") {
        f.h.terminal.set_tty(false);
        REQUIRE(f.run({"--all-profiles", "inbound", "list", "-o", "table"}) == exit_code::partial);
        const auto lines = lines_of(f.h.out);
        REQUIRE(lines.size() == 1 + 3 + 1 + 3);
        CHECK(lines[0].rfind("PANEL  ID  REMARK", 0) == 0);
        CHECK(lines[1].rfind("de1", 0) == 0);
        CHECK(lines[4].rfind("nl2    failed: ", 0) == 0);
        CHECK(lines[5].rfind("us3", 0) == 0);
    }
    SECTION("tsv: every row has the same columns") {
        REQUIRE(f.run({"--all-profiles", "inbound", "list", "-o", "tsv"}) == exit_code::partial);
        const auto lines = lines_of(f.h.out);
        REQUIRE(lines.size() == 1 + 3 + 3);
        CHECK(lines[0].rfind("PANEL\tID\tREMARK\t", 0) == 0);
        CHECK(lines[1].rfind("de1\t1\talpha\t", 0) == 0);
        CHECK(lines[4].rfind("us3\t1\talpha\t", 0) == 0);
    }
}

TEST_CASE("fleet: every panel failing gives the failure's own code", "[cmd][fleet]") {
    Panels f;
    f.de1().expect_login_v3("/p/");
    f.de1().expect("GET", first_view_list_path(Api::v3, "/p/"), 500, "");
    f.nl2().expect("GET", "/panel/api/inbounds/list/slim", 500, "");
    REQUIRE(f.run({"--profile", "@eu", "stats", "-o", "json"}) == exit_code::failure);
    f.check_all_sent();
    const auto d = parse(f.h.out);
    CHECK(d["panels"].Size() == 2);
    CHECK(d["totals"]["clients"].GetUint64() == 0);
}

TEST_CASE("fleet: a group and a name given twice are one panel each", "[cmd][fleet]") {
    Panels f;
    f.expect_de1();
    f.expect_nl2();
    REQUIRE(f.run({"--profile", "@eu,de1", "clients", "list", "-o", "tsv"}) == 0);
    f.check_all_sent();
    const auto lines = lines_of(f.h.out);
    REQUIRE(lines.size() == 1 + 9 + 9);
    CHECK(lines[0] ==
          "PANEL\tINBOUND\tEMAIL\tUP\tDOWN\tUSED\tQUOTA\tUSED%\tEXPIRES\tENABLED\tDEPLETED\t"
          "RENEWALS_LEFT\tNEXT_RENEWAL\tTRAFFIC_RESET\tNEXT_TRAFFIC_RESET\tSTATE");
    CHECK(lines[1].rfind("de1\t1\ta1@x.test\t", 0) == 0);
    CHECK(lines[10].rfind("nl2\t1\ta1@x.test\t", 0) == 0);
}

TEST_CASE("fleet: stats shows per-panel totals and the fleet total below them", "[cmd][fleet]") {
    Panels f;
    f.expect_de1();
    f.expect_us3(ListEdit(list_fixture(Api::classic)).remove_clients({"b1@x.test"}).str());

    SECTION("json") {
        REQUIRE(f.run({"--profile", "de1,us3", "stats", "-o", "json", "--bytes"}) == 0);
        const auto d = parse(f.h.out);
        CHECK(d["panels"][0]["totals"]["clients"].GetUint64() == 9);
        CHECK(d["panels"][1]["totals"]["clients"].GetUint64() == 8);
        const auto one = d["panels"][0]["totals"]["used"].GetInt64();
        const auto two = d["panels"][1]["totals"]["used"].GetInt64();
        CHECK(one - two == 53687091200 + 10737418240);  // b1 is only on de1
        CHECK(d["totals"]["clients"].GetUint64() == 17);
        CHECK(d["totals"]["used"].GetInt64() == one + two);
        CHECK(d["totals"]["depleted"].GetUint64() ==
              d["panels"][0]["totals"]["depleted"].GetUint64() +
                  d["panels"][1]["totals"]["depleted"].GetUint64());
    }
    SECTION("table: the TOTALS rows come last, the fleet row at the bottom") {
        REQUIRE(f.run({"--profile", "de1,us3", "stats", "-o", "table", "--bytes"}) == 0);
        const auto lines = lines_of(f.h.out);
        REQUIRE(lines.size() > 4);
        const auto n = lines.size();
        CHECK(lines[n - 4].rfind("PANEL    STATUS  CLIENTS  DEPLETED", 0) == 0);
        CHECK(lines[n - 3].rfind("de1      ok            9", 0) == 0);
        CHECK(lines[n - 2].rfind("us3      ok            8", 0) == 0);
        CHECK(lines[n - 1].rfind("(fleet)  ok           17", 0) == 0);
    }
}

TEST_CASE("fleet: --client searches the fleet, not each panel", "[cmd][fleet]") {
    Panels f;
    f.full_list = true;
    f.expect_de1();
    f.expect_nl2(ListEdit(list_fixture(Api::v3)).remove_clients({"c1@x.test"}).str());

    SECTION("found on one panel: the other shows nothing, exit 0") {
        REQUIRE(f.run({"--profile", "@eu", "clients", "show", "c1@x.test", "-o", "json"}) == 0);
        const auto d = parse(f.h.out);
        CHECK(d["panels"][0]["clients"].Size() == 1);
        CHECK(d["panels"][1]["clients"].Size() == 0);
        CHECK(std::string(d["panels"][1]["status"].GetString()) == "ok");
    }
    SECTION("found on none: not found, exit 5") {
        REQUIRE(f.run({"--profile", "@eu", "clients", "show", "zz@x.test"}) ==
                exit_code::not_found);
        CHECK(f.h.err.find("no client with email 'zz@x.test'") != std::string::npos);
        CHECK(f.h.out.empty());
    }
}

TEST_CASE("fleet: --warn/--crit — a level outranks a failed panel", "[cmd][fleet]") {
    Panels f;
    f.expect_de1();
    f.nl2().expect("GET", "/panel/api/inbounds/list/slim", 500, "boom");
    // The fixture has a depleted client (a5@x.test: 2 GiB of 1 GiB).
    REQUIRE(f.run({"--profile", "@eu", "stats", "--warn", "80", "-o", "json"}) ==
            exit_code::depleted);
    const auto d = parse(f.h.out);
    CHECK(std::string(d["level"].GetString()) == "depleted");
    CHECK(std::string(d["panels"][0]["level"].GetString()) == "depleted");
    CHECK(std::string(d["panels"][1]["status"].GetString()) == "failed");
    CHECK(f.h.err.find("panel nl2: ") != std::string::npos);
    CHECK(f.h.err.find("warn >= 80%: 2 panels, 1 failed; highest level depleted; exit 12") !=
          std::string::npos);
}

TEST_CASE("fleet exit codes: partial, all failed, monitoring levels", "[unit][fleet]") {
    CHECK(fleet_exit_code(3, 0, 0) == 0);
    CHECK(fleet_exit_code(3, 1, 4) == 7);
    CHECK(fleet_exit_code(3, 3, 4) == 4);
    CHECK(fleet_monitor_exit_code(0, 3, 0, 0) == 0);
    CHECK(fleet_monitor_exit_code(10, 3, 0, 0) == 10);
    CHECK(fleet_monitor_exit_code(11, 3, 1, 1) == 11);
    CHECK(fleet_monitor_exit_code(0, 3, 1, 1) == 7);
    CHECK(fleet_monitor_exit_code(0, 2, 2, 4) == 4);
}

TEST_CASE("fleet: progress lines on a terminal, none in a pipe", "[cmd][fleet]") {
    Panels f;
    f.expect_de1();
    f.expect_nl2();
    SECTION("terminal") {
        f.h.terminal.set_tty(true);
        REQUIRE(f.run({"--profile", "@eu", "inbound", "list", "-o", "tsv"}) == 0);
        // Both lines first, then each rewritten in place (up, clear, write, down).
        CHECK(f.h.err.rfind("de1  waiting\nnl2  waiting\n", 0) == 0);
        CHECK(f.h.err.find("\x1b[2A\r\x1b[2Kde1  done\x1b[2B\r") != std::string::npos);
        CHECK(f.h.err.find("\x1b[1A\r\x1b[2Knl2  done\x1b[1B\r") != std::string::npos);
    }
    SECTION("pipe") {
        REQUIRE(f.run({"--profile", "@eu", "inbound", "list", "-o", "tsv"}) == 0);
        CHECK(f.h.err.empty());
    }
}

TEST_CASE("fleet: selection errors are usage errors, before any request", "[cmd][fleet]") {
    struct Case {
        std::vector<std::string> args;
        std::map<std::string, std::string> env;
        std::string error;
    };
    const std::string config = "/.config/xuictl/config.toml";
    const std::vector<Case> cases = {
        {{"--profile", "de1,xx", "stats"}, {}, "no profile named 'xx' in "},
        {{"--profile", "@asia", "stats"}, {}, "no group named 'asia' in "},
        {{"--profile", "de1,,nl2", "stats"}, {}, "--profile 'de1,,nl2': an empty name in the list"},
        {{"--all-profiles", "--url", "https://x.test/", "stats"},
         {},
         "--url names one panel, but --all-profiles selects several"},
        {{"--all-profiles", "stats"},
         {{"XUI_URL", "https://x.test/"}},
         "XUI_URL names one panel, but --all-profiles selects several"},
        {{"--profile", "@eu", "--password-file", "/nope", "clients", "list"},
         {},
         "--password-file names one panel, but --profile a,b / @group selects several"},
        {{"--all-profiles", "--profile", "de1", "stats"},
         {},
         "--all-profiles and --profile both choose the panels"},
        {{"--profile", "de1,nl2", "inbound", "reset", "--all", "--yes"},
         {},
         "--all-profiles, --profile a,b and @group work with read commands (stats, inbound "
         "list, clients list, clients show, version); run destructive commands one panel at a "
         "time"},
        {{"--all-profiles", "traffic", "reset", "1", "a1@x.test", "--yes"},
         {},
         "--all-profiles, --profile a,b and @group work with read commands"},
        {{"--profile", "@eu", "clients", "purge-depleted", "--all", "--yes"},
         {},
         "--all-profiles, --profile a,b and @group work with read commands"},
        {{"--profile", "@eu", "stats", "--report"}, {}, "--report reads one panel"},
        {{"--profile", "@eu", "stats", "-o", "prometheus"}, {}, "-o prometheus reads one panel"},
        {{"--profile", "@eu", "stats", "--since", "30d"},
         {},
         "the usage-history views (--since, --from, --to, --by, --lifetime, --report, "
         "--history) read one panel's history at a time"},
        {{"--all-profiles", "stats", "--lifetime"}, {}, "the usage-history views"},
        {{"--profile", "de1,nl2", "clients", "show", "a1@x.test", "--history"},
         {},
         "the usage-history views"},
        {{"--profile", "de1,nl2", "clients", "show", "a1@x.test", "--by", "week"},
         {},
         "the usage-history views"},
    };
    for (const auto& c : cases) {
        Panels f;
        for (const auto& [k, v] : c.env) {
            f.h.env[k] = v;
        }
        INFO(c.error);
        CHECK(f.run(c.args) == exit_code::usage);
        CHECK(f.h.err.find("xuictl: error: " + c.error) != std::string::npos);
        CHECK(f.h.transports_made == 0);
        CHECK(f.h.stray.empty());
        CHECK(f.h.out.empty());
    }
}

TEST_CASE("fleet: a panel whose own settings are wrong stops the run before any request",
          "[cmd][fleet]") {
    Panels f;
    std::filesystem::remove(f.h.home.path() / "nl2.token");
    REQUIRE(f.run({"--profile", "@eu", "stats"}) == exit_code::usage);
    CHECK(f.h.err.rfind("xuictl: error: profile 'nl2': cannot read the token file", 0) == 0);
    for (auto& [origin, t] : f.h.panels) {
        CHECK(t.requests().empty());
    }
    CHECK(f.h.stray.empty());
    CHECK(f.h.out.empty());
}

TEST_CASE("fleet: each panel's session is cached for the next run", "[cmd][fleet]") {
    Panels f;
    f.expect_de1();
    f.expect_us3();
    REQUIRE(f.run({"--profile", "de1,us3", "inbound", "list", "-o", "tsv"}) == 0);
    // The next run reuses both sessions: no login anywhere.
    f.de1().expect("GET", first_view_list_path(Api::v3, "/p/"), 200, list_fixture(Api::v3));
    f.us3().expect("GET", first_view_list_path(Api::classic), 200, list_fixture(Api::classic));
    REQUIRE(f.run({"--profile", "de1,us3", "inbound", "list", "-o", "tsv"}) == 0);
    f.check_all_sent();
    CHECK(request_header(f.de1().requests().back(), "Cookie") == "3x-ui=session-1");
    CHECK(request_header(f.us3().requests().back(), "Cookie") == "3x-ui=session-c");
}

TEST_CASE("fleet: groups in config.toml are checked and completed", "[cmd][fleet]") {
    Panels f;
    SECTION("completion offers groups after --profile only") {
        REQUIRE(f.run({"__complete", "targets"}) == 0);
        CHECK(f.h.out == "de1\nnl2\nus3\n@eu\n");
        REQUIRE(f.run({"__complete", "profiles"}) == 0);
        CHECK(f.h.out == "de1\nnl2\nus3\n");
    }
    SECTION("profile remove refuses a profile a group names") {
        REQUIRE(f.run({"profile", "remove", "nl2"}) == exit_code::usage);
        CHECK(f.h.err.rfind("xuictl: error: profile 'nl2' is in group 'eu'\n", 0) == 0);
        REQUIRE(f.run({"profile", "remove", "us3"}) == 0);
    }
    SECTION("a group naming an undefined profile is a config error") {
        const auto path = f.h.home.path() / ".config" / "xuictl" / "config.toml";
        write_file(path, "[profiles.a]\nurl = \"https://a.test/\"\n[groups]\ng = [\"a\", \"b\"]\n",
                   0600);
        REQUIRE(f.run({"--profile", "@g", "stats"}) == exit_code::usage);
        CHECK(f.h.err.find("groups.g names profile 'b', which is not defined") !=
              std::string::npos);
        CHECK(f.h.transports_made == 0);
    }
}
