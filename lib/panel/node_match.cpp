#include "panel/node_match.hpp"

#include <algorithm>
#include <cctype>

namespace xuictl {
namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

// normalizeBasePath (internal/web/service/node.go:383-395).
std::string node_base_path(std::string p) {
    const auto first = p.find_first_not_of(" \t\r\n");
    const auto last = p.find_last_not_of(" \t\r\n");
    p = first == std::string::npos ? "" : p.substr(first, last - first + 1);
    if (p.empty()) {
        return "/";
    }
    if (p.front() != '/') {
        p.insert(p.begin(), '/');
    }
    if (p.back() != '/') {
        p.push_back('/');
    }
    return p;
}

}  // namespace

bool node_is_panel(const PanelNode& node, const PanelIdentity& panel) {
    if (node.address.empty() || node.port <= 0 || node.port > 65535) {
        return false;
    }
    // remote.go:159-162: a scheme other than http is dialled as https.
    const std::string scheme = lower(node.scheme) == "http" ? "http" : "https";
    std::string host = node.address;
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
        host = host.substr(1, host.size() - 2);
    }
    if (scheme != panel.scheme || lower(host) != panel.host || node.port != panel.port) {
        return false;
    }
    return node.transitive || node_base_path(node.base_path) == panel.base_path;
}

bool node_syncs_tag(const PanelNode& node, const std::string& tag) {
    if (node.inbound_sync_mode != "selected") {
        return true;
    }
    const std::string prefix = node.id > 0 ? "n" + std::to_string(node.id) + "-" : "";
    for (const auto& t : node.inbound_tags) {
        if (t == tag || (!prefix.empty() && (t == prefix + tag || prefix + t == tag))) {
            return true;
        }
    }
    return false;
}

}  // namespace xuictl
