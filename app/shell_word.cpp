#include "shell_word.hpp"

#include <algorithm>
#include <cctype>

namespace xuictl {

std::string shell_word(std::string_view word) {
    const bool plain = !word.empty() && std::all_of(word.begin(), word.end(), [](unsigned char c) {
        return std::isalnum(c) != 0 ||
               std::string_view("@._+-%/=:,").find(static_cast<char>(c)) != std::string_view::npos;
    });
    if (plain) {
        return std::string(word);
    }
    std::string out = "'";
    for (char c : word) {
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    }
    return out + "'";
}

}  // namespace xuictl
