#include "ops/recreate_inbound.hpp"

#include <rapidjson/document.h>

#include <fmt/format.h>

#include "json/compact_text.hpp"
#include "json/reader.hpp"

namespace xuictl {
int snapshot_inbound_id(const std::string& json) {
    rapidjson::Document doc;
    doc.Parse(json.c_str(), json.size());
    if (doc.HasParseError() || !doc.IsObject()) {
        return 0;
    }
    auto id = doc.FindMember("id");
    return id != doc.MemberEnd() && id->value.IsInt() ? id->value.GetInt() : 0;
}

Result<RecreatedInbound> inbound_to_recreate(const std::string& json,
                                             const std::set<std::string>& keep) {
    rapidjson::Document doc;
    doc.Parse(json.c_str(), json.size());
    if (doc.HasParseError() || !doc.IsObject()) {
        return make_error(ErrorKind::config, "snapshot: deleted.inbounds[] is not an object");
    }
    Error error;
    ObjectReader r(doc, "deleted.inbounds[]", error);
    RecreatedInbound out;
    out.id = r.int32("id");
    out.port = r.int32("port");
    out.protocol = r.string("protocol");
    out.listen = r.string_or("listen", "");
    out.tag = r.string_or("tag", "");
    out.remark = r.string_or("remark", "");
    if (r.failed()) {
        return error;
    }
    // settings: a JSON string on classic panels (a nested object on v3.1+).
    auto settings_it = doc.FindMember("settings");
    if (settings_it == doc.MemberEnd()) {
        return make_error(ErrorKind::config,
                          fmt::format("snapshot: inbound {} has no settings", out.id));
    }
    const bool as_string = settings_it->value.IsString();
    rapidjson::Document settings;
    if (as_string) {
        settings.Parse(settings_it->value.GetString(), settings_it->value.GetStringLength());
    } else {
        settings.CopyFrom(settings_it->value, settings.GetAllocator());
    }
    if (settings.HasParseError() || !settings.IsObject()) {
        return make_error(
            ErrorKind::config,
            fmt::format("snapshot: the settings of inbound {} are not a JSON object", out.id));
    }
    auto clients = settings.FindMember("clients");
    if (clients != settings.MemberEnd() && clients->value.IsArray()) {
        rapidjson::Value kept(rapidjson::kArrayType);
        for (auto& c : clients->value.GetArray()) {
            auto email = c.IsObject() ? c.FindMember("email") : c.MemberEnd();
            if (c.IsObject() && email != c.MemberEnd() && email->value.IsString() &&
                keep.count(email->value.GetString()) > 0) {
                out.emails.emplace_back(email->value.GetString());
                kept.PushBack(rapidjson::Value(c, settings.GetAllocator()),
                              settings.GetAllocator());
            }
        }
        clients->value = kept;
    }
    auto& a = doc.GetAllocator();
    if (as_string) {
        const std::string text = compact_text(settings);
        settings_it->value.SetString(text.c_str(), static_cast<rapidjson::SizeType>(text.size()),
                                     a);
    } else {
        settings_it->value.CopyFrom(settings, a);
    }
    // Without clientStats the panel creates each client's traffic row from
    // its settings entry (AddClientStat); the counters are set after it.
    // EraseMember keeps the other members in their order (RemoveMember would not).
    if (auto stats = doc.FindMember("clientStats"); stats != doc.MemberEnd()) {
        doc.EraseMember(stats);
    }
    out.body = compact_text(doc);
    return out;
}

Status check_inbound_free(const RecreatedInbound& inbound, const std::vector<Inbound>& live,
                          const std::string& snapshot_id) {
    for (const auto& in : live) {
        if (in.port == inbound.port || (!inbound.tag.empty() && in.tag == inbound.tag)) {
            const bool port = in.port == inbound.port;
            return make_error(
                ErrorKind::not_found,
                fmt::format("inbound {} that snapshot {} keeps cannot be created again: inbound {} "
                            "now holds its {} {}",
                            inbound.id, snapshot_id, in.id, port ? "port" : "tag",
                            port ? std::to_string(inbound.port) : inbound.tag),
                "nothing was sent; free that port/tag in the panel (or move that inbound), then "
                "run this again");
        }
    }
    return ok_status();
}

}  // namespace xuictl
