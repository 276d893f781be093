#include "commands/stats_monitor.hpp"
#include "cli_checks.hpp"

#include <CLI/CLI.hpp>

#include <fmt/format.h>
#include <array>
#include <ostream>
#include <string_view>
#include <unordered_set>

#include "fleet.hpp"
#include "model/usage_report.hpp"
#include "store/files.hpp"
#include "ui/fleet_view.hpp"
#include "ui/prometheus.hpp"
#include "util/exit_code.hpp"
#include "util/units.hpp"

namespace xuictl {
namespace {

constexpr unsigned kTextfileMode = 0644;  // node_exporter runs as its own user

// The selected clients by level; each client under its highest level.
struct LevelGroups {
    std::array<std::vector<const ClientUsage*>, 4> by_level;  // index = UsageLevel

    const std::vector<const ClientUsage*>& at(UsageLevel level) const {
        return by_level[static_cast<size_t>(level)];
    }
    UsageLevel highest() const {
        for (UsageLevel l : {UsageLevel::depleted, UsageLevel::crit, UsageLevel::warn}) {
            if (!at(l).empty()) {
                return l;
            }
        }
        return UsageLevel::ok;
    }
};

LevelGroups group_levels(const StatsData& data, const Thresholds& t) {
    LevelGroups g;
    // A client shared by several inbounds (v3.1+) is listed under each with
    // its one traffic row: one alert, counted once.
    std::unordered_set<std::string_view> seen;
    for (const auto& c : data.clients) {
        if (!seen.insert(c.email).second) {
            continue;
        }
        const auto level = usage_level(c, t, data.style.rule, data.style.now_ms);
        g.by_level[static_cast<size_t>(level)].push_back(&c);
    }
    return g;
}

// The one place levels become exit codes (the numbers: util/exit_code.hpp).
int exit_code_for_level(UsageLevel level) {
    switch (level) {
        case UsageLevel::ok:
            return exit_code::success;
        case UsageLevel::warn:
            return exit_code::warn;
        case UsageLevel::crit:
            return exit_code::crit;
        case UsageLevel::depleted:
            return exit_code::depleted;
    }
    return exit_code::success;
}

std::string threshold_text(const Thresholds& t) {
    std::string out;
    if (t.warn) {
        out += fmt::format("warn >= {}%", *t.warn);
    }
    if (t.crit) {
        out += fmt::format("{}crit >= {}%", out.empty() ? "" : ", ", *t.crit);
    }
    return out;
}

// One stderr line a human or a cron mail reads at a glance.
void summarize(Context& ctx, const Thresholds& t, const LevelGroups& g) {
    const int code = exit_code_for_level(g.highest());
    ctx.note(fmt::format("{}: {} warn, {} crit, {} depleted; exit {}", threshold_text(t),
                         g.at(UsageLevel::warn).size(), g.at(UsageLevel::crit).size(),
                         g.at(UsageLevel::depleted).size(), code));
}

// A fleet's per-panel line: "panel de1: 1 warn, 0 crit, 0 depleted".
void summarize_panel(Context& ctx, const std::string& panel, const LevelGroups& g) {
    ctx.note(fmt::format("panel {}: {} warn, {} crit, {} depleted", panel,
                         g.at(UsageLevel::warn).size(), g.at(UsageLevel::crit).size(),
                         g.at(UsageLevel::depleted).size()));
}

constexpr std::array<UsageLevel, 3> kAlertLevels = {UsageLevel::depleted, UsageLevel::crit,
                                                    UsageLevel::warn};

// LEVEL, INBOUND, EMAIL, USED, QUOTA, USED%, EXPIRES, ENABLED; worst level
// first. TSV/CSV (`format`): data cells (ENABLED true/false).
Table threshold_table(const LevelGroups& groups, const UsageStyle& style, Format format) {
    Table t({{"LEVEL", false},
             {"INBOUND", true},
             {"EMAIL", false},
             {"USED", true},
             {"QUOTA", true},
             {"USED%", true},
             {"EXPIRES", false},
             {"ENABLED", false}});
    const bool sheet = data_cells(format);
    const bool raw = style.raw_bytes || sheet;
    for (UsageLevel level : kAlertLevels) {
        for (const auto* c : groups.at(level)) {
            t.add_row({to_string(level), std::to_string(c->inbound_id), c->email,
                       bytes_cell(c->used(), raw), quota_cell(c->quota, raw),
                       percent_cell(c->percent(), sheet),
                       expiry_cell(c->expiry_time, style.now_ms, sheet),
                       sheet ? flag_cell(c->enabled(), true) : client_state(*c)});
        }
    }
    return t;
}

void write_level_arrays(JsonWriter& w, const LevelGroups& g, const UsageStyle& style) {
    for (UsageLevel level : kAlertLevels) {
        write_key(w, to_string(level));
        w.StartArray();
        for (const auto* c : g.at(level)) {
            write_client_json(w, *c, style);
        }
        w.EndArray();
    }
}

void write_thresholds_json(JsonWriter& w, const Thresholds& t) {
    write_key(w, "thresholds");
    w.StartObject();
    write_key(w, "warn");
    write_optional_double(w, t.warn);
    write_key(w, "crit");
    write_optional_double(w, t.crit);
    w.EndObject();
}

void write_levels_json(std::ostream& out, bool pretty, const Thresholds& t, const LevelGroups& g,
                       const UsageStyle& style) {
    JsonWriter w(out, pretty);
    w.StartObject();
    write_thresholds_json(w, t);
    write_key(w, "level");
    w.String(to_string(g.highest()));
    write_key(w, "exit_code");
    w.Int(exit_code_for_level(g.highest()));
    write_level_arrays(w, g, style);
    w.EndObject();
    w.finish();
}

// One panel's data for the metrics; `panel` empty = a single-panel run
// (no panel label, so its series are what they always were).
struct PrometheusPanel {
    std::string panel;
    const StatsData* data = nullptr;  // nullptr: the panel could not be read
};

// Every family once (# HELP/# TYPE), its samples panel after panel; over a
// fleet each series carries panel="<profile>" first, and xuictl_panel_up
// says which panels were read (a failed panel has no other series).
std::string prometheus_text(const std::vector<PrometheusPanel>& panels, bool fleet) {
    PrometheusText p;
    auto with_panel = [](const PrometheusPanel& pp, Labels labels) {
        if (!pp.panel.empty()) {
            labels.insert(labels.begin(), {"panel", pp.panel});
        }
        return labels;
    };
    if (fleet) {
        p.family("xuictl_panel_up", "gauge",
                 "1 when the panel was read, 0 when it failed (its error is on stderr).");
        for (const auto& pp : panels) {
            p.sample(with_panel(pp, {}), int64_t{pp.data != nullptr ? 1 : 0});
        }
    }
    auto client_family = [&](const char* name, const char* help, auto value) {
        p.family(name, "gauge", help);
        for (const auto& pp : panels) {
            if (pp.data == nullptr) {
                continue;
            }
            for (const auto& c : pp.data->clients) {
                p.sample(
                    with_panel(pp, {{"inbound", std::to_string(c.inbound_id)}, {"email", c.email}}),
                    value(c, pp.data->style));
            }
        }
    };
    client_family("xuictl_client_up_bytes",
                  "Bytes the client sent since its counters were last reset.",
                  [](const ClientUsage& c, const UsageStyle&) { return c.up; });
    client_family("xuictl_client_down_bytes",
                  "Bytes the client received since its counters were last reset.",
                  [](const ClientUsage& c, const UsageStyle&) { return c.down; });
    client_family("xuictl_client_quota_bytes",
                  "Traffic quota of the client in bytes (0 = unlimited).",
                  [](const ClientUsage& c, const UsageStyle&) { return c.quota; });
    client_family(
        "xuictl_client_enabled",
        "1 when the client is enabled (admin switch on, not auto-disabled by the panel).",
        [](const ClientUsage& c, const UsageStyle&) { return int64_t{c.enabled() ? 1 : 0}; });
    client_family(
        "xuictl_client_depleted",
        "1 when the panel's own rule calls the client depleted (quota used up or expired).",
        [](const ClientUsage& c, const UsageStyle& style) {
            return int64_t{is_depleted(c, style.rule, style.now_ms) ? 1 : 0};
        });

    auto inbound_labels = [&](const PrometheusPanel& pp, int id, const std::string& remark) {
        return with_panel(pp, {{"inbound", std::to_string(id)}, {"remark", remark}});
    };
    auto inbound_family = [&](const char* name, const char* help, auto value) {
        p.family(name, "gauge", help);
        for (const auto& pp : panels) {
            if (pp.data == nullptr) {
                continue;
            }
            for (const auto& in : pp.data->shown) {
                p.sample(inbound_labels(pp, in.id, in.remark), value(in));
            }
        }
    };
    inbound_family("xuictl_inbound_up_bytes", "The inbound's own upload counter in bytes.",
                   [](const Inbound& in) { return in.up; });
    inbound_family("xuictl_inbound_down_bytes", "The inbound's own download counter in bytes.",
                   [](const Inbound& in) { return in.down; });
    inbound_family("xuictl_inbound_quota_bytes",
                   "Traffic quota of the inbound in bytes (0 = unlimited).",
                   [](const Inbound& in) { return in.total; });
    inbound_family("xuictl_inbound_clients", "Number of clients of the inbound.",
                   [](const Inbound& in) { return static_cast<int64_t>(in.client_count()); });
    p.family("xuictl_inbound_clients_used_bytes", "gauge",
             "Sum of up + down of the inbound's clients in bytes.");
    for (const auto& pp : panels) {
        if (pp.data == nullptr) {
            continue;
        }
        const auto report = build_usage_report(pp.data->shown, pp.data->shown_clients);
        for (const auto& row : report.inbounds) {
            p.sample(inbound_labels(pp, row.id, row.remark), row.totals.used());
        }
    }
    p.family("xuictl_stats_timestamp_seconds", "gauge",
             "Unix time these values were read from the panel.");
    for (const auto& pp : panels) {
        if (pp.data != nullptr) {
            p.sample(with_panel(pp, {}), pp.data->style.now_ms / 1000);
        }
    }
    return p.str();
}

// The metrics to stdout, or to --textfile atomically (mode 0644).
Status emit_prometheus(Context& ctx, const MonitorOptions& o, const std::string& text) {
    if (o.textfile.empty()) {
        ctx.env().out << text;
        return ok_status();
    }
    if (o.textfile.size() < 5 || o.textfile.compare(o.textfile.size() - 5, 5, ".prom") != 0) {
        ctx.warn("node_exporter's textfile collector only reads files ending in .prom");
    }
    return write_file_atomic(o.textfile, text, kTextfileMode);
}

}  // namespace

MonitorFlags add_monitor_options(CLI::App& stats, MonitorOptions& o) {
    const char* group = "Monitoring";
    MonitorFlags f;
    f.warn = stats
                 .add_option("--warn", o.thresholds.warn,
                             "List clients at or above PCT % of their quota; exit 10 if any")
                 ->type_name("PCT")
                 ->check(number_from(0.0, 100.0, "--warn"))
                 ->group(group);
    f.crit = stats
                 .add_option("--crit", o.thresholds.crit,
                             "As --warn for a higher PCT; exit 11 if any (12 if any is depleted)")
                 ->type_name("PCT")
                 ->check(number_from(0.0, 100.0, "--crit"))
                 ->group(group);
    f.textfile = stats
                     .add_option("--textfile", o.textfile,
                                 "Write -o prometheus metrics atomically to PATH (node_exporter "
                                 "textfile collector; implies -o prometheus)")
                     ->type_name("PATH")
                     ->group(group);
    return f;
}

Status check_monitor_options(const MonitorOptions& o, const std::string& output, bool report) {
    const auto& t = o.thresholds;
    if (t.warn && t.crit && *t.warn >= *t.crit) {
        return make_error(ErrorKind::usage,
                          fmt::format("--warn {} must be below --crit {}", *t.warn, *t.crit));
    }
    if (!o.textfile.empty() && !output.empty() && output != "prometheus") {
        return make_error(ErrorKind::usage,
                          fmt::format("--textfile writes prometheus metrics, not {}", output),
                          "drop -o, or use -o prometheus");
    }
    if (report && output == "prometheus") {
        return make_error(ErrorKind::usage, "--report has no prometheus form",
                          "use -o json or -o csv with --report");
    }
    return ok_status();
}

bool wants_prometheus(const MonitorOptions& o, const std::string& output) {
    return output == "prometheus" || !o.textfile.empty();
}

int run_threshold_view(Context& ctx, const MonitorOptions& o, const StatsData& data) {
    const auto groups = group_levels(data, o.thresholds);
    auto& out = ctx.env().out;
    if (ctx.format() == Format::json) {
        write_levels_json(out, ctx.pretty_json(), o.thresholds, groups, data.style);
    } else {
        Table t = threshold_table(groups, data.style, ctx.format());
        if (!t.empty() || ctx.format() != Format::table) {
            t.render(out, ctx.format());
        }
    }
    summarize(ctx, o.thresholds, groups);
    return exit_code_for_level(groups.highest());
}

int run_prometheus_view(Context& ctx, const MonitorOptions& o, const StatsData& data) {
    if (auto s = emit_prometheus(ctx, o, prometheus_text({{"", &data}}, false)); !s) {
        return ctx.report(s.error());
    }
    if (!o.thresholds.any()) {
        return exit_code::success;
    }
    const auto groups = group_levels(data, o.thresholds);
    if (groups.highest() != UsageLevel::ok) {
        summarize(ctx, o.thresholds, groups);  // quiet when all is well (cron mails stderr)
    }
    return exit_code_for_level(groups.highest());
}

int run_fleet_prometheus_view(Context& ctx, const MonitorOptions& o, const FleetStats& fleet) {
    std::vector<PrometheusPanel> panels;
    for (const auto& p : fleet.panels) {
        panels.push_back({p.name, p.data});
    }
    // Written even when a panel failed: its xuictl_panel_up 0 is how the
    // one textfile of a fleet tells node_exporter which panel is down.
    if (auto s = emit_prometheus(ctx, o, prometheus_text(panels, true)); !s) {
        return ctx.report(s.error());
    }
    const size_t n = fleet.panels.size();
    UsageLevel highest = UsageLevel::ok;
    std::vector<LevelGroups> groups(n);
    if (o.thresholds.any()) {
        for (size_t i = 0; i < n; ++i) {
            if (fleet.panels[i].data) {
                groups[i] = group_levels(*fleet.panels[i].data, o.thresholds);
                highest = std::max(highest, groups[i].highest());
            }
        }
    }
    size_t failed = 0;
    int first_failure = exit_code::success;
    for (size_t i = 0; i < n; ++i) {
        const auto& p = fleet.panels[i];
        if (p.data == nullptr) {
            const int code = ctx.report(fleet_panel_error(p.name, *p.error));
            if (failed++ == 0) {
                first_failure = code;
            }
        } else if (groups[i].highest() != UsageLevel::ok) {
            summarize_panel(ctx, p.name, groups[i]);  // quiet when all is well, as for one panel
        }
    }
    if (!o.thresholds.any()) {
        return fleet_exit_code(n, failed, first_failure);
    }
    const int code =
        fleet_monitor_exit_code(exit_code_for_level(highest), n, failed, first_failure);
    if (highest != UsageLevel::ok || failed > 0) {
        ctx.note(fmt::format("{}: {} panels, {} failed; highest level {}; exit {}",
                             threshold_text(o.thresholds), n, failed, to_string(highest), code));
    }
    return code;
}

int run_fleet_threshold_view(Context& ctx, const MonitorOptions& o, const FleetStats& fleet) {
    const size_t n = fleet.panels.size();
    std::vector<LevelGroups> groups(n);
    UsageLevel highest = UsageLevel::ok;
    size_t failed = 0;
    for (size_t i = 0; i < n; ++i) {
        if (fleet.panels[i].data) {
            groups[i] = group_levels(*fleet.panels[i].data, o.thresholds);
            highest = std::max(highest, groups[i].highest());
        } else {
            ++failed;
        }
    }
    auto& out = ctx.env().out;
    const Format format = ctx.format();
    if (format == Format::json) {
        JsonWriter w(out, ctx.pretty_json());
        w.StartObject();
        write_thresholds_json(w, o.thresholds);
        write_key(w, "level");
        w.String(to_string(highest));
        write_panels_json(
            w, n, [&](size_t i) -> const std::string& { return fleet.panels[i].name; },
            [&](size_t i) { return fleet.panels[i].error; },
            [&](JsonWriter& pw, size_t i) {
                write_key(pw, "level");
                pw.String(to_string(groups[i].highest()));
                write_level_arrays(pw, groups[i], fleet.panels[i].data->style);
            });
        w.EndObject();
        w.finish();
    } else {
        Table all = with_panel_column(threshold_table(LevelGroups{}, UsageStyle{}, format).columns());
        for (size_t i = 0; i < n; ++i) {
            const auto& p = fleet.panels[i];
            if (p.data) {
                all.add_rows_of(p.name, threshold_table(groups[i], p.data->style, format));
            } else {
                add_failed_panel(all, p.name, *p.error);
            }
        }
        if (!all.empty() || format != Format::table) {
            all.render(out, format);
        }
    }
    int first_failure = exit_code::success;
    for (size_t i = 0; i < n; ++i) {
        const auto& p = fleet.panels[i];
        if (p.data) {
            summarize_panel(ctx, p.name, groups[i]);
        } else {
            const int code = ctx.report(fleet_panel_error(p.name, *p.error));
            if (first_failure == exit_code::success) {
                first_failure = code;
            }
        }
    }
    const int code =
        fleet_monitor_exit_code(exit_code_for_level(highest), n, failed, first_failure);
    ctx.note(fmt::format("{}: {} panels, {} failed; highest level {}; exit {}",
                         threshold_text(o.thresholds), n, failed, to_string(highest), code));
    return code;
}

}  // namespace xuictl
