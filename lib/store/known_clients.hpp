#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "store/sqlite.hpp"
#include "util/result.hpp"

namespace xuictl {

// One client row of a panel's usage history (usage_clients), as a sample
// compares the panel's counters with it.
struct KnownClient {
    int64_t id = 0;
    int64_t last_ms = 0;
    int64_t last_up = 0;
    int64_t last_down = 0;
    int64_t cycle_start_ms = 0;
    int64_t moved_up = 0;  // sum of its deltas: the running total the next one adds to
    int64_t moved_down = 0;
    bool seen = false;  // in this sample already (a shared client's other rows are skipped)
};

// Every client of one panel, looked up by email. A collect reads all of them
// (100 000 on a big panel) on every sample: the emails live in one buffer
// and the index holds views into it, so loading costs no allocation per
// client (a map of std::string keys was a sixth of collect's CPU).
class KnownClients {
public:
    // The clients of `panel_id` (none for a panel without history).
    static Result<KnownClients> load(SqliteDb& db, int64_t panel_id);

    // nullptr for an email the history has never seen.
    KnownClient* find(std::string_view email);

private:
    // A vector, not a std::string: moving it keeps its buffer (a short
    // std::string would move its characters, and the views would dangle).
    std::vector<char> m_emails;
    std::vector<KnownClient> m_rows;
    std::unordered_map<std::string_view, size_t> m_index;
};

// What the next sample of a panel compares with, read at one moment: the
// panel's history id, its latest sample and every client it knows.
// UsageHistory::prepare_sample reads it before the panel's list has arrived
// (collect does both at once); record_sample uses it only when no sample of
// the panel was recorded in between, and otherwise reads the clients again.
struct SampleBase {
    std::optional<int64_t> panel_id;   // nullopt: no history of this panel yet
    std::optional<int64_t> latest_ms;  // end of its latest sample
    KnownClients known;
};

}  // namespace xuictl
