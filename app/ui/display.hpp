#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace xuictl {

// Panel text (emails, remarks, comments, the panel's error messages) is
// untrusted: it may hold ESC sequences that repaint the screen, CR that
// overwrites a line, bidi overrides that reorder it, or bytes that are not
// UTF-8. Every string that reaches a terminal passes one of these escapes
// (DESIGN §9).
//
// display(): what people read (tables, plans, prompts, errors). C0 controls
// and DEL become \xHH (TAB, LF, CR: \t \n \r), C1 controls \u0080..\u009f,
// bidi controls and the Unicode line/paragraph separators \u202e etc., each
// byte that is not UTF-8 \xHH. Everything else, backslashes included, is
// unchanged, so ordinary text reads as before.
std::string display(std::string_view text);

// Whether a spreadsheet could take `text` for a formula (OWASP "CSV
// injection"): it starts with '=', '+', '@', TAB or CR, or with '-' and is
// not a plain number ("-5", "-1.5" stay numbers).
bool formula_like(std::string_view text);

// A TSV field (for cut/awk, and back): the display() escapes plus `\\` for a
// backslash, so a field never holds TAB or newline and decodes exactly. A
// formula_like field gets a leading `'` (so does a CSV field), which a
// spreadsheet shows as text; panel text (emails, remarks, comments) can hold
// anything.
std::string tsv_field(std::string_view text);

// A CSV field (RFC 4180): controls other than TAB, CR and LF, and bytes that
// are not UTF-8, escaped as in display() (RFC 4180 text holds no controls);
// quoted when it holds a comma, a quote, TAB, CR or LF (quotes doubled).
std::string csv_field(std::string_view text);

// Terminal columns of (valid) UTF-8 text per Unicode's East Asian Width
// (utf8proc): wide and emoji 2, combining and zero-width 0, controls 0;
// a byte that is not UTF-8 counts 1. Measure display() output.
size_t display_width(std::string_view utf8);

}  // namespace xuictl
