// xuictl __complete inbounds|emails [INBOUND]|profiles|targets|audits — live values for the shell
// completion scripts in completions/. Hidden: an interface between xuictl and
// its own scripts, not a command for people.
//
// A TAB must never hang, prompt or scribble on the terminal, so this command
// prints values or nothing and always exits 0. It connects like any command
// (flags, XUI_* environment, profile, cached session) but can never prompt,
// caps each request at three seconds, and keeps the listing in a per-user
// cache for a minute so repeated TABs cost no request.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <charconv>
#include <memory>
#include <optional>
#include <ostream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "commands/audit/audit_records.hpp"
#include "commands/command.hpp"
#include "commands/completion_cache.hpp"
#include "paths.hpp"
#include "store/config.hpp"
#include "store/files.hpp"

namespace xuictl {
namespace {

constexpr double kCompleteTimeoutS = 3.0;

struct CompleteOptions {
    std::string what;               // inbounds | emails | profiles | targets | audits
    std::vector<std::string> rest;  // [INBOUND] for emails; more is ignored
};

// A terminal that is never one: Context::credentials() cannot prompt.
class NoTerminal final : public Terminal {
public:
    bool stdin_is_tty() const override { return false; }
    bool stdout_is_tty() const override { return false; }
    bool stderr_is_tty() const override { return false; }
    bool has_controlling_tty() const override { return false; }
    std::optional<std::string> read_line(const std::string&) override { return std::nullopt; }
    std::optional<std::string> read_secret(const std::string&) override { return std::nullopt; }
    int width() const override { return 80; }
};

// The listing from a fresh cache file, else from the panel (then cached).
// nullopt on any failure: completion has nothing to offer then.
std::optional<CompletionListing> load_listing(Context& ctx) {
    Env& env = ctx.env();
    GlobalOptions quiet = ctx.global();
    quiet.password_stdin = false;  // stdin is the user's terminal during a TAB
    quiet.verbose = 0;
    quiet.timeout_s = std::min(quiet.timeout_s.value_or(kCompleteTimeoutS), kCompleteTimeoutS);
    // The connection is made in an Env without a terminal, input or error
    // output: a login that needs a password or 2FA code nobody configured
    // fails (before any login request) instead of prompting, and warnings
    // (--insecure, plain HTTP) stay off the user's prompt.
    NoTerminal no_terminal;
    std::ostringstream discarded;
    std::istringstream no_input;
    Env silent{no_terminal, env.out,    discarded,         no_input,
               env.clock,   env.getenv, env.make_transport};
    Context connection(silent, quiet);
    auto resolved = connection.resolve();
    if (!resolved || resolved->url.empty()) {
        return std::nullopt;
    }
    auto url = PanelUrl::parse(resolved->url);
    if (!url) {
        return std::nullopt;
    }
    const auto base = cache_dir(env);
    const std::string dir = base ? completion_cache_dir(*base) : std::string();
    const std::string file = base ? completion_cache_file(dir, url->base_url()) : std::string();
    if (base) {
        if (auto text = read_file(file)) {
            if (auto cached =
                    decode_completion_listing(*text, env.clock.now_ms(), kCompletionCacheTtlMs)) {
                return cached;
            }
        }
    }
    auto panel = connection.panel();
    if (!panel) {
        return std::nullopt;
    }
    auto inbounds = panel.value()->list_inbounds(PanelApi::ListDetail::usage);
    connection.finish();  // keeps a fresh login for the next command, like any command
    if (!inbounds) {
        return std::nullopt;
    }
    CompletionListing listing = completion_listing(*inbounds);
    if (base && ensure_private_dir(dir)) {
        // A cache that cannot be written only costs the next TAB a request.
        static_cast<void>(
            write_file_atomic(file, encode_completion_listing(listing, env.clock.now_ms())));
    }
    return listing;
}

// The profile names in config.toml (no network, no cache needed); with
// `groups`, then each group as "@NAME" (what --profile takes).
void print_profiles(Env& env, bool groups) {
    auto path = config_file(env);
    if (!path) {
        return;
    }
    if (auto config = load_config(*path)) {
        for (const auto& profile : config->profiles) {
            env.out << profile.name << '\n';
        }
        // Groups select several panels: --profile @eu.
        for (const auto& group : config->groups) {
            if (groups) {
                env.out << '@' << group.name << '\n';
            }
        }
    }
}

// Audit ids (also the snapshot ids `traffic restore` takes), newest first,
// each with its command: "<id>\t<command>". No network.
void print_audit_ids(Context& ctx) {
    auto& env = ctx.env();
    auto records = load_audit_records(ctx, true);
    if (!records) {
        return;
    }
    for (auto it = records->rbegin(); it != records->rend(); ++it) {
        env.out << it->entry.id << '\t' << it->entry.command << '\n';
    }
}

int run_complete(Context& ctx, const CompleteOptions& o) {
    if (o.what == "profiles" || o.what == "targets") {
        print_profiles(ctx.env(), o.what == "targets");
        return 0;
    }
    if (o.what == "audits") {
        print_audit_ids(ctx);
        return 0;
    }
    if (o.what != "inbounds" && o.what != "emails") {
        return 0;
    }
    std::optional<int> inbound;
    if (o.what == "emails" && !o.rest.empty()) {
        const std::string& text = o.rest.front();
        int id = 0;
        const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
        if (ec != std::errc() || ptr != text.data() + text.size()) {
            return 0;  // `traffic reset alice@x <TAB>`: no inbound, nothing to offer
        }
        inbound = id;
    }
    const auto listing = load_listing(ctx);
    if (!listing) {
        return 0;
    }
    auto& out = ctx.env().out;
    if (o.what == "inbounds") {
        for (const auto& in : listing->inbounds) {
            out << in.id << '\t' << in.remark << '\n';
        }
        return 0;
    }
    std::set<std::string_view> seen;
    for (const auto& e : listing->emails) {
        if ((!inbound || e.inbound_id == *inbound) && seen.insert(e.email).second) {
            out << e.email << '\n';
        }
    }
    return 0;
}

}  // namespace

void register_complete(CLI::App& root, Dispatch& dispatch) {
    auto o = std::make_shared<CompleteOptions>();
    auto* cmd = root.add_subcommand("__complete", "Live values for the shell completion scripts");
    cmd->group("");  // hidden from --help
    cmd->add_option(
        "what", o->what,
        "inbounds (id<TAB>remark per line), emails, profiles, targets (profiles and @groups) or "
        "audits (id<TAB>command)");
    // Takes any further words, so a newer script asking an older binary gets
    // nothing rather than a usage error.
    cmd->add_option("inbound", o->rest, "Only the emails of this inbound id");
    cmd->callback([&dispatch, o] {
        // A TAB on a fleet line (--profile a,b) gets values or nothing, never
        // the fleet refusal on stderr.
        dispatch.fleet_ok = true;
        dispatch.selected = [o](Context& c) { return run_complete(c, *o); };
    });
}

}  // namespace xuictl
