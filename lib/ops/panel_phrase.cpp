#include "ops/panel_phrase.hpp"

#include <fmt/format.h>

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

std::string fleet_phrase(const std::vector<const Plan*>& plans) {
    if (plans.empty()) {
        return "";
    }
    const Plan& first = *plans.front();
    if (plans.size() == 1) {
        return first.phrase;
    }
    size_t clients = 0;
    size_t inbounds_deleted = 0;
    size_t inbounds_created = 0;
    for (const Plan* p : plans) {
        clients += p->clients.size();
        inbounds_deleted += p->inbounds_deleted.size();
        inbounds_created += p->inbounds_created.size();
    }
    std::string phrase;
    switch (first.operation) {
        case Operation::reset_inbound_counters:
            phrase = "RESET ALL INBOUNDS";
            break;
        case Operation::reset_all_clients:
            phrase = "RESET ALL CLIENTS";
            break;
        case Operation::reset_inbound_clients:
            phrase = fmt::format("RESET INBOUND {}", first.inbound_id.value_or(0));
            break;
        case Operation::reset_client:
            phrase = "RESET " + first.email;
            break;
        case Operation::purge_all:
        case Operation::purge_inbound:
            phrase = purge_phrase(clients, inbounds_deleted);
            break;
        case Operation::restore_clients:
            phrase = fmt::format("RESTORE {} CLIENTS", clients);
            break;
        case Operation::restore_deleted:
            phrase = restore_phrase(clients, inbounds_created);
            break;
    }
    return fmt::format("{} ON {} PANELS", phrase, plans.size());
}

}  // namespace xuictl
