#include "ops/deleted_records.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "json/compact_text.hpp"
#include "json/reader.hpp"
#include "ops/plan.hpp"

namespace xuictl {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void str(Writer& w, const std::string& s) {
    w.String(s.c_str(), static_cast<rapidjson::SizeType>(s.size()));
}

// The client_traffics row of `email` as the list showed it (§6.2 names).
std::string traffic_row_json(const ClientTraffic& t) {
    rapidjson::StringBuffer buffer;
    Writer w(buffer);
    w.StartObject();
    w.Key("id");
    w.Int64(t.id);
    w.Key("inboundId");
    w.Int(t.inbound_id);
    w.Key("enable");
    w.Bool(t.enable);
    w.Key("email");
    str(w, t.email);
    w.Key("up");
    w.Int64(t.up);
    w.Key("down");
    w.Int64(t.down);
    w.Key("allTime");
    w.Int64(t.all_time);
    w.Key("expiryTime");
    w.Int64(t.expiry_time);
    w.Key("total");
    w.Int64(t.total);
    w.Key("reset");
    w.Int(t.reset);
    w.Key("lastOnline");
    w.Int64(t.last_online);
    w.EndObject();
    return std::string(buffer.GetString(), buffer.GetSize());
}

// settings.clients of an inbound object (settings a JSON string on classic,
// nested on v3.1+); nullptr when it has none. `parsed` holds a parsed string.
const rapidjson::Value* clients_of(const rapidjson::Value& inbound, rapidjson::Document& parsed) {
    auto it = inbound.FindMember("settings");
    if (it == inbound.MemberEnd()) {
        return nullptr;
    }
    const rapidjson::Value* settings = &it->value;
    if (settings->IsString()) {
        parsed.Parse(settings->GetString(), settings->GetStringLength());
        settings = parsed.HasParseError() ? nullptr : &parsed;
    }
    if (settings == nullptr || !settings->IsObject()) {
        return nullptr;
    }
    auto clients = settings->FindMember("clients");
    return clients != settings->MemberEnd() && clients->value.IsArray() ? &clients->value : nullptr;
}

const rapidjson::Value* find_client(const rapidjson::Value* clients, const std::string& email) {
    for (rapidjson::SizeType i = 0; clients != nullptr && i < clients->Size(); ++i) {
        const rapidjson::Value& object = (*clients)[i];
        if (!object.IsObject()) {
            continue;
        }
        auto it = object.FindMember("email");
        if (it != object.MemberEnd() && it->value.IsString() && email == it->value.GetString()) {
            return &object;
        }
    }
    return nullptr;
}

const ClientTraffic* traffic_of(const std::vector<Inbound>& list, const std::string& email) {
    for (const auto& in : list) {
        for (const auto& t : in.client_stats) {
            if (t.email == email) {
                return &t;
            }
        }
    }
    return nullptr;
}

}  // namespace

std::vector<int> inbounds_to_collect(const Plan& plan) {
    std::set<int> ids(plan.inbounds_deleted.begin(), plan.inbounds_deleted.end());
    for (const auto& c : plan.clients) {
        ids.insert(c.inbound_id);
    }
    return {ids.begin(), ids.end()};
}

Status collect_deleted(const rapidjson::Value& inbound, const Plan& plan,
                       const std::vector<Inbound>& list, DeletedRecords& out) {
    Error error;
    ObjectReader r(inbound, "obj", error);
    const int id = r.int32("id");
    if (r.failed()) {
        return error;
    }
    rapidjson::Document parsed;
    const rapidjson::Value* clients = clients_of(inbound, parsed);
    for (const auto& c : plan.clients) {
        if (c.inbound_id != id) {
            continue;
        }
        const rapidjson::Value* found = find_client(clients, c.email);
        if (found == nullptr) {
            return make_error(ErrorKind::api,
                              fmt::format("inbound {} as the panel returns it does not hold client "
                                          "'{}'; the snapshot could not keep what re-creates it",
                                          id, c.email),
                              "nothing was changed; re-run the command to read the panel again");
        }
        DeletedClient d;
        d.inbound_id = id;
        d.email = c.email;
        d.client_json = compact_text(*found);
        d.enable = c.settings_enable;
        d.up = c.up;
        d.down = c.down;
        if (const ClientTraffic* t = traffic_of(list, c.email)) {
            d.traffic_json = traffic_row_json(*t);
        }
        out.clients.push_back(std::move(d));
    }
    if (std::find(plan.inbounds_deleted.begin(), plan.inbounds_deleted.end(), id) !=
        plan.inbounds_deleted.end()) {
        out.inbounds.push_back(compact_text(inbound));
    }
    return ok_status();
}

std::vector<std::string> collect_unplanned(const rapidjson::Value& inbound,
                                           const std::vector<std::string>& emails,
                                           const std::vector<Inbound>& list, DeletedRecords& out) {
    std::vector<std::string> found;
    auto id = inbound.FindMember("id");
    if (id == inbound.MemberEnd() || !id->value.IsInt()) {
        return found;
    }
    rapidjson::Document parsed;
    const rapidjson::Value* clients = clients_of(inbound, parsed);
    for (const auto& email : emails) {
        const rapidjson::Value* object = find_client(clients, email);
        if (object == nullptr) {
            continue;
        }
        DeletedClient d;
        d.inbound_id = id->value.GetInt();
        d.email = email;
        d.client_json = compact_text(*object);
        auto enable = object->FindMember("enable");
        d.enable =
            enable == object->MemberEnd() || !enable->value.IsBool() || enable->value.GetBool();
        if (const ClientTraffic* t = traffic_of(list, email)) {
            d.up = t->up;
            d.down = t->down;
            d.traffic_json = traffic_row_json(*t);
        }
        out.clients.push_back(std::move(d));
        found.push_back(email);
    }
    return found;
}

std::string deleted_to_json(const DeletedRecords& records) {
    rapidjson::StringBuffer buffer;
    Writer w(buffer);
    w.StartObject();
    w.Key("clients");
    w.StartArray();
    for (const auto& c : records.clients) {
        w.StartObject();
        w.Key("inbound_id");
        w.Int(c.inbound_id);
        w.Key("email");
        str(w, c.email);
        w.Key("enable");
        w.Bool(c.enable);
        w.Key("up");
        w.Int64(c.up);
        w.Key("down");
        w.Int64(c.down);
        w.Key("client");
        w.RawValue(c.client_json.c_str(), c.client_json.size(), rapidjson::kObjectType);
        w.Key("traffic");
        if (c.traffic_json.empty()) {
            w.Null();
        } else {
            w.RawValue(c.traffic_json.c_str(), c.traffic_json.size(), rapidjson::kObjectType);
        }
        w.EndObject();
    }
    w.EndArray();
    w.Key("inbounds");
    w.StartArray();
    for (const auto& in : records.inbounds) {
        w.RawValue(in.c_str(), in.size(), rapidjson::kObjectType);
    }
    w.EndArray();
    w.EndObject();
    return std::string(buffer.GetString(), buffer.GetSize());
}

Result<DeletedRecords> deleted_from_json(const rapidjson::Value& value, const std::string& path) {
    DeletedRecords out;
    Error error;
    ObjectReader r(value, path, error);
    const rapidjson::Value* clients = r.array_or_null("clients");
    const rapidjson::Value* inbounds = r.array_or_null("inbounds");
    if (r.failed()) {
        return error;
    }
    if (clients != nullptr) {
        for (rapidjson::SizeType i = 0; i < clients->Size(); ++i) {
            const std::string at = json_index(json_field(path, "clients"), i);
            if (!(*clients)[i].IsObject()) {
                return make_error(ErrorKind::config, at + " is not an object");
            }
            ObjectReader c((*clients)[i], at, error);
            DeletedClient d;
            d.inbound_id = c.int32("inbound_id");
            d.email = c.string("email");
            d.enable = c.boolean("enable");
            d.up = c.int64("up");
            d.down = c.int64("down");
            const rapidjson::Value* client = c.object_or_null("client");
            const rapidjson::Value* traffic = c.object_or_null("traffic");
            if (c.failed()) {
                return error;
            }
            if (client == nullptr) {
                return make_error(ErrorKind::config, at + ".client is missing");
            }
            d.client_json = compact_text(*client);
            d.traffic_json = traffic != nullptr ? compact_text(*traffic) : std::string();
            out.clients.push_back(std::move(d));
        }
    }
    if (inbounds != nullptr) {
        for (const auto& in : inbounds->GetArray()) {
            out.inbounds.push_back(compact_text(in));
        }
    }
    return out;
}

}  // namespace xuictl
