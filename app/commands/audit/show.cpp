// xuictl audit show ID — one audit entry in full, with its plan.
#include <CLI/CLI.hpp>

#include <rapidjson/document.h>

#include <fmt/format.h>
#include <memory>
#include <ostream>

#include "calendar.hpp"
#include "commands/audit/audit_records.hpp"
#include "commands/command.hpp"
#include "ui/display.hpp"
#include "ui/usage_view.hpp"
#include "util/units.hpp"

namespace xuictl {
namespace {

struct AuditShowOptions {
    std::string id;
};

// Exact id, else the one entry whose id starts with `id`.
Result<const AuditRecord*> find_record(const std::vector<AuditRecord>& records,
                                       const std::string& id) {
    std::vector<const AuditRecord*> prefixed;
    for (const auto& r : records) {
        if (r.entry.id == id) {
            return &r;
        }
        if (r.entry.id.rfind(id, 0) == 0) {
            prefixed.push_back(&r);
        }
    }
    if (prefixed.size() == 1) {
        return prefixed.front();
    }
    if (prefixed.empty()) {
        return make_error(ErrorKind::not_found, fmt::format("no audit entry '{}'", id),
                          "`xuictl audit` lists the ids");
    }
    return make_error(ErrorKind::usage,
                      fmt::format("'{}' matches {} audit entries", id, prefixed.size()),
                      fmt::format("give more of the id, e.g. {}", prefixed.front()->entry.id));
}

void print_entry(std::ostream& out, const AuditRecord& r, bool raw) {
    const AuditEntry& e = r.entry;
    auto line = [&](const char* key, const std::string& value) {
        out << fmt::format("{:<11} {}\n", std::string(key) + ":", display(value));
    };
    line("id", e.id);
    line("time", format_local(e.time_ms) + " (" + format_utc(e.time_ms) + ")");
    line("user", e.host.empty() ? e.user : e.user + "@" + e.host);
    line("panel", e.panel + (e.insecure ? "  (TLS verification off)" : ""));
    if (!e.profile.empty()) {
        line("profile", e.profile);
    }
    line("panel user", e.panel_user.empty() ? "(API token)" : e.panel_user);
    line("command", e.command);
    line("status", e.status);
    if (!e.error.empty()) {
        line("error", e.error);
    }
    for (const auto& m : e.mismatches) {
        line("mismatch", m);
    }
    if (!e.done.empty() || !e.not_done.empty()) {
        // Cut short (partial, interrupted): which targets did and did not change.
        line("done", fmt::format("{}", fmt::join(e.done, ", ")));
        line("not done", fmt::format("{}", fmt::join(e.not_done, ", ")));
    }
    if (e.finished_ms > 0) {
        line("finished", format_local(e.finished_ms));
    }
    line("snapshot", e.snapshot);
    if (!r.plan) {
        line("plan", "(not recorded or unreadable)");
        return;
    }
    const RecordedPlan& p = *r.plan;
    line("operation", p.operation);
    line("phrase", p.phrase);
    line("api", p.api);
    if (!p.restore_from.empty()) {
        line("restored", "from snapshot " + p.restore_from);
    }
    line("targets", std::to_string(r.target_count()));
    line("before", bytes_cell(p.used_before(), raw) + " used");
    if (!p.clients.empty()) {
        const bool restore = !p.restore_to.empty();
        std::vector<Column> columns = {{"INBOUND", true}, {"EMAIL", false}, {"UP", true},
                                       {"DOWN", true},    {"USED", true},   {"QUOTA", true}};
        if (restore) {
            columns.push_back({"UP AFTER", true});
            columns.push_back({"DOWN AFTER", true});
        }
        Table t(columns);
        for (size_t i = 0; i < p.clients.size(); ++i) {
            const auto& c = p.clients[i];
            std::vector<std::string> row = {std::to_string(c.inbound_id), c.email,
                                            bytes_cell(c.up, raw),        bytes_cell(c.down, raw),
                                            bytes_cell(c.used(), raw),    quota_cell(c.quota, raw)};
            if (restore && i < p.restore_to.size()) {
                row.push_back(bytes_cell(p.restore_to[i].up, raw));
                row.push_back(bytes_cell(p.restore_to[i].down, raw));
            } else if (restore) {
                row.insert(row.end(), {"", ""});
            }
            t.add_row(std::move(row));
        }
        out << "\n";
        t.render(out, Format::table);
    }
    if (!p.inbounds.empty()) {
        Table t({{"INBOUND", true}, {"REMARK", false}, {"UP", true}, {"DOWN", true}});
        for (const auto& in : p.inbounds) {
            t.add_row({std::to_string(in.id), in.remark, bytes_cell(in.up, raw),
                       bytes_cell(in.down, raw)});
        }
        out << "\n";
        t.render(out, Format::table);
    }
}

int run_audit_show(Context& ctx, const AuditShowOptions& o) {
    auto records = load_audit_records(ctx);
    if (!records) {
        return ctx.report(records.error());
    }
    auto record = find_record(*records, o.id);
    if (!record) {
        return ctx.report(record.error());
    }
    auto& out = ctx.env().out;
    if (ctx.format() == Format::json) {
        // The line as recorded (plan included), pretty-printed.
        rapidjson::Document doc;
        const std::string line = audit_to_json((*record)->entry);
        doc.Parse(line.c_str(), line.size());
        JsonWriter w(out, ctx.pretty_json());
        doc.Accept(w);
        w.finish();
        return 0;
    }
    print_entry(out, **record, ctx.raw_bytes());
    return 0;
}

}  // namespace

CLI::App* register_audit_show(CLI::App& audit, Dispatch& dispatch) {
    auto o = std::make_shared<AuditShowOptions>();
    auto* cmd = audit.add_subcommand("show", "Print one audit entry in full, with its plan");
    cmd->add_option("id", o->id, "Audit id (a unique prefix is enough)")
        ->required()
        ->type_name("ID");
    cmd->footer("-o json prints the recorded line itself (plan included), pretty-printed.");
    cmd->callback(
        [&dispatch, o] { dispatch.selected = [o](Context& c) { return run_audit_show(c, *o); }; });
    return cmd;
}

}  // namespace xuictl
