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

// What the panel can do, detected once per run (and cached with the session).
struct Capabilities {
    ApiGeneration generation = ApiGeneration::classic;
    std::optional<Version> version;  // reported by v3.1.0+ only

    bool operator==(const Capabilities&) const = default;

    // clients/bulkResetTraffic and clients/bulkDel exist (v3.2.0+, §12.1).
    bool has_bulk_client_routes() const;
    // The panel's delDepleted predicate for this version (§7.1, §12.11).
    DepletedRule depleted_rule(bool inbound_has_traffic_reset_field) const;
    // "3.6.0 (API v3)" / "classic (≤ 3.0.x, version not reported)".
    std::string describe() const;
};

}  // namespace xuictl
