#pragma once

#include <memory>

#include "context.hpp"
#include "store/store.hpp"

namespace xuictl {

// Where the local store lives: $XDG_STATE_HOME/xuictl and its xuictl.db.
Result<StoreLocation> local_store_location(Env& env);

// The local store ($XDG_STATE_HOME/xuictl/xuictl.db, see store/store.hpp)
// for a command. Opening it creates, migrates and, the first time, imports
// the previous release's audit.jsonl and snapshots/ (reported on stderr:
// what was imported, each line or file skipped, the renamed originals).
// A storage Error names the file.
Result<std::unique_ptr<Store>> open_local_store(Context& ctx);

// For readers (audit, completion): as open_local_store, but nullptr (an
// empty history) when there is neither a database nor files to import, so
// reading creates nothing. `quiet` (shell completion): nothing on stderr.
Result<std::unique_ptr<Store>> open_local_store_if_any(Context& ctx, bool quiet = false);

}  // namespace xuictl
