#include "options.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <regex>
#include <sstream>
#include <string_view>
#include <type_traits>

#include <arpa/inet.h>
#include <fmt/format.h>
#include <rapidjson/document.h>

#include "totp.hpp"
#include "util.hpp"

namespace sandbox {

namespace {

constexpr std::string_view k_usage = R"(usage: xuictl-sandbox [options]
  --api classic|v3            API generation (default v3)
  --panel-version X.Y.Z       emulated 3x-ui release (default 3.6.0 for v3, 2.9.4 for classic);
                              dev+<hex> is a dev-channel build: reports that text, emulates 3.8.5
  --base-path /secret/        web base path (default /)
  --host 127.0.0.1            loopback address to bind (127.0.0.0/8, localhost, ::1)
  --port 0                    TCP port (0 = pick a free one)
  --inbounds N                seeded inbounds (default 3)
  --clients M                 seeded clients per inbound (default 8)
  --seed S                    PRNG seed for the demo data (default 1)
  --emails-file FILE          a JSON array of strings: the first seeded clients' emails
                              (any text: control characters, quotes, shell metacharacters)
  --username admin            admin user name
  --password-file FILE        admin password (first line; default "admin")
  --tls                       serve HTTPS with a generated self-signed certificate
  --cert-out FILE             also write the certificate PEM here
  --2fa                       enable TOTP 2FA with a random secret
  --totp-secret-file FILE     enable TOTP 2FA with this base32 secret
  --api-token                 create a random API token (Bearer, v3.0.0+)
  --token-file FILE           create this API token
  --token-scope SCOPE         the token's scope after 3.6.0: admin (default), monitor, node-sync
  --token-expires-in S        the token expires S seconds after start (<= 0: expired already)
  --nodes N                   a master panel with N nodes (panel/api/nodes/list)
  --node URL                  a master's node at URL, http[s]://HOST:PORT[/BASE/] (repeatable)
  --master-token NAME         a node: a master's node-sync API token NAME exists (after 3.6.0)
  --request-log FILE          append one JSON line per panel request
  --info-file FILE            write connection details as JSON (0600)
  --lockout / --no-lockout    login rate limit (default on for v3.0.0+)
  --fault MODE[:PATH]         start with a fault rule (repeatable)
  --quiet                     no banner
)";

bool parse_int(const std::string& text, long long lo, long long hi, long long& out) {
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc{} && ptr == text.data() + text.size() && out >= lo && out <= hi;
}

// A JSON array of non-empty strings; nullopt when unreadable or anything else.
std::optional<std::vector<std::string>> read_email_list(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return std::nullopt;
    }
    std::ostringstream text;
    text << in.rdbuf();
    rapidjson::Document doc;
    doc.Parse(text.str().c_str(), text.str().size());
    if (doc.HasParseError() || !doc.IsArray()) {
        return std::nullopt;
    }
    std::vector<std::string> out;
    for (const auto& v : doc.GetArray()) {
        if (!v.IsString() || v.GetStringLength() == 0) {
            return std::nullopt;
        }
        out.emplace_back(v.GetString(), v.GetStringLength());
    }
    return out;
}

bool is_loopback_host(std::string& host) {
    if (host == "localhost") {
        return true;
    }
    if (host == "[::1]") {
        host = "::1";
    }
    unsigned char buf[16];
    if (inet_pton(AF_INET6, host.c_str(), buf) == 1) {
        static constexpr unsigned char loopback[16] = {0, 0, 0, 0, 0, 0, 0, 0,
                                                       0, 0, 0, 0, 0, 0, 0, 1};
        return std::equal(std::begin(buf), std::end(buf), std::begin(loopback));
    }
    return inet_pton(AF_INET, host.c_str(), buf) == 1 && buf[0] == 127;
}

std::string normalize_base_path(std::string path) {
    if (path.empty() || path.front() != '/') {
        path.insert(path.begin(), '/');
    }
    if (path.back() != '/') {
        path.push_back('/');
    }
    return path;
}

}  // namespace

bool is_fault_mode(const std::string& mode) {
    static const char* const modes[] = {
        "none",           "http500",         "drop",         "slow",         "expire-session",
        "malformed-json", "truncated-json",  "login-page",   "write-fails",  "reset-reverts",
        "applied-drop",   "applied-http500", "applied-html", "deplete-after"};
    return std::any_of(std::begin(modes), std::end(modes),
                       [&mode](const char* m) { return mode == m; });
}

ParsedOptions parse_options(int argc, char** argv) {
    Options opts;
    std::optional<ApiKind> api;
    std::optional<PanelVersion> version;
    std::optional<bool> lockout;
    bool want_2fa = false;
    bool want_token = false;
    std::string password_file;
    std::string totp_file;
    std::string token_file;
    std::string error;

    const auto bad = [](const std::string& message) {
        std::fprintf(stderr, "xuictl-sandbox: %s\n(see --help)\n", message.c_str());
        return ParsedOptions{std::nullopt, 2};
    };
    const auto number = [&error](long long lo, long long hi, auto& target) {
        return [&error, lo, hi, &target](const std::string& flag, const std::string& v) {
            long long n = 0;
            if (!parse_int(v, lo, hi, n)) {
                error =
                    fmt::format("{}: expected an integer in [{}, {}], got '{}'", flag, lo, hi, v);
                return;
            }
            target = static_cast<std::remove_reference_t<decltype(target)>>(n);
        };
    };
    const auto text = [](std::string& target) {
        return [&target](const std::string&, const std::string& v) { target = v; };
    };

    long long seed = 1;
    using Setter = std::function<void(const std::string&, const std::string&)>;
    const std::map<std::string, Setter, std::less<>> valued = {
        {"--api",
         [&](const std::string& flag, const std::string& v) {
             if (v == "classic") {
                 api = ApiKind::classic;
             } else if (v == "v3") {
                 api = ApiKind::v3;
             } else {
                 error = flag + ": expected classic or v3";
             }
         }},
        {"--panel-version",
         [&](const std::string& flag, const std::string& v) {
             // internal/config/config.go:79-88: a non-tag build reports "dev+" + commit.
             if (v.rfind("dev+", 0) == 0 && v.size() > 4) {
                 version = k_newest_known;
                 opts.version_text = v;
                 return;
             }
             version = parse_version(v);
             if (!version) {
                 error = flag + ": expected X.Y.Z or dev+<hex>, got '" + v + "'";
             }
         }},
        {"--token-scope",
         [&](const std::string& flag, const std::string& v) {
             if (v != "admin" && v != "monitor" && v != "node-sync") {
                 error = flag + ": expected admin, monitor or node-sync";
             }
             opts.token_scope = v;
         }},
        {"--token-expires-in",
         [&](const std::string& flag, const std::string& v) {
             long long n = 0;
             if (!parse_int(v, -1'000'000'000LL, 1'000'000'000LL, n)) {
                 error = flag + ": expected seconds, got '" + v + "'";
             }
             opts.token_expires_in_s = n;
         }},
        {"--nodes", number(0, 100, opts.nodes)},
        {"--master-token", text(opts.master_token)},
        {"--base-path", text(opts.base_path)},
        {"--host", text(opts.host)},
        {"--port", number(0, 65535, opts.port)},
        {"--inbounds", number(0, 100000, opts.inbounds)},
        {"--clients", number(0, 1000000, opts.clients)},
        {"--seed", number(0, std::numeric_limits<long long>::max(), seed)},
        {"--username", text(opts.username)},
        {"--password-file", text(password_file)},
        {"--cert-out", text(opts.cert_out)},
        {"--totp-secret-file", text(totp_file)},
        {"--token-file", text(token_file)},
        {"--request-log", text(opts.request_log)},
        {"--info-file", text(opts.info_file)},
        {"--emails-file",
         [&](const std::string& flag, const std::string& v) {
             if (auto emails = read_email_list(v)) {
                 opts.emails = std::move(*emails);
             } else {
                 error = flag + ": expected a file holding a JSON array of non-empty strings: " + v;
             }
         }},
        {"--node",
         [&](const std::string& flag, const std::string& v) {
             // scheme://host:port[/base/], as a master stores a node
             // (node_contract.go:12-55: scheme, address, port, basePath).
             static const std::regex shape(
                 R"(^(https?)://(\[[0-9A-Fa-f:.]+\]|[^/:\[\]]+):([0-9]{1,5})(/.*)?$)");
             std::smatch m;
             long long port = 0;
             if (!std::regex_match(v, m, shape) || !parse_int(m[3].str(), 1, 65535, port)) {
                 error = flag + ": expected http[s]://HOST:PORT[/BASE/], got '" + v + "'";
                 return;
             }
             Options::NodeAddress node;
             node.scheme = m[1].str();
             node.address = m[2].str();
             if (node.address.front() == '[') {
                 node.address = node.address.substr(1, node.address.size() - 2);
             }
             node.port = static_cast<int>(port);
             node.base_path = m[4].matched ? m[4].str() : "/";
             opts.node_addresses.push_back(std::move(node));
         }},
        {"--fault",
         [&](const std::string& flag, const std::string& v) {
             FaultSpec spec;
             const auto colon = v.find(':');
             spec.mode = v.substr(0, colon);
             spec.path = colon == std::string::npos ? std::string() : v.substr(colon + 1);
             if (!is_fault_mode(spec.mode)) {
                 error = flag + ": unknown fault mode '" + spec.mode + "'";
             } else if (spec.mode != "none") {
                 opts.faults.push_back(spec);
             }
         }},
    };
    const std::map<std::string, std::function<void()>, std::less<>> switches = {
        {"--tls", [&] { opts.tls = true; }},         {"--2fa", [&] { want_2fa = true; }},
        {"--api-token", [&] { want_token = true; }}, {"--lockout", [&] { lockout = true; }},
        {"--no-lockout", [&] { lockout = false; }},  {"--quiet", [&] { opts.quiet = true; }},
    };

    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg == "--help" || arg == "-h") {
            std::fwrite(k_usage.data(), 1, k_usage.size(), stdout);
            return {std::nullopt, 0};
        }
        std::optional<std::string> inline_value;
        if (const auto eq = arg.find('='); eq != std::string::npos && arg.rfind("--", 0) == 0) {
            inline_value = arg.substr(eq + 1);
            arg.resize(eq);
        }
        if (const auto sw = switches.find(arg); sw != switches.end() && !inline_value) {
            sw->second();
            continue;
        }
        const auto it = valued.find(arg);
        if (it == valued.end()) {
            return bad("unknown option '" + arg + "'");
        }
        if (!inline_value) {
            if (i + 1 >= argc) {
                return bad(arg + " needs a value");
            }
            inline_value = argv[++i];
        }
        it->second(arg, *inline_value);
        if (!error.empty()) {
            return bad(error);
        }
    }
    opts.seed = static_cast<std::uint64_t>(seed);

    // API generation and version (§1): classic < 3.1.0 <= v3. Without --api the
    // generation follows an explicit --panel-version.
    if (!api) {
        api = version && *version < PanelVersion{3, 1, 0} ? ApiKind::classic : ApiKind::v3;
    }
    opts.api = *api;
    opts.version =
        version.value_or(opts.api == ApiKind::v3 ? PanelVersion{3, 6, 0} : PanelVersion{2, 9, 4});
    if (opts.api == ApiKind::classic &&
        (opts.version >= PanelVersion{3, 1, 0} || opts.version < PanelVersion{2, 0, 0})) {
        return bad("--api classic emulates 2.0.0 <= version < 3.1.0, got " + opts.version.str());
    }
    if (opts.api == ApiKind::v3 && opts.version < PanelVersion{3, 1, 0}) {
        return bad("--api v3 requires --panel-version >= 3.1.0, got " + opts.version.str());
    }

    if (!is_loopback_host(opts.host)) {
        return bad("refusing non-loopback --host '" + opts.host +
                   "' (allowed: 127.0.0.0/8, localhost, ::1)");
    }
    if (opts.base_path.find_first_of("?# \t") != std::string::npos) {
        return bad("--base-path contains characters not allowed in a path");
    }
    opts.base_path = normalize_base_path(opts.base_path);
    if (opts.username.empty()) {
        return bad("--username must not be empty");
    }

    if (!password_file.empty()) {
        const auto pw = read_secret_file(password_file);
        if (!pw || pw->empty()) {
            return bad("cannot read a password from " + password_file);
        }
        opts.password = *pw;
    }
    if (!totp_file.empty()) {
        const auto secret = read_secret_file(totp_file);
        if (!secret || !base32_decode(*secret)) {
            return bad("cannot read a base32 TOTP secret from " + totp_file);
        }
        opts.totp_secret = *secret;
    } else if (want_2fa) {
        opts.totp_secret = random_totp_secret();
    }
    if (opts.totp_secret && opts.version < PanelVersion{2, 6, 0}) {
        return bad("2FA (twoFactorCode) exists only from 3x-ui 2.6.0");
    }
    if (!token_file.empty()) {
        const auto token = read_secret_file(token_file);
        if (!token || token->empty()) {
            return bad("cannot read a token from " + token_file);
        }
        opts.api_token = *token;
    } else if (want_token) {
        opts.api_token = random_token(32);
    }
    if ((opts.token_scope != "admin" || opts.token_expires_in_s) && !opts.api_token) {
        return bad("--token-scope and --token-expires-in need --api-token or --token-file");
    }
    if ((opts.token_scope != "admin" || opts.token_expires_in_s) && opts.version < k_after_3_6) {
        return bad("token scopes and expiry exist only after 3x-ui 3.6.0 (1230559e6)");
    }
    if (!opts.master_token.empty() && opts.version < k_after_3_6) {
        return bad("--master-token needs a panel after 3.6.0 (node-sync scope, 1230559e6)");
    }
    if ((opts.nodes > 0 || !opts.node_addresses.empty()) && opts.api != ApiKind::v3) {
        return bad("--nodes and --node need the v3 API (panel/api/nodes, v3.1.0+)");
    }
    if (opts.version_text.empty()) {
        opts.version_text = opts.version.str();
    } else if (opts.api != ApiKind::v3) {
        return bad("a dev-channel build (" + opts.version_text + ") speaks the v3 API");
    }
    opts.lockout = lockout.value_or(opts.version >= PanelVersion{3, 0, 0});
    return {opts, 0};
}

}  // namespace sandbox
