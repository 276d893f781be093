#include "panel/panel_api.hpp"

#include "model/list_decoder.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <fmt/format.h>

#include <algorithm>
#include <functional>

#include "model/decode.hpp"
#include "net/url.hpp"

namespace xuictl {
namespace {

constexpr const char* kInbounds = "panel/api/inbounds/";
constexpr const char* kClients = "panel/api/clients/";

std::string emails_body(const std::vector<std::string>& emails) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
    w.StartObject();
    w.Key("emails");
    w.StartArray();
    for (const auto& e : emails) {
        w.String(e.c_str(), static_cast<rapidjson::SizeType>(e.size()));
    }
    w.EndArray();
    w.EndObject();
    return std::string(buffer.GetString(), buffer.GetSize());
}

Status as_status(const Result<rapidjson::Document>& r) {
    if (!r) {
        return r.error();
    }
    return ok_status();
}

// Sends send(email) for every email in turn and stops at the first failure,
// or before any request once progress->stop_requested() says so. A failure
// after some successes is a partial Error naming both counts; progress (may
// be null) gets every email as done or not done.
Status in_turn(const std::vector<std::string>& emails, WriteProgress* progress,
               const std::function<Result<rapidjson::Document>(const std::string&)>& send) {
    size_t done = 0;
    auto give_up = [&](Error e) -> Status {
        if (progress != nullptr) {
            progress->not_done.insert(progress->not_done.end(),
                                      emails.begin() + static_cast<std::ptrdiff_t>(done),
                                      emails.end());
        }
        return e;
    };
    for (const auto& email : emails) {
        if (progress != nullptr && progress->stop_requested && progress->stop_requested()) {
            return give_up(make_error(ErrorKind::cancelled,
                                      fmt::format("stopped after {} of {} clients; {} not sent",
                                                  done, emails.size(), emails.size() - done)));
        }
        auto r = send(email);
        if (!r) {
            if (done == 0) {
                return give_up(r.error());
            }
            Error e = r.error();
            e.kind = ErrorKind::partial;
            e.message = fmt::format("{} of {} clients done, {} not done (failed at {}: {})", done,
                                    emails.size(), emails.size() - done, email, r.error().message);
            return give_up(e);
        }
        ++done;
        if (progress != nullptr) {
            progress->done.push_back(email);
        }
    }
    return ok_status();
}

}  // namespace

Status path_addressable(const std::vector<std::string>& emails, std::string_view what) {
    for (const auto& email : emails) {
        if (email.find('/') != std::string::npos || email == "." || email == "..") {
            return make_error(
                ErrorKind::unsupported,
                fmt::format("the {} route cannot address client '{}': the panel decodes %2F before "
                            "matching routes, so an email with '/' (or \".\", \"..\") never "
                            "matches; nothing was sent",
                            what, email),
                "rename the client in the panel's web UI (or act on it there)");
        }
    }
    return ok_status();
}

namespace {

// Classic addClient: {"id":N,"settings":"{\"clients\":[<client>]}"} — the
// settings are JSON inside a JSON string (§4.2).
std::string add_client_body(int inbound_id, const std::string& client_json) {
    const std::string settings = R"({"clients":[)" + client_json + "]}";
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
    w.StartObject();
    w.Key("id");
    w.Int(inbound_id);
    w.Key("settings");
    w.String(settings.c_str(), static_cast<rapidjson::SizeType>(settings.size()));
    w.EndObject();
    return std::string(buffer.GetString(), buffer.GetSize());
}

std::string traffic_body(int64_t up, int64_t down) {
    return fmt::format(R"({{"upload":{},"download":{}}})", up, down);
}

constexpr const char* kUpdateTrafficV3 = "updateTraffic/";
constexpr const char* kUpdateTrafficClassic = "updateClientTraffic/";

// list/slim is not there (v3.0.x: 404), or this token may not read it (after
// v3.6.0 a scoped token gets 403 there, docs/panel-api.md): the full list
// serves instead.
bool slim_refused(const Error& e, bool token) {
    // A token's scope refusal is an auth Error carrying the 403 (session.cpp).
    return e.kind == ErrorKind::not_found || (token && e.http_status == 403);
}

// On a panel whose version xuictl cannot read, the bulk routes are assumed
// (dev builds are newer than v3.4.1); if the panel answers that the route
// does not exist (404: nothing was done), its answer decides and the
// per-email routes of every v3.1+ panel serve instead.
bool bulk_route_missing(const Capabilities& caps, const Status& sent) {
    return !sent && caps.version_unknown() && sent.error().kind == ErrorKind::unsupported;
}

}  // namespace

PanelApi::PanelApi(Session& session) : m_session(session) {}

Result<std::vector<Inbound>> PanelApi::list_inbounds(ListDetail detail,
                                                     std::function<void(Inbound&)> each) {
    if (m_token_scope && !scope_reads_inbounds(*m_token_scope)) {
        // A monitor token reads no inbounds (api.go:76-87): refused here,
        // without a request the panel refuses anyway.
        return scope_refusal("inbound list");
    }
    // A node-sync token may read list but not list/slim (api.go:91-114).
    const bool slim_allowed = !m_token_scope || scope_reads_slim_list(*m_token_scope);
    if (detail == ListDetail::usage_and_cycles) {
        auto chosen = detail_for_cycles(slim_allowed);
        if (!chosen) {
            return chosen.error();
        }
        detail = *chosen;
    }
    // list/slim exists from v3.1.0 (3x-ui c5b71041d); it keeps every inbound
    // field and the full clientStats rows, and cuts settings.clients down to
    // {email, enable, comment} (docs/panel-api.md).
    if (detail == ListDetail::usage && slim_allowed && !slim_list().has_value()) {
        // Not known yet (no cached session): log in first, which tells the
        // generation for free. No CSRF token means ≤ v2.9.4, so no list/slim;
        // v3.0.x has CSRF but no list/slim, so it is asked for as a probe
        // and its 404 falls back to the full list (one more request, on
        // those two releases only, and not again once the session is cached).
        if (!m_session.uses_token() && !m_session.has_session()) {
            if (auto status = m_session.login(); !status) {
                return status.error();
            }
        }
        if (!m_session.uses_token() && !m_session.has_csrf_token()) {
            m_slim_list = false;
        } else {
            auto slim = read_list("list/slim", true, each);
            if (slim || !slim_refused(slim.error(), m_session.uses_token())) {
                if (slim) {
                    m_slim_list = true;
                }
                return slim;
            }
            m_slim_list = false;
            return read_full_after_slim_refused(slim.error(), std::move(each));
        }
    }
    const bool slim = detail == ListDetail::usage && slim_allowed && slim_list().value_or(false);
    auto inbounds = read_list(slim ? "list/slim" : "list", false, each);
    if (slim && !inbounds && m_session.uses_token() && inbounds.error().http_status == 403) {
        // The refusal comes before any inbound, so `each` saw nothing yet.
        inbounds = read_full_after_slim_refused(inbounds.error(), std::move(each));
    }
    if (inbounds && !slim_list()) {
        // Nested settings are the v3.1+ shape (§1), and v3.1.0 added list/slim.
        for (const auto& in : *inbounds) {
            if (in.settings_was_object) {
                m_slim_list = true;
                break;
            }
        }
    }
    return inbounds;
}

Result<PanelApi::ListDetail> PanelApi::detail_for_cycles(bool slim_allowed) {
    if (!slim_allowed || slim_list() == std::optional<bool>(false)) {
        return ListDetail::full;  // the full list it is anyway
    }
    if (!m_capabilities) {
        if (!m_session.uses_token() && !m_session.has_session()) {
            if (auto status = m_session.login(); !status) {
                return status.error();
            }
        }
        if (!m_session.uses_token() && !m_session.has_csrf_token()) {
            m_slim_list = false;  // ≤ v2.9.4 (§3.6): no list/slim, no client cycles
            return ListDetail::full;
        }
        if (auto caps = capabilities(); !caps) {
            return caps.error();
        }
    }
    return m_capabilities->has_client_cycles() ? ListDetail::full : ListDetail::usage;
}

Result<std::vector<Inbound>> PanelApi::read_full_after_slim_refused(
    const Error& refused, std::function<void(Inbound&)> each) {
    auto full = read_list("list", false, std::move(each));
    if (refused.http_status == 403 && m_session.uses_token()) {
        // list/slim refused for the token's scope: the full list answers a
        // node-sync token and refuses a monitor one (api.go:76-114).
        if (full) {
            m_token_scope = TokenScope::node_sync;
        } else if (full.error().kind == ErrorKind::auth && full.error().http_status == 403) {
            m_token_scope = TokenScope::monitor;
        }
        m_scope_words = m_session.last_scope_refusal();
    }
    return full;
}

void PanelApi::assume_token_scope(TokenScope scope, std::string words) {
    m_token_scope = scope;
    m_scope_words = std::move(words);
}

void PanelApi::learn_scope_from(const Error& e) {
    if (m_session.uses_token() && m_list_read && e.kind == ErrorKind::auth &&
        e.http_status == 403) {
        // Only admin passes everything; a token that read inbounds/list and
        // is refused a write is node-sync (monitor cannot read the list).
        m_token_scope = TokenScope::node_sync;
        m_scope_words = m_session.last_scope_refusal();
    }
}

Error PanelApi::scope_refusal(std::string_view what) const {
    const char* scope = m_token_scope ? to_string(*m_token_scope) : "unknown";
    return Error{ErrorKind::auth,
                 fmt::format("the API token's scope ({}) does not allow the {}; the panel says: {}",
                             scope, what, m_scope_words.empty() ? "no message" : m_scope_words),
                 fmt::format("not sent: this token was refused before (scope {})", scope),
                 "use a token with the admin scope, or log in with a username and password", 403};
}

Result<std::vector<Inbound>> PanelApi::read_list(std::string_view route, bool is_probe,
                                                 std::function<void(Inbound&)> each) {
    // Decoded while it streams in: a 100 000-client list is ~50 MB of JSON.
    ListDecoder decoder("obj", ListDecoder::Root::inbound_list);
    decoder.on_inbound(std::move(each));
    if (auto status = m_session.call_streamed("GET", std::string(kInbounds) + std::string(route),
                                              "inbound list", decoder, is_probe);
        !status) {
        return status.error();
    }
    auto inbounds = decoder.take_inbounds();
    if (inbounds && route == "list") {
        m_list_read = true;
    }
    return inbounds;
}

std::optional<bool> PanelApi::slim_list() const {
    if (m_capabilities) {
        return m_capabilities->generation == ApiGeneration::v3;
    }
    return m_slim_list;
}

Result<ServerStatus> PanelApi::server_status() {
    auto doc = m_session.probe("GET", "panel/api/server/status", "server status");
    if (!doc && doc.error().kind == ErrorKind::not_found) {
        // Before v2.7.0 the status route was POST panel/server/status (§9).
        doc = m_session.probe("POST", "panel/server/status", "server status");
    }
    if (!doc) {
        return doc.error();
    }
    return decode_server_status(doc.value()["obj"], "obj");
}

Result<Capabilities> PanelApi::capabilities() {
    if (m_capabilities) {
        return *m_capabilities;
    }
    auto status = server_status();
    Capabilities caps;
    if (!status) {
        if (status.error().kind != ErrorKind::not_found) {
            return status.error();
        }
        caps.generation = ApiGeneration::classic;  // no status route at all: old classic
    } else {
        m_probed_status = status.value();
        // panelVersion is reported from v3.1.0 on, the first v3-API release
        // (§1); a dev-channel build reports "dev+<hex>" (D1), still v3.
        caps = capabilities_from_panel_version(status->panel_version);
    }
    m_capabilities = caps;
    return caps;
}

Status PanelApi::per_email(const std::vector<std::string>& emails, const char* route_prefix,
                           const char* what) {
    if (auto s = path_addressable(emails, what); !s) {
        return s;
    }
    return in_turn(emails, m_progress, [&](const std::string& email) {
        return m_session.call(
            "POST", std::string(kClients) + route_prefix + encode_path_segment(email), what);
    });
}

Status PanelApi::set_client_counters(const std::vector<ClientCounters>& targets) {
    auto caps = capabilities();
    if (!caps) {
        return caps.error();
    }
    const bool v3 = caps->generation == ApiGeneration::v3;
    const std::string prefix = v3 ? std::string(kClients) + kUpdateTrafficV3
                                  : std::string(kInbounds) + kUpdateTrafficClassic;
    std::vector<std::string> emails;
    for (const auto& t : targets) {
        emails.push_back(t.email);
    }
    if (auto s = path_addressable(emails, "client traffic update"); !s) {
        return s;
    }
    size_t index = 0;
    Status s = in_turn(emails, m_progress, [&](const std::string& email) {
        const auto& t = targets[index++];
        return m_session.call("POST", prefix + encode_path_segment(email), "client traffic update",
                              traffic_body(t.up, t.down));
    });
    if (!s && s.error().kind == ErrorKind::unsupported) {
        Error e = s.error();
        e.message = "this panel version cannot set client traffic counters (no such route)";
        e.hint =
            "3x-ui has the route from v2.6.3 (inbounds/updateClientTraffic) and in every v3.1+ "
            "(clients/updateTraffic); nothing was changed";
        return e;
    }
    return s;
}

Result<bool> PanelApi::can_set_client_counters(const std::vector<Inbound>& inbounds) {
    auto caps = capabilities();
    if (!caps) {
        return caps.error();
    }
    if (caps->generation == ApiGeneration::v3) {
        return true;
    }
    // trafficReset arrived in v2.8.1, after updateClientTraffic (v2.6.3).
    if (std::any_of(inbounds.begin(), inbounds.end(),
                    [](const Inbound& in) { return in.has_traffic_reset; })) {
        return true;
    }
    // A JSON array cannot bind to {upload,download}: the handler refuses it
    // before touching the database; the email exists nowhere either.
    auto probe = m_session.probe(
        "POST", std::string(kInbounds) + kUpdateTrafficClassic + "xuictl-capability-probe",
        "client traffic update probe", "[]");
    if (probe) {
        return true;
    }
    if (probe.error().kind == ErrorKind::not_found) {
        return false;
    }
    if (probe.error().kind == ErrorKind::api) {
        return true;  // success:false: the route exists and refused the body
    }
    return probe.error();
}

Status PanelApi::reset_client(int inbound_id, const std::string& email) {
    auto caps = capabilities();
    if (!caps) {
        return caps.error();
    }
    if (caps->generation == ApiGeneration::v3 && caps->has_bulk_client_routes() &&
        !path_addressable({email}, "client traffic reset")) {
        // bulkResetTraffic carries the email in the body, which any email fits.
        return reset_emails(*caps, {email}, "client traffic reset");
    }
    if (auto s = path_addressable({email}, "client traffic reset"); !s) {
        return s;
    }
    if (caps->generation == ApiGeneration::v3) {
        return as_status(m_session.call(
            "POST", std::string(kClients) + "resetTraffic/" + encode_path_segment(email),
            "client traffic reset"));
    }
    return as_status(m_session.call("POST",
                                    fmt::format("{}{}/resetClientTraffic/{}", kInbounds, inbound_id,
                                                encode_path_segment(email)),
                                    "client traffic reset"));
}

Result<std::optional<std::vector<int>>> PanelApi::client_inbounds(const std::string& email) {
    using Ids = std::optional<std::vector<int>>;
    if (slim_list() != true || !path_addressable({email}, "client read")) {
        return Ids();
    }
    auto doc = m_session.probe("GET", std::string(kClients) + "get/" + encode_path_segment(email),
                               "client read");
    if (!doc) {
        switch (doc.error().kind) {
            case ErrorKind::api:        // success:false: no such client ("record not found")
            case ErrorKind::not_found:  // no such route
            case ErrorKind::http:       // e.g. a scoped token's 403
            case ErrorKind::unsupported:
                return Ids();
            default:
                return doc.error();
        }
    }
    // {"client": {..., "email"}, "inboundIds": [..] | null, ...}: anything
    // else (another shape, another email) is left to the list to answer.
    const auto obj = doc->FindMember("obj");
    if (obj == doc->MemberEnd() || !obj->value.IsObject()) {
        return Ids();
    }
    const auto client = obj->value.FindMember("client");
    const auto ids = obj->value.FindMember("inboundIds");
    if (client == obj->value.MemberEnd() || !client->value.IsObject() ||
        ids == obj->value.MemberEnd() || !ids->value.IsArray() || ids->value.Empty()) {
        return Ids();
    }
    const auto got = client->value.FindMember("email");
    if (got == client->value.MemberEnd() || !got->value.IsString() ||
        std::string_view(got->value.GetString(), got->value.GetStringLength()) != email) {
        return Ids();
    }
    std::vector<int> out;
    for (const auto& id : ids->value.GetArray()) {
        if (!id.IsInt()) {
            return Ids();
        }
        out.push_back(id.GetInt());
    }
    std::sort(out.begin(), out.end());
    return Ids(std::move(out));
}

Result<rapidjson::Document> PanelApi::get_inbound(int id) {
    return m_session.call("GET", fmt::format("{}get/{}", kInbounds, id), "inbound read");
}

Result<rapidjson::Document> PanelApi::get_inbounds() {
    return m_session.call("GET", std::string(kInbounds) + "list", "inbound list");
}

Status PanelApi::add_inbound(const std::string& body) {
    return as_status(
        m_session.call("POST", std::string(kInbounds) + "add", "inbound create", body));
}

Status PanelApi::recreate_clients(const std::vector<std::string>& inbounds,
                                  const std::vector<Recreate>& targets) {
    auto caps = capabilities();
    if (!caps) {
        return caps.error();
    }
    const bool v3 = caps->generation == ApiGeneration::v3;
    std::vector<std::string> emails;
    for (const auto& t : targets) {
        emails.push_back(t.email);
    }
    if (auto s = path_addressable(emails, "client traffic update"); !s) {
        return s;
    }
    // Before any client: every email is not done.
    auto give_up = [&](Error e) -> Status {
        if (m_progress != nullptr) {
            m_progress->not_done.insert(m_progress->not_done.end(), emails.begin(), emails.end());
        }
        return e;
    };
    for (size_t i = 0; i < inbounds.size(); ++i) {
        if (m_progress != nullptr && m_progress->stop_requested && m_progress->stop_requested()) {
            return give_up(make_error(i == 0 ? ErrorKind::cancelled : ErrorKind::partial,
                                      fmt::format("stopped after {} of {} inbounds; no client sent",
                                                  i, inbounds.size())));
        }
        if (auto s = add_inbound(inbounds[i]); !s) {
            Error e = s.error();
            if (i > 0) {
                e.kind = ErrorKind::partial;
                e.message = fmt::format("{} of {} inbounds created, no client sent (failed: {})", i,
                                        inbounds.size(), e.message);
            }
            return give_up(e);
        }
    }
    size_t index = 0;
    return in_turn(
        emails, m_progress, [&](const std::string& email) -> Result<rapidjson::Document> {
            const auto& t = targets[index++];
            const std::string path = encode_path_segment(email);
            if (t.with_inbound) {
                // Its inbound's add created it (settings entry and traffic row).
                return m_session.call("POST", std::string(kInbounds) + kUpdateTrafficClassic + path,
                                      "client traffic update", traffic_body(t.up, t.down));
            }
            Result<rapidjson::Document> added =
                v3 ? m_session.call("POST", std::string(kClients) + "add", "client create",
                                    fmt::format(R"({{"client":{},"inboundIds":[{}]}})",
                                                t.client_json, t.inbound_id))
                   : m_session.call("POST", std::string(kInbounds) + "addClient", "client create",
                                    add_client_body(t.inbound_id, t.client_json));
            if (!added) {
                return added;
            }
            if (v3 && !t.enable) {
                // clients/add forces enable:true (§12.17); put the switch back.
                auto updated = m_session.call("POST", std::string(kClients) + "update/" + path,
                                              "client update", t.client_json);
                if (!updated) {
                    return updated;
                }
            }
            return m_session.call("POST",
                                  (v3 ? std::string(kClients) + kUpdateTrafficV3
                                      : std::string(kInbounds) + kUpdateTrafficClassic) +
                                      path,
                                  "client traffic update", traffic_body(t.up, t.down));
        });
}

Status PanelApi::reset_inbound_counters() {
    return as_status(m_session.call("POST", std::string(kInbounds) + "resetAllTraffics",
                                    "inbound counters reset"));
}

Status PanelApi::reset_inbound_clients(int inbound_id, const std::vector<std::string>& emails) {
    auto caps = capabilities();
    if (!caps) {
        return caps.error();
    }
    if (caps->generation == ApiGeneration::classic) {
        return as_status(m_session.call(
            "POST", fmt::format("{}resetAllClientTraffics/{}", kInbounds, inbound_id),
            "inbound clients reset"));
    }
    // v3 has no per-inbound route: the inbound's emails.
    return reset_emails(*caps, emails, "inbound clients reset");
}

Status PanelApi::reset_all_clients(const std::vector<std::string>& emails) {
    auto caps = capabilities();
    if (!caps) {
        return caps.error();
    }
    if (caps->generation == ApiGeneration::classic) {
        return as_status(m_session.call(
            "POST", std::string(kInbounds) + "resetAllClientTraffics/-1", "all clients reset"));
    }
    // Not clients/resetAllTraffics: that resets whoever is on the panel when
    // it arrives, and the write must touch exactly the confirmed plan.
    return reset_emails(*caps, emails, "all clients reset");
}

Status PanelApi::purge_depleted_all(const std::vector<std::string>& emails) {
    auto caps = capabilities();
    if (!caps) {
        return caps.error();
    }
    if (caps->generation == ApiGeneration::classic) {
        return as_status(m_session.call("POST", std::string(kInbounds) + "delDepletedClients/-1",
                                        "depleted clients purge"));
    }
    // Not clients/delDepleted: a client that became depleted after the plan
    // would be deleted without ever being shown.
    return delete_emails(*caps, emails);
}

Status PanelApi::reset_emails(const Capabilities& caps, const std::vector<std::string>& emails,
                              const char* what) {
    if (emails.empty()) {
        return ok_status();
    }
    // bulkResetTraffic (v3.2.0+), one resetTraffic per email on v3.1.x (§5.2,
    // §12.1) and for a node-sync token (the same write, api.go:104).
    if (caps.has_bulk_client_routes() && bulk_allowed()) {
        Status sent = as_status(m_session.call("POST", std::string(kClients) + "bulkResetTraffic",
                                               what, emails_body(emails)));
        if (!bulk_route_missing(caps, sent)) {
            return sent;
        }
    }
    return per_email(emails, "resetTraffic/", "client traffic reset");
}

Status PanelApi::delete_emails(const Capabilities& caps, const std::vector<std::string>& emails) {
    if (emails.empty()) {
        return ok_status();
    }
    // bulkDel (v3.2.0+), one del/:email per email on v3.1.x and for a
    // node-sync token (the same delete, api.go:98).
    if (caps.has_bulk_client_routes() && bulk_allowed()) {
        Status sent = as_status(m_session.call("POST", std::string(kClients) + "bulkDel",
                                               "depleted clients purge", emails_body(emails)));
        if (!bulk_route_missing(caps, sent)) {
            return sent;
        }
    }
    return per_email(emails, "del/", "client delete");
}

Status PanelApi::purge_depleted_inbound(int inbound_id, const std::vector<std::string>& emails) {
    auto caps = capabilities();
    if (!caps) {
        return caps.error();
    }
    if (caps->generation == ApiGeneration::classic) {
        return as_status(
            m_session.call("POST", fmt::format("{}delDepletedClients/{}", kInbounds, inbound_id),
                           "depleted clients purge"));
    }
    // v3's delDepleted is global only (§5.2): delete exactly the planned emails.
    return delete_emails(*caps, emails);
}

}  // namespace xuictl
