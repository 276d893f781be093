#include "fault.hpp"

#include <cstdlib>
#include <cstring>

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>

namespace sandbox {

namespace {

// Address and port of a socket end as text/int (IPv4-mapped addresses unmapped).
bool describe(const sockaddr_storage& ss, std::string& addr, int& port) {
    char buf[INET6_ADDRSTRLEN] = {};
    if (ss.ss_family == AF_INET) {
        sockaddr_in in{};
        std::memcpy(&in, &ss, sizeof in);
        inet_ntop(AF_INET, &in.sin_addr, buf, sizeof buf);
        port = ntohs(in.sin_port);
    } else if (ss.ss_family == AF_INET6) {
        sockaddr_in6 in6{};
        std::memcpy(&in6, &ss, sizeof in6);
        inet_ntop(AF_INET6, &in6.sin6_addr, buf, sizeof buf);
        port = ntohs(in6.sin6_port);
    } else {
        return false;
    }
    addr = buf;
    if (addr.rfind("::ffff:", 0) == 0 && addr.find('.') != std::string::npos) {
        addr = addr.substr(7);
    }
    return true;
}

std::string unmapped(std::string addr) {
    if (addr.rfind("::ffff:", 0) == 0 && addr.find('.') != std::string::npos) {
        addr = addr.substr(7);
    }
    return addr;
}

}  // namespace

void FaultTable::set(const FaultSpec& spec) {
    if (spec.mode == "none") {
        m_rules.clear();
        return;
    }
    m_rules.push_back(spec);
}

std::optional<std::size_t> FaultTable::find(std::string_view raw_path) const {
    for (std::size_t i = 0; i < m_rules.size(); ++i) {
        if (raw_path.find(m_rules[i].path) != std::string_view::npos) {
            return i;
        }
    }
    return std::nullopt;
}

void FaultTable::consume(std::size_t index) {
    FaultSpec& rule = m_rules[index];
    if (rule.count > 0 && --rule.count == 0) {
        m_rules.erase(m_rules.begin() + static_cast<std::ptrdiff_t>(index));
    }
}

std::string malformed_json_body() {
    return R"({"success":true,"msg":"","obj":[{"id":1,"remark":"inbound-1",},]})";
}

std::string truncated_body(const std::string& body) {
    if (body.size() < 2) {
        return "{";
    }
    return body.substr(0, body.size() / 2);
}

bool drop_connection(const httplib::Request& req) {
    DIR* dir = ::opendir("/proc/self/fd");
    if (dir == nullptr) {
        return false;
    }
    const std::string want_peer = unmapped(req.remote_addr);
    bool dropped = false;
    while (const dirent* entry = ::readdir(dir)) {
        const int fd = std::atoi(entry->d_name);
        struct stat st {};
        if (fd <= 2 || ::fstat(fd, &st) != 0 || !S_ISSOCK(st.st_mode)) {
            continue;
        }
        sockaddr_storage peer{};
        sockaddr_storage local{};
        socklen_t peer_len = sizeof peer;
        socklen_t local_len = sizeof local;
        if (::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &peer_len) != 0 ||
            ::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &local_len) != 0) {
            continue;
        }
        std::string peer_addr;
        std::string local_addr;
        int peer_port = 0;
        int local_port = 0;
        if (describe(peer, peer_addr, peer_port) && describe(local, local_addr, local_port) &&
            peer_port == req.remote_port && local_port == req.local_port &&
            peer_addr == want_peer) {
            ::shutdown(fd, SHUT_RDWR);
            dropped = true;
            break;
        }
    }
    ::closedir(dir);
    return dropped;
}

}  // namespace sandbox
