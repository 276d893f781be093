#pragma once

#include <CLI/CLI.hpp>

namespace xuictl {

// Accepts a whole number 0..INT_MAX (inbound ids, counts) and says so in
// plain words otherwise ("ID must be a whole number >= 0, got 'abc'"),
// instead of CLI11's generic range text. `what` names the value ("ID").
CLI::Validator whole_number(const std::string& what);

}  // namespace xuictl
