#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <string>
#include <vector>

#include "model/inbound.hpp"
#include "util/result.hpp"

namespace xuictl {

struct Plan;

// A client a purge is about to delete, kept so `clients restore` can create
// it again with the same identity: its settings.clients[] object exactly as
// the panel returned it (uuid/password, flow, subId, limitIp, totalGB,
// expiryTime, enable, tgId, comment, reset and any field xuictl does not
// know), and its traffic row.
struct DeletedClient {
    int inbound_id = 0;
    std::string email;
    std::string client_json;   // the raw object, compact JSON
    std::string traffic_json;  // its client_traffics row
    bool enable = true;        // the client's own switch (settings/record)
    int64_t up = 0;
    int64_t down = 0;
};

// What a deletion removes: the clients, and (classic purges) each inbound it
// deletes whole, as inbounds/get/:id returned it (port, protocol, tag,
// remark, settings, streamSettings, sniffing ...).
struct DeletedRecords {
    std::vector<DeletedClient> clients;
    std::vector<std::string> inbounds;  // raw objects, compact JSON

    bool empty() const { return clients.empty() && inbounds.empty(); }
};

// Adds to `out` the planned clients that `inbound` (the obj of
// inbounds/get/:id; settings a JSON string or an object) holds, with their
// traffic rows from `list`, and the whole inbound when the plan deletes it.
// A planned client missing from it is an Error: the snapshot would not let
// it be re-created.
Status collect_deleted(const rapidjson::Value& inbound, const Plan& plan,
                       const std::vector<Inbound>& list, DeletedRecords& out);

// After the fact: the clients among `emails` that `inbound` held (a
// predicate route deleted them although the plan did not name them), with
// their counters and traffic rows from `list` (the last read before the
// write); returns the emails it found.
std::vector<std::string> collect_unplanned(const rapidjson::Value& inbound,
                                           const std::vector<std::string>& emails,
                                           const std::vector<Inbound>& list, DeletedRecords& out);

// The inbounds whose get/:id collect_deleted needs, ascending.
std::vector<int> inbounds_to_collect(const Plan& plan);

// {"clients":[{"inbound_id","email","enable","up","down","client":{…},"traffic":{…}}],
//  "inbounds":[{…}]}
std::string deleted_to_json(const DeletedRecords& records);
// Reads what deleted_to_json wrote; errors name the JSON path under `path`.
Result<DeletedRecords> deleted_from_json(const rapidjson::Value& value, const std::string& path);

}  // namespace xuictl
