#include "net/url.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <cctype>
#include <charconv>

namespace xuictl {
namespace {

Error bad_url(std::string_view text, std::string why) {
    return make_error(ErrorKind::usage, fmt::format("invalid panel URL '{}': {}", text, why),
                      "expected e.g. https://panel.example.com:2053/secretpath/");
}

bool is_unreserved(unsigned char c) {
    return std::isalnum(c) != 0 || c == '-' || c == '.' || c == '_' || c == '~';
}

std::string percent_encode(std::string_view value, bool space_as_plus) {
    std::string out;
    out.reserve(value.size());
    for (char ch : value) {
        const auto c = static_cast<unsigned char>(ch);
        if (is_unreserved(c)) {
            out += ch;
        } else if (space_as_plus && c == ' ') {
            out += '+';
        } else {
            out += fmt::format("%{:02X}", c);
        }
    }
    return out;
}

}  // namespace

Result<PanelUrl> PanelUrl::parse(std::string_view text) {
    PanelUrl url;
    const auto scheme_end = text.find("://");
    if (scheme_end == std::string_view::npos) {
        return bad_url(text, "missing scheme (http:// or https://)");
    }
    std::string scheme(text.substr(0, scheme_end));
    std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (scheme != "http" && scheme != "https") {
        return bad_url(text, fmt::format("unsupported scheme '{}'", scheme));
    }
    url.m_scheme = scheme;
    std::string_view rest = text.substr(scheme_end + 3);
    if (rest.find_first_of("?#") != std::string_view::npos) {
        return bad_url(text, "a query or fragment is not allowed");
    }
    const auto path_start = rest.find('/');
    std::string_view authority = rest.substr(0, path_start);
    std::string_view path =
        path_start == std::string_view::npos ? std::string_view("/") : rest.substr(path_start);
    if (authority.find('@') != std::string_view::npos) {
        // Credentials in the URL would be visible in `ps` and shell history;
        // the message must not repeat them either.
        const std::string shown = std::string(text.substr(0, scheme_end + 3)) + "***@" +
                                  std::string(rest.substr(authority.rfind('@') + 1));
        return bad_url(shown, "credentials in the URL are not allowed; use --password-file");
    }
    std::string_view port_text;
    if (!authority.empty() && authority.front() == '[') {
        const auto close = authority.find(']');
        if (close == std::string_view::npos) {
            return bad_url(text, "unterminated IPv6 address");
        }
        url.m_host = std::string(authority.substr(1, close - 1));
        std::string_view after = authority.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':') {
                return bad_url(text, "unexpected text after IPv6 address");
            }
            port_text = after.substr(1);
            url.m_port_explicit = true;
        }
    } else {
        const auto colon = authority.rfind(':');
        if (colon != std::string_view::npos) {
            url.m_host = std::string(authority.substr(0, colon));
            port_text = authority.substr(colon + 1);
            url.m_port_explicit = true;
        } else {
            url.m_host = std::string(authority);
        }
    }
    if (url.m_host.empty()) {
        return bad_url(text, "missing host");
    }
    for (char ch : url.m_host) {
        const auto c = static_cast<unsigned char>(ch);
        if (std::isspace(c) != 0 || c < 0x20) {
            return bad_url(text, "the host contains whitespace or control characters");
        }
    }
    if (url.m_port_explicit) {
        int port = 0;
        const auto* first = port_text.data();
        const auto* last = port_text.data() + port_text.size();
        auto [ptr, ec] = std::from_chars(first, last, port);
        if (port_text.empty() || ec != std::errc() || ptr != last || port < 1 || port > 65535) {
            return bad_url(text, fmt::format("invalid port '{}' (1-65535)", port_text));
        }
        url.m_port = port;
    } else {
        url.m_port = scheme == "https" ? 443 : 80;
    }
    // Collapse repeated slashes and normalise to "/seg/seg/" like 3x-ui's
    // GetBasePath does, so joining never produces "//".
    std::string base = "/";
    size_t i = 0;
    while (i < path.size()) {
        while (i < path.size() && path[i] == '/') {
            ++i;
        }
        const auto end = path.find('/', i);
        std::string_view segment = path.substr(i, end == std::string_view::npos ? end : end - i);
        if (!segment.empty()) {
            for (char ch : segment) {
                const auto c = static_cast<unsigned char>(ch);
                if (std::isspace(c) != 0 || c < 0x20) {
                    return bad_url(text, "the base path contains whitespace");
                }
            }
            base += std::string(segment) + "/";
        }
        if (end == std::string_view::npos) {
            break;
        }
        i = end;
    }
    url.m_base_path = base;
    return url;
}

std::string PanelUrl::origin() const {
    const bool v6 = m_host.find(':') != std::string::npos;
    std::string host = v6 ? "[" + m_host + "]" : m_host;
    if (m_port_explicit) {
        return fmt::format("{}://{}:{}", m_scheme, host, m_port);
    }
    return fmt::format("{}://{}", m_scheme, host);
}

std::string PanelUrl::base_url() const {
    return origin() + m_base_path;
}

std::string PanelUrl::join(std::string_view route) const {
    while (!route.empty() && route.front() == '/') {
        route.remove_prefix(1);
    }
    return base_url() + std::string(route);
}

std::string encode_path_segment(std::string_view segment) {
    return percent_encode(segment, false);
}

std::string encode_form_value(std::string_view value) {
    return percent_encode(value, true);
}

}  // namespace xuictl
