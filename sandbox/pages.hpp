#pragma once

#include <string>

namespace sandbox {

// A minimal stand-in for the panel's login page (GET <base>, and the
// `login-page` fault that mimics a proxy or an expired session page).
[[nodiscard]] std::string login_page_html(const std::string& base_path);

// A minimal stand-in for the panel SPA shell (GET <base>panel/).
[[nodiscard]] std::string panel_page_html(const std::string& base_path);

}  // namespace sandbox
