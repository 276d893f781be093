// clients show EMAIL --history / --by: which panel read tells that the client
// exists — clients/get/:email on a panel the session knows to be v3.1+, the
// list in every other case — and the same output either way.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "support/harness.hpp"
#include "support/panel_script.hpp"

using namespace xuictl::test;

namespace {

const std::string kList = "/panel/api/inbounds/list";
const std::string kGet = "/panel/api/clients/get/b2%40x.test";

// A session cache that knows the panel is v3.1+: `stats` read list/slim.
void warm_v3(Harness& h) {
    h.transport.expect_login_v3();
    h.transport.expect("GET", "/panel/api/server/status", 200, status_v3());
    h.transport.expect("GET", kList + "/slim", 200, list_fixture(Api::v3));
    REQUIRE(h.run({"stats", "-o", "json"}) == 0);
}

std::vector<std::string> lines_after(const Harness& h, size_t before) {
    const auto all = h.transport.request_lines();
    return {all.begin() + static_cast<std::ptrdiff_t>(before), all.end()};
}

}  // namespace

TEST_CASE("clients show --history asks a known v3.1+ panel about that client alone",
          "[cmd][history]") {
    const std::vector<std::vector<std::string>> views = {
        {"--history", "-o", "json"}, {"--history"}, {"--by", "cycle", "-o", "json"}};
    for (const auto& view : views) {
        std::vector<std::string> args = {"clients", "show", "b2@x.test"};
        args.insert(args.end(), view.begin(), view.end());
        // A fresh session does not know the generation: the full list.
        Harness cold;
        cold.transport.expect_login_v3();
        cold.transport.expect("GET", kList, 200, list_fixture(Api::v3));
        REQUIRE(cold.run(args) == 0);
        auto cold_lines = login_lines();
        cold_lines.push_back("GET " + kList);
        CHECK(cold.transport.request_lines() == cold_lines);

        struct Case {
            const char* what;
            std::string body;
            bool alone;  // answered without the list
        };
        const Case cases[] = {
            {"the client, attached to an inbound",
             ok_envelope(R"({"client":{"email":"b2@x.test","id":"u"},"inboundIds":[2]})"), true},
            {"another email (the case differs)",
             ok_envelope(R"({"client":{"email":"B2@x.test"},"inboundIds":[2]})"), false},
            {"attached to no inbound (null)",
             ok_envelope(R"({"client":{"email":"b2@x.test"},"inboundIds":null})"), false},
            {"attached to no inbound ([])",
             ok_envelope(R"({"client":{"email":"b2@x.test"},"inboundIds":[]})"), false},
            {"no such client", fail_envelope("record not found"), false},
            {"another shape", ok_envelope(R"([{"email":"b2@x.test"}])"), false},
        };
        for (const auto& c : cases) {
            DYNAMIC_SECTION(view[0] << " " << view.size() << ": " << c.what) {
                Harness h;
                warm_v3(h);
                const size_t before = h.transport.requests().size();
                h.transport.expect("GET", kGet, 200, c.body);
                if (!c.alone) {
                    h.transport.expect("GET", kList, 200, list_fixture(Api::v3));
                }
                REQUIRE(h.run(args) == 0);
                CHECK(h.out == cold.out);
                std::vector<std::string> want = {"GET " + kGet};
                if (!c.alone) {
                    want.push_back("GET " + kList);
                }
                CHECK(lines_after(h, before) == want);
                CHECK(h.transport.unexpected().empty());
                CHECK(h.transport.pending() == 0);
            }
        }
    }
}

TEST_CASE("clients show --history on a classic panel, or without --history, reads the list",
          "[cmd][history]") {
    SECTION("classic: no one-client route is asked") {
        Harness h;
        h.transport.expect_login_classic();
        h.transport.expect("GET", kList, 200, list_fixture(Api::classic));
        REQUIRE(h.run({"stats", "-o", "json"}) == 0);
        const size_t before = h.transport.requests().size();
        h.transport.expect("GET", kList, 200, list_fixture(Api::classic));
        REQUIRE(h.run({"clients", "show", "b2@x.test", "--history", "-o", "json"}) == 0);
        CHECK(lines_after(h, before) == std::vector<std::string>{"GET " + kList});
    }
    SECTION("v3, --since alone: the rows carry the inbound, from the list") {
        Harness h;
        warm_v3(h);
        const size_t before = h.transport.requests().size();
        h.transport.expect("GET", kList, 200, list_fixture(Api::v3));
        REQUIRE(h.run({"clients", "show", "b2@x.test", "--since", "2d", "-o", "json"}) == 0);
        CHECK(lines_after(h, before) == std::vector<std::string>{"GET " + kList});
    }
}
