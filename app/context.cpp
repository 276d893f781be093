#include "context.hpp"

#include <sys/stat.h>

#include <fmt/format.h>
#include <fstream>
#include <iostream>
#include <sstream>

#include "paths.hpp"
#include "store/files.hpp"
#include "store/session_cache.hpp"
#include "ui/display.hpp"
#include "util/exit_code.hpp"

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

int Context::report(const Error& error) {
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
    auto env = [&](const char* name) { return m_env.getenv(name).value_or(""); };
    auto path = config_file(m_env);
    if (!path) {
        return path.error();
    }
    auto config = load_config(*path);
    if (!config) {
        return config.error();
    }
    m_config = std::move(config.value());
    Resolved r;
    r.profile = !m_global.profile.empty() ? m_global.profile : env("XUICTL_PROFILE");
    if (r.profile.empty()) {
        r.profile = m_config->default_profile;
    }
    const Profile* profile = nullptr;
    if (!r.profile.empty()) {
        profile = m_config->find(r.profile);
        if (profile == nullptr) {
            return make_error(ErrorKind::usage,
                              fmt::format("no profile named '{}' in {}", r.profile, *path),
                              "see: xuictl profile list");
        }
    }
    auto pick = [](const std::string& flag, const std::string& env_value, const std::string& prof) {
        return !flag.empty() ? flag : (!env_value.empty() ? env_value : prof);
    };
    r.url = pick(m_global.url, env("XUI_URL"), profile ? profile->url : "");
    r.username = pick(m_global.username, env("XUI_USERNAME"), profile ? profile->username : "");
    r.cacert = pick(m_global.cacert, "", profile ? profile->cacert : "");
    r.pin = pick(m_global.pin, "", profile ? profile->pin : "");
    r.insecure = m_global.insecure || (profile && profile->insecure.value_or(false));
    r.timeout_s =
        m_global.timeout_s.value_or(profile && profile->timeout_s ? *profile->timeout_s : 30.0);
    m_resolved = r;
    return r;
}

Result<Credentials> Context::credentials(const Resolved& resolved, const Profile* profile) {
    Credentials c;
    c.username = resolved.username;
    const std::string token_file =
        !m_global.token_file.empty() ? m_global.token_file : (profile ? profile->token_file : "");
    if (!m_global.token_file.empty()) {
        auto token = read_secret_file(m_global.token_file, "token");
        if (!token) {
            return token.error();
        }
        c.token = token.value();
    } else if (auto t = m_env.getenv("XUI_TOKEN"); t && !t->empty()) {
        c.token = *t;
    } else if (!token_file.empty()) {
        auto token = read_secret_file(token_file, "token");
        if (!token) {
            return token.error();
        }
        c.token = token.value();
    }
    if (!c.token.empty()) {
        return c;  // a token needs no password and sends no login request
    }
    if (c.username.empty()) {
        return make_error(ErrorKind::usage, "no panel user name given",
                          "set --username, XUI_USERNAME or a profile (or use --token-file)");
    }
    // Secrets are read when a login is actually needed, so a cached session
    // never prompts; but files are checked now so mistakes show at once.
    if (!m_global.password_file.empty()) {
        auto password = read_secret_file(m_global.password_file, "password");
        if (!password) {
            return password.error();
        }
        c.password = password.value();
    } else if (m_global.password_stdin) {
        c.password_source = [this]() -> Result<std::string> {
            std::string line;
            if (!std::getline(m_env.in, line)) {
                return make_error(ErrorKind::usage, "--password-stdin: nothing on standard input");
            }
            if (!line.empty() && line.back() == '\r') {
                line.pop_back();
            }
            return line;
        };
    } else if (auto p = m_env.getenv("XUI_PASSWORD"); p && !p->empty()) {
        c.password = *p;
    } else if (profile && !profile->password_file.empty()) {
        auto password = read_secret_file(profile->password_file, "password");
        if (!password) {
            return password.error();
        }
        c.password = password.value();
    } else if (profile && !profile->password.empty()) {
        c.password = profile->password;
    } else {
        const std::string user = c.username;
        c.password_source = [this, user]() -> Result<std::string> {
            if (!m_env.terminal.can_prompt()) {
                return make_error(
                    ErrorKind::auth, "no password given and no terminal to ask for one",
                    "use --password-file FILE, --password-stdin, XUI_PASSWORD, a profile "
                    "or --token-file (there is no --password flag: argv is visible in ps)");
            }
            auto answer = m_env.terminal.read_secret(fmt::format("Password for {}: ", user));
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
    } else if (auto t = m_env.getenv("XUI_TOTP"); t && !t->empty()) {
        c.totp_code = *t;
    } else {
        c.totp_source = [this]() -> Result<std::string> {
            if (!m_env.terminal.can_prompt()) {
                return make_error(
                    ErrorKind::auth,
                    "the panel has two-factor authentication on and no 2FA code was given",
                    "give the current code with --totp-file FILE or XUI_TOTP");
            }
            auto answer = m_env.terminal.read_line("2FA code: ");
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
    auto creds = credentials(r, profile);
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
    const std::string username = creds->username;
    m_session = std::make_unique<Session>(*m_tracing, url.value(), std::move(creds.value()));
    m_api = std::make_unique<PanelApi>(*m_session);
    m_session_key = session_key(r.profile, url->host(), url->port(), url->base_path());
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
    if (!m_session || m_session->uses_token()) {
        return;
    }
    auto dir = session_cache_dir();
    if (!dir) {
        return;
    }
    SessionCache cache(*dir);
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
