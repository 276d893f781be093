// Which panel a run talks to, and whose secrets go there (DESIGN §9): every
// pair of places the URL and the secret can come from. A secret that belongs
// to one panel never reaches another: the run either uses the secret of the
// panel in effect or stops with a usage error naming both URLs, before any
// request.
#include <catch2/catch.hpp>

#include <cctype>
#include <fstream>
#include <map>
#include <sstream>

#include "support/harness.hpp"
#include "support/list_edit.hpp"
#include "support/panel_script.hpp"
#include "support/temp_dir.hpp"

using namespace xuictl::test;

namespace {

// The environment of the harness is panel.test (XUI_URL, XUI_USERNAME=admin,
// XUI_PASSWORD=secret). The config holds:
//   prod  https://prod.test:2053/p/  produser, password file "prod-pw" (the default)
//   stage the environment's panel, spelled differently; stageuser, "stage-pw"
//   tok   https://tok.test/          API token file "tok-secret"
constexpr const char* kEnvPanel = "http://panel.test:2053/";
constexpr const char* kProd = "https://prod.test:2053/p/";
constexpr const char* kOther = "https://other.test/";

struct Panels {
    Harness h;
    explicit Panels(bool with_default = true) {
        const auto home = h.home.path();
        const auto dir = home / ".config" / "xuictl";
        std::filesystem::create_directories(dir);
        write_file(home / "prod.pass", "prod-pw\n", 0600);
        write_file(home / "tok.token", "tok-secret\n", 0600);
        write_file(dir / "config.toml",
                   std::string(with_default ? "default = \"prod\"\n" : "") +
                       "[profiles.prod]\nurl = \"https://prod.test:2053/p\"\n"
                       "username = \"produser\"\npassword-file = \"" +
                       (home / "prod.pass").string() +
                       "\"\n"
                       "[profiles.stage]\nurl = \"http://PANEL.test:2053\"\n"
                       "username = \"stageuser\"\npassword = \"stage-pw\"\n"
                       "[profiles.tok]\nurl = \"https://tok.test/\"\ntoken-file = \"" +
                       (home / "tok.token").string() + "\"\n",
                   0600);
    }
};

struct Case {
    const char* name;
    std::vector<std::string> args;
    std::map<std::string, std::string> env;  // "" erases the variable
    // Success: the panel every request went to and the login body; "" for
    // a token run (no login). Failure: the exit code and error lines.
    int code;
    std::string base;
    std::string login_body;
    std::vector<std::string> errors;
};

const std::map<std::string, std::string> kNoEnvPanel = {
    {"XUI_URL", ""}, {"XUI_USERNAME", ""}, {"XUI_PASSWORD", ""}};

std::map<std::string, std::string> with(std::map<std::string, std::string> a,
                                        const std::map<std::string, std::string>& b) {
    for (const auto& [k, v] : b) {
        a[k] = v;
    }
    return a;
}

std::string lower(std::string s) {
    for (auto& ch : s) {
        ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    }
    return s;
}

std::string origin_of(const std::string& base) {
    return base.substr(0, base.find('/', base.find("://") + 3));
}

std::string read_text(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

void expect_list(FakeTransport& t, const std::string& base, bool token) {
    const std::string path = url_path(base);
    if (!token) {
        t.expect_login_v3(path);
    }
    t.expect("GET", first_view_list_path(Api::v3, path), 200, list_fixture(Api::v3));
}

}  // namespace

TEST_CASE("the URL and the secret come from the same place, or nothing is sent", "[cmd][auth]") {
    const std::string ok = "xuictl: error: ";
    const std::vector<Case> cases = {
        // URL from the environment.
        {"XUI_URL + XUI_PASSWORD", {}, {}, 0, kEnvPanel, "username=admin&password=secret", {}},
        {"XUI_URL + XUI_PASSWORD beat the default profile",
         {},
         {},
         0,
         kEnvPanel,
         "username=admin&password=secret",
         {}},
        {"XUI_URL without a password: the default profile's is not sent there",
         {},
         {{"XUI_PASSWORD", ""}},
         4,
         "",
         "",
         {"xuictl: error: no password given and no terminal to ask for one"}},
        {"XUI_URL naming the default profile's panel: the profile's password goes there",
         {},
         with(kNoEnvPanel, {{"XUI_URL", "https://PROD.test:2053/p/"}}),
         0,
         kProd,
         "username=produser&password=prod-pw",
         {}},
        {"XUI_URL + --password-file on the command line",
         {"--password-file", "@pw"},
         {{"XUI_PASSWORD", ""}},
         0,
         kEnvPanel,
         "username=admin&password=file-pw",
         {}},
        // URL from the default profile.
        {"the default profile alone",
         {},
         kNoEnvPanel,
         0,
         kProd,
         "username=produser&password=prod-pw",
         {}},
        {"the default profile + XUI_PASSWORD without XUI_URL (names no panel)",
         {},
         with(kNoEnvPanel, {{"XUI_PASSWORD", "env-pw"}}),
         0,
         kProd,
         "username=produser&password=env-pw",
         {}},
        // URL from --url.
        {"--url + the default profile's password: not sent",
         {"--url", kOther, "--username", "u"},
         kNoEnvPanel,
         4,
         "",
         "",
         {"xuictl: error: no password given and no terminal to ask for one"}},
        {"--url + --password-stdin",
         {"--url", kOther, "--password-stdin", "--username", "u"},
         kNoEnvPanel,
         0,
         kOther,
         "username=u&password=stdin-pw",
         {}},
        {"--url + XUI_PASSWORD of XUI_URL's panel",
         {"--url", kOther},
         {},
         2,
         "",
         "",
         {ok + "XUI_PASSWORD is for XUI_URL http://panel.test:2053/, but the panel in effect is "
               "https://other.test/ (from --url)",
          "hint: secrets in the environment are sent only to XUI_URL: give this panel's own "
          "(--password-file, --password-stdin, --token-file), or unset XUI_PASSWORD"}},
        {"--url + XUI_TOKEN of XUI_URL's panel",
         {"--url", kOther},
         {{"XUI_PASSWORD", ""}, {"XUI_TOKEN", "env-token"}},
         2,
         "",
         "",
         {ok + "XUI_TOKEN is for XUI_URL http://panel.test:2053/, but the panel in effect is "
               "https://other.test/ (from --url)"}},
        {"--url + XUI_TOTP of XUI_URL's panel",
         {"--url", kOther, "--password-stdin"},
         {{"XUI_TOTP", "123456"}},
         2,
         "",
         "",
         {ok + "XUI_TOTP is for XUI_URL http://panel.test:2053/, but the panel in effect is "
               "https://other.test/ (from --url)"}},
        {"--url spelled differently from XUI_URL is the same panel",
         {"--url", "http://Panel.Test:2053"},
         {},
         0,
         kEnvPanel,
         "username=admin&password=secret",
         {}},
        {"--url + --password-stdin + XUI_PASSWORD of another panel: the command line wins",
         {"--url", kOther, "--password-stdin", "--username", "u"},
         {},
         0,
         kOther,
         "username=u&password=stdin-pw",
         {}},
        // --profile on the command line.
        {"--profile beats XUI_URL and XUI_PASSWORD",
         {"--profile", "prod"},
         {},
         0,
         kProd,
         "username=produser&password=prod-pw",
         {}},
        {"--profile + --url of another panel",
         {"--profile", "prod", "--url", kOther},
         {},
         2,
         "",
         "",
         {ok + "profile 'prod' (--profile) is the panel https://prod.test:2053/p/, but --url "
               "gives https://other.test/",
          "hint: a profile's password and token are sent only to its own url: drop --url, or "
          "drop --profile"}},
        {"--profile + --url of its own panel",
         {"--profile", "prod", "--url", "https://prod.test:2053/p"},
         {},
         0,
         kProd,
         "username=produser&password=prod-pw",
         {}},
        {"--profile with a token + --url of another panel",
         {"--profile", "tok", "--url", kOther},
         {},
         2,
         "",
         "",
         {ok + "profile 'tok' (--profile) is the panel https://tok.test/, but --url gives "
               "https://other.test/"}},
        {"--profile with a token", {"--profile", "tok"}, {}, 0, "https://tok.test/", "", {}},
        {"--profile of XUI_URL's panel: its own user and password",
         {"--profile", "stage"},
         {},
         0,
         kEnvPanel,
         "username=stageuser&password=stage-pw",
         {}},
        {"--profile + XUI_TOTP of XUI_URL's panel",
         {"--profile", "prod"},
         {{"XUI_TOTP", "123456"}},
         2,
         "",
         "",
         {ok + "XUI_TOTP is for XUI_URL http://panel.test:2053/, but the panel in effect is "
               "https://prod.test:2053/p/ (from profile 'prod')"}},
        {"--profile beats XUICTL_PROFILE",
         {"--profile", "prod"},
         {{"XUICTL_PROFILE", "stage"}},
         0,
         kProd,
         "username=produser&password=prod-pw",
         {}},
        // XUICTL_PROFILE.
        {"XUICTL_PROFILE + XUI_URL of another panel",
         {},
         {{"XUICTL_PROFILE", "prod"}},
         2,
         "",
         "",
         {ok + "profile 'prod' (XUICTL_PROFILE) is the panel https://prod.test:2053/p/, but "
               "XUI_URL gives http://panel.test:2053/",
          "hint: a profile's password and token are sent only to its own url: drop XUI_URL, or "
          "unset XUICTL_PROFILE"}},
        {"XUICTL_PROFILE + --url of another panel",
         {"--url", kOther},
         with(kNoEnvPanel, {{"XUICTL_PROFILE", "prod"}}),
         2,
         "",
         "",
         {ok + "profile 'prod' (XUICTL_PROFILE) is the panel https://prod.test:2053/p/, but --url "
               "gives https://other.test/"}},
        {"XUICTL_PROFILE alone",
         {},
         with(kNoEnvPanel, {{"XUICTL_PROFILE", "tok"}}),
         0,
         "https://tok.test/",
         "",
         {}},
        {"XUICTL_PROFILE of XUI_URL's panel: XUI_PASSWORD outranks it",
         {},
         {{"XUICTL_PROFILE", "stage"}},
         0,
         kEnvPanel,
         "username=admin&password=secret",
         {}},
    };
    for (const auto& c : cases) {
        CAPTURE(c.name);
        Panels p;
        TempDir dir;
        write_file(dir.path() / "pw", "file-pw\n", 0600);
        for (const auto& [k, v] : c.env) {
            if (v.empty()) {
                p.h.env.erase(k);
            } else {
                p.h.env[k] = v;
            }
        }
        std::vector<std::string> args = {"inbound", "list", "-o", "tsv"};
        for (const auto& a : c.args) {
            args.push_back(a == "@pw" ? dir.file("pw") : a);
        }
        p.h.stdin_text = "stdin-pw\n";
        const bool token = c.code == 0 && c.login_body.empty();
        if (c.code == 0) {
            expect_list(p.h.transport, c.base, token);
        }
        CHECK(p.h.run(args) == c.code);
        CHECK(p.h.transport.unexpected().empty());
        CHECK(p.h.transport.pending() == 0);
        if (c.code != 0) {
            CHECK(p.h.transport.requests().empty());
            CHECK(p.h.out.empty());
            for (const auto& line : c.errors) {
                CHECK(p.h.err.find(line + "\n") != std::string::npos);
            }
            continue;
        }
        CHECK(p.h.err.find("error") == std::string::npos);
        std::vector<std::string> logins;
        for (const auto& r : p.h.transport.requests()) {
            CAPTURE(r.url);
            CHECK(lower(r.url).rfind(origin_of(c.base) + "/", 0) == 0);
            if (url_path(r.url).ends_with("/login")) {
                logins.push_back(r.body);
            }
            const auto auth = request_header(r, "Authorization");
            CHECK(auth == (token ? std::optional<std::string>("Bearer tok-secret") : std::nullopt));
        }
        CHECK(logins ==
              (token ? std::vector<std::string>{} : std::vector<std::string>{c.login_body}));
    }
}

TEST_CASE("a profile's session is kept for its exact panel and user, not its name", "[cmd][auth]") {
    Panels p;
    p.h.env.erase("XUI_URL");
    expect_list(p.h.transport, kProd, false);
    REQUIRE(p.h.run({"inbound", "list", "-o", "tsv"}) == 0);

    SECTION("the same panel again: the cached session, no login") {
        p.h.transport.expect("GET", "/p/panel/api/inbounds/list/slim", 200, list_fixture(Api::v3));
        REQUIRE(p.h.run({"inbound", "list", "-o", "tsv"}) == 0);
        CHECK(p.h.transport.unexpected().empty());
        CHECK(request_header(p.h.transport.requests().back(), "Cookie").has_value());
    }
    SECTION("the profile now points elsewhere: a fresh login there, no cookie of prod") {
        const auto config = p.h.home.path() / ".config" / "xuictl" / "config.toml";
        std::string text = read_text(config);
        text.replace(text.find("https://prod.test:2053/p"), 24, "https://moved.test:2053/p");
        write_file(config, text, 0600);
        const size_t before = p.h.transport.requests().size();
        expect_list(p.h.transport, "https://moved.test:2053/p/", false);
        REQUIRE(p.h.run({"inbound", "list", "-o", "tsv"}) == 0);
        CHECK(p.h.transport.unexpected().empty());
        CHECK(p.h.transport.pending() == 0);  // a whole login: prod's session was not used
        const auto& requests = p.h.transport.requests();
        CHECK_FALSE(request_header(requests[before], "Cookie").has_value());
        for (size_t i = before; i < requests.size(); ++i) {
            CAPTURE(requests[i].url);
            CHECK(requests[i].url.rfind("https://moved.test:2053/p/", 0) == 0);
        }
    }
    SECTION("another user on the same panel: a fresh login") {
        expect_list(p.h.transport, kProd, false);
        const size_t before = p.h.transport.requests().size();
        REQUIRE(p.h.run({"inbound", "list", "-o", "tsv", "--username", "other"}) == 0);
        CHECK(p.h.transport.unexpected().empty());
        CHECK(p.h.transport.pending() == 0);
        CHECK_FALSE(request_header(p.h.transport.requests()[before], "Cookie").has_value());
    }
}

TEST_CASE("a panel-wide phrase names the panel: one typed for another panel confirms nothing",
          "[cmd][auth][destructive]") {
    Panels p;
    StateDir state;
    p.h.env["XDG_STATE_HOME"] = state.str();
    auto script_read = [&] {
        p.h.transport.expect_login_v3("/p/");
        p.h.transport.expect("GET", "/p/panel/api/server/status", 200, status_v3());
        p.h.transport.expect("GET", "/p/panel/api/inbounds/list", 200, list_fixture(Api::v3));
    };
    const std::vector<std::string> args = {"--profile", "prod", "inbound", "reset", "--all"};

    SECTION("the phrase of the environment's panel, on prod: refused, no write, no record") {
        script_read();
        auto with_confirm = args;
        with_confirm.insert(with_confirm.end(), {"--confirm", "RESET ALL CLIENTS ON panel.test"});
        CHECK(p.h.run(with_confirm) == 3);
        CHECK(p.h.transport.unexpected().empty());
        CHECK(p.h.transport.posts() ==
              std::vector<std::string>{"POST /p/getTwoFactorEnable", "POST /p/login"});
        CHECK(p.h.err.find("  panel: https://prod.test:2053/p/ (profile prod), ") !=
              std::string::npos);
        CHECK(p.h.err.find("hint: this plan needs --confirm 'RESET ALL CLIENTS ON prod'\n") !=
              std::string::npos);
        CHECK(state.audit_lines().empty());
    }
    SECTION("prod's own phrase at the prompt: written, and the record names panel, profile, user") {
        script_read();
        p.h.transport.expect("POST", "/p/panel/api/clients/bulkResetTraffic", 200,
                             ok_envelope("null"));
        ListEdit after(list_fixture(Api::v3));
        after.zero_all_clients();
        p.h.transport.expect("GET", "/p/panel/api/inbounds/list", 200, after.str());
        p.h.terminal.set_tty(true);
        p.h.terminal.answers.push_back(std::string("RESET ALL CLIENTS ON prod"));
        CHECK(p.h.run(args) == 0);
        CHECK(p.h.transport.unexpected().empty());
        CHECK(p.h.transport.pending() == 0);
        CHECK(p.h.terminal.prompts ==
              std::vector<std::string>{"Type \"RESET ALL CLIENTS ON prod\" to confirm on "
                                       "https://prod.test:2053/p/ (profile prod) (anything else "
                                       "aborts): "});
        const auto lines = state.audit_lines();
        REQUIRE(lines.size() == 1);
        CHECK(lines[0].find(R"("panel":"https://prod.test:2053/p/","profile":"prod",)") !=
              std::string::npos);
    }
}
