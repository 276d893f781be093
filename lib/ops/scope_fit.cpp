#include "ops/scope_fit.hpp"

#include <fmt/format.h>

#include "panel/panel_api.hpp"

namespace xuictl {
namespace {

// The first planned email no URL path can carry, "" when there is none.
std::string first_unaddressable(const Plan& plan) {
    for (const auto& email : plan.emails()) {
        if (!path_addressable({email}, "")) {
            return email;
        }
    }
    return "";
}

ScopeFit per_client(const Plan& plan, const char* bulk, const char* single, const char* effect) {
    if (const std::string email = first_unaddressable(plan); !email.empty()) {
        return {fmt::format("{} route, the only one that can name client '{}' (a '/' or a dot "
                            "path step in an email splits the per-client route)",
                            bulk, email),
                ""};
    }
    return {"", fmt::format("this API token has the node-sync scope, which may not send {}: the "
                            "{} client(s) are sent one request each to {} ({})",
                            bulk, plan.clients.size(), single, effect)};
}

}  // namespace

ScopeFit fit_to_scope(const Plan& plan, TokenScope scope) {
    if (scope == TokenScope::admin || scope == TokenScope::unscoped ||
        plan.capabilities.generation != ApiGeneration::v3) {
        return {};
    }
    if (!scope_writes_per_client(scope)) {
        return {"write (a monitor token may only read the server status)", ""};
    }
    switch (plan.operation) {
        case Operation::reset_client:
            if (!path_addressable({plan.email}, "")) {
                return {fmt::format("clients/bulkResetTraffic route, the only one that can name "
                                    "client '{}' (an email no URL path can carry)",
                                    plan.email),
                        ""};
            }
            return {};
        case Operation::reset_inbound_counters:
            return {};  // inbounds/resetAllTraffics is allowed (api.go:105)
        case Operation::reset_inbound_clients:
        case Operation::reset_all_clients:
            return per_client(plan, "clients/bulkResetTraffic", "clients/resetTraffic/:email",
                              "the same reset: counters zeroed, the client re-enabled");
        case Operation::purge_all:
            // It keeps every client it deletes whole from inbounds/list
            // (allowed, api.go:93), then deletes through del/:email
            // (allowed, api.go:98).
            return per_client(plan, "clients/bulkDel", "clients/del/:email",
                              "the same delete: the client, its links and traffic row");
        case Operation::purge_inbound:
            // clients/del/:email is allowed (api.go:96), but a purge of one
            // inbound first keeps every client it deletes whole, as
            // inbounds/get/:id returns it (for clients restore), and
            // node-sync may not read that.
            return {
                "inbounds/get/:id route (a purge reads there the client records it keeps "
                "for clients restore before it deletes them)",
                ""};
        case Operation::restore_clients:
            return {
                "clients/updateTraffic/:email route (traffic restore sets counters, and no "
                "route this scope allows can)",
                ""};
        case Operation::restore_deleted:
            return {
                "clients/updateTraffic/:email route (clients restore gives the clients it "
                "creates their counters back, and no route this scope allows can)",
                ""};
    }
    return {};
}

}  // namespace xuictl
