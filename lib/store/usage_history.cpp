#include "store/usage_history.hpp"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "store/known_clients.hpp"
#include "store/migrations.hpp"

namespace xuictl {
namespace {

// Who reset `email` in [after_ms, upto_ms] (from the previous sample, which
// saw the higher counters — a destructive command's own plan-read sample is
// taken just before its record — to this one): the latest audit record of
// this panel in that interval whose plan names the client, else the panel
// (its periodic or auto-renew reset, or a reset from its web page).
Result<std::string> reset_cause(SqliteDb& db, const std::string& audit_panel,
                                const std::string& email, int64_t after_ms, int64_t upto_ms) {
    auto st = SqliteStatement::prepare(
        db,
        "SELECT o.command, o.id FROM operations o WHERE o.panel = ?1 AND o.time_ms >= ?2 AND "
        "o.time_ms <= ?3 AND o.plan IS NOT NULL AND json_valid(o.plan) AND EXISTS (SELECT 1 "
        "FROM json_each(o.plan, '$.clients') j WHERE json_extract(j.value, '$.email') = ?4) "
        "ORDER BY o.time_ms DESC LIMIT 1");
    if (!st) {
        return st.error();
    }
    st->bind(1, audit_panel).bind(2, after_ms).bind(3, upto_ms).bind(4, email);
    auto row = st->step();
    if (!row) {
        return row.error();
    }
    if (!*row) {
        return std::string("panel");
    }
    return "xuictl " + st->text(0) + " " + st->text(1);
}

template <typename Row, typename Fill>
Result<std::vector<Row>> collect_rows(SqliteStatement& st, Fill fill) {
    std::vector<Row> rows;
    while (true) {
        auto more = st.step();
        if (!more) {
            return more.error();
        }
        if (!*more) {
            return rows;
        }
        rows.push_back(fill(st));
    }
}

// Contiguous spans of the sample rows (start, end), already ordered by end.
std::vector<Span> merge_spans(const std::vector<Span>& samples) {
    std::vector<Span> out;
    for (const auto& s : samples) {
        if (s.end_ms <= s.start_ms) {
            continue;  // a first sample covers nothing
        }
        if (!out.empty() && out.back().end_ms == s.start_ms) {
            out.back().end_ms = s.end_ms;
        } else {
            out.push_back(s);
        }
    }
    return out;
}

}  // namespace

Result<UsageHistory> UsageHistory::open(const std::string& path, int busy_timeout_ms) {
    auto db = SqliteDb::open(path, busy_timeout_ms);
    if (!db) {
        return db.error();
    }
    if (auto s = migrate(*db); !s) {
        return s.error();
    }
    return UsageHistory(std::move(*db));
}

Result<std::optional<int64_t>> UsageHistory::panel_id(const std::string& panel) {
    auto st = SqliteStatement::prepare(m_db, "SELECT id FROM usage_panels WHERE identity = ?1");
    if (!st) {
        return st.error();
    }
    st->bind(1, panel);
    auto row = st->step();
    if (!row) {
        return row.error();
    }
    if (!*row) {
        return std::optional<int64_t>();
    }
    return std::optional<int64_t>(st->int64(0));
}

Result<SampleBase> UsageHistory::prepare_sample(const std::string& panel) {
    // One read transaction: the panel's latest sample and its clients are
    // of the same moment (WAL: writers go on meanwhile).
    if (auto s = m_db.exec("BEGIN"); !s) {
        return s.error();
    }
    auto base = read_sample_base(panel);
    const auto ended = m_db.exec(base ? "COMMIT" : "ROLLBACK");
    if (!base) {
        return base.error();
    }
    if (!ended) {
        return ended.error();
    }
    return std::move(*base);
}

Result<SampleBase> UsageHistory::read_sample_base(const std::string& panel) {
    SampleBase base;
    auto id = panel_id(panel);
    if (!id) {
        return id.error();
    }
    if (!*id) {
        return base;  // nothing known: the first sample creates it all
    }
    base.panel_id = **id;
    auto latest = latest_sample_ms(**id);
    if (!latest) {
        return latest.error();
    }
    base.latest_ms = *latest;
    auto known = KnownClients::load(m_db, **id);
    if (!known) {
        return known.error();
    }
    base.known = std::move(*known);
    return base;
}

Result<std::optional<int64_t>> UsageHistory::latest_sample_ms(int64_t panel_id) {
    auto last =
        SqliteStatement::prepare(m_db, "SELECT max(end_ms) FROM usage_samples WHERE panel_id = ?1");
    if (!last) {
        return last.error();
    }
    last->bind(1, panel_id);
    if (auto row = last->step(); !row) {
        return row.error();
    }
    const std::optional<int64_t> latest = last->int64_or_null(0);
    // Done with it: a statement left mid-step keeps its read snapshot open
    // through the commit, and the WAL could not be checkpointed behind it.
    last->reset();
    return latest;
}

Result<SampleResult> UsageHistory::record_sample(const std::string& panel,
                                                 const std::string& audit_panel, int64_t time_ms,
                                                 const std::vector<CounterReading>& readings,
                                                 const Retention* retention, SampleBase* base) {
    SampleResult result;
    auto tx = SqliteTransaction::begin(m_db);
    if (!tx) {
        return tx.error();
    }
    auto id = panel_id(panel);
    if (!id) {
        return id.error();
    }
    if (!*id) {
        auto ins =
            SqliteStatement::prepare(m_db, "INSERT INTO usage_panels (identity) VALUES (?1)");
        if (!ins) {
            return ins.error();
        }
        ins->bind(1, panel);
        if (auto s = ins->run(); !s) {
            return s.error();
        }
        id = panel_id(panel);
        if (!id) {
            return id.error();
        }
    }
    const int64_t pid = **id;
    // The previous sample, read inside the write transaction: two collects
    // at once are ordered, the later-read one wins, the other is skipped.
    auto latest = latest_sample_ms(pid);
    if (!latest) {
        return latest.error();
    }
    const std::optional<int64_t> previous = *latest;
    if (previous && *previous >= time_ms) {
        result.skipped = true;
        return result;
    }
    result.first = !previous;
    const int64_t start_ms = previous.value_or(time_ms);
    auto sample = SqliteStatement::prepare(
        m_db, "INSERT INTO usage_samples (panel_id, end_ms, start_ms) VALUES (?1, ?2, ?3)");
    if (!sample) {
        return sample.error();
    }
    sample->bind(1, pid).bind(2, time_ms).bind(3, start_ms);
    if (auto s = sample->run(); !s) {
        return s.error();
    }

    // The clients as read ahead (collect: while the panel sent its list),
    // unless a sample was recorded since; else as they are now.
    std::optional<KnownClients> loaded;
    KnownClients* known = nullptr;
    if (base != nullptr && base->panel_id == pid && base->latest_ms == previous) {
        known = &base->known;
    } else {
        auto now = KnownClients::load(m_db, pid);
        if (!now) {
            return now.error();
        }
        known = &loaded.emplace(std::move(*now));
    }
    auto insert_client = SqliteStatement::prepare(
        m_db,
        "INSERT INTO usage_clients (panel_id, email, first_ms, first_up, first_down, last_ms, "
        "last_up, last_down, cycle_start_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?3, ?4, ?5, ?3)");
    auto update_client = SqliteStatement::prepare(
        m_db,
        "UPDATE usage_clients SET last_ms = ?2, last_up = ?3, last_down = ?4, cycle_start_ms = "
        "?5, moved_up = ?6, moved_down = ?7 WHERE id = ?1");
    auto insert_delta = SqliteStatement::prepare(
        m_db,
        "INSERT INTO usage_deltas (client_id, end_ms, up, down, cum_up, cum_down) VALUES (?1, "
        "?2, ?3, ?4, ?5, ?6)");
    auto insert_cycle = SqliteStatement::prepare(
        m_db,
        "INSERT INTO usage_cycles (client_id, seen_ms, start_ms, last_ms, up, down, cause) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    for (auto* st : {&insert_client, &update_client, &insert_delta, &insert_cycle}) {
        if (!*st) {
            return st->error();
        }
    }
    std::unordered_set<std::string_view> new_seen;  // new clients of this sample
    for (const auto& r : readings) {
        KnownClient* k = known->find(r.email);
        if (k != nullptr ? std::exchange(k->seen, true) : !new_seen.insert(r.email).second) {
            continue;  // a shared client: the same row under another inbound
        }
        ++result.clients;
        // A broken panel's negative counter is read as zero, never as usage.
        const int64_t up = std::max<int64_t>(r.up, 0);
        const int64_t down = std::max<int64_t>(r.down, 0);
        if (k == nullptr) {
            insert_client->reset();
            insert_client->bind(1, pid).bind(2, r.email).bind(3, time_ms).bind(4, up).bind(5, down);
            if (auto s = insert_client->run(); !s) {
                return s.error();
            }
            ++result.new_clients;
            continue;
        }
        int64_t moved_up = up - k->last_up;
        int64_t moved_down = down - k->last_down;
        int64_t cycle_start = k->cycle_start_ms;
        if (moved_up < 0 || moved_down < 0) {
            // A reset: the cycle closes with what was last seen, and what
            // the counters show now moved since.
            auto cause = reset_cause(m_db, audit_panel, r.email, start_ms, time_ms);
            if (!cause) {
                return cause.error();
            }
            insert_cycle->reset();
            insert_cycle->bind(1, k->id).bind(2, time_ms).bind(3, k->cycle_start_ms);
            insert_cycle->bind(4, k->last_ms)
                .bind(5, k->last_up)
                .bind(6, k->last_down)
                .bind(7, *cause);
            if (auto s = insert_cycle->run(); !s) {
                return s.error();
            }
            ++result.resets;
            moved_up = up;
            moved_down = down;
            cycle_start = time_ms;
        }
        if (moved_up == 0 && moved_down == 0 && cycle_start == k->cycle_start_ms) {
            continue;  // unchanged: no row written
        }
        if (moved_up != 0 || moved_down != 0) {
            k->moved_up += moved_up;
            k->moved_down += moved_down;
            insert_delta->reset();
            insert_delta->bind(1, k->id).bind(2, time_ms).bind(3, moved_up).bind(4, moved_down);
            insert_delta->bind(5, k->moved_up).bind(6, k->moved_down);
            if (auto s = insert_delta->run(); !s) {
                return s.error();
            }
            ++result.changed;
        }
        update_client->reset();
        update_client->bind(1, k->id)
            .bind(2, time_ms)
            .bind(3, up)
            .bind(4, down)
            .bind(5, cycle_start)
            .bind(6, k->moved_up)
            .bind(7, k->moved_down);
        if (auto s = update_client->run(); !s) {
            return s.error();
        }
    }
    if (retention != nullptr && retention->day_start) {
        auto compacted = compact(pid, time_ms, *retention);
        if (!compacted) {
            return compacted.error();
        }
        result.compacted = *compacted;
    }
    if (auto s = tx->commit(); !s) {
        return s.error();
    }
    return result;
}

Result<size_t> UsageHistory::compact(int64_t pid, int64_t now_ms, const Retention& retention) {
    // Days wholly older than the hourly window, oldest first, that still
    // hold more than one sample row.
    const int64_t cutoff = now_ms - retention.hourly_ms;
    auto rows = SqliteStatement::prepare(
        m_db,
        "SELECT start_ms, end_ms FROM usage_samples WHERE panel_id = ?1 AND resolution = "
        "'sample' AND end_ms < ?2 ORDER BY end_ms");
    if (!rows) {
        return rows.error();
    }
    rows->bind(1, pid).bind(2, cutoff);
    auto samples = collect_rows<Span>(*rows, [](SqliteStatement& s) {
        return Span{s.int64(0), s.int64(1)};
    });
    if (!samples) {
        return samples.error();
    }
    // Group into runs: same local day of end_ms, contiguous, the day over
    // before the cutoff.
    std::vector<std::vector<Span>> runs;
    int64_t run_day = -1;
    for (const auto& s : *samples) {
        const int64_t day = retention.day_start(s.end_ms);
        // A local day is 23 to 25 hours long: 26 h after its start is in the next.
        const int64_t next_day = retention.day_start(day + 26 * 3600 * 1000LL);
        if (next_day > cutoff) {
            break;
        }
        const bool joins =
            !runs.empty() && run_day == day && runs.back().back().end_ms == s.start_ms;
        if (!joins) {
            runs.emplace_back();
            run_day = day;
        }
        runs.back().push_back(s);
    }
    auto sums = SqliteStatement::prepare(
        m_db,
        "SELECT d.client_id, sum(d.up), sum(d.down), max(d.cum_up), max(d.cum_down) FROM "
        "usage_clients c JOIN usage_deltas d ON d.client_id = c.id AND d.end_ms > ?2 AND "
        "d.end_ms <= ?3 WHERE c.panel_id = ?1 GROUP BY d.client_id");
    auto drop_deltas = SqliteStatement::prepare(
        m_db,
        "DELETE FROM usage_deltas WHERE end_ms > ?2 AND end_ms <= ?3 AND client_id IN (SELECT id "
        "FROM usage_clients WHERE panel_id = ?1)");
    auto drop_samples = SqliteStatement::prepare(
        m_db, "DELETE FROM usage_samples WHERE panel_id = ?1 AND end_ms > ?2 AND end_ms <= ?3");
    auto put_sample = SqliteStatement::prepare(
        m_db,
        "INSERT INTO usage_samples (panel_id, end_ms, start_ms, resolution) VALUES (?1, ?2, ?3, "
        "'day')");
    // The day row's running total is the last merged row's (totals never
    // go down: the largest).
    auto put_delta = SqliteStatement::prepare(
        m_db,
        "INSERT INTO usage_deltas (client_id, end_ms, up, down, cum_up, cum_down) VALUES (?1, "
        "?2, ?3, ?4, ?5, ?6)");
    for (auto* st : {&sums, &drop_deltas, &drop_samples, &put_sample, &put_delta}) {
        if (!*st) {
            return st->error();
        }
    }
    size_t merged = 0;
    struct Sum {
        int64_t client_id, up, down, cum_up, cum_down;
    };
    for (const auto& run : runs) {
        if (run.size() < 2) {
            continue;
        }
        const int64_t first_end = run.front().end_ms;
        const int64_t start = run.front().start_ms;
        const int64_t end = run.back().end_ms;
        // Deltas of the run's samples: end_ms in [first_end, end] — the
        // first sample's own deltas included (it ends at first_end).
        sums->reset();
        sums->bind(1, pid).bind(2, first_end - 1).bind(3, end);
        auto total = collect_rows<Sum>(*sums, [](SqliteStatement& s) {
            return Sum{s.int64(0), s.int64(1), s.int64(2), s.int64(3), s.int64(4)};
        });
        if (!total) {
            return total.error();
        }
        drop_deltas->reset();
        drop_deltas->bind(1, pid).bind(2, first_end - 1).bind(3, end);
        drop_samples->reset();
        drop_samples->bind(1, pid).bind(2, first_end - 1).bind(3, end);
        if (auto s = drop_deltas->run(); !s) {
            return s.error();
        }
        if (auto s = drop_samples->run(); !s) {
            return s.error();
        }
        put_sample->reset();
        put_sample->bind(1, pid).bind(2, end).bind(3, start);
        if (auto s = put_sample->run(); !s) {
            return s.error();
        }
        for (const auto& t : *total) {
            put_delta->reset();
            put_delta->bind(1, t.client_id).bind(2, end).bind(3, t.up).bind(4, t.down);
            put_delta->bind(5, t.cum_up).bind(6, t.cum_down);
            if (auto s = put_delta->run(); !s) {
                return s.error();
            }
        }
        merged += run.size();
    }
    return merged;
}

Result<std::vector<Span>> UsageHistory::coverage(const std::string& panel, int64_t from_ms,
                                                 int64_t to_ms) {
    auto st = SqliteStatement::prepare(
        m_db,
        "SELECT s.start_ms, s.end_ms FROM usage_samples s JOIN usage_panels p ON p.id = "
        "s.panel_id WHERE p.identity = ?1 AND s.end_ms > ?2 AND s.end_ms <= ?3 ORDER BY "
        "s.end_ms");
    if (!st) {
        return st.error();
    }
    st->bind(1, panel).bind(2, from_ms).bind(3, to_ms);
    auto rows = collect_rows<Span>(*st, [](SqliteStatement& s) {
        return Span{s.int64(0), s.int64(1)};
    });
    if (!rows) {
        return rows.error();
    }
    return merge_spans(*rows);
}

Result<std::vector<Moved>> UsageHistory::moved(const std::string& panel, int64_t from_ms,
                                               int64_t to_ms) {
    // Running totals (schema step 0004): per client, the total at its last
    // row at or before to_ms minus the total at its last row at or before
    // from_ms — primary-key seeks, whatever the window's length (a year's
    // 30-day window summed ~790 000 rows before). No seek where the answer
    // is known: a `to` at or after the panel's latest sample is the client's
    // whole total (usage_clients.moved_*), a `from` before the client was
    // first seen is 0 (its rows all come after).
    auto st = SqliteStatement::prepare(
        m_db,
        "WITH p AS (SELECT id, (SELECT max(end_ms) FROM usage_samples s WHERE s.panel_id = "
        "usage_panels.id) AS last FROM usage_panels WHERE identity = ?1) SELECT c.email, "
        "CASE WHEN ?3 >= p.last THEN c.moved_up ELSE coalesce((SELECT d.cum_up FROM usage_deltas "
        "d WHERE d.client_id = c.id AND d.end_ms <= ?3 ORDER BY d.end_ms DESC LIMIT 1), 0) END - "
        "CASE WHEN ?2 < c.first_ms THEN 0 ELSE coalesce((SELECT d.cum_up FROM usage_deltas d "
        "WHERE d.client_id = c.id AND d.end_ms <= ?2 ORDER BY d.end_ms DESC LIMIT 1), 0) END, "
        "CASE WHEN ?3 >= p.last THEN c.moved_down ELSE coalesce((SELECT d.cum_down FROM "
        "usage_deltas d WHERE d.client_id = c.id AND d.end_ms <= ?3 ORDER BY d.end_ms DESC LIMIT "
        "1), 0) END - CASE WHEN ?2 < c.first_ms THEN 0 ELSE coalesce((SELECT d.cum_down FROM "
        "usage_deltas d WHERE d.client_id = c.id AND d.end_ms <= ?2 ORDER BY d.end_ms DESC LIMIT "
        "1), 0) END FROM p JOIN usage_clients c ON c.panel_id = p.id ORDER BY c.email");
    if (!st) {
        return st.error();
    }
    st->bind(1, panel).bind(2, from_ms).bind(3, to_ms);
    // Clients that moved nothing in the window are left out here, not in
    // SQL: a WHERE on those columns would run every seek twice.
    std::vector<Moved> rows;
    while (true) {
        auto more = st->step();
        if (!more) {
            return more.error();
        }
        if (!*more) {
            return rows;
        }
        Moved m{st->text(0), st->int64(1), st->int64(2)};
        if (m.up != 0 || m.down != 0) {
            rows.push_back(std::move(m));
        }
    }
}

Result<std::vector<DeltaRow>> UsageHistory::deltas(const std::string& panel,
                                                   const std::string& email, int64_t from_ms,
                                                   int64_t to_ms) {
    auto st = SqliteStatement::prepare(
        m_db,
        "SELECT c.email, d.end_ms, d.up, d.down FROM usage_panels p JOIN usage_clients c ON "
        "c.panel_id = p.id JOIN usage_deltas d ON d.client_id = c.id AND d.end_ms > ?2 AND "
        "d.end_ms <= ?3 WHERE p.identity = ?1 AND (?4 = '' OR c.email = ?4) ORDER BY c.email, "
        "d.end_ms");
    if (!st) {
        return st.error();
    }
    st->bind(1, panel).bind(2, from_ms).bind(3, to_ms).bind(4, email);
    return collect_rows<DeltaRow>(*st, [](SqliteStatement& s) {
        return DeltaRow{s.text(0), s.int64(1), s.int64(2), s.int64(3)};
    });
}

Result<std::vector<LifetimeRow>> UsageHistory::lifetime(const std::string& panel) {
    auto st = SqliteStatement::prepare(
        m_db,
        "SELECT c.email, c.first_ms, c.first_up + c.moved_up, c.first_down + c.moved_down FROM "
        "usage_panels p JOIN usage_clients c ON c.panel_id = p.id WHERE p.identity = ?1");
    if (!st) {
        return st.error();
    }
    st->bind(1, panel);
    return collect_rows<LifetimeRow>(*st, [](SqliteStatement& s) {
        return LifetimeRow{s.text(0), s.int64(1), s.int64(2), s.int64(3)};
    });
}

Result<std::vector<CycleRow>> UsageHistory::cycles(const std::string& panel,
                                                   const std::string& email) {
    auto st = SqliteStatement::prepare(
        m_db,
        "SELECT c.email, y.start_ms, y.last_ms, y.seen_ms, y.up, y.down, y.cause FROM "
        "usage_panels p JOIN usage_clients c ON c.panel_id = p.id JOIN usage_cycles y ON "
        "y.client_id = c.id WHERE p.identity = ?1 AND (?2 = '' OR c.email = ?2) UNION ALL "
        "SELECT c.email, c.cycle_start_ms, c.last_ms, 0, c.last_up, "
        "c.last_down, '' FROM usage_panels p JOIN "
        "usage_clients c ON c.panel_id = p.id WHERE p.identity = ?1 AND (?2 = '' OR c.email = "
        "?2) ORDER BY 1, 2");
    if (!st) {
        return st.error();
    }
    st->bind(1, panel).bind(2, email);
    return collect_rows<CycleRow>(*st, [](SqliteStatement& s) {
        return CycleRow{s.text(0),  s.int64(1), s.int64(2), s.int64(3),
                        s.int64(4), s.int64(5), s.text(6)};
    });
}

Result<std::optional<Span>> UsageHistory::extent(const std::string& panel) {
    auto st = SqliteStatement::prepare(
        m_db,
        "SELECT min(s.start_ms), max(s.end_ms) FROM usage_samples s JOIN usage_panels p ON p.id "
        "= s.panel_id WHERE p.identity = ?1");
    if (!st) {
        return st.error();
    }
    st->bind(1, panel);
    if (auto row = st->step(); !row) {
        return row.error();
    }
    if (st->is_null(0)) {
        return std::optional<Span>();
    }
    return std::optional<Span>(Span{st->int64(0), st->int64(1)});
}

Result<int64_t> UsageHistory::row_count(const std::string& table) {
    if (table != "usage_deltas" && table != "usage_samples" && table != "usage_clients") {
        return make_error(ErrorKind::usage, "row_count: unknown table " + table);
    }
    auto st = SqliteStatement::prepare(m_db, "SELECT count(*) FROM " + table);
    if (!st) {
        return st.error();
    }
    if (auto row = st->step(); !row) {
        return row.error();
    }
    return st->int64(0);
}

}  // namespace xuictl
