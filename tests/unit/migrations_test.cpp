// lib/store/migrations: every earlier schema version (0 = no database)
// migrates to the latest, keeping its records. A new migration step adds
// its version's data check below.
#include <catch2/catch.hpp>

#include "store/migrations.hpp"
#include "store/sqlite.hpp"
#include "store/store.hpp"
#include "store/usage_history.hpp"
#include "support/temp_dir.hpp"

using namespace xuictl;
using namespace xuictl::test;

namespace {

// A database at schema `version` with one record of what that version holds.
void make_database_at(const StateDir& dir, int version) {
    std::filesystem::create_directories(dir.path() / "xuictl");
    auto db = SqliteDb::open(dir.file("xuictl/xuictl.db"), 200);
    REQUIRE(db.ok());
    REQUIRE(migrate(*db, all_migrations().first(static_cast<size_t>(version))).ok());
    REQUIRE(*db->user_version() == version);
    if (version >= 1) {
        REQUIRE(db->exec("INSERT INTO operations (id, time_ms, panel, command, plan) VALUES "
                         "('v1-op', 5, 'https://p/', 'inbound reset 2', '{\"operation\":\"x\"}');"
                         "INSERT INTO outcomes (operation_id, status) VALUES ('v1-op', 'ok');"
                         "INSERT INTO snapshots (id, body) VALUES ('v1-op', '{\"id\":\"v1-op\"}');")
                    .ok());
    }
    if (version >= 2) {
        // Two samples of one client: 100/200 when first seen, then +30/+40
        // and +5/+6.
        REQUIRE(db->exec("INSERT INTO usage_panels (id, identity) VALUES (1, 'https://p/ admin');"
                         "INSERT INTO usage_samples (panel_id, end_ms, start_ms) VALUES (1, 10, 5);"
                         "INSERT INTO usage_samples (panel_id, end_ms, start_ms) VALUES "
                         "(1, 15, 10);"
                         "INSERT INTO usage_clients (id, panel_id, email, first_ms, first_up, "
                         "first_down, last_ms, last_up, last_down, cycle_start_ms) VALUES "
                         "(1, 1, 'v2@x', 5, 100, 200, 15, 135, 246, 5);")
                    .ok());
        // Version 4 keeps running totals beside each delta and per client.
        REQUIRE(db->exec(version >= 4
                             ? "INSERT INTO usage_deltas (client_id, end_ms, up, down, cum_up, "
                               "cum_down) VALUES (1, 10, 30, 40, 30, 40), (1, 15, 5, 6, 35, 46);"
                               "UPDATE usage_clients SET moved_up = 35, moved_down = 46;"
                             : "INSERT INTO usage_deltas (client_id, end_ms, up, down) VALUES "
                               "(1, 10, 30, 40), (1, 15, 5, 6);")
                    .ok());
    }
    if (version >= 3) {
        REQUIRE(db->exec("UPDATE operations SET profile = 'prod' WHERE id = 'v1-op';").ok());
    }
}

}  // namespace

TEST_CASE("migrations: versions are 1..N in order, one step each", "[unit][store][migrations]") {
    const auto steps = all_migrations();
    REQUIRE_FALSE(steps.empty());
    for (size_t i = 0; i < steps.size(); ++i) {
        CHECK(steps[i].version == static_cast<int>(i) + 1);
        const std::string sql = steps[i].sql;
        CHECK((sql.find("CREATE") != std::string::npos || sql.find("ALTER") != std::string::npos));
    }
    CHECK(latest_schema_version() == static_cast<int>(steps.size()));
    CHECK(std::string(steps[0].name) == "0001_operations.sql");
}

TEST_CASE("migrations: from every earlier version to the latest, records kept",
          "[unit][store][migrations]") {
    for (int version = 0; version <= latest_schema_version(); ++version) {
        DYNAMIC_SECTION("from version " << version) {
            StateDir dir;
            if (version > 0) {
                make_database_at(dir, version);
            }
            auto store = open_store(dir.store_location());
            REQUIRE(store.ok());
            auto db = SqliteDb::open(dir.file("xuictl/xuictl.db"), 200);
            REQUIRE(db.ok());
            CHECK(*db->user_version() == latest_schema_version());
            auto list = (*store)->operations();
            REQUIRE(list.ok());
            if (version >= 1) {
                REQUIRE(list->entries.size() == 1);
                CHECK(list->entries[0].id == "v1-op");
                CHECK(list->entries[0].status == "ok");
                CHECK(list->entries[0].plan_json == R"({"operation":"x"})");
                CHECK(**(*store)->snapshot("v1-op") == "{\"id\":\"v1-op\"}\n");
                // Version 3 added the profile; records from before it read as none.
                CHECK(list->entries[0].profile == (version >= 3 ? "prod" : ""));
            } else {
                CHECK(list->entries.empty());
            }
            if (version >= 2) {
                auto history = UsageHistory::open(dir.file("xuictl/xuictl.db"), 200);
                REQUIRE(history.ok());
                auto life = history->lifetime("https://p/ admin");
                REQUIRE(life.ok());
                REQUIRE(life->size() == 1);
                CHECK((*life)[0].up == 135);
                CHECK((*life)[0].down == 246);
                // Windows read the running totals of version 4 (filled in for
                // older rows by the step), and a new sample adds to them.
                const auto moved = [&](int64_t from, int64_t to) {
                    auto rows = history->moved("https://p/ admin", from, to);
                    REQUIRE(rows.ok());
                    REQUIRE(rows->size() == 1);
                    return std::pair((*rows)[0].up, (*rows)[0].down);
                };
                CHECK(moved(5, 10) == std::pair<int64_t, int64_t>(30, 40));
                CHECK(moved(10, 15) == std::pair<int64_t, int64_t>(5, 6));
                CHECK(moved(0, 15) == std::pair<int64_t, int64_t>(35, 46));
                REQUIRE(history
                            ->record_sample("https://p/ admin", "https://p/", 20,
                                            {{"v2@x", 145, 250}}, nullptr)
                            .ok());
                CHECK(moved(10, 20) == std::pair<int64_t, int64_t>(15, 10));
                CHECK(moved(15, 20) == std::pair<int64_t, int64_t>(10, 4));
                CHECK((*history->lifetime("https://p/ admin"))[0].up == 145);
            }
            // Opening again changes nothing.
            REQUIRE(open_store(dir.store_location()).ok());
            CHECK(*db->user_version() == latest_schema_version());
        }
    }
}

TEST_CASE("migrations: a database from a newer xuictl is refused, untouched",
          "[unit][store][migrations]") {
    StateDir dir;
    make_database_at(dir, latest_schema_version());
    {
        auto db = SqliteDb::open(dir.file("xuictl/xuictl.db"), 200);
        REQUIRE(db->set_user_version(latest_schema_version() + 1).ok());
    }
    auto store = open_store(dir.store_location());
    REQUIRE_FALSE(store.ok());
    CHECK(store.error().kind == ErrorKind::storage);
    CHECK(store.error().message == dir.file("xuictl/xuictl.db") + ": schema version " +
                                       std::to_string(latest_schema_version() + 1) +
                                       " is newer than this xuictl knows (" +
                                       std::to_string(latest_schema_version()) + ")");
}

TEST_CASE("migrations: a gap in the list is refused", "[unit][store][migrations]") {
    StateDir dir;
    std::filesystem::create_directories(dir.path() / "xuictl");
    auto db = SqliteDb::open(dir.file("xuictl/xuictl.db"), 200);
    REQUIRE(db.ok());
    const Migration gap[] = {{2, "0002_x.sql", "CREATE TABLE x (a)"}};
    auto s = migrate(*db, gap);
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().message.find("migration step 0002_x.sql has version 2, expected 1") !=
          std::string::npos);
    CHECK(*db->user_version() == 0);
}
