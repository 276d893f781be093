#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "env.hpp"
#include "global_options.hpp"
#include "net/tracing_transport.hpp"
#include "panel/identity.hpp"
#include "panel/panel_api.hpp"
#include "panel_choice.hpp"
#include "store/config.hpp"
#include "store/session_cache.hpp"
#include "ui/table.hpp"

namespace xuictl {

// What a running command works with: the environment, the parsed global
// options, and a panel connection built on first use (so `xuictl --help`
// and usage errors never touch the network or ask for a password).
class Context {
public:
    Context(Env& env, GlobalOptions& global);
    ~Context();

    Env& env() { return m_env; }
    const GlobalOptions& global() const { return m_global; }
    const Clock& clock() const { return m_env.clock; }

    // The output format: -o, else table on a TTY and tsv in a pipe.
    Format format() const;
    // JSON is indented for a person at a terminal, one line for a pipe or file.
    bool pretty_json() const;
    bool raw_bytes() const { return m_global.bytes; }
    bool color() const;
    // text wrapped in an ANSI SGR sequence ("1;31" = bold red) when colour is
    // on (stderr is a terminal, no --no-color, no NO_COLOR); else text as is.
    std::string paint(std::string_view text, const char* sgr) const;

    // The panel, connected lazily: a cached session is reused (no login
    // request); otherwise the first request logs in.
    Result<PanelApi*> panel();
    // Settings after precedence (panel_choice.hpp); valid after panel() or
    // resolve() succeeded.
    Result<Resolved> resolve();
    // config.toml, read once (an empty Config when there is none).
    Result<const Config*> config();
    // Where config.toml is; valid after config() succeeded.
    const std::string& config_path() const { return m_config_path; }
    // The panel and user this run talks to; valid after panel() succeeded.
    const PanelIdentity& identity() const { return m_identity; }
    // How plans, prompts and records name the panel: "https://h:2053/x/
    // (profile prod)", or the URL alone without a profile.
    std::string panel_description() const;
    // The short name a confirmation phrase uses: the profile, else the host.
    std::string panel_label() const;
    // Drops any cached session so the next request logs in (xuictl login).
    void forget_cached_session();
    // Deletes the cached session file (xuictl logout).
    Status delete_cached_session();
    // Called once after the command: stores the session (cookie, CSRF token,
    // capabilities) for the next run, or deletes a cache that no longer works.
    void finish();

    int requests_sent() const;

    // Prints "xuictl: error: ..." plus where/hint lines (as explained()
    // gives them); returns the exit code.
    int report(const Error& error);
    // The error as this run reports it: after a refused login, counted
    // (from the second in a while it says the panel may have locked the
    // user out); for a panel of a fleet, its hint names the panel
    // (fleet_panel_hint). Call once per error.
    Error explained(const Error& error);
    // This Context is panel `profile` of a fleet (PanelTarget): its hints
    // and advice name the panel (fleet_hint.hpp).
    void set_fleet_panel(std::string profile) { m_fleet_panel = std::move(profile); }
    // Advice text that names xuictl commands (a hint line printed as is):
    // for a panel of a fleet, fleet_panel_advice; else unchanged.
    std::string advice(std::string_view text) const;
    void warn(std::string_view message);
    void note(std::string_view message);  // stderr, not data

private:
    // An API token run: what it learned of the token's scope goes to the
    // session cache (CachedSession::token_scope) when it is news.
    void save_token_facts();
    Result<Credentials> credentials(const Resolved& resolved, const Profile* profile,
                                    const std::string& panel);
    Result<std::string> session_cache_dir();
    // A refused login is counted per panel and user; from the second within
    // LoginFailures::kWindowMs the error says the panel may have locked the
    // user out, and how long to wait.
    Error with_lockout_warning(Error error);

    Env& m_env;
    GlobalOptions& m_global;
    std::string m_fleet_panel;  // set for a panel of a fleet
    std::optional<Config> m_config;
    std::string m_config_path;
    std::optional<Resolved> m_resolved;
    PanelIdentity m_identity;
    std::string m_session_key;
    bool m_session_from_cache = false;
    bool m_login_failure_recorded = false;
    int64_t m_cached_expiry_ms = 0;
    // As loaded: finish() leaves an unchanged cache file alone (no write,
    // no fsync on every cron run).
    std::optional<CachedSession> m_cached_session;
    std::unique_ptr<HttpTransport> m_transport;
    std::unique_ptr<TracingTransport> m_tracing;
    std::unique_ptr<Session> m_session;
    std::unique_ptr<PanelApi> m_api;
};

// Reads a secret from a file: refuses files readable by group or others
// (with chmod advice) and strips one trailing newline.
Result<std::string> read_secret_file(const std::string& path, std::string_view what);

}  // namespace xuictl
