#include "panel/token_scope.hpp"

namespace xuictl {

const char* describe(TokenScope scope) {
    switch (scope) {
        case TokenScope::unscoped:
            return "every route (this panel version has no token scopes)";
        case TokenScope::admin:
            return "admin: every route";
        case TokenScope::node_sync:
            return "node-sync: may read inbounds/list and reset or delete clients one at a time, "
                   "and reset the inbound counters; may not read clients or use bulk routes "
                   "(inbound reset and clients purge-depleted send one request per client; "
                   "traffic restore and clients restore are refused)";
        case TokenScope::monitor:
            return "monitor: server status and history only; cannot read inbounds or clients "
                   "(stats, clients, inbound and every write are refused)";
    }
    return "";
}

const char* to_string(TokenScope scope) {
    switch (scope) {
        case TokenScope::unscoped:
            return "unscoped";
        case TokenScope::admin:
            return "admin";
        case TokenScope::node_sync:
            return "node-sync";
        case TokenScope::monitor:
            return "monitor";
    }
    return "";
}

std::optional<TokenScope> token_scope_from(std::string_view text) {
    for (TokenScope s :
         {TokenScope::unscoped, TokenScope::admin, TokenScope::node_sync, TokenScope::monitor}) {
        if (text == to_string(s)) {
            return s;
        }
    }
    return std::nullopt;
}

namespace {

bool full(TokenScope scope) {
    return scope == TokenScope::unscoped || scope == TokenScope::admin;
}

}  // namespace

bool scope_reads_inbounds(TokenScope scope) {
    return scope != TokenScope::monitor;  // api.go:93 "/inbounds/list" GET
}

bool scope_reads_slim_list(TokenScope scope) {
    return full(scope);  // list/slim is in neither allow-list
}

bool scope_writes_per_client(TokenScope scope) {
    return scope != TokenScope::monitor;  // api.go:97,104-106
}

bool scope_uses_bulk_routes(TokenScope scope) {
    return full(scope);
}

bool scope_sets_counters(TokenScope scope) {
    return full(scope);
}

bool scope_lists_api_tokens(TokenScope scope) {
    return full(scope);
}

}  // namespace xuictl
