#include "ops/plan_json.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace xuictl {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void str(Writer& w, const std::string& s) {
    w.String(s.c_str(), static_cast<rapidjson::SizeType>(s.size()));
}

}  // namespace

const char* operation_key(Operation operation) {
    switch (operation) {
        case Operation::reset_client:
            return "reset_client";
        case Operation::reset_inbound_counters:
            return "reset_inbound_counters";
        case Operation::reset_inbound_clients:
            return "reset_inbound_clients";
        case Operation::reset_all_clients:
            return "reset_all_clients";
        case Operation::purge_inbound:
            return "purge_inbound";
        case Operation::purge_all:
            return "purge_all";
        case Operation::restore_clients:
            return "restore_clients";
        case Operation::restore_deleted:
            return "restore_deleted";
    }
    return "";
}

std::string plan_to_json(const Plan& p) {
    rapidjson::StringBuffer buffer;
    Writer w(buffer);
    w.StartObject();
    w.Key("operation");
    w.String(operation_key(p.operation));
    w.Key("command");
    str(w, p.command);
    w.Key("phrase");
    str(w, p.phrase);
    w.Key("inbound_id");
    if (p.inbound_id) {
        w.Int(*p.inbound_id);
    } else {
        w.Null();
    }
    w.Key("api");
    w.String(to_string(p.capabilities.generation));
    w.Key("panel_version");
    if (p.capabilities.version) {
        str(w, p.capabilities.version->to_string());
    } else if (!p.capabilities.version_text.empty()) {
        str(w, p.capabilities.version_text);  // "dev+02002dc1": said as sent
    } else {
        w.Null();
    }
    if (p.capabilities.version_unknown()) {
        // Not a release number: the plan follows the newest known semantics.
        w.Key("assumed_version");
        str(w, kNewestKnownVersion.to_string());
    }
    w.Key("planned_at_ms");
    w.Int64(p.planned_at_ms);
    w.Key("clients");
    w.StartArray();
    for (size_t i = 0; i < p.clients.size(); ++i) {
        const ClientUsage& c = p.clients[i];
        w.StartObject();
        w.Key("inbound_id");
        w.Int(c.inbound_id);
        w.Key("email");
        str(w, c.email);
        w.Key("up");
        w.Int64(c.up);
        w.Key("down");
        w.Int64(c.down);
        w.Key("used");
        w.Int64(c.used());
        w.Key("quota");
        w.Int64(c.quota);
        w.Key("percent");
        if (auto pct = c.percent()) {
            w.Double(*pct);
        } else {
            w.Null();
        }
        w.Key("expiry_time");
        w.Int64(c.expiry_time);
        w.Key("enabled");
        w.Bool(c.enabled());
        w.Key("reset_days");
        w.Int(c.reset);
        if (i < p.enable_after.size()) {
            w.Key("enable_after");
            w.String(to_string(p.enable_after[i]));
        }
        w.EndObject();
    }
    w.EndArray();
    w.Key("inbounds");
    w.StartArray();
    for (const auto& in : p.inbounds) {
        w.StartObject();
        w.Key("id");
        w.Int(in.id);
        w.Key("remark");
        str(w, in.remark);
        w.Key("up");
        w.Int64(in.up);
        w.Key("down");
        w.Int64(in.down);
        w.Key("quota");
        w.Int64(in.total);
        w.Key("enabled");
        w.Bool(in.enable);
        w.EndObject();
    }
    w.EndArray();
    w.Key("inbounds_deleted");
    w.StartArray();
    for (int id : p.inbounds_deleted) {
        w.Int(id);
    }
    w.EndArray();
    w.Key("notes");
    w.StartArray();
    for (const auto& n : p.notes) {
        str(w, n);
    }
    w.EndArray();
    if (p.operation == Operation::restore_clients || p.operation == Operation::restore_deleted) {
        // Only restore plans carry targets; other plans keep their exact shape.
        w.Key("restore_from");
        str(w, p.restore_from);
        w.Key("restore_to");
        w.StartArray();
        for (const auto& t : p.restore_to) {
            w.StartObject();
            w.Key("email");
            str(w, t.email);
            w.Key("up");
            w.Int64(t.up);
            w.Key("down");
            w.Int64(t.down);
            w.EndObject();
        }
        w.EndArray();
    }
    if (p.operation == Operation::restore_deleted) {
        w.Key("inbounds_created");
        w.StartArray();
        for (const auto& in : p.inbounds_created) {
            w.StartObject();
            w.Key("id");
            w.Int(in.id);
            w.Key("port");
            w.Int(in.port);
            w.Key("protocol");
            str(w, in.protocol);
            w.Key("tag");
            str(w, in.tag);
            w.Key("remark");
            str(w, in.remark);
            w.Key("clients");
            w.StartArray();
            for (const auto& e : in.emails) {
                str(w, e);
            }
            w.EndArray();
            w.EndObject();
        }
        w.EndArray();
    }
    w.EndObject();
    return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace xuictl
