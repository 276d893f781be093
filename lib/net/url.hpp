#pragma once

#include <string>
#include <string_view>

#include "util/result.hpp"

namespace xuictl {

// A panel address: scheme, authority and the web base path (§2 of
// 3x-ui-api.md). The base path always starts and ends with '/', so routes
// join without double slashes: "https://h:2053/secret/" + "panel/api/...".
class PanelUrl {
public:
    // Accepts "https://host:2053/secret", "https://host:2053/secret/",
    // "http://[::1]:8080". Rejects other schemes, empty hosts, bad ports,
    // queries, fragments and credentials in the URL (they would leak in ps).
    static Result<PanelUrl> parse(std::string_view text);

    const std::string& scheme() const { return m_scheme; }
    const std::string& host() const { return m_host; }  // without brackets
    int port() const { return m_port; }
    const std::string& base_path() const { return m_base_path; }

    // scheme://authority/base/ — the canonical form, always one trailing '/'.
    std::string base_url() const;
    // scheme://authority — without the base path (for control routes).
    std::string origin() const;

    // base_url() + route, where route is relative ("panel/api/inbounds/list").
    // A leading '/' on route is ignored so callers cannot create "//".
    std::string join(std::string_view route) const;

private:
    std::string m_scheme;
    std::string m_host;
    int m_port = 0;
    bool m_port_explicit = false;
    std::string m_base_path = "/";
};

// Percent-encodes one path segment (RFC 3986 unreserved characters stay),
// so an email such as "a b/c@x" becomes "a%20b%2Fc%40x".
std::string encode_path_segment(std::string_view segment);

// application/x-www-form-urlencoded encoding of one value.
std::string encode_form_value(std::string_view value);

}  // namespace xuictl
