#include "ui/fleet_view.hpp"

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
    write_string(w, error->hint);
    write_key(w, "exit_code");
    w.Int(exit_code_for(error->kind));
    w.EndObject();
}

}  // namespace xuictl
