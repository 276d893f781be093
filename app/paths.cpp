#include "paths.hpp"

#include <fmt/format.h>

#include "store/files.hpp"

namespace xuictl {
namespace {

Result<std::string> xdg_dir(Env& env, const char* variable, const char* fallback) {
    if (auto v = env.getenv(variable); v && !v->empty() && (*v)[0] == '/') {
        return path_join(*v, "xuictl");
    }
    if (auto home = env.getenv("HOME"); home && !home->empty()) {
        return path_join(path_join(*home, fallback), "xuictl");
    }
    return make_error(ErrorKind::config, fmt::format("cannot locate {}: HOME is not set", variable),
                      fmt::format("set HOME or {}", variable));
}

}  // namespace

Result<std::string> config_file(Env& env) {
    auto dir = xdg_dir(env, "XDG_CONFIG_HOME", ".config");
    if (!dir) {
        return dir.error();
    }
    return path_join(*dir, "config.toml");
}

Result<std::string> cache_dir(Env& env) { return xdg_dir(env, "XDG_CACHE_HOME", ".cache"); }

Result<std::string> state_dir(Env& env) { return xdg_dir(env, "XDG_STATE_HOME", ".local/state"); }

}  // namespace xuictl
