#include "cli.hpp"

#include <CLI/CLI.hpp>

#include <cstdlib>
#include <iostream>
#include <optional>

#include "fleet.hpp"
#include "help_format.hpp"
#include "parse_errors.hpp"
#include "util/exit_code.hpp"
#include "version.hpp"

namespace xuictl {

std::unique_ptr<CLI::App> build_cli(GlobalOptions& global, Dispatch& dispatch) {
    auto app = std::make_unique<CLI::App>(
        "xuictl: safe, scriptable traffic administration for 3x-ui panels.\n"
        "Destructive commands show a plan, ask for a typed phrase, snapshot and audit\n"
        "before they write, and verify after. See man xuictl.",
        "xuictl");
    app->formatter(std::make_shared<PlainFormatter>());  // subcommands inherit it
    app->set_version_flag("--version", std::string(kVersion), "Print the xuictl version and exit");
    app->require_subcommand(1);
    // Global options may come after the subcommand: `xuictl stats --url ...`.
    app->fallthrough();
    add_global_options(*app, global);
    app->footer(
        "Exit status: 0 ok, 1 failure, 2 usage, 3 not confirmed, 4 auth, 5 not found,\n"
        "6 unsupported panel, 7 partial, 10/11/12 stats thresholds.");

    register_stats(*app, dispatch);
    register_collect(*app, dispatch);

    auto* inbound = app->add_subcommand("inbound", "Inbounds: list, reset client counters");
    inbound->require_subcommand(1);
    register_inbound_list(*inbound, dispatch);
    register_inbound_reset(*inbound, dispatch);

    auto* clients = app->add_subcommand("clients", "Clients: list, show, purge depleted, restore deleted");
    clients->require_subcommand(1);
    register_clients_list(*clients, dispatch);
    register_clients_show(*clients, dispatch);
    register_clients_purge(*clients, dispatch);
    register_clients_restore(*clients, dispatch);

    auto* traffic = app->add_subcommand(
        "traffic", "Traffic counters: reset one client, reset inbounds, restore a snapshot");
    traffic->require_subcommand(1);
    register_traffic_reset(*traffic, dispatch);
    register_traffic_reset_all(*traffic, dispatch);
    register_traffic_restore(*traffic, dispatch);

    register_audit(*app, dispatch);

    auto* schedule = app->add_subcommand(
        "schedule",
        "Print a crontab line or systemd units that run a destructive command periodically");
    schedule->require_subcommand(1);
    register_schedule_print_cron(*schedule, dispatch);
    register_schedule_print_systemd(*schedule, dispatch);

    register_login(*app, dispatch);
    register_profile(*app, dispatch);
    register_version(*app, dispatch);
    register_completion(*app, dispatch);
    register_complete(*app, dispatch);
    return app;
}

int run(int argc, const char* const* argv, Env& env) {
    GlobalOptions global;
    Dispatch dispatch;
    auto app = build_cli(global, dispatch);
    try {
        app->parse(argc, argv);
    } catch (const CLI::CallForHelp&) {
        env.out << app->help();
        return exit_code::success;
    } catch (const CLI::CallForAllHelp&) {
        env.out << app->help("", CLI::AppFormatMode::All);
        return exit_code::success;
    } catch (const CLI::CallForVersion&) {
        env.out << kVersion << "\n";
        return exit_code::success;
    } catch (const CLI::ParseError& e) {
        env.err << "xuictl: error: " << plain_parse_error(e, *app) << "\n";
        env.err << "hint: run 'xuictl --help' (or 'xuictl COMMAND --help')\n";
        return exit_code::usage;
    }
    if (!dispatch.selected) {
        env.err << app->help();
        return exit_code::usage;
    }
    if (global.output == "prometheus" && !dispatch.prometheus_ok) {
        env.err << "xuictl: error: -o prometheus is only for `xuictl stats`\n";
        return exit_code::usage;
    }
    Context context(env, global);
    if (wants_fleet(global) && !dispatch.fleet_ok) {
        return context.report(fleet_refused());  // before anything is read or sent
    }
    const int code = dispatch.selected(context);
    context.finish();
    return code;
}

namespace {

// XUICTL_TEST_NOW_MS (test-only, documented as such): every "now" of this
// run is that unix-ms time, so e2e tests can script a history of collects.
class FixedClock final : public Clock {
public:
    explicit FixedClock(int64_t ms) : m_ms(ms) {}
    int64_t now_ms() const override { return m_ms; }

private:
    int64_t m_ms;
};

std::optional<int64_t> test_now_ms() {
    const char* text = std::getenv("XUICTL_TEST_NOW_MS");
    if (text == nullptr || *text == 0) {
        return std::nullopt;
    }
    char* end = nullptr;
    const long long ms = std::strtoll(text, &end, 10);
    if (end == nullptr || *end != 0 || ms <= 0) {
        return std::nullopt;
    }
    return static_cast<int64_t>(ms);
}

}  // namespace

int run_real(int argc, char** argv) {
    RealTerminal terminal;
    SystemClock system_clock;
    const auto fixed_ms = test_now_ms();
    FixedClock fixed_clock(fixed_ms.value_or(0));
    const Clock& clock = fixed_ms ? static_cast<const Clock&>(fixed_clock) : system_clock;
    Env env{terminal,
            std::cout,
            std::cerr,
            std::cin,
            clock,
            [](std::string_view name) -> std::optional<std::string> {
                const char* value = std::getenv(std::string(name).c_str());
                if (value == nullptr) {
                    return std::nullopt;
                }
                return std::string(value);
            },
            [](const TransportOptions& options) -> std::unique_ptr<HttpTransport> {
                return std::make_unique<CurlTransport>(options);
            }};
    std::ios::sync_with_stdio(false);
    const int code = run(argc, argv, env);
    std::cout.flush();
    if (!std::cout) {
        // A closed pipe or full disk must not look like success to a script.
        std::cerr << "xuictl: error: cannot write output\n";
        return code == 0 ? exit_code::failure : code;
    }
    return code;
}

}  // namespace xuictl
