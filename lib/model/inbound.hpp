#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace xuictl {

// A client's own traffic-reset cycle (3x-ui after v3.6.0: settings.clients[]
// trafficReset, reset by the periodic job, 3x-ui-after-3.6.md §2.4). `unknown`
// when the list does not carry it (list/slim, or a panel ≤ v3.6.0 reads as
// never: the key is omitted when empty).
enum class TrafficCycle : uint8_t { unknown, never, hourly, daily, weekly, monthly };
// "never", "hourly", ... ; nullopt for text the panel does not use.
TrafficCycle traffic_cycle_from(std::string_view text);
const char* to_string(TrafficCycle cycle);

// One row of the panel's client_traffics table (3x-ui-api.md §6.2): the
// counters and the limits the panel enforces. Bytes and unix milliseconds.
struct ClientTraffic {
    int64_t id = 0;
    int inbound_id = 0;
    bool enable = true;  // false once the panel auto-disabled it
    std::string email;
    int64_t up = 0;
    int64_t down = 0;
    int64_t total = 0;        // quota in bytes, 0 = unlimited
    int64_t expiry_time = 0;  // ms; 0 = never; negative = starts after first use
    int reset = 0;            // auto-renew period in days, 0 = off
    int reset_day = 0;        // HEAD calendar renewal day, 0 = off
    int reset_max = 0;        // renewals allowed, 0 = unlimited (after v3.6.0)
    int reset_count = 0;      // renewals done so far (after v3.6.0)
    int64_t last_online = 0;  // ms
    int64_t all_time = 0;     // cumulative bytes (v2.6.7 – v3.0.2 only)
};

// One entry of an inbound's settings.clients (§6.3): the admin's view. Only
// what xuictl uses is kept (subId, tgId, limitIp, comment are not read): a
// 100 000-client list must fit in little memory, and a field that is not read
// cannot break a listing when a panel release changes its type.
struct Client {
    std::string email;
    bool enable = true;       // the admin's switch
    int64_t total_bytes = 0;  // "totalGB" — bytes despite the name
    int64_t expiry_time = 0;
    int reset = 0;
    TrafficCycle traffic_cycle = TrafficCycle::never;  // after v3.6.0, omitted = never
    int traffic_reset_day = 1;                         // 1-31, for monthly
};

// One inbound as inbounds/list returns it (§6.1).
struct Inbound {
    int id = 0;
    std::string remark;
    std::string protocol;
    std::string tag;
    int port = 0;
    bool enable = true;
    int64_t up = 0;
    int64_t down = 0;
    int64_t total = 0;
    int64_t expiry_time = 0;
    std::string traffic_reset;         // never|hourly|daily|weekly|monthly (v2.8.1+)
    bool has_traffic_reset = false;    // the field exists: the panel is v2.8.1 or newer
    bool settings_was_object = false;  // v3.1+ serialises settings as nested JSON
    bool clients_complete = false;     // settings.clients[] carried totalGB: not list/slim
    bool rows_after_3_6 = false;       // a clientStats row carried resetCount (after v3.6.0)
    int node_id = 0;  // a master's inbound hosted on node `node_id`; 0 = this panel's own
    std::vector<Client> clients;
    std::vector<ClientTraffic> client_stats;
    size_t consumed_clients = 0;  // clients taken by UsageBuilder::consume

    // How many clients the inbound has, also after UsageBuilder::consume.
    size_t client_count() const { return clients.size() + consumed_clients; }
};

// Server status (§4.1 classic routes, "server/status"): the parts xuictl shows.
struct ServerStatus {
    std::string panel_version;  // "" before v3.1.0 (not reported)
    std::string xray_state;
    std::string xray_version;
    int64_t uptime_s = 0;
    double cpu_percent = 0;
    int64_t mem_current = 0;
    int64_t mem_total = 0;
};

}  // namespace xuictl
