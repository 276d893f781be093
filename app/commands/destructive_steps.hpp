#pragma once

// The steps of run_destructive (destructive.hpp), one panel at a time, so
// the fleet flow (fleet_destructive.cpp) runs the same steps per panel:
// prepare_panel (read, plan, checks) → show_plan → confirm → execute_panel
// (record, write, verify).

#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "calendar.hpp"
#include "commands/destructive.hpp"
#include "interrupt.hpp"
#include "ops/write_result.hpp"
#include "store/store.hpp"

namespace xuictl {

// One panel's read and plan: everything execute_panel needs. Built on the
// panel's own Context (its api lives there).
struct PanelPlan {
    PanelApi* api = nullptr;
    Capabilities caps;
    std::vector<Inbound> before;  // the list the plan was built from
    std::optional<Plan> plan;     // set once built; its phrase names the panel
    std::string plan_json;
    std::string panel_url;  // base URL, no secrets
    // The read, plan or a check failed (nothing recorded, nothing written).
    std::optional<Error> error;
    // --once-per: the operation that already did it this cycle (nothing to do).
    std::optional<AuditEntry> once_holder;
    std::optional<OncePerKey> once;
    std::unique_ptr<Store> store;  // opened when first needed

    Status open_store(Context& ctx);
};

// Step 1 on one panel: capabilities, one list, the plan (phrase naming the
// panel, panel notes), the --once-per pre-check, check_addressable and
// `check`. Sends only reads.
PanelPlan prepare_panel(Context& ctx, const DestructiveOptions& options, const PlanBuilder& build,
                        const PlanCheck& check);

// Step 2: the plan for people, on `err` (the panel as ctx describes it).
void show_plan(Context& ctx, const Plan& plan, std::ostream& err);

// Step 3: --confirm PHRASE, --yes, or the phrase typed at the prompt, which
// names `where`. Returns success, or the exit code of a refusal (reported).
int confirm(Context& ctx, const DestructiveOptions& options, const std::string& phrase,
            const std::string& where);

// What execute_panel shares with the other panels of a fleet run.
struct ExecuteOptions {
    std::string fleet_id;  // recorded with the operation ("" = none)
    // nullptr (one panel): its own guard, around the write; a signal during
    // it ends the run "interrupted", unverified. The fleet's guard (the whole
    // write phase) means "start no more panels": caught before this panel's
    // record is committed, nothing is recorded or sent ("not_started"); a
    // write it did not cut short is verified and recorded as usual, so the
    // panels in flight keep their real outcome.
    const InterruptGuard* interrupt = nullptr;
};

// The result message of a fleet panel that a signal kept from starting.
std::string not_started_message(int signal);

// Steps 4-5 on one panel whose plan was confirmed: re-read (predicate
// routes), snapshot reads, history sample, the audit record (+ once-per key)
// committed, the write (at most once), re-read and verify, the outcome
// recorded. Messages go to ctx's stderr; the result object is returned,
// not printed.
WriteResult execute_panel(Context& ctx, const DestructiveOptions& options, const PlanBuilder& build,
                          const PlanWriter& write, PanelPlan& panel, const ExecuteOptions& execute);

// "20261125T021836Z-1a2b3c": time and 24 random bits.
std::string new_operation_id(int64_t now_ms);

// --once-per: another run holds this cycle (succeeded, or is running now).
// Notes why on ctx's stderr and returns that line (the result's message).
std::string report_once_per_skip(Context& ctx, const AuditEntry& holder, Period period,
                                 const std::string& panel_url);

// The fleet flow (DESIGN §9): every panel read and planned first, one
// combined plan and phrase, then record/write/verify per panel at once.
int run_fleet_destructive(Context& ctx, const DestructiveOptions& options, const PlanBuilder& build,
                          const PlanWriter& write, const PlanCheck& check);

// A command over an open fleet whose plan and check may differ per panel
// (a fleet restore: each panel its own snapshot). `build(i)` and `check(i)`
// give panel i's.
class Fleet;
struct FleetCommand {
    std::function<PlanBuilder(size_t)> build;
    PlanWriter write;
    std::function<PlanCheck(size_t)> check;
};
int run_fleet_command(Context& ctx, Fleet& fleet, const DestructiveOptions& options,
                      const FleetCommand& command);

}  // namespace xuictl
