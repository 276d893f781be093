#include "global_options.hpp"

#include <CLI/CLI.hpp>

#include "cli_checks.hpp"

namespace xuictl {

void add_global_options(CLI::App& app, GlobalOptions& o) {
    const char* conn = "Panel connection";
    app.add_option("--profile", o.profile,
                   "Use the named panel from config.toml (env XUICTL_PROFILE); a,b or @group: "
                   "several (reads, collect, destructive commands, schedule)")
        ->type_name("NAME")
        ->group(conn);
    app.add_flag("--all-profiles", o.all_profiles,
                 "Every profile in config.toml (a fleet: one row or result per panel)")
        ->group(conn);
    app.add_option("--parallel", o.parallel, "Panels of a fleet read at once (default 4)")
        ->type_name("N")
        ->check(whole_number("--parallel"))
        ->check(number_from(1, 64, "--parallel"))
        ->group(conn);
    app.add_option("--url", o.url, "Panel URL with its web base path (env XUI_URL)")
        ->type_name("URL")
        ->group(conn);
    app.add_option("--username", o.username, "Panel user name (env XUI_USERNAME)")
        ->type_name("NAME")->group(conn);
    app.add_option("--password-file", o.password_file,
                   "Read the password from FILE (mode 0600) (env XUI_PASSWORD)")
        ->type_name("FILE")
        ->group(conn);
    app.add_flag("--password-stdin", o.password_stdin, "Read the password from standard input")
        ->group(conn);
    app.add_option("--token-file", o.token_file, "Read an API token from FILE (env XUI_TOKEN)")
        ->type_name("FILE")
        ->group(conn);
    app.add_option("--totp-file", o.totp_file, "Read the 2FA code from FILE (env XUI_TOTP)")
        ->type_name("FILE")
        ->group(conn);
    app.add_option("--cacert", o.cacert, "Trust the PEM certificate(s) in FILE for TLS")
        ->type_name("FILE")
        ->group(conn);
    app.add_option("--pin", o.pin, "Pin the panel's public key: sha256//BASE64")
        ->type_name("PIN")->group(conn);
    app.add_flag("--insecure", o.insecure, "Do not verify TLS certificates (warns every run)")
        ->group(conn);
    app.add_option("--timeout", o.timeout_s, "Seconds per request (default 30)")
        ->type_name("SECONDS")
        ->check(number_from(0.1, 3600.0, "--timeout"))
        ->group(conn);
    const char* out = "Output";
    app.add_option("-o,--output", o.output,
                   "Output format: table, json, csv, tsv (stats also: prometheus)")
        ->type_name("FORMAT")
        ->check(CLI::IsMember({"table", "json", "csv", "tsv", "prometheus"}))
        ->group(out);
    app.add_flag("--bytes", o.bytes, "Show raw byte counts instead of KiB/MiB/GiB")->group(out);
    app.add_flag("--no-color", o.no_color, "No ANSI colours (also env NO_COLOR)")->group(out);
    app.add_flag("-v,--verbose", o.verbose, "Show requests and timings on stderr (secrets redacted)")
        ->group(out);
}

}  // namespace xuictl
