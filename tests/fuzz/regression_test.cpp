#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

#include "fuzz/targets.hpp"

#ifndef XUICTL_FUZZ_REGRESSIONS
#error "XUICTL_FUZZ_REGRESSIONS must be defined by the build"
#endif

namespace {

using Target = void (*)(const uint8_t*, size_t);

// Replays every saved input of one target; reaching the end without a crash
// (or a sanitizer report, in the asan preset) is the assertion.
size_t replay(const char* name, Target target) {
    const std::filesystem::path dir = std::filesystem::path(XUICTL_FUZZ_REGRESSIONS) / name;
    size_t count = 0;
    if (!std::filesystem::exists(dir)) {
        return 0;
    }
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        std::ifstream in(entry.path(), std::ios::binary);
        std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        target(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
        ++count;
    }
    return count;
}

}  // namespace

TEST_CASE("fuzz regressions replay without crashing", "[unit][fuzz]") {
    CHECK(replay("inbound_list", xuictl::fuzz::inbound_list) > 0);
    CHECK(replay("client_traffic", xuictl::fuzz::client_traffic) > 0);
    CHECK(replay("server_status", xuictl::fuzz::server_status) > 0);
    CHECK(replay("panel_url", xuictl::fuzz::panel_url) > 0);
    CHECK(replay("json_stream", xuictl::fuzz::json_stream) > 0);
}
