#include "commands/destructive.hpp"

#include <CLI/CLI.hpp>
#include <pwd.h>
#include <unistd.h>

#include <fmt/format.h>
#include <random>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "ops/plan_json.hpp"
#include "paths.hpp"
#include "store/audit.hpp"
#include "store/files.hpp"
#include "ui/usage_view.hpp"
#include "util/exit_code.hpp"
#include "util/units.hpp"

namespace xuictl {
namespace {

constexpr size_t kPlanRowsShown = 25;

std::string local_user(Env& env) {
    if (auto u = env.getenv("USER"); u && !u->empty()) {
        return *u;
    }
    if (const passwd* pw = ::getpwuid(::getuid()); pw != nullptr) {
        return pw->pw_name;
    }
    return std::to_string(::getuid());
}

std::string local_host() {
    char name[256] = {0};
    if (::gethostname(name, sizeof name - 1) != 0) {
        return "unknown";
    }
    return name;
}

std::string new_operation_id(int64_t now_ms) {
    std::random_device rd;
    std::string stamp = format_utc(now_ms);  // 2026-11-25T02:18:36Z
    std::string compact;
    for (char c : stamp) {
        if (c != '-' && c != ':') {
            compact += c;
        }
    }
    return fmt::format("{}-{:04x}", compact, rd() & 0xFFFFu);
}

void show_plan(Context& ctx, const Plan& plan) {
    auto& err = ctx.env().err;
    const UsageStyle style{ctx.raw_bytes(), plan.planned_at_ms, plan.rule};
    err << "Plan: " << describe(plan.operation) << "\n";
    err << "  panel: " << plan.capabilities.describe() << "\n";
    if (!plan.inbounds.empty()) {
        Table t({{"INBOUND", true}, {"REMARK", false}, {"UP", true}, {"DOWN", true},
                 {"QUOTA", true}, {"CLIENTS", true}, {"ENABLED", false}});
        for (const auto& in : plan.inbounds) {
            t.add_row({std::to_string(in.id), in.remark, bytes_cell(in.up, style.raw_bytes),
                       bytes_cell(in.down, style.raw_bytes), quota_cell(in.total, style.raw_bytes),
                       std::to_string(in.client_count), in.enable ? "yes" : "no"});
        }
        t.render(err, Format::table);
    }
    if (!plan.clients.empty()) {
        std::vector<ClientUsage> shown(
            plan.clients.begin(),
            plan.clients.begin() + static_cast<std::ptrdiff_t>(std::min(plan.clients.size(), kPlanRowsShown)));
        client_table(shown, style).render(err, Format::table);
        if (plan.clients.size() > kPlanRowsShown) {
            err << fmt::format("  ... and {} more clients (-o json lists all)\n",
                               plan.clients.size() - kPlanRowsShown);
        }
    }
    int64_t total_used = 0;
    for (const auto& c : plan.clients) {
        total_used += c.used();
    }
    for (const auto& in : plan.inbounds) {
        total_used += in.up + in.down;
    }
    if (plan.operation == Operation::purge_all || plan.operation == Operation::purge_inbound) {
        err << fmt::format("  {} client(s) will be DELETED\n", plan.clients.size());
    } else if (!plan.inbounds.empty()) {
        err << fmt::format("  {} inbound counter(s) will be set to 0 ({} now)\n",
                           plan.inbounds.size(), format_bytes(total_used));
    } else {
        err << fmt::format("  {} client counter(s) will be set to 0 ({} now)\n",
                           plan.clients.size(), format_bytes(total_used));
    }
    for (const auto& note : plan.notes) {
        err << "  note: " << note << "\n";
    }
    err.flush();
}

// Step 3. Returns success, or the exit code of a refusal (already reported).
int confirm(Context& ctx, const DestructiveOptions& o, const Plan& plan) {
    if (!o.confirm.empty()) {
        if (o.confirm == plan.phrase) {
            return exit_code::success;
        }
        return ctx.report(make_error(
            ErrorKind::cancelled,
            fmt::format("--confirm '{}' does not match; aborted, nothing changed", o.confirm),
            fmt::format("this plan needs --confirm '{}'", plan.phrase)));
    }
    if (o.yes) {
        return exit_code::success;
    }
    if (!ctx.env().terminal.can_prompt()) {
        return ctx.report(make_error(
            ErrorKind::cancelled, "refusing to change the panel without confirmation: no terminal",
            fmt::format("add --yes, or --confirm '{}', to run without a prompt", plan.phrase)));
    }
    auto answer = ctx.env().terminal.read_line(
        fmt::format("Type \"{}\" to confirm (anything else aborts): ", plan.phrase));
    if (!answer || *answer != plan.phrase) {
        ctx.env().err << "aborted, nothing changed\n";
        return exit_code::not_confirmed;
    }
    return exit_code::success;
}

// The snapshot: what a later `traffic restore` needs to put counters back.
std::string snapshot_json(const AuditEntry& entry) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
    w.StartObject();
    w.Key("id");
    w.String(entry.id.c_str());
    w.Key("panel");
    w.String(entry.panel.c_str());
    w.Key("taken_at_ms");
    w.Int64(entry.time_ms);
    w.Key("command");
    w.String(entry.command.c_str());
    w.Key("plan");
    w.RawValue(entry.plan_json.c_str(), entry.plan_json.size(), rapidjson::kObjectType);
    w.EndObject();
    return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

}  // namespace

void add_destructive_options(CLI::App& cmd, DestructiveOptions& o) {
    cmd.add_flag("-y,--yes", o.yes, "Do not ask for the confirmation phrase (for scripts and cron)");
    cmd.add_option("--confirm", o.confirm, "Confirm with this exact phrase instead of a prompt")
        ->type_name("PHRASE");
    cmd.add_flag("--dry-run", o.dry_run, "Show the plan and stop; nothing is written");
}

int run_destructive(Context& ctx, const DestructiveOptions& o, const PlanBuilder& build,
                    const PlanWriter& write) {
    auto panel = ctx.panel();
    if (!panel) {
        return ctx.report(panel.error());
    }
    PanelApi& api = *panel.value();
    auto caps = api.capabilities();
    if (!caps) {
        return ctx.report(caps.error());
    }
    auto before = api.list_inbounds();
    if (!before) {
        return ctx.report(before.error());
    }
    auto plan = build(*before, *caps, ctx.clock().now_ms());
    if (!plan) {
        return ctx.report(plan.error());
    }
    const std::string plan_json = plan_to_json(*plan);

    // Step 2: show. Data (the plan as JSON) on stdout, the table on stderr.
    show_plan(ctx, *plan);
    if (ctx.format() == Format::json) {
        ctx.env().out << plan_json << "\n";
        ctx.env().out.flush();
    }
    if (o.dry_run) {
        ctx.env().err << "dry run: nothing changed\n";
        return exit_code::success;
    }
    if (plan->empty()) {
        ctx.env().err << "nothing to do: the plan is empty\n";
        return exit_code::success;
    }
    if (int code = confirm(ctx, o, *plan); code != exit_code::success) {
        return code;
    }

    // Step 4: record before writing. If this fails, the panel is not touched.
    auto dir = state_dir(ctx.env());
    if (!dir) {
        return ctx.report(dir.error());
    }
    const std::string snapshots = path_join(*dir, "snapshots");
    if (auto s = ensure_private_dir(snapshots); !s) {
        return ctx.report(s.error());
    }
    AuditEntry entry;
    entry.time_ms = ctx.clock().now_ms();
    entry.id = new_operation_id(entry.time_ms);
    entry.user = local_user(ctx.env());
    entry.host = local_host();
    entry.panel = api.session().url().base_url();
    entry.command = plan->command;
    entry.insecure = ctx.global().insecure;
    entry.plan_json = plan_json;
    entry.snapshot = path_join(snapshots, entry.id + ".json");
    const std::string snapshot_body = snapshot_json(entry);
    if (auto s = write_file_atomic(entry.snapshot, snapshot_body); !s) {
        return ctx.report(s.error());
    }
    AuditLog audit(path_join(*dir, "audit.jsonl"));
    if (auto s = audit.append(entry); !s) {
        return ctx.report(s.error());
    }

    // Step 5: write, then re-read and verify.
    auto finish = [&](std::string status, std::string error_text) {
        entry.status = std::move(status);
        entry.error = std::move(error_text);
        entry.finished_ms = ctx.clock().now_ms();
        if (auto s = audit.complete(entry); !s) {
            ctx.warn(fmt::format("could not record the outcome in {}: {}", audit.path(),
                                 s.error().message));
        }
    };
    auto written = write(api, *plan);
    if (!written) {
        const bool partial = written.error().kind == ErrorKind::partial;
        finish(partial ? "partial" : "failed", written.error().message);
        Error e = written.error();
        e.hint = fmt::format(
            "the panel may have applied part of it; check with: xuictl stats{} "
            "(snapshot: {})",
            plan->email.empty() ? "" : " --client " + plan->email, entry.snapshot);
        return ctx.report(e);
    }
    auto after = api.list_inbounds();
    if (!after) {
        finish("unverified", after.error().message);
        Error e = after.error();
        e.message = "the write was accepted but re-reading to verify failed: " + e.message;
        e.hint = "check with: xuictl stats";
        return ctx.report(e);
    }
    const Verification verification = verify(*plan, *after);
    if (!verification.ok()) {
        entry.mismatches = verification.mismatches;
        finish("verify_failed", "the panel acknowledged the write but the re-read disagrees");
        auto& err = ctx.env().err;
        err << "xuictl: error: the panel acknowledged the change, but verification failed for "
            << verification.mismatches.size() << " target(s):\n";
        for (const auto& m : verification.mismatches) {
            err << "  " << m << "\n";
        }
        err << "hint: the panel's traffic flush can undo resets; re-run, and compare with the "
               "snapshot "
            << entry.snapshot << "\n";
        return exit_code::failure;
    }
    finish("ok", "");
    const size_t count = plan->inbounds.empty() ? plan->clients.size() : plan->inbounds.size();
    ctx.env().err << fmt::format("done: {} ({} target(s)), verified; audit id {}\n", plan->command,
                                 count, entry.id);
    return exit_code::success;
}

}  // namespace xuictl
