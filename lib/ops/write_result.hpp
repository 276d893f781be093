#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/inbound.hpp"
#include "ops/plan.hpp"

namespace xuictl {

// How a destructive command ended, for scripts: printed as one JSON object
// on stdout after the plan (`-o json`), so nothing has to be read from
// stderr. `status` is one of: ok, not_applied, partial, failed,
// verify_failed, declined, skipped, interrupted, unverified; a panel of a
// fleet also not_started (a signal came first: nothing recorded or sent).
struct WriteResult {
    std::string id;  // the operation id (audit, restore); "" when nothing was recorded
    std::string status;
    std::string panel;    // base URL, no secrets
    std::string command;  // "inbound reset 3"
    std::string message;  // one line: what happened ("" for a plain success)
    std::vector<std::string> done;
    std::vector<std::string> not_done;
    bool answer_lost = false;  // the write got no clear answer; judged by a re-read
    // Verification after the write: not run (nullopt), or its mismatches.
    std::optional<std::vector<std::string>> verification;
    int exit_code = 0;
};

// {"id","status","panel","command","message","done","not_done","answer_lost",
//  "verification":{"checked","ok","mismatches"},"exit_code"}; "id" is null
// when nothing was recorded.
std::string result_to_json(const WriteResult& result);

// Emails (or inbound ids) a purge removed from the panel although the
// confirmed plan did not name them: present in `before_write` (the last read
// before the write), gone from `after`. One line per record.
// `emails`, when given, gets the email of each such client.
std::vector<std::string> unplanned_deletions(const Plan& plan,
                                             const std::vector<Inbound>& before_write,
                                             const std::vector<Inbound>& after,
                                             std::vector<std::string>* emails = nullptr);

// Clients a predicate reset (classic resetAllClientTraffics) may have reset
// although the confirmed plan did not name them: in the plan's scope (its
// inbound, or every inbound) in `after` but neither planned nor in
// `before_write` (the re-read right before the write), so they arrived in
// between. One line per client.
std::vector<std::string> unplanned_resets(const Plan& plan,
                                          const std::vector<Inbound>& before_write,
                                          const std::vector<Inbound>& after);

// How `now` (the same plan built again from a re-read) differs from the
// confirmed plan in its targets: one line per client or inbound added or
// dropped; empty when they are the same.
std::vector<std::string> plan_drift(const Plan& confirmed, const Plan& now);

}  // namespace xuictl
