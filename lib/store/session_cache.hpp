#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "panel/capabilities.hpp"
#include "panel/session.hpp"
#include "panel/token_scope.hpp"
#include "util/result.hpp"

namespace xuictl {

// A logged-in session remembered between runs, so the next command sends no
// login request: $XDG_CACHE_HOME/xuictl/sessions/<key>.json, 0600 in a 0700 dir,
// where key is PanelIdentity::cache_key() (the exact panel and user).
// It holds the cookie, CSRF token and detected capabilities, plus the URL and
// user it belongs to (a cache for another panel or user is ignored).
struct CachedSession {
    std::string url;
    std::string username;
    SessionState state;
    std::optional<Capabilities> capabilities;
    std::optional<bool> slim_list;  // PanelApi::slim_list(): read-only views ask for less
    // An API token run keeps no login, only what the panel showed of the
    // token's scope (PanelApi::token_scope) and its words when it refused it;
    // the file is keyed by a fingerprint of the token (a scope never changes
    // for a token: 3x-ui can only enable, disable or delete one).
    std::optional<TokenScope> token_scope;
    std::string scope_words;
    int64_t expires_ms = 0;

    bool operator==(const CachedSession&) const = default;
};

// What an API token run learned of the token is kept this long.
inline constexpr int64_t kTokenFactsLifetimeMs = 30LL * 24 * 3600 * 1000;

// The panel keeps sessions for sessionMaxAge (default 360 min, §3.2); stay below.
inline constexpr int64_t kSessionLifetimeMs = 350LL * 60 * 1000;

class SessionCache {
public:
    explicit SessionCache(std::string dir);

    // The cached session for key if present, unexpired, and for this url+user.
    // A corrupt file is treated as absent (and will be overwritten).
    std::optional<CachedSession> load(const std::string& key, const std::string& url,
                                      const std::string& username, int64_t now_ms) const;
    Status save(const std::string& key, const CachedSession& session) const;
    // Removes the file; a missing file is fine.
    Status remove(const std::string& key) const;
    std::string path_for(const std::string& key) const;

private:
    std::string m_dir;
};

}  // namespace xuictl
