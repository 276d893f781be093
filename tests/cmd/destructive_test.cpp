// Every destructive command on both API generations, through the real
// command tree: the exact requests sent (and not sent), exit codes, the
// audit line and the snapshot.
#include <catch2/catch.hpp>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <functional>

#include "support/harness.hpp"
#include "support/list_edit.hpp"
#include "support/panel_script.hpp"
#include "support/temp_dir.hpp"

#include "ops/plan.hpp"
#include "ops/plan_json.hpp"
#include "store/snapshot.hpp"

using namespace xuictl::test;

namespace {

const std::string kList = "GET /panel/api/inbounds/list";
const std::vector<std::string> kAllEmails = {"a1@x.test", "a2@x.test", "a3@x.test",
                                             "a4@x.test", "a5@x.test", "a6@x.test",
                                             "b1@x.test", "b2@x.test", "c1@x.test"};
const std::vector<std::string> kDepleted = {"a2@x.test", "a3@x.test", "b2@x.test", "c1@x.test"};

// One destructive command on one generation, and what it must do.
struct Scenario {
    std::string name;
    Api api;
    std::vector<std::string> args;
    std::string phrase;
    std::string command;                   // in the plan and the audit line
    std::string write;                     // the one write request, "POST /path"
    std::string body;                      // its JSON body ("" = none)
    std::vector<std::string> targets;      // emails in the plan
    std::string before;                    // before-counters as the snapshot holds them
    std::function<void(ListEdit&)> after;  // the panel after a successful write
    // A predicate route (classic delDepletedClients): one more list read
    // right before the write, to refuse if the targets changed.
    bool reread = false;
    // A purge reads each inbound it deletes from whole for the snapshot,
    // before anything is recorded (whole_reads: one list read for --all).
    std::vector<int> gets = {};
};

std::vector<WholeRead> whole_reads(const Scenario& s) {
    return whole_reads(s.api, s.gets, purges_all(s.args));
}

std::vector<Scenario> scenarios() {
    const std::string a1 = R"("email":"a1@x.test","up":1073741824,"down":2147483648)";
    const std::string tokyo = R"({"id":2,"remark":"東京 tokyo","up":3000,"down":4000)";
    const std::string b1 = R"("email":"b1@x.test","up":53687091200,"down":10737418240)";
    const std::string a5 = R"("email":"a5@x.test","up":2147483648,"down":0)";
    const std::string a2 = R"("email":"a2@x.test","up":629145600,"down":524288000)";
    const std::string b2 = R"("email":"b2@x.test","up":3221225472,"down":0)";
    auto zero = [](std::vector<std::string> emails) {
        return [emails](ListEdit& e) { e.zero_clients(emails); };
    };
    auto remove = [](std::vector<std::string> emails) {
        return [emails](ListEdit& e) { e.remove_clients(emails); };
    };
    const auto zero_inbounds = [](ListEdit& e) { e.zero_inbound_counters(); };
    const auto zero_all = [](ListEdit& e) { e.zero_all_clients(); };
    const std::string ib = "POST /panel/api/inbounds/";
    const std::string cl = "POST /panel/api/clients/";
    return {
        {"classic: traffic reset INBOUND EMAIL",
         Api::classic,
         {"traffic", "reset", "1", "a1@x.test"},
         "RESET a1@x.test",
         "traffic reset 1 a1@x.test",
         ib + "1/resetClientTraffic/a1%40x.test",
         "",
         {"a1@x.test"},
         a1,
         zero({"a1@x.test"})},
        {"classic: traffic reset-all",
         Api::classic,
         {"traffic", "reset-all"},
         "RESET ALL INBOUNDS ON panel.test",
         "traffic reset-all",
         ib + "resetAllTraffics",
         "",
         {},
         tokyo,
         zero_inbounds},
        {"classic: inbound reset ID",
         Api::classic,
         {"inbound", "reset", "2"},
         "RESET INBOUND 2",
         "inbound reset 2",
         ib + "resetAllClientTraffics/2",
         "",
         {"b1@x.test", "b2@x.test"},
         b1,
         zero({"b1@x.test", "b2@x.test"}),
         true},
        {"classic: inbound reset --all",
         Api::classic,
         {"inbound", "reset", "--all"},
         "RESET ALL CLIENTS ON panel.test",
         "inbound reset --all",
         ib + "resetAllClientTraffics/-1",
         "",
         kAllEmails,
         a5,
         zero_all,
         true},
        {"classic: clients purge-depleted ID",
         Api::classic,
         {"clients", "purge-depleted", "1"},
         "DELETE 2 CLIENTS",
         "clients purge-depleted 1",
         ib + "delDepletedClients/1",
         "",
         {"a2@x.test", "a3@x.test"},
         a2,
         remove({"a2@x.test", "a3@x.test"}),
         true,
         {1}},
        {"classic: clients purge-depleted --all",
         Api::classic,
         {"clients", "purge-depleted", "--all"},
         "DELETE 4 CLIENTS AND 1 INBOUND ON panel.test",
         "clients purge-depleted --all",
         ib + "delDepletedClients/-1",
         "",
         kDepleted,
         b2,
         [](ListEdit& e) { e.remove_clients(kDepleted).remove_inbound(3); },
         true,
         {1, 2, 3}},
        {"v3: traffic reset EMAIL",
         Api::v3,
         {"traffic", "reset", "a1@x.test"},
         "RESET a1@x.test",
         "traffic reset 1 a1@x.test",
         cl + "resetTraffic/a1%40x.test",
         "",
         {"a1@x.test"},
         a1,
         zero({"a1@x.test"})},
        {"v3: traffic reset-all",
         Api::v3,
         {"traffic", "reset-all"},
         "RESET ALL INBOUNDS ON panel.test",
         "traffic reset-all",
         ib + "resetAllTraffics",
         "",
         {},
         tokyo,
         zero_inbounds},
        {"v3: inbound reset ID",
         Api::v3,
         {"inbound", "reset", "2"},
         "RESET INBOUND 2",
         "inbound reset 2",
         cl + "bulkResetTraffic",
         R"({"emails":["b1@x.test","b2@x.test"]})",
         {"b1@x.test", "b2@x.test"},
         b1,
         zero({"b1@x.test", "b2@x.test"})},
        {"v3: inbound reset --all",
         Api::v3,
         {"inbound", "reset", "--all"},
         "RESET ALL CLIENTS ON panel.test",
         "inbound reset --all",
         cl + "bulkResetTraffic",
         R"({"emails":["a1@x.test","a2@x.test","a3@x.test","a4@x.test","a5@x.test","a6@x.test",)"
         R"("b1@x.test","b2@x.test","c1@x.test"]})",
         kAllEmails,
         a5,
         zero_all},
        {"v3: clients purge-depleted ID",
         Api::v3,
         {"clients", "purge-depleted", "1"},
         "DELETE 2 CLIENTS",
         "clients purge-depleted 1",
         cl + "bulkDel",
         R"({"emails":["a2@x.test","a3@x.test"]})",
         {"a2@x.test", "a3@x.test"},
         a2,
         remove({"a2@x.test", "a3@x.test"}),
         false,
         {1}},
        {"v3: clients purge-depleted --all",
         Api::v3,
         {"clients", "purge-depleted", "--all"},
         "DELETE 4 CLIENTS ON panel.test",
         "clients purge-depleted --all",
         cl + "bulkDel",
         R"({"emails":["a2@x.test","a3@x.test","b2@x.test","c1@x.test"]})",
         kDepleted,
         b2,
         remove(kDepleted),
         false,
         {1, 2, 3}},
    };
}

std::string after_list(const Scenario& s) {
    ListEdit edit(list_fixture(s.api));
    s.after(edit);
    return edit.str();
}

// A harness with its own XDG_STATE_HOME.
struct Run {
    StateDir state;
    Harness h;
    Run() { h.env["XDG_STATE_HOME"] = state.str(); }
};

// Read phase, the write (answered `write_answer`), and the verifying re-read.
void script_write(Run& r, const Scenario& s, const std::string& write_answer,
                  const std::string& after, long write_status = 200) {
    expect_read(r.h.transport, s.api);
    if (s.reread) {
        r.h.transport.expect("GET", "/panel/api/inbounds/list", 200, list_fixture(s.api));
    }
    for (const auto& w : whole_reads(s)) {
        r.h.transport.expect("GET", w.line.substr(4), 200, w.answer);
    }
    const auto space = s.write.find(' ');
    r.h.transport.expect(s.write.substr(0, space), s.write.substr(space + 1), write_status,
                         write_answer);
    if (!after.empty()) {
        r.h.transport.expect("GET", "/panel/api/inbounds/list", 200, after);
    }
}

// The requests of a run that stops at its write: the reads, then the write.
std::vector<std::string> lines_to_write(const Scenario& s) {
    auto lines = read_lines();
    if (s.reread) {
        lines.push_back(kList);
    }
    for (const auto& w : whole_reads(s)) {
        lines.push_back(w.line);
    }
    lines.push_back(s.write);
    return lines;
}

std::vector<std::string> with(const std::vector<std::string>& args,
                              std::vector<std::string> extra) {
    std::vector<std::string> out = args;
    out.insert(out.end(), extra.begin(), extra.end());
    return out;
}

std::vector<std::string> success_lines(const Scenario& s) {
    auto lines = read_lines();
    if (s.reread) {
        lines.push_back(kList);
    }
    for (const auto& w : whole_reads(s)) {
        lines.push_back(w.line);
    }
    lines.push_back(s.write);
    lines.push_back(kList);
    return lines;
}

rapidjson::Document parse(const std::string& text) {
    rapidjson::Document doc;
    doc.Parse(text.c_str(), text.size());
    INFO(text);
    REQUIRE_FALSE(doc.HasParseError());
    REQUIRE(doc.IsObject());
    return doc;
}

std::string text_of(const rapidjson::Value& v) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
    v.Accept(w);
    return std::string(buffer.GetString(), buffer.GetSize());
}

std::vector<std::string> plan_emails(const rapidjson::Value& plan) {
    std::vector<std::string> out;
    for (const auto& c : plan["clients"].GetArray()) {
        out.emplace_back(c["email"].GetString());
    }
    return out;
}

// The one audit line, parsed.
rapidjson::Document only_audit_line(const StateDir& state) {
    const auto lines = state.audit_lines();
    REQUIRE(lines.size() == 1);
    return parse(lines[0]);
}

// The write request was the one planned, with exactly the planned body.
void check_write_request(const Harness& h, const Scenario& s) {
    const auto& requests = h.transport.requests();
    const size_t at = read_lines().size() + (s.reread ? 1 : 0) + whole_reads(s).size();
    REQUIRE(requests.size() >= at + 1);
    const auto& write = requests[at];
    CHECK(write.method + " " + url_path(write.url) == s.write);
    CHECK(write.body == s.body);
}

// Audit line with status ok, the plan, and a private snapshot holding the
// before-counters.
void check_recorded_ok(const StateDir& state, const Scenario& s) {
    const auto audit = only_audit_line(state);
    CHECK(std::string(audit["status"].GetString()) == "ok");
    CHECK(std::string(audit["command"].GetString()) == s.command);
    // The user the run logged in as (XUI_USERNAME), never the password.
    CHECK(std::string(audit["panel_user"].GetString()) == "admin");
    CHECK(std::string(audit["plan"]["phrase"].GetString()) == s.phrase);
    CHECK(std::string(audit["plan"]["command"].GetString()) == s.command);
    CHECK(plan_emails(audit["plan"]) == s.targets);
    CHECK(audit["mismatches"].Empty());

    // The snapshot is the record's, in the private database (0600 in 0700).
    const std::string snapshot_id = audit["snapshot"].GetString();
    CHECK(snapshot_id == audit["id"].GetString());
    CHECK(state.snapshots() == std::vector<std::string>{snapshot_id});
    CHECK(mode_of(state.xuictl_dir()) == 0700);
    CHECK(mode_of(state.db_path()) == 0600);
    CHECK_FALSE(std::filesystem::exists(state.audit_path()));
    CHECK_FALSE(std::filesystem::exists(state.snapshots_dir()));
    const std::string snapshot_text = state.snapshot(snapshot_id);
    CHECK(snapshot_text.find(s.before) != std::string::npos);
    const auto snapshot = parse(snapshot_text);
    CHECK(text_of(snapshot["plan"]) == text_of(audit["plan"]));
    if (!s.gets.empty()) {
        // A purge keeps every deleted client as the panel returned it.
        REQUIRE(snapshot.HasMember("deleted"));
        std::vector<std::string> kept;
        for (const auto& c : snapshot["deleted"]["clients"].GetArray()) {
            kept.emplace_back(c["email"].GetString());
            CHECK(std::string(c["client"]["email"].GetString()) == c["email"].GetString());
            CHECK(c["client"].HasMember("subId"));
        }
        CHECK(kept == s.targets);
    } else {
        CHECK(!snapshot.HasMember("deleted"));
    }
    CHECK(std::string(snapshot["id"].GetString()) == audit["id"].GetString());
}

// Exactly the read phase, the planned write and the re-read went out, and
// the operation was recorded as ok.
void check_success(const Run& r, const Scenario& s) {
    CHECK(r.h.transport.unexpected().empty());
    CHECK(r.h.transport.request_lines() == success_lines(s));
    check_write_request(r.h, s);
    check_recorded_ok(r.state, s);
}

// Nothing but the read phase went out, and nothing was recorded.
void check_nothing_written(const Run& r) {
    CHECK(r.h.transport.unexpected().empty());
    CHECK(r.h.transport.request_lines() == read_lines());
    CHECK(r.h.transport.posts() == login_posts());
    CHECK(r.state.audit_lines().empty());
    CHECK(r.state.snapshots().empty());
}

std::string lowercase(std::string s) {
    for (auto& c : s) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return s;
}

}  // namespace

TEST_CASE("typing the phrase on a TTY sends exactly the planned write, then verifies",
          "[cmd][destructive]") {
    for (const auto& s : scenarios()) {
        SECTION(s.name) {
            Run r;
            r.h.terminal.set_tty(true);
            r.h.terminal.answers.push_back(s.phrase);
            script_write(r, s, ok_envelope("null"), after_list(s));
            CHECK(r.h.run(s.args) == 0);
            check_success(r, s);
            REQUIRE(r.h.terminal.prompts.size() == 1);
            CHECK(r.h.terminal.prompts[0] ==
                  "Type \"" + s.phrase +
                      "\" to confirm on http://panel.test:2053/ (anything else aborts): ");
            CHECK(r.h.out.empty());  // the plan is not data unless -o json
            CHECK(r.h.err.find("done: " + s.command) != std::string::npos);
        }
    }
}

TEST_CASE("declining in any way sends no write and records nothing", "[cmd][destructive]") {
    struct Decline {
        const char* name;
        bool tty;
        std::optional<std::string> answer;
        std::function<std::vector<std::string>(const Scenario&)> extra;
        int code;
        std::function<std::string(const Scenario&)> message;  // expected on stderr
    };
    const std::vector<Decline> declines = {
        {"wrong phrase", true, std::string("yes"),
         [](const Scenario&) { return std::vector<std::string>{}; }, 3,
         [](const Scenario&) { return std::string("aborted, nothing changed\n"); }},
        {"EOF at the prompt", true, std::nullopt,
         [](const Scenario&) { return std::vector<std::string>{}; }, 3,
         [](const Scenario&) { return std::string("aborted, nothing changed\n"); }},
        {"--dry-run", true, std::nullopt,
         [](const Scenario&) { return std::vector<std::string>{"--dry-run"}; }, 0,
         [](const Scenario&) { return std::string("dry run: nothing changed\n"); }},
        {"no TTY and no --yes", false, std::nullopt,
         [](const Scenario&) { return std::vector<std::string>{}; }, 3,
         [](const Scenario& s) { return "add --yes, or --confirm '" + s.phrase + "'"; }},
        {"wrong --confirm", false, std::nullopt,
         [](const Scenario& s) {
             return std::vector<std::string>{"--confirm", lowercase(s.phrase)};
         },
         3, [](const Scenario& s) { return "this plan needs --confirm '" + s.phrase + "'"; }},
    };
    for (const auto& s : scenarios()) {
        SECTION(s.name) {
            for (const auto& d : declines) {
                SECTION(d.name) {
                    Run r;
                    r.h.terminal.set_tty(d.tty);
                    r.h.terminal.answers.push_back(d.answer);
                    expect_read(r.h.transport, s.api);
                    CHECK(r.h.run(with(s.args, d.extra(s))) == d.code);
                    check_nothing_written(r);
                    CHECK(r.h.err.find(d.message(s)) != std::string::npos);
                    // Only a TTY without --dry-run asks.
                    const bool asked = d.tty && std::string(d.name) != "--dry-run";
                    CHECK(r.h.terminal.prompts.size() == (asked ? 1u : 0u));
                }
            }
        }
    }
}

TEST_CASE("--yes and a correct --confirm run without a prompt", "[cmd][destructive]") {
    for (const auto& s : scenarios()) {
        SECTION(s.name) {
            for (const bool yes : {true, false}) {
                SECTION(yes ? "--yes without a TTY" : "--confirm on a TTY") {
                    Run r;
                    r.h.terminal.set_tty(!yes);
                    script_write(r, s, ok_envelope("null"), after_list(s));
                    const auto extra = yes ? std::vector<std::string>{"--yes"}
                                           : std::vector<std::string>{"--confirm", s.phrase};
                    CHECK(r.h.run(with(s.args, extra)) == 0);
                    CHECK(r.h.terminal.prompts.empty());
                    check_success(r, s);
                }
            }
        }
    }
}

TEST_CASE("-o json prints the plan, then the result object, on stdout", "[cmd][destructive]") {
    for (const auto& s : scenarios()) {
        SECTION(s.name) {
            Run r;
            script_write(r, s, ok_envelope("null"), after_list(s));
            REQUIRE(r.h.run(with(s.args, {"--yes", "-o", "json"})) == 0);
            check_success(r, s);
            REQUIRE(!r.h.out.empty());
            CHECK(r.h.out.back() == '\n');
            REQUIRE(std::count(r.h.out.begin(), r.h.out.end(), '\n') == 2);
            const std::string plan_line = r.h.out.substr(0, r.h.out.find('\n') + 1);
            const auto plan = parse(plan_line);
            CHECK(std::string(plan["phrase"].GetString()) == s.phrase);
            CHECK(std::string(plan["command"].GetString()) == s.command);
            CHECK(std::string(plan["api"].GetString()) == api_name(s.api));
            CHECK(plan_emails(plan) == s.targets);
            // The same plan the audit line recorded.
            const auto audit = only_audit_line(r.state);
            CHECK(plan_line == text_of(audit["plan"]) + "\n");
            // Then how it ended, for scripts (issue 15 §6).
            const auto result = parse(r.h.out.substr(plan_line.size()));
            CHECK(std::string(result["id"].GetString()) == audit["id"].GetString());
            CHECK(std::string(result["status"].GetString()) == "ok");
            CHECK(std::string(result["command"].GetString()) == s.command);
            CHECK(std::string(result["panel"].GetString()) == audit["panel"].GetString());
            CHECK(text_of(result["done"]) == text_of(audit["done"]));
            CHECK(result["not_done"].Empty());
            CHECK(result["answer_lost"].GetBool() == false);
            CHECK(result["verification"]["checked"].GetBool());
            CHECK(result["verification"]["ok"].GetBool());
            CHECK(result["exit_code"].GetInt() == 0);
        }
    }
}

TEST_CASE("an empty purge plan exits 0 without asking", "[cmd][destructive]") {
    for (Api api : {Api::classic, Api::v3}) {
        SECTION(api_name(api)) {
            Run r;
            r.h.terminal.set_tty(true);
            expect_read(r.h.transport, api,
                        ListEdit(list_fixture(api)).remove_clients({"b2@x.test"}).str());
            CHECK(r.h.run({"clients", "purge-depleted", "2"}) == 0);
            CHECK(r.h.terminal.prompts.empty());
            check_nothing_written(r);
            CHECK(r.h.err.find("nothing to do: the plan is empty\n") != std::string::npos);
        }
    }
}

TEST_CASE("an unknown inbound id or email exits 5 with no write", "[cmd][destructive]") {
    struct Case {
        std::vector<std::string> args;
        std::string message;
    };
    const std::vector<Case> cases = {
        {{"inbound", "reset", "9"},
         "xuictl: error: no inbound with id 9\nhint: existing ids: 1, 2, 3"},
        {{"clients", "purge-depleted", "9"}, "xuictl: error: no inbound with id 9\n"},
        {{"traffic", "reset", "9", "a1@x.test"}, "xuictl: error: no inbound with id 9\n"},
        {{"traffic", "reset", "1", "nobody@x.test"},
         "xuictl: error: no client with email 'nobody@x.test'\n"},
        {{"traffic", "reset", "2", "a1@x.test"},
         "xuictl: error: client 'a1@x.test' is not in inbound 2\nhint: it is in inbound 1\n"},
    };
    for (Api api : {Api::classic, Api::v3}) {
        for (const auto& c : cases) {
            SECTION(std::string(api_name(api)) + ": " + c.args[0] + " " + c.args[1] + " " +
                    c.args[2]) {
                Run r;
                r.h.terminal.set_tty(true);
                r.h.terminal.answers.push_back(std::string("anything"));
                expect_read(r.h.transport, api);
                CHECK(r.h.run(c.args) == 5);
                CHECK(r.h.terminal.prompts.empty());
                check_nothing_written(r);
                CHECK(r.h.err.find(c.message) != std::string::npos);
            }
        }
    }
    SECTION("v3: traffic reset with an unknown email only") {
        Run r;
        expect_read(r.h.transport, Api::v3);
        CHECK(r.h.run({"traffic", "reset", "nobody@x.test", "--yes"}) == 5);
        check_nothing_written(r);
    }
}

TEST_CASE("traffic reset EMAIL on a classic panel asks for the inbound (exit 2)",
          "[cmd][destructive]") {
    Run r;
    r.h.terminal.set_tty(true);
    expect_read(r.h.transport, Api::classic);
    CHECK(r.h.run({"traffic", "reset", "a1@x.test"}) == 2);
    check_nothing_written(r);
    CHECK(r.h.terminal.prompts.empty());
    const std::string expected =
        "xuictl: error: this panel uses the classic API, which needs the inbound id to reset "
        "'a1@x.test'\n"
        "hint: run: xuictl traffic reset 1 a1@x.test  (inbounds holding it: 1)\n";
    REQUIRE(r.h.err.size() >= expected.size());
    CHECK(r.h.err.substr(r.h.err.size() - expected.size()) == expected);
}

TEST_CASE("a reset the re-read does not confirm exits 1 and is audited verify_failed",
          "[cmd][destructive]") {
    const auto all = scenarios();
    for (const auto* name : {"v3: traffic reset EMAIL", "classic: clients purge-depleted ID"}) {
        SECTION(name) {
            const auto& s = *std::find_if(all.begin(), all.end(),
                                          [&](const Scenario& x) { return x.name == name; });
            const bool purge = s.command.find("purge") != std::string::npos;
            // The panel acknowledged, but its flush undid the reset / one client survived.
            const std::string after =
                purge ? ListEdit(list_fixture(s.api)).remove_clients({"a2@x.test"}).str()
                      : list_fixture(s.api);
            const std::string mismatch =
                purge ? "a3@x.test: still present"
                      : "a1@x.test: still 3221225472 B used (up 1073741824 down 2147483648), was "
                        "3221225472 B";
            Run r;
            script_write(r, s, ok_envelope("null"), after);
            CHECK(r.h.run(with(s.args, {"--yes"})) == 1);
            CHECK(r.h.transport.unexpected().empty());
            CHECK(r.h.transport.request_lines() == success_lines(s));
            CHECK(r.h.err.find("verification failed for 1 target(s):\n  " + mismatch + "\n") !=
                  std::string::npos);
            const auto audit = only_audit_line(r.state);
            CHECK(std::string(audit["status"].GetString()) == "verify_failed");
            REQUIRE(audit["mismatches"].Size() == 1);
            CHECK(std::string(audit["mismatches"][0].GetString()) == mismatch);
        }
    }
}

TEST_CASE("a write the panel refuses exits 1 and is audited failed", "[cmd][destructive]") {
    for (const auto& s : scenarios()) {
        SECTION(s.name) {
            Run r;
            script_write(r, s, fail_envelope("Something went wrong (record not found)"), "");
            CHECK(r.h.run(with(s.args, {"--yes"})) == 1);
            CHECK(r.h.transport.unexpected().empty());
            CHECK(r.h.transport.request_lines() == lines_to_write(s));  // no verifying re-read
            CHECK(r.h.err.find("Something went wrong (record not found)") != std::string::npos);
            const auto audit = only_audit_line(r.state);
            CHECK(std::string(audit["status"].GetString()) == "failed");
            CHECK(std::string(audit["error"].GetString()).find("record not found") !=
                  std::string::npos);
            CHECK(r.state.snapshots().size() == 1);
        }
    }
}

TEST_CASE("a write answered as logged out is sent once: no re-login, no retry",
          "[cmd][destructive]") {
    // The read before the write logged in, so the session is not fresh: an
    // empty 404 or a 401 is the kind of answer a read logs in again and
    // retries for. A write never goes out twice (issue 15 §4).
    struct Answer {
        const char* name;
        long status;
        int code;
        const char* said;
    };
    for (const Answer a :
         {Answer{"401", 401, 4, "refused the"}, Answer{"empty 404", 404, 6, "no route for the"}}) {
        for (const auto& s : scenarios()) {
            SECTION(std::string(a.name) + ": " + s.name) {
                Run r;
                script_write(r, s, "", "", a.status);
                CHECK(r.h.run(with(s.args, {"--yes"})) == a.code);
                CHECK(r.h.transport.unexpected().empty());
                CHECK(r.h.transport.request_lines() == lines_to_write(s));  // once; no login after
                CHECK(r.h.err.find(a.said) != std::string::npos);
                CHECK(r.h.err.find("nothing was applied") != std::string::npos);
                CHECK(std::string(only_audit_line(r.state)["status"].GetString()) == "failed");
            }
        }
    }
}

TEST_CASE("inbound reset on v3.1.x resets one email at a time", "[cmd][destructive]") {
    Run r;
    expect_read(r.h.transport, Api::v3, {}, "3.1.5");
    r.h.transport.expect("POST", "/panel/api/clients/resetTraffic/b1%40x.test", 200,
                         ok_envelope("null"));
    r.h.transport.expect("POST", "/panel/api/clients/resetTraffic/b2%40x.test", 200,
                         ok_envelope("null"));
    r.h.transport.expect(
        "GET", "/panel/api/inbounds/list", 200,
        ListEdit(list_fixture(Api::v3)).zero_clients({"b1@x.test", "b2@x.test"}).str());
    CHECK(r.h.run({"inbound", "reset", "2", "--confirm", "RESET INBOUND 2"}) == 0);
    CHECK(r.h.transport.unexpected().empty());
    CHECK(r.h.transport.pending() == 0);
    auto posts = login_posts();
    posts.push_back("POST /panel/api/clients/resetTraffic/b1%40x.test");
    posts.push_back("POST /panel/api/clients/resetTraffic/b2%40x.test");
    CHECK(r.h.transport.posts() == posts);
}

TEST_CASE("classic purge: a target set changed since the plan is refused before anything is sent",
          "[cmd][destructive]") {
    const auto all = scenarios();
    const auto& s = *std::find_if(all.begin(), all.end(), [](const Scenario& x) {
        return x.name == "classic: clients purge-depleted ID";
    });
    Run r;
    expect_read(r.h.transport, s.api);
    // a1 was used up between the plan and the typed phrase.
    r.h.transport.expect(
        "GET", "/panel/api/inbounds/list", 200,
        ListEdit(list_fixture(s.api)).set_client_stat("a1@x.test", "expiryTime", 1000).str());
    CHECK(r.h.run(with(s.args, {"--yes", "-o", "json"})) == 1);
    CHECK(r.h.transport.unexpected().empty());
    auto lines = read_lines();
    lines.push_back(kList);
    CHECK(r.h.transport.request_lines() == lines);  // no write
    CHECK(r.h.err.find("xuictl: error: the panel changed between the plan and the write (1 "
                       "difference(s)); this panel's route acts on whoever matches when it "
                       "arrives, so nothing was sent:\n  a1@x.test: now also a target\n") !=
          std::string::npos);
    CHECK(r.state.audit_lines().empty());
    CHECK(r.state.snapshots().empty());
    const auto result = parse(r.h.out.substr(r.h.out.find('\n') + 1));
    CHECK(std::string(result["status"].GetString()) == "not_applied");
    CHECK(result["id"].IsNull());
}

TEST_CASE("classic inbound reset: a target set changed since the plan is refused, nothing sent",
          "[cmd][destructive]") {
    Run r;
    expect_read(r.h.transport, Api::classic);
    // b2 left inbound 2 between the plan and the typed phrase.
    r.h.transport.expect("GET", "/panel/api/inbounds/list", 200,
                         ListEdit(list_fixture(Api::classic)).remove_clients({"b2@x.test"}).str());
    CHECK(r.h.run({"inbound", "reset", "2", "--yes"}) == 1);
    CHECK(r.h.transport.unexpected().empty());
    auto lines = read_lines();
    lines.push_back(kList);
    CHECK(r.h.transport.request_lines() == lines);  // no resetAllClientTraffics
    CHECK(r.h.err.find("nothing was sent:\n  b2@x.test: no longer a target\n") !=
          std::string::npos);
    CHECK(r.state.audit_lines().empty());
}

TEST_CASE("classic inbound reset: a client that arrived during the write is reported (exit 1)",
          "[cmd][destructive]") {
    Run r;
    // The plan and the re-read see inbound 2 without b2; the write meets it.
    const std::string without_b2 =
        ListEdit(list_fixture(Api::classic)).remove_clients({"b2@x.test"}).str();
    expect_read(r.h.transport, Api::classic, without_b2);
    r.h.transport.expect("GET", "/panel/api/inbounds/list", 200, without_b2);
    r.h.transport.expect("POST", "/panel/api/inbounds/resetAllClientTraffics/2", 200,
                         ok_envelope("null"));
    r.h.transport.expect(
        "GET", "/panel/api/inbounds/list", 200,
        ListEdit(list_fixture(Api::classic)).zero_clients({"b1@x.test", "b2@x.test"}).str());
    CHECK(r.h.run({"inbound", "reset", "2", "--yes"}) == 1);
    CHECK(r.h.transport.unexpected().empty());
    CHECK(r.h.transport.pending() == 0);
    CHECK(r.h.err.find("verification failed for 1 target(s):\n  b2@x.test (inbound 2): added "
                       "while the write was sent, not in the plan") != std::string::npos);
    CHECK(std::string(only_audit_line(r.state)["status"].GetString()) == "verify_failed");
}

TEST_CASE("a purge that deleted more than the plan fails verification naming each record",
          "[cmd][destructive]") {
    const auto all = scenarios();
    const auto& s = *std::find_if(all.begin(), all.end(), [](const Scenario& x) {
        return x.name == "classic: clients purge-depleted ID";
    });
    Run r;
    script_write(r, s, ok_envelope("null"),
                 ListEdit(list_fixture(s.api))
                     .remove_clients({"a2@x.test", "a3@x.test", "a4@x.test"})
                     .str());
    CHECK(r.h.run(with(s.args, {"--yes"})) == 1);
    CHECK(r.h.transport.unexpected().empty());
    const auto audit = only_audit_line(r.state);
    CHECK(r.h.err.find("verification failed for 1 target(s):\n  a4@x.test (inbound 1): deleted, "
                       "but not in the plan\nhint: 1 of the 1 unplanned deletion(s) are kept in "
                       "the snapshot: xuictl clients restore " +
                       std::string(audit["id"].GetString()) + " brings them back\n") !=
          std::string::npos);
    CHECK(std::string(audit["status"].GetString()) == "verify_failed");
    // ...and the snapshot now keeps a4 too, exactly as inbounds/get/1 returned it.
    const auto snapshot = parse(r.state.snapshot(audit["snapshot"].GetString()));
    std::vector<std::string> kept;
    for (const auto& c : snapshot["deleted"]["clients"].GetArray()) {
        kept.emplace_back(c["email"].GetString());
    }
    CHECK(kept == std::vector<std::string>{"a2@x.test", "a3@x.test", "a4@x.test"});
    CHECK(snapshot["deleted"]["clients"][2]["enable"].GetBool() == false);  // a4: switched off
}

TEST_CASE("a write without a clear answer is judged by a re-read and never sent again",
          "[cmd][destructive]") {
    const std::string b1 = "/panel/api/clients/resetTraffic/b1%40x.test";
    const std::string b2 = "/panel/api/clients/resetTraffic/b2%40x.test";
    const std::string both =
        ListEdit(list_fixture(Api::v3)).zero_clients({"b1@x.test", "b2@x.test"}).str();
    struct Case {
        const char* name;
        std::string after;  // the panel as the re-read finds it
        int code;
        const char* status;
        std::vector<std::string> done;
        std::vector<std::string> not_done;
        const char* message;
    };
    const std::vector<Case> cases = {
        {"the lost answer hid a success: exit 0 with a warning",
         both,
         0,
         "ok",
         {"b1@x.test", "b2@x.test"},
         {},
         "xuictl: warning: the panel's answer to the write was lost (1 of 2 clients done, 1 not "
         "done (failed at b2@x.test: the panel failed the client traffic reset with HTTP 500)), "
         "but re-reading shows it was applied\n"},
        {"only the first was applied: exit 7 with done and not done",
         ListEdit(list_fixture(Api::v3)).zero_clients({"b1@x.test"}).str(),
         7,
         "partial",
         {"b1@x.test"},
         {"b2@x.test"},
         "xuictl: error: partly applied: 1 of 2 target(s) done, 1 not done (the write got no "
         "clear answer: "},
    };
    for (const auto& c : cases) {
        SECTION(c.name) {
            Run r;
            expect_read(r.h.transport, Api::v3, {}, "3.1.5");
            r.h.transport.expect("POST", b1, 200, ok_envelope("null"));
            r.h.transport.expect("POST", b2, 500, "");
            r.h.transport.expect("GET", "/panel/api/inbounds/list", 200, c.after);
            CHECK(r.h.run({"inbound", "reset", "2", "--yes", "-o", "json"}) == c.code);
            CHECK(r.h.transport.unexpected().empty());
            CHECK(r.h.transport.pending() == 0);
            auto posts = login_posts();
            posts.push_back("POST " + b1);
            posts.push_back("POST " + b2);
            CHECK(r.h.transport.posts() == posts);  // b2 went out once
            INFO(r.h.err);
            CHECK(r.h.err.find(c.message) != std::string::npos);
            const auto audit = only_audit_line(r.state);
            CHECK(std::string(audit["status"].GetString()) == c.status);
            const auto result = parse(r.h.out.substr(r.h.out.find('\n') + 1));
            CHECK(std::string(result["status"].GetString()) == c.status);
            CHECK(result["answer_lost"].GetBool());
            CHECK(result["exit_code"].GetInt() == c.code);
            std::vector<std::string> done;
            for (const auto& d : audit["done"].GetArray()) {
                done.emplace_back(d.GetString());
            }
            std::vector<std::string> not_done;
            for (const auto& d : audit["not_done"].GetArray()) {
                not_done.emplace_back(d.GetString());
            }
            CHECK(done == c.done);
            CHECK(not_done == c.not_done);
        }
    }
    SECTION("a bulk write with a malformed answer that changed nothing: exit 1, not applied") {
        Run r;
        expect_read(r.h.transport, Api::v3);
        r.h.transport.expect("POST", "/panel/api/clients/bulkResetTraffic", 200, "{\"success\":tr");
        r.h.transport.expect("GET", "/panel/api/inbounds/list", 200, list_fixture(Api::v3));
        CHECK(r.h.run({"inbound", "reset", "2", "--yes"}) == 1);
        CHECK(r.h.transport.unexpected().empty());
        CHECK(r.h.err.find("xuictl: error: not applied: the write got no clear answer") !=
              std::string::npos);
        CHECK(r.h.err.find("nothing was sent again; check with: xuictl stats --inbound 2, then "
                           "run: xuictl inbound reset 2") != std::string::npos);
        CHECK(std::string(only_audit_line(r.state)["status"].GetString()) == "not_applied");
    }
}

TEST_CASE("clients restore sends a snapshot's records only to the panel they came from",
          "[cmd][destructive]") {
    // The records hold client secrets (uuids, passwords).
    Run r;
    xuictl::Capabilities caps;
    caps.generation = xuictl::ApiGeneration::v3;
    caps.version = xuictl::Version{{3, 6, 0}};
    auto plan = xuictl::plan_purge_depleted(fixture_inbounds(Api::v3), 1, caps, 1767225600000);
    REQUIRE(plan.ok());
    xuictl::AuditEntry entry;
    entry.id = "20260101T000000Z-0001";
    entry.panel = "https://other.example:2053/";
    entry.command = plan->command;
    entry.plan_json = xuictl::plan_to_json(*plan);
    xuictl::DeletedRecords deleted;
    deleted.clients.push_back(
        {1, "a2@x.test", R"({"email":"a2@x.test","id":"secret-uuid"})", "", true, 1, 2});
    const auto path = r.state.path() / "other.json";
    std::ofstream(path) << xuictl::snapshot_to_json(entry, deleted);
    CHECK(r.h.run({"clients", "restore", path.string(), "--yes"}) == 2);
    CHECK(r.h.transport.requests().empty());
    CHECK(r.h.err.find("operation 20260101T000000Z-0001 deleted clients on "
                       "https://other.example:2053/, not on this panel") != std::string::npos);
}
