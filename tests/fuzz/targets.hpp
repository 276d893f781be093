#pragma once

#include <cstddef>
#include <cstdint>

namespace xuictl::fuzz {

// Fuzz entry points, shared by the libFuzzer binaries (XUICTL_BUILD_FUZZERS)
// and the [unit] regression test that replays tests/fuzz/regressions/<target>/*.
// Each must return normally for any input: errors are Results, never crashes.
void inbound_list(const uint8_t* data, size_t size);    // envelope + both settings shapes
void client_traffic(const uint8_t* data, size_t size);  // one client_traffics row
void server_status(const uint8_t* data, size_t size);
void panel_url(const uint8_t* data, size_t size);       // URL + base path + path segments
// JsonStreamReader against rapidjson::Reader (same verdict, offset, events;
// json_diff.cpp): the first byte picks the piece sizes and the skipped keys.
// Aborts on a difference.
void json_stream(const uint8_t* data, size_t size);

}  // namespace xuictl::fuzz
