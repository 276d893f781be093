#pragma once

#include <memory>
#include <string>

#include "net/http_transport.hpp"

namespace xuictl {

struct TlsOptions {
    std::string cacert;      // PEM file to trust instead of the system store
    std::string pinned_key;  // curl pinned public key, "sha256//BASE64"
    bool insecure = false;   // skip verification (the caller warns loudly)
};

struct TransportOptions {
    TlsOptions tls;
    long connect_timeout_ms = 10'000;
    long total_timeout_ms = 30'000;
    // Larger bodies (after gzip) are refused so a broken or hostile panel
    // cannot exhaust memory. A panel with 100 000 clients lists ~70 MiB.
    size_t max_body_bytes = size_t{256} << 20;
};

// HttpTransport over libcurl: one easy handle reused for every request so the
// connection (and TLS session) is kept alive across login, probe and list;
// bodies can be read while they arrive (open()).
// Redirects are not followed: a 307 to the base path means "not logged in".
class CurlTransport final : public HttpTransport {
public:
    explicit CurlTransport(TransportOptions options);
    ~CurlTransport() override;
    CurlTransport(const CurlTransport&) = delete;
    CurlTransport& operator=(const CurlTransport&) = delete;

    Result<HttpResponse> send(const HttpRequest& request) override;
    // Streams the body as it arrives (curl's multi interface, one thread).
    Result<HttpStream> open(const HttpRequest& request) override;

    struct Impl;  // public only so the body reader in the .cpp can name it

private:
    std::unique_ptr<Impl> m_impl;
};

}  // namespace xuictl
