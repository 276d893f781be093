#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "util/result.hpp"

namespace xuictl {

// One destructive operation, as the local store records it (Store): first
// with status "pending" before the panel is touched, then its outcome: ok,
// failed, verify_failed, partial, interrupted, unverified (free text: later
// versions may add more). audit_to_json is its JSON shape, one line of the
// previous release's audit.jsonl, and `xuictl audit show ID -o json`.
struct AuditEntry {
    std::string id;  // also the snapshot's id
    int64_t time_ms = 0;
    std::string user;        // local user
    std::string host;        // local host
    std::string panel;       // panel base URL (never holds a secret)
    std::string profile;     // the profile in effect, "" when none
    std::string panel_user;  // the panel user, "" with an API token
    std::string fleet_id;    // the fleet operation (one run on several panels), "" when none
    std::string command;     // "inbound reset 3"
    bool insecure = false;   // TLS verification was off
    std::string snapshot;    // snapshot id (imported records: the old file's path)
    std::string plan_json;   // ops::plan_to_json
    std::string status = "pending";
    std::string error;
    std::vector<std::string> mismatches;
    // Targets (emails, or inbound ids) the write got done and did not, when
    // it was cut short: partial, interrupted, or failed part-way.
    std::vector<std::string> done;
    std::vector<std::string> not_done;
    int64_t finished_ms = 0;
};

std::string audit_to_json(const AuditEntry& entry);
Result<AuditEntry> audit_from_json(const std::string& line);

}  // namespace xuictl
