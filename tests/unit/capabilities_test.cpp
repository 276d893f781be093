#include <catch2/catch.hpp>

#include "panel/capabilities.hpp"

using namespace xuictl;

namespace {
Version v(int a, int b, int c) { return Version{{a, b, c}}; }
Capabilities caps(ApiGeneration g, std::optional<Version> version) {
    Capabilities c;
    c.generation = g;
    c.version = version;
    return c;
}
}  // namespace

TEST_CASE("Version parses panel version strings", "[unit][capabilities]") {
    struct Case {
        const char* text;
        Version expected;
    };
    for (const auto& c : {Case{"3.6.0", v(3, 6, 0)}, Case{"v3.6.0", v(3, 6, 0)},
                          Case{"V2.9.4", v(2, 9, 4)}, Case{"3.6", v(3, 6, 0)}, Case{"3", v(3, 0, 0)},
                          Case{"3.10.12", v(3, 10, 12)}, Case{"3.6.0-beta.1", v(3, 6, 0)},
                          Case{"3.6.0.7", v(3, 6, 0)}}) {
        CAPTURE(c.text);
        auto parsed = Version::parse(c.text);
        REQUIRE(parsed.has_value());
        CHECK(*parsed == c.expected);
    }
    for (const char* bad : {"", "v", "abc", "x3.6", " 3.6", "3.x", "3..6", "-1.0", "3.-1"}) {
        CAPTURE(bad);
        CHECK_FALSE(Version::parse(bad).has_value());
    }
    CHECK(v(3, 6, 0).to_string() == "3.6.0");
}

TEST_CASE("Version compares numerically, not as text", "[unit][capabilities]") {
    CHECK(v(3, 10, 0) > v(3, 9, 9));
    CHECK(v(3, 2, 0) >= v(3, 2, 0));
    CHECK(v(3, 1, 9) < v(3, 2, 0));
    CHECK(v(2, 99, 99) < v(3, 0, 0));
    CHECK(v(3, 0, 0) == *Version::parse("v3"));
}

TEST_CASE("has_bulk_client_routes: v3.2.0 and newer only", "[unit][capabilities]") {
    CHECK(caps(ApiGeneration::v3, v(3, 2, 0)).has_bulk_client_routes());
    CHECK(caps(ApiGeneration::v3, v(3, 6, 0)).has_bulk_client_routes());
    CHECK_FALSE(caps(ApiGeneration::v3, v(3, 1, 9)).has_bulk_client_routes());
    CHECK_FALSE(caps(ApiGeneration::v3, v(3, 1, 0)).has_bulk_client_routes());
    // A v3 panel whose version is not a release number (a dev build, after
    // v3.4.1) has them: the newest known semantics.
    CHECK(caps(ApiGeneration::v3, std::nullopt).has_bulk_client_routes());
    CHECK_FALSE(caps(ApiGeneration::classic, v(3, 6, 0)).has_bulk_client_routes());
    CHECK_FALSE(caps(ApiGeneration::classic, std::nullopt).has_bulk_client_routes());
}

TEST_CASE("depleted_rule follows the generation and the trafficReset field", "[unit][capabilities]") {
    CHECK(caps(ApiGeneration::v3, v(3, 1, 0)).depleted_rule(true) == DepletedRule::with_reset_day);
    CHECK(caps(ApiGeneration::v3, v(3, 6, 0)).depleted_rule(false) == DepletedRule::with_reset_day);
    CHECK(caps(ApiGeneration::classic, std::nullopt).depleted_rule(true) ==
          DepletedRule::quota_or_expiry);
    CHECK(caps(ApiGeneration::classic, std::nullopt).depleted_rule(false) ==
          DepletedRule::disabled_flag);
}

TEST_CASE("Capabilities::describe", "[unit][capabilities]") {
    CHECK(caps(ApiGeneration::v3, v(3, 6, 0)).describe() == "3.6.0 (API v3)");
    CHECK(caps(ApiGeneration::classic, std::nullopt).describe() ==
          "classic API (≤ v3.0.x; the panel does not report its version)");
    CHECK(std::string(to_string(ApiGeneration::v3)) == "v3");
    CHECK(std::string(to_string(ApiGeneration::classic)) == "classic");
}
