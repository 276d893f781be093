#include "panel/identity.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdint>

#include "util/fnv1a.hpp"

namespace xuictl {

PanelIdentity PanelIdentity::of(const PanelUrl& url, std::string user) {
    PanelIdentity id;
    id.scheme = url.scheme();
    id.host = url.host();
    // Host names are case-insensitive (RFC 3986 §3.2.2); the base path is not.
    std::transform(id.host.begin(), id.host.end(), id.host.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    id.port = url.port();
    id.base_path = url.base_path();
    id.user = std::move(user);
    return id;
}

bool PanelIdentity::same_panel(const PanelIdentity& other) const {
    return scheme == other.scheme && host == other.host && port == other.port &&
           base_path == other.base_path;
}

std::string PanelIdentity::url() const {
    const bool v6 = host.find(':') != std::string::npos;
    const std::string shown = v6 ? "[" + host + "]" : host;
    const bool default_port =
        (scheme == "https" && port == 443) || (scheme == "http" && port == 80);
    if (default_port) {
        return fmt::format("{}://{}{}", scheme, shown, base_path);
    }
    return fmt::format("{}://{}:{}{}", scheme, shown, port, base_path);
}

std::string PanelIdentity::cache_key() const {
    // Fields are joined with a byte no field can hold, then hashed (FNV-1a 64).
    const std::string exact =
        fmt::format("{}\n{}\n{}\n{}\n{}", scheme, host, port, base_path, user);
    const uint64_t hash = fnv1a(exact);
    std::string readable;
    for (char ch : fmt::format("{}_{}_{}{}{}", scheme, host, port, base_path, user)) {
        const auto c = static_cast<unsigned char>(ch);
        readable += (std::isalnum(c) != 0 || ch == '.' || ch == '-') ? ch : '_';
    }
    if (readable.size() > 120) {
        readable.resize(120);  // file names stay well below NAME_MAX
    }
    return fmt::format("{}-{:016x}", readable, hash);
}

bool same_panel_url(const std::string& a, const std::string& b) {
    auto ua = PanelUrl::parse(a);
    auto ub = PanelUrl::parse(b);
    if (!ua || !ub) {
        return false;
    }
    return PanelIdentity::of(*ua, "").same_panel(PanelIdentity::of(*ub, ""));
}

}  // namespace xuictl
