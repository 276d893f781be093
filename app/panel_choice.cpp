#include "panel_choice.hpp"

#include <fmt/format.h>

#include "panel/identity.hpp"

namespace xuictl {
namespace {

bool has_secret(const Profile& p) {
    return !p.token_file.empty() || !p.password_file.empty() || !p.password.empty();
}

}  // namespace

std::string shown_url(const std::string& url) {
    if (auto parsed = PanelUrl::parse(url)) {
        return PanelIdentity::of(*parsed, "").url();
    }
    // Not a valid panel URL: shown as given, but never with credentials.
    const auto scheme_end = url.find("://");
    const size_t start = scheme_end == std::string::npos ? 0 : scheme_end + 3;
    const auto at = url.find('@', start);
    if (at != std::string::npos && at < url.find('/', start)) {
        return url.substr(0, start) + "***" + url.substr(at);
    }
    return url;
}

Result<Resolved> choose_panel(const GlobalOptions& g, const EnvLookup& getenv, const Config& config,
                              const std::string& config_path) {
    auto env = [&](const char* name) { return getenv(name).value_or(""); };
    Resolved r;

    // The profile asked for, and by whom.
    std::string name = g.profile;
    std::string named_by = "--profile";
    if (name.empty()) {
        name = env("XUICTL_PROFILE");
        named_by = "XUICTL_PROFILE";
    }
    const bool is_default = name.empty() && !config.default_profile.empty();
    if (is_default) {
        name = config.default_profile;
        named_by = "the default profile";
    }
    const Profile* profile = nullptr;
    if (!name.empty()) {
        profile = config.find(name);
        if (profile == nullptr) {
            return make_error(ErrorKind::usage,
                              fmt::format("no profile named '{}' in {}", name, config_path),
                              "see: xuictl profile list");
        }
    }
    const bool explicit_profile = !g.profile.empty();
    const std::string env_url = env("XUI_URL");
    const std::string profile_url = profile != nullptr ? profile->url : "";

    // The URL in effect.
    if (!g.url.empty()) {
        r.url = g.url;
        r.url_source = "--url";
    } else if (explicit_profile && !profile_url.empty()) {
        r.url = profile_url;
        r.url_source = fmt::format("profile '{}'", name);
    } else if (!env_url.empty()) {
        r.url = env_url;
        r.url_source = "XUI_URL";
    } else if (!profile_url.empty()) {
        r.url = profile_url;
        r.url_source = fmt::format("profile '{}'", name);
    }
    auto same = [&](const std::string& other) {
        return other == r.url || same_panel_url(other, r.url);
    };

    // Is the profile about this panel? Its secrets go nowhere else.
    if (profile != nullptr && !(profile_url.empty() ? r.url.empty() : same(profile_url))) {
        if (!is_default) {
            const std::string drop =
                named_by == "--profile" ? "drop --profile" : "unset XUICTL_PROFILE";
            return make_error(
                ErrorKind::usage,
                fmt::format("profile '{}' ({}) is the panel {}, but {} gives {}", name, named_by,
                            profile_url.empty() ? "(no url)" : shown_url(profile_url), r.url_source,
                            shown_url(r.url)),
                fmt::format("a profile's password and token are sent only to its own url: drop "
                            "{}, or {}",
                            r.url_source, drop));
        }
        profile = nullptr;  // the default profile is another panel: none of it applies
    }
    if (profile != nullptr) {
        r.profile = profile->name;
    }
    // Is the environment about this panel? (XUI_URL unset: it names none.)
    const bool env_here = env_url.empty() || same(env_url);

    // The secret: the first place that has one.
    const bool cli_secret = !g.token_file.empty() || !g.password_file.empty() || g.password_stdin;
    const bool profile_secret = profile != nullptr && has_secret(*profile);
    const char* env_secret = !env("XUI_TOKEN").empty()      ? "XUI_TOKEN"
                             : !env("XUI_PASSWORD").empty() ? "XUI_PASSWORD"
                                                            : nullptr;
    auto env_conflict = [&](const char* variable) {
        return make_error(
            ErrorKind::usage,
            fmt::format("{} is for XUI_URL {}, but the panel in effect is {} (from {})", variable,
                        shown_url(env_url), shown_url(r.url), r.url_source),
            fmt::format("secrets in the environment are sent only to XUI_URL: give this panel's "
                        "own (--password-file, --password-stdin, --token-file), or unset {}",
                        variable));
    };
    if (cli_secret) {
        r.secrets = SecretPlace::command_line;
    } else if (explicit_profile && profile_secret) {
        r.secrets = SecretPlace::profile;
    } else if (env_secret != nullptr) {
        if (!env_here) {
            r.conflict = env_conflict(env_secret);
        }
        r.secrets = SecretPlace::environment;
    } else if (profile_secret) {
        r.secrets = SecretPlace::profile;
    }
    if (g.totp_file.empty() && !env("XUI_TOTP").empty()) {
        if (!env_here) {
            if (!r.conflict) {
                r.conflict = env_conflict("XUI_TOTP");
            }
        } else {
            r.totp_from_env = true;
        }
    }

    // The user, in the same order (XUI_USERNAME only for its own panel).
    const std::string env_user = env_here ? env("XUI_USERNAME") : "";
    const std::string profile_user = profile != nullptr ? profile->username : "";
    if (!g.username.empty()) {
        r.username = g.username;
    } else if (explicit_profile && !profile_user.empty()) {
        r.username = profile_user;
    } else if (!env_user.empty()) {
        r.username = env_user;
    } else {
        r.username = profile_user;
    }

    auto pick = [](const std::string& flag, const std::string& prof) {
        return !flag.empty() ? flag : prof;
    };
    r.cacert = pick(g.cacert, profile != nullptr ? profile->cacert : "");
    r.pin = pick(g.pin, profile != nullptr ? profile->pin : "");
    r.insecure = g.insecure || (profile != nullptr && profile->insecure.value_or(false));
    r.timeout_s =
        g.timeout_s.value_or(profile != nullptr && profile->timeout_s ? *profile->timeout_s : 30.0);
    return r;
}

}  // namespace xuictl
