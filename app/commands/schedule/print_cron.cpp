// xuictl schedule print-cron 'COMMAND' --monthly|--weekly|--daily — a crontab
// line that runs a destructive command periodically, guarded by --once-per.
#include <CLI/CLI.hpp>

#include <fmt/format.h>
#include <memory>
#include <ostream>

#include "commands/command.hpp"
#include "commands/schedule/schedule_job.hpp"
#include "shell_word.hpp"

namespace xuictl {
namespace {

// A word for /bin/sh (shell_word), then for crontab, where an unescaped %
// ends the command (crontab(5)) whatever the shell quoting; cron drops the
// backslash of \%.
std::string cron_word(const std::string& word) {
    std::string out;
    for (char c : shell_word(word)) {
        if (c == '%') {
            out += '\\';
        }
        out += c;
    }
    return out;
}

std::string cron_fields(const ScheduledJob& job) {
    if (job.hourly) {
        return fmt::format("{} * * * *", job.minute);
    }
    switch (job.period) {
        case Period::month: return fmt::format("{} {} {} * *", job.minute, job.hour, job.day);
        case Period::week: return fmt::format("{} {} * * {}", job.minute, job.hour, job.day % 7);
        case Period::day: return fmt::format("{} {} * * *", job.minute, job.hour);
    }
    return "";
}

int run_print_cron(Context& ctx, const ScheduleOptions& o) {
    auto job = make_scheduled_job(ctx, o);
    if (!job) {
        return ctx.report(job.error());
    }
    std::string line = cron_fields(*job);
    for (const auto& word : job->argv) {
        line += " " + cron_word(word);
    }
    auto& out = ctx.env().out;
    out << "# xuictl: " << fmt::format("{}", fmt::join(job->command_words, " ")) << ", "
        << job->description << " (local time)";
    if (job->collect) {
        out << "; a usage-history sample (a second one in the same hour is harmless)\n";
    } else {
        out << "; --once-per skips a second run " << (job->fleet ? "on a panel " : "")
            << "in the same " << to_string(job->period) << "\n";
    }
    out << line << "\n";
    ctx.note("add it with `crontab -e`; cron mails what the job prints");
    return 0;
}

}  // namespace

void register_schedule_print_cron(CLI::App& schedule, Dispatch& dispatch) {
    auto o = std::make_shared<ScheduleOptions>();
    auto* cmd = schedule.add_subcommand(
        "print-cron", "Print a crontab line that runs a destructive xuictl command periodically");
    add_schedule_options(*cmd, *o);
    cmd->footer(
        "The line runs this xuictl binary by its absolute path with --yes, --once-per PERIOD (a\n"
        "second run in the same local day/week/month is skipped) and --profile NAME when one is\n"
        "set. Example: xuictl --profile prod schedule print-cron 'inbound reset --all' --monthly\n"
        "Usage history: xuictl --profile prod schedule print-cron collect --hourly (no --yes or\n"
        "--once-per: collect writes nothing to the panel).\n"
        "A fleet (--profile a,b, --profile @group or --all-profiles, before `schedule` or in the\n"
        "command) is passed on as given: the job runs the command over it, --once-per per panel.\n"
        "A group or --all-profiles is read from config.toml at every run (warned). A fleet job\n"
        "writes nothing when one panel cannot be read, unless the command has --skip-unreachable.");
    cmd->callback([&dispatch, o] {
        dispatch.selected = [o](Context& c) { return run_print_cron(c, *o); };
        dispatch.fleet_ok = true;  // the job runs the command over that fleet
    });
}

}  // namespace xuictl
