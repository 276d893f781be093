#include "ops/panel_notes.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "model/cycle.hpp"

namespace xuictl {
namespace {

constexpr size_t kNamed = 5;  // names listed in one note, then "and N more"
constexpr int64_t kDayMs = 24LL * 3'600'000;

std::string some(const std::vector<std::string>& names) {
    std::string out = fmt::format(
        "{}", fmt::join(names.begin(),
                        names.begin() + static_cast<std::ptrdiff_t>(std::min(names.size(), kNamed)),
                        ", "));
    if (names.size() > kNamed) {
        out += fmt::format(" and {} more", names.size() - kNamed);
    }
    return out;
}

bool is_purge(Operation op) {
    return op == Operation::purge_inbound || op == Operation::purge_all;
}

// What the write does to a shared client where it is also attached.
const char* shared_effect(Operation op) {
    switch (op) {
        case Operation::purge_inbound:
        case Operation::purge_all:
            return "deleted from every one of them (one client record)";
        case Operation::restore_clients:
            return "its counters are set there too (one traffic row)";
        default:
            return "its counters are reset there too (one traffic row)";
    }
}

void note_shared(Plan& plan, const std::vector<Inbound>& inbounds) {
    if (plan.capabilities.generation != ApiGeneration::v3 || plan.clients.empty()) {
        return;
    }
    std::set<std::string_view> planned;
    for (const auto& c : plan.clients) {
        planned.insert(c.email);
    }
    std::map<std::string_view, std::vector<int>> holders;
    for (const auto& in : inbounds) {
        for (const auto& c : in.clients) {
            if (planned.count(c.email) > 0) {
                holders[c.email].push_back(in.id);
            }
        }
    }
    std::vector<std::string> shared;
    for (const auto& [email, ids] : holders) {
        if (ids.size() > 1) {
            shared.push_back(fmt::format("{} (inbounds {})", email, fmt::join(ids, ", ")));
        }
    }
    if (!shared.empty()) {
        plan.notes.push_back(fmt::format(
            "{} client(s) are attached to several inbounds: {}; each is counted once, and {}",
            shared.size(), some(shared), shared_effect(plan.operation)));
    }
}

void note_nodes(Plan& plan, const std::vector<Inbound>& inbounds) {
    std::set<int> touched;
    if (plan.inbound_id) {
        touched.insert(*plan.inbound_id);
    }
    for (const auto& c : plan.clients) {
        touched.insert(c.inbound_id);
    }
    for (const auto& in : plan.inbounds) {
        touched.insert(in.id);
    }
    std::vector<std::string> hosted;
    for (const auto& in : inbounds) {
        if (in.node_id != 0 && touched.count(in.id) > 0) {
            hosted.push_back(fmt::format("inbound {} on node {}", in.id, in.node_id));
        }
    }
    if (!hosted.empty()) {
        plan.notes.push_back(fmt::format(
            "this panel is a master: {} run on its nodes; the panel carries the change to them, "
            "and their counters here include the traffic the nodes report",
            some(hosted)));
    }
}

void note_cycles(Plan& plan, const std::vector<Inbound>& inbounds) {
    const int64_t now = plan.planned_at_ms;
    std::vector<std::string> soon;
    for (const auto& c : plan.clients) {
        const ClientCycle k = client_cycle(c, now);
        if (panel_acts_within(k, now, kDayMs)) {
            soon.push_back(fmt::format("{} ({})", c.email, describe_cycle(k, c, now)));
        }
    }
    if (!soon.empty()) {
        plan.notes.push_back(fmt::format(
            "the panel itself will reset or renew {} planned client(s) within about a day, so "
            "their counters change again after this write: {}",
            soon.size(), some(soon)));
    }
    if (!is_purge(plan.operation)) {
        return;
    }
    std::vector<std::string> stuck;
    std::set<std::string> seen;
    for (const auto& c : client_usage(inbounds)) {
        if ((plan.inbound_id && c.inbound_id != *plan.inbound_id) || !seen.insert(c.email).second) {
            continue;
        }
        if (never_purged_by_panel(c, client_cycle(c, now), now)) {
            stuck.push_back(c.email);
        }
    }
    if (!stuck.empty()) {
        plan.notes.push_back(fmt::format(
            "{} client(s) have used all their capped renewals and stay expired or over quota, but "
            "the panel's depleted rule never matches them (reset/resetDay stay set), so they are "
            "not in this plan: {}",
            stuck.size(), some(stuck)));
    }
}

}  // namespace

void add_panel_notes(Plan& plan, const std::vector<Inbound>& inbounds) {
    if (plan.capabilities.version_unknown()) {
        plan.notes.push_back(fmt::format(
            "the panel reports version \"{}\", which is not a release number (a dev-channel "
            "build): this plan follows the newest behaviour xuictl knows ({} or later)",
            plan.capabilities.version_text, kNewestKnownVersion.to_string()));
    }
    note_shared(plan, inbounds);
    note_nodes(plan, inbounds);
    note_cycles(plan, inbounds);
}

void note_managed_node(Plan& plan, const NodeRole& role) {
    if (!role.managed()) {
        return;
    }
    // A master pushes its own per-client totals to its nodes, and a node
    // enforces quotas with them: after a reset here "the next master push
    // restores the master's (authoritative) numbers" (3x-ui
    // inbound_traffic_global.go:196-200, inbound_disable.go:40-52); and it
    // re-sends the inbounds it manages whenever they differ from what it
    // pushed last (runtime/remote.go:470-490).
    plan.notes.push_back(fmt::format(
        "this panel is a node that a master manages ({}): the master's sync can overwrite what "
        "this plan changes here (it pushes its own client totals back, which this panel also "
        "uses for quotas, and re-sends the inbounds it manages); make the change on the master "
        "to make it last",
        describe_master(role)));
}

std::optional<std::string> node_traffic_note(const std::vector<Inbound>& inbounds) {
    std::vector<std::string> hosted;
    for (const auto& in : inbounds) {
        if (in.node_id != 0) {
            hosted.push_back(fmt::format("{} (node {})", in.id, in.node_id));
        }
    }
    if (hosted.empty()) {
        return std::nullopt;
    }
    return fmt::format(
        "this panel is a master: inbound(s) {} run on its nodes, and their client counters "
        "include the traffic those nodes report (3x-ui syncs it into the master)",
        some(hosted));
}

}  // namespace xuictl
