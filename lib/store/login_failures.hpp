#pragma once

#include <cstdint>
#include <string>

#include "util/result.hpp"

namespace xuictl {

// Logins a panel refused, per panel identity, so that a run can tell the
// operator when the panel may have locked the user out: 3x-ui (v3.0.0+)
// blocks a user and address for 15 minutes after 5 failures within 5
// minutes, and then refuses even the right password with the same message
// (3x-ui-api.md §3.1). One file per identity, the failure times in ms, one
// per line: $XDG_CACHE_HOME/xuictl/sessions/<key>.failures.
class LoginFailures {
public:
    // Failures older than this are forgotten (the block lasts 15 minutes).
    static constexpr int64_t kWindowMs = 20LL * 60 * 1000;

    LoginFailures(std::string dir, std::string key);

    // Adds a failure at now_ms; returns how many are recorded in the window.
    Result<int> record(int64_t now_ms) const;
    // A login succeeded: forget them. A missing file is fine.
    Status clear() const;

private:
    std::string m_path;
    std::string m_dir;
};

}  // namespace xuictl
