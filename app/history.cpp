#include "history.hpp"

#include <sys/stat.h>

#include <fmt/format.h>

#include "calendar.hpp"
#include "local_store.hpp"
#include "util/fnv1a.hpp"

namespace xuictl {
namespace {

// A collect waits this long for another xuictl's transaction (a 100 000
// client sample commits in well under a second).
constexpr int kHistoryBusyTimeoutMs = 10000;

}  // namespace

Retention history_retention() {
    Retention r;
    r.hourly_ms = int64_t{kHourlyDays} * 24 * 3600 * 1000;
    r.day_start = [](int64_t ms) { return period_start_ms(Period::day, ms); };
    return r;
}

std::string panel_identity(Context& ctx, PanelApi& api) {
    // The user by a hash: the database holds no panel user name (a user
    // name may double as a password, and the file is not the panel's).
    std::string user = "(token)";
    if (auto r = ctx.resolve(); r && !r->username.empty()) {
        user = fmt::format("user:{:016x}", fnv1a(r->username));
    }
    return api.session().url().base_url() + " " + user;
}

Result<std::optional<UsageHistory>> open_history(Context& ctx, bool create) {
    auto where = local_store_location(ctx.env());
    if (!where) {
        return where.error();
    }
    struct stat st {};
    if (!create && ::stat(where->database.c_str(), &st) != 0) {
        return std::optional<UsageHistory>();
    }
    if (create) {
        // The store creates the directory (0700) and the file (0600),
        // migrates, and imports the previous release's files once.
        auto store = open_local_store(ctx);
        if (!store) {
            return store.error();
        }
    }
    auto history = UsageHistory::open(where->database, kHistoryBusyTimeoutMs);
    if (!history) {
        return history.error();
    }
    return std::optional<UsageHistory>(std::move(*history));
}

std::vector<CounterReading> readings_of(const std::vector<ClientUsage>& clients) {
    std::vector<CounterReading> out;
    out.reserve(clients.size());
    for (const auto& c : clients) {
        if (c.has_traffic_row) {
            out.push_back(CounterReading{c.email, c.up, c.down});
        }
    }
    return out;
}

Result<SampleResult> record_history_sample(Context& ctx, PanelApi& api, int64_t time_ms,
                                           const std::vector<CounterReading>& readings) {
    auto history = open_history(ctx, true);
    if (!history) {
        return history.error();
    }
    const Retention retention = history_retention();
    return (*history)->record_sample(panel_identity(ctx, api), api.session().url().base_url(),
                                     time_ms, readings, &retention);
}

}  // namespace xuictl
