// libFuzzer entry for xuictl::fuzz::panel_url (see targets.hpp).
#include "fuzz/targets.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    xuictl::fuzz::panel_url(data, size);
    return 0;
}
