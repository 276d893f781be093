// Issue 8: what a cut-short write records (WriteProgress, the audit line's
// done/not_done), and the SIGINT/SIGTERM guard around writes.
#include <catch2/catch.hpp>

#include <csignal>

#include "interrupt.hpp"
#include "panel/panel_api.hpp"
#include "store/audit.hpp"
#include "support/fake_transport.hpp"
#include "support/panel_script.hpp"

using namespace xuictl;
using namespace xuictl::test;

namespace {

// PanelApi on a v3.1.0 panel (one request per email) over a token session.
struct OldV3Rig {
    FakeTransport t;
    Session session;
    PanelApi api;
    OldV3Rig() : session(t, PanelUrl::parse("http://panel.test/").value(), token()), api(session) {
        Capabilities caps;
        caps.generation = ApiGeneration::v3;
        caps.version = Version{{3, 1, 0}};
        api.assume_capabilities(caps);
    }
    static Credentials token() {
        Credentials c;
        c.token = "tok";
        return c;
    }
};

volatile std::sig_atomic_t g_outer_handler_ran = 0;
void outer_handler(int) { g_outer_handler_ran = 1; }

}  // namespace

TEST_CASE("a per-email write records every client as done or not done", "[unit][reliability]") {
    OldV3Rig rig;
    WriteProgress progress;
    rig.api.track_progress(&progress);
    SECTION("a failure part-way: the failed client and the rest are not done") {
        rig.t.expect("POST", "/panel/api/clients/resetTraffic/a", 200, ok_envelope("null"));
        rig.t.expect("POST", "/panel/api/clients/resetTraffic/b", 200, fail_envelope("locked"));
        auto s = rig.api.reset_inbound_clients(1, {"a", "b", "c"});
        REQUIRE_FALSE(s.ok());
        CHECK(s.error().kind == ErrorKind::partial);
        CHECK(s.error().message.rfind("1 of 3 clients done, 2 not done (failed at b: ", 0) == 0);
        CHECK(progress.done == std::vector<std::string>{"a"});
        CHECK(progress.not_done == std::vector<std::string>{"b", "c"});
    }
    SECTION("a stop request: nothing more is sent") {
        int asked = 0;
        progress.stop_requested = [&asked] { return ++asked > 2; };  // after two requests
        rig.t.expect("POST", "/panel/api/clients/del/a", 200, ok_envelope("null"));
        rig.t.expect("POST", "/panel/api/clients/del/b", 200, ok_envelope("null"));
        auto s = rig.api.purge_depleted_inbound(1, {"a", "b", "c", "d"});
        REQUIRE_FALSE(s.ok());
        CHECK(s.error().kind == ErrorKind::cancelled);
        CHECK(s.error().message == "stopped after 2 of 4 clients; 2 not sent");
        CHECK(progress.done == std::vector<std::string>{"a", "b"});
        CHECK(progress.not_done == std::vector<std::string>{"c", "d"});
    }
    SECTION("an email the panel cannot route is refused before any request") {
        auto s = rig.api.reset_inbound_clients(1, {"a", "b/c"});
        REQUIRE_FALSE(s.ok());
        CHECK(s.error().kind == ErrorKind::unsupported);
        CHECK(s.error().message.find("cannot address client 'b/c'") != std::string::npos);
        CHECK(progress.done.empty());
        auto one = rig.api.reset_client(1, "..");
        CHECK_FALSE(one.ok());
    }
    CHECK(rig.t.unexpected().empty());
    CHECK(rig.t.pending() == 0);
    rig.api.track_progress(nullptr);
}

TEST_CASE("the audit line keeps done and not_done; older lines read as empty",
          "[unit][reliability]") {
    AuditEntry e;
    e.id = "20260101T000000Z-abcd";
    e.time_ms = 1;
    e.status = "interrupted";
    e.done = {"a@x", "ünï @x"};
    e.not_done = {"c@x"};
    auto back = audit_from_json(audit_to_json(e));
    REQUIRE(back.ok());
    CHECK(back->done == e.done);
    CHECK(back->not_done == e.not_done);
    CHECK(back->status == "interrupted");
    auto old = audit_from_json(R"({"id":"x","time_ms":1,"status":"ok","plan":null})");
    REQUIRE(old.ok());
    CHECK(old->done.empty());
    CHECK(old->not_done.empty());
}

TEST_CASE("InterruptGuard catches SIGINT and SIGTERM, then restores the handlers",
          "[unit][reliability]") {
    struct sigaction outer {};
    outer.sa_handler = outer_handler;
    sigemptyset(&outer.sa_mask);
    struct sigaction saved_int {};
    struct sigaction saved_term {};
    ::sigaction(SIGINT, &outer, &saved_int);
    ::sigaction(SIGTERM, &outer, &saved_term);
    {
        InterruptGuard guard;
        CHECK_FALSE(guard.interrupted());
        std::raise(SIGTERM);
        CHECK(guard.caught() == SIGTERM);
        std::raise(SIGINT);
        CHECK(guard.caught() == SIGTERM);  // the first signal is the one reported
        CHECK(std::string(signal_name(guard.caught())) == "SIGTERM");
    }
    CHECK(g_outer_handler_ran == 0);
    {
        InterruptGuard fresh;
        CHECK_FALSE(fresh.interrupted());  // each guard starts clean
    }
    std::raise(SIGINT);
    CHECK(g_outer_handler_ran == 1);  // the previous handler is back
    ::sigaction(SIGINT, &saved_int, nullptr);
    ::sigaction(SIGTERM, &saved_term, nullptr);
}
