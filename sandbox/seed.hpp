#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "db.hpp"

namespace sandbox {

struct SeedSpec {
    int inbounds = 3;
    int clients_per_inbound = 8;
    std::uint64_t seed = 1;
    std::int64_t now_ms = 0;  // expiries are relative to this (days away, never racing a test)
    std::vector<std::string> emails;  // the first clients' emails instead of the generated ones
};

// Fills an empty Db with deterministic demo data: inbound ids 1..N with
// protocols cycling vless/vmess/trojan/shadowsocks, clients
// `c<inbound>-<k>@example.test` whose state cycles with k mod 8:
//   1 normal, 2 depleted by traffic, 3 expired, 4 disabled by admin,
//   5 unlimited, 6 delayed start, 7 periodic reset (depleted but reset>0),
//   0 near quota.
// spec.emails, when given, replace the generated emails of the first
// clients in seeding order (inbound 1's first, ...).
// When N >= 3 the last inbound holds only depleted clients (alternating
// quota-hit and expired), so a classic purge deletes it.
void seed_db(Db& db, const SeedSpec& spec);

}  // namespace sandbox
