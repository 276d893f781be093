#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace xuictl {

using Labels = std::vector<std::pair<std::string, std::string>>;

// Builds text in the Prometheus exposition format (what node_exporter's
// textfile collector reads): each family's # HELP and # TYPE lines once,
// then its samples, label values escaped.
class PrometheusText {
public:
    // Starts a metric family; the samples that follow belong to it.
    void family(std::string name, std::string_view type, std::string_view help);
    void sample(const Labels& labels, int64_t value);
    const std::string& str() const { return m_text; }

private:
    std::string m_name;
    std::string m_text;
};

// A label value with \ " and newline escaped (\\ \" \n).
std::string escape_label_value(std::string_view value);

}  // namespace xuictl
