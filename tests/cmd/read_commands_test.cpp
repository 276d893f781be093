// Read-only commands: stats -o json, table alignment with wide characters,
// inbound list, clients show, version.
#include <catch2/catch.hpp>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <string>

#include "support/harness.hpp"
#include "support/panel_script.hpp"
#include "support/temp_dir.hpp"
#include "support/text_difference.hpp"
#include "version.hpp"

using namespace xuictl::test;

namespace {

// Login, then exactly one list request answered with the generation's fixture.
// `cycles`: a view that shows each client's own cycle (stats, clients list)
// asks a v3 panel its version first (3.6.0 here: none, so list/slim).
void expect_list(Harness& h, Api api, bool cycles = false) {
    if (api == Api::v3) {
        h.transport.expect_login_v3();
        if (cycles) {
            h.transport.expect("GET", "/panel/api/server/status", 200, status_v3());
        }
    } else {
        h.transport.expect_login_classic();
    }
    h.transport.expect("GET", first_view_list_path(api), 200, list_fixture(api));
}

std::vector<std::string> list_lines(Api api, bool cycles = false) {
    auto lines = login_lines();
    if (cycles && api == Api::v3) {
        lines.push_back("GET /panel/api/server/status");
    }
    lines.push_back("GET " + first_view_list_path(api));
    return lines;
}

// Terminal columns of a UTF-8 prefix, counted independently of the code
// under test: CJK ideographs are two columns, everything else one.
size_t columns(const std::string& utf8) {
    size_t width = 0;
    for (size_t i = 0; i < utf8.size();) {
        const auto b = static_cast<unsigned char>(utf8[i]);
        const size_t len = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : 4;
        uint32_t cp = len == 1 ? b : b & (0xFFu >> (len + 1));
        for (size_t k = 1; k < len; ++k) {
            cp = (cp << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3Fu);
        }
        width += (cp >= 0x4E00 && cp <= 0x9FFF) ? 2 : 1;
        i += len;
    }
    return width;
}

// The column where `cell` starts on `line`.
size_t column_of(const std::string& line, const std::string& cell) {
    const auto at = line.find(cell);
    INFO(line << " / " << cell);
    REQUIRE(at != std::string::npos);
    return columns(line.substr(0, at));
}

std::vector<std::string> member_names(const rapidjson::Value& object) {
    std::vector<std::string> out;
    for (const auto& m : object.GetObject()) {
        out.emplace_back(m.name.GetString());
    }
    return out;
}

const rapidjson::Value& client_named(const rapidjson::Value& clients, const std::string& email) {
    for (const auto& c : clients.GetArray()) {
        if (email == c["email"].GetString()) {
            return c;
        }
    }
    FAIL("no client " << email);
    return clients;
}

// The v3 fixture with `per_inbound` clients in each inbound, copies of its
// first one with their own emails (some with characters JSON escapes) and
// counters: more rows than write_rows formats on one thread.
std::string big_v3_list(int per_inbound) {
    rapidjson::Document doc;
    const std::string text = list_fixture(Api::v3);
    doc.Parse(text.c_str(), text.size());
    auto& a = doc.GetAllocator();
    for (auto& inbound : doc["obj"].GetArray()) {
        auto& stats = inbound["clientStats"];
        auto& settings = inbound["settings"]["clients"];
        const rapidjson::Value stat_template(stats[0], a);
        const rapidjson::Value client_template(settings[0], a);
        stats.Clear();
        settings.Clear();
        for (int i = 0; i < per_inbound; ++i) {
            const std::string email = std::to_string(inbound["id"].GetInt()) + "-" +
                                      std::to_string(i) + (i % 7 == 0 ? "\"q\t東" : "") + "@x.test";
            rapidjson::Value stat(stat_template, a);
            stat["email"].SetString(email.c_str(), static_cast<rapidjson::SizeType>(email.size()),
                                    a);
            stat["up"].SetInt64(int64_t{i} * 1048573);
            stat["total"].SetInt64(i % 3 == 0 ? 0 : int64_t{i} * 3000017);
            stats.PushBack(stat, a);
            rapidjson::Value client(client_template, a);
            client["email"].SetString(email.c_str(), static_cast<rapidjson::SizeType>(email.size()),
                                      a);
            client["totalGB"].SetInt64(i % 3 == 0 ? 0 : int64_t{i} * 3000017);
            settings.PushBack(client, a);
        }
    }
    rapidjson::StringBuffer out;
    rapidjson::Writer<rapidjson::StringBuffer> w(out);
    doc.Accept(w);
    return {out.GetString(), out.GetSize()};
}

// `json` parsed and written again on one line by RapidJSON's Writer.
std::string one_line(const std::string& json) {
    rapidjson::Document doc;
    doc.Parse<rapidjson::kParseFullPrecisionFlag>(json.c_str(), json.size());
    REQUIRE_FALSE(doc.HasParseError());
    rapidjson::StringBuffer out;
    rapidjson::Writer<rapidjson::StringBuffer> w(out);
    doc.Accept(w);
    return std::string(out.GetString(), out.GetSize()) + "\n";
}

}  // namespace

TEST_CASE("stats and clients list -o json at 9 000 clients: the indented document on one line",
          "[cmd][stats]") {
    // One-line rows are formatted on several threads, indented ones one
    // after another: both must be the same document, the one-line text the
    // same bytes as RapidJSON's Writer gives for it.
    const std::string list = big_v3_list(3000);
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"stats", "-o", "json"},
          std::vector<std::string>{"clients", "list", "-o", "json"}}) {
        CAPTURE(args[0]);
        Harness piped;
        piped.transport.expect_login_v3();
        piped.transport.expect("GET", "/panel/api/server/status", 200, status_v3());
        piped.transport.expect("GET", first_view_list_path(Api::v3), 200, list);
        REQUIRE(piped.run(args) == 0);
        Harness terminal;
        terminal.terminal.set_tty(true);
        terminal.transport.expect_login_v3();
        terminal.transport.expect("GET", "/panel/api/server/status", 200, status_v3());
        terminal.transport.expect("GET", first_view_list_path(Api::v3), 200, list);
        REQUIRE(terminal.run(args) == 0);
        REQUIRE(terminal.out.find("\n  ") != std::string::npos);  // indented
        CHECK(xuictl::test::text_difference(piped.out, one_line(terminal.out)) == "");
        CHECK(piped.out.find("\"email\":\"3-2999@x.test\"") != std::string::npos);
        CHECK(piped.out.find("\"email\":\"1-7\\\"q\\t東@x.test\"") != std::string::npos);
    }
}

TEST_CASE("stats -o json: exact keys and values of a client and the totals", "[cmd][stats]") {
    for (Api api : {Api::classic, Api::v3}) {
        SECTION(api_name(api)) {
            Harness h;
            expect_list(h, api, true);
            REQUIRE(h.run({"stats", "-o", "json"}) == 0);
            CHECK(h.transport.request_lines() == list_lines(api, true));
            rapidjson::Document doc;
            doc.Parse(h.out.c_str(), h.out.size());
            REQUIRE_FALSE(doc.HasParseError());
            CHECK(member_names(doc) == std::vector<std::string>{"inbounds", "clients", "totals"});

            const auto& a1 = client_named(doc["clients"], "a1@x.test");
            CHECK(member_names(a1) == std::vector<std::string>{"inbound_id", "email", "enabled",
                                                               "admin_enabled", "traffic_enabled",
                                                               "up", "down", "used", "quota",
                                                               "percent", "expiry_time", "expiry",
                                                               "reset_days", "depleted", "cycle"});
            CHECK(a1["inbound_id"].GetInt() == 1);
            CHECK(a1["enabled"].GetBool());
            CHECK(a1["admin_enabled"].GetBool());
            CHECK(a1["traffic_enabled"].GetBool());
            CHECK(a1["up"].GetInt64() == 1073741824);
            CHECK(a1["down"].GetInt64() == 2147483648);
            CHECK(a1["used"].GetInt64() == 3221225472);
            CHECK(a1["quota"].GetInt64() == 10737418240);
            CHECK(a1["percent"].GetDouble() == 30.0);
            CHECK(a1["expiry_time"].GetInt64() == 1769817600000);
            CHECK(std::string(a1["expiry"].GetString()) == "in 30d");
            CHECK(a1["reset_days"].GetInt() == 0);
            CHECK_FALSE(a1["depleted"].GetBool());

            const auto& a2 = client_named(doc["clients"], "a2@x.test");
            CHECK_FALSE(a2["enabled"].GetBool());
            CHECK(a2["admin_enabled"].GetBool());
            CHECK_FALSE(a2["traffic_enabled"].GetBool());
            CHECK(a2["percent"].GetDouble() == 107.421875);
            CHECK(a2["depleted"].GetBool());
            CHECK(client_named(doc["clients"], "b1@x.test")["percent"].IsNull());
            CHECK(std::string(client_named(doc["clients"], "a6@x.test")["expiry"].GetString()) ==
                  "7d after first use");

            const auto& totals = doc["totals"];
            CHECK(member_names(totals) ==
                  std::vector<std::string>{"clients", "rows", "depleted", "up", "down", "used"});
            CHECK(totals["clients"].GetUint64() == 9);
            CHECK(totals["depleted"].GetUint64() == 4);
            CHECK(totals["up"].GetInt64() == 61307092992);
            CHECK(totals["down"].GetInt64() == 13947109376);
            CHECK(totals["used"].GetInt64() == 75254202368);

            REQUIRE(doc["inbounds"].Size() == 3);
            const auto& tokyo = doc["inbounds"][1];
            CHECK(member_names(tokyo) ==
                  std::vector<std::string>{"id", "remark", "protocol", "port", "enabled", "up",
                                           "down", "used", "quota", "percent", "expiry_time",
                                           "expiry", "client_count"});
            CHECK(std::string(tokyo["remark"].GetString()) == "東京 tokyo");
            CHECK(tokyo["used"].GetInt64() == 7000);
            CHECK(tokyo["client_count"].GetUint64() == 2);
        }
    }
}

TEST_CASE("tables on a TTY stay aligned around the remark \"東京 tokyo\"", "[cmd][table]") {
    SECTION("inbound list") {
        Harness h;
        h.terminal.set_tty(true);
        expect_list(h, Api::v3);
        REQUIRE(h.run({"inbound", "list"}) == 0);
        const auto lines = lines_of(h.out);
        REQUIRE(lines.size() == 4);
        CHECK(lines[2].find("東京 tokyo") != std::string::npos);
        const size_t protocol = column_of(lines[0], "PROTOCOL");
        CHECK(column_of(lines[1], "vless") == protocol);
        CHECK(column_of(lines[2], "vmess") == protocol);
        CHECK(column_of(lines[3], "trojan") == protocol);
        const size_t enabled = column_of(lines[0], "ENABLED");
        for (size_t i = 1; i < lines.size(); ++i) {
            CHECK(column_of(lines[i], "yes") == enabled);
            // Right-aligned numbers end where their header ends.
        }
        const size_t port_end = column_of(lines[0], "PORT") + 4;
        CHECK(column_of(lines[2], "20002") + 5 == port_end);
    }
    SECTION("stats: inbound table, blank line, client table") {
        Harness h;
        h.terminal.set_tty(true);
        expect_list(h, Api::classic);
        REQUIRE(h.run({"stats"}) == 0);
        const auto lines = lines_of(h.out);
        REQUIRE(lines.size() == 4 + 1 + 10);
        CHECK(lines[4].empty());
        const size_t protocol = column_of(lines[0], "PROTOCOL");
        CHECK(column_of(lines[2], "vmess") == protocol);
        CHECK(lines[5].rfind("INBOUND  EMAIL", 0) == 0);
    }
}

TEST_CASE("inbound list: TSV and JSON, one list request", "[cmd][inbound]") {
    SECTION("tsv with raw bytes") {
        Harness h;
        expect_list(h, Api::classic);
        REQUIRE(h.run({"inbound", "list", "-o", "tsv", "--bytes"}) == 0);
        CHECK(h.transport.request_lines() == list_lines(Api::classic));
        CHECK(h.out ==
              "ID\tREMARK\tPROTOCOL\tPORT\tCLIENTS\tUP\tDOWN\tUSED\tQUOTA\tUSED%\tEXPIRES\tENABLED\n"
              "1\talpha\tvless\t20001\t6\t1000\t2000\t3000\t0\t\t\ttrue\n"
              "2\t東京 tokyo\tvmess\t20002\t2\t3000\t4000\t7000\t0\t\t\ttrue\n"
              "3\tgamma\ttrojan\t20003\t1\t0\t0\t0\t0\t\t\ttrue\n");
    }
    SECTION("piped output defaults to tsv: data, raw bytes without --bytes") {
        Harness h;
        expect_list(h, Api::v3);
        REQUIRE(h.run({"inbound", "list"}) == 0);
        const auto lines = lines_of(h.out);
        REQUIRE(lines.size() == 4);
        CHECK(lines[1] == "1\talpha\tvless\t20001\t6\t1000\t2000\t3000\t0\t\t\ttrue");
    }
    SECTION("json") {
        Harness h;
        expect_list(h, Api::v3);
        REQUIRE(h.run({"inbound", "list", "-o", "json"}) == 0);
        rapidjson::Document doc;
        doc.Parse(h.out.c_str(), h.out.size());
        REQUIRE_FALSE(doc.HasParseError());
        REQUIRE(doc.IsArray());
        REQUIRE(doc.Size() == 3);
        CHECK(doc[2]["id"].GetInt() == 3);
        CHECK(std::string(doc[2]["protocol"].GetString()) == "trojan");
        CHECK(doc[0]["client_count"].GetUint64() == 6);
    }
}

TEST_CASE("clients show: one client, or exit 5 for an unknown email", "[cmd][clients]") {
    // clients show reads the full list (never list/slim): only it carries a
    // client's own reset cycle (after v3.6.0).
    const auto expect_full_list = [](Harness& h, Api api) {
        if (api == Api::v3) {
            h.transport.expect_login_v3();
        } else {
            h.transport.expect_login_classic();
        }
        h.transport.expect("GET", "/panel/api/inbounds/list", 200, list_fixture(api));
    };
    for (Api api : {Api::classic, Api::v3}) {
        SECTION(std::string(api_name(api)) + ": unknown") {
            Harness h;
            expect_full_list(h, api);
            CHECK(h.run({"clients", "show", "nobody@x.test"}) == 5);
            CHECK(h.out.empty());
            CHECK(h.err.find("xuictl: error: no client with email 'nobody@x.test'\n") !=
                  std::string::npos);
            auto lines = login_lines();
            lines.push_back("GET /panel/api/inbounds/list");
            CHECK(h.transport.request_lines() == lines);
        }
        SECTION(std::string(api_name(api)) + ": known, as tsv") {
            Harness h;
            expect_full_list(h, api);
            REQUIRE(h.run({"clients", "show", "b2@x.test", "--bytes"}) == 0);
            CHECK(h.out ==
                  "INBOUND\tEMAIL\tUP\tDOWN\tUSED\tQUOTA\tUSED%\tEXPIRES\tENABLED\tDEPLETED\t"
                  "RENEWALS_LEFT\tNEXT_RENEWAL\tTRAFFIC_RESET\tNEXT_TRAFFIC_RESET\tSTATE\n"
                  "2\tb2@x.test\t3221225472\t0\t3221225472\t2147483648\t150.00\t\tfalse\ttrue\t"
                  "\t\tnever\t\tauto-disabled\n");
        }
    }
}

TEST_CASE("version reports the panel's version and API generation", "[cmd][version]") {
    const std::string header = std::string("xuictl ") + xuictl::kVersion + "\n";
    SECTION("v3") {
        Harness h;
        h.transport.expect_login_v3();
        h.transport.expect("GET", "/panel/api/server/status", 200, status_v3("3.6.0"));
        // Not a master: an empty node list adds nothing to the output.
        h.transport.expect("GET", "/panel/api/nodes/list", 200,
                           R"({"success":true,"msg":"","obj":[]})");
        REQUIRE(h.run({"version"}) == 0);
        CHECK(h.transport.unexpected().empty());
        CHECK(h.transport.pending() == 0);
        CHECK(h.out == header + "panel  3.6.0 (API v3)\napi    v3\nxray   25.1.1 (running)\n");
    }
    SECTION("classic") {
        Harness h;
        h.transport.expect_login_classic();
        h.transport.expect("GET", "/panel/api/server/status", 200, status_classic());
        REQUIRE(h.run({"version", "-o", "json"}) == 0);
        CHECK(h.transport.unexpected().empty());
        CHECK(h.transport.pending() == 0);
        // A pipe gets one line: half the bytes of a 100 000-client document.
        CHECK(h.out == std::string("{\"xuictl\":\"") + xuictl::kVersion +
                           "\",\"panel_version\":null,\"api\":\"classic\","
                           "\"xray_version\":\"25.1.1\"}\n");
    }
    SECTION("JSON is indented for a terminal") {
        Harness h;
        h.terminal.set_tty(true);
        h.transport.expect_login_classic();
        h.transport.expect("GET", "/panel/api/server/status", 200, status_classic());
        REQUIRE(h.run({"version", "-o", "json"}) == 0);
        CHECK(h.out == std::string("{\n  \"xuictl\": \"") + xuictl::kVersion +
                           "\",\n  \"panel_version\": null,\n  \"api\": \"classic\",\n"
                           "  \"xray_version\": \"25.1.1\"\n}\n");
    }
    SECTION("--local sends nothing") {
        Harness h;
        REQUIRE(h.run({"version", "--local"}) == 0);
        CHECK(h.out == header);
        CHECK(h.transport.requests().empty());
        CHECK(h.transports_made == 0);
    }
}
