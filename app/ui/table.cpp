#include "ui/table.hpp"

#include <algorithm>
#include <ostream>

#include "ui/display.hpp"

namespace xuictl {

Table::Table(std::vector<Column> columns) : m_columns(std::move(columns)) {}

void Table::add_row(std::vector<std::string> cells) {
    cells.resize(m_columns.size());
    m_rows.push_back(std::move(cells));
}

void Table::render(std::ostream& out, Format format) const {
    std::string buffer;
    if (format == Format::table) {
        render_aligned(out);
        return;
    }
    const char sep = format == Format::csv ? ',' : '\t';
    auto emit = [&](const std::vector<std::string>& cells) {
        for (size_t c = 0; c < cells.size(); ++c) {
            if (c > 0) {
                buffer += sep;
            }
            buffer += format == Format::csv ? csv_field(cells[c]) : tsv_field(cells[c]);
        }
        buffer += format == Format::csv ? "\r\n" : "\n";
    };
    std::vector<std::string> header;
    for (const auto& col : m_columns) {
        header.push_back(col.name);
    }
    emit(header);
    for (const auto& row : m_rows) {
        emit(row);
    }
    out << buffer;
}

void Table::render_aligned(std::ostream& out) const {
    // Cells as the terminal shows them: escaped first, measured after, so a
    // TAB, an ESC sequence or a CR in a remark can neither move nor repaint
    // the columns.
    std::vector<std::vector<std::string>> shown;
    shown.reserve(m_rows.size());
    for (const auto& row : m_rows) {
        std::vector<std::string> cells;
        cells.reserve(row.size());
        for (const auto& cell : row) {
            cells.push_back(display(cell));
        }
        shown.push_back(std::move(cells));
    }
    std::vector<size_t> widths(m_columns.size(), 0);
    for (size_t c = 0; c < m_columns.size(); ++c) {
        widths[c] = display_width(m_columns[c].name);
    }
    for (const auto& row : shown) {
        for (size_t c = 0; c < row.size(); ++c) {
            widths[c] = std::max(widths[c], display_width(row[c]));
        }
    }
    std::string buffer;
    auto emit = [&](const std::vector<std::string>& cells) {
        std::string line;
        for (size_t c = 0; c < cells.size(); ++c) {
            const size_t pad = widths[c] - display_width(cells[c]);
            const bool last = c + 1 == cells.size();
            if (m_columns[c].right_align) {
                line.append(pad, ' ');
                line += cells[c];
            } else {
                line += cells[c];
                if (!last) {
                    line.append(pad, ' ');
                }
            }
            if (!last) {
                line += "  ";
            }
        }
        while (!line.empty() && line.back() == ' ') {
            line.pop_back();
        }
        buffer += line;
        buffer += '\n';
    };
    std::vector<std::string> header;
    for (const auto& col : m_columns) {
        header.push_back(col.name);
    }
    emit(header);
    for (const auto& row : shown) {
        emit(row);
    }
    out << buffer;
}

}  // namespace xuictl
