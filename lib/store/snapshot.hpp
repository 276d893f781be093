#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "ops/deleted_records.hpp"
#include "ops/plan_record.hpp"
#include "store/audit.hpp"
#include "util/result.hpp"

namespace xuictl {

// A snapshot: the plan with every target's counters, recorded in the local
// store (Store::begin_operation) before a destructive write; the previous
// release wrote it as snapshots/<id>.json. The input of `traffic restore`.
// Shape:
//   {"id","panel","taken_at_ms","command","plan":{plan_to_json}}
struct Snapshot {
    std::string id;
    std::string panel;  // panel base URL the counters were read from
    int64_t taken_at_ms = 0;
    std::string command;
    RecordedPlan plan;
    // Deletions only: everything needed to create the deleted records again
    // ("deleted" in the file; empty for other operations and old snapshots).
    DeletedRecords deleted;
};

// The snapshot body for the operation `entry` records (with a trailing
// newline); `deleted` (when not empty) is what a purge is about to delete.
std::string snapshot_to_json(const AuditEntry& entry, const DeletedRecords& deleted = {});

// Parses a snapshot; `source` (its path) names it in errors, which are
// config Errors (a file the operator pointed at is not a snapshot).
Result<Snapshot> snapshot_from_json(std::string_view text, const std::string& source);

}  // namespace xuictl
