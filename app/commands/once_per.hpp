#pragma once

#include <optional>
#include <string>

#include "calendar.hpp"
#include "store/audit.hpp"
#include "util/result.hpp"

namespace xuictl {

// The --once-per guard of destructive commands: the latest audit entry in
// `audit_path` that records `command` finishing with status ok on `panel`
// (base URL) since the start of the current local `period` cycle. Failed,
// partial, unverified and pending runs do not count. A missing log is none.
Result<std::optional<AuditEntry>> done_this_cycle(const std::string& audit_path, Period period,
                                                  const std::string& panel,
                                                  const std::string& command, int64_t now_ms);

}  // namespace xuictl
