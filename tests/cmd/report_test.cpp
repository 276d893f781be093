// stats --report: totals per inbound and overall, top clients, in table,
// CSV/TSV (one sheet) and JSON; filters and --sort apply.
#include <catch2/catch.hpp>

#include "support/harness.hpp"
#include "support/panel_script.hpp"
#include "support/workflow.hpp"

using namespace xuictl::test;

namespace {

void expect_list(Harness& h, Api api = Api::v3) {
    if (api == Api::v3) {
        h.transport.expect_login_v3();
    } else {
        h.transport.expect_login_classic();
    }
    h.transport.expect("GET", first_view_list_path(api), 200, list_fixture(api));
}

// CSV rows (RFC 4180 ends them with CRLF), without the line ends.
std::vector<std::string> csv_rows(const std::string& csv) {
    auto lines = lines_of(csv);
    for (auto& l : lines) {
        CHECK((!l.empty() && l.back() == '\r'));
        if (!l.empty() && l.back() == '\r') {
            l.pop_back();
        }
    }
    return lines;
}

}  // namespace

TEST_CASE("stats --report -o csv is one sheet: inbounds, total, top clients", "[cmd][report]") {
    for (Api api : {Api::v3, Api::classic}) {
        SECTION(api_name(api)) {
            Harness h;
            expect_list(h, api);
            REQUIRE(h.run({"stats", "--report", "--top", "3", "-o", "csv", "--bytes"}) == 0);
            CHECK(h.transport.unexpected().empty());
            CHECK(csv_rows(h.out) ==
                  std::vector<std::string>{
                      "SCOPE,INBOUND,REMARK,EMAIL,CLIENTS,UP,DOWN,USED,QUOTA,USED%,SHARE",
                      // a3 has no quota, so inbound 1 has no overall % used.
                      "inbound,1,alpha,,6,4398776320,3209691136,7608467456,0,-,10.1%",
                      "inbound,2,東京 tokyo,,2,56908316672,10737418240,67645734912,0,-,89.9%",
                      "inbound,3,gamma,,1,0,0,0,0,-,0.0%",
                      "total,,,,9,61307092992,13947109376,75254202368,0,-,100.0%",
                      "top,2,東京 tokyo,b1@x.test,1,53687091200,10737418240,64424509440,0,-,85.6%",
                      "top,1,alpha,a1@x.test,1,1073741824,2147483648,3221225472,10737418240,30.0%,"
                      "4.3%",
                      "top,2,東京 tokyo,b2@x.test,1,3221225472,0,3221225472,2147483648,150.0%,4.3%",
                  });
        }
    }
}

TEST_CASE("stats --report -o json sums bytes and quotas", "[cmd][report]") {
    Harness h;
    expect_list(h);
    REQUIRE(h.run({"stats", "--report", "-o", "json", "--top", "2"}) == 0);
    const auto doc = parse_json_text(h.out);
    REQUIRE(doc["inbounds"].Size() == 3);
    const auto& one = doc["inbounds"][0];
    CHECK(one["id"].GetInt() == 1);
    CHECK(one["clients"].GetUint64() == 6);
    CHECK(one["used"].GetInt64() == 7608467456);
    CHECK(one["quota"].GetInt64() == 28991029248);
    CHECK(one["unlimited_clients"].GetUint64() == 1);
    CHECK(one["percent"].IsNull());
    CHECK(one["share"].GetDouble() == Approx(10.1104).epsilon(1e-4));
    CHECK(doc["total"]["used"].GetInt64() == 75254202368);
    CHECK(doc["total"]["up"].GetInt64() == 61307092992);
    CHECK(doc["total"]["quota"].GetInt64() == 31138512896);
    CHECK(doc["total"]["clients"].GetUint64() == 9);
    REQUIRE(doc["top"].Size() == 2);
    CHECK(std::string(doc["top"][0]["email"].GetString()) == "b1@x.test");
    CHECK(std::string(doc["top"][1]["email"].GetString()) == "a1@x.test");
}

TEST_CASE("stats --report follows the filters and --sort", "[cmd][report]") {
    SECTION("--sort used puts the heaviest inbound first") {
        Harness h;
        expect_list(h);
        REQUIRE(h.run({"stats", "--report", "--sort", "used", "--top", "0", "-o", "tsv",
                       "--bytes"}) == 0);
        const auto lines = lines_of(h.out);
        REQUIRE(lines.size() == 5);
        CHECK(lines[1].rfind("inbound\t2\t", 0) == 0);
        CHECK(lines[2].rfind("inbound\t1\t", 0) == 0);
        CHECK(lines[3].rfind("inbound\t3\t", 0) == 0);
    }
    SECTION("--inbound 1 without the unlimited client: a % used") {
        Harness h;
        expect_list(h);
        REQUIRE(h.run({"stats", "--report", "--inbound", "1", "--over", "0.001", "--top", "1", "-o",
                       "csv", "--bytes"}) == 0);
        CHECK(
            csv_rows(h.out) ==
            std::vector<std::string>{
                "SCOPE,INBOUND,REMARK,EMAIL,CLIENTS,UP,DOWN,USED,QUOTA,USED%,SHARE",
                "inbound,1,alpha,,5,4388290560,3209691136,7597981696,28991029248,26.2%,100.0%",
                "total,,,,5,4388290560,3209691136,7597981696,28991029248,26.2%,100.0%",
                "top,1,alpha,a1@x.test,1,1073741824,2147483648,3221225472,10737418240,30.0%,42.4%",
            });
    }
    SECTION("--sort percent picks the top clients by % used") {
        Harness h;
        expect_list(h);
        REQUIRE(h.run({"stats", "--report", "--sort", "percent", "--top", "2", "-o", "json"}) == 0);
        const auto doc = parse_json_text(h.out);
        CHECK(std::string(doc["top"][0]["email"].GetString()) == "a5@x.test");  // 200 %
        CHECK(std::string(doc["top"][1]["email"].GetString()) == "b2@x.test");  // 150 %
    }
}

TEST_CASE("stats --report on a terminal: inbound table with TOTAL, then the top clients",
          "[cmd][report]") {
    Harness h;
    h.terminal.set_tty(true);
    expect_list(h);
    REQUIRE(h.run({"stats", "--report", "--top", "2"}) == 0);
    CHECK(h.out.find("INBOUND  REMARK") != std::string::npos);
    CHECK(h.out.find("TOTAL") != std::string::npos);
    CHECK(h.out.find("70.09 GiB") != std::string::npos);  // the total used
    CHECK(h.out.find("\nTop 2 client(s):\n") != std::string::npos);
    CHECK(h.out.find("b1@x.test") != std::string::npos);
}
