// A destructive command over several panels (DESIGN §9, issue 18): every
// panel read and planned first, one combined plan and one phrase, then per
// panel at once: record (one audit record each, linked by the fleet id),
// write, verify; a result per panel and one exit code.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <ostream>
#include <string>
#include <vector>

#include "commands/destructive_steps.hpp"
#include "fleet.hpp"
#include "fleet_nodes.hpp"
#include "ops/node_write.hpp"
#include "ops/panel_phrase.hpp"
#include "ui/display.hpp"
#include "ui/json_out.hpp"
#include "ui/table.hpp"
#include "util/exit_code.hpp"

namespace xuictl {
namespace {

using State = FleetProgress::State;

// A panel's place in the run, decided after its read.
enum class Part {
    write,    // planned, with targets
    empty,    // planned, nothing to do there
    skipped,  // --skip-unreachable, --once-per, or not on this panel
    failed,   // the read or plan failed: stops the run before any write
};

// What a panel that cannot be reached failed with (--skip-unreachable).
bool unreachable(const Error& e) {
    return e.kind == ErrorKind::network || e.kind == ErrorKind::timeout ||
           e.kind == ErrorKind::tls || e.kind == ErrorKind::http;
}

struct PanelRun {
    Part part = Part::failed;
    std::string message;  // why skipped / failed
    WriteResult result;
};

// Opens panel i's object in a fleet JSON array: {"panel": NAME, ...
void start_panel_object(JsonWriter& w, Fleet& fleet, size_t i) {
    w.StartObject();
    write_key(w, "panel");
    write_string(w, fleet.name(i));
}

// {"panels": [{"panel": NAME, "status": planned|empty|skipped|failed,
// "message", "plan": {...}}], "phrase"}: the combined plan, one line.
void write_fleet_plan_json(std::ostream& out, bool pretty, Fleet& fleet, const FleetNodes& nodes,
                           const std::vector<PanelPlan>& plans, const std::vector<PanelRun>& runs,
                           const std::string& phrase) {
    JsonWriter w(out, pretty);
    w.StartObject();
    write_key(w, "panels");
    w.StartArray();
    for (size_t i = 0; i < runs.size(); ++i) {
        start_panel_object(w, fleet, i);
        nodes.write_node_of(w, i);
        write_key(w, "status");
        const Part part = runs[i].part;
        write_string(w, part == Part::write     ? "planned"
                        : part == Part::empty   ? "empty"
                        : part == Part::skipped ? "skipped"
                                                : "failed");
        if (!runs[i].message.empty()) {
            write_key(w, "message");
            write_string(w, runs[i].message);
        }
        if (!plans[i].plan_json.empty()) {
            write_key(w, "plan");
            w.RawValue(plans[i].plan_json.data(), plans[i].plan_json.size(),
                       rapidjson::kObjectType);
        }
        w.EndObject();
    }
    w.EndArray();
    write_key(w, "phrase");
    write_string(w, phrase);
    w.EndObject();
    w.finish();
}

// {"fleet_id", "status", "panels": [{"panel": NAME, "result": {...}}],
// "exit_code"}: the outcome, the last line of -o json.
void write_fleet_result_json(std::ostream& out, bool pretty, Fleet& fleet,
                             const std::vector<PanelRun>& runs, const std::string& fleet_id,
                             const std::string& status, int code) {
    JsonWriter w(out, pretty);
    w.StartObject();
    write_key(w, "fleet_id");
    if (fleet_id.empty()) {
        w.Null();
    } else {
        write_string(w, fleet_id);
    }
    write_key(w, "status");
    write_string(w, status);
    write_key(w, "panels");
    w.StartArray();
    for (size_t i = 0; i < runs.size(); ++i) {
        start_panel_object(w, fleet, i);
        write_key(w, "result");
        const std::string r = result_to_json(runs[i].result);
        w.RawValue(r.data(), r.size(), rapidjson::kObjectType);
        w.EndObject();
    }
    w.EndArray();
    write_key(w, "exit_code");
    w.Int(code);
    w.EndObject();
    w.finish();
}

// The result of a panel that was not written: skipped, failed (its read),
// not_applied (another panel's read failed), declined, not_started.
WriteResult unwritten(const PanelPlan& p, std::string status, std::string message, int code) {
    WriteResult r;
    r.panel = p.panel_url;
    r.command = p.plan ? p.plan->command : "";
    r.status = std::move(status);
    r.message = std::move(message);
    r.exit_code = code;
    return r;
}

// Which planned panel is a node of which (link_fleet_nodes over the panels
// that were read and planned).
FleetNodes link_planned_nodes(Fleet& fleet, const std::vector<PanelPlan>& plans,
                              const std::vector<std::optional<std::vector<PanelNode>>>& lists) {
    std::vector<const std::vector<PanelNode>*> listed(plans.size(), nullptr);
    std::vector<bool> answered(plans.size(), false);
    for (size_t i = 0; i < plans.size(); ++i) {
        answered[i] = !plans[i].error;
        if (lists[i]) {
            listed[i] = &*lists[i];
        }
    }
    return link_fleet_nodes(fleet, listed, answered);
}

// A node whose master is in the fleet: skipped when the master's write
// reaches it (node_write), else written with a note saying why. Decided on
// the parts as planned, so a chain (a node of a node) follows its master's
// write down.
void skip_covered_nodes(Fleet& fleet, const FleetNodes& nodes, const std::vector<PanelPlan>& plans,
                        std::vector<PanelRun>& runs) {
    std::vector<Part> planned;
    for (const auto& r : runs) {
        planned.push_back(r.part);
    }
    for (size_t i = 0; i < runs.size(); ++i) {
        if (!nodes.is_node(i) || planned[i] != Part::write) {
            continue;
        }
        const size_t m = *nodes.master[i];
        const bool writes = planned[m] == Part::write;
        const PanelPlan& master = plans[m];
        const NodeWrite w =
            node_write(writes ? &*master.plan : nullptr,
                       writes && master.api != nullptr && master.api->resets_in_bulk(master.caps),
                       *plans[i].plan, fleet.name(m));
        runs[i].message = w.reason;
        if (w.skip) {
            runs[i].part = Part::skipped;
            runs[i].result = unwritten(plans[i], "skipped", w.reason, exit_code::success);
        }
    }
}

}  // namespace

int run_fleet_destructive(Context& ctx, const DestructiveOptions& o, const PlanBuilder& build,
                          const PlanWriter& write, const PlanCheck& check) {
    auto opened = Fleet::open(ctx);
    if (!opened) {
        return ctx.report(opened.error());
    }
    return run_fleet_command(
        ctx, **opened, o,
        {[&build](size_t) { return build; }, write, [&check](size_t) { return check; }});
}

int run_fleet_command(Context& ctx, Fleet& fleet, const DestructiveOptions& o,
                      const FleetCommand& command) {
    const PlanWriter& write = command.write;
    const size_t n = fleet.size();
    auto& err = ctx.env().err;
    const bool json = ctx.format() == Format::json;

    // Step 1, every panel at once: read and plan. Nothing is written.
    std::vector<PanelPlan> plans(n);
    // A master's nodes (fleet_nodes.hpp), asked where it can matter.
    std::vector<std::optional<std::vector<PanelNode>>> node_lists(n);
    fleet.run_phase(
        [&](size_t i, Context& c, const Fleet::Mark& mark) {
            mark(State::reading);
            plans[i] = prepare_panel(c, o, command.build(i), command.check(i));
            if (plans[i].error) {
                return State::failed;
            }
            if (n > 1) {
                auto listed = read_fleet_panel_nodes(c, plans[i].before);
                if (!listed) {
                    plans[i].error = listed.error();
                    return State::failed;
                }
                node_lists[i] = std::move(*listed);
            }
            return plans[i].once_holder ? State::skipped : State::planned;
        },
        false);

    std::vector<PanelRun> runs(n);
    size_t found = 0;  // panels that planned (not not_found)
    for (const auto& p : plans) {
        found += !p.error || p.error->kind != ErrorKind::not_found ? size_t{1} : size_t{0};
    }
    std::vector<size_t> failed;
    for (size_t i = 0; i < n; ++i) {
        PanelPlan& p = plans[i];
        PanelRun& r = runs[i];
        if (p.error) {
            p.error = fleet.explain(i, *p.error);  // a refused login counted; a hint for the panel
            r.message = p.error->message;
            if (o.skip_unreachable && unreachable(*p.error)) {
                r.part = Part::skipped;
                r.message = "unreachable: " + p.error->message;
                r.result = unwritten(p, "skipped", r.message, exit_code_for(p.error->kind));
            } else if (p.error->kind == ErrorKind::not_found && found > 0) {
                // A client or inbound one panel of the fleet has: the others
                // have nothing to do.
                r.part = Part::skipped;
                r.message = "not on this panel: " + p.error->message;
                r.result = unwritten(p, "skipped", r.message, exit_code::success);
            } else {
                r.part = Part::failed;
                failed.push_back(i);
            }
        } else if (p.once_holder) {
            r.part = Part::skipped;
            Context& c = fleet.context(i);
            r.message =
                report_once_per_skip(c, *p.once_holder, *parse_period(o.once_per), p.panel_url);
            r.result = unwritten(p, "skipped", r.message, exit_code::success);
        } else {
            r.part = p.plan->empty() ? Part::empty : Part::write;
            if (r.part == Part::empty) {
                r.message = "nothing to do: the plan is empty";
                r.result = unwritten(p, "skipped", r.message, exit_code::success);
            }
        }
    }
    const FleetNodes nodes = link_planned_nodes(fleet, plans, node_lists);
    skip_covered_nodes(fleet, nodes, plans, runs);
    fleet.flush_messages(true);

    if (!failed.empty()) {
        // One panel that cannot be read or planned stops them all: nothing
        // is written anywhere, and the exit code is that failure's.
        int code = exit_code::success;
        for (size_t i : failed) {
            const int c = ctx.report(fleet_panel_error(fleet.name(i), *plans[i].error));
            code = code == exit_code::success ? c : code;
            runs[i].result = unwritten(plans[i], "failed", plans[i].error->message, c);
        }
        const std::string why = fmt::format(
            "nothing was written to any panel: {} of {} panel(s) could not be read or planned",
            failed.size(), n);
        err << "xuictl: " << why << "\n";
        if (std::any_of(failed.begin(), failed.end(),
                        [&](size_t i) { return unreachable(*plans[i].error); })) {
            err << "hint: --skip-unreachable leaves a panel that cannot be reached out of the "
                   "plan\n";
        }
        for (size_t i = 0; i < n; ++i) {
            if (runs[i].part != Part::failed) {
                runs[i].result = unwritten(plans[i], "not_applied", why, exit_code::failure);
            }
        }
        if (json) {
            write_fleet_result_json(ctx.env().out, ctx.pretty_json(), fleet, runs, "", "failed",
                                    code);
        }
        return code;
    }

    // Step 2: the combined plan, grouped by panel, and one phrase.
    std::vector<const Plan*> to_write;
    std::vector<std::string> names;
    for (size_t i = 0; i < n; ++i) {
        if (runs[i].part == Part::write) {
            to_write.push_back(&*plans[i].plan);
            names.push_back(fleet.name(i));
        }
    }
    const std::string phrase = fleet_phrase(to_write);
    err << fmt::format("Fleet plan: {} panel(s) selected, {} to change\n", n, to_write.size());
    for (size_t i = 0; i < n; ++i) {
        if (runs[i].part == Part::write) {
            show_plan(fleet.context(i), *plans[i].plan, err);
            if (!runs[i].message.empty()) {
                err << "Panel " << display(fleet.name(i)) << ": " << display(runs[i].message)
                    << "\n";
            }
        } else {
            err << "Panel " << display(fleet.name(i)) << ": "
                << (runs[i].part == Part::empty ? "" : "skipped: ") << display(runs[i].message)
                << "\n";
        }
    }
    err.flush();
    if (json) {
        write_fleet_plan_json(ctx.env().out, ctx.pretty_json(), fleet, nodes, plans, runs, phrase);
    }
    auto conclude_all = [&](const std::string& status, const std::string& message, int code) {
        for (size_t i = 0; i < n; ++i) {
            if (runs[i].part == Part::write) {
                runs[i].result = unwritten(plans[i], status, message, code);
            }
        }
        if (json) {
            write_fleet_result_json(ctx.env().out, ctx.pretty_json(), fleet, runs, "", status,
                                    code);
        }
        return code;
    };
    if (o.dry_run) {
        err << "dry run: nothing changed\n";
        return conclude_all("skipped", "dry run: nothing changed", exit_code::success);
    }
    if (to_write.empty()) {
        err << "nothing to do: no panel's plan has targets\n";
        // A panel left out as unreachable was not done either: as after a
        // write, it is not "ok" (a scheduled run would otherwise exit 0
        // while that panel is never reached).
        size_t unreached = 0;
        int first = exit_code::success;
        for (const auto& r : runs) {
            if (r.part == Part::skipped && r.result.exit_code != exit_code::success) {
                first = unreached++ == 0 ? r.result.exit_code : first;
            }
        }
        return conclude_all("skipped", "nothing to do", fleet_exit_code(n, unreached, first));
    }
    std::string where = fmt::format("{} panels ({})", to_write.size(), fmt::join(names, ", "));
    for (size_t i = 0; i < n && to_write.size() == 1; ++i) {
        if (runs[i].part == Part::write) {
            where = fleet.context(i).panel_description();  // its own phrase, its own panel
        }
    }
    if (int code = confirm(ctx, o, phrase, where); code != exit_code::success) {
        return conclude_all("declined", "not confirmed; nothing changed", code);
    }

    // Steps 4-5, every panel at once: record, write, verify. Ctrl-C stops
    // starting panels; those in flight finish their request, are verified
    // and recorded with their real outcome (ExecuteOptions::interrupt).
    // A panel not started gets no audit record: nothing was sent to it and
    // there is nothing to undo (`clients restore FLEET-ID` restores exactly
    // the panels that were written); the result table and JSON name it.
    ExecuteOptions x;
    x.fleet_id = "fleet-" + new_operation_id(ctx.clock().now_ms());
    InterruptGuard interrupt;
    x.interrupt = &interrupt;
    std::vector<State> initial(n);
    for (size_t i = 0; i < n; ++i) {
        initial[i] = runs[i].part == Part::write   ? State::planned
                     : runs[i].part == Part::empty ? State::done
                                                   : State::skipped;
    }
    fleet.run_phase(
        [&](size_t i, Context& c, const Fleet::Mark& mark) {
            if (runs[i].part != Part::write) {
                return runs[i].part == Part::empty ? State::done : State::skipped;
            }
            if (interrupt.interrupted()) {
                runs[i].result =
                    unwritten(plans[i], "not_started", not_started_message(interrupt.caught()),
                              exit_code::not_confirmed);
                return State::not_started;
            }
            mark(State::writing);
            runs[i].result = execute_panel(c, o, command.build(i), write, plans[i], x);
            const std::string& s = runs[i].result.status;
            return s == "ok"            ? State::verified
                   : s == "not_started" ? State::not_started
                   : s == "interrupted" ? State::interrupted
                   : s == "skipped"     ? State::skipped
                                        : State::failed;
        },
        true, std::move(initial));

    // The outcome: one row per panel, one exit code.
    size_t ok = 0;
    size_t not_ok = 0;
    std::vector<std::string> stopped;  // panels the signal kept from (finishing) their write
    Table t({{"PANEL", false}, {"STATUS", false}, {"AUDIT ID", false}, {"MESSAGE", false}});
    for (size_t i = 0; i < n; ++i) {
        const WriteResult& r = runs[i].result;
        if (runs[i].part == Part::write) {
            (r.status == "ok" ? ok : not_ok) += 1;
            if (r.status == "not_started" || r.status == "interrupted") {
                stopped.push_back(fleet.name(i));
            }
        } else if (runs[i].part == Part::skipped && r.status == "skipped" &&
                   r.exit_code != exit_code::success) {
            ++not_ok;  // --skip-unreachable: that panel was not changed
        }
        t.add_row({fleet.name(i), r.status, r.id, r.message});
    }
    const int code = fleet_write_exit_code(ok, not_ok, !stopped.empty());
    const std::string status = !stopped.empty() ? "interrupted"
                               : not_ok == 0    ? "ok"
                               : ok > 0         ? "partial"
                                                : "failed";
    err << fmt::format("fleet {}: {} of {} panel(s) changed and verified\n", x.fleet_id, ok,
                       to_write.size());
    t.render(err, Format::table);
    if (!stopped.empty()) {
        // A restore is run by its record's id, not by --profile (refused there).
        const bool restore = std::any_of(to_write.begin(), to_write.end(), [](const Plan* p) {
            return p->operation == Operation::restore_clients ||
                   p->operation == Operation::restore_deleted;
        });
        ctx.report(make_error(
            ErrorKind::cancelled,
            fmt::format("interrupted by {}: {} of {} panel(s) not done ({})",
                        signal_name(interrupt.caught()), stopped.size(), to_write.size(),
                        fmt::join(stopped, ", ")),
            fmt::format("the panels written are verified and in `xuictl audit` (fleet {}); the "
                        "rest: {}",
                        x.fleet_id,
                        restore ? std::string("restore each of their records alone by its id")
                                : fmt::format("run the command again with --profile {}",
                                              fmt::join(stopped, ",")))));
    }
    err.flush();
    if (json) {
        write_fleet_result_json(ctx.env().out, ctx.pretty_json(), fleet, runs, x.fleet_id, status,
                                code);
    }
    return code;
}

}  // namespace xuictl
