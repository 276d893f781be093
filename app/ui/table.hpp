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
    bool empty() const { return m_rows.empty(); }
    size_t size() const { return m_rows.size(); }
    void render(std::ostream& out, Format format) const;

private:
    void render_aligned(std::ostream& out) const;
    std::vector<Column> m_columns;
    std::vector<std::vector<std::string>> m_rows;
};

}  // namespace xuictl
