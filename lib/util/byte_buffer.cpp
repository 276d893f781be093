#include "util/byte_buffer.hpp"

#include <cassert>
#include <cstring>

namespace xuictl {

void ByteBuffer::reallocate(size_t capacity) {
    assert(capacity >= m_size);
    auto data = std::make_unique_for_overwrite<char[]>(capacity);
    if (m_size > 0) {
        std::memcpy(data.get(), m_data.get(), m_size);
    }
    m_data = std::move(data);
    m_capacity = capacity;
}

}  // namespace xuictl
