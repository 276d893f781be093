#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "db.hpp"

namespace sandbox {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

// String helpers: RapidJSON wants explicit lengths for non-literal strings.
void put_string(JsonWriter& w, std::string_view value);
void put_key(JsonWriter& w, std::string_view key);
void put_field(JsonWriter& w, const char* key, std::string_view value);

// How an inbound is rendered (§4.1, §5.1, §6.1).
enum class InboundView {
    classic,  // settings/streamSettings/sniffing as JSON strings (<= v3.0.2)
    nested,   // nested objects (v3.1.0+)
    slim,     // nested, settings.clients[] cut to {email, enable, comment}
};

// Row lookup for clientStats, built once per response (Db::traffic_by_inbound).
using StatsIndex = std::unordered_map<int, std::vector<const TrafficRow*>>;

// One Inbound object. `stats == nullptr` renders `"clientStats": null`
// (classic get/:id, §4.1).
void write_inbound(JsonWriter& w, const Db& db, const Inbound& inbound, InboundView view,
                   const std::vector<const TrafficRow*>* stats);

// The array of all inbounds with clientStats preloaded (inbounds/list).
void write_inbound_list(JsonWriter& w, const Db& db, InboundView view);

// One ClientTraffic (§6.2) with the fields of the emulated version.
// `enable_override` replaces the row's flag (v2.8.1 - v2.8.11 getClientTraffics).
void write_traffic(JsonWriter& w, const Db& db, const TrafficRow& row,
                   const bool* enable_override = nullptr);

// A v3 ClientRecord's members (§6.4), without the enclosing braces so
// callers can append `inboundIds`/`traffic` (ClientWithAttachments).
void write_client_record_members(JsonWriter& w, const Client& client, PanelVersion version);

// One row of clients/list: record + inboundIds (null when unattached) + traffic (omitted when
// absent).
void write_client_with_attachments(JsonWriter& w, const Db& db, const Client& client);

// GET /__sandbox/state (canonical, version independent).
void write_state(JsonWriter& w, const Db& db, std::int64_t now);

// obj of server/status; `uptime_s` since sandbox start.
// `version_text` is what panelVersion says (v3.1.0+): "3.7.0", or a dev
// build's "dev+02002dc1" (internal/config/config.go:79-88).
void write_server_status(JsonWriter& w, PanelVersion version, std::string_view version_text,
                         std::int64_t uptime_s);

}  // namespace sandbox
