#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/inbound.hpp"
#include "model/usage.hpp"
#include "panel/capabilities.hpp"
#include "util/result.hpp"

namespace xuictl {

// The destructive operations (DESIGN §2).
enum class Operation {
    reset_client,            // traffic reset [INBOUND] EMAIL
    reset_inbound_counters,  // traffic reset-all (inbound counters only)
    reset_inbound_clients,   // inbound reset ID
    reset_all_clients,       // inbound reset --all
    purge_inbound,           // clients purge-depleted ID
    purge_all,               // clients purge-depleted --all
};

// The inbound counters a plan touches (traffic reset-all).
struct InboundCounters {
    int id = 0;
    std::string remark;
    int64_t up = 0;
    int64_t down = 0;
    int64_t total = 0;
    bool enable = true;
    size_t client_count = 0;
};

// Exactly what a destructive command will change, from live data, with the
// counters as they are now. Shown before confirmation, written to the audit
// log and the snapshot before the write, checked against after it.
struct Plan {
    Operation operation = Operation::reset_client;
    std::string command;  // "inbound reset 3", for people and the audit log
    std::string phrase;   // what the operator types to confirm
    std::optional<int> inbound_id;
    std::string email;
    Capabilities capabilities;
    DepletedRule rule = DepletedRule::quota_or_expiry;
    int64_t planned_at_ms = 0;
    std::vector<ClientUsage> clients;          // clients changed/deleted, before counters
    std::vector<InboundCounters> inbounds;     // inbound counters reset (reset-all only)
    std::vector<int> inbounds_deleted;         // classic purge deletes emptied inbounds
    std::vector<std::string> notes;            // what the operator must know first

    bool empty() const { return clients.empty() && inbounds.empty(); }
    std::vector<std::string> emails() const;
};

// Plan builders. Each takes the live inbound list and the detected
// capabilities; an unknown inbound id or email is a not_found Error.

// traffic reset: inbound may be omitted on v3 panels; on classic panels the
// Error lists the inbounds that hold the email.
Result<Plan> plan_reset_client(const std::vector<Inbound>& inbounds, std::optional<int> inbound,
                               const std::string& email, const Capabilities& caps, int64_t now_ms);
Result<Plan> plan_reset_inbound_counters(const std::vector<Inbound>& inbounds,
                                         const Capabilities& caps, int64_t now_ms);
// inbound reset: nullopt = every inbound.
Result<Plan> plan_reset_inbound_clients(const std::vector<Inbound>& inbounds,
                                        std::optional<int> inbound, const Capabilities& caps,
                                        int64_t now_ms);
// clients purge-depleted: nullopt = every inbound.
Result<Plan> plan_purge_depleted(const std::vector<Inbound>& inbounds, std::optional<int> inbound,
                                 const Capabilities& caps, int64_t now_ms);

// The result of re-reading after a write.
struct Verification {
    std::vector<std::string> mismatches;  // one line per target that did not change
    bool ok() const { return mismatches.empty(); }
};

// Checks `after` against the plan: reset targets read zero (or less than
// before, allowing traffic that arrived since) and purged clients are gone.
Verification verify(const Plan& plan, const std::vector<Inbound>& after);

// Human name of an operation ("reset one client's traffic").
const char* describe(Operation operation);

}  // namespace xuictl
