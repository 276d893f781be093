#pragma once

#include <functional>
#include <string>
#include <vector>

#include "context.hpp"
#include "ops/plan.hpp"

namespace CLI {
class App;
}

namespace xuictl {

// -y/--yes, --confirm PHRASE, --dry-run, --once-per PERIOD,
// --skip-unreachable: the options of every destructive command.
struct DestructiveOptions {
    bool yes = false;
    std::string confirm;
    bool dry_run = false;
    std::string once_per;  // "" | day | week | month (for cron and timers)
    // A fleet: a panel that cannot be reached is left out of the plan
    // (listed as skipped) instead of stopping the run.
    bool skip_unreachable = false;
};

void add_destructive_options(CLI::App& cmd, DestructiveOptions& options);

// Builds the plan from live data (the inbound list and the capabilities).
using PlanBuilder =
    std::function<Result<Plan>(const std::vector<Inbound>&, const Capabilities&, int64_t now_ms)>;
// Sends the write request(s) for a confirmed plan.
using PlanWriter = std::function<Status(PanelApi&, const Plan&)>;
// Optional: checks, before the plan is shown, that the panel can carry it
// out (e.g. that a route exists); an Error stops the command, nothing written.
using PlanCheck = std::function<Status(PanelApi&, const std::vector<Inbound>&)>;

// The one flow of all destructive commands (DESIGN §3):
//   read (probe + one list) → plan → [--once-per: skip, exit 0, when the audit
//   records show this command succeeded on this panel in the current cycle] →
//   [check] → show → [dry-run stops] → confirm → audit record + snapshot +
//   once-per key, one committed transaction in the local store (a run holding
//   the cycle by then: skip, exit 0) → write → re-read and verify → outcome.
// Nothing is written to the panel when reading, planning, checking,
// confirming or recording fails. Returns the exit code.
int run_destructive(Context& ctx, const DestructiveOptions& options, const PlanBuilder& build,
                    const PlanWriter& write, const PlanCheck& check = {});

}  // namespace xuictl
