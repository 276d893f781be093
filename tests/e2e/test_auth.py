"""e2e: credentials, tokens, 2FA, the session cache, profiles and TLS (issue 6).
Secrets travel by file, stdin or environment, never argv; every file the test
writes that holds a secret is 0600."""
import base64
import hashlib
import json
import os
import stat
import subprocess
import unittest

from xuictl_e2e import E2ETest


def private_file(path, text):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(text)
    return path


def spki_pin(cert_path):
    """curl's sha256//BASE64 pin of a PEM certificate's public key."""
    pub = subprocess.run(["openssl", "x509", "-in", cert_path, "-pubkey", "-noout"],
                         capture_output=True, check=True).stdout
    der = subprocess.run(["openssl", "pkey", "-pubin", "-outform", "der"], input=pub,
                         capture_output=True, check=True).stdout
    return "sha256//" + base64.b64encode(hashlib.sha256(der).digest()).decode()


class PasswordSources(E2ETest):
    def drop_sessions(self):
        import shutil
        shutil.rmtree(os.path.join(self.home, ".cache", "xuictl", "sessions"), ignore_errors=True)

    def test_password_file_stdin_env_and_prompt(self):
        pw = "s3cret-Pw"
        sbx = self.sandbox("--password-file", private_file(os.path.join(self.work, "sbx-pw"), pw))
        self.assertEqual(sbx.info["password"], pw)
        path = private_file(os.path.join(self.work, "pw"), pw + "\n")
        no_pw = self.env_for(sbx, XUI_PASSWORD=None)
        # Each source must log in by itself: drop the cached session in between.
        self.assertExit(self.xuictl(sbx, "--password-file", path, "stats", env=no_pw), 0)
        self.drop_sessions()
        self.assertExit(self.xuictl(sbx, "--password-stdin", "stats", env=no_pw, input_text=pw + "\n"), 0)
        self.drop_sessions()
        self.assertExit(self.xuictl(sbx, "stats"), 0)  # XUI_PASSWORD
        self.drop_sessions()
        self.assertEqual(len(sbx.logins()), 3)
        r = self.xuictl_tty(sbx, "stats", "-o", "tsv", env=no_pw, answers=[pw])
        self.assertExit(r, 0)
        self.assertIn("Password for", r.out)
        self.assertNotIn(pw, r.out)  # typed without echo

    def test_no_password_and_no_terminal_exits_4_without_a_login(self):
        sbx = self.sandbox()
        r = self.xuictl(sbx, "stats", env=self.env_for(sbx, XUI_PASSWORD=None))
        self.assertExit(r, 4)
        self.assertIn("--password-file", r.err)
        self.assertEqual(sbx.logins(), [])

    def test_there_is_no_password_flag(self):
        sbx = self.sandbox()
        r = self.xuictl(sbx, "--password", "x", "stats")
        self.assertExit(r, 2)

    def test_group_readable_password_file_is_refused(self):
        sbx = self.sandbox()
        path = private_file(os.path.join(self.work, "pw"), sbx.info["password"])
        os.chmod(path, 0o644)
        r = self.xuictl(sbx, "--password-file", path, "stats", env=self.env_for(sbx, XUI_PASSWORD=None))
        self.assertExit(r, 2)
        self.assertIn("chmod 600", r.err)
        self.assertEqual(sbx.requests(), [])


class SessionCache(E2ETest):
    def test_second_run_sends_no_login_and_stats_is_one_request(self):
        sbx = self.sandbox()
        first = self.xuictl(sbx, "stats", "-o", "json")
        self.assertExit(first, 0)
        self.assertEqual(len(sbx.logins()), 1)
        cache_dir = os.path.join(self.home, ".cache", "xuictl", "sessions")
        files = os.listdir(cache_dir)
        self.assertEqual(len(files), 1)
        self.assertEqual(stat.S_IMODE(os.stat(os.path.join(cache_dir, files[0])).st_mode), 0o600)
        self.assertEqual(stat.S_IMODE(os.stat(cache_dir).st_mode), 0o700)
        sbx.control("POST", "reset-log")
        second = self.xuictl(sbx, "stats", "-o", "json")
        self.assertExit(second, 0)
        # The first list showed a v3.1+ panel (nested settings), which the
        # session cache keeps: read-only views now ask for list/slim, and
        # the figures are the same.
        self.assertEqual(sbx.request_lines(), ["GET /panel/api/inbounds/list/slim"])
        # ("expiry" is relative to now: it may tick between the two runs)
        def figures(r):
            doc = json.loads(r.out)
            for c in doc["inbounds"] + doc["clients"]:
                c.pop("expiry")
            return doc
        self.assertEqual(figures(second), figures(first))

    def test_expired_session_logs_in_exactly_once_more(self):
        sbx = self.sandbox()
        self.assertExit(self.xuictl(sbx, "stats"), 0)
        sbx.control("POST", "expire-sessions")
        sbx.control("POST", "reset-log")
        self.assertExit(self.xuictl(sbx, "stats"), 0)
        self.assertEqual(len(sbx.logins()), 1)

    def test_login_and_logout(self):
        sbx = self.sandbox()
        r = self.xuictl(sbx, "login")
        self.assertExit(r, 0)
        self.assertIn("logged in", r.err)
        sbx.control("POST", "reset-log")
        r = self.xuictl(sbx, "logout")
        self.assertExit(r, 0)
        self.assertIn("POST /logout", sbx.request_lines())
        self.assertEqual(r.err, f"logged out of {sbx.url}; cached session deleted\n")
        self.assertEqual(os.listdir(os.path.join(self.home, ".cache", "xuictl", "sessions")), [])
        sbx.control("POST", "reset-log")
        r = self.xuictl(sbx, "logout")  # a second logout: nothing to delete, no request
        self.assertExit(r, 0)
        self.assertEqual(r.err, f"no cached session for {sbx.url}; nothing to delete\n")
        self.assertEqual(sbx.requests(), [])


class Tokens(E2ETest):
    def test_token_sends_bearer_and_never_logs_in(self):
        sbx = self.sandbox("--api-token")
        token_file = private_file(os.path.join(self.work, "token"), sbx.info["token"])
        env = self.env_for(sbx, XUI_PASSWORD=None, XUI_USERNAME=None)
        r = self.xuictl(sbx, "--token-file", token_file, "stats", env=env)
        self.assertExit(r, 0)
        self.assertEqual(sbx.logins(), [])
        self.assertTrue(all(x["auth"] == "bearer" for x in sbx.requests()))
        r = self.xuictl(sbx, "inbound", "reset", "1", "--yes", env=dict(env, XUI_TOKEN=sbx.info["token"]))
        self.assertExit(r, 0)
        self.assertEqual(sbx.logins(), [])

    def test_classic_panel_has_no_tokens(self):
        sbx = self.sandbox("--api", "classic", "--panel-version", "2.9.4")
        env = self.env_for(sbx, XUI_PASSWORD=None, XUI_TOKEN="some-token")
        r = self.xuictl(sbx, "stats", env=env)
        self.assertExit(r, 4)
        self.assertIn("no API tokens", r.err)


class TwoFactor(E2ETest):
    def test_code_from_file_and_from_prompt(self):
        sbx = self.sandbox("--2fa")
        code = sbx.control("GET", "totp")["code"]
        totp = private_file(os.path.join(self.work, "totp"), code)
        self.assertExit(self.xuictl(sbx, "--totp-file", totp, "stats"), 0)
        # A fresh HOME: no cached session, so the prompt path runs.
        os.rename(os.path.join(self.home, ".cache"), os.path.join(self.work, "old-cache"))
        r = self.xuictl_tty(sbx, "stats", "-o", "tsv", answers=[sbx.control("GET", "totp")["code"]])
        self.assertExit(r, 0)
        self.assertIn("2FA code", r.out)

    def test_no_code_and_no_terminal_says_2fa_is_on(self):
        sbx = self.sandbox("--2fa")
        r = self.xuictl(sbx, "stats")
        self.assertExit(r, 4)
        self.assertIn("two-factor", r.err)
        self.assertEqual(sbx.logins(), [])  # never burns one of the 5 attempts


class Profiles(E2ETest):
    def write_config(self, text, mode=0o600):
        d = os.path.join(self.home, ".config", "xuictl")
        os.makedirs(d, mode=0o700, exist_ok=True)
        return private_file(os.path.join(d, "config.toml"), text) if mode == 0o600 else None

    def test_precedence_flag_over_env_over_profile(self):
        good = self.sandbox()
        other = self.sandbox()
        pw = private_file(os.path.join(self.work, "pw"), good.info["password"])
        self.write_config(f'default = "p"\n[profiles.p]\nurl = "{good.url}"\nusername = "admin"\n'
                          f'password-file = "{pw}"\n')
        env = self.env_for(good, XUI_URL=None, XUI_USERNAME=None, XUI_PASSWORD=None)
        env["XUI_USERNAME"] = "admin"  # names no panel without XUI_URL, like the others
        self.assertExit(self.xuictl(good, "stats", env=env), 0)          # profile
        self.assertEqual(len(good.logins()), 1)
        env2 = dict(env, XUI_URL=other.url)
        # env beats profile, but the default profile's password is not for
        # XUI_URL's panel: it is not sent there (no password: exit 4).
        r = self.xuictl(other, "stats", env=env2)
        self.assertExit(r, 4)
        self.assertIn("no password given", r.err)
        self.assertEqual(other.requests(), [])
        env3 = dict(env2, XUI_PASSWORD=other.info["password"])
        self.assertExit(self.xuictl(other, "stats", env=env3), 0)        # env beats profile
        self.assertEqual(len(other.logins()), 1)
        self.assertExit(self.xuictl(good, "--url", good.url, "stats", env=env2), 0)  # flag beats env
        self.assertEqual(len(other.logins()), 1)
        # --profile beats XUI_URL; XUICTL_PROFILE does not, and a mix is refused.
        self.assertExit(self.xuictl(good, "--profile", "p", "stats", env=env3), 0)
        self.assertEqual(len(other.logins()), 1)
        seen = len(other.requests())
        r = self.xuictl(other, "stats", env=dict(env2, XUICTL_PROFILE="p"))
        self.assertExit(r, 2)
        self.assertIn(f"profile 'p' (XUICTL_PROFILE) is the panel {good.url}, but XUI_URL gives {other.url}", r.err)
        self.assertEqual(len(other.requests()), seen)

    def test_profile_add_and_list(self):
        sbx = self.sandbox()
        r = self.xuictl(sbx, "profile", "add", "demo", "--url", sbx.url, "--username", "admin", "--default")
        self.assertExit(r, 0)
        path = os.path.join(self.home, ".config", "xuictl", "config.toml")
        self.assertEqual(stat.S_IMODE(os.stat(path).st_mode), 0o600)
        r = self.xuictl(sbx, "profile", "list", "-o", "tsv")
        self.assertIn("demo\t" + sbx.url, r.out)


class Tls(E2ETest):
    def test_cacert_pin_and_insecure(self):
        sbx = self.sandbox("--tls")
        cert = sbx.info["cacert"]
        self.assertExit(self.xuictl(sbx, "--cacert", cert, "stats"), 0)
        self.assertExit(self.xuictl(sbx, "--pin", spki_pin(cert), "stats"), 0)
        wrong = "sha256//" + base64.b64encode(b"x" * 32).decode()
        r = self.xuictl(sbx, "--pin", wrong, "stats")
        self.assertExit(r, 1)
        self.assertIn("--pin", r.err)
        r = self.xuictl(sbx, "--insecure", "stats")
        self.assertExit(r, 0)
        self.assertIn("NOT verified", r.err)


if __name__ == "__main__":
    unittest.main()
