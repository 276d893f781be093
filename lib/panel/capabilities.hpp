#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "model/usage.hpp"

namespace xuictl {

// A panel version "3.6.0" as comparable numbers.
struct Version {
    std::array<int, 3> parts{0, 0, 0};
    static std::optional<Version> parse(std::string_view text);  // "v3.6.0", "3.6"
    auto operator<=>(const Version&) const = default;
    std::string to_string() const;
};

// The two API generations (3x-ui-api.md §1): classic per-inbound client
// routes (≤ v3.0.x) and the /panel/api/clients/* routes (v3.1.0+).
enum class ApiGeneration { classic, v3 };
const char* to_string(ApiGeneration generation);

// The newest 3x-ui release whose behaviour xuictl knows (3x-ui-after-3.6.md §5).
// A v3 panel whose version text is not a release number (a dev-channel build
// reports "dev+<8 hex>", D1) is treated as this release or newer.
inline constexpr Version kNewestKnownVersion{{3, 8, 5}};

// What the panel can do, detected once per run (and cached with the session).
struct Capabilities {
    ApiGeneration generation = ApiGeneration::classic;
    std::optional<Version> version;  // reported by v3.1.0+ only; nullopt when not a release number
    std::string version_text;  // panelVersion as the panel sent it ("dev+02002dc1"), "" if none

    bool operator==(const Capabilities&) const = default;

    // A v3 panel that reported a version xuictl cannot read as a release
    // number: every version-dependent choice takes the newest known
    // semantics, and the plan and `xuictl version` say so.
    bool version_unknown() const { return generation == ApiGeneration::v3 && !version; }
    // The version the semantics are taken from: the reported one, or the
    // newest known one for a v3 panel whose version is unknown.
    std::optional<Version> effective_version() const;
    // clients/bulkResetTraffic and clients/bulkDel exist (v3.2.0+, §12.1;
    // also on a dev build, which is newer than v3.4.1).
    bool has_bulk_client_routes() const;
    // Clients may have their own traffic-reset cycle (trafficReset, after
    // v3.6.0: 5c7ca5b57; also on a version xuictl cannot read).
    bool has_client_cycles() const;
    // The panel's delDepleted predicate for this version (§7.1, §12.11).
    DepletedRule depleted_rule(bool inbound_has_traffic_reset_field) const;
    // "3.6.0 (API v3)" / "classic (≤ 3.0.x, version not reported)" /
    // "dev+02002dc1 (API v3; not a release number: ...)".
    std::string describe() const;
};

// Capabilities from the panelVersion text of server/status ("" when the panel
// sent none). Any panelVersion at all means the v3.1+ API (it was added in
// v3.1.0, 3x-ui-api.md §1): text that is not a release number (dev-channel
// builds, D1) never falls back to classic.
Capabilities capabilities_from_panel_version(const std::string& panel_version);

}  // namespace xuictl
