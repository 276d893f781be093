#include "support/temp_dir.hpp"

#include "store/store_rows.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>

namespace xuictl::test {

TempDir::TempDir() {
    static int counter = 0;
    const auto base = std::filesystem::temp_directory_path();
    for (;;) {
        m_path = base / ("xuictl-test-" + std::to_string(::getpid()) + "-" +
                         std::to_string(counter++));
        if (std::filesystem::create_directory(m_path)) {
            break;
        }
    }
}

TempDir::~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(m_path, ignored);
}

namespace {

// A second connection to the test's database (read only), or nullopt.
std::optional<SqliteDb> open_db(const std::filesystem::path& path) {
    if (!std::filesystem::exists(path)) {
        return std::nullopt;
    }
    auto db = SqliteDb::open(path.string(), 2000, true);
    if (!db) {
        throw std::runtime_error(db.error().message);
    }
    return std::move(db.value());
}

}  // namespace

std::vector<std::string> StateDir::audit_lines() const {
    std::vector<std::string> lines;
    auto db = open_db(db_path());
    if (!db) {
        return lines;
    }
    auto list = select_operations(*db);
    if (!list) {
        throw std::runtime_error(list.error().message);
    }
    for (const auto& e : list->entries) {
        lines.push_back(audit_to_json(e));
    }
    return lines;
}

std::vector<std::string> StateDir::snapshots() const {
    std::vector<std::string> ids;
    auto db = open_db(db_path());
    if (!db) {
        return ids;
    }
    auto st = SqliteStatement::prepare(*db, "SELECT id FROM snapshots ORDER BY id");
    while (st && st->step().value()) {
        ids.push_back(st->text(0));
    }
    return ids;
}

StoreLocation StateDir::store_location() const {
    StoreLocation where;
    where.state_dir = xuictl_dir().string();
    where.database = db_path().string();
    where.busy_timeout_ms = 200;
    return where;
}

std::string StateDir::snapshot(const std::string& id) const {
    auto db = open_db(db_path());
    if (!db) {
        return {};
    }
    auto body = select_snapshot(*db, id);
    return body && *body ? **body : std::string();
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        lines.push_back(line);
    }
    return lines;
}

unsigned mode_of(const std::filesystem::path& p) {
    struct stat st {};
    if (::stat(p.c_str(), &st) != 0) {
        return 0;
    }
    return static_cast<unsigned>(st.st_mode) & 0777u;
}

std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

void write_file(const std::filesystem::path& p, const std::string& content, unsigned mode) {
    {
        std::ofstream out(p, std::ios::binary | std::ios::trunc);
        out << content;
    }
    if (::chmod(p.c_str(), static_cast<mode_t>(mode)) != 0) {
        throw std::runtime_error("chmod failed: " + p.string());
    }
}

}  // namespace xuictl::test
