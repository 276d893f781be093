// xuictl schedule print-systemd 'COMMAND' --monthly|--weekly|--daily — a
// systemd .service + .timer pair that runs a destructive command periodically.
#include <CLI/CLI.hpp>

#include <cctype>
#include <fmt/format.h>
#include <memory>
#include <ostream>

#include "commands/command.hpp"
#include "commands/schedule/schedule_job.hpp"

namespace xuictl {
namespace {

constexpr const char* kWeekdayAbbrev[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

// A word for ExecStart= (systemd.service(5) "Command lines"): quoted when
// needed; % and $ doubled so specifiers and variables are not expanded.
std::string exec_word(const std::string& word) {
    const bool plain = !word.empty() && word.find_first_not_of(
                                            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                            "0123456789@+=:,./_-") == std::string::npos;
    std::string out = plain ? "" : "\"";
    for (char c : word) {
        if (c == '%' || c == '$') {
            out += c;
        } else if (!plain && (c == '"' || c == '\\')) {
            out += '\\';
        }
        out += c;
    }
    if (!plain) {
        out += '"';
    }
    return out;
}

std::string on_calendar(const ScheduledJob& job) {
    if (job.hourly) {
        return fmt::format("*-*-* *:{:02}:00", job.minute);
    }
    switch (job.period) {
        case Period::month: return fmt::format("*-*-{:02} {:02}:{:02}:00", job.day, job.hour, job.minute);
        case Period::week:
            return fmt::format("{} *-*-* {:02}:{:02}:00", kWeekdayAbbrev[job.day - 1], job.hour,
                               job.minute);
        case Period::day: return fmt::format("*-*-* {:02}:{:02}:00", job.hour, job.minute);
    }
    return "";
}

// "xuictl-inbound-reset-all": the command's words, lower case, [a-z0-9-].
std::string default_unit_name(const std::vector<std::string>& words) {
    std::string name = "xuictl";
    for (const auto& w : words) {
        std::string part;
        for (char c : w) {
            const auto u = static_cast<unsigned char>(c);
            if (std::isalnum(u)) {
                part += static_cast<char>(std::tolower(u));
            } else if (!part.empty() && part.back() != '-') {
                part += '-';
            }
        }
        while (!part.empty() && part.back() == '-') {
            part.pop_back();
        }
        while (!part.empty() && part.front() == '-') {
            part.erase(part.begin());
        }
        if (!part.empty()) {
            name += "-" + part;
        }
    }
    return name;
}

bool valid_unit_name(const std::string& name) {
    return !name.empty() && name.size() <= 200 &&
           name.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789:_.@-") ==
               std::string::npos;
}

int run_print_systemd(Context& ctx, const ScheduleOptions& o) {
    if (!o.name.empty() && !valid_unit_name(o.name)) {
        return ctx.report(make_error(ErrorKind::usage, fmt::format("'{}' is not a unit name", o.name),
                                     "use letters, digits and : _ . @ - (no suffix)"));
    }
    auto job = make_scheduled_job(ctx, o);
    if (!job) {
        return ctx.report(job.error());
    }
    const std::string name = o.name.empty() ? default_unit_name(job->command_words) : o.name;
    const std::string what = fmt::format("{}", fmt::join(job->command_words, " "));
    std::string exec;
    for (const auto& word : job->argv) {
        exec += (exec.empty() ? "" : " ") + exec_word(word);
    }
    auto& out = ctx.env().out;
    out << "# ---- " << name << ".service ----\n"
        << "[Unit]\n"
        << "Description=xuictl " << what << " (" << job->description << ")\n"
        << "\n"
        << "[Service]\n"
        << "Type=oneshot\n"
        << "ExecStart=" << exec << "\n"
        << "\n"
        << "# ---- " << name << ".timer ----\n"
        << "[Unit]\n"
        << "Description=Run " << name << ".service " << job->description << "\n"
        << "\n"
        << "[Timer]\n"
        << "OnCalendar=" << on_calendar(*job) << "\n"
        << (job->collect
                ? std::string(
                      "# A run missed while the machine was off happens at the next boot (a\n"
                      "# usage-history sample: the next one sees what moved meanwhile).\n")
                : "# A run missed while the machine was off happens at the next boot; --once-per\n"
                  "# keeps it from running twice " +
                      std::string(job->fleet ? "on a panel " : "") + "in one " +
                      std::string(to_string(job->period)) + ".\n")
        << "Persistent=true\n"
        << "\n"
        << "[Install]\n"
        << "WantedBy=timers.target\n";
    ctx.note(fmt::format(
        "save the two parts as ~/.config/systemd/user/{0}.service and {0}.timer, then run: "
        "systemctl --user daemon-reload && systemctl --user enable --now {0}.timer "
        "(and `loginctl enable-linger` so it runs while you are logged out)",
        name));
    return 0;
}

}  // namespace

void register_schedule_print_systemd(CLI::App& schedule, Dispatch& dispatch) {
    auto o = std::make_shared<ScheduleOptions>();
    auto* cmd = schedule.add_subcommand(
        "print-systemd",
        "Print a systemd .service and .timer pair that run a destructive xuictl command periodically");
    add_schedule_options(*cmd, *o);
    cmd->add_option("--name", o->name, "Unit name without suffix (default: xuictl-<command words>)")
        ->type_name("NAME");
    cmd->footer(
        "Prints NAME.service (Type=oneshot; ExecStart runs this xuictl binary by its absolute\n"
        "path with --yes, --once-per PERIOD and --profile NAME when one is set) and NAME.timer\n"
        "(OnCalendar, Persistent=true), each after a '# ---- NAME.unit ----' line.\n"
        "Example: xuictl --profile prod schedule print-systemd 'inbound reset --all' --monthly\n"
        "Usage history: xuictl --profile prod schedule print-systemd collect --hourly\n"
        "A fleet (--profile a,b, @group, --all-profiles) is passed on as for print-cron.");
    cmd->callback([&dispatch, o] {
        dispatch.selected = [o](Context& c) { return run_print_systemd(c, *o); };
        dispatch.fleet_ok = true;  // the job runs the command over that fleet
    });
}

}  // namespace xuictl
