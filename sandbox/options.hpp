#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "version.hpp"

namespace sandbox {

// One fault injection rule (POST /__sandbox/fault or --fault MODE[:PATH]).
struct FaultSpec {
    // none | http500 | drop | slow | expire-session | malformed-json | truncated-json |
    // login-page | write-fails | reset-reverts
    // | applied-drop | applied-http500 | applied-html: a write is applied, then its
    //   answer is lost (connection dropped / empty 500 / an HTML page)
    // | deplete-after: the request is answered, then `email` becomes depleted
    //   (expired, auto-disabled): a client that turns depleted between a plan and its write
    std::string mode;
    std::string path;  // substring of the raw request path; empty = every panel route
    int count = 0;     // triggers left; 0 = until cleared
    int delay_ms = 2000;
    std::string email;  // deplete-after
};

[[nodiscard]] bool is_fault_mode(const std::string& mode);

// The command line, validated and with secrets resolved (files read).
struct Options {
    ApiKind api = ApiKind::v3;
    PanelVersion version{3, 6, 0};  // the behaviour emulated
    std::string version_text;       // panelVersion reported: version.str(), or "dev+<hex>"
    std::string base_path = "/";    // normalised: leading and trailing '/'
    std::string host = "127.0.0.1";
    int port = 0;
    int inbounds = 3;
    int clients = 8;
    std::uint64_t seed = 1;
    // --emails-file: emails the first seeded clients get instead of
    // c<inbound>-<k>@example.test (hostile text for display/quoting tests).
    std::vector<std::string> emails;
    std::string username = "admin";
    std::string password = "admin";  // 3x-ui's own default
    bool tls = false;
    std::string cert_out;
    std::optional<std::string> totp_secret;  // base32; set = 2FA on
    std::optional<std::string> api_token;
    // After v3.6.0 a token has a scope and an expiry (3x-ui-after-3.6.md §2.1,
    // internal/web/controller/api.go:76-153, service/panel/api_token.go:249).
    std::string token_scope = "admin";               // admin | monitor | node-sync
    std::optional<std::int64_t> token_expires_in_s;  // from start; <= 0: already expired
    int nodes = 0;  // a master with this many nodes (panel/api/nodes/list, v3.1.0+)
    // --node URL (repeatable): a master's node at a real address (another
    // sandbox), listed after the --nodes N made-up ones.
    struct NodeAddress {
        std::string scheme;   // http | https
        std::string address;  // host or IP, no brackets
        int port = 0;
        std::string base_path;  // "/..../"
    };
    std::vector<NodeAddress> node_addresses;
    // A node: a master's node-sync API token of this name is listed by
    // panel/api/setting/apiTokens (after 3.6.0); "" = none.
    std::string master_token;
    std::string request_log;
    std::string info_file;
    bool lockout = true;
    bool quiet = false;
    std::vector<FaultSpec> faults;
};

// Parses argv. On --help prints usage and returns exit code 0; on any
// invalid argument prints a message to stderr and returns exit code 2.
struct ParsedOptions {
    std::optional<Options> options;
    int exit_code = 0;
};
[[nodiscard]] ParsedOptions parse_options(int argc, char** argv);

}  // namespace sandbox
