#pragma once

#include <optional>
#include <string>
#include <vector>

#include "util/result.hpp"

namespace xuictl {

// One named panel in config.toml ([profiles.NAME]).
struct Profile {
    std::string name;
    std::string url;
    std::string username;
    std::string password_file;
    std::string password;  // plain; only accepted when config.toml is 0600
    std::string token_file;
    std::string cacert;
    std::string pin;
    std::optional<bool> insecure;
    std::optional<double> timeout_s;
};

// $XDG_CONFIG_HOME/xuictl/config.toml:
//   default = "prod"
//   [profiles.prod]
//   url = "https://panel.example.com:2053/secret/"
//   username = "admin"
//   password-file = "/home/me/.config/xuictl/prod.pass"
//   [groups]
//   eu = ["de1", "nl2"]          # used as --profile @eu
struct Group {
    std::string name;
    std::vector<std::string> profiles;  // as written; every one is a defined profile
};

struct Config {
    std::string default_profile;
    std::vector<Profile> profiles;
    std::vector<Group> groups;  // file order

    const Group* find_group(const std::string& name) const;

    const Profile* find(const std::string& name) const;
    Profile* find(const std::string& name);
};

// Reads config.toml. A missing file is an empty Config. Unknown keys are an
// error naming them (a typo must not silently drop e.g. `cacert`). A file
// holding a plain password that group/others can read is refused.
Result<Config> load_config(const std::string& path);

// Writes config.toml atomically with mode 0600.
Status save_config(const std::string& path, const Config& config);

// The TOML text of a config (stable order: default, then profiles by name).
std::string config_to_toml(const Config& config);

}  // namespace xuictl
