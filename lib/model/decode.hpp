#pragma once

#include <rapidjson/document.h>

#include <string>
#include <vector>

#include "model/inbound.hpp"
#include "util/result.hpp"

namespace xuictl {

// Decoders for the panel's JSON. Each takes the value of the envelope's "obj"
// and the JSON path to name in errors ("obj"). A missing or mistyped field is
// an api Error naming its path; unknown fields are ignored.

// inbounds/list: an array of inbounds. `settings` may be a JSON string
// (≤ v3.0.x) or a nested object (v3.1+); both give the same Inbound.
Result<std::vector<Inbound>> decode_inbound_list(const rapidjson::Value& obj, const std::string& path);

// One client_traffics row (getClientTraffics, clients/traffic, clientStats[i]).
Result<ClientTraffic> decode_client_traffic(const rapidjson::Value& obj, const std::string& path);

// server/status.
Result<ServerStatus> decode_server_status(const rapidjson::Value& obj, const std::string& path);

// The settings of one inbound, given as text (classic) or object (v3.1+):
// its clients. Written once here because JSON-inside-JSON has a second parse.
Result<std::vector<Client>> decode_settings_clients(const rapidjson::Value& settings,
                                                    const std::string& path);

}  // namespace xuictl
