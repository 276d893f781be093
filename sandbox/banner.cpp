#include "banner.hpp"

#include <cstdio>

#include <unistd.h>

#include <fmt/format.h>

#include "json_out.hpp"
#include "reply.hpp"
#include "util.hpp"

namespace sandbox {

void print_banner(const Options& opts, const ReadyInfo& ready) {
    std::string out = fmt::format("xuictl-sandbox: 3x-ui {} (api {}) listening on {}\n",
                                  opts.version_text, api_name(opts.api), ready.url);
    out += fmt::format("  username:    {}\n  password:    {}\n", opts.username, opts.password);
    if (opts.totp_secret) {
        out += fmt::format("  2fa secret:  {}\n", *opts.totp_secret);
    }
    if (opts.api_token) {
        out += fmt::format("  api token:   {} (scope {})\n", *opts.api_token, opts.token_scope);
    }
    if (!ready.cacert.empty()) {
        out += fmt::format("  cacert:      {}\n", ready.cacert);
    }
    if (!opts.request_log.empty()) {
        out += fmt::format("  request log: {}\n", opts.request_log);
    }
    out +=
        fmt::format("export XUI_URL={}\nexport XUI_USERNAME={}\nexport XUI_PASSWORD={}\n",
                    shell_quote(ready.url), shell_quote(opts.username), shell_quote(opts.password));
    std::fwrite(out.data(), 1, out.size(), stdout);
    std::fflush(stdout);
}

bool write_info_file(const Options& opts, const ReadyInfo& ready, std::string& error) {
    const auto str = put_field;
    const auto str_or_null = [&str](JsonWriter& w, const char* key, const std::string* value) {
        if (value == nullptr || value->empty()) {
            w.Key(key);
            w.Null();
        } else {
            str(w, key, *value);
        }
    };
    std::string json = to_json([&](JsonWriter& w) {
        w.StartObject();
        str(w, "url", ready.url);
        str(w, "username", opts.username);
        str(w, "password", opts.password);
        str(w, "api", api_name(opts.api));
        str(w, "panel_version", opts.version_text);
        str(w, "emulated_version", opts.version.str());
        str(w, "base_path", opts.base_path);
        w.Key("port");
        w.Int(ready.port);
        w.Key("pid");
        w.Int64(static_cast<std::int64_t>(::getpid()));
        w.Key("tls");
        w.Bool(opts.tls);
        str_or_null(w, "cacert", &ready.cacert);
        str_or_null(w, "totp_secret", opts.totp_secret ? &*opts.totp_secret : nullptr);
        str_or_null(w, "token", opts.api_token ? &*opts.api_token : nullptr);
        str(w, "token_scope", opts.token_scope);
        str_or_null(w, "request_log", &opts.request_log);
        w.EndObject();
    });
    json += '\n';
    return write_file_atomic(opts.info_file, json, error);
}

}  // namespace sandbox
