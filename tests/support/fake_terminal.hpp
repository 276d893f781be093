#pragma once

#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "ui/terminal.hpp"

namespace xuictl::test {

// A scripted terminal: which of stdin, stdout/stderr and the controlling
// terminal (/dev/tty) are terminals, and the answers the "user" types
// (nullopt = EOF/Ctrl-C). Records every prompt shown. A prompt is "shown"
// even when the controlling terminal is off: the fake never refuses, so a
// test proves that xuictl itself did not ask.
class FakeTerminal final : public Terminal {
public:
    bool stdin_tty = false;
    bool output_tty = false;       // stdout and stderr
    bool controlling_tty = false;  // /dev/tty can be opened
    int columns = 100;
    std::deque<std::optional<std::string>> answers;
    std::vector<std::string> prompts;

    // An interactive session (true) or cron (false): all three alike.
    void set_tty(bool on) { stdin_tty = output_tty = controlling_tty = on; }

    bool stdin_is_tty() const override { return stdin_tty; }
    bool stdout_is_tty() const override { return output_tty; }
    bool stderr_is_tty() const override { return output_tty; }
    bool has_controlling_tty() const override { return controlling_tty; }
    std::optional<std::string> read_line(const std::string& prompt) override {
        return next(prompt);
    }
    std::optional<std::string> read_secret(const std::string& prompt) override {
        return next(prompt);
    }
    int width() const override { return columns; }

private:
    std::optional<std::string> next(const std::string& prompt) {
        prompts.push_back(prompt);
        if (answers.empty()) {
            return std::nullopt;
        }
        auto a = answers.front();
        answers.pop_front();
        return a;
    }
};

}  // namespace xuictl::test
