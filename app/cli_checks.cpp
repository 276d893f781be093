#include "cli_checks.hpp"

#include <fmt/format.h>
#include <charconv>
#include <limits>

namespace xuictl {

CLI::Validator whole_number(const std::string& what) {
    return CLI::Validator(
        [what](std::string& text) -> std::string {
            int value = 0;
            const char* end = text.data() + text.size();
            auto [ptr, ec] = std::from_chars(text.data(), end, value);
            if (ec == std::errc::result_out_of_range) {
                return what + " is too large (at most " +
                       std::to_string(std::numeric_limits<int>::max()) + "), got '" + text + "'";
            }
            if (text.empty() || ec != std::errc() || ptr != end || value < 0) {
                return what + " must be a whole number >= 0, got '" + text + "'";
            }
            return {};
        },
        "");  // no description: help shows the placeholder alone
}

CLI::Validator number_from(double low, double high, const std::string& what) {
    return CLI::Validator(
        [low, high, what](std::string& text) -> std::string {
            double value = 0;
            const char* end = text.data() + text.size();
            auto [ptr, ec] = std::from_chars(text.data(), end, value);
            if (text.empty() || ec != std::errc() || ptr != end || value < low || value > high) {
                return fmt::format("{} must be a number from {} to {}, got '{}'", what, low, high,
                                   text);
            }
            return {};
        },
        "");
}

}  // namespace xuictl
