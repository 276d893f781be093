#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "store/known_clients.hpp"
#include "store/sqlite.hpp"
#include "util/result.hpp"

namespace xuictl {

// Usage history (issue #16): what each client of a panel moved between two
// samples, kept across the panel's counter resets, in the xuictl database
// (schema: store/migrations/0002_usage_history.sql; 0004 adds running totals,
// so a window's bytes per client cost index seeks, not a scan of the window).
//
// Model. A sample is the panel's counters read at one time. It stores, per
// client whose counters changed since the previous sample of the same
// panel, the bytes moved in (previous sample, this sample] — "seen at" this
// sample. A counter that went down is a reset: the closed cycle is recorded
// with the totals last seen, and the new counter values are what moved since
// (nothing is ever negative; bytes moved between the last sample and the
// reset are not seen, so history is a lower bound, never an invention).
// Clients are keyed by email: a shared client (one email under several
// inbounds, v3.1+) is counted once.

// One client's counters in a list read.
struct CounterReading {
    std::string email;
    int64_t up = 0;
    int64_t down = 0;
};

// The retention policy applied by record_sample(..., retention).
// Samples whose local day ended more than `hourly_ms` before the new sample
// are merged per local day: a day's contiguous samples become one, their
// deltas summed per client. `day_start(ms)` is the local midnight at or
// before ms (app/calendar.hpp, since local time lives in app/).
struct Retention {
    int64_t hourly_ms = 0;
    std::function<int64_t(int64_t)> day_start;
};

struct SampleResult {
    bool skipped = false;    // a sample at or after time_ms exists: nothing written
    bool first = false;      // the panel's first sample (it covers no time yet)
    size_t clients = 0;      // distinct emails read
    size_t changed = 0;      // clients with a delta row
    size_t new_clients = 0;  // first seen now (their counters are the lifetime base)
    size_t resets = 0;       // closed cycles
    size_t compacted = 0;    // samples merged into days by retention
};

// A covered time span [start_ms, end_ms] (contiguous samples).
struct Span {
    int64_t start_ms = 0;
    int64_t end_ms = 0;
};

// What one client moved in a window.
struct Moved {
    std::string email;
    int64_t up = 0;
    int64_t down = 0;
};

// One delta row of a client (for per-period views).
struct DeltaRow {
    std::string email;
    int64_t end_ms = 0;
    int64_t up = 0;
    int64_t down = 0;
};

// Lifetime of a client: the counters when first seen plus every delta since.
struct LifetimeRow {
    std::string email;
    int64_t first_ms = 0;
    int64_t up = 0;
    int64_t down = 0;
};

// A cycle of a client: closed ones (reset seen) and the open one.
struct CycleRow {
    std::string email;
    int64_t start_ms = 0;
    int64_t last_ms = 0;  // last sample that saw the cycle's counters
    int64_t seen_ms = 0;  // the sample that saw the reset; 0 = still open
    int64_t up = 0;       // totals last seen in the cycle
    int64_t down = 0;
    std::string cause;  // "panel", "xuictl <command> <id>", "" while open
};

class UsageHistory {
public:
    // Opens (creating) the database at `path` (the store's file; its
    // directory exists, 0700), migrating it to the latest schema.
    static Result<UsageHistory> open(const std::string& path, int busy_timeout_ms);

    // Records one sample of `panel` (its identity, see usage_panels) read at
    // time_ms, in one transaction (a crash leaves the previous sample or this
    // one). `audit_panel` is the panel's URL as audit records name it, to
    // tell our resets from the panel's. A sample at or before the panel's
    // latest one (a concurrent collect got there first, or the clock went
    // back) is skipped. Duplicate emails count once (the first reading).
    // With `retention`, old samples are compacted in the same transaction.
    // `base` (from prepare_sample, consumed) spares reading the panel's
    // clients again when no sample was recorded since it was read.
    Result<SampleResult> record_sample(const std::string& panel, const std::string& audit_panel,
                                       int64_t time_ms, const std::vector<CounterReading>& readings,
                                       const Retention* retention, SampleBase* base = nullptr);

    // What the next sample of `panel` compares with, read now and changing
    // nothing: collect reads it while the panel is still sending its list.
    Result<SampleBase> prepare_sample(const std::string& panel);

    // The spans covered by samples seen in (from_ms, to_ms], merged where
    // contiguous, oldest first. A span may start before from_ms: a sample's
    // bytes count at the time it was taken.
    Result<std::vector<Span>> coverage(const std::string& panel, int64_t from_ms, int64_t to_ms);
    // Per client, the bytes of samples seen in (from_ms, to_ms]; clients
    // that moved nothing are absent.
    Result<std::vector<Moved>> moved(const std::string& panel, int64_t from_ms, int64_t to_ms);
    // Every delta row seen in (from_ms, to_ms], of one client or (empty
    // email) all, ordered by email then time.
    Result<std::vector<DeltaRow>> deltas(const std::string& panel, const std::string& email,
                                         int64_t from_ms, int64_t to_ms);
    // Every client ever seen on the panel.
    Result<std::vector<LifetimeRow>> lifetime(const std::string& panel);
    // Closed cycles, then each client's open one, ordered by email then start.
    // `email` empty: all clients.
    Result<std::vector<CycleRow>> cycles(const std::string& panel, const std::string& email);
    // Span of all samples of the panel (first to last), nullopt when none.
    Result<std::optional<Span>> extent(const std::string& panel);

    // The connection, for bench/history_year's fill pragmas only.
    SqliteDb& database() { return m_db; }

    // Rows in usage_deltas, usage_samples or usage_clients (bench, tests).
    Result<int64_t> row_count(const std::string& table);

private:
    explicit UsageHistory(SqliteDb db) : m_db(std::move(db)) {}
    Result<std::optional<int64_t>> panel_id(const std::string& panel);
    Result<std::optional<int64_t>> latest_sample_ms(int64_t panel_id);
    Result<SampleBase> read_sample_base(const std::string& panel);
    Result<size_t> compact(int64_t panel_id, int64_t now_ms, const Retention& retention);
    SqliteDb m_db;
};

}  // namespace xuictl
