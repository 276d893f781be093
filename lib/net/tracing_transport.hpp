#pragma once

#include <functional>
#include <string>

#include "net/http_transport.hpp"

namespace xuictl {

// Decorator for -v: reports each request and its outcome to `sink` with
// secrets redacted. Only method, URL, status, size and time are reported;
// Cookie, Authorization and X-CSRF-Token values and all bodies never are.
class TracingTransport final : public HttpTransport {
public:
    using Sink = std::function<void(const std::string&)>;
    TracingTransport(HttpTransport& inner, Sink sink);
    Result<HttpResponse> send(const HttpRequest& request) override;
    // The body's size and time are reported once it has been read to the end.
    Result<HttpStream> open(const HttpRequest& request) override;
    int requests_sent() const { return m_count; }

private:
    void trace_request(const HttpRequest& request);

    HttpTransport& m_inner;
    Sink m_sink;
    int m_count = 0;
};

}  // namespace xuictl
