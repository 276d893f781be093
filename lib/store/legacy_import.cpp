#include "store/legacy_import.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>

#include <fmt/format.h>

#include "json/reader.hpp"
#include "store/files.hpp"
#include "store/store_rows.hpp"

namespace xuictl {
namespace {

bool exists(const std::string& path) {
    struct stat st {};
    return ::lstat(path.c_str(), &st) == 0;
}

Status record_import(SqliteDb& db, const std::string& source, int64_t now_ms, size_t records,
                     size_t skipped) {
    auto st = SqliteStatement::prepare(
        db,
        "INSERT OR REPLACE INTO imports (source, imported_ms, records, skipped) "
        "VALUES (?1, ?2, ?3, ?4)");
    if (!st) {
        return st.error();
    }
    st->bind(1, source).bind(2, now_ms).bind(3, static_cast<int64_t>(records));
    st->bind(4, static_cast<int64_t>(skipped));
    return st->run();
}

// audit.jsonl: returns the plan of each imported id (for its snapshot).
Status import_audit(SqliteDb& db, const std::string& path, int64_t now_ms, ImportReport& report,
                    std::map<std::string, std::string>& plans) {
    auto text = read_file(path);
    if (!text) {
        return make_error(ErrorKind::storage, text.error().message);
    }
    size_t start = 0;
    size_t number = 0;
    size_t imported = 0;
    size_t skipped = 0;
    while (start < text->size()) {
        auto end = text->find('\n', start);
        if (end == std::string::npos) {
            end = text->size();
        }
        ++number;
        const std::string line = text->substr(start, end - start);
        start = end + 1;
        if (line.find_first_not_of(" \t\r") == std::string::npos) {
            continue;
        }
        auto entry = audit_from_json(line);
        if (!entry || entry->id.empty()) {
            ++skipped;
            report.skipped.push_back({fmt::format("{} line {}", path, number),
                                      entry ? "it has no id" : entry.error().message});
            continue;
        }
        if (auto s = insert_operation(db, *entry, std::nullopt, true); !s) {
            return s;
        }
        if (entry->status != "pending") {
            if (auto s = insert_outcome(db, *entry, true); !s) {
                return s;
            }
        }
        plans[entry->id] = entry->plan_json;
        ++imported;
    }
    report.operations += imported;
    return record_import(db, path, now_ms, imported, skipped);
}

Status import_snapshots(SqliteDb& db, const std::string& dir, int64_t now_ms, ImportReport& report,
                        const std::map<std::string, std::string>& plans) {
    std::error_code ec;
    std::vector<std::filesystem::path> files;
    for (const auto& item : std::filesystem::directory_iterator(dir, ec)) {
        if (item.path().extension() == ".json") {
            files.push_back(item.path());
        }
    }
    if (ec) {
        return make_error(ErrorKind::storage,
                          fmt::format("cannot read the directory {}: {}", dir, ec.message()));
    }
    std::sort(files.begin(), files.end());
    size_t imported = 0;
    size_t skipped = 0;
    for (const auto& file : files) {
        auto text = read_file(file.string());
        std::string why;
        std::string id;
        std::string panel;
        int64_t taken_at_ms = 0;
        if (!text) {
            why = text.error().message;
        } else if (auto doc = parse_json(*text, "snapshot"); !doc || !doc->IsObject()) {
            why = "it is not a JSON object";
        } else {
            Error error;
            ObjectReader r(*doc, "", error);
            id = r.string_or("id", file.stem().string());
            panel = r.string_or("panel", "");
            taken_at_ms = r.int64_or("taken_at_ms", 0);
            if (r.failed()) {
                why = error.message;
            }
        }
        if (!why.empty()) {
            ++skipped;
            report.skipped.push_back({file.string(), why});
            continue;
        }
        const auto plan = plans.find(id);
        if (auto s = insert_snapshot(db, id, panel, taken_at_ms, *text,
                                     plan == plans.end() ? std::string_view() : plan->second, true);
            !s) {
            return s;
        }
        ++imported;
    }
    report.snapshots += imported;
    return record_import(db, dir, now_ms, imported, skipped);
}

}  // namespace

Status import_legacy_files(SqliteDb& db, const StoreLocation& where, int64_t now_ms,
                           ImportReport& report) {
    const std::string audit = path_join(where.state_dir, "audit.jsonl");
    const std::string snapshots = path_join(where.state_dir, "snapshots");
    const bool has_audit = exists(audit);
    const bool has_snapshots = exists(snapshots);
    if (!has_audit && !has_snapshots) {
        return ok_status();
    }
    {
        auto tx = SqliteTransaction::begin(db);
        if (!tx) {
            return tx.error();
        }
        std::map<std::string, std::string> plans;
        // Another xuictl may have imported them while this one waited for
        // the lock: then they are gone and there is nothing to do.
        if (exists(audit)) {
            if (auto s = import_audit(db, audit, now_ms, report, plans); !s) {
                return s;
            }
        }
        if (exists(snapshots)) {
            // Plans of operations imported earlier (or by another process).
            auto known = select_operations(db);
            if (!known) {
                return known.error();
            }
            for (const auto& e : known->entries) {
                plans.emplace(e.id, e.plan_json);
            }
            if (auto s = import_snapshots(db, snapshots, now_ms, report, plans); !s) {
                return s;
            }
        }
        if (auto s = tx->commit(); !s) {
            return s;
        }
    }
    for (const auto& path : {audit, snapshots}) {
        if (!exists(path)) {
            continue;
        }
        // Never over an earlier import's originals (an older xuictl run
        // since then wrote new files).
        std::string to = path + ".imported";
        for (int n = 2; exists(to); ++n) {
            to = fmt::format("{}.imported-{}", path, n);
        }
        if (std::rename(path.c_str(), to.c_str()) != 0) {
            return make_error(ErrorKind::storage,
                              fmt::format("imported {} into {}, but cannot rename it to {}: {}",
                                          path, db.path(), to, std::strerror(errno)),
                              "rename or move it yourself; importing it again adds nothing");
        }
        report.renamed.push_back(to);
    }
    return ok_status();
}

}  // namespace xuictl
