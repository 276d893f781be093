#include "ui/usage_view.hpp"

#include <fmt/format.h>

#include "util/units.hpp"

namespace xuictl {

std::string bytes_cell(int64_t bytes, bool raw) {
    return raw ? std::to_string(bytes) : format_bytes(bytes);
}

std::string quota_cell(int64_t quota, bool raw) {
    if (quota <= 0) {
        return raw ? "0" : "unlimited";
    }
    return bytes_cell(quota, raw);
}

std::string client_state(const ClientUsage& c) {
    if (!c.settings_enable) {
        return "disabled";
    }
    if (!c.traffic_enable) {
        return "auto-disabled";
    }
    return "yes";
}

Table client_table(const std::vector<ClientUsage>& clients, const UsageStyle& style) {
    Table t({{"INBOUND", true},
             {"EMAIL", false},
             {"UP", true},
             {"DOWN", true},
             {"USED", true},
             {"QUOTA", true},
             {"USED%", true},
             {"EXPIRES", false},
             {"ENABLED", false},
             {"DEPLETED", false}});
    for (const auto& c : clients) {
        t.add_row({std::to_string(c.inbound_id), c.email, bytes_cell(c.up, style.raw_bytes),
                   bytes_cell(c.down, style.raw_bytes), bytes_cell(c.used(), style.raw_bytes),
                   quota_cell(c.quota, style.raw_bytes), format_percent(c.percent()),
                   format_expiry(c.expiry_time, style.now_ms), client_state(c),
                   is_depleted(c, style.rule, style.now_ms) ? "yes" : "no"});
    }
    return t;
}

Table inbound_table(const std::vector<Inbound>& inbounds, const UsageStyle& style) {
    Table t({{"ID", true},
             {"REMARK", false},
             {"PROTOCOL", false},
             {"PORT", true},
             {"CLIENTS", true},
             {"UP", true},
             {"DOWN", true},
             {"USED", true},
             {"QUOTA", true},
             {"USED%", true},
             {"EXPIRES", false},
             {"ENABLED", false}});
    for (const auto& in : inbounds) {
        const int64_t used = saturating_add(in.up, in.down);
        t.add_row({std::to_string(in.id), in.remark, in.protocol, std::to_string(in.port),
                   std::to_string(in.client_count()), bytes_cell(in.up, style.raw_bytes),
                   bytes_cell(in.down, style.raw_bytes), bytes_cell(used, style.raw_bytes),
                   quota_cell(in.total, style.raw_bytes),
                   format_percent(percent_of(used, in.total)),
                   format_expiry(in.expiry_time, style.now_ms), in.enable ? "yes" : "no"});
    }
    return t;
}

void write_client_json(JsonWriter& w, const ClientUsage& c, const UsageStyle& style) {
    w.StartObject();
    write_key(w, "inbound_id");
    w.Int(c.inbound_id);
    write_key(w, "email");
    write_string(w, c.email);
    write_key(w, "enabled");
    w.Bool(c.enabled());
    write_key(w, "admin_enabled");
    w.Bool(c.settings_enable);
    write_key(w, "traffic_enabled");
    w.Bool(c.traffic_enable);
    write_key(w, "up");
    w.Int64(c.up);
    write_key(w, "down");
    w.Int64(c.down);
    write_key(w, "used");
    w.Int64(c.used());
    write_key(w, "quota");
    w.Int64(c.quota);
    write_key(w, "percent");
    write_optional_double(w, c.percent());
    write_key(w, "expiry_time");
    w.Int64(c.expiry_time);
    write_key(w, "expiry");
    write_string(w, format_expiry(c.expiry_time, style.now_ms));
    write_key(w, "reset_days");
    w.Int(c.reset);
    write_key(w, "depleted");
    w.Bool(is_depleted(c, style.rule, style.now_ms));
    w.EndObject();
}

void write_inbound_json_fields(JsonWriter& w, const Inbound& in, const UsageStyle& style) {
    const int64_t used = saturating_add(in.up, in.down);
    write_key(w, "id");
    w.Int(in.id);
    write_key(w, "remark");
    write_string(w, in.remark);
    write_key(w, "protocol");
    write_string(w, in.protocol);
    write_key(w, "port");
    w.Int(in.port);
    write_key(w, "enabled");
    w.Bool(in.enable);
    write_key(w, "up");
    w.Int64(in.up);
    write_key(w, "down");
    w.Int64(in.down);
    write_key(w, "used");
    w.Int64(used);
    write_key(w, "quota");
    w.Int64(in.total);
    write_key(w, "percent");
    write_optional_double(w, percent_of(used, in.total));
    write_key(w, "expiry_time");
    w.Int64(in.expiry_time);
    write_key(w, "expiry");
    write_string(w, format_expiry(in.expiry_time, style.now_ms));
    write_key(w, "client_count");
    w.Uint64(in.client_count());
}

ClientTotals& ClientTotals::operator+=(const ClientTotals& other) {
    clients += other.clients;
    depleted += other.depleted;
    up += other.up;
    down += other.down;
    return *this;
}

ClientTotals client_totals(const std::vector<ClientUsage>& clients, const UsageStyle& style) {
    ClientTotals t;
    for (const auto& c : clients) {
        t.up += c.up;
        t.down += c.down;
        if (is_depleted(c, style.rule, style.now_ms)) {
            ++t.depleted;
        }
    }
    t.clients = clients.size();
    return t;
}

void write_totals_json(JsonWriter& w, const ClientTotals& t) {
    w.StartObject();
    write_key(w, "clients");
    w.Uint64(t.clients);
    write_key(w, "depleted");
    w.Uint64(t.depleted);
    write_key(w, "up");
    w.Int64(t.up);
    write_key(w, "down");
    w.Int64(t.down);
    write_key(w, "used");
    w.Int64(t.used());
    w.EndObject();
}

}  // namespace xuictl
