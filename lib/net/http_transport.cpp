#include "net/http_transport.hpp"

#include <algorithm>
#include <charconv>

namespace xuictl {

std::string HttpResponse::header(const std::string& lower_name) const {
    for (const auto& [name, value] : headers) {
        if (name == lower_name) {
            return value;
        }
    }
    return {};
}

namespace {

// Content-Length when the panel sent a plausible one, else 0.
size_t content_length(const HttpResponse& response) {
    const std::string value = response.header("content-length");
    size_t length = 0;
    auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), length);
    // A lying header must not make us reserve gigabytes up front.
    return ec == std::errc() && length <= (size_t{256} << 20) ? length : 0;
}

// A body that is already complete: handed out in one piece.
class WholeBody final : public HttpBodyReader {
public:
    explicit WholeBody(std::string body) : m_body(std::move(body)) {}
    Result<std::string_view> next() override {
        if (m_done) {
            return std::string_view{};
        }
        m_done = true;
        return std::string_view(m_body);
    }

private:
    std::string m_body;
    bool m_done = false;
};

}  // namespace

HttpStream stream_of(HttpResponse response) {
    auto body = std::make_unique<WholeBody>(std::move(response.body));
    response.body.clear();
    return HttpStream{std::move(response), std::move(body)};
}

Result<HttpStream> HttpTransport::open(const HttpRequest& request) {
    auto response = send(request);
    if (!response) {
        return response.error();
    }
    return stream_of(std::move(response.value()));
}

Result<HttpResponse> read_whole(HttpStream stream) {
    HttpResponse response = std::move(stream.head);
    for (;;) {  // ends: every reader returns an empty piece at the end or an Error
        auto piece = stream.body->next();
        if (!piece) {
            return piece.error();
        }
        if (piece->empty()) {
            return response;
        }
        if (response.body.empty()) {
            // The first piece is often the whole answer; size the rest once.
            response.body.reserve(std::max(piece->size(), content_length(response)));
        }
        response.body.append(*piece);
    }
}

}  // namespace xuictl
