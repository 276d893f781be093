#include "db.hpp"

#include <algorithm>
#include <utility>

#include "util.hpp"

namespace sandbox {

namespace {

// Go's %q for plain strings (enough for emails).
std::string go_quote(std::string_view text) {
    std::string out = "\"";
    for (char ch : text) {
        if (ch == '"' || ch == '\\') {
            out.push_back('\\');
        }
        out.push_back(ch);
    }
    out.push_back('"');
    return out;
}

// Trimmed, non-empty, first-occurrence-only list (client_bulk.go cleanEmails).
std::vector<std::string> clean_emails(const std::vector<std::string>& emails) {
    std::vector<std::string> out;
    std::unordered_set<std::string> seen;
    for (const auto& raw : emails) {
        std::string email = trim(raw);
        if (!email.empty() && seen.insert(email).second) {
            out.push_back(std::move(email));
        }
    }
    return out;
}

}  // namespace

std::string_view protocol_name(Protocol protocol) {
    switch (protocol) {
        case Protocol::vless:
            return "vless";
        case Protocol::vmess:
            return "vmess";
        case Protocol::trojan:
            return "trojan";
        case Protocol::shadowsocks:
            return "shadowsocks";
    }
    return "vless";
}

// ---- read access ------------------------------------------------------------

const Inbound* Db::inbound(int id) const {
    const auto it = m_inbounds.find(id);
    return it == m_inbounds.end() ? nullptr : &it->second;
}

const Client* Db::client(int id) const {
    if (id <= 0 || static_cast<std::size_t>(id) >= m_clients.size() ||
        !m_clients[static_cast<std::size_t>(id)]) {
        return nullptr;
    }
    return &*m_clients[static_cast<std::size_t>(id)];
}

const Client* Db::client_by_email(std::string_view email) const {
    const auto it = m_client_by_email.find(std::string(email));
    return it == m_client_by_email.end() ? nullptr : client(it->second);
}

const TrafficRow* Db::traffic_by_email(std::string_view email) const {
    const auto it = m_traffic_by_email.find(std::string(email));
    if (it == m_traffic_by_email.end()) {
        return nullptr;
    }
    const auto row = m_traffic.find(it->second);
    return row == m_traffic.end() ? nullptr : &row->second;
}

Inbound* Db::mutable_inbound(int id) {
    return const_cast<Inbound*>(std::as_const(*this).inbound(id));
}

Client* Db::mutable_client(int id) {
    return const_cast<Client*>(std::as_const(*this).client(id));
}

TrafficRow* Db::mutable_traffic(std::string_view email) {
    return const_cast<TrafficRow*>(std::as_const(*this).traffic_by_email(email));
}

std::unordered_map<int, std::vector<const TrafficRow*>> Db::traffic_by_inbound() const {
    std::unordered_map<int, std::vector<const TrafficRow*>> out;
    for (const auto& [id, row] : m_traffic) {
        out[row.inbound_id].push_back(&row);
    }
    return out;
}

bool Db::email_taken(std::string_view email, int except_client_id) const {
    const auto it = m_client_by_email_lc.find(to_lower(email));
    return it != m_client_by_email_lc.end() && it->second != except_client_id;
}

namespace {

bool any_listen(std::string_view listen) {
    return listen.empty() || listen == "0.0.0.0" || listen == "::" || listen == "::0";
}

// inboundTransports (v3.0.2 web/service/port_conflict.go:36): bit 1 TCP, bit 2
// UDP. The emulator models shadowsocks with network "tcp,udp" and the other
// protocols on TCP unless streamSettings says kcp.
unsigned transports(const Inbound& ib) {
    if (ib.protocol == Protocol::shadowsocks) {
        return 3;
    }
    return ib.stream_settings.find("\"kcp\"") != std::string::npos ? 2 : 1;
}

}  // namespace

bool Db::port_taken(const Inbound& candidate) const {
    const bool transport_aware = m_version >= PanelVersion{3, 0, 0};
    for (const auto& [id, ib] : m_inbounds) {
        if (ib.port != candidate.port) {
            continue;
        }
        const bool overlap =
            any_listen(ib.listen) || any_listen(candidate.listen) || ib.listen == candidate.listen;
        if (overlap && (!transport_aware || (transports(ib) & transports(candidate)) != 0)) {
            return true;
        }
    }
    return false;
}

bool Db::tag_taken(std::string_view tag, int except_id) const {
    for (const auto& [id, ib] : m_inbounds) {
        if (id != except_id && ib.tag == tag) {
            return true;
        }
    }
    return false;
}

const std::string& Db::client_key(const Client& client, Protocol protocol) {
    switch (protocol) {
        case Protocol::trojan:
            return client.password;
        case Protocol::shadowsocks:
            return client.email;
        case Protocol::vless:
        case Protocol::vmess:
            break;
    }
    return client.uuid;
}

bool Db::is_depleted(const TrafficRow& row, std::int64_t now) const {
    if (m_api == ApiKind::classic && m_version < PanelVersion{2, 8, 1}) {
        // §7.1: v2.0.0 - v2.8.0 used the auto-disable flag.
        return row.reset == 0 && !row.enable;
    }
    // §7.1 (v2.8.1+) and clients/delDepleted. After v3.6.0 the clause also
    // needs reset_day = 0 (internal/web/service/inbound_traffic.go:24-26, 3f1dd4bf5).
    const bool quota_hit = row.total > 0 && row.up + row.down >= row.total;
    const bool expired = row.expiry_time > 0 && row.expiry_time <= now;
    const bool renews_on_a_day = m_version >= k_after_3_6 && row.reset_day != 0;
    return row.reset == 0 && !renews_on_a_day && (quota_hit || expired);
}

// ---- test set-up -----------------------------------------------------------------

Client* Db::client_for_edit(std::string_view email) {
    const Client* c = client_by_email(email);
    return c == nullptr ? nullptr : mutable_client(c->id);
}

OpStatus Db::attach_client(std::string_view email, int inbound_id) {
    Client* c = client_for_edit(email);
    Inbound* ib = mutable_inbound(inbound_id);
    if (c == nullptr || ib == nullptr) {
        return OpStatus::fail(std::string(k_record_not_found));
    }
    if (m_api != ApiKind::v3) {
        return OpStatus::fail("classic panels keep a client in one inbound");
    }
    if (std::find(c->inbound_ids.begin(), c->inbound_ids.end(), inbound_id) ==
        c->inbound_ids.end()) {
        c->inbound_ids.push_back(inbound_id);
        std::sort(c->inbound_ids.begin(), c->inbound_ids.end());
        ib->client_ids.push_back(c->id);
    }
    return OpStatus::success();
}

// ---- mutation helpers ---------------------------------------------------------

int Db::insert_inbound(Inbound inbound) {
    inbound.id = m_next_inbound_id++;
    const int id = inbound.id;
    m_inbounds.emplace(id, std::move(inbound));
    return id;
}

int Db::insert_traffic_row(TrafficRow row) {
    row.id = m_next_traffic_id++;
    const int id = row.id;
    m_traffic_by_email[row.email] = id;
    m_traffic.emplace(id, std::move(row));
    return id;
}

int Db::insert_client(Client client, int inbound_id, TrafficRow row) {
    client.id = m_next_client_id++;
    client.inbound_ids = {inbound_id};
    const int id = client.id;
    m_client_by_email[client.email] = id;
    m_client_by_email_lc[to_lower(client.email)] = id;
    row.inbound_id = inbound_id;
    row.email = client.email;
    row.client_id = id;
    insert_traffic_row(std::move(row));
    if (Inbound* ib = mutable_inbound(inbound_id)) {
        ib->client_ids.push_back(id);
    }
    m_clients.emplace_back(std::move(client));
    ++m_client_count;
    return id;
}

void Db::erase_traffic_row(std::string_view email) {
    const auto it = m_traffic_by_email.find(std::string(email));
    if (it != m_traffic_by_email.end()) {
        m_traffic.erase(it->second);
        m_traffic_by_email.erase(it);
    }
}

void Db::erase_clients(const std::unordered_set<int>& ids, bool keep_traffic) {
    if (ids.empty()) {
        return;
    }
    for (auto& [id, ib] : m_inbounds) {
        std::erase_if(ib.client_ids, [&ids](int cid) { return ids.contains(cid); });
    }
    for (int id : ids) {
        const Client* c = client(id);
        if (c == nullptr) {
            continue;
        }
        m_client_by_email.erase(c->email);
        m_client_by_email_lc.erase(to_lower(c->email));
        if (keep_traffic) {
            if (TrafficRow* row = mutable_traffic(c->email)) {
                row->client_id = 0;
            }
        } else {
            erase_traffic_row(c->email);
        }
        m_clients[static_cast<std::size_t>(id)].reset();
        --m_client_count;
    }
}

void Db::erase_inbound(int id) {
    // DelInbound also drops the inbound's client_traffics rows.
    std::vector<std::string> emails;
    for (const auto& [rid, row] : m_traffic) {
        if (row.inbound_id == id) {
            emails.push_back(row.email);
        }
    }
    for (const auto& email : emails) {
        erase_traffic_row(email);
    }
    m_inbounds.erase(id);
}

void Db::reindex_email(Client& client, const std::string& new_email) {
    if (client.email == new_email) {
        return;
    }
    m_client_by_email.erase(client.email);
    m_client_by_email_lc.erase(to_lower(client.email));
    m_client_by_email[new_email] = client.id;
    m_client_by_email_lc[to_lower(new_email)] = client.id;
    const auto row = m_traffic_by_email.find(client.email);
    if (row != m_traffic_by_email.end()) {
        const int row_id = row->second;
        m_traffic_by_email.erase(row);
        m_traffic_by_email[new_email] = row_id;
        m_traffic[row_id].email = new_email;
    }
    client.email = new_email;
}

void Db::reenable_record(Client& client, std::int64_t now) {
    // ClientService.Update with enable=true: record, settings entries and the
    // traffic row's enable all follow the record.
    client.enable = true;
    client.updated_at = now;
    if (TrafficRow* row = mutable_traffic(client.email)) {
        row->enable = true;
    }
}

void Db::fill_protocol_defaults(Client& client, Protocol protocol) const {
    switch (protocol) {
        case Protocol::vless:
            if (client.uuid.empty()) {
                client.uuid = random_uuid();
            }
            break;
        case Protocol::vmess:
            if (client.uuid.empty()) {
                client.uuid = random_uuid();
            }
            if (client.security.empty()) {
                client.security = "auto";
            }
            break;
        case Protocol::trojan:
        case Protocol::shadowsocks:
            if (client.password.empty()) {
                client.password = random_token(16);
            }
            break;
    }
}

// ---- inbound level ------------------------------------------------------------

void Db::reset_all_inbound_traffics(std::int64_t now) {
    for (auto& [id, ib] : m_inbounds) {
        ib.up = 0;
        ib.down = 0;
        if (m_version >=
            PanelVersion{3, 0, 0}) {  // §7.1: v3.0.0+ also stamps last_traffic_reset_time
            ib.last_traffic_reset_time = now;
        }
    }
}

OpStatus Db::reset_inbound_traffic(int inbound_id, std::int64_t /*now*/) {
    // An UPDATE ... WHERE id = ? : a missing id is not an error up to v3.6.0
    // (v3.6.0 internal/web/service/inbound_traffic.go:751 ignores GetInbound's
    // error); after it the writer returns it: "record not found" (139600508,
    // inbound_traffic.go:818-822).
    Inbound* ib = mutable_inbound(inbound_id);
    if (ib == nullptr) {
        return m_version >= k_after_3_6 ? OpStatus::fail(std::string(k_record_not_found))
                                        : OpStatus::success();
    }
    ib->up = 0;
    ib->down = 0;
    return OpStatus::success();
}

// ---- classic ------------------------------------------------------------------

OpStatus Db::reset_all_client_traffics(int inbound_id, std::int64_t now) {
    // §7.1: -1 = all (SQL `inbound_id > -1`); other negatives match nothing.
    const auto in_scope = [inbound_id](int id) {
        return inbound_id == -1 ? id > -1 : id == inbound_id;
    };
    for (auto& [id, row] : m_traffic) {
        if (in_scope(row.inbound_id)) {
            row.up = 0;
            row.down = 0;
            row.enable = true;
        }
    }
    if (m_version >= PanelVersion{2, 8, 1}) {
        for (auto& [id, ib] : m_inbounds) {
            if (in_scope(id)) {
                ib.last_traffic_reset_time = now;
            }
        }
    }
    return OpStatus::success();
}

OpStatus Db::reset_client_traffic(int inbound_id, std::string_view email, std::int64_t now) {
    TrafficRow* row = mutable_traffic(email);
    if (row == nullptr) {
        // <= v2.8.0 dereferences the nil row (gin Recovery -> 500); later
        // versions fail in GetClientByEmail.
        if (m_version < PanelVersion{2, 8, 1}) {
            return OpStatus::crash();
        }
        return OpStatus::fail(go_new_error("Inbound Not Found For Email:", email));
    }
    bool enabled = row->enable;
    if (m_version >= PanelVersion{2, 8, 1} && m_version <= PanelVersion{2, 8, 11}) {
        // v2.8.1 - v2.8.11 report the settings flag instead of the row's.
        if (const Client* c = client_by_email(email)) {
            enabled = c->enable;
        }
    }
    // §7.1: `:id` is only used to load the inbound for the hot-add of a disabled row.
    if (!enabled && inbound(inbound_id) == nullptr) {
        return OpStatus::fail(std::string(k_record_not_found));
    }
    row->up = 0;
    row->down = 0;
    row->enable = true;
    if (m_version >= PanelVersion{3, 0, 0}) {  // §12.5
        if (Inbound* ib = mutable_inbound(inbound_id)) {
            ib->last_traffic_reset_time = now;
        }
    }
    return OpStatus::success();
}

int Db::del_depleted_clients(int inbound_id, std::int64_t now) {
    // Scope: `inbound_id = id`, or `inbound_id > id` for a negative id (= all).
    std::unordered_set<int> doomed;
    std::unordered_set<int> touched;
    std::vector<std::string> orphan_rows;
    for (const auto& [rid, row] : m_traffic) {
        const bool in_scope =
            inbound_id < 0 ? row.inbound_id > inbound_id : row.inbound_id == inbound_id;
        if (!in_scope || !is_depleted(row, now)) {
            continue;
        }
        touched.insert(row.inbound_id);
        if (const Client* c = client_by_email(row.email)) {
            doomed.insert(c->id);
        } else {
            orphan_rows.push_back(row.email);
        }
    }
    erase_clients(doomed, false);
    for (const auto& email : orphan_rows) {
        erase_traffic_row(email);
    }
    // §7.1: an inbound left with zero clients is deleted as a whole.
    for (int id : touched) {
        const Inbound* ib = inbound(id);
        if (ib != nullptr && ib->client_ids.empty()) {
            erase_inbound(id);
        }
    }
    return static_cast<int>(doomed.size());
}

void Db::update_client_traffic(std::string_view email, std::int64_t up, std::int64_t down) {
    // An UPDATE by email: unknown emails silently match nothing.
    TrafficRow* row = mutable_traffic(email);
    if (row == nullptr) {
        return;
    }
    row->up = up;
    row->down = down;
    if (m_api == ApiKind::classic && m_version >= PanelVersion{2, 6, 7}) {
        row->all_time = std::max(row->all_time, up + down);  // all_time stays monotonic
    }
}

void Db::make_depleted(std::string_view email, std::int64_t now) {
    TrafficRow* row = mutable_traffic(email);
    if (row == nullptr) {
        return;
    }
    row->expiry_time = now - 1000;
    row->enable = false;
    if (row->client_id != 0) {
        if (Client* c = mutable_client(row->client_id)) {
            c->expiry_time = row->expiry_time;
        }
    }
}

OpStatus Db::add_inbound(Inbound inbound, std::vector<Client> clients,
                         std::vector<TrafficRow> stats, std::int64_t now, int& id_out) {
    if (port_taken(inbound)) {
        return OpStatus::fail(go_new_error("Port already exists:", std::to_string(inbound.port)));
    }
    // The tag: ≤ v3.0.0 the controller always computes it from listen and
    // port (v2.9.4 web/controller/inbound.go:151); v3.0.1+ keeps a given tag
    // that is free, else generates one (v3.0.2 port_conflict.go:255).
    const std::string base = any_listen(inbound.listen)
                                 ? "inbound-" + std::to_string(inbound.port)
                                 : "inbound-" + inbound.listen + ":" + std::to_string(inbound.port);
    if (m_version < PanelVersion{3, 0, 1} || inbound.tag.empty() || tag_taken(inbound.tag)) {
        inbound.tag = base;
        if (m_version >= PanelVersion{3, 0, 1} && tag_taken(inbound.tag)) {
            inbound.tag = base + (transports(inbound) == 3   ? "-mixed"
                                  : transports(inbound) == 2 ? "-udp"
                                                             : "-tcp");
        }
    }
    std::unordered_set<std::string> seen;
    for (const auto& c : clients) {
        if (email_taken(c.email) || !seen.insert(to_lower(c.email)).second) {
            return OpStatus::fail(go_new_error("Duplicate email:", c.email));
        }
    }
    for (const auto& c : clients) {
        if (client_key(c, inbound.protocol).empty()) {
            return OpStatus::fail(go_new_error("empty client ID"));
        }
    }
    // gorm's unique index on tag (≤ v3.0.0 a computed tag can clash).
    if (tag_taken(inbound.tag, inbound.id)) {
        return OpStatus::fail("UNIQUE constraint failed: inbounds.tag");
    }
    if (inbound.id == 0) {
        inbound.id = m_next_inbound_id;
    }
    if (const Inbound* old = this->inbound(inbound.id)) {
        // Save on an existing id updates that row: its old clients leave the
        // settings, their traffic rows stay behind.
        erase_clients({old->client_ids.begin(), old->client_ids.end()}, true);
        m_inbounds.erase(inbound.id);
    }
    m_next_inbound_id = std::max(m_next_inbound_id, inbound.id + 1);
    const int id = inbound.id;
    inbound.client_ids.clear();
    m_inbounds.emplace(id, std::move(inbound));
    for (auto& c : clients) {
        if (m_version >= PanelVersion{2, 8, 0}) {
            if (c.created_at == 0) {
                c.created_at = now;
            }
            c.updated_at = now;
        }
        TrafficRow row;
        const auto sent = std::find_if(stats.begin(), stats.end(),
                                       [&c](const TrafficRow& r) { return r.email == c.email; });
        if (sent != stats.end()) {
            row = *sent;
        } else if (stats.empty()) {
            // AddClientStat, as addClient does (§6.2).
            row.enable = m_version >= PanelVersion{2, 8, 1} ? c.enable : true;
            row.total = c.total_gb;
            row.expiry_time = c.expiry_time;
            row.reset = c.reset;
        }
        insert_client(std::move(c), id, std::move(row));
    }
    id_out = id;
    return OpStatus::success();
}

OpStatus Db::add_clients(int inbound_id, std::vector<Client> clients, std::int64_t now) {
    // Order of checks as in AddInboundClient: duplicates, inbound, client keys.
    std::unordered_set<std::string> seen;
    for (const auto& c : clients) {
        if (email_taken(c.email) || !seen.insert(to_lower(c.email)).second) {
            return OpStatus::fail(go_new_error("Duplicate email:", c.email));
        }
    }
    Inbound* ib = mutable_inbound(inbound_id);
    if (ib == nullptr) {
        return OpStatus::fail(std::string(k_record_not_found));
    }
    const Protocol protocol = ib->protocol;
    for (const auto& c : clients) {
        if (client_key(c, protocol).empty() || c.email.empty()) {
            return OpStatus::fail(go_new_error("empty client ID"));
        }
    }
    for (auto& c : clients) {
        if (m_version >= PanelVersion{2, 8, 0}) {
            if (c.created_at == 0) {
                c.created_at = now;
            }
            c.updated_at = now;
        }
        TrafficRow row;
        row.enable = m_version >= PanelVersion{2, 8, 1} ? c.enable : true;  // §6.2
        row.total = c.total_gb;
        row.expiry_time = c.expiry_time;
        row.reset = c.reset;
        insert_client(std::move(c), inbound_id, std::move(row));
    }
    return OpStatus::success();
}

OpStatus Db::del_client(int inbound_id, std::string_view key) {
    const Inbound* ib = inbound(inbound_id);
    if (ib == nullptr) {
        return OpStatus::fail(std::string(k_record_not_found));
    }
    int found = 0;
    for (int cid : ib->client_ids) {
        const Client* c = client(cid);
        if (c != nullptr && client_key(*c, ib->protocol) == key) {
            found = cid;
            break;
        }
    }
    if (found == 0) {
        return OpStatus::fail(go_new_error("Client Not Found In Inbound For ID:", key));
    }
    if (ib->client_ids.size() == 1 && m_version >= PanelVersion{2, 2, 0}) {
        return OpStatus::fail(go_new_error("no client remained in Inbound"));
    }
    erase_clients({found}, false);
    return OpStatus::success();
}

OpStatus Db::update_client(int inbound_id, std::string_view key, Client updated, std::int64_t now) {
    const Inbound* ib = inbound(inbound_id);
    if (ib == nullptr) {
        return OpStatus::fail(std::string(k_record_not_found));
    }
    Client* existing = nullptr;
    for (int cid : ib->client_ids) {
        Client* c = mutable_client(cid);
        if (c != nullptr && client_key(*c, ib->protocol) == key) {
            existing = c;
            break;
        }
    }
    // §4.1: "empty client ID" also covers "clientId not found".
    if (existing == nullptr || client_key(updated, ib->protocol).empty() || updated.email.empty()) {
        return OpStatus::fail(go_new_error("empty client ID"));
    }
    if (email_taken(updated.email, existing->id)) {
        return OpStatus::fail(go_new_error("Duplicate email:", updated.email));
    }
    reindex_email(*existing, updated.email);
    updated.id = existing->id;
    updated.inbound_ids = existing->inbound_ids;
    if (m_version >= PanelVersion{2, 8, 0}) {
        updated.created_at = existing->created_at;
        updated.updated_at = now;
    }
    *existing = std::move(updated);
    // §4.2: enable/email/total/expiry/reset are copied into the row; up/down kept.
    TrafficRow* row = mutable_traffic(existing->email);
    if (row == nullptr) {
        TrafficRow fresh;
        fresh.inbound_id = inbound_id;
        fresh.email = existing->email;
        fresh.client_id = existing->id;
        insert_traffic_row(std::move(fresh));
        row = mutable_traffic(existing->email);
    }
    row->enable = m_version >= PanelVersion{2, 8, 1} ? existing->enable : true;
    row->total = existing->total_gb;
    row->expiry_time = existing->expiry_time;
    row->reset = existing->reset;
    return OpStatus::success();
}

// ---- v3 -----------------------------------------------------------------------

OpStatus Db::reset_traffic_by_email(std::string_view email, std::int64_t now) {
    if (email.empty()) {
        return OpStatus::fail(go_new_error("client email is required"));
    }
    const Client* found = client_by_email(email);
    if (found == nullptr) {
        return OpStatus::fail(std::string(k_record_not_found));
    }
    Client* c = mutable_client(found->id);
    if (m_version >= PanelVersion{3, 3, 1} && !c->enable) {  // §12.2
        reenable_record(*c, now);
    }
    TrafficRow* row = mutable_traffic(email);
    if (row != nullptr) {
        row->up = 0;
        row->down = 0;
        row->enable = true;
    }
    for (int id : c->inbound_ids) {  // §12.5: every attached inbound is stamped
        if (Inbound* ib = mutable_inbound(id)) {
            ib->last_traffic_reset_time = now;
        }
    }
    return OpStatus::success();
}

BulkResetResult Db::bulk_reset_traffic(const std::vector<std::string>& emails, std::int64_t now) {
    BulkResetResult result;
    if (m_version < PanelVersion{3, 2, 8}) {
        // §12.1: v3.2.0 - v3.2.7 loop ResetTrafficByEmail and stop at the first error.
        for (const auto& email : emails) {
            result.status = reset_traffic_by_email(email, now);
            if (!result.status.ok()) {
                return result;
            }
            ++result.affected;
        }
        return result;
    }
    const auto clean = clean_emails(emails);
    if (m_version >= PanelVersion{3, 3, 1}) {
        for (const auto& email : clean) {
            if (const Client* c = client_by_email(email); c != nullptr && !c->enable) {
                reenable_record(*mutable_client(c->id), now);
            }
        }
    }
    for (const auto& email : clean) {  // v3.2.8+: unknown emails are skipped
        if (TrafficRow* row = mutable_traffic(email)) {
            row->up = 0;
            row->down = 0;
            row->enable = true;
            ++result.affected;
        }
    }
    return result;
}

void Db::reset_all_client_rows() {
    for (auto& [id, row] : m_traffic) {
        row.up = 0;
        row.down = 0;
        if (m_version >= PanelVersion{3, 6, 0}) {  // §12.3: only v3.6.0+ re-enables the rows
            row.enable = true;
        }
    }
}

int Db::del_depleted_global(std::int64_t now) {
    std::vector<std::string> emails;
    for (const auto& [id, row] : m_traffic) {
        if (is_depleted(row, now)) {
            emails.push_back(row.email);
        }
    }
    // §7.1 HEAD: goes through BulkDelete; inbounds left empty are kept.
    return bulk_delete(emails, false).deleted;
}

BulkDeleteResult Db::bulk_delete(const std::vector<std::string>& emails, bool keep_traffic) {
    BulkDeleteResult result;
    std::unordered_set<int> doomed;
    for (const auto& email : clean_emails(emails)) {
        if (const Client* c = client_by_email(email)) {
            doomed.insert(c->id);
        } else {
            result.skipped.emplace_back(email, "client not found");
        }
    }
    erase_clients(doomed, keep_traffic);
    result.deleted = static_cast<int>(doomed.size());
    return result;
}

OpStatus Db::delete_by_email(std::string_view email, bool keep_traffic) {
    if (email.empty()) {
        return OpStatus::fail(go_new_error("client email is required"));
    }
    const Client* c = client_by_email(email);
    if (c == nullptr) {
        return OpStatus::fail(go_new_error("client " + go_quote(email) +
                                           " not found in any inbound or client record"));
    }
    erase_clients({c->id}, keep_traffic);
    return OpStatus::success();
}

OpStatus Db::create_client(Client client, const std::vector<int>& inbound_ids, std::int64_t now) {
    if (trim(client.email).empty()) {
        return OpStatus::fail(go_new_error("client email is required"));
    }
    if (inbound_ids.empty()) {
        return OpStatus::fail(go_new_error("at least one inbound is required"));
    }
    if (client.sub_id.empty()) {
        client.sub_id = random_uuid();
    }
    client.enable = true;  // ClientService.Create: `if !client.Enable { client.Enable = true }`
    if (client.created_at == 0) {
        client.created_at = now;
    }
    client.updated_at = now;
    if (email_taken(client.email)) {
        return OpStatus::fail(go_new_error("email already in use:", client.email));
    }
    std::vector<int> ids = inbound_ids;
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    for (int id : ids) {
        const Inbound* ib = inbound(id);
        if (ib == nullptr) {
            return OpStatus::fail(std::string(k_record_not_found));
        }
        fill_protocol_defaults(client, ib->protocol);
    }
    TrafficRow row;
    row.enable = true;
    row.total = client.total_gb;
    row.expiry_time = client.expiry_time;
    row.reset = client.reset;
    const int cid = insert_client(std::move(client), ids.front(), std::move(row));
    Client* stored = mutable_client(cid);
    stored->inbound_ids = ids;
    for (std::size_t i = 1; i < ids.size(); ++i) {
        mutable_inbound(ids[i])->client_ids.push_back(cid);
    }
    return OpStatus::success();
}

OpStatus Db::update_by_email(std::string_view email, Client updated, std::int64_t now) {
    const Client* found = client_by_email(email);
    if (found == nullptr) {
        return OpStatus::fail(std::string(k_record_not_found));
    }
    Client* existing = mutable_client(found->id);
    if (trim(updated.email).empty()) {
        return OpStatus::fail(go_new_error("client email is required"));
    }
    if (email_taken(updated.email, existing->id)) {
        return OpStatus::fail(go_new_error("Duplicate email:", updated.email));
    }
    reindex_email(*existing, updated.email);
    updated.id = existing->id;
    updated.inbound_ids = existing->inbound_ids;
    updated.created_at = existing->created_at;
    updated.updated_at = now;
    if (updated.uuid.empty()) {
        updated.uuid = existing->uuid;
    }
    if (updated.password.empty()) {
        updated.password = existing->password;
    }
    if (updated.sub_id.empty()) {
        updated.sub_id = existing->sub_id;
    }
    *existing = std::move(updated);
    if (TrafficRow* row = mutable_traffic(existing->email)) {
        row->enable = existing->enable;
        row->total = existing->total_gb;
        row->expiry_time = existing->expiry_time;
        row->reset = existing->reset;
        // client_link.go:66-76 copies ResetDay/ResetMax unconditionally: an
        // update that omits them sets them back to 0 (3x-ui-after-3.6.md D14).
        row->reset_day = existing->reset_day;
        row->reset_max = existing->reset_max;
    }
    return OpStatus::success();
}

}  // namespace sandbox
