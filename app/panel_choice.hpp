#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "global_options.hpp"
#include "store/config.hpp"
#include "util/result.hpp"

namespace xuictl {

// Where the password or token of a run comes from.
enum class SecretPlace {
    none,          // nothing given: a cached session, else a prompt
    command_line,  // --token-file, --password-file, --password-stdin
    profile,       // the profile in effect: token-file, password-file, password
    environment,   // XUI_TOKEN, XUI_PASSWORD
};

// The connection settings of a run, chosen so that the panel and its
// secrets come from the same place (DESIGN §9).
//
// The panel URL, highest first: --url, --profile, XUI_URL, XUICTL_PROFILE,
// the config's default profile. A secret goes only to the panel it belongs
// to: a profile's to the profile's url, the environment's (XUI_PASSWORD,
// XUI_TOKEN, XUI_TOTP) to XUI_URL when that is set; one given on the command
// line goes to the URL in effect. Secrets, highest first: command line,
// --profile, environment, XUICTL_PROFILE or the default profile.
//  - a profile named by --profile or XUICTL_PROFILE whose url is another
//    panel than the URL in effect is a usage error naming both URLs;
//  - the default profile applies only when its url is the URL in effect
//    (or gives it); otherwise none of it is used;
//  - a secret from the environment that would be used while XUI_URL names
//    another panel is a usage error naming both URLs (`conflict`, reported
//    before connecting: commands that send nothing, such as schedule, run).
// Non-secret settings follow the same order (username; cacert, pin,
// insecure and timeout from the command line, else the profile in effect).
struct Resolved {
    std::string profile;     // the profile in effect, "" when none
    std::string url;         // as given
    std::string url_source;  // "--url", "XUI_URL", "profile 'prod'"
    std::string username;
    SecretPlace secrets = SecretPlace::none;
    bool totp_from_env = false;  // XUI_TOTP is for this panel and set
    std::string cacert;
    std::string pin;
    bool insecure = false;
    double timeout_s = 30;
    std::optional<Error> conflict;  // set: no request may be sent
};

using EnvLookup = std::function<std::optional<std::string>(std::string_view)>;

// Applies the rules above. `config_path` only names the file in errors.
Result<Resolved> choose_panel(const GlobalOptions& global, const EnvLookup& env,
                              const Config& config, const std::string& config_path);

// A URL for messages: the normalised form when it parses, else as given.
std::string shown_url(const std::string& url);

}  // namespace xuictl
