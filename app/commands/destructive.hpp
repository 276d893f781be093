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

// -y/--yes, --confirm PHRASE, --dry-run: the options of every destructive command.
struct DestructiveOptions {
    bool yes = false;
    std::string confirm;
    bool dry_run = false;
};

void add_destructive_options(CLI::App& cmd, DestructiveOptions& options);

// Builds the plan from live data (the inbound list and the capabilities).
using PlanBuilder = std::function<Result<Plan>(const std::vector<Inbound>&, const Capabilities&,
                                               int64_t now_ms)>;
// Sends the write request(s) for a confirmed plan.
using PlanWriter = std::function<Status(PanelApi&, const Plan&)>;

// The one flow of all destructive commands (DESIGN §3):
//   read (probe + one list) → plan → show → [dry-run stops] → confirm →
//   audit line + snapshot (fsync, 0600) → write → re-read and verify → audit outcome.
// Nothing is written to the panel when reading, planning, confirming or
// recording fails. Returns the exit code.
int run_destructive(Context& ctx, const DestructiveOptions& options, const PlanBuilder& build,
                    const PlanWriter& write);

}  // namespace xuictl
