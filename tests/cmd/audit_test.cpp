// xuictl audit and audit show: read back what destructive commands recorded,
// filter by date and client, without touching the panel.
#include <catch2/catch.hpp>

#include <sstream>

#include "support/harness.hpp"
#include "support/panel_script.hpp"
#include "support/workflow.hpp"

using namespace xuictl::test;

namespace {

constexpr int64_t kDay = 86400000;

// Three recorded operations: Dec 1 (ok), Dec 20 (failed), Jan 1 (ok), 2025/26 UTC.
std::vector<Recorded> history() {
    Recorded a;
    a.id = "20251201T000000Z-aaaa";
    a.time_ms = kFixtureNow - 31 * kDay;
    a.command = "inbound reset 2";
    a.clients = {{2, "b1@x.test", 100, 200}, {2, "b2@x.test", 1000, 0}};
    Recorded b;
    b.id = "20251220T000000Z-bbbb";
    b.time_ms = kFixtureNow - 12 * kDay;
    b.operation = "purge_all";
    b.command = "clients purge-depleted --all";
    b.clients = {{1, "a2@x.test", 1, 1},
                 {1, "a3@x.test", 2, 2},
                 {2, "b2@x.test", 3, 3},
                 {3, "c1@x.test", 4, 4},
                 {3, "c9@x.test", 5, 5}};
    b.status = "failed";
    b.error = "the panel refused the depleted clients purge: Something went wrong";
    b.user = "bob";
    Recorded c;
    c.id = "20260101T000000Z-cccc";
    c.time_ms = kFixtureNow;
    c.operation = "reset_inbound_counters";
    c.command = "traffic reset-all";
    c.inbounds = {{1, "in1", 10, 20}, {2, "in2", 30, 40}};
    return {a, b, c};
}

void record_history(const StateRun& r) {
    for (const auto& rec : history()) {
        append_audit(r.state, rec);
    }
}

std::vector<std::string> ids_in(const std::string& json) {
    const auto doc = parse_json_text(json);
    std::vector<std::string> out;
    for (const auto& e : doc.GetArray()) {
        out.emplace_back(e["id"].GetString());
    }
    return out;
}

}  // namespace

TEST_CASE("audit lists who did what, where, to whom, and the result", "[cmd][audit]") {
    StateRun r;
    record_history(r);
    REQUIRE(r.h.run({"audit", "-o", "tsv", "--bytes"}) == 0);
    CHECK(r.h.transport.requests().empty());
    const auto lines = lines_of(r.h.out);
    REQUIRE(lines.size() == 4);
    CHECK(lines[0] == "ID\tTIME\tUSER\tPANEL\tCOMMAND\tTARGETS\tEMAILS\tBEFORE\tRESULT");
    auto fields = [](const std::string& line) {
        std::vector<std::string> out;
        std::istringstream in(line);
        for (std::string f; std::getline(in, f, '\t');) {
            out.push_back(f);
        }
        return out;
    };
    const auto a = fields(lines[1]);
    REQUIRE(a.size() == 9);
    CHECK(a[0] == "20251201T000000Z-aaaa");
    CHECK(a[2] == "alice@box");
    CHECK(a[3] == kHarnessPanel);
    CHECK(a[4] == "inbound reset 2");
    CHECK(a[5] == "2");
    CHECK(a[6] == "b1@x.test, b2@x.test");
    CHECK(a[7] == "1300");
    CHECK(a[8] == "ok");
    const auto b = fields(lines[2]);
    CHECK(b[2] == "bob@box");
    CHECK(b[5] == "5");
    CHECK(b[6] == "a2@x.test, a3@x.test, b2@x.test +2 more");
    CHECK(b[8] == "failed: the panel refused the depleted clients purge: Something went wrong");
    const auto c = fields(lines[3]);
    CHECK(c[4] == "traffic reset-all");
    CHECK(c[5] == "2");  // two inbounds
    CHECK(c[7] == "100");
}

TEST_CASE("audit -o json carries the before-counters per target", "[cmd][audit]") {
    StateRun r;
    record_history(r);
    REQUIRE(r.h.run({"audit", "-o", "json"}) == 0);
    const auto doc = parse_json_text(r.h.out);
    REQUIRE(doc.Size() == 3);
    const auto& a = doc[0];
    CHECK(std::string(a["time"].GetString()) == "2025-12-01T00:00:00Z");
    CHECK(std::string(a["user"].GetString()) == "alice");
    CHECK(std::string(a["host"].GetString()) == "box");
    CHECK(std::string(a["operation"].GetString()) == "reset_inbound_clients");
    CHECK(a["targets"].GetUint64() == 2);
    CHECK(a["before"]["used"].GetInt64() == 1300);
    CHECK(std::string(a["before"]["clients"][1]["email"].GetString()) == "b2@x.test");
    CHECK(a["before"]["clients"][1]["up"].GetInt64() == 1000);
    CHECK(std::string(doc[1]["status"].GetString()) == "failed");
    CHECK(std::string(doc[1]["error"].GetString()).find("Something went wrong") !=
          std::string::npos);
    CHECK(doc[2]["before"]["inbounds"][1]["down"].GetInt64() == 40);
}

TEST_CASE("audit --since takes a date or ISO 8601; --client picks the entries naming it",
          "[cmd][audit]") {
    const std::vector<std::pair<std::vector<std::string>, std::vector<std::string>>> cases = {
        {{"--since", "2025-12-10"}, {"20251220T000000Z-bbbb", "20260101T000000Z-cccc"}},
        {{"--since", "2025-12-20T00:00:00Z"}, {"20251220T000000Z-bbbb", "20260101T000000Z-cccc"}},
        {{"--since", "2025-12-20T00:00:01Z"}, {"20260101T000000Z-cccc"}},
        {{"--since", "2025-12-20T02:00:00+02:00"},
         {"20251220T000000Z-bbbb", "20260101T000000Z-cccc"}},
        {{"--since", "2026-02-01"}, {}},
        {{"--client", "b2@x.test"}, {"20251201T000000Z-aaaa", "20251220T000000Z-bbbb"}},
        {{"--client", "c9@x.test", "--since", "2025-12-10"}, {"20251220T000000Z-bbbb"}},
        {{"--client", "nobody@x.test"}, {}},
    };
    for (const auto& [args, ids] : cases) {
        StateRun r;
        record_history(r);
        std::vector<std::string> argv = {"audit", "-o", "json"};
        argv.insert(argv.end(), args.begin(), args.end());
        CAPTURE(argv);
        REQUIRE(r.h.run(argv) == 0);
        CHECK(ids_in(r.h.out) == ids);
    }
    for (const char* bad :
         {"yesterday", "2025-13-01", "2025-02-30", "2025-12-01T25:00", "2025-12-01Tx"}) {
        StateRun r;
        CAPTURE(bad);
        CHECK(r.h.run({"audit", "--since", bad}) == 2);
        CHECK(r.h.err.find("is not a date") != std::string::npos);
    }
}

TEST_CASE("audit on an empty log says so; a torn line of an old audit.jsonl is skipped, named",
          "[cmd][audit]") {
    StateRun r;
    r.h.terminal.set_tty(true);
    CHECK(r.h.run({"audit"}) == 0);
    CHECK(r.h.err.find("the audit log is empty") != std::string::npos);
    StateRun j;
    CHECK(j.h.run({"audit", "-o", "json"}) == 0);
    CHECK(j.h.out == "[]\n");
    StateRun bad;
    record_history(bad);
    write_file(bad.state.audit_path(), slurp(bad.state.audit_path()) + R"({"id":"2026)", 0600);
    CHECK(bad.h.run({"audit", "-o", "json"}) == 0);
    CHECK(bad.h.err.find("warning: import: skipped " + bad.state.audit_path().string() +
                         " line 4: ") != std::string::npos);
    CHECK(parse_json_text(bad.h.out).Size() == 3);
    // Reported once: the import is done, the original kept aside.
    bad.h.err.clear();
    CHECK(bad.h.run({"audit", "-o", "json"}) == 0);
    CHECK(bad.h.err.empty());
    CHECK(std::filesystem::exists(bad.state.audit_path().string() + ".imported"));
}

TEST_CASE("audit show prints one entry in full, found by id or unique prefix", "[cmd][audit]") {
    SECTION("table") {
        StateRun r;
        record_history(r);
        REQUIRE(r.h.run({"audit", "show", "20251220", "--bytes"}) == 0);
        CHECK(r.h.transport.requests().empty());
        const auto& o = r.h.out;
        CHECK(o.find("id:         20251220T000000Z-bbbb\n") != std::string::npos);
        CHECK(o.find("user:       bob@box\n") != std::string::npos);
        CHECK(o.find("command:    clients purge-depleted --all\n") != std::string::npos);
        CHECK(o.find("status:     failed\n") != std::string::npos);
        CHECK(o.find("error:      the panel refused") != std::string::npos);
        CHECK(o.find("operation:  purge_all\n") != std::string::npos);
        CHECK(o.find("targets:    5\n") != std::string::npos);
        CHECK(o.find("c9@x.test") != std::string::npos);
    }
    SECTION("json is the recorded line, plan included") {
        StateRun r;
        record_history(r);
        REQUIRE(r.h.run({"audit", "show", "20260101T000000Z-cccc", "-o", "json"}) == 0);
        const auto doc = parse_json_text(r.h.out);
        CHECK(std::string(doc["plan"]["operation"].GetString()) == "reset_inbound_counters");
        CHECK(doc["plan"]["inbounds"][0]["up"].GetInt64() == 10);
        CHECK(std::string(doc["snapshot"].GetString()) == "/snap/20260101T000000Z-cccc.json");
    }
    SECTION("unknown id: 5; ambiguous prefix: 2") {
        StateRun r;
        record_history(r);
        CHECK(r.h.run({"audit", "show", "nope"}) == 5);
        CHECK(r.h.err.find("no audit entry 'nope'") != std::string::npos);
        StateRun a;
        record_history(a);
        CHECK(a.h.run({"audit", "show", "2025"}) == 2);
        CHECK(a.h.err.find("'2025' matches 2 audit entries") != std::string::npos);
    }
}

TEST_CASE("audit reads back what real commands recorded, failures included", "[cmd][audit]") {
    StateRun r;
    expect_read(r.h.transport, Api::v3);
    r.h.transport.expect("POST", "/panel/api/clients/resetTraffic/a1%40x.test", 200,
                         fail_envelope("Something went wrong (record not found)"));
    REQUIRE(r.h.run({"traffic", "reset", "a1@x.test", "--yes"}) == 1);
    REQUIRE(r.h.run({"audit", "-o", "json"}) == 0);
    const auto doc = parse_json_text(r.h.out);
    REQUIRE(doc.Size() == 1);
    CHECK(std::string(doc[0]["command"].GetString()) == "traffic reset 1 a1@x.test");
    CHECK(std::string(doc[0]["status"].GetString()) == "failed");
    CHECK(std::string(doc[0]["error"].GetString()).find("record not found") != std::string::npos);
    CHECK(std::string(doc[0]["panel"].GetString()) == kHarnessPanel);
    CHECK(doc[0]["before"]["clients"][0]["up"].GetInt64() == 1073741824);
    CHECK(doc[0]["emails"][0] == "a1@x.test");
}
