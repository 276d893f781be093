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

TEST_CASE("read_file reads a whole file; a missing one is not_found", "[unit][store]") {
    TempDir dir;
    const std::string path = dir.file("audit.jsonl");
    write_file(path, "one\n{\"two\":2}\n", 0600);
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

TEST_CASE("audit_to_json and audit_from_json round-trip every field", "[unit][store]") {
    AuditEntry e = entry("op-1", "traffic reset 1 a@b");
    e.status = "verify_failed";
    e.error = "re-read disagrees";
    e.mismatches = {"a@b: still 5 B used"};
    e.done = {"a@b"};
    e.not_done = {"c@d"};
    e.finished_ms = 1767225601000;
    auto back = audit_from_json(audit_to_json(e));
    REQUIRE(back.ok());
    CHECK(audit_to_json(*back) == audit_to_json(e));
    CHECK(back->plan_json == R"({"operation":"reset_client","clients":[{"email":"a@b","up":1}]})");
    CHECK(back->mismatches == e.mismatches);
    CHECK_FALSE(audit_from_json("{not json").ok());
}
