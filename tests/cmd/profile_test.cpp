// xuictl profile list|show|add: data for scripts, paths that still mean
// the same file when a later run starts elsewhere.
#include <catch2/catch.hpp>

#include <filesystem>

#include "store/config.hpp"
#include "support/harness.hpp"
#include "support/panel_script.hpp"
#include "support/temp_dir.hpp"

using namespace xuictl::test;

namespace {

// Runs `profile add` from inside `dir` (a relative path is relative to it).
int add_from(Harness& h, const std::filesystem::path& dir, std::vector<std::string> args) {
    const auto before = std::filesystem::current_path();
    std::filesystem::current_path(dir);
    const int code = h.run(std::move(args));
    std::filesystem::current_path(before);
    return code;
}

}  // namespace

TEST_CASE("profile list and show -o json: every field, never the stored password",
          "[cmd][profile]") {
    Harness h;
    TempDir dir;
    REQUIRE(add_from(h, dir.path(),
                     {"profile", "add", "prod", "--url", "https://prod.test:2053/p", "--username",
                      "admin", "--password-file", "prod.pass", "--timeout", "5"}) == 0);
    REQUIRE(h.run({"profile", "add", "lab", "--url", "http://lab.test/", "--token-file",
                   "/etc/lab.token", "--insecure"}) == 0);
    const std::string pass = (dir.path() / "prod.pass").string();
    const std::string prod =
        R"({"name":"prod","default":true,"url":"https://prod.test:2053/p/","username":"admin",)"
        R"("auth":"password-file","password_file":")" +
        pass +
        R"(","password_stored":false,"token_file":null,"cacert":null,"pin":null,)"
        R"("insecure":false,"timeout_s":5.0})";
    const std::string lab =
        R"({"name":"lab","default":false,"url":"http://lab.test/","username":null,)"
        R"("auth":"token-file","password_file":null,"password_stored":false,)"
        R"("token_file":"/etc/lab.token","cacert":null,"pin":null,"insecure":true,"timeout_s":null})";

    CHECK(h.run({"profile", "list", "-o", "json"}) == 0);
    CHECK(h.out == "[" + lab + "," + prod + "]\n");  // by name, as config.toml keeps them
    CHECK(h.run({"profile", "show", "prod", "-o", "json"}) == 0);
    CHECK(h.out == prod + "\n");
    CHECK(h.transports_made == 0);
}

TEST_CASE("profile add stores a relative --password-file as an absolute path", "[cmd][profile]") {
    Harness h;
    TempDir dir;
    std::filesystem::create_directories(dir.path() / "sub");
    REQUIRE(
        add_from(h, dir.path(),
                 {"profile", "add", "prod", "--url", "https://prod.test/", "--username", "admin",
                  "--password-file", "sub/../sub/prod.pass", "--cacert", "./ca.pem"}) == 0);
    auto config =
        xuictl::load_config((h.home.path() / ".config" / "xuictl" / "config.toml").string());
    REQUIRE(config);
    REQUIRE(config->find("prod") != nullptr);
    CHECK(config->find("prod")->password_file == (dir.path() / "sub" / "prod.pass").string());
    CHECK(config->find("prod")->cacert == (dir.path() / "ca.pem").string());
}

TEST_CASE("a state or config directory that cannot be written is a local failure: exit 1",
          "[cmd][profile][destructive]") {
    TempDir dir;
    write_file(dir.path() / "not-a-dir", "x", 0600);
    SECTION("profile add into an unwritable config directory") {
        Harness h;
        h.env["XDG_CONFIG_HOME"] = (dir.path() / "not-a-dir").string();
        CHECK(h.run({"profile", "add", "prod", "--url", "https://prod.test/", "--username", "a"}) ==
              1);
        CHECK(h.err.find("xuictl: error: cannot ") != std::string::npos);
        CHECK(h.err.find("hint: check the permissions and free space of that directory\n") !=
              std::string::npos);
    }
    SECTION("a destructive command whose state directory cannot be written sends no write") {
        Harness h;
        h.env["XDG_STATE_HOME"] = (dir.path() / "not-a-dir").string();
        h.transport.expect_login_v3();
        h.transport.expect("GET", "/panel/api/server/status", 200, status_v3());
        h.transport.expect("GET", "/panel/api/inbounds/list", 200, list_fixture(Api::v3));
        CHECK(h.run({"inbound", "reset", "2", "--yes"}) == 1);
        CHECK(h.transport.unexpected().empty());
        CHECK(h.transport.pending() == 0);
        CHECK(h.transport.posts() == login_posts());
        CHECK(h.err.find("hint: check the permissions and free space of that directory\n") !=
              std::string::npos);
    }
}
