#include "panel/panel_api.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <fmt/format.h>

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

}  // namespace

PanelApi::PanelApi(Session& session) : m_session(session) {}

Result<std::vector<Inbound>> PanelApi::list_inbounds() {
    auto doc = m_session.call("GET", std::string(kInbounds) + "list", "inbound list");
    if (!doc) {
        return doc.error();
    }
    return decode_inbound_list(doc.value()["obj"], "obj");
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
    } else if (auto version = Version::parse(status->panel_version)) {
        // panelVersion is reported from v3.1.0 on, the first v3-API release (§1).
        caps.version = version;
        caps.generation = *version >= Version{{3, 1, 0}} ? ApiGeneration::v3 : ApiGeneration::classic;
    } else {
        caps.generation = ApiGeneration::classic;
    }
    m_capabilities = caps;
    return caps;
}

Result<Capabilities> PanelApi::require_capabilities() { return capabilities(); }

Status PanelApi::per_email(const std::vector<std::string>& emails, const char* route_prefix,
                           const char* what) {
    std::vector<std::string> done;
    for (const auto& email : emails) {
        auto r = m_session.call("POST", std::string(kClients) + route_prefix + encode_path_segment(email),
                                what);
        if (!r) {
            if (done.empty()) {
                return r.error();
            }
            Error e = r.error();
            e.kind = ErrorKind::partial;
            e.message = fmt::format("{} of {} clients done before a failure at {}: {}", done.size(),
                                    emails.size(), email, r.error().message);
            return e;
        }
        done.push_back(email);
    }
    return ok_status();
}

Status PanelApi::reset_client(int inbound_id, const std::string& email) {
    auto caps = require_capabilities();
    if (!caps) {
        return caps.error();
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

Status PanelApi::reset_inbound_counters() {
    return as_status(m_session.call("POST", std::string(kInbounds) + "resetAllTraffics",
                                    "inbound counters reset"));
}

Status PanelApi::reset_inbound_clients(int inbound_id, const std::vector<std::string>& emails) {
    auto caps = require_capabilities();
    if (!caps) {
        return caps.error();
    }
    if (caps->generation == ApiGeneration::classic) {
        return as_status(m_session.call(
            "POST", fmt::format("{}resetAllClientTraffics/{}", kInbounds, inbound_id),
            "inbound clients reset"));
    }
    if (emails.empty()) {
        return ok_status();
    }
    // v3 has no per-inbound route: bulkResetTraffic with the inbound's emails
    // (v3.2.0+), one resetTraffic per email on v3.1.x (§5.2, §12.1).
    if (caps->has_bulk_client_routes()) {
        return as_status(m_session.call("POST", std::string(kClients) + "bulkResetTraffic",
                                        "inbound clients reset", emails_body(emails)));
    }
    return per_email(emails, "resetTraffic/", "client traffic reset");
}

Status PanelApi::reset_all_clients() {
    auto caps = require_capabilities();
    if (!caps) {
        return caps.error();
    }
    if (caps->generation == ApiGeneration::classic) {
        return as_status(m_session.call("POST", std::string(kInbounds) + "resetAllClientTraffics/-1",
                                        "all clients reset"));
    }
    return as_status(m_session.call("POST", std::string(kClients) + "resetAllTraffics",
                                    "all clients reset"));
}

Status PanelApi::purge_depleted_all() {
    auto caps = require_capabilities();
    if (!caps) {
        return caps.error();
    }
    if (caps->generation == ApiGeneration::classic) {
        return as_status(m_session.call("POST", std::string(kInbounds) + "delDepletedClients/-1",
                                        "depleted clients purge"));
    }
    return as_status(
        m_session.call("POST", std::string(kClients) + "delDepleted", "depleted clients purge"));
}

Status PanelApi::purge_depleted_inbound(int inbound_id, const std::vector<std::string>& emails) {
    auto caps = require_capabilities();
    if (!caps) {
        return caps.error();
    }
    if (caps->generation == ApiGeneration::classic) {
        return as_status(m_session.call(
            "POST", fmt::format("{}delDepletedClients/{}", kInbounds, inbound_id),
            "depleted clients purge"));
    }
    if (emails.empty()) {
        return ok_status();
    }
    // v3's delDepleted is global only (§5.2): delete exactly the planned emails.
    if (caps->has_bulk_client_routes()) {
        return as_status(m_session.call("POST", std::string(kClients) + "bulkDel",
                                        "depleted clients purge", emails_body(emails)));
    }
    return per_email(emails, "del/", "client delete");
}

}  // namespace xuictl
