"""Guards against the real sandbox (issue 19, issue 15 §5): a controlling
terminal with stdin from a pipe or /dev/null never prompts; the phrase's count
is exact on a 12-client purge; hostile emails reach a real terminal escaped.
Every run is bounded (xuictl_e2e's pty loop, subprocess timeouts)."""
import csv
import io
import json
import os
import unittest

from xuictl_e2e import HOSTILE_EMAILS, E2ETest, write_emails_file

class GuardTest(E2ETest):
    def setUp(self):
        super().setUp()
        self.sbx = self.sandbox("--api", "v3")
        self.before = self.sbx.state()
        self.audit = os.path.join(self.home, ".local", "state", "xuictl", "audit.jsonl")

    def assert_nothing_written(self):
        self.assertEqual(self.sbx.writes(), [])
        self.assertEqual(self.sbx.state()["inbounds"], self.before["inbounds"])
        self.assertFalse(os.path.exists(self.audit))

    def test_stdin_from_a_pipe_or_dev_null_with_a_controlling_terminal_is_refused(self):
        # The phrase is on the pipe and typed at any prompt: neither may count.
        for how in ("pipe", "devnull"):
            with self.subTest(stdin=how):
                r = self.xuictl_tty(self.sbx, "inbound", "reset", "1",
                                    answers=["RESET INBOUND 1"],
                                    stdin_text="RESET INBOUND 1\n" if how == "pipe" else None,
                                    stdin_null=how == "devnull")
                self.assertExit(r, 3)
                self.assertNotIn("to confirm", r.out)
                self.assertIn("refusing to change the panel without confirmation: no terminal", r.out)
                self.assertIn("add --yes, or --confirm 'RESET INBOUND 1'", r.out)
                self.assert_nothing_written()

    def test_stdin_from_a_pipe_never_gets_a_password_prompt(self):
        r = self.xuictl_tty(self.sbx, "stats", answers=[self.sbx.info["password"]],
                            stdin_text="\n", XUI_PASSWORD=None)
        self.assertExit(r, 4)
        self.assertNotIn("Password for", r.out)
        self.assertEqual(self.sbx.logins(), [])

    def test_the_count_in_a_purge_phrase_is_exact(self):
        plan = self.xuictl(self.sbx, "clients", "purge-depleted", "--all", "--dry-run", "-o", "json")
        self.assertExit(plan, 0)
        doc = json.loads(plan.out.splitlines()[0])  # the plan; the result object follows
        count = len(doc["clients"])
        self.assertEqual(count, 12)  # 2 + 2 + the last inbound's 8 on the default seed
        # A panel-wide purge names the panel (no profile here: its host).
        phrase = "DELETE 12 CLIENTS ON 127.0.0.1"
        self.assertEqual(doc["phrase"], phrase)
        for wrong in ("DELETE 1 CLIENTS ON 127.0.0.1", "DELETE 2 CLIENTS ON 127.0.0.1",
                      "DELETE 120 CLIENTS ON 127.0.0.1", "delete 12 clients on 127.0.0.1",
                      "DELETE 12  CLIENTS ON 127.0.0.1", phrase + " ", "DELETE 12 CLIENTS",
                      "DELETE 12 CLIENTS ON localhost", "DELETE"):
            with self.subTest(phrase=wrong):
                r = self.xuictl(self.sbx, "clients", "purge-depleted", "--all", "--confirm", wrong)
                self.assertExit(r, 3)
                self.assertIn(f"this plan needs --confirm '{phrase}'", r.err)
                r = self.xuictl_tty(self.sbx, "clients", "purge-depleted", "--all", answers=[wrong])
                self.assertExit(r, 3)
                self.assertIn("aborted, nothing changed", r.out)
                self.assert_nothing_written()

    def test_dry_run_with_yes_or_the_right_phrase_writes_nothing(self):
        for extra in (["--yes"], ["--confirm", "RESET INBOUND 1"]):
            with self.subTest(extra=extra):
                r = self.xuictl(self.sbx, "inbound", "reset", "1", "--dry-run", *extra)
                self.assertExit(r, 0)
                self.assertIn("dry run: nothing changed", r.err)
                self.assert_nothing_written()
                self.assertFalse(os.path.exists(os.path.dirname(self.audit)))


class HostileTextTest(E2ETest):
    def test_hostile_emails_reach_a_terminal_escaped_and_json_exact(self):
        sbx = self.sandbox("--api", "v3", "--emails-file", write_emails_file(self.work, HOSTILE_EMAILS))
        screen = self.xuictl_tty(sbx, "clients", "list")
        self.assertExit(screen, 0)
        self.assertNotIn("\x1b[2J", screen.out)
        self.assertNotIn("\x07", screen.out)
        self.assertIn("esc\\x1b[2J\\x1b[31mred\\x07@z", screen.out)
        self.assertIn("cr\\rover\\ttab@z", screen.out)
        listed = self.xuictl(sbx, "clients", "list", "-o", "json")
        self.assertExit(listed, 0)
        emails = {c["email"] for c in json.loads(listed.out)}
        self.assertTrue(set(HOSTILE_EMAILS) <= emails, emails)

    def test_csv_and_tsv_neutralise_formulas_in_panel_text(self):
        # issue 15 §7: a spreadsheet opening -o csv/tsv must not run a
        # formula an email carries (OWASP CSV injection): such a field gets a
        # leading ' and the rest of it stays exact. A table for people is
        # left alone, and numbers stay numbers.
        formulas = ['=HYPERLINK("http://x")@z', "+cmd|calc@z", "-2+3@z", "@SUM(A1)@z",
                    "\tlead@z", "\rcr@z"]
        sbx = self.sandbox("--api", "v3", "--emails-file", write_emails_file(self.work, formulas))
        r = self.xuictl(sbx, "clients", "list", "-o", "csv")
        self.assertExit(r, 0)
        rows = list(csv.reader(io.StringIO(r.out, newline="")))
        self.assertEqual(rows[0][:10], ["INBOUND", "EMAIL", "UP", "DOWN", "USED", "QUOTA", "USED%",
                                        "EXPIRES", "ENABLED", "DEPLETED"])
        emails = [row[1] for row in rows[1:]]
        for email in formulas:
            # (the harness reads stdout as text: universal newlines turn the
            # CR inside the quoted field into LF)
            self.assertIn("'" + email.replace("\r", "\n"), emails, email)
        self.assertFalse([e for e in emails if e[:1] in ("=", "+", "-", "@", "\t", "\r")])
        # Numbers are data: integers and ISO 8601 times, no units, no "%".
        for row in rows[1:]:
            self.assertTrue(all(row[i].isdigit() for i in (2, 3, 4, 5)), row)
            self.assertNotIn("%", row[6])
            self.assertRegex(row[7], r"^(|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)$")
            self.assertIn(row[8], ("true", "false"))
            self.assertIn(row[9], ("true", "false"))
        r = self.xuictl(sbx, "clients", "list", "-o", "tsv")
        fields = [line.split("\t")[1] for line in r.out.splitlines()[1:]]
        self.assertIn("'=HYPERLINK(\"http://x\")@z", fields)
        self.assertIn("'\\tlead@z", fields)  # TSV escapes the TAB itself too
        self.assertIn("'\\rcr@z", fields)
        screen = self.xuictl_tty(sbx, "clients", "list")
        self.assertIn(' =HYPERLINK("http://x")@z ', screen.out)
        self.assertNotIn("'=HYPERLINK", screen.out)


if __name__ == "__main__":
    unittest.main()
