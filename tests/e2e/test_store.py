"""The local database (issue 16): concurrent runs lose no record, --once-per
lets exactly one of two concurrent runs write, kill -9 at any moment leaves a
database that opens and is consistent, a locked database means no panel
write, and the previous release's files are imported and keep working.
Real xuictl processes against the real sandbox; the database is read with
Python's own sqlite3."""

import datetime
import json
import os
import signal
import sqlite3
import subprocess
import time
import unittest

from xuictl_e2e import XUICTL, E2ETest, audit_records, snapshot_of, state_db


def counters(state):
    return {c["email"]: (c["up"], c["down"]) for i in state["inbounds"] for c in i["clients"]}


def clients_of(state):
    """(inbound id, email) of every client: `traffic reset INBOUND EMAIL` on both APIs."""
    return sorted((str(i["id"]), c["email"]) for i in state["inbounds"] for c in i["clients"])


class StoreBase(E2ETest):
    API = "v3"

    def setUp(self):
        super().setUp()
        self.sbx = self.sandbox("--api", self.API)
        self.state_dir = os.path.join(self.home, ".local", "state", "xuictl")

    def start(self, *args):
        return subprocess.Popen([XUICTL, *args], env=self.env_for(self.sbx), stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                start_new_session=True)

    def finish_all(self, procs):
        results = []
        for p in procs:
            out, err = p.communicate(timeout=60)
            results.append((p.returncode, out, err))
        return results

    def assert_consistent(self):
        """The database passes SQLite's own checks, xuictl opens and lists it
        (migrating it first if a run was killed before its schema was
        committed), and every outcome belongs to a record."""
        con = sqlite3.connect(state_db(self.state_dir))
        try:
            self.assertEqual(con.execute("PRAGMA integrity_check").fetchall(), [("ok",)])
            self.assertEqual(con.execute("PRAGMA foreign_key_check").fetchall(), [])
        finally:
            con.close()
        r = self.xuictl(self.sbx, "audit", "-o", "json")
        self.assertExit(r, 0)
        con = sqlite3.connect(state_db(self.state_dir))
        try:
            self.assertEqual(con.execute("SELECT count(*) FROM outcomes WHERE operation_id NOT IN"
                                         " (SELECT id FROM operations)").fetchone(), (0,))
        finally:
            con.close()
        return json.loads(r.out)

    def writes_to(self, route):
        return [w for w in self.sbx.writes() if route in w]


class Concurrency(StoreBase):
    def test_concurrent_resets_each_leave_one_complete_record(self):
        # Log in once so the runs share a cached session (a cron box does too).
        self.assertExit(self.xuictl(self.sbx, "login"), 0)
        targets = clients_of(self.sbx.state())[:6]
        procs = [self.start("traffic", "reset", i, e, "--yes") for i, e in targets]
        results = self.finish_all(procs)
        for code, _, err in results:
            self.assertEqual(code, 0, err)
        records = audit_records(self.state_dir)
        self.assertEqual(len(records), 6, records)
        self.assertEqual(sorted(r["command"] for r in records),
                         sorted(f"traffic reset {i} {e}" for i, e in targets))
        self.assertEqual({r["status"] for r in records}, {"ok"})
        self.assertEqual(len({r["id"] for r in records}), 6)
        for r in records:
            self.assertIsNotNone(snapshot_of(self.state_dir, r["id"]))
        self.assertEqual(len(self.assert_consistent()), 6)

    def test_concurrent_once_per_runs_write_exactly_once(self):
        self.assertExit(self.xuictl(self.sbx, "login"), 0)
        route = "bulkResetTraffic" if self.API == "v3" else "resetAllClientTraffics"
        for inbound in ("1", "2"):
            procs = [self.start("inbound", "reset", inbound, "--yes", "--once-per", "month")
                     for _ in range(4)]
            results = self.finish_all(procs)
            for code, _, err in results:
                self.assertEqual(code, 0, err)
            skipped = [err for _, _, err in results if "skipped: `inbound reset " + inbound + "`" in err]
            done = [err for _, _, err in results if "done: inbound reset " + inbound in err]
            self.assertEqual((len(done), len(skipped)), (1, 3), results)
        # The sandbox saw exactly one write per inbound.
        writes = self.writes_to(route)
        self.assertEqual(len(writes), 2, self.sbx.writes())
        records = audit_records(self.state_dir)
        self.assertEqual([(r["command"], r["status"]) for r in records],
                         [("inbound reset 1", "ok"), ("inbound reset 2", "ok")])
        self.assert_consistent()


class ClassicConcurrency(Concurrency):
    API = "classic"


class Crash(StoreBase):
    def test_kill_9_at_any_moment_leaves_a_consistent_database(self):
        self.assertExit(self.xuictl(self.sbx, "login"), 0)
        targets = clients_of(self.sbx.state())
        # Kill after a spread of delays: while opening/migrating, recording,
        # writing to the panel, verifying, recording the outcome.
        for i in range(12):
            proc = self.start("traffic", "reset", *targets[i % len(targets)], "--yes")
            time.sleep(0.004 * i)
            os.kill(proc.pid, signal.SIGKILL)
            proc.communicate(timeout=30)
            if os.path.exists(state_db(self.state_dir)):
                listed = self.assert_consistent()
                self.assertEqual(len(listed), len(audit_records(self.state_dir)))
        # And after all that, a normal run records normally.
        r = self.xuictl(self.sbx, "traffic", "reset", *targets[0], "--yes")
        self.assertExit(r, 0)
        records = audit_records(self.state_dir)
        self.assertEqual(records[-1]["status"], "ok")
        self.assertTrue(all(r["status"] in ("ok", "pending") for r in records), records)
        self.assert_consistent()

    def test_a_once_per_run_killed_mid_write_does_not_use_up_the_cycle(self):
        self.assertExit(self.xuictl(self.sbx, "login"), 0)
        route = "bulkResetTraffic" if self.API == "v3" else "resetAllClientTraffics"
        self.sbx.control("POST", "fault", {"mode": "slow", "path": route, "count": 1, "delay_ms": 3000})
        proc = self.start("inbound", "reset", "1", "--yes", "--once-per", "month")
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not any(
                r["status"] == "pending" for r in audit_records(self.state_dir)):
            time.sleep(0.02)
        os.kill(proc.pid, signal.SIGKILL)
        proc.communicate(timeout=30)
        [killed] = audit_records(self.state_dir)
        self.assertEqual(killed["status"], "pending")
        # Its process is gone: the next run takes the cycle over and writes.
        r = self.xuictl(self.sbx, "inbound", "reset", "1", "--yes", "--once-per", "month")
        self.assertExit(r, 0)
        self.assertIn("done: inbound reset 1", r.err)
        self.assertEqual([x["status"] for x in audit_records(self.state_dir)], ["pending", "ok"])
        self.assert_consistent()


class Locked(StoreBase):
    def test_a_database_locked_past_the_timeout_means_no_write(self):
        self.assertExit(self.xuictl(self.sbx, "inbound", "reset", "1", "--yes"), 0)
        writes = len(self.sbx.writes())
        con = sqlite3.connect(state_db(self.state_dir), isolation_level=None)
        try:
            con.execute("BEGIN IMMEDIATE")
            r = self.xuictl(self.sbx, "inbound", "reset", "2", "--yes")
        finally:
            con.execute("ROLLBACK")
            con.close()
        self.assertExit(r, 1)
        self.assertIn("xuictl: error: nothing was sent to the panel: " + state_db(self.state_dir), r.err)
        self.assertIn("hint: another xuictl is writing to it", r.err)
        self.assertEqual(len(self.sbx.writes()), writes)
        self.assertEqual(len(audit_records(self.state_dir)), 1)


class Prune(StoreBase):
    def test_prune_asks_on_a_terminal_and_refuses_without_one(self):
        for inbound in ("1", "2"):
            self.assertExit(self.xuictl(self.sbx, "inbound", "reset", inbound, "--yes"), 0)
        tomorrow = (datetime.date.today() + datetime.timedelta(days=2)).isoformat()
        requests = len(self.sbx.requests())
        # No terminal, no --yes: refused, nothing removed.
        r = self.xuictl(self.sbx, "audit", "prune", "--before", tomorrow)
        self.assertExit(r, 3)
        self.assertIn("refusing to remove audit records without confirmation: no terminal", r.err)
        self.assertEqual(len(audit_records(self.state_dir)), 2)
        # Nothing that old: nothing asked, nothing removed.
        r = self.xuictl(self.sbx, "audit", "prune", "--before", "2001-01-01")
        self.assertExit(r, 0)
        self.assertIn("nothing to prune", r.err)
        # A real terminal: the wrong phrase aborts, the right one prunes.
        screen = self.xuictl_tty(self.sbx, "audit", "prune", "--before", tomorrow, answers=["yes"])
        self.assertExit(screen, 3)
        self.assertEqual(len(audit_records(self.state_dir)), 2)
        screen = self.xuictl_tty(self.sbx, "audit", "prune", "--before", tomorrow, answers=["prune 2"])
        self.assertExit(screen, 0)
        self.assertIn("pruned 2 audit record(s) and 2 snapshot(s)", screen.out + screen.err)
        self.assertEqual(audit_records(self.state_dir), [])
        self.assertEqual(len(self.sbx.requests()), requests, "prune never talks to the panel")
        self.assert_consistent()


class Import(StoreBase):
    """Files the previous release wrote (audit.jsonl, snapshots/<id>.json),
    written here byte for byte in its format."""

    def write_old_files(self, torn=True):
        state = self.sbx.state()
        inbound = state["inbounds"][0]
        clients = [{"inbound_id": inbound["id"], "email": c["email"], "up": c["up"] + 1000,
                    "down": c["down"] + 2000, "used": c["up"] + c["down"] + 3000, "quota": 0}
                   for c in inbound["clients"]]
        plan = {"operation": "reset_inbound_clients", "command": "inbound reset 1",
                "phrase": f"RESET {len(clients)} CLIENTS", "api": "v3", "clients": clients}
        plan_text = json.dumps(plan, separators=(",", ":"))
        op_id = "20261101T000000Z-0a0b"
        os.makedirs(os.path.join(self.state_dir, "snapshots"), mode=0o700)
        line = ('{"id":"%s","time_ms":1761955200000,"user":"ops","host":"old","panel":"%s",'
                '"command":"inbound reset 1","insecure":false,"snapshot":"%s","status":"ok","error":"",'
                '"mismatches":[],"done":[],"not_done":[],"finished_ms":1761955201000,"plan":%s}'
                % (op_id, self.sbx.url, os.path.join(self.state_dir, "snapshots", op_id + ".json"),
                   plan_text))
        with open(os.path.join(self.state_dir, "audit.jsonl"), "w", encoding="utf-8") as f:
            f.write(line + "\n")
            if torn:
                f.write('{"id":"20261102T000000Z-dead","time_ms":17619')  # crash mid-append
        snapshot = ('{"id":"%s","panel":"%s","taken_at_ms":1761955200000,"command":"inbound reset 1",'
                    '"plan":%s}\n' % (op_id, self.sbx.url, plan_text))
        with open(os.path.join(self.state_dir, "snapshots", op_id + ".json"), "w", encoding="utf-8") as f:
            f.write(snapshot)
        return op_id, line, snapshot, {c["email"]: (c["up"], c["down"]) for c in clients}

    def test_old_files_are_imported_once_and_restore_works_on_them(self):
        op_id, line, snapshot, expected = self.write_old_files()
        r = self.xuictl(self.sbx, "audit", "-o", "json")
        self.assertExit(r, 0)
        self.assertIn("warning: import: skipped " + os.path.join(self.state_dir, "audit.jsonl") + " line 2",
                      r.err)
        self.assertIn("imported 1 audit record(s) and 1 snapshot(s)", r.err)
        [entry] = json.loads(r.out)
        self.assertEqual((entry["id"], entry["status"], entry["user"]), (op_id, "ok", "ops"))
        # Lossless: the record reads back as the line, the snapshot as the file.
        r = self.xuictl(self.sbx, "audit", "show", op_id, "-o", "json")
        self.assertExit(r, 0)
        self.assertEqual(json.loads(r.out), json.loads(line))
        self.assertEqual(snapshot_of(self.state_dir, op_id), json.loads(snapshot))
        self.assertFalse(os.path.exists(os.path.join(self.state_dir, "audit.jsonl")))
        with open(os.path.join(self.state_dir, "audit.jsonl.imported"), encoding="utf-8") as f:
            self.assertTrue(f.read().startswith(line))
        self.assertTrue(os.path.exists(os.path.join(self.state_dir, "snapshots.imported", op_id + ".json")))
        # The plan is stored once: the snapshot row does not repeat it.
        con = sqlite3.connect(state_db(self.state_dir))
        try:
            [(body,)] = con.execute("SELECT body FROM snapshots WHERE id = ?", (op_id,)).fetchall()
        finally:
            con.close()
        self.assertNotIn('"plan"', body)

        # traffic restore works on the imported snapshot.
        r = self.xuictl(self.sbx, "traffic", "restore", op_id, "--yes")
        self.assertExit(r, 0)
        after = counters(self.sbx.state())
        self.assertEqual({e: after[e] for e in expected}, expected)
        # A second run imports nothing and warns about nothing.
        r = self.xuictl(self.sbx, "audit")
        self.assertExit(r, 0)
        self.assertNotIn("import", r.err)
        self.assertEqual([x["status"] for x in self.assert_consistent()], ["ok", "ok"])


if __name__ == "__main__":
    unittest.main()
