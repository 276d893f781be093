#include "totp.hpp"

#include <array>
#include <stdexcept>

#include <fmt/format.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

namespace sandbox {

namespace {
constexpr std::string_view k_alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
}  // namespace

std::optional<std::vector<unsigned char>> base32_decode(std::string_view text) {
    std::vector<unsigned char> out;
    std::uint32_t acc = 0;
    int bits = 0;
    for (char ch : text) {
        if (ch == '=' || ch == ' ' || ch == '-') {
            continue;
        }
        if (ch >= 'a' && ch <= 'z') {
            ch = static_cast<char>(ch - 'a' + 'A');
        }
        const auto pos = k_alphabet.find(ch);
        if (pos == std::string_view::npos) {
            return std::nullopt;
        }
        acc = (acc << 5U) | static_cast<std::uint32_t>(pos);
        bits += 5;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<unsigned char>((acc >> static_cast<unsigned>(bits)) & 0xFFU));
        }
    }
    if (out.empty()) {
        return std::nullopt;
    }
    return out;
}

std::string random_totp_secret() {
    std::array<unsigned char, 20> raw{};
    if (RAND_bytes(raw.data(), static_cast<int>(raw.size())) != 1) {
        throw std::runtime_error("RAND_bytes failed");
    }
    std::string out;
    std::uint32_t acc = 0;
    int bits = 0;
    for (unsigned char byte : raw) {
        acc = (acc << 8U) | byte;
        bits += 8;
        while (bits >= 5) {
            bits -= 5;
            out.push_back(k_alphabet[(acc >> static_cast<unsigned>(bits)) & 0x1FU]);
        }
    }
    return out;
}

std::string totp_code(const std::vector<unsigned char>& key, std::int64_t unix_seconds) {
    auto counter = static_cast<std::uint64_t>(unix_seconds / 30);
    std::array<unsigned char, 8> msg{};
    for (int i = 7; i >= 0; --i) {
        msg[static_cast<std::size_t>(i)] = static_cast<unsigned char>(counter & 0xFFU);
        counter >>= 8U;
    }
    std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
    unsigned int mac_len = 0;
    HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()), msg.data(), msg.size(), mac.data(),
         &mac_len);
    const unsigned offset = mac[mac_len - 1] & 0x0FU;
    const std::uint32_t binary =
        ((mac[offset] & 0x7FU) << 24U) | (static_cast<std::uint32_t>(mac[offset + 1]) << 16U) |
        (static_cast<std::uint32_t>(mac[offset + 2]) << 8U) | mac[offset + 3];
    return fmt::format("{:06d}", binary % 1'000'000U);
}

}  // namespace sandbox
