#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "model/inbound.hpp"
#include "model/usage.hpp"
#include "ui/json_out.hpp"
#include "ui/table.hpp"

namespace xuictl {

// How usage values turn into cells and JSON, written once for stats,
// clients list/show and the plans of destructive commands.
struct UsageStyle {
    bool raw_bytes = false;
    int64_t now_ms = 0;
    DepletedRule rule = DepletedRule::quota_or_expiry;
};

std::string bytes_cell(int64_t bytes, bool raw);
std::string quota_cell(int64_t quota, bool raw);  // "unlimited" for 0

// Client rows: INBOUND, EMAIL, UP, DOWN, USED, QUOTA, USED%, EXPIRES, ENABLED, DEPLETED.
Table client_table(const std::vector<ClientUsage>& clients, const UsageStyle& style);
// Inbound rows: ID, REMARK, PROTOCOL, PORT, CLIENTS, UP, DOWN, USED, QUOTA, USED%, EXPIRES, ENABLED.
Table inbound_table(const std::vector<Inbound>& inbounds, const UsageStyle& style);

// JSON objects with stable keys (documented in the man page, FILES/OUTPUT).
void write_client_json(JsonWriter& w, const ClientUsage& c, const UsageStyle& style);
void write_inbound_json_fields(JsonWriter& w, const Inbound& in, const UsageStyle& style);

// Sums over clients, as stats shows them (per panel, and for a fleet).
struct ClientTotals {
    uint64_t clients = 0;
    uint64_t depleted = 0;
    int64_t up = 0;
    int64_t down = 0;
    int64_t used() const { return up + down; }
    ClientTotals& operator+=(const ClientTotals& other);
};
ClientTotals client_totals(const std::vector<ClientUsage>& clients, const UsageStyle& style);
// {"clients", "depleted", "up", "down", "used"}
void write_totals_json(JsonWriter& w, const ClientTotals& totals);

// "enabled", "disabled by admin", "auto-disabled", for one client.
std::string client_state(const ClientUsage& c);

}  // namespace xuictl
