// A local database that cannot be written means no panel write: exit 1 and
// a message naming the file (issue 16). The FakeTransport fails the test on
// any request beyond the read phase.
#include <catch2/catch.hpp>

#include "store/sqlite.hpp"
#include "support/harness.hpp"
#include "support/panel_script.hpp"
#include "support/workflow.hpp"

using namespace xuictl;
using namespace xuictl::test;

namespace {

void check_no_write(const StateRun& r) {
    CHECK(r.h.transport.unexpected().empty());
    CHECK(r.h.transport.request_lines() == read_lines());
    CHECK(r.h.transport.posts() == login_posts());
}

}  // namespace

TEST_CASE("a damaged database: nothing is sent, exit 1, the file is named", "[cmd][store]") {
    StateRun r;
    std::filesystem::create_directories(r.state.xuictl_dir());
    write_file(r.state.db_path(), std::string(4096, 'x'), 0600);
    expect_read(r.h.transport, Api::v3);
    CHECK(r.h.run({"inbound", "reset", "2", "--yes"}) == 1);
    check_no_write(r);
    CHECK(r.h.err.find("xuictl: error: nothing was sent to the panel: " +
                       r.state.db_path().string() + ": ") != std::string::npos);
    CHECK(r.h.err.find("hint: the database is damaged") != std::string::npos);
    CHECK(slurp(r.state.db_path()) == std::string(4096, 'x'));
}

TEST_CASE("a database from a newer xuictl: nothing is sent, exit 1", "[cmd][store]") {
    StateRun r;
    std::filesystem::create_directories(r.state.xuictl_dir());
    {
        auto db = SqliteDb::open(r.state.db_path().string(), 200);
        REQUIRE(db.ok());
        REQUIRE(db->set_user_version(999).ok());
    }
    expect_read(r.h.transport, Api::v3);
    CHECK(r.h.run({"inbound", "reset", "2", "--yes"}) == 1);
    check_no_write(r);
    CHECK(r.h.err.find(r.state.db_path().string() +
                       ": schema version 999 is newer than this xuictl knows") !=
          std::string::npos);
}

TEST_CASE("a state directory that cannot be created: nothing is sent, exit 1", "[cmd][store]") {
    StateRun r;
    write_file(r.state.xuictl_dir(), "not a directory", 0600);
    expect_read(r.h.transport, Api::v3);
    CHECK(r.h.run({"inbound", "reset", "2", "--yes"}) == 1);
    check_no_write(r);
    CHECK(r.h.err.find(r.state.xuictl_dir().string()) != std::string::npos);
}

TEST_CASE("--once-per with a damaged database: nothing is shown or sent, exit 1", "[cmd][store]") {
    StateRun r;
    std::filesystem::create_directories(r.state.xuictl_dir());
    write_file(r.state.db_path(), std::string(4096, 'x'), 0600);
    expect_read(r.h.transport, Api::v3);
    CHECK(r.h.run({"inbound", "reset", "2", "--yes", "--once-per", "month"}) == 1);
    check_no_write(r);
    CHECK(r.h.err.find("Plan:") == std::string::npos);
    CHECK(r.h.err.find(r.state.db_path().string() + ": ") != std::string::npos);
}
