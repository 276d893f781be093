#pragma once

#include <CLI/CLI.hpp>

namespace xuictl {

// Accepts a whole number 0..INT_MAX (inbound ids, counts) and says so in
// plain words otherwise ("ID must be a whole number >= 0, got 'abc'"),
// instead of CLI11's generic range text. `what` names the value ("ID").
CLI::Validator whole_number(const std::string& what);

// Accepts a number from low to high, else "--over must be a number from 0 to
// 100000, got '-5'" (not CLI11's "Value -5 not in range 0.000000 to ...").
CLI::Validator number_from(double low, double high, const std::string& what);

}  // namespace xuictl
