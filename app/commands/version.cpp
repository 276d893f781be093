// xuictl version — this tool's version, and the panel's when one is configured.
#include <CLI/CLI.hpp>

#include <memory>
#include <ostream>

#include <fmt/format.h>

#include "commands/command.hpp"
#include "panel/panel_role.hpp"
#include "ui/display.hpp"
#include "ui/json_out.hpp"
#include "ui/table.hpp"
#include "version.hpp"

namespace xuictl {
namespace {

struct VersionOptions {
    bool local_only = false;
};

int run_version(Context& ctx, const VersionOptions& o) {
    auto& out = ctx.env().out;
    const bool configured = !ctx.global().url.empty() || ctx.env().getenv("XUI_URL").has_value();
    std::optional<Capabilities> caps;
    ServerStatus status;
    std::optional<TokenScope> scope;
    std::optional<std::vector<PanelNode>> nodes;
    std::optional<NodeRole> node_role;
    if (configured && !o.local_only) {
        auto panel = ctx.panel();
        if (!panel) {
            return ctx.report(panel.error());
        }
        auto c = panel.value()->capabilities();
        if (!c) {
            return ctx.report(c.error());
        }
        caps = *c;
        if (const auto& probed = panel.value()->probed_status()) {
            status = *probed;
        } else if (auto s = panel.value()->server_status()) {
            status = *s;  // capabilities came from the session cache
        }
        Session& session = panel.value()->session();
        if (session.uses_token()) {
            // What the token may do, as the panel answers (scopes after v3.6.0).
            auto probed_scope = probe_token_scope(session, *caps);
            if (!probed_scope) {
                return ctx.report(probed_scope.error());
            }
            scope = *probed_scope;
            panel.value()->assume_token_scope(*scope, session.last_scope_refusal());
        }
        if (caps->generation == ApiGeneration::v3 && scope != TokenScope::monitor &&
            scope != TokenScope::node_sync) {
            // A master lists its nodes (panel/api/nodes/list, v3.1.0+).
            auto listed = list_panel_nodes(session);
            if (!listed) {
                return ctx.report(listed.error());
            }
            nodes = std::move(*listed);
        }
        // A node that a master manages (panel_role.hpp).
        auto detected = detect_node_role(session, *caps, scope, ctx.clock().now_ms());
        if (!detected) {
            return ctx.report(detected.error());
        }
        node_role = std::move(*detected);
    }
    const bool master = nodes && !nodes->empty();
    const bool managed = node_role && node_role->managed();
    if (ctx.format() == Format::json) {
        JsonWriter w(out, ctx.pretty_json());
        w.StartObject();
        write_key(w, "xuictl");
        write_string(w, kVersion);
        if (caps) {
            write_key(w, "panel_version");
            if (caps->version) {
                write_string(w, caps->version->to_string());
            } else if (!caps->version_text.empty()) {
                write_string(w, caps->version_text);
            } else {
                w.Null();
            }
            if (caps->version_unknown()) {
                // Not a release number (a dev build): the newest known semantics.
                write_key(w, "assumed_version");
                write_string(w, kNewestKnownVersion.to_string());
            }
            write_key(w, "api");
            write_string(w, to_string(caps->generation));
            write_key(w, "xray_version");
            write_string(w, status.xray_version);
        }
        if (caps && caps->generation == ApiGeneration::v3) {
            if (scope) {
                write_key(w, "token_scope");
                write_string(w, to_string(*scope));
            }
            write_key(w, "role");
            // "not_master": an empty node list, and no sign of a master
            // (an mTLS-only master shows none, docs/panel-api.md).
            write_string(w, master    ? "master"
                            : managed ? "node"
                            : nodes   ? "not_master"
                                      : "unknown");
            if (managed) {
                write_key(w, "managed_by");
                w.StartObject();
                write_key(w, "node_sync_tokens");
                w.StartArray();
                for (const auto& name : node_role->master_tokens) {
                    write_string(w, name);
                }
                w.EndArray();
                write_key(w, "own_token");
                w.Bool(node_role->own_token);
                w.EndObject();
            }
            if (master) {
                write_key(w, "nodes");
                w.StartArray();
                for (const auto& n : *nodes) {
                    w.StartObject();
                    write_key(w, "id");
                    w.Int(n.id);
                    write_key(w, "name");
                    write_string(w, n.name);
                    write_key(w, "address");
                    write_string(w, n.address);
                    write_key(w, "port");
                    w.Int(n.port);
                    write_key(w, "status");
                    write_string(w, n.status);
                    write_key(w, "enabled");
                    w.Bool(n.enable);
                    w.EndObject();
                }
                w.EndArray();
            }
        }
        w.EndObject();
        w.finish();
        return 0;
    }
    out << "xuictl " << kVersion << "\n";
    if (caps) {
        out << "panel  " << caps->describe() << "\n";
        out << "api    " << to_string(caps->generation) << "\n";
        if (!status.xray_version.empty()) {
            out << "xray   " << status.xray_version << " (" << status.xray_state << ")\n";
        }
        if (scope) {
            out << "token  " << describe(*scope) << "\n";
        }
        if (master) {
            out << "role   master of " << nodes->size()
                << " node(s); client counters include the traffic they report\n";
            Table t({{"NODE", false}, {"ADDRESS", false}, {"STATUS", false}});
            for (const auto& n : *nodes) {
                t.add_row({n.name, n.port > 0 ? fmt::format("{}:{}", n.address, n.port) : n.address,
                           n.enable ? n.status : n.status + " (disabled)"});
            }
            t.render(out, Format::table);
        }
        if (managed) {
            out << "role   node (managed by a master: " << display(describe_master(*node_role))
                << "); the master's sync can overwrite changes made here\n";
        }
    }
    return 0;
}

}  // namespace

void register_version(CLI::App& root, Dispatch& dispatch) {
    auto o = std::make_shared<VersionOptions>();
    auto* cmd = root.add_subcommand(
        "version", "Show the xuictl version, and the panel's version and API generation");
    cmd->add_flag("--local", o->local_only, "Do not contact the panel");
    cmd->callback(
        [&dispatch, o] { dispatch.selected = [o](Context& c) { return run_version(c, *o); }; });
}

}  // namespace xuictl
