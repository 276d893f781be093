// Where the password comes from, and what happens when it cannot be had.
#include <catch2/catch.hpp>

#include <filesystem>

#include "support/harness.hpp"
#include "support/panel_script.hpp"
#include "support/temp_dir.hpp"

using namespace xuictl::test;

namespace {

// A harness with no password source at all; the panel is scripted for one
// `inbound list` (login + list).
struct Run {
    Harness h;
    Run() {
        h.env.erase("XUI_PASSWORD");
        h.transport.expect_login_v3();
        h.transport.expect("GET", first_view_list_path(Api::v3), 200, list_fixture(Api::v3));
    }
    int list(std::vector<std::string> extra = {}) {
        std::vector<std::string> args = {"inbound", "list", "-o", "tsv"};
        args.insert(args.end(), extra.begin(), extra.end());
        return h.run(args);
    }
    // The body of the one login request.
    std::string login_body() const {
        std::vector<std::string> bodies;
        for (const auto& r : h.transport.requests()) {
            if (r.method == "POST" && url_path(r.url) == "/login") {
                bodies.push_back(r.body);
            }
        }
        REQUIRE(bodies.size() == 1);
        return bodies[0];
    }
    void check_no_request() const {
        CHECK(h.transport.requests().empty());
        CHECK(h.out.empty());
    }
};

}  // namespace

TEST_CASE("the password comes from XUI_PASSWORD", "[cmd][auth]") {
    Run r;
    r.h.env["XUI_PASSWORD"] = "env pw&1";
    REQUIRE(r.list() == 0);
    CHECK(r.login_body() == "username=admin&password=env+pw%261");
    CHECK(r.h.terminal.prompts.empty());
}

TEST_CASE("--password-file: a 0600 file is used (and beats the environment)", "[cmd][auth]") {
    TempDir dir;
    write_file(dir.path() / "pw", "file-pw\n", 0600);
    Run r;
    r.h.env["XUI_PASSWORD"] = "env-pw";
    REQUIRE(r.list({"--password-file", dir.file("pw")}) == 0);
    CHECK(r.login_body() == "username=admin&password=file-pw");
}

TEST_CASE("--password-file: a 0644 file is refused before any request", "[cmd][auth]") {
    TempDir dir;
    write_file(dir.path() / "pw", "file-pw\n", 0644);
    Run r;
    CHECK(r.list({"--password-file", dir.file("pw")}) == 2);
    r.check_no_request();
    CHECK(r.h.transports_made == 0);
    CHECK(r.h.err.find("is readable by other users (mode 644)") != std::string::npos);
    CHECK(r.h.err.find("hint: run: chmod 600 '" + dir.file("pw") + "'\n") != std::string::npos);
}

TEST_CASE("--password-stdin reads one line from standard input", "[cmd][auth]") {
    Run r;
    r.h.env["XUI_PASSWORD"] = "env-pw";
    r.h.stdin_text = "stdin-pw\nnext line\n";
    REQUIRE(r.list({"--password-stdin"}) == 0);
    CHECK(r.login_body() == "username=admin&password=stdin-pw");
}

TEST_CASE("on a TTY without another source the password is prompted for", "[cmd][auth]") {
    Run r;
    r.h.terminal.set_tty(true);
    r.h.terminal.answers.push_back(std::string("tty-pw"));
    REQUIRE(r.list() == 0);
    CHECK(r.h.terminal.prompts ==
          std::vector<std::string>{"Password for admin at http://panel.test:2053/: "});
    CHECK(r.login_body() == "username=admin&password=tty-pw");
}

TEST_CASE("no password source and no TTY: exit 4 with advice, no request", "[cmd][auth]") {
    Run r;
    CHECK(r.list() == 4);
    r.check_no_request();
    CHECK(r.h.err.find("xuictl: error: no password given and no terminal to ask for one\n") !=
          std::string::npos);
    CHECK(r.h.err.find("use --password-file FILE, --password-stdin, XUI_PASSWORD") !=
          std::string::npos);
}

TEST_CASE("an empty --password-stdin is a usage error before any request", "[cmd][auth]") {
    Run r;
    CHECK(r.list({"--password-stdin"}) == 2);
    r.check_no_request();
    CHECK(r.h.err.find("--password-stdin: nothing on standard input") != std::string::npos);
}

TEST_CASE("there is no --password flag", "[cmd][auth]") {
    for (const auto* form : {"--password=secret", "--password"}) {
        CAPTURE(form);
        Run r;
        std::vector<std::string> extra = {form};
        if (std::string(form) == "--password") {
            extra.push_back("secret");
        }
        CHECK(r.list(extra) == 2);
        r.check_no_request();
        CHECK(r.h.transports_made == 0);
        CHECK(r.h.err.find("--password") != std::string::npos);
        CHECK(r.h.err.find("hint: run 'xuictl --help'") != std::string::npos);
    }
}

TEST_CASE("--insecure warns on stderr every time", "[cmd][auth]") {
    Run r;
    r.h.env["XUI_PASSWORD"] = "pw";
    r.h.env["XUI_URL"] = "https://panel.test:2053/";
    REQUIRE(r.list({"--insecure"}) == 0);
    CHECK(r.h.err.find("xuictl: warning: TLS certificates are NOT verified") != std::string::npos);

    Run verified;
    verified.h.env["XUI_PASSWORD"] = "pw";
    verified.h.env["XUI_URL"] = "https://panel.test:2053/";
    REQUIRE(verified.list() == 0);
    CHECK(verified.h.err.empty());
}

TEST_CASE("after repeated refused logins the error says the panel may have locked the user out",
          "[cmd][auth]") {
    Harness h;
    auto refused = [&h] {
        h.transport.expect("GET", "/csrf-token", 200, R"({"success":true,"obj":"t"})");
        h.transport.expect("POST", "/getTwoFactorEnable", 200, ok_envelope("false"));
        h.transport.expect("POST", "/login", 200,
                           fail_envelope("Invalid username or password or two-factor code."));
        h.env["XUI_URL"] = "http://127.0.0.1:2053/";  // no plain-HTTP warning in err
        return h.run({"inbound", "list", "-o", "tsv"});
    };
    const std::string first =
        "xuictl: error: login failed: the panel rejected the username, password or 2FA code "
        "(POST /login: HTTP 200)\n";
    const std::string locked =
        "xuictl: error: login failed: the panel rejected the username, password or 2FA code; 2 "
        "refused logins for admin at http://127.0.0.1:2053/ in the last 20 minutes: the panel "
        "may have locked admin out (POST /login: HTTP 200)\n"
        "hint: 3x-ui blocks a user and address for 15 minutes after 5 failed logins within 5 "
        "minutes, and then refuses even the right password: wait 15 minutes, then check the "
        "credentials once\n";
    CHECK(refused() == 4);
    CHECK(h.err.rfind(first, 0) == 0);
    CHECK(h.err.find("hint: check the credentials") != std::string::npos);
    CHECK(h.err.find("may have locked") == std::string::npos);
    CHECK(refused() == 4);
    CHECK(h.err == locked);
    CHECK(h.transport.posts().size() == 4);  // one login per run, never a retry

    // A login that works forgets the failures.
    h.transport.expect_login_v3();
    h.transport.expect("GET", first_view_list_path(Api::v3), 200, list_fixture(Api::v3));
    auto failure_files = [&h] {
        int n = 0;
        const auto dir = h.home.path() / ".cache" / "xuictl" / "sessions";
        for (const auto& entry : std::filesystem::directory_iterator(dir)) {
            n += entry.path().extension() == ".failures" ? 1 : 0;
        }
        return n;
    };
    CHECK(failure_files() == 1);
    REQUIRE(h.run({"inbound", "list", "-o", "tsv"}) == 0);
    CHECK(h.transport.unexpected().empty());
    CHECK(failure_files() == 0);
}
