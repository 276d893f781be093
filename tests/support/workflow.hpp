#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "support/harness.hpp"
#include "support/temp_dir.hpp"

namespace xuictl::test {

// The panel URL the harness talks to, as audit lines and snapshots record it.
inline const std::string kHarnessPanel = "http://panel.test:2053/";

// A harness with its own XDG_STATE_HOME (audit log, snapshots).
struct StateRun {
    StateDir state;
    Harness h;
    StateRun() { h.env["XDG_STATE_HOME"] = state.str(); }
};

// One client of a recorded plan.
struct SnapClient {
    int inbound_id;
    std::string email;
    int64_t up;
    int64_t down;
};

// What a destructive command records, written by hand: a snapshot file
// (snapshots/<id>.json) or an audit line.
struct Recorded {
    std::string id = "20260101T000000Z-0001";
    std::string panel = kHarnessPanel;
    int64_t time_ms = kFixtureNow;
    std::string operation = "reset_inbound_clients";
    std::string command = "inbound reset 2";
    std::vector<SnapClient> clients;
    std::vector<SnapClient> inbounds;  // inbound_id = id, email = remark
    std::string status = "ok";
    std::string error;
    std::string user = "alice";
    std::string panel_user = "admin";  // "" = an API token

    std::string plan_json() const;
    std::string snapshot_json() const;
    std::string audit_json() const;  // one audit.jsonl line
};

// Writes r.snapshot_json() to <state>/xuictl/snapshots/<id>.json; returns its path.
std::string write_snapshot(const StateDir& state, const Recorded& r);
// Appends r.audit_json() to <state>/xuictl/audit.jsonl.
void append_audit(const StateDir& state, const Recorded& r);

// Sets the process time zone (TZ, tzset) for one test and restores it. A
// POSIX TZ string such as "JST-9" needs no tz database.
class TzGuard {
public:
    explicit TzGuard(const char* tz);
    ~TzGuard();
    TzGuard(const TzGuard&) = delete;
    TzGuard& operator=(const TzGuard&) = delete;

private:
    std::optional<std::string> m_old;
};

// Parses JSON text; REQUIREs that it parses.
rapidjson::Document parse_json_text(const std::string& text);

}  // namespace xuictl::test
