#include "net/curl_transport.hpp"

#include "net/curl_loader.hpp"

#include <curl/curl.h>

#include <fmt/format.h>
#include <algorithm>
#include <cassert>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <mutex>

namespace xuictl {
namespace {

// How much body a reader gets at once (curl delivers up to its buffer size
// per callback, CURLOPT_BUFFERSIZE below).
constexpr size_t k_piece_bytes = 256 * 1024;

// One request in flight: what the callbacks fill in while curl runs it.
struct Transfer {
    std::string method;
    std::string url;
    HttpResponse head;
    long pending_status = 0;    // status line seen, its headers still arriving
    bool headers_done = false;  // a final (non-1xx) status and all its headers
    std::string chunk;          // body bytes received since the last next()
    size_t received = 0;
    size_t max_body = 0;
    bool too_large = false;
    bool paused = false;  // curl holds back a piece until next() takes this one
    bool finished = false;
    CURLcode result = CURLE_OK;
    curl_slist* request_headers = nullptr;
    char error_buffer[CURL_ERROR_SIZE] = {0};
};

size_t on_body(char* data, size_t size, size_t count, void* user) {
    auto* t = static_cast<Transfer*>(user);
    const size_t n = size * count;
    t->headers_done = true;  // a body byte means the headers are over
    if (t->chunk.size() >= k_piece_bytes) {
        // Enough for the reader: curl keeps this piece until next() asks for
        // it. Without this a fast panel would be buffered whole in `chunk`.
        t->paused = true;
        return CURL_WRITEFUNC_PAUSE;
    }
    if (t->received + n > t->max_body) {
        t->too_large = true;
        return 0;  // makes curl abort with CURLE_WRITE_ERROR
    }
    t->received += n;
    t->chunk.append(data, n);
    return n;
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
    auto* t = static_cast<Transfer*>(user);
    const size_t n = size * count;
    std::string_view line(data, n);
    if (line.rfind("HTTP/", 0) == 0) {
        // A new status line (e.g. after "103 Early Hints"): start over.
        t->head.headers.clear();
        const auto space = line.find(' ');
        long status = 0;
        if (space != std::string_view::npos) {
            std::from_chars(line.data() + space + 1, line.data() + line.size(), status);
        }
        t->pending_status = status;
        return n;
    }
    if (line == "\r\n" || line == "\n") {
        // The blank line ends a header block; 1xx blocks are followed by another.
        if (t->pending_status >= 200) {
            t->headers_done = true;
        }
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
    while (!value.empty() &&
           (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) {
        value.remove_suffix(1);
    }
    t->head.headers.emplace_back(std::move(name), std::string(value));
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

Error classify(const Transfer& t, const TransportOptions& options) {
    const CURLcode code = t.result;
    const std::string host = host_of(t.url);
    Error e;
    e.where = fmt::format("{} {}", t.method, t.url);
    const std::string why = t.error_buffer[0] != '\0' ? t.error_buffer : curl_easy_strerror(code);
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
            e.hint =
                "for a self-signed panel use --cacert FILE or --pin sha256//KEY "
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
            if (t.too_large) {
                e.kind = ErrorKind::api;
                e.message = fmt::format("the response from {} is larger than {} MiB; refused", host,
                                        options.max_body_bytes >> 20);
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
    CURL* easy = nullptr;
    // The multi handle lets a body be read piece by piece as it arrives
    // (open()); it also owns the connection cache, so keep-alive and the TLS
    // session survive from one request to the next.
    CURLM* multi = nullptr;
    bool busy = false;  // a stream is open

    // Runs curl until done() holds or the transfer ends. Bounded: every
    // round either makes progress or waits at most a second, and curl ends
    // the transfer at its timeouts.
    template <typename Done>
    void run_until(Transfer& t, Done done) {
        while (!done() && !t.finished) {
            int running = 0;
            const CURLMcode mc = curl_multi_perform(multi, &running);
            if (mc != CURLM_OK) {
                t.result = CURLE_OUT_OF_MEMORY;
                snprintf(t.error_buffer, sizeof t.error_buffer, "%s", curl_multi_strerror(mc));
                t.finished = true;
                break;
            }
            int queued = 0;
            while (CURLMsg* msg = curl_multi_info_read(multi, &queued)) {
                if (msg->msg == CURLMSG_DONE) {
                    t.result = msg->data.result;
                    t.finished = true;
                }
            }
            if (t.finished || done()) {
                break;
            }
            curl_multi_poll(multi, nullptr, 0, 1000, nullptr);
        }
    }
};

namespace {

// The body of the transfer in flight, read while curl receives it.
class CurlBody final : public HttpBodyReader {
public:
    CurlBody(CurlTransport::Impl& impl, std::unique_ptr<Transfer> transfer)
        : m_impl(impl), m_transfer(std::move(transfer)) {}
    ~CurlBody() override {
        // Leaving a transfer unfinished closes its connection; curl never
        // reuses a connection with an unread response on it.
        curl_multi_remove_handle(m_impl.multi, m_impl.easy);
        curl_slist_free_all(m_transfer->request_headers);
        m_impl.busy = false;
    }
    CurlBody(const CurlBody&) = delete;
    CurlBody& operator=(const CurlBody&) = delete;

    Result<std::string_view> next() override {
        Transfer& t = *m_transfer;
        m_piece.clear();
        if (t.chunk.empty() && t.paused) {
            // curl hands over the piece it held back (in this call, or soon).
            t.paused = false;
            curl_easy_pause(m_impl.easy, CURLPAUSE_CONT);
        }
        m_impl.run_until(t, [&t] { return !t.chunk.empty(); });
        if (t.finished && t.result != CURLE_OK) {
            return classify(t, m_impl.options);
        }
        // Hand out what arrived and let curl fill the other buffer: no copy.
        m_piece.swap(t.chunk);
        return std::string_view(m_piece);
    }

private:
    CurlTransport::Impl& m_impl;
    std::unique_ptr<Transfer> m_transfer;
    std::string m_piece;
};

}  // namespace

CurlTransport::CurlTransport(TransportOptions options) : m_impl(std::make_unique<Impl>()) {
    init_curl_once();
    m_impl->options = std::move(options);
    m_impl->easy = curl_easy_init();
    m_impl->multi = curl_multi_init();
}

CurlTransport::~CurlTransport() {
    if (m_impl->multi != nullptr) {
        curl_multi_cleanup(m_impl->multi);
    }
    if (m_impl->easy != nullptr) {
        curl_easy_cleanup(m_impl->easy);
    }
}

Result<HttpResponse> CurlTransport::send(const HttpRequest& request) {
    auto stream = open(request);
    if (!stream) {
        return stream.error();
    }
    return read_whole(std::move(stream.value()));
}

Result<HttpStream> CurlTransport::open(const HttpRequest& request) {
    CURL* h = m_impl->easy;
    if (h == nullptr || m_impl->multi == nullptr) {
        const char* why = xuictl_curl_load_error();
        return make_error(ErrorKind::network, why != nullptr ? why : "cannot initialise libcurl",
                          "install libcurl (Debian: apt-get install libcurl4)");
    }
    // A second stream would share the one handle: a programming error.
    assert(!m_impl->busy);
    const auto& opt = m_impl->options;
    // Reset per-request state but keep the connection cache.
    curl_easy_reset(h);
    auto transfer = std::make_unique<Transfer>();
    Transfer& t = *transfer;
    t.method = request.method;
    t.url = request.url;
    t.max_body = opt.max_body_bytes;

    curl_easy_setopt(h, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, t.error_buffer);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, opt.connect_timeout_ms);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, opt.total_timeout_ms);
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");  // gzip: 3x-ui compresses lists
    curl_easy_setopt(h, CURLOPT_USERAGENT, "xuictl");
    // Large reads: a 100 000-client list is ~50 MB, and 16 KiB reads (the
    // default) cost a system call and a callback per 16 KiB.
    curl_easy_setopt(h, CURLOPT_BUFFERSIZE, 512L * 1024L);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &t);
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

    for (const auto& [name, value] : request.headers) {
        t.request_headers =
            curl_slist_append(t.request_headers, fmt::format("{}: {}", name, value).c_str());
    }
    // No "Expect: 100-continue" round trip for small POST bodies.
    t.request_headers = curl_slist_append(t.request_headers, "Expect:");
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, t.request_headers);

    if (request.method != "GET") {
        // At most once: libcurl silently sends a request again on a new
        // connection when a *reused* keep-alive connection dies before any
        // answer byte (Curl_retry_request; there is no option to turn that
        // off, curl/curl#18417). The panel may have applied the first copy,
        // so a write is never sent on a reused connection: a fresh one is
        // never retried, and a lost answer reaches us as an error.
        curl_easy_setopt(h, CURLOPT_FRESH_CONNECT, 1L);
    }
    if (request.method == "POST") {
        curl_easy_setopt(h, CURLOPT_POST, 1L);
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, request.body.c_str());
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
                         static_cast<curl_off_t>(request.body.size()));
    } else if (request.method != "GET") {
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    }

    if (curl_multi_add_handle(m_impl->multi, h) != CURLM_OK) {
        curl_slist_free_all(t.request_headers);
        return make_error(ErrorKind::network, "cannot start a libcurl transfer");
    }
    m_impl->busy = true;
    // From here the body owns the transfer: every return path below frees it.
    auto body = std::make_unique<CurlBody>(*m_impl, std::move(transfer));
    m_impl->run_until(t, [&t] { return t.headers_done; });
    if (t.finished && t.result != CURLE_OK) {
        return classify(t, opt);
    }
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    HttpStream stream;
    stream.head = std::move(t.head);
    stream.head.status = status;
    stream.body = std::move(body);
    return stream;
}

}  // namespace xuictl
