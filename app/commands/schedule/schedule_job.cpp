#include "commands/schedule/schedule_job.hpp"

#include <CLI/CLI.hpp>
#include <unistd.h>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

#include "cli.hpp"
#include "fleet.hpp"
#include "panel/identity.hpp"
#include "paths.hpp"
#include "store/config.hpp"

namespace xuictl {
namespace {

constexpr std::array<const char*, 7> kWeekdays = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
constexpr std::array<const char*, 7> kWeekdayNames = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                                      "Friday", "Saturday", "Sunday"};

Error usage(std::string message, std::string hint = {}) {
    return make_error(ErrorKind::usage, std::move(message), std::move(hint));
}

std::optional<int> number(std::string_view text) {
    int n = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec != std::errc() || ptr != text.data() + text.size()) {
        return std::nullopt;
    }
    return n;
}

Result<int> parse_day(const ScheduleOptions& o, Period period) {
    if (period == Period::day) {
        if (!o.day.empty()) {
            return usage("--day does not apply to --daily");
        }
        return 0;
    }
    if (o.day.empty()) {
        return 1;  // the 1st of the month; Monday
    }
    if (period == Period::week) {
        std::string lower;
        for (char c : o.day) {
            lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        for (size_t i = 0; i < kWeekdays.size(); ++i) {
            if (lower.rfind(kWeekdays[i], 0) == 0) {
                return static_cast<int>(i) + 1;
            }
        }
        const auto n = number(o.day);
        if (!n || *n < 1 || *n > 7) {
            return usage(fmt::format("--day {} is not a weekday", o.day),
                         "with --weekly use 1-7 (Monday = 1) or mon, tue, ..., sun");
        }
        return *n;
    }
    const auto n = number(o.day);
    if (!n || *n < 1 || *n > 31) {
        return usage(fmt::format("--day {} is not a day of the month", o.day), "use 1-31");
    }
    return *n;
}

Result<std::pair<int, int>> parse_at(const std::string& at) {
    const auto colon = at.find(':');
    const auto hour = colon == std::string::npos ? std::nullopt : number(at.substr(0, colon));
    const auto minute = colon == std::string::npos ? std::nullopt : number(at.substr(colon + 1));
    if (!hour || !minute || *hour < 0 || *hour > 23 || *minute < 0 || *minute > 59 ||
        at.size() - colon - 1 != 2) {
        return usage(fmt::format("--at {} is not a time of day", at), "use HH:MM, e.g. 03:30");
    }
    return std::pair{*hour, *minute};
}

Result<std::string> this_binary() {
    std::array<char, 4096> buffer{};
    const ssize_t n = ::readlink("/proc/self/exe", buffer.data(), buffer.size() - 1);
    if (n <= 0) {
        return make_error(ErrorKind::config, "cannot find the path of the running xuictl (/proc/self/exe)");
    }
    return std::string(buffer.data(), static_cast<size_t>(n));
}

bool given(const CLI::App& app, const char* name) {
    const CLI::Option* opt = app.get_option_no_throw(name);
    return opt != nullptr && opt->count() > 0;
}

// Parses the words with the real command tree: what they select and ask
// for, or a usage Error.
struct ParsedCommand {
    bool has_yes = false;
    bool collect = false;
    bool skip_unreachable = false;
    bool fleet_ok = false;  // the command runs over a fleet
    GlobalOptions global;   // its own --profile / --all-profiles / --url ...
    bool selects() const { return !global.profile.empty() || global.all_profiles; }
};

Result<ParsedCommand> check_destructive(const std::vector<std::string>& words) {
    GlobalOptions global;
    Dispatch dispatch;
    auto app = build_cli(global, dispatch);
    std::vector<const char*> argv = {"xuictl"};
    for (const auto& w : words) {
        argv.push_back(w.c_str());
    }
    const std::string quoted = fmt::format("{}", fmt::join(words, " "));
    try {
        app->parse(static_cast<int>(argv.size()), argv.data());
    } catch (const CLI::ParseError& e) {
        const std::string what = e.get_exit_code() == 0 ? std::string("it asks for help or the version")
                                                        : std::string(e.what());
        return usage(fmt::format("'{}' is not a runnable xuictl command: {}", quoted, what),
                     "quote a destructive command as you would type it after `xuictl`, e.g. "
                     "'inbound reset --all'");
    }
    const CLI::App* leaf = app.get();
    while (!leaf->get_subcommands().empty()) {
        leaf = leaf->get_subcommands().front();
    }
    ParsedCommand parsed;
    parsed.global = global;
    parsed.fleet_ok = dispatch.fleet_ok;
    if (dispatch.selected && leaf->get_name() == "collect" && leaf->get_parent() == app.get()) {
        if (global.password_stdin) {
            return usage("a scheduled job has no standard input for --password-stdin",
                         "use a profile with a password-file or token-file (xuictl profile add)");
        }
        parsed.collect = true;
        return parsed;
    }
    if (!dispatch.selected || leaf->get_option_no_throw("--once-per") == nullptr) {
        return usage(fmt::format("'{}' is not a destructive command or collect; only those are scheduled",
                                 quoted),
                     "e.g. inbound reset, traffic reset, traffic reset-all, clients purge-depleted");
    }
    if (given(*leaf, "--dry-run")) {
        return usage("a scheduled --dry-run would change nothing", "remove --dry-run");
    }
    if (given(*leaf, "--confirm")) {
        return usage("--confirm does not belong in a schedule: the job runs with --yes",
                     "remove --confirm (a purge's phrase also changes with its count)");
    }
    if (given(*leaf, "--once-per")) {
        return usage("the schedule adds --once-per itself, matching its period", "remove --once-per");
    }
    if (global.password_stdin) {
        return usage("a scheduled job has no standard input for --password-stdin",
                     "use a profile with a password-file or token-file (xuictl profile add)");
    }
    parsed.has_yes = given(*leaf, "--yes");
    parsed.skip_unreachable = given(*leaf, "--skip-unreachable");
    return parsed;
}

// --profile VALUE as argv words: "--profile=VALUE" when VALUE starts with
// '-' (a profile named "-x" would read as an option of its own).
std::vector<std::string> profile_words(const std::string& value) {
    if (!value.empty() && value[0] == '-') {
        return {"--profile=" + value};
    }
    return {"--profile", value};
}

// The environment a job runs with: none of this shell's XUI_* variables
// (cron and timers start with an almost empty environment).
std::optional<std::string> job_env(std::string_view) {
    return std::nullopt;
}

// A fleet job (--profile a,b / @group / --all-profiles, on the schedule or
// in the command): checked now as the job will check it (each name
// defined, no option that names one panel); warned that a group or
// --all-profiles is read from config.toml at every run, and (destructive)
// that one panel that cannot be read stops the whole run.
Status check_fleet_job(Context& ctx, const GlobalOptions& selection, const ParsedCommand& parsed) {
    if (!parsed.fleet_ok) {
        return fleet_refused();
    }
    auto config = ctx.config();
    if (!config) {
        return config.error();
    }
    auto names = fleet_profiles(selection, job_env, **config, ctx.config_path());
    if (!names) {
        return names.error();
    }
    if (selection.all_profiles) {
        ctx.warn(
            fmt::format("the job runs on every profile {} holds when it runs (now: {}); a "
                        "profile added later is included",
                        ctx.config_path(), fmt::join(*names, ", ")));
    }
    for (const auto& group : selected_groups(selection)) {
        const Group* g = (*config)->find_group(group);
        ctx.warn(
            fmt::format("the job runs on group @{} as {} defines it when it runs (now: {}); a "
                        "later edit of [groups] changes the panels it touches",
                        group, ctx.config_path(), fmt::join(g->profiles, ", ")));
    }
    if (!parsed.collect && !parsed.skip_unreachable) {
        ctx.note(
            "a fleet job writes nothing to any panel when one of them cannot be read or planned; "
            "add --skip-unreachable to the command to write the panels that answer (exit 7)");
    }
    return ok_status();
}

// A word the printed job cannot carry: a newline ends a crontab line or a
// unit file setting, so a profile or group name or an email holding one
// would start a line of its own.
Status check_job_words(const std::vector<std::string>& argv) {
    for (const auto& word : argv) {
        const bool control = std::any_of(word.begin(), word.end(), [](char c) {
            const auto u = static_cast<unsigned char>(c);
            return u < 0x20 || u == 0x7f;
        });
        if (control) {
            return usage(fmt::format("a scheduled job cannot carry a control character "
                                     "(newline, tab, ...) in its words: '{}'",
                                     word),
                         "a crontab line or unit file would break there: rename the profile or "
                         "group, or schedule a command without that word");
        }
    }
    return ok_status();
}

// The job runs on its profile's panel, with none of this shell's XUI_*
// variables: say so when that is not the panel this environment points at
// (XUI_URL, else the URL this run resolved), before it is installed.
void warn_if_other_panel(Context& ctx, const std::string& profile, const Resolved& resolved) {
    if (profile.empty()) {
        return;  // warned about separately: the job has no panel of its own
    }
    auto path = config_file(ctx.env());
    auto config = path ? load_config(*path) : Result<Config>(path.error());
    const Profile* p = config ? config->find(profile) : nullptr;
    if (p == nullptr) {
        return;  // the job itself will report the missing profile
    }
    const auto env_url = ctx.env().getenv("XUI_URL").value_or("");
    const std::string current = !env_url.empty() ? env_url : resolved.url;
    const std::string source = !env_url.empty() ? "XUI_URL" : resolved.url_source;
    if (current.empty() || same_panel_url(p->url, current)) {
        return;
    }
    ctx.warn(fmt::format("the job runs on profile '{}' ({}), not on the panel this environment "
                         "points at ({}, from {})",
                         profile, shown_url(p->url), shown_url(current), source));
}

std::string describe(Period period, int day, int hour, int minute) {
    switch (period) {
        case Period::month: return fmt::format("monthly on day {} at {:02}:{:02}", day, hour, minute);
        case Period::week:
            return fmt::format("weekly on {} at {:02}:{:02}", kWeekdayNames[static_cast<size_t>(day - 1)],
                               hour, minute);
        case Period::day: return fmt::format("daily at {:02}:{:02}", hour, minute);
    }
    return "";
}

}  // namespace

void add_schedule_options(CLI::App& cmd, ScheduleOptions& o) {
    cmd.add_option("command", o.command,
                   "The destructive xuictl command to run, quoted: 'inbound reset --all'")
        ->required()
        ->type_name("COMMAND");
    auto* monthly = cmd.add_flag("--monthly", o.monthly, "Once a month (on --day, default the 1st)");
    auto* weekly = cmd.add_flag("--weekly", o.weekly, "Once a week (on --day, default Monday)");
    auto* daily = cmd.add_flag("--daily", o.daily, "Once a day");
    auto* hourly = cmd.add_flag("--hourly", o.hourly, "Once an hour, at the minute of --at (collect only)");
    monthly->excludes(weekly)->excludes(daily)->excludes(hourly);
    weekly->excludes(daily)->excludes(hourly);
    daily->excludes(hourly);
    cmd.add_option("--day", o.day, "Day of the month (1-31) or of the week (1-7, Monday = 1, or mon..sun)")
        ->type_name("N");
    cmd.add_option("--at", o.at, "Local time of day (default 00:00)")->type_name("HH:MM");
}

Result<std::vector<std::string>> split_command_words(const std::string& text) {
    std::vector<std::string> words;
    std::string word;
    bool in_word = false;
    char quote = 0;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quote != 0) {
            if (c == quote) {
                quote = 0;
            } else if (c == '\\' && quote == '"' && i + 1 < text.size() &&
                       (text[i + 1] == '"' || text[i + 1] == '\\')) {
                word += text[++i];
            } else {
                word += c;
            }
        } else if (c == '\'' || c == '"') {
            quote = c;
            in_word = true;
        } else if (c == '\\' && i + 1 < text.size()) {
            word += text[++i];
            in_word = true;
        } else if (std::isspace(static_cast<unsigned char>(c))) {
            if (in_word) {
                words.push_back(std::move(word));
                word.clear();
                in_word = false;
            }
        } else {
            word += c;
            in_word = true;
        }
    }
    if (quote != 0) {
        return usage(fmt::format("unbalanced {} quote in '{}'", quote, text));
    }
    if (in_word) {
        words.push_back(std::move(word));
    }
    return words;
}

Result<ScheduledJob> make_scheduled_job(Context& ctx, const ScheduleOptions& o) {
    ScheduledJob job;
    if (o.monthly) {
        job.period = Period::month;
    } else if (o.weekly) {
        job.period = Period::week;
    } else if (o.daily || o.hourly) {
        job.period = Period::day;
        job.hourly = o.hourly;
    } else {
        return usage("say how often: --monthly, --weekly or --daily (--hourly: collect only)");
    }
    auto day = parse_day(o, job.period);
    if (!day) {
        return day.error();
    }
    job.day = *day;
    auto at = parse_at(o.at);
    if (!at) {
        return at.error();
    }
    std::tie(job.hour, job.minute) = *at;

    auto words = split_command_words(o.command);
    if (!words) {
        return words.error();
    }
    if (!words->empty() && (words->front() == "xuictl" || words->front().ends_with("/xuictl"))) {
        words->erase(words->begin());  // "xuictl inbound reset --all" works too
    }
    if (words->empty()) {
        return usage("the command to schedule is empty", "e.g. 'inbound reset --all'");
    }
    auto parsed = check_destructive(*words);
    if (!parsed) {
        return parsed.error();
    }
    job.collect = parsed->collect;
    if (job.hourly && !job.collect) {
        return usage("--hourly is for `collect` only", "destructive commands run at most daily: --once-per has no hour");
    }
    auto exe = this_binary();
    if (!exe) {
        return exe.error();
    }
    job.command_words = *words;
    job.argv.push_back(*exe);
    // The panels: the command's own selection, else this run's (a fleet
    // exactly as given: --profile a,b / @group / --all-profiles).
    const GlobalOptions& selection = parsed->selects() ? parsed->global : ctx.global();
    job.fleet = wants_fleet(selection);
    if (job.fleet) {
        if (auto s = check_fleet_job(ctx, selection, *parsed); !s) {
            return s.error();
        }
        if (!parsed->selects()) {
            if (selection.all_profiles) {
                job.argv.emplace_back("--all-profiles");
            } else {
                const auto words_of = profile_words(selection.profile);
                job.argv.insert(job.argv.end(), words_of.begin(), words_of.end());
            }
        }
    } else {
        // The panel this run points at (a fleet run points at none).
        Result<Resolved> resolved = Resolved{};
        if (!wants_fleet(ctx.global())) {
            resolved = ctx.resolve();
        }
        if (!resolved) {
            return resolved.error();
        }
        if (!parsed->selects()) {
            if (!resolved->profile.empty()) {
                const auto words_of = profile_words(resolved->profile);
                job.argv.insert(job.argv.end(), words_of.begin(), words_of.end());
            } else {
                ctx.warn(
                    "no profile is set: the job will not see your XUI_* environment; create "
                    "one with `xuictl profile add` and pass --profile NAME");
            }
        }
        warn_if_other_panel(ctx, parsed->selects() ? parsed->global.profile : resolved->profile,
                            *resolved);
    }
    job.argv.insert(job.argv.end(), words->begin(), words->end());
    if (!job.collect) {
        if (!parsed->has_yes) {
            job.argv.emplace_back("--yes");
        }
        job.argv.insert(job.argv.end(), {"--once-per", to_string(job.period)});
    }
    if (auto s = check_job_words(job.argv); !s) {
        return s.error();
    }
    if (job.period == Period::month && job.day > 28) {
        ctx.warn(fmt::format("months without a day {} are skipped", job.day));
    }
    job.description = job.hourly ? fmt::format("hourly at minute {:02}", job.minute)
                                 : describe(job.period, job.day, job.hour, job.minute);
    return job;
}

}  // namespace xuictl
