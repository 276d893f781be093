// Drift: the real command tree (build_cli) against what users read and what
// their shells complete. Adding a command, a long option or an allowed option
// value without adding it to completions/xuictl.bash, completions/_xuictl,
// completions/xuictl.fish and man/xuictl.1 fails here, naming what is missing
// where.
//
// Walked: every named subcommand (recursively); every long option, CLI11's
// --help on each command and the root's --version included (both are
// completed and documented, so nothing is skipped for them); and the values
// of options restricted to a set (-o FORMAT, --sort KEY, --once-per PERIOD).
// Skipped: hidden subcommands (empty group, i.e. `__complete`), an internal
// interface between xuictl and its own scripts, not something to complete or
// document; and positional arguments' names, which are not typed.
#include <catch2/catch.hpp>

#include <CLI/CLI.hpp>

#include <cctype>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cli.hpp"
#include "support/harness.hpp"
#include "version.hpp"

#ifndef XUICTL_SOURCE_DIR
#error "XUICTL_SOURCE_DIR must be defined by the build"
#endif

namespace {

struct Surface {
    std::vector<std::vector<std::string>> commands;  // paths: {"inbound", "reset"}
    std::set<std::string> long_options;              // without dashes: "dry-run"
    std::set<std::string> choices;                   // IsMember values: "json", "expiry"
};

// The values of an option's IsMember check ("{table,json,csv}"), if any.
void add_choices(CLI::Option& option, std::set<std::string>& choices) {
    for (int i = 0;; ++i) {
        std::string description;
        try {
            description = option.get_validator(i)->get_description();
        } catch (const CLI::OptionNotFound&) {
            return;  // CLI11 offers no validator count
        }
        if (description.size() < 2 || description.front() != '{' || description.back() != '}') {
            continue;
        }
        std::istringstream values(description.substr(1, description.size() - 2));
        for (std::string value; std::getline(values, value, ',');) {
            choices.insert(value);
        }
    }
}

void walk(CLI::App& app, const std::vector<std::string>& path, Surface& surface) {
    for (CLI::Option* option : app.get_options()) {
        for (const auto& name : option->get_lnames()) {
            surface.long_options.insert(name);
        }
        add_choices(*option, surface.choices);
    }
    for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) {
        if (sub->get_name().empty()) {
            walk(*sub, path, surface);  // an option group: its options belong to app
            continue;
        }
        if (sub->get_group().empty()) {
            continue;  // hidden
        }
        auto sub_path = path;
        sub_path.push_back(sub->get_name());
        surface.commands.push_back(sub_path);
        walk(*sub, sub_path, surface);
    }
}

Surface cli_surface() {
    xuictl::GlobalOptions global;
    xuictl::Dispatch dispatch;
    const auto app = xuictl::build_cli(global, dispatch);
    Surface surface;
    walk(*app, {}, surface);
    return surface;
}

std::string source_file(const std::string& relative) {
    std::ifstream in(std::string(XUICTL_SOURCE_DIR) + "/" + relative, std::ios::binary);
    REQUIRE(in.good());
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// roff escapes '-' as "\-": "dry-run" -> "dry\-run".
std::string roff(const std::string& text) {
    std::string out;
    for (const char c : text) {
        out += c == '-' ? std::string("\\-") : std::string(1, c);
    }
    return out;
}

bool word_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-';
}

// token occurs in text as a whole word: "reset" does not count inside
// "reset-all", "--over" does not count inside "--overwrite". In roff text an
// escaped hyphen ("\-") continues a word too.
bool mentions(const std::string& text, const std::string& token) {
    for (auto at = text.find(token); at != std::string::npos; at = text.find(token, at + 1)) {
        const bool starts = at == 0 || !word_char(text[at - 1]);
        const size_t end = at + token.size();
        const bool ends =
            end >= text.size() || (!word_char(text[end]) && text.compare(end, 2, "\\-") != 0);
        if (starts && ends) {
            return true;
        }
    }
    return false;
}

struct Document {
    const char* path;
    std::string (*option_token)(const std::string& name);
    std::string (*command_token)(const std::string& name);
};

const Document kDocuments[] = {
    {"completions/xuictl.bash", [](const std::string& n) { return "--" + n; },
     [](const std::string& n) { return n; }},
    {"completions/_xuictl", [](const std::string& n) { return "--" + n; },
     [](const std::string& n) { return n; }},
    {"completions/xuictl.fish", [](const std::string& n) { return "-l " + n; },
     [](const std::string& n) { return n; }},
    {"man/xuictl.1", [](const std::string& n) { return roff("--" + n); },
     [](const std::string& n) { return roff(n); }},
};

}  // namespace

TEST_CASE("the CLI tree has the commands the drift test must see", "[drift]") {
    const Surface surface = cli_surface();
    // Guards the walk itself: an empty or hidden-only walk would pass vacuously.
    CHECK(surface.commands.size() >= 14);
    CHECK(surface.long_options.count("dry-run") == 1);
    CHECK(surface.long_options.count("url") == 1);
    CHECK(surface.choices.count("json") == 1);    // -o
    CHECK(surface.choices.count("expiry") == 1);  // --sort
    for (const auto& path : surface.commands) {
        CHECK(path.front() != "__complete");
    }
}

TEST_CASE("every command and long option is completed and documented", "[drift]") {
    const Surface surface = cli_surface();
    for (const auto& document : kDocuments) {
        const std::string text = source_file(document.path);
        INFO("in " << document.path);
        for (const auto& path : surface.commands) {
            INFO("command: xuictl " << path.back() << " (path depth " << path.size() << ")");
            CHECK(mentions(text, document.command_token(path.back())));
        }
        for (const auto& name : surface.long_options) {
            INFO("option: --" << name);
            CHECK(mentions(text, document.option_token(name)));
        }
        for (const auto& value : surface.choices) {
            INFO("option value: " << value);
            CHECK(mentions(text, document.command_token(value)));
        }
    }
}

TEST_CASE("the man page names every command by its full path", "[drift]") {
    const std::string page = source_file("man/xuictl.1");
    for (const auto& path : cli_surface().commands) {
        std::string full;
        for (const auto& word : path) {
            full += (full.empty() ? "" : " ") + roff(word);
        }
        INFO("man/xuictl.1 lacks: " << full);
        CHECK(mentions(page, full));
    }
}

TEST_CASE("the man page is for this version", "[drift]") {
    const std::string page = source_file("man/xuictl.1");
    const std::string footer = std::string("\"xuictl ") + xuictl::kVersion + "\"";
    INFO("man/xuictl.1 .TH should name " << footer);
    CHECK(page.find(footer) != std::string::npos);
}

TEST_CASE("xuictl completion prints the files in completions/ unchanged", "[drift]") {
    const std::pair<const char*, const char*> shells[] = {
        {"bash", "completions/xuictl.bash"},
        {"zsh", "completions/_xuictl"},
        {"fish", "completions/xuictl.fish"},
    };
    for (const auto& [shell, file] : shells) {
        xuictl::test::Harness h;
        INFO("xuictl completion " << shell);
        REQUIRE(h.run({"completion", shell}) == 0);
        CHECK(h.out == source_file(file));
        CHECK(h.err.empty());
        CHECK(h.transports_made == 0);
    }
    xuictl::test::Harness h;
    CHECK(h.run({"completion", "tcsh"}) == 2);
}
