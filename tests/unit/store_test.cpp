#include <catch2/catch.hpp>

#include "store/audit.hpp"
#include "store/files.hpp"
#include "support/temp_dir.hpp"

using namespace xuictl;
using namespace xuictl::test;

TEST_CASE("write_file_atomic writes a 0600 file and leaves no temp file", "[unit][store]") {
    TempDir dir;
    const std::string path = dir.file("snapshot.json");
    REQUIRE(write_file_atomic(path, "first\n").ok());
    CHECK(slurp(path) == "first\n");
    CHECK(mode_of(path) == 0600);

    // Replacing a looser file gives a 0600 file too (a new inode, not a rewrite).
    write_file(path, "old", 0644);
    REQUIRE(write_file_atomic(path, "second").ok());
    CHECK(slurp(path) == "second");
    CHECK(mode_of(path) == 0600);
    size_t entries = 0;
    for (const auto& e : std::filesystem::directory_iterator(dir.path())) {
        CHECK(e.path().filename() == "snapshot.json");
        ++entries;
    }
    CHECK(entries == 1);

    auto missing = write_file_atomic(dir.file("no/such/dir/x"), "x");
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().kind == ErrorKind::local);
    CHECK(missing.error().message.find("cannot create '" + dir.file("no/such/dir/x") + ".tmp-") == 0);
}

TEST_CASE("ensure_private_dir creates 0700 dirs and tightens an existing 0755 one", "[unit][store]") {
    TempDir dir;
    const auto nested = dir.path() / "state" / "xuictl" / "snapshots";
    REQUIRE(ensure_private_dir(nested.string()).ok());
    CHECK(std::filesystem::is_directory(nested));
    CHECK(mode_of(nested) == 0700);
    CHECK(mode_of(dir.path() / "state" / "xuictl") == 0700);
    CHECK(mode_of(dir.path() / "state") == 0700);

    const auto open_dir = dir.path() / "open";
    std::filesystem::create_directory(open_dir);
    std::filesystem::permissions(open_dir, std::filesystem::perms(0755));
    REQUIRE(mode_of(open_dir) == 0755);
    REQUIRE(ensure_private_dir(open_dir.string()).ok());
    CHECK(mode_of(open_dir) == 0700);

    write_file(dir.path() / "file", "x", 0600);
    auto not_dir = ensure_private_dir(dir.file("file"));
    REQUIRE_FALSE(not_dir.ok());
    CHECK(not_dir.error().message == "'" + dir.file("file") + "' is not a directory");
}

TEST_CASE("append_line_durable appends lines to a 0600 file", "[unit][store]") {
    TempDir dir;
    const std::string path = dir.file("audit.jsonl");
    REQUIRE(append_line_durable(path, "one").ok());
    REQUIRE(append_line_durable(path, R"({"two":2})").ok());
    CHECK(slurp(path) == "one\n{\"two\":2}\n");
    CHECK(mode_of(path) == 0600);

    auto read = read_file(path);
    REQUIRE(read.ok());
    CHECK(*read == "one\n{\"two\":2}\n");
    auto missing = read_file(dir.file("nope"));
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().kind == ErrorKind::not_found);
}

TEST_CASE("path_join puts exactly one slash between parts", "[unit][store]") {
    CHECK(path_join("/a/", "/b") == "/a/b");
    CHECK(path_join("/a", "b/c") == "/a/b/c");
    CHECK(path_join("/", "b") == "/b");
    CHECK(path_join("", "b") == "b");
}

namespace {
AuditEntry entry(const std::string& id, const std::string& command) {
    AuditEntry e;
    e.id = id;
    e.time_ms = 1767225600000;
    e.user = "op";
    e.host = "box";
    e.panel = "https://h:2053/base/";
    e.command = command;
    e.snapshot = "/state/snapshots/" + id + ".json";
    e.plan_json = R"({"operation":"reset_client","clients":[{"email":"a@b","up":1}]})";
    return e;
}
}  // namespace

TEST_CASE("AuditLog: append, complete replaces the right line, read_all", "[unit][store]") {
    TempDir dir;
    AuditLog log(dir.file("audit.jsonl"));
    auto empty = log.read_all();
    REQUIRE(empty.ok());
    CHECK(empty->empty());

    // "op-10" comes first and shares the prefix of "op-1", the one completed.
    REQUIRE(log.append(entry("op-10", "inbound reset 2")).ok());
    REQUIRE(log.append(entry("op-1", "traffic reset 1 a@b")).ok());
    REQUIRE(log.append(entry("op-2", "clients purge-depleted --all")).ok());
    const auto before = lines_of(slurp(log.path()));
    REQUIRE(before.size() == 3);

    AuditEntry done = entry("op-1", "traffic reset 1 a@b");
    done.status = "verify_failed";
    done.error = "re-read disagrees";
    done.mismatches = {"a@b: still 5 B used"};
    done.finished_ms = 1767225601000;
    REQUIRE(log.complete(done).ok());
    CHECK(mode_of(log.path()) == 0600);

    // Only the op-1 line changed.
    const auto after = lines_of(slurp(log.path()));
    REQUIRE(after.size() == 3);
    CHECK(after[0] == before[0]);
    CHECK(after[1] != before[1]);
    CHECK(after[2] == before[2]);

    auto all = log.read_all();
    REQUIRE(all.ok());
    REQUIRE(all->size() == 3);
    const auto& first = (*all)[1];
    CHECK(first.id == "op-1");
    CHECK(first.status == "verify_failed");
    CHECK(first.error == "re-read disagrees");
    CHECK(first.mismatches == std::vector<std::string>{"a@b: still 5 B used"});
    CHECK(first.finished_ms == 1767225601000);
    CHECK(first.plan_json == R"({"operation":"reset_client","clients":[{"email":"a@b","up":1}]})");
    CHECK(first.user == "op");
    CHECK(first.panel == "https://h:2053/base/");
    CHECK((*all)[0].id == "op-10");
    CHECK((*all)[0].status == "pending");
    CHECK((*all)[2].command == "clients purge-depleted --all");

    // Completing an id that is not in the log appends it.
    AuditEntry stray = entry("op-3", "traffic reset-all");
    stray.status = "ok";
    REQUIRE(log.complete(stray).ok());
    auto four = log.read_all();
    REQUIRE(four.ok());
    REQUIRE(four->size() == 4);
    CHECK((*four)[3].id == "op-3");
    CHECK((*four)[3].status == "ok");
}

TEST_CASE("AuditLog::read_all names a corrupt line", "[unit][store]") {
    TempDir dir;
    AuditLog log(dir.file("audit.jsonl"));
    REQUIRE(log.append(entry("op-1", "x")).ok());
    REQUIRE(append_line_durable(log.path(), "{not json").ok());
    auto all = log.read_all();
    REQUIRE_FALSE(all.ok());
    CHECK(all.error().message.find(log.path() + " line 2: ") == 0);
}
