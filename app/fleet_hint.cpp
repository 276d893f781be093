#include "fleet_hint.hpp"

#include <algorithm>
#include <cctype>

#include "shell_word.hpp"

namespace xuictl {
namespace {

bool word_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_';
}

// Whether `text` at `pos` holds `word` as a whole word: not inside a longer
// word on either side ("--url" is not "--urls"; "xuictl" not "xuictl2").
bool whole_word_at(std::string_view text, size_t pos, std::string_view word) {
    if (text.substr(pos, word.size()) != word) {
        return false;
    }
    const bool starts = pos == 0 || !word_char(text[pos - 1]);
    const size_t end = pos + word.size();
    return starts && (end == text.size() || !word_char(text[end]));
}

// The command word after "xuictl " at `pos` (the index of "xuictl"), or "".
std::string_view command_after(std::string_view text, size_t pos) {
    const size_t start = pos + 7;  // "xuictl "
    if (start > text.size() || text[pos + 6] != ' ') {
        return {};
    }
    size_t end = start;
    while (end < text.size() && word_char(text[end])) {
        ++end;
    }
    const std::string_view word = text.substr(start, end - start);
    const auto& known = advice_commands();
    return std::find(known.begin(), known.end(), word) != known.end() ? word : std::string_view();
}

}  // namespace

const std::vector<std::string_view>& advice_commands() {
    static const std::vector<std::string_view> commands = {
        "stats",    "collect", "inbound", "clients", "traffic", "audit",
        "schedule", "login",   "logout",  "profile", "version", "completion"};
    return commands;
}

std::string fleet_panel_advice(std::string_view text, const std::string& profile) {
    const std::string name = shell_word(profile);
    std::string out;
    out.reserve(text.size() + 32);
    size_t i = 0;
    while (i < text.size()) {
        if (whole_word_at(text, i, "xuictl") && !command_after(text, i).empty()) {
            out += "xuictl --profile " + name + " ";
            i += 7;
        } else if (whole_word_at(text, i, "--url") &&
                   !(i >= 7 && text.substr(i - 7, 7) == "xuictl ")) {
            // (Not in a command line: `xuictl --url URL ...` stays one.)
            out += "the url of profile " + name;
            i += 5;
        } else {
            out += text[i++];
        }
    }
    return out;
}

std::string fleet_panel_hint(std::string_view hint, const std::string& profile) {
    const std::string retry = "--profile " + shell_word(profile);
    std::string out = fleet_panel_advice(hint, profile);
    if (out.find(retry) != std::string::npos) {
        return out;  // it names a command on this panel (or was rewritten before)
    }
    if (!out.empty()) {
        out += "; ";
    }
    return out + "retry this panel alone with " + retry;
}

}  // namespace xuictl
