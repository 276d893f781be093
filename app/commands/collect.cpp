// xuictl collect — one sample of every client's counters into the usage
// history (app/history.hpp), for `stats --since/--lifetime` and
// `clients show --history`; over a fleet, one sample per panel.
#include <CLI/CLI.hpp>

#include <fmt/format.h>

#include <optional>
#include <ostream>

#include "calendar.hpp"
#include "commands/command.hpp"
#include "commands/usage_query.hpp"
#include "fleet.hpp"
#include "history.hpp"
#include "ui/fleet_view.hpp"

namespace xuictl {
namespace {

// What one panel's list read leaves for its sample: the counters, not the
// inbounds (a fleet holds every panel's read until the samples are written).
struct CollectRead {
    int64_t time_ms = 0;  // when the list had been read
    std::vector<CounterReading> readings;
};

// The read path of `stats`: one list request, no login with a cached
// session.
Result<CollectRead> read_counters(Context& ctx) {
    auto read = read_inbounds(ctx);
    if (!read) {
        return read.error();
    }
    return CollectRead{read->style.now_ms, readings_of(read->clients)};
}

struct Collected {
    int64_t time_ms = 0;
    SampleResult sample;
};

// Records panel c's sample (with what `ahead` read, if any); a skipped one
// (another collect of this panel got there first) is said on stderr, named
// after the panel in a fleet.
Result<Collected> record(Context& c, const CollectRead& read, const std::string& fleet_name,
                         SampleAhead* ahead) {
    auto panel = c.panel();
    if (!panel) {
        return panel.error();
    }
    auto sample = record_history_sample(c, **panel, read.time_ms, read.readings, ahead);
    if (!sample) {
        return sample.error();
    }
    if (sample->skipped) {
        c.note(fmt::format(
            "{}skipped: the history already holds a sample of this panel at or "
            "after {} (another collect ran at the same time)",
            fleet_name.empty() ? "" : "panel " + fleet_name + ": ", format_local(read.time_ms)));
    }
    return Collected{read.time_ms, *sample};
}

void write_sample_json(JsonWriter& w, const Collected& c) {
    write_key(w, "time_ms");
    w.Int64(c.time_ms);
    write_key(w, "skipped");
    w.Bool(c.sample.skipped);
    write_key(w, "first");
    w.Bool(c.sample.first);
    write_key(w, "clients");
    w.Uint64(c.sample.clients);
    write_key(w, "moved");
    w.Uint64(c.sample.changed);
    write_key(w, "resets");
    w.Uint64(c.sample.resets);
    write_key(w, "new");
    w.Uint64(c.sample.new_clients);
    write_key(w, "compacted");
    w.Uint64(c.sample.compacted);
}

Table sample_table() {
    return Table({{"TIME", false},
                  {"CLIENTS", true},
                  {"MOVED", true},
                  {"RESETS", true},
                  {"NEW", true},
                  {"COMPACTED", true}});
}

void add_sample_row(Table& t, const Collected& c, Format format) {
    t.add_row({time_cell(c.time_ms, data_cells(format)), std::to_string(c.sample.clients),
               std::to_string(c.sample.changed), std::to_string(c.sample.resets),
               std::to_string(c.sample.new_clients), std::to_string(c.sample.compacted)});
}

int run_single_collect(Context& ctx, Result<CollectRead>& read, SampleAhead* ahead) {
    if (!read) {
        return ctx.report(read.error());
    }
    auto collected = record(ctx, *read, "", ahead);
    if (!collected) {
        return ctx.report(collected.error());
    }
    auto& out = ctx.env().out;
    if (ctx.format() == Format::json) {
        JsonWriter w(out, ctx.pretty_json());
        w.StartObject();
        write_sample_json(w, *collected);
        w.EndObject();
        w.finish();
        return 0;
    }
    Table t = sample_table();
    add_sample_row(t, *collected, ctx.format());
    t.render(out, ctx.format());
    return 0;
}

// Over a fleet: the panels were read at once; each sample is then written
// on this thread, one transaction per panel (the database has one writer
// at a time), keyed by that panel's own identity. A panel whose read or
// sample failed is shown in its place.
int run_fleet_collect(Context& ctx, Fleet& fleet, std::vector<Result<CollectRead>>& reads) {
    const size_t n = reads.size();
    std::vector<Result<Collected>> results;
    results.reserve(n);
    for (size_t i = 0; i < n; ++i) {
        if (!reads[i]) {
            results.emplace_back(reads[i].error());
            continue;
        }
        results.push_back(record(fleet.context(i), *reads[i], fleet.name(i), nullptr));
        reads[i] = CollectRead{};  // written: its counters are not needed any more
    }
    fleet.flush_messages();
    const auto errors = panel_errors(results);
    auto& out = ctx.env().out;
    const Format format = ctx.format();
    if (format == Format::json) {
        JsonWriter w(out, ctx.pretty_json());
        w.StartObject();
        write_panels_json(
            w, n, [&](size_t i) -> const std::string& { return fleet.name(i); },
            [&](size_t i) { return errors[i]; },
            [&](JsonWriter& pw, size_t i) { write_sample_json(pw, *results[i]); });
        w.EndObject();
        w.finish();
    } else {
        Table all = with_panel_column(sample_table().columns());
        for (size_t i = 0; i < n; ++i) {
            if (results[i]) {
                Table one = sample_table();
                add_sample_row(one, *results[i], format);
                all.add_rows_of(fleet.name(i), std::move(one));
            } else {
                add_failed_panel(all, fleet.name(i), *errors[i]);
            }
        }
        all.render(out, format);
    }
    return report_panel_errors(ctx, fleet, errors);
}

int run_collect(Context& ctx) {
    auto fleet = Fleet::open(ctx);
    if (!fleet) {
        return ctx.report(fleet.error());
    }
    if ((*fleet)->is_fleet()) {
        auto reads = (*fleet)->read<CollectRead>(read_counters);
        return run_fleet_collect(ctx, **fleet, reads);
    }
    // The history's side of the sample is read while the panel answers.
    std::optional<SampleAhead> ahead;
    if (auto api = ctx.panel()) {
        ahead.emplace(ctx, **api);
    }
    auto reads = (*fleet)->read<CollectRead>(read_counters);
    return run_single_collect(ctx, reads[0], ahead ? &*ahead : nullptr);
}

}  // namespace

void register_collect(CLI::App& root, Dispatch& dispatch) {
    auto* cmd = root.add_subcommand(
        "collect", "Record every client's counters in the local usage history (run it hourly)");
    cmd->footer(
        "One list request (no login with a cached session). Stores, per client, what moved since\n"
        "the previous sample of this panel (URL + user); a counter that went down is a reset:\n"
        "the closed cycle is kept with its total. Samples are kept for 7 days, then merged per\n"
        "local day. Set it up with: xuictl schedule print-cron collect --hourly\n"
        "Over a fleet (--profile a,b, @group, --all-profiles) the panels are read --parallel at\n"
        "a time and each panel's sample is recorded under its own URL + user: a PANEL column\n"
        "first (-o json: {\"panels\": [{\"panel\", \"status\", ...}]}); a panel that fails\n"
        "is shown in its place, the others are recorded, and the exit code is 7.");
    cmd->callback([&dispatch] {
        dispatch.selected = run_collect;
        dispatch.fleet_ok = true;  // one sample per panel, each its own transaction
    });
}

}  // namespace xuictl
