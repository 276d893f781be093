#include "store/audit.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <fmt/format.h>

#include "json/reader.hpp"

namespace xuictl {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void str(Writer& w, const char* key, const std::string& s) {
    w.Key(key);
    w.String(s.c_str(), static_cast<rapidjson::SizeType>(s.size()));
}

void strings(Writer& w, const char* key, const std::vector<std::string>& items) {
    w.Key(key);
    w.StartArray();
    for (const auto& s : items) {
        w.String(s.c_str(), static_cast<rapidjson::SizeType>(s.size()));
    }
    w.EndArray();
}

// The strings of an optional array; other items are skipped (lines written
// by older versions have no such key).
std::vector<std::string> strings_or_empty(ObjectReader& r, const char* key) {
    std::vector<std::string> out;
    if (const auto* a = r.array_or_null(key)) {
        for (const auto& item : a->GetArray()) {
            if (item.IsString()) {
                out.emplace_back(item.GetString(), item.GetStringLength());
            }
        }
    }
    return out;
}

}  // namespace

std::string audit_to_json(const AuditEntry& e) {
    rapidjson::StringBuffer buffer;
    Writer w(buffer);
    w.StartObject();
    str(w, "id", e.id);
    w.Key("time_ms");
    w.Int64(e.time_ms);
    str(w, "user", e.user);
    str(w, "host", e.host);
    str(w, "panel", e.panel);
    if (!e.profile.empty()) {  // records without one read as before
        str(w, "profile", e.profile);
    }
    if (!e.fleet_id.empty()) {  // only records of a fleet run have one
        str(w, "fleet_id", e.fleet_id);
    }
    if (!e.panel_user.empty()) {  // "" with an API token
        str(w, "panel_user", e.panel_user);
    }
    str(w, "command", e.command);
    w.Key("insecure");
    w.Bool(e.insecure);
    str(w, "snapshot", e.snapshot);
    str(w, "status", e.status);
    str(w, "error", e.error);
    strings(w, "mismatches", e.mismatches);
    strings(w, "done", e.done);
    strings(w, "not_done", e.not_done);
    w.Key("finished_ms");
    w.Int64(e.finished_ms);
    w.Key("plan");
    if (e.plan_json.empty()) {
        w.Null();
    } else {
        w.RawValue(e.plan_json.c_str(), e.plan_json.size(), rapidjson::kObjectType);
    }
    w.EndObject();
    return std::string(buffer.GetString(), buffer.GetSize());
}

Result<AuditEntry> audit_from_json(const std::string& line) {
    auto doc = parse_json(line, "audit line");
    if (!doc) {
        return doc.error();
    }
    Error error;
    ObjectReader r(doc.value(), "", error);
    AuditEntry e;
    e.id = r.string("id");
    e.time_ms = r.int64("time_ms");
    e.user = r.string_or("user", "");
    e.host = r.string_or("host", "");
    e.panel = r.string_or("panel", "");
    e.profile = r.string_or("profile", "");
    e.panel_user = r.string_or("panel_user", "");
    e.fleet_id = r.string_or("fleet_id", "");
    e.command = r.string_or("command", "");
    e.insecure = r.boolean_or("insecure", false);
    e.snapshot = r.string_or("snapshot", "");
    e.status = r.string_or("status", "");
    e.error = r.string_or("error", "");
    e.finished_ms = r.int64_or("finished_ms", 0);
    e.mismatches = strings_or_empty(r, "mismatches");
    e.done = strings_or_empty(r, "done");
    e.not_done = strings_or_empty(r, "not_done");
    if (const auto* plan = r.object_or_null("plan")) {
        rapidjson::StringBuffer buffer;
        Writer w(buffer);
        plan->Accept(w);
        e.plan_json.assign(buffer.GetString(), buffer.GetSize());
    }
    if (!error.message.empty()) {
        return error;
    }
    return e;
}

}  // namespace xuictl
