#include <CLI/CLI.hpp>
#include "commands/command.hpp"
namespace xuictl {
void register_inbound_reset(CLI::App&, Dispatch&) {}
void register_clients_purge(CLI::App&, Dispatch&) {}
void register_traffic_reset(CLI::App&, Dispatch&) {}
void register_traffic_reset_all(CLI::App&, Dispatch&) {}
}
