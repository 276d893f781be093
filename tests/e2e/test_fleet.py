"""e2e: read commands over several panels (issue 18): real xuictl against
several real xuictl-sandbox processes on 127.0.0.1 — both API generations in
one fleet, one that fails, one unreachable, one slow — selected by
--profile a,b, @group and --all-profiles."""
import json
import os
import socket
import unittest

from xuictl_e2e import E2ETest


def free_port():
    """A loopback port nothing listens on (bound, then closed)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class FleetTest(E2ETest):
    def setUp(self):
        super().setUp()
        self.v3 = self.sandbox("--api", "v3", "--inbounds", "3", "--clients", "4")
        self.classic = self.sandbox("--api", "classic", "--inbounds", "2", "--clients", "3",
                                    "--base-path", "/cl/")
        self.dead_url = f"http://127.0.0.1:{free_port()}/"
        config_dir = os.path.join(self.home, ".config", "xuictl")
        os.makedirs(config_dir, mode=0o700)
        text = ""
        for name, s in (("de1", self.v3), ("us3", self.classic)):
            pw = os.path.join(self.home, name + ".pass")
            with open(pw, "w", encoding="utf-8") as f:
                f.write(s.info["password"] + "\n")
            os.chmod(pw, 0o600)
            text += (f'[profiles.{name}]\nurl = "{s.url}"\nusername = "{s.info["username"]}"\n'
                     f'password-file = "{pw}"\n')
        text += (f'[profiles.gone]\nurl = "{self.dead_url}"\nusername = "admin"\n'
                 'password = "x"\n')
        text += '[groups]\nlive = ["de1", "us3"]\n'
        self.config = os.path.join(config_dir, "config.toml")
        with open(self.config, "w", encoding="utf-8") as f:
            f.write(text)
        os.chmod(self.config, 0o600)

    def run_fleet(self, *args):
        # No XUI_*: a fleet run uses each profile's own settings only.
        env = self.env_for(self.v3, XUI_URL=None, XUI_USERNAME=None, XUI_PASSWORD=None)
        return self.xuictl(self.v3, *args, env=env)

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

    def test_destructive_commands_refuse_a_fleet_before_any_request(self):
        r = self.run_fleet("--profile", "@live", "inbound", "reset", "--all", "--yes")
        self.assertExit(r, 2)
        self.assertIn("run destructive commands one panel at a time", r.err)
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

    def test_completion_offers_profiles_and_groups(self):
        r = self.run_fleet("__complete", "targets")
        self.assertExit(r, 0)
        self.assertEqual(r.out.splitlines(), ["de1", "gone", "us3", "@live"])


if __name__ == "__main__":
    unittest.main()
