#pragma once

#include <set>
#include <string>
#include <vector>

#include "model/inbound.hpp"
#include "util/result.hpp"

namespace xuictl {

// An inbound a classic purge deleted whole, to be created again by
// `clients restore` through POST inbounds/add (docs/panel-api.md "inbounds/add").
struct RecreatedInbound {
    int id = 0;
    int port = 0;
    std::string listen;
    std::string protocol;
    std::string tag;
    std::string remark;
    std::vector<std::string> emails;  // the clients it brings back, in settings order
    // The request body, exactly as it is sent: the snapshot's object as
    // inbounds/get/:id returned it (id, counters, quota, expiry, settings,
    // streamSettings, sniffing ...), with clientStats left out (the panel
    // then creates one fresh traffic row per client) and settings.clients
    // cut to `emails`.
    std::string body;
};

// Reads one inbound the snapshot kept (`json`, compact) and keeps in its
// settings.clients only the clients whose email is in `keep` (those not on
// the panel again). A config Error names what is unreadable.
Result<RecreatedInbound> inbound_to_recreate(const std::string& json,
                                             const std::set<std::string>& keep);

// The id an inbound kept in a snapshot had; 0 when it has none.
int snapshot_inbound_id(const std::string& json);

// Refuses (not_found: exit 5, before anything is recorded or sent) when
// another inbound on the panel now holds the port or the tag of `inbound`:
// the panel would refuse the port ("Port already exists") or give the
// inbound another tag. The address it listens on is not compared (the list
// does not carry it), so this is stricter than the panel.
Status check_inbound_free(const RecreatedInbound& inbound, const std::vector<Inbound>& live,
                          const std::string& snapshot_id);

}  // namespace xuictl
