#include "context.hpp"

#include <sys/stat.h>

#include <fmt/format.h>
#include <fstream>
#include <iostream>
#include <sstream>

#include "util/exit_code.hpp"

namespace xuictl {

Result<std::string> read_secret_file(const std::string& path, std::string_view what) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        return make_error(ErrorKind::config, fmt::format("cannot read the {} file '{}'", what, path),
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
        return make_error(ErrorKind::config, fmt::format("cannot open the {} file '{}'", what, path));
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

bool Context::color() const {
    if (m_global.no_color || m_env.getenv("NO_COLOR").has_value()) {
        return false;
    }
    return m_env.terminal.stderr_is_tty();
}

void Context::warn(std::string_view message) { m_env.err << "xuictl: warning: " << message << "\n"; }

void Context::note(std::string_view message) { m_env.err << message << "\n"; }

int Context::report(const Error& error) {
    m_env.err << "xuictl: error: " << error.message;
    if (!error.where.empty()) {
        m_env.err << " (" << error.where << ")";
    }
    m_env.err << "\n";
    if (!error.hint.empty()) {
        m_env.err << "hint: " << error.hint << "\n";
    }
    m_env.err.flush();
    return exit_code_for(error.kind);
}

int Context::requests_sent() const { return m_tracing ? m_tracing->requests_sent() : 0; }

Result<Credentials> Context::credentials() {
    Credentials c;
    auto env = [&](const char* name) { return m_env.getenv(name).value_or(""); };
    c.username = !m_global.username.empty() ? m_global.username : env("XUI_USERNAME");

    if (!m_global.token_file.empty()) {
        auto token = read_secret_file(m_global.token_file, "token");
        if (!token) {
            return token.error();
        }
        c.token = token.value();
    } else if (auto t = m_env.getenv("XUI_TOKEN"); t && !t->empty()) {
        c.token = *t;
    }
    if (!c.token.empty()) {
        return c;  // a token needs no password and sends no login request
    }

    if (!m_global.password_file.empty()) {
        auto password = read_secret_file(m_global.password_file, "password");
        if (!password) {
            return password.error();
        }
        c.password = password.value();
    } else if (m_global.password_stdin) {
        std::string line;
        if (!std::getline(m_env.in, line)) {
            return make_error(ErrorKind::usage, "--password-stdin: nothing on standard input");
        }
        if (!line.empty() && line.back() == '\r') {
            line.pop_back();
        }
        c.password = line;
    } else if (auto p = m_env.getenv("XUI_PASSWORD"); p && !p->empty()) {
        c.password = *p;
    } else if (m_env.terminal.can_prompt()) {
        auto p2 = m_env.terminal.read_secret(fmt::format("Password for {}: ", c.username));
        if (!p2) {
            return make_error(ErrorKind::cancelled, "no password entered");
        }
        c.password = *p2;
    } else {
        return make_error(ErrorKind::auth, "no password given and no terminal to ask for one",
                          "use --password-file FILE, --password-stdin, XUI_PASSWORD or "
                          "--token-file (there is no --password flag: argv is visible in ps)");
    }
    if (c.username.empty()) {
        return make_error(ErrorKind::usage, "no panel user name given",
                          "set --username or XUI_USERNAME");
    }

    if (!m_global.totp_file.empty()) {
        auto code = read_secret_file(m_global.totp_file, "2FA code");
        if (!code) {
            return code.error();
        }
        c.totp_code = code.value();
    } else if (auto t = m_env.getenv("XUI_TOTP"); t && !t->empty()) {
        c.totp_code = *t;
    }
    return c;
}

Result<PanelApi*> Context::panel() {
    if (m_api) {
        return m_api.get();
    }
    std::string url_text = m_global.url;
    if (url_text.empty()) {
        url_text = m_env.getenv("XUI_URL").value_or("");
    }
    if (url_text.empty()) {
        return make_error(ErrorKind::usage, "no panel URL given",
                          "set --url or XUI_URL, e.g. https://panel.example.com:2053/secretpath/");
    }
    auto url = PanelUrl::parse(url_text);
    if (!url) {
        return url.error();
    }
    auto creds = credentials();
    if (!creds) {
        return creds.error();
    }
    TransportOptions options;
    options.tls.cacert = m_global.cacert;
    options.tls.pinned_key = m_global.pin;
    options.tls.insecure = m_global.insecure;
    options.total_timeout_ms = static_cast<long>(m_global.timeout_s * 1000.0);
    options.connect_timeout_ms = std::min(options.total_timeout_ms, 10'000L);
    if (!m_global.pin.empty() && m_global.pin.rfind("sha256//", 0) != 0) {
        return make_error(ErrorKind::usage, fmt::format("invalid --pin '{}'", m_global.pin),
                          "expected sha256//BASE64 (the panel's public key hash)");
    }
    if (m_global.insecure) {
        warn("--insecure: TLS certificates are NOT verified; anyone on the path can read the "
             "password and change data. Use --cacert FILE or --pin instead.");
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
    m_session = std::make_unique<Session>(*m_tracing, url.value(), std::move(creds.value()));
    m_api = std::make_unique<PanelApi>(*m_session);
    return m_api.get();
}

}  // namespace xuictl
