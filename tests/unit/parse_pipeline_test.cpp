// parse_json_stream on two threads (events recorded on tapes, played on a
// second thread) against the same parse on one: the same events, the same
// skip_value() questions, the same verdict, whatever the text, its pieces,
// the consumer's skips, stops, exceptions and the transport's failures.
#include <catch2/catch.hpp>

#include <fmt/format.h>
#include <algorithm>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "json/event_tape.hpp"
#include "json/stream_parse.hpp"
#include "support/text_difference.hpp"

using namespace xuictl;

namespace {

// Writes every event down as text; skips the values of keys starting with
// 's'; stops (returns false) or throws at event number `stop_at` / `throw_at`.
class Consumer final : public JsonEvents {
public:
    size_t stop_at = SIZE_MAX;
    size_t throw_at = SIZE_MAX;
    bool skip_s_keys = false;
    std::string log;
    std::thread::id thread;

    bool null() override { return add("n"); }
    bool boolean(bool b) override { return add(b ? "T" : "F"); }
    bool integer(int64_t i) override { return add(fmt::format("i{}", i)); }
    bool number(double d) override { return add(fmt::format("d{}", d)); }
    bool string(std::string_view s) override { return add(fmt::format("s{}:{}", s.size(), s)); }
    bool key(std::string_view k) override {
        m_last_key.assign(k);
        return add(fmt::format("k{}:{}", k.size(), k));
    }
    bool start_object() override { return add("{"); }
    bool end_object() override { return add("}"); }
    bool start_array() override { return add("["); }
    bool end_array() override { return add("]"); }
    Error stop_reason() const override {
        return make_error(ErrorKind::api, fmt::format("stopped at event {}", m_count));
    }
    bool skip_value() override {
        const bool skip = skip_s_keys && !m_last_key.empty() && m_last_key[0] == 's';
        log += skip ? "?skip " : "?read ";
        return skip;
    }

private:
    bool add(const std::string& event) {
        thread = std::this_thread::get_id();
        ++m_count;
        if (m_count == throw_at) {
            throw std::runtime_error("consumer failed");
        }
        log += event;
        log += ' ';
        return m_count != stop_at;
    }

    size_t m_count = 0;
    std::string m_last_key;
};

// The text in pieces of `piece` bytes (0: whole), each in a buffer the next
// call overwrites; a transport Error instead of the piece that would start
// at byte `fail_at`.
class Body final : public HttpBodyReader {
public:
    Body(std::string_view text, size_t piece, size_t fail_at = SIZE_MAX)
        : m_text(text), m_piece(piece == 0 ? text.size() : piece), m_fail_at(fail_at) {}
    Result<std::string_view> next() override {
        if (m_at >= m_fail_at) {
            return make_error(ErrorKind::network, "connection to panel.test failed: reset");
        }
        m_buffer.assign(m_text.substr(m_at, std::min(m_piece, m_text.size() - m_at)));
        m_at += m_buffer.size();
        return std::string_view(m_buffer);
    }

private:
    std::string_view m_text;
    size_t m_piece;
    size_t m_fail_at;
    size_t m_at = 0;
    std::string m_buffer;
};

struct Outcome {
    std::string log;
    std::string verdict;  // "ok", the Error's kind and message, or the exception
    std::thread::id thread;
};

Outcome run(const std::string& text, ParseThreads threads, Consumer consumer, size_t piece,
            size_t fail_at = SIZE_MAX) {
    Body body(text, piece, fail_at);
    Outcome out;
    try {
        const Status status = parse_json_stream(body, consumer, "inbound list", threads);
        out.verdict = status.ok() ? "ok"
                                  : fmt::format("{} {}", static_cast<int>(status.error().kind),
                                                status.error().message);
    } catch (const std::runtime_error& e) {
        out.verdict = std::string("exception: ") + e.what();
    }
    out.log = std::move(consumer.log);
    out.thread = consumer.thread;
    return out;
}

void check_same(const std::string& text, const Consumer& consumer, size_t piece,
                size_t fail_at = SIZE_MAX) {
    const Outcome one = run(text, ParseThreads::one, consumer, piece, fail_at);
    const Outcome two = run(text, ParseThreads::two, consumer, piece, fail_at);
    INFO("text: " << text.substr(0, 120) << " piece " << piece << " fail_at " << fail_at);
    CHECK(two.verdict == one.verdict);
    CHECK(xuictl::test::text_difference(two.log, one.log) == "");
}

// A document with every kind of value, escapes, skipped members (keys "s…")
// holding containers and scalars, nested `depth` levels.
std::string document(std::mt19937& random, int depth) {
    std::string out = "{";
    const int members = 1 + static_cast<int>(random() % 5);
    for (int i = 0; i < members; ++i) {
        if (i > 0) {
            out += ',';
        }
        out += fmt::format("\"{}{}\":", random() % 3 == 0 ? "s" : "k", i);
        switch (random() % 7) {
            case 0:
                out += depth > 0 ? document(random, depth - 1) : "{}";
                break;
            case 1: {
                out += '[';
                const int n = static_cast<int>(random() % 4);
                for (int j = 0; j < n; ++j) {
                    out += j > 0 ? "," : "";
                    out += depth > 0 ? document(random, depth - 1) : "-12.5e3";
                }
                out += ']';
                break;
            }
            case 2:
                out += R"("a \"quoted\" \u00e9 \ud83d\ude00 line\n")";
                break;
            case 3:
                out += std::to_string(static_cast<int64_t>(random()) - 2147483648LL);
                break;
            case 4:
                out += "18446744073709551616";  // beyond int64: a number
                break;
            case 5:
                out += random() % 2 ? "true" : "null";
                break;
            default:
                out += "\"plain\"";
                break;
        }
    }
    return out + "}";
}

}  // namespace

TEST_CASE("two threads: the consumer runs on the second one", "[unit][json]") {
    const Outcome two = run(R"({"a":[1,2]})", ParseThreads::two, Consumer{}, 0);
    CHECK(two.verdict == "ok");
    CHECK(two.log == "{ k1:a ?read [ i1 i2 ] } ");
    CHECK(two.thread != std::this_thread::get_id());
    const Outcome one = run(R"({"a":[1,2]})", ParseThreads::one, Consumer{}, 0);
    CHECK(one.thread == std::this_thread::get_id());
}

TEST_CASE("two threads: same events and verdict on random documents", "[unit][json]") {
    std::mt19937 random(20261129);
    for (int i = 0; i < 300; ++i) {
        std::string text = document(random, 3);
        if (i % 3 == 2) {
            // Damaged: one byte replaced or the text cut off.
            const size_t at = random() % text.size();
            if (i % 2 == 0) {
                text[at] = "\"\\{}[],:x"[random() % 9];
            } else {
                text.resize(at);
            }
        }
        Consumer consumer;
        consumer.skip_s_keys = i % 2 == 0;
        check_same(text, consumer, 0);
        check_same(text, consumer, 1 + random() % 13);
    }
}

TEST_CASE("two threads: a consumer that stops, at any event", "[unit][json]") {
    const std::string text = R"({"k":[1,"x",{"s":[true,{"a":null}],"b":2.5}],"z":"end"} trailing)";
    for (size_t stop = 1; stop <= 20; ++stop) {
        Consumer consumer;
        consumer.stop_at = stop;
        consumer.skip_s_keys = stop % 2 == 0;
        check_same(text, consumer, 0);
        check_same(text, consumer, 3);
        // Stopped before the syntax error at the end (the text has at least
        // 12 events when skipping): the stop is the verdict.
        if (stop <= 12) {
            const std::string verdict = run(text, ParseThreads::two, consumer, 5).verdict;
            CHECK(verdict.find("stopped at event") != std::string::npos);
        }
    }
}

TEST_CASE("two threads: the transport failing at any byte", "[unit][json]") {
    const std::string text = R"({"success":true,"msg":"","obj":[{"id":1,"s":"x"},{"id":2}]})";
    for (size_t fail_at = 0; fail_at <= text.size(); fail_at += 4) {
        Consumer consumer;
        consumer.skip_s_keys = true;
        check_same(text, consumer, 4, fail_at);
    }
    Consumer stops_first;
    stops_first.stop_at = 2;  // before the failure at byte 40
    const Outcome two = run(text, ParseThreads::two, stops_first, 4, 40);
    CHECK(two.verdict == fmt::format("{} stopped at event 2", static_cast<int>(ErrorKind::api)));
}

TEST_CASE("two threads: an exception in the consumer reaches the caller", "[unit][json]") {
    const std::string text = R"([1,2,3,4,5,6,7,8,9])";
    for (size_t at = 1; at <= 11; ++at) {
        Consumer consumer;
        consumer.throw_at = at;
        check_same(text, consumer, 2);
        CHECK(run(text, ParseThreads::two, consumer, 2).verdict == "exception: consumer failed");
    }
}

TEST_CASE("two threads: long texts span many tapes, skips included", "[unit][json]") {
    // A skipped array and a long string, each longer than one tape, and
    // enough values after them to fill several more.
    std::string text = R"({"skipped":[)";
    for (int i = 0; i < 40000; ++i) {
        text += i > 0 ? "," : "";
        text += fmt::format(R"({{"n":{},"v":"value {}"}})", i, i);
    }
    text += R"(],"long":")" + std::string(3 * EventTape::kTargetBytes, 'x') + R"(","after":[)";
    for (int i = 0; i < 30000; ++i) {
        text += fmt::format("{}{}", i > 0 ? "," : "", i);
    }
    text += "]}";
    Consumer consumer;
    consumer.skip_s_keys = true;
    check_same(text, consumer, 0);
    check_same(text, consumer, 65536);
    consumer.skip_s_keys = false;
    consumer.stop_at = 100000;  // inside the skipped array, many tapes in
    check_same(text, consumer, 65536);
    consumer.stop_at = SIZE_MAX;
    check_same(text, consumer, 16384, text.size() - 1000);
}

TEST_CASE("a tape plays back what was recorded, skipping as asked", "[unit][json]") {
    EventTape tape;
    tape.start_object();
    tape.key("s");
    tape.start_array();
    tape.integer(1);
    tape.start_object();
    tape.key("x");
    tape.string("y");
    tape.end_object();
    tape.end_array();
    tape.key("k");
    tape.number(0.5);
    tape.key("s2");
    tape.string("skipped scalar");
    tape.key("e");
    tape.string("");
    tape.key("q");
    tape.string("a\"b\u00e9\n");
    tape.key("s3");
    tape.string("\"skipped\"");
    tape.end_object();
    Consumer consumer;
    consumer.skip_s_keys = true;
    TapePlayer player(consumer);
    CHECK(player.play(tape));
    CHECK(consumer.log ==
          R"({ k1:s ?skip k1:k ?read d0.5 k2:s2 ?skip k1:e ?read s0: k1:q ?read s6:a"bé)"
          "\n k2:s3 ?skip } ");
}

TEST_CASE("a moved-from tape is empty and can record again", "[unit][json]") {
    EventTape first;
    first.integer(42);
    EventTape second = std::move(first);
    CHECK(first.empty());  // NOLINT(bugprone-use-after-move): the contract says so
    CHECK_FALSE(second.empty());
    first.string("again");  // grows a new buffer
    Consumer consumer;
    TapePlayer player(consumer);
    CHECK(player.play(second));
    CHECK(player.play(first));
    CHECK(consumer.log == "i42 s5:again ");
}
