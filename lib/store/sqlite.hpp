#pragma once

#include <mutex>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "util/result.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace xuictl {

// The one place that speaks the raw sqlite3 C API (sqlite.cpp). Everything
// else in xuictl uses these three RAII types. Every failure is a `storage`
// Error whose message names the database file, so a locked, full or corrupt
// database is reported as what it is (exit 1), never as a panel problem.

// An open database connection. Closed by the destructor.
class SqliteDb {
public:
    // Opens (creating when missing, unless read_only) the database at path.
    // The file is created 0600: the caller creates its directory 0700 first.
    // Sets the busy timeout (how long a write waits for another process's
    // lock before failing), foreign keys on, and, unless read_only, WAL mode
    // with synchronous=FULL (a committed record survives power loss) and,
    // for a new file, auto_vacuum=INCREMENTAL.
    static Result<SqliteDb> open(const std::string& path, int busy_timeout_ms,
                                 bool read_only = false);

    SqliteDb(SqliteDb&& other) noexcept;
    SqliteDb& operator=(SqliteDb&& other) noexcept;
    SqliteDb(const SqliteDb&) = delete;
    SqliteDb& operator=(const SqliteDb&) = delete;
    ~SqliteDb();

    const std::string& path() const { return m_path; }
    // Runs one or more statements that return no rows (schema, pragmas).
    Status exec(std::string_view sql);
    // PRAGMA user_version: the schema version this database is at.
    Result<int> user_version();
    Status set_user_version(int version);
    // Rows changed by the last INSERT/UPDATE/DELETE.
    int64_t changes() const;
    // A storage Error naming the file: "<path>: <what>: <sqlite message>".
    Error error(std::string_view what) const;
    sqlite3* handle() const { return m_db; }

private:
    SqliteDb(sqlite3* db, std::string path) : m_db(db), m_path(std::move(path)) {}
    sqlite3* m_db = nullptr;
    std::string m_path;
};

// A prepared statement. Parameters are numbered from 1, columns from 0.
class SqliteStatement {
public:
    static Result<SqliteStatement> prepare(SqliteDb& db, std::string_view sql);

    SqliteStatement(SqliteStatement&& other) noexcept;
    SqliteStatement& operator=(SqliteStatement&& other) = delete;
    SqliteStatement(const SqliteStatement&) = delete;
    SqliteStatement& operator=(const SqliteStatement&) = delete;
    ~SqliteStatement();

    SqliteStatement& bind(int index, std::string_view text);
    SqliteStatement& bind(int index, int64_t value);
    SqliteStatement& bind_null(int index);
    // Convenience: text, or NULL when empty.
    SqliteStatement& bind_or_null(int index, std::string_view text);

    // Runs one step: true when a row is available, false when done.
    Result<bool> step();
    // Steps to completion (INSERT/UPDATE/DELETE).
    Status run();
    // Makes the statement runnable again with new bindings.
    void reset();

    // Column values of the current row; NULL reads as "" / 0 / nullopt.
    bool is_null(int column) const;
    std::string text(int column) const;
    // The same text without a copy: valid until the statement steps, resets
    // or is destroyed.
    std::string_view text_view(int column) const;
    int64_t int64(int column) const;
    std::optional<int64_t> int64_or_null(int column) const;

private:
    SqliteStatement(SqliteDb& db, sqlite3_stmt* stmt) : m_db(&db), m_stmt(stmt) {}
    SqliteDb* m_db;
    sqlite3_stmt* m_stmt = nullptr;
    bool m_bind_failed = false;
};

// BEGIN IMMEDIATE ... COMMIT. IMMEDIATE takes the write lock at the start, so
// what a transaction reads cannot change before it writes (the --once-per
// check and the record it guards are one decision). Rolled back by the
// destructor unless committed.
//
// Within one process, write transactions also take turns on a mutex before
// BEGIN: a fleet's panels record on their own threads and connections at
// once, and SQLite's busy timeout, meant for other processes (cron and a
// person), would otherwise be spent waiting for this process's own panels
// (ten 10 000-client panels: one failed "database is locked" after 5 s).
// A transaction is begun, committed and ended on one thread.
class SqliteTransaction {
public:
    static Result<SqliteTransaction> begin(SqliteDb& db);

    SqliteTransaction(SqliteTransaction&& other) noexcept;
    SqliteTransaction& operator=(SqliteTransaction&&) = delete;
    SqliteTransaction(const SqliteTransaction&) = delete;
    SqliteTransaction& operator=(const SqliteTransaction&) = delete;
    ~SqliteTransaction();

    Status commit();

private:
    SqliteTransaction(SqliteDb& db, std::unique_lock<std::recursive_mutex> turn)
        : m_db(&db), m_turn(std::move(turn)) {}
    SqliteDb* m_db;
    bool m_open = true;
    std::unique_lock<std::recursive_mutex> m_turn;  // this process's write turn
};

}  // namespace xuictl
