#pragma once

#include <string>

#include "options.hpp"

namespace sandbox {

// Where the running sandbox can be reached.
struct ReadyInfo {
    std::string url;  // scheme://host:port<base path>
    int port = 0;
    std::string cacert;  // PEM path when --tls, else ""
};

// The human start-up block on stdout (flushed), including the
// `export XUI_URL/XUI_USERNAME/XUI_PASSWORD` lines.
void print_banner(const Options& opts, const ReadyInfo& ready);

// --info-file: a JSON object written atomically with mode 0600.
bool write_info_file(const Options& opts, const ReadyInfo& ready, std::string& error);

}  // namespace sandbox
