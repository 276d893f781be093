#pragma once

#include <algorithm>
#include <string>

namespace xuictl::test {

// "" when the texts are the same, else where they first differ and a little
// of each from there: Catch2 would take minutes to print megabytes.
inline std::string text_difference(const std::string& actual, const std::string& expected) {
    if (actual == expected) {
        return "";
    }
    const auto at = static_cast<size_t>(
        std::mismatch(actual.begin(), actual.end(), expected.begin(), expected.end()).first -
        actual.begin());
    return "at byte " + std::to_string(at) + " of " + std::to_string(actual.size()) + "/" +
           std::to_string(expected.size()) + ": " + actual.substr(at, 80) + " | expected " +
           expected.substr(at, 80);
}

}  // namespace xuictl::test
