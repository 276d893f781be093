#pragma once

#include <optional>
#include <string>

namespace xuictl {

// The user's terminal, behind an interface so commands are tested with a
// fake one. Confirmation phrases and secrets are read from the controlling
// terminal (/dev/tty), not from stdin, so `cmd | xuictl ...` cannot answer
// a prompt by accident.
class Terminal {
public:
    virtual ~Terminal() = default;
    virtual bool stdin_is_tty() const = 0;
    virtual bool stdout_is_tty() const = 0;
    virtual bool stderr_is_tty() const = 0;
    // True when a controlling terminal (/dev/tty) can be opened.
    virtual bool has_controlling_tty() const = 0;
    // Whether a prompt may be shown: stdin AND a controlling terminal are
    // terminals. `echo | xuictl ...`, `< /dev/null` and cron all have a
    // stdin that is not one, even when /dev/tty exists (an interactive
    // shell): a script never blocks on, or is answered by, a prompt.
    bool can_prompt() const { return stdin_is_tty() && has_controlling_tty(); }
    // Shows prompt and reads one line with echo; nullopt on EOF or Ctrl-C.
    virtual std::optional<std::string> read_line(const std::string& prompt) = 0;
    // Shows prompt and reads one line without echo (echo restored even on
    // Ctrl-C); nullopt on EOF or Ctrl-C.
    virtual std::optional<std::string> read_secret(const std::string& prompt) = 0;
    // Terminal width for tables (80 when unknown).
    virtual int width() const = 0;
};

// The real terminal: isatty() and /dev/tty.
class RealTerminal final : public Terminal {
public:
    bool stdin_is_tty() const override;
    bool stdout_is_tty() const override;
    bool stderr_is_tty() const override;
    bool has_controlling_tty() const override;
    std::optional<std::string> read_line(const std::string& prompt) override;
    std::optional<std::string> read_secret(const std::string& prompt) override;
    int width() const override;
};

}  // namespace xuictl
