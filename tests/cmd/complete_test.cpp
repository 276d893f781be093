// xuictl __complete: the live values behind shell completion. It must print
// values or nothing, exit 0, never prompt, never write to stderr, and answer
// repeated TABs from its cache without a request.
#include <catch2/catch.hpp>

#include <filesystem>

#include "support/harness.hpp"
#include "support/panel_script.hpp"

using namespace xuictl::test;

namespace {

std::filesystem::path completion_dir(const Harness& h) {
    return h.home.path() / ".cache" / "xuictl" / "completion";
}

void expect_login_and_list(Harness& h) {
    h.transport.expect_login_v3();
    h.transport.expect("GET", first_view_list_path(Api::v3), 200, fixture("inbounds_v3.json"));
}

}  // namespace

TEST_CASE("__complete inbounds prints id<TAB>remark, then answers from its cache",
          "[cmd][complete]") {
    Harness h;
    expect_login_and_list(h);
    REQUIRE(h.run({"__complete", "inbounds"}) == 0);
    CHECK(h.out == "1\talpha\n2\t東京 tokyo\n3\tgamma\n");
    CHECK(h.err.empty());
    CHECK(h.transport.pending() == 0);

    // The next TABs within a minute send nothing: the fake would record any
    // request as unexpected.
    REQUIRE(h.run({"__complete", "emails", "2"}) == 0);
    CHECK(h.out == "b1@x.test\nb2@x.test\n");
    REQUIRE(h.run({"__complete", "emails"}) == 0);
    CHECK(h.out ==
          "a1@x.test\na2@x.test\na3@x.test\na4@x.test\na5@x.test\na6@x.test\nb1@x.test\nb2@x.test\n"
          "c1@x.test\n");
    CHECK(h.transport.unexpected().empty());

    // A minute later the panel is asked again (with the cached session, which
    // now knows the panel is v3.1+: the slim list is enough for completion).
    h.clock = FixedClock(kFixtureNow + 60'000);
    h.transport.expect("GET", "/panel/api/inbounds/list/slim", 200, fixture("inbounds_v3.json"));
    REQUIRE(h.run({"__complete", "inbounds"}) == 0);
    CHECK(h.out.rfind("1\talpha\n", 0) == 0);
    CHECK(h.transport.pending() == 0);
    CHECK(h.transport.unexpected().empty());
}

TEST_CASE("__complete caches only ids, remarks and emails, privately", "[cmd][complete]") {
    Harness h;
    h.env["XUI_URL"] = "http://panel.test:2053/very-secret-path/";
    h.transport.expect_login_v3("/very-secret-path/");
    h.transport.expect("GET", first_view_list_path(Api::v3, "/very-secret-path/"), 200,
                       fixture("inbounds_v3.json"));
    REQUIRE(h.run({"__complete", "inbounds"}) == 0);
    REQUIRE(h.transport.pending() == 0);
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(completion_dir(h))) {
        files.push_back(entry.path());
    }
    REQUIRE(files.size() == 1);
    CHECK(mode_of(completion_dir(h)) == 0700);
    CHECK(mode_of(files[0]) == 0600);
    CHECK(files[0].filename().string().find("secret") == std::string::npos);
    const std::string cached = slurp(files[0]);
    CHECK(cached.find("a1@x.test") != std::string::npos);
    CHECK(cached.find("secret") == std::string::npos);  // neither password nor base path
    CHECK(cached.find("panel.test") == std::string::npos);
    CHECK(cached.find("admin") == std::string::npos);
}

TEST_CASE("__complete without a panel URL prints nothing and connects nowhere", "[cmd][complete]") {
    Harness h;
    h.env.erase("XUI_URL");
    REQUIRE(h.run({"__complete", "inbounds"}) == 0);
    CHECK(h.out.empty());
    CHECK(h.err.empty());
    CHECK(h.transports_made == 0);
}

TEST_CASE("__complete never prompts, even on a terminal", "[cmd][complete]") {
    Harness h;
    h.env.erase("XUI_PASSWORD");
    h.terminal.set_tty(true);
    h.terminal.answers.push_back("typed-password");
    REQUIRE(h.run({"__complete", "emails"}) == 0);
    CHECK(h.out.empty());
    CHECK(h.err.empty());
    CHECK(h.terminal.prompts.empty());
    CHECK(h.transport.posts().empty());  // no login attempt towards the lockout
}

TEST_CASE("__complete stays silent when the panel fails", "[cmd][complete]") {
    Harness h;
    h.transport.expect_login_v3();
    h.transport.expect("GET", first_view_list_path(Api::v3), 500, "oops");
    REQUIRE(h.run({"--insecure", "-v", "__complete", "inbounds"}) == 0);
    CHECK(h.out.empty());
    CHECK(h.err.empty());
    CHECK(!std::filesystem::exists(completion_dir(h)));  // a failure is not cached

    Harness unreachable;  // every request fails: the fake has no script
    REQUIRE(unreachable.run({"__complete", "inbounds"}) == 0);
    CHECK(unreachable.out.empty());
    CHECK(unreachable.err.empty());
}

TEST_CASE("__complete offers nothing for what it does not know", "[cmd][complete]") {
    Harness h;
    CHECK(h.run({"__complete", "emails", "alice@x.test"}) == 0);  // `traffic reset EMAIL <TAB>`
    CHECK(h.run({"__complete", "passwords"}) == 0);
    CHECK(h.run({"__complete"}) == 0);
    CHECK(h.out.empty());
    CHECK(h.err.empty());
    CHECK(h.transports_made == 0);
    // Arguments a newer script might add are no usage error.
    CHECK(h.run({"__complete", "emails", "1", "extra"}) == 0);
    CHECK(h.err.empty());
}

TEST_CASE("__complete profiles lists config.toml's profiles", "[cmd][complete]") {
    Harness h;
    std::filesystem::create_directories(h.home.path() / ".config" / "xuictl");
    write_file(h.home.path() / ".config" / "xuictl" / "config.toml",
               "default = \"prod\"\n[profiles.prod]\nurl = \"https://a.test/\"\n"
               "[profiles.staging]\nurl = \"https://b.test/\"\n",
               0600);
    REQUIRE(h.run({"__complete", "profiles"}) == 0);
    CHECK(h.out == "prod\nstaging\n");
    CHECK(h.transports_made == 0);
}

TEST_CASE("__complete is hidden from --help", "[cmd][complete]") {
    Harness h;
    REQUIRE(h.run({"--help"}) == 0);
    CHECK(h.out.find("__complete") == std::string::npos);
    CHECK(h.out.find("completion") != std::string::npos);
}
