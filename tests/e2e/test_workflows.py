"""e2e: the operator workflows (issue 9) against the sandbox — traffic restore
on both API generations (and on a classic panel too old to have the route),
the audit log read back, stats thresholds and their exit codes, the
prometheus textfile, generated cron and systemd schedules, and the
--once-per guard."""
import json
import os
import re
import shlex
import shutil
import stat
import subprocess
import unittest
import urllib.parse

from xuictl_e2e import E2ETest, XUICTL, snapshot_of


def counters(state):
    """email -> (up, down) of every client in a sandbox state."""
    return {c["email"]: (c["up"], c["down"]) for i in state["inbounds"] for c in i["clients"]}


def level(c, now, warn, crit):
    """The monitoring level of one client, computed from sandbox state:
    depleted = exactly the panel's rule, as in stats and purge-depleted (quota
    used up or expired, and no auto-renew or reset day); a client out of
    quota that the panel renews is judged by its % used (issue 15 §7)."""
    used, quota = c["up"] + c["down"], c["total"]
    renews = c["reset"] != 0 or c.get("resetDay", 0) != 0
    if not renews and ((quota > 0 and used >= quota) or 0 < c["expiryTime"] <= now):
        return "depleted"
    if quota > 0:
        pct = used * 100.0 / quota
        if crit is not None and pct >= crit:
            return "crit"
        if warn is not None and pct >= warn:
            return "warn"
    return "ok"


EXIT = {"ok": 0, "warn": 10, "crit": 11, "depleted": 12}
RANK = ["ok", "warn", "crit", "depleted"]

# One sample line of the exposition format: name{label="value",...} integer.
SAMPLE = re.compile(r'^([a-z_]+)(\{([a-z_]+="(?:[^"\\]|\\["\\n])*"(?:,[a-z_]+="(?:[^"\\]|\\["\\n])*")*)\})? (-?\d+)$')
LABEL = re.compile(r'([a-z_]+)="((?:[^"\\]|\\["\\n])*)"')


def parse_prometheus(text, test):
    """Checks HELP/TYPE/sample structure; returns {(name, labels tuple): value}."""
    samples, family, typed, seen = {}, None, False, set()
    test.assertTrue(text.endswith("\n"))
    for line in text.splitlines():
        if line.startswith("# HELP "):
            family = line.split(" ")[2]
            test.assertNotIn(family, seen, line)
            seen.add(family)
            typed = False
        elif line.startswith("# TYPE "):
            parts = line.split(" ")
            test.assertEqual(parts[2:], [family, "gauge"], line)
            typed = True
        else:
            m = SAMPLE.match(line)
            test.assertIsNotNone(m, line)
            test.assertEqual(m.group(1), family, line)
            test.assertTrue(typed, line)
            labels = tuple(LABEL.findall(m.group(3) or ""))
            samples[(m.group(1), labels)] = int(m.group(4))
    return samples


class WorkflowBase(E2ETest):
    API = "v3"
    VERSION = None

    def setUp(self):
        super().setUp()
        args = ["--api", self.API] + (["--panel-version", self.VERSION] if self.VERSION else [])
        self.sbx = self.sandbox(*args)
        self.state_dir = os.path.join(self.home, ".local", "state", "xuictl")

    def audit(self):
        r = self.xuictl(self.sbx, "audit", "-o", "json")
        self.assertExit(r, 0)
        return json.loads(r.out)

    def update_route(self):
        base = self.sbx.info["base_path"]
        return (f"POST {base}panel/api/clients/updateTraffic/" if self.API == "v3"
                else f"POST {base}panel/api/inbounds/updateClientTraffic/")


class V3Restore(WorkflowBase):
    API = "v3"

    def test_reset_then_restore_gives_back_the_exact_counters(self):
        before = counters(self.sbx.state())
        inbound1 = {c["email"] for c in self.sbx.state()["inbounds"][0]["clients"]}
        self.assertExit(self.xuictl(self.sbx, "inbound", "reset", "1", "--yes"), 0)
        reset = counters(self.sbx.state())
        self.assertTrue(all(reset[e] == (0, 0) for e in inbound1))
        [entry] = self.audit()
        writes_before = len(self.sbx.writes())

        r = self.xuictl(self.sbx, "traffic", "restore", entry["id"], "--yes")
        self.assertExit(r, 0)
        self.assertEqual(counters(self.sbx.state()), before)
        # One absolute update per client that changed, nothing else.
        changed = sorted(e for e in inbound1 if before[e] != (0, 0))
        writes = self.sbx.writes()[writes_before:]
        self.assertEqual(len(writes), len(changed))
        self.assertTrue(all(w.startswith(self.update_route()) for w in writes), writes)
        sent = {urllib.parse.unquote(x["path"].rsplit("/", 1)[1]): json.loads(x["body"])
                for x in self.sbx.requests()
                if x["method"] == "POST" and ("/clients/updateTraffic/" in x["path"]
                                              or "/inbounds/updateClientTraffic/" in x["path"])}
        self.assertEqual(sent, {e: {"upload": before[e][0], "download": before[e][1]} for e in changed})
        # The restore is audited and snapshotted like any destructive command.
        restore = self.audit()[-1]
        self.assertEqual((restore["command"], restore["status"]), (f"traffic restore {entry['id']}", "ok"))
        self.assertEqual(sorted(restore["emails"]), changed)
        self.assertTrue(all(c["up"] == 0 and c["down"] == 0 for c in restore["before"]["clients"]))
        snap = snapshot_of(self.state_dir, restore["snapshot"])
        self.assertEqual(snap["plan"]["restore_from"], entry["id"])
        self.assertEqual({t["email"]: (t["up"], t["down"]) for t in snap["plan"]["restore_to"]},
                         {e: before[e] for e in changed})

        # ... and undone the same way: back to the reset counters.
        r = self.xuictl(self.sbx, "traffic", "restore", restore["id"], "--yes")
        self.assertExit(r, 0)
        self.assertEqual(counters(self.sbx.state()), reset)

    def test_restore_one_client_through_a_terminal(self):
        state = self.sbx.state()
        target = next(c for c in state["inbounds"][0]["clients"] if c["up"] + c["down"] > 0)
        self.assertExit(self.xuictl(self.sbx, "inbound", "reset", "1", "--yes"), 0)
        [entry] = self.audit()
        before_restore = counters(self.sbx.state())
        writes = len(self.sbx.writes())
        for answer in ("RESTORE 2 CLIENTS", None):
            r = self.xuictl_tty(self.sbx, "traffic", "restore", entry["id"], "--client", target["email"],
                                answers=[answer])
            self.assertExit(r, 3)
        self.assertEqual(len(self.sbx.writes()), writes)
        self.assertEqual(counters(self.sbx.state()), before_restore)
        r = self.xuictl(self.sbx, "traffic", "restore", entry["id"], "--client", target["email"])
        self.assertExit(r, 3)
        self.assertIn("--confirm 'RESTORE 1 CLIENTS'", r.err)
        r = self.xuictl_tty(self.sbx, "traffic", "restore", entry["id"], "--client", target["email"],
                            answers=["RESTORE 1 CLIENTS"])
        self.assertExit(r, 0)
        after = counters(self.sbx.state())
        expected = dict(before_restore, **{target["email"]: (target["up"], target["down"])})
        self.assertEqual(after, expected)

    def test_restore_refuses_another_panel_and_inbound_counter_snapshots(self):
        self.assertExit(self.xuictl(self.sbx, "traffic", "reset-all", "--yes"), 0)
        [entry] = self.audit()
        r = self.xuictl(self.sbx, "traffic", "restore", entry["id"], "--yes")
        self.assertExit(r, 6)
        self.assertIn("cannot be restored", r.err)
        other = self.sandbox("--api", self.API)
        self.assertExit(self.xuictl(self.sbx, "inbound", "reset", "2", "--yes"), 0)
        entry = self.audit()[-1]
        r = self.xuictl(other, "traffic", "restore", entry["id"], "--yes")
        self.assertExit(r, 2)
        self.assertIn("--allow-other-panel", r.err)
        self.assertEqual(other.writes(), [])


class ClassicRestore(V3Restore):
    API = "classic"  # 2.9.4: inbounds/updateClientTraffic exists (v2.6.3+)


class OldClassicRestore(WorkflowBase):
    """2.6.0 predates updateClientTraffic: exit 6 before any write."""
    API = "classic"
    VERSION = "2.6.0"

    def test_restore_is_unsupported_and_writes_nothing(self):
        self.assertExit(self.xuictl(self.sbx, "inbound", "reset", "1", "--yes"), 0)
        [entry] = self.audit()
        state = self.sbx.state()
        writes = len(self.sbx.writes())
        r = self.xuictl(self.sbx, "traffic", "restore", entry["id"], "--yes")
        self.assertExit(r, 6)
        self.assertIn("this panel version cannot set client traffic counters", r.err)
        # Only the capability probe went out, and the panel has no such route.
        new = self.sbx.requests()[-1]
        self.assertEqual(self.sbx.writes()[writes:],
                         [f"POST {self.sbx.info['base_path']}panel/api/inbounds/updateClientTraffic/xuictl-capability-probe"])
        self.assertEqual(new["status"], 404)
        self.assertEqual(self.sbx.state()["inbounds"], state["inbounds"])
        self.assertEqual(len(self.audit()), 1)


class ProbedClassicRestore(WorkflowBase):
    """2.7.0 has the route but not the trafficReset field: probed, then restored."""
    API = "classic"
    VERSION = "2.7.0"

    def test_probe_then_restore(self):
        before = counters(self.sbx.state())
        self.assertExit(self.xuictl(self.sbx, "inbound", "reset", "1", "--yes"), 0)
        [entry] = self.audit()
        r = self.xuictl(self.sbx, "traffic", "restore", entry["id"], "--yes")
        self.assertExit(r, 0)
        self.assertEqual(counters(self.sbx.state()), before)
        probe = [x for x in self.sbx.requests() if x["path"].endswith("xuictl-capability-probe")]
        self.assertEqual(len(probe), 1)


class Audit(WorkflowBase):
    def test_audit_reads_back_what_commands_wrote_including_a_failure(self):
        state = self.sbx.state()
        self.assertExit(self.xuictl(self.sbx, "inbound", "reset", "2", "--yes"), 0)
        self.sbx.control("POST", "fault", {"mode": "write-fails", "path": "clients/resetTraffic", "count": 1})
        target = state["inbounds"][0]["clients"][0]
        r = self.xuictl(self.sbx, "traffic", "reset", target["email"], "--yes")
        self.assertExit(r, 1)
        entries = self.audit()
        self.assertEqual([(e["command"], e["status"]) for e in entries],
                         [("inbound reset 2", "ok"), (f"traffic reset 1 {target['email']}", "failed")])
        ok, failed = entries
        self.assertEqual(ok["panel"], self.sbx.url)
        self.assertTrue(ok["user"])
        inbound2 = state["inbounds"][1]["clients"]
        self.assertEqual(ok["emails"], [c["email"] for c in inbound2])
        self.assertEqual([(c["email"], c["up"], c["down"]) for c in ok["before"]["clients"]],
                         [(c["email"], c["up"], c["down"]) for c in inbound2])
        self.assertEqual(ok["before"]["used"], sum(c["up"] + c["down"] for c in inbound2))
        self.assertIn("database is locked", failed["error"])
        # Table view, filters, and one entry in full.
        r = self.xuictl(self.sbx, "audit", "-o", "tsv", "--client", target["email"])
        self.assertExit(r, 0)
        rows = r.out.splitlines()
        self.assertEqual(len(rows), 2)
        # RESULT, then FLEET (empty: a single-panel run).
        self.assertTrue(rows[1].endswith("\tfailed: " + failed["error"] + "\t"), rows[1])
        r = self.xuictl(self.sbx, "audit", "--since", "2000-01-01", "-o", "json")
        self.assertEqual(len(json.loads(r.out)), 2)
        r = self.xuictl(self.sbx, "audit", "--since", "2999-01-01T00:00:00Z", "-o", "json")
        self.assertEqual(json.loads(r.out), [])
        r = self.xuictl(self.sbx, "audit", "show", failed["id"], "-o", "json")
        self.assertExit(r, 0)
        full = json.loads(r.out)
        self.assertEqual(full["plan"]["clients"][0]["email"], target["email"])
        self.assertEqual(full["status"], "failed")


class Monitoring(WorkflowBase):
    WARN, CRIT = 75, 90

    def test_thresholds_pick_exactly_the_expected_clients_and_exit_codes(self):
        state = self.sbx.state()
        now = state["now_ms"]
        expected = {c["email"]: level(c, now, self.WARN, self.CRIT)
                    for i in state["inbounds"] for c in i["clients"]}
        r = self.xuictl(self.sbx, "stats", "--warn", str(self.WARN), "--crit", str(self.CRIT), "-o", "json")
        got = json.loads(r.out)
        for lvl in ("warn", "crit", "depleted"):
            self.assertEqual(sorted(c["email"] for c in got[lvl]),
                             sorted(e for e, l in expected.items() if l == lvl), lvl)
        highest = max(expected.values(), key=RANK.index)
        self.assertExit(r, EXIT[highest])
        self.assertEqual(got["exit_code"], EXIT[highest])
        # Per client, the exit code is that client's level.
        codes = set()
        for email, lvl in expected.items():
            r = self.xuictl(self.sbx, "stats", "--warn", str(self.WARN), "--crit", str(self.CRIT),
                            "--client", email, "-o", "tsv")
            self.assertExit(r, EXIT[lvl])
            codes.add(r.code)
        self.assertTrue({0, 12} <= codes, codes)
        self.assertEqual(self.sbx.writes(), [])

    def test_prometheus_textfile_parses_and_matches_the_panel(self):
        path = os.path.join(self.work, "xuictl.prom")
        r = self.xuictl(self.sbx, "stats", "--textfile", path)
        self.assertExit(r, 0)
        self.assertEqual(r.out, "")
        self.assertEqual(stat.S_IMODE(os.stat(path).st_mode), 0o644)
        self.assertEqual(os.listdir(self.work).count("xuictl.prom"), 1)
        self.assertFalse([f for f in os.listdir(self.work) if ".tmp-" in f])
        with open(path, encoding="utf-8") as f:
            text = f.read()
        samples = parse_prometheus(text, self)
        state = self.sbx.state()
        for inbound in state["inbounds"]:
            for c in inbound["clients"]:
                labels = (("inbound", str(inbound["id"])), ("email", c["email"]))
                self.assertEqual(samples[("xuictl_client_up_bytes", labels)], c["up"])
                self.assertEqual(samples[("xuictl_client_down_bytes", labels)], c["down"])
                self.assertEqual(samples[("xuictl_client_quota_bytes", labels)], c["total"])
            remark = inbound["remark"].replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
            ilabels = (("inbound", str(inbound["id"])), ("remark", remark))
            self.assertEqual(samples[("xuictl_inbound_up_bytes", ilabels)], inbound["up"])
            self.assertEqual(samples[("xuictl_inbound_clients_used_bytes", ilabels)],
                             sum(c["up"] + c["down"] for c in inbound["clients"]))
        # The same metrics on stdout with -o prometheus.
        r = self.xuictl(self.sbx, "stats", "-o", "prometheus")
        self.assertEqual(parse_prometheus(r.out, self).keys(), samples.keys())

    def test_report_totals_match_the_panel(self):
        state = self.sbx.state()
        r = self.xuictl(self.sbx, "stats", "--report", "--top", "3", "-o", "json")
        self.assertExit(r, 0)
        got = json.loads(r.out)
        total = sum(c["up"] + c["down"] for i in state["inbounds"] for c in i["clients"])
        self.assertEqual(got["total"]["used"], total)
        for gi, si in zip(got["inbounds"], state["inbounds"]):
            self.assertEqual(gi["used"], sum(c["up"] + c["down"] for c in si["clients"]))
            self.assertAlmostEqual(gi["share"], gi["used"] * 100.0 / total, places=6)
        heaviest = sorted((c for i in state["inbounds"] for c in i["clients"]),
                          key=lambda c: -(c["up"] + c["down"]))[:3]
        self.assertEqual([c["email"] for c in got["top"]], [c["email"] for c in heaviest])
        r = self.xuictl(self.sbx, "stats", "--report", "-o", "csv", "--bytes")
        self.assertExit(r, 0)
        rows = r.out.splitlines()
        self.assertEqual(rows[0], "SCOPE,INBOUND,REMARK,EMAIL,CLIENTS,UP,DOWN,USED,QUOTA,USED%,SHARE")
        self.assertEqual(rows[1 + len(state["inbounds"])].split(",")[:8],
                         ["total", "", "", "", str(sum(len(i["clients"]) for i in state["inbounds"])),
                          str(sum(c["up"] for i in state["inbounds"] for c in i["clients"])),
                          str(sum(c["down"] for i in state["inbounds"] for c in i["clients"])), str(total)])


class Schedules(WorkflowBase):
    def cron_command(self, line):
        """The command part of a crontab line, as sh would get it."""
        fields = line.split(" ", 5)
        self.assertEqual(len(fields), 6, line)
        return fields[5].replace("\\%", "%")

    def test_cron_line_is_valid_and_runs_once_per_cycle(self):
        r = self.xuictl(self.sbx, "schedule", "print-cron", "inbound reset 2", "--monthly", "--day", "3",
                        "--at", "04:30")
        self.assertExit(r, 0)
        comment, line = r.out.splitlines()
        self.assertTrue(comment.startswith("# xuictl: inbound reset 2, monthly on day 3 at 04:30"))
        self.assertEqual(line.split(" ")[:5], ["30", "4", "3", "*", "*"])
        argv = shlex.split(self.cron_command(line))
        self.assertEqual(argv[0], os.path.realpath(XUICTL))
        self.assertTrue(os.path.isabs(argv[0]) and os.access(argv[0], os.X_OK))
        self.assertEqual(argv[1:], ["inbound", "reset", "2", "--yes", "--once-per", "month"])
        # crontab(5): minute hour day-of-month month day-of-week, then the command.
        self.assertRegex(line, r"^([0-5]?\d) ([01]?\d|2[0-3]) ([1-9]|[12]\d|3[01]|\*) \* ([0-7]|\*) /\S+ ")

        # The scheduled command itself, run twice: the second is skipped.
        env = self.env_for(self.sbx)
        first = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=60)
        self.assertEqual(first.returncode, 0, first.stderr)
        writes = self.sbx.writes()
        self.assertEqual(len(writes), 1)
        second = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=60)
        self.assertEqual(second.returncode, 0, second.stderr)
        self.assertIn("skipped: `inbound reset 2` already succeeded on " + self.sbx.url + " this month",
                      second.stderr)
        self.assertEqual(self.sbx.writes(), writes)
        self.assertEqual([e["status"] for e in self.audit()], ["ok"])

    def test_once_per_ignores_a_failed_earlier_run(self):
        self.sbx.control("POST", "fault", {"mode": "write-fails", "path": "bulkResetTraffic", "count": 1})
        r = self.xuictl(self.sbx, "inbound", "reset", "2", "--yes", "--once-per", "day")
        self.assertExit(r, 1)
        r = self.xuictl(self.sbx, "inbound", "reset", "2", "--yes", "--once-per", "day")
        self.assertExit(r, 0)
        self.assertIn("done: inbound reset 2", r.err)
        r = self.xuictl(self.sbx, "inbound", "reset", "2", "--yes", "--once-per", "day")
        self.assertExit(r, 0)
        self.assertIn("skipped:", r.err)
        self.assertEqual([e["status"] for e in self.audit()], ["failed", "ok"])

    def test_systemd_units_are_valid(self):
        r = self.xuictl(self.sbx, "schedule", "print-systemd", "clients purge-depleted --all", "--weekly",
                        "--day", "sun", "--at", "02:15")
        self.assertExit(r, 0)
        parts = re.split(r"^# ---- (\S+) ----\n", r.out, flags=re.M)
        self.assertEqual(parts[0], "")
        units = dict(zip(parts[1::2], parts[2::2]))
        name = "xuictl-clients-purge-depleted-all"
        self.assertEqual(sorted(units), [name + ".service", name + ".timer"])
        service, timer = units[name + ".service"], units[name + ".timer"]
        self.assertIn("Type=oneshot\n", service)
        exec_line = next(l for l in service.splitlines() if l.startswith("ExecStart="))
        argv = shlex.split(exec_line[len("ExecStart="):])
        self.assertEqual(argv[1:], ["clients", "purge-depleted", "--all", "--yes", "--once-per", "week"])
        self.assertTrue(os.path.isabs(argv[0]))
        self.assertIn("OnCalendar=Sun *-*-* 02:15:00\n", timer)
        self.assertIn("Persistent=true\n", timer)
        self.assertIn("WantedBy=timers.target\n", timer)
        for text in units.values():  # INI shape: [Section] or key=value or comment
            for l in text.splitlines():
                self.assertTrue(l == "" or l.startswith("#") or re.match(r"^\[[A-Za-z]+\]$", l)
                                or re.match(r"^[A-Za-z]+=\S", l), l)
        analyze = shutil.which("systemd-analyze")
        if not analyze:
            return
        unit_dir = os.path.join(self.work, "units")
        os.makedirs(unit_dir)
        for file_name, text in units.items():
            with open(os.path.join(unit_dir, file_name), "w", encoding="utf-8") as f:
                f.write(text)
        p = subprocess.run([analyze, "verify", os.path.join(unit_dir, name + ".timer"),
                            os.path.join(unit_dir, name + ".service")],
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        p = subprocess.run([analyze, "calendar", "Sun *-*-* 02:15:00"], capture_output=True, text=True)
        self.assertEqual(p.returncode, 0, p.stderr)


if __name__ == "__main__":
    unittest.main()
