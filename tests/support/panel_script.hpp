#pragma once

#include <string>

#include "support/fake_transport.hpp"
#include "support/harness.hpp"

namespace xuictl::test {

// Canned server/status bodies: v3 reports panelVersion, classic does not.
inline std::string status_v3(const std::string& version = "3.6.0") {
    return ok_envelope(R"({"cpu":1.5,"mem":{"current":1,"total":2},"xray":{"state":"running","version":"25.1.1"},"uptime":10,"panelVersion":")" +
                       version + R"("})");
}
inline std::string status_classic() {
    return ok_envelope(R"({"cpu":1.5,"mem":{"current":1,"total":2},"xray":{"state":"running","version":"25.1.1"},"uptime":10})");
}

// The read phase of a destructive command: login, probe, list.
inline void expect_read_v3(FakeTransport& t, const std::string& version = "3.6.0") {
    t.expect_login_v3();
    t.expect("GET", "/panel/api/server/status", 200, status_v3(version));
    t.expect("GET", "/panel/api/inbounds/list", 200, fixture("inbounds_v3.json"));
}
inline void expect_read_classic(FakeTransport& t) {
    t.expect_login_classic();
    t.expect("GET", "/panel/api/server/status", 200, status_classic());
    t.expect("GET", "/panel/api/inbounds/list", 200, fixture("inbounds_classic.json"));
}

}  // namespace xuictl::test
