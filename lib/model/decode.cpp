#include "model/decode.hpp"

#include <fmt/format.h>

#include "json/reader.hpp"
#include "model/list_decoder.hpp"

namespace xuictl {

Result<std::vector<Inbound>> decode_inbound_list(const rapidjson::Value& obj,
                                                 const std::string& path) {
    ListDecoder decoder(path, ListDecoder::Root::inbound_list);
    if (auto replayed = replay(obj, decoder); !replayed) {
        return replayed.error();
    }
    return decoder.take_inbounds();
}

Result<ClientTraffic> decode_client_traffic(const rapidjson::Value& obj, const std::string& path) {
    ListDecoder decoder(path, ListDecoder::Root::client_traffic);
    if (auto replayed = replay(obj, decoder); !replayed) {
        return replayed.error();
    }
    return decoder.take_traffic();
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
