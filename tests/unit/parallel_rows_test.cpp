#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <limits>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "support/text_difference.hpp"
#include "ui/parallel_rows.hpp"
#include "ui/usage_view.hpp"

using namespace xuictl;

namespace {

constexpr int64_t kNow = 1767225600000;  // 2026-01-01T00:00:00Z

// Clients with every shape a row takes: emails with escapes and UTF-8, no
// quota (percent null), used up, expired, delayed start, extreme counters.
std::vector<ClientUsage> varied_clients(size_t count) {
    std::mt19937_64 random(20261129);
    const auto pick = [&](int64_t lo, int64_t hi) {
        return std::uniform_int_distribution<int64_t>(lo, hi)(random);
    };
    const std::vector<std::string> oddities = {
        "", "\"", "\\", "\n", "\t", std::string(1, '\0'), "\x1F", "é", "東京", "🚀", "/", "\x7F"};
    std::vector<ClientUsage> clients(count);
    for (size_t i = 0; i < count; ++i) {
        ClientUsage& c = clients[i];
        c.inbound_id = static_cast<int>(i / 500) + 1;
        c.email =
            "user" + std::to_string(i) +
            oddities[static_cast<size_t>(pick(0, static_cast<int64_t>(oddities.size()) - 1))] +
            "@x.test";
        c.settings_enable = pick(0, 9) != 0;
        c.traffic_enable = pick(0, 5) != 0;
        c.up = pick(0, int64_t{1} << 40);
        c.down = pick(0, 3) == 0 ? std::numeric_limits<int64_t>::max() : pick(0, int64_t{1} << 36);
        c.quota = pick(0, 2) == 0 ? 0 : pick(1, int64_t{1} << 41);
        switch (pick(0, 3)) {
            case 0:
                c.expiry_time = 0;
                break;
            case 1:
                c.expiry_time = kNow - pick(1, int64_t{1} << 32);
                break;
            case 2:
                c.expiry_time = -pick(1, int64_t{1} << 32);
                break;
            default:
                c.expiry_time = kNow + pick(1, int64_t{1} << 36);
                break;
        }
        c.reset = static_cast<int>(pick(0, 1) * 30);
    }
    return clients;
}

const UsageStyle kStyle{false, kNow, DepletedRule::quota_or_expiry};

// The document `stats -o json` writes around its rows: a value before the
// array, the rows, a value after, with the rows written by write_rows (or
// the plain loop, `sequential`).
std::string document(const std::vector<ClientUsage>& clients, bool pretty, bool sequential,
                     const RowChunking& chunking = {}) {
    std::ostringstream out;
    JsonWriter w(out, pretty);
    w.StartObject();
    write_key(w, "before");
    w.StartArray();
    w.Int(1);
    w.EndArray();
    write_key(w, "clients");
    w.StartArray();
    if (sequential) {
        for (const auto& c : clients) {
            write_client_json(w, c, kStyle);
        }
    } else {
        write_rows(
            w, clients.size(),
            [&clients](JsonWriter& rw, size_t i) { write_client_json(rw, clients[i], kStyle); },
            chunking);
    }
    w.EndArray();
    write_key(w, "after");
    w.Bool(true);
    w.EndObject();
    w.finish();
    return out.str();
}

// Forces the parallel path at any size.
RowChunking chunked(size_t chunk_rows, unsigned threads, size_t in_flight = 0) {
    RowChunking c;
    c.chunk_rows = chunk_rows;
    c.min_parallel_rows = 0;
    c.threads = threads;
    c.chunks_in_flight = in_flight;
    return c;
}

}  // namespace

TEST_CASE("write_rows: the same bytes as one row after another, at every chunk boundary",
          "[unit][parallel_rows]") {
    const auto clients = varied_clients(20000);
    constexpr size_t kChunk = 64;
    for (const size_t count : {size_t{0}, size_t{1}, size_t{2}, kChunk - 1, kChunk, kChunk + 1,
                               2 * kChunk, 2 * kChunk + 1, size_t{1000}}) {
        const std::vector<ClientUsage> some(clients.begin(),
                                            clients.begin() + static_cast<std::ptrdiff_t>(count));
        const std::string expected = document(some, false, true);
        for (const unsigned threads : {1U, 2U, 3U, 4U}) {
            CAPTURE(count, threads);
            CHECK(xuictl::test::text_difference(
                      document(some, false, false, chunked(kChunk, threads)), expected) == "");
            // One chunk held at a time: the workers wait for every write.
            CHECK(xuictl::test::text_difference(
                      document(some, false, false, chunked(kChunk, threads, 1)), expected) == "");
        }
    }
    // The same at the default chunk size.
    const size_t rows = RowChunking{}.chunk_rows;
    for (const size_t count : {rows, rows + 1, 2 * rows}) {
        CAPTURE(count);
        const std::vector<ClientUsage> some(clients.begin(),
                                            clients.begin() + static_cast<std::ptrdiff_t>(count));
        CHECK(xuictl::test::text_difference(document(some, false, false, chunked(rows, 2)),
                                            document(some, false, true)) == "");
    }
}

TEST_CASE("write_rows: 20 000 varied rows in many chunks", "[unit][parallel_rows]") {
    const auto clients = varied_clients(20000);
    const std::string expected = document(clients, false, true);
    // The defaults (hardware threads; chunks of 1024 rows, longer than the
    // stream's buffer), two threads, four threads with small chunks.
    CHECK(xuictl::test::text_difference(document(clients, false, false), expected) == "");
    CHECK(xuictl::test::text_difference(document(clients, false, false, chunked(1024, 2)),
                                        expected) == "");
    CHECK(xuictl::test::text_difference(document(clients, false, false, chunked(2048, 2, 3)),
                                        expected) == "");
    CHECK(xuictl::test::text_difference(document(clients, false, false, chunked(100, 4)),
                                        expected) == "");
    CHECK(xuictl::test::text_difference(document(clients, false, false, chunked(7, 3, 2)),
                                        expected) == "");
    // Whatever the chunks, each row is there once, in order.
    CHECK(expected.find("\"email\":\"user19999") != std::string::npos);
    CHECK(expected.find("\"percent\":null") != std::string::npos);
    CHECK(expected.find("\\u0000") != std::string::npos);
}

TEST_CASE("write_rows: indented output is the plain loop's", "[unit][parallel_rows]") {
    const auto clients = varied_clients(5000);
    const std::string expected = document(clients, true, true);
    CHECK(expected.find("\n    {\n") != std::string::npos);  // it is indented
    CHECK(xuictl::test::text_difference(document(clients, true, false), expected) == "");
    CHECK(xuictl::test::text_difference(document(clients, true, false, chunked(64, 4)), expected) ==
          "");
}

TEST_CASE("write_rows: a row that throws stops every thread and reaches the caller",
          "[unit][parallel_rows]") {
    const auto clients = varied_clients(3000);
    for (const size_t bad : {size_t{0}, size_t{1500}, size_t{2999}}) {
        for (const unsigned threads : {1U, 2U, 4U}) {
            CAPTURE(bad, threads);
            std::ostringstream out;
            JsonWriter w(out, false);
            w.StartArray();
            std::atomic<size_t> rows{0};
            const auto write_row = [&](JsonWriter& rw, size_t i) {
                if (i == bad) {
                    throw std::runtime_error("row " + std::to_string(i));
                }
                ++rows;
                write_client_json(rw, clients[i], kStyle);
            };
            CHECK_THROWS_WITH(write_rows(w, clients.size(), write_row, chunked(64, threads, 4)),
                              "row " + std::to_string(bad));
            // No chunk more than the window (4) past the failed one was
            // formatted: the threads stopped rather than run to the end.
            CHECK(rows.load() <= (bad / 64 + 1 + 4) * 64);
        }
    }
}

TEST_CASE("JsonWriter::raw_elements: a separator only after an element", "[unit][parallel_rows]") {
    std::ostringstream out;
    JsonWriter w(out, false);
    w.StartArray();
    w.raw_elements("", 0);
    w.raw_elements("1,2", 3);
    w.raw_elements("", 0);
    w.raw_elements("{\"a\":3}", 7);
    w.Int(4);
    w.StartArray();
    w.raw_elements("5", 1);
    w.EndArray();
    w.EndArray();
    w.finish();
    CHECK(out.str() == "[1,2,{\"a\":3},4,[5]]\n");

    std::ostringstream indented;
    JsonWriter p(indented, true);
    p.StartArray();
    CHECK_THROWS_AS(p.raw_elements("1", 1), std::logic_error);
}

TEST_CASE("JsonWriter in memory: the text stays, clear() starts over", "[unit][parallel_rows]") {
    JsonWriter w;
    CHECK_FALSE(w.pretty());
    w.StartArray();
    // Past the stream's 64 KiB: the memory buffer grows instead of flushing.
    const std::string big(100 * 1024, 'x');
    w.String(big.data(), static_cast<rapidjson::SizeType>(big.size()));
    w.Int(7);
    w.EndArray();
    CHECK(w.text() == "[\"" + big + "\",7]");
    w.clear();
    CHECK(w.text().empty());
    w.StartArray();
    w.Null();
    w.EndArray();
    CHECK(w.text() == "[null]");
}
