#pragma once

#include <cstddef>
#include <ostream>
#include <vector>

namespace xuictl {

// RapidJSON output stream onto a std::ostream through a 64 KiB buffer: a
// 100 000-client document (20–40 MB) goes out while it is being written and
// is never held whole.
class JsonOutStream {
public:
    using Ch = char;
    explicit JsonOutStream(std::ostream& out) : m_out(out), m_buffer(64 * 1024) {}
    JsonOutStream(const JsonOutStream&) = delete;
    JsonOutStream& operator=(const JsonOutStream&) = delete;

    void Put(char c) {
        if (m_used == m_buffer.size()) [[unlikely]] {
            Flush();
        }
        m_buffer[m_used++] = c;
    }
    // Room for `count` more characters, so they can be put without a check
    // each (RapidJSON's PutReserve/PutUnsafe, below): the writer's hot path.
    void reserve(size_t count) {
        if (m_used + count > m_buffer.size()) [[unlikely]] {
            make_room(count);
        }
    }
    void put_unchecked(char c) { m_buffer[m_used++] = c; }
    // Room for `count` more characters and where they go: the caller writes
    // at most `count` there and hands the end of what it wrote to commit().
    // One check per token instead of one per character (CompactJsonWriter).
    char* claim(size_t count) {
        reserve(count);
        return m_buffer.data() + m_used;
    }
    // `end` is within what the last claim() returned.
    void commit(const char* end) { m_used = static_cast<size_t>(end - m_buffer.data()); }
    void Flush();

private:
    void make_room(size_t count);

    std::ostream& m_out;
    std::vector<char> m_buffer;
    size_t m_used = 0;
};

// Found by argument-dependent lookup from RapidJSON's writers.
inline void PutReserve(JsonOutStream& stream, size_t count) {
    stream.reserve(count);
}
inline void PutUnsafe(JsonOutStream& stream, char c) {
    stream.put_unchecked(c);
}

}  // namespace xuictl
