#include "ui/json_out.hpp"

namespace xuictl {

void JsonOutStream::Flush() {
    m_out.write(m_buffer.data(), static_cast<std::streamsize>(m_used));
    m_used = 0;
}

void JsonOutStream::make_room(size_t count) {
    Flush();
    if (count > m_buffer.size()) {
        m_buffer.resize(count);  // one string longer than the buffer
    }
}

}  // namespace xuictl
