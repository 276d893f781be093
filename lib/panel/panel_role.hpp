#pragma once

#include <optional>
#include <string>
#include <vector>

#include "panel/capabilities.hpp"
#include "panel/session.hpp"
#include "panel/token_scope.hpp"
#include "util/result.hpp"

namespace xuictl {

// One node of a master panel (3x-ui's own multi-node: GET panel/api/nodes/list,
// v3.1.0+; NodeView in internal/web/service/node_contract.go:12-55). Only
// what xuictl shows is kept; every other field is ignored.
struct PanelNode {
    int id = 0;  // 0: a transitive sub-node (a node of one of this panel's nodes)
    std::string name;
    std::string scheme;   // http | https ("" = https, as the master dials it)
    std::string address;  // host name or IP, without scheme and port
    int port = 0;
    std::string base_path;  // the node's web base path ("" for a transitive sub-node)
    std::string status;     // online | offline | unknown (heartbeat)
    bool enable = true;
    bool transitive = false;  // listed from a node's own nodes (node_tree.go:99-158)
    // Which of the node's inbounds the master syncs (and counts): "all", or
    // "selected" by tag (internal/web/service/node.go:421-439).
    std::string inbound_sync_mode = "all";
    std::vector<std::string> inbound_tags;
};

// The node list of a v3.1+ panel. Empty: the panel manages no nodes (it is
// not a master). nullopt: this panel cannot say (no such route: < v3.1.0, or
// the token's scope does not allow it). Other failures are Errors.
Result<std::optional<std::vector<PanelNode>>> list_panel_nodes(Session& session);

// Asks the panel with two reads that change nothing: GET inbounds/get/0
// (admin only: a scoped token gets 403) and GET server/getWebCertFiles
// (node-sync, not monitor) — internal/web/controller/api.go:76-114. Only on a
// panel that may have scopes (after v3.6.0, or a version xuictl cannot read);
// otherwise unscoped without a request.
Result<TokenScope> probe_token_scope(Session& session, const Capabilities& caps);

// Whether the token's scope may be restricted on this panel: after v3.6.0
// (1230559e6), or a version xuictl cannot read (it may be newer).
bool may_have_scopes(const Capabilities& caps);

// What marks this panel as a node that a master manages (3x-ui multi-node).
// A node learns nothing about its master that its API serves (the master's
// GUID is kept in client_global_traffics only; docs/panel-api.md lists every
// candidate). What shows is the credential a master uses: an enabled,
// unexpired API token with the node-sync scope (after v3.6.0; the scope's
// allow-list is exactly what a master sends, api.go:89-114), listed by
// GET panel/api/setting/apiTokens — its name is the operator's label for the
// master (the panel's own example: "central-panel-a") — or this run's own
// token having that scope.
struct NodeRole {
    std::vector<std::string> master_tokens;  // names of the node-sync tokens listed
    bool own_token = false;                  // this run's token has the node-sync scope
    bool managed() const { return own_token || !master_tokens.empty(); }
};

// The panel's answer, with nothing changed: nullopt when it cannot say (≤ v3.6.0
// has no scopes; a monitor token; a token whose scope is not known, which is
// not sent a request its scope may refuse; the route is missing).
// `scope` is what this run knows of its token's scope (nullopt: unknown or
// no token).
Result<std::optional<NodeRole>> detect_node_role(Session& session, const Capabilities& caps,
                                                 std::optional<TokenScope> scope, int64_t now_ms);

// "node-sync token \"central-panel-a\"" / "this API token's node-sync scope"
// (panel text: the caller escapes it for a terminal).
std::string describe_master(const NodeRole& role);

}  // namespace xuictl
