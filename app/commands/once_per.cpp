#include "commands/once_per.hpp"

namespace xuictl {

Result<std::optional<AuditEntry>> done_this_cycle(const std::string& audit_path, Period period,
                                                  const std::string& panel,
                                                  const std::string& command, int64_t now_ms) {
    auto entries = AuditLog(audit_path).read_all();
    if (!entries) {
        return entries.error();
    }
    const int64_t start = period_start_ms(period, now_ms);
    std::optional<AuditEntry> latest;
    for (auto& e : *entries) {
        if (e.status == "ok" && e.panel == panel && e.command == command && e.time_ms >= start &&
            (!latest || e.time_ms >= latest->time_ms)) {
            latest = std::move(e);
        }
    }
    return latest;
}

}  // namespace xuictl
