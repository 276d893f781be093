"""e2e: usage history (issue 16) — `xuictl collect` samples, counter resets
(the panel's own and ours), and the --since/--from/--lifetime/--by queries,
checked byte for byte against a scripted sequence of sandbox counter
changes, on both API generations. Collect times come from the test-only
XUICTL_TEST_NOW_MS clock; TZ=UTC keeps local days fixed."""
import calendar
import json
import os
import signal
import sqlite3
import subprocess
import time
import unittest

from xuictl_e2e import XUICTL, E2ETest, state_db

HOUR = 3600 * 1000
# 2026-11-02 00:00:00 UTC
T0 = calendar.timegm((2026, 11, 2, 0, 0, 0)) * 1000


def iso(ms):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ms / 1000))


class HistoryTest(E2ETest):
    def at(self, sbx, ms, *args):
        return self.xuictl(sbx, *args, XUICTL_TEST_NOW_MS=str(ms), TZ="UTC")

    def collect(self, sbx, ms):
        r = self.at(sbx, ms, "collect", "-o", "json")
        self.assertEqual(r.code, 0, r)
        return json.loads(r.out)

    def set_counters(self, sbx, email, up, down):
        sbx.control("POST", "traffic", {"email": email, "up": up, "down": down})

    def clients_by_email(self, result_json):
        return {c["email"]: c for c in result_json["clients"]}

    def scripted_sequence(self, api):
        sbx = self.sandbox("--api", api, "--inbounds", "2", "--clients", "3")
        state = sbx.state()
        inbound = state["inbounds"][0]
        a, b = inbound["clients"][0], inbound["clients"][1]
        ea, u0, d0 = a["email"], a["up"], a["down"]
        self.assertEqual(self.collect(sbx, T0)["first"], True)
        self.set_counters(sbx, ea, u0 + 100, d0 + 200)
        got = self.collect(sbx, T0 + HOUR)
        self.assertEqual((got["moved"], got["resets"]), (1, 0))
        # Unchanged counters write nothing.
        self.assertEqual(self.collect(sbx, T0 + 2 * HOUR)["moved"], 0)
        self.set_counters(sbx, ea, u0 + 150, d0 + 260)
        self.collect(sbx, T0 + 3 * HOUR)
        # The panel's own reset (auto-renew, periodic): counters went down.
        self.set_counters(sbx, ea, 10, 20)
        got = self.collect(sbx, T0 + 4 * HOUR)
        self.assertEqual((got["moved"], got["resets"]), (1, 1))
        self.set_counters(sbx, ea, 40, 70)
        self.collect(sbx, T0 + 5 * HOUR)
        # Our reset: its plan read is a sample (45, 75), then the panel zeroes A.
        self.set_counters(sbx, ea, 45, 75)
        r = self.at(sbx, T0 + 6 * HOUR, "traffic", "reset", str(inbound["id"]), ea, "--yes")
        self.assertEqual(r.code, 0, r)
        self.set_counters(sbx, ea, 7, 9)
        got = self.collect(sbx, T0 + 7 * HOUR)
        self.assertEqual((got["moved"], got["resets"]), (1, 1))
        now = T0 + 7 * HOUR + 60 * 1000

        # --lifetime: counters when first seen plus every delta since.
        r = self.at(sbx, now, "stats", "--lifetime", "-o", "json")
        self.assertEqual(r.code, 0, r)
        life = json.loads(r.out)
        rows = self.clients_by_email(life)
        self.assertEqual((rows[ea]["up"], rows[ea]["down"]),
                         (u0 + 150 + 40 + 5 + 7, d0 + 260 + 70 + 5 + 9))
        self.assertEqual((rows[b["email"]]["up"], rows[b["email"]]["down"]), (b["up"], b["down"]))
        self.assertEqual(life["window"]["covered"], [{"from_ms": T0, "to_ms": T0 + 7 * HOUR}])
        self.assertEqual(len(rows), sum(len(i["clients"]) for i in state["inbounds"]))

        # --from (exact sample time): samples seen after it, to now.
        r = self.at(sbx, now, "stats", "--from", iso(T0 + 3 * HOUR), "-o", "json")
        got = json.loads(r.out)
        rows = self.clients_by_email(got)
        self.assertEqual((rows[ea]["up"], rows[ea]["down"]), (10 + 30 + 5 + 7, 20 + 50 + 5 + 9))
        self.assertEqual((rows[b["email"]]["up"], rows[b["email"]]["down"]), (0, 0))
        self.assertEqual(got["window"]["covered"], [{"from_ms": T0 + 3 * HOUR, "to_ms": T0 + 7 * HOUR}])
        self.assertEqual(got["window"]["gaps"], [{"from_ms": T0 + 7 * HOUR, "to_ms": now}])
        self.assertEqual(got["totals"]["used"], 52 + 84)

        # --since 2h back from now: the samples at +6h and +7h.
        r = self.at(sbx, now, "stats", "--since", "2h", "--client", ea, "-o", "json")
        rows = self.clients_by_email(json.loads(r.out))
        self.assertEqual((rows[ea]["up"], rows[ea]["down"]), (5 + 7, 5 + 9))

        # A window reaching before the first sample shows the gap, invents nothing.
        r = self.at(sbx, now, "stats", "--from", iso(T0 - 2 * HOUR), "--to", iso(T0 + HOUR),
                    "-o", "json")
        got = json.loads(r.out)
        self.assertEqual(got["window"]["gaps"], [{"from_ms": T0 - 2 * HOUR, "to_ms": T0}])
        self.assertEqual(self.clients_by_email(got)[ea]["up"], 100)

        # CSV says the window and what samples cover in every row.
        r = self.at(sbx, now, "stats", "--from", iso(T0 + 3 * HOUR), "--client", ea, "-o", "csv")
        lines = r.out.splitlines()
        self.assertEqual(lines[0], "INBOUND,EMAIL,UP,DOWN,USED,WINDOW_FROM,WINDOW_TO,COVERED")
        self.assertIn("2026-11-02 03:00:00 → 2026-11-02 07:00:00", lines[1])

        # --by cycle: two closed cycles, the panel's and ours, then the open one.
        r = self.at(sbx, now, "stats", "--by", "cycle", "--client", ea, "-o", "json")
        cycles = json.loads(r.out)["cycles"]
        self.assertEqual([(c["up"], c["down"]) for c in cycles],
                         [(u0 + 150, d0 + 260), (45, 75), (7, 9)])
        self.assertEqual(cycles[0]["cause"], "panel")
        self.assertTrue(cycles[1]["cause"].startswith(f"xuictl traffic reset {inbound['id']} {ea} "),
                        cycles[1]["cause"])
        self.assertIsNone(cycles[2]["reset_seen_ms"])

        # --by day and clients show --history: one day, the sum of the window.
        r = self.at(sbx, now, "clients", "show", ea, "--history", "--since", "2026-11-01", "-o",
                    "json")
        self.assertEqual(r.code, 0, r)
        days = json.loads(r.out)["periods"]
        self.assertEqual([(d["from_ms"], d["used"]) for d in days],
                         [(T0 - 24 * HOUR, 0), (T0, 300 + 110 + 30 + 80 + 10 + 16)])
        self.assertEqual(days[0]["covered_ms"], 0)

        # The report over a window: the window's bytes, summed per inbound.
        r = self.at(sbx, now, "stats", "--report", "--from", iso(T0 + 3 * HOUR), "-o", "json")
        report = json.loads(r.out)
        self.assertEqual(report["total"]["used"], 52 + 84)
        self.assertEqual(report["window"]["from_ms"], T0 + 3 * HOUR)
        return sbx

    def test_v3_history_agrees_with_scripted_counters(self):
        self.scripted_sequence("v3")

    def test_classic_history_agrees_with_scripted_counters(self):
        self.scripted_sequence("classic")

    def test_collect_is_one_list_request_with_a_cached_session(self):
        sbx = self.sandbox("--api", "v3")
        self.assertEqual(self.xuictl(sbx, "login").code, 0)
        before = len(sbx.requests())
        self.collect(sbx, T0)
        lines = sbx.request_lines()[before:]
        self.assertEqual(lines, ["GET /panel/api/inbounds/list/slim"])
        self.assertEqual(sbx.writes(), [])

    def test_clients_show_history_asks_for_that_client_alone_on_v3(self):
        sbx = self.sandbox("--api", "v3", "--inbounds", "2", "--clients", "3")
        state = sbx.state()
        ea = state["inbounds"][0]["clients"][0]["email"]
        a = state["inbounds"][0]["clients"][0]
        self.collect(sbx, T0)  # the session cache now knows the panel is v3.1+
        self.set_counters(sbx, ea, a["up"] + 100, a["down"] + 200)
        self.collect(sbx, T0 + HOUR)
        self.set_counters(sbx, ea, 5, 6)  # a reset: --by cycle has two cycles
        self.collect(sbx, T0 + 2 * HOUR)
        now = T0 + 3 * HOUR
        views = [("--history", "-o", "json"), ("--history",), ("--history", "-o", "csv"),
                 ("--by", "cycle", "-o", "json"), ("--by", "day", "--since", "2d")]
        alone = []
        for view in views:
            before = len(sbx.requests())
            r = self.at(sbx, now, "clients", "show", ea, *view)
            self.assertEqual(r.code, 0, r)
            self.assertEqual(sbx.request_lines()[before:],
                             ["GET /panel/api/clients/get/" + ea.replace("@", "%40")], view)
            alone.append(r.out)
        # An email the panel does not know: the list says so, as before.
        before = len(sbx.requests())
        r = self.at(sbx, now, "clients", "show", "nobody@example.org", "--history")
        self.assertEqual(r.code, 5, r)
        self.assertIn("no client with email 'nobody@example.org'", r.err)
        self.assertEqual(sbx.request_lines()[before:],
                         ["GET /panel/api/clients/get/nobody%40example.org",
                          "GET /panel/api/inbounds/list"])
        # Without a cached session nothing tells the generation: the full
        # list is read, and every view answers byte for byte the same.
        for view, out in zip(views, alone):
            self.assertEqual(self.xuictl(sbx, "logout").code, 0)
            before = len(sbx.requests())
            r = self.at(sbx, now, "clients", "show", ea, *view)
            self.assertEqual(r.code, 0, r)
            lines = sbx.request_lines()[before:]
            self.assertEqual(lines[-1], "GET /panel/api/inbounds/list", view)
            self.assertNotIn("GET /panel/api/clients/get/" + ea.replace("@", "%40"), lines)
            self.assertEqual(r.out, out, view)
        self.assertEqual(sbx.writes(), [])

    def test_database_file_and_directory_modes(self):
        sbx = self.sandbox("--api", "classic")
        self.collect(sbx, T0)
        db = state_db(os.path.join(self.home, ".local/state/xuictl"))
        self.assertEqual(os.stat(db).st_mode & 0o777, 0o600)
        self.assertEqual(os.stat(os.path.dirname(db)).st_mode & 0o777, 0o700)

    def test_kill_9_during_collects_leaves_a_consistent_history(self):
        sbx = self.sandbox("--api", "v3", "--inbounds", "4", "--clients", "500")
        clients = [c for i in sbx.state()["inbounds"] for c in i["clients"]]
        emails = [c["email"] for c in clients]
        self.collect(sbx, T0)
        db = state_db(os.path.join(self.home, ".local/state/xuictl"))
        for k in range(1, 13):
            # 50 clients move each hour; the kill lands anywhere in the collect.
            for c in clients[: 50]:
                self.set_counters(sbx, c["email"], 10 ** 12 + k, c["down"])
            env = self.env_for(sbx, XUICTL_TEST_NOW_MS=str(T0 + k * HOUR), TZ="UTC")
            p = subprocess.Popen([XUICTL, "collect"], env=env, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL, start_new_session=True)
            time.sleep(0.008 * k)  # from before login to after commit
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGKILL)
            p.wait(timeout=30)
            con = sqlite3.connect(db, timeout=10)
            try:
                self.assertEqual(con.execute("PRAGMA integrity_check").fetchone()[0], "ok")
                # Consistent: every delta row belongs to a sample row of its panel,
                # and a client's last counters equal its base plus its deltas
                # (no resets in this script).
                orphans = con.execute(
                    "SELECT count(*) FROM usage_deltas d JOIN usage_clients c ON c.id = d.client_id"
                    " LEFT JOIN usage_samples s ON s.panel_id = c.panel_id AND s.end_ms = d.end_ms"
                    " WHERE s.end_ms IS NULL").fetchone()[0]
                self.assertEqual(orphans, 0)
                bad = con.execute(
                    "SELECT count(*) FROM usage_clients c WHERE c.first_up + coalesce((SELECT"
                    " sum(up) FROM usage_deltas d WHERE d.client_id = c.id), 0) != c.last_up"
                ).fetchone()[0]
                self.assertEqual(bad, 0)
            finally:
                con.close()
        # The next collect after the kills sees everything the killed ones did not.
        self.collect(sbx, T0 + 20 * HOUR)
        r = self.at(sbx, T0 + 21 * HOUR, "stats", "--lifetime", "--client", emails[0], "-o", "json")
        self.assertEqual(json.loads(r.out)["clients"][0]["up"], 10 ** 12 + 12)

    def test_bad_window_is_a_usage_error_with_nothing_sent(self):
        sbx = self.sandbox("--api", "v3")
        for args in (("--since", "yesterday"), ("--from", "2026-11-05", "--to", "2026-11-01"),
                     ("--since", "30d", "--warn", "80")):
            r = self.at(sbx, T0, "stats", *args)
            self.assertEqual(r.code, 2, r)
        self.assertEqual(sbx.requests(), [])


if __name__ == "__main__":
    unittest.main()
