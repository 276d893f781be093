#include "interrupt.hpp"

#include <csignal>

namespace xuictl {
namespace {

// Written only by the handler, read by the guard's owner: the one kind of
// variable a signal handler may touch (std::sig_atomic_t, volatile).
volatile std::sig_atomic_t g_caught = 0;

struct sigaction g_old_int {};
struct sigaction g_old_term {};

void on_signal(int signal) {
    if (g_caught == 0) {
        g_caught = signal;
    }
}

}  // namespace

InterruptGuard::InterruptGuard() {
    g_caught = 0;
    struct sigaction action {};
    action.sa_handler = on_signal;
    sigemptyset(&action.sa_mask);
    // Restart file I/O (audit, snapshot) instead of failing it with EINTR;
    // curl retries its own poll() and finishes the request in flight.
    action.sa_flags = SA_RESTART;
    ::sigaction(SIGINT, &action, &g_old_int);
    ::sigaction(SIGTERM, &action, &g_old_term);
}

InterruptGuard::~InterruptGuard() {
    ::sigaction(SIGINT, &g_old_int, nullptr);
    ::sigaction(SIGTERM, &g_old_term, nullptr);
}

int InterruptGuard::caught() const { return g_caught; }

const char* signal_name(int signal) {
    switch (signal) {
        case SIGINT: return "SIGINT";
        case SIGTERM: return "SIGTERM";
        default: return "a signal";
    }
}

}  // namespace xuictl
