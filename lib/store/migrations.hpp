#pragma once

#include <span>

#include "store/sqlite.hpp"
#include "util/result.hpp"

namespace xuictl {

// The schema of the xuictl database, as an ordered list of migration steps.
//
// EXTENSION POINT: one step = one file lib/store/migrations/NNNN_name.sql.
// NNNN (decimal, leading zeros allowed) is the schema version the step
// brings the database to; versions are 1, 2, 3, ... without gaps. The build
// (lib/CMakeLists.txt) embeds every such file, in version order, into the
// generated list all_migrations() returns — adding a step means adding a
// file, nothing else is edited. A step is plain SQLite SQL (JSON functions
// available), run in its own BEGIN IMMEDIATE transaction together with
// `PRAGMA user_version = NNNN`, so a crash leaves the database at the
// previous version or the new one. Rules for a step:
//   - never edit a step that has been released: add the next one;
//   - only add (tables, columns with defaults, indexes) or transform data;
//     readers of older rows must keep working;
//   - a test in tests/unit/migrations_test.cpp migrates from every earlier
//     version (0 = no database) to the latest: add the new version there.
struct Migration {
    int version = 0;
    const char* name = "";  // the file name, e.g. "0001_operations.sql"
    const char* sql = "";
};

// Every step, version order (generated at build time).
std::span<const Migration> all_migrations();

// The version the last step brings a database to.
int latest_schema_version();

// Brings db from its PRAGMA user_version up to the last of `steps` (all
// steps by default), one transaction per step; safe when another process
// migrates at the same time. A database at a newer version than `steps`
// know is a storage Error (written by a newer xuictl), nothing changed.
// The list must be 1, 2, ... N (checked; a gap is an Error).
Status migrate(SqliteDb& db, std::span<const Migration> steps = all_migrations());

}  // namespace xuictl
