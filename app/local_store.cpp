#include "local_store.hpp"

#include <sys/stat.h>

#include <fmt/format.h>

#include "paths.hpp"
#include "store/files.hpp"

namespace xuictl {
namespace {

// How long a write waits for another xuictl's transaction before failing
// (exit 1, nothing sent). Transactions are a few milliseconds long.
constexpr int kBusyTimeoutMs = 5000;

bool exists(const std::string& path) {
    struct stat st {};
    return ::lstat(path.c_str(), &st) == 0;
}

Result<std::unique_ptr<Store>> open_at(Context& ctx, const StoreLocation& where, bool quiet) {
    ImportReport report;
    auto store = open_store(where, &report);
    if (!store || quiet) {
        return store;
    }
    for (const auto& skipped : report.skipped) {
        ctx.warn(fmt::format("import: skipped {}: {}", skipped.where, skipped.why));
    }
    if (!report.renamed.empty()) {
        ctx.note(
            fmt::format("imported {} audit record(s) and {} snapshot(s) into {}; the "
                        "originals are kept as {}",
                        report.operations, report.snapshots, where.database,
                        fmt::join(report.renamed, " and ")));
    }
    return store;
}

}  // namespace

Result<StoreLocation> local_store_location(Env& env) {
    auto dir = state_dir(env);
    if (!dir) {
        return dir.error();
    }
    StoreLocation where;
    where.state_dir = *dir;
    where.database = path_join(*dir, "xuictl.db");
    where.busy_timeout_ms = kBusyTimeoutMs;
    return where;
}

Result<std::unique_ptr<Store>> open_local_store(Context& ctx) {
    auto where = local_store_location(ctx.env());
    if (!where) {
        return where.error();
    }
    return open_at(ctx, *where, false);
}

Result<std::unique_ptr<Store>> open_local_store_if_any(Context& ctx, bool quiet) {
    auto where = local_store_location(ctx.env());
    if (!where) {
        return where.error();
    }
    if (!exists(where->database) && !exists(path_join(where->state_dir, "audit.jsonl")) &&
        !exists(path_join(where->state_dir, "snapshots"))) {
        return std::unique_ptr<Store>();
    }
    return open_at(ctx, *where, quiet);
}

}  // namespace xuictl
