#include "commands/destructive.hpp"
#include "commands/destructive_steps.hpp"

#include <pwd.h>
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <fmt/format.h>
#include <algorithm>
#include <cctype>
#include <optional>
#include <random>
#include <set>
#include <string_view>

#include "calendar.hpp"
#include "fleet.hpp"
#include "history.hpp"
#include "interrupt.hpp"
#include "local_store.hpp"
#include "ops/deleted_records.hpp"
#include "ops/panel_notes.hpp"
#include "ops/panel_phrase.hpp"
#include "ops/plan_json.hpp"
#include "ops/scope_fit.hpp"
#include "ops/write_result.hpp"
#include "shell_word.hpp"
#include "store/audit.hpp"
#include "store/snapshot.hpp"
#include "ui/display.hpp"
#include "ui/restore_view.hpp"
#include "ui/usage_view.hpp"
#include "util/exit_code.hpp"
#include "util/units.hpp"

namespace xuictl {
namespace {

// The inbound of `list` (an inbounds/list "obj" array) whose id is `id`.
const rapidjson::Value* inbound_in(const rapidjson::Value& list, int id) {
    for (const auto& ib : list.GetArray()) {
        if (ib.IsObject() && ib.HasMember("id") && ib["id"].IsInt() && ib["id"].GetInt() == id) {
            return &ib;
        }
    }
    return nullptr;
}

// Each inbound of a purge's whole read (checked when it was read): the
// "obj" of inbounds/get/:id, or every one of inbounds/list's.
template <typename Each>
void for_each_inbound(const rapidjson::Document& read, Each&& each) {
    const rapidjson::Value& obj = read["obj"];
    if (!obj.IsArray()) {
        each(obj);
        return;
    }
    for (const auto& ib : obj.GetArray()) {
        if (ib.IsObject()) {
            each(ib);
        }
    }
}

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

}  // namespace

std::string new_operation_id(int64_t now_ms) {
    std::random_device rd;
    std::string stamp = format_utc(now_ms);  // 2026-11-25T02:18:36Z
    std::string compact;
    for (char c : stamp) {
        if (c != '-' && c != ':') {
            compact += c;
        }
    }
    // 24 random bits: concurrent runs in one second get different ids.
    return fmt::format("{}-{:06x}", compact, rd() & 0xFFFFFFu);
}

void show_plan(Context& ctx, const Plan& plan, std::ostream& err) {
    const UsageStyle style{ctx.raw_bytes(), plan.planned_at_ms, plan.rule};
    err << "Plan: " << display(describe(plan.operation)) << "\n";
    err << "  panel: " << display(ctx.panel_description()) << ", "
        << display(plan.capabilities.describe()) << "\n";
    if (!plan.inbounds.empty()) {
        Table t({{"INBOUND", true},
                 {"REMARK", false},
                 {"UP", true},
                 {"DOWN", true},
                 {"QUOTA", true},
                 {"CLIENTS", true},
                 {"ENABLED", false}});
        for (const auto& in : plan.inbounds) {
            t.add_row({std::to_string(in.id), in.remark, bytes_cell(in.up, style.raw_bytes),
                       bytes_cell(in.down, style.raw_bytes), quota_cell(in.total, style.raw_bytes),
                       std::to_string(in.client_count), in.enable ? "yes" : "no"});
        }
        t.render(err, Format::table);
    }
    if (plan.operation == Operation::restore_clients) {
        restore_table(plan, style.raw_bytes).render(err, Format::table);
    } else if (!plan.clients.empty()) {
        std::vector<ClientUsage> shown(
            plan.clients.begin(), plan.clients.begin() + static_cast<std::ptrdiff_t>(std::min(
                                                             plan.clients.size(), kPlanRowsShown)));
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
        err << "  "
            << ctx.paint(fmt::format("{} client(s) will be DELETED", plan.clients.size()), "1;31")
            << "\n";
    } else if (plan.operation == Operation::restore_deleted) {
        for (const auto& in : plan.inbounds_created) {
            err << fmt::format(
                "  inbound {} ({} port {}, tag {}, remark {}) will be CREATED again "
                "with {} client(s)\n",
                in.id, display(in.protocol), in.port, display(in.tag), display(in.remark),
                in.emails.size());
        }
        err << fmt::format("  {} deleted client(s) will be created again from snapshot {}\n",
                           plan.clients.size(), plan.restore_from);
    } else if (plan.operation == Operation::restore_clients) {
        err << fmt::format(
            "  {} client counter(s) will be set to the values of snapshot {} ({} used now, summed "
            "over them)\n",
            plan.clients.size(), plan.restore_from, format_bytes(total_used));
    } else if (!plan.inbounds.empty()) {
        err << fmt::format(
            "  {} inbound counter(s) will be set to 0 ({} used now, summed over them)\n",
            plan.inbounds.size(), format_bytes(total_used));
    } else {
        err << fmt::format(
            "  {} client counter(s) will be set to 0 ({} used now, summed over them)\n",
            plan.clients.size(), format_bytes(total_used));
    }
    for (const auto& note : plan.notes) {
        err << "  " << ctx.paint("note:", "33") << " " << display(note) << "\n";
    }
    err.flush();
}

int confirm(Context& ctx, const DestructiveOptions& o, const std::string& phrase,
            const std::string& where) {
    if (!o.confirm.empty()) {
        if (o.confirm == phrase) {
            return exit_code::success;
        }
        return ctx.report(make_error(
            ErrorKind::cancelled,
            fmt::format("--confirm '{}' does not match; aborted, nothing changed", o.confirm),
            fmt::format("this plan needs --confirm '{}'", phrase)));
    }
    if (o.yes) {
        return exit_code::success;
    }
    if (!ctx.env().terminal.can_prompt()) {
        return ctx.report(make_error(
            ErrorKind::cancelled, "refusing to change the panel without confirmation: no terminal",
            fmt::format("add --yes, or --confirm '{}', to run without a prompt", phrase)));
    }
    // The phrase may hold an email: shown escaped, compared exactly.
    auto answer = ctx.env().terminal.read_line(fmt::format(
        "Type \"{}\" to confirm on {} (anything else aborts): ", display(phrase), display(where)));
    if (!answer || *answer != phrase) {
        ctx.env().err << "aborted, nothing changed\n";
        return exit_code::not_confirmed;
    }
    return exit_code::success;
}

namespace {

// The read-only command that shows what a cut-short write changed.
std::string check_command(const Plan& plan) {
    if (!plan.email.empty()) {
        return "xuictl stats --client " + shell_word(plan.email);
    }
    if (!plan.inbounds.empty()) {
        return "xuictl inbound list";
    }
    if (plan.inbound_id) {
        return fmt::format("xuictl stats --inbound {}", *plan.inbound_id);
    }
    return "xuictl stats";
}

// One line for a failed write: whether the panel may have applied it, and
// how to check (DESIGN §5: one line of advice).
std::string write_failure_hint(const Error& e, const Plan& plan, const WriteProgress& progress,
                               const AuditEntry& entry) {
    const std::string check = check_command(plan);
    switch (e.kind) {
        case ErrorKind::partial:
            return fmt::format(
                "audit id {} lists the {} done and the {} not done; check with: {}; "
                "re-running the command does the rest (snapshot: {})",
                entry.id, progress.done.size(), progress.not_done.size(), check, entry.snapshot);
        case ErrorKind::api:
            return fmt::format(
                "the panel reported a failure, so it most likely applied nothing; "
                "check with: {} (snapshot: {})",
                check, entry.snapshot);
        case ErrorKind::network:
        case ErrorKind::timeout:
        case ErrorKind::http:
            // The request may have been handled even though no answer came back.
            return fmt::format(
                "the panel may have applied it anyway: check with: {} before "
                "retrying{} (snapshot: {})",
                check, e.kind == ErrorKind::timeout ? "; " + e.hint : "", entry.snapshot);
        default:
            return fmt::format("the panel did not apply it; check with: {} (snapshot: {})", check,
                               entry.snapshot);
    }
}

// Records and reports a write cut short by SIGINT/SIGTERM (exit 3: the
// operator took the confirmation back). Nothing is verified: the operator
// asked to stop, and the audit record says exactly what was sent.
template <typename Finish>
int report_interrupted(Context& ctx, int signal, const Plan& plan, const WriteProgress& progress,
                       const std::string& audit_id, Finish& finish) {
    const size_t total = progress.done.size() + progress.not_done.size();
    const std::string what =
        progress.not_done.empty()
            ? fmt::format(
                  "interrupted by {} after the write finished ({} of {} target(s) done); "
                  "not verified",
                  signal_name(signal), progress.done.size(), total)
            : fmt::format("interrupted by {}: {} of {} target(s) done, {} not sent",
                          signal_name(signal), progress.done.size(), total,
                          progress.not_done.size());
    finish("interrupted", what);
    return ctx.report(make_error(
        ErrorKind::cancelled, what,
        fmt::format("audit id {} lists what was done; check with: {}{}", audit_id,
                    check_command(plan),
                    progress.not_done.empty() ? "" : "; re-running the command does the rest")));
}

}  // namespace

std::string not_started_message(int signal) {
    return fmt::format("not started: interrupted by {}; nothing sent to this panel",
                       signal_name(signal));
}

std::string report_once_per_skip(Context& ctx, const AuditEntry& holder, Period period,
                                 const std::string& panel_url) {
    const std::string why =
        holder.status == "pending"
            ? fmt::format(
                  "skipped: `{}` is running on {} right now (audit id {}, started {}); "
                  "--once-per {} runs it once per cycle",
                  holder.command, panel_url, holder.id, format_local(holder.time_ms),
                  to_string(period))
            : fmt::format(
                  "skipped: `{}` already succeeded on {} this {} (audit id {}, {}); "
                  "--once-per {} runs it once per cycle",
                  holder.command, panel_url, to_string(period), holder.id,
                  format_local(holder.time_ms), to_string(period));
    ctx.note(why);
    return why;
}

void add_destructive_options(CLI::App& cmd, DestructiveOptions& o) {
    cmd.add_flag("-y,--yes", o.yes,
                 "Do not ask for the confirmation phrase (for scripts and cron)");
    cmd.add_option("--confirm", o.confirm, "Confirm with this exact phrase instead of a prompt")
        ->type_name("PHRASE");
    cmd.add_flag("--dry-run", o.dry_run, "Show the plan and stop; nothing is written");
    cmd.add_option("--once-per", o.once_per,
                   "Skip (exit 0) if this command already succeeded on this panel in the current "
                   "local day, week (from Monday) or month, per the audit records")
        ->type_name("PERIOD")
        ->check(CLI::IsMember({"day", "week", "month"}));
    cmd.add_flag("--skip-unreachable", o.skip_unreachable,
                 "Several panels: leave a panel that cannot be reached out of the plan (shown "
                 "as skipped) instead of stopping before any write");
}

PanelPlan prepare_panel(Context& ctx, const DestructiveOptions& o, const PlanBuilder& build,
                        const PlanCheck& check) {
    PanelPlan p;
    auto panel = ctx.panel();
    if (!panel) {
        p.error = panel.error();
        return p;
    }
    p.api = panel.value();
    PanelApi& api = *p.api;
    auto caps = api.capabilities();
    if (!caps) {
        p.error = caps.error();
        return p;
    }
    p.caps = *caps;
    auto before = api.list_inbounds();
    if (!before) {
        p.error = before.error();
        return p;
    }
    p.before = std::move(*before);
    auto plan = build(p.before, p.caps, ctx.clock().now_ms());
    if (!plan) {
        p.error = plan.error();
        return p;
    }
    p.plan = std::move(*plan);
    name_panel_in_phrase(*p.plan, ctx.panel_label());
    add_panel_notes(*p.plan, p.before);
    // A node that a master manages: the plan warns (panel_role.hpp). Nothing
    // its token's scope may refuse is sent to find out.
    auto role = detect_node_role(api.session(), p.caps, api.token_scope(), ctx.clock().now_ms());
    if (!role) {
        p.error = role.error();
        return p;
    }
    if (*role) {
        note_managed_node(*p.plan, **role);
    }
    // The token's known scope (api.token_scope()) decides the routes before
    // anything is shown: a write it forbids is refused now (exit 4, the
    // panel's words), one an allowed route does the same way says so.
    ScopeFit fit;
    if (const auto scope = api.token_scope()) {
        fit = fit_to_scope(*p.plan, *scope);
        if (!fit.note.empty()) {
            p.plan->notes.push_back(fit.note);
        }
    }
    p.panel_url = api.session().url().base_url();

    if (const auto period = parse_period(o.once_per)) {
        if (auto s = p.open_store(ctx); !s) {
            p.error = s.error();
            return p;
        }
        p.once = OncePerKey{to_string(*period), period_start_ms(*period, ctx.clock().now_ms())};
        // A first look, so a skipped run shows no plan; begin_operation
        // decides again atomically with the record.
        auto done = p.store->last_ok(p.panel_url, p.plan->command, p.once->cycle_start_ms);
        if (!done) {
            p.error = done.error();
            return p;
        }
        if (*done) {
            p.once_holder = **done;
            return p;
        }
    }
    if (!fit.refused.empty()) {
        p.error = api.scope_refusal(fit.refused);
        return p;
    }
    // A target no route can carry is refused now, before anything is recorded.
    if (auto s = check_addressable(*p.plan); !s) {
        p.error = s.error();
        return p;
    }
    if (check) {
        if (auto s = check(api, p.before); !s) {
            p.error = s.error();
            return p;
        }
    }
    p.plan_json = plan_to_json(*p.plan);
    return p;
}

Status PanelPlan::open_store(Context& ctx) {
    if (store) {
        return ok_status();
    }
    auto opened = open_local_store(ctx);
    if (!opened) {
        return opened.error();
    }
    store = std::move(opened.value());
    return ok_status();
}

WriteResult execute_panel(Context& ctx, const DestructiveOptions& o, const PlanBuilder& build,
                          const PlanWriter& write, PanelPlan& p, const ExecuteOptions& x) {
    PanelApi& api = *p.api;
    const Plan* plan = &*p.plan;
    const std::string& panel_url = p.panel_url;
    const std::string& plan_json = p.plan_json;
    const auto& caps = &p.caps;
    const auto& before = &p.before;
    const std::optional<OncePerKey>& once = p.once;
    std::unique_ptr<Store>& store = p.store;
    WriteResult result;
    result.panel = panel_url;
    result.command = plan->command;
    auto conclude = [&](std::string status, int code, std::string message = {}) {
        result.status = std::move(status);
        result.exit_code = code;
        result.message = std::move(message);
        return result;
    };
    auto fail = [&](const Error& e, const char* status = "failed") {
        return conclude(status, ctx.report(e), e.message);
    };
    auto open_store_once = [&] { return p.open_store(ctx); };

    // A store that cannot be opened stops the run before any more requests.
    if (auto s = open_store_once(); !s) {
        Error e = s.error();
        e.message = "nothing was sent to the panel: " + e.message;
        return fail(e);
    }

    // A predicate route picks its own targets when the write arrives: read
    // again right before it and refuse if they are no longer the plan's.
    std::optional<std::vector<Inbound>> latest;
    if (plan->reread_before_write) {
        auto again = api.list_inbounds();
        if (!again) {
            return fail(again.error());
        }
        auto replanned = build(*again, *caps, ctx.clock().now_ms());
        if (!replanned) {
            return fail(replanned.error());
        }
        const auto drift = plan_drift(*plan, *replanned);
        if (!drift.empty()) {
            auto& err = ctx.env().err;
            const std::string what = fmt::format(
                "the panel changed between the plan and the write ({} difference(s)); this "
                "panel's route acts on whoever matches when it arrives, so nothing was sent",
                drift.size());
            err << "xuictl: error: " << what << ":\n";
            for (const auto& d : drift) {
                err << "  " << display(d) << "\n";
            }
            err << "hint: run the command again to see and confirm the new plan\n";
            return conclude("not_applied", exit_code::failure, what);
        }
        latest = std::move(*again);
    }

    // What a deletion removes is kept whole, so `clients restore` can create
    // it again: each client object as the panel returns it and, on classic,
    // each inbound the purge deletes. A purge of one inbound reads that
    // inbound (inbounds/get/:id); a purge of all reads the whole list once
    // (one request, not one per inbound that has a depleted client).
    DeletedRecords deleted;
    std::vector<rapidjson::Document> read_whole;  // kept: a predicate route may delete more
    if (plan->operation == Operation::purge_all || plan->operation == Operation::purge_inbound) {
        const std::vector<int> ids = inbounds_to_collect(*plan);
        auto keep = [&](const rapidjson::Value& inbound) {
            return collect_deleted(inbound, *plan, latest.value_or(*before), deleted);
        };
        auto holds_none = [&](int id) {
            return fail(make_error(
                ErrorKind::api,
                fmt::format("the panel's answer for inbound {} holds no inbound; nothing was "
                            "changed",
                            id)));
        };
        if (plan->operation == Operation::purge_all && !ids.empty()) {
            auto list = api.get_inbounds();
            if (!list) {
                return fail(list.error());
            }
            read_whole.push_back(std::move(list.value()));
            const rapidjson::Document& doc = read_whole.back();
            if (!doc.IsObject() || !doc.HasMember("obj") || !doc["obj"].IsArray()) {
                return holds_none(ids.front());
            }
            for (int id : ids) {
                const rapidjson::Value* found = inbound_in(doc["obj"], id);
                if (found == nullptr) {
                    return holds_none(id);
                }
                if (auto s = keep(*found); !s) {
                    return fail(s.error());
                }
            }
        }
        if (plan->operation == Operation::purge_inbound) {
            for (int id : ids) {
                auto inbound = api.get_inbound(id);
                if (!inbound) {
                    return fail(inbound.error());
                }
                read_whole.push_back(std::move(inbound.value()));
                const rapidjson::Document& doc = read_whole.back();
                if (!doc.IsObject() || !doc.HasMember("obj") || !doc["obj"].IsObject()) {
                    return holds_none(id);
                }
                if (auto s = keep(doc["obj"]); !s) {
                    return fail(s.error());
                }
            }
        }
    }

    // The plan read is a usage-history sample (app/history.hpp), so the
    // next collect tells this reset from the panel's and loses nothing
    // moved before it. History is not what guards the write: a failure is
    // a warning.
    if (auto s = record_history_sample(ctx, api, plan->planned_at_ms,
                                       readings_of(client_usage(*before)));
        !s) {
        ctx.warn("usage history: " + s.error().message);
    }

    // Step 4: record before writing (committed and on disk, with the
    // snapshot and the --once-per key, in one transaction). If this fails,
    // the panel is not touched.
    AuditEntry entry;
    entry.time_ms = ctx.clock().now_ms();
    entry.id = new_operation_id(entry.time_ms);
    entry.user = local_user(ctx.env());
    entry.host = local_host();
    entry.panel = panel_url;
    entry.profile = ctx.resolve() ? ctx.resolve()->profile : "";
    // The user this run logged in as; "" with an API token. Never a secret.
    entry.panel_user = ctx.identity().user;
    entry.command = plan->command;
    // --insecure, or a profile's `insecure = true` (resolved when connecting).
    entry.insecure = ctx.resolve() ? ctx.resolve()->insecure : ctx.global().insecure;
    entry.plan_json = plan_json;
    entry.snapshot = entry.id;
    entry.fleet_id = x.fleet_id;
    if (x.interrupt != nullptr && x.interrupt->interrupted()) {
        // Ctrl-C during this panel's reads: it has not started (no record,
        // no write), like the panels after it.
        return conclude("not_started", exit_code::not_confirmed,
                        not_started_message(x.interrupt->caught()));
    }
    auto begun = [&]() -> Result<BeginResult> {
        if (auto s = open_store_once(); !s) {
            return s.error();
        }
        return store->begin_operation(entry, snapshot_to_json(entry, deleted), once);
    }();
    if (!begun) {
        Error e = begun.error();
        e.message = "nothing was sent to the panel: " + e.message;
        return fail(e);
    }
    if (!begun->recorded) {
        return conclude(
            "skipped", exit_code::success,
            report_once_per_skip(ctx, *begun->holder, *parse_period(o.once_per), panel_url));
    }
    result.id = entry.id;

    // Step 5: write, then re-read and verify. From here Ctrl-C and SIGTERM
    // stop a multi-request write between two requests instead of killing
    // xuictl mid-way, and the outcome is recorded either way.
    std::optional<InterruptGuard> own_guard;
    const InterruptGuard& interrupt = x.interrupt != nullptr ? *x.interrupt : own_guard.emplace();
    WriteProgress progress;
    bool cut_short = false;  // the signal stopped the write before a request
    progress.stop_requested = [&interrupt, &cut_short] {
        cut_short = cut_short || interrupt.interrupted();
        return cut_short;
    };
    auto finish = [&](std::string status, std::string error_text) {
        entry.status = std::move(status);
        entry.error = std::move(error_text);
        entry.done = progress.done;
        entry.not_done = progress.not_done;
        entry.finished_ms = ctx.clock().now_ms();
        result.done = progress.done;
        result.not_done = progress.not_done;
        if (auto s = store->finish_operation(entry); !s) {
            ctx.warn(
                fmt::format("could not record the outcome of {}: {}", entry.id, s.error().message));
        }
    };
    api.track_progress(&progress);
    cut_short = interrupt.interrupted();
    Status written =
        cut_short ? Status(make_error(ErrorKind::cancelled, "nothing sent")) : write(api, *plan);
    api.track_progress(nullptr);
    if (progress.done.empty() && progress.not_done.empty()) {
        // One request (or none) did it all: every target shares its fate.
        (written ? progress.done : progress.not_done) = plan->targets();
    }
    if (interrupt.interrupted() && (cut_short || x.interrupt == nullptr)) {
        const int code =
            report_interrupted(ctx, interrupt.caught(), *plan, progress, entry.id, finish);
        return conclude("interrupted", code, entry.error);
    }
    if (!written) {
        // A scope refusal of this write: the next run knows (session cache).
        api.learn_scope_from(written.error());
    }
    if (!written && !written.error().answer_lost) {
        // A clear refusal: the panel said what it did not do.
        const bool partial = written.error().kind == ErrorKind::partial;
        finish(partial ? "partial" : "failed", written.error().message);
        Error e = written.error();
        e.hint = write_failure_hint(e, *plan, progress, entry);
        return fail(e, partial ? "partial" : "failed");
    }
    // Re-read: to verify a write that was answered, and to find out what a
    // write without a clear answer really did (it is never sent again).
    auto after = api.list_inbounds();
    if (!after) {
        if (!written) {
            finish("failed",
                   written.error().message + "; re-reading failed too: " + after.error().message);
            Error e = written.error();
            e.message = fmt::format(
                "no clear answer to the write ({}), and re-reading the panel "
                "failed: {}; whether it was applied is unknown",
                e.message, after.error().message);
            e.hint = fmt::format("check with: {} (snapshot: {}); do not simply re-run it",
                                 check_command(*plan), entry.snapshot);
            return fail(e);
        }
        finish("unverified", after.error().message);
        Error e = after.error();
        e.message = "the write was accepted but re-reading to verify failed: " + e.message;
        e.hint = "check with: xuictl stats";
        return fail(e, "unverified");
    }
    Verification verification = verify(*plan, *after);
    if (!written) {
        // What the panel really did, target by target.
        result.answer_lost = true;
        const Error& lost = written.error();
        const std::set<std::string> failed(verification.failed.begin(), verification.failed.end());
        progress.done.clear();
        progress.not_done.clear();
        for (const auto& t : plan->targets()) {
            (failed.count(t) > 0 ? progress.not_done : progress.done).push_back(t);
        }
        if (progress.done.empty()) {
            finish("not_applied", lost.message);
            result.verification = verification.mismatches;
            Error e = lost;
            e.kind = e.kind == ErrorKind::partial ? ErrorKind::api : e.kind;
            e.message = fmt::format(
                "not applied: the write got no clear answer ({}), and "
                "re-reading shows nothing changed",
                lost.message);
            e.hint =
                lost.kind == ErrorKind::timeout
                    ? fmt::format(
                          "the request timed out, so the panel may still apply it; "
                          "nothing was sent again; check with: {} before running "
                          "xuictl {} again",
                          check_command(*plan), plan->command)
                    : fmt::format("nothing was sent again; check with: {}, then run: xuictl {}",
                                  check_command(*plan), plan->command);
            return fail(e, "not_applied");
        }
        if (!progress.not_done.empty()) {
            finish("partial", lost.message);
            result.verification = verification.mismatches;
            Error e = lost;
            e.kind = ErrorKind::partial;
            e.message = fmt::format(
                "partly applied: {} of {} target(s) done, {} not done (the "
                "write got no clear answer: {})",
                progress.done.size(), progress.done.size() + progress.not_done.size(),
                progress.not_done.size(), lost.message);
            e.hint = fmt::format(
                "audit id {} lists both; nothing was sent again; run xuictl {} "
                "for the rest (snapshot: {})",
                entry.id, plan->command, entry.snapshot);
            return fail(e, "partial");
        }
        ctx.warn(
            fmt::format("the panel's answer to the write was lost ({}), but re-reading "
                        "shows it was applied",
                        lost.message));
    }
    std::string restorable;  // a hint line, when unplanned deletions can be undone
    if (plan->operation == Operation::purge_all || plan->operation == Operation::purge_inbound) {
        // Anything else the write deleted is an error naming each record;
        // those the inbounds read for the snapshot held go into it, so the
        // same `clients restore` brings them back.
        std::vector<std::string> extra_emails;
        for (auto& extra :
             unplanned_deletions(*plan, latest.value_or(*before), *after, &extra_emails)) {
            verification.mismatches.push_back(std::move(extra));
        }
        size_t kept = 0;
        for (const auto& read : read_whole) {
            for_each_inbound(read, [&](const rapidjson::Value& inbound) {
                kept += collect_unplanned(inbound, extra_emails, latest.value_or(*before), deleted)
                            .size();
            });
        }
        if (kept > 0) {
            if (auto s = store->replace_snapshot(entry, snapshot_to_json(entry, deleted)); !s) {
                ctx.warn("could not add the unplanned deletions to the snapshot: " +
                         s.error().message);
            } else {
                restorable = ctx.advice(fmt::format(
                    "hint: {} of the {} unplanned deletion(s) are kept in the snapshot: xuictl "
                    "clients restore {} brings them back\n",
                    kept, extra_emails.size(), entry.id));
            }
        }
    }
    if (latest && (plan->operation == Operation::reset_inbound_clients ||
                   plan->operation == Operation::reset_all_clients)) {
        // The predicate reset may have reached clients added after the
        // re-read: each is an error line (their counters before are unknown).
        for (auto& extra : unplanned_resets(*plan, *latest, *after)) {
            verification.mismatches.push_back(std::move(extra));
        }
    }
    result.verification = verification.mismatches;
    if (!verification.ok()) {
        entry.mismatches = verification.mismatches;
        finish("verify_failed", "the panel acknowledged the write but the re-read disagrees");
        auto& err = ctx.env().err;
        err << "xuictl: error: the panel acknowledged the change, but verification failed for "
            << verification.mismatches.size() << " target(s):\n";
        for (const auto& m : verification.mismatches) {
            err << "  " << display(m) << "\n";
        }
        const bool purge =
            plan->operation == Operation::purge_all || plan->operation == Operation::purge_inbound;
        err << restorable;
        err << ctx.advice(purge ? "hint: `xuictl clients restore " + entry.id +
                                      "` creates the planned clients again; the snapshot: "
                                : "hint: the panel's traffic flush can undo resets; re-run, and "
                                  "compare with the snapshot ")
            << entry.snapshot << "\n";
        return conclude(
            "verify_failed", exit_code::failure,
            fmt::format("verification failed for {} target(s)", verification.mismatches.size()));
    }
    finish("ok",
           written ? std::string() : "applied; the answer was lost: " + written.error().message);
    const size_t count = plan->inbounds.empty() ? plan->clients.size() : plan->inbounds.size();
    const bool purge =
        plan->operation == Operation::purge_all || plan->operation == Operation::purge_inbound;
    ctx.env().err << fmt::format(
        "done: {} ({} target(s)), verified; audit id {}{}\n", display(plan->command), count,
        entry.id, purge ? ctx.advice("; undo with: xuictl clients restore " + entry.id) : "");
    return conclude("ok", exit_code::success);
}

int run_destructive(Context& ctx, const DestructiveOptions& o, const PlanBuilder& build,
                    const PlanWriter& write, const PlanCheck& check) {
    if (wants_fleet(ctx.global())) {
        return run_fleet_destructive(ctx, o, build, write, check);
    }
    PanelPlan p = prepare_panel(ctx, o, build, check);
    if (p.error && !p.plan) {
        return ctx.report(*p.error);  // nothing planned: no result object
    }
    // From here every way out ends with the result object (-o json), so a
    // script reads the outcome from stdout and never from stderr.
    auto print = [&](const WriteResult& result) {
        if (ctx.format() == Format::json) {
            ctx.env().out << result_to_json(result) << "\n";
            ctx.env().out.flush();
        }
        return result.exit_code;
    };
    auto conclude = [&](std::string status, int code, std::string message = {}) {
        WriteResult result;
        result.panel = p.panel_url.empty() ? p.api->session().url().base_url() : p.panel_url;
        result.command = p.plan->command;
        result.status = std::move(status);
        result.exit_code = code;
        result.message = std::move(message);
        return print(result);
    };
    if (p.error) {
        return conclude("failed", ctx.report(*p.error), p.error->message);
    }
    if (p.once_holder) {
        return conclude(
            "skipped", exit_code::success,
            report_once_per_skip(ctx, *p.once_holder, *parse_period(o.once_per), p.panel_url));
    }
    const Plan& plan = *p.plan;

    // Step 2: show. Data (the plan as JSON) on stdout, the table on stderr.
    show_plan(ctx, plan, ctx.env().err);
    if (ctx.format() == Format::json) {
        ctx.env().out << p.plan_json << "\n";
        ctx.env().out.flush();
    }
    if (o.dry_run) {
        ctx.env().err << "dry run: nothing changed\n";
        return conclude("skipped", exit_code::success, "dry run: nothing changed");
    }
    if (plan.empty()) {
        ctx.env().err << "nothing to do: the plan is empty\n";
        return conclude("skipped", exit_code::success, "nothing to do: the plan is empty");
    }
    if (int code = confirm(ctx, o, plan.phrase, ctx.panel_description());
        code != exit_code::success) {
        return conclude("declined", code, "not confirmed; nothing changed");
    }
    return print(execute_panel(ctx, o, build, write, p, {}));
}

}  // namespace xuictl
