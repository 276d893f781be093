#include "ui/table.hpp"

#include <algorithm>
#include <cstdint>
#include <ostream>

namespace xuictl {
namespace {

uint32_t decode_utf8(std::string_view s, size_t& i) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    auto cont = [&](size_t k) -> uint32_t {
        return i + k < s.size()
                   ? static_cast<uint32_t>(static_cast<unsigned char>(s[i + k]) & 0x3Fu)
                   : 0u;
    };
    if (b0 < 0x80) {
        i += 1;
        return b0;
    }
    if ((b0 & 0xE0) == 0xC0) {
        const uint32_t cp = (static_cast<uint32_t>(b0 & 0x1F) << 6) | cont(1);
        i += 2;
        return cp;
    }
    if ((b0 & 0xF0) == 0xE0) {
        const uint32_t cp = (static_cast<uint32_t>(b0 & 0x0F) << 12) | (cont(1) << 6) | cont(2);
        i += 3;
        return cp;
    }
    if ((b0 & 0xF8) == 0xF0) {
        const uint32_t cp =
            (static_cast<uint32_t>(b0 & 0x07) << 18) | (cont(1) << 12) | (cont(2) << 6) | cont(3);
        i += 4;
        return cp;
    }
    i += 1;  // invalid byte: count it as one column
    return 0xFFFD;
}

bool is_wide(uint32_t cp) {
    return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
           (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
           (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
           (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1FAFF) ||
           (cp >= 0x20000 && cp <= 0x3FFFD);
}

bool is_zero_width(uint32_t cp) {
    return (cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x200B && cp <= 0x200F) ||
           (cp >= 0xFE00 && cp <= 0xFE0F);
}

std::string tsv_cell(const std::string& cell) {
    std::string out = cell;
    std::replace_if(
        out.begin(), out.end(), [](char c) { return c == '\t' || c == '\n' || c == '\r'; }, ' ');
    return out;
}

std::string csv_cell(const std::string& cell) {
    if (cell.find_first_of(",\"\n\r") == std::string::npos) {
        return cell;
    }
    std::string out = "\"";
    for (char c : cell) {
        if (c == '"') {
            out += '"';
        }
        out += c;
    }
    out += '"';
    return out;
}

}  // namespace

size_t display_width(std::string_view s) {
    size_t width = 0;
    size_t i = 0;
    while (i < s.size()) {
        const uint32_t cp = decode_utf8(s, i);
        if (is_zero_width(cp) || cp < 0x20) {
            continue;
        }
        width += is_wide(cp) ? size_t{2} : size_t{1};
    }
    return width;
}

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
            buffer += format == Format::csv ? csv_cell(cells[c]) : tsv_cell(cells[c]);
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
    std::vector<size_t> widths(m_columns.size(), 0);
    for (size_t c = 0; c < m_columns.size(); ++c) {
        widths[c] = display_width(m_columns[c].name);
    }
    size_t note = 0;
    for (size_t r = 0; r < m_rows.size(); ++r) {
        const bool is_note = note < m_notes.size() && m_notes[note] == r;
        note += is_note ? 1 : 0;
        // A note widens only the first column; its text spans the rest.
        const size_t cells = is_note ? 1 : m_rows[r].size();
        for (size_t c = 0; c < cells; ++c) {
            widths[c] = std::max(widths[c], display_width(m_rows[r][c]));
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
    for (size_t r = 0; r < m_rows.size(); ++r) {
        if (note < m_notes.size() && m_notes[note] == r) {
            ++note;
            const auto& row = m_rows[r];
            std::string line = row[0];
            line.append(widths[0] - display_width(row[0]), ' ');
            buffer += line + "  " + row[1] + '\n';
            continue;
        }
        emit(m_rows[r]);
    }
    out << buffer;
}

}  // namespace xuictl
