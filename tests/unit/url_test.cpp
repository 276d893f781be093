#include <catch2/catch.hpp>

#include "net/url.hpp"

using namespace xuictl;

TEST_CASE("PanelUrl parses a base path with or without a trailing slash", "[unit][url]") {
    struct Case {
        const char* text;
        const char* scheme;
        const char* host;
        int port;
        const char* base_path;
        const char* base_url;
    };
    const Case cases[] = {
        {"https://panel.example.com:2053/secret", "https", "panel.example.com", 2053, "/secret/",
         "https://panel.example.com:2053/secret/"},
        {"https://panel.example.com:2053/secret/", "https", "panel.example.com", 2053, "/secret/",
         "https://panel.example.com:2053/secret/"},
        {"http://h", "http", "h", 80, "/", "http://h/"},
        {"https://h/", "https", "h", 443, "/", "https://h/"},
        {"HTTPS://h:1/a//b///", "https", "h", 1, "/a/b/", "https://h:1/a/b/"},
        {"http://h:65535//x", "http", "h", 65535, "/x/", "http://h:65535/x/"},
        {"http://[::1]:8080/base", "http", "::1", 8080, "/base/", "http://[::1]:8080/base/"},
        {"https://[2001:db8::7]", "https", "2001:db8::7", 443, "/", "https://[2001:db8::7]/"},
        {"http://127.0.0.1:2053/p/a@b/", "http", "127.0.0.1", 2053, "/p/a@b/",
         "http://127.0.0.1:2053/p/a@b/"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.text);
        auto url = PanelUrl::parse(c.text);
        REQUIRE(url.ok());
        CHECK(url->scheme() == c.scheme);
        CHECK(url->host() == c.host);
        CHECK(url->port() == c.port);
        CHECK(url->base_path() == c.base_path);
        CHECK(url->base_url() == c.base_url);
    }
}

TEST_CASE("PanelUrl::join never produces a double slash", "[unit][url]") {
    for (const char* text : {"https://h:2053/secret", "https://h:2053/secret/", "https://h:2053//secret//",
                             "https://h:2053", "https://h:2053/"}) {
        CAPTURE(text);
        auto url = PanelUrl::parse(text);
        REQUIRE(url.ok());
        for (const char* route : {"panel/api/inbounds/list", "/panel/api/inbounds/list",
                                  "//panel/api/inbounds/list"}) {
            CAPTURE(route);
            const std::string joined = url->join(route);
            CHECK(joined.find("//", std::string("https://").size()) == std::string::npos);
            CHECK(joined.size() > std::string("panel/api/inbounds/list").size());
            CHECK(joined.substr(joined.size() - 24) == "/panel/api/inbounds/list");
        }
    }
    auto url = PanelUrl::parse("https://h:2053/secret");
    REQUIRE(url.ok());
    CHECK(url->join("login") == "https://h:2053/secret/login");
    CHECK(url->join("") == "https://h:2053/secret/");
    CHECK(url->origin() == "https://h:2053");
}

TEST_CASE("PanelUrl refuses bad ports, schemes, credentials, queries and hosts", "[unit][url]") {
    struct Case {
        const char* text;
        const char* why;
    };
    const Case cases[] = {
        {"http://h:0/", "invalid port '0' (1-65535)"},
        {"http://h:65536/", "invalid port '65536' (1-65535)"},
        {"http://h:abc/", "invalid port 'abc' (1-65535)"},
        {"http://h:/", "invalid port '' (1-65535)"},
        {"http://h:80x/", "invalid port '80x' (1-65535)"},
        {"http://h:-1/", "invalid port '-1' (1-65535)"},
        {"http://[::1]:0/", "invalid port '0' (1-65535)"},
        {"ftp://h/", "unsupported scheme 'ftp'"},
        {"file:///etc/passwd", "unsupported scheme 'file'"},
        {"h:2053/secret", "missing scheme (http:// or https://)"},
        {"panel.example.com", "missing scheme (http:// or https://)"},
        {"https://h/?token=x", "a query or fragment is not allowed"},
        {"https://h/base#frag", "a query or fragment is not allowed"},
        {"https:///base", "missing host"},
        {"https://:2053/", "missing host"},
        {"http://[::1/", "unterminated IPv6 address"},
        {"http://[::1]x/", "unexpected text after IPv6 address"},
        {"http://h h/", "the host contains whitespace or control characters"},
        {"http://h/a b/", "the base path contains whitespace"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.text);
        auto url = PanelUrl::parse(c.text);
        REQUIRE_FALSE(url.ok());
        CHECK(url.error().kind == ErrorKind::usage);
        CHECK(url.error().message ==
              std::string("invalid panel URL '") + c.text + "': " + c.why);
        CHECK(url.error().hint.find("https://panel.example.com:2053/secretpath/") != std::string::npos);
    }
}

TEST_CASE("PanelUrl refuses credentials in the URL without repeating them", "[unit][url]") {
    for (const char* text : {"https://admin:s3cret@h:2053/base/", "https://s3cret@h/"}) {
        CAPTURE(text);
        auto url = PanelUrl::parse(text);
        REQUIRE_FALSE(url.ok());
        CHECK(url.error().kind == ErrorKind::usage);
        CHECK(url.error().message.find("credentials in the URL are not allowed") != std::string::npos);
        CHECK(url.error().message.find("s3cret") == std::string::npos);
        CHECK(url.error().message.find("***@h") != std::string::npos);
    }
}

TEST_CASE("encode_path_segment escapes everything but unreserved characters", "[unit][url]") {
    CHECK(encode_path_segment("alice@example.com") == "alice%40example.com");
    CHECK(encode_path_segment("a b/c@x") == "a%20b%2Fc%40x");
    CHECK(encode_path_segment("AZaz09-._~") == "AZaz09-._~");
    CHECK(encode_path_segment("東京") == "%E6%9D%B1%E4%BA%AC");
    CHECK(encode_path_segment("é") == "%C3%A9");
    CHECK(encode_path_segment("$(rm -rf /);`x`|&<>*?'\"\\!#") ==
          "%24%28rm%20-rf%20%2F%29%3B%60x%60%7C%26%3C%3E%2A%3F%27%22%5C%21%23");
    CHECK(encode_path_segment("..") == "..");
    CHECK(encode_path_segment("%41+") == "%2541%2B");
    CHECK(encode_path_segment("") == "");
    CHECK(encode_form_value("p@ss w&rd=") == "p%40ss+w%26rd%3D");
}
