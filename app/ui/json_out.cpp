#include "ui/json_out.hpp"

#include <algorithm>
#include <cstring>

namespace xuictl {

void JsonOutStream::Flush() {
    if (m_out == nullptr) {
        return;  // in memory: the text is what is kept
    }
    m_out->write(m_buffer.get(), static_cast<std::streamsize>(m_used));
    m_used = 0;
}

void JsonOutStream::make_room(size_t count) {
    if (m_out == nullptr) {
        // Doubling: a chunk of rows reallocates a handful of times, once.
        grow(std::max({m_used + count, m_capacity * 2, kBufferSize}));
        return;
    }
    Flush();
    if (count > m_capacity) {
        grow(count);  // one string longer than the buffer
    }
}

void JsonOutStream::grow(size_t capacity) {
    auto buffer = std::make_unique_for_overwrite<char[]>(capacity);
    if (m_used > 0) {
        std::memcpy(buffer.get(), m_buffer.get(), m_used);
    }
    m_buffer = std::move(buffer);
    m_capacity = capacity;
}

void JsonOutStream::write(const char* s, size_t n) {
    if (m_out != nullptr && n > m_capacity - m_used) {
        Flush();
        if (n >= m_capacity) {
            m_out->write(s, static_cast<std::streamsize>(n));
            return;
        }
    }
    if (n > 0) {
        std::memcpy(claim(n), s, n);
        m_used += n;
    }
}

}  // namespace xuictl
