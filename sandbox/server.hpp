#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include <httplib.h>

#include "auth.hpp"
#include "db.hpp"
#include "fault.hpp"
#include "messages.hpp"
#include "options.hpp"
#include "reply.hpp"
#include "request_log.hpp"
#include "router.hpp"
#include "routes.hpp"
#include "tls.hpp"

namespace sandbox {

// The emulated panel: seeded DB, sessions, routes, request log and fault
// rules behind one mutex, served by cpp-httplib (HTTPS with --tls).
class Sandbox {
public:
    // Seeds the DB and prepares the listener; throws std::runtime_error on setup failures.
    explicit Sandbox(Options opts);
    ~Sandbox();
    Sandbox(const Sandbox&) = delete;
    Sandbox& operator=(const Sandbox&) = delete;

    // Binds, announces (cert/info file/banner), then serves until stop().
    // Returns the process exit code.
    int run();
    // Thread-safe; makes run() return.
    void stop();

private:
    struct Outcome {
        Reply reply;
        std::string route;
        AuthKind auth = AuthKind::none;
        bool dropped = false;
    };

    void handle(const httplib::Request& req, httplib::Response& res);
    Outcome serve_panel(const httplib::Request& req, const std::string& raw_path,
                        std::unique_lock<std::mutex>& lock);
    void authenticate(RequestContext& ctx, bool api_path);
    [[nodiscard]] std::optional<Reply> check_guard(const RequestContext& ctx, Guard guard) const;
    [[nodiscard]] Reply unauthenticated_api(bool xhr, const std::string& method) const;
    [[nodiscard]] Reply login_required(bool xhr, const std::string& method) const;
    [[nodiscard]] bool csrf_ok(const RequestContext& ctx) const;
    [[nodiscard]] std::optional<Reply> trailing_slash_redirect(const httplib::Request& req,
                                                               const std::string& raw_path) const;
    void write_reply(Reply reply, bool panel, httplib::Response& res) const;

    Options m_opts;
    Messages m_messages;
    Credentials m_creds;
    Db m_db;
    SessionStore m_sessions;
    LoginLimiter m_limiter;
    Router m_router;
    RequestLog m_log;
    FaultTable m_faults;
    std::unique_ptr<Services> m_services;
    std::unique_ptr<TlsMaterial> m_tls;
    std::unique_ptr<httplib::Server> m_server;
    std::int64_t m_start_ms = 0;
    std::mutex m_mutex;
};

}  // namespace sandbox
