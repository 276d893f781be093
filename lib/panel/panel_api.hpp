#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "model/counters.hpp"
#include "model/inbound.hpp"
#include "panel/capabilities.hpp"
#include "panel/session.hpp"
#include "panel/token_scope.hpp"

namespace xuictl {

// What a multi-request write (one request per client) got done, target by
// target, for the audit log; and the way to stop it between two requests
// (Ctrl-C). Filled while PanelApi::track_progress points at it.
struct WriteProgress {
    std::vector<std::string> done;      // the panel acknowledged these
    std::vector<std::string> not_done;  // failed, or never sent
    // Asked before each request; true stops the write there: nothing more is
    // sent, the rest go to not_done, and the write returns a cancelled Error.
    std::function<bool()> stop_requested;
};

// The panel (gin) matches routes on the percent-decoded path: an email with
// '/' splits the route whatever the encoding, and "." or ".." are path steps.
// Such a client cannot be named in a URL path (bulk routes carry emails in
// the body and have no such limit). An unsupported Error names the first
// such email and the route (`what`); nothing is sent.
Status path_addressable(const std::vector<std::string>& emails, std::string_view what);

// One method per panel operation, mapped to the classic (≤ v3.0.x) or the
// v3.1+ routes (3x-ui-api.md §4.1, §5). Knows routes and bodies; knows nothing
// about plans, confirmation or output.
class PanelApi {
public:
    explicit PanelApi(Session& session);

    // How much of each client a list must carry.
    enum class ListDetail {
        full,   // every field xuictl reads: plans, snapshots, verification
        usage,  // email, enable and the client_traffics rows: read-only views
        // usage, and each client's own reset cycle, which list/slim drops
        // (inbound.go:231-267 keeps email, enable, comment): the full list
        // on a panel that has per-client cycles (after v3.6.0, or a version
        // xuictl cannot read), list/slim on one that has none (every cycle is
        // "never"). The version comes from this run or the session cache,
        // else from one server/status probe (a few hundred bytes) when the
        // login shows a v3.0+ panel.
        usage_and_cycles,
    };
    // GET panel/api/inbounds/list — every inbound with clients and counters.
    // For ListDetail::usage on a v3.1+ panel it asks for inbounds/list/slim
    // instead, which leaves client secrets and settings out (half the bytes
    // at 100 000 clients, and less work for the panel); the rows are the
    // same. Whether the panel has it is known from this run, the session
    // cache, or else the login: no CSRF token means classic (full list);
    // with one (or a token), list/slim is tried and a 404 (v3.0.x) falls
    // back to the full list. No version probe is ever sent for this.
    // `each`, when given, is called with every inbound as soon as it has been
    // read, while the rest still streams in (ListDecoder::on_inbound).
    Result<std::vector<Inbound>> list_inbounds(ListDetail detail = ListDetail::full,
                                               std::function<void(Inbound&)> each = {});
    // GET panel/api/server/status (v2.7.0+), POST panel/server/status before.
    Result<ServerStatus> server_status();
    // Detects the API generation and version with one probe, kept for the run.
    Result<Capabilities> capabilities();
    // Uses capabilities remembered from an earlier run (session cache).
    void assume_capabilities(Capabilities capabilities) { m_capabilities = capabilities; }
    const std::optional<Capabilities>& known_capabilities() const { return m_capabilities; }
    // Whether inbounds/list/slim exists, as far as this run or the session
    // cache knows: true once the probe or a full list (nested settings) showed
    // a v3.1+ panel; nullopt while unknown.
    std::optional<bool> slim_list() const;
    void assume_slim_list(bool exists) { m_slim_list = exists; }
    // What this run knows of its API token's scope (scopes exist after
    // v3.6.0): from the session cache, the probe of `xuictl version`, or a
    // refusal seen in this run — list/slim refused and the full list read
    // (node-sync), the full list refused (monitor), a write refused after the
    // list was read (node-sync, learn_scope_from). nullopt: not known, or no
    // token. While known, nothing the scope forbids is sent: list/slim is
    // skipped for node-sync, clients/bulkResetTraffic gives way to its
    // per-client route (the same write), and a monitor token's list read
    // is refused without a request.
    std::optional<TokenScope> token_scope() const { return m_token_scope; }
    // The panel's words when it refused this token (its 403 msg).
    const std::string& scope_words() const { return m_scope_words; }
    void assume_token_scope(TokenScope scope, std::string words);
    // A write refused for the token's scope after this run read the list: node-sync.
    void learn_scope_from(const Error& e);
    // The refusal xuictl makes itself for what the known scope does not
    // allow: an auth Error (exit 4) with HTTP 403 and the panel's words.
    Error scope_refusal(std::string_view what) const;

    // The server status read by the capability probe of this run, if one ran
    // (a cached session skips the probe), so callers need not ask twice.
    const std::optional<ServerStatus>& probed_status() const { return m_probed_status; }

    // Whether a v3 client reset of several emails goes out as one
    // clients/bulkResetTraffic (v3.2.0+, a scope that allows it) rather
    // than one resetTraffic/:email each — which a master also sends to its
    // nodes, while bulkResetTraffic does not (ops/node_write.hpp).
    bool resets_in_bulk(const Capabilities& caps) const {
        return caps.has_bulk_client_routes() && bulk_allowed();
    }

    // Zero one client's up/down. Classic needs the inbound id in the route.
    // v3.2.0+ sends an email no URL path can carry (see path_addressable)
    // through bulkResetTraffic instead.
    Status reset_client(int inbound_id, const std::string& email);
    // Zero every inbound's own up/down (client rows untouched, §7.1).
    Status reset_inbound_counters();
    // Zero up/down of every client of one inbound (emails needed on v3).
    Status reset_inbound_clients(int inbound_id, const std::vector<std::string>& emails);
    // Zero up/down of every client of every inbound: classic
    // resetAllClientTraffics/-1; v3 exactly `emails` (bulkResetTraffic, or
    // one resetTraffic each on v3.1.x), never the panel-wide route.
    Status reset_all_clients(const std::vector<std::string>& emails);
    // Delete depleted clients everywhere: classic delDepletedClients/-1 (the
    // panel's predicate: the caller re-reads first); v3 exactly `emails`
    // (bulkDel, or one del each on v3.1.x), never clients/delDepleted.
    Status purge_depleted_all(const std::vector<std::string>& emails);
    // Delete depleted clients of one inbound; v3 deletes exactly `emails`.
    Status purge_depleted_inbound(int inbound_id, const std::vector<std::string>& emails);

    // Sets each client's up/down to absolute byte counts (traffic restore):
    // v3 POST clients/updateTraffic/:email, classic (v2.6.3+) POST
    // inbounds/updateClientTraffic/:email, both JSON {"upload":n,"download":n}.
    // One request per client, in order; a 404 is an unsupported Error, a
    // failure after some successes a partial Error naming both counts.
    Status set_client_counters(const std::vector<ClientCounters>& targets);
    // Whether set_client_counters has a route here, found without changing
    // anything: v3 (3.1.0+) yes; classic with the trafficReset field in
    // `inbounds` (v2.8.1+) yes; older classic panels do not tell, so the
    // route is probed with a body it cannot bind (a JSON array): a missing
    // route answers 404, an existing one refuses the body and writes nothing.
    Result<bool> can_set_client_counters(const std::vector<Inbound>& inbounds);

    // The inbounds (ids, ascending) that hold client `email` (exact match),
    // asked about that client alone instead of reading the whole list: GET
    // clients/get/:email, v3.1.0+ (internal/web/controller/client.go:50 and
    // get(); inboundIds from client_inbounds, client_lookup.go:124-134).
    // nullopt when it cannot tell that way, and the caller reads the list,
    // which answers every case: the panel is not known to be v3.1+ from this
    // run or the session cache (nothing is sent to find out), the email
    // cannot be in a URL path (path_addressable), the route is missing or
    // refused (a node-sync token), the panel knows no such client, or the
    // client is attached to no inbound (not in any inbound's settings).
    // Transport, TLS and login failures are Errors.
    Result<std::optional<std::vector<int>>> client_inbounds(const std::string& email);

    // GET panel/api/inbounds/get/:id — one inbound exactly as the panel
    // returns it (the whole envelope; "obj" is the inbound).
    Result<rapidjson::Document> get_inbound(int id);
    // GET panel/api/inbounds/list — every inbound exactly as the panel
    // returns it (the whole envelope; "obj" is the array), for a purge of
    // every inbound: one request where inbounds/get/:id would be one each.
    Result<rapidjson::Document> get_inbounds();

    // POST panel/api/inbounds/add with `body` (a flat Inbound, settings,
    // streamSettings and sniffing JSON strings; classic panels keep its id,
    // docs/panel-api.md "inbounds/add"): the created inbound, or an Error.
    Status add_inbound(const std::string& body);

    // Creates deleted clients again, one at a time, with their own identity
    // (uuid/password, subId ...) and then their counters (clients restore):
    // classic POST inbounds/addClient {"id","settings":"{\"clients\":[…]}"}
    // + inbounds/updateClientTraffic/:email; v3 POST clients/add
    // {"client","inboundIds"} (which forces enable:true, so a disabled
    // client gets clients/update/:email with its own object after it)
    // + clients/updateTraffic/:email. Progress is per email.
    // `inbounds` (bodies for add_inbound) are created first; the clients
    // they bring back (`with_inbound`) then only get their counters.
    struct Recreate {
        int inbound_id = 0;
        std::string email;
        std::string client_json;  // the object as the panel returned it
        bool enable = true;
        int64_t up = 0;
        int64_t down = 0;
        bool with_inbound = false;  // created by its inbound's add
    };
    Status recreate_clients(const std::vector<std::string>& inbounds,
                            const std::vector<Recreate>& targets);

    Session& session() { return m_session; }

    // While set, the writes that send one request per client record each
    // target in *progress and honour progress->stop_requested; single-request
    // writes leave it untouched. nullptr stops tracking.
    void track_progress(WriteProgress* progress) { m_progress = progress; }

private:
    // GET panel/api/inbounds/<route>, decoded as it streams in. As a probe, a
    // 404 after a fresh login is not_found (the route does not exist).
    Result<std::vector<Inbound>> read_list(std::string_view route, bool is_probe,
                                           std::function<void(Inbound&)> each);
    // What ListDetail::usage_and_cycles reads here: full or usage (probing
    // the version when it is not known yet).
    Result<ListDetail> detail_for_cycles(bool slim_allowed);
    // list/slim was refused (`refused`): the full list, and what the two
    // answers say about a token's scope.
    Result<std::vector<Inbound>> read_full_after_slim_refused(const Error& refused,
                                                              std::function<void(Inbound&)> each);
    // clients/bulkResetTraffic may be sent: no known scope forbids it.
    bool bulk_allowed() const { return !m_token_scope || scope_uses_bulk_routes(*m_token_scope); }
    // Sends one request per email (v3.1.x without bulk routes); a failure
    // after some successes is a partial Error naming both sets.
    Status per_email(const std::vector<std::string>& emails, const char* route_prefix,
                     const char* what);
    // v3: reset / delete exactly these clients (bulk route, or per email).
    Status reset_emails(const Capabilities& caps, const std::vector<std::string>& emails,
                        const char* what);
    Status delete_emails(const Capabilities& caps, const std::vector<std::string>& emails);

    Session& m_session;
    std::optional<Capabilities> m_capabilities;
    std::optional<ServerStatus> m_probed_status;
    std::optional<bool> m_slim_list;
    std::optional<TokenScope> m_token_scope;
    std::string m_scope_words;
    bool m_list_read = false;  // a full inbounds/list answered in this run
    WriteProgress* m_progress = nullptr;
};

}  // namespace xuictl
