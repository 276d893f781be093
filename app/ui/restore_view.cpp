#include "ui/restore_view.hpp"

#include "ui/usage_view.hpp"

namespace xuictl {

Table restore_table(const Plan& plan, bool raw) {
    Table t({{"INBOUND", true},
             {"EMAIL", false},
             {"UP NOW", true},
             {"DOWN NOW", true},
             {"UP AFTER", true},
             {"DOWN AFTER", true},
             {"QUOTA", true}});
    for (size_t i = 0; i < plan.clients.size() && i < plan.restore_to.size(); ++i) {
        const auto& now = plan.clients[i];
        const auto& after = plan.restore_to[i];
        t.add_row({std::to_string(now.inbound_id), now.email, bytes_cell(now.up, raw),
                   bytes_cell(now.down, raw), bytes_cell(after.up, raw), bytes_cell(after.down, raw),
                   quota_cell(now.quota, raw)});
    }
    return t;
}

}  // namespace xuictl
