// xuictl audit [--since DATE] [--client EMAIL] — read the audit records of
// destructive operations: when, who, which panel, what, targets, outcome.
#include <CLI/CLI.hpp>

#include <fmt/format.h>
#include <algorithm>
#include <memory>
#include <ostream>

#include "calendar.hpp"
#include "commands/audit/audit_records.hpp"
#include "commands/command.hpp"
#include "ui/usage_view.hpp"

namespace xuictl {
namespace {

constexpr size_t kEmailsShown = 3;

struct AuditOptions {
    std::string since;
    std::string client;
};

std::string emails_cell(const std::vector<std::string>& emails) {
    std::string out;
    for (size_t i = 0; i < emails.size() && i < kEmailsShown; ++i) {
        out += (i ? ", " : "") + emails[i];
    }
    if (emails.size() > kEmailsShown) {
        out += fmt::format(" +{} more", emails.size() - kEmailsShown);
    }
    return out;
}

std::string result_cell(const AuditEntry& e) {
    return e.error.empty() ? e.status : e.status + ": " + e.error;
}

bool mentions(const AuditRecord& r, const std::string& email) {
    if (!r.plan) {
        return false;
    }
    const auto& p = *r.plan;
    return std::any_of(p.clients.begin(), p.clients.end(),
                       [&](const RecordedClient& c) { return c.email == email; }) ||
           std::any_of(p.restore_to.begin(), p.restore_to.end(),
                       [&](const ClientCounters& c) { return c.email == email; });
}

int run_audit(Context& ctx, const AuditOptions& o) {
    std::optional<int64_t> since;
    if (!o.since.empty()) {
        auto t = parse_date_arg(o.since);
        if (!t) {
            return ctx.report(t.error());
        }
        since = *t;
    }
    auto records = load_audit_records(ctx);
    if (!records) {
        return ctx.report(records.error());
    }
    std::vector<const AuditRecord*> shown;
    for (const auto& r : *records) {
        if ((since && r.entry.time_ms < *since) || (!o.client.empty() && !mentions(r, o.client))) {
            continue;
        }
        shown.push_back(&r);
    }
    auto& out = ctx.env().out;
    if (ctx.format() == Format::json) {
        JsonWriter w(out, ctx.pretty_json());
        w.StartArray();
        for (const auto* r : shown) {
            write_audit_summary_json(w, *r);
        }
        w.EndArray();
        w.finish();
        return 0;
    }
    Table t({{"ID", false},
             {"TIME", false},
             {"USER", false},
             {"PANEL", false},
             {"PANEL USER", false},
             {"COMMAND", false},
             {"TARGETS", true},
             {"EMAILS", false},
             {"BEFORE", true},
             {"RESULT", false},
             {"FLEET", false}});
    const bool data = data_cells(ctx.format());  // TSV/CSV: UTC times, raw bytes
    for (const auto* r : shown) {
        const auto& e = r->entry;
        t.add_row({e.id, time_cell(e.time_ms, data),
                   e.host.empty() ? e.user : e.user + "@" + e.host, e.panel, e.panel_user,
                   e.command, std::to_string(r->target_count()), emails_cell(r->emails()),
                   bytes_cell(r->plan ? r->plan->used_before() : 0, ctx.raw_bytes() || data),
                   result_cell(e), e.fleet_id});
    }
    t.render(out, ctx.format());
    if (shown.empty() && ctx.format() == Format::table) {
        ctx.note(records->empty() ? "the audit log is empty: no destructive command has run yet"
                                  : "no audit entry matches");
    }
    return 0;
}

}  // namespace

void register_audit(CLI::App& root, Dispatch& dispatch) {
    auto o = std::make_shared<AuditOptions>();
    auto* cmd = root.add_subcommand(
        "audit",
        "Read the audit records of destructive commands (when, who, panel, targets, result)");
    cmd->add_option("--since", o->since,
                    "Only entries from DATE on: YYYY-MM-DD (local midnight) or ISO 8601")
        ->type_name("DATE");
    cmd->add_option("--client", o->client, "Only entries that targeted this client (email)")
        ->type_name("EMAIL");
    cmd->footer(
        "Reads $XDG_STATE_HOME/xuictl/xuictl.db (no panel access). TIME is local time;\n"
        "BEFORE is the targets' used bytes before the command. RESULT: ok, failed,\n"
        "verify_failed, partial, unverified, interrupted, or pending (no outcome recorded).\n"
        "-o json prints every entry with its targets' before-counters; `xuictl audit show ID`\n"
        "prints one entry in full, with its plan. The ID is also the snapshot id for\n"
        "`xuictl traffic restore`. FLEET is the fleet id of a run over several panels (one\n"
        "record per panel; `clients restore FLEET-ID` and `traffic restore FLEET-ID` take it).\n"
        "`xuictl audit prune --before DATE` removes old records.");
    auto* show = register_audit_show(*cmd, dispatch);
    auto* prune = register_audit_prune(*cmd, dispatch);
    cmd->callback([&dispatch, o, show, prune] {
        // CLI11 runs a subcommand's callback before its parent's: keep `show`
        // or `prune`.
        if (show->parsed() || prune->parsed()) {
            return;
        }
        dispatch.selected = [o](Context& c) { return run_audit(c, *o); };
    });
}

}  // namespace xuictl
