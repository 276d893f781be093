#pragma once

#include <cstdint>
#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <httplib.h>

namespace sandbox {

// One panel request as tests see it (never written for /__sandbox/ routes).
struct RequestLogEntry {
    std::string method;
    std::string path;  // raw path as received (percent-encoding kept), without the query
    std::string query;
    int status = 0;     // 0 when the connection was dropped by a fault
    std::string auth;   // "cookie" | "bearer" | "none"
    bool csrf = false;  // an X-CSRF-Token header was present
    std::string route;  // matched pattern relative to the base path, "" if none
    std::string body;   // already redacted (see redact_body)
};

// The body as it may be logged: login bodies become "<redacted>"; in other
// JSON or form bodies the values of password, twoFactorCode, _csrf and
// token keys are replaced. Cookies and headers are never logged.
[[nodiscard]] std::string redact_body(std::string_view route, std::string_view raw_path,
                                      const httplib::Request& req);

// Append-only request log: kept in memory (GET /__sandbox/requests) and,
// with --request-log, appended to a file as JSON lines flushed per line.
class RequestLog {
public:
    // Throws std::runtime_error when the file cannot be opened.
    explicit RequestLog(const std::string& file);
    ~RequestLog();
    RequestLog(const RequestLog&) = delete;
    RequestLog& operator=(const RequestLog&) = delete;

    void append(const RequestLogEntry& entry);
    [[nodiscard]] std::string to_json_array() const;
    // Empties the in-memory log and truncates the file; `seq` keeps counting.
    void clear();

private:
    mutable std::mutex m_mutex;
    std::FILE* m_file = nullptr;
    std::vector<std::string> m_lines;
    std::uint64_t m_seq = 0;
};

}  // namespace sandbox
