#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace xuictl {

// Advice as one panel of a fleet gives it (issue 18). A fleet refuses the
// options that name one panel, and a command the advice names must run on
// that panel alone, so for panel `profile`:
//  - every `xuictl COMMAND` (one of xuictl's commands) becomes
//    `xuictl --profile NAME COMMAND` (NAME one shell word: shell_word);
//  - `--url` becomes `the url of profile NAME` (its url is the profile's:
//    --url with --profile NAME must be that same panel).
// The other one-panel options (--cacert, --token-file, --totp-file, ...)
// stay: they work on the panel alone, with --profile NAME.
std::string fleet_panel_advice(std::string_view text, const std::string& profile);

// A hint of a fleet panel's error: fleet_panel_advice, and when it names no
// command, how to retry the panel alone: "...; retry this panel alone with
// --profile NAME" (that sentence alone for an empty hint). Idempotent: a
// hint that already names `--profile NAME` is not changed again, so every
// place that shows a fleet error may apply it.
std::string fleet_panel_hint(std::string_view hint, const std::string& profile);

// The top-level commands fleet_panel_advice recognises after "xuictl "
// (a test checks them against the command tree).
const std::vector<std::string_view>& advice_commands();

}  // namespace xuictl
