#pragma once

#include <optional>
#include <string>

namespace CLI {
class App;
}

namespace xuictl {

// Options every command understands (DESIGN §4). Filled by CLI11 during
// parsing; nothing acts on them until the command runs.
struct GlobalOptions {
    std::string profile;  // a name, or a fleet: "a,b", "@group"
    bool all_profiles = false;
    int parallel = 4;  // panels of a fleet read at once
    std::string url;
    std::string username;
    std::string password_file;
    bool password_stdin = false;
    std::string token_file;
    std::string totp_file;
    std::string cacert;
    std::string pin;
    bool insecure = false;
    std::optional<double> timeout_s;  // unset: profile, else 30
    std::string output;  // "" = table on a TTY, tsv otherwise
    bool bytes = false;
    bool no_color = false;
    int verbose = 0;
};

// Registers the global options on the root app.
void add_global_options(CLI::App& app, GlobalOptions& options);

}  // namespace xuictl
