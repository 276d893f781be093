#include "help_format.hpp"

namespace xuictl {

std::string placeholder(const CLI::Option& opt) {
    // get_type_name() appends each validator's description after ':'.
    std::string type = opt.get_type_name();
    return type.substr(0, type.find(':'));
}

std::string PlainFormatter::make_option_name(const CLI::Option* opt, bool is_positional) const {
    if (is_positional) {
        return placeholder(*opt);
    }
    return CLI::Formatter::make_option_name(opt, is_positional);
}

std::string PlainFormatter::make_option_opts(const CLI::Option* opt) const {
    if (opt->get_positional()) {
        return {};
    }
    std::string out;
    if (opt->get_type_size() != 0) {
        out += " " + placeholder(*opt);
    }
    auto names = [](const std::set<CLI::Option*>& options) {
        std::string text;
        for (const CLI::Option* o : options) {
            text += (text.empty() ? "" : ", ") + o->get_name();
        }
        return text;
    };
    if (!opt->get_needs().empty()) {
        out += " (needs " + names(opt->get_needs()) + ")";
    }
    if (!opt->get_excludes().empty()) {
        out += " (not with " + names(opt->get_excludes()) + ")";
    }
    return out;
}

std::string PlainFormatter::make_option_usage(const CLI::Option* opt) const {
    const std::string name = placeholder(*opt);
    return opt->get_required() ? name : "[" + name + "]";
}

}  // namespace xuictl
