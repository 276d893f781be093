// bench/history_year: a synthetic year of hourly collects into a usage
// history, through lib/store/UsageHistory (the code `xuictl collect` runs),
// then the queries' own time. Used by bench/history; prints figures, is no test.
//
//   history_year DB IDENTITY EMAILS_FILE [HOURS] [END_MS]
//
// Every hour about a third of the clients (a different third each hour)
// move some bytes; every 30 days a tenth of them are reset by the panel.
// Retention is the product's: samples kept 7 days, then merged per day (UTC
// days here: the bench runs with TZ=UTC).
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "store/usage_history.hpp"

using namespace xuictl;

namespace {

constexpr int64_t kHour = 3600 * 1000LL;
constexpr int64_t kDay = 24 * kHour;

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 4) {
        std::fprintf(stderr, "usage: history_year DB IDENTITY EMAILS_FILE [HOURS] [END_MS]\n");
        return 2;
    }
    const std::string db = argv[1];
    const std::string identity = argv[2];
    std::vector<std::string> emails;
    {
        std::ifstream in(argv[3]);
        for (std::string line; std::getline(in, line);) {
            if (!line.empty()) {
                emails.push_back(line);
            }
        }
    }
    const int64_t hours = argc > 4 ? std::stoll(argv[4]) : 365 * 24;
    const int64_t end_ms = argc > 5 ? std::stoll(argv[5]) : 1798761600000LL;  // 2027-01-01 UTC
    const int64_t start_ms = end_ms - hours * kHour;
    auto history = UsageHistory::open(db, 10000);
    if (!history) {
        std::fprintf(stderr, "%s\n", history.error().message.c_str());
        return 1;
    }
    // A year of fsyncs would take the bench an hour: the fill does not wait
    // for the disk (size and query times do not depend on it; a collect's
    // own cost is measured by bench/history against the sandbox).
    if (auto s = history->database().exec("PRAGMA synchronous = OFF"); !s) {
        return 1;
    }
    Retention retention;
    retention.hourly_ms = 7 * kDay;
    retention.day_start = [](int64_t ms) { return ms - ms % kDay; };
    std::vector<CounterReading> readings;
    for (const auto& e : emails) {
        readings.push_back({e, 1000000, 2000000});
    }
    const auto t0 = std::chrono::steady_clock::now();
    double slowest = 0;
    for (int64_t h = 0; h <= hours; ++h) {
        for (size_t i = 0; i < readings.size(); ++i) {
            if (static_cast<int64_t>(i % 3) == h % 3) {
                readings[i].up += 1000 + static_cast<int64_t>(i % 977) * 4096;
                readings[i].down += 5000 + static_cast<int64_t>(i % 491) * 65536;
            }
            if (h > 0 && h % (30 * 24) == 0 && i % 10 == 0) {
                readings[i].up = 0;
                readings[i].down = 0;
            }
        }
        const auto s0 = std::chrono::steady_clock::now();
        auto r = history->record_sample(identity, "", start_ms + h * kHour, readings, &retention);
        if (!r) {
            std::fprintf(stderr, "%s\n", r.error().message.c_str());
            return 1;
        }
        slowest = std::max(slowest, seconds_since(s0));
    }
    const double total = seconds_since(t0);
    std::printf("samples %lld clients %zu: %.1f s (%.2f ms per collect, slowest %.0f ms)\n",
                static_cast<long long>(hours + 1), emails.size(), total,
                1000.0 * total / static_cast<double>(hours + 1), slowest * 1000);
    std::printf("rows: usage_deltas %lld, usage_samples %lld\n",
                static_cast<long long>(*history->row_count("usage_deltas")),
                static_cast<long long>(*history->row_count("usage_samples")));
    auto q0 = std::chrono::steady_clock::now();
    auto moved = history->moved(identity, end_ms - 30 * kDay, end_ms);
    const double moved_s = seconds_since(q0);
    q0 = std::chrono::steady_clock::now();
    auto series = history->deltas(identity, emails.front(), end_ms - 30 * kDay, end_ms);
    const double series_s = seconds_since(q0);
    if (!moved || !series) {
        return 1;
    }
    std::printf("query moved(30 days, all clients): %.1f ms, %zu rows\n", moved_s * 1000,
                moved->size());
    std::printf("query deltas(30 days, one client): %.2f ms, %zu rows\n", series_s * 1000,
                series->size());
    return 0;
}
