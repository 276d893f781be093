#include "store/files.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <random>

namespace xuictl {
namespace {

Error io_error(std::string_view action, const std::string& path, int err) {
    return make_error(ErrorKind::local,
                      fmt::format("cannot {} '{}': {}", action, path, std::strerror(err)),
                      "check the permissions and free space of that directory");
}

Status write_all(int fd, std::string_view data, const std::string& path) {
    size_t off = 0;
    while (off < data.size()) {
        const ssize_t n = ::write(fd, data.data() + off, data.size() - off);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return io_error("write", path, errno);
        }
        off += static_cast<size_t>(n);
    }
    return ok_status();
}

std::string parent_of(const std::string& path) {
    const auto slash = path.find_last_of('/');
    if (slash == std::string::npos) {
        return ".";
    }
    return slash == 0 ? "/" : path.substr(0, slash);
}

}  // namespace

std::string path_join(std::string_view a, std::string_view b) {
    std::string out(a);
    while (!out.empty() && out.back() == '/' && out.size() > 1) {
        out.pop_back();
    }
    while (!b.empty() && b.front() == '/') {
        b.remove_prefix(1);
    }
    if (out.empty()) {
        return std::string(b);
    }
    if (out.back() != '/') {
        out += '/';
    }
    return out + std::string(b);
}

Status ensure_private_dir(const std::string& dir) {
    if (dir.empty()) {
        return make_error(ErrorKind::config, "empty directory path");
    }
    struct stat st {};
    if (::stat(dir.c_str(), &st) == 0) {
        if (!S_ISDIR(st.st_mode)) {
            return make_error(ErrorKind::local, fmt::format("'{}' is not a directory", dir));
        }
        if ((st.st_mode & 077) != 0 && st.st_uid == ::getuid() && ::chmod(dir.c_str(), 0700) != 0) {
            return io_error("restrict permissions of", dir, errno);
        }
        return ok_status();
    }
    const std::string parent = parent_of(dir);
    if (parent != dir && ::access(parent.c_str(), F_OK) != 0) {
        if (auto s = ensure_private_dir(parent); !s) {
            return s;
        }
    }
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
        return io_error("create directory", dir, errno);
    }
    return ok_status();
}

Status write_file_atomic(const std::string& path, std::string_view content, unsigned mode) {
    static thread_local std::mt19937_64 rng{std::random_device{}()};
    const std::string temp = fmt::format("{}.tmp-{}-{:x}", path, ::getpid(), rng());
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        return io_error("create", temp, errno);
    }
    Status written = write_all(fd, content, temp);
    if (written && mode != 0600 && ::fchmod(fd, static_cast<mode_t>(mode)) != 0) {
        written = io_error("set the mode of", temp, errno);
    }
    if (written && ::fsync(fd) != 0) {
        written = io_error("flush", temp, errno);
    }
    ::close(fd);
    if (!written) {
        ::unlink(temp.c_str());
        return written;
    }
    if (::rename(temp.c_str(), path.c_str()) != 0) {
        const int err = errno;
        ::unlink(temp.c_str());
        return io_error("rename into", path, err);
    }
    const int dir_fd = ::open(parent_of(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir_fd >= 0) {
        ::fsync(dir_fd);  // make the rename itself durable
        ::close(dir_fd);
    }
    return ok_status();
}

Result<std::string> read_file(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT) {
            return make_error(ErrorKind::not_found, fmt::format("no file '{}'", path));
        }
        return io_error("open", path, errno);
    }
    std::string out;
    char buffer[65536];
    while (true) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            const int err = errno;
            ::close(fd);
            return io_error("read", path, err);
        }
        if (n == 0) {
            break;
        }
        out.append(buffer, static_cast<size_t>(n));
    }
    ::close(fd);
    return out;
}

}  // namespace xuictl
