#include "commands/fleet_clients.hpp"

#include "ui/fleet_view.hpp"
#include "ui/parallel_rows.hpp"
#include "ui/usage_view.hpp"

namespace xuictl {

Table fleet_client_table(const FleetClients& f, Format format) {
    Table all = with_panel_column(client_table({}, UsageStyle{}, format).columns());
    for (size_t i = 0; i < f.reads.size(); ++i) {
        if (f.errors[i] != nullptr) {
            add_failed_panel(all, f.fleet.name(i), *f.errors[i]);
            continue;
        }
        all.add_rows_of(f.fleet.name(i), client_table(f.selected[i], f.reads[i]->style, format));
    }
    return all;
}

void write_panel_clients_json(JsonWriter& w, const FleetClients& f, size_t panel) {
    if (f.errors[panel] != nullptr) {
        return;
    }
    write_key(w, "clients");
    w.StartArray();
    const auto& style = f.reads[panel]->style;
    // 10 000s of rows per panel: formatted on up to four cores, as for one panel.
    write_rows(w, f.selected[panel].size(),
               [&rows = f.selected[panel], &style](JsonWriter& rw, size_t i) {
                   write_client_json(rw, rows[i], style);
               });
    w.EndArray();
}

void write_fleet_clients_json(std::ostream& out, bool pretty, const FleetClients& f) {
    JsonWriter w(out, pretty);
    w.StartObject();
    write_key(w, "panels");
    w.StartArray();
    for (size_t i = 0; i < f.reads.size(); ++i) {
        w.StartObject();
        write_panel_status(w, f.fleet.name(i), f.errors[i]);
        write_panel_clients_json(w, f, i);
        w.EndObject();
    }
    w.EndArray();
    w.EndObject();
    w.finish();
}

}  // namespace xuictl
