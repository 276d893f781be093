#include "ui/fleet_view.hpp"

#include "fleet_hint.hpp"
#include "util/exit_code.hpp"

namespace xuictl {

Table with_panel_column(const std::vector<Column>& columns) {
    std::vector<Column> all;
    all.reserve(columns.size() + 1);
    all.push_back({"PANEL", false});
    all.insert(all.end(), columns.begin(), columns.end());
    return Table(std::move(all));
}

void add_failed_panel(Table& table, const std::string& panel, const Error& error) {
    table.add_note(panel, "failed: " + error.message);
}

void write_panel_status(JsonWriter& w, const std::string& panel, const Error* error) {
    write_key(w, "panel");
    write_string(w, panel);
    write_key(w, "status");
    write_string(w, error == nullptr ? "ok" : "failed");
    if (error == nullptr) {
        return;
    }
    write_key(w, "error");
    w.StartObject();
    write_key(w, "message");
    write_string(w, error->message);
    write_key(w, "hint");
    write_string(w, fleet_panel_hint(error->hint, panel));
    write_key(w, "exit_code");
    w.Int(exit_code_for(error->kind));
    w.EndObject();
}

void write_panels_json(JsonWriter& w, size_t panels,
                       const std::function<const std::string&(size_t)>& name,
                       const std::function<const Error*(size_t)>& error,
                       const std::function<void(JsonWriter&, size_t)>& members) {
    write_key(w, "panels");
    w.StartArray();
    for (size_t i = 0; i < panels; ++i) {
        w.StartObject();
        const Error* e = error(i);
        write_panel_status(w, name(i), e);
        if (e == nullptr) {
            members(w, i);
        }
        w.EndObject();
    }
    w.EndArray();
}

}  // namespace xuictl
