#include "panel/panel_role.hpp"

#include <fmt/format.h>

#include "json/reader.hpp"

namespace xuictl {
namespace {

// A refusal by the token's scope: session.cpp turns the panel's 403 JSON
// into an auth Error that keeps the status.
bool scope_refused(const Error& e) {
    return e.kind == ErrorKind::auth && e.http_status == 403;
}

// A read answered, or refused by the panel's own logic (success:false: the
// route exists and the token may call it).
bool allowed(const Result<rapidjson::Document>& r) {
    return r || r.error().kind == ErrorKind::api;
}

}  // namespace

Result<std::optional<std::vector<PanelNode>>> list_panel_nodes(Session& session) {
    auto doc = session.probe("GET", "panel/api/nodes/list", "node list");
    if (!doc) {
        if (doc.error().kind == ErrorKind::not_found || scope_refused(doc.error())) {
            return std::optional<std::vector<PanelNode>>{};
        }
        return doc.error();
    }
    std::vector<PanelNode> nodes;
    const auto& obj = doc.value()["obj"];
    if (obj.IsNull()) {
        return std::optional<std::vector<PanelNode>>{nodes};  // a nil Go slice
    }
    if (!obj.IsArray()) {
        return make_error(ErrorKind::api, fmt::format("the node list is not an array (obj is {})",
                                                      json_type_name(obj)));
    }
    Error error;
    for (rapidjson::SizeType i = 0; i < obj.Size(); ++i) {
        ObjectReader r(obj[i], json_index("obj", i), error);
        PanelNode n;
        n.id = r.int32_or("id", 0);
        n.name = r.string_or("name", "");
        n.address = r.string_or("address", "");
        n.port = r.int32_or("port", 0);
        n.status = r.string_or("status", "unknown");
        n.enable = r.boolean_or("enable", true);
        nodes.push_back(std::move(n));
    }
    if (!error.message.empty()) {
        return error;
    }
    return std::optional<std::vector<PanelNode>>{std::move(nodes)};
}

Result<TokenScope> probe_token_scope(Session& session, const Capabilities& caps) {
    // Scopes arrived after v3.6.0 (1230559e6); a version xuictl cannot read
    // may be newer, so it is asked too.
    const bool may_have_scopes =
        caps.generation == ApiGeneration::v3 &&
        (caps.version_unknown() || (caps.version && *caps.version > Version{{3, 6, 0}}));
    if (!session.uses_token() || !may_have_scopes) {
        return TokenScope::unscoped;
    }
    auto full = session.probe("GET", "panel/api/inbounds/get/0", "token scope probe");
    if (allowed(full)) {
        return TokenScope::admin;
    }
    if (!scope_refused(full.error())) {
        return full.error();
    }
    auto sync = session.probe("GET", "panel/api/server/getWebCertFiles", "token scope probe");
    if (allowed(sync)) {
        return TokenScope::node_sync;
    }
    if (!scope_refused(sync.error())) {
        return sync.error();
    }
    return TokenScope::monitor;
}

const char* describe(TokenScope scope) {
    switch (scope) {
        case TokenScope::unscoped:
            return "every route (this panel version has no token scopes)";
        case TokenScope::admin:
            return "admin: every route";
        case TokenScope::node_sync:
            return "node-sync: may read inbounds/list and reset one client or the inbound "
                   "counters; may not read clients or use bulk routes (inbound reset, clients "
                   "purge-depleted and traffic restore are refused)";
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

}  // namespace xuictl
