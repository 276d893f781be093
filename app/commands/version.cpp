// xuictl version — this tool's version, and the panel's when one is configured.
#include <CLI/CLI.hpp>

#include <memory>
#include <ostream>

#include "commands/command.hpp"
#include "fleet.hpp"
#include "ui/fleet_view.hpp"
#include "ui/json_out.hpp"
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
    PanelVersion v{*c, {}};
    if (const auto& probed = panel.value()->probed_status()) {
        v.status = *probed;
    } else if (auto s = panel.value()->server_status()) {
        v.status = *s;  // capabilities came from the session cache
    }
    return v;
}

// `version` over a fleet: xuictl's version, then PANEL, VERSION, API, XRAY
// per panel (JSON: {"xuictl", "panels": [{panel, status, panel_version,
// api, xray_version}]}).
int run_fleet_version(Context& ctx) {
    auto fleet = Fleet::open(ctx);
    if (!fleet) {
        return ctx.report(fleet.error());
    }
    const auto versions = (*fleet)->read<PanelVersion>(read_version);
    const auto errors = panel_errors(versions);
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
                write_key(w, "panel_version");
                if (v->caps.version) {
                    write_string(w, v->caps.version->to_string());
                } else {
                    w.Null();
                }
                write_key(w, "api");
                write_string(w, to_string(v->caps.generation));
                write_key(w, "xray_version");
                write_string(w, v->status.xray_version);
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
        Table t({{"PANEL", false}, {"VERSION", false}, {"API", false}, {"XRAY", false}});
        for (size_t i = 0; i < versions.size(); ++i) {
            if (const auto& v = versions[i]) {
                t.add_row({(*fleet)->name(i), v->caps.describe(), to_string(v->caps.generation),
                           v->status.xray_version});
            } else {
                add_failed_panel(t, (*fleet)->name(i), *errors[i]);
            }
        }
        t.render(out, ctx.format());
    }
    return report_panel_errors(ctx, **fleet, errors);
}

int run_version(Context& ctx, const VersionOptions& o) {
    if (wants_fleet(ctx.global()) && !o.local_only) {
        return run_fleet_version(ctx);
    }
    auto& out = ctx.env().out;
    const bool configured = !ctx.global().url.empty() || ctx.env().getenv("XUI_URL").has_value();
    std::optional<Capabilities> caps;
    ServerStatus status;
    if (configured && !o.local_only) {
        auto v = read_version(ctx);
        if (!v) {
            return ctx.report(v.error());
        }
        caps = v->caps;
        status = v->status;
    }
    if (ctx.format() == Format::json) {
        JsonWriter w(out, ctx.pretty_json());
        w.StartObject();
        write_key(w, "xuictl");
        write_string(w, kVersion);
        if (caps) {
            write_key(w, "panel_version");
            if (caps->version) {
                write_string(w, caps->version->to_string());
            } else {
                w.Null();
            }
            write_key(w, "api");
            write_string(w, to_string(caps->generation));
            write_key(w, "xray_version");
            write_string(w, status.xray_version);
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
