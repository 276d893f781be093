// libFuzzer entry for xuictl::fuzz::client_traffic (see targets.hpp).
#include "fuzz/targets.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    xuictl::fuzz::client_traffic(data, size);
    return 0;
}
