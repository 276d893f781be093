// bench/history_year: a synthetic year of hourly collects into a usage
// history, then the queries' own time. Used by bench/history; prints
// figures, is no test.
//
//   history_year DB IDENTITY EMAILS_FILE [HOURS] [END_MS]
//   history_year --verify DIR
//
// Every hour about a third of the clients (a different third each hour)
// move some bytes; every 30 days a tenth of them are reset by the panel.
// Retention is the product's: samples kept 7 days, then merged per day (UTC
// days here: the bench runs with TZ=UTC).
//
// A year of real collects (UsageHistory::record_sample, 8 761 of them) takes
// most of an hour on a shared 2-core machine, so the fill has two parts:
//   1. the days that retention has merged by the end are written directly,
//      one transaction, exactly as hourly collects + retention leave them:
//      per day one 'day' sample row and per client one delta row (the day's
//      sum, its running total), the reset cycles, the clients' last counters;
//   2. the last 8 days or so are real hourly collects through record_sample
//      (the code `xuictl collect` runs), continuing from that state, which
//      also merges the days that leave the hourly window meanwhile.
// --verify proves part 1 right: a small history filled both ways (every
// hour through record_sample, and the two parts) must give the same rows in
// every usage_* table; exit 1 when not.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "store/sqlite.hpp"
#include "store/usage_history.hpp"

using namespace xuictl;

namespace {

constexpr int64_t kHour = 3600 * 1000LL;
constexpr int64_t kDay = 24 * kHour;
constexpr int64_t kHourlyMs = 7 * kDay;  // the product's kHourlyDays (app/history.hpp)

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

int64_t utc_day(int64_t ms) {
    return ms - ms % kDay;
}

// The synthetic panel: its clients' counters, hour after hour.
struct Scenario {
    std::vector<std::string> emails;
    int64_t hours = 0;  // samples at hour 0..hours
    int64_t end_ms = 0;
    int64_t reset_every_hours = 30 * 24;
    int64_t start_ms() const { return end_ms - hours * kHour; }
    int64_t at(int64_t h) const { return start_ms() + h * kHour; }
};

// Moves the counters to hour h (before that hour's sample).
void advance(const Scenario& sc, std::vector<CounterReading>& readings, int64_t h) {
    for (size_t i = 0; i < readings.size(); ++i) {
        if (static_cast<int64_t>(i % 3) == h % 3) {
            readings[i].up += 1000 + static_cast<int64_t>(i % 977) * 4096;
            readings[i].down += 5000 + static_cast<int64_t>(i % 491) * 65536;
        }
        if (h > 0 && h % sc.reset_every_hours == 0 && i % 10 == 0) {
            readings[i].up = 0;
            readings[i].down = 0;
        }
    }
}

std::vector<CounterReading> initial_readings(const Scenario& sc) {
    std::vector<CounterReading> readings;
    for (const auto& e : sc.emails) {
        readings.push_back({e, 1000000, 2000000});
    }
    return readings;
}

Retention utc_retention() {
    Retention r;
    r.hourly_ms = kHourlyMs;
    r.day_start = utc_day;
    return r;
}

// The last hour written by part 1: the last hour of the last day that
// retention has merged by the end (its next day starts at or before the
// end's cutoff), at least one day in; -1 when there is none.
int64_t bulk_until(const Scenario& sc) {
    const int64_t cutoff = sc.end_ms - kHourlyMs;
    int64_t last = -1;
    for (int64_t h = 0; h <= sc.hours; ++h) {
        if (utc_day(sc.at(h)) + kDay <= cutoff) {
            last = h;
        }
    }
    return last;
}

// Part 1: hours 0..until as hourly collects and retention would leave them
// (the rules of UsageHistory::record_sample and compact), in one transaction.
Status fill_merged_days(SqliteDb& db, const std::string& identity, const Scenario& sc,
                        std::vector<CounterReading>& readings, int64_t until) {
    struct State {
        int64_t id = 0;
        int64_t last_ms = 0, last_up = 0, last_down = 0, cycle_start = 0;
        int64_t moved_up = 0, moved_down = 0;
        int64_t day_up = 0, day_down = 0;  // this day's deltas so far
        bool day_moved = false;
    };
    auto tx = SqliteTransaction::begin(db);
    if (!tx) {
        return tx.error();
    }
    auto panel = SqliteStatement::prepare(db, "INSERT INTO usage_panels (identity) VALUES (?1)");
    auto client = SqliteStatement::prepare(
        db,
        "INSERT INTO usage_clients (panel_id, email, first_ms, first_up, first_down, last_ms, "
        "last_up, last_down, cycle_start_ms) VALUES (1, ?1, ?2, ?3, ?4, ?2, ?3, ?4, ?2)");
    auto finish_client = SqliteStatement::prepare(
        db,
        "UPDATE usage_clients SET last_ms = ?2, last_up = ?3, last_down = ?4, cycle_start_ms = "
        "?5, moved_up = ?6, moved_down = ?7 WHERE id = ?1");
    auto sample = SqliteStatement::prepare(
        db,
        "INSERT INTO usage_samples (panel_id, end_ms, start_ms, resolution) VALUES (1, ?1, ?2, "
        "?3)");
    auto delta = SqliteStatement::prepare(
        db,
        "INSERT INTO usage_deltas (client_id, end_ms, up, down, cum_up, cum_down) VALUES (?1, "
        "?2, ?3, ?4, ?5, ?6)");
    auto cycle = SqliteStatement::prepare(
        db,
        "INSERT INTO usage_cycles (client_id, seen_ms, start_ms, last_ms, up, down, cause) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'panel')");
    for (auto* st : {&panel, &client, &finish_client, &sample, &delta, &cycle}) {
        if (!*st) {
            return st->error();
        }
    }
    panel->bind(1, identity);
    if (auto s = panel->run(); !s) {
        return s;
    }
    std::vector<State> state;
    std::unordered_map<std::string, size_t> index;
    // A shared client is listed twice: its first reading counts.
    std::vector<bool> counted(readings.size());
    {
        std::unordered_map<std::string, size_t> first;
        for (size_t i = 0; i < readings.size(); ++i) {
            counted[i] = first.try_emplace(readings[i].email, i).second;
        }
    }
    // One day's samples: the first one's start, the last one's end.
    int64_t day_first_start = 0;
    int64_t day_samples = 0;
    int64_t previous_end = 0;
    for (int64_t h = 0; h <= until; ++h) {
        advance(sc, readings, h);
        const int64_t t = sc.at(h);
        const int64_t start = h == 0 ? t : previous_end;
        if (day_samples == 0) {
            day_first_start = start;
        }
        ++day_samples;
        for (size_t i = 0; i < readings.size(); ++i) {
            if (!counted[i]) {
                continue;
            }
            const CounterReading& r = readings[i];
            const int64_t up = std::max<int64_t>(r.up, 0);
            const int64_t down = std::max<int64_t>(r.down, 0);
            auto [it, fresh] = index.try_emplace(r.email, state.size());
            if (fresh) {
                client->reset();
                client->bind(1, r.email).bind(2, t).bind(3, up).bind(4, down);
                if (auto s = client->run(); !s) {
                    return s;
                }
                State k;
                k.id = static_cast<int64_t>(state.size()) + 1;
                k.last_ms = t;
                k.last_up = up;
                k.last_down = down;
                k.cycle_start = t;
                state.push_back(k);
                continue;
            }
            State& k = state[it->second];
            int64_t moved_up = up - k.last_up;
            int64_t moved_down = down - k.last_down;
            int64_t cycle_start = k.cycle_start;
            if (moved_up < 0 || moved_down < 0) {
                cycle->reset();
                cycle->bind(1, k.id).bind(2, t).bind(3, k.cycle_start).bind(4, k.last_ms);
                cycle->bind(5, k.last_up).bind(6, k.last_down);
                if (auto s = cycle->run(); !s) {
                    return s;
                }
                moved_up = up;
                moved_down = down;
                cycle_start = t;
            }
            if (moved_up == 0 && moved_down == 0 && cycle_start == k.cycle_start) {
                continue;
            }
            if (moved_up != 0 || moved_down != 0) {
                k.moved_up += moved_up;
                k.moved_down += moved_down;
                k.day_up += moved_up;
                k.day_down += moved_down;
                k.day_moved = true;
            }
            k.last_ms = t;
            k.last_up = up;
            k.last_down = down;
            k.cycle_start = cycle_start;
        }
        previous_end = t;
        const bool day_ends = h == until || utc_day(sc.at(h + 1)) != utc_day(t);
        if (!day_ends) {
            continue;
        }
        // The day as retention leaves it: one row when it held two samples
        // or more (one sample stays as it is: same rows either way).
        sample->reset();
        sample->bind(1, t).bind(2, day_first_start).bind(3, day_samples > 1 ? "day" : "sample");
        if (auto s = sample->run(); !s) {
            return s;
        }
        for (auto& k : state) {
            if (!k.day_moved) {
                continue;
            }
            delta->reset();
            delta->bind(1, k.id).bind(2, t).bind(3, k.day_up).bind(4, k.day_down);
            delta->bind(5, k.moved_up).bind(6, k.moved_down);
            if (auto s = delta->run(); !s) {
                return s;
            }
            k.day_up = k.day_down = 0;
            k.day_moved = false;
        }
        day_samples = 0;
    }
    for (const auto& k : state) {
        finish_client->reset();
        finish_client->bind(1, k.id).bind(2, k.last_ms).bind(3, k.last_up).bind(4, k.last_down);
        finish_client->bind(5, k.cycle_start).bind(6, k.moved_up).bind(7, k.moved_down);
        if (auto s = finish_client->run(); !s) {
            return s;
        }
    }
    return tx->commit();
}

struct FillFigures {
    int64_t bulk_hours = 0;
    double bulk_s = 0;
    int64_t collects = 0;
    double collects_s = 0;
    double slowest_collect_s = 0;
};

// The whole history into `history` (a new, empty database); `bulk` false:
// every hour through record_sample.
Result<FillFigures> fill(UsageHistory& history, const std::string& identity, const Scenario& sc,
                         bool bulk) {
    FillFigures f;
    // The fill does not wait for the disk (size and query times do not
    // depend on it; a collect's own cost is measured by bench/history
    // against the sandbox).
    if (auto s = history.database().exec("PRAGMA synchronous = OFF"); !s) {
        return s.error();
    }
    auto readings = initial_readings(sc);
    int64_t h = 0;
    if (bulk) {
        const int64_t until = bulk_until(sc);
        if (until >= 0) {
            const auto t0 = std::chrono::steady_clock::now();
            // Rows go in time order, the primary keys are (client, time):
            // with SQLite's default 2 MiB cache every page would be written
            // to the WAL again and again. 256 MiB holds a year's database.
            if (auto s = history.database().exec("PRAGMA cache_size = -262144"); !s) {
                return s.error();
            }
            if (auto s = fill_merged_days(history.database(), identity, sc, readings, until); !s) {
                return s.error();
            }
            if (auto s = history.database().exec("PRAGMA cache_size = -2000"); !s) {
                return s.error();
            }
            f.bulk_s = seconds_since(t0);
            f.bulk_hours = until + 1;
            h = until + 1;
        }
    }
    const Retention retention = utc_retention();
    const auto t0 = std::chrono::steady_clock::now();
    for (; h <= sc.hours; ++h) {
        advance(sc, readings, h);
        const auto s0 = std::chrono::steady_clock::now();
        auto r = history.record_sample(identity, "", sc.at(h), readings, &retention);
        if (!r) {
            return r.error();
        }
        f.slowest_collect_s = std::max(f.slowest_collect_s, seconds_since(s0));
        ++f.collects;
    }
    f.collects_s = seconds_since(t0);
    return f;
}

// Every row of every usage_* table, as text.
Result<std::string> dump(SqliteDb& db) {
    static const char* const kQueries[] = {
        "SELECT group_concat(r, ';') FROM (SELECT id || ',' || identity AS r FROM usage_panels "
        "ORDER BY id)",
        "SELECT group_concat(r, ';') FROM (SELECT panel_id || ',' || end_ms || ',' || start_ms "
        "|| ',' || resolution AS r FROM usage_samples ORDER BY panel_id, end_ms)",
        "SELECT group_concat(r, ';') FROM (SELECT id || ',' || panel_id || ',' || email || ',' || "
        "first_ms || ',' || first_up || ',' || first_down || ',' || last_ms || ',' || last_up || "
        "',' || last_down || ',' || cycle_start_ms || ',' || moved_up || ',' || moved_down AS r "
        "FROM usage_clients ORDER BY id)",
        "SELECT group_concat(r, ';') FROM (SELECT client_id || ',' || end_ms || ',' || up || ',' "
        "|| down || ',' || cum_up || ',' || cum_down AS r FROM usage_deltas ORDER BY client_id, "
        "end_ms)",
        "SELECT group_concat(r, ';') FROM (SELECT client_id || ',' || seen_ms || ',' || start_ms "
        "|| ',' || last_ms || ',' || up || ',' || down || ',' || cause AS r FROM usage_cycles "
        "ORDER BY client_id, seen_ms)",
    };
    std::string out;
    for (const char* q : kQueries) {
        auto st = SqliteStatement::prepare(db, q);
        if (!st) {
            return st.error();
        }
        if (auto row = st->step(); !row) {
            return row.error();
        }
        out += st->text(0) + "\n";
    }
    return out;
}

int verify(const std::string& dir) {
    Scenario sc;
    for (int i = 0; i < 31; ++i) {
        sc.emails.push_back("client" + std::to_string(i) + "@bench");
    }
    sc.emails.push_back("client3@bench");  // a shared client: listed twice
    sc.hours = 17 * 24 + 5;                // starts at 19:00: a short first day
    sc.end_ms = 1798761600000LL;
    sc.reset_every_hours = 100;
    std::string dumps[2];
    for (int bulk = 0; bulk < 2; ++bulk) {
        const std::string path = dir + (bulk ? "/bulk.db" : "/hourly.db");
        std::remove(path.c_str());
        auto history = UsageHistory::open(path, 10000);
        if (!history) {
            std::fprintf(stderr, "%s\n", history.error().message.c_str());
            return 1;
        }
        auto f = fill(*history, "https://bench/ user:1", sc, bulk != 0);
        auto d = f ? dump(history->database()) : Result<std::string>(f.error());
        if (!d) {
            std::fprintf(stderr, "%s\n", d.error().message.c_str());
            return 1;
        }
        if (bulk && f->bulk_hours == 0) {
            std::fprintf(stderr, "verify: the scenario has no merged day to write directly\n");
            return 1;
        }
        dumps[bulk] = *d;
    }
    if (dumps[0] != dumps[1]) {
        std::fprintf(stderr,
                     "verify: the direct fill differs from hourly collects\n--- hourly\n%s--- "
                     "direct\n%s",
                     dumps[0].c_str(), dumps[1].c_str());
        return 1;
    }
    std::printf("verify: direct fill of merged days = hourly collects (%zu bytes of rows)\n",
                dumps[0].size());
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc == 3 && std::string(argv[1]) == "--verify") {
        return verify(argv[2]);
    }
    if (argc < 4) {
        std::fprintf(stderr,
                     "usage: history_year DB IDENTITY EMAILS_FILE [HOURS] [END_MS]\n"
                     "       history_year --verify DIR\n");
        return 2;
    }
    const std::string db = argv[1];
    const std::string identity = argv[2];
    Scenario sc;
    {
        std::ifstream in(argv[3]);
        for (std::string line; std::getline(in, line);) {
            if (!line.empty()) {
                sc.emails.push_back(line);
            }
        }
    }
    sc.hours = argc > 4 ? std::stoll(argv[4]) : 365 * 24;
    sc.end_ms = argc > 5 ? std::stoll(argv[5]) : 1798761600000LL;  // 2027-01-01 UTC
    auto history = UsageHistory::open(db, 10000);
    if (!history) {
        std::fprintf(stderr, "%s\n", history.error().message.c_str());
        return 1;
    }
    auto f = fill(*history, identity, sc, true);
    if (!f) {
        std::fprintf(stderr, "%s\n", f.error().message.c_str());
        return 1;
    }
    std::printf(
        "samples %lld, clients %zu: merged days written directly (%lld hours) in %.1f s, then "
        "%lld hourly collects in %.1f s (%.0f ms each, slowest %.0f ms)\n",
        static_cast<long long>(sc.hours + 1), sc.emails.size(),
        static_cast<long long>(f->bulk_hours), f->bulk_s, static_cast<long long>(f->collects),
        f->collects_s, f->collects ? 1000.0 * f->collects_s / static_cast<double>(f->collects) : 0,
        f->slowest_collect_s * 1000);
    std::printf("rows: usage_deltas %lld, usage_samples %lld\n",
                static_cast<long long>(*history->row_count("usage_deltas")),
                static_cast<long long>(*history->row_count("usage_samples")));
    auto q0 = std::chrono::steady_clock::now();
    auto moved = history->moved(identity, sc.end_ms - 30 * kDay, sc.end_ms);
    const double moved_s = seconds_since(q0);
    q0 = std::chrono::steady_clock::now();
    auto series = history->deltas(identity, sc.emails.front(), sc.end_ms - 30 * kDay, sc.end_ms);
    const double series_s = seconds_since(q0);
    if (!moved || !series) {
        return 1;
    }
    // For comparison, the query before schema step 0004: every delta row of
    // the window, summed per client.
    q0 = std::chrono::steady_clock::now();
    size_t scanned_rows = 0;
    {
        auto st = SqliteStatement::prepare(
            history->database(),
            "SELECT c.email, sum(d.up), sum(d.down) FROM usage_panels p JOIN usage_clients c ON "
            "c.panel_id = p.id JOIN usage_deltas d ON d.client_id = c.id AND d.end_ms > ?2 AND "
            "d.end_ms <= ?3 WHERE p.identity = ?1 GROUP BY c.email");
        if (!st) {
            return 1;
        }
        st->bind(1, identity).bind(2, sc.end_ms - 30 * kDay).bind(3, sc.end_ms);
        while (true) {
            auto row = st->step();
            if (!row) {
                return 1;
            }
            if (!*row) {
                break;
            }
            ++scanned_rows;
        }
    }
    const double scan_s = seconds_since(q0);
    std::printf(
        "query moved(30 days, all clients): %.1f ms, %zu rows (summing the window's rows "
        "instead, as before schema step 0004: %.1f ms, %zu rows)\n",
        moved_s * 1000, moved->size(), scan_s * 1000, scanned_rows);
    std::printf("query deltas(30 days, one client): %.2f ms, %zu rows\n", series_s * 1000,
                series->size());
    return 0;
}
