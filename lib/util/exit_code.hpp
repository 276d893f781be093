#pragma once

#include <cstddef>

#include "util/error.hpp"

namespace xuictl {

// The one exit-code table (DESIGN §5). Scripts depend on these numbers:
// never renumber, only add.
namespace exit_code {
inline constexpr int success = 0;
inline constexpr int failure = 1;
inline constexpr int usage = 2;
inline constexpr int not_confirmed = 3;
inline constexpr int auth = 4;
inline constexpr int not_found = 5;
inline constexpr int unsupported = 6;
inline constexpr int partial = 7;
inline constexpr int warn = 10;
inline constexpr int crit = 11;
inline constexpr int depleted = 12;
}  // namespace exit_code

// Exit code for an error of this kind.
int exit_code_for(ErrorKind kind);

// A read over several panels (a fleet): 0 when every panel answered;
// `first_failure` (that panel's own code) when none did; else 7 (partial).
int fleet_exit_code(size_t panels, size_t failed, int first_failure);

// A destructive command over a fleet: 3 when a signal kept a panel from
// starting or finishing its write, whatever the others did (as one panel's
// write cut short: the operator took the confirmation back); else 0 when
// every panel it meant to change was changed (`not_ok` == 0: none failed
// or was skipped), 7 (partial) when some were, 1 when none.
int fleet_write_exit_code(size_t ok, size_t not_ok, bool interrupted);

// `stats --warn/--crit` over a fleet: `level` is the highest of the panels
// read (0, 10, 11 or 12). A level outranks a failed panel, since an alert
// needs acting on and the failed panel is named on stderr; with no level,
// a failed panel gives 7 (or its own code when no panel answered).
int fleet_monitor_exit_code(int level, size_t panels, size_t failed, int first_failure);

}  // namespace xuictl
