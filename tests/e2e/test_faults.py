"""e2e: xuictl under every sandbox fault mode, on both API generations (issue 8).

Each fault gives one `xuictl: error:` line naming what failed and where, a
`hint:` line saying what to try, the DESIGN §5 exit code, and never a crash or
a hang. Failed reads write nothing (no write request, no audit line); failed
writes leave an audit line with the outcome and the snapshot. v3.1.x panels
reset/delete one client per request: a failure part-way is exit 7 and the
audit line lists what was done and what not; Ctrl-C or SIGTERM during such a
write stops before the next request and records "interrupted" (exit 3)."""
import glob
import json
import os
import signal
import sqlite3
import subprocess
import time
import unittest

from xuictl_e2e import XUICTL, E2ETest, audit_records, snapshot_of, state_db


class FaultHelpers(E2ETest):
    API = "v3"
    VERSION = None  # None: the sandbox default for API

    def setUp(self):
        super().setUp()
        args = ["--api", self.API] + (["--panel-version", self.VERSION] if self.VERSION else [])
        self.sbx = self.sandbox(*args)
        self.before = self.sbx.state()
        self.state_dir = os.path.join(self.home, ".local", "state", "xuictl")
        self.base = self.sbx.info["base_path"]

    # --- helpers -------------------------------------------------------------

    def fault(self, mode, path, count=1, delay_ms=None):
        body = {"mode": mode, "path": path, "count": count}
        if delay_ms is not None:
            body["delay_ms"] = delay_ms
        self.sbx.control("POST", "fault", body)

    def audit_lines(self):
        return audit_records(self.state_dir)

    def only_audit(self, status):
        lines = self.audit_lines()
        self.assertEqual(len(lines), 1, lines)
        self.assertEqual(lines[0]["status"], status, lines[0])
        self.assertIsNotNone(snapshot_of(self.state_dir, lines[0]["snapshot"]), "the snapshot is kept")
        return lines[0]

    def assert_one_error(self, r, *fragments):
        """Exactly one error line, naming every fragment; a hint line follows."""
        errors = [l for l in r.err.splitlines() if l.startswith("xuictl: error:")]
        self.assertEqual(len(errors), 1, repr(r))
        for fragment in fragments:
            self.assertIn(fragment, errors[0], repr(r))
        self.assertIn("\nhint: ", r.err, repr(r))
        self.assertNotIn("Traceback", r.err)
        return errors[0]

    def assert_nothing_written(self):
        self.assertEqual(self.sbx.writes(), [])
        self.assertEqual(self.sbx.state()["inbounds"], self.before["inbounds"])
        self.assertEqual(self.audit_lines(), [])

    def clients_before(self):
        return {c["email"]: c for i in self.before["inbounds"] for c in i["clients"]}

    def target(self):
        return next(c for c in self.before["inbounds"][0]["clients"] if c["up"] + c["down"] > 0)

    def reset_one_args(self, email):
        return ["traffic", "reset", email] if self.API == "v3" else ["traffic", "reset", "1", email]

    def reset_route(self):
        return "clients/resetTraffic/" if self.API == "v3" else "/resetClientTraffic/"

    def counters(self, email):
        c = self.sbx.clients()[email]
        return c["up"], c["down"]


class FaultTests(FaultHelpers):
    """The same faults on each API generation (subclasses pick it)."""

    # --- reads that fail: exit 1, nothing written -----------------------------

    def test_http500_on_list_writes_nothing(self):
        self.fault("http500", "inbounds/list")
        r = self.xuictl(self.sbx, "inbound", "reset", "1", "--yes")
        self.assertExit(r, 1)
        self.assert_one_error(r, "HTTP 500", "inbounds/list")
        self.assert_nothing_written()

    def test_dropped_connection_on_list_writes_nothing(self):
        # count 0: every time, because libcurl itself retries a request once
        # when a reused keep-alive connection dies before any answer.
        self.fault("drop", "inbounds/list", count=0)
        r = self.xuictl(self.sbx, "clients", "purge-depleted", "--all", "--yes")
        self.assertExit(r, 1)
        self.assert_one_error(r, "connection to 127.0.0.1", "inbounds/list")
        self.assertIn("retry", r.err)
        self.assert_nothing_written()

    def test_slow_list_past_timeout_names_the_option(self):
        self.fault("slow", "inbounds/list", delay_ms=4000)
        started = time.monotonic()
        r = self.xuictl(self.sbx, "--timeout", "1", *self.reset_one_args(self.target()["email"]), "--yes")
        self.assertLess(time.monotonic() - started, 3.5, "the timeout bounds the run")
        self.assertExit(r, 1)
        self.assert_one_error(r, "did not answer in time", "inbounds/list")
        self.assertIn("raise --timeout (now 1 s)", r.err)
        self.assert_nothing_written()

    def test_malformed_and_truncated_json_name_what_could_not_be_read(self):
        for mode in ("malformed-json", "truncated-json"):
            self.fault(mode, "inbounds/list")
            r = self.xuictl(self.sbx, "inbound", "reset", "1", "--yes")
            self.assertExit(r, 1)
            self.assert_one_error(r, "invalid JSON for the inbound list", "inbounds/list: HTTP 200")
        self.assert_nothing_written()

    def test_stats_read_faults_exit_1(self):
        for mode in ("http500", "drop", "malformed-json", "truncated-json"):
            self.fault(mode, "inbounds/list", count=0)
            r = self.xuictl(self.sbx, "stats")
            self.assertExit(r, 1)
            self.assert_one_error(r, "inbounds/list")
            self.assertEqual(r.out, "", mode)
            self.sbx.control("POST", "fault", {"mode": "none"})

    def test_one_dropped_connection_is_retried_once_by_libcurl(self):
        self.fault("drop", "inbounds/list", count=1)
        r = self.xuictl(self.sbx, "stats")
        self.assertExit(r, 0)
        lists = [x for x in self.sbx.requests() if "inbounds/list" in x["path"]]
        self.assertEqual([x["status"] for x in lists], [0, 200])

    # --- logged out: one re-login, then success -------------------------------

    def test_login_page_instead_of_json_logs_in_once_more(self):
        self.assertExit(self.xuictl(self.sbx, "stats"), 0)  # a cached session
        self.fault("login-page", "inbounds/list")
        r = self.xuictl(self.sbx, "stats")
        self.assertExit(r, 0)
        self.assertEqual(len(self.sbx.logins()), 2, self.sbx.request_lines())
        self.assertIn(self.target()["email"], r.out)

    def test_login_page_every_time_is_an_auth_error_not_a_loop(self):
        self.fault("login-page", "inbounds/list", count=0)
        r = self.xuictl(self.sbx, "inbound", "reset", "1", "--yes")
        self.assertExit(r, 4)
        self.assert_one_error(r, "still treats us as logged out", "inbounds/list")
        self.assertEqual(len(self.sbx.logins()), 2, "the first login and one re-login, no more")
        self.assert_nothing_written()

    def test_session_expiry_before_the_write_sends_it_once_and_applies_nothing(self):
        # A write is sent at most once (issue 15 §4): the panel's "logged out"
        # answer (classic: an empty 404, v3: 401) turned it away before any
        # handler ran, so xuictl neither logs in again nor resends it.
        email = self.target()["email"]
        before = self.counters(email)
        self.fault("expire-session", self.reset_route())
        r = self.xuictl(self.sbx, *self.reset_one_args(email), "--yes")
        self.assertExit(r, 6 if self.API == "classic" else 4)
        self.assertIn("nothing was applied", r.err)
        self.assertEqual(len(self.sbx.logins()), 1, self.sbx.request_lines())
        attempts = [x for x in self.sbx.requests() if self.reset_route() in x["path"]]
        self.assertEqual(len(attempts), 1, "sent once, never again after a re-login")
        self.assertEqual(self.counters(email), before)
        self.only_audit("failed")

    def test_cached_session_expired_between_runs_relogs_once(self):
        self.assertExit(self.xuictl(self.sbx, "stats"), 0)
        self.sbx.control("POST", "expire-sessions")
        r = self.xuictl(self.sbx, "inbound", "reset", "1", "--yes")
        self.assertExit(r, 0)
        self.assertEqual(len(self.sbx.logins()), 2)
        self.only_audit("ok")

    def test_html_page_for_the_write_is_judged_by_a_re_read_never_resent(self):
        # A 200 page for a write is not the panel saying "logged out" (that
        # is 401/404/30x): the write may have been handled, so no re-login
        # and no second copy; the re-read shows it was not applied.
        email = self.target()["email"]
        self.fault("login-page", self.reset_route())
        r = self.xuictl(self.sbx, *self.reset_one_args(email), "--yes")
        self.assertExit(r, 1)
        self.assert_one_error(r, "not applied: the write got no clear answer", "HTML page")
        self.assertEqual(len(self.sbx.logins()), 1)
        self.assertEqual(len(self.writes_to(self.reset_route())), 1, "sent once")
        self.assertEqual(self.counters(email), (self.target()["up"], self.target()["down"]))
        self.assertEqual(self.only_audit("not_applied")["not_done"], [email])

    def writes_to(self, route):
        return [x for x in self.sbx.requests() if x["method"] == "POST" and route in x["path"]]

    def test_applied_write_whose_answer_is_lost_succeeds_with_a_warning(self):
        used = [c["email"] for c in self.before["inbounds"][0]["clients"] if c["up"] + c["down"] > 0]
        for mode, email in zip(("applied-drop", "applied-http500", "applied-html"), used):
            with self.subTest(mode=mode):
                self.sbx.control("POST", "reset-log")
                self.fault(mode, self.reset_route())
                r = self.xuictl(self.sbx, *self.reset_one_args(email), "--yes", "-o", "json")
                self.assertExit(r, 0)
                self.assertIn("warning: the panel's answer to the write was lost", r.err)
                self.assertIn("re-reading shows it was applied", r.err)
                self.assertEqual(len(self.writes_to(self.reset_route())), 1, "sent once: " + mode)
                self.assertEqual(self.counters(email), (0, 0))
                result = json.loads(r.out.splitlines()[-1])
                self.assertEqual((result["status"], result["answer_lost"], result["done"]),
                                 ("ok", True, [email]))
                self.assertEqual(result["exit_code"], 0)
                entry = self.audit_lines()[-1]
                self.assertEqual((entry["status"], entry["done"], entry["id"]),
                                 ("ok", [email], result["id"]))
                self.assertIn("answer was lost", entry["error"])
                self.sbx.control("POST", "fault", {"mode": "none"})

    # --- writes that fail ------------------------------------------------------

    def test_write_refused_records_failed_and_keeps_the_snapshot(self):
        email = self.target()["email"]
        self.fault("write-fails", self.reset_route())
        r = self.xuictl(self.sbx, *self.reset_one_args(email), "--yes")
        self.assertExit(r, 1)
        line = self.assert_one_error(r, "database is locked", self.reset_route())
        self.assertTrue(line.endswith(")"), "the panel's message stays on one line")
        self.assertIn("most likely applied nothing", r.err)
        self.assertIn("xuictl stats --client " + email, r.err)
        entry = self.only_audit("failed")
        self.assertEqual(entry["not_done"], [email])
        self.assertIn(entry["snapshot"], r.err)
        self.assertEqual(self.counters(email), (self.target()["up"], self.target()["down"]))

    def test_write_timeout_is_not_applied_yet_and_says_the_panel_may_still_apply_it(self):
        email = self.target()["email"]
        self.fault("slow", self.reset_route(), delay_ms=2500)
        r = self.xuictl(self.sbx, "--timeout", "1", *self.reset_one_args(email), "--yes")
        self.assertExit(r, 1)
        self.assert_one_error(r, "not applied", "did not answer in time")
        self.assertIn("may still apply it", r.err)
        self.assertIn("xuictl stats --client " + email, r.err)
        self.only_audit("not_applied")
        # ...and it did: the panel finished the request after xuictl gave up.
        deadline = time.monotonic() + 10
        while self.counters(email) != (0, 0) and time.monotonic() < deadline:
            time.sleep(0.1)
        self.assertEqual(self.counters(email), (0, 0))
        self.assertTrue(_run_until(lambda: len(self.writes_to(self.reset_route())) >= 1))
        self.assertEqual(len(self.writes_to(self.reset_route())), 1, "never resent")

    def test_dropped_write_is_sent_once_and_judged_not_applied(self):
        # The write goes out on a fresh connection: libcurl resends a request
        # whose *reused* keep-alive connection dies before an answer, and the
        # plan's list and login came over one. count=0: a resend would show.
        email = self.target()["email"]
        self.fault("drop", self.reset_route(), count=0)
        r = self.xuictl(self.sbx, *self.reset_one_args(email), "--yes", "-o", "json")
        self.assertExit(r, 1)
        self.assert_one_error(r, "not applied: the write got no clear answer", "connection to 127.0.0.1")
        self.assertEqual([x["status"] for x in self.writes_to(self.reset_route())], [0], "sent once")
        self.assertEqual(self.counters(email), (self.target()["up"], self.target()["down"]))
        entry = self.only_audit("not_applied")
        result = json.loads(r.out.splitlines()[-1])
        self.assertEqual((result["status"], result["not_done"], result["id"]),
                         ("not_applied", [email], entry["id"]))

    def test_applied_then_dropped_on_a_kept_alive_connection_goes_out_once(self):
        # The case seen in the field: the panel applied the write, the
        # connection died before the answer, libcurl sent it again.
        email = self.target()["email"]
        self.fault("applied-drop", self.reset_route(), count=0)
        r = self.xuictl(self.sbx, *self.reset_one_args(email), "--yes")
        self.assertExit(r, 0)
        self.assertEqual([x["status"] for x in self.writes_to(self.reset_route())], [0], "sent once")
        self.assertEqual(self.counters(email), (0, 0))
        self.only_audit("ok")

    def test_reset_that_reverts_fails_verification_naming_the_client(self):
        email = self.target()["email"]
        self.fault("reset-reverts", self.reset_route())
        r = self.xuictl(self.sbx, *self.reset_one_args(email), "--yes")
        self.assertExit(r, 1)
        self.assertIn("verification failed for 1 target(s)", r.err)
        self.assertIn("  " + email + ": still", r.err)
        entry = self.only_audit("verify_failed")
        self.assertEqual(len(entry["mismatches"]), 1)
        self.assertIn(email, entry["mismatches"][0])

    def test_inbound_reset_that_reverts_names_every_client(self):
        route = "bulkResetTraffic" if self.API == "v3" else "resetAllClientTraffics"
        self.fault("reset-reverts", route)
        r = self.xuictl(self.sbx, "inbound", "reset", "1", "--yes")
        self.assertExit(r, 1)
        used = [c["email"] for c in self.before["inbounds"][0]["clients"] if c["up"] + c["down"] > 0]
        for email in used:
            self.assertIn("  " + email + ": still", r.err)
        self.assertEqual(len(self.only_audit("verify_failed")["mismatches"]), len(used))


class ClassicFaults(FaultTests):
    API = "classic"


class V3Faults(FaultTests):
    API = "v3"


def _run_until(predicate, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return False


class InterruptHelpers(FaultHelpers):
    """SIGINT/SIGTERM while a write is in flight (the sandbox answers slowly)."""

    def start(self, *args):
        return subprocess.Popen([XUICTL, *args], env=self.env_for(self.sbx), stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                start_new_session=True)

    def write_pending(self):
        lines = self.audit_lines()
        return bool(lines) and lines[-1]["status"] == "pending"

    def finish(self, proc):
        out, err = proc.communicate(timeout=30)
        return proc.returncode, out, err

    def assert_state_files_intact(self):
        for path in glob.glob(os.path.join(self.state_dir, "**", "*"), recursive=True):
            self.assertNotIn(".tmp-", path, "no temp file left behind")
        db = state_db(self.state_dir)
        if os.path.exists(db):
            con = sqlite3.connect(db)
            try:
                self.assertEqual(con.execute("PRAGMA integrity_check").fetchall(), [("ok",)])
            finally:
                con.close()


class OldV3Faults(InterruptHelpers):
    """v3.1.x: one request per client, so a write can be cut part-way."""
    API = "v3"
    VERSION = "3.1.0"

    def inbound1(self):
        return [c["email"] for c in self.before["inbounds"][0]["clients"]]

    def assert_split(self, entry, done, not_done):
        """The audit lists reset/not reset, and the panel's counters agree."""
        self.assertEqual(entry["done"], done)
        self.assertEqual(entry["not_done"], not_done)
        before = self.clients_before()
        for email in done:
            self.assertEqual(self.counters(email), (0, 0), email)
        for email in not_done:
            self.assertEqual(self.counters(email), (before[email]["up"], before[email]["down"]), email)

    def test_inbound_reset_failing_at_the_third_client_is_partial(self):
        emails = self.inbound1()
        self.fault("write-fails", "resetTraffic/" + emails[2].replace("@", "%40"))
        r = self.xuictl(self.sbx, "inbound", "reset", "1", "--yes")
        self.assertExit(r, 7)
        self.assert_one_error(r, f"2 of {len(emails)} clients done, {len(emails) - 2} not done",
                              "failed at " + emails[2], "database is locked")
        self.assertIn(f"lists the 2 done and the {len(emails) - 2} not done", r.err)
        entry = self.only_audit("partial")
        self.assert_split(entry, emails[:2], emails[2:])
        self.assertEqual(len(self.sbx.writes()), 3, "nothing sent after the failure")

    def test_purge_failing_part_way_is_partial(self):
        plan = self.xuictl(self.sbx, "clients", "purge-depleted", "1", "--dry-run", "-o", "json")
        self.assertExit(plan, 0)
        doomed = [c["email"] for c in json.loads(plan.out.splitlines()[0])["clients"]]
        self.assertGreaterEqual(len(doomed), 2)
        self.fault("drop", "clients/del/" + doomed[1].replace("@", "%40"), count=0)
        r = self.xuictl(self.sbx, "clients", "purge-depleted", "1", "--yes")
        self.assertExit(r, 7)
        self.assert_one_error(r, f"1 of {len(doomed)} clients done", "failed at " + doomed[1])
        entry = self.only_audit("partial")
        self.assertEqual(entry["done"], doomed[:1])
        self.assertEqual(entry["not_done"], doomed[1:])
        remaining = self.sbx.clients()
        self.assertNotIn(doomed[0], remaining)
        for email in doomed[1:]:
            self.assertIn(email, remaining)

    def test_failure_at_the_first_client_is_a_plain_failure(self):
        emails = self.inbound1()
        self.fault("write-fails", "resetTraffic/" + emails[0].replace("@", "%40"))
        r = self.xuictl(self.sbx, "inbound", "reset", "1", "--yes")
        self.assertExit(r, 1)
        entry = self.only_audit("failed")
        self.assert_split(entry, [], emails)

    def interrupt_multi_request_write(self, sig):
        emails = self.inbound1()
        self.fault("slow", "resetTraffic/", count=0, delay_ms=400)
        proc = self.start("inbound", "reset", "1", "--yes")
        try:
            sent = lambda: [x for x in self.sbx.requests() if "resetTraffic/" in x["path"]]
            self.assertTrue(_run_until(lambda: len(sent()) >= 1), "the write started")
            os.kill(proc.pid, sig)
            code, _, err = self.finish(proc)
        finally:
            if proc.poll() is None:
                proc.kill()
        self.assertEqual(code, 3, err)
        name = "SIGINT" if sig == signal.SIGINT else "SIGTERM"
        self.assertIn(f"xuictl: error: interrupted by {name}: ", err)
        self.assertIn("re-running the command does the rest", err)
        entry = self.only_audit("interrupted")
        done, not_done = entry["done"], entry["not_done"]
        self.assertEqual(done + not_done, emails)
        self.assertGreaterEqual(len(done), 1)
        self.assertGreaterEqual(len(not_done), 1, "stopped before the end")
        self.assertIn(f"{len(done)} of {len(emails)} target(s) done, {len(not_done)} not sent", err)
        time.sleep(0.6)  # anything still coming would arrive now
        self.assertEqual(len(sent()), len(done), "no request after the interrupt")
        self.assert_split(entry, done, not_done)
        self.assert_state_files_intact()

    def test_sigint_stops_between_requests_and_records_interrupted(self):
        self.interrupt_multi_request_write(signal.SIGINT)

    def test_sigterm_stops_between_requests_and_records_interrupted(self):
        self.interrupt_multi_request_write(signal.SIGTERM)


class SingleWriteInterrupt(InterruptHelpers):
    """One-request writes: the request in flight finishes, then xuictl stops."""
    API = "v3"

    def test_sigint_lets_the_write_in_flight_finish(self):
        route = "bulkResetTraffic" if self.API == "v3" else "resetAllClientTraffics"
        self.fault("slow", route, delay_ms=1500)
        proc = self.start("inbound", "reset", "1", "--yes")
        try:
            self.assertTrue(_run_until(self.write_pending), "the write started")
            time.sleep(0.3)
            os.kill(proc.pid, signal.SIGINT)
            code, _, err = self.finish(proc)
        finally:
            if proc.poll() is None:
                proc.kill()
        self.assertEqual(code, 3, err)
        self.assertIn("interrupted by SIGINT after the write finished", err)
        entry = self.only_audit("interrupted")
        self.assertEqual(entry["done"], [c["email"] for c in self.before["inbounds"][0]["clients"]])
        self.assertEqual(entry["not_done"], [])
        for c in self.before["inbounds"][0]["clients"]:
            self.assertEqual(self.counters(c["email"]), (0, 0))
        self.assert_state_files_intact()


class ClassicSingleWriteInterrupt(SingleWriteInterrupt):
    API = "classic"


del FaultTests  # a base: runs through its subclasses only

if __name__ == "__main__":
    unittest.main()
