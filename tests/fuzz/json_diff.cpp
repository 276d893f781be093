#include "fuzz/json_diff.hpp"

#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include <fmt/format.h>
#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "json/events.hpp"
#include "json/stream_reader.hpp"

namespace xuictl::fuzz {
namespace {

class Recorder final : public JsonEvents {
public:
    explicit Recorder(SkipRule skip) : m_skip(skip) {}

    bool null() override { return add('n'); }
    bool boolean(bool value) override { return add('b', value ? "true" : "false"); }
    bool integer(int64_t value) override { return add('i', {}, value); }
    bool number(double value) override { return add('d', {}, 0, value); }
    bool string(std::string_view value) override { return add('s', std::string(value)); }
    bool key(std::string_view name) override {
        m_last_key.assign(name);
        return add('k', std::string(name));
    }
    bool start_object() override { return add('{'); }
    bool end_object() override { return add('}'); }
    bool start_array() override { return add('['); }
    bool end_array() override { return add(']'); }
    Error stop_reason() const override { return make_error(ErrorKind::api, "stopped"); }
    bool skip_value() override { return m_skip != nullptr && m_skip(m_last_key); }

    std::vector<JsonEvent> events;

private:
    bool add(char kind, std::string text = {}, int64_t i = 0, double d = 0) {
        events.push_back({kind, std::move(text), i, d});
        return true;
    }

    SkipRule m_skip;
    std::string m_last_key;
};

// Drops the value after each key the rule skips, as a skipping parser would.
std::vector<JsonEvent> without_skipped(const std::vector<JsonEvent>& events, SkipRule skip) {
    std::vector<JsonEvent> kept;
    for (size_t i = 0; i < events.size(); ++i) {
        kept.push_back(events[i]);
        if (events[i].kind != 'k' || !skip(events[i].text)) {
            continue;
        }
        int depth = 0;
        while (++i < events.size()) {
            const char kind = events[i].kind;
            depth += (kind == '{' || kind == '[') ? 1 : (kind == '}' || kind == ']') ? -1 : 0;
            if (depth == 0) {
                break;  // the whole value (or a scalar) is dropped
            }
        }
    }
    return kept;
}

// Hands out a text in pieces, each copied into a buffer that the next call
// overwrites first.
class PiecesBody final : public HttpBodyReader {
public:
    PiecesBody(std::string_view text, const std::vector<size_t>& sizes)
        : m_text(text), m_sizes(sizes) {}
    Result<std::string_view> next() override {
        std::fill(m_buffer.begin(), m_buffer.end(), '#');
        size_t size = m_sizes.empty() ? m_text.size() : m_sizes[m_index++ % m_sizes.size()];
        size = std::min(std::max<size_t>(size, 1), m_text.size() - m_at);
        m_buffer.assign(m_text.substr(m_at, size));
        m_at += size;
        return std::string_view(m_buffer);
    }

private:
    std::string_view m_text;
    std::vector<size_t> m_sizes;
    size_t m_index = 0;
    size_t m_at = 0;
    std::string m_buffer;
};

std::string describe(const JsonEvent& e) {
    switch (e.kind) {
        case 'i':
            return fmt::format("integer {}", e.integer);
        case 'd':
            return fmt::format("number {}", e.number);
        case 's':
            return fmt::format("string \"{}\"", e.text);
        case 'k':
            return fmt::format("key \"{}\"", e.text);
        default:
            return fmt::format("{} {}", e.kind, e.text);
    }
}

// std::from_chars rounds correctly; RapidJSON's default strtod may be off in
// the last bits, gives inf at the edge of DBL_MAX and zero or a subnormal
// (with less precision) below DBL_MIN.
bool same_number(double a, double b) {
    if (a == b || (std::isnan(a) && std::isnan(b))) {
        return true;
    }
    if (std::signbit(a) != std::signbit(b)) {
        return false;
    }
    const double x = std::fabs(a);
    const double y = std::fabs(b);
    if ((x < 1e-290 && y < 1e-290) || (x > 1e307 && y > 1e307)) {
        return true;
    }
    return std::fabs(a - b) <= 1e-12 * std::max(x, y);
}

bool same_event(const JsonEvent& a, const JsonEvent& b) {
    return a.kind == b.kind && a.text == b.text && a.integer == b.integer &&
           (a.kind != 'd' || same_number(a.number, b.number));
}

}  // namespace

JsonRun run_rapidjson(std::string_view text, SkipRule skip) {
    Recorder recorder(nullptr);
    RapidJsonEvents adapter{recorder};
    rapidjson::MemoryStream bytes(text.data(), text.size());
    rapidjson::Reader reader;
    const rapidjson::ParseResult result = reader.Parse(bytes, adapter);
    JsonRun run;
    run.events = skip != nullptr ? without_skipped(recorder.events, skip) : recorder.events;
    run.code = result.Code();
    run.offset = result.IsError() ? result.Offset() : 0;
    return run;
}

JsonRun run_stream(std::string_view text, const std::vector<size_t>& piece_sizes, SkipRule skip) {
    Recorder recorder(skip);
    PiecesBody body(text, piece_sizes);
    JsonStreamReader reader(body);
    const rapidjson::ParseResult result = reader.parse(recorder);
    JsonRun run;
    run.events = std::move(recorder.events);
    run.code = result.Code();
    run.offset = result.IsError() ? result.Offset() : 0;
    return run;
}

std::string json_difference(const JsonRun& expected, const JsonRun& actual) {
    if (expected.code != actual.code || expected.offset != actual.offset) {
        return fmt::format("verdict: expected code {} at {}, got code {} at {}", expected.code,
                           expected.offset, actual.code, actual.offset);
    }
    const size_t n = std::min(expected.events.size(), actual.events.size());
    for (size_t i = 0; i < n; ++i) {
        if (!same_event(expected.events[i], actual.events[i])) {
            return fmt::format("event {}: expected {}, got {}", i, describe(expected.events[i]),
                               describe(actual.events[i]));
        }
    }
    if (expected.events.size() != actual.events.size()) {
        return fmt::format("expected {} events, got {}", expected.events.size(),
                           actual.events.size());
    }
    return {};
}

}  // namespace xuictl::fuzz

namespace xuictl::fuzz {
namespace {

bool skip_odd_length(std::string_view key) {
    return key.size() % 2 == 1;
}
bool skip_all(std::string_view) {
    return true;
}

}  // namespace

void json_stream(const uint8_t* data, size_t size) {
    if (size == 0) {
        return;
    }
    // The first byte picks the piece sizes and the keys skipped.
    const uint8_t seed = data[0];
    const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
    std::vector<size_t> sizes;
    uint32_t state = seed * 2654435761U + 1;
    const size_t largest = 1 + (seed & 0x1F);
    for (int i = 0; i < 7; ++i) {
        state = state * 1103515245U + 12345U;
        sizes.push_back(1 + (state >> 16) % largest);
    }
    const SkipRule rules[] = {nullptr, skip_odd_length, skip_all};
    const SkipRule skip = rules[(seed >> 5) % 3];
    const std::string difference =
        json_difference(run_rapidjson(text, skip), run_stream(text, sizes, skip));
    if (!difference.empty()) {
        fmt::print(stderr, "json_stream differs from rapidjson::Reader: {}\n", difference);
        std::abort();
    }
}

}  // namespace xuictl::fuzz
