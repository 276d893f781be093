#include "json_out.hpp"

#include <algorithm>
#include <string>
#include <string_view>

#include <rapidjson/prettywriter.h>

namespace sandbox {

namespace {

// RapidJSON 1.1.0's SSE2 string scan (writer.h, ScanWriteUnescapedString)
// tests `max(c, 0x19) == 0x19`, so 0x1A-0x1F (ESC among them) in a 16-byte
// block go out raw: invalid JSON, which the real panel (Go's encoding/json)
// never sends. Such rare strings are escaped here and written as raw JSON.
template <class W>
void put_str(W& w, std::string_view s) {
    const bool missed =
        std::any_of(s.begin(), s.end(), [](char c) { return c >= 0x1A && c <= 0x1F; });
    if (!missed) {
        w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
        return;
    }
    static constexpr char k_hex[] = "0123456789abcdef";
    std::string json = "\"";
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == '"' || c == '\\') {
            json += '\\';
            json += ch;
        } else if (c < 0x20) {
            json += "\\u00";
            json += k_hex[c >> 4];
            json += k_hex[c & 0xF];
        } else {
            json += ch;
        }
    }
    json += '"';
    w.RawValue(json.data(), json.size(), rapidjson::kStringType);
}
template <class W>
void kv_str(W& w, const char* key, std::string_view value) {
    w.Key(key);
    put_str(w, value);
}
template <class W>
void kv_i64(W& w, const char* key, std::int64_t value) {
    w.Key(key);
    w.Int64(value);
}
template <class W>
void kv_int(W& w, const char* key, int value) {
    w.Key(key);
    w.Int(value);
}
template <class W>
void kv_bool(W& w, const char* key, bool value) {
    w.Key(key);
    w.Bool(value);
}

// One settings.clients[] entry. Keys are alphabetical because the panel
// re-marshals settings through map[string]any (json.MarshalIndent, §4.2).
template <class W>
void write_client_entry(W& w, const Client& c, Protocol p, const Db& db, bool slim) {
    w.StartObject();
    if (slim) {  // §5.1 list/slim
        kv_str(w, "email", c.email);
        kv_bool(w, "enable", c.enable);
        kv_str(w, "comment", c.comment);
        w.EndObject();
        return;
    }
    const PanelVersion v = db.version();
    const bool v3 = db.api() == ApiKind::v3;
    if (v3 || v >= PanelVersion{2, 5, 0}) {
        kv_str(w, "comment", c.comment);
    }
    if (v3 || v >= PanelVersion{2, 8, 0}) {
        kv_i64(w, "created_at", c.created_at);
    }
    kv_str(w, "email", c.email);
    kv_bool(w, "enable", c.enable);
    kv_i64(w, "expiryTime", c.expiry_time);
    if (p == Protocol::vless) {
        kv_str(w, "flow", c.flow);
    }
    if (p == Protocol::vless || p == Protocol::vmess) {
        kv_str(w, "id", c.uuid);
    }
    kv_int(w, "limitIp", c.limit_ip);
    if (p == Protocol::shadowsocks) {
        kv_str(w, "method", "");
    }
    if (p == Protocol::trojan || p == Protocol::shadowsocks) {
        kv_str(w, "password", c.password);
    }
    kv_int(w, "reset", c.reset);
    const bool after_3_6 = v3 && v >= k_after_3_6;
    if (after_3_6) {  // model.go:897-898: always marshalled
        kv_int(w, "resetDay", c.reset_day);
        kv_int(w, "resetMax", c.reset_max);
    }
    if (p == Protocol::vmess) {
        kv_str(w, "security", c.security);
    }
    kv_str(w, "subId", c.sub_id);
    if (v3 || v >= PanelVersion{2, 2, 8}) {  // §9: tgId is a string up to v2.2.7
        kv_i64(w, "tgId", c.tg_id);
    } else {
        kv_str(w, "tgId", "");
    }
    kv_i64(w, "totalGB", c.total_gb);
    if (after_3_6) {
        // v3.7.0 Client fields xuictl does not read (3x-ui-after-3.6.md §5):
        // keys and shapes a decoder has never seen must not break it.
        w.Key("allowedIPsByInbound");
        w.StartObject();
        w.Key("1");
        w.StartArray();
        put_str(w, "10.0.0.2/32");
        w.EndArray();
        w.EndObject();
        w.Key("forwardedPorts");
        w.StartArray();
        w.EndArray();
    }
    if (after_3_6 && !c.traffic_reset.empty()) {  // model.go:899-901: omitempty
        kv_str(w, "trafficReset", c.traffic_reset);
        kv_int(w, "trafficResetDay", c.traffic_reset_day);
    }
    if (v3 || v >= PanelVersion{2, 8, 0}) {
        kv_i64(w, "updated_at", c.updated_at);
    }
    w.EndObject();
}

template <class W>
void write_settings(W& w, const Db& db, const Inbound& ib, bool slim) {
    w.StartObject();
    w.Key("clients");
    w.StartArray();
    for (int cid : ib.client_ids) {
        if (const Client* c = db.client(cid)) {
            write_client_entry(w, *c, ib.protocol, db, slim);
        }
    }
    w.EndArray();
    switch (ib.protocol) {
        case Protocol::vless:
            kv_str(w, "decryption", "none");
            w.Key("fallbacks");
            w.StartArray();
            w.EndArray();
            break;
        case Protocol::trojan:
            w.Key("fallbacks");
            w.StartArray();
            w.EndArray();
            break;
        case Protocol::shadowsocks:
            kv_str(w, "method", "chacha20-ietf-poly1305");
            kv_str(w, "network", "tcp,udp");
            break;
        case Protocol::vmess:
            break;
    }
    w.EndObject();
}

void raw_object(JsonWriter& w, const std::string& json) {
    w.RawValue(json.data(), json.size(), rapidjson::kObjectType);
}

}  // namespace

void put_string(JsonWriter& w, std::string_view value) {
    put_str(w, value);
}

void put_key(JsonWriter& w, std::string_view key) {
    w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
}

void put_field(JsonWriter& w, const char* key, std::string_view value) {
    kv_str(w, key, value);
}

void write_traffic(JsonWriter& w, const Db& db, const TrafficRow& row,
                   const bool* enable_override) {
    const PanelVersion v = db.version();
    const bool v3 = db.api() == ApiKind::v3;
    w.StartObject();
    kv_int(w, "id", row.id);
    kv_int(w, "inboundId", row.inbound_id);
    kv_bool(w, "enable", enable_override != nullptr ? *enable_override : row.enable);
    kv_str(w, "email", row.email);
    if (v3 || v >= PanelVersion{2, 8, 3}) {  // not stored; filled in from the client on read
        const Client* c = db.client(row.client_id);
        kv_str(w, "uuid", c != nullptr ? std::string_view(c->uuid) : std::string_view());
        kv_str(w, "subId", c != nullptr ? std::string_view(c->sub_id) : std::string_view());
    }
    kv_i64(w, "up", row.up);
    kv_i64(w, "down", row.down);
    if (!v3 && v >= PanelVersion{2, 6, 7}) {  // allTime: v2.6.7 - v3.0.2
        kv_i64(w, "allTime", row.all_time);
    }
    kv_i64(w, "expiryTime", row.expiry_time);
    kv_i64(w, "total", row.total);
    kv_int(w, "reset", row.reset);
    if (v3 && v >= k_after_3_6) {  // internal/xray/client_traffic.go:17-25
        kv_int(w, "resetDay", row.reset_day);
        kv_int(w, "resetMax", row.reset_max);
        kv_int(w, "resetCount", row.reset_count);
        kv_i64(w, "lastSubFetch", 0);
    }
    if (v3 || v >= PanelVersion{2, 6, 8}) {
        kv_i64(w, "lastOnline", row.last_online);
    }
    w.EndObject();
}

void write_inbound(JsonWriter& w, const Db& db, const Inbound& ib, InboundView view,
                   const std::vector<const TrafficRow*>* stats) {
    const PanelVersion v = db.version();
    const bool classic = view == InboundView::classic;
    w.StartObject();
    kv_int(w, "id", ib.id);
    kv_i64(w, "up", ib.up);
    kv_i64(w, "down", ib.down);
    kv_i64(w, "total", ib.total);
    if (classic && v >= PanelVersion{2, 6, 7}) {
        kv_i64(w, "allTime", ib.all_time);
    }
    kv_str(w, "remark", ib.remark);
    if (!classic && v >= PanelVersion{3, 4, 0}) {
        kv_int(w, "subSortIndex", 1);
    }
    kv_bool(w, "enable", ib.enable);
    kv_i64(w, "expiryTime", ib.expiry_time);
    if (!classic || v >= PanelVersion{2, 8, 1}) {
        kv_str(w, "trafficReset", ib.traffic_reset);
        if (!classic && v >= PanelVersion{3, 6, 0}) {
            kv_int(w, "trafficResetDay", 1);
        }
        kv_i64(w, "lastTrafficResetTime", ib.last_traffic_reset_time);
    }
    w.Key("clientStats");
    if (stats == nullptr) {
        w.Null();
    } else {
        w.StartArray();
        for (const TrafficRow* row : *stats) {
            write_traffic(w, db, *row);
        }
        w.EndArray();
    }
    kv_str(w, "listen", ib.listen);
    kv_int(w, "port", ib.port);
    kv_str(w, "protocol",
           ib.protocol_override.empty() ? protocol_name(ib.protocol) : ib.protocol_override);
    if (!classic && ib.node_id != 0) {
        kv_int(w, "nodeId", ib.node_id);  // model.go Inbound.NodeID, `nodeId,omitempty`
    }
    if (!classic && v >= k_after_3_6) {
        kv_bool(w, "disableFlow", false);  // model.go:73 (930a0ed59)
    }
    if (classic) {
        // ≤ v3.0.2: JSON text columns are strings; settings is stored indented.
        rapidjson::StringBuffer settings;
        rapidjson::PrettyWriter<rapidjson::StringBuffer> pretty(settings);
        pretty.SetIndent(' ', 2);
        write_settings(pretty, db, ib, false);
        w.Key("settings");
        put_str(w, std::string_view(settings.GetString(), settings.GetSize()));
        kv_str(w, "streamSettings", ib.stream_settings);
        kv_str(w, "tag", ib.tag);
        kv_str(w, "sniffing", ib.sniffing);
    } else {
        kv_str(w, "tag", ib.tag);
        if (v >= PanelVersion{3, 4, 0}) {
            kv_str(w, "shareAddrStrategy", "node");
            kv_str(w, "shareAddr", "");
        }
        // v3.1.0+: Inbound.MarshalJSON appends the JSON-text fields as objects.
        w.Key("settings");
        write_settings(w, db, ib, view == InboundView::slim);
        w.Key("streamSettings");
        raw_object(w, ib.stream_settings);
        w.Key("sniffing");
        raw_object(w, ib.sniffing);
    }
    w.EndObject();
}

void write_inbound_list(JsonWriter& w, const Db& db, InboundView view) {
    const StatsIndex index = db.traffic_by_inbound();
    static const std::vector<const TrafficRow*> none;
    // From v3.3.1 list and list/slim back-fill clientStats with the rows of
    // clients shared with sibling inbounds, so a client attached to N
    // inbounds is listed N times (internal/web/service/inbound.go:163-174,
    // 206-226; 3x-ui-after-3.6.md D10). Before, the row is under its owner only.
    const bool backfill = db.api() == ApiKind::v3 && db.version() >= PanelVersion{3, 3, 1};
    w.StartArray();
    for (const auto& [id, ib] : db.inbounds()) {
        const auto it = index.find(id);
        const std::vector<const TrafficRow*>& own = it == index.end() ? none : it->second;
        if (!backfill) {
            write_inbound(w, db, ib, view, &own);
            continue;
        }
        std::vector<const TrafficRow*> rows = own;
        for (int cid : ib.client_ids) {
            const Client* c = db.client(cid);
            const TrafficRow* row = c == nullptr ? nullptr : db.traffic_by_email(c->email);
            if (row != nullptr && row->inbound_id != id) {
                rows.push_back(row);
            }
        }
        write_inbound(w, db, ib, view, &rows);
    }
    w.EndArray();
}

void write_client_record_members(JsonWriter& w, const Client& c, PanelVersion version) {
    kv_int(w, "id", c.id);
    kv_str(w, "email", c.email);
    kv_str(w, "subId", c.sub_id);
    kv_str(w, "uuid", c.uuid);
    kv_str(w, "password", c.password);
    kv_str(w, "auth", "");
    kv_str(w, "flow", c.flow);
    kv_str(w, "security", c.security);
    w.Key("reverse");
    w.Null();
    kv_int(w, "limitIp", c.limit_ip);
    kv_i64(w, "totalGB", c.total_gb);
    kv_i64(w, "expiryTime", c.expiry_time);
    kv_bool(w, "enable", c.enable);
    kv_i64(w, "tgId", c.tg_id);
    kv_str(w, "comment", c.comment);
    kv_int(w, "reset", c.reset);
    if (version >= k_after_3_6) {  // model.go:924,932-935
        kv_int(w, "limitHwid", c.limit_hwid);
        kv_int(w, "resetDay", c.reset_day);
        kv_int(w, "resetMax", c.reset_max);
        kv_str(w, "trafficReset", c.traffic_reset.empty() ? "never" : c.traffic_reset);
        kv_int(w, "trafficResetDay", c.traffic_reset_day);
    }
    kv_i64(w, "createdAt", c.created_at);
    kv_i64(w, "updatedAt", c.updated_at);
}

void write_client_with_attachments(JsonWriter& w, const Db& db, const Client& c) {
    w.StartObject();
    write_client_record_members(w, c, db.version());
    w.Key("inboundIds");
    if (c.inbound_ids.empty()) {  // a nil Go slice
        w.Null();
    } else {
        w.StartArray();
        for (int id : c.inbound_ids) {
            w.Int(id);
        }
        w.EndArray();
    }
    if (const TrafficRow* row = db.traffic_by_email(c.email)) {  // `traffic,omitempty`
        w.Key("traffic");
        write_traffic(w, db, *row);
    }
    w.EndObject();
}

void write_state(JsonWriter& w, const Db& db, std::int64_t now) {
    const bool v3 = db.api() == ApiKind::v3;
    w.StartObject();
    kv_str(w, "api", api_name(db.api()));
    kv_str(w, "panel_version", db.version().str());
    kv_i64(w, "now_ms", now);
    w.Key("inbounds");
    w.StartArray();
    for (const auto& [id, ib] : db.inbounds()) {
        w.StartObject();
        kv_int(w, "id", ib.id);
        kv_str(w, "remark", ib.remark);
        kv_str(w, "protocol", protocol_name(ib.protocol));
        kv_int(w, "port", ib.port);
        kv_bool(w, "enable", ib.enable);
        kv_i64(w, "up", ib.up);
        kv_i64(w, "down", ib.down);
        kv_i64(w, "total", ib.total);
        kv_i64(w, "expiryTime", ib.expiry_time);
        kv_str(w, "trafficReset", ib.traffic_reset);
        kv_i64(w, "lastTrafficResetTime", ib.last_traffic_reset_time);
        kv_i64(w, "allTime", ib.all_time);
        kv_str(w, "listen", ib.listen);
        kv_str(w, "tag", ib.tag);
        kv_str(w, "streamSettings", ib.stream_settings);
        kv_str(w, "sniffing", ib.sniffing);
        w.Key("clients");
        w.StartArray();
        for (int cid : ib.client_ids) {
            const Client* c = db.client(cid);
            if (c == nullptr) {
                continue;
            }
            const TrafficRow* row = db.traffic_by_email(c->email);
            w.StartObject();
            kv_str(w, "email", c->email);
            kv_bool(w, "enable", c->enable);
            kv_i64(w, "totalGB", c->total_gb);
            kv_i64(w, "expiryTime", c->expiry_time);
            kv_int(w, "reset", c->reset);
            // Identities and limits: what a restore must bring back unchanged.
            kv_str(w, "id", c->uuid);
            kv_str(w, "password", c->password);
            kv_str(w, "subId", c->sub_id);
            kv_str(w, "flow", c->flow);
            kv_str(w, "comment", c->comment);
            kv_int(w, "limitIp", c->limit_ip);
            kv_i64(w, "tgId", c->tg_id);
            kv_int(w, "resetDay", c->reset_day);
            kv_int(w, "resetMax", c->reset_max);
            kv_str(w, "trafficReset", c->traffic_reset);
            kv_int(w, "trafficResetDay", c->traffic_reset_day);
            kv_int(w, "limitHwid", c->limit_hwid);
            const auto opt_i64 = [&w](const char* key, const TrafficRow* r,
                                      std::int64_t TrafficRow::*field) {
                w.Key(key);
                if (r == nullptr) {
                    w.Null();
                } else {
                    w.Int64(r->*field);
                }
            };
            opt_i64("up", row, &TrafficRow::up);
            opt_i64("down", row, &TrafficRow::down);
            opt_i64("total", row, &TrafficRow::total);
            w.Key("traffic_enable");
            if (row == nullptr) {
                w.Null();
            } else {
                w.Bool(row->enable);
            }
            if (v3) {
                w.Key("inboundIds");
                w.StartArray();
                for (int iid : c->inbound_ids) {
                    w.Int(iid);
                }
                w.EndArray();
            }
            w.EndObject();
        }
        w.EndArray();
        w.EndObject();
    }
    w.EndArray();
    // Traffic rows without a client (e.g. clients/del?keepTraffic=1).
    w.Key("orphan_traffic");
    w.StartArray();
    for (const auto& [rid, row] : db.traffic_rows()) {
        if (db.client(row.client_id) == nullptr) {
            w.StartObject();
            kv_str(w, "email", row.email);
            kv_int(w, "inboundId", row.inbound_id);
            kv_i64(w, "up", row.up);
            kv_i64(w, "down", row.down);
            kv_i64(w, "total", row.total);
            kv_bool(w, "traffic_enable", row.enable);
            w.EndObject();
        }
    }
    w.EndArray();
    w.EndObject();
}

void write_server_status(JsonWriter& w, PanelVersion version, std::string_view version_text,
                         std::int64_t uptime_s) {
    constexpr std::int64_t gib = 1024LL * 1024 * 1024;
    const auto pair = [&w](const char* key, const char* a, std::int64_t av, const char* b,
                           std::int64_t bv) {
        w.Key(key);
        w.StartObject();
        kv_i64(w, a, av);
        kv_i64(w, b, bv);
        w.EndObject();
    };
    w.StartObject();
    w.Key("cpu");
    w.Double(3.5);
    kv_int(w, "cpuCores", 2);
    kv_int(w, "logicalPro", 2);
    kv_int(w, "cpuSpeedMhz", 2400);
    pair("mem", "current", 512 * 1024 * 1024LL, "total", 2 * gib);
    pair("swap", "current", 0, "total", gib);
    pair("disk", "current", 8 * gib, "total", 40 * gib);
    w.Key("xray");
    w.StartObject();
    kv_str(w, "state", "running");
    kv_str(w, "errorMsg", "");
    kv_str(w, "version", "25.10.15");
    w.EndObject();
    if (version >= PanelVersion{3, 1, 0}) {
        kv_str(w, "panelVersion", version_text);
    }
    kv_i64(w, "uptime", uptime_s + 86'400);
    w.Key("loads");
    w.StartArray();
    w.Double(0.1);
    w.Double(0.2);
    w.Double(0.3);
    w.EndArray();
    kv_int(w, "tcpCount", 42);
    kv_int(w, "udpCount", 7);
    pair("netIO", "up", 1200, "down", 3400);
    pair("netTraffic", "sent", 500 * gib, "recv", 900 * gib);
    w.Key("publicIP");
    w.StartObject();
    kv_str(w, "ipv4", "127.0.0.1");
    kv_str(w, "ipv6", "N/A");
    w.EndObject();
    w.Key("appStats");
    w.StartObject();
    kv_int(w, "threads", 12);
    kv_i64(w, "mem", 48 * 1024 * 1024LL);
    kv_i64(w, "uptime", uptime_s);
    w.EndObject();
    w.EndObject();
}

}  // namespace sandbox
