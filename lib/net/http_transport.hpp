#pragma once

#include <string>
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

// The only way the library talks to the network. Implementations: CurlTransport
// (production) and FakeTransport (tests, records requests, fails on unexpected
// ones). send() returns an Error only for transport failures (DNS, refused,
// timeout, TLS); any HTTP status, including 4xx/5xx, is a response.
class HttpTransport {
public:
    virtual ~HttpTransport() = default;
    virtual Result<HttpResponse> send(const HttpRequest& request) = 0;
};

}  // namespace xuictl
