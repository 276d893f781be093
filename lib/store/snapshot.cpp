#include "store/snapshot.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <fmt/format.h>

#include "json/reader.hpp"

namespace xuictl {
namespace {

// ObjectReader words its errors for panel answers; a snapshot is our own file.
std::string field_problem(std::string message) {
    constexpr std::string_view prefix = "unexpected panel JSON at ";
    if (message.rfind(prefix, 0) == 0) {
        message.erase(0, prefix.size());
    }
    return message;
}

}  // namespace

std::string snapshot_to_json(const AuditEntry& entry, const DeletedRecords& deleted) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
    w.StartObject();
    w.Key("id");
    w.String(entry.id.c_str(), static_cast<rapidjson::SizeType>(entry.id.size()));
    w.Key("panel");
    w.String(entry.panel.c_str(), static_cast<rapidjson::SizeType>(entry.panel.size()));
    w.Key("taken_at_ms");
    w.Int64(entry.time_ms);
    w.Key("command");
    w.String(entry.command.c_str(), static_cast<rapidjson::SizeType>(entry.command.size()));
    w.Key("plan");
    w.RawValue(entry.plan_json.c_str(), entry.plan_json.size(), rapidjson::kObjectType);
    if (!deleted.empty()) {
        const std::string records = deleted_to_json(deleted);
        w.Key("deleted");
        w.RawValue(records.c_str(), records.size(), rapidjson::kObjectType);
    }
    w.EndObject();
    return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

Result<Snapshot> snapshot_from_json(std::string_view text, const std::string& source) {
    auto not_a_snapshot = [&](const std::string& why) {
        return make_error(ErrorKind::config,
                          fmt::format("'{}' is not a xuictl snapshot: {}", source, why),
                          "snapshots are recorded in $XDG_STATE_HOME/xuictl/xuictl.db; "
                          "`xuictl audit` lists their ids");
    };
    auto doc = parse_json(text, "snapshot");
    if (!doc) {
        return not_a_snapshot("invalid JSON");
    }
    Error error;
    ObjectReader r(doc.value(), "", error);
    Snapshot s;
    s.id = r.string("id");
    s.panel = r.string("panel");
    s.taken_at_ms = r.int64("taken_at_ms");
    s.command = r.string_or("command", "");
    const rapidjson::Value* plan = r.object_or_null("plan");
    const rapidjson::Value* deleted = r.object_or_null("deleted");
    if (r.failed()) {
        return not_a_snapshot(field_problem(error.message));
    }
    if (plan == nullptr) {
        return not_a_snapshot("it has no plan");
    }
    auto recorded = plan_from_json(*plan, "plan");
    if (!recorded) {
        return not_a_snapshot(field_problem(recorded.error().message));
    }
    s.plan = std::move(recorded.value());
    if (deleted != nullptr) {
        auto records = deleted_from_json(*deleted, "deleted");
        if (!records) {
            return not_a_snapshot(field_problem(records.error().message));
        }
        s.deleted = std::move(records.value());
    }
    return s;
}

}  // namespace xuictl
