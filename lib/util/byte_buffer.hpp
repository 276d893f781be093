#pragma once

#include <algorithm>
#include <cstddef>
#include <memory>
#include <utility>

namespace xuictl {

// Bytes appended at the end and read back whole, in storage that grows (at
// least doubling, and never to less than `first_capacity`) without being
// zero-filled first, so only what is written is ever touched (resident).
// A moved-from buffer is empty and has no storage. Used for JSON text being
// formatted (JsonOutStream) and JSON events bound for another thread
// (EventTape).
class ByteBuffer {
public:
    explicit ByteBuffer(size_t first_capacity = 0) : m_first_capacity(first_capacity) {}
    ByteBuffer(ByteBuffer&& other) noexcept { *this = std::move(other); }
    ByteBuffer& operator=(ByteBuffer&& other) noexcept {
        m_data = std::move(other.m_data);
        m_size = std::exchange(other.m_size, 0);
        m_capacity = std::exchange(other.m_capacity, 0);
        m_first_capacity = other.m_first_capacity;
        return *this;
    }

    char* data() { return m_data.get(); }
    const char* data() const { return m_data.get(); }
    size_t size() const { return m_size; }
    size_t capacity() const { return m_capacity; }
    // Bytes that fit before the storage has to grow.
    size_t room() const { return m_capacity - m_size; }
    bool empty() const { return m_size == 0; }
    // Drops the bytes, keeps the storage.
    void clear() { m_size = 0; }

    // Where `count` more bytes go, growing the storage first if they do not
    // fit. They are part of the buffer once added (add() or commit()).
    char* claim(size_t count) {
        if (count > room()) [[unlikely]] {
            reallocate(std::max({m_size + count, 2 * m_capacity, m_first_capacity}));
        }
        return m_data.get() + m_size;
    }
    // The `count` bytes written at claim() are part of the buffer.
    void add(size_t count) { m_size += count; }
    // The bytes written at claim() up to `end` are part of the buffer.
    void commit(const char* end) { m_size = static_cast<size_t>(end - m_data.get()); }

    // Storage for `capacity` bytes (at least size()), the bytes kept.
    void reallocate(size_t capacity);

private:
    std::unique_ptr<char[]> m_data;
    size_t m_size = 0;
    size_t m_capacity = 0;
    size_t m_first_capacity = 0;
};

}  // namespace xuictl
