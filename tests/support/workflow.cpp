#include "support/workflow.hpp"

#include <catch2/catch.hpp>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>

namespace xuictl::test {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void key_string(Writer& w, const char* key, const std::string& value) {
    w.Key(key);
    w.String(value.c_str(), static_cast<rapidjson::SizeType>(value.size()));
}

}  // namespace

std::string Recorded::plan_json() const {
    rapidjson::StringBuffer buffer;
    Writer w(buffer);
    w.StartObject();
    key_string(w, "operation", operation);
    key_string(w, "command", command);
    key_string(w, "phrase", "PHRASE");
    key_string(w, "api", "v3");
    w.Key("clients");
    w.StartArray();
    for (const auto& c : clients) {
        w.StartObject();
        w.Key("inbound_id");
        w.Int(c.inbound_id);
        key_string(w, "email", c.email);
        w.Key("up");
        w.Int64(c.up);
        w.Key("down");
        w.Int64(c.down);
        w.Key("used");
        w.Int64(c.up + c.down);
        w.Key("quota");
        w.Int64(0);
        w.EndObject();
    }
    w.EndArray();
    w.Key("inbounds");
    w.StartArray();
    for (const auto& in : inbounds) {
        w.StartObject();
        w.Key("id");
        w.Int(in.inbound_id);
        key_string(w, "remark", in.email);
        w.Key("up");
        w.Int64(in.up);
        w.Key("down");
        w.Int64(in.down);
        w.EndObject();
    }
    w.EndArray();
    w.EndObject();
    return std::string(buffer.GetString(), buffer.GetSize());
}

std::string Recorded::snapshot_json() const {
    return R"({"id":")" + id + R"(","panel":")" + panel + R"(","taken_at_ms":)" +
           std::to_string(time_ms) + R"(,"command":")" + command + R"(","plan":)" + plan_json() +
           "}\n";
}

std::string Recorded::audit_json() const {
    return R"({"id":")" + id + R"(","time_ms":)" + std::to_string(time_ms) + R"(,"user":")" + user +
           R"(","host":"box","panel":")" + panel + R"(","panel_user":")" + panel_user +
           R"(","command":")" + command + R"(","insecure":false,"snapshot":"/snap/)" + id +
           R"(.json","status":")" + status + R"(","error":")" + error +
           R"(","mismatches":[],"finished_ms":)" + std::to_string(time_ms + 1000) + R"(,"plan":)" +
           plan_json() + "}";
}

std::string write_snapshot(const StateDir& state, const Recorded& r) {
    std::filesystem::create_directories(state.snapshots_dir());
    const auto path = state.snapshots_dir() / (r.id + ".json");
    write_file(path, r.snapshot_json(), 0600);
    return path.string();
}

void append_audit(const StateDir& state, const Recorded& r) {
    std::filesystem::create_directories(state.xuictl_dir());
    std::ofstream out(state.audit_path(), std::ios::app);
    out << r.audit_json() << "\n";
}

TzGuard::TzGuard(const char* tz) {
    if (const char* old = std::getenv("TZ")) {
        m_old = old;
    }
    ::setenv("TZ", tz, 1);
    ::tzset();
}

TzGuard::~TzGuard() {
    if (m_old) {
        ::setenv("TZ", m_old->c_str(), 1);
    } else {
        ::unsetenv("TZ");
    }
    ::tzset();
}

rapidjson::Document parse_json_text(const std::string& text) {
    rapidjson::Document doc;
    doc.Parse(text.c_str(), text.size());
    INFO(text);
    REQUIRE_FALSE(doc.HasParseError());
    return doc;
}

}  // namespace xuictl::test
