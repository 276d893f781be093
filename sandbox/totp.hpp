#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sandbox {

// RFC 4648 base32 (case-insensitive; '=', spaces and dashes ignored).
[[nodiscard]] std::optional<std::vector<unsigned char>> base32_decode(std::string_view text);

// A fresh 160-bit secret as 32 base32 characters (no padding needed).
[[nodiscard]] std::string random_totp_secret();

// RFC 6238 TOTP as gotp.NewDefaultTOTP computes it: HMAC-SHA1, 6 digits,
// 30 s step, for the window containing `unix_seconds` (§3.1: no skew window).
[[nodiscard]] std::string totp_code(const std::vector<unsigned char>& key,
                                    std::int64_t unix_seconds);

}  // namespace sandbox
