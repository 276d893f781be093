#include "ui/usage_view.hpp"

#include <fmt/format.h>

#include <string_view>
#include <unordered_set>

#include "calendar.hpp"
#include "model/cycle.hpp"
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

std::string percent_cell(std::optional<double> percent, bool data) {
    if (!data) {
        return format_percent(percent);
    }
    return percent ? fmt::format("{:.2f}", *percent) : std::string();
}

std::string expiry_cell(int64_t expiry_ms, int64_t now_ms, bool data) {
    if (!data) {
        return format_expiry(expiry_ms, now_ms);
    }
    return expiry_ms > 0 ? format_utc(expiry_ms) : std::string();
}

std::string flag_cell(bool value, bool data) {
    if (data) {
        return value ? "true" : "false";
    }
    return value ? "yes" : "no";
}

std::string time_cell(int64_t unix_ms, bool data) {
    return data ? format_utc(unix_ms) : format_local(unix_ms);
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

Table client_table(const std::vector<ClientUsage>& clients, const UsageStyle& style,
                   Format format) {
    std::vector<Column> columns{{"INBOUND", true},  {"EMAIL", false},   {"UP", true},
                                {"DOWN", true},     {"USED", true},     {"QUOTA", true},
                                {"USED%", true},    {"EXPIRES", false}, {"ENABLED", false},
                                {"DEPLETED", false}};
    const bool data = data_cells(format);
    if (data) {
        columns.insert(columns.end(), {{"RENEWALS_LEFT", true},
                                       {"NEXT_RENEWAL", false},
                                       {"TRAFFIC_RESET", false},
                                       {"NEXT_TRAFFIC_RESET", false},
                                       {"STATE", false}});
    } else {
        columns.push_back({"CYCLE", false});
    }
    Table t(std::move(columns));
    const bool raw = style.raw_bytes || data;
    const auto next_cell = [](const std::optional<int64_t>& ms) {
        return ms ? format_utc(*ms) : std::string();
    };
    for (const auto& c : clients) {
        std::vector<std::string> row{std::to_string(c.inbound_id),
                                     c.email,
                                     bytes_cell(c.up, raw),
                                     bytes_cell(c.down, raw),
                                     bytes_cell(c.used(), raw),
                                     quota_cell(c.quota, raw),
                                     percent_cell(c.percent(), data),
                                     expiry_cell(c.expiry_time, style.now_ms, data),
                                     data ? flag_cell(c.enabled(), true) : client_state(c),
                                     flag_cell(is_depleted(c, style.rule, style.now_ms), data)};
        const ClientCycle cycle = client_cycle(c, style.now_ms);
        if (data) {
            row.push_back(cycle.renewals_left ? std::to_string(*cycle.renewals_left) : "");
            row.push_back(next_cell(cycle.next_renewal_ms));
            row.push_back(c.traffic_cycle == TrafficCycle::unknown ? ""
                                                                   : to_string(c.traffic_cycle));
            row.push_back(next_cell(cycle.next_traffic_reset_ms));
            row.push_back(client_state(c) == "yes" ? "enabled" : client_state(c));
        } else {
            row.push_back(describe_cycle(cycle, c, style.now_ms));
        }
        t.add_row(std::move(row));
    }
    return t;
}

Table inbound_table(const std::vector<Inbound>& inbounds, const UsageStyle& style, Format format) {
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
    const bool data = data_cells(format);
    const bool raw = style.raw_bytes || data;
    for (const auto& in : inbounds) {
        const int64_t used = saturating_add(in.up, in.down);
        t.add_row({std::to_string(in.id), in.remark, in.protocol, std::to_string(in.port),
                   std::to_string(in.client_count()), bytes_cell(in.up, raw),
                   bytes_cell(in.down, raw), bytes_cell(used, raw), quota_cell(in.total, raw),
                   percent_cell(percent_of(used, in.total), data),
                   expiry_cell(in.expiry_time, style.now_ms, data), flag_cell(in.enable, data)});
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
    write_cycle_json(w, c, style.now_ms);
    w.EndObject();
}

void write_cycle_json(JsonWriter& w, const ClientUsage& c, int64_t now_ms) {
    const ClientCycle k = client_cycle(c, now_ms);
    const auto optional_int = [&w](const auto& v) {
        if (v) {
            w.Int64(*v);
        } else {
            w.Null();
        }
    };
    write_key(w, "cycle");
    w.StartObject();
    write_key(w, "renews");
    w.Bool(k.renews);
    write_key(w, "reset_day");
    w.Int(c.reset_day);
    write_key(w, "renewals_max");
    w.Int(c.reset_max);
    write_key(w, "renewals_done");
    w.Int(c.reset_count);
    write_key(w, "renewals_left");
    optional_int(k.renewals_left);
    write_key(w, "next_renewal_ms");
    optional_int(k.next_renewal_ms);
    write_key(w, "traffic_reset");
    if (c.traffic_cycle == TrafficCycle::unknown) {
        w.Null();  // the list read (list/slim) does not carry it
    } else {
        write_string(w, to_string(c.traffic_cycle));
    }
    write_key(w, "traffic_reset_day");
    w.Int(c.traffic_reset_day);
    write_key(w, "next_traffic_reset_ms");
    optional_int(k.next_traffic_reset_ms);
    write_key(w, "never_purged_by_panel");
    w.Bool(never_purged_by_panel(c, k, now_ms));
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
    rows += other.rows;
    depleted += other.depleted;
    up = saturating_add(up, other.up);
    down = saturating_add(down, other.down);
    return *this;
}

ClientTotals client_totals(const std::vector<ClientUsage>& clients, const UsageStyle& style) {
    ClientTotals t;
    std::unordered_set<std::string_view> counted;
    for (const auto& c : clients) {
        if (!counted.insert(c.email).second) {
            continue;  // a shared client's other listing: same traffic row
        }
        ++t.clients;
        t.up = saturating_add(t.up, c.up);
        t.down = saturating_add(t.down, c.down);
        if (is_depleted(c, style.rule, style.now_ms)) {
            ++t.depleted;
        }
    }
    t.rows = clients.size();
    return t;
}

void write_totals_json(JsonWriter& w, const ClientTotals& t) {
    w.StartObject();
    write_key(w, "clients");
    w.Uint64(t.clients);
    write_key(w, "rows");
    w.Uint64(t.rows);
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
