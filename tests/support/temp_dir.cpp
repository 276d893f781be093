#include "support/temp_dir.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace xuictl::test {

TempDir::TempDir() {
    static int counter = 0;
    const auto base = std::filesystem::temp_directory_path();
    for (;;) {
        m_path = base / ("xuictl-test-" + std::to_string(::getpid()) + "-" +
                         std::to_string(counter++));
        if (std::filesystem::create_directory(m_path)) {
            break;
        }
    }
}

TempDir::~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(m_path, ignored);
}

std::string StateDir::audit() const { return slurp(audit_path()); }

std::vector<std::string> StateDir::audit_lines() const {
    std::vector<std::string> lines = lines_of(audit());
    std::erase(lines, std::string());
    return lines;
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        lines.push_back(line);
    }
    return lines;
}

std::vector<std::filesystem::path> StateDir::snapshots() const {
    std::vector<std::filesystem::path> out;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(snapshots_dir(), ec)) {
        out.push_back(entry.path());
    }
    std::sort(out.begin(), out.end());
    return out;
}

unsigned mode_of(const std::filesystem::path& p) {
    struct stat st {};
    if (::stat(p.c_str(), &st) != 0) {
        return 0;
    }
    return static_cast<unsigned>(st.st_mode) & 0777u;
}

std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

void write_file(const std::filesystem::path& p, const std::string& content, unsigned mode) {
    {
        std::ofstream out(p, std::ios::binary | std::ios::trunc);
        out << content;
    }
    if (::chmod(p.c_str(), static_cast<mode_t>(mode)) != 0) {
        throw std::runtime_error("chmod failed: " + p.string());
    }
}

}  // namespace xuictl::test
