#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sandbox {

// Wall clock in unix milliseconds (the panel's unit for every timestamp).
[[nodiscard]] std::int64_t now_ms();

// `bytes` of OpenSSL randomness, base64url-encoded without padding
// (the format of 3x-ui's CSRF tokens, session_csrf.go).
[[nodiscard]] std::string random_token(std::size_t bytes);

// Percent-decoding; `plus_as_space` for application/x-www-form-urlencoded.
[[nodiscard]] std::string url_decode(std::string_view text, bool plus_as_space);

[[nodiscard]] std::string to_lower(std::string_view text);

// strings.TrimSpace for ASCII whitespace.
[[nodiscard]] std::string trim(std::string_view text);

// First line of a file with trailing CR/LF/space removed; nullopt if unreadable.
[[nodiscard]] std::optional<std::string> read_secret_file(const std::string& path);

// Writes `content` to `path` atomically (temp file in the same directory,
// fsync, rename) with permissions 0600. Returns false with errno-style text in `error`.
bool write_file_atomic(const std::string& path, std::string_view content, std::string& error);

// RFC 7231 IMF-fixdate for a unix time in seconds, as Go's http.Cookie writes it.
[[nodiscard]] std::string http_date(std::int64_t unix_seconds);

// Quotes a value for a POSIX shell `export` line only when needed.
[[nodiscard]] std::string shell_quote(std::string_view value);

}  // namespace sandbox

namespace sandbox {

// Random RFC 4122 v4 UUID from OpenSSL randomness (server-side generated secrets).
[[nodiscard]] std::string random_uuid();

}  // namespace sandbox
