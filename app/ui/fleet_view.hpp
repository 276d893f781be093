#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "ui/json_out.hpp"
#include "ui/table.hpp"
#include "util/error.hpp"

namespace xuictl {

// The rows of a fleet view: PANEL, then the per-panel table's columns.
Table with_panel_column(const std::vector<Column>& columns);

// A panel that failed, in its place: for people (table) a note row
// "PANEL  failed: MESSAGE" (Table::add_note); TSV and CSV leave it out (the
// error is on stderr, and a script's rows keep the same columns).
void add_failed_panel(Table& table, const std::string& panel, const Error& error);

// The first keys of a panel's object in fleet JSON: "panel" (its profile),
// "status" ("ok" or "failed") and, when failed, "error": {message, hint
// (naming the panel: fleet_panel_hint), exit_code}.
void write_panel_status(JsonWriter& w, const std::string& panel, const Error* error);

// The "panels" member every fleet -o json gives: per panel an object with
// write_panel_status's keys and, for a panel that answered (error(i) is
// nullptr), what members(w, i) writes.
void write_panels_json(JsonWriter& w, size_t panels,
                       const std::function<const std::string&(size_t)>& name,
                       const std::function<const Error*(size_t)>& error,
                       const std::function<void(JsonWriter&, size_t)>& members);

}  // namespace xuictl
