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
        n.scheme = r.string_or("scheme", "");
        n.address = r.string_or("address", "");
        n.port = r.int32_or("port", 0);
        n.base_path = r.string_or("basePath", "");
        n.status = r.string_or("status", "unknown");
        n.enable = r.boolean_or("enable", true);
        n.transitive = r.boolean_or("transitive", false);
        n.inbound_sync_mode = r.string_or("inboundSyncMode", "all");
        if (const auto* tags = r.array_or_null("inboundTags")) {
            for (const auto& t : tags->GetArray()) {
                if (t.IsString()) {
                    n.inbound_tags.emplace_back(t.GetString(), t.GetStringLength());
                }
            }
        }
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
    if (!session.uses_token() || !may_have_scopes(caps)) {
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

bool may_have_scopes(const Capabilities& caps) {
    return caps.generation == ApiGeneration::v3 &&
           (caps.version_unknown() || (caps.version && *caps.version > Version{{3, 6, 0}}));
}

Result<std::optional<NodeRole>> detect_node_role(Session& session, const Capabilities& caps,
                                                 std::optional<TokenScope> scope, int64_t now_ms) {
    if (!may_have_scopes(caps)) {
        return std::optional<NodeRole>{};  // no scopes: a master's token looks like any other
    }
    NodeRole role;
    if (scope == TokenScope::node_sync) {
        role.own_token = true;  // and this token may not list the others
        return std::optional<NodeRole>{std::move(role)};
    }
    if (session.uses_token() && (!scope || !scope_lists_api_tokens(*scope))) {
        return std::optional<NodeRole>{};  // never a request its scope may refuse
    }
    // GET panel/api/setting/apiTokens (internal/web/controller/setting.go:71,
    // ApiTokenView in internal/web/service/panel/api_token.go:22-30): no
    // token values, only metadata.
    auto doc = session.probe("GET", "panel/api/setting/apiTokens", "API token list");
    if (!doc) {
        if (doc.error().kind == ErrorKind::not_found || scope_refused(doc.error())) {
            return std::optional<NodeRole>{};
        }
        return doc.error();
    }
    const auto& obj = doc.value()["obj"];
    if (obj.IsNull()) {
        return std::optional<NodeRole>{std::move(role)};
    }
    if (!obj.IsArray()) {
        return make_error(
            ErrorKind::api,
            fmt::format("the API token list is not an array (obj is {})", json_type_name(obj)));
    }
    Error error;
    for (rapidjson::SizeType i = 0; i < obj.Size(); ++i) {
        ObjectReader r(obj[i], json_index("obj", i), error);
        const std::string name = r.string_or("name", "");
        const bool enabled = r.boolean_or("enabled", true);
        // expiresAt is unix ms, 0 = never; an expired token matches nothing
        // (api_token.go:249), so it syncs nothing either.
        const int64_t expires_at = r.int64_or("expiresAt", 0);
        if (r.string_or("scope", "admin") == "node-sync" && enabled &&
            (expires_at == 0 || expires_at > now_ms)) {
            role.master_tokens.push_back(name);
        }
    }
    if (!error.message.empty()) {
        return error;
    }
    return std::optional<NodeRole>{std::move(role)};
}

std::string describe_master(const NodeRole& role) {
    if (!role.master_tokens.empty()) {
        std::string names;
        for (const auto& n : role.master_tokens) {
            names += (names.empty() ? "\"" : ", \"") + n + "\"";
        }
        return fmt::format("node-sync token{} {}", role.master_tokens.size() > 1 ? "s" : "", names);
    }
    return role.own_token ? "this API token has the node-sync scope" : "";
}

}  // namespace xuictl
