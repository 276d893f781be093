// schedule print-cron / print-systemd: exact output, the command checked
// against the real command tree, quoting, and refusals.
#include <catch2/catch.hpp>

#include <filesystem>

#include "support/harness.hpp"
#include "support/workflow.hpp"

using namespace xuictl::test;

namespace {

std::string exe() {
    return std::filesystem::read_symlink("/proc/self/exe").string();
}

// A harness with a config.toml holding `toml` (default: profile "prod").
struct ProfileRun {
    Harness h;
    explicit ProfileRun(const std::string& toml =
                            "[profiles.prod]\nurl = "
                            "\"https://panel.example:2053/secret/\"\nusername = \"admin\"\n") {
        std::filesystem::create_directories(config_dir());
        write_file(config_dir() / "config.toml", toml, 0600);
        h.env.erase("XUI_URL");
    }
    std::filesystem::path config_dir() const { return h.home.path() / ".config" / "xuictl"; }
    std::string config() const { return (config_dir() / "config.toml").string(); }
};

}  // namespace

TEST_CASE("print-cron: one crontab line with --yes, --once-per and the profile",
          "[cmd][schedule]") {
    struct Case {
        std::vector<std::string> args;
        std::string line;
    };
    const std::vector<Case> cases = {
        {{"inbound reset --all", "--monthly"},
         "0 0 1 * * " + exe() + " --profile prod inbound reset --all --yes --once-per month"},
        {{"inbound reset --all", "--monthly", "--day", "15", "--at", "04:05"},
         "5 4 15 * * " + exe() + " --profile prod inbound reset --all --yes --once-per month"},
        {{"clients purge-depleted 3", "--weekly", "--day", "fri", "--at", "23:59"},
         "59 23 * * 5 " + exe() + " --profile prod clients purge-depleted 3 --yes --once-per week"},
        {{"xuictl traffic reset-all --yes", "--weekly", "--day", "7"},
         "0 0 * * 0 " + exe() + " --profile prod traffic reset-all --yes --once-per week"},
        {{"traffic reset 1 'odd %$ \"name\"@x'", "--daily", "--at", "3:30"},
         "30 3 * * * " + exe() +
             " --profile prod traffic reset 1 'odd \\%$ \"name\"@x' --yes --once-per day"},
        {{"inbound reset 2 --profile prod", "--daily", "--at", "00:00"},
         "0 0 * * * " + exe() + " inbound reset 2 --profile prod --yes --once-per day"},
    };
    for (const auto& c : cases) {
        ProfileRun r;
        std::vector<std::string> args = {"--profile", "prod", "schedule", "print-cron"};
        args.insert(args.end(), c.args.begin(), c.args.end());
        CAPTURE(args);
        REQUIRE(r.h.run(args) == 0);
        CHECK(r.h.transport.requests().empty());
        const auto lines = lines_of(r.h.out);
        REQUIRE(lines.size() == 2);
        CHECK(lines[0].rfind("# xuictl: ", 0) == 0);
        CHECK(lines[1] == c.line);
    }
    SECTION("the profile from XUICTL_PROFILE counts too") {
        ProfileRun r;
        r.h.env["XUICTL_PROFILE"] = "prod";
        REQUIRE(r.h.run({"schedule", "print-cron", "inbound reset 2", "--daily"}) == 0);
        CHECK(lines_of(r.h.out).at(1) ==
              "0 0 * * * " + exe() + " --profile prod inbound reset 2 --yes --once-per day");
    }
    SECTION("no profile: printed, with a warning") {
        Harness h;
        REQUIRE(h.run({"schedule", "print-cron", "inbound reset 2", "--daily"}) == 0);
        CHECK(lines_of(h.out).at(1) ==
              "0 0 * * * " + exe() + " inbound reset 2 --yes --once-per day");
        CHECK(h.err.find("xuictl: warning: no profile is set") != std::string::npos);
    }
}

TEST_CASE("print-systemd: a oneshot service and a persistent timer", "[cmd][schedule]") {
    ProfileRun r;
    REQUIRE(r.h.run({"--profile", "prod", "schedule", "print-systemd", "inbound reset --all",
                     "--monthly", "--day", "2", "--at", "03:30"}) == 0);
    CHECK(r.h.out ==
          "# ---- xuictl-inbound-reset-all.service ----\n"
          "[Unit]\n"
          "Description=xuictl inbound reset --all (monthly on day 2 at 03:30)\n"
          "\n"
          "[Service]\n"
          "Type=oneshot\n"
          "ExecStart=" +
              exe() +
              " --profile prod inbound reset --all --yes --once-per month\n"
              "\n"
              "# ---- xuictl-inbound-reset-all.timer ----\n"
              "[Unit]\n"
              "Description=Run xuictl-inbound-reset-all.service monthly on day 2 at 03:30\n"
              "\n"
              "[Timer]\n"
              "OnCalendar=*-*-02 03:30:00\n"
              "# A run missed while the machine was off happens at the next boot; --once-per\n"
              "# keeps it from running twice in one month.\n"
              "Persistent=true\n"
              "\n"
              "[Install]\n"
              "WantedBy=timers.target\n");
    CHECK(r.h.err.find("systemctl --user daemon-reload && systemctl --user enable --now "
                       "xuictl-inbound-reset-all.timer") != std::string::npos);

    SECTION("weekly, daily, --name, and ExecStart quoting") {
        ProfileRun w;
        REQUIRE(w.h.run({"--profile", "prod", "schedule", "print-systemd",
                         "traffic reset 1 'a%b$c \"q\"@x'", "--weekly", "--day", "tue", "--name",
                         "reset-a"}) == 0);
        CHECK(w.h.out.find("# ---- reset-a.service ----\n") != std::string::npos);
        CHECK(w.h.out.find("OnCalendar=Tue *-*-* 00:00:00\n") != std::string::npos);
        CHECK(w.h.out.find("ExecStart=" + exe() +
                           " --profile prod traffic reset 1 \"a%%b$$c \\\"q\\\"@x\" --yes "
                           "--once-per week\n") != std::string::npos);
        ProfileRun d;
        REQUIRE(d.h.run({"--profile", "prod", "schedule", "print-systemd",
                         "clients purge-depleted --all", "--daily", "--at", "23:15"}) == 0);
        CHECK(d.h.out.find("# ---- xuictl-clients-purge-depleted-all.timer ----\n") !=
              std::string::npos);
        CHECK(d.h.out.find("OnCalendar=*-*-* 23:15:00\n") != std::string::npos);
    }
}

TEST_CASE("schedule refuses what would not run as intended", "[cmd][schedule]") {
    struct Case {
        std::vector<std::string> args;
        std::string message;
    };
    const std::vector<Case> cases = {
        {{"print-cron", "stats", "--daily"}, "'stats' is not a destructive command"},
        {{"print-cron", "audit show x", "--daily"}, "'audit show x' is not a destructive command"},
        {{"print-cron", "inbound frobnicate", "--daily"}, "is not a runnable xuictl command"},
        {{"print-cron", "inbound reset --al", "--daily"}, "is not a runnable xuictl command"},
        {{"print-cron", "inbound reset --all --help", "--daily"}, "asks for help"},
        {{"print-cron", "inbound reset --all --dry-run", "--daily"}, "a scheduled --dry-run"},
        {{"print-cron", "inbound reset 2 --confirm 'RESET INBOUND 2'", "--daily"},
         "--confirm does not belong"},
        {{"print-cron", "inbound reset 2 --once-per day", "--daily"}, "adds --once-per itself"},
        {{"print-cron", "inbound reset 2 --password-stdin", "--daily"}, "no standard input"},
        {{"print-cron", "inbound reset 'unbalanced", "--daily"}, "unbalanced ' quote"},
        {{"print-cron", "", "--daily"}, "is empty"},
        {{"print-cron", "inbound reset 2"}, "--monthly, --weekly or --daily"},
        {{"print-cron", "inbound reset 2", "--daily", "--day", "3"},
         "--day does not apply to --daily"},
        {{"print-cron", "inbound reset 2", "--monthly", "--day", "32"},
         "--day 32 is not a day of the month"},
        {{"print-cron", "inbound reset 2", "--weekly", "--day", "8"}, "--day 8 is not a weekday"},
        {{"print-cron", "inbound reset 2", "--daily", "--at", "24:00"},
         "--at 24:00 is not a time of day"},
        {{"print-cron", "inbound reset 2", "--daily", "--at", "3:60"},
         "--at 3:60 is not a time of day"},
        {{"print-cron", "inbound reset 2", "--daily", "--at", "0330"},
         "--at 0330 is not a time of day"},
        {{"print-systemd", "inbound reset 2", "--daily", "--name", "a/b"},
         "'a/b' is not a unit name"},
        {{"print-cron", "inbound reset 2", "--daily", "--weekly"}, "excludes"},
        {{"--profile", "nope", "print-cron", "inbound reset 2", "--daily"},
         "no profile named 'nope'"},
    };
    for (const auto& c : cases) {
        Harness h;
        std::vector<std::string> args = {"schedule"};
        if (c.args[0] == "--profile") {
            args = {"--profile", "nope", "schedule"};
            args.insert(args.end(), c.args.begin() + 2, c.args.end());
        } else {
            args.insert(args.end(), c.args.begin(), c.args.end());
        }
        CAPTURE(args);
        CHECK(h.run(args) == 2);
        CHECK(h.out.empty());
        CHECK(h.transport.requests().empty());
        CHECK(h.err.find(c.message) != std::string::npos);
    }
}

TEST_CASE("a monthly day past the 28th warns that short months are skipped", "[cmd][schedule]") {
    ProfileRun r;
    REQUIRE(r.h.run({"--profile", "prod", "schedule", "print-cron", "inbound reset 2", "--monthly",
                     "--day", "31"}) == 0);
    CHECK(r.h.err.find("months without a day 31 are skipped") != std::string::npos);
}

TEST_CASE("schedule collect --hourly: no --yes, no --once-per; --hourly is collect's only",
          "[cmd][schedule]") {
    {
        ProfileRun r;
        REQUIRE(r.h.run({"--profile", "prod", "schedule", "print-cron", "collect", "--hourly",
                         "--at", "00:17"}) == 0);
        const auto lines = lines_of(r.h.out);
        REQUIRE(lines.size() == 2);
        CHECK(lines[0] ==
              "# xuictl: collect, hourly at minute 17 (local time); a usage-history sample (a "
              "second one in the same hour is harmless)");
        CHECK(lines[1] == "17 * * * * " + exe() + " --profile prod collect");
        CHECK(r.h.transport.requests().empty());
    }
    {
        ProfileRun r;
        REQUIRE(r.h.run({"--profile", "prod", "schedule", "print-systemd", "collect",
                         "--hourly"}) == 0);
        CHECK(r.h.out.find("ExecStart=" + exe() + " --profile prod collect\n") !=
              std::string::npos);
        CHECK(r.h.out.find("OnCalendar=*-*-* *:00:00\n") != std::string::npos);
    }
    {
        ProfileRun r;
        REQUIRE(r.h.run({"--profile", "prod", "schedule", "print-cron", "collect", "--daily"}) ==
                0);
        CHECK(lines_of(r.h.out)[1] == "0 0 * * * " + exe() + " --profile prod collect");
    }
    {
        ProfileRun r;
        CHECK(r.h.run({"--profile", "prod", "schedule", "print-cron", "inbound reset --all",
                       "--hourly"}) == 2);
        CHECK(r.h.err.find("--hourly is for `collect` only") != std::string::npos);
        CHECK(r.h.out.empty());
    }
}

TEST_CASE("schedule warns when the job's panel is not the one this environment points at",
          "[cmd][schedule]") {
    const std::string warning =
        "xuictl: warning: the job runs on profile 'prod' (https://panel.example:2053/secret/), not "
        "on the panel this environment points at (http://other.test/, from XUI_URL)\n";
    SECTION("--profile prod while XUI_URL is another panel: warned, printed") {
        ProfileRun r;
        r.h.env["XUI_URL"] = "http://other.test/";
        REQUIRE(r.h.run({"--profile", "prod", "schedule", "print-cron", "inbound reset 2",
                         "--daily"}) == 0);
        CHECK(r.h.err == warning + "add it with `crontab -e`; cron mails what the job prints\n");
        CHECK(lines_of(r.h.out).at(1) ==
              "0 0 * * * " + exe() + " --profile prod inbound reset 2 --yes --once-per day");
    }
    SECTION("the command's own --profile, print-systemd too") {
        ProfileRun r;
        r.h.env["XUI_URL"] = "http://other.test/";
        REQUIRE(r.h.run({"schedule", "print-systemd", "inbound reset 2 --profile prod",
                         "--daily"}) == 0);
        CHECK(r.h.err.find(warning) != std::string::npos);
    }
    SECTION("XUI_URL is the profile's panel, spelled differently: no warning") {
        ProfileRun r;
        r.h.env["XUI_URL"] = "https://PANEL.example:2053/secret";
        REQUIRE(r.h.run({"--profile", "prod", "schedule", "print-cron", "inbound reset 2",
                         "--daily"}) == 0);
        CHECK(r.h.err.find("warning") == std::string::npos);
    }
}

namespace {

// A harness whose config.toml holds profiles prod, de1, nl2 and "-x", and
// groups eu = de1, nl2 and "eu west$" = nl2 (operator text).
struct FleetRun : ProfileRun {
    FleetRun()
        : ProfileRun(
              "[profiles.prod]\nurl = \"https://panel.example:2053/secret/\"\n"
              "username = \"admin\"\n"
              "[profiles.de1]\nurl = \"https://de1.test/\"\nusername = \"a\"\n"
              "[profiles.nl2]\nurl = \"https://nl2.test/\"\nusername = \"b\"\n"
              "[profiles.\"-x\"]\nurl = \"https://x.test/\"\nusername = \"c\"\n"
              "[groups]\neu = [\"de1\", \"nl2\"]\n\"eu west$\" = [\"nl2\"]\n") {}
};

const std::string kSkipNote =
    "a fleet job writes nothing to any panel when one of them cannot be read or planned; add "
    "--skip-unreachable to the command to write the panels that answer (exit 7)\n";

}  // namespace

TEST_CASE("schedule over a fleet: the job runs the fleet command, --once-per per panel",
          "[cmd][schedule][fleet]") {
    SECTION("--profile a,b before schedule: carried as given; one unreadable panel noted") {
        FleetRun r;
        REQUIRE(r.h.run({"--profile", "de1,nl2", "schedule", "print-cron", "inbound reset --all",
                         "--monthly"}) == 0);
        CHECK(r.h.out ==
              "# xuictl: inbound reset --all, monthly on day 1 at 00:00 (local time); --once-per "
              "skips a second run on a panel in the same month\n"
              "0 0 1 * * " +
                  exe() + " --profile de1,nl2 inbound reset --all --yes --once-per month\n");
        CHECK(r.h.err == kSkipNote + "add it with `crontab -e`; cron mails what the job prints\n");
        CHECK(r.h.transport.requests().empty());
        CHECK(r.h.transports_made == 0);
    }
    SECTION("@group: warned that the job follows later edits of config.toml") {
        FleetRun r;
        REQUIRE(r.h.run({"--profile", "@eu", "schedule", "print-cron", "collect", "--hourly"}) ==
                0);
        CHECK(lines_of(r.h.out).at(1) == "0 * * * * " + exe() + " --profile @eu collect");
        CHECK(r.h.err == "xuictl: warning: the job runs on group @eu as " + r.config() +
                             " defines it when it runs (now: de1, nl2); a later edit of [groups] "
                             "changes the panels it touches\n"
                             "add it with `crontab -e`; cron mails what the job prints\n");
    }
    SECTION("--all-profiles: warned that a profile added later is included") {
        FleetRun r;
        REQUIRE(r.h.run({"--all-profiles", "schedule", "print-cron",
                         "clients purge-depleted --all --skip-unreachable", "--weekly"}) == 0);
        CHECK(lines_of(r.h.out).at(1) ==
              "0 0 * * 1 " + exe() +
                  " --all-profiles clients purge-depleted --all --skip-unreachable --yes "
                  "--once-per week");
        // --skip-unreachable given: no note about it.
        CHECK(r.h.err == "xuictl: warning: the job runs on every profile " + r.config() +
                             " holds when it runs (now: -x, de1, nl2, prod); a profile added "
                             "later is included\n"
                             "add it with `crontab -e`; cron mails what the job prints\n");
    }
    SECTION("the command's own selection wins; nothing of this run's is added") {
        FleetRun r;
        r.h.env["XUICTL_PROFILE"] = "prod";
        REQUIRE(r.h.run({"schedule", "print-cron", "collect --all-profiles", "--daily"}) == 0);
        CHECK(lines_of(r.h.out).at(1) == "0 0 * * * " + exe() + " collect --all-profiles");
        FleetRun p;
        REQUIRE(p.h.run({"--profile", "prod", "schedule", "print-cron",
                         "traffic reset-all --profile de1,nl2", "--daily"}) == 0);
        CHECK(lines_of(p.h.out).at(1) ==
              "0 0 * * * " + exe() + " traffic reset-all --profile de1,nl2 --yes --once-per day");
        FleetRun q;
        REQUIRE(q.h.run({"--profile", "de1,nl2", "schedule", "print-cron",
                         "inbound reset 2 --profile prod", "--daily"}) == 0);
        CHECK(lines_of(q.h.out).at(1) ==
              "0 0 * * * " + exe() + " inbound reset 2 --profile prod --yes --once-per day");
    }
    SECTION("XUI_URL of this shell does not stop it: the job has none") {
        FleetRun r;
        r.h.env["XUI_URL"] = "https://other.test/";
        REQUIRE(r.h.run({"--profile", "de1,nl2", "schedule", "print-cron", "collect", "--daily"}) ==
                0);
        CHECK(lines_of(r.h.out).at(1) == "0 0 * * * " + exe() + " --profile de1,nl2 collect");
    }
    SECTION("print-systemd: the same argv in ExecStart, per panel in the comment") {
        FleetRun r;
        REQUIRE(r.h.run({"--profile", "@eu", "schedule", "print-systemd", "traffic reset-all",
                         "--daily", "--at", "01:02"}) == 0);
        CHECK(r.h.out ==
              "# ---- xuictl-traffic-reset-all.service ----\n"
              "[Unit]\n"
              "Description=xuictl traffic reset-all (daily at 01:02)\n"
              "\n"
              "[Service]\n"
              "Type=oneshot\n"
              "ExecStart=" +
                  exe() +
                  " --profile @eu traffic reset-all --yes --once-per day\n"
                  "\n"
                  "# ---- xuictl-traffic-reset-all.timer ----\n"
                  "[Unit]\n"
                  "Description=Run xuictl-traffic-reset-all.service daily at 01:02\n"
                  "\n"
                  "[Timer]\n"
                  "OnCalendar=*-*-* 01:02:00\n"
                  "# A run missed while the machine was off happens at the next boot; --once-per\n"
                  "# keeps it from running twice on a panel in one day.\n"
                  "Persistent=true\n"
                  "\n"
                  "[Install]\n"
                  "WantedBy=timers.target\n");
        CHECK(r.h.err.find(kSkipNote) != std::string::npos);
    }
}

TEST_CASE("schedule over a fleet: names are operator text, quoted as one word",
          "[cmd][schedule][fleet]") {
    SECTION("a group name with a space and $: one shell word, % and $ safe for systemd") {
        FleetRun r;
        REQUIRE(r.h.run({"--profile", "@eu west$", "schedule", "print-cron", "collect",
                         "--daily"}) == 0);
        CHECK(lines_of(r.h.out).at(1) == "0 0 * * * " + exe() + " --profile '@eu west$' collect");
        FleetRun s;
        REQUIRE(s.h.run({"--profile", "@eu west$", "schedule", "print-systemd", "collect",
                         "--daily"}) == 0);
        CHECK(s.h.out.find("\nExecStart=" + exe() + " --profile \"@eu west$$\" collect\n") !=
              std::string::npos);
    }
    SECTION("a profile named like an option is given as --profile=NAME") {
        FleetRun r;
        REQUIRE(r.h.run({"--profile=-x", "schedule", "print-cron", "collect", "--daily"}) == 0);
        CHECK(lines_of(r.h.out).at(1) == "0 0 * * * " + exe() + " --profile=-x collect");
        FleetRun f;
        REQUIRE(f.h.run({"--profile=-x,de1", "schedule", "print-cron", "collect", "--daily"}) == 0);
        CHECK(lines_of(f.h.out).at(1) == "0 0 * * * " + exe() + " --profile=-x,de1 collect");
    }
}

TEST_CASE("schedule refuses a fleet job that would not run, and words a line cannot carry",
          "[cmd][schedule][fleet]") {
    struct Case {
        std::vector<std::string> args;
        std::string message;
    };
    const std::vector<Case> cases = {
        {{"--profile", "de1,nope", "schedule", "print-cron", "collect", "--daily"},
         "no profile named 'nope' in "},
        {{"--profile", "@asia", "schedule", "print-cron", "collect", "--daily"},
         "no group named 'asia' in "},
        {{"schedule", "print-cron", "inbound reset --all --profile @asia", "--daily"},
         "no group named 'asia' in "},
        {{"--profile", "de1,nl2", "--url", "https://x.test/", "schedule", "print-cron", "collect",
          "--daily"},
         "--url names one panel, but --profile a,b / @group selects several"},
        {{"schedule", "print-cron", "collect --all-profiles --cacert /c", "--daily"},
         "--cacert names one panel, but --all-profiles selects several"},
        // A newline in a word would end the crontab line (or the unit's
        // ExecStart=) and start one of its own.
        {{"--profile", "prod", "schedule", "print-cron", "traffic reset 1 'a\n* * * * * x'",
          "--daily"},
         "a scheduled job cannot carry a control character"},
        {{"--profile", "prod", "schedule", "print-systemd", "traffic reset 1 'a\tb'", "--daily"},
         "a scheduled job cannot carry a control character"},
    };
    for (const auto& c : cases) {
        FleetRun r;
        CAPTURE(c.args);
        CHECK(r.h.run(c.args) == 2);
        CHECK(r.h.out.empty());
        CHECK(r.h.transports_made == 0);
        CHECK(r.h.err.find("xuictl: error: " + c.message) != std::string::npos);
    }
    SECTION("a profile or group name holding a newline") {
        ProfileRun r(
            "[profiles.\"a\\nb\"]\nurl = \"https://a.test/\"\nusername = \"a\"\n"
            "[groups]\n\"g\\n0 * * * * rm\" = [\"a\\nb\"]\n");
        Harness& h = r.h;
        for (const std::string selection : {"a\nb", "@g\n0 * * * * rm"}) {
            CAPTURE(selection);
            CHECK(h.run({"--profile", selection, "schedule", "print-cron", "collect", "--daily"}) ==
                  2);
            CHECK(h.out.empty());
            CHECK(h.err.find("xuictl: error: a scheduled job cannot carry a control character") !=
                  std::string::npos);
        }
    }
}
