// xuictl version — this tool's version, and the panel's when one is configured.
#include <CLI/CLI.hpp>

#include <memory>
#include <ostream>

#include <fmt/format.h>

#include "commands/command.hpp"
#include "fleet.hpp"
#include "fleet_nodes.hpp"
#include "panel/panel_role.hpp"
#include "ui/display.hpp"
#include "ui/fleet_view.hpp"
#include "ui/json_out.hpp"
#include "ui/table.hpp"
#include "version.hpp"

namespace xuictl {
namespace {

struct VersionOptions {
    bool local_only = false;
};

// What `version` reports of one panel.
struct PanelVersion {
    Capabilities caps;
    ServerStatus status;
    std::optional<TokenScope> scope;              // a token's, as the panel answers
    std::optional<std::vector<PanelNode>> nodes;  // v3 panels the token may ask
    std::optional<NodeRole> node_role;            // what marks a node (panel_role.hpp)
    bool master() const { return nodes && !nodes->empty(); }
    bool managed() const { return node_role && node_role->managed(); }
};

Result<PanelVersion> read_version(Context& ctx) {
    auto panel = ctx.panel();
    if (!panel) {
        return panel.error();
    }
    auto c = panel.value()->capabilities();
    if (!c) {
        return c.error();
    }
    PanelVersion v;
    v.caps = *c;
    if (const auto& probed = panel.value()->probed_status()) {
        v.status = *probed;
    } else if (auto s = panel.value()->server_status()) {
        v.status = *s;  // capabilities came from the session cache
    }
    Session& session = panel.value()->session();
    if (session.uses_token()) {
        // What the token may do, as the panel answers (scopes after v3.6.0).
        auto probed_scope = probe_token_scope(session, v.caps);
        if (!probed_scope) {
            return probed_scope.error();
        }
        v.scope = *probed_scope;
        panel.value()->assume_token_scope(*v.scope, session.last_scope_refusal());
    }
    if (v.caps.generation == ApiGeneration::v3 && v.scope != TokenScope::monitor &&
        v.scope != TokenScope::node_sync) {
        // A master lists its nodes (panel/api/nodes/list, v3.1.0+).
        auto listed = list_panel_nodes(session);
        if (!listed) {
            return listed.error();
        }
        v.nodes = std::move(*listed);
    }
    // A node that a master manages (panel_role.hpp).
    auto role = detect_node_role(session, v.caps, v.scope, ctx.clock().now_ms());
    if (!role) {
        return role.error();
    }
    v.node_role = std::move(*role);
    return v;
}

// The panel's keys of `version -o json`: panel_version (assumed_version
// for a dev build), api, xray_version and, on v3, token_scope, role and a
// master's nodes. One panel's object and each fleet panel's share them.
void write_panel_version(JsonWriter& w, const PanelVersion& v) {
    write_key(w, "panel_version");
    if (v.caps.version) {
        write_string(w, v.caps.version->to_string());
    } else if (!v.caps.version_text.empty()) {
        write_string(w, v.caps.version_text);
    } else {
        w.Null();
    }
    if (v.caps.version_unknown()) {
        // Not a release number (a dev build): the newest known semantics.
        write_key(w, "assumed_version");
        write_string(w, kNewestKnownVersion.to_string());
    }
    write_key(w, "api");
    write_string(w, to_string(v.caps.generation));
    write_key(w, "xray_version");
    write_string(w, v.status.xray_version);
    if (v.caps.generation != ApiGeneration::v3) {
        return;
    }
    if (v.scope) {
        write_key(w, "token_scope");
        write_string(w, to_string(*v.scope));
    }
    write_key(w, "role");
    // "not_master": an empty node list, and no sign of a master (one that
    // reaches this panel only through mTLS shows none, docs/panel-api.md).
    write_string(w, v.master()    ? "master"
                    : v.managed() ? "node"
                    : v.nodes     ? "not_master"
                                  : "unknown");
    if (v.managed()) {
        write_key(w, "managed_by");
        w.StartObject();
        write_key(w, "node_sync_tokens");
        w.StartArray();
        for (const auto& name : v.node_role->master_tokens) {
            write_string(w, name);
        }
        w.EndArray();
        write_key(w, "own_token");
        w.Bool(v.node_role->own_token);
        w.EndObject();
    }
    if (v.master()) {
        write_key(w, "nodes");
        w.StartArray();
        for (const auto& n : *v.nodes) {
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

// A master's nodes for people: NODE, ADDRESS, STATUS.
Table node_table(const std::vector<PanelNode>& nodes) {
    Table t({{"NODE", false}, {"ADDRESS", false}, {"STATUS", false}});
    for (const auto& n : nodes) {
        t.add_row({n.name, n.port > 0 ? fmt::format("{}:{}", n.address, n.port) : n.address,
                   n.enable ? n.status : n.status + " (disabled)"});
    }
    return t;
}

// `version` over a fleet: xuictl's version, then PANEL, VERSION, API, XRAY,
// ROLE per panel, and each master's nodes below the panels (JSON:
// {"xuictl", "panels": [{panel, status, ...write_panel_version}]}).
int run_fleet_version(Context& ctx) {
    auto fleet = Fleet::open(ctx);
    if (!fleet) {
        return ctx.report(fleet.error());
    }
    const auto versions = (*fleet)->read<PanelVersion>(read_version);
    const auto errors = panel_errors(versions);
    // Which panel is a node of another panel of this fleet (fleet_nodes.hpp).
    std::vector<const std::vector<PanelNode>*> lists(versions.size(), nullptr);
    std::vector<bool> answered(versions.size(), false);
    for (size_t i = 0; i < versions.size(); ++i) {
        answered[i] = versions[i].ok();
        if (versions[i] && versions[i]->nodes) {
            lists[i] = &*versions[i]->nodes;
        }
    }
    const FleetNodes links = link_fleet_nodes(**fleet, lists, answered);
    auto& out = ctx.env().out;
    if (ctx.format() == Format::json) {
        JsonWriter w(out, ctx.pretty_json());
        w.StartObject();
        write_key(w, "xuictl");
        write_string(w, kVersion);
        write_key(w, "panels");
        w.StartArray();
        for (size_t i = 0; i < versions.size(); ++i) {
            w.StartObject();
            write_panel_status(w, (*fleet)->name(i), errors[i]);
            if (const auto& v = versions[i]) {
                links.write_node_of(w, i);
                write_panel_version(w, *v);
            }
            w.EndObject();
        }
        w.EndArray();
        w.EndObject();
        w.finish();
    } else {
        if (ctx.format() == Format::table) {
            out << "xuictl " << kVersion << "\n\n";
        }
        Table t({{"PANEL", false},
                 {"VERSION", false},
                 {"API", false},
                 {"XRAY", false},
                 {"ROLE", false}});
        for (size_t i = 0; i < versions.size(); ++i) {
            if (const auto& v = versions[i]) {
                t.add_row({(*fleet)->name(i), v->caps.describe(), to_string(v->caps.generation),
                           v->status.xray_version,
                           links.is_node(i) ? "node of " + links.names[*links.master[i]]
                           : v->master()    ? fmt::format("master of {} node(s)", v->nodes->size())
                           : v->managed()   ? "node"
                                            : ""});
            } else {
                add_failed_panel(t, (*fleet)->name(i), *errors[i]);
            }
        }
        t.render(out, ctx.format());
        if (ctx.format() == Format::table) {
            for (size_t i = 0; i < versions.size(); ++i) {
                if (const auto& v = versions[i]; v && v->master()) {
                    out << "\nnodes of " << (*fleet)->name(i) << "\n";
                    node_table(*v->nodes).render(out, Format::table);
                }
            }
        }
    }
    return report_panel_errors(ctx, **fleet, errors);
}

int run_version(Context& ctx, const VersionOptions& o) {
    if (wants_fleet(ctx.global()) && !o.local_only) {
        return run_fleet_version(ctx);
    }
    auto& out = ctx.env().out;
    const bool configured = !ctx.global().url.empty() || ctx.env().getenv("XUI_URL").has_value();
    std::optional<PanelVersion> panel;
    if (configured && !o.local_only) {
        auto v = read_version(ctx);
        if (!v) {
            return ctx.report(v.error());
        }
        panel = std::move(*v);
    }
    if (ctx.format() == Format::json) {
        JsonWriter w(out, ctx.pretty_json());
        w.StartObject();
        write_key(w, "xuictl");
        write_string(w, kVersion);
        if (panel) {
            write_panel_version(w, *panel);
        }
        w.EndObject();
        w.finish();
        return 0;
    }
    out << "xuictl " << kVersion << "\n";
    if (panel) {
        out << "panel  " << panel->caps.describe() << "\n";
        out << "api    " << to_string(panel->caps.generation) << "\n";
        if (!panel->status.xray_version.empty()) {
            out << "xray   " << panel->status.xray_version << " (" << panel->status.xray_state
                << ")\n";
        }
        if (panel->scope) {
            out << "token  " << describe(*panel->scope) << "\n";
        }
        if (panel->master()) {
            out << "role   master of " << panel->nodes->size()
                << " node(s); client counters include the traffic they report\n";
            node_table(*panel->nodes).render(out, Format::table);
        }
        if (panel->managed()) {
            out << "role   node (managed by a master: "
                << display(describe_master(*panel->node_role))
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
    cmd->callback([&dispatch, o] {
        dispatch.fleet_ok = true;
        dispatch.selected = [o](Context& c) { return run_version(c, *o); };
    });
}

}  // namespace xuictl
