#include "net/tracing_transport.hpp"

#include <fmt/format.h>
#include <chrono>

namespace xuictl {

TracingTransport::TracingTransport(HttpTransport& inner, Sink sink)
    : m_inner(inner), m_sink(std::move(sink)) {}

namespace {

using Clock = std::chrono::steady_clock;

long long ms_since(Clock::time_point start) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
}

// Reports a streamed body's size and time once it has been read to the end,
// in the same words as a response received whole.
class TracedBody final : public HttpBodyReader {
public:
    TracedBody(std::unique_ptr<HttpBodyReader> inner, TracingTransport::Sink& sink, long status,
               Clock::time_point start)
        : m_inner(std::move(inner)), m_sink(sink), m_status(status), m_start(start) {}

    Result<std::string_view> next() override {
        auto piece = m_inner->next();
        if (!piece) {
            m_sink(
                fmt::format("< failed after {} ms: {}", ms_since(m_start), piece.error().message));
        } else if (piece->empty()) {
            m_sink(fmt::format("< HTTP {} {} B in {} ms", m_status, m_bytes, ms_since(m_start)));
        } else {
            m_bytes += piece->size();
        }
        return piece;
    }

private:
    std::unique_ptr<HttpBodyReader> m_inner;
    TracingTransport::Sink& m_sink;
    long m_status;
    Clock::time_point m_start;
    size_t m_bytes = 0;
};

}  // namespace

void TracingTransport::trace_request(const HttpRequest& request) {
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
    m_sink(
        fmt::format("> {} {}{}{}", request.method, request.url, auth,
                    request.body.empty() ? "" : fmt::format(" [{} B body]", request.body.size())));
}

Result<HttpResponse> TracingTransport::send(const HttpRequest& request) {
    trace_request(request);
    const auto start = Clock::now();
    auto response = m_inner.send(request);
    const auto ms = ms_since(start);
    if (response) {
        m_sink(fmt::format("< HTTP {} {} B in {} ms", response->status, response->body.size(), ms));
    } else {
        m_sink(fmt::format("< failed after {} ms: {}", ms, response.error().message));
    }
    return response;
}

Result<HttpStream> TracingTransport::open(const HttpRequest& request) {
    trace_request(request);
    const auto start = Clock::now();
    auto stream = m_inner.open(request);
    if (!stream) {
        m_sink(fmt::format("< failed after {} ms: {}", ms_since(start), stream.error().message));
        return stream;
    }
    stream->body =
        std::make_unique<TracedBody>(std::move(stream->body), m_sink, stream->head.status, start);
    return stream;
}

}  // namespace xuictl
