#include "pages.hpp"

#include <fmt/format.h>

namespace sandbox {

std::string login_page_html(const std::string& base_path) {
    return fmt::format(R"(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Login - 3X-UI</title>
<script>window.X_UI_BASE_PATH = "{0}";</script>
</head>
<body>
<div id="app">
<form class="login-form" method="post" action="{0}login">
<h2>Hello! Welcome to 3X-UI</h2>
<input type="text" name="username" placeholder="Username" autocomplete="username">
<input type="password" name="password" placeholder="Password" autocomplete="current-password">
<input type="text" name="twoFactorCode" placeholder="Code" autocomplete="one-time-code">
<button type="submit">Log In</button>
</form>
</div>
</body>
</html>
)",
                       base_path);
}

std::string panel_page_html(const std::string& base_path) {
    return fmt::format(R"(<!DOCTYPE html>
<html lang="en">
<head><meta charset="UTF-8"><title>3X-UI</title>
<script>window.X_UI_BASE_PATH = "{0}";</script></head>
<body><div id="app"></div></body>
</html>
)",
                       base_path);
}

}  // namespace sandbox
