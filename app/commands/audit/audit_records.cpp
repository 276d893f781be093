#include "commands/audit/audit_records.hpp"

#include <fmt/format.h>

#include "local_store.hpp"
#include "util/units.hpp"

namespace xuictl {

std::vector<std::string> AuditRecord::emails() const {
    return plan ? plan->emails() : std::vector<std::string>{};
}

size_t AuditRecord::target_count() const {
    if (!plan) {
        return 0;
    }
    return plan->clients.empty() ? plan->inbounds.size() : plan->clients.size();
}

Result<std::vector<AuditRecord>> load_audit_records(Context& ctx, bool quiet) {
    auto store = open_local_store_if_any(ctx, quiet);
    if (!store) {
        return store.error();
    }
    if (!*store) {
        return std::vector<AuditRecord>{};
    }
    auto entries = (*store)->operations();
    if (!entries) {
        return entries.error();
    }
    if (!quiet) {
        for (const auto& skipped : entries->skipped) {
            ctx.warn(fmt::format("{}: {} (shown as far as it could be read)", skipped.where,
                                 skipped.why));
        }
    }
    std::vector<AuditRecord> out;
    out.reserve(entries->entries.size());
    for (auto& e : entries->entries) {
        AuditRecord r{std::move(e), std::nullopt};
        if (!r.entry.plan_json.empty()) {
            rapidjson::Document doc;
            doc.Parse(r.entry.plan_json.c_str(), r.entry.plan_json.size());
            if (!doc.HasParseError()) {
                if (auto plan = plan_from_json(doc, "plan")) {
                    r.plan = std::move(plan.value());
                }
            }
        }
        out.push_back(std::move(r));
    }
    return out;
}

void write_audit_summary_json(JsonWriter& w, const AuditRecord& r) {
    const AuditEntry& e = r.entry;
    w.StartObject();
    write_key(w, "id");
    write_string(w, e.id);
    write_key(w, "time_ms");
    w.Int64(e.time_ms);
    write_key(w, "time");
    write_string(w, format_utc(e.time_ms));
    write_key(w, "user");
    write_string(w, e.user);
    write_key(w, "host");
    write_string(w, e.host);
    write_key(w, "panel");
    write_string(w, e.panel);
    write_key(w, "fleet_id");  // the run over several panels it was part of
    if (e.fleet_id.empty()) {
        w.Null();
    } else {
        write_string(w, e.fleet_id);
    }
    write_key(w, "profile");
    write_string(w, e.profile);
    // The user the run logged in as ("" with an API token).
    write_key(w, "panel_user");
    write_string(w, e.panel_user);
    write_key(w, "command");
    write_string(w, e.command);
    write_key(w, "operation");
    if (r.plan) {
        write_string(w, r.plan->operation);
    } else {
        w.Null();
    }
    write_key(w, "targets");
    w.Uint64(r.target_count());
    write_key(w, "emails");
    w.StartArray();
    for (const auto& email : r.emails()) {
        write_string(w, email);
    }
    w.EndArray();
    write_key(w, "before");
    w.StartObject();
    write_key(w, "used");
    w.Int64(r.plan ? r.plan->used_before() : 0);
    write_key(w, "clients");
    w.StartArray();
    if (r.plan) {
        for (const auto& c : r.plan->clients) {
            w.StartObject();
            write_key(w, "inbound_id");
            w.Int(c.inbound_id);
            write_key(w, "email");
            write_string(w, c.email);
            write_key(w, "up");
            w.Int64(c.up);
            write_key(w, "down");
            w.Int64(c.down);
            w.EndObject();
        }
    }
    w.EndArray();
    write_key(w, "inbounds");
    w.StartArray();
    if (r.plan) {
        for (const auto& in : r.plan->inbounds) {
            w.StartObject();
            write_key(w, "id");
            w.Int(in.id);
            write_key(w, "up");
            w.Int64(in.up);
            write_key(w, "down");
            w.Int64(in.down);
            w.EndObject();
        }
    }
    w.EndArray();
    w.EndObject();
    write_key(w, "status");
    write_string(w, e.status);
    write_key(w, "error");
    write_string(w, e.error);
    for (const auto& [key, items] :
         {std::pair{"done", &e.done}, std::pair{"not_done", &e.not_done}}) {
        write_key(w, key);
        w.StartArray();
        for (const auto& item : *items) {
            write_string(w, item);
        }
        w.EndArray();
    }
    write_key(w, "finished_ms");
    w.Int64(e.finished_ms);
    write_key(w, "snapshot");
    write_string(w, e.snapshot);
    w.EndObject();
}

}  // namespace xuictl
