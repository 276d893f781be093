#include "router.hpp"

namespace sandbox {

namespace {

// "a/b/" -> {"a", "b", ""}; "" -> {}.
std::vector<std::string_view> split_path(std::string_view path) {
    std::vector<std::string_view> out;
    if (path.empty()) {
        return out;
    }
    std::size_t pos = 0;
    while (true) {
        const auto slash = path.find('/', pos);
        if (slash == std::string_view::npos) {
            out.push_back(path.substr(pos));
            return out;
        }
        out.push_back(path.substr(pos, slash - pos));
        pos = slash + 1;
    }
}

}  // namespace

std::string_view auth_name(AuthKind kind) {
    switch (kind) {
        case AuthKind::cookie:
            return "cookie";
        case AuthKind::bearer:
            return "bearer";
        case AuthKind::none:
            break;
    }
    return "none";
}

const std::string& RequestContext::param(std::string_view name) const {
    static const std::string empty;
    for (const auto& [key, value] : params) {
        if (key == name) {
            return value;
        }
    }
    return empty;
}

void Router::add(std::string method, std::string pattern, Guard guard, unsigned flags,
                 Handler handler) {
    Route route{std::move(method), std::move(pattern), guard, flags, std::move(handler), {}};
    for (auto seg : split_path(route.pattern)) {
        route.segments.emplace_back(seg);
    }
    m_routes.push_back(std::move(route));
}

std::optional<RouteMatch> Router::match(std::string_view method, std::string_view rel_path) const {
    const auto segments = split_path(rel_path);
    std::optional<RouteMatch> best;
    std::vector<bool> best_rank;
    for (const auto& route : m_routes) {
        if (route.method != method || route.segments.size() != segments.size()) {
            continue;
        }
        RouteMatch candidate{&route, {}};
        std::vector<bool> rank;
        bool ok = true;
        for (std::size_t i = 0; i < segments.size() && ok; ++i) {
            const std::string& pat = route.segments[i];
            if (!pat.empty() && pat.front() == ':') {
                ok = !segments[i].empty();
                candidate.params.emplace_back(pat.substr(1), std::string(segments[i]));
                rank.push_back(false);
            } else {
                ok = pat == segments[i];
                rank.push_back(true);
            }
        }
        if (ok && (!best || rank > best_rank)) {
            best = std::move(candidate);
            best_rank = std::move(rank);
        }
    }
    return best;
}

}  // namespace sandbox
