"""e2e: stats and the read-only commands against the sandbox, both API
generations, base path, HTTPS, and the connection failures (issue 3)."""
import json
import os
import socket
import unittest

from xuictl_e2e import E2ETest


def expected_rows(state):
    """What stats must report per client, computed from the sandbox's own data."""
    rows = {}
    for inbound in state["inbounds"]:
        for c in inbound["clients"]:
            rows[c["email"]] = {"inbound_id": inbound["id"], "up": c["up"], "down": c["down"],
                                "used": c["up"] + c["down"], "quota": c["total"],
                                "expiry_time": c["expiryTime"], "reset_days": c["reset"]}
    return rows


class StatsTest(E2ETest):
    def check_stats_agree(self, *sandbox_args, lists=("list/slim",)):
        """`lists`: the inbound list routes asked for, in order (v3.1+:
        list/slim; classic: list; v3.0.x: list/slim's 404, then list)."""
        sbx = self.sandbox(*sandbox_args)
        r = self.xuictl(sbx, "stats", "-o", "json")
        self.assertExit(r, 0)
        got = json.loads(r.out)
        state = sbx.state()
        want = expected_rows(state)
        self.assertEqual(len(got["clients"]), len(want))
        for c in got["clients"]:
            w = want[c["email"]]
            for key, value in w.items():
                self.assertEqual(c[key], value, f"{c['email']}.{key}")
        self.assertEqual([i["id"] for i in got["inbounds"]], [i["id"] for i in state["inbounds"]])
        for gi, si in zip(got["inbounds"], state["inbounds"]):
            self.assertEqual((gi["up"], gi["down"], gi["remark"]), (si["up"], si["down"], si["remark"]))
        # One list answered after login, no writes.
        lines = sbx.request_lines()
        prefix = "GET " + sbx.info["base_path"] + "panel/api/inbounds/"
        self.assertEqual([l for l in lines if l.startswith(prefix)], [prefix + x for x in lists])
        statuses = [x["status"] for x in sbx.requests() if "inbounds/list" in x["path"]]
        self.assertEqual(statuses, [404] * (len(lists) - 1) + [200])
        self.assertEqual(sbx.writes(), [])
        return sbx, got

    def test_v3_stats_agree_with_sandbox_data(self):
        self.check_stats_agree("--api", "v3")

    def test_classic_stats_agree_with_sandbox_data(self):
        self.check_stats_agree("--api", "classic", lists=("list",))

    def test_classic_v3_0_with_csrf(self):
        # stats asks the version (for the clients' cycles): v3.0.x reports
        # none, so the full list, without trying list/slim.
        sbx, _ = self.check_stats_agree("--api", "classic", "--panel-version", "3.0.2",
                                        lists=("list",))
        self.assertIn("GET /csrf-token", sbx.request_lines())

    def test_base_path_with_and_without_trailing_slash(self):
        sbx = self.sandbox("--base-path", "/secret/")
        for url in (sbx.url, sbx.url.rstrip("/")):
            r = self.xuictl(sbx, "stats", "-o", "tsv", XUI_URL=url)
            self.assertExit(r, 0)
        self.assertTrue(all("//" not in line.split(" ", 1)[1] for line in sbx.request_lines()))

    def test_wrong_base_path_says_so(self):
        sbx = self.sandbox("--base-path", "/secret/")
        r = self.xuictl(sbx, "stats", XUI_URL=sbx.origin + "/wrong/")
        self.assertExit(r, 1)
        self.assertIn("base path", r.err)

    def test_https_with_cacert(self):
        sbx = self.sandbox("--tls")
        self.assertTrue(sbx.url.startswith("https://"))
        r = self.xuictl(sbx, "--cacert", sbx.info["cacert"], "stats", "-o", "json")
        self.assertExit(r, 0)
        # Without trusting the sandbox's certificate: a TLS error, exit 1, advice.
        r = self.xuictl(sbx, "stats")
        self.assertExit(r, 1)
        self.assertIn("--cacert", r.err)

    def test_wrong_password_exits_4_after_one_login(self):
        sbx = self.sandbox()
        r = self.xuictl(sbx, "stats", XUI_PASSWORD="not-the-password")
        self.assertExit(r, 4)
        self.assertEqual(len(sbx.logins()), 1)
        self.assertIn("5 failed logins", r.err)

    def test_unknown_email_exits_5(self):
        sbx = self.sandbox()
        r = self.xuictl(sbx, "clients", "show", "nobody@example.test")
        self.assertExit(r, 5)
        self.assertIn("nobody@example.test", r.err)

    def test_unreachable_port_exits_1(self):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        sbx = self.sandbox()
        r = self.xuictl(sbx, "stats", XUI_URL=f"http://127.0.0.1:{port}/")
        self.assertExit(r, 1)
        self.assertIn("cannot connect", r.err)

    def test_inbound_list_clients_list_show_and_version(self):
        sbx = self.sandbox("--api", "v3")
        r = self.xuictl(sbx, "inbound", "list", "-o", "json")
        self.assertExit(r, 0)
        self.assertEqual([i["id"] for i in json.loads(r.out)], [i["id"] for i in sbx.state()["inbounds"]])
        r = self.xuictl(sbx, "clients", "list", "--inbound", "1", "-o", "csv")
        self.assertExit(r, 0)
        emails = [c["email"] for c in sbx.state()["inbounds"][0]["clients"]]
        self.assertEqual(len(r.out.strip().splitlines()), len(emails) + 1)
        r = self.xuictl(sbx, "clients", "show", emails[0], "-o", "json")
        self.assertExit(r, 0)
        self.assertEqual(json.loads(r.out)[0]["email"], emails[0])
        r = self.xuictl(sbx, "version", "-o", "json")
        self.assertExit(r, 0)
        v = json.loads(r.out)
        self.assertEqual((v["api"], v["panel_version"]), ("v3", sbx.info["panel_version"]))

    def test_table_on_a_terminal_is_aligned_with_unicode_remarks(self):
        sbx = self.sandbox("--api", "v3")
        state = sbx.state()
        self.assertTrue(any(any(ord(ch) > 0x2E80 for ch in i["remark"]) for i in state["inbounds"]),
                        "the sandbox seeds a wide-character remark")
        r = self.xuictl_tty(sbx, "inbound", "list", "--no-color")
        self.assertExit(r, 0)
        lines = [l for l in r.out.splitlines() if l.strip()]
        header_end = display_width(lines[0][:lines[0].index("PORT") + len("PORT")])
        for inbound in state["inbounds"]:
            row = next(l for l in lines[1:] if l.split()[0] == str(inbound["id"]))
            port = str(inbound["port"])
            end = row.index("  " + port + "  ") + 2 + len(port)
            # PORT is right-aligned: the port ends in the header's column on every row.
            self.assertEqual(display_width(row[:end]), header_end, row)


def display_width(text):
    wide = lambda c: (0x1100 <= c <= 0x115F or 0x2E80 <= c <= 0xA4CF or 0xAC00 <= c <= 0xD7A3 or
                      0xF900 <= c <= 0xFAFF or 0xFF00 <= c <= 0xFF60 or 0x1F300 <= c <= 0x1FAFF)
    return sum(2 if wide(ord(ch)) else 1 for ch in text)


if __name__ == "__main__":
    unittest.main()
