// Which fleet panel is a master's node (node_is_panel, node_syncs_tag), and
// whether a node's own plan is still sent (node_write): issue 18.
#include <catch2/catch.hpp>

#include "net/url.hpp"
#include "ops/node_write.hpp"
#include "panel/identity.hpp"
#include "panel/node_match.hpp"

using namespace xuictl;

namespace {

PanelIdentity panel(const std::string& url) {
    auto u = PanelUrl::parse(url);
    REQUIRE(u);
    return PanelIdentity::of(*u, "admin");
}

PanelNode node(std::string scheme, std::string address, int port, std::string base) {
    PanelNode n;
    n.id = 3;
    n.scheme = std::move(scheme);
    n.address = std::move(address);
    n.port = port;
    n.base_path = std::move(base);
    return n;
}

Plan plan_of(Operation op, const std::vector<std::string>& emails) {
    Plan p;
    p.operation = op;
    for (const auto& e : emails) {
        ClientUsage c;
        c.email = e;
        p.clients.push_back(c);
    }
    return p;
}

}  // namespace

TEST_CASE("a master's node entry is a fleet panel only on the exact address", "[unit][nodes]") {
    const auto de = panel("https://Node.Example:2053/sec/");
    CHECK(node_is_panel(node("https", "node.example", 2053, "/sec/"), de));
    CHECK(node_is_panel(node("https", "NODE.example", 2053, "sec"), de));  // normalizeBasePath
    CHECK_FALSE(node_is_panel(node("https", "node.example", 2053, "/Sec/"), de));
    CHECK_FALSE(node_is_panel(node("https", "node.example", 2054, "/sec/"), de));
    CHECK_FALSE(node_is_panel(node("http", "node.example", 2053, "/sec/"), de));
    CHECK_FALSE(node_is_panel(node("https", "10.0.0.1", 2053, "/sec/"), de));  // no DNS
    CHECK_FALSE(node_is_panel(node("https", "node.example.", 2053, "/sec/"), de));
    CHECK_FALSE(node_is_panel(node("https", "", 2053, "/sec/"), de));
    // A scheme other than http is dialled as https (remote.go:159-162).
    CHECK(node_is_panel(node("", "node.example", 2053, "/sec/"), de));
    // A URL without a port has its scheme's default.
    CHECK(node_is_panel(node("https", "n.test", 443, "/"), panel("https://n.test")));
    CHECK(node_is_panel(node("http", "n.test", 80, ""), panel("http://n.test/")));
    CHECK_FALSE(node_is_panel(node("https", "n.test", 80, "/"), panel("https://n.test/")));
    CHECK(node_is_panel(node("http", "[::1]", 8080, "/"), panel("http://[::1]:8080/")));
    // A transitive sub-node has no base path: scheme, host and port only.
    PanelNode sub = node("https", "node.example", 2053, "");
    CHECK_FALSE(node_is_panel(sub, de));
    sub.transitive = true;
    CHECK(node_is_panel(sub, de));
}

TEST_CASE("a node's inbounds its master syncs", "[unit][nodes]") {
    PanelNode n = node("https", "n.test", 443, "/");
    CHECK(node_syncs_tag(n, "anything"));
    n.inbound_sync_mode = "selected";
    n.inbound_tags = {"in-443-tcp", "n3-in-80-tcp"};
    CHECK(node_syncs_tag(n, "in-443-tcp"));
    CHECK(node_syncs_tag(n, "n3-in-443-tcp"));  // the master's prefixed form
    CHECK(node_syncs_tag(n, "in-80-tcp"));
    CHECK_FALSE(node_syncs_tag(n, "in-8443-tcp"));
}

TEST_CASE("a node's plan is skipped when its master's write reaches it", "[unit][nodes]") {
    const Plan master = plan_of(Operation::reset_all_clients, {"a@x", "b@x"});
    const Plan node_plan = plan_of(Operation::reset_all_clients, {"b@x"});
    SECTION("per-email resetTraffic reaches the node: skipped") {
        const auto w = node_write(&master, false, node_plan, "de1");
        CHECK(w.skip);
        CHECK(w.reason ==
              "a node of de1: de1's clients/resetTraffic resets these clients on its nodes too");
    }
    SECTION("bulkResetTraffic zeroes the master's counters only: the node is written") {
        const auto w = node_write(&master, true, node_plan, "de1");
        CHECK_FALSE(w.skip);
        CHECK(w.reason.find("bulkResetTraffic") != std::string::npos);
    }
    SECTION("a target the master's plan does not name: written") {
        const auto w =
            node_write(&master, false, plan_of(Operation::reset_all_clients, {"z@x"}), "de1");
        CHECK_FALSE(w.skip);
    }
    SECTION("a master that writes nothing: written") {
        CHECK_FALSE(node_write(nullptr, false, node_plan, "de1").skip);
    }
    SECTION("purges and restores the master's plan covers: skipped") {
        CHECK(node_write(&master, true, plan_of(Operation::purge_all, {"a@x"}), "de1").skip);
        CHECK(node_write(&master, true, plan_of(Operation::restore_clients, {"a@x"}), "de1").skip);
        CHECK(
            node_write(&master, true, plan_of(Operation::reset_inbound_counters, {}), "de1").skip ==
            false);  // the master's plan is not a reset of inbound counters
        const Plan counters = plan_of(Operation::reset_inbound_counters, {});
        CHECK(node_write(&counters, false, counters, "de1").skip);
    }
}
