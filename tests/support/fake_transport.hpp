#pragma once

#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "net/http_transport.hpp"

namespace xuictl::test {

// An HttpTransport that answers from a script of expected requests, in order.
// Any request that is not the next expected one is recorded as unexpected and
// answered with a network error, so a test can prove that a declined command
// sent no write: check unexpected().empty() and pending() == 0.
class FakeTransport final : public HttpTransport {
public:
    struct Expectation {
        std::string method;
        std::string path;  // URL path after the origin, e.g. "/panel/api/inbounds/list"
        long status = 200;
        std::string body;
        Headers headers;
    };

    // Queues an expected request and its canned response.
    FakeTransport& expect(std::string method, std::string path, long status, std::string body,
                          Headers headers = {});
    // Convenience: the v3 exchange (csrf-token, getTwoFactorEnable → false, login).
    FakeTransport& expect_login_v3(const std::string& base = "/");
    // Convenience: the classic exchange (csrf-token 404, getTwoFactorEnable, login).
    FakeTransport& expect_login_classic(const std::string& base = "/");

    Result<HttpResponse> send(const HttpRequest& request) override;

    // Called with every request at the moment it is sent, before it is
    // answered: a test looks at local state (audit log, snapshots) exactly
    // when a write leaves, without any timing.
    std::function<void(const HttpRequest&)> on_send;

    const std::vector<HttpRequest>& requests() const { return m_requests; }
    const std::vector<std::string>& unexpected() const { return m_unexpected; }
    size_t pending() const { return m_script.size(); }
    // "METHOD /path" of every request, in order.
    std::vector<std::string> request_lines() const;
    // Requests whose method is POST (writes and login).
    std::vector<std::string> posts() const;

private:
    std::deque<Expectation> m_script;
    std::vector<HttpRequest> m_requests;
    std::vector<std::string> m_unexpected;
};

// Value of the first header with this name (case-insensitive), or nullopt.
std::optional<std::string> request_header(const HttpRequest& request, const std::string& name);

// Path of an absolute URL ("http://h:1/a/b?x" → "/a/b").
std::string url_path(const std::string& url);

// The success envelope {"success":true,"msg":"","obj":<obj_json>}.
std::string ok_envelope(const std::string& obj_json);
std::string fail_envelope(const std::string& msg);

}  // namespace xuictl::test
