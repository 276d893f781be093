#include "store/sqlite.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include <fmt/format.h>

namespace xuictl {
namespace {

Error storage_error(const std::string& path, std::string_view what, sqlite3* db, int rc) {
    const char* detail = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    std::string hint;
    const int primary = rc & 0xff;
    if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
        hint = "another xuictl is writing to it; retry when it has finished";
    } else if (primary == SQLITE_FULL) {
        hint = "the disk is full: free space, then retry";
    } else if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB) {
        hint =
            "the database is damaged: move it aside (xuictl starts a new one) and keep it for "
            "`sqlite3 FILE .recover`";
    } else if (primary == SQLITE_READONLY || primary == SQLITE_CANTOPEN || primary == SQLITE_PERM) {
        hint = "check the permissions of the file and its directory";
    }
    return make_error(ErrorKind::storage, fmt::format("{}: {}: {}", path, what, detail), hint);
}

// A new database file is created 0600 before SQLite opens it: SQLite itself
// would create it with the umask's mode (often 0644).
Status create_private_file(const std::string& path) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        return make_error(
            ErrorKind::storage,
            fmt::format("{}: cannot create the database: {}", path, std::strerror(errno)),
            "check the permissions of its directory");
    }
    ::fchmod(fd, 0600);
    ::close(fd);
    return ok_status();
}

}  // namespace

Result<SqliteDb> SqliteDb::open(const std::string& path, int busy_timeout_ms, bool read_only) {
    if (!read_only) {
        struct stat st {};
        if (::lstat(path.c_str(), &st) != 0) {
            if (auto s = create_private_file(path); !s) {
                return s.error();
            }
        }
    }
    sqlite3* raw = nullptr;
    const int flags = (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) |
                      SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_NOFOLLOW;
    const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
    SqliteDb db(raw, path);
    if (rc != SQLITE_OK) {
        return storage_error(path, "cannot open the database", raw, rc);
    }
    sqlite3_extended_result_codes(raw, 1);
    sqlite3_busy_timeout(raw, busy_timeout_ms);
    // journal_mode=WAL is persistent in the file; setting it needs the write
    // lock only the first time. synchronous=FULL: a commit is on disk when
    // it returns (the record-before-write rule relies on that).
    // auto_vacuum=INCREMENTAL takes effect only on a new, empty file, so it
    // comes before journal_mode (which writes the first page): it lets a
    // prune give pages back without rewriting the whole file (VACUUM).
    // Asked for on an empty file only: on one that has pages it changes
    // nothing but still writes page 1 — a write transaction, four fsyncs
    // and a checkpoint at close in every process that merely reads.
    std::string pragmas = "PRAGMA foreign_keys=ON;";
    if (!read_only) {
        auto pages = SqliteStatement::prepare(db, "PRAGMA page_count");
        if (!pages) {
            return pages.error();
        }
        auto row = pages->step();
        if (!row) {
            return row.error();
        }
        const bool empty = *row && pages->int64(0) == 0;
        pages->reset();  // no statement may be running when journal_mode changes
        if (empty) {
            pragmas += "PRAGMA auto_vacuum=INCREMENTAL;";
        }
        pragmas += "PRAGMA journal_mode=WAL;PRAGMA synchronous=FULL;";
    }
    // Turning a new file to WAL (and setting auto_vacuum) takes a lock that
    // SQLite does not wait for: with several xuictl opening a new database
    // at once (a fleet's panels on their threads, cron and a person), all but
    // one get SQLITE_BUSY at once. Wait for it as the busy timeout would.
    for (int waited_ms = 0;; waited_ms += 10) {
        const int prc = sqlite3_exec(raw, pragmas.c_str(), nullptr, nullptr, nullptr);
        if (prc == SQLITE_OK) {
            break;
        }
        if ((prc & 0xff) != SQLITE_BUSY || waited_ms >= busy_timeout_ms) {
            return storage_error(path, "cannot update the database", raw, prc);
        }
        sqlite3_sleep(10);
    }
    return db;
}

SqliteDb::SqliteDb(SqliteDb&& other) noexcept
    : m_db(std::exchange(other.m_db, nullptr)), m_path(std::move(other.m_path)) {}

SqliteDb& SqliteDb::operator=(SqliteDb&& other) noexcept {
    if (this != &other) {
        sqlite3_close_v2(m_db);
        m_db = std::exchange(other.m_db, nullptr);
        m_path = std::move(other.m_path);
    }
    return *this;
}

SqliteDb::~SqliteDb() {
    sqlite3_close_v2(m_db);
}

Status SqliteDb::exec(std::string_view sql) {
    const std::string text(sql);
    const int rc = sqlite3_exec(m_db, text.c_str(), nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) {
        return storage_error(m_path, "cannot update the database", m_db, rc);
    }
    return ok_status();
}

Result<int> SqliteDb::user_version() {
    auto st = SqliteStatement::prepare(*this, "PRAGMA user_version");
    if (!st) {
        return st.error();
    }
    auto row = st->step();
    if (!row) {
        return row.error();
    }
    return *row ? static_cast<int>(st->int64(0)) : 0;
}

Status SqliteDb::set_user_version(int version) {
    return exec(fmt::format("PRAGMA user_version={}", version));
}

int64_t SqliteDb::changes() const {
    return sqlite3_changes64(m_db);
}

Error SqliteDb::error(std::string_view what) const {
    return storage_error(m_path, what, m_db, sqlite3_errcode(m_db));
}

Result<SqliteStatement> SqliteStatement::prepare(SqliteDb& db, std::string_view sql) {
    sqlite3_stmt* stmt = nullptr;
    const int rc =
        sqlite3_prepare_v2(db.handle(), sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
    if (rc != SQLITE_OK) {
        return db.error("cannot read the database");
    }
    return SqliteStatement(db, stmt);
}

SqliteStatement::SqliteStatement(SqliteStatement&& other) noexcept
    : m_db(other.m_db),
      m_stmt(std::exchange(other.m_stmt, nullptr)),
      m_bind_failed(other.m_bind_failed) {}

SqliteStatement::~SqliteStatement() {
    sqlite3_finalize(m_stmt);
}

SqliteStatement& SqliteStatement::bind(int index, std::string_view text) {
    // SQLITE_TRANSIENT: SQLite copies the text, so temporaries are safe.
    m_bind_failed |= sqlite3_bind_text64(m_stmt, index, text.data(), text.size(), SQLITE_TRANSIENT,
                                         SQLITE_UTF8) != SQLITE_OK;
    return *this;
}

SqliteStatement& SqliteStatement::bind(int index, int64_t value) {
    m_bind_failed |= sqlite3_bind_int64(m_stmt, index, value) != SQLITE_OK;
    return *this;
}

SqliteStatement& SqliteStatement::bind_null(int index) {
    m_bind_failed |= sqlite3_bind_null(m_stmt, index) != SQLITE_OK;
    return *this;
}

SqliteStatement& SqliteStatement::bind_or_null(int index, std::string_view text) {
    return text.empty() ? bind_null(index) : bind(index, text);
}

Result<bool> SqliteStatement::step() {
    if (m_bind_failed) {
        return m_db->error("cannot bind a value");
    }
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW) {
        return true;
    }
    if (rc == SQLITE_DONE) {
        return false;
    }
    return m_db->error("cannot update the database");
}

Status SqliteStatement::run() {
    for (;;) {
        auto row = step();
        if (!row) {
            return row.error();
        }
        if (!*row) {
            return ok_status();
        }
    }
}

void SqliteStatement::reset() {
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
    m_bind_failed = false;
}

bool SqliteStatement::is_null(int column) const {
    return sqlite3_column_type(m_stmt, column) == SQLITE_NULL;
}

std::string SqliteStatement::text(int column) const {
    return std::string(text_view(column));
}

std::string_view SqliteStatement::text_view(int column) const {
    const auto* p = sqlite3_column_text(m_stmt, column);
    if (p == nullptr) {
        return {};
    }
    return std::string_view(reinterpret_cast<const char*>(p),
                            static_cast<size_t>(sqlite3_column_bytes(m_stmt, column)));
}

int64_t SqliteStatement::int64(int column) const {
    return sqlite3_column_int64(m_stmt, column);
}

std::optional<int64_t> SqliteStatement::int64_or_null(int column) const {
    if (is_null(column)) {
        return std::nullopt;
    }
    return int64(column);
}

namespace {

// Recursive: a thread that holds a transaction on one connection and begins
// one on another gets SQLite's own busy answer, not a deadlock here.
std::recursive_mutex& write_turns() {
    static std::recursive_mutex turns;
    return turns;
}

}  // namespace

Result<SqliteTransaction> SqliteTransaction::begin(SqliteDb& db) {
    std::unique_lock<std::recursive_mutex> turn(write_turns());
    if (auto s = db.exec("BEGIN IMMEDIATE"); !s) {
        return s.error();
    }
    return SqliteTransaction(db, std::move(turn));
}

SqliteTransaction::SqliteTransaction(SqliteTransaction&& other) noexcept
    : m_db(other.m_db),
      m_open(std::exchange(other.m_open, false)),
      m_turn(std::move(other.m_turn)) {}

SqliteTransaction::~SqliteTransaction() {
    if (m_open) {
        (void)m_db->exec("ROLLBACK");
    }
}

Status SqliteTransaction::commit() {
    m_open = false;
    Status ended = m_db->exec("COMMIT");
    if (!ended) {
        (void)m_db->exec("ROLLBACK");
    }
    if (m_turn.owns_lock()) {
        m_turn.unlock();  // the next panel's write may begin
    }
    return ended;
}

}  // namespace xuictl
