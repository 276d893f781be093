#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "op_status.hpp"
#include "version.hpp"

namespace sandbox {

enum class Protocol { vless, vmess, trojan, shadowsocks };

[[nodiscard]] std::string_view protocol_name(Protocol protocol);

// One `client_traffics` row (§6.2). `email` is unique. Bytes and unix ms.
struct TrafficRow {
    int id = 0;
    int inbound_id = 0;  // the inbound the row was created under (stale in v3)
    bool enable = true;  // accounting / auto-disable flag
    std::string email;
    std::int64_t up = 0;
    std::int64_t down = 0;
    std::int64_t all_time = 0;  // v2.6.7 - v3.0.2 only
    std::int64_t expiry_time = 0;
    std::int64_t total = 0;
    int reset = 0;
    // After v3.6.0 (3x-ui-after-3.6.md §2.3, internal/xray/client_traffic.go:17-25):
    int reset_day = 0;    // calendar renewal day 1-31, 0 = interval renewal (`reset` days)
    int reset_max = 0;    // renewals allowed, 0 = unlimited
    int reset_count = 0;  // renewals done
    std::int64_t last_online = 0;
    bool online = false;  // emulator-only: reported by the `onlines` routes
    int client_id = 0;    // emulator-only link to the owning client (0 = orphan row)
};

// A client: the `settings.clients[]` entry (classic, §6.3) or the `clients`
// record (v3, §6.4). One struct serves both generations; in classic mode a
// client is attached to exactly one inbound.
struct Client {
    int id = 0;  // v3 record id; internal id in classic mode
    std::string email;
    std::string uuid;      // settings `id` (vless/vmess)
    std::string password;  // trojan / shadowsocks
    std::string flow;
    std::string security;  // vmess cipher
    std::string sub_id;
    std::string comment;
    int limit_ip = 0;
    std::int64_t total_gb = 0;  // BYTES despite the name
    std::int64_t expiry_time = 0;
    bool enable = true;  // the admin switch (also flipped by auto-disable since v2.9.4)
    std::int64_t tg_id = 0;
    int reset = 0;
    // After v3.6.0 (§2.6, internal/database/model/model.go:897-901,924,932-935):
    int reset_day = 0;
    int reset_max = 0;
    std::string traffic_reset = "never";  // per-client cycle: never|hourly|daily|weekly|monthly
    int traffic_reset_day = 1;            // 1-31, for monthly
    int limit_hwid = 0;
    std::int64_t created_at = 0;
    std::int64_t updated_at = 0;
    std::vector<int> inbound_ids;  // ascending
};

// An inbound (§6.1). `client_ids` is the order of settings.clients[].
struct Inbound {
    int id = 0;
    std::int64_t up = 0;
    std::int64_t down = 0;
    std::int64_t all_time = 0;
    std::int64_t total = 0;
    std::string remark;
    bool enable = true;
    std::int64_t expiry_time = 0;
    std::string traffic_reset = "never";
    std::int64_t last_traffic_reset_time = 0;
    std::string listen;
    int port = 0;
    Protocol protocol = Protocol::vless;
    std::string tag;
    std::string stream_settings;  // raw JSON text
    std::string sniffing;         // raw JSON text
    std::vector<int> client_ids;
    int node_id = 0;                // a master's inbound hosted on a node (`nodeId`, v3.1.0+)
    std::string protocol_override;  // a protocol the emulator does not model (amneziawg, tuic)
};

struct BulkResetResult {
    OpStatus status;
    int affected = 0;
};

struct BulkDeleteResult {
    int deleted = 0;
    std::vector<std::pair<std::string, std::string>> skipped;  // (email, reason)
};

// The panel database plus the service-layer operations, with the semantics
// of the emulated version (§7). Not thread-safe: callers hold the server mutex.
class Db {
public:
    Db(ApiKind api, PanelVersion version) : m_api(api), m_version(version) {}

    [[nodiscard]] ApiKind api() const { return m_api; }
    [[nodiscard]] PanelVersion version() const { return m_version; }

    // ---- read access -------------------------------------------------------
    [[nodiscard]] const std::map<int, Inbound>& inbounds() const { return m_inbounds; }
    [[nodiscard]] std::size_t client_count() const { return m_client_count; }
    // Visits live clients in id order (the order of clients/list, §5.2).
    template <class F>
    void for_each_client(F&& visit) const {
        for (const auto& slot : m_clients) {
            if (slot) {
                visit(*slot);
            }
        }
    }
    [[nodiscard]] const std::map<int, TrafficRow>& traffic_rows() const { return m_traffic; }
    [[nodiscard]] const Inbound* inbound(int id) const;
    [[nodiscard]] const Client* client(int id) const;
    [[nodiscard]] const Client* client_by_email(std::string_view email) const;
    [[nodiscard]] const TrafficRow* traffic_by_email(std::string_view email) const;
    // Traffic rows grouped by `inbound_id`, each group in row-id order
    // (the order gorm's clientStats preload yields).
    [[nodiscard]] std::unordered_map<int, std::vector<const TrafficRow*>> traffic_by_inbound()
        const;
    // Global, case-insensitive email uniqueness check (§4.2).
    [[nodiscard]] bool email_taken(std::string_view email, int except_client_id = 0) const;
    // The identity key delClient/updateClient match on, per protocol (§4.1 note).
    [[nodiscard]] static const std::string& client_key(const Client& client, Protocol protocol);
    // Whether another inbound holds `port` on an overlapping address
    // (classic checkPortExist, v2.9.4 web/service/inbound.go:107; v3.0.x
    // checkPortConflict also needs the transports to overlap,
    // web/service/port_conflict.go:128).
    [[nodiscard]] bool port_taken(const Inbound& candidate) const;
    [[nodiscard]] bool tag_taken(std::string_view tag, int except_id = 0) const;

    // ---- seeding -----------------------------------------------------------
    // Inserts an inbound with the next id; returns the id.
    int insert_inbound(Inbound inbound);
    // Inserts a client attached to `inbound_id` plus its traffic row
    // (row.inbound_id/email are filled in). Returns the client id.
    int insert_client(Client client, int inbound_id, TrafficRow row);

    // ---- inbound-level (both generations) ----------------------------------
    // §7.1: resetAllTraffics touches inbound counters only.
    void reset_all_inbound_traffics(std::int64_t now);
    // :id/resetTraffic (v3.0.2+): the inbound's up/down only.
    OpStatus reset_inbound_traffic(int inbound_id, std::int64_t now);

    // ---- classic per-inbound client operations (§4.1, §7.1) ---------------
    OpStatus reset_all_client_traffics(int inbound_id, std::int64_t now);
    OpStatus reset_client_traffic(int inbound_id, std::string_view email, std::int64_t now);
    // Returns the number of deleted clients; inbounds left empty are deleted.
    int del_depleted_clients(int inbound_id, std::int64_t now);
    void update_client_traffic(std::string_view email, std::int64_t up, std::int64_t down);
    OpStatus add_clients(int inbound_id, std::vector<Client> clients, std::int64_t now);
    // inbounds/add (classic, web/service/inbound.go AddInbound of v2.9.4:223
    // and v3.0.2:285): port clash, tag, duplicate emails, client keys, then
    // gorm Save: a non-zero `inbound.id` is kept (an existing row with it is
    // overwritten), 0 takes the next id. `stats` (the body's clientStats)
    // become the traffic rows as sent; when empty every client gets a fresh
    // row (AddClientStat). Returns the stored inbound's id in `id_out`.
    OpStatus add_inbound(Inbound inbound, std::vector<Client> clients,
                         std::vector<TrafficRow> stats, std::int64_t now, int& id_out);
    OpStatus del_client(int inbound_id, std::string_view client_key);
    OpStatus update_client(int inbound_id, std::string_view client_key, Client updated,
                           std::int64_t now);

    // ---- v3 clients API (§5.2, §12) ----------------------------------------
    OpStatus reset_traffic_by_email(std::string_view email, std::int64_t now);
    BulkResetResult bulk_reset_traffic(const std::vector<std::string>& emails, std::int64_t now);
    void reset_all_client_rows();  // clients/resetAllTraffics
    int del_depleted_global(std::int64_t now);
    BulkDeleteResult bulk_delete(const std::vector<std::string>& emails, bool keep_traffic);
    OpStatus delete_by_email(std::string_view email, bool keep_traffic);
    OpStatus create_client(Client client, const std::vector<int>& inbound_ids, std::int64_t now);
    OpStatus update_by_email(std::string_view email, Client updated, std::int64_t now);

    // Emulator only (fault deplete-after): the client expires now and its
    // row is auto-disabled, so every version's predicate calls it depleted.
    void make_depleted(std::string_view email, std::int64_t now);

    // The depletion predicate of the emulated version (§7.1 table).
    [[nodiscard]] bool is_depleted(const TrafficRow& row, std::int64_t now) const;

    // ---- test set-up (control route /__sandbox/client) -----------------------
    // Attaches an existing client to one more inbound (a shared client, v3.1+).
    OpStatus attach_client(std::string_view email, int inbound_id);
    // Direct access for the control route that edits a client's fields.
    Client* client_for_edit(std::string_view email);
    Inbound* inbound_for_edit(int id) { return mutable_inbound(id); }
    TrafficRow* traffic_for_edit(std::string_view email) { return mutable_traffic(email); }

private:
    Client* mutable_client(int id);
    TrafficRow* mutable_traffic(std::string_view email);
    Inbound* mutable_inbound(int id);
    // Removes clients everywhere (inbound settings, email indexes and, unless
    // `keep_traffic`, their traffic rows).
    void erase_clients(const std::unordered_set<int>& ids, bool keep_traffic);
    void erase_traffic_row(std::string_view email);
    void erase_inbound(int id);
    void reindex_email(Client& client, const std::string& new_email);
    int insert_traffic_row(TrafficRow row);
    // v3.3.1+: resets re-enable the record first (§12.2).
    void reenable_record(Client& client, std::int64_t now);
    void fill_protocol_defaults(Client& client, Protocol protocol) const;

    ApiKind m_api;
    PanelVersion m_version;
    std::map<int, Inbound> m_inbounds;
    std::vector<std::optional<Client>> m_clients{1};  // indexed by id (ids are never reused)
    std::size_t m_client_count = 0;
    std::map<int, TrafficRow> m_traffic;
    std::unordered_map<std::string, int> m_client_by_email;     // exact
    std::unordered_map<std::string, int> m_client_by_email_lc;  // lower-cased
    std::unordered_map<std::string, int> m_traffic_by_email;    // exact -> row id
    int m_next_inbound_id = 1;
    int m_next_client_id = 1;
    int m_next_traffic_id = 1;
};

}  // namespace sandbox
