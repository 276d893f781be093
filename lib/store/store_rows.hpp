#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "store/audit.hpp"
#include "store/sqlite.hpp"
#include "store/store.hpp"

namespace xuictl {

// Row-level SQL of the operations, outcomes and snapshots tables (schema in
// store/migrations/0001_operations.sql), shared by SqliteStore and the
// import of the previous release's files. Callers own the transaction.

// Inserts the operation row of `entry` (pid NULL when nullopt). With
// if_absent, a row with the same id is left as it is (import).
Status insert_operation(SqliteDb& db, const AuditEntry& entry, std::optional<int64_t> pid,
                        bool if_absent);

// Inserts the outcome of entry.id; with if_absent an existing one is kept.
Status insert_outcome(SqliteDb& db, const AuditEntry& entry, bool if_absent);

// Stores a snapshot body (a JSON object) for operation `id`, cutting
// `,"plan":<plan_json>` out of it when present (the plan is stored once, in
// the operation row). With if_absent an existing snapshot is kept.
Status insert_snapshot(SqliteDb& db, const std::string& id, const std::string& panel,
                       int64_t taken_at_ms, std::string_view body, std::string_view plan_json,
                       bool if_absent);

// A value bound to ?1, ?2, ... of a condition.
using SqlArg = std::variant<std::string, int64_t>;

// The operations joined with their outcomes, oldest first; `where` (may be
// empty: all) is an SQL condition on the operations table `o`, its ?N bound
// to args[N-1].
Result<OperationList> select_operations(SqliteDb& db, const std::string& where = {},
                                        const std::vector<SqlArg>& args = {});

// The body of snapshot `id` with its plan put back, or nullopt.
Result<std::optional<std::string>> select_snapshot(SqliteDb& db, const std::string& id);

// A JSON array of strings, and back (items that are not strings are
// skipped; text that is not an array reads as empty, `ok` set false).
std::string strings_to_json(const std::vector<std::string>& items);
std::vector<std::string> strings_from_json(const std::string& text, bool& ok);

}  // namespace xuictl
