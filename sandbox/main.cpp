// xuictl-sandbox: a loopback emulator of a 3x-ui panel for xuictl's tests.
#include <atomic>
#include <csignal>
#include <cstdio>
#include <exception>
#include <thread>

#include <pthread.h>

#include "options.hpp"
#include "server.hpp"

int main(int argc, char** argv) {
    const auto parsed = sandbox::parse_options(argc, argv);
    if (!parsed.options) {
        return parsed.exit_code;
    }

    // SIGINT/SIGTERM are handled by a dedicated sigwait thread; block them
    // before any other thread exists so every thread inherits the mask.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
    std::signal(SIGPIPE, SIG_IGN);

    try {
        sandbox::Sandbox sandbox(*parsed.options);
        std::atomic<bool> signalled{false};
        std::thread waiter([&] {
            int sig = 0;
            sigwait(&stop_signals, &sig);
            signalled = true;
            sandbox.stop();
        });
        const int rc = sandbox.run();
        if (!signalled) {
            pthread_kill(waiter.native_handle(), SIGTERM);
        }
        waiter.join();
        return rc;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "xuictl-sandbox: %s\n", e.what());
        return 1;
    }
}
