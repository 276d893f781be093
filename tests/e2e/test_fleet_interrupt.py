"""e2e: Ctrl-C during a fleet write, and the fleet's progress lines, through a
real pseudo-terminal (issue 18): three real xuictl-sandbox panels (v3, classic,
v3), a write held back by the sandbox's `slow` fault, and the terminal's own
Ctrl-C (the byte 0x03 typed on the pty, SIGINT to xuictl's process group)."""
import json
import os
import re
import signal
import unittest

from xuictl_e2e import E2ETest, audit_records, write_profiles

CTRL_C = b"\x03"


class FleetInterruptTest(E2ETest):
    def setUp(self):
        super().setUp()
        self.de1 = self.sandbox("--api", "v3", "--inbounds", "2", "--clients", "3")
        self.nl2 = self.sandbox("--api", "classic", "--inbounds", "2", "--clients", "3",
                                "--base-path", "/cl/")
        self.us3 = self.sandbox("--api", "v3", "--inbounds", "2", "--clients", "3", "--seed", "2")
        self.panels = {"de1": self.de1, "nl2": self.nl2, "us3": self.us3}
        write_profiles(self.home, self.panels.items())
        self.state_dir = os.path.join(self.home, ".local", "state", "xuictl")
        self.env = self.env_for(self.de1, XUI_URL=None, XUI_USERNAME=None, XUI_PASSWORD=None)

    def tty(self, *args, **kw):
        return self.xuictl_tty(self.de1, *args, env=self.env, **kw)

    def used(self, sandbox):
        return sum(c["up"] + c["down"] for c in sandbox.clients().values())

    def faults_left(self, sandbox):
        return sandbox.control("GET", "fault")["faults"]

    def hold(self, sandbox, path, delay_ms=3000):
        """The next request whose path holds `path` waits delay_ms first; the
        rule is gone (faults_left) the moment that request reaches the panel."""
        sandbox.control("POST", "fault", {"mode": "slow", "path": path, "count": 1,
                                          "delay_ms": delay_ms})

    def ctrl_c_when(self, ready, times=1):
        """A react() for xuictl_tty: Ctrl-C (`times` of them, one per call)
        once ready(screen) holds; nothing before."""
        state = {"sent": 0}

        def react(screen):
            if state["sent"] < times and (state["sent"] > 0 or ready(screen)):
                state["sent"] += 1
                return CTRL_C
            return None

        react.state = state
        return react

    def test_ctrl_c_while_the_first_panel_writes(self):
        used = {name: self.used(s) for name, s in self.panels.items()}
        self.assertTrue(all(v > 0 for v in used.values()), used)
        self.hold(self.de1, "bulkResetTraffic")
        # Ctrl-C once de1 shows "writing" and its write has reached the panel
        # (its slow rule taken), then a second Ctrl-C while it is still held.
        react = self.ctrl_c_when(
            lambda screen: b"de1  writing" in screen and not self.faults_left(self.de1), times=2)
        screen = self.tty("--all-profiles", "--parallel", "1", "inbound", "reset", "--all",
                          "--yes", react=react)
        self.assertEqual(react.state["sent"], 2, screen)
        self.assertExit(screen, 3)
        # de1: its one write, then the verifying re-read; reset and verified.
        lines = self.de1.request_lines()
        write = lines.index("POST /panel/api/clients/bulkResetTraffic")
        self.assertEqual(self.de1.writes(), ["POST /panel/api/clients/bulkResetTraffic"])
        self.assertTrue(any(line.startswith("GET /panel/api/inbounds/list")
                            for line in lines[write + 1:]), lines)
        self.assertEqual(self.used(self.de1), 0)
        # nl2 and us3: read and planned, never written, nothing asked after
        # the plan (nl2, classic, would read again right before its write).
        for name in ("nl2", "us3"):
            self.assertEqual(self.panels[name].writes(), [], name)
            self.assertEqual(self.used(self.panels[name]), used[name], name)
            lists = [line for line in self.panels[name].request_lines() if "inbounds/list" in line]
            self.assertEqual(len(lists), 1, lists)
            self.assertNotIn(name + "  writing", screen.out)
        # The screen: progress lines and the result table say so.
        self.assertIn("\x1b[3A\r\x1b[2Kde1  verified\x1b[3B\r", screen.out)
        self.assertIn("\x1b[2A\r\x1b[2Knl2  not started\x1b[2B\r", screen.out)
        self.assertIn("\x1b[1A\r\x1b[2Kus3  not started\x1b[1B\r", screen.out)
        fleet_id = re.search(r"fleet (fleet-\S+): 1 of 3 panel\(s\) changed and verified",
                             screen.out).group(1)
        rows = {line.split()[0]: line.split()[1:3] for line in screen.out.splitlines()
                if line.split()[:1] in (["de1"], ["nl2"], ["us3"]) and "  " in line
                and "\x1b" not in line}
        self.assertEqual(rows["de1"][0], "ok")
        self.assertEqual(rows["nl2"][0], "not_started")
        self.assertEqual(rows["us3"][0], "not_started")
        # (error: is coloured on a terminal)
        self.assertIn(" interrupted by SIGINT: 2 of 3 panel(s) not done (nl2, us3)\n", screen.out)
        self.assertIn("run the command again with --profile nl2,us3", screen.out)
        # The audit: de1's record alone, its real outcome, in the fleet.
        records = audit_records(self.state_dir)
        self.assertEqual([(r["profile"], r["status"]) for r in records], [("de1", "ok")])
        self.assertEqual(rows["de1"][1], records[0]["id"])
        r = self.xuictl(self.de1, "audit", "-o", "json", env=self.env)
        self.assertExit(r, 0)
        listed = json.loads(r.out)
        self.assertEqual([(e["fleet_id"], e["status"]) for e in listed], [(fleet_id, "ok")])

    def test_ctrl_c_while_reading_writes_nothing_anywhere(self):
        # nl2's list is held: de1 and us3 are read, nl2 is being read.
        self.hold(self.nl2, "inbounds/list")
        react = self.ctrl_c_when(lambda screen: not self.faults_left(self.nl2))
        screen = self.tty("--all-profiles", "inbound", "reset", "--all", "--yes", react=react)
        self.assertEqual(react.state["sent"], 1, screen)
        # Killed by SIGINT, as one panel's run is during its read (below).
        self.assertEqual(screen.code, -signal.SIGINT, repr(screen))
        for name, s in self.panels.items():
            self.assertEqual(s.writes(), [], name)
        self.assertEqual(audit_records(self.state_dir), [])
        # One panel, the same moment: the same end.
        self.hold(self.de1, "inbounds/list")
        react = self.ctrl_c_when(lambda screen: not self.faults_left(self.de1))
        screen = self.tty("--profile", "de1", "inbound", "reset", "--all", "--yes", react=react)
        self.assertEqual(screen.code, -signal.SIGINT, repr(screen))
        self.assertEqual(self.de1.writes(), [])
        self.assertEqual(audit_records(self.state_dir), [])

    def test_ctrl_c_at_the_phrase_sends_nothing(self):
        screen = self.tty("--all-profiles", "inbound", "reset", "--all", answers=["^C"])
        self.assertExit(screen, 3)
        self.assertIn('Type "RESET ALL CLIENTS ON 3 PANELS" to confirm', screen.out)
        self.assertIn("aborted, nothing changed", screen.out)
        for name, s in self.panels.items():
            self.assertEqual(s.writes(), [], name)
        self.assertEqual(audit_records(self.state_dir), [])

    def test_write_progress_on_a_terminal_only(self):
        self.us3.control("POST", "fault", {"mode": "write-fails", "count": 0})
        args = ("--all-profiles", "--parallel", "1", "inbound", "reset", "--all", "--yes")
        screen = self.tty(*args)
        self.assertExit(screen, 7)
        out = screen.out
        # The write phase starts from the plan, then each line is rewritten in
        # place (up N, CR, clear line, the line, down N, CR), panel by panel.
        block = out.index("de1  planned\nnl2  planned\nus3  planned\n")
        at = block
        for step in ("\x1b[3A\r\x1b[2Kde1  writing\x1b[3B\r",
                     "\x1b[3A\r\x1b[2Kde1  verified\x1b[3B\r",
                     "\x1b[2A\r\x1b[2Knl2  writing\x1b[2B\r",
                     "\x1b[2A\r\x1b[2Knl2  verified\x1b[2B\r",
                     "\x1b[1A\r\x1b[2Kus3  writing\x1b[1B\r",
                     "\x1b[1A\r\x1b[2Kus3  failed\x1b[1B\r"):
            found = out.find(step, at)
            self.assertGreater(found, at, step)
            at = found
        self.assertEqual([(r["profile"], r["status"]) for r in audit_records(self.state_dir)],
                         [("de1", "ok"), ("nl2", "ok"), ("us3", "failed")])
        # In a pipe: the same run, not one progress byte.
        r = self.xuictl(self.de1, *args, env=self.env)
        self.assertExit(r, 7)
        self.assertNotIn("\x1b", r.err)
        for word in ("waiting", "reading", "planned", "writing", "verified"):
            self.assertNotIn("  " + word, r.err)
        self.assertIn("2 of 3 panel(s) changed and verified", r.err)


if __name__ == "__main__":
    unittest.main()
