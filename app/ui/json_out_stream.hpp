#pragma once

#include <cstddef>
#include <ostream>
#include <string_view>

#include "util/byte_buffer.hpp"

namespace xuictl {

// RapidJSON output stream onto a std::ostream through a 64 KiB buffer: a
// 100 000-client document (20–40 MB) goes out while it is being written and
// is never held whole.
//
// Or, default-constructed, in memory: the text stays in the buffer, which
// grows as needed and is never written anywhere (a chunk of rows formatted
// on a worker thread, see ui/parallel_rows.hpp).
class JsonOutStream {
public:
    using Ch = char;
    explicit JsonOutStream(std::ostream& out) : m_out(&out) { m_buffer.reallocate(kBufferSize); }
    JsonOutStream() = default;
    JsonOutStream(const JsonOutStream&) = delete;
    JsonOutStream& operator=(const JsonOutStream&) = delete;

    void Put(char c) {
        reserve(1);
        put_unchecked(c);
    }
    // Room for `count` more characters, so they can be put without a check
    // each (RapidJSON's PutReserve/PutUnsafe, below): the writer's hot path.
    void reserve(size_t count) {
        if (count > m_buffer.room()) [[unlikely]] {
            make_room(count);
        }
    }
    void put_unchecked(char c) {
        m_buffer.data()[m_buffer.size()] = c;
        m_buffer.add(1);
    }
    // Room for `count` more characters and where they go: the caller writes
    // at most `count` there and hands the end of what it wrote to commit().
    // One check per token instead of one per character (CompactJsonWriter).
    char* claim(size_t count) {
        reserve(count);
        return m_buffer.data() + m_buffer.size();
    }
    // `end` is within what the last claim() returned.
    void commit(const char* end) { m_buffer.commit(end); }
    // `n` characters as they are. A run longer than the buffer goes straight
    // to the ostream, after what is buffered, with no copy.
    void write(const char* s, size_t n);
    // Writes out what is buffered (in memory: nothing, the text stays).
    void Flush();

    // In memory: what has been written since the start or clear().
    std::string_view text() const { return {m_buffer.data(), m_buffer.size()}; }
    // In memory: drops the text and keeps the buffer, so the next text of
    // the same size allocates nothing.
    void clear() { m_buffer.clear(); }

private:
    static constexpr size_t kBufferSize = 64 * 1024;

    void make_room(size_t count);

    std::ostream* m_out = nullptr;  // null: in memory
    // In memory it grows as needed (doubling: a chunk of rows reallocates a
    // handful of times, once); onto a stream it is written out first.
    ByteBuffer m_buffer{kBufferSize};
};

// Found by argument-dependent lookup from RapidJSON's writers.
inline void PutReserve(JsonOutStream& stream, size_t count) {
    stream.reserve(count);
}
inline void PutUnsafe(JsonOutStream& stream, char c) {
    stream.put_unchecked(c);
}

}  // namespace xuictl
