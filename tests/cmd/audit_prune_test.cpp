// xuictl audit prune --before DATE: removes old records and their snapshots
// from the local store, after a typed confirmation or --yes; never without.
#include <catch2/catch.hpp>

#include "support/harness.hpp"
#include "support/panel_script.hpp"
#include "support/workflow.hpp"

using namespace xuictl::test;

namespace {

constexpr int64_t kDay = 86400000;

// Three records (Dec 1, Dec 20, Jan 1 UTC), each with a snapshot, imported
// from the previous release's files.
void record_three(const StateRun& r) {
    for (int64_t days : {31, 12, 0}) {
        Recorded rec;
        rec.id = "rec-" + std::to_string(days);
        rec.time_ms = kFixtureNow - days * kDay;
        rec.clients = {{2, "b1@x.test", 1, 2}};
        append_audit(r.state, rec);
        write_snapshot(r.state, rec);
    }
}

std::vector<std::string> ids(const StateRun& r) {
    std::vector<std::string> out;
    for (const auto& line : r.state.audit_lines()) {
        out.push_back(parse_json_text(line)["id"].GetString());
    }
    return out;
}

const std::vector<std::string> kAll = {"rec-31", "rec-12", "rec-0"};

}  // namespace

TEST_CASE("audit prune refuses without a terminal and without --yes (exit 3), removing nothing",
          "[cmd][audit][prune]") {
    TzGuard tz("UTC0");
    StateRun r;
    record_three(r);
    CHECK(r.h.run({"audit", "prune", "--before", "2025-12-25"}) == 3);
    CHECK(r.h.err.find("Plan: remove 2 audit record(s) and 2 snapshot(s) recorded before "
                       "2025-12-25 00:00:00 from " +
                       r.state.db_path().string()) != std::string::npos);
    CHECK(r.h.err.find("xuictl: error: refusing to remove audit records without confirmation: "
                       "no terminal") != std::string::npos);
    CHECK(r.h.err.find("add --yes") != std::string::npos);
    CHECK(ids(r) == kAll);
    CHECK(r.state.snapshots().size() == 3);
    CHECK(r.h.transport.requests().empty());
}

TEST_CASE("audit prune on a terminal asks for \"prune N\"; anything else aborts",
          "[cmd][audit][prune]") {
    TzGuard tz("UTC0");
    SECTION("wrong answer") {
        StateRun r;
        record_three(r);
        r.h.terminal.set_tty(true);
        r.h.terminal.answers.push_back(std::string("yes"));
        CHECK(r.h.run({"audit", "prune", "--before", "2025-12-25"}) == 3);
        CHECK(r.h.terminal.prompts.at(0) == "Type \"prune 2\" to confirm (anything else aborts): ");
        CHECK(r.h.err.find("aborted, nothing removed") != std::string::npos);
        CHECK(ids(r) == kAll);
    }
    SECTION("the phrase") {
        StateRun r;
        record_three(r);
        r.h.terminal.set_tty(true);
        r.h.terminal.answers.push_back(std::string("prune 2"));
        CHECK(r.h.run({"audit", "prune", "--before", "2025-12-25"}) == 0);
        CHECK(
            r.h.err.find("pruned 2 audit record(s) and 2 snapshot(s) recorded before 2025-12-25") !=
            std::string::npos);
        CHECK(ids(r) == std::vector<std::string>{"rec-0"});
        CHECK(r.state.snapshots() == std::vector<std::string>{"rec-0"});
    }
}

TEST_CASE("audit prune --yes removes exactly what was recorded before DATE",
          "[cmd][audit][prune]") {
    TzGuard tz("UTC0");
    StateRun r;
    record_three(r);
    // Dec 20 00:00 is not before Dec 20 00:00: only Dec 1 goes.
    CHECK(r.h.run({"audit", "prune", "--before", "2025-12-20", "--yes", "-o", "json"}) == 0);
    CHECK(r.h.out == "{\"operations\":1,\"snapshots\":1,\"pruned\":true}\n");
    CHECK(ids(r) == std::vector<std::string>{"rec-12", "rec-0"});
    CHECK(r.state.snapshots() == std::vector<std::string>{"rec-0", "rec-12"});
    CHECK(r.h.terminal.prompts.empty());
}

TEST_CASE("audit prune with nothing that old says so and asks nothing", "[cmd][audit][prune]") {
    TzGuard tz("UTC0");
    SECTION("records, all newer") {
        StateRun r;
        record_three(r);
        r.h.terminal.set_tty(true);
        CHECK(r.h.run({"audit", "prune", "--before", "2025-11-01"}) == 0);
        CHECK(r.h.err.find("nothing to prune: no audit record before 2025-11-01 00:00:00") !=
              std::string::npos);
        CHECK(r.h.terminal.prompts.empty());
        CHECK(ids(r) == kAll);
    }
    SECTION("no database: none is created") {
        StateRun r;
        CHECK(r.h.run({"audit", "prune", "--before", "2025-11-01", "-o", "json"}) == 0);
        CHECK(r.h.out == "{\"operations\":0,\"snapshots\":0,\"pruned\":false}\n");
        CHECK_FALSE(std::filesystem::exists(r.state.db_path()));
    }
}

TEST_CASE("audit prune: --before is required and must be a date (exit 2)", "[cmd][audit][prune]") {
    StateRun r;
    CHECK(r.h.run({"audit", "prune"}) == 2);
    CHECK(r.h.run({"audit", "prune", "--before", "last week"}) == 2);
    CHECK(r.h.err.find("is not a date") != std::string::npos);
}
