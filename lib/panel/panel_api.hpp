#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/inbound.hpp"
#include "panel/capabilities.hpp"
#include "panel/session.hpp"

namespace xuictl {

// One method per panel operation, mapped to the classic (≤ v3.0.x) or the
// v3.1+ routes (3x-ui-api.md §4.1, §5). Knows routes and bodies; knows nothing
// about plans, confirmation or output.
class PanelApi {
public:
    explicit PanelApi(Session& session);

    // GET panel/api/inbounds/list — every inbound with clients and counters.
    Result<std::vector<Inbound>> list_inbounds();
    // GET panel/api/server/status (v2.7.0+), POST panel/server/status before.
    Result<ServerStatus> server_status();
    // Detects the API generation and version with one probe, kept for the run.
    Result<Capabilities> capabilities();
    // Uses capabilities remembered from an earlier run (session cache).
    void assume_capabilities(Capabilities capabilities) { m_capabilities = capabilities; }
    const std::optional<Capabilities>& known_capabilities() const { return m_capabilities; }

    // Zero one client's up/down. Classic needs the inbound id in the route.
    Status reset_client(int inbound_id, const std::string& email);
    // Zero every inbound's own up/down (client rows untouched, §7.1).
    Status reset_inbound_counters();
    // Zero up/down of every client of one inbound (emails needed on v3).
    Status reset_inbound_clients(int inbound_id, const std::vector<std::string>& emails);
    // Zero up/down of every client of every inbound.
    Status reset_all_clients();
    // Delete depleted clients everywhere with the panel's own predicate.
    Status purge_depleted_all();
    // Delete depleted clients of one inbound; v3 deletes exactly `emails`.
    Status purge_depleted_inbound(int inbound_id, const std::vector<std::string>& emails);

    Session& session() { return m_session; }

private:
    Result<Capabilities> require_capabilities();
    // Sends one request per email (v3.1.x without bulk routes); a failure
    // after some successes is a partial Error naming both sets.
    Status per_email(const std::vector<std::string>& emails, const char* route_prefix,
                     const char* what);

    Session& m_session;
    std::optional<Capabilities> m_capabilities;
};

}  // namespace xuictl
