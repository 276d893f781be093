#pragma once

namespace xuictl {

// Catches SIGINT and SIGTERM while alive, so that a write to the panel is
// never cut off half-way by Ctrl-C or `kill`: the request in flight finishes
// (or fails), no further request is sent, and the outcome is recorded. The
// previous handlers come back on destruction. One guard at a time; install
// it only around a write, so Ctrl-C stays immediate everywhere else.
class InterruptGuard {
public:
    InterruptGuard();
    ~InterruptGuard();
    InterruptGuard(const InterruptGuard&) = delete;
    InterruptGuard& operator=(const InterruptGuard&) = delete;

    // The first signal caught since construction (SIGINT or SIGTERM), or 0.
    int caught() const;
    bool interrupted() const { return caught() != 0; }
};

// "SIGINT", "SIGTERM" (or "a signal").
const char* signal_name(int signal);

}  // namespace xuictl
