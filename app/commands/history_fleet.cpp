#include "commands/history_fleet.hpp"

#include <algorithm>
#include <ostream>

#include "ui/fleet_view.hpp"
#include "ui/usage_view.hpp"

namespace xuictl {
namespace {

// The fleet total's row name (as stats over a fleet): not a profile name.
constexpr const char* kFleetRow = "(fleet)";

void write_fleet_history_panels(JsonWriter& w, const std::vector<FleetHistoryPanel>& panels,
                                const std::function<void(JsonWriter&, size_t)>& members) {
    write_panels_json(
        w, panels.size(), [&](size_t i) -> const std::string& { return panels[i].name; },
        [&](size_t i) { return panels[i].error ? &*panels[i].error : nullptr; }, members);
}

// For people: each panel's window and coverage above the one table.
void window_lines(std::ostream& out, const std::vector<FleetHistoryPanel>& panels) {
    for (const auto& p : panels) {
        if (!p.error) {
            out << "panel " << p.name << ": " << window_line(p.window) << "\n";
        }
    }
}

}  // namespace

std::vector<FleetHistoryPanel> open_fleet_history(Fleet& fleet,
                                                  const std::vector<const Error*>& read_errors,
                                                  std::vector<std::vector<ClientUsage>>& selected,
                                                  const HistoryWindow& window) {
    std::vector<FleetHistoryPanel> panels(read_errors.size());
    for (size_t i = 0; i < panels.size(); ++i) {
        auto& p = panels[i];
        p.name = fleet.name(i);
        p.window = window;
        if (read_errors[i] != nullptr) {
            p.error = *read_errors[i];
            continue;
        }
        p.clients = std::move(selected[i]);
        auto source = open_history_source(fleet.context(i));
        if (!source) {
            p.error = source.error();
            continue;
        }
        p.source = std::move(*source);
    }
    return panels;
}

void apply_fleet_history(std::vector<FleetHistoryPanel>& panels) {
    for (auto& p : panels) {
        if (p.error) {
            continue;
        }
        if (auto s = apply_history(*p.source, p.window, p.clients); !s) {
            p.error = s.error();
        }
    }
}

std::vector<const Error*> fleet_history_errors(const std::vector<FleetHistoryPanel>& panels) {
    std::vector<const Error*> out;
    out.reserve(panels.size());
    for (const auto& p : panels) {
        out.push_back(p.error ? &*p.error : nullptr);
    }
    return out;
}

void write_fleet_history_clients(Context& ctx, const std::vector<FleetHistoryPanel>& panels) {
    auto& out = ctx.env().out;
    const Format format = ctx.format();
    const bool raw = ctx.raw_bytes() || data_cells(ctx.format());  // TSV/CSV: raw numbers
    int64_t up = 0;
    int64_t down = 0;
    uint64_t clients = 0;
    for (const auto& p : panels) {
        if (p.error || !p.counted) {
            continue;
        }
        clients += p.clients.size();
        for (const auto& c : p.clients) {
            up += c.up;
            down += c.down;
        }
    }
    if (format == Format::json) {
        JsonWriter w(out, ctx.pretty_json());
        w.StartObject();
        write_fleet_history_panels(w, panels, [&](JsonWriter& pw, size_t i) {
            write_history_clients_members(pw, panels[i].window, panels[i].clients);
        });
        write_key(w, "totals");
        w.StartObject();
        write_key(w, "clients");
        w.Uint64(clients);
        write_bytes_json(w, up, down);
        w.EndObject();
        w.EndObject();
        w.finish();
        return;
    }
    if (format == Format::table) {
        window_lines(out, panels);
    }
    const HistoryWindow none;
    Table all = with_panel_column(history_clients_table(none, {}, format, raw).columns());
    for (const auto& p : panels) {
        if (p.error) {
            add_failed_panel(all, p.name, *p.error);
            continue;
        }
        all.add_rows_of(p.name, history_clients_table(p.window, p.clients, format, raw));
    }
    if (format == Format::table) {
        all.add_row({kFleetRow, "TOTAL", "", bytes_cell(up, raw), bytes_cell(down, raw),
                     bytes_cell(up + down, raw)});
    }
    all.render(out, format);
}

void write_fleet_history_periods(Context& ctx, const HistoryOptions& options,
                                 std::vector<FleetHistoryPanel>& panels, bool bars) {
    const bool cycles = options.by == "cycle";
    std::vector<std::vector<PeriodRow>> periods(panels.size());
    std::vector<std::vector<CycleRow>> cycle_rows(panels.size());
    for (size_t i = 0; i < panels.size(); ++i) {
        auto& p = panels[i];
        if (p.error) {
            continue;
        }
        if (cycles) {
            auto rows = history_cycles(*p.source, p.window, p.clients);
            if (!rows) {
                p.error = rows.error();
            } else {
                cycle_rows[i] = std::move(*rows);
            }
            continue;
        }
        auto rows = history_periods(*p.source, options, p.window, p.clients);
        if (!rows) {
            p.error = rows.error();
        } else {
            periods[i] = std::move(*rows);
        }
    }
    // The fleet's rows: one per period (the window is the run's, so every
    // panel has the same periods), summed over the panels that answered.
    std::vector<PeriodRow> fleet_rows;
    int64_t max_used = 0;
    for (size_t i = 0; i < panels.size(); ++i) {
        if (panels[i].error || cycles) {
            continue;
        }
        max_used = std::max(max_used, periods_max_used(periods[i]));
        if (!panels[i].counted) {
            continue;
        }
        if (fleet_rows.empty()) {
            for (const auto& r : periods[i]) {
                PeriodRow f;
                f.span = r.span;
                f.label = r.label;
                fleet_rows.push_back(std::move(f));
            }
        }
        for (size_t j = 0; j < periods[i].size() && j < fleet_rows.size(); ++j) {
            fleet_rows[j].up += periods[i][j].up;
            fleet_rows[j].down += periods[i][j].down;
        }
    }
    auto& out = ctx.env().out;
    const Format format = ctx.format();
    const bool raw = ctx.raw_bytes() || data_cells(ctx.format());  // TSV/CSV: raw numbers
    if (format == Format::json) {
        JsonWriter w(out, ctx.pretty_json());
        w.StartObject();
        write_fleet_history_panels(w, panels, [&](JsonWriter& pw, size_t i) {
            if (cycles) {
                write_cycles_members(pw, panels[i].window, cycle_rows[i]);
            } else {
                write_periods_members(pw, options, panels[i].window, periods[i], panels[i].clients);
            }
        });
        if (!cycles) {
            write_key(w, "periods");
            w.StartArray();
            for (const auto& f : fleet_rows) {
                w.StartObject();
                write_key(w, "from_ms");
                w.Int64(f.span.start_ms);
                write_key(w, "to_ms");
                w.Int64(f.span.end_ms);
                write_bytes_json(w, f.up, f.down);
                w.EndObject();
            }
            w.EndArray();
        }
        w.EndObject();
        w.finish();
        return;
    }
    if (format == Format::table) {
        window_lines(out, panels);
    }
    const bool chart = bars && format == Format::table;
    Table all =
        with_panel_column(cycles ? cycles_table({}, format, raw).columns()
                                 : periods_table({}, {}, false, chart, 0, format, raw).columns());
    for (size_t i = 0; i < panels.size(); ++i) {
        const auto& p = panels[i];
        if (p.error) {
            add_failed_panel(all, p.name, *p.error);
        } else if (cycles) {
            all.add_rows_of(p.name, cycles_table(cycle_rows[i], format, raw));
        } else {
            // Bars on one scale across the panels.
            all.add_rows_of(
                p.name, periods_table(periods[i], p.clients, bars, chart, max_used, format, raw));
        }
    }
    for (const auto& f : fleet_rows) {
        std::vector<std::string> cells = {kFleetRow,
                                          f.label,
                                          "(all)",
                                          bytes_cell(f.up, raw),
                                          bytes_cell(f.down, raw),
                                          bytes_cell(f.up + f.down, raw),
                                          data_cells(format) ? "" : "-"};
        if (chart) {
            cells.push_back("");
        }
        all.add_row(std::move(cells));
    }
    all.render(out, format);
}

}  // namespace xuictl
