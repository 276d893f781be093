#include "support/fake_transport.hpp"

#include <cctype>

namespace xuictl::test {

std::string url_path(const std::string& url) {
    const auto scheme = url.find("://");
    const auto start = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
    if (start == std::string::npos) {
        return "/";
    }
    const auto query = url.find('?', start);
    return url.substr(start, query == std::string::npos ? std::string::npos : query - start);
}

std::optional<std::string> request_header(const HttpRequest& request, const std::string& name) {
    auto lower = [](std::string s) {
        for (auto& c : s) {
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        return s;
    };
    for (const auto& [key, value] : request.headers) {
        if (lower(key) == lower(name)) {
            return value;
        }
    }
    return std::nullopt;
}

std::string ok_envelope(const std::string& obj_json) {
    return R"({"success":true,"msg":"","obj":)" + obj_json + "}";
}

std::string fail_envelope(const std::string& msg) {
    return R"({"success":false,"msg":")" + msg + R"(","obj":null})";
}

FakeTransport& FakeTransport::expect(std::string method, std::string path, long status,
                                     std::string body, Headers headers) {
    m_script.push_back({std::move(method), std::move(path), status, std::move(body),
                        std::move(headers)});
    return *this;
}

FakeTransport& FakeTransport::expect_login_v3(const std::string& base) {
    expect("GET", base + "csrf-token", 200, R"({"success":true,"obj":"csrf-abc"})",
           {{"set-cookie", "3x-ui=pre; Path=/; HttpOnly"}});
    expect("POST", base + "getTwoFactorEnable", 200, R"({"success":true,"msg":"","obj":false})");
    expect("POST", base + "login", 200, R"({"success":true,"msg":"ok","obj":null})",
           {{"set-cookie", "3x-ui=session-1; Path=/; HttpOnly"}});
    return *this;
}

FakeTransport& FakeTransport::expect_login_classic(const std::string& base) {
    expect("GET", base + "csrf-token", 404, "");
    expect("POST", base + "getTwoFactorEnable", 200, R"({"success":true,"msg":"","obj":false})");
    expect("POST", base + "login", 200, R"({"success":true,"msg":"Login","obj":null})",
           {{"set-cookie", "3x-ui=session-c; Path=/; HttpOnly"}});
    return *this;
}

Result<HttpResponse> FakeTransport::send(const HttpRequest& request) {
    m_requests.push_back(request);
    if (on_send) {
        on_send(request);
    }
    const std::string path = url_path(request.url);
    if (m_script.empty() || m_script.front().method != request.method ||
        m_script.front().path != path) {
        m_unexpected.push_back(request.method + " " + path);
        return make_error(ErrorKind::network, "fake transport: unexpected request " +
                                                  request.method + " " + path);
    }
    Expectation e = std::move(m_script.front());
    m_script.pop_front();
    HttpResponse r;
    r.status = e.status;
    r.body = std::move(e.body);
    r.headers = std::move(e.headers);
    return r;
}

std::vector<std::string> FakeTransport::request_lines() const {
    std::vector<std::string> out;
    for (const auto& r : m_requests) {
        out.push_back(r.method + " " + url_path(r.url));
    }
    return out;
}

std::vector<std::string> FakeTransport::posts() const {
    std::vector<std::string> out;
    for (const auto& r : m_requests) {
        if (r.method == "POST") {
            out.push_back("POST " + url_path(r.url));
        }
    }
    return out;
}

}  // namespace xuictl::test
