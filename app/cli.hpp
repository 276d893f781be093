#pragma once

#include <memory>

#include "commands/command.hpp"
#include "env.hpp"
#include "global_options.hpp"

namespace CLI {
class App;
}

namespace xuictl {

// The whole command tree. Tests walk it (drift test) without running anything.
std::unique_ptr<CLI::App> build_cli(GlobalOptions& global, Dispatch& dispatch);

// Parses argv and runs the chosen command against env; returns the exit code.
int run(int argc, const char* const* argv, Env& env);

// run() bound to the real terminal, streams, clock, environment and libcurl.
int run_real(int argc, char** argv);

}  // namespace xuictl
