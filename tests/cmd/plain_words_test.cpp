// Help and usage errors in plain English: no CLI11 type annotations or
// range texts, the exact sentences users read (issue #15 §7).
#include <catch2/catch.hpp>

#include <CLI/CLI.hpp>

#include <functional>

#include "cli.hpp"
#include "support/harness.hpp"

using namespace xuictl::test;

TEST_CASE("usage errors are plain sentences, exit 2, no request", "[cmd][plain]") {
    const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
        {{"bogus"}, "unknown command 'bogus'"},
        {{"traffic", "bogus"}, "unknown command 'traffic bogus'"},
        {{},
         "a command is required: stats, collect, inbound, clients, traffic, audit, schedule, "
         "login, "
         "logout, profile, version, completion"},
        {{"traffic"}, "'traffic' needs a command: reset, reset-all, restore"},
        {{"clients", "show"}, "EMAIL is required"},
        {{"stats", "--over", "-5"}, "--over must be a number from 0 to 100000, got '-5'"},
        {{"stats", "--warn", "101"}, "--warn must be a number from 0 to 100, got '101'"},
        {{"stats", "--timeout", "0"}, "--timeout must be a number from 0.1 to 3600, got '0'"},
        {{"stats", "--sort", "x"},
         "--sort must be one of inbound, email, used, percent, quota, expiry; got 'x'"},
        {{"-o", "xml", "stats"},
         "--output must be one of table, json, csv, tsv, prometheus; got 'xml'"},
        {{"completion", "ksh"}, "SHELL must be one of bash, zsh, fish; got 'ksh'"},
        {{"inbound", "reset", "abc"}, "ID must be a whole number >= 0, got 'abc'"},
        {{"stats", "--report", "--top", "x"}, "--top must be a whole number >= 0, got 'x'"},
        {{"stats", "extra"}, "unexpected argument 'extra'"},
    };
    for (const auto& [args, message] : cases) {
        CAPTURE(args);
        Harness h;
        CHECK(h.run(args) == 2);
        CHECK(h.err == "xuictl: error: " + message +
                           "\nhint: run 'xuictl --help' (or 'xuictl COMMAND --help')\n");
        CHECK(h.transports_made == 0);
    }
}

TEST_CASE("--help of every command shows placeholders only, never CLI11's annotations",
          "[cmd][plain]") {
    xuictl::GlobalOptions global;
    xuictl::Dispatch dispatch;
    const auto app = xuictl::build_cli(global, dispatch);
    std::vector<std::vector<std::string>> paths;
    std::function<void(CLI::App&, std::vector<std::string>)> walk =
        [&](CLI::App& at, std::vector<std::string> path) {
            paths.push_back(path);
            for (CLI::App* sub :
                 at.get_subcommands([](CLI::App* s) { return !s->get_group().empty(); })) {
                auto next = path;
                next.push_back(sub->get_name());
                walk(*sub, next);
            }
        };
    walk(*app, {});
    REQUIRE(paths.size() > 20);
    for (auto path : paths) {
        CAPTURE(path);
        path.push_back("--help");
        Harness h;
        REQUIRE(h.run(path) == 0);
        for (const char* bad :
             {"INT", "FLOAT", "TEXT", "REQUIRED", "Excludes:", "Needs:", ":{", " in [", "UINT"}) {
            CAPTURE(bad);
            CHECK(h.out.find(bad) == std::string::npos);
        }
    }
    Harness h;
    REQUIRE(h.run({"stats", "--help"}) == 0);
    CHECK(h.out.find("  --inbound ID                Only this inbound (id)\n") !=
          std::string::npos);
    CHECK(h.out.find("  --top N (needs --report)    With --report:") != std::string::npos);
    CHECK(h.out.find("  --warn PCT (not with --report)\n") != std::string::npos);
    REQUIRE(h.run({"traffic", "reset", "--help"}) == 0);
    CHECK(h.out.find("Usage: xuictl traffic reset [OPTIONS] INBOUND [EMAIL]\n") !=
          std::string::npos);
    CHECK(
        h.out.find("  INBOUND                     Inbound id (or the email, on v3.1+ panels)\n") !=
        std::string::npos);
}
