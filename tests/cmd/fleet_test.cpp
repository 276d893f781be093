// Read commands over several panels (a fleet, DESIGN §9): --profile a,b,
// --profile @group, --all-profiles. Each panel has its own fake transport
// (Harness::panels, by origin), so these tests see exactly which requests —
// and which secrets — reached which panel. Any request to another origin is
// recorded in Harness::stray.
#include <catch2/catch.hpp>

#include <rapidjson/document.h>

#include <csignal>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <sstream>

#include "calendar.hpp"
#include "support/fleet_checks.hpp"
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
    int run(const std::vector<std::string>& args) { return run_logged(h, args); }
    FakeTransport& de1() { return h.panels[kDe1]; }
    FakeTransport& nl2() { return h.panels[kNl2]; }
    FakeTransport& us3() { return h.panels[kUs3]; }
    // `clients show` reads the full list (each client's own cycle), the
    // other views list/slim.
    bool full_list = false;
    // `stats` and `clients list` show each client's own cycle: on a v3 panel
    // whose version this run does not know yet they ask server/status first
    // (a panel after v3.6.0 needs the full list for it).
    bool status_probe = false;
    void expect_de1(const std::string& list = list_fixture(Api::v3)) {
        de1().expect_login_v3("/p/");
        if (status_probe) {
            de1().expect("GET", "/p/panel/api/server/status", 200, status_v3());
        }
        de1().expect(
            "GET", full_list ? "/p/panel/api/inbounds/list" : first_view_list_path(Api::v3, "/p/"),
            200, list);
    }
    void expect_nl2(const std::string& list = list_fixture(Api::v3)) {
        if (status_probe) {
            nl2().expect("GET", "/panel/api/server/status", 200, status_v3());
        }
        nl2().expect("GET",
                     full_list ? "/panel/api/inbounds/list" : "/panel/api/inbounds/list/slim", 200,
                     list);
    }
    void expect_us3(const std::string& list = list_fixture(Api::classic)) {
        us3().expect_login_classic();
        us3().expect("GET", first_view_list_path(Api::classic), 200, list);
    }
    // Every panel got exactly its script; nothing went anywhere else.
    void check_all_sent() { check_fleet_sent(h); }
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
    return parse_json(text);
}

}  // namespace

TEST_CASE("fleet: each panel's secret goes only to its own URL", "[cmd][fleet]") {
    Panels f;
    f.status_probe = true;
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
    f.de1().expect("GET", "/p/panel/api/server/status", 200, status_v3());
    f.de1().expect("GET", first_view_list_path(Api::v3, "/p/"), 500, "");
    f.nl2().expect("GET", "/panel/api/server/status", 200, status_v3());
    f.nl2().expect("GET", "/panel/api/inbounds/list/slim", 500, "");
    REQUIRE(f.run({"--profile", "@eu", "stats", "-o", "json"}) == exit_code::failure);
    f.check_all_sent();
    const auto d = parse(f.h.out);
    CHECK(d["panels"].Size() == 2);
    CHECK(d["totals"]["clients"].GetUint64() == 0);
}

TEST_CASE("fleet: a group and a name given twice are one panel each", "[cmd][fleet]") {
    Panels f;
    f.status_probe = true;
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
    f.status_probe = true;
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
    // Writes: a signal that stopped a panel is 3 whatever the others did.
    CHECK(fleet_write_exit_code(3, 0, false) == 0);
    CHECK(fleet_write_exit_code(1, 2, false) == 7);
    CHECK(fleet_write_exit_code(0, 2, false) == 1);
    CHECK(fleet_write_exit_code(1, 2, true) == 3);
    CHECK(fleet_write_exit_code(0, 3, true) == 3);
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
        {{"--profile", "de1,nl2", "login"},
         {},
         "--all-profiles, --profile a,b and @group work with stats, collect, inbound list"},
        {{"--all-profiles", "audit"},
         {},
         "--all-profiles, --profile a,b and @group work with stats, collect, inbound list"},
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

// ---- destructive commands over a fleet -----------------------------------

namespace {

// Panels, with a state directory of their own (the audit records).
struct WritePanels : Panels {
    StateDir state;
    WritePanels() { h.env["XDG_STATE_HOME"] = state.str(); }
};

// The read phase of a destructive command on de1 (v3, /p/), nl2 (v3 token)
// and us3 (classic): login where the profile has a password, probe, list.
void expect_write_read(Panels& f, const std::string& name) {
    if (name == "de1") {
        f.de1().expect_login_v3("/p/");
        f.de1().expect("GET", "/p/panel/api/server/status", 200, status_v3());
        f.de1().expect("GET", "/p/panel/api/inbounds/list", 200, list_fixture(Api::v3));
    } else if (name == "nl2") {
        f.nl2().expect("GET", "/panel/api/server/status", 200, status_v3());
        f.nl2().expect("GET", "/panel/api/inbounds/list", 200, list_fixture(Api::v3));
    } else {
        f.us3().expect_login_classic();
        f.us3().expect("GET", "/panel/api/server/status", 200, status_classic());
        f.us3().expect("GET", "/panel/api/inbounds/list", 200, list_fixture(Api::classic));
    }
}

// traffic reset-all's write and verifying read on one panel.
void expect_reset_all_write(FakeTransport& t, Api api, const std::string& base = "/") {
    t.expect("POST", base + "panel/api/inbounds/resetAllTraffics", 200, ok_envelope("null"));
    t.expect("GET", base + "panel/api/inbounds/list", 200,
             ListEdit(list_fixture(api)).zero_inbound_counters().str());
}

// traffic reset-all over de1 and us3: both read and planned, de1 written
// and verified, us3's write refused by the panel (nothing re-read after it).
void expect_de1_ok_us3_refused(Panels& f) {
    expect_write_read(f, "de1");
    expect_write_read(f, "us3");
    expect_reset_all_write(f.de1(), Api::v3, "/p/");
    f.us3().expect("POST", "/panel/api/inbounds/resetAllTraffics", 200,
                   R"({"success":false,"msg":"database is locked","obj":null})");
}

// The writes a panel got: its POSTs other than the login's.
size_t posts_to(const FakeTransport& t) {
    size_t n = 0;
    for (const auto& line : t.posts()) {
        n += line.find("login") == std::string::npos &&
                     line.find("getTwoFactorEnable") == std::string::npos
                 ? size_t{1}
                 : size_t{0};
    }
    return n;
}

// A list whose client a1@x.test has these counters.
std::string with_a1(Api api, int64_t up, int64_t down) {
    return ListEdit(list_fixture(api))
        .set_client_stat("a1@x.test", "up", up)
        .set_client_stat("a1@x.test", "down", down)
        .str();
}

constexpr int64_t kHour = 3600 * 1000;

// Two collects an hour apart on de1 (v3) and us3 (classic): each run with
// --profile NAME alone, or (fleet) one `--profile de1,us3 collect` per
// hour, which must record the same; a1 moved 500 up on de1 and 2000 down
// on us3.
void collect_two_samples(Panels& f, bool fleet = false) {
    f.h.clock = FixedClock(kFixtureNow);
    f.de1().expect_login_v3("/p/");
    f.de1().expect("GET", first_view_list_path(Api::v3, "/p/"), 200, with_a1(Api::v3, 1000, 0));
    f.us3().expect_login_classic();
    f.us3().expect("GET", first_view_list_path(Api::classic), 200, with_a1(Api::classic, 0, 3000));
    if (fleet) {
        REQUIRE(f.run({"--profile", "de1,us3", "collect"}) == 0);
    } else {
        REQUIRE(f.run({"--profile", "de1", "collect"}) == 0);
        REQUIRE(f.run({"--profile", "us3", "collect"}) == 0);
    }
    f.h.clock = FixedClock(kFixtureNow + kHour);
    f.de1().expect("GET", first_view_list_path(Api::v3, "/p/"), 200, with_a1(Api::v3, 1500, 0));
    f.us3().expect("GET", first_view_list_path(Api::classic), 200, with_a1(Api::classic, 0, 5000));
    if (fleet) {
        REQUIRE(f.run({"--profile", "de1,us3", "collect"}) == 0);
    } else {
        REQUIRE(f.run({"--profile", "de1", "collect"}) == 0);
        REQUIRE(f.run({"--profile", "us3", "collect"}) == 0);
    }
    f.check_all_sent();
    f.h.clock = FixedClock(kFixtureNow + 2 * kHour);
}

}  // namespace

TEST_CASE("fleet write: every panel read and planned, one phrase, written and verified on each",
          "[cmd][fleet][destructive]") {
    WritePanels f;
    for (const char* p : {"de1", "nl2", "us3"}) {
        expect_write_read(f, p);
    }
    expect_reset_all_write(f.de1(), Api::v3, "/p/");
    expect_reset_all_write(f.nl2(), Api::v3);
    expect_reset_all_write(f.us3(), Api::classic);

    SECTION("--confirm with the fleet phrase: exit 0, one record per panel, one fleet id") {
        REQUIRE(f.run({"--all-profiles", "traffic", "reset-all", "--confirm",
                       "RESET ALL INBOUNDS ON 3 PANELS", "-o", "json"}) == 0);
        f.check_all_sent();
        // Each panel's secret reached only its own URL, the write path included.
        CHECK(secrets_seen(f.de1()) == std::vector<std::string>{"de1-pw"});
        CHECK(secrets_seen(f.nl2()) == std::vector<std::string>{"nl2-tok"});
        CHECK(secrets_seen(f.us3()) == std::vector<std::string>{"us3-pw"});
        const auto lines = f.state.audit_lines();
        REQUIRE(lines.size() == 3);
        std::set<std::string> fleet_ids;
        std::set<std::string> panels;
        for (const auto& line : lines) {
            const auto d = parse(line);
            CHECK(std::string(d["status"].GetString()) == "ok");
            fleet_ids.insert(d["fleet_id"].GetString());
            panels.insert(d["panel"].GetString());
        }
        REQUIRE(fleet_ids.size() == 1);
        CHECK(fleet_ids.begin()->rfind("fleet-", 0) == 0);
        CHECK(panels == std::set<std::string>{"https://de1.test:2053/p/", "https://nl2.test/",
                                              "http://127.0.0.1:8080/"});
        // stdout: the combined plan, then the fleet result.
        const auto out = lines_of(f.h.out);
        REQUIRE(out.size() == 2);
        const auto plan = parse(out[0]);
        CHECK(std::string(plan["phrase"].GetString()) == "RESET ALL INBOUNDS ON 3 PANELS");
        REQUIRE(plan["panels"].Size() == 3);
        CHECK(std::string(plan["panels"][2]["panel"].GetString()) == "us3");
        CHECK(std::string(plan["panels"][2]["status"].GetString()) == "planned");
        const auto result = parse(out[1]);
        CHECK(std::string(result["fleet_id"].GetString()) == *fleet_ids.begin());
        CHECK(std::string(result["status"].GetString()) == "ok");
        CHECK(result["exit_code"].GetInt() == 0);
        CHECK(std::string(result["panels"][1]["result"]["status"].GetString()) == "ok");
        CHECK(std::string(result["panels"][1]["result"]["panel"].GetString()) ==
              "https://nl2.test/");
    }
}

TEST_CASE("fleet write: a single panel's phrase confirms nothing on a fleet",
          "[cmd][fleet][destructive]") {
    WritePanels f;
    expect_write_read(f, "de1");
    expect_write_read(f, "us3");
    REQUIRE(f.run({"--profile", "de1,us3", "traffic", "reset-all", "--confirm",
                   "RESET ALL INBOUNDS ON de1"}) == exit_code::not_confirmed);
    f.check_all_sent();
    CHECK(posts_to(f.de1()) == 0);
    CHECK(posts_to(f.us3()) == 0);
    CHECK(f.h.err.find("hint: this plan needs --confirm 'RESET ALL INBOUNDS ON 2 PANELS'") !=
          std::string::npos);
    CHECK(f.state.audit_lines().empty());
}

TEST_CASE("fleet write: one panel that cannot be read stops every write",
          "[cmd][fleet][destructive]") {
    WritePanels f;
    expect_write_read(f, "de1");
    f.nl2().expect("GET", "/panel/api/server/status", 503, "down");
    expect_write_read(f, "us3");

    SECTION("without --skip-unreachable: nothing written anywhere, the failure's exit code") {
        REQUIRE(f.run({"--all-profiles", "traffic", "reset-all", "--yes"}) == exit_code::failure);
        f.check_all_sent();
        CHECK(posts_to(f.de1()) == 0);
        CHECK(posts_to(f.us3()) == 0);
        CHECK(f.state.audit_lines().empty());
        CHECK(f.h.err.find("xuictl: error: panel nl2: ") != std::string::npos);
        CHECK(f.h.err.find("nothing was written to any panel: 1 of 3 panel(s) could not be read "
                           "or planned") != std::string::npos);
        // Its hint says how to retry it alone.
        CHECK(f.h.err.find("\nhint: the panel hit an internal error; see its log; retry this "
                           "panel alone with --profile nl2\n") != std::string::npos);
    }
    SECTION("--skip-unreachable: the others are written, nl2 skipped, exit 7") {
        expect_reset_all_write(f.de1(), Api::v3, "/p/");
        expect_reset_all_write(f.us3(), Api::classic);
        REQUIRE(f.run({"--all-profiles", "traffic", "reset-all", "--skip-unreachable", "--confirm",
                       "RESET ALL INBOUNDS ON 2 PANELS", "-o", "json"}) == exit_code::partial);
        f.check_all_sent();
        CHECK(f.state.audit_lines().size() == 2);
        const auto out = lines_of(f.h.out);
        REQUIRE(out.size() == 2);
        const auto plan = parse(out[0]);
        CHECK(std::string(plan["panels"][1]["status"].GetString()) == "skipped");
        const auto result = parse(out[1]);
        CHECK(std::string(result["status"].GetString()) == "partial");
        CHECK(std::string(result["panels"][1]["result"]["status"].GetString()) == "skipped");
        CHECK(std::string(result["panels"][0]["result"]["status"].GetString()) == "ok");
    }
}

TEST_CASE("fleet write: one failing write, the others ok: exit 7, the audit says which",
          "[cmd][fleet][destructive]") {
    WritePanels f;
    expect_de1_ok_us3_refused(f);
    REQUIRE(f.run({"--profile", "de1,us3", "traffic", "reset-all", "--yes"}) == exit_code::partial);
    f.check_all_sent();
    const auto lines = f.state.audit_lines();
    REQUIRE(lines.size() == 2);
    std::map<std::string, std::string> status;
    for (const auto& line : lines) {
        const auto d = parse(line);
        status[d["profile"].GetString()] = d["status"].GetString();
    }
    CHECK(status == std::map<std::string, std::string>{{"de1", "ok"}, {"us3", "failed"}});
    // Its hint checks that panel alone.
    CHECK(f.h.err.find("panel us3:\nxuictl: error: the panel refused the inbound counters reset: "
                       "database is locked (POST /panel/api/inbounds/resetAllTraffics: HTTP "
                       "200)\n"
                       "hint: the panel reported a failure, so it most likely applied nothing; "
                       "check with: xuictl --profile us3 inbound list (snapshot: ") !=
          std::string::npos);
    CHECK(f.h.err.find("1 of 2 panel(s) changed and verified") != std::string::npos);
}

TEST_CASE("fleet write: a client only one panel has is skipped on the others",
          "[cmd][fleet][destructive]") {
    WritePanels f;
    expect_write_read(f, "de1");
    f.nl2().expect("GET", "/panel/api/server/status", 200, status_v3());
    f.nl2().expect("GET", "/panel/api/inbounds/list", 200,
                   ListEdit(list_fixture(Api::v3)).remove_clients({"a1@x.test"}).str());
    f.de1().expect("POST", "/p/panel/api/clients/resetTraffic/a1%40x.test", 200,
                   ok_envelope("null"));
    f.de1().expect("GET", "/p/panel/api/inbounds/list", 200,
                   ListEdit(list_fixture(Api::v3)).zero_clients({"a1@x.test"}).str());
    REQUIRE(f.run({"--profile", "@eu", "traffic", "reset", "a1@x.test", "--confirm",
                   "RESET a1@x.test"}) == 0);
    f.check_all_sent();
    CHECK(posts_to(f.nl2()) == 0);
    CHECK(f.h.err.find("Panel nl2: skipped: not on this panel: ") != std::string::npos);
}

TEST_CASE("fleet write: --once-per is per panel (its key holds the panel)",
          "[cmd][fleet][destructive][once-per]") {
    WritePanels f;
    // First run: de1 only, with --once-per day: done on de1 this day.
    expect_write_read(f, "de1");
    expect_reset_all_write(f.de1(), Api::v3, "/p/");
    REQUIRE(f.run({"--profile", "de1", "traffic", "reset-all", "--yes", "--once-per", "day"}) == 0);
    // Then the fleet: de1 is skipped (already done today).
    // de1's session and capabilities are cached by now: the list only.
    f.de1().expect("GET", "/p/panel/api/inbounds/list", 200, list_fixture(Api::v3));
    SECTION("nl2 down: nothing left to write, yet nl2 was not done: exit 7, not 0") {
        f.nl2().expect("GET", "/panel/api/server/status", 503, "down");
        REQUIRE(f.run({"--profile", "@eu", "traffic", "reset-all", "--yes", "--once-per", "day",
                       "--skip-unreachable", "-o", "json"}) == exit_code::partial);
        f.check_all_sent();
        CHECK(posts_to(f.de1()) == 1);  // the first run's only
        CHECK(f.h.err.find("nothing to do: no panel's plan has targets\n") != std::string::npos);
        const auto out = lines_of(f.h.out);
        REQUIRE(out.size() == 2);
        CHECK(parse(out[1])["exit_code"].GetInt() == exit_code::partial);
        // Every panel left out as unreachable (a fleet of one, named twice):
        // that failure's own code.
        f.nl2().expect("GET", "/panel/api/server/status", 503, "down");
        REQUIRE(f.run({"--profile", "nl2,nl2", "traffic", "reset-all", "--yes",
                       "--skip-unreachable"}) == exit_code::failure);
        f.check_all_sent();
        return;
    }
    // us3 is written.
    expect_write_read(f, "us3");
    expect_reset_all_write(f.us3(), Api::classic);
    REQUIRE(f.run({"--profile", "de1,us3", "traffic", "reset-all", "--yes", "--once-per", "day",
                   "-o", "json"}) == 0);
    f.check_all_sent();
    CHECK(posts_to(f.de1()) == 1);  // the first run's only
    CHECK(posts_to(f.us3()) == 1);
    const auto out = lines_of(f.h.out);
    REQUIRE(out.size() == 2);
    const auto result = parse(out[1]);
    CHECK(std::string(result["panels"][0]["result"]["status"].GetString()) == "skipped");
    CHECK(std::string(result["panels"][1]["result"]["status"].GetString()) == "ok");
    CHECK(f.state.audit_lines().size() == 2);
}

TEST_CASE("fleet: -o prometheus labels every series with its panel, one file for the fleet",
          "[cmd][fleet][monitor]") {
    Panels f;
    f.expect_de1();
    f.nl2().expect("GET", "/panel/api/inbounds/list/slim", 500, "boom");
    f.expect_us3();
    SECTION("stdout: panel_up per panel, the failed one 0 with no other series; exit 7") {
        REQUIRE(f.run({"--all-profiles", "stats", "-o", "prometheus", "--inbound", "1"}) ==
                exit_code::partial);
        f.check_all_sent();
        const auto lines = lines_of(f.h.out);
        REQUIRE(lines.size() > 6);
        CHECK(lines[0] ==
              "# HELP xuictl_panel_up 1 when the panel was read, 0 when it failed (its error is "
              "on stderr).");
        CHECK(lines[1] == "# TYPE xuictl_panel_up gauge");
        CHECK(lines[2] == "xuictl_panel_up{panel=\"de1\"} 1");
        CHECK(lines[3] == "xuictl_panel_up{panel=\"nl2\"} 0");
        CHECK(lines[4] == "xuictl_panel_up{panel=\"us3\"} 1");
        CHECK(lines[7].rfind("xuictl_client_up_bytes{panel=\"de1\",inbound=\"1\",email=\"", 0) ==
              0);
        size_t de1 = 0, us3 = 0, timestamps = 0;
        for (const auto& l : lines) {
            if (l[0] == '#') {
                continue;
            }
            if (l.rfind("xuictl_panel_up", 0) != 0) {
                CHECK(l.find("panel=\"nl2\"") == std::string::npos);
            }
            CHECK(l.find("{panel=\"") != std::string::npos);  // every series has its panel
            de1 += l.find("panel=\"de1\"") != std::string::npos;
            us3 += l.find("panel=\"us3\"") != std::string::npos;
            timestamps += l.rfind("xuictl_stats_timestamp_seconds{panel=", 0) == 0;
        }
        CHECK(de1 == us3);  // the same fixture behind both
        CHECK(timestamps == 2);
        CHECK(f.h.err.find("xuictl: error: panel nl2: ") != std::string::npos);
    }
    SECTION("--textfile: written with the failed panel's 0; --warn's level outranks it") {
        TempDir dir;
        const std::string path = dir.file("fleet.prom");
        REQUIRE(f.run({"--all-profiles", "stats", "--textfile", path, "--warn", "80"}) ==
                exit_code::depleted);
        const std::string text = slurp(path);
        CHECK(text.find("xuictl_panel_up{panel=\"nl2\"} 0\n") != std::string::npos);
        CHECK(text.find("xuictl_client_depleted{panel=\"us3\",inbound=\"") != std::string::npos);
        CHECK(f.h.out.empty());
        CHECK(f.h.err.find("warn >= 80%: 3 panels, 1 failed; highest level depleted; exit 12") !=
              std::string::npos);
    }
}

TEST_CASE("fleet: -o prometheus without a failure exits 0; all failing gives the failure's code",
          "[cmd][fleet][monitor]") {
    Panels f;
    SECTION("both answer") {
        f.expect_de1();
        f.expect_nl2();
        REQUIRE(f.run({"--profile", "@eu", "stats", "-o", "prometheus"}) == 0);
        CHECK(f.h.err.empty());
        CHECK(f.h.out.find("xuictl_panel_up{panel=\"nl2\"} 1\n") != std::string::npos);
    }
    SECTION("both fail") {
        f.de1().expect_login_v3("/p/");
        f.de1().expect("GET", first_view_list_path(Api::v3, "/p/"), 500, "");
        f.nl2().expect("GET", "/panel/api/inbounds/list/slim", 500, "");
        REQUIRE(f.run({"--profile", "@eu", "stats", "-o", "prometheus"}) == exit_code::failure);
        CHECK(
            f.h.out.find("xuictl_panel_up{panel=\"de1\"} 0\nxuictl_panel_up{panel=\"nl2\"} 0\n") !=
            std::string::npos);
        CHECK(f.h.out.find("xuictl_client_") != std::string::npos);  // the families, empty
        CHECK(f.h.out.find("{panel=\"de1\",") == std::string::npos);
    }
    f.check_all_sent();
}

TEST_CASE("fleet: stats --report gives each panel's report and the fleet total",
          "[cmd][fleet][report]") {
    Panels f;
    f.expect_de1();
    f.expect_us3(ListEdit(list_fixture(Api::classic)).remove_clients({"b1@x.test"}).str());
    SECTION("json: each panel's report object with its status, the fleet total") {
        REQUIRE(f.run({"--profile", "de1,us3", "stats", "--report", "-o", "json"}) == 0);
        const auto d = parse(f.h.out);
        REQUIRE(d["panels"].Size() == 2);
        const auto& de1 = d["panels"][0];
        CHECK(std::string(de1["panel"].GetString()) == "de1");
        CHECK(std::string(de1["status"].GetString()) == "ok");
        CHECK(de1["total"]["clients"].GetUint64() == 9);
        CHECK(d["panels"][1]["total"]["clients"].GetUint64() == 8);
        CHECK(d["total"]["clients"].GetUint64() == 17);
        CHECK(d["total"]["used"].GetInt64() ==
              de1["total"]["used"].GetInt64() + d["panels"][1]["total"]["used"].GetInt64());
        CHECK(de1["top"].Size() == 9);
        CHECK(de1["fleet_share"].GetDouble() + d["panels"][1]["fleet_share"].GetDouble() ==
              Approx(100.0));
    }
    SECTION("csv: a PANEL column first, the fleet total row last") {
        REQUIRE(f.run({"--profile", "de1,us3", "stats", "--report", "-o", "csv", "--top", "1",
                       "--bytes"}) == 0);
        std::string text = f.h.out;
        text.erase(std::remove(text.begin(), text.end(), '\r'), text.end());
        // Each panel's own sheet (its shares of its own total), then the fleet's total;
        // CSV is data: plain decimal ratios, an empty cell where there is none.
        CHECK(text ==
              "PANEL,SCOPE,INBOUND,REMARK,EMAIL,CLIENTS,UP,DOWN,USED,QUOTA,USED%,SHARE\n"
              "de1,inbound,1,alpha,,6,4398776320,3209691136,7608467456,0,,10.11\n"
              "de1,inbound,2,東京 tokyo,,2,56908316672,10737418240,67645734912,0,,89.89\n"
              "de1,inbound,3,gamma,,1,0,0,0,0,,0.00\n"
              "de1,total,,,,9,61307092992,13947109376,75254202368,0,,100.00\n"
              "de1,top,2,東京 tokyo,b1@x.test,1,53687091200,10737418240,64424509440,0,,85.61\n"
              "us3,inbound,1,alpha,,6,4398776320,3209691136,7608467456,0,,70.26\n"
              "us3,inbound,2,東京 tokyo,,1,3221225472,0,3221225472,2147483648,150.00,29.74\n"
              "us3,inbound,3,gamma,,1,0,0,0,0,,0.00\n"
              "us3,total,,,,8,7620001792,3209691136,10829692928,0,,100.00\n"
              "us3,top,1,alpha,a1@x.test,1,1073741824,2147483648,3221225472,10737418240,30.00,"
              "29.74\n"
              "(fleet),total,,,,17,68927094784,17156800512,86083895296,0,,100.00\n");
    }
    SECTION("table: per-panel TOTAL rows (their share of the fleet), the fleet row below") {
        REQUIRE(f.run({"--profile", "de1,us3", "stats", "--report", "-o", "table"}) == 0);
        const auto lines = lines_of(f.h.out);
        CHECK(lines[0].rfind("PANEL    INBOUND  REMARK", 0) == 0);
        size_t totals = 0;
        std::string fleet_row;
        for (const auto& l : lines) {
            totals += l.find(" TOTAL ") != std::string::npos;
            if (l.rfind("(fleet)", 0) == 0) {
                fleet_row = l;
            }
        }
        CHECK(totals == 3);
        CHECK(fleet_row.find("TOTAL") != std::string::npos);
        CHECK(fleet_row.find(" 17 ") != std::string::npos);
        CHECK(f.h.out.find("\nTop client(s) per panel:\n") != std::string::npos);
    }
    f.check_all_sent();
}

TEST_CASE("fleet: stats --report with a failed panel shows it in its place, exit 7",
          "[cmd][fleet][report]") {
    Panels f;
    f.expect_de1();
    f.nl2().expect("GET", "/panel/api/inbounds/list/slim", 500, "boom");
    REQUIRE(f.run({"--profile", "@eu", "stats", "--report", "-o", "json"}) == exit_code::partial);
    f.check_all_sent();
    const auto d = parse(f.h.out);
    CHECK(std::string(d["panels"][1]["status"].GetString()) == "failed");
    CHECK_FALSE(d["panels"][1].HasMember("total"));
    CHECK(d["total"]["clients"].GetUint64() == 9);
    CHECK(f.h.err.rfind("xuictl: error: panel nl2: ", 0) == 0);
}

TEST_CASE("fleet: the usage history per panel, keyed by its own identity",
          "[cmd][fleet][history]") {
    Panels f;
    // Collected per panel, or by one fleet collect per hour: the same history.
    const bool fleet_collect = GENERATE(false, true);
    CAPTURE(fleet_collect);
    collect_two_samples(f, fleet_collect);
    // collect cached both sessions: no login now.
    f.de1().expect("GET", first_view_list_path(Api::v3, "/p/"), 200, with_a1(Api::v3, 1500, 0));
    SECTION("--since: each panel's bytes and coverage, the fleet total") {
        f.us3().expect("GET", first_view_list_path(Api::classic), 200,
                       with_a1(Api::classic, 0, 5000));
        REQUIRE(f.run({"--profile", "de1,us3", "stats", "--since", "1d", "--client", "a1@x.test",
                       "-o", "json"}) == 0);
        f.check_all_sent();
        const auto d = parse(f.h.out);
        const auto& de1 = d["panels"][0];
        const auto& us3 = d["panels"][1];
        CHECK(std::string(us3["status"].GetString()) == "ok");
        REQUIRE(de1["clients"].Size() == 1);
        CHECK(de1["clients"][0]["up"].GetInt64() == 500);
        CHECK(de1["clients"][0]["down"].GetInt64() == 0);
        CHECK(us3["clients"][0]["up"].GetInt64() == 0);
        CHECK(us3["clients"][0]["down"].GetInt64() == 2000);
        REQUIRE(de1["window"]["covered"].Size() == 1);
        CHECK(de1["window"]["covered"][0]["from_ms"].GetInt64() == kFixtureNow);
        CHECK(de1["window"]["covered"][0]["to_ms"].GetInt64() == kFixtureNow + kHour);
        CHECK(de1["totals"]["used"].GetInt64() == 500);
        CHECK(us3["totals"]["used"].GetInt64() == 2000);
        CHECK(d["totals"]["used"].GetInt64() == 2500);
        CHECK(d["totals"]["clients"].GetUint64() == 2);
    }
    SECTION("--by day, tsv: a PANEL column, fleet rows per period") {
        f.us3().expect("GET", first_view_list_path(Api::classic), 200,
                       with_a1(Api::classic, 0, 5000));
        REQUIRE(f.run({"--profile", "de1,us3", "stats", "--since", "1d", "--by", "day", "--client",
                       "a1@x.test", "--bytes", "-o", "tsv"}) == 0);
        const auto lines = lines_of(f.h.out);
        CHECK(lines[0] == "PANEL\tPERIOD\tEMAIL\tUP\tDOWN\tUSED\tCOVERED");
        size_t fleet_rows = 0;
        for (const auto& l : lines) {
            // TSV is data: no "-" for the fleet row's coverage (an empty cell).
            if (l.rfind("(fleet)\t", 0) == 0 && l.ends_with("\t(all)\t500\t2000\t2500\t")) {
                ++fleet_rows;  // the day of the second samples: both panels' bytes
            }
        }
        CHECK(fleet_rows == 1);
        CHECK(f.h.out.find("\ta1@x.test\t500\t0\t500\t") != std::string::npos);
        CHECK(f.h.out.find("\ta1@x.test\t0\t2000\t2000\t") != std::string::npos);
    }
    SECTION("a panel that cannot be read: its error in its place, exit 7") {
        f.us3().expect("GET", first_view_list_path(Api::classic), 500, "");
        REQUIRE(f.run({"--profile", "de1,us3", "stats", "--lifetime", "-o", "json"}) ==
                exit_code::partial);
        f.check_all_sent();
        const auto d = parse(f.h.out);
        CHECK(std::string(d["panels"][1]["status"].GetString()) == "failed");
        CHECK(d["panels"][0]["window"]["lifetime"].GetBool());
        CHECK(f.h.err.find("xuictl: error: panel us3: ") != std::string::npos);
    }
}

TEST_CASE("fleet: clients show --history per panel that has the client", "[cmd][fleet][history]") {
    Panels f;
    collect_two_samples(f);
    f.de1().expect("GET", "/p/panel/api/inbounds/list", 200, with_a1(Api::v3, 1500, 0));
    f.us3().expect("GET", "/panel/api/inbounds/list", 200, with_a1(Api::classic, 0, 5000));
    REQUIRE(f.run({"--profile", "de1,us3", "clients", "show", "a1@x.test", "--history", "--since",
                   "1d", "-o", "json"}) == 0);
    const auto d = parse(f.h.out);
    REQUIRE(d["panels"].Size() == 2);
    int64_t used[2] = {0, 0};
    for (rapidjson::SizeType i = 0; i < 2; ++i) {
        for (const auto& p : d["panels"][i]["periods"].GetArray()) {
            used[i] += p["used"].GetInt64();
        }
    }
    CHECK(used[0] == 500);
    CHECK(used[1] == 2000);
    int64_t fleet = 0;
    for (const auto& p : d["periods"].GetArray()) {
        fleet += p["used"].GetInt64();
    }
    CHECK(fleet == 2500);
}

TEST_CASE(
    "fleet: clients show --since gives the client's window bytes per panel, a failed panel "
    "in its place",
    "[cmd][fleet][history]") {
    Panels f;
    collect_two_samples(f);
    f.de1().expect("GET", "/p/panel/api/inbounds/list", 200, with_a1(Api::v3, 1500, 0));
    f.us3().expect("GET", "/panel/api/inbounds/list", 500, "");
    REQUIRE(f.run({"--profile", "de1,us3", "clients", "show", "a1@x.test", "--since", "1d", "-o",
                   "json"}) == exit_code::partial);
    f.check_all_sent();
    const auto d = parse(f.h.out);
    REQUIRE(d["panels"].Size() == 2);
    const auto& de1 = d["panels"][0];
    REQUIRE(de1["clients"].Size() == 1);
    CHECK(std::string(de1["clients"][0]["email"].GetString()) == "a1@x.test");
    CHECK(de1["clients"][0]["up"].GetInt64() == 500);
    CHECK(std::string(d["panels"][1]["status"].GetString()) == "failed");
    CHECK_FALSE(d["panels"][1].HasMember("clients"));
    CHECK(d["totals"]["used"].GetInt64() == 500);
    CHECK(f.h.err.find("xuictl: error: panel us3: ") != std::string::npos);
}

// ---- Ctrl-C during a fleet write -------------------------------------------
// The interrupt is the real one: InterruptGuard's handler catches a SIGINT
// raised on the panel thread at the moment a request leaves (on_send).

namespace {

// Raises SIGINT `times` times (Ctrl-C pressed again) when the `nth` request
// (1-based) matching `method path` is sent.
std::function<void(const HttpRequest&)> sigint_at(std::string method, std::string path, int nth = 1,
                                                  int times = 1) {
    auto seen = std::make_shared<int>(0);
    return [method = std::move(method), path = std::move(path), nth, times,
            seen](const HttpRequest& r) {
        if (r.method == method && url_path(r.url) == path && ++*seen == nth) {
            for (int i = 0; i < times; ++i) {
                std::raise(SIGINT);
            }
        }
    };
}

}  // namespace

TEST_CASE(
    "fleet write: Ctrl-C while the first panel writes — it finishes and is verified, the "
    "others are not started",
    "[cmd][fleet][destructive][interrupt]") {
    WritePanels f;
    for (const char* p : {"de1", "nl2", "us3"}) {
        expect_write_read(f, p);
    }
    // de1 only: its write (SIGINT as it leaves) and the verifying re-read.
    expect_reset_all_write(f.de1(), Api::v3, "/p/");
    // Twice: the second Ctrl-C loses nothing (de1 still verified and recorded).
    f.de1().on_send = sigint_at("POST", "/p/panel/api/inbounds/resetAllTraffics", 1, 2);
    REQUIRE(f.run({"--all-profiles", "--parallel", "1", "traffic", "reset-all", "--yes", "-o",
                   "json"}) == exit_code::not_confirmed);
    f.check_all_sent();  // nl2 and us3: their reads, no write, nothing after
    CHECK(posts_to(f.de1()) == 1);
    CHECK(posts_to(f.nl2()) == 0);
    CHECK(posts_to(f.us3()) == 0);
    // One record: de1's, with its real outcome (verified), in the fleet.
    const auto lines = f.state.audit_lines();
    REQUIRE(lines.size() == 1);
    const auto record = parse(lines[0]);
    CHECK(std::string(record["profile"].GetString()) == "de1");
    CHECK(std::string(record["status"].GetString()) == "ok");
    const auto out = lines_of(f.h.out);
    REQUIRE(out.size() == 2);
    const auto result = parse(out[1]);
    CHECK(std::string(result["status"].GetString()) == "interrupted");
    CHECK(result["exit_code"].GetInt() == exit_code::not_confirmed);
    CHECK(std::string(result["fleet_id"].GetString()) == record["fleet_id"].GetString());
    const auto& panels = result["panels"];
    REQUIRE(panels.Size() == 3);
    CHECK(std::string(panels[0]["result"]["status"].GetString()) == "ok");
    CHECK(std::string(panels[0]["result"]["id"].GetString()) == record["id"].GetString());
    REQUIRE(panels[0]["result"]["verification"]["ok"].IsBool());
    CHECK(panels[0]["result"]["verification"]["ok"].GetBool());
    for (rapidjson::SizeType i = 1; i < 3; ++i) {
        CHECK(std::string(panels[i]["result"]["status"].GetString()) == "not_started");
        CHECK(std::string(panels[i]["result"]["message"].GetString()) ==
              "not started: interrupted by SIGINT; nothing sent to this panel");
    }
    CHECK(f.h.err.find("xuictl: error: interrupted by SIGINT: 2 of 3 panel(s) not done (nl2, "
                       "us3)\nhint: the panels written are verified and in `xuictl audit` (fleet " +
                       std::string(result["fleet_id"].GetString()) +
                       "); the rest: run the command again with --profile nl2,us3\n") !=
          std::string::npos);
    CHECK(f.h.err.find("fleet " + std::string(result["fleet_id"].GetString()) +
                       ": 1 of 3 panel(s) changed and verified") != std::string::npos);
}

TEST_CASE(
    "fleet write: Ctrl-C during a panel's re-read before its record — nothing recorded or "
    "sent anywhere",
    "[cmd][fleet][destructive][interrupt]") {
    WritePanels f;
    expect_write_read(f, "us3");
    expect_write_read(f, "de1");
    // us3 (classic): resetAllClientTraffics acts on whoever matches when it
    // arrives, so the flow reads again first; SIGINT during that read.
    f.us3().expect("GET", "/panel/api/inbounds/list", 200, list_fixture(Api::classic));
    f.us3().on_send = sigint_at("GET", "/panel/api/inbounds/list", 2);
    REQUIRE(f.run({"--profile", "us3,de1", "--parallel", "1", "inbound", "reset", "--all", "--yes",
                   "-o", "json"}) == exit_code::not_confirmed);
    f.check_all_sent();
    CHECK(posts_to(f.us3()) == 0);
    CHECK(posts_to(f.de1()) == 0);
    CHECK(f.state.audit_lines().empty());
    const auto out = lines_of(f.h.out);
    REQUIRE(out.size() == 2);
    const auto result = parse(out[1]);
    CHECK(std::string(result["status"].GetString()) == "interrupted");
    CHECK(std::string(result["panels"][0]["result"]["status"].GetString()) == "not_started");
    CHECK(std::string(result["panels"][1]["result"]["status"].GetString()) == "not_started");
    CHECK(f.h.err.find("0 of 2 panel(s) changed and verified") != std::string::npos);
}

TEST_CASE("fleet write: progress lines for the write phase on a terminal, none in a pipe",
          "[cmd][fleet][destructive]") {
    WritePanels f;
    expect_de1_ok_us3_refused(f);
    const std::vector<std::string> args = {"--profile", "de1,us3",   "--parallel", "1",
                                           "traffic",   "reset-all", "--yes"};
    SECTION("terminal: planned, writing, verified / failed, each line rewritten in place") {
        f.h.terminal.set_tty(true);
        REQUIRE(f.run(args) == exit_code::partial);
        f.check_all_sent();
        const std::string& e = f.h.err;
        // Read phase: both lines, each rewritten (up N, CR, clear, line, down N, CR).
        const auto read = e.find("de1  waiting\nus3  waiting\n");
        REQUIRE(read == 0);
        CHECK(e.find("\x1b[2A\r\x1b[2Kde1  reading\x1b[2B\r") != std::string::npos);
        CHECK(e.find("\x1b[2A\r\x1b[2Kde1  planned\x1b[2B\r") != std::string::npos);
        CHECK(e.find("\x1b[1A\r\x1b[2Kus3  planned\x1b[1B\r") != std::string::npos);
        // Write phase: a block of its own, starting from the plan, in order.
        const auto block = e.find("de1  planned\nus3  planned\n");
        REQUIRE(block != std::string::npos);
        const std::vector<std::string> steps = {
            "\x1b[2A\r\x1b[2Kde1  writing\x1b[2B\r", "\x1b[2A\r\x1b[2Kde1  verified\x1b[2B\r",
            "\x1b[1A\r\x1b[2Kus3  writing\x1b[1B\r", "\x1b[1A\r\x1b[2Kus3  failed\x1b[1B\r"};
        size_t at = block;
        for (const auto& step : steps) {
            INFO(step);
            const auto next = e.find(step, at);
            REQUIRE(next != std::string::npos);
            at = next;
        }
    }
    SECTION("pipe: not one progress byte") {
        REQUIRE(f.run(args) == exit_code::partial);
        f.check_all_sent();
        CHECK(f.h.err.find('\x1b') == std::string::npos);
        for (const char* word : {"waiting", "reading", "planned", "writing", "verified"}) {
            INFO(word);
            CHECK(f.h.err.find(std::string("  ") + word) == std::string::npos);
        }
    }
}

TEST_CASE("fleet: a profile name with an escape sequence is shown escaped in progress lines",
          "[cmd][fleet]") {
    Panels f;
    const auto home = f.h.home.path();
    // A quoted TOML key may hold any character, ESC included.
    write_file(home / ".config" / "xuictl" / "config.toml",
               "[profiles.\"ev\\u001b[2Jil\"]\nurl = \"https://nl2.test/\"\ntoken-file = \"" +
                   (home / "nl2.token").string() +
                   "\"\n"
                   "[profiles.de1]\nurl = \"https://de1.test:2053/p/\"\nusername = \"de1user\"\n"
                   "password-file = \"" +
                   (home / "de1.pass").string() + "\"\n",
               0600);
    f.expect_de1();
    f.expect_nl2();
    f.h.terminal.set_tty(true);
    REQUIRE(f.run({"--all-profiles", "--parallel", "1", "inbound", "list", "-o", "tsv"}) == 0);
    f.check_all_sent();
    // Padded to the escaped name's width (11 columns).
    CHECK(f.h.err.rfind("de1" + std::string(8, ' ') + "  waiting\nev\\x1b[2Jil  waiting\n", 0) ==
          0);
    CHECK(f.h.err.find("\x1b[1A\r\x1b[2Kev\\x1b[2Jil  done\x1b[1B\r") != std::string::npos);
    CHECK(f.h.err.find("\x1b[2J") == std::string::npos);
}

TEST_CASE(
    "fleet write: Ctrl-C between two requests of a panel's write — it stops there, "
    "recorded interrupted with what was done",
    "[cmd][fleet][destructive][interrupt]") {
    WritePanels f;
    // de1 runs v3.1.5: one request per client, so a write can be cut part-way.
    f.de1().expect_login_v3("/p/");
    f.de1().expect("GET", "/p/panel/api/server/status", 200, status_v3("3.1.5"));
    f.de1().expect("GET", "/p/panel/api/inbounds/list", 200, list_fixture(Api::v3));
    expect_write_read(f, "nl2");
    f.de1().expect("POST", "/p/panel/api/clients/resetTraffic/b1%40x.test", 200,
                   ok_envelope("null"));
    f.de1().on_send = sigint_at("POST", "/p/panel/api/clients/resetTraffic/b1%40x.test");
    REQUIRE(f.run({"--profile", "de1,nl2", "--parallel", "1", "inbound", "reset", "2", "--yes",
                   "-o", "json"}) == exit_code::not_confirmed);
    f.check_all_sent();  // b2 never sent, nothing re-read, nothing to nl2
    CHECK(posts_to(f.nl2()) == 0);
    const auto lines = f.state.audit_lines();
    REQUIRE(lines.size() == 1);
    const auto record = parse(lines[0]);
    CHECK(std::string(record["status"].GetString()) == "interrupted");
    REQUIRE(record["done"].Size() == 1);
    CHECK(std::string(record["done"][0].GetString()) == "b1@x.test");
    REQUIRE(record["not_done"].Size() == 1);
    CHECK(std::string(record["not_done"][0].GetString()) == "b2@x.test");
    const auto result = parse(lines_of(f.h.out).at(1));
    CHECK(std::string(result["status"].GetString()) == "interrupted");
    CHECK(std::string(result["panels"][0]["result"]["status"].GetString()) == "interrupted");
    CHECK(std::string(result["panels"][1]["result"]["status"].GetString()) == "not_started");
    CHECK(f.h.err.find("interrupted by SIGINT: 1 of 2 target(s) done, 1 not sent") !=
          std::string::npos);
    CHECK(f.h.err.find("interrupted by SIGINT: 2 of 2 panel(s) not done (de1, nl2)") !=
          std::string::npos);
}

// ---- collect over a fleet -------------------------------------------------

TEST_CASE("fleet collect: one sample per panel, a PANEL column first", "[cmd][fleet][history]") {
    Panels f;
    f.h.clock = FixedClock(kFixtureNow);
    f.expect_de1(with_a1(Api::v3, 1000, 0));
    f.expect_us3(with_a1(Api::classic, 0, 3000));
    REQUIRE(f.run({"--profile", "de1,us3", "collect", "-o", "tsv"}) == 0);
    f.check_all_sent();
    CHECK(f.h.out ==
          "PANEL\tTIME\tCLIENTS\tMOVED\tRESETS\tNEW\tCOMPACTED\n"
          "de1\t2026-01-01T00:00:00Z\t9\t0\t0\t9\t0\n"
          "us3\t2026-01-01T00:00:00Z\t9\t0\t0\t9\t0\n");
    CHECK(f.h.err.empty());

    // An hour on, -o json: each panel's sample and status; sessions cached.
    f.h.clock = FixedClock(kFixtureNow + kHour);
    f.de1().expect("GET", first_view_list_path(Api::v3, "/p/"), 200, with_a1(Api::v3, 1500, 0));
    f.us3().expect("GET", first_view_list_path(Api::classic), 200, with_a1(Api::classic, 0, 5000));
    REQUIRE(f.run({"--profile", "us3,de1", "collect", "-o", "json"}) == 0);
    f.check_all_sent();
    CHECK(f.h.out ==
          "{\"panels\":["
          "{\"panel\":\"us3\",\"status\":\"ok\",\"time_ms\":1767229200000,\"skipped\":false,"
          "\"first\":false,\"clients\":9,\"moved\":1,\"resets\":0,\"new\":0,\"compacted\":0},"
          "{\"panel\":\"de1\",\"status\":\"ok\",\"time_ms\":1767229200000,\"skipped\":false,"
          "\"first\":false,\"clients\":9,\"moved\":1,\"resets\":0,\"new\":0,\"compacted\":0}"
          "]}\n");
}

TEST_CASE("fleet collect: a panel that fails is shown in its place, the others are recorded",
          "[cmd][fleet][history]") {
    Panels f;
    f.expect_de1();
    f.nl2().expect("GET", "/panel/api/inbounds/list/slim", 500, "boom");
    f.expect_us3();

    SECTION("table: its failed row between the others, exit 7") {
        f.h.terminal.set_tty(false);
        REQUIRE(f.run({"--all-profiles", "collect", "-o", "table"}) == exit_code::partial);
        f.check_all_sent();
        const auto lines = lines_of(f.h.out);
        REQUIRE(lines.size() == 4);
        CHECK(lines[0].rfind("PANEL  TIME", 0) == 0);
        CHECK(lines[1].rfind("de1  ", 0) == 0);
        CHECK(lines[2].rfind("nl2    failed: the panel failed the ", 0) == 0);
        CHECK(lines[3].rfind("us3  ", 0) == 0);
        CHECK(f.h.err.rfind("xuictl: error: panel nl2: the panel failed the ", 0) == 0);
        CHECK(f.h.err.find("\nhint: the panel hit an internal error; see its log; retry this "
                           "panel alone with --profile nl2\n") != std::string::npos);
        // The two that answered have their sample: the next collect is no first.
        f.de1().expect("GET", first_view_list_path(Api::v3, "/p/"), 200, list_fixture(Api::v3));
        REQUIRE(f.run({"--profile", "de1", "collect", "-o", "json"}) == 0);
        CHECK(f.h.out.find("\"first\":false") != std::string::npos);
    }
    SECTION("json: its status and error, the hint naming it") {
        REQUIRE(f.run({"--all-profiles", "collect", "-o", "json"}) == exit_code::partial);
        const auto d = parse(f.h.out);
        const auto& nl2 = d["panels"][1];
        CHECK(std::string(nl2["status"].GetString()) == "failed");
        CHECK_FALSE(nl2.HasMember("clients"));
        CHECK(std::string(nl2["error"]["hint"].GetString()) ==
              "the panel hit an internal error; see its log; retry this panel alone with "
              "--profile nl2");
        CHECK(std::string(d["panels"][0]["status"].GetString()) == "ok");
        CHECK(d["panels"][2]["first"].GetBool());
    }
}

TEST_CASE("fleet collect: every panel failing gives the failure's own code",
          "[cmd][fleet][history]") {
    Panels f;
    f.nl2().expect("GET", "/panel/api/inbounds/list/slim", 500, "");
    f.de1().expect_login_v3("/p/");
    f.de1().expect("GET", first_view_list_path(Api::v3, "/p/"), 500, "");
    REQUIRE(f.run({"--profile", "@eu", "collect", "-o", "tsv"}) == exit_code::failure);
    f.check_all_sent();
    CHECK(f.h.out == "PANEL\tTIME\tCLIENTS\tMOVED\tRESETS\tNEW\tCOMPACTED\n");
}

TEST_CASE("fleet collect: a sample another collect got to first is skipped on its panel only",
          "[cmd][fleet][history]") {
    Panels f;
    f.h.clock = FixedClock(kFixtureNow);
    f.expect_de1();
    f.expect_us3();
    REQUIRE(f.run({"--profile", "de1,us3", "collect"}) == 0);
    // de1 alone, two hours on; then the fleet at one hour on (a late run).
    f.h.clock = FixedClock(kFixtureNow + 2 * kHour);
    f.de1().expect("GET", first_view_list_path(Api::v3, "/p/"), 200, list_fixture(Api::v3));
    REQUIRE(f.run({"--profile", "de1", "collect"}) == 0);
    f.h.clock = FixedClock(kFixtureNow + kHour);
    f.de1().expect("GET", first_view_list_path(Api::v3, "/p/"), 200, list_fixture(Api::v3));
    f.us3().expect("GET", first_view_list_path(Api::classic), 200, list_fixture(Api::classic));
    REQUIRE(f.run({"--profile", "de1,us3", "collect", "-o", "json"}) == 0);
    f.check_all_sent();
    const auto d = parse(f.h.out);
    CHECK(d["panels"][0]["skipped"].GetBool());
    CHECK_FALSE(d["panels"][1]["skipped"].GetBool());
    CHECK(f.h.err ==
          "panel de1: skipped: the history already holds a sample of this panel at or after " +
              format_local(kFixtureNow + kHour) + " (another collect ran at the same time)\n");
}

// ---- the hints of a fleet panel's error ----------------------------------

TEST_CASE("fleet: a failed panel's hint says how to retry it alone", "[cmd][fleet]") {
    Panels f;
    f.expect_de1();
    auto refuse_us3 = [&f] {
        f.us3().expect("GET", "/csrf-token", 404, "");
        f.us3().expect("POST", "/getTwoFactorEnable", 200, ok_envelope("false"));
        f.us3().expect("POST", "/login", 200,
                       fail_envelope("Invalid username or password or two-factor code."));
    };
    SECTION("a refused login; from the second the lockout warning, as on one panel") {
        refuse_us3();
        REQUIRE(f.run({"--profile", "de1,us3", "inbound", "list", "-o", "tsv"}) ==
                exit_code::partial);
        f.check_all_sent();
        CHECK(f.h.err ==
              "xuictl: error: panel us3: login failed: the panel rejected the username, password "
              "or 2FA code (POST /login: HTTP 200)\n"
              "hint: check the credentials (and the 2FA code if 2FA is on); xuictl does not "
              "retry, because the panel locks you out after 5 failed logins; retry this panel "
              "alone with --profile us3\n");
        f.de1().expect("GET", first_view_list_path(Api::v3, "/p/"), 200, list_fixture(Api::v3));
        refuse_us3();
        REQUIRE(f.run({"--profile", "de1,us3", "inbound", "list", "-o", "json"}) ==
                exit_code::partial);
        f.check_all_sent();
        const std::string hint =
            "3x-ui blocks a user and address for 15 minutes after 5 failed logins within 5 "
            "minutes, and then refuses even the right password: wait 15 minutes, then check the "
            "credentials once; retry this panel alone with --profile us3";
        CHECK(f.h.err ==
              "xuictl: error: panel us3: login failed: the panel rejected the username, password "
              "or 2FA code; 2 refused logins for us3user at http://127.0.0.1:8080/ in the last 20 "
              "minutes: the panel may have locked us3user out (POST /login: HTTP 200)\n"
              "hint: " +
                  hint + "\n");
        const auto d = parse(f.h.out);
        CHECK(std::string(d["panels"][1]["error"]["hint"].GetString()) == hint);
        CHECK(d["panels"][1]["error"]["exit_code"].GetInt() == exit_code::auth);
    }
    SECTION("a wrong base path: the url of its profile") {
        f.us3().expect("GET", "/csrf-token", 404, "");
        f.us3().expect("POST", "/getTwoFactorEnable", 404, "");
        f.us3().expect("POST", "/login", 404, "");
        REQUIRE(f.run({"--profile", "de1,us3", "inbound", "list", "-o", "tsv"}) ==
                exit_code::partial);
        f.check_all_sent();
        CHECK(f.h.err ==
              "xuictl: error: panel us3: the panel answered 404 Not Found for /login (POST "
              "/login: HTTP 404)\n"
              "hint: check the url of profile us3: a wrong web base path looks exactly like 404; "
              "copy the panel address from the browser, e.g. https://host:2053/secretpath/; "
              "retry this panel alone with --profile us3\n");
    }
    SECTION("a session the panel keeps refusing: log in again on that panel") {
        f.us3().expect_login_classic();
        f.us3().expect("GET", first_view_list_path(Api::classic), 401, "");
        REQUIRE(f.run({"--profile", "de1,us3", "inbound", "list", "-o", "tsv"}) ==
                exit_code::partial);
        f.check_all_sent();
        CHECK(f.h.err.rfind("xuictl: error: panel us3: the panel still treats us as logged out "
                            "for the ",
                            0) == 0);
        CHECK(
            f.h.err.ends_with("\nhint: log in again with `xuictl --profile us3 login`; check "
                              "the panel's session settings\n"));
    }
}
