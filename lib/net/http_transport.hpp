#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/result.hpp"

namespace xuictl {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
    std::string method;  // "GET" or "POST"
    std::string url;     // absolute URL
    Headers headers;
    std::string body;
};

struct HttpResponse {
    long status = 0;
    Headers headers;  // names lower-cased, in arrival order (Set-Cookie may repeat)
    std::string body;

    // First header with this lower-case name, or "".
    std::string header(const std::string& lower_name) const;
};

// The body of a response read as it arrives (HttpTransport::open), so that a
// 50 MB inbound list is decoded while it streams in and never held whole.
class HttpBodyReader {
public:
    virtual ~HttpBodyReader() = default;
    // The next piece of the body, valid until the next call; empty once the
    // body is complete. A transfer that fails part-way is an Error, worded as
    // send() words it.
    virtual Result<std::string_view> next() = 0;
};

// Status and headers of a response (head.body stays empty) and its body.
struct HttpStream {
    HttpResponse head;
    std::unique_ptr<HttpBodyReader> body;
};

// The only way the library talks to the network. Implementations: CurlTransport
// (production) and FakeTransport (tests, records requests, fails on unexpected
// ones). send() returns an Error only for transport failures (DNS, refused,
// timeout, TLS); any HTTP status, including 4xx/5xx, is a response.
class HttpTransport {
public:
    virtual ~HttpTransport() = default;
    virtual Result<HttpResponse> send(const HttpRequest& request) = 0;

    // Like send(), but returns once the status and headers are in; the body
    // follows through body->next(). One stream at a time: read it to the end
    // or destroy it before the next request on this transport. The default
    // receives the whole body with send() first (fakes need nothing more).
    virtual Result<HttpStream> open(const HttpRequest& request);
};

// A response received whole, as a stream (one piece).
HttpStream stream_of(HttpResponse response);

// Reads the rest of a body into one string (for answers that are small, or
// needed whole): HttpStream back to HttpResponse.
Result<HttpResponse> read_whole(HttpStream stream);

}  // namespace xuictl
