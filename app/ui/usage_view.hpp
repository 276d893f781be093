#pragma once

#include <iosfwd>
#include <optional>
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
    bool raw_bytes = false;  // --bytes; TSV/CSV cells are always raw (data_cells)
    int64_t now_ms = 0;
    DepletedRule rule = DepletedRule::quota_or_expiry;
};

std::string bytes_cell(int64_t bytes, bool raw);
std::string quota_cell(int64_t quota, bool raw);  // "unlimited" for 0

// TSV and CSV are data for spreadsheets and scripts, whatever a table shows
// people (README "Output"): bytes as integers, ratios as plain decimals,
// times as ISO 8601 UTC, booleans true/false. The cells below take `data`
// (data_cells(format)) and give the friendly text when it is false.
inline bool data_cells(Format format) {
    return format == Format::csv || format == Format::tsv;
}
// "12.5%" / "-"; data: "12.50" / "" (no quota).
std::string percent_cell(std::optional<double> percent, bool data);
// "in 29d 23h", "never", "expired 2d ago", "30d after first use"; data: the
// ISO 8601 UTC time, "" for never and for a delayed start (negative expiry:
// the clock starts at first use, -o json has expiry_time).
std::string expiry_cell(int64_t expiry_ms, int64_t now_ms, bool data);
// "yes" / "no"; data: "true" / "false".
std::string flag_cell(bool value, bool data);
// Local "YYYY-MM-DD HH:MM"; data: ISO 8601 UTC.
std::string time_cell(int64_t unix_ms, bool data);

// Client rows: INBOUND, EMAIL, UP, DOWN, USED, QUOTA, USED%, EXPIRES, ENABLED, DEPLETED,
// then what the panel will do by itself (model/cycle.hpp): for a table one
// CYCLE cell; for TSV/CSV (`format`, data cells) data columns RENEWALS_LEFT
// (empty = unlimited or none), NEXT_RENEWAL and NEXT_TRAFFIC_RESET (ISO 8601
// UTC, empty = none), TRAFFIC_RESET (never|hourly|daily|weekly|monthly, empty
// = not in the list read) and STATE (enabled|disabled|auto-disabled: what the
// table's ENABLED shows; the data ENABLED is true/false).
Table client_table(const std::vector<ClientUsage>& clients, const UsageStyle& style,
                   Format format = Format::table);
// Inbound rows: ID, REMARK, PROTOCOL, PORT, CLIENTS, UP, DOWN, USED, QUOTA, USED%, EXPIRES,
// ENABLED; data cells for TSV/CSV (`format`).
Table inbound_table(const std::vector<Inbound>& inbounds, const UsageStyle& style,
                    Format format = Format::table);

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
