// xuictl version — this tool's version, and the panel's when one is configured.
#include <CLI/CLI.hpp>

#include <memory>
#include <ostream>

#include "commands/command.hpp"
#include "ui/json_out.hpp"
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
    cmd->callback([&dispatch, o] { dispatch.selected = [o](Context& c) { return run_version(c, *o); }; });
}

}  // namespace xuictl
