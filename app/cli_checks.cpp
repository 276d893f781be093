#include "cli_checks.hpp"

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
        what);
}

}  // namespace xuictl
