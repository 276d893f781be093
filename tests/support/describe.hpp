#pragma once

#include <string>

#include "model/inbound.hpp"
#include "model/usage.hpp"

namespace xuictl::test {

// Every field of a decoded value as text, so tests compare whole values in
// one CHECK and a failure shows what differs. Inbound: one line for the
// inbound, then one per client and per traffic row (the shape flag
// settings_was_object is left out on purpose).
std::string describe(const Inbound& in);
std::string describe(const ClientUsage& c);

}  // namespace xuictl::test
