#include "store/login_failures.hpp"

#include <fmt/format.h>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <sstream>

#include "store/files.hpp"

namespace xuictl {

LoginFailures::LoginFailures(std::string dir, std::string key)
    : m_path(path_join(dir, key + ".failures")), m_dir(std::move(dir)) {}

Result<int> LoginFailures::record(int64_t now_ms) const {
    std::string kept;
    int count = 0;
    if (auto text = read_file(m_path)) {
        std::istringstream lines(*text);
        std::string line;
        while (std::getline(lines, line)) {
            int64_t at = 0;
            auto [ptr, ec] = std::from_chars(line.data(), line.data() + line.size(), at);
            // Unreadable lines and times out of the window are dropped.
            if (ec == std::errc() && ptr == line.data() + line.size() && at <= now_ms &&
                now_ms - at < kWindowMs) {
                kept += line + "\n";
                ++count;
            }
        }
    }
    kept += fmt::format("{}\n", now_ms);
    if (auto d = ensure_private_dir(m_dir); !d) {
        return d.error();
    }
    if (auto s = write_file_atomic(m_path, kept); !s) {
        return s.error();
    }
    return count + 1;
}

Status LoginFailures::clear() const {
    if (std::remove(m_path.c_str()) != 0 && errno != ENOENT) {
        return make_error(ErrorKind::local, fmt::format("cannot delete '{}'", m_path));
    }
    return ok_status();
}

}  // namespace xuictl
