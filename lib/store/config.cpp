#include "store/config.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <fmt/format.h>
#include <sstream>
#include <toml++/toml.h>

#include "store/files.hpp"

namespace xuictl {

const Profile* Config::find(const std::string& name) const {
    for (const auto& p : profiles) {
        if (p.name == name) {
            return &p;
        }
    }
    return nullptr;
}

Profile* Config::find(const std::string& name) {
    for (auto& p : profiles) {
        if (p.name == name) {
            return &p;
        }
    }
    return nullptr;
}

const Group* Config::find_group(const std::string& name) const {
    for (const auto& g : groups) {
        if (g.name == name) {
            return &g;
        }
    }
    return nullptr;
}

namespace {

Error config_error(const std::string& path, const std::string& why) {
    return make_error(ErrorKind::config, fmt::format("{}: {}", path, why),
                      "see FILES in man xuictl for the format");
}

}  // namespace

Result<Config> load_config(const std::string& path) {
    Config config;
    auto text = read_file(path);
    if (!text) {
        if (text.error().kind == ErrorKind::not_found) {
            return config;
        }
        return text.error();
    }
    toml::table root;
    try {
        root = toml::parse(*text, path);
    } catch (const toml::parse_error& e) {
        return config_error(path, fmt::format("line {}: {}", e.source().begin.line, e.description()));
    }
    for (const auto& [key, value] : root) {
        if (key != "default" && key != "profiles" && key != "groups") {
            return config_error(path, fmt::format("unknown key '{}'", key.str()));
        }
    }
    if (auto d = root["default"]; d) {
        if (!d.is_string()) {
            return config_error(path, "'default' must be a string (a profile name)");
        }
        config.default_profile = d.value_or(std::string{});
    }
    bool has_plain_password = false;
    if (auto* profiles = root["profiles"].as_table()) {
        for (const auto& [name, node] : *profiles) {
            const auto* t = node.as_table();
            if (t == nullptr) {
                return config_error(path, fmt::format("profiles.{} must be a table", name.str()));
            }
            Profile p;
            p.name = std::string(name.str());
            for (const auto& [k, v] : *t) {
                const std::string key(k.str());
                // A plain reference: clang before 16 cannot capture structured bindings.
                const auto& value = v;
                auto need_string = [&](std::string& out) -> Status {
                    if (!value.is_string()) {
                        return config_error(path,
                                            fmt::format("profiles.{}.{} must be a string", p.name, key));
                    }
                    out = value.value_or(std::string{});
                    return ok_status();
                };
                Status s = ok_status();
                if (key == "url") {
                    s = need_string(p.url);
                } else if (key == "username") {
                    s = need_string(p.username);
                } else if (key == "password-file") {
                    s = need_string(p.password_file);
                } else if (key == "password") {
                    s = need_string(p.password);
                    has_plain_password = true;
                } else if (key == "token-file") {
                    s = need_string(p.token_file);
                } else if (key == "cacert") {
                    s = need_string(p.cacert);
                } else if (key == "pin") {
                    s = need_string(p.pin);
                } else if (key == "insecure") {
                    if (!v.is_boolean()) {
                        return config_error(path, fmt::format("profiles.{}.insecure must be true or false", p.name));
                    }
                    p.insecure = v.value_or(false);
                } else if (key == "timeout") {
                    if (!v.is_number()) {
                        return config_error(path, fmt::format("profiles.{}.timeout must be a number of seconds", p.name));
                    }
                    p.timeout_s = v.value_or(30.0);
                } else {
                    return config_error(path, fmt::format("unknown key profiles.{}.{}", p.name, key));
                }
                if (!s) {
                    return s.error();
                }
            }
            config.profiles.push_back(std::move(p));
        }
    }
    if (const auto g = root["groups"]; g) {
        const auto* groups = g.as_table();
        if (groups == nullptr) {
            return config_error(path, "'groups' must be a table: [groups] eu = [\"de1\", \"nl2\"]");
        }
        for (const auto& [name, node] : *groups) {
            Group group;
            group.name = std::string(name.str());
            const auto* list = node.as_array();
            if (list == nullptr || list->empty()) {
                return config_error(
                    path, fmt::format("groups.{} must be a non-empty list of profile names", group.name));
            }
            for (const auto& member : *list) {
                if (!member.is_string()) {
                    return config_error(path,
                                        fmt::format("groups.{} must list profile names (strings)", group.name));
                }
                group.profiles.push_back(member.value_or(std::string{}));
            }
            config.groups.push_back(std::move(group));
        }
    }
    // A group naming a profile that does not exist would silently shrink
    // the fleet: refused when the file is read, naming both.
    for (const auto& group : config.groups) {
        for (const auto& member : group.profiles) {
            if (config.find(member) == nullptr) {
                return config_error(path, fmt::format("groups.{} names profile '{}', which is not defined",
                                                      group.name, member));
            }
        }
    }
    if (has_plain_password) {
        struct stat st {};
        if (::stat(path.c_str(), &st) == 0 && (st.st_mode & 077) != 0) {
            return make_error(ErrorKind::config,
                              fmt::format("{} holds a password but other users can read it", path),
                              fmt::format("run: chmod 600 '{}'", path));
        }
    }
    if (!config.default_profile.empty() && config.find(config.default_profile) == nullptr) {
        return config_error(path, fmt::format("default profile '{}' is not defined",
                                              config.default_profile));
    }
    return config;
}

std::string config_to_toml(const Config& config) {
    toml::table root;
    if (!config.default_profile.empty()) {
        root.insert("default", config.default_profile);
    }
    toml::table profiles;
    auto sorted = config.profiles;
    std::sort(sorted.begin(), sorted.end(),
              [](const Profile& a, const Profile& b) { return a.name < b.name; });
    for (const auto& p : sorted) {
        toml::table t;
        auto put = [&](const char* key, const std::string& value) {
            if (!value.empty()) {
                t.insert(key, value);
            }
        };
        put("url", p.url);
        put("username", p.username);
        put("password-file", p.password_file);
        put("password", p.password);
        put("token-file", p.token_file);
        put("cacert", p.cacert);
        put("pin", p.pin);
        if (p.insecure) {
            t.insert("insecure", *p.insecure);
        }
        if (p.timeout_s) {
            t.insert("timeout", *p.timeout_s);
        }
        profiles.insert(p.name, std::move(t));
    }
    root.insert("profiles", std::move(profiles));
    if (!config.groups.empty()) {
        toml::table groups;
        for (const auto& g : config.groups) {
            toml::array members;
            for (const auto& m : g.profiles) {
                members.push_back(m);
            }
            groups.insert(g.name, std::move(members));
        }
        root.insert("groups", std::move(groups));
    }
    std::ostringstream out;
    out << "# xuictl profiles (man xuictl, FILES)\n" << root << "\n";
    return out.str();
}

Status save_config(const std::string& path, const Config& config) {
    const auto slash = path.find_last_of('/');
    if (slash != std::string::npos) {
        if (auto d = ensure_private_dir(path.substr(0, slash)); !d) {
            return d;
        }
    }
    return write_file_atomic(path, config_to_toml(config));
}

}  // namespace xuictl
