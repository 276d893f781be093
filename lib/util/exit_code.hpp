#pragma once

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

}  // namespace xuictl
