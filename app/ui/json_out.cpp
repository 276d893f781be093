#include "ui/json_out.hpp"

#include <cstring>

namespace xuictl {

void JsonOutStream::Flush() {
    if (m_out == nullptr) {
        return;  // in memory: the text is what is kept
    }
    m_out->write(m_buffer.data(), static_cast<std::streamsize>(m_buffer.size()));
    m_buffer.clear();
}

void JsonOutStream::make_room(size_t count) {
    Flush();
    m_buffer.claim(count);  // grows for a token longer than the buffer, or in memory
}

void JsonOutStream::write(const char* s, size_t n) {
    if (m_out != nullptr && n > m_buffer.room()) {
        Flush();
        if (n >= m_buffer.capacity()) {
            m_out->write(s, static_cast<std::streamsize>(n));
            return;
        }
    }
    if (n > 0) {
        std::memcpy(claim(n), s, n);
        m_buffer.add(n);
    }
}

}  // namespace xuictl
