// xuictl completion bash|zsh|fish — print the shell completion script.
#include <CLI/CLI.hpp>

#include <memory>
#include <ostream>

#include "commands/command.hpp"
#include "commands/completion_scripts.hpp"

namespace xuictl {
namespace {

int run_completion(Context& ctx, const std::string& shell) {
    for (const auto& embedded : kEmbeddedCompletions) {
        if (embedded.shell == shell) {
            ctx.env().out << embedded.script;
            return 0;
        }
    }
    return ctx.report(make_error(ErrorKind::usage, "no completion script for '" + shell + "'",
                                 "choose bash, zsh or fish"));
}

}  // namespace

void register_completion(CLI::App& root, Dispatch& dispatch) {
    auto shell = std::make_shared<std::string>();
    auto* cmd = root.add_subcommand("completion",
                                    "Print the shell completion script for bash, zsh or fish");
    cmd->add_option("shell", *shell, "bash, zsh or fish")
        ->required()
        ->type_name("SHELL")
        ->check(CLI::IsMember({"bash", "zsh", "fish"}));
    cmd->footer(
        "Load it in the running shell:\n"
        "  bash:  source <(xuictl completion bash)     (needs the bash-completion package)\n"
        "  zsh:   source <(xuictl completion zsh)      (after compinit)\n"
        "  fish:  xuictl completion fish | source\n"
        "Packages install the same scripts, so this is only needed for a copied binary.\n"
        "Inbound ids, client emails, profiles and audit ids are completed live. For the\n"
        "panel's values completion connects like any command (options on the line,\n"
        "XUI_* environment, profile, cached session) but never prompts, gives up after\n"
        "3 s, and keeps the list for a minute in $XDG_CACHE_HOME/xuictl/completion/.");
    cmd->callback([&dispatch, shell] {
        dispatch.selected = [shell](Context& c) { return run_completion(c, *shell); };
    });
}

}  // namespace xuictl
