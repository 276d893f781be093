#include "commands/fleet_clients.hpp"

#include "fleet_nodes.hpp"
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
        // TSV and CSV are data: PANEL stays the profile name.
        const bool label = format == Format::table && f.nodes != nullptr;
        all.add_rows_of(label ? f.nodes->label(i) : f.fleet.name(i),
                        client_table(f.selected[i], f.reads[i]->style, format));
    }
    return all;
}

void write_panel_clients_json(JsonWriter& w, const FleetClients& f, size_t panel) {
    if (f.errors[panel] != nullptr) {
        return;
    }
    if (f.nodes != nullptr) {
        f.nodes->write_node_of(w, panel);
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
    write_panels_json(
        w, f.reads.size(), [&](size_t i) -> const std::string& { return f.fleet.name(i); },
        [&](size_t i) { return f.errors[i]; },
        [&](JsonWriter& pw, size_t i) { write_panel_clients_json(pw, f, i); });
    w.EndObject();
    w.finish();
}

}  // namespace xuictl
