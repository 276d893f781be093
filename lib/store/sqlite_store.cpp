// The SQLite implementation of Store (store/store.hpp).
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>

#include <fmt/format.h>

#include "store/files.hpp"
#include "store/legacy_import.hpp"
#include "store/migrations.hpp"
#include "store/sqlite.hpp"
#include "store/store.hpp"
#include "store/store_rows.hpp"

namespace xuictl {
namespace {

// A pending operation's process, recorded on this host, that no longer
// runs: its once-per key is stale (killed, power loss).
bool process_gone(const AuditEntry& holder, std::optional<int64_t> pid, const std::string& host) {
    if (!pid || *pid <= 0 || holder.host != host) {
        return false;
    }
    return ::kill(static_cast<pid_t>(*pid), 0) != 0 && errno == ESRCH;
}

int64_t wall_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

class SqliteStore final : public Store {
public:
    explicit SqliteStore(SqliteDb db) : m_db(std::move(db)) {}

    const std::string& location() const override { return m_db.path(); }

    Result<BeginResult> begin_operation(const AuditEntry& entry, std::string_view snapshot_json,
                                        const std::optional<OncePerKey>& once) override {
        auto tx = SqliteTransaction::begin(m_db);
        if (!tx) {
            return tx.error();
        }
        if (once) {
            auto held = once_per_holder(entry, *once);
            if (!held) {
                return held.error();
            }
            if (*held) {
                return BeginResult{false, std::move(**held)};
            }
        }
        if (auto s = insert_operation(m_db, entry, static_cast<int64_t>(::getpid()), false); !s) {
            return s.error();
        }
        if (!snapshot_json.empty()) {
            if (auto s = insert_snapshot(m_db, entry.id, entry.panel, entry.time_ms, snapshot_json,
                                         entry.plan_json, false);
                !s) {
                return s.error();
            }
        }
        if (once) {
            auto st = SqliteStatement::prepare(
                m_db,
                "INSERT OR REPLACE INTO once_per (panel, command, period, cycle_start_ms, "
                "operation_id) VALUES (?1, ?2, ?3, ?4, ?5)");
            if (!st) {
                return st.error();
            }
            st->bind(1, entry.panel).bind(2, entry.command).bind(3, once->period);
            st->bind(4, once->cycle_start_ms).bind(5, entry.id);
            if (auto s = st->run(); !s) {
                return s.error();
            }
        }
        if (auto s = tx->commit(); !s) {
            return s.error();
        }
        return BeginResult{true, std::nullopt};
    }

    Status finish_operation(const AuditEntry& outcome) override {
        auto tx = SqliteTransaction::begin(m_db);
        if (!tx) {
            return tx.error();
        }
        if (auto s = insert_outcome(m_db, outcome, false); !s) {
            return s;
        }
        if (outcome.status != "ok") {
            // A run that did not succeed does not use up the cycle.
            auto st =
                SqliteStatement::prepare(m_db, "DELETE FROM once_per WHERE operation_id = ?1");
            if (!st) {
                return st.error();
            }
            st->bind(1, outcome.id);
            if (auto s = st->run(); !s) {
                return s;
            }
        }
        return tx->commit();
    }

    Status replace_snapshot(const AuditEntry& entry, std::string_view snapshot_json) override {
        auto tx = SqliteTransaction::begin(m_db);
        if (!tx) {
            return tx.error();
        }
        auto st = SqliteStatement::prepare(m_db, "DELETE FROM snapshots WHERE id = ?1");
        if (!st) {
            return st.error();
        }
        st->bind(1, entry.id);
        if (auto s = st->run(); !s) {
            return s;
        }
        if (auto s = insert_snapshot(m_db, entry.id, entry.panel, entry.time_ms, snapshot_json,
                                     entry.plan_json, false);
            !s) {
            return s;
        }
        return tx->commit();
    }

    Result<std::optional<AuditEntry>> last_ok(const std::string& panel, const std::string& command,
                                              int64_t since_ms) override {
        auto list =
            select_operations(m_db,
                              "o.panel = ?1 AND o.command = ?2 AND o.time_ms >= ?3 AND "
                              "o.id IN (SELECT operation_id FROM outcomes WHERE status = 'ok')",
                              {panel, command, since_ms});
        if (!list) {
            return list.error();
        }
        if (list->entries.empty()) {
            return std::optional<AuditEntry>{};
        }
        return std::optional<AuditEntry>(std::move(list->entries.back()));
    }

    Result<OperationList> operations() override { return select_operations(m_db); }

    Result<std::optional<std::string>> snapshot(const std::string& id) override {
        return select_snapshot(m_db, id);
    }

    Result<PruneResult> count_prunable(int64_t before_ms) override {
        PruneResult r;
        auto ops = count("SELECT count(*) FROM operations WHERE time_ms < ?1", before_ms);
        auto snaps = count(
            "SELECT count(*) FROM snapshots WHERE id IN (SELECT id FROM operations "
            "WHERE time_ms < ?1) OR (taken_at_ms < ?1 AND id NOT IN (SELECT id FROM "
            "operations))",
            before_ms);
        if (!ops || !snaps) {
            return !ops ? ops.error() : snaps.error();
        }
        r.operations = static_cast<size_t>(*ops);
        r.snapshots = static_cast<size_t>(*snaps);
        return r;
    }

    Result<PruneResult> prune(int64_t before_ms) override {
        PruneResult r;
        {
            auto tx = SqliteTransaction::begin(m_db);
            if (!tx) {
                return tx.error();
            }
            auto counted = count_prunable(before_ms);
            if (!counted) {
                return counted.error();
            }
            r = *counted;
            for (const char* sql :
                 {"DELETE FROM snapshots WHERE id IN (SELECT id FROM operations WHERE time_ms < "
                  "?1) "
                  "OR (taken_at_ms < ?1 AND id NOT IN (SELECT id FROM operations))",
                  // outcomes and once_per rows go with them (ON DELETE CASCADE).
                  "DELETE FROM operations WHERE time_ms < ?1"}) {
                auto st = SqliteStatement::prepare(m_db, sql);
                if (!st) {
                    return st.error();
                }
                st->bind(1, before_ms);
                if (auto s = st->run(); !s) {
                    return s.error();
                }
            }
            if (auto s = tx->commit(); !s) {
                return s.error();
            }
        }
        // Give the freed pages back (auto_vacuum=INCREMENTAL, set at creation).
        if (auto s = m_db.exec("PRAGMA incremental_vacuum"); !s) {
            return s.error();
        }
        return r;
    }

private:
    Result<int64_t> count(const char* sql, int64_t arg) {
        auto st = SqliteStatement::prepare(m_db, sql);
        if (!st) {
            return st.error();
        }
        st->bind(1, arg);
        auto row = st->step();
        if (!row) {
            return row.error();
        }
        return *row ? st->int64(0) : 0;
    }

    // Inside begin_operation's transaction: what holds this cycle, if anything.
    Result<std::optional<AuditEntry>> once_per_holder(const AuditEntry& entry,
                                                      const OncePerKey& once) {
        auto done = last_ok(entry.panel, entry.command, once.cycle_start_ms);
        if (!done || *done) {
            return done;
        }
        auto st = SqliteStatement::prepare(
            m_db,
            "SELECT k.operation_id, o.pid FROM once_per k JOIN operations o ON o.id = "
            "k.operation_id WHERE k.panel = ?1 AND k.command = ?2 AND k.period = ?3 AND "
            "k.cycle_start_ms = ?4");
        if (!st) {
            return st.error();
        }
        st->bind(1, entry.panel).bind(2, entry.command).bind(3, once.period);
        st->bind(4, once.cycle_start_ms);
        auto row = st->step();
        if (!row) {
            return row.error();
        }
        if (!*row) {
            return std::optional<AuditEntry>{};
        }
        const std::string holder_id = st->text(0);
        const auto pid = st->int64_or_null(1);
        auto holder = select_operations(m_db, "o.id = ?1", {holder_id});
        if (!holder) {
            return holder.error();
        }
        if (holder->entries.empty() || holder->entries.front().status != "pending") {
            return std::optional<AuditEntry>{};
        }
        if (process_gone(holder->entries.front(), pid, entry.host)) {
            return std::optional<AuditEntry>{};  // taken over by INSERT OR REPLACE
        }
        return std::optional<AuditEntry>(std::move(holder->entries.front()));
    }

    SqliteDb m_db;
};

}  // namespace

Result<std::unique_ptr<Store>> open_store(const StoreLocation& where, ImportReport* imported) {
    if (auto s = ensure_private_dir(where.state_dir); !s) {
        Error e = s.error();
        e.kind = ErrorKind::storage;
        return e;
    }
    auto db = SqliteDb::open(where.database, where.busy_timeout_ms);
    if (!db) {
        return db.error();
    }
    if (auto s = migrate(*db); !s) {
        return s.error();
    }
    ImportReport report;
    if (auto s = import_legacy_files(*db, where, wall_ms(), report); !s) {
        return s.error();
    }
    if (imported != nullptr) {
        *imported = std::move(report);
    }
    return std::unique_ptr<Store>(std::make_unique<SqliteStore>(std::move(*db)));
}

}  // namespace xuictl
