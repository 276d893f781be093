#include "ui/compact_json.hpp"

#include <rapidjson/internal/dtoa.h>

#include <cassert>
#include <cmath>
#include <stdexcept>

namespace xuictl {

bool CompactJsonWriter::Double(double d) {
    if (!std::isfinite(d)) {
        // RapidJSON has written the separator before it looks at the number.
        end_value(begin_value(0));
        return false;
    }
    constexpr size_t kMaxChars = 25;  // Writer::WriteDouble's buffer
    char* p = begin_value(kMaxChars);
    // 324: Writer's kDefaultMaxDecimalPlaces, i.e. no limit.
    end_value(rapidjson::internal::dtoa(d, p, 324));
    return true;
}

bool CompactJsonWriter::RawValue(const char* json, size_t n) {
    char* p = begin_value(n);
    std::memcpy(p, json, n);
    end_value(p + n);
    return true;
}

bool CompactJsonWriter::raw_elements(const char* json, size_t n) {
    assert(m_depth > 0 && m_in_array);
    if (n == 0) {
        return true;  // no elements: no separator either
    }
    m_stream.commit(begin_value(0));  // the separator, if any
    m_stream.write(json, n);
    return true;
}

bool CompactJsonWriter::open(char bracket, bool array) {
    if (m_depth == kMaxDepth) {
        throw std::length_error("JSON output nested deeper than 256 levels");
    }
    char* p = begin_value(1);
    *p++ = bracket;
    m_stream.commit(p);
    m_outer_in_array[m_depth] = m_in_array;
    ++m_depth;
    m_in_array = array;
    m_separator = 0;
    return true;
}

bool CompactJsonWriter::close(char bracket) {
    if (m_depth == 0) [[unlikely]] {
        assert(false && "EndObject/EndArray without a start");
        return false;  // rather than read below the stack in a release build
    }
    --m_depth;
    m_in_array = m_outer_in_array[m_depth];
    m_separator = ',';  // the closed container was a value of this level
    char* p = m_stream.claim(1);
    *p++ = bracket;
    end_value(p);
    return true;
}

void CompactJsonWriter::end_root() {
    // A second root value gets no separator (RapidJSON asserts on one).
    m_separator = 0;
    // As Writer::EndValue: the document goes out when it is complete.
    m_stream.Flush();
}

}  // namespace xuictl
