#pragma once

#include "store/sqlite.hpp"
#include "store/store.hpp"

namespace xuictl {

// Imports the previous release's files into an open, migrated database, in
// one transaction: where.state_dir/audit.jsonl (one AuditEntry JSON per
// line) and where.state_dir/snapshots/*.json. Lossless: every field of a
// readable line is kept; the plan, present in both a line and its snapshot,
// is stored once. A line or file that cannot be read (a torn last line from
// a crash mid-append) is reported in `report.skipped` and left out. Records
// already in the database are kept as they are, so a second run (a crash
// between the commit and the renames) adds nothing. After the commit,
// audit.jsonl becomes audit.jsonl.imported and snapshots/ becomes
// snapshots.imported (the originals are kept, and not read again).
// Does nothing when neither exists.
Status import_legacy_files(SqliteDb& db, const StoreLocation& where, int64_t now_ms,
                           ImportReport& report);

}  // namespace xuictl
