#pragma once

#include <optional>
#include <vector>

#include "env.hpp"
#include "ops/plan_record.hpp"
#include "store/audit.hpp"
#include "ui/json_out.hpp"

namespace xuictl {

// One audit line with its plan decoded (nullopt when the plan is missing or
// unreadable: the line is still listed).
struct AuditRecord {
    AuditEntry entry;
    std::optional<RecordedPlan> plan;

    // Emails of the targets (the plan's clients).
    std::vector<std::string> emails() const;
    // Clients, or inbounds for an inbound-counter reset.
    size_t target_count() const;
};

// Every entry of $XDG_STATE_HOME/xuictl/audit.jsonl, oldest first (none when
// the log does not exist yet).
Result<std::vector<AuditRecord>> load_audit_records(Env& env);

// The summary object of `xuictl audit -o json`: who, when, where, what,
// targets with their before-counters, outcome.
void write_audit_summary_json(JsonWriter& w, const AuditRecord& record);

}  // namespace xuictl
