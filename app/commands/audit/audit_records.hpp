#pragma once

#include <optional>
#include <vector>

#include "context.hpp"
#include "ops/plan_record.hpp"
#include "store/audit.hpp"
#include "ui/json_out.hpp"

namespace xuictl {

// One audit record with its plan decoded (nullopt when the plan is missing
// or unreadable: the record is still listed).
struct AuditRecord {
    AuditEntry entry;
    std::optional<RecordedPlan> plan;

    // Emails of the targets (the plan's clients).
    std::vector<std::string> emails() const;
    // Clients, or inbounds for an inbound-counter reset.
    size_t target_count() const;
};

// Every audit record of the local store, oldest first (none when there is
// no store yet; one is not created). Records read only in part are listed,
// with a warning unless `quiet` (shell completion).
Result<std::vector<AuditRecord>> load_audit_records(Context& ctx, bool quiet = false);

// The summary object of `xuictl audit -o json`: who, when, where, what,
// targets with their before-counters, outcome.
void write_audit_summary_json(JsonWriter& w, const AuditRecord& record);

}  // namespace xuictl
