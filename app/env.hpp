#pragma once

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "net/curl_transport.hpp"
#include "ui/terminal.hpp"
#include "util/clock.hpp"

namespace xuictl {

// Everything a command may touch in the outside world. main() binds the real
// ones; tests bind fakes (FakeTransport, FakeTerminal, fixed clock, string
// streams, a map for the environment).
struct Env {
    Terminal& terminal;
    std::ostream& out;  // data only
    std::ostream& err;  // messages, plans, warnings
    std::istream& in;   // --password-stdin
    const Clock& clock;
    std::function<std::optional<std::string>(std::string_view)> getenv;
    std::function<std::unique_ptr<HttpTransport>(const TransportOptions&)> make_transport;
};

}  // namespace xuictl
