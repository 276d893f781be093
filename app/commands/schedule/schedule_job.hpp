#pragma once

#include <string>
#include <vector>

#include "calendar.hpp"
#include "context.hpp"

namespace CLI {
class App;
}

namespace xuictl {

// What `schedule print-cron` and `print-systemd` are asked for.
struct ScheduleOptions {
    std::string command;  // the quoted xuictl command, e.g. "inbound reset --all"
    bool monthly = false;
    bool weekly = false;
    bool daily = false;
    bool hourly = false;  // `collect` only
    std::string day;      // monthly: 1-31; weekly: 1-7 (Monday = 1) or mon..sun
    std::string at = "00:00";
    std::string name;     // systemd unit name (print-systemd)
};

void add_schedule_options(CLI::App& cmd, ScheduleOptions& options);

// A validated job: when, and the exact argv to run.
struct ScheduledJob {
    Period period = Period::month;
    // --hourly (at `minute` past every hour): only `collect`, which is
    // not destructive — no --yes, no --once-per (a second sample is harmless).
    bool hourly = false;
    bool collect = false;  // the command is `collect`: no --yes/--once-per added
    // It runs over a fleet (--profile a,b / @group / --all-profiles, from the
    // schedule's own options or the command's): --once-per is per panel.
    bool fleet = false;
    int day = 1;  // day of month (monthly) or ISO weekday, Monday = 1 (weekly)
    int hour = 0;
    int minute = 0;
    // Absolute path of this xuictl binary, [--profile NAME|a,b|@group or
    // --all-profiles] (this run's, unless the command has its own), the
    // command's words, --yes (unless given), --once-per PERIOD. No word
    // holds a control character.
    std::vector<std::string> argv;
    std::vector<std::string> command_words;  // as the operator quoted them
    std::string description;                 // "monthly on day 1 at 00:00"
};

// Checks the schedule and that the quoted command parses with the real
// command tree as a destructive command (no --dry-run, --confirm,
// --once-per or --password-stdin in it) or as `collect` (the only one that
// may run --hourly); a usage Error says what is wrong.
// Warns when no profile is set (cron and timers have none of your XUI_*
// environment). A fleet selection is checked as the job will check it (no
// XUI_* there either); a group or --all-profiles warns that the job reads
// config.toml at every run, and a destructive fleet job without
// --skip-unreachable is told that one unreadable panel stops it all (the
// fleet's own rule; nothing is added for it).
Result<ScheduledJob> make_scheduled_job(Context& ctx, const ScheduleOptions& options);

// Splits a command line like a POSIX shell would for plain words: blanks
// separate, '…' and "…" quote, a backslash escapes the next character.
Result<std::vector<std::string>> split_command_words(const std::string& text);

}  // namespace xuictl
