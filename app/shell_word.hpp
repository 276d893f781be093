#pragma once

#include <string>
#include <string_view>

namespace xuictl {

// `word` as one word a POSIX shell passes through unchanged: as it is when
// it is only letters, digits and @._+-%/=:, (an email, a profile name),
// else in single quotes (a ' inside as '\''). Emails and profile names
// are operator or panel text: $, `, ;, spaces... never reach a shell as
// syntax. Not for cron or systemd lines (they have their own quoting).
std::string shell_word(std::string_view word);

}  // namespace xuictl
