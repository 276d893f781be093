#pragma once

#include <rapidjson/document.h>

#include <string>
#include <vector>

#include "model/inbound.hpp"
#include "util/result.hpp"

namespace xuictl {

// Decoders for the panel's JSON. Each takes the value of the envelope's "obj"
// and the JSON path to name in errors ("obj"). A missing or mistyped field is
// an api Error naming its path; unknown fields are ignored. The list and the
// traffic row are decoded by ListDecoder (model/list_decoder.hpp), which also
// decodes a list while it streams in; these are its entry points for a DOM.

// inbounds/list: an array of inbounds. `settings` may be a JSON string
// (≤ v3.0.x) or a nested object (v3.1+); both give the same Inbound.
Result<std::vector<Inbound>> decode_inbound_list(const rapidjson::Value& obj,
                                                 const std::string& path);

// One client_traffics row (getClientTraffics, clients/traffic, clientStats[i]).
Result<ClientTraffic> decode_client_traffic(const rapidjson::Value& obj, const std::string& path);

// server/status.
Result<ServerStatus> decode_server_status(const rapidjson::Value& obj, const std::string& path);

}  // namespace xuictl
