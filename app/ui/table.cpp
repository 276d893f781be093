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

void Table::add_note(std::string first, std::string text) {
    m_notes.push_back(m_rows.size());
    m_rows.push_back({std::move(first), std::move(text)});
}

void Table::add_rows_of(const std::string& first, Table&& part) {
    m_rows.reserve(m_rows.size() + part.m_rows.size());
    for (auto& row : part.m_rows) {
        row.insert(row.begin(), first);
        m_rows.push_back(std::move(row));
    }
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
    size_t note = 0;
    for (size_t r = 0; r < m_rows.size(); ++r) {
        if (note < m_notes.size() && m_notes[note] == r) {
            ++note;  // for people only
            continue;
        }
        emit(m_rows[r]);
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
    size_t note = 0;
    for (size_t r = 0; r < shown.size(); ++r) {
        const bool is_note = note < m_notes.size() && m_notes[note] == r;
        note += is_note ? 1 : 0;
        // A note widens only the first column; its text spans the rest.
        const size_t cells = is_note ? 1 : shown[r].size();
        for (size_t c = 0; c < cells; ++c) {
            widths[c] = std::max(widths[c], display_width(shown[r][c]));
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
    note = 0;
    for (size_t r = 0; r < shown.size(); ++r) {
        if (note < m_notes.size() && m_notes[note] == r) {
            ++note;
            const auto& row = shown[r];
            std::string line = row[0];
            line.append(widths[0] - display_width(row[0]), ' ');
            buffer += line + "  " + row[1] + '\n';
            continue;
        }
        emit(shown[r]);
    }
    out << buffer;
}

}  // namespace xuictl
