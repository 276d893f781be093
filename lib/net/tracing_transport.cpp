#include "net/tracing_transport.hpp"

#include <chrono>
#include <fmt/format.h>

namespace xuictl {

TracingTransport::TracingTransport(HttpTransport& inner, Sink sink)
    : m_inner(inner), m_sink(std::move(sink)) {}

Result<HttpResponse> TracingTransport::send(const HttpRequest& request) {
    ++m_count;
    std::string auth;
    for (const auto& [name, value] : request.headers) {
        if (name == "Authorization") {
            auth += " [bearer token redacted]";
        } else if (name == "Cookie") {
            auth += " [cookie redacted]";
        } else if (name == "X-CSRF-Token") {
            auth += " [csrf redacted]";
        }
    }
    m_sink(fmt::format("> {} {}{}{}", request.method, request.url, auth,
                       request.body.empty() ? "" : fmt::format(" [{} B body]", request.body.size())));
    const auto start = std::chrono::steady_clock::now();
    auto response = m_inner.send(request);
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - start)
                        .count();
    if (response) {
        m_sink(fmt::format("< HTTP {} {} B in {} ms", response->status, response->body.size(), ms));
    } else {
        m_sink(fmt::format("< failed after {} ms: {}", ms, response.error().message));
    }
    return response;
}

}  // namespace xuictl
