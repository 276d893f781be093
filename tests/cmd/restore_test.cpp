// traffic restore: exact requests on both API generations, the capability
// check on old classic panels, confirmation on a TTY and without one, the
// panel-URL guard, and what cannot be restored.
#include <catch2/catch.hpp>

#include <algorithm>

#include "support/harness.hpp"
#include "support/list_edit.hpp"
#include "support/panel_script.hpp"
#include "support/workflow.hpp"

using namespace xuictl::test;

namespace {

const std::string kList = "GET /panel/api/inbounds/list";
const std::string kId = "20260101T000000Z-0001";
constexpr int64_t kB1Up = 53687091200;
constexpr int64_t kB1Down = 10737418240;
constexpr int64_t kB2Up = 3221225472;

// The snapshot `inbound reset 2` writes on the fixture panel.
Recorded inbound2_snapshot() {
    Recorded r;
    r.id = kId;
    r.clients = {{2, "b1@x.test", kB1Up, kB1Down}, {2, "b2@x.test", kB2Up, 0}};
    return r;
}

// The fixture after `inbound reset 2`: b1 and b2 read zero.
std::string after_reset(Api api) {
    return ListEdit(list_fixture(api)).zero_clients({"b1@x.test", "b2@x.test"}).str();
}

std::string update_route(Api api, const std::string& email_encoded) {
    return api == Api::v3 ? "/panel/api/clients/updateTraffic/" + email_encoded
                          : "/panel/api/inbounds/updateClientTraffic/" + email_encoded;
}

// Read phase answering with the reset list, the two writes, the re-read.
void script_restore(StateRun& r, Api api, const std::string& reread) {
    expect_read(r.h.transport, api, after_reset(api));
    r.h.transport.expect("POST", update_route(api, "b1%40x.test"), 200, ok_envelope("null"));
    r.h.transport.expect("POST", update_route(api, "b2%40x.test"), 200, ok_envelope("null"));
    r.h.transport.expect("GET", "/panel/api/inbounds/list", 200, reread);
}

std::vector<std::string> restore_lines(Api api) {
    auto lines = read_lines();
    lines.push_back("POST " + update_route(api, "b1%40x.test"));
    lines.push_back("POST " + update_route(api, "b2%40x.test"));
    lines.push_back(kList);
    return lines;
}

void check_no_write(const StateRun& r) {
    CHECK(r.h.transport.unexpected().empty());
    CHECK(r.h.transport.request_lines() == read_lines());
    CHECK(r.h.transport.posts() == login_posts());
    CHECK(r.state.audit_lines().empty());
}

}  // namespace

TEST_CASE("restore sets exactly the snapshot's counters, then verifies and audits",
          "[cmd][restore]") {
    for (Api api : {Api::v3, Api::classic}) {
        SECTION(api_name(api)) {
            StateRun r;
            write_snapshot(r.state, inbound2_snapshot());
            script_restore(r, api, list_fixture(api));
            CHECK(r.h.run({"traffic", "restore", kId, "--yes"}) == 0);
            CHECK(r.h.transport.unexpected().empty());
            CHECK(r.h.transport.request_lines() == restore_lines(api));
            const auto& reqs = r.h.transport.requests();
            const size_t first = read_lines().size();
            CHECK(reqs[first].body == R"({"upload":53687091200,"download":10737418240})");
            CHECK(reqs[first + 1].body == R"({"upload":3221225472,"download":0})");
            CHECK(request_header(reqs[first], "Content-Type") == "application/json");
            CHECK(r.h.err.find("RESTORE 2 CLIENTS") == std::string::npos);  // no prompt text
            CHECK(r.h.err.find("done: traffic restore " + kId + " (2 target(s)), verified") !=
                  std::string::npos);

            const auto lines = r.state.audit_lines();
            REQUIRE(lines.size() == 1);
            const auto audit = parse_json_text(lines[0]);
            CHECK(std::string(audit["status"].GetString()) == "ok");
            CHECK(std::string(audit["command"].GetString()) == "traffic restore " + kId);
            const auto& plan = audit["plan"];
            CHECK(std::string(plan["operation"].GetString()) == "restore_clients");
            CHECK(std::string(plan["phrase"].GetString()) == "RESTORE 2 CLIENTS");
            CHECK(std::string(plan["restore_from"].GetString()) == kId);
            REQUIRE(plan["restore_to"].Size() == 2);
            CHECK(plan["restore_to"][0]["up"].GetInt64() == kB1Up);
            CHECK(plan["restore_to"][0]["down"].GetInt64() == kB1Down);
            // The before-counters (zero) are snapshotted: a restore can be undone.
            CHECK(plan["clients"][0]["used"].GetInt64() == 0);
            CHECK(r.state.snapshots().size() == 2);
        }
    }
}

TEST_CASE("restore asks for RESTORE <n> CLIENTS on a TTY and refuses without one",
          "[cmd][restore]") {
    SECTION("typed phrase writes") {
        StateRun r;
        r.h.terminal.set_tty(true);
        r.h.terminal.answers.push_back(std::string("RESTORE 2 CLIENTS"));
        write_snapshot(r.state, inbound2_snapshot());
        script_restore(r, Api::v3, list_fixture(Api::v3));
        CHECK(r.h.run({"traffic", "restore", kId}) == 0);
        REQUIRE(r.h.terminal.prompts.size() == 1);
        CHECK(r.h.terminal.prompts[0] ==
              "Type \"RESTORE 2 CLIENTS\" to confirm on "
              "http://panel.test:2053/ (anything else aborts): ");
        CHECK(r.h.transport.request_lines() == restore_lines(Api::v3));
    }
    SECTION("wrong phrase on a TTY: exit 3, nothing written") {
        StateRun r;
        r.h.terminal.set_tty(true);
        r.h.terminal.answers.push_back(std::string("RESTORE 3 CLIENTS"));
        write_snapshot(r.state, inbound2_snapshot());
        expect_read(r.h.transport, Api::v3, after_reset(Api::v3));
        CHECK(r.h.run({"traffic", "restore", kId}) == 3);
        check_no_write(r);
        CHECK(r.h.err.find("aborted, nothing changed") != std::string::npos);
    }
    SECTION("no TTY and no --yes: exit 3, says which flag") {
        StateRun r;
        write_snapshot(r.state, inbound2_snapshot());
        expect_read(r.h.transport, Api::v3, after_reset(Api::v3));
        CHECK(r.h.run({"traffic", "restore", kId}) == 3);
        check_no_write(r);
        CHECK(r.h.terminal.prompts.empty());
        CHECK(r.h.err.find("add --yes, or --confirm 'RESTORE 2 CLIENTS'") != std::string::npos);
    }
    SECTION("--dry-run shows the targets and writes nothing") {
        StateRun r;
        write_snapshot(r.state, inbound2_snapshot());
        expect_read(r.h.transport, Api::v3, after_reset(Api::v3));
        CHECK(r.h.run({"traffic", "restore", kId, "--dry-run", "--bytes"}) == 0);
        check_no_write(r);
        CHECK(r.h.err.find("UP AFTER") != std::string::npos);
        CHECK(r.h.err.find("53687091200") != std::string::npos);
        CHECK(r.h.err.find("2 client counter(s) will be set to the values of snapshot " + kId) !=
              std::string::npos);
    }
}

TEST_CASE("restore --client restores one client only", "[cmd][restore]") {
    StateRun r;
    write_snapshot(r.state, inbound2_snapshot());
    expect_read(r.h.transport, Api::v3, after_reset(Api::v3));
    r.h.transport.expect("POST", update_route(Api::v3, "b2%40x.test"), 200, ok_envelope("null"));
    r.h.transport.expect("GET", "/panel/api/inbounds/list", 200,
                         ListEdit(list_fixture(Api::v3)).zero_clients({"b1@x.test"}).str());
    CHECK(r.h.run({"traffic", "restore", kId, "--client", "b2@x.test", "--confirm",
                   "RESTORE 1 CLIENTS"}) == 0);
    CHECK(r.h.transport.unexpected().empty());
    CHECK(r.h.transport.pending() == 0);

    StateRun none;
    write_snapshot(none.state, inbound2_snapshot());
    expect_read(none.h.transport, Api::v3, after_reset(Api::v3));
    CHECK(none.h.run({"traffic", "restore", kId, "--client", "a1@x.test", "--yes"}) == 5);
    check_no_write(none);
    CHECK(none.h.err.find("snapshot " + kId + " has no client 'a1@x.test'") != std::string::npos);
}

TEST_CASE("an old classic panel is asked once, without a write, whether it can set counters",
          "[cmd][restore]") {
    // No trafficReset field: older than 2.8.1, so the route may be missing.
    std::string old_list = after_reset(Api::classic);
    for (std::string::size_type p;
         (p = old_list.find("\"trafficReset\":\"never\",")) != std::string::npos;) {
        old_list.erase(p, std::string("\"trafficReset\":\"never\",").size());
    }
    REQUIRE(old_list.find("trafficReset") == std::string::npos);
    const std::string probe = "/panel/api/inbounds/updateClientTraffic/xuictl-capability-probe";

    SECTION("route missing (404): exit 6 before any write or prompt") {
        StateRun r;
        r.h.terminal.set_tty(true);
        write_snapshot(r.state, inbound2_snapshot());
        expect_read(r.h.transport, Api::classic, old_list);
        r.h.transport.expect("POST", probe, 404, "404 page not found");
        CHECK(r.h.run({"traffic", "restore", kId}) == 6);
        CHECK(r.h.transport.unexpected().empty());
        CHECK(r.h.terminal.prompts.empty());
        auto posts = login_posts();
        posts.push_back("POST " + probe);
        CHECK(r.h.transport.posts() == posts);
        CHECK(r.h.transport.requests().back().body == "[]");
        CHECK(r.state.audit_lines().empty());
        CHECK(r.h.err.find("this panel version cannot set client traffic counters") !=
              std::string::npos);
    }
    SECTION("route present (refuses the probe body): the restore proceeds") {
        StateRun r;
        write_snapshot(r.state, inbound2_snapshot());
        expect_read(r.h.transport, Api::classic, old_list);
        r.h.transport.expect(
            "POST", probe, 200,
            fail_envelope("Inbound has been successfully updated. (json: cannot unmarshal array)"));
        r.h.transport.expect("POST", update_route(Api::classic, "b1%40x.test"), 200,
                             ok_envelope("null"));
        r.h.transport.expect("POST", update_route(Api::classic, "b2%40x.test"), 200,
                             ok_envelope("null"));
        r.h.transport.expect("GET", "/panel/api/inbounds/list", 200, list_fixture(Api::classic));
        CHECK(r.h.run({"traffic", "restore", kId, "--yes"}) == 0);
        CHECK(r.h.transport.unexpected().empty());
        CHECK(r.h.transport.pending() == 0);
    }
}

TEST_CASE("a 404 on the first update is unsupported (6); after one success it is partial (7)",
          "[cmd][restore]") {
    SECTION("first") {
        StateRun r;
        write_snapshot(r.state, inbound2_snapshot());
        expect_read(r.h.transport, Api::v3, after_reset(Api::v3));
        // A bare 404 may mean "logged out" (§3.5), but a write is never sent
        // twice: no re-login, no retry; the panel applied nothing either way.
        r.h.transport.expect("POST", update_route(Api::v3, "b1%40x.test"), 404, "");
        CHECK(r.h.run({"traffic", "restore", kId, "--yes"}) == 6);
        const auto posts = r.h.transport.posts();
        CHECK(std::count(posts.begin(), posts.end(),
                         "POST " + update_route(Api::v3, "b1%40x.test")) == 1);
        CHECK(r.h.transport.pending() == 0);
        CHECK(r.h.transport.unexpected().empty());
        CHECK(r.h.err.find("cannot set client traffic counters") != std::string::npos);
        const auto audit = parse_json_text(r.state.audit_lines().at(0));
        CHECK(std::string(audit["status"].GetString()) == "failed");
    }
    SECTION("second") {
        StateRun r;
        write_snapshot(r.state, inbound2_snapshot());
        expect_read(r.h.transport, Api::v3, after_reset(Api::v3));
        r.h.transport.expect("POST", update_route(Api::v3, "b1%40x.test"), 200,
                             ok_envelope("null"));
        r.h.transport.expect("POST", update_route(Api::v3, "b2%40x.test"), 200,
                             fail_envelope("Something went wrong (record not found)"));
        CHECK(r.h.run({"traffic", "restore", kId, "--yes"}) == 7);
        CHECK(r.h.err.find("1 of 2 clients done, 1 not done (failed at b2@x.test") !=
              std::string::npos);
        const auto audit = parse_json_text(r.state.audit_lines().at(0));
        CHECK(std::string(audit["status"].GetString()) == "partial");
    }
}

TEST_CASE("a restore the re-read does not show exits 1 (verify_failed)", "[cmd][restore]") {
    StateRun r;
    write_snapshot(r.state, inbound2_snapshot());
    script_restore(r, Api::v3, after_reset(Api::v3));  // the panel still reads zero
    CHECK(r.h.run({"traffic", "restore", kId, "--yes"}) == 1);
    CHECK(r.h.err.find("b1@x.test: up 0 down 0, expected up 53687091200 down 10737418240") !=
          std::string::npos);
    const auto audit = parse_json_text(r.state.audit_lines().at(0));
    CHECK(std::string(audit["status"].GetString()) == "verify_failed");
}

TEST_CASE("restore refuses another panel's snapshot unless --allow-other-panel", "[cmd][restore]") {
    Recorded other = inbound2_snapshot();
    other.panel = "https://elsewhere.test/secret/";
    SECTION("refused before any request") {
        StateRun r;
        write_snapshot(r.state, other);
        CHECK(r.h.run({"traffic", "restore", kId, "--yes"}) == 2);
        CHECK(r.h.transport.requests().empty());
        CHECK(r.h.err.find("snapshot " + kId +
                           " was taken from https://elsewhere.test/secret/, not "
                           "from this panel (http://panel.test:2053/)") != std::string::npos);
        CHECK(r.h.err.find("--allow-other-panel") != std::string::npos);
    }
    SECTION("allowed with the flag, with a warning") {
        StateRun r;
        write_snapshot(r.state, other);
        script_restore(r, Api::v3, list_fixture(Api::v3));
        CHECK(r.h.run({"traffic", "restore", kId, "--yes", "--allow-other-panel"}) == 0);
        CHECK(r.h.transport.request_lines() == restore_lines(Api::v3));
        CHECK(
            r.h.err.find(
                "xuictl: warning: restoring counters recorded on https://elsewhere.test/secret/") !=
            std::string::npos);
    }
}

TEST_CASE("what cannot be restored is said before any request", "[cmd][restore]") {
    SECTION("inbound counters (traffic reset-all): exit 6") {
        StateRun r;
        Recorded all;
        all.operation = "reset_inbound_counters";
        all.command = "traffic reset-all";
        all.inbounds = {{1, "in1", 100, 200}};
        write_snapshot(r.state, all);
        CHECK(r.h.run({"traffic", "restore", all.id, "--yes"}) == 6);
        CHECK(r.h.transport.requests().empty());
        CHECK(r.h.err.find("which reset INBOUND counters; the panel API has no route that sets "
                           "inbound counters") != std::string::npos);
    }
    SECTION("unknown id: exit 5") {
        StateRun r;
        CHECK(r.h.run({"traffic", "restore", "nope", "--yes"}) == 5);
        CHECK(r.h.transport.requests().empty());
        CHECK(r.h.err.find("no snapshot 'nope'") != std::string::npos);
    }
    SECTION("not a snapshot: exit 2") {
        StateRun r;
        const auto path = r.state.file("junk.json");
        write_file(path, R"({"id":"x","panel":"p"})", 0600);
        CHECK(r.h.run({"traffic", "restore", path, "--yes"}) == 2);
        CHECK(r.h.transport.requests().empty());
        CHECK(r.h.err.find("is not a xuictl snapshot: taken_at_ms") != std::string::npos);
    }
    SECTION("purged clients are gone: exit 5 after reading") {
        StateRun r;
        Recorded purge;
        purge.operation = "purge_all";
        purge.command = "clients purge-depleted --all";
        purge.clients = {{1, "gone@x.test", 1, 2}};
        write_snapshot(r.state, purge);
        expect_read(r.h.transport, Api::v3);
        CHECK(r.h.run({"traffic", "restore", purge.id, "--yes"}) == 5);
        check_no_write(r);
        CHECK(r.h.err.find("that command deleted them") != std::string::npos);
    }
}

TEST_CASE("restore by file path; clients already equal are left out", "[cmd][restore]") {
    StateRun r;
    Recorded snap = inbound2_snapshot();
    snap.clients.push_back({1, "a1@x.test", 1073741824, 2147483648});  // unchanged on the panel
    const std::string path = write_snapshot(r.state, snap);
    script_restore(r, Api::v3, list_fixture(Api::v3));
    CHECK(r.h.run({"traffic", "restore", path, "--yes"}) == 0);
    CHECK(r.h.transport.request_lines() == restore_lines(Api::v3));
    CHECK(r.h.err.find("note: 1 client(s) already have the snapshot's counters (left out)") !=
          std::string::npos);

    StateRun same;
    write_snapshot(same.state, inbound2_snapshot());
    expect_read(same.h.transport, Api::v3);  // nothing was reset since
    CHECK(same.h.run({"traffic", "restore", kId, "--yes"}) == 0);
    check_no_write(same);
    CHECK(same.h.err.find("nothing to do: the plan is empty") != std::string::npos);
}

TEST_CASE("reset then restore through the real commands round-trips the counters",
          "[cmd][restore]") {
    StateRun r;
    // inbound reset 2 records the snapshot ...
    expect_read(r.h.transport, Api::v3);
    r.h.transport.expect("POST", "/panel/api/clients/bulkResetTraffic", 200, ok_envelope("null"));
    r.h.transport.expect("GET", "/panel/api/inbounds/list", 200, after_reset(Api::v3));
    REQUIRE(r.h.run({"inbound", "reset", "2", "--yes"}) == 0);
    const auto audit = parse_json_text(r.state.audit_lines().at(0));
    const std::string id = audit["id"].GetString();
    // ... which restore puts back (session cached: no login this time).
    Harness& h = r.h;
    h.transport.expect("GET", "/panel/api/inbounds/list", 200, after_reset(Api::v3));
    h.transport.expect("POST", update_route(Api::v3, "b1%40x.test"), 200, ok_envelope("null"));
    h.transport.expect("POST", update_route(Api::v3, "b2%40x.test"), 200, ok_envelope("null"));
    h.transport.expect("GET", "/panel/api/inbounds/list", 200, list_fixture(Api::v3));
    CHECK(h.run({"traffic", "restore", id, "--yes"}) == 0);
    CHECK(h.transport.unexpected().empty());
    CHECK(h.transport.pending() == 0);
    const auto& reqs = h.transport.requests();
    CHECK(reqs[reqs.size() - 3].body == R"({"upload":53687091200,"download":10737418240})");
}
