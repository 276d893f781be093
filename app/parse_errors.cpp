#include "parse_errors.hpp"

#include <algorithm>
#include <cctype>

namespace xuictl {
namespace {

// The subcommand the words so far selected, deepest first ("xuictl traffic").
const CLI::App* deepest(const CLI::App& app) {
    const CLI::App* at = &app;
    for (;;) {
        auto chosen = at->get_subcommands();
        if (chosen.empty()) {
            return at;
        }
        at = chosen.front();
    }
}

// "traffic reset" for a subcommand, "" for the root.
std::string path_of(const CLI::App* app) {
    std::string path;
    for (; app != nullptr && app->get_parent() != nullptr; app = app->get_parent()) {
        path = app->get_name() + (path.empty() ? "" : " " + path);
    }
    return path;
}

// A positional is named by its placeholder (EMAIL), an option by itself.
std::string shown_name(const CLI::App& app, const std::string& name) {
    if (name.empty() || name.front() == '-') {
        return name;
    }
    if (const CLI::Option* opt = app.get_option_no_throw(name); opt != nullptr) {
        std::string type = opt->get_type_name();
        type = type.substr(0, type.find(':'));
        if (!type.empty()) {
            return type;
        }
    }
    std::string upper = name;
    std::transform(upper.begin(), upper.end(), upper.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return upper;
}

std::string visible_commands(const CLI::App& app) {
    std::string out;
    for (const CLI::App* sub : app.get_subcommands([](const CLI::App* s) {
             return !s->get_group().empty();  // hidden ones have no group
         })) {
        out += (out.empty() ? "" : ", ") + sub->get_name();
    }
    return out;
}

}  // namespace

std::string plain_parse_error(const CLI::ParseError& error, const CLI::App& app) {
    const CLI::App& at = *deepest(app);
    const std::string message = error.what();
    const std::string where = path_of(&at);
    if (message.find("subcommand is required") != std::string::npos ||
        message.find("subcommand required") != std::string::npos) {
        const auto extra = app.remaining(true);
        const std::string prefix = where.empty() ? "" : where + " ";
        if (!extra.empty()) {
            return "unknown command '" + prefix + extra.front() + "'";
        }
        return where.empty() ? "a command is required: " + visible_commands(at)
                             : "'" + where + "' needs a command: " + visible_commands(at);
    }
    if (const auto pos = message.find(" is required");
        pos != std::string::npos && pos + 12 == message.size()) {
        return shown_name(at, message.substr(0, pos)) + " is required";
    }
    for (const std::string lead : {"The following arguments were not expected: ",
                                   "The following argument was not expected: "}) {
        if (message.rfind(lead, 0) == 0) {
            return "unexpected argument '" + message.substr(lead.size()) + "'";
        }
    }
    if (dynamic_cast<const CLI::ValidationError*>(&error) != nullptr) {
        const auto colon = message.find(": ");
        if (colon != std::string::npos) {
            const std::string name = shown_name(at, message.substr(0, colon));
            const std::string rest = message.substr(colon + 2);
            // CLI::IsMember: "x not in {a,b,c}".
            const auto not_in = rest.find(" not in {");
            if (not_in != std::string::npos && rest.back() == '}') {
                std::string set = rest.substr(not_in + 9, rest.size() - not_in - 10);
                std::string listed;
                for (char c : set) {
                    listed += c == ',' ? std::string(", ") : std::string(1, c);
                }
                return name + " must be one of " + listed + "; got '" + rest.substr(0, not_in) +
                       "'";
            }
            return rest;  // our validators name the value themselves
        }
    }
    return message;
}

}  // namespace xuictl
