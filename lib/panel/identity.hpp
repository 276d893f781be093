#pragma once

#include <string>

#include "net/url.hpp"

namespace xuictl {

// Who xuictl talks to, as one value (DESIGN §9 "A panel is an identity"):
// the normalised panel address (scheme, lower-case host, port, base path)
// and the panel user. It keys the session cache and names the panel in plans,
// prompts and audit records. Two spellings of one panel
// ("https://Panel.example:443/x" and "https://panel.example/x/") are equal.
struct PanelIdentity {
    std::string scheme;
    std::string host;  // lower case, without IPv6 brackets
    int port = 0;
    std::string base_path;  // "/" or "/seg/.../"
    std::string user;       // "" with an API token (no user logs in)

    static PanelIdentity of(const PanelUrl& url, std::string user);

    // The same panel address (the user is not compared).
    bool same_panel(const PanelIdentity& other) const;
    bool operator==(const PanelIdentity&) const = default;

    // scheme://host[:port]/base/ — the port only when it is not the scheme's
    // default. Holds no secret (a PanelUrl never carries credentials).
    std::string url() const;
    // A file name for this identity: readable ("https_panel.example_2053_x_admin")
    // plus a hash of the exact identity, so two identities that read alike
    // after the unsafe characters are replaced still get different files.
    std::string cache_key() const;
};

// True when both texts parse as panel URLs of the same panel address.
bool same_panel_url(const std::string& a, const std::string& b);

}  // namespace xuictl
