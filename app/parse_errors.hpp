#pragma once

#include <CLI/CLI.hpp>

#include <string>

namespace xuictl {

// CLI11's parse error for `app` as one plain sentence for the user:
// "unknown command 'bogus'", "EMAIL is required", "--sort must be one of
// inbound, email, ...; got 'x'" (not "A subcommand is required", "email is
// required", "--sort: x not in {inbound,email,...}"). Called after parse()
// threw, so the subcommands already chosen tell where the user got to.
std::string plain_parse_error(const CLI::ParseError& error, const CLI::App& app);

}  // namespace xuictl
