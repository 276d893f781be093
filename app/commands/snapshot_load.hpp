#pragma once

#include <string>

#include "env.hpp"
#include "store/snapshot.hpp"

namespace xuictl {

// The snapshot an operation id (= audit id) names, or the file at a path
// (anything with a '/' or a .json suffix). A missing one is a not_found
// Error pointing at `xuictl audit`.
Result<Snapshot> load_snapshot(Env& env, const std::string& id_or_path);

}  // namespace xuictl
