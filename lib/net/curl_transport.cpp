#include "net/curl_transport.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <fmt/format.h>
#include <mutex>

namespace xuictl {
namespace {

struct Collected {
    HttpResponse response;
    size_t max_body = 0;
    bool too_large = false;
};

size_t on_body(char* data, size_t size, size_t count, void* user) {
    auto* collected = static_cast<Collected*>(user);
    const size_t n = size * count;
    if (collected->response.body.size() + n > collected->max_body) {
        collected->too_large = true;
        return 0;  // makes curl abort with CURLE_WRITE_ERROR
    }
    collected->response.body.append(data, n);
    return n;
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
    auto* collected = static_cast<Collected*>(user);
    const size_t n = size * count;
    std::string_view line(data, n);
    if (line.rfind("HTTP/", 0) == 0) {
        // A new status line (e.g. after "100 Continue"): start over.
        collected->response.headers.clear();
        return n;
    }
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) {
        return n;
    }
    std::string name(line.substr(0, colon));
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) {
        value.remove_prefix(1);
    }
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) {
        value.remove_suffix(1);
    }
    if (name == "content-length") {
        // Size the body once: a 100 000-client list is ~50 MB, and growing
        // the string by doubling would copy it several times.
        size_t length = 0;
        auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), length);
        if (ec == std::errc() && length <= collected->max_body) {
            collected->response.body.reserve(length);
        }
    }
    collected->response.headers.emplace_back(std::move(name), std::string(value));
    return n;
}

std::string host_of(const std::string& url) {
    const auto start = url.find("://");
    if (start == std::string::npos) {
        return url;
    }
    const auto end = url.find('/', start + 3);
    return url.substr(start + 3, end == std::string::npos ? end : end - start - 3);
}

Error classify(CURLcode code, const HttpRequest& request, const char* detail, const Collected& c,
               const TransportOptions& options) {
    const std::string host = host_of(request.url);
    Error e;
    e.where = fmt::format("{} {}", request.method, request.url);
    const std::string why = detail[0] != '\0' ? detail : curl_easy_strerror(code);
    switch (code) {
        case CURLE_COULDNT_RESOLVE_HOST:
        case CURLE_COULDNT_RESOLVE_PROXY:
            e.kind = ErrorKind::network;
            e.message = fmt::format("cannot resolve host {}", host);
            e.hint = "check the host name in --url";
            break;
        case CURLE_COULDNT_CONNECT:
            e.kind = ErrorKind::network;
            e.message = fmt::format("cannot connect to {}: {}", host, why);
            e.hint = "check the port in --url and that the panel is running";
            break;
        case CURLE_OPERATION_TIMEDOUT:
            e.kind = ErrorKind::timeout;
            e.message = fmt::format("{} did not answer in time ({})", host, why);
            e.hint = fmt::format("raise --timeout (now {:g} s) or check the link to the panel",
                                 static_cast<double>(options.total_timeout_ms) / 1000.0);
            break;
        case CURLE_PEER_FAILED_VERIFICATION:
            e.kind = ErrorKind::tls;
            e.message = fmt::format("TLS certificate of {} is not trusted: {}", host, why);
            e.hint = "for a self-signed panel use --cacert FILE or --pin sha256//KEY "
                     "(--insecure disables all checks)";
            break;
        case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
            e.kind = ErrorKind::tls;
            e.message = fmt::format("the public key of {} does not match --pin", host);
            e.hint = "the panel's certificate changed, or this is not your panel";
            break;
        case CURLE_SSL_CACERT_BADFILE:
        case CURLE_SSL_CERTPROBLEM:
            e.kind = ErrorKind::tls;
            e.message = fmt::format("cannot use the CA file '{}': {}", options.tls.cacert, why);
            e.hint = "--cacert needs a readable PEM certificate";
            break;
        case CURLE_SSL_CONNECT_ERROR:
            e.kind = ErrorKind::tls;
            e.message = fmt::format("TLS handshake with {} failed: {}", host, why);
            e.hint = "check that the panel serves HTTPS on this port (or use http://)";
            break;
        case CURLE_UNSUPPORTED_PROTOCOL:
        case CURLE_WEIRD_SERVER_REPLY:
            e.kind = ErrorKind::network;
            e.message = fmt::format("{} sent an answer that is not HTTP: {}", host, why);
            // §12.7: a TLS panel answers plain HTTP with "HTTP/0.0 307".
            e.hint = "if the panel uses TLS, use https:// in --url";
            break;
        case CURLE_WRITE_ERROR:
            if (c.too_large) {
                e.kind = ErrorKind::api;
                e.message = fmt::format("the response from {} is larger than {} MiB; refused",
                                        host, options.max_body_bytes >> 20);
                e.hint = "check --url: no 3x-ui answer is that large";
                break;
            }
            [[fallthrough]];
        default:
            e.kind = ErrorKind::network;
            e.message = fmt::format("connection to {} failed: {}", host, why);
            e.hint = "the link or the panel dropped the connection; retry, or check the panel";
            break;
    }
    return e;
}

void init_curl_once() {
    static std::once_flag flag;
    std::call_once(flag, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

}  // namespace

struct CurlTransport::Impl {
    TransportOptions options;
    CURL* handle = nullptr;
};

CurlTransport::CurlTransport(TransportOptions options) : m_impl(std::make_unique<Impl>()) {
    init_curl_once();
    m_impl->options = std::move(options);
    m_impl->handle = curl_easy_init();
}

CurlTransport::~CurlTransport() {
    if (m_impl->handle != nullptr) {
        curl_easy_cleanup(m_impl->handle);
    }
}

Result<HttpResponse> CurlTransport::send(const HttpRequest& request) {
    CURL* h = m_impl->handle;
    if (h == nullptr) {
        return make_error(ErrorKind::network, "cannot initialise libcurl");
    }
    const auto& opt = m_impl->options;
    // Reset per-request state but keep the connection cache of the handle.
    curl_easy_reset(h);
    Collected collected;
    collected.max_body = opt.max_body_bytes;
    char error_buffer[CURL_ERROR_SIZE] = {0};

    curl_easy_setopt(h, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_buffer);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, opt.connect_timeout_ms);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, opt.total_timeout_ms);
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");  // gzip: 3x-ui compresses lists
    curl_easy_setopt(h, CURLOPT_USERAGENT, "xuictl");
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &collected);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &collected);
    if (opt.tls.insecure) {
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
    } else {
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
    }
    if (!opt.tls.cacert.empty()) {
        curl_easy_setopt(h, CURLOPT_CAINFO, opt.tls.cacert.c_str());
    }
    if (!opt.tls.pinned_key.empty()) {
        curl_easy_setopt(h, CURLOPT_PINNEDPUBLICKEY, opt.tls.pinned_key.c_str());
        if (opt.tls.cacert.empty() && !opt.tls.insecure) {
            // A pin is the trust anchor for a self-signed panel: the key is
            // checked instead of the chain, but the host name still must match.
            curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
        }
    }

    curl_slist* headers = nullptr;
    for (const auto& [name, value] : request.headers) {
        headers = curl_slist_append(headers, fmt::format("{}: {}", name, value).c_str());
    }
    // No "Expect: 100-continue" round trip for small POST bodies.
    headers = curl_slist_append(headers, "Expect:");
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);

    if (request.method == "POST") {
        curl_easy_setopt(h, CURLOPT_POST, 1L);
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, request.body.c_str());
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
                         static_cast<curl_off_t>(request.body.size()));
    } else if (request.method != "GET") {
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    }

    const CURLcode code = curl_easy_perform(h);
    curl_slist_free_all(headers);
    if (code != CURLE_OK) {
        return classify(code, request, error_buffer, collected, opt);
    }
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    collected.response.status = status;
    return std::move(collected.response);
}

}  // namespace xuictl
