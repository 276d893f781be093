#pragma once

#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "ui/terminal.hpp"

namespace xuictl::test {

// A scripted terminal: whether it is a TTY, and the answers the "user" types
// (nullopt = EOF/Ctrl-C). Records every prompt shown.
class FakeTerminal final : public Terminal {
public:
    bool tty = false;
    int columns = 100;
    std::deque<std::optional<std::string>> answers;
    std::vector<std::string> prompts;

    bool stdin_is_tty() const override { return tty; }
    bool stdout_is_tty() const override { return tty; }
    bool stderr_is_tty() const override { return tty; }
    bool can_prompt() const override { return tty; }
    std::optional<std::string> read_line(const std::string& prompt) override { return next(prompt); }
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
