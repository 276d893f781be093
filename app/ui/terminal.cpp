#include "ui/terminal.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>
#include <cerrno>
#include <csignal>
#include <cstdio>

namespace xuictl {
namespace {

// Restores terminal attributes if we are interrupted during a hidden read.
struct termios g_saved_attrs;
volatile sig_atomic_t g_tty_fd = -1;
volatile sig_atomic_t g_interrupted = 0;
// The write end of the prompt's self-pipe: a signal that lands before the
// read starts (after the prompt is shown, before read() is entered) would
// otherwise leave read() blocked until the next key; the byte wakes poll().
volatile sig_atomic_t g_wake_fd = -1;

void on_interrupt(int) {
    if (g_tty_fd >= 0) {
        tcsetattr(g_tty_fd, TCSANOW, &g_saved_attrs);
    }
    g_interrupted = 1;
    if (g_wake_fd >= 0) {
        const char byte = 1;
        [[maybe_unused]] const ssize_t n = ::write(g_wake_fd, &byte, 1);
    }
}

// The self-pipe of one prompt (both ends -1 when it cannot be made: then a
// signal is seen when read() returns, as before).
class WakePipe {
public:
    WakePipe() {
        if (::pipe2(m_fds, O_CLOEXEC | O_NONBLOCK) != 0) {
            m_fds[0] = m_fds[1] = -1;
        }
    }
    ~WakePipe() {
        for (int fd : m_fds) {
            if (fd >= 0) {
                ::close(fd);
            }
        }
    }
    WakePipe(const WakePipe&) = delete;
    WakePipe& operator=(const WakePipe&) = delete;
    int read_end() const { return m_fds[0]; }
    int write_end() const { return m_fds[1]; }

private:
    int m_fds[2] = {-1, -1};
};

class TtyHandle {
public:
    TtyHandle() : m_fd(::open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)) {}
    ~TtyHandle() {
        if (m_fd >= 0) {
            ::close(m_fd);
        }
    }
    TtyHandle(const TtyHandle&) = delete;
    TtyHandle& operator=(const TtyHandle&) = delete;
    int fd() const { return m_fd; }

private:
    int m_fd;
};

void write_all(int fd, const std::string& text) {
    size_t off = 0;
    while (off < text.size()) {
        const ssize_t n = ::write(fd, text.data() + off, text.size() - off);
        if (n <= 0) {
            return;
        }
        off += static_cast<size_t>(n);
    }
}

// Reads up to '\n' byte by byte (so nothing after the line is consumed);
// nullopt on EOF, error or interrupt. Waits in poll() on the terminal and
// `wake_fd` (the self-pipe, -1 if none), so a signal caught at any moment
// ends the wait.
std::optional<std::string> read_until_newline(int fd, int wake_fd) {
    std::string line;
    char c = 0;
    while (true) {
        pollfd fds[2] = {{fd, POLLIN, 0}, {wake_fd, POLLIN, 0}};
        const int ready = ::poll(fds, wake_fd >= 0 ? 2 : 1, -1);
        if (g_interrupted != 0) {
            return std::nullopt;
        }
        if (ready < 0) {
            if (errno == EINTR) {
                continue;  // another signal than ours
            }
            return std::nullopt;
        }
        const ssize_t n = ::read(fd, &c, 1);
        if (n < 0 || g_interrupted != 0) {
            return std::nullopt;
        }
        if (n == 0) {
            return std::nullopt;
        }
        if (c == '\n') {
            break;
        }
        if (c == 4) {  // Ctrl-D in raw-ish modes
            return std::nullopt;
        }
        if (c != '\r') {
            line += c;
        }
        if (line.size() > 4096) {
            return std::nullopt;
        }
    }
    return line;
}

std::optional<std::string> prompt_on_tty(const std::string& prompt, bool hide) {
    TtyHandle tty;
    if (tty.fd() < 0) {
        return std::nullopt;
    }
    g_interrupted = 0;
    WakePipe wake;
    g_wake_fd = wake.write_end();
    struct sigaction action {};
    struct sigaction old_int {};
    struct sigaction old_term {};
    action.sa_handler = on_interrupt;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;  // no SA_RESTART: read() must return on Ctrl-C
    sigaction(SIGINT, &action, &old_int);
    sigaction(SIGTERM, &action, &old_term);

    bool restored_needed = false;
    if (hide && tcgetattr(tty.fd(), &g_saved_attrs) == 0) {
        // Echo goes off before the prompt is shown, and without flushing:
        // a fast typist (or a script on the pty) must neither see the secret
        // echoed nor lose what was typed before the prompt appeared.
        struct termios quiet = g_saved_attrs;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        g_tty_fd = tty.fd();
        tcsetattr(tty.fd(), TCSANOW, &quiet);
        restored_needed = true;
    }
    write_all(tty.fd(), prompt);
    auto line = read_until_newline(tty.fd(), wake.read_end());
    if (restored_needed) {
        tcsetattr(tty.fd(), TCSANOW, &g_saved_attrs);
        g_tty_fd = -1;
        write_all(tty.fd(), "\n");
    }
    if (!line) {
        write_all(tty.fd(), "\n");
    }
    sigaction(SIGINT, &old_int, nullptr);
    sigaction(SIGTERM, &old_term, nullptr);
    g_wake_fd = -1;
    return line;
}

}  // namespace

bool RealTerminal::stdin_is_tty() const {
    return ::isatty(STDIN_FILENO) == 1;
}
bool RealTerminal::stdout_is_tty() const {
    return ::isatty(STDOUT_FILENO) == 1;
}
bool RealTerminal::stderr_is_tty() const {
    return ::isatty(STDERR_FILENO) == 1;
}

bool RealTerminal::has_controlling_tty() const {
    TtyHandle tty;
    return tty.fd() >= 0;
}

std::optional<std::string> RealTerminal::read_line(const std::string& prompt) {
    return prompt_on_tty(prompt, false);
}

std::optional<std::string> RealTerminal::read_secret(const std::string& prompt) {
    return prompt_on_tty(prompt, true);
}

int RealTerminal::width() const {
    struct winsize ws {};
    if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) {
        return ws.ws_col;
    }
    return 80;
}

}  // namespace xuictl
