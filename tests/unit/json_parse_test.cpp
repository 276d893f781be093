// JsonStreamReader against rapidjson::Reader, the parser it replaced: the same
// verdict, byte offset and events for any text cut into any pieces, and
// skipped values that are validated but never reported.
#include <catch2/catch.hpp>

#include <rapidjson/document.h>
#include <rapidjson/error/error.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "fuzz/json_diff.hpp"
#include "json/stream_parse.hpp"
#include "model/list_decoder.hpp"
#include "panel/envelope.hpp"
#include "support/describe.hpp"
#include "support/harness.hpp"

using namespace xuictl;
using xuictl::fuzz::json_difference;
using xuictl::fuzz::JsonRun;
using xuictl::fuzz::run_rapidjson;
using xuictl::fuzz::run_stream;
using xuictl::fuzz::SkipRule;

namespace {

bool skip_none(std::string_view) {
    return false;
}
bool skip_odd_length(std::string_view key) {
    return key.size() % 2 == 1;
}
bool skip_all(std::string_view) {
    return true;
}
bool skip_uuid_and_flow(std::string_view key) {
    return key == "id" || key == "flow";
}

const SkipRule k_rules[] = {nullptr, skip_none, skip_odd_length, skip_all, skip_uuid_and_flow};

// Both parsers agree on `text` in pieces of `sizes` (cycled), for each rule.
void check_same(const std::string& text, const std::vector<size_t>& sizes) {
    for (SkipRule rule : k_rules) {
        const std::string difference =
            json_difference(run_rapidjson(text, rule), run_stream(text, sizes, rule));
        INFO("text: " << text.substr(0, 200));
        INFO("first piece size: " << (sizes.empty() ? 0 : sizes[0]));
        CHECK(difference.empty());
        if (!difference.empty()) {
            FAIL(difference);
        }
    }
}

// A random JSON value, valid unless `noise` hits (then one byte is wrong).
class Generator {
public:
    explicit Generator(uint32_t seed) : m_random(seed) {}

    std::string document() {
        std::string out;
        if (pick(4) == 0) {
            out += ws();
        }
        value(out, 0);
        if (pick(4) == 0) {
            out += ws();
        }
        return out;
    }

private:
    size_t pick(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(m_random); }

    std::string ws() {
        static const char* k_ws[] = {" ", "\n", "\r\n", "\t", "  "};
        return k_ws[pick(5)];
    }

    void string(std::string& out) {
        static const char* k_parts[] = {"a",
                                        "uuid-0f9c",
                                        "é",
                                        "\\n",
                                        "\\\"",
                                        "\\\\",
                                        "\\/",
                                        "\\b\\f",
                                        "\\r\\t",
                                        "\\u0041",
                                        "\\u00e9",
                                        "\\u20AC",
                                        "\\u0000",
                                        "\\udc00",
                                        "\\ud83d\\ude00",
                                        " ",
                                        "\xff\xfe",
                                        "emails@x",
                                        "0123456789abcdef0"};
        out += '"';
        const size_t n = pick(6);
        for (size_t i = 0; i < n; ++i) {
            out += k_parts[pick(std::size(k_parts))];
        }
        out += '"';
    }

    void number(std::string& out) {
        static const char* k_numbers[] = {"0",
                                          "-0",
                                          "1",
                                          "-1",
                                          "42",
                                          "2147483647",
                                          "2147483648",
                                          "-2147483648",
                                          "-2147483649",
                                          "4294967295",
                                          "4294967296",
                                          "9223372036854775807",
                                          "9223372036854775808",
                                          "-9223372036854775808",
                                          "-9223372036854775809",
                                          "18446744073709551615",
                                          "18446744073709551616",
                                          "123456789012345678901234567890",
                                          "0.5",
                                          "-0.0",
                                          "1.25e3",
                                          "1E+2",
                                          "1e-2",
                                          "3.14159265358979323846",
                                          "1e308",
                                          "1e-320",
                                          "2.2250738585072014e-308",
                                          "0.000000000000000000001",
                                          "12345.6789e-3",
                                          "1700000000000",
                                          "1.7976931348623157e308"};
        out += k_numbers[pick(std::size(k_numbers))];
    }

    void value(std::string& out, int depth) {
        const size_t kind = depth > 5 ? pick(4) : pick(7);
        switch (kind) {
            case 0:
                string(out);
                break;
            case 1:
                number(out);
                break;
            case 2:
                out += pick(2) == 0 ? "true" : "false";
                break;
            case 3:
                out += "null";
                break;
            case 4:
            case 5: {
                out += '{';
                const size_t n = pick(5);
                for (size_t i = 0; i < n; ++i) {
                    if (i > 0) {
                        out += ',';
                    }
                    if (pick(3) == 0) {
                        out += ws();
                    }
                    static const char* k_keys[] = {"\"id\"",    "\"up\"",    "\"flow\"",
                                                   "\"email\"", "\"subId\"", "\"a\\u0062\"",
                                                   "\"\""};
                    out += k_keys[pick(std::size(k_keys))];
                    out += pick(3) == 0 ? " : " : ":";
                    value(out, depth + 1);
                }
                out += '}';
                break;
            }
            default: {
                out += '[';
                const size_t n = pick(5);
                for (size_t i = 0; i < n; ++i) {
                    if (i > 0) {
                        out += pick(3) == 0 ? " , " : ",";
                    }
                    value(out, depth + 1);
                }
                out += ']';
                break;
            }
        }
    }

    std::mt19937 m_random;
};

JsonRun stream(const std::string& text, size_t piece = 0) {
    return run_stream(text, piece == 0 ? std::vector<size_t>{} : std::vector<size_t>{piece});
}

}  // namespace

TEST_CASE("the stream reader agrees with RapidJSON on the fixtures", "[unit][json]") {
    for (const char* name : {"inbounds_classic.json", "inbounds_v3.json"}) {
        const std::string text = xuictl::test::fixture(name);
        for (const size_t piece : std::vector<size_t>{0, 1, 2, 3, 7, 16, 64, 4096}) {
            check_same(text, piece == 0 ? std::vector<size_t>{} : std::vector<size_t>{piece});
        }
    }
}

TEST_CASE("the stream reader agrees with RapidJSON in pieces of every size", "[unit][json]") {
    const std::vector<std::string> texts = {
        R"({"success":true,"msg":"","obj":[{"id":1,"settings":"{\"clients\":[{\"id\":\"a\"}]}"}]})",
        R"( [ -12.5e-3 , "\ud83d\ude00\u00e9\n" , {"k" : [true,false,null]} , 18446744073709551616 ] )",
        R"({"a":{"b":{"c":[[[]]],"d":{}}},"e":"plain text that is longer than sixteen bytes"})",
    };
    for (const std::string& text : texts) {
        for (size_t piece = 1; piece <= text.size(); ++piece) {
            check_same(text, {piece});
        }
        check_same(text, {1, 5, 2, 9, 3});  // uneven pieces
    }
}

TEST_CASE("the stream reader agrees with RapidJSON on random documents", "[unit][json]") {
    Generator generator(20261129);
    std::mt19937 random(7);
    for (int i = 0; i < 400; ++i) {
        std::string text = generator.document();
        if (i % 4 == 3 && !text.empty()) {
            // A damaged copy: one byte replaced, dropped, or the text cut off.
            const size_t at = random() % text.size();
            static const char k_bytes[] = "\"\\{}[],:0-.eEx \x01";
            switch (random() % 3) {
                case 0:
                    text[at] = k_bytes[random() % (sizeof(k_bytes) - 1)];
                    break;
                case 1:
                    text.erase(at, 1);
                    break;
                default:
                    text.resize(at);
                    break;
            }
        }
        check_same(text, {1 + random() % 17, 1 + random() % 5});
        check_same(text, {});
    }
}

// A classic list's settings text has an escape every few bytes and is read 16
// bytes at a time (copy_json_string): every kind of escape at every place in
// a block and across pieces, and a third of the strings damaged.
TEST_CASE("long escaped strings agree with RapidJSON wherever the escapes fall", "[unit][json]") {
    const std::vector<std::string> parts = {
        "a",
        "bcdefgh",
        R"(\")",
        R"(\\)",
        R"(\/)",
        R"(\b)",
        R"(\f)",
        R"(\n)",
        R"(\r)",
        R"(\t)",
        R"(\u00e9)",
        R"(\ud83d\ude00)",
        "\xc3\xa9",
        R"(\\\")",
        R"(\\\\)",
        R"(\"\")",
        R"(\u0041\u0041)",
    };
    const std::vector<std::string> damage = {
        R"(\x)",
        "\x01",
        "\x1f",
        std::string(1, '\0'),
        R"(\u12G4)",
        R"(\ud800x)",
        R"(\ud800\u0041)",
        R"(\)",
        "\"",
        R"(\u)",
    };
    std::mt19937 random(16);
    for (int i = 0; i < 600; ++i) {
        std::string value;
        const size_t length = random() % 90;
        for (size_t k = 0; k < length; ++k) {
            value += parts[random() % parts.size()];
        }
        if (i % 3 == 2) {
            value.insert(random() % (value.size() + 1), damage[random() % damage.size()]);
        }
        // The string at each alignment within a 16-byte block, as a value
        // that is read and as one that is skipped (the odd-length key).
        const std::string text = std::string(static_cast<size_t>(i % 17), ' ') +
                                 R"({"settings":")" + value + R"(","odd":")" + value +
                                 R"(","n":1})";
        check_same(text, {});
        check_same(text, {17 + random() % 40});
    }
}

TEST_CASE("invalid JSON is rejected with RapidJSON's error and offset", "[unit][json]") {
    // Every cut of a small document: each prefix is invalid.
    const std::string doc = R"({"a":[1,-2.5e+3,true,false,null,"x\u00e9\ud83d\ude00\n"],"b":{}})";
    for (size_t n = 0; n < doc.size(); ++n) {
        const std::string cut = doc.substr(0, n);
        CHECK(run_rapidjson(cut).code != 0);
        check_same(cut, {});
        check_same(cut, {1});
    }
    const std::vector<std::string> bad = {"",
                                          " ",
                                          "\t\r\n",
                                          "nul",
                                          "nulL",
                                          "tru",
                                          "True",
                                          "fals",
                                          "falsee",
                                          "[1,]",
                                          "{\"a\":1,}",
                                          "[1 2]",
                                          "{\"a\" 1}",
                                          "{a:1}",
                                          "{\"a\":}",
                                          "{,}",
                                          "[,]",
                                          "01",
                                          "-",
                                          "-a",
                                          "+1",
                                          "1.",
                                          "1.e5",
                                          ".5",
                                          "1e",
                                          "1e+",
                                          "1E-",
                                          "--1",
                                          "1e309",
                                          "0e309",
                                          "0.0001e312",
                                          "1e-99999999999",
                                          "[1e400]",
                                          "NaN",
                                          "Infinity",
                                          "-Infinity",
                                          "\"\\x\"",
                                          "\"\\u12G4\"",
                                          "\"\\u12\"",
                                          "\"\\ud800\"",
                                          "\"\\ud800x\"",
                                          "\"\\ud800\\n\"",
                                          "\"\\ud800\\u0041\"",
                                          "\"\\ud800\\uZZZZ\"",
                                          "\"\\udc00\\udc00\"",
                                          "\"a\x01\"",
                                          "\"a\x1f\"",
                                          "\"tab\there\"",
                                          "\"unterminated",
                                          std::string("\"nul\0\"", 6),
                                          std::string("[1,\0]", 5),
                                          std::string("1\0garbage", 9),
                                          "1 2",
                                          "{} []",
                                          "[]]",
                                          "{\"a\":1}}",
                                          "/* c */ 1",
                                          "1 // c",
                                          "[1]x",
                                          "\"a\" \"b\"",
                                          "[" + std::string(310, '9') + "]",
                                          "[1" + std::string(400, '0') + ".5]",
                                          "{\"a\":1 \"b\":2}",
                                          "\xef\xbb\xbf{}",
                                          "[\"\\"};
    for (const std::string& text : bad) {
        check_same(text, {});
        check_same(text, {1});
        check_same(text, {2, 3});
    }
}

TEST_CASE("the stream reader agrees with RapidJSON on every shape of number", "[unit][json]") {
    // RapidJSON's "too big" depends on how many digits it counted before the
    // exponent: integer, fraction and exponent parts at its limits, crossed.
    const std::vector<std::string> integers = {"0",
                                               "1",
                                               "00",
                                               "12345678901234567",
                                               "9223372036854775808",
                                               "18446744073709551616",
                                               "1" + std::string(300, '0'),
                                               "1" + std::string(310, '0')};
    const std::vector<std::string> fractions = {"",
                                                ".",
                                                ".0",
                                                ".5",
                                                "." + std::string(400, '0') + "1",
                                                ".12345678901234567890123",
                                                ".00000000000000000000000000009"};
    const std::vector<std::string> exponents = {"",     "e",     "E+",     "e-",   "e308",
                                                "e309", "E-400", "e+0308", "e310", "e-99999999999",
                                                "e330", "e-5",   "E22",    "e+999"};
    size_t count = 0;
    for (const char* sign : {"", "-"}) {
        for (const std::string& integer : integers) {
            for (const std::string& fraction : fractions) {
                for (const std::string& exponent : exponents) {
                    const std::string number = sign + integer + fraction + exponent;
                    const std::string in_array = "[" + number + ",1]";
                    for (const std::string& text : {number, in_array}) {
                        const std::string difference =
                            json_difference(run_rapidjson(text), run_stream(text, {3}));
                        INFO(text);
                        CHECK(difference.empty());
                        ++count;
                    }
                }
            }
        }
    }
    CHECK(count == 2 * 2 * integers.size() * fractions.size() * exponents.size());
}

TEST_CASE("errors name RapidJSON's codes and offsets", "[unit][json]") {
    using rapidjson::ParseErrorCode;
    const std::vector<std::tuple<std::string, ParseErrorCode, size_t>> cases = {
        {"", rapidjson::kParseErrorDocumentEmpty, 0},
        {"  ", rapidjson::kParseErrorDocumentEmpty, 2},
        {"01", rapidjson::kParseErrorDocumentRootNotSingular, 1},
        {"[01]", rapidjson::kParseErrorArrayMissCommaOrSquareBracket, 2},
        {"-", rapidjson::kParseErrorValueInvalid, 1},
        {"1.", rapidjson::kParseErrorNumberMissFraction, 2},
        {"1e", rapidjson::kParseErrorNumberMissExponent, 2},
        {"[1,]", rapidjson::kParseErrorValueInvalid, 3},
        {"[ 1e309]", rapidjson::kParseErrorNumberTooBig, 2},
        {"{\"a\":1,}", rapidjson::kParseErrorObjectMissName, 7},
        {"{\"a\"}", rapidjson::kParseErrorObjectMissColon, 4},
        {"{\"a\":1]", rapidjson::kParseErrorObjectMissCommaOrCurlyBracket, 6},
        {"\"ab", rapidjson::kParseErrorStringMissQuotationMark, 3},
        {"\"a\x01\"", rapidjson::kParseErrorStringEscapeInvalid, 2},
        {"[\"a\\q\"]", rapidjson::kParseErrorStringEscapeInvalid, 3},
        {"\"a\\u12x4\"", rapidjson::kParseErrorStringUnicodeEscapeInvalidHex, 2},
        {"\"a\\ud800\\u0041\"", rapidjson::kParseErrorStringUnicodeSurrogateInvalid, 2},
        {"tru", rapidjson::kParseErrorValueInvalid, 3},
        {"[1] x", rapidjson::kParseErrorDocumentRootNotSingular, 4},
    };
    for (const auto& [text, code, offset] : cases) {
        for (const size_t piece : std::vector<size_t>{0, 1}) {
            const JsonRun run = stream(text, piece);
            INFO(text);
            CHECK(run.code == code);
            CHECK(run.offset == offset);
        }
    }
}

TEST_CASE("numbers are classified as RapidJSON classifies them", "[unit][json]") {
    const auto only = [](const std::string& text) {
        const JsonRun run = stream(text, 1);
        REQUIRE(run.code == 0);
        REQUIRE(run.events.size() == 1);
        return run.events[0];
    };
    CHECK(only("-0").kind == 'i');
    CHECK(only("-0").integer == 0);
    CHECK(only("9223372036854775807").integer == INT64_MAX);
    CHECK(only("-9223372036854775808").integer == INT64_MIN);
    CHECK(only("9223372036854775808").kind == 'd');  // Uint64 beyond int64: a double
    CHECK(only("9223372036854775808").number == 9223372036854775808.0);
    CHECK(only("18446744073709551615").number == 18446744073709551615.0);
    CHECK(only("-9223372036854775809").kind == 'd');
    CHECK(only("18446744073709551616").kind == 'd');
    CHECK(only("1.0").kind == 'd');
    CHECK(only("1e2").number == 100.0);
    CHECK(std::signbit(only("-0.0").number));
    CHECK(only("1e-400").number == 0.0);
    CHECK(std::isinf(only("1234e306").number));  // within RapidJSON's exponent limit
    CHECK(only("0.1").number == 0.1);            // from_chars: correctly rounded
}

namespace {

// Skips members named "skip"; records the rest.
class SkipNamed final : public JsonEvents {
public:
    bool null() override { return add("null"); }
    bool boolean(bool b) override { return add(b ? "true" : "false"); }
    bool integer(int64_t i) override { return add(std::to_string(i)); }
    bool number(double) override { return add("number"); }
    bool string(std::string_view s) override { return add("\"" + std::string(s) + "\""); }
    bool key(std::string_view name) override {
        m_skip_next = name == "skip";
        return add("key " + std::string(name));
    }
    bool start_object() override { return add("{"); }
    bool end_object() override { return add("}"); }
    bool start_array() override { return add("["); }
    bool end_array() override { return add("]"); }
    Error stop_reason() const override { return make_error(ErrorKind::api, "stopped"); }
    bool skip_value() override { return m_skip_next; }

    std::string seen;

private:
    bool add(const std::string& event) {
        seen += event + " ";
        return true;
    }
    bool m_skip_next = false;
};

}  // namespace

TEST_CASE("skipped values are validated but produce no events", "[unit][json]") {
    const std::string text =
        R"({"skip":{"a":[1,{"b":"\u00e9\"}"}],"c":null},"keep":[1,"x"],"skip":"a\"b\\",)"
        R"("x":{"skip":12.5e3,"y":true},"skip":[[],{}],"z":-7})";
    const std::string expected =
        "{ key skip key keep [ 1 \"x\" ] key skip key x { key skip key y true } key skip key z "
        "-7 } ";
    SkipNamed events;
    long error_at = 0;
    REQUIRE(parse_json_text(text, events, error_at).ok());
    CHECK(events.seen == expected);

    const SkipRule skip = [](std::string_view key) { return key == "skip"; };
    const JsonRun reference = run_rapidjson(text, skip);
    for (size_t piece = 1; piece <= text.size(); ++piece) {
        const JsonRun run = run_stream(text, {piece}, skip);
        INFO("piece size " << piece);
        CHECK(json_difference(reference, run).empty());
    }

    // An invalid value is an error even when nobody reads it.
    for (const std::string bad : {R"({"skip":[1,2,x],"z":1})", R"({"skip":"\u12G4","z":1})",
                                  R"({"skip":01})", R"({"skip":{"a" 1}})", R"({"skip":1e999})",
                                  R"({"skip":"a)", R"({"skip":[)", "{\"skip\":\"a\x02\"}"}) {
        SkipNamed skipping;
        long bad_at = -1;
        CHECK_FALSE(parse_json_text(bad, skipping, bad_at).ok());
        const JsonRun expected_error = run_rapidjson(bad);
        INFO(bad);
        CHECK(bad_at == static_cast<long>(expected_error.offset));
        for (const size_t piece : std::vector<size_t>{1, 2, 3}) {
            const JsonRun run = run_stream(bad, {piece}, skip);
            CHECK(run.code == expected_error.code);
            CHECK(run.offset == expected_error.offset);
        }
    }
}

namespace {

class FailingBody final : public HttpBodyReader {
public:
    explicit FailingBody(std::string first) : m_first(std::move(first)) {}
    Result<std::string_view> next() override {
        if (m_calls++ == 0) {
            return std::string_view(m_first);
        }
        return make_error(ErrorKind::network, "connection to panel.test failed: reset");
    }

private:
    std::string m_first;
    int m_calls = 0;
};

// Stops at the first integer.
class StopAtInteger final : public JsonEvents {
public:
    bool null() override { return true; }
    bool boolean(bool) override { return true; }
    bool integer(int64_t) override { return false; }
    bool number(double) override { return true; }
    bool string(std::string_view) override { return true; }
    bool key(std::string_view) override { return true; }
    bool start_object() override { return true; }
    bool end_object() override { return true; }
    bool start_array() override { return true; }
    bool end_array() override { return true; }
    Error stop_reason() const override { return make_error(ErrorKind::api, "no integers here"); }
};

}  // namespace

TEST_CASE("parse_json_stream: transport errors, stops and syntax errors", "[unit][json]") {
    StopAtInteger events;
    SECTION("a dropped connection wins over the cut-off JSON it leaves") {
        FailingBody body(R"({"a":"unfinished)");
        const Status parsed = parse_json_stream(body, events, "inbound list");
        REQUIRE_FALSE(parsed.ok());
        CHECK(parsed.error().kind == ErrorKind::network);
    }
    SECTION("and over a complete document, as before") {
        FailingBody body("[true]");
        const Status parsed = parse_json_stream(body, events, "inbound list");
        REQUIRE_FALSE(parsed.ok());
        CHECK(parsed.error().kind == ErrorKind::network);
    }
    SECTION("a consumer that stops gives its own reason") {
        long error_at = 0;
        const Status parsed = parse_json_text("[true, 1, x", events, error_at);
        REQUIRE_FALSE(parsed.ok());
        CHECK(parsed.error().message == "no integers here");
        CHECK(error_at == -1);
    }
    SECTION("a syntax error names the value, RapidJSON's words and the offset") {
        long error_at = 0;
        const Status parsed = parse_json_text("[true,]", events, error_at);
        REQUIRE_FALSE(parsed.ok());
        CHECK(error_at == 6);
        CHECK(parsed.error().message == "invalid JSON at byte 6");
    }
}

namespace {

// Passes every event on, but never lets the parser skip: ListDecoder as it
// was before skip_value().
class NoSkip final : public JsonEvents {
public:
    explicit NoSkip(JsonEvents& to) : m_to(to) {}
    bool null() override { return m_to.null(); }
    bool boolean(bool b) override { return m_to.boolean(b); }
    bool integer(int64_t i) override { return m_to.integer(i); }
    bool number(double d) override { return m_to.number(d); }
    bool string(std::string_view s) override { return m_to.string(s); }
    bool key(std::string_view name) override { return m_to.key(name); }
    bool start_object() override { return m_to.start_object(); }
    bool end_object() override { return m_to.end_object(); }
    bool start_array() override { return m_to.start_array(); }
    bool end_array() override { return m_to.end_array(); }
    Error stop_reason() const override { return m_to.stop_reason(); }

private:
    JsonEvents& m_to;
};

// The inbound list decoded from `body` in pieces of 7 bytes, as text: the
// inbounds or the error with its hint.
std::string decode_list(const std::string& body, bool skipping) {
    ListDecoder decoder("obj", ListDecoder::Root::inbound_list);
    NoSkip no_skip(decoder);
    EnvelopeEvents envelope(skipping ? static_cast<JsonEvents&>(decoder) : no_skip);
    class Pieces final : public HttpBodyReader {
    public:
        explicit Pieces(const std::string& text) : m_text(text) {}
        Result<std::string_view> next() override {
            const size_t n = std::min<size_t>(7, m_text.size() - m_at);
            m_at += n;
            return std::string_view(m_text).substr(m_at - n, n);
        }

    private:
        const std::string& m_text;
        size_t m_at = 0;
    } pieces(body);
    Status status = parse_json_stream(pieces, envelope, "inbound list");
    if (status.ok()) {
        status = envelope.finish();
    }
    if (!status.ok()) {
        return "error: " + status.error().message + " / " + status.error().hint;
    }
    auto inbounds = decoder.take_inbounds();
    if (!inbounds.ok()) {
        return "error: " + inbounds.error().message + " / " + inbounds.error().hint;
    }
    std::string out = "ok: ";
    for (const auto& in : *inbounds) {
        out += xuictl::test::describe(in);
    }
    return out;
}

void collect_values(rapidjson::Value& value, std::vector<rapidjson::Value*>& out) {
    if (value.IsObject()) {
        for (auto& member : value.GetObject()) {
            out.push_back(&member.value);
            collect_values(member.value, out);
        }
    } else if (value.IsArray()) {
        for (auto& element : value.GetArray()) {
            out.push_back(&element);
            collect_values(element, out);
        }
    }
}

}  // namespace

TEST_CASE("ListDecoder decodes and fails alike with and without skipping", "[unit][json]") {
    const char* replacements[] = {R"("s")",       "1", "-1.5", "null", "[]", "[1,{\"a\":[2]}]",
                                  R"({"id":"x"})"};
    size_t variants = 0;
    for (const char* name : {"inbounds_classic.json", "inbounds_v3.json"}) {
        const std::string body = xuictl::test::fixture(name);
        CHECK(decode_list(body, true) == decode_list(body, false));
        rapidjson::Document original;
        original.Parse(body.c_str(), body.size());
        std::vector<rapidjson::Value*> values;
        collect_values(original, values);
        for (size_t k = 0; k < values.size(); ++k) {
            // Three of the replacements per value, in turn: all of them are used.
            for (size_t j = 0; j < 3; ++j) {
                const char* replacement = replacements[(k + j) % std::size(replacements)];
                rapidjson::Document doc;
                doc.CopyFrom(original, doc.GetAllocator());
                std::vector<rapidjson::Value*> targets;
                collect_values(doc, targets);
                rapidjson::Document value;
                value.Parse(replacement);
                targets[k]->CopyFrom(value, doc.GetAllocator());
                rapidjson::StringBuffer text;
                rapidjson::Writer<rapidjson::StringBuffer> writer(text);
                doc.Accept(writer);
                const std::string mutated = text.GetString();
                INFO(mutated);
                CHECK(decode_list(mutated, true) == decode_list(mutated, false));
                ++variants;
            }
        }
    }
    CHECK(variants > 500);
}
