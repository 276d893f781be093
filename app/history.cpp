#include "history.hpp"

#include <sys/stat.h>

#include <thread>

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

struct SampleAhead::Work {
    std::optional<Ready> ready;
    std::thread thread;
};

SampleAhead::SampleAhead(Context& ctx, PanelApi& api) : m_work(std::make_unique<Work>()) {
    // Opened here (not on the thread): opening reads ctx, and may migrate.
    auto history = open_history(ctx, false);
    if (!history || !*history) {
        return;
    }
    Work& w = *m_work;
    w.ready.emplace(Ready{std::move(**history), SampleBase{}});
    w.thread = std::thread([&w, panel = panel_identity(ctx, api)] {
        auto base = w.ready->history.prepare_sample(panel);
        if (base) {
            w.ready->base = std::move(*base);
        } else {
            w.ready.reset();
        }
    });
}

SampleAhead::~SampleAhead() {
    wait();
}

SampleAhead::Ready* SampleAhead::wait() {
    if (m_work->thread.joinable()) {
        m_work->thread.join();
    }
    return m_work->ready ? &*m_work->ready : nullptr;
}

Result<SampleResult> record_history_sample(Context& ctx, PanelApi& api, int64_t time_ms,
                                           const std::vector<CounterReading>& readings,
                                           SampleAhead* ahead) {
    const Retention retention = history_retention();
    const std::string panel = panel_identity(ctx, api);
    const std::string audit_panel = api.session().url().base_url();
    if (SampleAhead::Ready* ready = ahead != nullptr ? ahead->wait() : nullptr) {
        // The store is opened as for any sample (it imports the previous
        // release's files once); the sample goes on the connection that
        // read ahead.
        if (auto store = open_local_store(ctx); !store) {
            return store.error();
        }
        return ready->history.record_sample(panel, audit_panel, time_ms, readings, &retention,
                                            &ready->base);
    }
    auto history = open_history(ctx, true);
    if (!history) {
        return history.error();
    }
    return (*history)->record_sample(panel, audit_panel, time_ms, readings, &retention);
}

}  // namespace xuictl
