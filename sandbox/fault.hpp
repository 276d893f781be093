#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <httplib.h>

#include "options.hpp"

namespace sandbox {

// Active fault rules, first match wins. Only consulted for panel requests.
// Not thread-safe: used under the server mutex.
class FaultTable {
public:
    explicit FaultTable(std::vector<FaultSpec> rules) : m_rules(std::move(rules)) {}

    // Adds a rule; mode "none" clears every rule instead.
    void set(const FaultSpec& spec);
    // Index of the first rule whose path is a substring of `raw_path`.
    [[nodiscard]] std::optional<std::size_t> find(std::string_view raw_path) const;
    [[nodiscard]] const FaultSpec& rule(std::size_t index) const { return m_rules[index]; }
    // Counts one trigger; a rule with count > 0 disappears when it reaches 0.
    void consume(std::size_t index);
    [[nodiscard]] const std::vector<FaultSpec>& rules() const { return m_rules; }

private:
    std::vector<FaultSpec> m_rules;
};

// `malformed-json`: syntactically broken JSON that still starts like an envelope.
[[nodiscard]] std::string malformed_json_body();
// `truncated-json`: the real body cut roughly in half.
[[nodiscard]] std::string truncated_body(const std::string& body);

// `drop`: shuts down the socket serving `req` (found by its address pair in
// /proc/self/fd) so httplib's write fails and the client sees the connection
// close without a response. Returns false if the socket was not found.
bool drop_connection(const httplib::Request& req);

}  // namespace sandbox
