// libFuzzer entry for xuictl::fuzz::json_stream (see targets.hpp).
#include "fuzz/targets.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    xuictl::fuzz::json_stream(data, size);
    return 0;
}
