#include <catch2/catch.hpp>

#include <algorithm>

#include "panel/session.hpp"
#include "support/fake_transport.hpp"

using namespace xuictl;
using namespace xuictl::test;

namespace {

constexpr const char* kBase = "http://panel.test:2053/base/";

Credentials password_credentials() {
    Credentials c;
    c.username = "admin";
    c.password = "p@ss w&rd";
    return c;
}

Credentials token_credentials() {
    Credentials c;
    c.token = "tok-123";
    return c;
}

// A Session on a FakeTransport; the transport outlives the session.
struct Rig {
    FakeTransport t;
    Session session;
    explicit Rig(Credentials c = password_credentials(), const char* url = kBase)
        : session(t, PanelUrl::parse(url).value(), std::move(c)) {}

    // The one recorded request "METHOD /path"; fails the test if there is
    // not exactly one.
    const HttpRequest& request(const std::string& line) const {
        const HttpRequest* found = nullptr;
        int count = 0;
        for (const auto& r : t.requests()) {
            if (r.method + " " + url_path(r.url) == line) {
                found = &r;
                ++count;
            }
        }
        INFO(line);
        REQUIRE(count == 1);
        return *found;
    }
    long count(const std::string& line) const {
        const auto lines = t.request_lines();
        return std::count(lines.begin(), lines.end(), line);
    }
    void done() const {
        CHECK(t.unexpected().empty());
        CHECK(t.pending() == 0);
    }
};

const std::string kList = "/base/panel/api/inbounds/list";
const std::string kReset = "/base/panel/api/inbounds/resetAllTraffics";

Result<rapidjson::Document> get_list(Session& s) { return s.call("GET", "panel/api/inbounds/list", "inbound list"); }

}  // namespace

TEST_CASE("v3 login: CSRF token first, then login with the token and cookie", "[unit][session]") {
    Rig rig;
    rig.t.expect_login_v3("/base/");
    rig.t.expect("GET", kList, 200, ok_envelope("[]"));
    rig.t.expect("POST", kReset, 200, ok_envelope("null"));
    REQUIRE(get_list(rig.session).ok());
    REQUIRE(rig.session.call("POST", "panel/api/inbounds/resetAllTraffics", "reset").ok());
    rig.done();
    CHECK(rig.session.login_requests() == 1);
    CHECK(rig.t.request_lines().front() == "GET /base/csrf-token");

    const auto& csrf = rig.request("GET /base/csrf-token");
    CHECK_FALSE(request_header(csrf, "Cookie"));
    CHECK_FALSE(request_header(csrf, "X-CSRF-Token"));

    const auto& login = rig.request("POST /base/login");
    CHECK(request_header(login, "X-CSRF-Token") == "csrf-abc");
    CHECK(request_header(login, "Cookie") == "3x-ui=pre");
    CHECK(request_header(login, "Content-Type") == "application/x-www-form-urlencoded");
    CHECK(login.body == "username=admin&password=p%40ss+w%26rd");

    const auto& list = rig.request("GET " + kList);
    CHECK(request_header(list, "Cookie") == "3x-ui=session-1");
    CHECK_FALSE(request_header(list, "X-CSRF-Token"));  // safe methods need none
    CHECK(request_header(list, "X-Requested-With") == "XMLHttpRequest");
    CHECK_FALSE(request_header(list, "Authorization"));

    const auto& reset = rig.request("POST " + kReset);
    CHECK(request_header(reset, "X-CSRF-Token") == "csrf-abc");
    CHECK(request_header(reset, "Cookie") == "3x-ui=session-1");
}

TEST_CASE("classic login: no CSRF token when csrf-token answers 404", "[unit][session]") {
    Rig rig;
    rig.t.expect_login_classic("/base/");
    rig.t.expect("POST", kReset, 200, ok_envelope("null"));
    REQUIRE(rig.session.call("POST", "panel/api/inbounds/resetAllTraffics", "reset").ok());
    rig.done();
    CHECK(rig.session.login_requests() == 1);
    const auto& login = rig.request("POST /base/login");
    CHECK_FALSE(request_header(login, "X-CSRF-Token"));
    CHECK_FALSE(request_header(login, "Cookie"));
    CHECK(login.body == "username=admin&password=p%40ss+w%26rd");
    const auto& reset = rig.request("POST " + kReset);
    CHECK_FALSE(request_header(reset, "X-CSRF-Token"));
    CHECK(request_header(reset, "Cookie") == "3x-ui=session-c");
}

TEST_CASE("a refused login is an auth error after exactly one login request", "[unit][session]") {
    Rig rig;
    rig.t.expect("GET", "/base/csrf-token", 200, R"({"success":true,"obj":"t"})",
                 {{"set-cookie", "3x-ui=pre; Path=/"}});
    rig.t.expect("POST", "/base/getTwoFactorEnable", 200, ok_envelope("false"));
    rig.t.expect("POST", "/base/login", 200,
                 fail_envelope("Invalid username or password or two-factor code."));
    auto r = get_list(rig.session);
    REQUIRE_FALSE(r.ok());
    rig.done();
    CHECK(r.error().kind == ErrorKind::auth);
    CHECK(r.error().message == "login failed: the panel rejected the username, password or 2FA code");
    CHECK(r.error().where == "POST /base/login: HTTP 200");
    CHECK(r.error().hint.find("locks you out after 5 failed logins") != std::string::npos);
    CHECK(rig.session.login_requests() == 1);
    CHECK(rig.count("POST /base/login") == 1);
    CHECK(rig.count("GET " + kList) == 0);
}

namespace {

struct Answer {
    const char* name;
    long status;
    std::string body;
    Headers headers;
};

const Answer kOk{"ok", 200, ok_envelope("[]"), {}};

// Scripts a session that expires between two list calls: login, a good
// list, `expired` for the next list, a re-login, and `retry` for the retried
// list. Runs both calls and returns the second result.
Result<rapidjson::Document> expire_between_calls(Rig& rig, const Answer& expired, const Answer& retry) {
    rig.t.expect_login_v3("/base/");
    rig.t.expect("GET", kList, 200, kOk.body);
    rig.t.expect("GET", kList, expired.status, expired.body, expired.headers);
    rig.t.expect_login_v3("/base/");
    rig.t.expect("GET", kList, retry.status, retry.body, retry.headers);
    REQUIRE(get_list(rig.session).ok());
    auto second = get_list(rig.session);
    rig.done();
    CHECK(rig.session.login_requests() == 2);
    CHECK(rig.count("GET " + kList) == 3);
    return second;
}

}  // namespace

TEST_CASE("an expired session logs in again once and retries once", "[unit][session]") {
    const std::vector<Answer> answers = {
        {"401", 401, "", {}},
        {"empty 404", 404, "", {}},
        {"307 redirect", 307, "", {{"location", "/base/"}}},
        {"HTML login page", 200, "<!DOCTYPE html><html><title>Login</title></html>",
         {{"content-type", "text/html; charset=utf-8"}}},
    };
    for (const auto& a : answers) {
        SECTION(a.name) {
            Rig rig;
            CHECK(expire_between_calls(rig, a, kOk).ok());
        }
    }
}

TEST_CASE("a second unauthenticated answer is an error, never a login loop", "[unit][session]") {
    SECTION("401 after the re-login") {
        Rig rig;
        const Answer unauthorized{"401", 401, "", {}};
        auto r = expire_between_calls(rig, unauthorized, unauthorized);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().kind == ErrorKind::auth);
        CHECK(r.error().message == "the panel still treats us as logged out for the inbound list");
    }
    SECTION("empty 404 after the re-login") {
        Rig rig;
        const Answer gone{"404", 404, "", {}};
        auto r = expire_between_calls(rig, gone, gone);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().where == "GET /base/panel/api/inbounds/list: HTTP 404");
    }
    SECTION("401 right after a fresh login: no second login at all") {
        Rig rig;
        rig.t.expect_login_v3("/base/");
        rig.t.expect("GET", kList, 401, "");
        auto r = get_list(rig.session);
        REQUIRE_FALSE(r.ok());
        rig.done();
        CHECK(r.error().kind == ErrorKind::auth);
        CHECK(rig.session.login_requests() == 1);
    }
}

TEST_CASE("token mode sends Bearer on panel/api only and never logs in", "[unit][session]") {
    Rig rig(token_credentials());
    rig.t.expect("GET", kList, 200, ok_envelope("[]"));
    rig.t.expect("POST", kReset, 200, ok_envelope("null"));
    rig.t.expect("POST", "/base/panel/server/status", 404, "");
    REQUIRE(get_list(rig.session).ok());
    REQUIRE(rig.session.call("POST", "panel/api/inbounds/resetAllTraffics", "reset").ok());
    auto old_status = rig.session.probe("POST", "panel/server/status", "server status");
    REQUIRE_FALSE(old_status.ok());
    CHECK(old_status.error().kind == ErrorKind::not_found);
    rig.done();
    CHECK(rig.session.login_requests() == 0);
    for (const auto& line : {"GET " + kList, "POST " + kReset}) {
        const auto& r = rig.request(line);
        CHECK(request_header(r, "Authorization") == "Bearer tok-123");
        CHECK_FALSE(request_header(r, "Cookie"));
        CHECK_FALSE(request_header(r, "X-CSRF-Token"));
    }
    CHECK_FALSE(request_header(rig.request("POST /base/panel/server/status"), "Authorization"));
}

TEST_CASE("a wrong base path (csrf-token and login both 404) names the base path", "[unit][session]") {
    Rig rig(password_credentials(), "http://panel.test:2053/wrong");
    rig.t.expect("GET", "/wrong/csrf-token", 404, "");
    rig.t.expect("POST", "/wrong/getTwoFactorEnable", 404, "");
    rig.t.expect("POST", "/wrong/login", 404, "");
    auto r = get_list(rig.session);
    REQUIRE_FALSE(r.ok());
    rig.done();
    CHECK(r.error().kind == ErrorKind::http);
    CHECK(r.error().message == "the panel answered 404 Not Found for /wrong/login");
    CHECK(r.error().hint.find("check --url: a wrong web base path looks exactly like 404") == 0);
    CHECK(rig.count("GET /wrong/panel/api/inbounds/list") == 0);
}

TEST_CASE("a panel error status on a call is an http error with where", "[unit][session]") {
    Rig rig;
    rig.t.expect_login_v3("/base/");
    rig.t.expect("GET", kList, 500, "");
    auto r = get_list(rig.session);
    REQUIRE_FALSE(r.ok());
    rig.done();
    CHECK(r.error().kind == ErrorKind::http);
    CHECK(r.error().message == "the panel failed the inbound list with HTTP 500");
    CHECK(r.error().where == "GET /base/panel/api/inbounds/list: HTTP 500");
    CHECK(r.error().hint == "the panel hit an internal error; see its log");
}

TEST_CASE("success:false on a call is an api error with the panel's message", "[unit][session]") {
    Rig rig(token_credentials());
    rig.t.expect("POST", "/base/panel/api/clients/resetTraffic/x", 200,
                 R"({"success":false,"msg":"Something went wrong (record not found)\n","obj":null})");
    auto r = rig.session.call("POST", "panel/api/clients/resetTraffic/x", "client traffic reset");
    REQUIRE_FALSE(r.ok());
    rig.done();
    CHECK(r.error().kind == ErrorKind::api);
    CHECK(r.error().message ==
          "the panel refused the client traffic reset: Something went wrong (record not found)");
    CHECK(r.error().where == "POST /base/panel/api/clients/resetTraffic/x: HTTP 200");
}

TEST_CASE("decode_envelope checks success and trims the message", "[unit][session]") {
    auto decode = [](std::string body) {
        HttpResponse r;
        r.status = 200;
        r.body = std::move(body);
        return decode_envelope(r, "client delete", "POST /x: HTTP 200");
    };
    struct Case {
        const char* body;
        const char* message;
    };
    const Case failures[] = {
        {R"({"success":false,"msg":"Something went wrong (Duplicate email: bob\n)\n","obj":null})",
         "the panel refused the client delete: Something went wrong (Duplicate email: bob)"},
        {R"({"success":false,"msg":"  spaced  \r\n","obj":null})",
         "the panel refused the client delete: spaced"},
        {R"({"success":false,"obj":null})", "the panel refused the client delete: no message"},
        {R"({"success":false,"msg":"","obj":null})", "the panel refused the client delete: no message"},
    };
    for (const auto& c : failures) {
        CAPTURE(c.body);
        auto r = decode(c.body);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().kind == ErrorKind::api);
        CHECK(r.error().message == c.message);
        CHECK(r.error().where == "POST /x: HTTP 200");
    }
    auto not_json = decode("<html>");
    REQUIRE_FALSE(not_json.ok());
    CHECK(not_json.error().kind == ErrorKind::api);
    CHECK(not_json.error().message.find("the panel sent invalid JSON for the client delete") == 0);
    CHECK(not_json.error().where == "POST /x: HTTP 200");

    auto no_success = decode(R"({"msg":"x","obj":null})");
    REQUIRE_FALSE(no_success.ok());
    CHECK(no_success.error().kind == ErrorKind::api);
    CHECK(no_success.error().message ==
          "the panel's answer for the client delete is not an API envelope (unexpected panel JSON "
          "at success: missing)");

    auto ok = decode(R"({"success":true,"msg":" You have successfully logged into your account.","obj":{"deleted":3}})");
    REQUIRE(ok.ok());
    CHECK(ok.value()["obj"]["deleted"].GetInt() == 3);
}

TEST_CASE("looks_unauthenticated recognises every logged-out answer", "[unit][session]") {
    auto answer = [](long status, std::string body, Headers headers = {}) {
        HttpResponse r;
        r.status = status;
        r.body = std::move(body);
        r.headers = std::move(headers);
        return looks_unauthenticated(r);
    };
    CHECK(answer(401, ""));
    CHECK(answer(401, R"({"success":false,"msg":"Your session has expired, please log in again"})"));
    CHECK(answer(404, ""));
    CHECK(answer(404, "\n"));
    CHECK(answer(301, ""));
    CHECK(answer(307, "", {{"location", "/"}}));
    CHECK(answer(200, "<!DOCTYPE html>", {{"content-type", "text/html"}}));
    CHECK(answer(200, "  <html>"));
    CHECK_FALSE(answer(404, "404 page not found"));
    CHECK_FALSE(answer(200, R"({"success":true})"));
    CHECK_FALSE(answer(500, ""));
    CHECK_FALSE(answer(403, ""));
}
