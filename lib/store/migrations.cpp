#include "store/migrations.hpp"

#include <fmt/format.h>

namespace xuictl {

int latest_schema_version() {
    const auto steps = all_migrations();
    return steps.empty() ? 0 : steps.back().version;
}

Status migrate(SqliteDb& db, std::span<const Migration> steps) {
    for (size_t i = 0; i < steps.size(); ++i) {
        if (steps[i].version != static_cast<int>(i) + 1) {
            return make_error(ErrorKind::storage,
                              fmt::format("{}: migration step {} has version {}, expected {}",
                                          db.path(), steps[i].name, steps[i].version, i + 1));
        }
    }
    const int latest = static_cast<int>(steps.size());
    for (const auto& step : steps) {
        auto version = db.user_version();
        if (!version) {
            return version.error();
        }
        if (*version >= step.version) {
            continue;
        }
        auto tx = SqliteTransaction::begin(db);
        if (!tx) {
            return tx.error();
        }
        // Read again under the write lock: another xuictl may have just
        // applied this step.
        version = db.user_version();
        if (!version) {
            return version.error();
        }
        if (*version >= step.version) {
            continue;
        }
        if (auto s = db.exec(step.sql); !s) {
            Error e = s.error();
            e.message = fmt::format("{} (migration {})", e.message, step.name);
            return e;
        }
        if (auto s = db.set_user_version(step.version); !s) {
            return s.error();
        }
        if (auto s = tx->commit(); !s) {
            return s.error();
        }
    }
    auto version = db.user_version();
    if (!version) {
        return version.error();
    }
    if (*version > latest) {
        return make_error(ErrorKind::storage,
                          fmt::format("{}: schema version {} is newer than this xuictl knows ({})",
                                      db.path(), *version, latest),
                          "it was written by a newer xuictl: use that version");
    }
    return ok_status();
}

}  // namespace xuictl
