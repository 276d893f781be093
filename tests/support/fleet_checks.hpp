#pragma once

// Checks shared by the fleet command tests (several fake panels, one per
// origin: Harness::panels).
#include <catch2/catch.hpp>

#include <rapidjson/document.h>

#include <string>
#include <vector>

#include "support/harness.hpp"

namespace xuictl::test {

// Runs xuictl; a failing check shows what it said.
inline int run_logged(Harness& h, const std::vector<std::string>& args) {
    const int code = h.run(args);
    UNSCOPED_INFO("stdout: " << h.out << "\nstderr: " << h.err);
    return code;
}

// Every panel got exactly its script; nothing went anywhere else.
inline void check_fleet_sent(Harness& h) {
    for (auto& [origin, t] : h.panels) {
        INFO(origin);
        CHECK(t.unexpected().empty());
        CHECK(t.pending() == 0);
    }
    CHECK(h.stray.empty());
}

// A JSON document the test requires to parse.
inline rapidjson::Document parse_json(const std::string& text) {
    rapidjson::Document d;
    d.Parse(text.c_str(), text.size());
    REQUIRE_FALSE(d.HasParseError());
    return d;
}

}  // namespace xuictl::test
