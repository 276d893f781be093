// xuictl collect — one sample of every client's counters into the usage
// history (app/history.hpp), for `stats --since/--lifetime` and
// `clients show --history`.
#include <CLI/CLI.hpp>

#include <optional>
#include <ostream>

#include "calendar.hpp"
#include "commands/command.hpp"
#include "commands/usage_query.hpp"
#include "history.hpp"

namespace xuictl {
namespace {

int run_collect(Context& ctx) {
    // The history's side of the sample is read while the panel answers.
    std::optional<SampleAhead> ahead;
    if (auto api = ctx.panel()) {
        ahead.emplace(ctx, **api);
    }
    // The read path of `stats`: one list request, no login with a cached
    // session; the sample's time is when the list had been read.
    auto read = read_inbounds(ctx);
    if (!read) {
        return ctx.report(read.error());
    }
    auto panel = ctx.panel();
    if (!panel) {
        return ctx.report(panel.error());
    }
    const int64_t time_ms = read->style.now_ms;
    auto sample = record_history_sample(ctx, **panel, time_ms, readings_of(read->clients),
                                        ahead ? &*ahead : nullptr);
    if (!sample) {
        return ctx.report(sample.error());
    }
    if (sample->skipped) {
        ctx.note("skipped: the history already holds a sample of this panel at or after " +
                 format_local(time_ms) + " (another collect ran at the same time)");
    }
    auto& out = ctx.env().out;
    if (ctx.format() == Format::json) {
        JsonWriter w(out, ctx.pretty_json());
        w.StartObject();
        write_key(w, "time_ms");
        w.Int64(time_ms);
        write_key(w, "skipped");
        w.Bool(sample->skipped);
        write_key(w, "first");
        w.Bool(sample->first);
        write_key(w, "clients");
        w.Uint64(sample->clients);
        write_key(w, "moved");
        w.Uint64(sample->changed);
        write_key(w, "resets");
        w.Uint64(sample->resets);
        write_key(w, "new");
        w.Uint64(sample->new_clients);
        write_key(w, "compacted");
        w.Uint64(sample->compacted);
        w.EndObject();
        w.finish();
        return 0;
    }
    Table t({{"TIME", false},
             {"CLIENTS", true},
             {"MOVED", true},
             {"RESETS", true},
             {"NEW", true},
             {"COMPACTED", true}});
    t.add_row({time_cell(time_ms, data_cells(ctx.format())), std::to_string(sample->clients),
               std::to_string(sample->changed), std::to_string(sample->resets),
               std::to_string(sample->new_clients), std::to_string(sample->compacted)});
    t.render(out, ctx.format());
    return 0;
}

}  // namespace

void register_collect(CLI::App& root, Dispatch& dispatch) {
    auto* cmd = root.add_subcommand(
        "collect", "Record every client's counters in the local usage history (run it hourly)");
    cmd->footer(
        "One list request (no login with a cached session). Stores, per client, what moved since\n"
        "the previous sample of this panel (URL + user); a counter that went down is a reset:\n"
        "the closed cycle is kept with its total. Samples are kept for 7 days, then merged per\n"
        "local day. Set it up with: xuictl schedule print-cron collect --hourly");
    cmd->callback([&dispatch] { dispatch.selected = run_collect; });
}

}  // namespace xuictl
