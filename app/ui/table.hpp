#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace xuictl {

enum class Format { table, tsv, csv, json };

struct Column {
    std::string name;
    bool right_align = false;  // numbers read best right-aligned
};

// Rows of text cells rendered as an aligned table (for people; cells pass
// display(), widths per display_width()), TSV (for awk/cut; tsv_field: TAB,
// newline and backslash escaped, so fields decode exactly) or CSV (RFC 4180,
// csv_field). JSON output is written by each command, not here.
class Table {
public:
    explicit Table(std::vector<Column> columns);
    void add_row(std::vector<std::string> cells);
    // A fleet view: `part`'s rows, each behind one more first cell (the
    // panel). `part` has this table's columns after the first.
    void add_rows_of(const std::string& first, Table&& part);
    // A row for people only: `first` in the first column, then `text`
    // across the others (not aligned, not widening them); TSV and CSV leave
    // it out, so a script's rows all have the same columns.
    void add_note(std::string first, std::string text);
    const std::vector<Column>& columns() const { return m_columns; }
    bool empty() const { return m_rows.empty(); }
    size_t size() const { return m_rows.size(); }
    void render(std::ostream& out, Format format) const;

private:
    void render_aligned(std::ostream& out) const;
    std::vector<Column> m_columns;
    std::vector<std::vector<std::string>> m_rows;
    std::vector<size_t> m_notes;  // indexes into m_rows, ascending
};

}  // namespace xuictl
