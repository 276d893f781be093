#include "panel/capabilities.hpp"

#include <fmt/format.h>
#include <charconv>

namespace xuictl {

std::optional<Version> Version::parse(std::string_view text) {
    if (!text.empty() && (text.front() == 'v' || text.front() == 'V')) {
        text.remove_prefix(1);
    }
    Version v;
    size_t index = 0;
    while (!text.empty() && index < 3) {
        int n = 0;
        auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
        if (ec != std::errc() || n < 0) {
            return std::nullopt;
        }
        v.parts[index++] = n;
        text.remove_prefix(static_cast<size_t>(ptr - text.data()));
        if (text.empty() || text.front() != '.') {
            break;
        }
        text.remove_prefix(1);
    }
    if (index == 0) {
        return std::nullopt;
    }
    return v;
}

std::string Version::to_string() const {
    return fmt::format("{}.{}.{}", parts[0], parts[1], parts[2]);
}

const char* to_string(ApiGeneration generation) {
    return generation == ApiGeneration::v3 ? "v3" : "classic";
}

std::optional<Version> Capabilities::effective_version() const {
    if (version_unknown()) {
        return kNewestKnownVersion;
    }
    return version;
}

bool Capabilities::has_bulk_client_routes() const {
    const auto v = effective_version();
    return generation == ApiGeneration::v3 && v && *v >= Version{{3, 2, 0}};
}

bool Capabilities::has_client_cycles() const {
    const auto v = effective_version();
    return generation == ApiGeneration::v3 && v && *v > Version{{3, 6, 0}};
}

Capabilities capabilities_from_panel_version(const std::string& panel_version) {
    Capabilities caps;
    caps.version_text = panel_version;
    if (panel_version.empty()) {
        return caps;  // classic: v3.1.0 is the first release that reports it
    }
    caps.generation = ApiGeneration::v3;
    caps.version = Version::parse(panel_version);
    // "dev+<8 hex>" would parse as nothing; a number below 3.1.0 cannot come
    // with a panelVersion, so it is not a release number either.
    if (caps.version && *caps.version < Version{{3, 1, 0}}) {
        caps.version.reset();
    }
    return caps;
}

DepletedRule Capabilities::depleted_rule(bool inbound_has_traffic_reset_field) const {
    if (generation == ApiGeneration::v3) {
        // resetDay joined the predicate after the v3.6.0 tag (§12.11); older
        // v3 panels send no resetDay, which reads as 0, so one rule fits all.
        return DepletedRule::with_reset_day;
    }
    // Classic panels do not report their version. The inbound field
    // trafficReset arrived in v2.8.1 together with the new predicate.
    return inbound_has_traffic_reset_field ? DepletedRule::quota_or_expiry
                                           : DepletedRule::disabled_flag;
}

std::string Capabilities::describe() const {
    if (version_unknown()) {
        return fmt::format(
            "{} (API v3; \"{}\" is not a release number, so xuictl assumes the newest "
            "behaviour it knows, {} or later)",
            version_text.empty() ? std::string("version unknown") : version_text, version_text,
            kNewestKnownVersion.to_string());
    }
    if (generation == ApiGeneration::v3) {
        return fmt::format("{} (API v3)", version->to_string());
    }
    return "classic API (≤ v3.0.x; the panel does not report its version)";
}

}  // namespace xuictl
