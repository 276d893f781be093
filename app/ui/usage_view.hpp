#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "model/inbound.hpp"
#include "model/usage.hpp"
#include "ui/json_out.hpp"
#include "ui/table.hpp"
#include "util/units.hpp"

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

// Client rows: INBOUND, EMAIL, UP, DOWN, USED, QUOTA, USED%, EXPIRES, ENABLED, DEPLETED,
// then what the panel will do by itself (model/cycle.hpp): for a table one
// CYCLE cell; for TSV/CSV (`format`) data columns RENEWALS_LEFT (empty =
// unlimited or none), NEXT_RENEWAL and NEXT_TRAFFIC_RESET (ISO 8601 UTC, empty
// = none), TRAFFIC_RESET (never|hourly|daily|weekly|monthly, empty = not in
// the list read).
Table client_table(const std::vector<ClientUsage>& clients, const UsageStyle& style,
                   Format format = Format::table);
// Inbound rows: ID, REMARK, PROTOCOL, PORT, CLIENTS, UP, DOWN, USED, QUOTA, USED%, EXPIRES,
// ENABLED.
Table inbound_table(const std::vector<Inbound>& inbounds, const UsageStyle& style);

// JSON objects with stable keys (documented in the man page, FILES/OUTPUT).
void write_client_json(JsonWriter& w, const ClientUsage& c, const UsageStyle& style);
// The "cycle" member of a client object: renewals (renews, reset_day,
// renewals_max/done/left, next_renewal_ms) and the client's own traffic reset
// (traffic_reset: null when the list read does not carry it,
// traffic_reset_day, next_traffic_reset_ms: UTC estimate), and
// never_purged_by_panel (capped renewals spent: delDepleted never matches).
void write_cycle_json(JsonWriter& w, const ClientUsage& c, int64_t now_ms);
void write_inbound_json_fields(JsonWriter& w, const Inbound& in, const UsageStyle& style);

// Sums over clients, as stats shows them (per panel, and for a fleet). A
// client shared by several inbounds (v3.1+) is listed under each with its
// one traffic row: `rows` counts the listings, the rest count it once.
struct ClientTotals {
    uint64_t clients = 0;
    uint64_t rows = 0;
    uint64_t depleted = 0;
    int64_t up = 0;
    int64_t down = 0;
    int64_t used() const { return saturating_add(up, down); }
    ClientTotals& operator+=(const ClientTotals& other);
};
ClientTotals client_totals(const std::vector<ClientUsage>& clients, const UsageStyle& style);
// {"clients", "rows", "depleted", "up", "down", "used"}
void write_totals_json(JsonWriter& w, const ClientTotals& totals);

// "enabled", "disabled by admin", "auto-disabled", for one client.
std::string client_state(const ClientUsage& c);

}  // namespace xuictl
