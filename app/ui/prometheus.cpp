#include "ui/prometheus.hpp"

#include <fmt/format.h>

namespace xuictl {
namespace {

// HELP text escapes only \ and newline.
std::string escape_help(std::string_view text) {
    std::string out;
    for (char c : text) {
        if (c == '\\') {
            out += "\\\\";
        } else if (c == '\n') {
            out += "\\n";
        } else {
            out += c;
        }
    }
    return out;
}

}  // namespace

std::string escape_label_value(std::string_view value) {
    std::string out;
    out.reserve(value.size());
    for (char c : value) {
        switch (c) {
            case '\\': out += "\\\\"; break;
            case '"': out += "\\\""; break;
            case '\n': out += "\\n"; break;
            default: out += c;
        }
    }
    return out;
}

void PrometheusText::family(std::string name, std::string_view type, std::string_view help) {
    m_name = std::move(name);
    m_text += fmt::format("# HELP {} {}\n# TYPE {} {}\n", m_name, escape_help(help), m_name, type);
}

void PrometheusText::sample(const Labels& labels, int64_t value) {
    m_text += m_name;
    if (!labels.empty()) {
        m_text += '{';
        for (size_t i = 0; i < labels.size(); ++i) {
            m_text += fmt::format("{}{}=\"{}\"", i ? "," : "", labels[i].first,
                                  escape_label_value(labels[i].second));
        }
        m_text += '}';
    }
    m_text += fmt::format(" {}\n", value);
}

}  // namespace xuictl
