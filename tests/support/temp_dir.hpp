#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "store/store.hpp"

namespace xuictl::test {

// A fresh, empty directory under the system temp dir, removed with everything
// in it when the object goes out of scope. Unique per process and instance.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::filesystem::path& path() const { return m_path; }
    std::string str() const { return m_path.string(); }
    // path() / name, as a string.
    std::string file(const std::string& name) const { return (m_path / name).string(); }

private:
    std::filesystem::path m_path;
};

// XDG_STATE_HOME for one destructive-command test: the local store is
// <dir>/xuictl/xuictl.db. audit_path() and snapshots_dir() are where the
// previous release kept its files (written by hand to test the import).
class StateDir : public TempDir {
public:
    std::filesystem::path xuictl_dir() const { return path() / "xuictl"; }
    std::filesystem::path db_path() const { return xuictl_dir() / "xuictl.db"; }
    std::filesystem::path audit_path() const { return xuictl_dir() / "audit.jsonl"; }
    std::filesystem::path snapshots_dir() const { return xuictl_dir() / "snapshots"; }
    // Every audit record in the database, oldest first, each as its JSON
    // line (audit_to_json); empty when there is no database.
    std::vector<std::string> audit_lines() const;
    // The ids of the snapshots in the database, sorted.
    std::vector<std::string> snapshots() const;
    // The body of one snapshot ("" when there is none).
    std::string snapshot(const std::string& id) const;
    // Where open_store finds this directory's database (short busy timeout).
    StoreLocation store_location() const;
};

// Permission bits (mode & 0777) of a file or directory.
unsigned mode_of(const std::filesystem::path& p);

// Whole contents of a file ("" when it cannot be read).
std::string slurp(const std::filesystem::path& p);

// The lines of a text, without their '\n' (a final newline adds no line).
std::vector<std::string> lines_of(const std::string& text);

// Creates (or truncates) a file with this content and mode.
void write_file(const std::filesystem::path& p, const std::string& content, unsigned mode);

}  // namespace xuictl::test
