#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "env.hpp"
#include "global_options.hpp"
#include "net/tracing_transport.hpp"
#include "panel/panel_api.hpp"
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
    bool raw_bytes() const { return m_global.bytes; }
    bool color() const;

    // The panel, connected and authenticated lazily by its first request.
    Result<PanelApi*> panel();
    // The transport's request counter (for -v summaries).
    int requests_sent() const;

    // Prints "xuictl: error: ..." plus where/hint lines; returns the exit code.
    int report(const Error& error);
    void warn(std::string_view message);
    void note(std::string_view message);  // stderr, not data

private:
    Result<Credentials> credentials();

    Env& m_env;
    GlobalOptions& m_global;
    std::unique_ptr<HttpTransport> m_transport;
    std::unique_ptr<TracingTransport> m_tracing;
    std::unique_ptr<Session> m_session;
    std::unique_ptr<PanelApi> m_api;
};

// Reads a secret from a file: refuses files readable by group or others
// (with chmod advice) and strips one trailing newline.
Result<std::string> read_secret_file(const std::string& path, std::string_view what);

}  // namespace xuictl
