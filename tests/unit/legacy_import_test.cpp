// The previous release's audit.jsonl and snapshots/*.json, imported once.
#include <catch2/catch.hpp>

#include <fstream>

#include "store/snapshot.hpp"
#include "store/store.hpp"
#include "support/temp_dir.hpp"
#include "support/workflow.hpp"

using namespace xuictl;
using namespace xuictl::test;

TEST_CASE("import: every line and snapshot, losslessly; a torn last line is skipped and reported",
          "[unit][store][import]") {
    StateDir state;
    std::vector<std::string> lines;
    std::vector<std::string> snapshot_files;
    for (int i = 0; i < 3; ++i) {
        Recorded r;
        r.id = "20261101T00000" + std::to_string(i) + "Z-00a" + std::to_string(i);
        r.time_ms = 1'700'000'000'000 + i;
        r.status = i == 1 ? "failed" : "ok";
        r.error = i == 1 ? "HTTP 500" : "";
        append_audit(state, r);
        lines.push_back(r.audit_json());
        snapshot_files.push_back(slurp(write_snapshot(state, r)));
    }
    // A crash mid-append left half a line.
    {
        std::ofstream out(state.audit_path(), std::ios::app);
        out << R"({"id":"20261102T000000Z-dead","time_ms":17)";
    }
    // And a snapshot file that is not one.
    write_file(state.snapshots_dir() / "junk.json", "{not json", 0600);

    ImportReport report;
    auto store = open_store(state.store_location(), &report);
    REQUIRE(store.ok());
    CHECK(report.operations == 3);
    CHECK(report.snapshots == 3);
    REQUIRE(report.skipped.size() == 2);
    CHECK(report.skipped[0].where == state.audit_path().string() + " line 4");
    CHECK(report.skipped[1].where == (state.snapshots_dir() / "junk.json").string());
    CHECK(report.renamed == std::vector<std::string>{state.audit_path().string() + ".imported",
                                                     state.snapshots_dir().string() + ".imported"});
    // The originals are kept, renamed.
    CHECK_FALSE(std::filesystem::exists(state.audit_path()));
    CHECK(std::filesystem::exists(state.audit_path().string() + ".imported"));
    CHECK(std::filesystem::exists(state.snapshots_dir().string() + ".imported/junk.json"));

    auto list = (*store)->operations();
    REQUIRE(list.ok());
    REQUIRE(list->entries.size() == 3);
    for (size_t i = 0; i < 3; ++i) {
        // Field for field what the line held (the line's own key order).
        auto original = audit_from_json(lines[i]);
        REQUIRE(original.ok());
        CHECK(audit_to_json(list->entries[i]) == audit_to_json(*original));
        CHECK(**(*store)->snapshot(list->entries[i].id) == snapshot_files[i]);
    }
    CHECK(list->entries[1].status == "failed");

    // Opened again: nothing left to import.
    ImportReport again;
    auto reopened = open_store(state.store_location(), &again);
    REQUIRE(reopened.ok());
    CHECK(again.operations == 0);
    CHECK(again.renamed.empty());
    CHECK((*reopened)->operations()->entries.size() == 3);
}

TEST_CASE(
    "import: files the old release wrote again later are imported, the earlier originals kept",
    "[unit][store][import]") {
    StateDir state;
    Recorded first;
    first.id = "first";
    append_audit(state, first);
    REQUIRE(open_store(state.store_location()).ok());
    Recorded second;
    second.id = "second";
    append_audit(state, second);
    ImportReport report;
    auto store = open_store(state.store_location(), &report);
    REQUIRE(store.ok());
    CHECK(report.renamed == std::vector<std::string>{state.audit_path().string() + ".imported-2"});
    CHECK(std::filesystem::exists(state.audit_path().string() + ".imported"));
    CHECK((*store)->operations()->entries.size() == 2);
}

TEST_CASE("import: a pending line stays pending; the first outcome of an id is kept",
          "[unit][store][import]") {
    StateDir state;
    Recorded pending;
    pending.id = "pending-op";
    pending.status = "pending";
    append_audit(state, pending);
    // The same id with outcomes (a line completed twice): the first one counts.
    Recorded r;
    r.id = "op";
    r.status = "ok";
    append_audit(state, r);
    r.status = "failed";
    append_audit(state, r);
    auto store = open_store(state.store_location());
    REQUIRE(store.ok());
    auto list = (*store)->operations();
    REQUIRE(list->entries.size() == 2);
    CHECK(list->entries[0].id == "pending-op");
    CHECK(list->entries[0].status == "pending");
    CHECK(list->entries[1].status == "ok");
}
