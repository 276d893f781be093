// stats --warn/--crit (levels, exit codes 10/11/12) and -o prometheus /
// --textfile (node_exporter textfile format, atomic write).
#include <catch2/catch.hpp>

#include <filesystem>
#include <regex>
#include <set>
#include <sstream>

#include "support/harness.hpp"
#include "support/list_edit.hpp"
#include "support/panel_script.hpp"
#include "support/workflow.hpp"

using namespace xuictl::test;

namespace {

// The v3 fixture with a1 at 80 % and a6 at 95 % of their quotas. Levels at
// --warn 75 --crit 90: a1 warn, a6 and a5 (over quota, but auto-renew: not
// depleted) crit; a2, b2 (over quota), a3, c1 (expired) depleted; a4, b1 ok.
std::string monitored_list() {
    return ListEdit(list_fixture(Api::v3))
        .set_client_stat("a1@x.test", "up", 6442450944)  // + 2 GiB down = 8 GiB of 10
        .set_client_stat("a6@x.test", "up", 4563402752)  // + 512 MiB down = 95 % of 5 GiB
        .str();
}

void expect_list(Harness& h, const std::string& list) {
    h.transport.expect_login_v3();
    h.transport.expect("GET", first_view_list_path(Api::v3), 200, list);
}

// "LEVEL\tEMAIL" of every data row of a TSV threshold listing.
std::vector<std::string> level_rows(const std::string& tsv) {
    std::vector<std::string> out;
    const auto lines = lines_of(tsv);
    for (size_t i = 1; i < lines.size(); ++i) {
        std::istringstream in(lines[i]);
        std::string level, inbound, email;
        std::getline(in, level, '\t');
        std::getline(in, inbound, '\t');
        std::getline(in, email, '\t');
        out.push_back(level + "\t" + email);
    }
    return out;
}

// Checks the exposition format line by line: each family has one HELP, then
// one TYPE, then only its own samples; sample lines are name{labels} value.
void check_prometheus_format(const std::string& text) {
    static const std::regex help(R"(# HELP ([a-z_]+) \S.*)");
    static const std::regex type(R"(# TYPE ([a-z_]+) (gauge|counter))");
    static const std::regex sample(
        R"(([a-z_]+)(\{[a-z_]+="([^"\\]|\\["\\n])*"(,[a-z_]+="([^"\\]|\\["\\n])*")*\})? -?[0-9]+)");
    REQUIRE(!text.empty());
    CHECK(text.back() == '\n');
    std::string family;
    std::set<std::string> seen;
    bool typed = false;
    for (const auto& line : lines_of(text)) {
        INFO(line);
        std::smatch m;
        if (std::regex_match(line, m, help)) {
            family = m[1];
            CHECK(seen.insert(family).second);
            typed = false;
        } else if (std::regex_match(line, m, type)) {
            CHECK(m[1] == family);
            CHECK_FALSE(typed);
            typed = true;
        } else {
            REQUIRE(std::regex_match(line, m, sample));
            CHECK(m[1] == family);
            CHECK(typed);
        }
    }
}

}  // namespace

TEST_CASE("stats --warn --crit lists each client under its highest level", "[cmd][monitor]") {
    Harness h;
    expect_list(h, monitored_list());
    CHECK(h.run({"stats", "--warn", "75", "--crit", "90", "-o", "tsv", "--bytes"}) == 12);
    CHECK(h.transport.unexpected().empty());
    CHECK(lines_of(h.out).at(0) == "LEVEL\tINBOUND\tEMAIL\tUSED\tQUOTA\tUSED%\tEXPIRES\tENABLED");
    // a5 is out of quota but auto-renews: the panel does not call it
    // depleted (stats' DEPLETED says no), so neither does monitoring: 100 % is crit.
    CHECK(level_rows(h.out) ==
          std::vector<std::string>{"depleted\ta2@x.test", "depleted\ta3@x.test",
                                   "depleted\tb2@x.test", "depleted\tc1@x.test", "crit\ta5@x.test",
                                   "crit\ta6@x.test", "warn\ta1@x.test"});
    CHECK(h.out.find("warn\t1\ta1@x.test\t8589934592\t10737418240\t80.00\t") != std::string::npos);
    CHECK(h.err.find("warn >= 75%, crit >= 90%: 1 warn, 2 crit, 4 depleted; exit 12\n") !=
          std::string::npos);
}

TEST_CASE("depleted means one thing: stats' DEPLETED column is monitoring's depleted level",
          "[cmd][monitor]") {
    Harness table;
    // The plain view shows each client's own cycle: it asks the version first.
    table.transport.expect_login_v3();
    table.transport.expect("GET", "/panel/api/server/status", 200, status_v3());
    table.transport.expect("GET", first_view_list_path(Api::v3), 200, monitored_list());
    REQUIRE(table.run({"stats", "-o", "tsv"}) == 0);
    std::vector<std::string> by_stats;
    for (const auto& line : lines_of(table.out)) {
        std::vector<std::string> f;
        std::istringstream in(line);
        for (std::string cell; std::getline(in, cell, '\t');) {
            f.push_back(cell);
        }
        if (f.size() > 9 && f[9] == "true") {
            by_stats.push_back(f[1]);
        }
    }
    Harness monitor;
    expect_list(monitor, monitored_list());
    REQUIRE(monitor.run({"stats", "--warn", "75", "--crit", "90", "-o", "json"}) == 12);
    const auto doc = parse_json_text(monitor.out);
    std::vector<std::string> by_monitor;
    for (const auto& c : doc["depleted"].GetArray()) {
        by_monitor.emplace_back(c["email"].GetString());
    }
    std::sort(by_stats.begin(), by_stats.end());
    std::sort(by_monitor.begin(), by_monitor.end());
    CHECK(by_stats == std::vector<std::string>{"a2@x.test", "a3@x.test", "b2@x.test", "c1@x.test"});
    CHECK(by_monitor == by_stats);
}

TEST_CASE("threshold exit codes: 0 none, 10 warn, 11 crit, 12 depleted (highest wins)",
          "[cmd][monitor]") {
    struct Case {
        std::vector<std::string> args;
        int code;
        std::vector<std::string> rows;
    };
    const std::vector<Case> cases = {
        {{"--client", "a4@x.test"}, 0, {}},
        {{"--client", "b1@x.test"}, 0, {}},  // unlimited: never warn or crit
        {{"--client", "a1@x.test"}, 10, {"warn\ta1@x.test"}},
        {{"--client", "a6@x.test"}, 11, {"crit\ta6@x.test"}},
        {{"--inbound", "1", "--over", "50"},
         12,
         {"depleted\ta2@x.test", "crit\ta5@x.test", "crit\ta6@x.test", "warn\ta1@x.test"}},
        {{"--inbound", "3"}, 12, {"depleted\tc1@x.test"}},
    };
    for (const auto& c : cases) {
        Harness h;
        expect_list(h, monitored_list());
        std::vector<std::string> args = {"stats", "--warn", "75", "--crit", "90", "-o", "tsv"};
        args.insert(args.end(), c.args.begin(), c.args.end());
        CAPTURE(args);
        CHECK(h.run(args) == c.code);
        CHECK(level_rows(h.out) == c.rows);
    }
    SECTION("only --warn: a6 at 95 % is warn") {
        Harness h;
        expect_list(h, monitored_list());
        CHECK(h.run({"stats", "--warn", "90", "--client", "a6@x.test", "-o", "tsv"}) == 10);
        CHECK(level_rows(h.out) == std::vector<std::string>{"warn\ta6@x.test"});
    }
    SECTION("only --crit: a1 at 80 % is fine") {
        Harness h;
        expect_list(h, monitored_list());
        CHECK(h.run({"stats", "--crit", "85", "--client", "a1@x.test", "-o", "tsv"}) == 0);
    }
}

TEST_CASE("stats --warn -o json groups clients by level", "[cmd][monitor]") {
    Harness h;
    expect_list(h, monitored_list());
    CHECK(h.run({"stats", "--warn", "75", "--crit", "90", "-o", "json"}) == 12);
    const auto doc = parse_json_text(h.out);
    CHECK(doc["thresholds"]["warn"].GetDouble() == 75.0);
    CHECK(doc["thresholds"]["crit"].GetDouble() == 90.0);
    CHECK(std::string(doc["level"].GetString()) == "depleted");
    CHECK(doc["exit_code"].GetInt() == 12);
    CHECK(doc["depleted"].Size() == 4);
    REQUIRE(doc["crit"].Size() == 2);
    CHECK(std::string(doc["crit"][0]["email"].GetString()) == "a5@x.test");  // auto-renews
    CHECK(std::string(doc["crit"][1]["email"].GetString()) == "a6@x.test");
    REQUIRE(doc["warn"].Size() == 1);
    CHECK(doc["warn"][0]["used"].GetInt64() == 8589934592);
}

TEST_CASE("threshold options are checked before any request", "[cmd][monitor]") {
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"stats", "--warn", "90", "--crit", "75"},
             {"stats", "--warn", "101"},
             {"stats", "--warn", "80", "--report"},
             {"stats", "--textfile", "/tmp/x.prom", "-o", "json"},
             {"stats", "--report", "-o", "prometheus"},
             {"stats", "--top", "3"},
             {"inbound", "list", "-o", "prometheus"},
         }) {
        Harness h;
        CAPTURE(args);
        CHECK(h.run(args) == 2);
        CHECK(h.transport.requests().empty());
    }
}

TEST_CASE("-o prometheus writes the textfile format to stdout", "[cmd][monitor]") {
    Harness h;
    expect_list(h, list_fixture(Api::v3));
    REQUIRE(h.run({"stats", "-o", "prometheus"}) == 0);
    check_prometheus_format(h.out);
    for (const char* line : {
             "# HELP xuictl_client_up_bytes Bytes the client sent since its counters were last "
             "reset.\n"
             "# TYPE xuictl_client_up_bytes gauge\n"
             "xuictl_client_up_bytes{inbound=\"1\",email=\"a1@x.test\"} 1073741824\n",
             "xuictl_client_down_bytes{inbound=\"2\",email=\"b1@x.test\"} 10737418240\n",
             "xuictl_client_quota_bytes{inbound=\"2\",email=\"b1@x.test\"} 0\n",
             "xuictl_client_enabled{inbound=\"1\",email=\"a4@x.test\"} 0\n",
             "xuictl_client_depleted{inbound=\"3\",email=\"c1@x.test\"} 1\n",
             "xuictl_inbound_up_bytes{inbound=\"2\",remark=\"東京 tokyo\"} 3000\n",
             "xuictl_inbound_down_bytes{inbound=\"1\",remark=\"alpha\"} 2000\n",
             "xuictl_inbound_clients{inbound=\"1\",remark=\"alpha\"} 6\n",
             "xuictl_inbound_clients_used_bytes{inbound=\"2\",remark=\"東京 tokyo\"} 67645734912\n",
             "xuictl_stats_timestamp_seconds 1767225600\n",
         }) {
        CHECK(h.out.find(line) != std::string::npos);
    }
    // 9 clients x 5 client families + 3 inbounds x 5 inbound families + 1.
    size_t samples = 0;
    for (const auto& l : lines_of(h.out)) {
        samples += l.rfind('#', 0) == 0 ? 0u : 1u;
    }
    CHECK(samples == 9 * 5 + 3 * 5 + 1);
}

TEST_CASE("prometheus label values are escaped", "[cmd][monitor]") {
    std::string list = list_fixture(Api::v3);
    const std::string remark = "\"remark\": \"東京 tokyo\"";
    const auto at = list.find(remark);
    REQUIRE(at != std::string::npos);
    list.replace(at, remark.size(), R"("remark": "a \"quoted\" back\\slash\nline")");
    Harness h;
    expect_list(h, list);
    REQUIRE(h.run({"stats", "-o", "prometheus", "--inbound", "2"}) == 0);
    check_prometheus_format(h.out);
    CHECK(
        h.out.find(
            R"(xuictl_inbound_up_bytes{inbound="2",remark="a \"quoted\" back\\slash\nline"} 3000)") !=
        std::string::npos);
}

TEST_CASE("--textfile writes the metrics atomically, mode 0644, with the threshold exit code",
          "[cmd][monitor]") {
    TempDir dir;
    const std::string path = dir.file("xuictl.prom");
    Harness stdout_run;
    expect_list(stdout_run, monitored_list());
    REQUIRE(stdout_run.run({"stats", "-o", "prometheus"}) == 0);

    Harness h;
    expect_list(h, monitored_list());
    CHECK(h.run({"stats", "--textfile", path, "--warn", "75", "--crit", "90"}) == 12);
    CHECK(h.out.empty());
    CHECK(slurp(path) == stdout_run.out);
    CHECK(mode_of(path) == 0644);
    CHECK(h.err.find("1 warn, 2 crit, 4 depleted; exit 12") != std::string::npos);
    // Only the final file: the temporary was renamed over it.
    size_t files = 0;
    for (const auto& e : std::filesystem::directory_iterator(dir.path())) {
        CHECK(e.path().filename() == "xuictl.prom");
        ++files;
    }
    CHECK(files == 1);

    SECTION("all well: quiet, exit 0") {
        Harness ok;
        expect_list(ok, monitored_list());
        CHECK(ok.run({"stats", "--textfile", path, "--warn", "75", "--client", "a4@x.test"}) == 0);
        CHECK(ok.err.find("exit") == std::string::npos);  // no summary when all is well
        CHECK(slurp(path).find("a1@x.test") == std::string::npos);
    }
    SECTION("a path that is not .prom gets a warning") {
        Harness w;
        expect_list(w, monitored_list());
        CHECK(w.run({"stats", "--textfile", dir.file("metrics.txt")}) == 0);
        CHECK(w.err.find("only reads files ending in .prom") != std::string::npos);
    }
    SECTION("an unwritable directory is an error") {
        Harness w;
        expect_list(w, monitored_list());
        CHECK(w.run({"stats", "--textfile", dir.file("missing/x.prom")}) ==
              1);  // a local failure, not a usage error
        CHECK(w.err.find("cannot create") != std::string::npos);
    }
}
