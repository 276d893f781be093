#include "support/harness.hpp"

#include <fstream>

#include "cli.hpp"

#ifndef XUICTL_FIXTURE_DIR
#error "XUICTL_FIXTURE_DIR must be defined by the build"
#endif

namespace xuictl::test {
namespace {

// Forwards to the harness-owned fake so the Context can own "a" transport.
class Borrowed final : public HttpTransport {
public:
    explicit Borrowed(HttpTransport& inner) : m_inner(inner) {}
    Result<HttpResponse> send(const HttpRequest& r) override { return m_inner.send(r); }

private:
    HttpTransport& m_inner;
};

// Sends each request to the fake of its origin (Harness::panels).
class ByOrigin final : public HttpTransport {
public:
    explicit ByOrigin(Harness& h) : m_h(h) {}
    Result<HttpResponse> send(const HttpRequest& r) override {
        const auto scheme_end = r.url.find("://");
        const auto path = r.url.find('/', scheme_end == std::string::npos ? 0 : scheme_end + 3);
        const std::string origin = r.url.substr(0, path);
        auto it = m_h.panels.find(origin);
        if (it == m_h.panels.end()) {
            std::lock_guard<std::mutex> hold(m_h.stray_lock);
            m_h.stray.push_back(r.method + " " + r.url);
            return make_error(ErrorKind::network, "fake fleet: no panel at " + origin);
        }
        return it->second.send(r);
    }

private:
    Harness& m_h;
};

}  // namespace

int Harness::run(std::vector<std::string> args) {
    args.insert(args.begin(), "xuictl");
    std::vector<const char*> argv;
    for (const auto& a : args) {
        argv.push_back(a.c_str());
    }
    std::ostringstream o;
    std::ostringstream e;
    std::istringstream i(stdin_text);
    Env environment{terminal,
                    o,
                    e,
                    i,
                    clock,
                    [this](std::string_view name) -> std::optional<std::string> {
                        auto it = env.find(std::string(name));
                        if (it == env.end()) {
                            return std::nullopt;
                        }
                        return it->second;
                    },
                    [this](const TransportOptions&) -> std::unique_ptr<HttpTransport> {
                        ++transports_made;
                        if (!panels.empty()) {
                            return std::make_unique<ByOrigin>(*this);
                        }
                        return std::make_unique<Borrowed>(transport);
                    }};
    const int code = xuictl::run(static_cast<int>(argv.size()), argv.data(), environment);
    out = o.str();
    err = e.str();
    return code;
}

std::string fixture(const std::string& name) {
    std::ifstream in(std::string(XUICTL_FIXTURE_DIR) + "/" + name, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace xuictl::test
