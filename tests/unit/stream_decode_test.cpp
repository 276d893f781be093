// The streamed path of the inbound list: pieces of any size, the envelope,
// and transport failures part-way (Session::call_streamed's building blocks).
#include <catch2/catch.hpp>

#include <rapidjson/document.h>

#include "json/stream_parse.hpp"
#include "model/decode.hpp"
#include "model/list_decoder.hpp"
#include "panel/envelope.hpp"
#include "support/describe.hpp"
#include "support/harness.hpp"

using namespace xuictl;
using xuictl::test::describe;

namespace {

// A body handed out in pieces of `size` bytes, optionally failing after
// `fail_after` bytes the way a dropped connection does.
class PiecesBody final : public HttpBodyReader {
public:
    PiecesBody(std::string text, size_t size, size_t fail_after = std::string::npos)
        : m_text(std::move(text)), m_size(size), m_fail_after(fail_after) {}
    Result<std::string_view> next() override {
        if (m_at >= m_fail_after) {
            return make_error(ErrorKind::network, "connection to panel.test failed: reset");
        }
        const size_t n = std::min({m_size, m_text.size() - m_at, m_fail_after - m_at});
        std::string_view piece(m_text.data() + m_at, n);
        m_at += n;
        return piece;
    }

private:
    std::string m_text;
    size_t m_size;
    size_t m_fail_after;
    size_t m_at = 0;
};

Result<std::vector<Inbound>> stream_list(const std::string& body, size_t piece,
                                         size_t fail_after = std::string::npos) {
    PiecesBody reader(body, piece, fail_after);
    ListDecoder decoder("obj", ListDecoder::Root::inbound_list);
    EnvelopeEvents envelope(decoder);
    if (auto parsed = parse_json_stream(reader, envelope, "inbound list"); !parsed) {
        return parsed.error();
    }
    if (auto finished = envelope.finish(); !finished) {
        return finished.error();
    }
    return decoder.take_inbounds();
}

std::string describe_all(const std::vector<Inbound>& inbounds) {
    std::string s;
    for (const auto& in : inbounds) {
        s += describe(in);
    }
    return s;
}

}  // namespace

TEST_CASE("a streamed list decodes like the parsed one, whatever the piece size",
          "[unit][stream]") {
    for (const char* name : {"inbounds_classic.json", "inbounds_v3.json"}) {
        CAPTURE(name);
        const std::string body = xuictl::test::fixture(name);
        rapidjson::Document doc;
        doc.Parse(body.c_str(), body.size());
        auto whole = decode_inbound_list(doc["obj"], "obj");
        REQUIRE(whole.ok());
        REQUIRE(whole->size() == 3);
        // Piece boundaries fall inside keys, numbers, escapes and the
        // classic settings string (JSON inside a JSON string).
        for (size_t piece : {size_t{1}, size_t{2}, size_t{3}, size_t{7}, size_t{64}, body.size()}) {
            CAPTURE(piece);
            auto streamed = stream_list(body, piece);
            REQUIRE(streamed.ok());
            CHECK(describe_all(*streamed) == describe_all(*whole));
        }
    }
}

TEST_CASE("a connection dropped part-way is a transport error, not bad JSON", "[unit][stream]") {
    const std::string body = xuictl::test::fixture("inbounds_v3.json");
    auto cut = stream_list(body, 100, body.size() / 2);
    REQUIRE_FALSE(cut.ok());
    CHECK(cut.error().kind == ErrorKind::network);
    CHECK(cut.error().message == "connection to panel.test failed: reset");
}

TEST_CASE("the envelope around a streamed list", "[unit][stream]") {
    SECTION("success:false is the panel's refusal; obj never reaches the decoder") {
        auto r =
            stream_list(R"({"success":false,"msg":"database is locked","obj":[{"bad":1}]})", 5);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().message == "refused");
    }
    SECTION("obj null after success:true names what was expected") {
        auto r = stream_list(R"({"success":true,"msg":"","obj":null})", 4);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().message == "unexpected panel JSON at obj: expected an array, got null");
    }
    SECTION("no success field is not an API envelope") {
        auto r = stream_list(R"({"obj":[]})", 3);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().message == "unexpected panel JSON at success: missing");
    }
    SECTION("an array instead of the envelope") {
        auto r = stream_list(R"([1,2])", 3);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().message == "expected an object, got an array");
    }
    SECTION("unknown envelope fields are skipped, nested or not") {
        auto r = stream_list(
            R"({"extra":{"a":[1,{"b":null}]},"success":true,"msg":null,"more":[[]],"obj":[]})", 2);
        REQUIRE(r.ok());
        CHECK(r->empty());
    }
    SECTION("a field error deep in the list names its path") {
        auto r = stream_list(
            R"({"success":true,"obj":[{"id":1,"up":0,"down":0,"clientStats":[{"email":"e","up":"1","down":0}]}]})",
            6);
        REQUIRE_FALSE(r.ok());
        CHECK(
            r.error().message ==
            "unexpected panel JSON at obj[0].clientStats[0].up: expected an integer, got a string");
    }
    SECTION("truncated JSON is a syntax error with the byte offset") {
        auto r = stream_list(R"({"success":true,"obj":[{"id":1,)", 5);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().message.rfind("the panel sent invalid JSON for the inbound list (", 0) ==
              0);
    }
}
