"""e2e: read and destructive commands over several panels (issue 18): real xuictl against
several real xuictl-sandbox processes on 127.0.0.1 — both API generations in
one fleet, one that fails, one unreachable, one slow — selected by
--profile a,b, @group and --all-profiles."""
import calendar
import json
import os
import socket
import subprocess
import unittest

from xuictl_e2e import E2ETest, Result, write_profiles


def free_port():
    """A loopback port nothing listens on (bound, then closed)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


HOUR = 3600 * 1000
# 2026-11-02 00:00:00 UTC
T0 = calendar.timegm((2026, 11, 2, 0, 0, 0)) * 1000


class FleetTest(E2ETest):
    def setUp(self):
        super().setUp()
        self.v3 = self.sandbox("--api", "v3", "--inbounds", "3", "--clients", "4")
        self.classic = self.sandbox("--api", "classic", "--inbounds", "2", "--clients", "3",
                                    "--base-path", "/cl/")
        self.dead_url = f"http://127.0.0.1:{free_port()}/"
        self.config = write_profiles(
            self.home, (("de1", self.v3), ("us3", self.classic)),
            f'[profiles.gone]\nurl = "{self.dead_url}"\nusername = "admin"\npassword = "x"\n'
            '[groups]\nlive = ["de1", "us3"]\n')

    def run_fleet(self, *args, **extra):
        # No XUI_*: a fleet run uses each profile's own settings only.
        env = self.env_for(self.v3, XUI_URL=None, XUI_USERNAME=None, XUI_PASSWORD=None, **extra)
        return self.xuictl(self.v3, *args, env=env)

    def at(self, ms, *args, **extra):
        """A run at a fixed time (test-only clock), local days in UTC."""
        return self.run_fleet(*args, XUICTL_TEST_NOW_MS=str(ms), TZ="UTC", **extra)

    def first_client(self, sbx):
        inbound = sbx.state()["inbounds"][0]
        return inbound["clients"][0]

    def panels(self, result):
        return {p["panel"]: p for p in json.loads(result.out)["panels"]}

    def test_both_generations_in_one_fleet(self):
        r = self.run_fleet("--profile", "@live", "stats", "-o", "json")
        self.assertExit(r, 0)
        panels = self.panels(r)
        self.assertEqual(list(panels), ["de1", "us3"])
        self.assertEqual(len(panels["de1"]["clients"]), len(self.v3.clients()))
        self.assertEqual(len(panels["us3"]["clients"]), len(self.classic.clients()))
        doc = json.loads(r.out)
        self.assertEqual(doc["totals"]["clients"],
                         len(self.v3.clients()) + len(self.classic.clients()))
        # Each panel logged in once, with its own password (a wrong one is a 4).
        self.assertEqual(len(self.v3.logins()), 1)
        self.assertEqual(len(self.classic.logins()), 1)
        # The classic panel got the classic list route, the v3 one list/slim.
        self.assertIn("GET /cl/panel/api/inbounds/list", self.classic.request_lines())
        self.assertIn("GET /panel/api/inbounds/list/slim", self.v3.request_lines())
        # version, over the same fleet: each panel's generation.
        r = self.run_fleet("--profile", "de1,us3", "version", "-o", "json")
        self.assertExit(r, 0)
        panels = self.panels(r)
        self.assertEqual(panels["de1"]["api"], "v3")
        self.assertEqual(panels["us3"]["api"], "classic")

    def test_unreachable_and_failing_panels_do_not_hide_the_others(self):
        self.classic.control("POST", "fault", {"mode": "http500", "path": "inbounds/list",
                                               "count": 0})
        r = self.run_fleet("--all-profiles", "clients", "list", "-o", "json", "--timeout", "5")
        self.assertExit(r, 7)
        panels = self.panels(r)
        self.assertEqual(panels["de1"]["status"], "ok")
        self.assertEqual(len(panels["de1"]["clients"]), len(self.v3.clients()))
        self.assertEqual(panels["us3"]["status"], "failed")
        self.assertEqual(panels["gone"]["status"], "failed")
        self.assertIn("xuictl: error: panel gone: ", r.err)
        self.assertIn("xuictl: error: panel us3: ", r.err)
        # TSV keeps one shape: the failed panels are on stderr only.
        r = self.run_fleet("--all-profiles", "inbound", "list", "-o", "tsv")
        self.assertExit(r, 7)
        rows = r.out.splitlines()
        self.assertTrue(rows[0].startswith("PANEL\tID\t"))
        self.assertEqual({row.split("\t")[0] for row in rows[1:]}, {"de1"})

    def test_slow_panel_past_the_timeout_fails_alone(self):
        self.classic.control("POST", "fault", {"mode": "slow", "path": "inbounds/list",
                                               "count": 0, "delay_ms": 3000})
        r = self.run_fleet("--profile", "@live", "inbound", "list", "-o", "json",
                           "--timeout", "1")
        self.assertExit(r, 7)
        panels = self.panels(r)
        self.assertEqual(panels["de1"]["status"], "ok")
        self.assertEqual(panels["us3"]["status"], "failed")
        self.assertIn("--timeout", panels["us3"]["error"]["hint"] + panels["us3"]["error"]["message"])

    def fleet_ids(self):
        """operation id -> fleet id of every audit record (read with sqlite3)."""
        from xuictl_e2e import _query
        return dict(_query(os.path.join(self.home, ".local", "state", "xuictl"),
                           "SELECT id, fleet_id FROM operations ORDER BY rowid"))

    def outcomes(self):
        """profile -> outcome status of every audit record."""
        from xuictl_e2e import _query
        return dict(_query(os.path.join(self.home, ".local", "state", "xuictl"),
                           "SELECT o.profile, r.status FROM operations o"
                           " LEFT JOIN outcomes r ON r.operation_id = o.id"))

    def used(self, sandbox):
        return sum(c["up"] + c["down"] for c in sandbox.clients().values())

    def test_fleet_reset_across_both_generations(self):
        self.assertGreater(self.used(self.v3), 0)
        self.assertGreater(self.used(self.classic), 0)
        # A single panel's phrase confirms nothing on a fleet.
        r = self.run_fleet("--profile", "@live", "inbound", "reset", "--all", "--confirm",
                           "RESET ALL CLIENTS ON de1")
        self.assertExit(r, 3)
        self.assertIn("this plan needs --confirm 'RESET ALL CLIENTS ON 2 PANELS'", r.err)
        self.assertEqual(self.v3.writes() + self.classic.writes(), [])
        r = self.run_fleet("--profile", "@live", "inbound", "reset", "--all", "--confirm",
                           "RESET ALL CLIENTS ON 2 PANELS", "-o", "json")
        self.assertExit(r, 0)
        plan, result = [json.loads(line) for line in r.out.splitlines()]
        self.assertEqual([p["panel"] for p in plan["panels"]], ["de1", "us3"])
        self.assertEqual(result["status"], "ok")
        self.assertEqual([p["result"]["status"] for p in result["panels"]], ["ok", "ok"])
        self.assertEqual(self.used(self.v3), 0)
        self.assertEqual(self.used(self.classic), 0)
        # Each generation got its own write route, once.
        self.assertEqual(self.v3.writes(), ["POST /panel/api/clients/bulkResetTraffic"])
        self.assertEqual(self.classic.writes(),
                         ["POST /cl/panel/api/inbounds/resetAllClientTraffics/-1"])
        # One audit record per panel, linked by the fleet id the result names.
        ids = self.fleet_ids()
        self.assertEqual(len(ids), 2)
        self.assertEqual(set(ids.values()), {result["fleet_id"]})
        self.assertEqual(self.outcomes(), {"de1": "ok", "us3": "ok"})

    def test_one_failing_read_writes_nothing_anywhere(self):
        self.classic.control("POST", "fault", {"mode": "http500", "path": "inbounds/list",
                                               "count": 0})
        r = self.run_fleet("--profile", "@live", "inbound", "reset", "--all", "--yes")
        self.assertExit(r, 1)
        self.assertIn("xuictl: error: panel us3: ", r.err)
        self.assertIn("nothing was written to any panel", r.err)
        self.assertEqual(self.v3.writes(), [])
        self.assertEqual(self.classic.writes(), [])
        self.assertEqual(self.fleet_ids(), {})

    def test_skip_unreachable_writes_the_others(self):
        before = self.used(self.v3)
        r = self.run_fleet("--all-profiles", "inbound", "reset", "--all", "--yes",
                           "--skip-unreachable", "--timeout", "5", "-o", "json")
        self.assertExit(r, 7)
        plan, result = [json.loads(line) for line in r.out.splitlines()]
        status = {p["panel"]: p["status"] for p in plan["panels"]}
        self.assertEqual(status, {"de1": "planned", "us3": "planned", "gone": "skipped"})
        self.assertEqual(result["status"], "partial")
        self.assertGreater(before, 0)
        self.assertEqual(self.used(self.v3), 0)
        self.assertEqual(self.used(self.classic), 0)
        self.assertEqual(self.outcomes(), {"de1": "ok", "us3": "ok"})

    def test_one_failing_write_exits_7_and_the_audit_says_so(self):
        self.classic.control("POST", "fault", {"mode": "write-fails", "count": 0})
        r = self.run_fleet("--profile", "@live", "inbound", "reset", "--all", "--yes")
        self.assertExit(r, 7)
        self.assertEqual(self.used(self.v3), 0)
        self.assertGreater(self.used(self.classic), 0)
        self.assertEqual(self.outcomes(), {"de1": "ok", "us3": "failed"})
        self.assertIn("1 of 2 panel(s) changed and verified", r.err)

    def test_slow_panel_does_not_hold_the_fast_one_back_from_writing(self):
        self.classic.control("POST", "fault", {"mode": "slow", "path": "resetAllClientTraffics",
                                               "count": 0, "delay_ms": 1500})
        r = self.run_fleet("--profile", "@live", "inbound", "reset", "--all", "--yes",
                           "--timeout", "10")
        self.assertExit(r, 0)
        self.assertEqual(self.used(self.v3), 0)
        self.assertEqual(self.used(self.classic), 0)
        self.assertEqual(self.outcomes(), {"de1": "ok", "us3": "ok"})

    def test_restore_of_a_fleet_purge(self):
        before = {"de1": self.v3.clients(), "us3": self.classic.clients()}
        r = self.run_fleet("--profile", "@live", "clients", "purge-depleted", "--all", "--yes",
                           "-o", "json")
        self.assertExit(r, 0)
        plan, result = [json.loads(line) for line in r.out.splitlines()]
        deleted = sum(len(p["plan"]["clients"]) for p in plan["panels"])
        self.assertTrue(plan["phrase"].startswith(f"DELETE {deleted} CLIENTS"), plan["phrase"])
        self.assertTrue(plan["phrase"].endswith(" ON 2 PANELS"), plan["phrase"])
        self.assertLess(len(self.v3.clients()), len(before["de1"]))
        self.assertLess(len(self.classic.clients()), len(before["us3"]))
        fleet_id = result["fleet_id"]
        # `audit` shows the fleet id on each panel's record.
        r = self.run_fleet("audit", "-o", "json")
        self.assertExit(r, 0)
        self.assertEqual([e["fleet_id"] for e in json.loads(r.out)], [fleet_id, fleet_id])
        # A profile that now points at another panel gets none of its records'
        # secrets: the whole restore stops before any write.
        with open(self.config, encoding="utf-8") as f:
            original = f.read()
        with open(self.config, "w", encoding="utf-8") as f:
            f.write(original.replace(f'url = "{self.classic.url}"', f'url = "{self.v3.url}"'))
        writes = len(self.v3.writes())
        r = self.run_fleet("clients", "restore", fleet_id, "--yes")
        self.assertExit(r, 2)
        self.assertIn("but its profile now points at", r.err)
        self.assertEqual(len(self.v3.writes()), writes)
        with open(self.config, "w", encoding="utf-8") as f:
            f.write(original)
        # One restore by the fleet id: one plan, one phrase, each panel its own snapshot.
        r = self.run_fleet("clients", "restore", fleet_id, "--confirm",
                           f"RESTORE {deleted} DELETED CLIENTS ON 2 PANELS")
        self.assertExit(r, 0)
        self.assertEqual(set(self.v3.clients()), set(before["de1"]))
        self.assertEqual(set(self.classic.clients()), set(before["us3"]))
        for email, c in before["de1"].items():
            self.assertEqual(self.v3.clients()[email]["id"], c["id"], email)
        r = self.run_fleet("clients", "restore", "fleet-nope", "--yes")
        self.assertExit(r, 5)
        self.assertIn("no fleet operation 'fleet-nope'", r.err)

    def test_other_commands_refuse_a_fleet_before_any_request(self):
        r = self.run_fleet("--profile", "@live", "clients", "restore", "x", "--yes")
        self.assertExit(r, 2)
        self.assertIn("this command works on one panel", r.err)
        self.assertEqual(self.v3.requests(), [])
        self.assertEqual(self.classic.requests(), [])

    def test_url_and_unknown_names_are_usage_errors(self):
        r = self.run_fleet("--profile", "de1,nope", "stats")
        self.assertExit(r, 2)
        self.assertIn("no profile named 'nope'", r.err)
        env = self.env_for(self.v3)  # XUI_URL set: one panel
        r = self.xuictl(self.v3, "--all-profiles", "stats", env=env)
        self.assertExit(r, 2)
        self.assertIn("XUI_URL names one panel", r.err)
        self.assertEqual(self.v3.requests(), [])

    def test_progress_on_a_terminal_only(self):
        env = self.env_for(self.v3, XUI_URL=None, XUI_USERNAME=None, XUI_PASSWORD=None)
        screen = self.xuictl_tty(self.v3, "--profile", "@live", "inbound", "list", env=env)
        self.assertExit(screen, 0)
        self.assertIn("de1  waiting", screen.out)
        self.assertIn("\x1b[2K", screen.out)
        self.assertIn("us3  done", screen.out)
        r = self.run_fleet("--profile", "@live", "inbound", "list")
        self.assertExit(r, 0)
        self.assertNotIn("waiting", r.err)
        self.assertEqual(r.err, "")

    def test_report_over_both_generations(self):
        r = self.run_fleet("--profile", "@live", "stats", "--report", "-o", "json")
        self.assertExit(r, 0)
        doc = json.loads(r.out)
        panels = self.panels(r)
        self.assertEqual(panels["de1"]["total"]["clients"], len(self.v3.clients()))
        self.assertEqual(panels["us3"]["total"]["clients"], len(self.classic.clients()))
        self.assertEqual(doc["total"]["clients"],
                         len(self.v3.clients()) + len(self.classic.clients()))
        self.assertEqual(doc["total"]["used"],
                         panels["de1"]["total"]["used"] + panels["us3"]["total"]["used"])
        r = self.run_fleet("--profile", "@live", "stats", "--report", "-o", "tsv")
        self.assertExit(r, 0)
        rows = [line.split("\t") for line in r.out.splitlines()]
        self.assertEqual(rows[0][:2], ["PANEL", "SCOPE"])
        self.assertEqual({row[0] for row in rows[1:]}, {"de1", "us3", "(fleet)"})
        self.assertEqual(rows[-1][:2], ["(fleet)", "total"])

    def test_one_textfile_covers_the_fleet(self):
        path = os.path.join(self.home, "fleet.prom")
        r = self.run_fleet("--all-profiles", "stats", "--textfile", path, "--timeout", "5")
        self.assertExit(r, 7)
        self.assertIn("xuictl: error: panel gone: ", r.err)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        self.assertEqual(os.stat(path).st_mode & 0o777, 0o644)
        self.assertIn('xuictl_panel_up{panel="de1"} 1\n', text)
        self.assertIn('xuictl_panel_up{panel="gone"} 0\n', text)
        self.assertIn('xuictl_panel_up{panel="us3"} 1\n', text)
        series = [line for line in text.splitlines() if not line.startswith("#")]
        self.assertTrue(all('{panel="' in line for line in series), series[:3])
        self.assertFalse([line for line in series
                          if 'panel="gone"' in line and not line.startswith("xuictl_panel_up")])
        for name, sbx in (("de1", self.v3), ("us3", self.classic)):
            ups = [line for line in series
                   if line.startswith(f'xuictl_client_up_bytes{{panel="{name}",')]
            self.assertEqual(len(ups), sum(len(i["clients"]) for i in sbx.state()["inbounds"]))

    def test_history_over_a_fleet_after_collect_on_each_panel(self):
        moved = {}
        for name, sbx in (("de1", self.v3), ("us3", self.classic)):
            c = self.first_client(sbx)
            self.assertExit(self.at(T0, "--profile", name, "collect"), 0)
            sbx.control("POST", "traffic", {"email": c["email"], "up": c["up"] + 100,
                                            "down": c["down"] + (300 if name == "us3" else 0)})
            self.assertExit(self.at(T0 + HOUR, "--profile", name, "collect"), 0)
            moved[name] = (c["email"], 100, 300 if name == "us3" else 0)
        # One unreachable panel: the others' history, its error in its place, exit 7.
        r = self.at(T0 + 2 * HOUR, "--all-profiles", "stats", "--since", "1d", "-o", "json",
                    "--timeout", "5")
        self.assertExit(r, 7)
        panels = self.panels(r)
        self.assertEqual(panels["gone"]["status"], "failed")
        for name in ("de1", "us3"):
            email, up, down = moved[name]
            rows = {c["email"]: c for c in panels[name]["clients"]}
            self.assertEqual((rows[email]["up"], rows[email]["down"]), (up, down), name)
            self.assertEqual(panels[name]["totals"]["used"], up + down)
            self.assertEqual(panels[name]["window"]["covered"],
                             [{"from_ms": T0, "to_ms": T0 + HOUR}])
        self.assertEqual(json.loads(r.out)["totals"]["used"], 100 + 100 + 300)
        # --by day over the two that answer: the fleet row sums both.
        r = self.at(T0 + 2 * HOUR, "--profile", "@live", "stats", "--since", "1d", "--by", "day",
                    "-o", "tsv", "--bytes")
        self.assertExit(r, 0)
        rows = [line.split("\t") for line in r.out.splitlines()]
        self.assertEqual(rows[0], ["PANEL", "PERIOD", "EMAIL", "UP", "DOWN", "USED", "COVERED"])
        fleet = [row for row in rows if row[0] == "(fleet)" and row[1] == "2026-11-02"]
        self.assertEqual(fleet, [["(fleet)", "2026-11-02", "(all)", "200", "300", "500", ""]])
        # clients show --history: the client on each panel that has it.
        email = moved["de1"][0]
        r = self.at(T0 + 2 * HOUR, "--profile", "@live", "clients", "show", email, "--history",
                    "--since", "1d", "-o", "json")
        self.assertExit(r, 0)
        doc = json.loads(r.out)
        for p in doc["panels"]:
            used = sum(period["used"] for period in p["periods"])
            want = sum(moved[p["panel"]][1:]) if moved[p["panel"]][0] == email else 0
            self.assertEqual(used, want, p["panel"])

    def samples(self, state_dir):
        """panel key -> number of samples in the usage history (read with sqlite3)."""
        from xuictl_e2e import _query
        return dict(_query(os.path.join(state_dir, "xuictl"),
                           "SELECT p.identity, COUNT(*) FROM usage_samples s"
                           " JOIN usage_panels p ON p.id = s.panel_id GROUP BY p.identity"))

    def test_one_fleet_collect_gives_the_rows_collects_one_by_one_give(self):
        # The same two hours recorded twice, into two databases: by one fleet
        # collect per hour, and by a collect per panel (--profile NAME).
        fleet_state = os.path.join(self.work, "fleet-state")
        alone_state = os.path.join(self.work, "alone-state")

        def collect_both(ms):
            r = self.at(ms, "--profile", "@live", "collect", "-o", "json",
                        XDG_STATE_HOME=fleet_state)
            self.assertExit(r, 0)
            panels = self.panels(r)
            self.assertEqual(list(panels), ["de1", "us3"])
            self.assertEqual({p["status"] for p in panels.values()}, {"ok"})
            self.assertEqual({p["time_ms"] for p in panels.values()}, {ms})
            for name in ("de1", "us3"):
                self.assertExit(self.at(ms, "--profile", name, "collect",
                                        XDG_STATE_HOME=alone_state), 0)
            return panels

        first = collect_both(T0)
        self.assertEqual(first["de1"]["clients"], len(self.v3.clients()))
        self.assertEqual(first["us3"]["clients"], len(self.classic.clients()))
        self.assertTrue(first["de1"]["first"] and first["us3"]["first"])
        for name, sbx in (("de1", self.v3), ("us3", self.classic)):
            c = self.first_client(sbx)
            sbx.control("POST", "traffic", {"email": c["email"], "up": c["up"] + 100,
                                            "down": c["down"] + (300 if name == "us3" else 0)})
        second = collect_both(T0 + HOUR)
        self.assertEqual((second["de1"]["moved"], second["us3"]["moved"]), (1, 1))
        views = (("stats", "--since", "1d", "-o", "json"),
                 ("stats", "--since", "1d", "--by", "day", "-o", "tsv", "--bytes"),
                 ("stats", "--lifetime", "-o", "csv"))
        for view in views:
            got = {}
            for state in (fleet_state, alone_state):
                r = self.at(T0 + 2 * HOUR, "--profile", "@live", *view, XDG_STATE_HOME=state)
                self.assertExit(r, 0)
                got[state] = r.out
            self.assertEqual(got[fleet_state], got[alone_state], view)
        r = self.at(T0 + 2 * HOUR, "--profile", "@live", "stats", "--since", "1d", "-o", "json",
                    XDG_STATE_HOME=fleet_state)
        self.assertEqual(json.loads(r.out)["totals"]["used"], 100 + 100 + 300, r)
        # Each panel's samples under its own key (URL + user), two each.
        self.assertEqual(sorted(self.samples(fleet_state).values()), [2, 2])
        self.assertEqual(self.samples(fleet_state), self.samples(alone_state))

    def test_fleet_collect_with_an_unreachable_panel_records_the_others(self):
        state = os.path.join(self.home, ".local", "state")
        r = self.at(T0, "--all-profiles", "collect", "--timeout", "5")
        self.assertExit(r, 7)
        rows = [line.split("\t") for line in r.out.splitlines()]
        self.assertEqual(rows[0], ["PANEL", "TIME", "CLIENTS", "MOVED", "RESETS", "NEW",
                                   "COMPACTED"])
        # TSV: the failed panel only on stderr, every row the same columns.
        self.assertEqual([row[0] for row in rows[1:]], ["de1", "us3"])
        self.assertIn("xuictl: error: panel gone: ", r.err)
        self.assertIn("retry this panel alone with --profile gone", r.err)
        self.assertEqual(sorted(self.samples(state).values()), [1, 1])
        # -o json: each panel's result and status.
        r = self.at(T0 + HOUR, "--all-profiles", "collect", "-o", "json", "--timeout", "5")
        self.assertExit(r, 7)
        panels = self.panels(r)
        self.assertEqual(panels["gone"]["status"], "failed")
        self.assertEqual(panels["gone"]["error"]["exit_code"], 1)
        self.assertIn("--profile gone", panels["gone"]["error"]["hint"])
        self.assertEqual((panels["de1"]["status"], panels["us3"]["status"]), ("ok", "ok"))
        self.assertEqual(sorted(self.samples(state).values()), [2, 2])
        # Every panel failing: the failure's own code, nothing recorded.
        r = self.at(T0 + 2 * HOUR, "--profile", "gone", "collect")
        self.assertExit(r, 1)

    def cron_command(self, *args):
        """`schedule print-cron` over this fleet; returns the command part of
        the crontab line as cron hands it to /bin/sh (\\% back to %)."""
        r = self.run_fleet(*args)
        self.assertExit(r, 0)
        comment, line = r.out.splitlines()
        self.assertTrue(comment.startswith("# xuictl: "), r.out)
        fields = line.split(" ", 5)
        return fields[5].replace("\\%", "%"), r

    def run_in_shell(self, command, **extra):
        """Runs a job's command the way cron does: /bin/sh -c, no XUI_*."""
        env = self.env_for(self.v3, XUI_URL=None, XUI_USERNAME=None, XUI_PASSWORD=None, **extra)
        p = subprocess.run(["/bin/sh", "-c", command], env=env, capture_output=True, text=True,
                           timeout=60, stdin=subprocess.DEVNULL, start_new_session=True)
        return Result(p.returncode, p.stdout, p.stderr)

    def test_a_scheduled_fleet_job_run_by_a_shell_runs_the_fleet(self):
        state = os.path.join(self.home, ".local", "state")
        # A group name is operator text: a quote and a $ must reach xuictl
        # as they are, not as shell syntax.
        with open(self.config, "a", encoding="utf-8") as f:
            f.write('"it\'s $HOME" = ["de1", "us3"]\n')
        command, r = self.cron_command("--profile", "@it's $HOME", "schedule", "print-cron",
                                       "collect", "--hourly", "--at", "00:05")
        self.assertTrue(command.endswith(" --profile '@it'\\''s $HOME' collect"), command)
        self.assertIn("the job runs on group @it's $HOME", r.err)
        done = self.run_in_shell(command + " -o json")
        self.assertExit(done, 0)
        self.assertEqual([p["panel"] for p in json.loads(done.out)["panels"]], ["de1", "us3"])
        self.assertEqual(sorted(self.samples(state).values()), [1, 1])
        # A destructive fleet job, with --skip-unreachable in the command: the
        # panels that answer are reset (once per day each), the dead one skipped.
        command, r = self.cron_command("--all-profiles", "schedule", "print-cron",
                                       "inbound reset --all --skip-unreachable --timeout 5",
                                       "--daily")
        self.assertTrue(command.endswith(" --all-profiles inbound reset --all --skip-unreachable"
                                         " --timeout 5 --yes --once-per day"), command)
        self.assertGreater(self.used(self.v3) + self.used(self.classic), 0)
        done = self.run_in_shell(command)
        self.assertExit(done, 7)
        self.assertEqual(self.used(self.v3), 0)
        self.assertEqual(self.used(self.classic), 0)
        self.assertEqual(self.outcomes(), {"de1": "ok", "us3": "ok"})
        # The next run the same day: --once-per skips each panel already done.
        writes = self.v3.writes() + self.classic.writes()
        again = self.run_in_shell(command)
        # Nothing to do on the two, and gone still not reached: not a success.
        self.assertExit(again, 7)
        self.assertIn("already", again.err)
        self.assertEqual(self.v3.writes() + self.classic.writes(), writes)

    def test_completion_offers_profiles_and_groups(self):
        r = self.run_fleet("__complete", "targets")
        self.assertExit(r, 0)
        self.assertEqual(r.out.splitlines(), ["de1", "gone", "us3", "@live"])


class FleetNodesTest(E2ETest):
    """A master sandbox with its own node sandbox (3x-ui multi-node: the master
    lists the node's real address in nodes/list and one of its inbounds runs
    there) and one unrelated panel, in one fleet (issue 18)."""

    def setUp(self):
        super().setUp()
        self.node = self.sandbox("--api", "v3", "--inbounds", "2", "--clients", "3")
        self.other = self.sandbox("--api", "classic", "--inbounds", "1", "--clients", "2")

    def start_master(self, *extra):
        self.master = self.sandbox("--api", "v3", "--inbounds", "2", "--clients", "3",
                                   "--node", self.node.url, *extra)
        self.master.control("POST", "inbound", {"id": 1, "nodeId": 1})
        config_dir = os.path.join(self.home, ".config", "xuictl")
        os.makedirs(config_dir, mode=0o700, exist_ok=True)
        text = ""
        for name, s in (("de1", self.master), ("de1-node", self.node), ("us3", self.other)):
            text += (f'[profiles.{name}]\nurl = "{s.url}"\nusername = "{s.info["username"]}"\n'
                     f'password = "{s.info["password"]}"\n')
        path = os.path.join(config_dir, "config.toml")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        os.chmod(path, 0o600)

    def run_fleet(self, *args):
        env = self.env_for(self.master, XUI_URL=None, XUI_USERNAME=None, XUI_PASSWORD=None)
        return self.xuictl(self.master, *args, env=env)

    def test_the_fleet_total_counts_the_node_once(self):
        self.start_master()
        r = self.run_fleet("--profile", "de1,de1-node,us3", "stats", "-o", "json", "--bytes")
        self.assertExit(r, 0)
        doc = json.loads(r.out)
        panels = {p["panel"]: p for p in doc["panels"]}
        self.assertEqual(panels["de1-node"]["node_of"], "de1")
        self.assertNotIn("node_of", panels["de1"])
        self.assertNotIn("node_of", panels["us3"])
        # The node's rows are there, as a breakdown ...
        self.assertEqual(len(panels["de1-node"]["clients"]), len(self.node.clients()))
        # ... and the fleet total is the master's plus the unrelated panel's.
        for key in ("clients", "up", "down", "used"):
            self.assertEqual(doc["totals"][key],
                             panels["de1"]["totals"][key] + panels["us3"]["totals"][key], key)
        self.assertGreater(panels["de1-node"]["totals"]["clients"], 0)
        # nodes/list: once, to the master; never to the node or the classic panel.
        self.assertEqual(self.master.request_lines().count("GET /panel/api/nodes/list"), 1)
        self.assertNotIn("GET /panel/api/nodes/list", self.node.request_lines())
        self.assertNotIn("GET /panel/api/nodes/list", self.other.request_lines())
        # For people: the node's rows named after its master, the rule under the totals.
        r = self.run_fleet("--profile", "de1,de1-node,us3", "stats", "-o", "table")
        self.assertExit(r, 0)
        self.assertIn("de1-node (node of de1)", r.out)
        self.assertIn("so the (fleet) total leaves out de1-node's clients", r.out)

    def test_a_reset_its_master_sends_on_is_not_sent_to_the_node(self):
        # v3.1.x resets each client through clients/resetTraffic/:email, which the
        # master sends on to the node hosting it (inbound_traffic.go:642-662).
        self.start_master("--panel-version", "3.1.0")
        r = self.run_fleet("--profile", "de1,de1-node,us3", "inbound", "reset", "--all", "--yes",
                           "-o", "json")
        self.assertExit(r, 0)
        plan, result = [json.loads(line) for line in r.out.splitlines()]
        self.assertEqual(plan["phrase"], "RESET ALL CLIENTS ON 2 PANELS")
        status = {p["panel"]: p["status"] for p in plan["panels"]}
        self.assertEqual(status, {"de1": "planned", "de1-node": "skipped", "us3": "planned"})
        outcome = {p["panel"]: p["result"]["status"] for p in result["panels"]}
        self.assertEqual(outcome, {"de1": "ok", "de1-node": "skipped", "us3": "ok"})
        self.assertIn("Panel de1-node: skipped: a node of de1", r.err)
        self.assertNotEqual(self.master.writes(), [])
        self.assertNotEqual(self.other.writes(), [])
        self.assertEqual(self.node.writes(), [])  # reads only

    def test_a_bulk_reset_of_the_master_leaves_the_node_to_its_own_plan(self):
        # v3.2.0+: clients/bulkResetTraffic zeroes the master's counters only
        # (client_traffic.go:61-124): the node is reset by its own plan.
        self.start_master()
        r = self.run_fleet("--profile", "de1,de1-node,us3", "inbound", "reset", "--all", "--yes",
                           "-o", "json")
        self.assertExit(r, 0)
        plan, result = [json.loads(line) for line in r.out.splitlines()]
        self.assertEqual(plan["phrase"], "RESET ALL CLIENTS ON 3 PANELS")
        node = [p for p in plan["panels"] if p["panel"] == "de1-node"][0]
        self.assertEqual(node["status"], "planned")
        self.assertIn("bulkResetTraffic", node["message"])
        self.assertEqual(self.node.writes(), ["POST /panel/api/clients/bulkResetTraffic"])


if __name__ == "__main__":
    unittest.main()
