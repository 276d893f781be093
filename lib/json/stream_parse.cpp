#include "json/stream_parse.hpp"

#include <rapidjson/error/en.h>

#include <fmt/format.h>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "json/event_tape.hpp"
#include "json/stream_reader.hpp"

namespace xuictl {
namespace {

// A complete text as a body of one piece.
class TextBody final : public HttpBodyReader {
public:
    explicit TextBody(std::string_view text) : m_text(text) {}
    Result<std::string_view> next() override { return std::exchange(m_text, {}); }

private:
    std::string_view m_text;
};

// What a finished parse of a body amounts to, the consumer having run to the
// end or stopped (a kParseErrorTermination).
Status verdict(const JsonStreamReader& reader, const rapidjson::ParseResult& result,
               const JsonEvents& events, std::string_view what) {
    if (const Error* failed = reader.transport_error()) {
        return *failed;  // the cut-off connection, not the JSON it left behind
    }
    if (result.Code() == rapidjson::kParseErrorTermination) {
        return events.stop_reason();
    }
    if (result.IsError()) {
        return make_error(
            ErrorKind::api,
            fmt::format("the panel sent invalid JSON for the {} ({} at byte {})", what,
                        rapidjson::GetParseError_En(result.Code()), result.Offset()),
            "the response may have been cut off; retry, and check the panel's log");
    }
    return ok_status();
}

Status parse_on_one_thread(HttpBodyReader& body, JsonEvents& events, std::string_view what) {
    JsonStreamReader reader(body);
    const rapidjson::ParseResult result = reader.parse(events);
    return verdict(reader, result, events, what);
}

// Tapes going from the parsing thread to the consuming one, and back empty:
// a fixed set of them, so memory stays bounded and no tape is allocated twice.
class TapeChannel {
public:
    static constexpr size_t kTapes = 4;

    TapeChannel() : m_free(kTapes) {}

    // Parser: an empty tape to record into, waiting for one; false once the
    // consumer has stopped (nothing more will be played).
    bool take_empty(EventTape& tape) {
        std::unique_lock lock(m_mutex);
        m_changed.wait(lock, [this] { return !m_free.empty() || m_stopped; });
        if (m_stopped) {
            return false;
        }
        tape = std::move(m_free.back());
        m_free.pop_back();
        return true;
    }
    void send(EventTape&& tape) {
        {
            std::lock_guard lock(m_mutex);
            m_full.push_back(std::move(tape));
        }
        m_changed.notify_all();
    }
    // No more tapes; `abandon` (the parser is unwinding) drops those not
    // played yet.
    void close(bool abandon) {
        {
            std::lock_guard lock(m_mutex);
            m_closed = true;
            if (abandon) {
                m_full.clear();
            }
        }
        m_changed.notify_all();
    }

    // Consumer: the next tape, waiting for it; false once closed and drained.
    bool receive(EventTape& tape) {
        std::unique_lock lock(m_mutex);
        m_changed.wait(lock, [this] { return !m_full.empty() || m_closed; });
        if (m_full.empty()) {
            return false;
        }
        tape = std::move(m_full.front());
        m_full.pop_front();
        return true;
    }
    void give_back(EventTape&& tape) {
        tape.clear();
        {
            std::lock_guard lock(m_mutex);
            m_free.push_back(std::move(tape));
        }
        m_changed.notify_all();
    }
    void stop() {
        {
            std::lock_guard lock(m_mutex);
            m_stopped = true;
        }
        m_changed.notify_all();
    }
    bool stopped() {
        std::lock_guard lock(m_mutex);
        return m_stopped;
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::vector<EventTape> m_free;
    std::deque<EventTape> m_full;
    bool m_closed = false;
    bool m_stopped = false;
};

// The parsing thread's consumer: writes each event down and sends every full
// tape on. It refuses an event only once the real consumer has stopped.
class TapeRecorder final : public JsonEvents {
public:
    explicit TapeRecorder(TapeChannel& channel) : m_channel(channel) {
        m_live = m_channel.take_empty(m_tape);
    }

    bool null() override { return m_tape.null(), go_on(); }
    bool boolean(bool value) override { return m_tape.boolean(value), go_on(); }
    bool integer(int64_t value) override { return m_tape.integer(value), go_on(); }
    bool number(double value) override { return m_tape.number(value), go_on(); }
    bool string(std::string_view value) override { return m_tape.string(value), go_on(); }
    bool key(std::string_view name) override { return m_tape.key(name), go_on(); }
    bool start_object() override { return m_tape.start_object(), go_on(); }
    bool end_object() override { return m_tape.end_object(), go_on(); }
    bool start_array() override { return m_tape.start_array(), go_on(); }
    bool end_array() override { return m_tape.end_array(), go_on(); }
    // Not read: the verdict asks the real consumer why it stopped.
    Error stop_reason() const override { return make_error(ErrorKind::api, "stopped"); }

    // Sends what is recorded but not sent yet (the end of the text).
    void flush() {
        if (m_live && !m_tape.empty()) {
            m_channel.send(std::move(m_tape));
        }
    }

private:
    bool go_on() {
        if (!m_tape.full()) [[likely]] {
            return m_live;
        }
        m_channel.send(std::move(m_tape));
        m_live = m_channel.take_empty(m_tape);
        return m_live;
    }

    TapeChannel& m_channel;
    EventTape m_tape;
    bool m_live = false;
};

// The second thread: plays the tapes into the real consumer until the end,
// its stop, or its exception (kept for the caller's thread).
void play_tapes(TapeChannel& channel, JsonEvents& events, std::exception_ptr& failure) {
    try {
        TapePlayer player(events);
        EventTape tape;
        while (channel.receive(tape)) {
            const bool more = player.play(tape);
            channel.give_back(std::move(tape));
            if (!more) {
                channel.stop();
                return;
            }
        }
    } catch (...) {
        failure = std::current_exception();
        channel.stop();
    }
}

Status parse_on_two_threads(HttpBodyReader& body, JsonEvents& events, std::string_view what) {
    TapeChannel channel;
    std::exception_ptr failure;
    std::thread consumer;
    try {
        consumer = std::thread(play_tapes, std::ref(channel), std::ref(events), std::ref(failure));
    } catch (const std::system_error&) {
        return parse_on_one_thread(body, events, what);  // no thread to be had: as before
    }
    // The consumer thread is joined on every way out, an exception included
    // (then what it has not played yet is dropped).
    struct JoinOnUnwind {
        TapeChannel& channel;
        std::thread& thread;
        ~JoinOnUnwind() {
            if (thread.joinable()) {
                channel.close(true);
                thread.join();
            }
        }
    } join_on_unwind{channel, consumer};

    TapeRecorder recorder(channel);
    JsonStreamReader reader(body);
    const rapidjson::ParseResult result = reader.parse(recorder);
    recorder.flush();
    channel.close(false);
    consumer.join();
    if (failure) {
        std::rethrow_exception(failure);
    }
    if (channel.stopped()) {
        // Whatever the parser met after that point was never the consumer's.
        return events.stop_reason();
    }
    return verdict(reader, result, events, what);
}

}  // namespace

Status parse_json_stream(HttpBodyReader& body, JsonEvents& events, std::string_view what,
                         ParseThreads threads) {
    if (threads == ParseThreads::automatic) {
        threads = std::thread::hardware_concurrency() >= 2 ? ParseThreads::two : ParseThreads::one;
    }
    return threads == ParseThreads::two ? parse_on_two_threads(body, events, what)
                                        : parse_on_one_thread(body, events, what);
}

Status parse_json_text(std::string_view text, JsonEvents& events, long& syntax_error_at) {
    syntax_error_at = -1;
    TextBody body(text);
    JsonStreamReader reader(body);
    const rapidjson::ParseResult result = reader.parse(events);
    if (result.Code() == rapidjson::kParseErrorTermination) {
        return events.stop_reason();
    }
    if (result.IsError()) {
        syntax_error_at = static_cast<long>(result.Offset());
        return make_error(ErrorKind::api, fmt::format("invalid JSON at byte {}", result.Offset()));
    }
    return ok_status();
}

}  // namespace xuictl
