#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

#include "support/fake_terminal.hpp"
#include "support/fake_transport.hpp"
#include "support/temp_dir.hpp"
#include "util/clock.hpp"

namespace xuictl::test {

class FixedClock final : public Clock {
public:
    explicit FixedClock(int64_t now) : m_now(now) {}
    int64_t now_ms() const override { return m_now; }

private:
    int64_t m_now;
};

// Fixture clock: 2026-01-01T00:00:00Z. Fixture expiries are relative to it.
inline constexpr int64_t kFixtureNow = 1767225600000;

// Runs the real command tree (xuictl::run) against fakes. The transport is
// owned by the harness, so tests inspect it after the run.
struct Harness {
    // Every run gets its own HOME, so config, session cache and audit log of
    // one test never leak into another (or into the developer's real ones).
    TempDir home;
    Harness() { env["HOME"] = home.str(); }

    FakeTransport transport;
    // A fleet: when not empty, every request goes to the fake of its URL's
    // origin ("https://de1.test:2053"), each panel with its own script (the
    // panels of a fleet are read at once, so one script's order would not
    // hold). A request to any other origin is answered with a network error
    // and recorded in `stray`.
    std::map<std::string, FakeTransport> panels;
    std::vector<std::string> stray;
    FakeTerminal terminal;
    FixedClock clock{kFixtureNow};
    // NO_COLOR keeps expected stderr text free of ANSI codes even with tty = true.
    std::map<std::string, std::string> env{{"NO_COLOR", "1"},
                                           {"XUI_URL", "http://panel.test:2053/"},
                                           {"XUI_USERNAME", "admin"},
                                           {"XUI_PASSWORD", "secret"}};
    std::string stdin_text;
    std::string out;
    std::string err;
    int transports_made = 0;

    int run(std::vector<std::string> args);

    std::mutex stray_lock;
};

// A fixture file from tests/fixtures.
std::string fixture(const std::string& name);

}  // namespace xuictl::test
