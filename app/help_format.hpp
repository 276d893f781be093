#pragma once

#include <CLI/CLI.hpp>

#include <string>

namespace xuictl {

// CLI11's help in plain words: an option shows the placeholder of its value
// and nothing else ("--inbound ID", not "--inbound INT:--inbound"), a
// positional its placeholder ("ID", not "id ID:ID"), and "(needs --report)" /
// "(not with --report)" instead of "Needs:" / "Excludes:". What the values
// may be is said in each description.
class PlainFormatter : public CLI::Formatter {
public:
    std::string make_option_name(const CLI::Option* opt, bool is_positional) const override;
    std::string make_option_opts(const CLI::Option* opt) const override;
    std::string make_option_usage(const CLI::Option* opt) const override;
};

// An option's placeholder without CLI11's ":validator" suffix ("ID").
std::string placeholder(const CLI::Option& opt);

}  // namespace xuictl
