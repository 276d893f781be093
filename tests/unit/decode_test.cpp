#include <catch2/catch.hpp>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <fmt/format.h>

#include "model/decode.hpp"
#include "model/usage.hpp"
#include "support/describe.hpp"
#include "support/harness.hpp"

using namespace xuictl;
using xuictl::test::describe;

namespace {

Result<std::vector<Inbound>> decode_list(const std::string& obj_json) {
    rapidjson::Document doc;
    doc.Parse(obj_json.c_str(), obj_json.size());
    REQUIRE_FALSE(doc.HasParseError());
    return decode_inbound_list(doc, "obj");
}

// The list with every inbound's nested settings object replaced by its text,
// which is how classic panels (≤ v3.0.x) send it.
std::string with_settings_as_string(const std::string& obj_json) {
    rapidjson::Document doc;
    doc.Parse(obj_json.c_str(), obj_json.size());
    for (auto& in : doc.GetArray()) {
        rapidjson::StringBuffer buffer;
        rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
        in["settings"].Accept(w);
        in["settings"].SetString(buffer.GetString(),
                                 static_cast<rapidjson::SizeType>(buffer.GetSize()),
                                 doc.GetAllocator());
    }
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
    doc.Accept(w);
    return buffer.GetString();
}

// One v3-shaped inbound with unknown fields sprinkled at every level.
const char* kNested = R"([{
  "id": 7, "up": 1, "down": 2, "total": 3, "remark": "r", "enable": false, "expiryTime": 9,
  "trafficReset": "monthly", "port": 443, "protocol": "vless", "tag": "t",
  "futureField": {"x": [1, 2]}, "streamSettings": {"network": "tcp"},
  "settings": {"clients": [
      {"email": "e1", "enable": false, "totalGB": 100, "expiryTime": -86400000, "reset": 3,
       "limitIp": 2, "subId": "s", "comment": "c", "tgId": 12345, "newThing": true},
      {"email": "e2", "id": "uuid"}],
    "decryption": "none"},
  "clientStats": [
      {"id": 4, "inboundId": 7, "enable": false, "email": "e1", "up": 10, "down": 20, "total": 100,
       "expiryTime": -86400000, "reset": 3, "resetDay": 5, "lastOnline": 77, "allTime": 30,
       "unknown": "x"},
      {"email": "e2", "up": 1024.0, "down": 0}]
}])";

}  // namespace

TEST_CASE("settings as a JSON string and as an object decode to the same inbound",
          "[unit][decode]") {
    auto nested = decode_list(kNested);
    // tgId is a number in the nested form and a string in the classic one (§6.3).
    std::string classic_text = with_settings_as_string(kNested);
    const auto tg = classic_text.find(R"(\"tgId\":12345)");
    REQUIRE(tg != std::string::npos);
    classic_text.replace(tg, std::string(R"(\"tgId\":12345)").size(), R"(\"tgId\":\"12345\")");
    auto classic = decode_list(classic_text);
    REQUIRE(nested.ok());
    REQUIRE(classic.ok());
    REQUIRE(nested->size() == 1);
    REQUIRE(classic->size() == 1);
    CHECK(describe(nested->front()) == describe(classic->front()));
    CHECK(nested->front().settings_was_object);
    CHECK_FALSE(classic->front().settings_was_object);
    CHECK(describe(nested->front()) ==
          "inbound 7 'r' vless t 443 en=false up=1 down=2 total=3 exp=9 reset=monthly/true\n"
          "client e1 en=false quota=100 exp=-86400000 reset=3\n"
          "client e2 en=true quota=0 exp=0 reset=0\n"
          "row 4 in=7 e1 en=false up=10 down=20 total=100 exp=-86400000 reset=3 day=5 online=77 "
          "all=30\n"
          "row 0 in=0 e2 en=true up=1024 down=0 total=0 exp=0 reset=0 day=0 online=0 all=0\n");
}

TEST_CASE("the classic and v3 fixtures give the same client usage", "[unit][decode]") {
    auto load = [](const char* name) {
        rapidjson::Document doc;
        const std::string text = xuictl::test::fixture(name);
        doc.Parse(text.c_str(), text.size());
        auto list = decode_inbound_list(doc["obj"], "obj");
        REQUIRE(list.ok());
        return list.value();
    };
    const auto classic = load("inbounds_classic.json");
    const auto v3 = load("inbounds_v3.json");
    const auto a = client_usage(classic);
    const auto b = client_usage(v3);
    REQUIRE(a.size() == 9);
    REQUIRE(b.size() == a.size());
    for (size_t i = 0; i < a.size(); ++i) {
        CHECK(describe(a[i]) == describe(b[i]));
    }
    CHECK(describe(a[0]) ==
          "1 a1@x.test s=true t=true row=true up=1073741824 down=2147483648 "
          "quota=10737418240 exp=1769817600000 reset=0 day=0");
    CHECK(classic[1].remark == "東京 tokyo");
    CHECK(classic[0].client_stats[0].all_time == 3221225472);
}

TEST_CASE("client fields xuictl does not use are never read, whatever their type",
          "[unit][decode]") {
    // tgId changed from string to number in v2.2.8 (§6.3); subId, limitIp and
    // comment are not shown either. None of them may break a listing.
    for (const char* value : {R"("tgId":"987")", R"("tgId":987)", R"("tgId":true)",
                              R"("subId":5,"limitIp":"x","comment":{"a":[1]})", R"("tgId":null)"}) {
        CAPTURE(value);
        auto list = decode_list(fmt::format(
            R"([{{"id":1,"up":0,"down":0,"settings":{{"clients":[{{"email":"e",{}}}]}}}}])",
            value));
        REQUIRE(list.ok());
        CHECK(describe(list->front()) ==
              "inbound 1 ''   0 en=true up=0 down=0 total=0 exp=0 reset=never/false\n"
              "client e en=true quota=0 exp=0 reset=0\n");
    }
}

TEST_CASE("malformed inbound lists are api errors naming the JSON path", "[unit][decode]") {
    struct Case {
        const char* name;
        std::string obj;
        std::string message;  // after "unexpected panel JSON at "
    };
    const std::string row_ok = R"({"email":"a","up":1,"down":2})";
    const std::vector<Case> cases = {
        {"missing field in a stats row",
         R"([{"id":1,"up":0,"down":0,"clientStats":[)" + row_ok + R"(,{"email":"b","down":2}]}])",
         "obj[0].clientStats[1].up: missing"},
        {"wrong type in a stats row",
         R"([{"id":1,"up":0,"down":0,"clientStats":[)" + row_ok +
             R"(,{"email":"b","up":"12","down":2}]}])",
         "obj[0].clientStats[1].up: expected an integer, got a string"},
        {"fractional counter", R"([{"id":1,"up":1.5,"down":0}])",
         "obj[0].up: expected an integer, got a number"},
        {"id of the second inbound missing", R"([{"id":1,"up":0,"down":0},{"up":0,"down":0}])",
         "obj[1].id: missing"},
        {"id out of int range", R"([{"id":4294967296,"up":0,"down":0}])",
         "obj[0].id: integer 4294967296 out of range"},
        {"enable is a number", R"([{"id":1,"up":0,"down":0,"enable":1}])",
         "obj[0].enable: expected a boolean, got a number"},
        {"invalid JSON inside the settings string",
         R"([{"id":1,"up":0,"down":0,"settings":"{\"clients\": [}"}])",
         "obj[0].settings: the settings string is not valid JSON (byte 13)"},
        {"settings string holding an array", R"([{"id":1,"up":0,"down":0,"settings":"[]"}])",
         "obj[0].settings: expected an object, got an array"},
        {"settings is a number", R"([{"id":1,"up":0,"down":0,"settings":5}])",
         "obj[0].settings: expected a JSON string or an object, got a number"},
        {"settings.clients is an object", R"([{"id":1,"up":0,"down":0,"settings":{"clients":{}}}])",
         "obj[0].settings.clients: expected an array, got an object"},
        {"a client without email (string settings)",
         R"([{"id":1,"up":0,"down":0,"settings":"{\"clients\":[{\"email\":\"a\"},{\"id\":\"u\"}]}"}])",
         "obj[0].settings.clients[1].email: missing"},
        {"clientStats is a string", R"([{"id":1,"up":0,"down":0,"clientStats":"x"}])",
         "obj[0].clientStats: expected an array, got a string"},
        {"a null stats row", R"([{"id":1,"up":0,"down":0,"clientStats":[null]}])",
         "obj[0].clientStats[0]: expected an object, got null"},
        {"an inbound that is a number", "[1]", "obj[0]: expected an object, got a number"},
        {"obj is an object", R"({"id":1})", "obj: expected an array, got an object"},
        {"obj is a string", R"("[]")", "obj: expected an array, got a string"},
        {"obj is null", "null", "obj: expected an array, got null"},
    };
    for (const auto& c : cases) {
        SECTION(c.name) {
            auto list = decode_list(c.obj);
            REQUIRE_FALSE(list.ok());
            CHECK(list.error().kind == ErrorKind::api);
            CHECK(list.error().message == "unexpected panel JSON at " + c.message);
        }
    }
}

TEST_CASE("an empty inbound list is an empty vector", "[unit][decode]") {
    auto list = decode_list("[]");
    REQUIRE(list.ok());
    CHECK(list->empty());
}

TEST_CASE("decode_client_traffic reads one row and names its path", "[unit][decode]") {
    rapidjson::Document doc;
    doc.Parse(R"({"id":3,"inboundId":2,"enable":false,"email":"x@y","up":5,"down":6,"total":7,
                 "expiryTime":8,"reset":1,"lastOnline":9,"extra":[1]})");
    auto row = decode_client_traffic(doc, "obj");
    REQUIRE(row.ok());
    CHECK(row->email == "x@y");
    CHECK(row->inbound_id == 2);
    CHECK_FALSE(row->enable);
    CHECK(row->up == 5);
    CHECK(row->down == 6);
    CHECK(row->total == 7);
    CHECK(row->expiry_time == 8);
    CHECK(row->reset == 1);
    CHECK(row->last_online == 9);

    doc.Parse(R"({"email":"x@y","up":5})");
    auto missing = decode_client_traffic(doc, "obj");
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().message == "unexpected panel JSON at obj.down: missing");
}

TEST_CASE("decode_server_status reads v3 and classic status", "[unit][decode]") {
    rapidjson::Document doc;
    doc.Parse(R"({"cpu":12.5,"cpuCores":4,"mem":{"current":100,"total":400},
                 "xray":{"state":"running","errorMsg":"","version":"25.1.1"},"uptime":3600,
                 "panelVersion":"3.6.0","loads":[0.1,0.2,0.3]})");
    auto v3 = decode_server_status(doc, "obj");
    REQUIRE(v3.ok());
    CHECK(v3->panel_version == "3.6.0");
    CHECK(v3->xray_state == "running");
    CHECK(v3->xray_version == "25.1.1");
    CHECK(v3->uptime_s == 3600);
    CHECK(v3->cpu_percent == Approx(12.5));
    CHECK(v3->mem_current == 100);
    CHECK(v3->mem_total == 400);

    doc.Parse(R"({"cpu":0,"xray":{"state":"stop","version":"1.8.4"},"uptime":1})");
    auto classic = decode_server_status(doc, "obj");
    REQUIRE(classic.ok());
    CHECK(classic->panel_version.empty());
    CHECK(classic->xray_state == "stop");

    struct Case {
        const char* json;
        const char* message;
    };
    for (const auto& c :
         {Case{R"({"xray":"running"})", "obj.xray: expected an object, got a string"},
          Case{R"({"mem":{"current":"1"}})", "obj.mem.current: expected an integer, got a string"},
          Case{R"({"panelVersion":3})", "obj.panelVersion: expected a string, got a number"},
          Case{"[]", "obj: expected an object, got an array"}}) {
        CAPTURE(c.json);
        doc.Parse(c.json);
        auto bad = decode_server_status(doc, "obj");
        REQUIRE_FALSE(bad.ok());
        CHECK(bad.error().kind == ErrorKind::api);
        CHECK(bad.error().message == std::string("unexpected panel JSON at ") + c.message);
    }
}
