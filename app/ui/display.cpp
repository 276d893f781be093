#include "ui/display.hpp"

#include <utf8proc.h>

#include <fmt/format.h>

namespace xuictl {
namespace {

enum class Mode { display, tsv, csv };

// Code points that change how the rest of a line is shown: bidi embeddings,
// overrides, isolates and marks ("Trojan Source"), and the separators some
// terminals break lines at.
bool is_layout_control(utf8proc_int32_t cp) {
    return cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2066 && cp <= 0x2069) || cp == 0x2028 || cp == 0x2029;
}

void escape_into(std::string& out, std::string_view text, Mode mode) {
    const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
    auto left = static_cast<utf8proc_ssize_t>(text.size());
    while (left > 0) {
        utf8proc_int32_t cp = -1;
        const utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
        if (n <= 0 || cp < 0) {
            out += fmt::format("\\x{:02x}", static_cast<unsigned>(*p));  // not UTF-8
            ++p;
            --left;
            continue;
        }
        const auto c = static_cast<unsigned>(cp);
        if (c < 0x20 || c == 0x7F) {
            const bool raw_in_csv = c == '\t' || c == '\n' || c == '\r';
            if (mode == Mode::csv && raw_in_csv) {
                out += static_cast<char>(c);  // inside quotes: the field keeps it exactly
            } else if (c == '\t') {
                out += "\\t";
            } else if (c == '\n') {
                out += "\\n";
            } else if (c == '\r') {
                out += "\\r";
            } else {
                out += fmt::format("\\x{:02x}", c);
            }
        } else if ((c >= 0x80 && c <= 0x9F) || is_layout_control(cp)) {
            out += fmt::format("\\u{:04x}", c);
        } else if (c == '\\' && mode == Mode::tsv) {
            out += "\\\\";
        } else {
            out.append(reinterpret_cast<const char*>(p), static_cast<size_t>(n));
        }
        p += n;
        left -= n;
    }
}

}  // namespace

std::string display(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    escape_into(out, text, Mode::display);
    return out;
}

bool formula_like(std::string_view text) {
    if (text.empty()) {
        return false;
    }
    switch (text.front()) {
        case '=':
        case '+':
        case '@':
        case '\t':
        case '\r':
            return true;
        case '-': {
            // A negative number stays a number; anything else starting with
            // '-' (e.g. "-1+cmd|...") could be a formula.
            std::string_view rest = text.substr(1);
            const size_t dot = rest.find('.');
            auto digits = [](std::string_view d) {
                return !d.empty() && d.find_first_not_of("0123456789") == std::string_view::npos;
            };
            return !(dot == std::string_view::npos
                         ? digits(rest)
                         : digits(rest.substr(0, dot)) && digits(rest.substr(dot + 1)));
        }
        default:
            return false;
    }
}

std::string tsv_field(std::string_view text) {
    std::string out;
    out.reserve(text.size() + 1);
    if (formula_like(text)) {
        out += '\'';  // OWASP CSV injection: the spreadsheet shows it as text
    }
    escape_into(out, text, Mode::tsv);
    return out;
}

std::string csv_field(std::string_view text) {
    std::string escaped;
    escaped.reserve(text.size() + 1);
    if (formula_like(text)) {
        escaped += '\'';  // OWASP CSV injection: the spreadsheet shows it as text
    }
    escape_into(escaped, text, Mode::csv);
    if (escaped.find_first_of(",\"\t\r\n") == std::string::npos) {
        return escaped;
    }
    std::string out = "\"";
    for (char c : escaped) {
        if (c == '"') {
            out += '"';
        }
        out += c;
    }
    out += '"';
    return out;
}

size_t display_width(std::string_view s) {
    const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(s.data());
    auto left = static_cast<utf8proc_ssize_t>(s.size());
    size_t width = 0;
    while (left > 0) {
        utf8proc_int32_t cp = -1;
        const utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
        if (n <= 0 || cp < 0) {
            ++width;
            ++p;
            --left;
            continue;
        }
        if (cp >= 0x20 && cp != 0x7F) {
            width += static_cast<size_t>(utf8proc_charwidth(cp));
        }
        p += n;
        left -= n;
    }
    return width;
}

}  // namespace xuictl
