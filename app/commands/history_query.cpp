#include "commands/history_query.hpp"

#include <CLI/CLI.hpp>

#include <fmt/format.h>
#include <algorithm>
#include <charconv>
#include <ostream>
#include <unordered_map>
#include <unordered_set>

#include "calendar.hpp"
#include "history.hpp"
#include "ui/usage_view.hpp"
#include "util/units.hpp"

namespace xuictl {
namespace {

constexpr int64_t kHourMs = 3600 * 1000LL;
constexpr int64_t kDayMs = 24 * kHourMs;

Error usage_error(std::string message, std::string hint) {
    return make_error(ErrorKind::usage, std::move(message), std::move(hint));
}

// "30d", "12h", "2w" → milliseconds; nullopt when text is not of that form.
std::optional<int64_t> relative_ms(std::string_view text) {
    if (text.size() < 2) {
        return std::nullopt;
    }
    const char unit = text.back();
    int64_t n = 0;
    const auto digits = text.substr(0, text.size() - 1);
    auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
    if (ec != std::errc() || ptr != digits.data() + digits.size() || n <= 0 || n > 100000) {
        return std::nullopt;
    }
    switch (unit) {
        case 'h':
            return n * kHourMs;
        case 'd':
            return n * kDayMs;
        case 'w':
            return n * 7 * kDayMs;
        default:
            return std::nullopt;
    }
}

Result<int64_t> parse_point(std::string_view option, std::string_view text, int64_t now_ms) {
    if (auto rel = relative_ms(text)) {
        return now_ms - *rel;
    }
    auto at = parse_date_arg(text);
    if (!at) {
        Error e = at.error();
        e.message = fmt::format("{} {}: {}", option, text, e.message);
        e.hint =
            "use a duration back from now (12h, 30d, 2w) or a date: 2026-11-01, "
            "2026-11-01T06:00";
        return e;
    }
    return *at;
}

// The start of the period after the one starting at `start` (local time;
// days are 23-25 hours, weeks 7 days +-1 hour, months 28-31 days).
int64_t next_period(Period period, int64_t start) {
    switch (period) {
        case Period::day:
            return period_start_ms(period, start + 26 * kHourMs);
        case Period::week:
            return period_start_ms(period, start + 7 * kDayMs + 2 * kHourMs);
        case Period::month:
            return period_start_ms(period, start + 32 * kDayMs);
    }
    return start + kDayMs;
}

// Milliseconds of [lo, hi] that `spans` cover.
int64_t covered_ms(const std::vector<Span>& spans, int64_t lo, int64_t hi) {
    int64_t total = 0;
    for (const auto& s : spans) {
        const int64_t a = std::max(s.start_ms, lo);
        const int64_t b = std::min(s.end_ms, hi);
        if (b > a) {
            total += b - a;
        }
    }
    return total;
}

// [lo, hi] minus the spans.
std::vector<Span> gaps_of(const std::vector<Span>& spans, int64_t lo, int64_t hi) {
    std::vector<Span> gaps;
    int64_t at = lo;
    for (const auto& s : spans) {
        if (s.start_ms > at && at < hi) {
            gaps.push_back({at, std::min(s.start_ms, hi)});
        }
        at = std::max(at, s.end_ms);
    }
    if (at < hi) {
        gaps.push_back({at, hi});
    }
    return gaps;
}

std::string span_text(const Span& s) {
    return format_local(s.start_ms) + " → " + format_local(s.end_ms);
}

std::string spans_text(const std::vector<Span>& spans) {
    if (spans.empty()) {
        return "none";
    }
    std::string out;
    for (const auto& s : spans) {
        out += (out.empty() ? "" : ", ") + span_text(s);
    }
    return out;
}

void write_spans(JsonWriter& w, const std::vector<Span>& spans) {
    w.StartArray();
    for (const auto& s : spans) {
        w.StartObject();
        write_key(w, "from_ms");
        w.Int64(s.start_ms);
        write_key(w, "to_ms");
        w.Int64(s.end_ms);
        w.EndObject();
    }
    w.EndArray();
}

// How much of a period the samples cover: "45%", "none"; data: "45.00", "0.00".
std::string covered_cell(int64_t part, int64_t whole, bool data) {
    if (whole <= 0) {
        return data ? "" : "-";
    }
    if (part == 0 && !data) {
        return "none";
    }
    const double percent = 100.0 * static_cast<double>(part) / static_cast<double>(whole);
    return data ? fmt::format("{:.2f}", percent) : fmt::format("{:.0f}%", percent);
}

// A bar of `value` out of `max` in `width` cells of Unicode eighth blocks.
std::string bar(int64_t value, int64_t max, int width) {
    static const char* const kEighths[] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
    if (max <= 0 || value <= 0) {
        return "";
    }
    const int64_t eighths = std::max<int64_t>(
        1, static_cast<int64_t>(static_cast<double>(value) / static_cast<double>(max) * width * 8));
    std::string out;
    for (int64_t i = 0; i < eighths / 8; ++i) {
        out += "█";
    }
    out += kEighths[eighths % 8];
    return out;
}

std::string period_label(Period period, int64_t start) {
    std::string day = format_local(start).substr(0, 10);
    switch (period) {
        case Period::day:
            return day;
        case Period::week:
            return day + " (week)";
        case Period::month:
            return day.substr(0, 7);
    }
    return day;
}

}  // namespace

void add_history_options(CLI::App& cmd, HistoryOptions& o) {
    const char* group = "Usage history (xuictl collect)";
    auto* since = cmd.add_option("--since", o.since,
                                 "Bytes moved since a duration back (12h, 30d, 2w) or a date "
                                 "(2026-11-01), per the usage history")
                      ->type_name("WHEN")
                      ->group(group);
    auto* from = cmd.add_option("--from", o.from, "Start of the usage-history window (a date)")
                     ->type_name("DATE")
                     ->group(group);
    auto* to = cmd.add_option("--to", o.to, "End of the usage-history window (default now)")
                   ->type_name("DATE")
                   ->group(group);
    auto* by = cmd.add_option("--by", o.by, "Split the window per day, week, month or reset cycle")
                   ->type_name("PERIOD")
                   ->check(CLI::IsMember({"day", "week", "month", "cycle"}))
                   ->group(group);
    auto* lifetime =
        cmd.add_flag("--lifetime", o.lifetime,
                     "Counters when first seen plus everything seen since, across resets")
            ->group(group);
    since->excludes(from);
    lifetime->excludes(since)->excludes(from)->excludes(to)->excludes(by);
}

void write_bytes_json(JsonWriter& w, int64_t up, int64_t down) {
    write_key(w, "up");
    w.Int64(up);
    write_key(w, "down");
    w.Int64(down);
    write_key(w, "used");
    w.Int64(saturating_add(up, down));
}

Result<HistoryWindow> resolve_window(const HistoryOptions& o, int64_t now_ms) {
    HistoryWindow w;
    w.lifetime = o.lifetime;
    w.to_ms = now_ms;
    if (o.lifetime) {
        w.from_ms = 0;
        return w;
    }
    if (!o.to.empty()) {
        auto to = parse_point("--to", o.to, now_ms);
        if (!to) {
            return to.error();
        }
        w.to_ms = *to;
    }
    const std::string& start = !o.since.empty() ? o.since : o.from;
    if (start.empty()) {
        w.from_ms = w.to_ms - 30 * kDayMs;
    } else {
        auto from = parse_point(!o.since.empty() ? "--since" : "--from", start, now_ms);
        if (!from) {
            return from.error();
        }
        w.from_ms = *from;
    }
    if (w.from_ms >= w.to_ms) {
        return usage_error(fmt::format("the window {} → {} is empty", format_local(w.from_ms),
                                       format_local(w.to_ms)),
                           "--from/--since must be before --to");
    }
    return w;
}

Result<HistorySource> open_history_source(Context& ctx) {
    auto panel = ctx.panel();
    if (!panel) {
        return panel.error();
    }
    auto history = open_history(ctx, false);
    if (!history) {
        return history.error();
    }
    return HistorySource{std::move(*history), panel_identity(ctx, **panel)};
}

Status apply_history(HistorySource& source, HistoryWindow& window,
                     std::vector<ClientUsage>& clients) {
    std::unordered_set<std::string> seen;
    std::erase_if(clients, [&](const ClientUsage& c) { return !seen.insert(c.email).second; });
    std::unordered_map<std::string, std::pair<int64_t, int64_t>> bytes;
    if (source.history) {
        if (window.lifetime) {
            auto rows = source.history->lifetime(source.panel);
            if (!rows) {
                return rows.error();
            }
            for (const auto& r : *rows) {
                bytes[r.email] = {r.up, r.down};
            }
            auto extent = source.history->extent(source.panel);
            if (!extent) {
                return extent.error();
            }
            if (*extent) {
                window.from_ms = (*extent)->start_ms;
                window.covered = {**extent};
                window.to_ms = (*extent)->end_ms;
            }
        } else {
            auto rows = source.history->moved(source.panel, window.from_ms, window.to_ms);
            if (!rows) {
                return rows.error();
            }
            for (const auto& r : *rows) {
                bytes[r.email] = {r.up, r.down};
            }
            auto covered = source.history->coverage(source.panel, window.from_ms, window.to_ms);
            if (!covered) {
                return covered.error();
            }
            window.covered = std::move(*covered);
        }
    }
    for (auto& c : clients) {
        const auto it = bytes.find(c.email);
        c.up = it == bytes.end() ? 0 : it->second.first;
        c.down = it == bytes.end() ? 0 : it->second.second;
    }
    return ok_status();
}

std::string covered_text(const HistoryWindow& window) {
    return spans_text(window.covered);
}

std::string window_line(const HistoryWindow& window) {
    if (window.lifetime) {
        return "lifetime: samples cover " + covered_text(window) +
               " (counters when first seen included)";
    }
    const auto gaps = gaps_of(window.covered, window.from_ms, window.to_ms);
    return fmt::format("window: {}; samples cover: {}; gaps: {}",
                       span_text({window.from_ms, window.to_ms}), covered_text(window),
                       spans_text(gaps));
}

void write_window_json(JsonWriter& w, const HistoryWindow& window) {
    write_key(w, "window");
    w.StartObject();
    write_key(w, "from_ms");
    w.Int64(window.from_ms);
    write_key(w, "to_ms");
    w.Int64(window.to_ms);
    write_key(w, "lifetime");
    w.Bool(window.lifetime);
    write_key(w, "covered");
    write_spans(w, window.covered);
    write_key(w, "gaps");
    write_spans(w, window.lifetime ? std::vector<Span>()
                                   : gaps_of(window.covered, window.from_ms, window.to_ms));
    w.EndObject();
}

void write_history_clients_members(JsonWriter& w, const HistoryWindow& window,
                                   const std::vector<ClientUsage>& clients) {
    int64_t up = 0;
    int64_t down = 0;
    for (const auto& c : clients) {
        up += c.up;
        down += c.down;
    }
    write_window_json(w, window);
    write_key(w, "clients");
    w.StartArray();
    for (const auto& c : clients) {
        w.StartObject();
        write_key(w, "inbound_id");
        w.Int(c.inbound_id);
        write_key(w, "email");
        write_string(w, c.email);
        write_bytes_json(w, c.up, c.down);
        w.EndObject();
    }
    w.EndArray();
    write_key(w, "totals");
    w.StartObject();
    write_key(w, "clients");
    w.Uint64(clients.size());
    write_bytes_json(w, up, down);
    w.EndObject();
}

Table history_clients_table(const HistoryWindow& window, const std::vector<ClientUsage>& clients,
                            Format format, bool raw_bytes) {
    const bool data = data_cells(format);  // TSV/CSV: raw numbers, UTC times
    const bool raw = raw_bytes || data;
    int64_t up = 0;
    int64_t down = 0;
    for (const auto& c : clients) {
        up += c.up;
        down += c.down;
    }
    const bool sheet = format != Format::table;
    std::vector<Column> columns = {
        {"INBOUND", true}, {"EMAIL", false}, {"UP", true}, {"DOWN", true}, {"USED", true}};
    if (sheet) {
        columns.insert(columns.end(),
                       {{"WINDOW_FROM", false}, {"WINDOW_TO", false}, {"COVERED", false}});
    }
    Table t(columns);
    const std::string from = time_cell(window.from_ms, data);
    const std::string to = time_cell(window.to_ms, data);
    const std::string covered = covered_text(window);
    for (const auto& c : clients) {
        std::vector<std::string> cells = {std::to_string(c.inbound_id), c.email,
                                          bytes_cell(c.up, raw), bytes_cell(c.down, raw),
                                          bytes_cell(c.used(), raw)};
        if (sheet) {
            cells.insert(cells.end(), {from, to, covered});
        }
        t.add_row(std::move(cells));
    }
    if (!sheet) {
        t.add_row(
            {"TOTAL", "", bytes_cell(up, raw), bytes_cell(down, raw), bytes_cell(up + down, raw)});
    }
    return t;
}

int write_history_clients(Context& ctx, const HistoryWindow& window,
                          const std::vector<ClientUsage>& clients) {
    auto& out = ctx.env().out;
    if (ctx.format() == Format::json) {
        JsonWriter w(out, ctx.pretty_json());
        w.StartObject();
        write_history_clients_members(w, window, clients);
        w.EndObject();
        w.finish();
        return 0;
    }
    if (ctx.format() == Format::table) {
        out << window_line(window) << "\n";
    }
    history_clients_table(window, clients, ctx.format(), ctx.raw_bytes()).render(out, ctx.format());
    return 0;
}

Result<std::vector<CycleRow>> history_cycles(HistorySource& source, const HistoryWindow& window,
                                             const std::vector<ClientUsage>& clients) {
    std::vector<CycleRow> rows;
    if (!source.history) {
        return rows;
    }
    std::unordered_set<std::string> wanted;
    for (const auto& c : clients) {
        wanted.insert(c.email);
    }
    const std::string only = clients.size() == 1 ? clients.front().email : std::string();
    auto all = source.history->cycles(source.panel, only);
    if (!all) {
        return all.error();
    }
    for (auto& r : *all) {
        const int64_t end = r.seen_ms != 0 ? r.seen_ms : window.to_ms;
        if (wanted.count(r.email) != 0 && r.start_ms <= window.to_ms && end > window.from_ms) {
            rows.push_back(std::move(r));
        }
    }
    return rows;
}

void write_cycles_members(JsonWriter& w, const HistoryWindow& window,
                          const std::vector<CycleRow>& rows) {
    write_window_json(w, window);
    write_key(w, "by");
    write_string(w, "cycle");
    write_key(w, "cycles");
    w.StartArray();
    for (const auto& r : rows) {
        w.StartObject();
        write_key(w, "email");
        write_string(w, r.email);
        write_key(w, "start_ms");
        w.Int64(r.start_ms);
        write_key(w, "last_seen_ms");
        w.Int64(r.last_ms);
        write_key(w, "reset_seen_ms");
        if (r.seen_ms != 0) {
            w.Int64(r.seen_ms);
        } else {
            w.Null();
        }
        write_bytes_json(w, r.up, r.down);
        write_key(w, "cause");
        write_string(w, r.cause);
        w.EndObject();
    }
    w.EndArray();
}

Table cycles_table(const std::vector<CycleRow>& rows, Format format, bool raw_bytes) {
    const bool data = data_cells(format);  // TSV/CSV: raw numbers, UTC times
    const bool raw = raw_bytes || data;
    Table t({{"EMAIL", false},
             {"FROM", false},
             {"LAST SEEN", false},
             {"RESET SEEN", false},
             {"UP", true},
             {"DOWN", true},
             {"USED", true},
             {"CAUSE", false}});
    for (const auto& r : rows) {
        t.add_row({r.email, time_cell(r.start_ms, data), time_cell(r.last_ms, data),
                   r.seen_ms != 0 ? time_cell(r.seen_ms, data) : (data ? "" : "open"),
                   bytes_cell(r.up, raw), bytes_cell(r.down, raw), bytes_cell(r.up + r.down, raw),
                   r.cause.empty() && !data ? "-" : r.cause});
    }
    return t;
}

Result<std::vector<PeriodRow>> history_periods(HistorySource& source, const HistoryOptions& options,
                                               const HistoryWindow& window,
                                               const std::vector<ClientUsage>& clients) {
    const Period period = parse_period(options.by.empty() ? "day" : options.by).value();
    std::vector<PeriodRow> periods;
    for (int64_t p = period_start_ms(period, window.from_ms); p < window.to_ms;
         p = next_period(period, p)) {
        PeriodRow row;
        row.span = {std::max(p, window.from_ms), std::min(next_period(period, p), window.to_ms)};
        row.label = period_label(period, p);
        periods.push_back(std::move(row));
    }
    std::unordered_set<std::string> wanted;
    for (const auto& c : clients) {
        wanted.insert(c.email);
    }
    if (source.history) {
        const std::string only = clients.size() == 1 ? clients.front().email : std::string();
        auto rows = source.history->deltas(source.panel, only, window.from_ms, window.to_ms);
        if (!rows) {
            return rows.error();
        }
        for (const auto& d : *rows) {
            if (wanted.count(d.email) == 0) {
                continue;
            }
            // The period whose (start, end] holds the sample.
            auto it =
                std::lower_bound(periods.begin(), periods.end(), d.end_ms,
                                 [](const PeriodRow& r, int64_t t) { return r.span.end_ms < t; });
            if (it == periods.end()) {
                continue;
            }
            Moved& m = it->clients[d.email];
            m.email = d.email;
            m.up += d.up;
            m.down += d.down;
            it->up += d.up;
            it->down += d.down;
        }
        // A period's coverage is the samples whose bytes it counts (seen in
        // it), as they are: a sample after days without collects covers
        // those days, and they show no samples of their own.
        for (auto& p : periods) {
            auto covered = source.history->coverage(source.panel, p.span.start_ms, p.span.end_ms);
            if (!covered) {
                return covered.error();
            }
            p.covered = std::move(*covered);
        }
    }
    return periods;
}

void write_periods_members(JsonWriter& w, const HistoryOptions& options,
                           const HistoryWindow& window, const std::vector<PeriodRow>& periods,
                           const std::vector<ClientUsage>& clients) {
    write_window_json(w, window);
    write_key(w, "by");
    write_string(w, options.by.empty() ? "day" : options.by);
    write_key(w, "periods");
    w.StartArray();
    for (const auto& p : periods) {
        w.StartObject();
        write_key(w, "from_ms");
        w.Int64(p.span.start_ms);
        write_key(w, "to_ms");
        w.Int64(p.span.end_ms);
        write_key(w, "covered_ms");
        w.Int64(covered_ms(p.covered, p.span.start_ms, p.span.end_ms));
        write_key(w, "covered");
        write_spans(w, p.covered);
        write_bytes_json(w, p.up, p.down);
        write_key(w, "clients");
        w.StartArray();
        for (const auto& c : clients) {
            const auto it = p.clients.find(c.email);
            if (it == p.clients.end()) {
                continue;
            }
            w.StartObject();
            write_key(w, "email");
            write_string(w, c.email);
            write_bytes_json(w, it->second.up, it->second.down);
            w.EndObject();
        }
        w.EndArray();
        w.EndObject();
    }
    w.EndArray();
}

int64_t periods_max_used(const std::vector<PeriodRow>& periods) {
    int64_t max_used = 0;
    for (const auto& p : periods) {
        max_used = std::max(max_used, p.up + p.down);
    }
    return max_used;
}

Table periods_table(const std::vector<PeriodRow>& periods, const std::vector<ClientUsage>& clients,
                    bool bars, bool chart, int64_t max_used, Format format, bool raw_bytes) {
    const bool data = data_cells(format);  // TSV/CSV: raw numbers, UTC times
    const bool raw = raw_bytes || data;
    std::vector<Column> columns = {{"PERIOD", false}, {"EMAIL", false}, {"UP", true},
                                   {"DOWN", true},    {"USED", true},   {"COVERED", true}};
    if (chart) {
        columns.push_back({"", false});
    }
    Table t(columns);
    for (const auto& p : periods) {
        const int64_t cov = covered_ms(p.covered, p.span.start_ms, p.span.end_ms);
        const std::string cov_cell = covered_cell(cov, p.span.end_ms - p.span.start_ms, data);
        std::vector<std::string> total = {p.label,
                                          bars ? clients.front().email : "(all)",
                                          bytes_cell(p.up, raw),
                                          bytes_cell(p.down, raw),
                                          bytes_cell(p.up + p.down, raw),
                                          cov_cell};
        if (chart) {
            // A gap is shown as a gap, never as a zero bar.
            total.push_back(cov == 0 ? "(no samples)" : bar(p.up + p.down, max_used, 40));
        }
        t.add_row(std::move(total));
        if (bars) {
            continue;
        }
        for (const auto& c : clients) {
            const auto it = p.clients.find(c.email);
            if (it == p.clients.end()) {
                continue;
            }
            t.add_row({p.label, c.email, bytes_cell(it->second.up, raw),
                       bytes_cell(it->second.down, raw),
                       bytes_cell(it->second.up + it->second.down, raw), cov_cell});
        }
    }
    return t;
}

int run_history_periods(Context& ctx, HistorySource& source, const HistoryOptions& options,
                        const HistoryWindow& window, const std::vector<ClientUsage>& clients,
                        bool bars) {
    auto& out = ctx.env().out;
    if (options.by == "cycle") {
        auto rows = history_cycles(source, window, clients);
        if (!rows) {
            return ctx.report(rows.error());
        }
        if (ctx.format() == Format::json) {
            JsonWriter w(out, ctx.pretty_json());
            w.StartObject();
            write_cycles_members(w, window, *rows);
            w.EndObject();
            w.finish();
            return 0;
        }
        if (ctx.format() == Format::table) {
            out << window_line(window) << "\n";
        }
        cycles_table(*rows, ctx.format(), ctx.raw_bytes()).render(out, ctx.format());
        return 0;
    }
    auto periods = history_periods(source, options, window, clients);
    if (!periods) {
        return ctx.report(periods.error());
    }
    if (ctx.format() == Format::json) {
        JsonWriter w(out, ctx.pretty_json());
        w.StartObject();
        write_periods_members(w, options, window, *periods, clients);
        w.EndObject();
        w.finish();
        return 0;
    }
    const bool chart = bars && ctx.format() == Format::table;
    if (ctx.format() == Format::table) {
        out << window_line(window) << "\n";
    }
    periods_table(*periods, clients, bars, chart, periods_max_used(*periods), ctx.format(),
                  ctx.raw_bytes())
        .render(out, ctx.format());
    return 0;
}

}  // namespace xuictl
