#include "ops/panel_phrase.hpp"

namespace xuictl {

bool is_panel_wide(Operation operation) {
    switch (operation) {
        case Operation::reset_inbound_counters:
        case Operation::reset_all_clients:
        case Operation::purge_all:
            return true;
        case Operation::reset_client:
        case Operation::reset_inbound_clients:
        case Operation::purge_inbound:
        case Operation::restore_clients:
        case Operation::restore_deleted:
            return false;
    }
    return false;
}

void name_panel_in_phrase(Plan& plan, const std::string& label) {
    if (is_panel_wide(plan.operation) && !label.empty()) {
        plan.phrase += " ON " + label;
    }
}

}  // namespace xuictl
