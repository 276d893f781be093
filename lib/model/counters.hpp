#pragma once

#include <cstdint>
#include <string>

namespace xuictl {

// Absolute up/down byte counters for one client (keyed by email, as the
// panel keys its client_traffics rows): what `traffic restore` writes.
struct ClientCounters {
    std::string email;
    int64_t up = 0;
    int64_t down = 0;

    int64_t used() const { return up + down; }
    bool operator==(const ClientCounters&) const = default;
};

}  // namespace xuictl
