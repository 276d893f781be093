#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "model/counters.hpp"
#include "util/result.hpp"

namespace xuictl {

// A plan read back from the JSON plan_to_json wrote into an audit line or a
// snapshot: the parts later commands use (traffic restore, audit).
struct RecordedClient {
    int inbound_id = 0;
    std::string email;
    int64_t up = 0;
    int64_t down = 0;
    int64_t quota = 0;

    int64_t used() const { return up + down; }
};

struct RecordedInbound {
    int id = 0;
    std::string remark;
    int64_t up = 0;
    int64_t down = 0;
};

struct RecordedPlan {
    std::string operation;  // operation_key(): "reset_client", "restore_clients", ...
    std::string command;
    std::string phrase;
    std::string api;        // "classic" | "v3"
    std::vector<RecordedClient> clients;    // before-counters
    std::vector<RecordedInbound> inbounds;  // before-counters (traffic reset-all)
    std::vector<ClientCounters> restore_to; // restore plans only
    std::string restore_from;               // restore plans only: the snapshot id

    // Emails of the clients, in plan order.
    std::vector<std::string> emails() const;
    // Sum of the before-counters of every target (clients and inbounds).
    int64_t used_before() const;
};

// Reads the plan object at `path` ("plan") of an audit line or snapshot. A
// missing or mistyped field is an Error naming its JSON path.
Result<RecordedPlan> plan_from_json(const rapidjson::Value& plan, const std::string& path);

}  // namespace xuictl
