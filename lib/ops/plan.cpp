#include "ops/plan.hpp"

#include "panel/panel_api.hpp"
#include "util/units.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

namespace xuictl {
namespace {

Error inbound_not_found(int id, const std::vector<Inbound>& inbounds) {
    std::string ids;
    for (size_t i = 0; i < inbounds.size() && i < 20; ++i) {
        ids += (i ? ", " : "") + std::to_string(inbounds[i].id);
    }
    return make_error(ErrorKind::not_found, fmt::format("no inbound with id {}", id),
                      inbounds.empty() ? "the panel has no inbounds"
                                       : fmt::format("existing ids: {}{} (xuictl inbound list)",
                                                     ids, inbounds.size() > 20 ? ", ..." : ""));
}

const Inbound* find_inbound(const std::vector<Inbound>& inbounds, int id) {
    for (const auto& in : inbounds) {
        if (in.id == id) {
            return &in;
        }
    }
    return nullptr;
}

Plan base_plan(Operation op, const Capabilities& caps, const std::vector<Inbound>& inbounds,
               int64_t now_ms) {
    Plan p;
    p.operation = op;
    p.capabilities = caps;
    p.rule = caps.generation == ApiGeneration::v3 ? caps.depleted_rule(true)
                                                  : depleted_rule_from_list(inbounds);
    p.planned_at_ms = now_ms;
    return p;
}

// What a reset route does to a client's enable switch on this panel, from
// the panel's own semantics (3x-ui-api.md §7.1 "Re-enabling", §12.1-2).
// v3.3.1+ resets first set the client record to enable:true, even for a
// client disabled by hand; older v3 and every classic panel set only the
// traffic row's flag, so a client whose own switch is off stays off (on
// classic v2.9.4+ that includes auto-disabled clients, which the panel also
// switched off in settings).
EnableEffect reset_enable_effect(const ClientUsage& c, const Capabilities& caps) {
    const bool reenables_record =
        caps.generation == ApiGeneration::v3 && caps.version && *caps.version >= Version{{3, 3, 1}};
    if (c.enabled()) {
        return EnableEffect::stays_enabled;
    }
    if (reenables_record || c.settings_enable) {
        return EnableEffect::reenabled;
    }
    return EnableEffect::stays_disabled;
}

// The plan's enable column and one note counting each effect.
void add_enable_effects(Plan& p) {
    size_t reenabled = 0;
    size_t stays_disabled = 0;
    size_t by_hand = 0;
    for (const auto& c : p.clients) {
        const EnableEffect e = reset_enable_effect(c, p.capabilities);
        p.enable_after.push_back(e);
        reenabled += e == EnableEffect::reenabled ? 1 : 0;
        stays_disabled += e == EnableEffect::stays_disabled ? 1 : 0;
        by_hand += e == EnableEffect::reenabled && !c.settings_enable ? 1 : 0;
    }
    if (reenabled > 0) {
        p.notes.push_back(fmt::format(
            "enable switch: {} disabled client(s) come back enabled after this reset{}", reenabled,
            by_hand > 0 ? fmt::format(" ({} of them switched off in the panel itself: this panel "
                                      "version's reset re-enables those too)",
                                      by_hand)
                        : std::string()));
    }
    if (stays_disabled > 0) {
        p.notes.push_back(fmt::format(
            "enable switch: {} client(s) stay disabled: their own switch is off and this panel's "
            "reset does not touch it (an auto-disabled client too); enable them in the panel",
            stays_disabled));
    }
}

// `head` + " AND 1 INBOUND" / " AND n INBOUNDS" when inbounds are involved.
std::string with_inbounds(std::string head, size_t inbounds) {
    if (inbounds > 0) {
        head += fmt::format(" AND {} INBOUND{}", inbounds, inbounds == 1 ? "" : "S");
    }
    return head;
}

}  // namespace

// "DELETE 6 CLIENTS", "DELETE 6 CLIENTS AND 1 INBOUND".
std::string purge_phrase(size_t clients, size_t inbounds) {
    return with_inbounds(fmt::format("DELETE {} CLIENTS", clients), inbounds);
}

// "RESTORE 6 DELETED CLIENTS", "RESTORE 6 DELETED CLIENTS AND 1 INBOUND".
std::string restore_phrase(size_t clients, size_t inbounds) {
    return with_inbounds(fmt::format("RESTORE {} DELETED CLIENTS", clients), inbounds);
}

const char* to_string(EnableEffect effect) {
    switch (effect) {
        case EnableEffect::stays_enabled:
            return "stays enabled";
        case EnableEffect::reenabled:
            return "re-enabled";
        case EnableEffect::stays_disabled:
            return "stays disabled";
    }
    return "";
}

std::vector<std::string> Plan::emails() const {
    std::vector<std::string> out;
    out.reserve(clients.size());
    for (const auto& c : clients) {
        out.push_back(c.email);
    }
    return out;
}

std::vector<std::string> Plan::targets() const {
    if (!clients.empty()) {
        return emails();
    }
    std::vector<std::string> out;
    for (const auto& in : inbounds) {
        out.push_back(fmt::format("inbound {}", in.id));
    }
    return out;
}

const char* describe(Operation operation) {
    switch (operation) {
        case Operation::reset_client:
            return "reset one client's up/down counters";
        case Operation::reset_inbound_counters:
            return "reset every inbound's own up/down counters";
        case Operation::reset_inbound_clients:
            return "reset up/down of every client of one inbound";
        case Operation::reset_all_clients:
            return "reset up/down of every client of every inbound";
        case Operation::purge_inbound:
            return "delete the depleted clients of one inbound";
        case Operation::purge_all:
            return "delete the depleted clients of every inbound";
        case Operation::restore_clients:
            return "set client up/down counters back to a snapshot's values";
        case Operation::restore_deleted:
            return "create deleted clients again, as a snapshot recorded them";
    }
    return "";
}

Result<Plan> plan_reset_client(const std::vector<Inbound>& inbounds, std::optional<int> inbound,
                               const std::string& email, const Capabilities& caps, int64_t now_ms) {
    Plan p = base_plan(Operation::reset_client, caps, inbounds, now_ms);
    p.email = email;
    p.inbound_id = inbound;
    p.phrase = "RESET " + email;
    if (inbound && find_inbound(inbounds, *inbound) == nullptr) {
        return inbound_not_found(*inbound, inbounds);
    }
    std::vector<int> holders;
    for (auto& c : client_usage(inbounds)) {
        if (c.email != email) {
            continue;
        }
        holders.push_back(c.inbound_id);
        if (p.clients.empty() && (!inbound || c.inbound_id == *inbound)) {
            p.clients.push_back(std::move(c));
        }
    }
    if (holders.empty()) {
        return make_error(ErrorKind::not_found, fmt::format("no client with email '{}'", email),
                          "emails are exact and case-sensitive; see xuictl clients list");
    }
    if (p.clients.empty()) {
        return make_error(ErrorKind::not_found,
                          fmt::format("client '{}' is not in inbound {}", email, *inbound),
                          fmt::format("it is in inbound {}", fmt::join(holders, ", ")));
    }
    if (!inbound && caps.generation == ApiGeneration::classic) {
        // Classic routes name the inbound: .../inbounds/:id/resetClientTraffic/:email.
        return make_error(ErrorKind::usage,
                          fmt::format("this panel uses the classic API, which needs the inbound id "
                                      "to reset '{}'",
                                      email),
                          fmt::format("run: xuictl traffic reset {} {}  (inbounds holding it: {})",
                                      holders.front(), email, fmt::join(holders, ", ")));
    }
    if (!inbound) {
        p.inbound_id = p.clients.front().inbound_id;
    }
    p.command = fmt::format("traffic reset {} {}", *p.inbound_id, email);
    add_enable_effects(p);
    return p;
}

Result<Plan> plan_reset_inbound_counters(const std::vector<Inbound>& inbounds,
                                         const Capabilities& caps, int64_t now_ms) {
    Plan p = base_plan(Operation::reset_inbound_counters, caps, inbounds, now_ms);
    p.command = "traffic reset-all";
    p.phrase = "RESET ALL INBOUNDS";
    for (const auto& in : inbounds) {
        p.inbounds.push_back(
            {in.id, in.remark, in.up, in.down, in.total, in.enable, in.clients.size()});
    }
    p.notes.push_back(
        "this resets the INBOUND counters only; client counters are NOT touched (the panel's "
        "behaviour). To reset every client, use: xuictl inbound reset --all");
    return p;
}

Result<Plan> plan_reset_inbound_clients(const std::vector<Inbound>& inbounds,
                                        std::optional<int> inbound, const Capabilities& caps,
                                        int64_t now_ms) {
    Plan p = base_plan(inbound ? Operation::reset_inbound_clients : Operation::reset_all_clients,
                       caps, inbounds, now_ms);
    p.inbound_id = inbound;
    if (inbound) {
        if (find_inbound(inbounds, *inbound) == nullptr) {
            return inbound_not_found(*inbound, inbounds);
        }
        p.command = fmt::format("inbound reset {}", *inbound);
        p.phrase = fmt::format("RESET INBOUND {}", *inbound);
    } else {
        p.command = "inbound reset --all";
        p.phrase = "RESET ALL CLIENTS";
    }
    // A client attached to several inbounds (v3.1+) is listed under each:
    // one target (one traffic row), the plan notes name its inbounds.
    std::set<std::string> planned;
    for (auto& c : client_usage(inbounds)) {
        if ((!inbound || c.inbound_id == *inbound) && planned.insert(c.email).second) {
            p.clients.push_back(std::move(c));
        }
    }
    p.notes.push_back("inbound counters are not touched; expiry dates and quotas stay as they are");
    if (caps.generation == ApiGeneration::classic) {
        // resetAllClientTraffics resets whoever is in the inbound(s) when it
        // arrives, not a list: the flow reads again right before the write.
        p.reread_before_write = true;
    }
    add_enable_effects(p);
    return p;
}

Result<Plan> plan_purge_depleted(const std::vector<Inbound>& inbounds, std::optional<int> inbound,
                                 const Capabilities& caps, int64_t now_ms) {
    Plan p = base_plan(inbound ? Operation::purge_inbound : Operation::purge_all, caps, inbounds,
                       now_ms);
    p.inbound_id = inbound;
    if (inbound && find_inbound(inbounds, *inbound) == nullptr) {
        return inbound_not_found(*inbound, inbounds);
    }
    p.command = inbound ? fmt::format("clients purge-depleted {}", *inbound)
                        : std::string("clients purge-depleted --all");
    std::unordered_map<int, size_t> remaining;
    for (const auto& in : inbounds) {
        remaining[in.id] = in.clients.size();
    }
    std::set<std::string> planned;  // a shared client (v3.1+) is one target
    for (auto& c : client_usage(inbounds)) {
        if (inbound && c.inbound_id != *inbound) {
            continue;
        }
        if (is_depleted(c, p.rule, now_ms) && planned.insert(c.email).second) {
            --remaining[c.inbound_id];
            p.clients.push_back(std::move(c));
        }
    }
    if (caps.generation == ApiGeneration::classic) {
        p.reread_before_write = true;  // delDepletedClients deletes by the panel's predicate
        std::set<int> touched;
        for (const auto& c : p.clients) {
            touched.insert(c.inbound_id);
        }
        for (int id : touched) {
            if (remaining[id] == 0) {
                p.inbounds_deleted.push_back(id);
                p.notes.push_back(fmt::format(
                    "inbound {} would be left with no clients, and this panel then DELETES THE "
                    "WHOLE INBOUND (classic API behaviour)",
                    id));
            }
        }
    }
    p.phrase = purge_phrase(p.clients.size(), p.inbounds_deleted.size());
    const char* predicate =
        p.rule == DepletedRule::disabled_flag
            ? "depleted = auto-disabled by the panel and no auto-renew (panel < 2.8.1)"
            : "depleted = quota used up or expired, no auto-renew (the panel's own rule)";
    p.notes.push_back(predicate);
    return p;
}

Result<Plan> plan_restore_deleted(const std::vector<Inbound>& inbounds,
                                  const DeletedRecords& deleted, const std::string& snapshot_id,
                                  const Capabilities& caps, int64_t now_ms) {
    Plan p = base_plan(Operation::restore_deleted, caps, inbounds, now_ms);
    p.restore_from = snapshot_id;
    p.command = "clients restore " + snapshot_id;
    if (deleted.clients.empty()) {
        return make_error(ErrorKind::not_found,
                          fmt::format("snapshot {} holds no deleted clients", snapshot_id),
                          "only purges (clients purge-depleted) keep what they delete; "
                          "`traffic restore` sets counters back");
    }
    std::set<std::string> present;
    for (const auto& c : client_usage(inbounds)) {
        present.insert(c.email);
    }
    // The inbounds the snapshot keeps whole (a classic purge deleted them).
    std::map<int, const std::string*> kept_inbounds;
    for (const auto& json : deleted.inbounds) {
        kept_inbounds.emplace(snapshot_inbound_id(json), &json);
    }
    std::set<std::string> missing;  // deleted clients not on the panel now
    for (const auto& d : deleted.clients) {
        if (present.count(d.email) == 0) {
            missing.insert(d.email);
        }
    }
    size_t back = 0;
    std::set<int> recreated;
    for (const auto& d : deleted.clients) {
        if (present.count(d.email) > 0) {
            ++back;
            continue;
        }
        if (find_inbound(inbounds, d.inbound_id) == nullptr && recreated.count(d.inbound_id) == 0) {
            auto kept = kept_inbounds.find(d.inbound_id);
            if (kept == kept_inbounds.end()) {
                return make_error(
                    ErrorKind::not_found,
                    fmt::format(
                        "client '{}' belonged to inbound {}, which is not on the panel any more",
                        d.email, d.inbound_id),
                    fmt::format("snapshot {} does not keep that inbound: add it back in the panel "
                                "(same id), then run this again",
                                snapshot_id));
            }
            if (caps.generation == ApiGeneration::v3) {
                return make_error(
                    ErrorKind::unsupported,
                    fmt::format("client '{}' belonged to inbound {}, which a classic purge "
                                "deleted; this panel now speaks the v3.1+ API, where xuictl does "
                                "not create inbounds again",
                                d.email, d.inbound_id),
                    fmt::format("add inbound {} back in the panel (same id), then run this again",
                                d.inbound_id));
            }
            auto inbound = inbound_to_recreate(*kept->second, missing);
            if (!inbound) {
                return inbound.error();
            }
            if (auto free = check_inbound_free(*inbound, inbounds, snapshot_id); !free) {
                return free.error();
            }
            recreated.insert(d.inbound_id);
            p.inbounds_created.push_back(std::move(*inbound));
        }
        ClientUsage u;
        u.inbound_id = d.inbound_id;
        u.email = d.email;
        u.settings_enable = d.enable;
        u.up = d.up;
        u.down = d.down;
        p.clients.push_back(u);
        p.restore_to.push_back({d.email, d.up, d.down});
        p.recreate.push_back(d);
    }
    if (p.clients.empty()) {
        return make_error(
            ErrorKind::not_found,
            fmt::format("every client snapshot {} deleted is on the panel again", snapshot_id),
            "nothing to restore");
    }
    p.phrase = restore_phrase(p.clients.size(), p.inbounds_created.size());
    for (const auto& in : p.inbounds_created) {
        p.notes.push_back(
            fmt::format("inbound {} ({} on port {}, tag '{}') is created again from the snapshot "
                        "exactly as the "
                        "panel returned it (same id, remark, quota, expiry, counters, settings, "
                        "streamSettings, sniffing) with {} of its clients",
                        in.id, in.protocol, in.port, in.tag, in.emails.size()));
    }
    p.notes.push_back(
        "each client is created again from the snapshot exactly as the panel returned it (same "
        "uuid/password and subId, so subscription links keep working), with its enable switch "
        "and its up/down counters as they were");
    if (back > 0) {
        p.notes.push_back(
            fmt::format("{} deleted client(s) are on the panel again (left out)", back));
    }
    return p;
}

Status check_restorable(const RecordedPlan& snapshot, const std::string& snapshot_id) {
    if (snapshot.operation == "reset_inbound_counters") {
        return make_error(ErrorKind::unsupported,
                          fmt::format("snapshot {} is of `{}`, which reset INBOUND counters; the "
                                      "panel API has no route that sets inbound counters, so they "
                                      "cannot be restored",
                                      snapshot_id, snapshot.command),
                          "the before-counters are in the snapshot file; client counters were not "
                          "touched by that command");
    }
    return ok_status();
}

Result<Plan> plan_restore_counters(const std::vector<Inbound>& inbounds,
                                   const RecordedPlan& snapshot, const std::string& snapshot_id,
                                   const std::string& only_email, const Capabilities& caps,
                                   int64_t now_ms) {
    if (auto restorable = check_restorable(snapshot, snapshot_id); !restorable) {
        return restorable.error();
    }
    Plan p = base_plan(Operation::restore_clients, caps, inbounds, now_ms);
    p.restore_from = snapshot_id;
    p.email = only_email;
    p.command =
        "traffic restore " + snapshot_id + (only_email.empty() ? "" : " --client " + only_email);
    if (!only_email.empty()) {
        const bool held =
            std::any_of(snapshot.clients.begin(), snapshot.clients.end(),
                        [&](const RecordedClient& c) { return c.email == only_email; });
        if (!held) {
            return make_error(
                ErrorKind::not_found,
                fmt::format("snapshot {} has no client '{}'", snapshot_id, only_email),
                snapshot.clients.empty()
                    ? "it holds no client counters"
                    : fmt::format("it holds {} client(s), e.g. {}", snapshot.clients.size(),
                                  snapshot.clients.front().email));
        }
    }
    // v3 keeps one traffic row per email, listed under every inbound it is
    // attached to: one target per email.
    std::unordered_map<std::string, ClientUsage> live;
    for (auto& c : client_usage(inbounds)) {
        live.emplace(c.email, std::move(c));
    }
    std::set<std::string> seen;
    std::vector<std::string> gone;
    size_t unchanged = 0;
    for (const auto& c : snapshot.clients) {
        if ((!only_email.empty() && c.email != only_email) || !seen.insert(c.email).second) {
            continue;
        }
        auto it = live.find(c.email);
        if (it == live.end()) {
            gone.push_back(c.email);
            continue;
        }
        if (it->second.up == c.up && it->second.down == c.down) {
            ++unchanged;
            continue;
        }
        p.clients.push_back(it->second);
        p.restore_to.push_back({c.email, c.up, c.down});
    }
    if (p.clients.empty() && unchanged == 0) {
        return make_error(
            ErrorKind::not_found,
            fmt::format("none of the {} client(s) of snapshot {} is on this panel now", seen.size(),
                        snapshot_id),
            snapshot.operation.rfind("purge", 0) == 0
                ? "that command deleted them; counters can only be set for clients "
                  "that exist"
                : "check that this is the panel the snapshot was taken from");
    }
    p.phrase = fmt::format("RESTORE {} CLIENTS", p.clients.size());
    p.notes.push_back(
        "up/down are SET to the snapshot's values (absolute bytes): traffic counted since the "
        "snapshot is replaced, not added; quota, expiry and enable state are not changed");
    if (unchanged > 0) {
        p.notes.push_back(
            fmt::format("{} client(s) already have the snapshot's counters (left out)", unchanged));
    }
    if (!gone.empty()) {
        p.notes.push_back(fmt::format(
            "{} client(s) of the snapshot are not on the panel any more "
            "and are skipped: {}{}",
            gone.size(),
            fmt::join(gone.begin(),
                      gone.begin() + static_cast<std::ptrdiff_t>(std::min<size_t>(gone.size(), 5)),
                      ", "),
            gone.size() > 5 ? ", ..." : ""));
    }
    size_t over_quota = 0;
    for (size_t i = 0; i < p.clients.size(); ++i) {
        if (p.clients[i].quota > 0 && p.restore_to[i].used() >= p.clients[i].quota) {
            ++over_quota;
        }
    }
    if (over_quota > 0) {
        p.notes.push_back(fmt::format(
            "{} client(s) get back usage at or over their quota; the panel disables them again at "
            "its next traffic poll",
            over_quota));
    }
    return p;
}

Status check_addressable(const Plan& plan) {
    const bool v3 = plan.capabilities.generation == ApiGeneration::v3;
    const bool bulk = plan.capabilities.has_bulk_client_routes();
    switch (plan.operation) {
        case Operation::reset_client:
            // v3.2.0+ has a route with the email in the body (bulkResetTraffic).
            return v3 && bulk ? ok_status()
                              : path_addressable({plan.email}, "client traffic reset");
        case Operation::reset_inbound_clients:
        case Operation::reset_all_clients:
            return v3 && !bulk ? path_addressable(plan.emails(), "client traffic reset")
                               : ok_status();
        case Operation::purge_inbound:
        case Operation::purge_all:
            return v3 && !bulk ? path_addressable(plan.emails(), "client delete") : ok_status();
        case Operation::restore_clients:
        case Operation::restore_deleted:
            return path_addressable(plan.emails(), "client traffic update");
        case Operation::reset_inbound_counters:
            return ok_status();
    }
    return ok_status();
}

Verification verify(const Plan& plan, const std::vector<Inbound>& after) {
    Verification v;
    auto miss = [&v](std::string target, std::string why) {
        v.failed.push_back(std::move(target));
        v.mismatches.push_back(std::move(why));
    };
    const auto now = client_usage(after);
    std::unordered_map<std::string_view, const ClientUsage*> by_email;
    for (const auto& c : now) {
        by_email.emplace(c.email, &c);
    }
    auto reset_ok = [](int64_t before, int64_t after_used) {
        // Zero, or below the before-counter: live traffic may arrive between
        // the reset and the re-read; a revert brings the old value back.
        return after_used == 0 || after_used < before;
    };
    switch (plan.operation) {
        case Operation::reset_client:
        case Operation::reset_inbound_clients:
        case Operation::reset_all_clients:
            for (const auto& c : plan.clients) {
                auto it = by_email.find(c.email);
                if (it == by_email.end()) {
                    miss(c.email, fmt::format("{}: gone from the panel", c.email));
                } else if (!reset_ok(c.used(), it->second->used())) {
                    miss(c.email, fmt::format("{}: still {} B used (up {} down {}), was {} B",
                                              c.email, it->second->used(), it->second->up,
                                              it->second->down, c.used()));
                }
            }
            break;
        case Operation::reset_inbound_counters:
            for (const auto& target : plan.inbounds) {
                const Inbound* in = find_inbound(after, target.id);
                if (in == nullptr) {
                    miss(fmt::format("inbound {}", target.id),
                         fmt::format("inbound {}: gone from the panel", target.id));
                } else if (!reset_ok(saturating_add(target.up, target.down),
                                     saturating_add(in->up, in->down))) {
                    miss(fmt::format("inbound {}", target.id),
                         fmt::format("inbound {}: still {} B used, was {} B", target.id,
                                     in->up + in->down, target.up + target.down));
                }
            }
            break;
        case Operation::purge_inbound:
        case Operation::purge_all: {
            for (const auto& c : plan.clients) {
                if (by_email.count(c.email) > 0) {
                    miss(c.email, fmt::format("{}: still present", c.email));
                }
            }
            break;
        }
        case Operation::restore_deleted:
            for (const auto& created : plan.inbounds_created) {
                const Inbound* in = find_inbound(after, created.id);
                if (in == nullptr) {
                    miss(fmt::format("inbound {}", created.id),
                         fmt::format("inbound {}: not on the panel", created.id));
                } else if (in->port != created.port || in->protocol != created.protocol) {
                    miss(
                        fmt::format("inbound {}", created.id),
                        fmt::format("inbound {}: {} on port {}, expected {} on port {}", created.id,
                                    in->protocol, in->port, created.protocol, created.port));
                }
            }
            for (size_t i = 0; i < plan.restore_to.size() && i < plan.clients.size(); ++i) {
                const auto& target = plan.restore_to[i];
                auto it = by_email.find(target.email);
                if (it == by_email.end()) {
                    miss(target.email, fmt::format("{}: not on the panel", target.email));
                } else if (it->second->up < target.up || it->second->down < target.down) {
                    miss(target.email,
                         fmt::format("{}: up {} down {}, expected up {} down {}", target.email,
                                     it->second->up, it->second->down, target.up, target.down));
                } else if (it->second->settings_enable != plan.clients[i].settings_enable) {
                    miss(target.email,
                         fmt::format("{}: enable is {}, expected {}", target.email,
                                     it->second->settings_enable, plan.clients[i].settings_enable));
                }
            }
            break;
        case Operation::restore_clients: {
            // Equal, or above a value that was below the target before: new
            // traffic lands on top of a restored counter, while a write that
            // did not happen leaves the lower value behind.
            auto restored = [](int64_t before, int64_t target, int64_t now_value) {
                return now_value == target || (now_value > target && before < target);
            };
            for (size_t i = 0; i < plan.clients.size() && i < plan.restore_to.size(); ++i) {
                const auto& before = plan.clients[i];
                const auto& target = plan.restore_to[i];
                auto it = by_email.find(target.email);
                if (it == by_email.end()) {
                    miss(target.email, fmt::format("{}: gone from the panel", target.email));
                } else if (!restored(before.up, target.up, it->second->up) ||
                           !restored(before.down, target.down, it->second->down)) {
                    miss(target.email,
                         fmt::format("{}: up {} down {}, expected up {} down {}", target.email,
                                     it->second->up, it->second->down, target.up, target.down));
                }
            }
            break;
        }
    }
    return v;
}

}  // namespace xuictl
