#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/counters.hpp"
#include "model/inbound.hpp"
#include "model/usage.hpp"
#include "ops/deleted_records.hpp"
#include "ops/plan_record.hpp"
#include "ops/recreate_inbound.hpp"
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
    restore_clients,         // traffic restore SNAPSHOT
    restore_deleted,         // clients restore ID (re-create what a purge deleted)
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

// What a reset does to a client's enable switch on the panel at hand.
enum class EnableEffect {
    stays_enabled,
    reenabled,       // disabled now, enabled after the write
    stays_disabled,  // disabled now and after: the reset leaves its switch alone
};
const char* to_string(EnableEffect effect);  // "re-enabled", ...

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
    std::vector<ClientUsage> clients;       // clients changed/deleted, before counters
    std::vector<InboundCounters> inbounds;  // inbound counters reset (reset-all only)
    std::vector<int> inbounds_deleted;      // classic purge deletes emptied inbounds
    std::vector<std::string> notes;         // what the operator must know first
    // Reset plans: what the write does to each client's enable switch (same
    // order as `clients`); empty for other plans.
    std::vector<EnableEffect> enable_after;
    // traffic restore only: the counters each client of `clients` gets back
    // (same order), and the id of the snapshot they come from.
    std::vector<ClientCounters> restore_to;
    std::string restore_from;
    // clients restore only: the deleted records to create again (same order
    // as `clients`), from the purge's snapshot.
    std::vector<DeletedClient> recreate;
    // clients restore only: the inbounds a classic purge deleted whole,
    // created again (before their clients' counters are set); the clients
    // they bring back are in `recreate` too.
    std::vector<RecreatedInbound> inbounds_created;

    // The write goes through a route that picks its own targets by a
    // predicate (classic delDepletedClients): the flow re-reads right before
    // the write and refuses when the targets changed since the plan.
    bool reread_before_write = false;

    bool empty() const { return clients.empty() && inbounds.empty(); }
    std::vector<std::string> emails() const;
    // What the write acts on, as the audit log lists it: emails, or
    // "inbound N" for plans of inbound counters.
    std::vector<std::string> targets() const;
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

// traffic restore: puts back the client counters a snapshot recorded (its
// before-counters). Clients that already have those counters are left out
// (a note says how many); clients gone from the panel are skipped with a
// note, and a not_found Error when none is left. `only_email` limits it to
// one client (not_found when the snapshot does not hold it). A snapshot of
// inbound counters (traffic reset-all) is an unsupported Error: the panel
// API cannot set inbound counters.
Result<Plan> plan_restore_counters(const std::vector<Inbound>& inbounds,
                                   const RecordedPlan& snapshot, const std::string& snapshot_id,
                                   const std::string& only_email, const Capabilities& caps,
                                   int64_t now_ms);

// clients restore: creates again the clients a purge deleted (its
// snapshot's deleted records), same identity, counters and enable switch.
// Clients on the panel again (by email) are left out with a note. A client
// whose inbound is gone too (a classic purge deleted it) comes back with that
// inbound, created again from the snapshot (same id, port, tag, settings ...)
// on a classic panel; refused (nothing sent) when the snapshot does not keep
// the inbound (not_found), when another inbound now holds its port or tag
// (not_found), or on a v3.1+ panel (unsupported). Nothing left to do is a
// not_found Error as well.
Result<Plan> plan_restore_deleted(const std::vector<Inbound>& inbounds,
                                  const DeletedRecords& deleted, const std::string& snapshot_id,
                                  const Capabilities& caps, int64_t now_ms);

// The unsupported Error plan_restore_counters gives for a snapshot of
// inbound counters, without any panel data (checked before connecting).
Status check_restorable(const RecordedPlan& snapshot, const std::string& snapshot_id);

// Whether the write of `plan` can name every target on this panel: a client
// that only a URL path could carry and no path can (an email with '/', see
// path_addressable) is an unsupported Error, checked before anything is
// recorded or sent. Where the panel has a route taking the email in the
// body (v3.2.0+ bulkResetTraffic), PanelApi uses it and this passes.
Status check_addressable(const Plan& plan);

// The result of re-reading after a write.
struct Verification {
    std::vector<std::string> mismatches;  // one line per target that did not change
    std::vector<std::string> failed;      // those targets (emails, "inbound N"), same order
    bool ok() const { return mismatches.empty(); }
};

// Checks `after` against the plan: reset targets read zero (or less than
// before, allowing traffic that arrived since), purged clients are gone, and
// restored clients read the snapshot's counters (or more, for a counter that
// was below them before: traffic that arrived since the write).
Verification verify(const Plan& plan, const std::vector<Inbound>& after);

// Human name of an operation ("reset one client's traffic").
const char* describe(Operation operation);

// The phrase of a purge: "DELETE 6 CLIENTS", "DELETE 6 CLIENTS AND 1 INBOUND".
std::string purge_phrase(size_t clients, size_t inbounds);

// The phrase of a restore of deleted clients: "RESTORE 6 DELETED CLIENTS",
// "RESTORE 6 DELETED CLIENTS AND 1 INBOUND" (a classic purge's inbound).
std::string restore_phrase(size_t clients, size_t inbounds);

}  // namespace xuictl
