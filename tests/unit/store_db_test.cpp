// lib/store: the SQLite Store (records, outcomes, snapshots, --once-per key,
// prune) and the import of the previous release's files.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "store/migrations.hpp"
#include "store/snapshot.hpp"
#include "store/sqlite.hpp"
#include "store/store.hpp"
#include "support/temp_dir.hpp"

using namespace xuictl;
using namespace xuictl::test;

namespace {

std::unique_ptr<Store> open_in(const StateDir& dir, ImportReport* report = nullptr) {
    auto store = open_store(dir.store_location(), report);
    REQUIRE(store.ok());
    return std::move(store.value());
}

AuditEntry entry(const std::string& id, int64_t time_ms,
                 const std::string& command = "inbound reset 2") {
    AuditEntry e;
    e.id = id;
    e.time_ms = time_ms;
    e.user = "ops";
    e.host = "box";
    e.panel = "https://panel.example:2053/";
    e.command = command;
    e.snapshot = id;
    e.plan_json =
        R"({"operation":"reset_inbound_clients","command":")" + command +
        R"(","phrase":"reset 1 client","api":"classic","clients":[{"inbound_id":2,"email":"a@x","up":5,"down":7,"quota":0}]})";
    return e;
}

// One value of a query against the database file, with a second connection.
int64_t scalar(const StateDir& dir, const std::string& sql) {
    auto db = SqliteDb::open(dir.file("xuictl/xuictl.db"), 200);
    REQUIRE(db.ok());
    auto st = SqliteStatement::prepare(*db, sql);
    REQUIRE(st.ok());
    auto row = st->step();
    REQUIRE(row.ok());
    REQUIRE(*row);
    return st->int64(0);
}

}  // namespace

TEST_CASE("Store: a new database is 0600 in a 0700 dir, WAL, at the latest schema",
          "[unit][store]") {
    StateDir dir;
    auto store = open_in(dir);
    CHECK(store->location() == dir.file("xuictl/xuictl.db"));
    CHECK(mode_of(dir.file("xuictl")) == 0700);
    CHECK(mode_of(dir.file("xuictl/xuictl.db")) == 0600);
    CHECK(scalar(dir, "PRAGMA user_version") == latest_schema_version());
    CHECK(scalar(dir, "PRAGMA auto_vacuum") == 2);  // incremental
    auto db = SqliteDb::open(dir.file("xuictl/xuictl.db"), 200);
    REQUIRE(db.ok());
    auto st = SqliteStatement::prepare(*db, "PRAGMA journal_mode");
    REQUIRE(st.ok());
    REQUIRE(*st->step());
    CHECK(st->text(0) == "wal");
}

TEST_CASE("Store: opening an existing database writes nothing to it", "[unit][store]") {
    // Every xuictl run that reads (stats --since, audit) opens the file; an
    // open that wrote page 1 would cost a transaction and its fsyncs.
    StateDir dir;
    open_in(dir);
    // PRAGMA data_version of one connection changes when another commits.
    auto watcher = SqliteDb::open(dir.file("xuictl/xuictl.db"), 200);
    REQUIRE(watcher.ok());
    const auto data_version = [&watcher] {
        auto st = SqliteStatement::prepare(*watcher, "PRAGMA data_version");
        REQUIRE(st.ok());
        REQUIRE(*st->step());
        return st->int64(0);
    };
    const int64_t before = data_version();
    for (int i = 0; i < 2; ++i) {
        auto db = SqliteDb::open(dir.file("xuictl/xuictl.db"), 200);
        REQUIRE(db.ok());
        CHECK(*db->user_version() == latest_schema_version());
    }
    CHECK(data_version() == before);
    CHECK(scalar(dir, "PRAGMA auto_vacuum") == 2);  // still incremental
}

TEST_CASE("Store: begin records pending, finish adds the outcome; the plan is stored once",
          "[unit][store]") {
    StateDir dir;
    auto store = open_in(dir);
    AuditEntry e = entry("20261125T021836Z-1a2b", 1000);
    e.fleet_id = "F20261125T021836Z-3c4d";
    const std::string body = snapshot_to_json(e);
    auto begun = store->begin_operation(e, body, std::nullopt);
    REQUIRE(begun.ok());
    CHECK(begun->recorded);

    auto list = store->operations();
    REQUIRE(list.ok());
    REQUIRE(list->entries.size() == 1);
    CHECK(list->entries[0].status == "pending");
    CHECK(list->entries[0].fleet_id == "F20261125T021836Z-3c4d");
    CHECK(audit_to_json(list->entries[0]) == audit_to_json(e));

    // The snapshot reads back byte for byte, though its plan is kept once.
    auto snap = store->snapshot(e.id);
    REQUIRE(snap.ok());
    REQUIRE(snap->has_value());
    CHECK(**snap == body);
    CHECK(scalar(dir, "SELECT count(*) FROM snapshots WHERE instr(body, '\"plan\"') = 0") == 1);
    CHECK(scalar(dir, "SELECT count(*) FROM snapshots WHERE plan_offset IS NOT NULL") == 1);

    e.status = "partial";
    e.error = "1 of 2 done";
    e.done = {"a@x"};
    e.not_done = {"b@x"};
    e.mismatches = {"m"};
    e.finished_ms = 2000;
    REQUIRE(store->finish_operation(e).ok());
    list = store->operations();
    REQUIRE(list.ok());
    REQUIRE(list->entries.size() == 1);
    CHECK(audit_to_json(list->entries[0]) == audit_to_json(e));
    CHECK(list->skipped.empty());

    auto none = store->snapshot("nope");
    REQUIRE(none.ok());
    CHECK_FALSE(none->has_value());
}

TEST_CASE("Store: replace_snapshot grows one recorded snapshot, its plan still stored once",
          "[unit][store]") {
    StateDir dir;
    auto store = open_in(dir);
    AuditEntry e = entry("20261125T021836Z-1a2b", 1000, "clients purge-depleted 2");
    AuditEntry other = entry("20261125T021900Z-3c4d", 2000);
    REQUIRE(store->begin_operation(e, snapshot_to_json(e), std::nullopt).ok());
    REQUIRE(store->begin_operation(other, snapshot_to_json(other), std::nullopt).ok());

    // What the write deleted beyond its plan, learnt after it.
    DeletedRecords deleted;
    deleted.clients.push_back({2, "b@x", R"({"email":"b@x","id":"u-1"})", "{}", true, 1, 2});
    const std::string grown = snapshot_to_json(e, deleted);
    REQUIRE(store->replace_snapshot(e, grown).ok());

    auto snap = store->snapshot(e.id);
    REQUIRE(snap.ok());
    REQUIRE(snap->has_value());
    CHECK(**snap == grown);
    auto parsed = snapshot_from_json(**snap, "test");
    REQUIRE(parsed.ok());
    REQUIRE(parsed->deleted.clients.size() == 1);
    CHECK(parsed->deleted.clients[0].email == "b@x");
    CHECK(scalar(dir, "SELECT count(*) FROM snapshots WHERE instr(body, '\"plan\"') = 0") == 2);
    // The other operation's snapshot is left as it was.
    auto kept = store->snapshot(other.id);
    REQUIRE(kept.ok());
    REQUIRE(kept->has_value());
    CHECK(**kept == snapshot_to_json(other));
}

TEST_CASE("Store: a snapshot body whose plan differs keeps its own", "[unit][store]") {
    StateDir dir;
    auto store = open_in(dir);
    AuditEntry e = entry("id-1", 1000);
    const std::string body = R"({"id":"id-1","plan":{"other":true},"clients":[{"email":"a@x"}]})";
    REQUIRE(store->begin_operation(e, body, std::nullopt).ok());
    auto snap = store->snapshot("id-1");
    REQUIRE(snap.ok());
    CHECK(**snap == body + "\n");
}

TEST_CASE(
    "Store: --once-per key: ok holds the cycle, failure releases it, a live pending run holds it",
    "[unit][store][once-per]") {
    StateDir dir;
    auto store = open_in(dir);
    const OncePerKey month{"month", 500};
    AuditEntry first = entry("op-1", 1000);
    auto a = store->begin_operation(first, "", month);
    REQUIRE(a.ok());
    CHECK(a->recorded);

    // Still pending, and its process (this one) runs: a second run skips.
    auto b = store->begin_operation(entry("op-2", 1100), "", month);
    REQUIRE(b.ok());
    CHECK_FALSE(b->recorded);
    REQUIRE(b->holder);
    CHECK(b->holder->id == "op-1");
    CHECK(b->holder->status == "pending");
    CHECK(scalar(dir, "SELECT count(*) FROM operations") == 1);

    // Failed: the cycle is free again.
    first.status = "failed";
    REQUIRE(store->finish_operation(first).ok());
    AuditEntry third = entry("op-3", 1200);
    auto c = store->begin_operation(third, "", month);
    REQUIRE(c.ok());
    CHECK(c->recorded);
    third.status = "ok";
    REQUIRE(store->finish_operation(third).ok());

    auto d = store->begin_operation(entry("op-4", 1300), "", month);
    REQUIRE(d.ok());
    CHECK_FALSE(d->recorded);
    REQUIRE(d->holder);
    CHECK(d->holder->id == "op-3");
    CHECK(d->holder->status == "ok");

    // The next cycle, another command, or no --once-per: recorded.
    CHECK(store->begin_operation(entry("op-5", 1400), "", OncePerKey{"month", 1350})->recorded);
    CHECK(store->begin_operation(entry("op-6", 1400, "inbound reset 3"), "", month)->recorded);
    CHECK(store->begin_operation(entry("op-7", 1400), "", std::nullopt)->recorded);

    auto last = store->last_ok("https://panel.example:2053/", "inbound reset 2", 500);
    REQUIRE(last.ok());
    REQUIRE(last->has_value());
    CHECK((*last)->id == "op-3");
    CHECK_FALSE(
        store->last_ok("https://panel.example:2053/", "inbound reset 2", 1201)->has_value());
}

TEST_CASE("Store: a pending key whose process is gone is taken over", "[unit][store][once-per]") {
    StateDir dir;
    auto store = open_in(dir);
    const OncePerKey day{"day", 0};
    REQUIRE(store->begin_operation(entry("op-1", 1000), "", day)->recorded);
    // A pid no process has (pid_max is at most 2^22).
    {
        auto db = SqliteDb::open(dir.file("xuictl/xuictl.db"), 200);
        REQUIRE(db.ok());
        REQUIRE(db->exec("UPDATE operations SET pid = 99999999 WHERE id = 'op-1'").ok());
    }
    auto again = store->begin_operation(entry("op-2", 1100), "", day);
    REQUIRE(again.ok());
    CHECK(again->recorded);
    CHECK(scalar(dir, "SELECT count(*) FROM once_per WHERE operation_id = 'op-2'") == 1);

    // Another host's pending run is never judged from here.
    REQUIRE(store->begin_operation(entry("op-3", 1000, "inbound reset 9"), "", day)->recorded);
    {
        auto db = SqliteDb::open(dir.file("xuictl/xuictl.db"), 200);
        REQUIRE(db.ok());
        REQUIRE(db->exec("UPDATE operations SET pid = 99999999, host = 'other' WHERE id = 'op-3'")
                    .ok());
    }
    CHECK_FALSE(store->begin_operation(entry("op-4", 1100, "inbound reset 9"), "", day)->recorded);
}

TEST_CASE("Store: a write lock held past the busy timeout is a storage error naming the file",
          "[unit][store]") {
    StateDir dir;
    auto store = open_in(dir);
    auto other = SqliteDb::open(dir.file("xuictl/xuictl.db"), 200);
    REQUIRE(other.ok());
    auto held = SqliteTransaction::begin(*other);
    REQUIRE(held.ok());
    auto r = store->begin_operation(entry("op-1", 1000), "", std::nullopt);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().kind == ErrorKind::storage);
    CHECK(r.error().message.find(dir.file("xuictl/xuictl.db") + ": ") == 0);
    CHECK(r.error().message.find("locked") != std::string::npos);
    CHECK(r.error().hint.find("another xuictl") != std::string::npos);
}

TEST_CASE("Store: a file that is not a database is a storage error naming it", "[unit][store]") {
    StateDir dir;
    std::filesystem::create_directories(dir.path() / "xuictl");
    write_file(dir.path() / "xuictl" / "xuictl.db", std::string(8192, 'x'), 0600);
    auto store = open_store(dir.store_location());
    REQUIRE_FALSE(store.ok());
    CHECK(store.error().kind == ErrorKind::storage);
    CHECK(store.error().message.find(dir.file("xuictl/xuictl.db") + ": ") == 0);
    CHECK(store.error().hint.find("damaged") != std::string::npos);
}

TEST_CASE("Store: prune removes old records, their outcomes, keys and snapshots", "[unit][store]") {
    StateDir dir;
    auto store = open_in(dir);
    for (int i = 1; i <= 4; ++i) {
        AuditEntry e = entry("op-" + std::to_string(i), i * 1000);
        REQUIRE(
            store->begin_operation(e, snapshot_to_json(e), OncePerKey{"day", i * 1000})->recorded);
        e.status = "ok";
        REQUIRE(store->finish_operation(e).ok());
    }
    auto counted = store->count_prunable(3000);
    REQUIRE(counted.ok());
    CHECK(counted->operations == 2);
    CHECK(counted->snapshots == 2);
    CHECK(scalar(dir, "SELECT count(*) FROM operations") == 4);
    auto pruned = store->prune(3000);
    REQUIRE(pruned.ok());
    CHECK(pruned->operations == 2);
    CHECK(pruned->snapshots == 2);
    auto list = store->operations();
    REQUIRE(list->entries.size() == 2);
    CHECK(list->entries[0].id == "op-3");
    CHECK(scalar(dir, "SELECT count(*) FROM outcomes") == 2);
    CHECK(scalar(dir, "SELECT count(*) FROM once_per") == 2);
    CHECK(scalar(dir, "SELECT count(*) FROM snapshots") == 2);
    CHECK_FALSE(store->snapshot("op-1")->has_value());
    CHECK(store->snapshot("op-3")->has_value());
    // Pages freed by prune can go back to the file system (bench/run shows
    // the file shrinking).
    CHECK(scalar(dir, "PRAGMA auto_vacuum") == 2);
}

TEST_CASE("Store: a reader shows an outcome it cannot fully read, and reports it",
          "[unit][store]") {
    StateDir dir;
    auto store = open_in(dir);
    REQUIRE(store->begin_operation(entry("op-1", 1000), "", std::nullopt)->recorded);
    {
        auto db = SqliteDb::open(dir.file("xuictl/xuictl.db"), 200);
        REQUIRE(db.ok());
        REQUIRE(db->exec("INSERT INTO outcomes (operation_id, status, done) VALUES ('op-1', "
                         "'rolled_back', '{\"new\":1}')")
                    .ok());
    }
    auto list = store->operations();
    REQUIRE(list.ok());
    REQUIRE(list->entries.size() == 1);
    CHECK(list->entries[0].status == "rolled_back");
    REQUIRE(list->skipped.size() == 1);
    CHECK(list->skipped[0].where == "operation op-1");
}

// A fresh database opened by several xuictl at once (a fleet's panels, each
// on its own thread; cron and a person on a first run): every open succeeds.
// Switching a new file to WAL needs a lock that SQLite does not wait for.
TEST_CASE("store: a new database opened by many at once opens for every one",
          "[unit][store]") {
    for (int round = 0; round < 20; ++round) {
        StateDir dir;
        std::atomic<int> failed{0};
        std::vector<std::thread> threads;
        for (int i = 0; i < 6; ++i) {
            threads.emplace_back([&] {
                auto store = open_store(dir.store_location());
                if (!store.ok()) {
                    ++failed;
                }
            });
        }
        for (auto& t : threads) {
            t.join();
        }
        INFO("round " << round);
        REQUIRE(failed == 0);
    }
}

TEST_CASE("store: one process's write transactions take turns instead of timing out",
          "[unit][store]") {
    // A fleet's panels record on their own threads and connections at once.
    // Each transaction here holds the write lock far longer than the busy
    // timeout (1 ms): without the in-process turn, the others fail "locked".
    TempDir dir;
    const std::string path = dir.file("turns.db");
    {
        auto db = SqliteDb::open(path, 1000);
        REQUIRE(db.ok());
        REQUIRE(db->exec("CREATE TABLE t (thread INTEGER)").ok());
    }
    std::atomic<int> failed{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 6; ++i) {
        threads.emplace_back([&, i] {
            auto db = SqliteDb::open(path, 1);
            if (!db.ok()) {
                ++failed;
                return;
            }
            auto tx = SqliteTransaction::begin(*db);
            if (!tx.ok()) {
                ++failed;
                return;
            }
            auto st = SqliteStatement::prepare(*db, "INSERT INTO t (thread) VALUES (?1)");
            if (!st.ok() || !st->bind(1, int64_t{i}).run().ok()) {
                ++failed;
                return;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
            if (!tx->commit().ok()) {
                ++failed;
            }
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    CHECK(failed == 0);
    auto db = SqliteDb::open(path, 1000);
    REQUIRE(db.ok());
    auto count = SqliteStatement::prepare(*db, "SELECT count(*) FROM t");
    REQUIRE(count.ok());
    REQUIRE(*count->step());
    CHECK(count->int64(0) == 6);
}
