// libFuzzer entry for xuictl::fuzz::server_status (see targets.hpp).
#include "fuzz/targets.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    xuictl::fuzz::server_status(data, size);
    return 0;
}
