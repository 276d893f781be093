#pragma once

#include <algorithm>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "model/decode.hpp"
#include "panel/capabilities.hpp"
#include "support/fake_transport.hpp"
#include "support/harness.hpp"

namespace xuictl::test {

// Canned server/status bodies: v3 reports panelVersion, classic does not.
inline std::string status_v3(const std::string& version = "3.6.0") {
    return ok_envelope(
        R"({"cpu":1.5,"mem":{"current":1,"total":2},"xray":{"state":"running","version":"25.1.1"},"uptime":10,"panelVersion":")" +
        version + R"("})");
}
inline std::string status_classic() {
    return ok_envelope(
        R"({"cpu":1.5,"mem":{"current":1,"total":2},"xray":{"state":"running","version":"25.1.1"},"uptime":10})");
}

// The two API generations the fixtures come in.
enum class Api { classic, v3 };
inline const char* api_name(Api api) {
    return api == Api::v3 ? "v3" : "classic";
}
inline std::string list_fixture(Api api) {
    return fixture(api == Api::v3 ? "inbounds_v3.json" : "inbounds_classic.json");
}

// A list answer (an inbounds/list envelope) decoded; throws if it does not decode.
inline std::vector<Inbound> decode_list_answer(const std::string& envelope) {
    rapidjson::Document doc;
    doc.Parse(envelope.c_str(), envelope.size());
    if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("obj")) {
        throw std::logic_error("not an inbounds/list envelope");
    }
    auto list = decode_inbound_list(doc["obj"], "obj");
    if (!list) {
        throw std::logic_error(list.error().message);
    }
    return std::move(list.value());
}
inline std::vector<Inbound> fixture_inbounds(Api api) {
    return decode_list_answer(list_fixture(api));
}

// What a read-only view asks for when no session is cached: after a login
// that handed out a CSRF token (v3 fixtures) list/slim, else the full list.
inline std::string first_view_list_path(Api api, const std::string& base = "/") {
    return base + (api == Api::v3 ? "panel/api/inbounds/list/slim" : "panel/api/inbounds/list");
}

// What a plan asks a panel that may have token scopes (after v3.6.0, or a
// version that is no release number) to find a master's node-sync token
// (panel_role.hpp): GET setting/apiTokens, here with no tokens listed.
inline bool may_have_scopes(Api api, const std::string& version) {
    const auto v = Version::parse(version);
    return api == Api::v3 && (!v || *v > Version{{3, 6, 0}});
}
inline void expect_api_tokens(FakeTransport& t, Api api, const std::string& version,
                              const std::string& tokens = "[]") {
    if (may_have_scopes(api, version)) {
        t.expect("GET", "/panel/api/setting/apiTokens", 200, ok_envelope(tokens));
    }
}

// The read phase of a destructive command: login, probe, list (and the
// token list of a panel after v3.6.0). An empty
// `list` answers with the generation's fixture.
inline void expect_read(FakeTransport& t, Api api, const std::string& list = {},
                        const std::string& version = "3.6.0") {
    if (api == Api::v3) {
        t.expect_login_v3();
        t.expect("GET", "/panel/api/server/status", 200, status_v3(version));
    } else {
        t.expect_login_classic();
        t.expect("GET", "/panel/api/server/status", 200, status_classic());
    }
    t.expect("GET", "/panel/api/inbounds/list", 200, list.empty() ? list_fixture(api) : list);
    expect_api_tokens(t, api, version);
}
inline void expect_read_v3(FakeTransport& t, const std::string& version = "3.6.0") {
    expect_read(t, Api::v3, {}, version);
}
inline void expect_read_classic(FakeTransport& t) {
    expect_read(t, Api::classic);
}

// The request lines of expect_login_v3 / expect_login_classic, and the POSTs
// among them (what a command that writes nothing sends with POST).
inline std::vector<std::string> login_lines() {
    return {"GET /csrf-token", "POST /getTwoFactorEnable", "POST /login"};
}
inline std::vector<std::string> login_posts() {
    std::vector<std::string> out;
    for (const auto& line : login_lines()) {
        if (line.rfind("POST ", 0) == 0) {
            out.push_back(line);
        }
    }
    return out;
}

// The request lines of expect_read: login, probe, list.
inline std::vector<std::string> read_lines() {
    auto lines = login_lines();
    lines.push_back("GET /panel/api/server/status");
    lines.push_back("GET /panel/api/inbounds/list");
    return lines;
}

// inbounds/get/:id of the fixture: that inbound of the list, in an envelope
// (what a purge reads for its snapshot before anything is recorded).
inline std::string get_answer(Api api, int id) {
    rapidjson::Document list;
    const std::string text = list_fixture(api);
    list.Parse(text.c_str(), text.size());
    for (const auto& in : list["obj"].GetArray()) {
        if (in["id"].GetInt() == id) {
            rapidjson::StringBuffer buffer;
            rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
            in.Accept(w);
            return ok_envelope(std::string(buffer.GetString(), buffer.GetSize()));
        }
    }
    return fail_envelope("no such inbound");
}

inline std::string get_line(int id) {
    return "GET /panel/api/inbounds/get/" + std::to_string(id);
}

// What a purge reads whole for its snapshot before anything is recorded,
// as request line and the fixture's answer: inbounds/get/:id of each
// inbound (`ids`) a purge of one inbound deletes from; for a purge of all
// (`all`), the whole inbounds/list once.
struct WholeRead {
    std::string line;
    std::string answer;
};
inline std::vector<WholeRead> whole_reads(Api api, const std::vector<int>& ids, bool all) {
    std::vector<WholeRead> out;
    if (all && !ids.empty()) {
        out.push_back({"GET /panel/api/inbounds/list", list_fixture(api)});
        return out;
    }
    for (int id : ids) {
        out.push_back({get_line(id), get_answer(api, id)});
    }
    return out;
}
inline bool purges_all(const std::vector<std::string>& args) {
    return args.size() >= 3 && args[0] == "clients" && args[1] == "purge-depleted" &&
           std::find(args.begin(), args.end(), "--all") != args.end();
}

}  // namespace xuictl::test
