#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sandbox {

// SplitMix64: tiny, fast, fully deterministic for a given seed. Used only
// for the seeded demo data, never for secrets (those come from RAND_bytes).
class SplitMix64 {
public:
    explicit SplitMix64(std::uint64_t seed) : m_state(seed) {}

    std::uint64_t next() {
        std::uint64_t z = (m_state += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30U)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27U)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31U);
    }

    // Uniform-ish integer in [lo, hi] (modulo bias is irrelevant here).
    std::int64_t range(std::int64_t lo, std::int64_t hi) {
        const auto span = static_cast<std::uint64_t>(hi - lo) + 1U;
        return lo + static_cast<std::int64_t>(next() % span);
    }

    // Random string over `alphabet`.
    std::string text(std::size_t length, std::string_view alphabet) {
        std::string out(length, ' ');
        for (auto& ch : out) {
            ch = alphabet[next() % alphabet.size()];
        }
        return out;
    }

    // RFC 4122 version-4 shaped UUID.
    std::string uuid() {
        static constexpr std::string_view hex = "0123456789abcdef";
        std::string out = text(32, hex);
        out[12] = '4';
        out[16] = hex[8U + (next() % 4U)];
        return out.substr(0, 8) + "-" + out.substr(8, 4) + "-" + out.substr(12, 4) + "-" +
               out.substr(16, 4) + "-" + out.substr(20, 12);
    }

private:
    std::uint64_t m_state;
};

}  // namespace sandbox
