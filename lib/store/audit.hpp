#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "util/result.hpp"

namespace xuictl {

// One destructive operation in the audit log ($XDG_STATE_HOME/xuictl/audit.jsonl).
// Written with status "pending" before the panel is touched, then rewritten in
// place with the outcome: ok, failed, verify_failed, partial, interrupted,
// unverified.
struct AuditEntry {
    std::string id;        // also the snapshot's file name
    int64_t time_ms = 0;
    std::string user;      // local user
    std::string host;      // local host
    std::string panel;     // panel base URL (never holds a secret)
    std::string profile;   // the profile in effect, "" when none
    std::string panel_user;  // the panel user, "" with an API token
    std::string command;   // "inbound reset 3"
    bool insecure = false; // TLS verification was off
    std::string snapshot;  // path of the snapshot file
    std::string plan_json; // ops::plan_to_json
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

// The append-only log with in-place completion of the last operation.
class AuditLog {
public:
    explicit AuditLog(std::string path);
    const std::string& path() const { return m_path; }
    // Appends and fsyncs; creates the file 0600.
    Status append(const AuditEntry& entry);
    // Replaces the line with entry.id (atomically: temp file + rename).
    Status complete(const AuditEntry& entry);
    // Every entry, oldest first; unreadable lines are an Error naming the line.
    Result<std::vector<AuditEntry>> read_all() const;

private:
    std::string m_path;
};

}  // namespace xuictl
