#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "context.hpp"
#include "model/inbound.hpp"
#include "model/usage.hpp"
#include "store/usage_history.hpp"

namespace xuictl {

// The app side of the usage history (store/usage_history.hpp): where it
// lives, which panel a sample belongs to, and the retention policy.
//
// Retention (documented in README and the man page): every sample is kept
// for kHourlyDays days (hourly collects = hourly detail); after that, each
// local day's samples are merged into one (per client, the day's bytes).
// Pruning runs in every collect, inside the sample's transaction.
constexpr int kHourlyDays = 7;
Retention history_retention();

// The history key of the connected panel: its normalised base URL, a space,
// and "user:" + the FNV-1a hash of the panel user ("(token)" with an API
// token). Valid after ctx.panel().
std::string panel_identity(Context& ctx, PanelApi& api);

// The database (the store's file). nullopt when it does not exist and
// create is false: a read creates nothing.
Result<std::optional<UsageHistory>> open_history(Context& ctx, bool create);

// One reading per client with a traffic row (shared clients appear once per
// inbound here; record_sample counts each email once).
std::vector<CounterReading> readings_of(const std::vector<ClientUsage>& clients);

// The history's side of a sample read ahead, on a thread of its own, while
// the panel is still sending its list (collect: a 100 000-client panel
// takes ~250 ms to answer, loading its 100 000 known clients ~55 ms). Only
// on a database that exists: the first sample creates it, and only once
// the panel has answered. Reads only; joined on destruction.
class SampleAhead {
public:
    SampleAhead(Context& ctx, PanelApi& api);
    ~SampleAhead();
    SampleAhead(const SampleAhead&) = delete;
    SampleAhead& operator=(const SampleAhead&) = delete;

    // Waits for the thread. The opened history and what it read, or
    // nullptr when nothing could be read ahead (no database yet, or an
    // error: the sample then reads for itself and reports it).
    struct Ready {
        UsageHistory history;
        SampleBase base;
    };
    Ready* wait();

private:
    struct Work;
    std::unique_ptr<Work> m_work;
};

// Records a sample of `api`'s panel (with retention) read at time_ms; with
// `ahead`, on its connection and with what it read.
Result<SampleResult> record_history_sample(Context& ctx, PanelApi& api, int64_t time_ms,
                                           const std::vector<CounterReading>& readings,
                                           SampleAhead* ahead = nullptr);

}  // namespace xuictl
