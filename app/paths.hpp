#pragma once

#include <string>

#include "env.hpp"
#include "util/result.hpp"

namespace xuictl {

// XDG locations (DESIGN §6), from the environment given to the command:
//   config  $XDG_CONFIG_HOME/xuictl/config.toml   (~/.config/xuictl/config.toml)
//   cache   $XDG_CACHE_HOME/xuictl                (~/.cache/xuictl)
//   state   $XDG_STATE_HOME/xuictl                (~/.local/state/xuictl)
//           holding xuictl.db, the local store (local_store.hpp)
// Relative XDG values are ignored, as the XDG spec requires.
Result<std::string> config_file(Env& env);
Result<std::string> cache_dir(Env& env);
Result<std::string> state_dir(Env& env);

}  // namespace xuictl
