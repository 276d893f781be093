#include "version.hpp"

#include <charconv>

#include <fmt/format.h>

namespace sandbox {

std::string PanelVersion::str() const {
    return fmt::format("{}.{}.{}", major, minor, patch);
}

std::optional<PanelVersion> parse_version(std::string_view text) {
    if (!text.empty() && (text.front() == 'v' || text.front() == 'V')) {
        text.remove_prefix(1);
    }
    int parts[3] = {0, 0, 0};
    const char* cur = text.data();
    const char* end = text.data() + text.size();
    for (int i = 0; i < 3; ++i) {
        auto [next, ec] = std::from_chars(cur, end, parts[i]);
        if (ec != std::errc{} || next == cur || parts[i] < 0) {
            return std::nullopt;
        }
        cur = next;
        if (i < 2) {
            if (cur == end || *cur != '.') {
                return std::nullopt;
            }
            ++cur;
        }
    }
    if (cur != end) {
        return std::nullopt;
    }
    return PanelVersion{parts[0], parts[1], parts[2]};
}

std::string_view api_name(ApiKind api) {
    return api == ApiKind::classic ? "classic" : "v3";
}

}  // namespace sandbox
