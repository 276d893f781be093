// How a fleet panel's hint names its panel (app/fleet_hint.hpp): every
// command it names runs on that panel alone, --url is the profile's url,
// and a hint without a command says how to retry the panel alone.
#include <catch2/catch.hpp>

#include <CLI/CLI.hpp>

#include <algorithm>

#include "cli.hpp"
#include "fleet_hint.hpp"

using namespace xuictl;

TEST_CASE("fleet hints: commands run on the panel alone, --url is its profile's", "[unit][fleet]") {
    struct Case {
        std::string hint;
        std::string fleet;
    };
    const std::vector<Case> cases = {
        {"log in again with `xuictl login`; check the panel's session settings",
         "log in again with `xuictl --profile de1 login`; check the panel's session settings"},
        {"check with: xuictl stats --client 'a b@x' (snapshot: s1); do not simply re-run it",
         "check with: xuictl --profile de1 stats --client 'a b@x' (snapshot: s1); do not simply "
         "re-run it"},
        {"nothing was sent again; check with: xuictl stats --inbound 3, then run: xuictl inbound "
         "reset 3",
         "nothing was sent again; check with: xuictl --profile de1 stats --inbound 3, then run: "
         "xuictl --profile de1 inbound reset 3"},
        {"existing ids: 1, 2 (xuictl inbound list)",
         "existing ids: 1, 2 (xuictl --profile de1 inbound list)"},
        {"check --url: a wrong web base path looks exactly like 404",
         "check the url of profile de1: a wrong web base path looks exactly like 404; retry this "
         "panel alone with --profile de1"},
        {"check the port in --url and that the panel is running",
         "check the port in the url of profile de1 and that the panel is running; retry this "
         "panel alone with --profile de1"},
        // Options that work on the panel alone stay; prose about xuictl is
        // no command; --urls is not --url.
        {"for a self-signed panel use --cacert FILE or --pin sha256//KEY (--insecure disables all "
         "checks)",
         "for a self-signed panel use --cacert FILE or --pin sha256//KEY (--insecure disables all "
         "checks); retry this panel alone with --profile de1"},
        {"check the credentials; xuictl does not retry, see man xuictl for more",
         "check the credentials; xuictl does not retry, see man xuictl for more; retry this panel "
         "alone with --profile de1"},
        {"the --urls option", "the --urls option; retry this panel alone with --profile de1"},
        {"restore it alone: xuictl --url http://x/ ... id",
         "restore it alone: xuictl --url http://x/ ... id; retry this panel alone with --profile "
         "de1"},
        {"", "retry this panel alone with --profile de1"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.hint);
        CHECK(fleet_panel_hint(c.hint, "de1") == c.fleet);
        // Applied again (every place that shows a fleet error may): unchanged.
        CHECK(fleet_panel_hint(c.fleet, "de1") == c.fleet);
    }
    // Advice (a line printed as is) gets the commands, never the retry.
    CHECK(fleet_panel_advice("; undo with: xuictl clients restore 20261201-x", "de1") ==
          "; undo with: xuictl --profile de1 clients restore 20261201-x");
    CHECK(fleet_panel_advice("nothing to say", "de1") == "nothing to say");
}

TEST_CASE("fleet hints: a profile name is one shell word", "[unit][fleet]") {
    CHECK(fleet_panel_hint("log in again with `xuictl login`", "eu west$1") ==
          "log in again with `xuictl --profile 'eu west$1' login`");
    CHECK(fleet_panel_hint("", "it's") == "retry this panel alone with --profile 'it'\\''s'");
    CHECK(fleet_panel_hint("check --url", "a;b") ==
          "check the url of profile 'a;b'; retry this panel alone with --profile 'a;b'");
}

TEST_CASE("fleet hints know every top-level command", "[unit][fleet]") {
    GlobalOptions global;
    Dispatch dispatch;
    auto app = build_cli(global, dispatch);
    std::vector<std::string> tree;
    for (const CLI::App* sub : app->get_subcommands([](CLI::App*) { return true; })) {
        if (!sub->get_group().empty()) {  // hidden (`__complete`) has no group
            tree.push_back(sub->get_name());
        }
    }
    std::vector<std::string> known(advice_commands().begin(), advice_commands().end());
    std::sort(tree.begin(), tree.end());
    std::sort(known.begin(), known.end());
    CHECK(known == tree);
}
