// The guards that protect the panel and the operator's secrets, each proved
// by a test that fails when the guard is removed or loosened (issue 19):
// no prompt without a terminal on stdin, the exact phrase, --dry-run first,
// private secret files, and the record (snapshot + pending audit line)
// before the write.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <functional>
#include <memory>

#include "support/harness.hpp"
#include "support/list_edit.hpp"
#include "support/panel_script.hpp"
#include "support/raw_control.hpp"
#include "support/store_view.hpp"
#include "support/temp_dir.hpp"
#include "support/workflow.hpp"

using namespace xuictl::test;

namespace {

// One destructive command on one generation: its phrase and its first write.
struct Guarded {
    std::string name;
    Api api;
    std::vector<std::string> args;
    std::string phrase;
    std::string write;           // "POST /path" of the first write request
    bool reread = false;         // a classic purge reads the list again before its write
    std::vector<int> gets = {};  // a purge reads each inbound it deletes from (inbounds/get/:id)
};

// What a command reads between its plan and its record (a purge: the list
// again on classic, then each inbound whole), as the panel answers it.
void expect_pre_write_reads(FakeTransport& t, const Guarded& g) {
    if (g.reread) {
        t.expect("GET", "/panel/api/inbounds/list", 200, list_fixture(g.api));
    }
    for (const auto& w : whole_reads(g.api, g.gets, purges_all(g.args))) {
        t.expect("GET", w.line.substr(4), 200, w.answer);
    }
}

std::vector<Guarded> guarded_commands() {
    const std::string ib = "POST /panel/api/inbounds/";
    const std::string cl = "POST /panel/api/clients/";
    return {
        {"classic traffic reset",
         Api::classic,
         {"traffic", "reset", "1", "a1@x.test"},
         "RESET a1@x.test",
         ib + "1/resetClientTraffic/a1%40x.test"},
        {"classic traffic reset-all",
         Api::classic,
         {"traffic", "reset-all"},
         "RESET ALL INBOUNDS ON panel.test",
         ib + "resetAllTraffics"},
        {"classic inbound reset",
         Api::classic,
         {"inbound", "reset", "2"},
         "RESET INBOUND 2",
         ib + "resetAllClientTraffics/2",
         true},
        {"classic inbound reset --all",
         Api::classic,
         {"inbound", "reset", "--all"},
         "RESET ALL CLIENTS ON panel.test",
         ib + "resetAllClientTraffics/-1",
         true},
        {"classic purge",
         Api::classic,
         {"clients", "purge-depleted", "1"},
         "DELETE 2 CLIENTS",
         ib + "delDepletedClients/1",
         true,
         {1}},
        {"classic purge --all",
         Api::classic,
         {"clients", "purge-depleted", "--all"},
         "DELETE 4 CLIENTS AND 1 INBOUND ON panel.test",
         ib + "delDepletedClients/-1",
         true,
         {1, 2, 3}},
        {"v3 traffic reset",
         Api::v3,
         {"traffic", "reset", "a1@x.test"},
         "RESET a1@x.test",
         cl + "resetTraffic/a1%40x.test"},
        {"v3 traffic reset-all",
         Api::v3,
         {"traffic", "reset-all"},
         "RESET ALL INBOUNDS ON panel.test",
         ib + "resetAllTraffics"},
        {"v3 inbound reset",
         Api::v3,
         {"inbound", "reset", "2"},
         "RESET INBOUND 2",
         cl + "bulkResetTraffic"},
        {"v3 inbound reset --all",
         Api::v3,
         {"inbound", "reset", "--all"},
         "RESET ALL CLIENTS ON panel.test",
         cl + "bulkResetTraffic"},
        {"v3 purge",
         Api::v3,
         {"clients", "purge-depleted", "1"},
         "DELETE 2 CLIENTS",
         cl + "bulkDel",
         false,
         {1}},
        {"v3 purge --all",
         Api::v3,
         {"clients", "purge-depleted", "--all"},
         "DELETE 4 CLIENTS ON panel.test",
         cl + "bulkDel",
         false,
         {1, 2, 3}},
    };
}

std::vector<std::string> plus(std::vector<std::string> args,
                              const std::vector<std::string>& extra) {
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
}

// Only the read phase went out; no audit record, no snapshot.
void check_nothing_written(const StateRun& r) {
    CHECK(r.h.transport.unexpected().empty());
    CHECK(r.h.transport.request_lines() == read_lines());
    CHECK(r.h.transport.posts() == login_posts());
    CHECK(stored_operations(r.state).empty());
    CHECK(r.state.snapshots().empty());
}

std::string with_case(std::string s, int (*fn)(int)) {
    for (auto& c : s) {
        c = static_cast<char>(fn(static_cast<unsigned char>(c)));
    }
    return s;
}

// Answers that are not the phrase, though a careless comparison would take
// them: case, spacing, a prefix, an extension, another count.
std::vector<std::string> near_misses(const std::string& phrase) {
    const auto space = phrase.find(' ');
    std::string mixed = phrase;
    mixed[1] = static_cast<char>(std::tolower(static_cast<unsigned char>(mixed[1])));
    std::string doubled = phrase;
    doubled.insert(space, " ");
    std::string joined = phrase;
    joined.erase(space, 1);
    std::vector<std::string> out = {with_case(phrase, ::tolower),
                                    mixed,
                                    phrase + " ",
                                    " " + phrase,
                                    doubled,
                                    joined,
                                    phrase.substr(0, space),  // RESET / DELETE
                                    phrase.substr(0, phrase.size() - 1),
                                    phrase + "S",
                                    ""};
    if (phrase.rfind("DELETE ", 0) == 0) {
        out.push_back("DELETE 1 CLIENTS");
        out.push_back("DELETE 40 CLIENTS");
        out.push_back("DELETE ALL CLIENTS");
    }
    return out;
}

}  // namespace

TEST_CASE("stdin not a terminal but /dev/tty present: refused, no prompt, nothing written",
          "[cmd][guards]") {
    // `echo PHRASE | xuictl ...` or `xuictl ... < /dev/null` typed in an
    // interactive shell: the controlling terminal exists and stdout/stderr
    // are terminals, yet a script must never be asked (nor answer by accident).
    for (const auto& g : guarded_commands()) {
        SECTION(g.name) {
            StateRun r;
            r.h.terminal.set_tty(true);
            r.h.terminal.stdin_tty = false;
            r.h.terminal.answers.push_back(g.phrase);
            expect_read(r.h.transport, g.api);
            CHECK(r.h.run(g.args) == 3);
            CHECK(r.h.terminal.prompts.empty());
            check_nothing_written(r);
            CHECK(r.h.err.find("refusing to change the panel without confirmation: no terminal") !=
                  std::string::npos);
            CHECK(r.h.err.find("add --yes, or --confirm '" + g.phrase + "'") != std::string::npos);
        }
    }
    SECTION("traffic restore") {
        StateRun r;
        Recorded snap;
        snap.clients = {{2, "b1@x.test", 53687091200, 10737418240}};
        write_snapshot(r.state, snap);
        r.h.terminal.set_tty(true);
        r.h.terminal.stdin_tty = false;
        r.h.terminal.answers.push_back(std::string("RESTORE 1 CLIENTS"));
        expect_read(r.h.transport, Api::v3,
                    ListEdit(list_fixture(Api::v3)).zero_clients({"b1@x.test"}).str());
        CHECK(r.h.run({"traffic", "restore", snap.id}) == 3);
        CHECK(r.h.terminal.prompts.empty());
        CHECK(r.h.transport.unexpected().empty());
        CHECK(r.h.transport.request_lines() == read_lines());
        CHECK(stored_operations(r.state).empty());
        CHECK(r.state.snapshots().size() == 1);  // only the one the test wrote
    }
    SECTION("a controlling terminal but a terminal on stdin only is not enough either") {
        StateRun r;
        r.h.terminal.stdin_tty = true;  // e.g. setsid: no /dev/tty
        r.h.terminal.answers.push_back(std::string("RESET INBOUND 2"));
        expect_read(r.h.transport, Api::v3);
        CHECK(r.h.run({"inbound", "reset", "2"}) == 3);
        CHECK(r.h.terminal.prompts.empty());
        check_nothing_written(r);
    }
}

TEST_CASE("stdin not a terminal: no password or 2FA prompt either", "[cmd][guards]") {
    SECTION("password") {
        Harness h;
        h.env.erase("XUI_PASSWORD");
        h.terminal.set_tty(true);
        h.terminal.stdin_tty = false;
        h.terminal.answers.push_back(std::string("typed-pw"));
        CHECK(h.run({"inbound", "list"}) == 4);
        CHECK(h.terminal.prompts.empty());
        CHECK(h.transport.requests().empty());
        CHECK(h.err.find("no password given and no terminal to ask for one") != std::string::npos);
    }
    SECTION("2FA code") {
        Harness h;
        h.terminal.set_tty(true);
        h.terminal.stdin_tty = false;
        h.terminal.answers.push_back(std::string("123456"));
        h.transport.expect("GET", "/csrf-token", 200, R"({"success":true,"obj":"csrf-abc"})");
        h.transport.expect("POST", "/getTwoFactorEnable", 200,
                           R"({"success":true,"msg":"","obj":true})");
        CHECK(h.run({"inbound", "list"}) == 4);
        CHECK(h.terminal.prompts.empty());
        CHECK(h.transport.unexpected().empty());
        CHECK(h.transport.posts() == std::vector<std::string>{"POST /getTwoFactorEnable"});
        CHECK(h.err.find("no 2FA code was given") != std::string::npos);
    }
}

TEST_CASE("the phrase is exact, at the prompt and for --confirm", "[cmd][guards]") {
    for (const auto& g : guarded_commands()) {
        for (const auto& miss : near_misses(g.phrase)) {
            for (const bool prompt : {true, false}) {
                SECTION(g.name + (prompt ? ": typed '" : ": --confirm '") + miss + "'") {
                    StateRun r;
                    r.h.terminal.set_tty(prompt);
                    if (prompt) {
                        r.h.terminal.answers.push_back(miss);
                    }
                    expect_read(r.h.transport, g.api);
                    const auto args = prompt ? g.args : plus(g.args, {"--confirm", miss});
                    // (--confirm '' is no phrase at all: the no-terminal refusal, exit 3 too.)
                    CHECK(r.h.run(args) == 3);
                    check_nothing_written(r);
                    CHECK(r.h.terminal.prompts.size() == (prompt ? 1u : 0u));
                    if (!prompt && !miss.empty()) {
                        CHECK(r.h.err.find("this plan needs --confirm '" + g.phrase + "'") !=
                              std::string::npos);
                    }
                }
            }
        }
    }
}

TEST_CASE("--dry-run wins over --yes and over the right --confirm", "[cmd][guards]") {
    for (const auto& g : guarded_commands()) {
        for (const bool yes : {true, false}) {
            SECTION(g.name + (yes ? " --dry-run --yes" : " --dry-run --confirm")) {
                StateRun r;
                expect_read(r.h.transport, g.api);
                const auto extra =
                    yes ? std::vector<std::string>{"--yes", "--dry-run"}
                        : std::vector<std::string>{"--dry-run", "--confirm", g.phrase};
                CHECK(r.h.run(plus(g.args, extra)) == 0);
                check_nothing_written(r);
                CHECK(r.h.terminal.prompts.empty());
                CHECK(r.h.err.find("Plan: ") != std::string::npos);
                CHECK(r.h.err.find("dry run: nothing changed\n") != std::string::npos);
                CHECK_FALSE(std::filesystem::exists(r.state.xuictl_dir()));
            }
        }
    }
}

TEST_CASE("secret files readable by the group or by others are refused before any request",
          "[cmd][guards]") {
    struct Kind {
        const char* name;
        // Sets the harness up to read the secret from `file` (or config.toml).
        std::function<std::vector<std::string>(Harness&, const std::string& file)> use;
        const char* message;  // expected on stderr
    };
    const std::vector<Kind> kinds = {
        {"--password-file",
         [](Harness& h, const std::string& file) {
             h.env.erase("XUI_PASSWORD");
             return std::vector<std::string>{"--password-file", file};
         },
         "the password file '"},
        {"--token-file",
         [](Harness&, const std::string& file) {
             return std::vector<std::string>{"--token-file", file};
         },
         "the token file '"},
        {"--totp-file",
         [](Harness&, const std::string& file) {
             return std::vector<std::string>{"--totp-file", file};
         },
         "the 2FA code file '"},
        {"profile password-file",
         [](Harness& h, const std::string& file) {
             h.env.erase("XUI_PASSWORD");
             h.env.erase("XUI_URL");
             h.env.erase("XUI_USERNAME");
             const std::string dir = h.home.file(".config/xuictl");
             std::filesystem::create_directories(dir);
             write_file(dir + "/config.toml",
                        "[profiles.p]\nurl = \"http://panel.test:2053/\"\nusername = \"admin\"\n"
                        "password-file = \"" +
                            file + "\"\n",
                        0600);
             return std::vector<std::string>{"--profile", "p"};
         },
         "the password file '"},
        {"profile token-file",
         [](Harness& h, const std::string& file) {
             h.env.erase("XUI_URL");
             const std::string dir = h.home.file(".config/xuictl");
             std::filesystem::create_directories(dir);
             write_file(
                 dir + "/config.toml",
                 "[profiles.p]\nurl = \"http://panel.test:2053/\"\ntoken-file = \"" + file + "\"\n",
                 0600);
             return std::vector<std::string>{"--profile", "p"};
         },
         "the token file '"},
    };
    for (const auto& kind : kinds) {
        for (const unsigned mode : {0640u, 0604u, 0620u, 0602u, 0700u}) {
            SECTION(std::string(kind.name) + " at " + std::to_string(mode)) {
                TempDir dir;
                write_file(dir.path() / "secret", "s3cret\n", mode);
                Harness h;
                const auto extra = kind.use(h, dir.file("secret"));
                std::vector<std::string> args = {"inbound", "list"};
                args.insert(args.begin(), extra.begin(), extra.end());
                if (mode == 0700u) {
                    // Executable by its owner only is still private: accepted.
                    (void)h.run(args);  // the fake panel answers nothing: not the point
                    CHECK(h.err.find("readable by other users") == std::string::npos);
                    CHECK(h.transports_made == 1);
                    continue;
                }
                CHECK(h.run(args) == 2);
                CHECK(h.transports_made == 0);
                CHECK(h.transport.requests().empty());
                CHECK(h.err.find(kind.message + dir.file("secret") +
                                 "' is readable by other users") != std::string::npos);
                CHECK(h.err.find("hint: run: chmod 600 '" + dir.file("secret") + "'") !=
                      std::string::npos);
            }
        }
    }
    for (const unsigned mode : {0640u, 0604u, 0644u}) {
        SECTION("config.toml holding a password at " + std::to_string(mode)) {
            Harness h;
            h.env.erase("XUI_PASSWORD");
            const std::string dir = h.home.file(".config/xuictl");
            std::filesystem::create_directories(dir);
            write_file(dir + "/config.toml",
                       "[profiles.p]\nurl = \"http://panel.test:2053/\"\nusername = \"admin\"\n"
                       "password = \"s3cret\"\n",
                       mode);
            CHECK(h.run({"--profile", "p", "inbound", "list"}) == 2);
            CHECK(h.transports_made == 0);
            CHECK(h.transport.requests().empty());
            CHECK(h.err.find("holds a password but other users can read it") != std::string::npos);
        }
    }
}

TEST_CASE("the snapshot and the pending audit record exist when the write leaves",
          "[cmd][guards]") {
    for (const auto& g : guarded_commands()) {
        SECTION(g.name) {
            StateRun r;
            expect_read(r.h.transport, g.api);
            expect_pre_write_reads(r.h.transport, g);
            const auto space = g.write.find(' ');
            r.h.transport.expect(g.write.substr(0, space), g.write.substr(space + 1), 200,
                                 ok_envelope("null"));
            r.h.transport.expect("GET", "/panel/api/inbounds/list", 200, list_fixture(g.api));
            std::vector<std::vector<StoredOperation>> at_write;
            r.h.transport.on_send = [&](const xuictl::HttpRequest& request) {
                if (request.method + " " + url_path(request.url) == g.write) {
                    at_write.push_back(stored_operations(r.state));
                }
            };
            (void)r.h.run(plus(g.args, {"--yes"}));  // verification may fail: not the point
            CHECK(r.h.transport.unexpected().empty());
            REQUIRE(at_write.size() == 1);
            REQUIRE(at_write[0].size() == 1);
            const auto& op = at_write[0][0];
            CHECK(op.status == "pending");
            CHECK(op.snapshot_loads);
            // The record is the one this run made, and only its outcome changes later.
            const auto after = stored_operations(r.state);
            REQUIRE(after.size() == 1);
            CHECK(after[0].id == op.id);
            CHECK(after[0].status != "pending");
        }
    }
}

TEST_CASE("when the snapshot or the audit record cannot be written, no write is sent (exit 1)",
          "[cmd][guards]") {
    // Runs as any user (root too): the obstacles are files where directories
    // belong and the other way round, not permissions.
    struct Obstacle {
        const char* name;
        std::function<void(const StateDir&)> make;
    };
    const std::vector<Obstacle> obstacles = {
        {"the database is a directory",
         [](const StateDir& s) { std::filesystem::create_directories(s.db_path()); }},
        {"the database file is not a database",
         [](const StateDir& s) {
             std::filesystem::create_directories(s.xuictl_dir());
             write_file(s.db_path(), std::string(4096, 'x'), 0600);
         }},
        {"the state directory is a file",
         [](const StateDir& s) { write_file(s.xuictl_dir(), "", 0600); }},
    };
    const auto all = guarded_commands();
    for (const auto& o : obstacles) {
        for (const auto* name : {"classic inbound reset", "v3 purge --all", "v3 traffic reset"}) {
            SECTION(std::string(o.name) + ": " + name) {
                const auto& g = *std::find_if(all.begin(), all.end(),
                                              [&](const Guarded& x) { return x.name == name; });
                StateRun r;
                o.make(r.state);
                expect_read(r.h.transport, g.api);
                CHECK(r.h.run(plus(g.args, {"--yes"})) == 1);
                CHECK(r.h.transport.unexpected().empty());
                // The store is opened before anything else is read: a failure
                // there stops even the pre-write reads.
                CHECK(r.h.transport.request_lines() == read_lines());
                CHECK(r.h.transport.posts() == login_posts());
                CHECK(r.h.err.find("xuictl: error: nothing was sent to the panel: ") !=
                      std::string::npos);
            }
        }
    }
}

TEST_CASE("a cached session is reused only by the same user on the same URL", "[cmd][guards]") {
    TempDir cache;
    // One `inbound list` with a shared XDG_CACHE_HOME; `login` scripts a login first.
    auto list = [&](const std::string& url, const std::string& user, bool login) {
        auto h = std::make_unique<Harness>();
        h->env["XDG_CACHE_HOME"] = cache.str();
        h->env["XUI_URL"] = url;
        h->env["XUI_USERNAME"] = user;
        if (login) {
            h->transport.expect_login_v3();
        }
        h->transport.expect("GET", first_view_list_path(Api::v3), 200, list_fixture(Api::v3));
        CHECK(h->run({"inbound", "list"}) == 0);
        CHECK(h->transport.unexpected().empty());
        CHECK(h->transport.pending() == 0);
        return h;
    };
    list("https://panel.test:2053/", "admin", true);
    // The same panel and user: the cached session, no login (the control case).
    CHECK(list("https://panel.test:2053/", "admin", false)->transport.posts().empty());
    SECTION("another user on the same panel logs in as itself") {
        CHECK(list("https://panel.test:2053/", "bob", true)->transport.posts() == login_posts());
    }
    SECTION("the same host and port over plain HTTP does not get the HTTPS session") {
        CHECK(list("http://panel.test:2053/", "admin", true)->transport.posts() == login_posts());
    }
}

TEST_CASE("plain HTTP to another host warns that secrets travel unencrypted", "[cmd][guards]") {
    struct Case {
        std::string url;
        bool warns;
    };
    for (const auto& c : std::vector<Case>{{"http://panel.test:2053/", true},
                                           {"http://10.0.0.5:2053/", true},
                                           {"https://panel.test:2053/", false},
                                           {"http://127.0.0.1:2053/", false},
                                           {"http://localhost:2053/", false}}) {
        SECTION(c.url) {
            Harness h;
            h.env["XUI_URL"] = c.url;
            h.transport.expect_login_v3();
            h.transport.expect("GET", first_view_list_path(Api::v3), 200, list_fixture(Api::v3));
            REQUIRE(h.run({"inbound", "list"}) == 0);
            std::string origin = c.url;
            origin.pop_back();
            CHECK((h.err.find("xuictl: warning: " + origin +
                              " is plain HTTP: the password and cookie travel unencrypted\n") !=
                   std::string::npos) == c.warns);
            if (!c.warns) {
                CHECK(h.err.empty());
            }
        }
    }
}

TEST_CASE("-v traces every request but no password, cookie, CSRF token or API token",
          "[cmd][guards]") {
    SECTION("password login, then a write") {
        StateRun r;
        r.h.env["XUI_PASSWORD"] = "pw-SECRET-1";
        expect_read(r.h.transport, Api::v3);
        r.h.transport.expect("POST", "/panel/api/clients/resetTraffic/a1%40x.test", 200,
                             ok_envelope("null"));
        r.h.transport.expect("GET", "/panel/api/inbounds/list", 200, list_fixture(Api::v3));
        (void)r.h.run({"-v", "traffic", "reset", "a1@x.test", "--yes"});
        CHECK(r.h.transport.unexpected().empty());
        CHECK(r.h.err.find("=pre") == std::string::npos);  // the pre-login cookie
        CHECK(r.h.err.find("pw-SECRET") == std::string::npos);
        CHECK(r.h.err.find("session-1") == std::string::npos);
        CHECK(r.h.err.find("csrf-abc") == std::string::npos);
        CHECK(r.h.err.find("xuictl: > POST http://panel.test:2053/login [cookie redacted] "
                           "[csrf redacted] [") != std::string::npos);
        CHECK(r.h.err.find("xuictl: > POST "
                           "http://panel.test:2053/panel/api/clients/resetTraffic/a1%40x.test "
                           "[cookie redacted] [csrf redacted]") != std::string::npos);
    }
    SECTION("API token") {
        Harness h;
        h.env["XUI_TOKEN"] = "tok-SECRET-2";
        h.transport.expect("GET", first_view_list_path(Api::v3), 200, list_fixture(Api::v3));
        REQUIRE(h.run({"-v", "inbound", "list"}) == 0);
        CHECK(h.err.find("tok-SECRET") == std::string::npos);
        CHECK(h.err.find("[bearer token redacted]") != std::string::npos);
    }
}

namespace {

// The v3 fixture with a1@x.test renamed to an email that tries to clear the
// screen, ring the bell, rewrite the line and break a TSV row, and inbound
// 1's remark holding a C1 CSI and a bidi override.
const std::string kHostileEmail = "ev\x1b[2J\x07il\r\tx;$(id)@x.test";
const std::string kShownEmail = "ev\\x1b[2J\\x07il\\r\\tx;$(id)@x.test";

std::string hostile_list() {
    std::string list = list_fixture(Api::v3);
    auto replace_all = [&list](const std::string& from, const std::string& to) {
        for (auto at = list.find(from); at != std::string::npos;
             at = list.find(from, at + to.size())) {
            list.replace(at, from.size(), to);
        }
    };
    replace_all("\"a1@x.test\"", R"("ev\u001b[2J\u0007il\r\tx;$(id)@x.test")");
    replace_all("\"alpha\"", R"("al\u009bpha\u202e")");
    return list;
}

}  // namespace

TEST_CASE("panel text never reaches the terminal raw: tables, TSV, CSV, plans, prompts, errors",
          "[cmd][guards][display]") {
    for (const auto* format : {"table", "tsv", "csv"}) {
        SECTION(std::string("stats -o ") + format) {
            Harness h;
            h.transport.expect_login_v3();
            h.transport.expect("GET", "/panel/api/server/status", 200, status_v3());
            h.transport.expect("GET", first_view_list_path(Api::v3), 200, hostile_list());
            REQUIRE(h.run({"stats", "-o", format}) == 0);
            if (std::string(format) == "csv") {
                // RFC 4180: TAB and CR stay inside the quoted field; ESC and BEL do not.
                CHECK(h.out.find("\"ev\\x1b[2J\\x07il\r\tx;$(id)@x.test\"") != std::string::npos);
                CHECK(h.out.find_first_of("\x1b\x07") == std::string::npos);
            } else if (std::string(format) == "tsv") {
                // The field separators are the only TABs: every row has as many as the header.
                const auto rows = lines_of(h.out);
                REQUIRE(rows.size() > 1);
                for (const auto& row : rows) {
                    CHECK(std::count(row.begin(), row.end(), '\t') ==
                          std::count(rows[0].begin(), rows[0].end(), '\t'));
                }
                CHECK(h.out.find_first_of("\x1b\x07\r") == std::string::npos);
                CHECK(h.out.find(kShownEmail) != std::string::npos);
            } else {
                CHECK_FALSE(has_raw_control(h.out));
                CHECK(h.out.find(kShownEmail) != std::string::npos);
            }
        }
    }
    SECTION("inbound list: the remark") {
        Harness h;
        h.transport.expect_login_v3();
        h.transport.expect("GET", first_view_list_path(Api::v3), 200, hostile_list());
        REQUIRE(h.run({"inbound", "list", "-o", "table"}) == 0);
        CHECK_FALSE(has_raw_control(h.out));
        CHECK(h.out.find("al\\u009bpha\\u202e") != std::string::npos);
    }
    SECTION("-o json stays exact JSON, one line in a pipe and indented on a terminal") {
        Harness h;
        h.terminal.output_tty = GENERATE(false, true);
        h.transport.expect_login_v3();
        h.transport.expect("GET", "/panel/api/server/status", 200, status_v3());
        h.transport.expect("GET", first_view_list_path(Api::v3), 200, hostile_list());
        REQUIRE(h.run({"stats", "-o", "json"}) == 0);
        CHECK(h.out.find('\x1b') == std::string::npos);
        const auto doc = parse_json_text(h.out);
        bool found = false;
        for (const auto& c : doc["clients"].GetArray()) {
            found = found || c["email"].GetString() == kHostileEmail;
        }
        CHECK(found);
    }
    SECTION("the plan, the prompt, the phrase") {
        StateRun r;
        r.h.terminal.set_tty(true);
        r.h.terminal.answers.push_back(std::string("no"));
        expect_read(r.h.transport, Api::v3, hostile_list());
        CHECK(r.h.run({"inbound", "reset", "1"}) == 3);
        CHECK_FALSE(has_raw_control(r.h.err));
        CHECK(r.h.err.find(kShownEmail) != std::string::npos);
        REQUIRE(r.h.terminal.prompts.size() == 1);
        CHECK_FALSE(has_raw_control(r.h.terminal.prompts[0]));
    }
    SECTION("a phrase naming the email is shown escaped, and must be typed exactly") {
        StateRun r;
        r.h.terminal.set_tty(true);
        r.h.terminal.answers.push_back("RESET " + kShownEmail);  // what the screen shows
        expect_read(r.h.transport, Api::v3, hostile_list());
        CHECK(r.h.run({"traffic", "reset", kHostileEmail}) == 3);
        REQUIRE(r.h.terminal.prompts.size() == 1);
        CHECK(r.h.terminal.prompts[0] ==
              "Type \"RESET " + kShownEmail +
                  "\" to confirm on http://panel.test:2053/ (anything else aborts): ");
        CHECK(r.h.transport.posts() == login_posts());
    }
    SECTION("errors quoting panel text") {
        StateRun r;
        expect_read(r.h.transport, Api::v3, hostile_list());
        CHECK(r.h.run({"traffic", "reset", "2", kHostileEmail, "--yes"}) == 5);
        CHECK_FALSE(has_raw_control(r.h.err));
        CHECK(r.h.err.find("client '" + kShownEmail + "' is not in inbound 2") !=
              std::string::npos);
    }
}

TEST_CASE("a TAB never reads a password from stdin, even with --password-stdin on the line",
          "[cmd][guards]") {
    // During a TAB stdin is the user's terminal (or whatever the shell has):
    // __complete must not take it as a password and log in with it.
    Harness h;
    h.env.erase("XUI_PASSWORD");
    h.stdin_text = "typed-ahead\n";
    h.transport.expect("GET", "/csrf-token", 200, R"({"success":true,"obj":"csrf-abc"})");
    h.transport.expect("POST", "/getTwoFactorEnable", 200,
                       R"({"success":true,"msg":"","obj":false})");
    CHECK(h.run({"--password-stdin", "__complete", "inbounds"}) == 0);
    CHECK(h.out.empty());
    CHECK(h.err.empty());
    for (const auto& r : h.transport.requests()) {
        CHECK(r.body.find("typed-ahead") == std::string::npos);
        CHECK(url_path(r.url) != "/login");
    }
}
