"""e2e: security properties as tests (issue 8). No secret on the argv of a
running xuictl or of any child process; no secret in -v output
(password, API token, session cookie, CSRF token, 2FA code); every file
xuictl writes is 0600 in a 0700 directory even under umask 000; and a
profile's `insecure = true` never switches TLS verification off silently."""
import glob
import json
import os
import stat
import subprocess
import time
import unittest

from xuictl_e2e import XUICTL, E2ETest, audit_records


def private_file(path, text):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(text)
    return path


class Secrets(E2ETest):
    def session_secrets(self):
        """Cookie values and CSRF tokens from the session cache xuictl keeps."""
        out = []
        for path in glob.glob(os.path.join(self.home, ".cache", "xuictl", "sessions", "*.json")):
            with open(path, encoding="utf-8") as f:
                text = f.read()
            doc = json.loads(text)

            def walk(v, key=""):
                if isinstance(v, dict):
                    for k, x in v.items():
                        walk(x, k)
                elif isinstance(v, list):
                    for x in v:
                        walk(x, key)
                elif isinstance(v, str) and len(v) >= 8 and key not in ("url", "username", "api",
                                                                         "panel_version", "version"):
                    out.append(v)
            walk(doc)
        return out

    def assert_no_secret(self, text, secrets):
        for s in secrets:
            self.assertTrue(s)
            self.assertNotIn(s, text)

    def test_argv_of_a_running_xuictl_and_its_children_holds_no_secret(self):
        sbx = self.sandbox("--api", "v3", "--api-token")
        sbx.control("POST", "fault", {"mode": "slow", "path": "inbounds/list", "count": 0,
                                      "delay_ms": 1500})
        pw = private_file(os.path.join(self.work, "pw"), sbx.info["password"] + "\n")
        tok = private_file(os.path.join(self.work, "tok"), sbx.info["token"] + "\n")
        secrets = [sbx.info["password"], sbx.info["token"]]
        runs = [
            (["--password-file", pw, "stats"], {"XUI_PASSWORD": None}, None),
            (["--password-stdin", "stats"], {"XUI_PASSWORD": None}, sbx.info["password"] + "\n"),
            (["--token-file", tok, "stats"], {"XUI_PASSWORD": None}, None),
            (["stats"], {"XUI_PASSWORD": None, "XUI_TOKEN": sbx.info["token"]}, None),
            (["inbound", "reset", "1", "--yes"], {}, None),  # XUI_PASSWORD, through a write
        ]
        for args, extra, stdin_text in runs:
            env = self.env_for(sbx, **extra)
            proc = subprocess.Popen([XUICTL, *args], env=env, stdin=subprocess.PIPE,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                    start_new_session=True)
            try:
                if stdin_text:
                    proc.stdin.write(stdin_text.encode())
                proc.stdin.close()
                seen = 0
                deadline = time.monotonic() + 20
                while proc.poll() is None and time.monotonic() < deadline:
                    try:
                        with open(f"/proc/{proc.pid}/cmdline", "rb") as f:
                            argv = f.read().decode(errors="replace")
                        children = []
                        for task in glob.glob(f"/proc/{proc.pid}/task/*/children"):
                            with open(task, encoding="utf-8") as f:
                                children += f.read().split()
                    except (FileNotFoundError, ProcessLookupError):
                        break
                    if argv:
                        seen += 1
                        self.assert_no_secret(argv, secrets)
                    # xuictl itself starts none; a sanitizer build may clone a
                    # helper at exit (LeakSanitizer): its argv must be clean too.
                    for child in children:
                        try:
                            with open(f"/proc/{child}/cmdline", "rb") as f:
                                self.assert_no_secret(f.read().decode(errors="replace"), secrets)
                        except (FileNotFoundError, ProcessLookupError):
                            pass
                    time.sleep(0.05)
                self.assertGreater(seen, 5, "observed while it waited for the slow panel")
                self.assertEqual(proc.wait(timeout=30), 0, proc.stderr.read())
            finally:
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()
                proc.stderr.close()

    def test_verbose_output_redacts_password_cookie_csrf_and_writes(self):
        sbx = self.sandbox("--api", "v3")
        r = self.xuictl(sbx, "-v", "stats")
        self.assertExit(r, 0)
        self.assertIn("> GET ", r.err)
        self.assertIn("[cookie redacted]", r.err)
        r2 = self.xuictl(sbx, "-v", "-v", "traffic", "reset", "c1-1@example.test", "--yes")
        self.assertExit(r2, 0)
        self.assertIn("[csrf redacted]", r2.err)
        sbx.control("POST", "expire-sessions")
        r3 = self.xuictl(sbx, "-v", "inbound", "reset", "2", "--yes")  # a re-login mid-run
        self.assertExit(r3, 0)
        secrets = [sbx.info["password"]] + self.session_secrets()
        self.assertGreater(len(secrets), 1, "the session cache holds a cookie")
        for text in (r.err, r2.err, r3.err, r.out, r2.out, r3.out):
            self.assert_no_secret(text, secrets)
        for path in glob.glob(os.path.join(self.home, ".local", "state", "xuictl", "**", "*"),
                              recursive=True):
            if os.path.isfile(path):
                with open(path, "rb") as f:  # the database (and its WAL) is binary
                    self.assert_no_secret(f.read().decode("utf-8", "replace"), secrets)

    def test_the_audit_record_names_the_panel_user_and_no_secret(self):
        # issue 15: panel_user is the user the run logged in as; "" with a
        # token. The sandbox password is long and unlike the user "admin"
        # (xuictl_e2e.SANDBOX_PASSWORD), so the scan below means something.
        sbx = self.sandbox("--api", "v3", "--api-token")
        self.assertNotEqual(sbx.info["password"], sbx.info["username"])
        self.assertGreaterEqual(len(sbx.info["password"]), 24)
        self.assertExit(self.xuictl(sbx, "inbound", "reset", "1", "--yes"), 0)
        # A token with a user name still set: no user logs in, so none is recorded.
        self.assertExit(self.xuictl(sbx, "inbound", "reset", "2", "--yes",
                                    XUI_PASSWORD=None, XUI_TOKEN=sbx.info["token"]), 0)
        state_dir = os.path.join(self.home, ".local", "state", "xuictl")
        self.assertEqual([(r["command"], r["panel_user"]) for r in audit_records(state_dir)],
                         [("inbound reset 1", "admin"), ("inbound reset 2", "")])
        r = self.xuictl(sbx, "audit", "-o", "json")
        self.assertEqual([e["panel_user"] for e in json.loads(r.out)], ["admin", ""])
        r = self.xuictl(sbx, "audit", "-o", "tsv")
        rows = [line.split("\t") for line in r.out.splitlines()]
        self.assertEqual(rows[0][4], "PANEL USER")
        self.assertEqual([row[4] for row in rows[1:]], ["admin", ""])
        r = self.xuictl(sbx, "audit", "show", audit_records(state_dir)[0]["id"])
        self.assertIn("panel user: admin\n", r.out)
        for path in glob.glob(os.path.join(state_dir, "**", "*"), recursive=True):
            if os.path.isfile(path):
                with open(path, "rb") as f:
                    self.assert_no_secret(f.read().decode("utf-8", "replace"),
                                          [sbx.info["password"], sbx.info["token"]])

    def test_verbose_output_redacts_the_api_token(self):
        sbx = self.sandbox("--api", "v3", "--api-token")
        r = self.xuictl(sbx, "-v", "-v", "inbound", "reset", "1", "--yes",
                        XUI_PASSWORD=None, XUI_TOKEN=sbx.info["token"])
        self.assertExit(r, 0)
        self.assertIn("[bearer token redacted]", r.err)
        self.assert_no_secret(r.err + r.out, [sbx.info["token"]])

    def test_verbose_output_redacts_the_2fa_code(self):
        sbx = self.sandbox("--api", "v3", "--2fa")
        code = sbx.control("GET", "totp")["code"]
        r = self.xuictl(sbx, "-v", "-v", "stats", XUI_TOTP=code)
        self.assertExit(r, 0)
        self.assertIn("/login", r.err)
        self.assert_no_secret(r.err + r.out, [code, sbx.info["password"], sbx.info["totp_secret"]]
                              + self.session_secrets())


class FileModes(E2ETest):
    def test_every_file_is_0600_in_a_0700_directory_even_with_umask_000(self):
        sbx = self.sandbox("--api", "v3")
        env = self.env_for(sbx, XDG_CONFIG_HOME=None, XDG_CACHE_HOME=None, XDG_STATE_HOME=None)

        def run(*args):
            p = subprocess.run(["/bin/sh", "-c", 'umask 000; exec "$0" "$@"', XUICTL, *args], env=env,
                               capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
            self.assertEqual(p.returncode, 0, p.stderr)

        run("profile", "add", "demo", "--url", sbx.url, "--username", "admin", "--default")
        run("login")                                   # session cache
        run("__complete", "inbounds")                  # completion cache
        run("inbound", "reset", "1", "--yes")          # audit line + snapshot
        run("traffic", "reset", "c2-1@example.test", "--yes")
        written = {"config.toml": 0, "sessions": 0, "completion": 0, "xuictl.db": 0}
        for root, dirs, files in os.walk(self.home):
            for d in dirs:
                path = os.path.join(root, d)
                self.assertEqual(stat.S_IMODE(os.stat(path).st_mode), 0o700, path)
            for name in files:
                path = os.path.join(root, name)
                self.assertEqual(stat.S_IMODE(os.stat(path).st_mode), 0o600, path)
                self.assertNotIn(".tmp-", name, "no temp file left behind")
                for key in written:
                    if key in path:
                        written[key] += 1
        self.assertTrue(all(written.values()), written)


class InsecureProfile(E2ETest):
    def test_profile_insecure_warns_on_every_run_and_is_audited(self):
        sbx = self.sandbox("--api", "v3", "--tls")
        d = os.path.join(self.home, ".config", "xuictl")
        os.makedirs(d, mode=0o700)
        private_file(os.path.join(d, "config.toml"),
                     f'[profiles.p]\nurl = "{sbx.url}"\nusername = "admin"\ninsecure = true\n'
                     f'[profiles.strict]\nurl = "{sbx.url}"\nusername = "admin"\n')
        env = self.env_for(sbx, XUI_URL=None, XUI_USERNAME=None)
        for _ in range(3):  # every run, including one with a cached session
            r = self.xuictl(sbx, "--profile", "p", "stats", env=env)
            self.assertExit(r, 0)
            self.assertIn("xuictl: warning: TLS certificates are NOT verified", r.err)
        r = self.xuictl(sbx, "--profile", "p", "inbound", "reset", "1", "--yes", env=env)
        self.assertExit(r, 0)
        self.assertIn("NOT verified", r.err)
        records = audit_records(os.path.join(self.home, ".local", "state", "xuictl"))
        self.assertTrue(records[0]["insecure"], "the audit record says so")
        # Without the setting, the self-signed certificate is refused.
        r = self.xuictl(sbx, "--profile", "strict", "stats", env=env)
        self.assertExit(r, 1)
        self.assertIn("not trusted", r.err)
        self.assertNotIn("NOT verified", r.err)


if __name__ == "__main__":
    unittest.main()
