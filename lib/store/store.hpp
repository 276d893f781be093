#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/audit.hpp"
#include "util/result.hpp"

namespace xuictl {

// The --once-per guard of one run: the key (panel, command, period,
// cycle_start_ms) it takes with its record.
struct OncePerKey {
    std::string period;          // "day" | "week" | "month"
    int64_t cycle_start_ms = 0;  // local start of the current cycle
};

// What begin_operation decided.
struct BeginResult {
    // True: the record (and its snapshot) is committed; the write may go.
    bool recorded = false;
    // When not recorded (--once-per): the operation that holds this cycle —
    // one that succeeded (status "ok"), or one still running (status
    // "pending"). Nothing was written.
    std::optional<AuditEntry> holder;
};

// A record a reader met but could not use: reported and skipped, never a
// reason to fail.
struct SkippedRecord {
    std::string where;  // "operation 20261125T...-1a2b", "audit.jsonl line 7"
    std::string why;
};

struct OperationList {
    std::vector<AuditEntry> entries;  // oldest first
    std::vector<SkippedRecord> skipped;
};

// What import of the previous release's files did (once per file).
struct ImportReport {
    size_t operations = 0;
    size_t snapshots = 0;
    std::vector<SkippedRecord> skipped;
    std::vector<std::string> renamed;  // originals kept as NAME.imported
};

struct PruneResult {
    size_t operations = 0;  // records removed (their outcomes and once-per keys too)
    size_t snapshots = 0;   // snapshots removed
};

// All of xuictl's local state, one repository (DESIGN §9): audit records,
// snapshots, the --once-per guard (and, in later schema versions, usage
// samples). One interface so another backend could follow; today's is
// SQLite (open_store). Every method is one transaction: any number of
// xuictl processes may use one store at once. Errors are storage Errors
// naming the file (exit 1).
class Store {
public:
    virtual ~Store() = default;

    // The database file, for messages.
    virtual const std::string& location() const = 0;

    // Records `entry` (status pending) and its snapshot, committed and on
    // disk when this returns — call it BEFORE sending the write. The plan is
    // stored once: `snapshot_json` (a JSON object, e.g. snapshot_to_json)
    // is kept opaque, minus the text `,"plan":<entry.plan_json>` when it
    // holds it (put back by snapshot()); "" stores no snapshot. With
    // `once`, the same transaction first checks the
    // cycle: an operation of entry.command on entry.panel that ended ok
    // since once->cycle_start_ms, or a live pending one holding the key,
    // means nothing is written and BeginResult::holder names it. A pending
    // holder whose process is gone (same host, pid not running) is taken
    // over.
    virtual Result<BeginResult> begin_operation(const AuditEntry& entry,
                                                std::string_view snapshot_json,
                                                const std::optional<OncePerKey>& once) = 0;

    // Records the outcome of entry.id (status, error, mismatches, done,
    // not_done, finished_ms): one small insert, nothing rewritten. An
    // outcome other than "ok" releases the operation's once-per key.
    virtual Status finish_operation(const AuditEntry& outcome) = 0;

    // Replaces the snapshot of entry.id (recorded by begin_operation) with
    // `snapshot_json`, stored as there (the plan cut out). For what a write
    // did beyond its plan, learnt after it (a predicate purge that deleted
    // more): the snapshot grows by those records so they can be restored.
    virtual Status replace_snapshot(const AuditEntry& entry, std::string_view snapshot_json) = 0;

    // The latest operation of `command` on `panel` that ended ok at or after
    // since_ms (the read-only --once-per pre-check), if any.
    virtual Result<std::optional<AuditEntry>> last_ok(const std::string& panel,
                                                      const std::string& command,
                                                      int64_t since_ms) = 0;

    // Every operation, oldest first (status "pending" when no outcome).
    virtual Result<OperationList> operations() = 0;

    // The snapshot body of operation `id` (with its plan), or nullopt.
    virtual Result<std::optional<std::string>> snapshot(const std::string& id) = 0;

    // Removes operations recorded before before_ms, with their outcomes,
    // snapshots and once-per keys (and snapshots taken before then that
    // belong to no operation), then returns the freed pages to the file
    // system. Pending ones go too: an outcome that old never comes.
    virtual Result<PruneResult> prune(int64_t before_ms) = 0;
    // What prune(before_ms) would remove, without removing it.
    virtual Result<PruneResult> count_prunable(int64_t before_ms) = 0;
};

// Where the previous release kept its files, and where the database lives.
struct StoreLocation {
    std::string state_dir;  // $XDG_STATE_HOME/xuictl: created 0700
    std::string database;   // state_dir/xuictl.db: created 0600
    int busy_timeout_ms = 10000;
};

// Opens (creating, migrating) the SQLite store, then imports the previous
// release's state_dir/audit.jsonl and state_dir/snapshots/*.json once:
// every readable line and file is added (a record already present is left
// as it is), unreadable ones (a torn last line) are reported in `imported`
// and skipped, and each imported original is renamed NAME.imported.
Result<std::unique_ptr<Store>> open_store(const StoreLocation& where,
                                          ImportReport* imported = nullptr);

}  // namespace xuictl
