#include "context.hpp"

#include <sys/stat.h>

#include <fmt/format.h>
#include <fstream>
#include <iostream>
#include <sstream>

#include "fleet_hint.hpp"
#include "paths.hpp"
#include "store/files.hpp"
#include "store/login_failures.hpp"
#include "store/session_cache.hpp"
#include "ui/display.hpp"
#include "util/exit_code.hpp"
#include "util/fnv1a.hpp"

namespace xuictl {

Result<std::string> read_secret_file(const std::string& path, std::string_view what) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        return make_error(ErrorKind::config,
                          fmt::format("cannot read the {} file '{}'", what, path),
                          "check the path");
    }
    if ((st.st_mode & 077) != 0) {
        // A secret others can read is already leaked; refuse to use it.
        return make_error(ErrorKind::config,
                          fmt::format("the {} file '{}' is readable by other users (mode {:o})",
                                      what, path, st.st_mode & 0777),
                          fmt::format("run: chmod 600 '{}'", path));
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return make_error(ErrorKind::config,
                          fmt::format("cannot open the {} file '{}'", what, path));
    }
    std::stringstream buffer;
    buffer << in.rdbuf();
    std::string secret = buffer.str();
    while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r')) {
        secret.pop_back();
    }
    if (secret.empty()) {
        return make_error(ErrorKind::config, fmt::format("the {} file '{}' is empty", what, path));
    }
    return secret;
}

Context::Context(Env& env, GlobalOptions& global) : m_env(env), m_global(global) {}
Context::~Context() = default;

Format Context::format() const {
    const auto& o = m_global.output;
    if (o == "json") {
        return Format::json;
    }
    if (o == "csv") {
        return Format::csv;
    }
    if (o == "tsv") {
        return Format::tsv;
    }
    if (o == "table") {
        return Format::table;
    }
    return m_env.terminal.stdout_is_tty() ? Format::table : Format::tsv;
}

bool Context::pretty_json() const {
    return m_env.terminal.stdout_is_tty();
}

bool Context::color() const {
    if (m_global.no_color || m_env.getenv("NO_COLOR").has_value()) {
        return false;
    }
    return m_env.terminal.stderr_is_tty();
}

std::string Context::paint(std::string_view text, const char* sgr) const {
    if (!color()) {
        return std::string(text);
    }
    return fmt::format("\x1b[{}m{}\x1b[0m", sgr, text);
}

// Messages quote panel text (emails, remarks, the panel's own error text):
// each passes display(), so none can repaint or rewrite the operator's screen.
void Context::warn(std::string_view message) {
    m_env.err << "xuictl: " << paint("warning:", "33") << " " << display(message) << "\n";
}

void Context::note(std::string_view message) {
    m_env.err << display(message) << "\n";
}

Error Context::with_lockout_warning(Error error) {
    if (!m_session || !m_session->login_refused() || m_login_failure_recorded) {
        return error;
    }
    m_login_failure_recorded = true;
    auto dir = session_cache_dir();
    if (!dir) {
        return error;
    }
    auto count = LoginFailures(*dir, m_session_key).record(m_env.clock.now_ms());
    if (count && *count >= 2) {
        const std::string user = m_identity.user.empty() ? "the user" : m_identity.user;
        error.message += fmt::format(
            "; {} refused logins for {} at {} in the last {} minutes: the panel may have "
            "locked {} out",
            *count, user, m_identity.url(), LoginFailures::kWindowMs / 60000, user);
        error.hint =
            "3x-ui blocks a user and address for 15 minutes after 5 failed logins within 5 "
            "minutes, and then refuses even the right password: wait 15 minutes, then check the "
            "credentials once";
    }
    return error;
}

Error Context::explained(const Error& reported) {
    Error error = with_lockout_warning(reported);
    if (!m_fleet_panel.empty()) {
        error.hint = fleet_panel_hint(error.hint, m_fleet_panel);
    }
    return error;
}

std::string Context::advice(std::string_view text) const {
    return m_fleet_panel.empty() ? std::string(text) : fleet_panel_advice(text, m_fleet_panel);
}

int Context::report(const Error& reported) {
    const Error error = explained(reported);
    m_env.err << "xuictl: " << paint("error:", "1;31") << " " << display(error.message);
    if (!error.where.empty()) {
        m_env.err << " (" << display(error.where) << ")";
    }
    m_env.err << "\n";
    if (!error.hint.empty()) {
        m_env.err << "hint: " << display(error.hint) << "\n";
    }
    m_env.err.flush();
    return exit_code_for(error.kind);
}

int Context::requests_sent() const {
    return m_tracing ? m_tracing->requests_sent() : 0;
}

Result<Resolved> Context::resolve() {
    if (m_resolved) {
        return *m_resolved;
    }
    auto config = this->config();
    if (!config) {
        return config.error();
    }
    auto r = choose_panel(m_global, m_env.getenv, **config, m_config_path);
    if (!r) {
        return r.error();
    }
    m_resolved = r.value();
    return m_resolved.value();
}

Result<const Config*> Context::config() {
    if (m_config) {
        return &*m_config;
    }
    auto path = config_file(m_env);
    if (!path) {
        return path.error();
    }
    auto config = load_config(*path);
    if (!config) {
        return config.error();
    }
    m_config_path = *path;
    m_config = std::move(config.value());
    return &*m_config;
}

std::string Context::panel_description() const {
    const std::string url = m_identity.url();
    if (m_resolved && !m_resolved->profile.empty()) {
        return fmt::format("{} (profile {})", url, m_resolved->profile);
    }
    return url;
}

std::string Context::panel_label() const {
    if (m_resolved && !m_resolved->profile.empty()) {
        return m_resolved->profile;
    }
    return m_identity.host;
}

Result<Credentials> Context::credentials(const Resolved& resolved, const Profile* profile,
                                         const std::string& panel) {
    Credentials c;
    c.username = resolved.username;
    auto read_token = [&c](const std::string& file) -> Status {
        auto token = read_secret_file(file, "token");
        if (!token) {
            return token.error();
        }
        c.token = token.value();
        return ok_status();
    };
    auto read_password = [&c](const std::string& file) -> Status {
        auto password = read_secret_file(file, "password");
        if (!password) {
            return password.error();
        }
        c.password = password.value();
        return ok_status();
    };
    // One place gives the secret (panel_choice.hpp): the same place as the
    // URL, or one that names no other panel.
    Status read = ok_status();
    switch (resolved.secrets) {
        case SecretPlace::command_line:
            if (!m_global.token_file.empty()) {
                read = read_token(m_global.token_file);
            } else if (!m_global.password_file.empty()) {
                read = read_password(m_global.password_file);
            } else {
                c.password_source = [this]() -> Result<std::string> {
                    std::string line;
                    if (!std::getline(m_env.in, line)) {
                        return make_error(ErrorKind::usage,
                                          "--password-stdin: nothing on standard input");
                    }
                    if (!line.empty() && line.back() == '\r') {
                        line.pop_back();
                    }
                    return line;
                };
            }
            break;
        case SecretPlace::profile:
            if (!profile->token_file.empty()) {
                read = read_token(profile->token_file);
            } else if (!profile->password_file.empty()) {
                read = read_password(profile->password_file);
            } else {
                c.password = profile->password;
            }
            break;
        case SecretPlace::environment:
            if (auto t = m_env.getenv("XUI_TOKEN"); t && !t->empty()) {
                c.token = *t;
            } else {
                c.password = m_env.getenv("XUI_PASSWORD").value_or("");
            }
            break;
        case SecretPlace::none:
            break;
    }
    if (!read) {
        return read.error();
    }
    if (!c.token.empty()) {
        return c;  // a token needs no password and sends no login request
    }
    if (c.username.empty()) {
        return make_error(ErrorKind::usage, "no panel user name given",
                          "set --username, XUI_USERNAME or a profile (or use --token-file)");
    }
    if (c.password.empty() && !c.password_source) {
        // Asked only when a login is actually needed, so a cached session
        // never prompts. The prompt names the panel the password goes to.
        const std::string prompt = fmt::format("Password for {} at {}: ", c.username, panel);
        c.password_source = [this, prompt]() -> Result<std::string> {
            if (!m_env.terminal.can_prompt()) {
                return make_error(
                    ErrorKind::auth, "no password given and no terminal to ask for one",
                    "use --password-file FILE, --password-stdin, XUI_PASSWORD, a profile "
                    "or --token-file (there is no --password flag: argv is visible in ps)");
            }
            auto answer = m_env.terminal.read_secret(prompt);
            if (!answer) {
                return make_error(ErrorKind::cancelled, "no password entered");
            }
            return *answer;
        };
    }
    if (!m_global.totp_file.empty()) {
        auto code = read_secret_file(m_global.totp_file, "2FA code");
        if (!code) {
            return code.error();
        }
        c.totp_code = code.value();
    } else if (resolved.totp_from_env) {
        c.totp_code = m_env.getenv("XUI_TOTP").value_or("");
    } else {
        const std::string prompt = fmt::format("2FA code for {} at {}: ", c.username, panel);
        c.totp_source = [this, prompt]() -> Result<std::string> {
            if (!m_env.terminal.can_prompt()) {
                return make_error(
                    ErrorKind::auth,
                    "the panel has two-factor authentication on and no 2FA code was given",
                    "give the current code with --totp-file FILE or XUI_TOTP");
            }
            auto answer = m_env.terminal.read_line(prompt);
            if (!answer) {
                return make_error(ErrorKind::cancelled, "no 2FA code entered");
            }
            return *answer;
        };
    }
    return c;
}

Result<std::string> Context::session_cache_dir() {
    auto dir = cache_dir(m_env);
    if (!dir) {
        return dir.error();
    }
    return path_join(*dir, "sessions");
}

Result<PanelApi*> Context::panel() {
    if (m_api) {
        return m_api.get();
    }
    auto resolved = resolve();
    if (!resolved) {
        return resolved.error();
    }
    const Resolved& r = *resolved;
    if (r.conflict) {
        return *r.conflict;  // a secret of another panel: never sent
    }
    if (r.url.empty()) {
        return make_error(
            ErrorKind::usage, "no panel URL given",
            "set --url, XUI_URL or a profile, e.g. https://panel.example.com:2053/secretpath/");
    }
    auto url = PanelUrl::parse(r.url);
    if (!url) {
        return url.error();
    }
    if (!r.pin.empty() && r.pin.rfind("sha256//", 0) != 0) {
        return make_error(ErrorKind::usage, fmt::format("invalid --pin '{}'", r.pin),
                          "expected sha256//BASE64 (the panel's public key hash)");
    }
    const Profile* profile = r.profile.empty() ? nullptr : m_config->find(r.profile);
    m_identity = PanelIdentity::of(*url, r.username);
    auto creds = credentials(r, profile, panel_description());
    if (!creds) {
        return creds.error();
    }
    TransportOptions options;
    options.tls.cacert = r.cacert;
    options.tls.pinned_key = r.pin;
    options.tls.insecure = r.insecure;
    options.total_timeout_ms = static_cast<long>(r.timeout_s * 1000.0);
    options.connect_timeout_ms = std::min(options.total_timeout_ms, 10'000L);
    if (r.insecure) {
        warn(
            "TLS certificates are NOT verified (--insecure or the profile's insecure = true): "
            "anyone on the path can read the password and change data. Use --cacert FILE or "
            "--pin.");
    }
    if (url->scheme() == "http" && url->host() != "127.0.0.1" && url->host() != "localhost" &&
        url->host() != "::1") {
        warn(fmt::format("{} is plain HTTP: the password and cookie travel unencrypted",
                         url->origin()));
    }
    m_transport = m_env.make_transport(options);
    m_tracing = std::make_unique<TracingTransport>(*m_transport, [this](const std::string& line) {
        if (m_global.verbose > 0) {
            m_env.err << "xuictl: " << line << "\n";
        }
    });
    const bool token = !creds->token.empty();
    const uint64_t token_print = fnv1a(creds->token);
    const std::string username = creds->username;
    m_session = std::make_unique<Session>(*m_tracing, url.value(), std::move(creds.value()));
    m_api = std::make_unique<PanelApi>(*m_session);
    if (token) {
        m_identity.user.clear();  // no user logs in with an API token
    }
    // The exact panel and user, never a profile name: a profile edited to
    // another url, or the same name on another machine's config, cannot pick
    // up a session of another panel. Files of older versions (named by
    // profile or host) are never looked up again.
    m_session_key = m_identity.cache_key();
    if (token) {
        // What the panel showed of this token's scope, kept under a
        // fingerprint of the token (never the token): another token of the
        // same panel does not pick it up.
        PanelIdentity keyed = m_identity;
        keyed.user = fmt::format("token-{:016x}", token_print);
        m_session_key = keyed.cache_key();
        if (auto dir = session_cache_dir()) {
            if (auto cached = SessionCache(*dir).load(m_session_key, url->base_url(), "",
                                                      m_env.clock.now_ms());
                cached && cached->token_scope) {
                m_api->assume_token_scope(*cached->token_scope, cached->scope_words);
                m_cached_session = std::move(cached);
            }
        }
    }
    if (!token) {
        if (auto dir = session_cache_dir()) {
            SessionCache cache(*dir);
            if (auto cached =
                    cache.load(m_session_key, url->base_url(), username, m_env.clock.now_ms())) {
                m_session->restore(cached->state);
                if (cached->capabilities) {
                    m_api->assume_capabilities(*cached->capabilities);
                }
                if (cached->slim_list) {
                    m_api->assume_slim_list(*cached->slim_list);
                }
                m_session_from_cache = true;
                m_cached_expiry_ms = cached->expires_ms;
                m_cached_session = std::move(cached);
            }
        }
    }
    return m_api.get();
}

void Context::save_token_facts() {
    const auto scope = m_api->token_scope();
    if (!scope || (m_cached_session && m_cached_session->token_scope == scope &&
                   m_cached_session->scope_words == m_api->scope_words())) {
        return;  // nothing learned
    }
    auto dir = session_cache_dir();
    if (!dir) {
        return;
    }
    CachedSession s;
    s.url = m_session->url().base_url();
    s.token_scope = scope;
    s.scope_words = m_api->scope_words();
    s.expires_ms = m_env.clock.now_ms() + kTokenFactsLifetimeMs;
    if (auto saved = SessionCache(*dir).save(m_session_key, s); !saved) {
        warn("could not cache what the panel showed of the API token: " + saved.error().message);
    }
}

void Context::forget_cached_session() {
    if (m_session) {
        m_session->restore(SessionState{});
    }
    m_session_from_cache = false;
}

Status Context::delete_cached_session() {
    auto dir = session_cache_dir();
    if (!dir) {
        return dir.error();
    }
    if (m_session_key.empty()) {
        return ok_status();
    }
    return SessionCache(*dir).remove(m_session_key);
}

void Context::finish() {
    if (m_session && m_session->uses_token()) {
        save_token_facts();
        return;
    }
    if (!m_session) {
        return;
    }
    auto dir = session_cache_dir();
    if (!dir) {
        return;
    }
    SessionCache cache(*dir);
    if (m_session->has_session() && m_session->login_requests() > 0) {
        (void)LoginFailures(*dir, m_session_key).clear();  // a login worked
    }
    if (!m_session->has_session()) {
        if (m_session_from_cache) {
            (void)cache.remove(m_session_key);
        }
        return;
    }
    CachedSession s;
    s.url = m_session->url().base_url();
    s.username = m_resolved ? m_resolved->username : "";
    s.state = m_session->state();
    s.capabilities = m_api->known_capabilities();
    s.slim_list = m_api->slim_list();
    // The panel does not extend a session on use (§3.2): keep the cached
    // expiry unless this run logged in afresh.
    s.expires_ms = m_session_from_cache && m_session->login_requests() == 0
                       ? m_cached_expiry_ms
                       : m_env.clock.now_ms() + kSessionLifetimeMs;
    if (m_session_from_cache && m_cached_session && s == *m_cached_session) {
        return;  // nothing learned, nothing renewed
    }
    if (auto saved = cache.save(m_session_key, s); !saved) {
        warn("could not cache the session: " + saved.error().message);
    }
}

}  // namespace xuictl
