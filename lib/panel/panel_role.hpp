#pragma once

#include <optional>
#include <string>
#include <vector>

#include "panel/capabilities.hpp"
#include "panel/session.hpp"
#include "util/result.hpp"

namespace xuictl {

// One node of a master panel (3x-ui's own multi-node: GET panel/api/nodes/list,
// v3.1.0+; NodeView in internal/web/service/node_contract.go:12-55). Only
// what xuictl shows is kept; every other field is ignored.
struct PanelNode {
    int id = 0;
    std::string name;
    std::string address;  // host name or IP, without scheme and port
    int port = 0;
    std::string status;  // online | offline | unknown (heartbeat)
    bool enable = true;
};

// The node list of a v3.1+ panel. Empty: the panel manages no nodes (it is
// not a master). nullopt: this panel cannot say (no such route: < v3.1.0, or
// the token's scope does not allow it). Other failures are Errors.
Result<std::optional<std::vector<PanelNode>>> list_panel_nodes(Session& session);

// What an API token may do on this panel, as the panel's answers show it.
enum class TokenScope {
    unscoped,   // the panel predates token scopes (≤ v3.6.0): every route
    admin,      // every route
    node_sync,  // inbounds/list, per-client and inbound-counter resets; no bulk routes
    monitor,    // server status and history only: no inbounds, no clients
};

// Asks the panel with two reads that change nothing: GET inbounds/get/0
// (admin only: a scoped token gets 403) and GET server/getWebCertFiles
// (node-sync, not monitor) — internal/web/controller/api.go:76-114. Only on a
// panel that may have scopes (after v3.6.0, or a version xuictl cannot read);
// otherwise unscoped without a request.
Result<TokenScope> probe_token_scope(Session& session, const Capabilities& caps);

// "admin: every route", "monitor: ...", for `xuictl version`.
const char* describe(TokenScope scope);
// "admin", "node-sync", "monitor", "unscoped" (JSON).
const char* to_string(TokenScope scope);

}  // namespace xuictl
