#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "support/harness.hpp"
#include "support/panel_script.hpp"

using namespace xuictl::test;

namespace {

struct StateDir {
    std::filesystem::path path;
    StateDir() {
        path = std::filesystem::temp_directory_path() /
               ("xuictl-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++));
        std::filesystem::create_directories(path);
    }
    ~StateDir() { std::filesystem::remove_all(path); }
    static int& counter() {
        static int n = 0;
        return n;
    }
    std::string audit() const {
        std::ifstream in(path / "xuictl" / "audit.jsonl");
        std::stringstream s;
        s << in.rdbuf();
        return s.str();
    }
};

}  // namespace

TEST_CASE("inbound reset: declined, wrong phrase, EOF, dry-run and non-TTY send no write",
          "[cmd][destructive]") {
    struct Case {
        const char* name;
        bool tty;
        std::optional<std::string> answer;
        std::vector<std::string> extra;
        int code;
    };
    const std::vector<Case> cases = {
        {"wrong phrase", true, std::string("yes"), {}, 3},
        {"EOF", true, std::nullopt, {}, 3},
        {"dry-run", true, std::nullopt, {"--dry-run"}, 0},
        {"non-tty without --yes", false, std::nullopt, {}, 3},
        {"wrong --confirm", false, std::nullopt, {"--confirm", "RESET INBOUND 2"}, 3},
    };
    for (const auto& c : cases) {
        SECTION(c.name) {
            StateDir state;
            Harness h;
            h.env["XDG_STATE_HOME"] = state.path.string();
            h.terminal.tty = c.tty;
            h.terminal.answers.push_back(c.answer);
            expect_read_v3(h.transport);
            std::vector<std::string> args = {"inbound", "reset", "1"};
            args.insert(args.end(), c.extra.begin(), c.extra.end());
            CHECK(h.run(args) == c.code);
            CHECK(h.transport.unexpected().empty());
            CHECK(h.transport.posts() == std::vector<std::string>{"POST /login"});
            CHECK(state.audit().empty());
        }
    }
}

TEST_CASE("inbound reset --yes on v3 sends one bulkResetTraffic with the inbound's emails",
          "[cmd][destructive]") {
    StateDir state;
    Harness h;
    h.env["XDG_STATE_HOME"] = state.path.string();
    expect_read_v3(h.transport);
    h.transport.expect("POST", "/panel/api/clients/bulkResetTraffic", 200,
                       ok_envelope(R"({"affected":2})"));
    std::string after = fixture("inbounds_v3.json");
    // After: inbound 2's clients read zero.
    for (const char* from : {R"("up": 53687091200)", R"("down": 10737418240)", R"("up": 3221225472)"}) {
        auto pos = after.find(from);
        REQUIRE(pos != std::string::npos);
        after.replace(pos, std::string(from).size(), std::string(from).substr(0, std::string(from).find(':') + 1) + " 0");
    }
    h.transport.expect("GET", "/panel/api/inbounds/list", 200, after);
    REQUIRE(h.run({"inbound", "reset", "2", "--yes"}) == 0);
    CHECK(h.transport.unexpected().empty());
    CHECK(h.transport.posts() ==
          std::vector<std::string>{"POST /login", "POST /panel/api/clients/bulkResetTraffic"});
    const auto& body = h.transport.requests()[4].body;
    CHECK(body == R"({"emails":["b1@x.test","b2@x.test"]})");
    const std::string audit = state.audit();
    CHECK(audit.find(R"("status":"ok")") != std::string::npos);
    CHECK(audit.find(R"("command":"inbound reset 2")") != std::string::npos);
}

TEST_CASE("inbound reset on classic uses resetAllClientTraffics/:id", "[cmd][destructive]") {
    StateDir state;
    Harness h;
    h.env["XDG_STATE_HOME"] = state.path.string();
    h.terminal.tty = true;
    h.terminal.answers.push_back(std::string("RESET INBOUND 3"));
    expect_read_classic(h.transport);
    h.transport.expect("POST", "/panel/api/inbounds/resetAllClientTraffics/3", 200,
                       ok_envelope("null"));
    h.transport.expect("GET", "/panel/api/inbounds/list", 200, fixture("inbounds_classic.json"));
    CHECK(h.run({"inbound", "reset", "3"}) == 0);
    CHECK(h.transport.unexpected().empty());
    CHECK(h.terminal.prompts.size() == 1);
    CHECK(h.terminal.prompts[0].find("RESET INBOUND 3") != std::string::npos);
}
