#pragma once

#include <optional>
#include <string_view>

namespace xuictl {

// What an API token may do on this panel, as the panel's answers show it
// (3x-ui after v3.6.0: internal/web/controller/api.go:76-153).
enum class TokenScope {
    unscoped,   // the panel predates token scopes (≤ v3.6.0): every route
    admin,      // every route
    node_sync,  // inbounds/list, per-client and inbound-counter resets; no bulk routes
    monitor,    // server status and history only: no inbounds, no clients
};

// "admin: every route", "monitor: ...", for `xuictl version`.
const char* describe(TokenScope scope);
// "admin", "node-sync", "monitor", "unscoped" (JSON, the session cache).
const char* to_string(TokenScope scope);
// The inverse of to_string; nullopt for any other text.
std::optional<TokenScope> token_scope_from(std::string_view text);

// The panel's allow-lists for the routes xuictl uses (api.go:76-114). monitor
// may call none of them; node-sync may GET inbounds/list (not list/slim) and
// POST clients/resetTraffic/:email, clients/del/:email, clients/add,
// clients/update/:email, inbounds/resetAllTraffics, but not
// clients/bulkResetTraffic, clients/bulkDel or clients/updateTraffic/:email.
bool scope_reads_inbounds(TokenScope scope);   // inbounds/list
bool scope_reads_slim_list(TokenScope scope);  // inbounds/list/slim
bool scope_writes_per_client(
    TokenScope scope);                          // resetTraffic/:email, del/:email, resetAllTraffics
bool scope_uses_bulk_routes(TokenScope scope);  // bulkResetTraffic, bulkDel
bool scope_sets_counters(TokenScope scope);     // updateTraffic/:email
bool scope_lists_api_tokens(TokenScope scope);  // setting/apiTokens

}  // namespace xuictl
