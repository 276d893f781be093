#pragma once

#include <functional>

#include "context.hpp"

namespace CLI {
class App;
}

namespace xuictl {

// The command chosen on the command line. CLI11 callbacks only record the
// choice (parse first, act second); cli.cpp runs it after parsing succeeded.
using CommandRun = std::function<int(Context&)>;
struct Dispatch {
    CommandRun selected;
    // The chosen command can write -o prometheus (stats only).
    bool prometheus_ok = false;
    // The chosen command reads a fleet (--profile a,b, @group,
    // --all-profiles); any other refuses one before it runs.
    bool fleet_ok = false;
};

// Each command lives in its own file and exposes one register function that
// adds its subcommand and options to `parent` and records its run function.
void register_stats(CLI::App& root, Dispatch& dispatch);
// `collect`: one usage-history sample (app/history.hpp).
void register_collect(CLI::App& root, Dispatch& dispatch);
void register_version(CLI::App& root, Dispatch& dispatch);
void register_inbound_list(CLI::App& inbound, Dispatch& dispatch);
void register_inbound_reset(CLI::App& inbound, Dispatch& dispatch);
void register_clients_list(CLI::App& clients, Dispatch& dispatch);
void register_clients_show(CLI::App& clients, Dispatch& dispatch);
void register_clients_purge(CLI::App& clients, Dispatch& dispatch);
void register_clients_restore(CLI::App& clients, Dispatch& dispatch);
void register_traffic_reset(CLI::App& traffic, Dispatch& dispatch);
void register_traffic_reset_all(CLI::App& traffic, Dispatch& dispatch);
void register_completion(CLI::App& root, Dispatch& dispatch);
// Hidden: live values (inbound ids, emails) for the completion scripts.
void register_complete(CLI::App& root, Dispatch& dispatch);
void register_login(CLI::App& root, Dispatch& dispatch);  // login and logout
void register_profile(CLI::App& root, Dispatch& dispatch);
void register_traffic_restore(CLI::App& traffic, Dispatch& dispatch);
// `audit` (list) and its subcommands `audit show` and `audit prune`
// (returned, so `audit` can tell whether one was chosen).
void register_audit(CLI::App& root, Dispatch& dispatch);
CLI::App* register_audit_show(CLI::App& audit, Dispatch& dispatch);
CLI::App* register_audit_prune(CLI::App& audit, Dispatch& dispatch);
void register_schedule_print_cron(CLI::App& schedule, Dispatch& dispatch);
void register_schedule_print_systemd(CLI::App& schedule, Dispatch& dispatch);

}  // namespace xuictl
