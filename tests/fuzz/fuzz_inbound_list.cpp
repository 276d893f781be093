// libFuzzer entry for xuictl::fuzz::inbound_list (see targets.hpp).
#include "fuzz/targets.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    xuictl::fuzz::inbound_list(data, size);
    return 0;
}
