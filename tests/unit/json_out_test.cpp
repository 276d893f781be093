#include <catch2/catch.hpp>

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "ui/json_out.hpp"

using namespace xuictl;

namespace {

// What a script of writer calls produced: the text and each call's result.
struct Written {
    std::string text;
    std::vector<bool> results;
};

// A script is a generic callable `(auto& w, std::vector<bool>& results)`
// that makes the same calls on any writer with RapidJSON's method names.
template <typename Script>
Written with_json_writer(const Script& script, bool pretty) {
    std::ostringstream out;
    Written written;
    {
        JsonWriter w(out, pretty);
        script(w, written.results);
        w.finish();
    }
    written.text = out.str();
    return written;
}

template <typename Script>
Written with_rapidjson(const Script& script, bool pretty) {
    rapidjson::StringBuffer buffer;
    Written written;
    if (pretty) {
        rapidjson::PrettyWriter<rapidjson::StringBuffer> w(buffer);
        w.SetIndent(' ', 2);
        script(w, written.results);
    } else {
        rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
        script(w, written.results);
    }
    // JsonWriter::finish ends the document with a newline.
    written.text = std::string(buffer.GetString(), buffer.GetSize()) + "\n";
    return written;
}

template <typename Script>
void require_same_as_rapidjson(const Script& script, bool pretty = false) {
    const Written ours = with_json_writer(script, pretty);
    const Written reference = with_rapidjson(script, pretty);
    REQUIRE(ours.text == reference.text);
    REQUIRE(ours.results == reference.results);
}

template <typename Writer>
void string_value(Writer& w, std::vector<bool>& r, const std::string& s) {
    r.push_back(w.String(s.data(), static_cast<rapidjson::SizeType>(s.size())));
}

template <typename Writer>
void key(Writer& w, std::vector<bool>& r, const std::string& s) {
    r.push_back(w.Key(s.data(), static_cast<rapidjson::SizeType>(s.size())));
}

const std::vector<double> kDoubles = {0.0,
                                      -0.0,
                                      1.0,
                                      -1.5,
                                      14.094118239485066,
                                      1e21,
                                      1e-7,
                                      5e-324,
                                      1.7976931348623157e308,
                                      100.0 / 3,
                                      0.1,
                                      123456789012345680.0};

const std::vector<double> kNotFinite = {std::numeric_limits<double>::quiet_NaN(),
                                        std::numeric_limits<double>::infinity(),
                                        -std::numeric_limits<double>::infinity()};

// Every byte that is escaped, some that are not, and multi-byte UTF-8.
std::vector<std::string> tricky_strings() {
    std::vector<std::string> strings = {"",
                                        "plain",
                                        "\"",
                                        "\\",
                                        "/",
                                        "\x7F",
                                        "a\"b\\c/d",
                                        "Привет, мир",
                                        "日本語 🚀 ü",
                                        std::string("nul\0inside", 10),
                                        "ends with escape\n"};
    std::string all_controls;
    for (int c = 0; c < 0x20; ++c) {
        strings.push_back(std::string(1, static_cast<char>(c)));
        all_controls += static_cast<char>(c);
        all_controls += 'x';
    }
    strings.push_back(all_controls);
    return strings;
}

}  // namespace

TEST_CASE("compact JsonWriter: nested and empty containers as RapidJSON", "[unit][json_out]") {
    require_same_as_rapidjson([](auto& w, std::vector<bool>& r) {
        r.push_back(w.StartObject());
        key(w, r, "empty_object");
        r.push_back(w.StartObject());
        r.push_back(w.EndObject());
        key(w, r, "empty_array");
        r.push_back(w.StartArray());
        r.push_back(w.EndArray());
        key(w, r, "nested");
        r.push_back(w.StartArray());
        r.push_back(w.StartArray());
        r.push_back(w.StartObject());
        r.push_back(w.EndObject());
        r.push_back(w.StartArray());
        r.push_back(w.EndArray());
        r.push_back(w.Int(1));
        r.push_back(w.EndArray());
        r.push_back(w.StartObject());
        key(w, r, "a");
        r.push_back(w.StartObject());
        key(w, r, "b");
        r.push_back(w.Null());
        key(w, r, "c");
        r.push_back(w.Bool(true));
        r.push_back(w.EndObject());
        key(w, r, "d");
        r.push_back(w.Bool(false));
        r.push_back(w.EndObject());
        r.push_back(w.EndArray());
        key(w, r, "raw");
        r.push_back(w.RawValue("{\"x\":[1,2]}", 11, rapidjson::kObjectType));
        key(w, r, "last");
        r.push_back(w.String("end"));
        r.push_back(w.EndObject(7));
    });
    for (const bool pretty : {false, true}) {
        require_same_as_rapidjson(
            [](auto& w, std::vector<bool>& r) {
                r.push_back(w.StartArray());
                r.push_back(w.EndArray());
            },
            pretty);
        require_same_as_rapidjson(
            [](auto& w, std::vector<bool>& r) {
                r.push_back(w.StartObject());
                r.push_back(w.EndObject());
            },
            pretty);
    }
}

TEST_CASE("compact JsonWriter: string escapes as RapidJSON", "[unit][json_out]") {
    for (const std::string& s : tricky_strings()) {
        CAPTURE(s);
        // As a value, as a key, and as a root value.
        require_same_as_rapidjson([&](auto& w, std::vector<bool>& r) {
            r.push_back(w.StartObject());
            key(w, r, s);
            string_value(w, r, s);
            key(w, r, "k");
            r.push_back(w.StartArray());
            string_value(w, r, s);
            string_value(w, r, s);
            r.push_back(w.EndArray());
            r.push_back(w.EndObject());
        });
        require_same_as_rapidjson([&](auto& w, std::vector<bool>& r) { string_value(w, r, s); });
    }
}

TEST_CASE("compact JsonWriter: control characters use RapidJSON's escapes", "[unit][json_out]") {
    // Spelled out, so that a table shared by both sides cannot hide a mistake.
    const auto text = [](const std::string& s) {
        return with_json_writer([&](auto& w, std::vector<bool>& r) { string_value(w, r, s); },
                                false)
            .text;
    };
    CHECK(text("\b\f\n\r\t") == "\"\\b\\f\\n\\r\\t\"\n");
    CHECK(text(std::string("\0\x01\x1F", 3)) == "\"\\u0000\\u0001\\u001F\"\n");
    CHECK(text("\x0B\x1A") == "\"\\u000B\\u001A\"\n");
    CHECK(text("\"\\/\x7F") == "\"\\\"\\\\/\x7F\"\n");
    CHECK(text("é") == "\"é\"\n");
}

TEST_CASE("needs_json_escape: any escaped byte at any place in a word", "[unit][json_out]") {
    for (size_t position = 0; position < 8; ++position) {
        for (int byte = 0; byte < 256; ++byte) {
            // Clean neighbours of both kinds: ASCII and UTF-8 bytes.
            for (const char neighbour : {'a', '\x80', '\xFF', '/', '\x7F'}) {
                char bytes[8];
                std::memset(bytes, neighbour, sizeof bytes);
                bytes[position] = static_cast<char>(byte);
                uint64_t word;
                std::memcpy(&word, bytes, sizeof word);
                CAPTURE(position, byte, static_cast<int>(neighbour));
                REQUIRE(needs_json_escape(word) == (kJsonEscape[static_cast<size_t>(byte)] != 0));
            }
        }
    }
}

TEST_CASE("compact JsonWriter: an escape at each place of a long string", "[unit][json_out]") {
    // Words of eight are scanned at once: an escape in every position of the
    // first, second and last word, and after a run of UTF-8.
    for (const char escaped : {'\0', '\n', '\x1F', '"', '\\'}) {
        const std::string text = "abcdefgh\xC3\xA9ijklmn\xF0\x9F\x9A\x80opq";
        for (size_t position = 0; position < text.size(); ++position) {
            std::string s = text;
            s[position] = escaped;
            CAPTURE(position, static_cast<int>(escaped));
            require_same_as_rapidjson([&](auto& w, std::vector<bool>& r) {
                r.push_back(w.StartArray());
                string_value(w, r, s);
                string_value(w, r, s.substr(0, position + 1));
                string_value(w, r, s.substr(position));
                r.push_back(w.EndArray());
            });
        }
    }
}

TEST_CASE("compact JsonWriter: a string longer than the stream buffer", "[unit][json_out]") {
    const std::string clean(100 * 1024, 'a');
    std::string escaped_text;
    for (size_t i = 0; i < 100 * 1024; ++i) {
        escaped_text += (i % 7 == 0) ? '\n' : (i % 11 == 0) ? '\x01' : 'z';
    }
    const std::string& escaped = escaped_text;
    const std::string controls(70 * 1024, '\x02');  // six times longer escaped
    for (const std::string* s : {&clean, &escaped, &controls}) {
        require_same_as_rapidjson([&](auto& w, std::vector<bool>& r) {
            r.push_back(w.StartArray());
            string_value(w, r, "before");
            string_value(w, r, *s);
            key(w, r, *s);
            string_value(w, r, "after");
            r.push_back(w.EndArray());
        });
    }
}

TEST_CASE("compact JsonWriter: integers as RapidJSON", "[unit][json_out]") {
    require_same_as_rapidjson([](auto& w, std::vector<bool>& r) {
        r.push_back(w.StartArray());
        for (const int64_t i :
             {int64_t{0}, int64_t{-1}, int64_t{7}, int64_t{-1234567890123},
              std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max()}) {
            r.push_back(w.Int64(i));
        }
        for (const uint64_t u : {uint64_t{0}, uint64_t{10}, std::numeric_limits<uint64_t>::max()}) {
            r.push_back(w.Uint64(u));
        }
        for (const int i :
             {0, -5, std::numeric_limits<int>::min(), std::numeric_limits<int>::max()}) {
            r.push_back(w.Int(i));
        }
        for (const unsigned u : {0U, 99U, std::numeric_limits<unsigned>::max()}) {
            r.push_back(w.Uint(u));
        }
        r.push_back(w.EndArray());
    });
}

TEST_CASE("compact JsonWriter: doubles as RapidJSON", "[unit][json_out]") {
    for (const double d : kDoubles) {
        CAPTURE(d);
        require_same_as_rapidjson([&](auto& w, std::vector<bool>& r) {
            r.push_back(w.StartObject());
            key(w, r, "d");
            r.push_back(w.Double(d));
            key(w, r, "negated");
            r.push_back(w.Double(-d));
            r.push_back(w.EndObject());
        });
        require_same_as_rapidjson([&](auto& w, std::vector<bool>& r) { r.push_back(w.Double(d)); });
    }
}

TEST_CASE("compact JsonWriter: NaN and infinity fail as in RapidJSON", "[unit][json_out]") {
    for (const double d : kNotFinite) {
        CAPTURE(d);
        // RapidJSON writes the separator, then refuses the number.
        require_same_as_rapidjson([&](auto& w, std::vector<bool>& r) {
            r.push_back(w.StartArray());
            r.push_back(w.Int(1));
            r.push_back(w.Double(d));
            r.push_back(w.Double(d));
            r.push_back(w.EndArray());
        });
        require_same_as_rapidjson([&](auto& w, std::vector<bool>& r) {
            r.push_back(w.StartObject());
            key(w, r, "x");
            r.push_back(w.Double(d));
            r.push_back(w.EndObject());
        });
        require_same_as_rapidjson([&](auto& w, std::vector<bool>& r) { r.push_back(w.Double(d)); });
        const Written ours = with_json_writer(
            [&](auto& w, std::vector<bool>& r) { r.push_back(w.Double(d)); }, false);
        CHECK(ours.results == std::vector<bool>{false});
    }
}

TEST_CASE("compact JsonWriter: the helpers write through it", "[unit][json_out]") {
    std::ostringstream out;
    JsonWriter w(out, false);
    w.StartObject();
    write_key(w, "a\tb");
    write_string(w, "x\"y");
    write_key(w, "p");
    write_optional_double(w, 12.5);
    write_key(w, "q");
    write_optional_double(w, std::nullopt);
    w.EndObject();
    w.finish();
    CHECK(out.str() == "{\"a\\tb\":\"x\\\"y\",\"p\":12.5,\"q\":null}\n");
}

TEST_CASE("compact JsonWriter: nesting depth is bounded", "[unit][json_out]") {
    constexpr size_t kDepth = CompactJsonWriter::kMaxDepth;
    require_same_as_rapidjson([&](auto& w, std::vector<bool>& r) {
        for (size_t i = 0; i < kDepth; ++i) {
            r.push_back(i % 2 == 0 ? w.StartArray() : w.StartObject());
            if (i % 2 == 1) {
                key(w, r, "k");
            }
        }
        r.push_back(w.Null());
        for (size_t i = kDepth; i-- > 0;) {
            r.push_back(i % 2 == 0 ? w.EndArray() : w.EndObject());
        }
    });
    std::ostringstream out;
    JsonWriter w(out, false);
    for (size_t i = 0; i < kDepth; ++i) {
        w.StartArray();
    }
    CHECK_THROWS_AS(w.StartArray(), std::length_error);
    CHECK_THROWS_AS(w.StartObject(), std::length_error);
}

TEST_CASE("compact JsonWriter: random documents as RapidJSON", "[unit][json_out]") {
    // Valid call sequences from a fixed seed: containers, keys and every kind
    // of value, strings from bytes that need escapes and bytes that do not.
    std::mt19937_64 random(20261129);
    const auto pick = [&](size_t n) {
        return static_cast<size_t>(std::uniform_int_distribution<size_t>(0, n - 1)(random));
    };
    const std::string alphabet = std::string("ab/ \"\\\x7F\x01\x1F\n\t\0", 12) + "é🚀";
    const auto random_string = [&] {
        std::string s;
        const size_t length = pick(12);
        for (size_t i = 0; i < length; ++i) {
            s += alphabet[pick(alphabet.size())];
        }
        return s;
    };
    for (int document = 0; document < 300; ++document) {
        // The calls, decided once, replayed on both writers.
        struct Call {
            int kind;
            std::string text;
            uint64_t bits;
        };
        std::vector<Call> calls;
        std::vector<bool> in_array;  // the open containers
        calls.push_back({0, "", 0});
        in_array.push_back(false);
        const size_t length = 1 + pick(60);
        for (size_t i = 0; !in_array.empty(); ++i) {
            // The root object stays open until `length` calls.
            const bool closing = i >= length || (in_array.size() > 1 && pick(6) == 0);
            if (closing) {
                calls.push_back({in_array.back() ? 3 : 2, "", 0});
                in_array.pop_back();
                continue;
            }
            if (!in_array.back()) {
                calls.push_back({4, random_string(), 0});  // key
            }
            const int kind = 5 + static_cast<int>(pick(10));
            calls.push_back({kind, random_string(), random()});
            if (kind == 5 || kind == 6) {
                in_array.push_back(kind == 6);
            }
        }
        const auto script = [&](auto& w, std::vector<bool>& r) {
            for (const Call& c : calls) {
                const auto n = static_cast<rapidjson::SizeType>(c.text.size());
                const uint64_t b = c.bits;
                switch (c.kind) {
                    case 0:
                        r.push_back(w.StartObject());
                        break;
                    case 2:
                        r.push_back(w.EndObject());
                        break;
                    case 3:
                        r.push_back(w.EndArray());
                        break;
                    case 4:
                        r.push_back(w.Key(c.text.data(), n));
                        break;
                    case 5:
                        r.push_back(w.StartObject());
                        break;
                    case 6:
                        r.push_back(w.StartArray());
                        break;
                    case 7:
                        r.push_back(w.String(c.text.data(), n));
                        break;
                    case 8:
                        r.push_back(w.Int64(static_cast<int64_t>(b) >> (b % 64)));
                        break;
                    case 9:
                        r.push_back(w.Uint64(b >> (b % 64)));
                        break;
                    case 10:
                        r.push_back(w.Int(static_cast<int>(b)));
                        break;
                    case 11:
                        r.push_back(w.Uint(static_cast<unsigned>(b >> 7)));
                        break;
                    case 12: {
                        double d;
                        std::memcpy(&d, &b, sizeof d);  // any double, NaN included
                        r.push_back(w.Double(b % 3 == 0 ? static_cast<double>(b % 100000) / 7 : d));
                        break;
                    }
                    case 13:
                        r.push_back(w.Bool(b % 2 == 0));
                        break;
                    default:
                        r.push_back(w.Null());
                        break;
                }
            }
        };
        const Written ours = with_json_writer(script, false);
        const Written reference = with_rapidjson(script, false);
        CAPTURE(document);
        REQUIRE(ours.text == reference.text);
        REQUIRE(ours.results == reference.results);
    }
}

TEST_CASE("pretty JsonWriter is RapidJSON's PrettyWriter, indent 2", "[unit][json_out]") {
    for (const std::string& s : tricky_strings()) {
        CAPTURE(s);
        require_same_as_rapidjson(
            [&](auto& w, std::vector<bool>& r) {
                r.push_back(w.StartObject());
                key(w, r, s);
                string_value(w, r, s);
                key(w, r, "list");
                r.push_back(w.StartArray());
                r.push_back(w.Int64(std::numeric_limits<int64_t>::min()));
                r.push_back(w.Uint64(std::numeric_limits<uint64_t>::max()));
                for (const double d : kDoubles) {
                    r.push_back(w.Double(d));
                }
                r.push_back(w.Double(std::nan("")));
                r.push_back(w.StartObject());
                r.push_back(w.EndObject());
                r.push_back(w.Null());
                r.push_back(w.Bool(true));
                r.push_back(w.EndArray());
                key(w, r, "raw");
                r.push_back(w.RawValue("[1]", 3, rapidjson::kArrayType));
                r.push_back(w.EndObject());
            },
            true);
    }
}
