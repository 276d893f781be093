// Panel text on the way to a terminal or a file: display() escapes, TSV and
// CSV fields that decode exactly, and column widths of wide characters.
#include <catch2/catch.hpp>

#include <algorithm>
#include <sstream>

#include "support/raw_control.hpp"
#include "ui/display.hpp"
#include "ui/table.hpp"

using namespace xuictl;
using xuictl::test::has_raw_control;

namespace {

// Decodes a tsv_field (the inverse the field format promises).
std::string tsv_decode(const std::string& field) {
    std::string out;
    for (size_t i = 0; i < field.size(); ++i) {
        if (field[i] != '\\') {
            out += field[i];
            continue;
        }
        const char e = field[++i];
        if (e == 't') {
            out += '\t';
        } else if (e == 'n') {
            out += '\n';
        } else if (e == 'r') {
            out += '\r';
        } else if (e == '\\') {
            out += '\\';
        } else if (e == 'x') {
            out += static_cast<char>(std::stoul(field.substr(i + 1, 2), nullptr, 16));
            i += 2;
        } else {
            FAIL("unexpected escape in " << field);
        }
    }
    return out;
}

std::string render(const Table& t, Format f) {
    std::ostringstream out;
    t.render(out, f);
    return out.str();
}

}  // namespace

TEST_CASE("display() shows control characters visibly and leaves text alone", "[unit][display]") {
    CHECK(display("alice@example.test") == "alice@example.test");
    CHECK(display("東京 tokyo 😀") == "東京 tokyo 😀");
    CHECK(display("back\\slash") == "back\\slash");
    CHECK(display("a\x1b[2Jb") == "a\\x1b[2Jb");
    CHECK(display("bell\a") == "bell\\x07");
    CHECK(display("cr\rlf\ntab\t") == "cr\\rlf\\ntab\\t");
    CHECK(display(std::string("nul\0x", 5)) == "nul\\x00x");
    CHECK(display("del\x7f") == "del\\x7f");
    CHECK(display("c1\xc2\x9b"
                  "31m") == "c1\\u009b31m");  // CSI as one C1 code point
    CHECK(display("rtl\xe2\x80\xae"
                  "gpj.exe") == "rtl\\u202egpj.exe");
    CHECK(display("ls\xe2\x80\xa8"
                  "x") == "ls\\u2028x");
    CHECK(display("bad\xff\xc3(") == "bad\\xff\\xc3(");   // not UTF-8: each byte
    CHECK(display("\xed\xa0\x80") == "\\xed\\xa0\\x80");  // a UTF-16 surrogate is not UTF-8
    CHECK_FALSE(has_raw_control(display("\x01\x02\x1b\x1f\x7f")));
}

TEST_CASE("TSV fields hold no TAB or newline and decode exactly", "[unit][display]") {
    for (const std::string raw :
         {"plain", "a\tb", "two\nlines\r\n", "back\\t-slash", "esc\x1b[31m", "all\t\\\n\x1b"}) {
        CAPTURE(raw);
        const std::string field = tsv_field(raw);
        CHECK(field.find_first_of("\t\n\r\x1b") == std::string::npos);
        CHECK(tsv_decode(field) == raw);
    }
    CHECK(tsv_field("a\\tb") == "a\\\\tb");  // a literal backslash-t is not a TAB
}

TEST_CASE("CSV fields follow RFC 4180 and hold no ESC", "[unit][display]") {
    CHECK(csv_field("plain") == "plain");
    CHECK(csv_field("a,b") == "\"a,b\"");
    CHECK(csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
    CHECK(csv_field("two\nlines") == "\"two\nlines\"");
    CHECK(csv_field("tab\there") == "\"tab\there\"");
    CHECK(csv_field("esc\x1b[2J") == "esc\\x1b[2J");
    CHECK(csv_field("plain=1+1") == "plain=1+1");
}

TEST_CASE("CSV and TSV fields neutralise what a spreadsheet would run (OWASP)",
          "[unit][display]") {
    CHECK(csv_field("=1+1") == "'=1+1");
    CHECK(csv_field("+cmd|calc") == "'+cmd|calc");
    CHECK(csv_field("@SUM(A1)") == "'@SUM(A1)");
    CHECK(csv_field("-2+3@z") == "'-2+3@z");
    CHECK(csv_field("\tx@z") == "\"'\tx@z\"");
    CHECK(csv_field("\rx@z") == "\"'\rx@z\"");
    CHECK(csv_field("=HYPERLINK(\"u\")") == "\"'=HYPERLINK(\"\"u\"\")\"");
    CHECK(tsv_field("=1+1") == "'=1+1");
    CHECK(tsv_field("\tx@z") == "'\\tx@z");
    CHECK(tsv_field("@x") == "'@x");
    // Numbers stay numbers; text that only holds such a character later is untouched.
    CHECK(csv_field("-5") == "-5");
    CHECK(csv_field("-1.5") == "-1.5");
    CHECK(tsv_field("-12") == "-12");
    CHECK(csv_field("a=b") == "a=b");
    CHECK(csv_field("") == "");
    CHECK(csv_field("-") == "'-");
    CHECK_FALSE(formula_like("2026-01-31T00:00:00Z"));
    CHECK_FALSE(formula_like("1073741824"));
}

TEST_CASE("display_width counts terminal columns", "[unit][display]") {
    CHECK(display_width("abc") == 3);
    CHECK(display_width("東京") == 4);
    CHECK(display_width("😀") == 2);
    CHECK(display_width("☕") == 2);             // East Asian Wide outside the CJK blocks
    CHECK(display_width("e\xcc\x81") == 1);     // e + combining acute
    CHECK(display_width("\xe2\x80\x8b") == 0);  // zero-width space
    CHECK(display_width("Ｔｏｋｙｏ") == 10);   // fullwidth Latin
    CHECK(display_width("\xff") == 1);
}

TEST_CASE("tables escape hostile cells and stay aligned with TAB and wide text",
          "[unit][display]") {
    Table t({{"EMAIL", false}, {"USED", true}, {"NOTE", false}});
    t.add_row({"東京@x", "1", "a"});
    t.add_row({"tab\there@x", "22", "b"});
    t.add_row({"\x1b[2J\x1b[Hspoof@x", "333", "c"});
    t.add_row({"😀😀@x", "4444", "d\re"});
    t.add_row({"cr\rover@x", "5", "e"});
    t.add_row(
        {"\xe2\x80\xae"
         "rtl@x",
         "66", "f"});  // NOTE holds no digit: see below
    const std::string table = render(t, Format::table);
    CHECK_FALSE(has_raw_control(table));
    std::istringstream lines(table);
    std::string line;
    std::vector<size_t> used_ends;
    while (std::getline(lines, line)) {
        // USED is right-aligned: its last digit ends at the same column in every row.
        const auto end = line.find_last_of("0123456789D");
        used_ends.push_back(display_width(line.substr(0, end + 1)));
    }
    REQUIRE(used_ends.size() == 7);
    for (size_t w : used_ends) {
        CHECK(w == used_ends.front());
    }
    CHECK(table.find("\\x1b[2J\\x1b[Hspoof@x") != std::string::npos);
    CHECK(table.find("tab\\there@x") != std::string::npos);

    const std::string tsv = render(t, Format::tsv);
    CHECK(tsv.find('\x1b') == std::string::npos);
    std::istringstream tsv_lines(tsv);
    while (std::getline(tsv_lines, line)) {
        CHECK(std::count(line.begin(), line.end(), '\t') == 2);  // 3 fields, whatever they hold
    }
    const std::string csv = render(t, Format::csv);
    CHECK(csv.find('\x1b') == std::string::npos);
    CHECK(csv.find("\"tab\there@x\"") != std::string::npos);
}
