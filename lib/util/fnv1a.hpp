#pragma once

#include <cstdint>
#include <string_view>

namespace xuictl {

// FNV-1a, 64 bit: stable across builds and platforms, unlike std::hash. A
// key for local files and rows (completion cache names, the usage-history
// panel key), never a secret's protection.
inline uint64_t fnv1a(std::string_view text) {
    uint64_t hash = 14695981039346656037ULL;
    for (const char c : text) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 1099511628211ULL;
    }
    return hash;
}

}  // namespace xuictl
