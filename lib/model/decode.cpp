#include "model/decode.hpp"

#include <fmt/format.h>

#include "json/reader.hpp"

namespace xuictl {
namespace {

Client read_client(ObjectReader& r) {
    Client c;
    c.email = r.string("email");
    c.enable = r.boolean_or("enable", true);
    c.total_bytes = r.int64_or("totalGB", 0);
    c.expiry_time = r.int64_or("expiryTime", 0);
    c.reset = r.int32_or("reset", 0);
    c.limit_ip = r.int32_or("limitIp", 0);
    c.sub_id = r.string_or("subId", "");
    c.comment = r.string_or("comment", "");
    c.tg_id = r.scalar_as_string_or("tgId", "");
    return c;
}

ClientTraffic read_traffic(ObjectReader& r) {
    ClientTraffic t;
    t.id = r.int64_or("id", 0);
    t.inbound_id = r.int32_or("inboundId", 0);
    t.enable = r.boolean_or("enable", true);
    t.email = r.string("email");
    t.up = r.int64("up");
    t.down = r.int64("down");
    t.total = r.int64_or("total", 0);
    t.expiry_time = r.int64_or("expiryTime", 0);
    t.reset = r.int32_or("reset", 0);
    t.reset_day = r.int32_or("resetDay", 0);
    t.last_online = r.int64_or("lastOnline", 0);
    t.all_time = r.int64_or("allTime", 0);
    return t;
}

}  // namespace

Result<std::vector<Client>> decode_settings_clients(const rapidjson::Value& settings,
                                                    const std::string& path) {
    rapidjson::Document inner;
    const rapidjson::Value* value = &settings;
    if (settings.IsString()) {
        // ≤ v3.0.x: settings is a string holding JSON (§4.2).
        inner.Parse(settings.GetString(), settings.GetStringLength());
        if (inner.HasParseError()) {
            return make_error(ErrorKind::api,
                              fmt::format("unexpected panel JSON at {}: the settings string is not "
                                          "valid JSON (byte {})",
                                          path, inner.GetErrorOffset()));
        }
        value = &inner;
    }
    Error error;
    ObjectReader settings_reader(*value, path, error);
    std::vector<Client> clients;
    if (const auto* list = settings_reader.array_or_null("clients")) {
        clients.reserve(list->Size());
        const std::string list_path = json_field(path, "clients");
        for (rapidjson::SizeType i = 0; i < list->Size(); ++i) {
            ObjectReader r((*list)[i], json_index(list_path, i), error);
            clients.push_back(read_client(r));
            if (r.failed()) {
                break;
            }
        }
    }
    if (!error.message.empty()) {
        return error;
    }
    return clients;
}

Result<std::vector<Inbound>> decode_inbound_list(const rapidjson::Value& obj,
                                                 const std::string& path) {
    // A panel with no inbounds sends [] (GORM's Find always yields a non-nil
    // slice); null is malformed and must not read as "no clients at all".
    if (!obj.IsArray()) {
        return make_error(ErrorKind::api,
                          fmt::format("unexpected panel JSON at {}: expected an array, got {}",
                                      path, json_type_name(obj)));
    }
    std::vector<Inbound> inbounds;
    inbounds.reserve(obj.Size());
    Error error;
    for (rapidjson::SizeType i = 0; i < obj.Size(); ++i) {
        const std::string item_path = json_index(path, i);
        ObjectReader r(obj[i], item_path, error);
        Inbound in;
        in.id = r.int32("id");
        in.remark = r.string_or("remark", "");
        in.protocol = r.string_or("protocol", "");
        in.tag = r.string_or("tag", "");
        in.port = r.int32_or("port", 0);
        in.enable = r.boolean_or("enable", true);
        in.up = r.int64("up");
        in.down = r.int64("down");
        in.total = r.int64_or("total", 0);
        in.expiry_time = r.int64_or("expiryTime", 0);
        in.has_traffic_reset = r.has("trafficReset");
        in.traffic_reset = r.string_or("trafficReset", "never");
        if (const auto* settings = r.member("settings"); settings != nullptr && !settings->IsNull()) {
            if (!settings->IsString() && !settings->IsObject()) {
                r.fail("settings", fmt::format("expected a JSON string or an object, got {}",
                                               json_type_name(*settings)));
            } else {
                in.settings_was_object = settings->IsObject();
                auto clients = decode_settings_clients(*settings, json_field(item_path, "settings"));
                if (!clients) {
                    return clients.error();
                }
                in.clients = std::move(clients.value());
            }
        }
        if (const auto* stats = r.array_or_null("clientStats")) {
            in.client_stats.reserve(stats->Size());
            const std::string stats_path = json_field(item_path, "clientStats");
            for (rapidjson::SizeType k = 0; k < stats->Size(); ++k) {
                ObjectReader tr((*stats)[k], json_index(stats_path, k), error);
                in.client_stats.push_back(read_traffic(tr));
                if (tr.failed()) {
                    break;
                }
            }
        }
        if (!error.message.empty()) {
            return error;
        }
        inbounds.push_back(std::move(in));
    }
    return inbounds;
}

Result<ClientTraffic> decode_client_traffic(const rapidjson::Value& obj, const std::string& path) {
    Error error;
    ObjectReader r(obj, path, error);
    ClientTraffic t = read_traffic(r);
    if (!error.message.empty()) {
        return error;
    }
    return t;
}

Result<ServerStatus> decode_server_status(const rapidjson::Value& obj, const std::string& path) {
    Error error;
    ObjectReader r(obj, path, error);
    ServerStatus s;
    s.panel_version = r.string_or("panelVersion", "");
    s.uptime_s = r.int64_or("uptime", 0);
    if (const auto* cpu = r.member("cpu"); cpu != nullptr && cpu->IsNumber()) {
        s.cpu_percent = cpu->GetDouble();
    }
    if (const auto* xray = r.object_or_null("xray")) {
        ObjectReader x(*xray, json_field(path, "xray"), error);
        s.xray_state = x.string_or("state", "");
        s.xray_version = x.string_or("version", "");
    }
    if (const auto* mem = r.object_or_null("mem")) {
        ObjectReader m(*mem, json_field(path, "mem"), error);
        s.mem_current = m.int64_or("current", 0);
        s.mem_total = m.int64_or("total", 0);
    }
    if (!error.message.empty()) {
        return error;
    }
    return s;
}

}  // namespace xuictl
