#include "ui/parallel_rows.hpp"

#include <algorithm>
#include <cassert>
#include <condition_variable>
#include <exception>
#include <memory>
#include <mutex>
#include <string_view>
#include <system_error>
#include <thread>
#include <vector>

namespace xuictl {

unsigned row_threads() {
    // 0 when unknown; past 4 the calling thread, which writes every byte
    // out, is the limit.
    return std::clamp(std::thread::hardware_concurrency(), 1U, 4U);
}

namespace {

// Chunk k of the array lives in slot k % window from the moment a thread
// claims it until the calling thread has written it out: a chunk is claimed
// only when the one that used its slot before has been written.
struct Slot {
    JsonWriter writer;  // in memory; its buffer is reused chunk after chunk
    bool formatted = false;
};

// One write_rows_in_chunks call: the chunks, the slots and the worker
// threads. The calling thread writes the chunks out in order and, while the
// next one is not ready, formats chunks itself (so one thread or none
// started is still correct, only slower).
class ChunkPipeline {
public:
    ChunkPipeline(size_t count, const RowChunking& chunking, const RowRangeWriter& write_range);
    ChunkPipeline(const ChunkPipeline&) = delete;
    ChunkPipeline& operator=(const ChunkPipeline&) = delete;
    // Stops the workers (after the chunk each is formatting) and joins them.
    ~ChunkPipeline();

    // Writes every chunk onto `out`; rethrows what a worker threw.
    void run(JsonWriter& out, unsigned threads);

private:
    // A worker thread: claims and formats chunks until none is left or stop.
    void work();
    // Formats chunk k into its slot, without the lock (the slot is the
    // claimer's alone until it is marked formatted).
    void format(size_t k);
    Slot& slot(size_t k) { return m_slots[k % m_window]; }
    // Under m_mutex: a chunk is left and its slot is free.
    bool claimable() const { return m_claimed < m_chunks && m_claimed < m_written + m_window; }

    const size_t m_count;
    const size_t m_chunk_rows;
    const size_t m_chunks;
    const size_t m_window;
    const RowRangeWriter& m_write_range;
    std::unique_ptr<Slot[]> m_slots;

    std::mutex m_mutex;
    // A chunk was formatted or a worker failed (the calling thread waits).
    std::condition_variable m_formatted;
    // A chunk was written out, freeing its slot, or stop (workers wait).
    std::condition_variable m_room;
    size_t m_claimed = 0;  // chunks 0 … m_claimed-1 have been claimed
    size_t m_written = 0;  // chunks 0 … m_written-1 have been written out
    bool m_stop = false;
    std::exception_ptr m_error;  // the first thing a worker threw

    std::vector<std::thread> m_workers;
};

ChunkPipeline::ChunkPipeline(size_t count, const RowChunking& chunking,
                             const RowRangeWriter& write_range)
    : m_count(count),
      m_chunk_rows(std::max<size_t>(chunking.chunk_rows, 1)),
      m_chunks((count + m_chunk_rows - 1) / m_chunk_rows),
      m_window(std::clamp<size_t>(chunking.chunks_in_flight, 1, std::max<size_t>(m_chunks, 1))),
      m_write_range(write_range),
      m_slots(std::make_unique<Slot[]>(m_window)) {}

ChunkPipeline::~ChunkPipeline() {
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_room.notify_all();
    for (auto& worker : m_workers) {
        worker.join();
    }
}

void ChunkPipeline::format(size_t k) {
    JsonWriter& w = slot(k).writer;
    const size_t begin = k * m_chunk_rows;
    const size_t end = std::min(begin + m_chunk_rows, m_count);
    w.clear();
    // A whole array, so the writer puts the commas between the rows and is
    // back at the top, ready for the next chunk; its brackets are not copied.
    w.StartArray();
    m_write_range(w, begin, end);
    w.EndArray();
}

void ChunkPipeline::work() {
    std::unique_lock lock(m_mutex);
    for (;;) {
        m_room.wait(lock, [this] { return m_stop || m_claimed == m_chunks || claimable(); });
        if (m_stop || m_claimed == m_chunks) {
            return;
        }
        const size_t k = m_claimed++;
        lock.unlock();
        std::exception_ptr error;
        try {
            format(k);
        } catch (...) {
            error = std::current_exception();
        }
        lock.lock();
        if (error) {
            if (!m_error) {
                m_error = error;
            }
            m_stop = true;
            m_formatted.notify_one();
            m_room.notify_all();
            return;
        }
        slot(k).formatted = true;
        m_formatted.notify_one();  // only the calling thread waits on it
    }
}

void ChunkPipeline::run(JsonWriter& out, unsigned threads) {
    const size_t workers = std::min<size_t>(threads - 1, m_chunks - 1);
    m_workers.reserve(workers);
    for (size_t i = 0; i < workers; ++i) {
        try {
            m_workers.emplace_back([this] { work(); });
        } catch (const std::system_error&) {
            break;  // no more threads to be had: the ones there are will do
        }
    }
    for (size_t k = 0; k < m_chunks; ++k) {
        Slot& next = slot(k);
        {
            std::unique_lock lock(m_mutex);
            while (!next.formatted) {
                if (m_error) {
                    std::rethrow_exception(m_error);  // the destructor joins
                }
                if (claimable()) {
                    // Rather than wait, format a chunk here (not always k:
                    // a worker may have it; then a later one).
                    const size_t mine = m_claimed++;
                    lock.unlock();
                    format(mine);
                    lock.lock();
                    slot(mine).formatted = true;
                    continue;
                }
                m_formatted.wait(lock);
            }
        }
        const std::string_view text = next.writer.text();
        assert(text.size() >= 2 && text.front() == '[' && text.back() == ']');
        out.raw_elements(text.data() + 1, text.size() - 2);
        {
            std::lock_guard lock(m_mutex);
            next.formatted = false;
            ++m_written;
        }
        m_room.notify_one();  // one slot is free: one chunk can be claimed
    }
}

}  // namespace

void write_rows_in_chunks(JsonWriter& w, size_t count, const RowChunking& chunking,
                          const RowRangeWriter& write_range) {
    const unsigned threads = chunking.threads == 0 ? row_threads() : chunking.threads;
    if (threads == 1 || count == 0) {
        write_range(w, 0, count);  // straight onto `w`: no copy through a chunk
        return;
    }
    RowChunking resolved = chunking;
    if (resolved.chunks_in_flight == 0) {
        resolved.chunks_in_flight = size_t{2} * threads;
    }
    ChunkPipeline pipeline(count, resolved, write_range);
    pipeline.run(w, threads);
}

}  // namespace xuictl
