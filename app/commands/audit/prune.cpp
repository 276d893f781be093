// xuictl audit prune --before DATE [--yes] — remove old audit records and
// their snapshots from the local store (local data only, no panel access).
#include <CLI/CLI.hpp>

#include <fmt/format.h>
#include <memory>
#include <ostream>

#include "calendar.hpp"
#include "commands/command.hpp"
#include "local_store.hpp"
#include "ui/json_out.hpp"
#include "util/exit_code.hpp"

namespace xuictl {
namespace {

struct AuditPruneOptions {
    std::string before;
    bool yes = false;
};

void print_result(Context& ctx, const PruneResult& r, bool done) {
    if (ctx.format() != Format::json) {
        return;
    }
    JsonWriter w(ctx.env().out, ctx.pretty_json());
    w.StartObject();
    write_key(w, "operations");
    w.Uint64(r.operations);
    write_key(w, "snapshots");
    w.Uint64(r.snapshots);
    write_key(w, "pruned");
    w.Bool(done);
    w.EndObject();
    w.finish();
}

int run_audit_prune(Context& ctx, const AuditPruneOptions& o) {
    auto before = parse_date_arg(o.before);
    if (!before) {
        return ctx.report(before.error());
    }
    const std::string when = format_local(*before);
    auto store = open_local_store_if_any(ctx);
    if (!store) {
        return ctx.report(store.error());
    }
    PruneResult counted;
    if (*store) {
        auto c = (*store)->count_prunable(*before);
        if (!c) {
            return ctx.report(c.error());
        }
        counted = *c;
    }
    if (counted.operations == 0 && counted.snapshots == 0) {
        ctx.env().err << fmt::format("nothing to prune: no audit record before {}\n", when);
        print_result(ctx, counted, false);
        return exit_code::success;
    }
    auto& err = ctx.env().err;
    err << fmt::format(
        "Plan: remove {} audit record(s) and {} snapshot(s) recorded before {} from {}\n",
        counted.operations, counted.snapshots, when, (*store)->location());
    err << "  their snapshots can no longer be restored (`xuictl traffic restore`)\n";
    err.flush();
    if (!o.yes) {
        const std::string phrase = fmt::format("prune {}", counted.operations);
        if (!ctx.env().terminal.can_prompt()) {
            return ctx.report(make_error(ErrorKind::cancelled,
                                         "refusing to remove audit records without confirmation: "
                                         "no terminal",
                                         "add --yes to run without a prompt"));
        }
        auto answer = ctx.env().terminal.read_line(
            fmt::format("Type \"{}\" to confirm (anything else aborts): ", phrase));
        if (!answer || *answer != phrase) {
            err << "aborted, nothing removed\n";
            return exit_code::not_confirmed;
        }
    }
    auto pruned = (*store)->prune(*before);
    if (!pruned) {
        return ctx.report(pruned.error());
    }
    err << fmt::format("pruned {} audit record(s) and {} snapshot(s) recorded before {}\n",
                       pruned->operations, pruned->snapshots, when);
    print_result(ctx, *pruned, true);
    return exit_code::success;
}

}  // namespace

CLI::App* register_audit_prune(CLI::App& audit, Dispatch& dispatch) {
    auto o = std::make_shared<AuditPruneOptions>();
    auto* cmd = audit.add_subcommand(
        "prune", "Remove audit records (and their snapshots) recorded before a date");
    cmd->add_option("--before", o->before,
                    "Remove what was recorded before DATE: YYYY-MM-DD (local midnight) or ISO 8601")
        ->required()
        ->type_name("DATE");
    cmd->add_flag("-y,--yes", o->yes, "Do not ask for confirmation (for scripts and cron)");
    cmd->footer(
        "Local data only (no panel access). Shows how many records and snapshots go, then asks\n"
        "for the phrase \"prune N\" on a terminal; without one it refuses (exit 3) unless --yes.\n"
        "Pending records older than DATE go too. -o json prints the counts.");
    cmd->callback(
        [&dispatch, o] { dispatch.selected = [o](Context& c) { return run_audit_prune(c, *o); }; });
    return cmd;
}

}  // namespace xuictl
