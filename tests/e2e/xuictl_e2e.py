"""Shared helpers for the end-to-end tests: the real `xuictl` binary against a
real `xuictl-sandbox` process on 127.0.0.1. Python stdlib only.

Binaries come from ctest's environment (XUICTL_BIN, XUICTL_SANDBOX_BIN).
Every wait is a bounded loop; every sandbox is killed in tearDown."""
import json
import os
import pty
import select
import shutil
import signal
import sqlite3
import subprocess
import tempfile
import time
import unittest
import urllib.request

XUICTL = os.environ.get("XUICTL_BIN", "xuictl")

# Emails a panel may hold (xuictl-sandbox --emails-file): shell
# metacharacters, both quotes, a glob, and terminal control sequences.
HOSTILE_EMAILS = [
    "x;touch CANARY1@z",
    "$(touch CANARY2)@z",
    "`touch CANARY3`@z",
    "it's \"q\" a@z",
    "star*@z",
    "esc\x1b[2J\x1b[31mred\x07@z",
    "cr\rover\ttab@z",
]


def write_emails_file(directory, emails):
    """A JSON array of emails for xuictl-sandbox --emails-file; returns its path."""
    path = os.path.join(directory, "emails.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(emails, f)
    return path
SANDBOX = os.environ.get("XUICTL_SANDBOX_BIN", "xuictl-sandbox")

# The sandbox's admin password in every test that does not choose its own:
# long, random-looking and unlike the user name ("admin"), so that a scan of
# files and output for the password (test_security) cannot confuse the two,
# and the audit record's panel_user can be told apart from a leaked secret.
SANDBOX_PASSWORD = "pw-7Qx2vK9mTz4LrB8nWc6Hs3JdYf5Ga1Ue"


class Sandbox:
    """One xuictl-sandbox process with its info file and request log."""

    def __init__(self, *args, workdir):
        self.dir = tempfile.mkdtemp(prefix="sbx-", dir=workdir)
        self.info_path = os.path.join(self.dir, "info.json")
        self.log_path = os.path.join(self.dir, "requests.jsonl")
        if "--password-file" not in args:
            pw_path = os.path.join(self.dir, "admin-password")
            fd = os.open(pw_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as f:
                f.write(SANDBOX_PASSWORD + "\n")
            args = ("--password-file", pw_path, *args)
        cmd = [SANDBOX, "--port", "0", "--quiet", "--info-file", self.info_path,
               "--request-log", self.log_path, *args]
        with open(os.path.join(self.dir, "stderr.log"), "wb") as stderr:
            self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                         stderr=stderr)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if os.path.exists(self.info_path) and os.path.getsize(self.info_path) > 0:
                try:
                    with open(self.info_path, encoding="utf-8") as f:
                        self.info = json.load(f)
                    break
                except ValueError:
                    pass
            if self.proc.poll() is not None:
                raise RuntimeError("sandbox exited: " + self.stderr())
            time.sleep(0.05)
        else:
            self.stop()
            raise RuntimeError("sandbox did not start in 15 s")
        self.url = self.info["url"]
        self.origin = self.url.split("/", 3)[0] + "//" + self.url.split("/", 3)[2]

    def stderr(self):
        with open(os.path.join(self.dir, "stderr.log"), encoding="utf-8", errors="replace") as f:
            return f.read()

    def control(self, method, route, body=None):
        """Calls a /__sandbox/ control route (never used by xuictl)."""
        import ssl
        ctx = None
        if self.url.startswith("https"):
            ctx = ssl.create_default_context(cafile=self.info["cacert"])
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.origin + "/__sandbox/" + route, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=10, context=ctx) as r:
            text = r.read().decode()
            return json.loads(text) if text else None

    def state(self):
        return self.control("GET", "state")

    def requests(self):
        """Every panel request so far (method, path, status, auth, ...)."""
        if not os.path.exists(self.log_path):
            return []
        with open(self.log_path, encoding="utf-8") as f:
            return [json.loads(line) for line in f if line.strip()]

    def request_lines(self):
        return [r["method"] + " " + r["path"] for r in self.requests()]

    def writes(self):
        """POSTs other than the login handshake."""
        skip = ("/login", "/getTwoFactorEnable", "/logout")
        return [r["method"] + " " + r["path"] for r in self.requests()
                if r["method"] == "POST" and not r["path"].endswith(skip)]

    def logins(self):
        return [r for r in self.requests() if r["method"] == "POST" and r["path"].endswith("/login")]

    def clients(self):
        """email -> client dict from the sandbox state."""
        out = {}
        for inbound in self.state()["inbounds"]:
            for c in inbound["clients"]:
                out[c["email"]] = dict(c, inbound_id=inbound["id"])
        return out

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)


def write_profiles(home, panels, extra=""):
    """$HOME/.config/xuictl/config.toml (0600) with one profile per
    (name, sandbox) pair — its URL, user and a 0600 password file — then the
    TOML text `extra`; returns the file's path."""
    config_dir = os.path.join(home, ".config", "xuictl")
    os.makedirs(config_dir, mode=0o700, exist_ok=True)
    text = ""
    for name, s in panels:
        pw = os.path.join(home, name + ".pass")
        with open(pw, "w", encoding="utf-8") as f:
            f.write(s.info["password"] + "\n")
        os.chmod(pw, 0o600)
        text += (f'[profiles.{name}]\nurl = "{s.url}"\nusername = "{s.info["username"]}"\n'
                 f'password-file = "{pw}"\n')
    path = os.path.join(config_dir, "config.toml")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text + extra)
    os.chmod(path, 0o600)
    return path


def state_db(state_dir):
    """$XDG_STATE_HOME/xuictl/xuictl.db: the local store (lib/store)."""
    return os.path.join(state_dir, "xuictl.db")


def _query(state_dir, sql, args=()):
    path = state_db(state_dir)
    if not os.path.exists(path):
        return []
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
    try:
        return con.execute(sql, args).fetchall()
    except sqlite3.OperationalError as e:
        if "no such table" in str(e):
            return []  # created a moment ago, its schema not committed yet
        raise
    finally:
        con.close()


def audit_records(state_dir):
    """Every audit record in the database, oldest first, in the JSON shape of
    `xuictl audit show ID -o json` (status "pending" when no outcome yet);
    read with Python's own sqlite3, not through xuictl."""
    def select(identity):
        return ("SELECT o.id, o.time_ms, o.user, o.host, o.panel, o.command, o.insecure, o.snapshot,"
                " o.plan, r.operation_id IS NOT NULL, r.status, r.error, r.mismatches, r.done,"
                " r.not_done, r.finished_ms, " + identity + " FROM operations o"
                " LEFT JOIN outcomes r ON r.operation_id = o.id ORDER BY o.time_ms, o.rowid")
    try:
        rows = _query(state_dir, select("o.profile, o.panel_user"))
    except sqlite3.OperationalError as e:
        if "no such column" not in str(e):
            raise
        # A store whose schema steps are still being applied (before 0003).
        rows = _query(state_dir, select("'', ''"))
    out = []
    for row in rows:
        entry = dict(zip(("id", "time_ms", "user", "host", "panel", "command", "insecure", "snapshot"),
                         row[:8]))
        entry["insecure"] = bool(entry["insecure"])
        entry["plan"] = json.loads(row[8]) if row[8] else None
        entry["profile"], entry["panel_user"] = row[16], row[17]
        if row[9]:
            entry.update(status=row[10], error=row[11], mismatches=json.loads(row[12]),
                         done=json.loads(row[13]), not_done=json.loads(row[14]), finished_ms=row[15])
        else:
            entry.update(status="pending", error="", mismatches=[], done=[], not_done=[], finished_ms=0)
        out.append(entry)
    return out


def snapshot_of(state_dir, snapshot_id):
    """The snapshot body (parsed) of an operation, its plan put back, or None."""
    rows = _query(state_dir,
                  "SELECT s.body, s.plan_offset, o.plan FROM snapshots s"
                  " LEFT JOIN operations o ON o.id = s.id WHERE s.id = ?", (snapshot_id,))
    if not rows:
        return None
    body, offset, plan = rows[0]
    if offset is not None:
        body = body[:offset] + ',"plan":' + plan + body[offset:]
    return json.loads(body)


class Result:
    def __init__(self, code, out, err):
        self.code, self.out, self.err = code, out, err

    def __repr__(self):
        return f"exit {self.code}\n--- stdout\n{self.out}\n--- stderr\n{self.err}"


class E2ETest(unittest.TestCase):
    """Gives each test a private HOME (so XDG config, cache and state are
    isolated), a sandbox factory, and runners for xuictl with and without a pty."""

    def setUp(self):
        self.work = tempfile.mkdtemp(prefix="xuictl-e2e-")
        self.home = os.path.join(self.work, "home")
        os.makedirs(self.home, mode=0o700)
        self.sandboxes = []

    def tearDown(self):
        for s in self.sandboxes:
            s.stop()
        shutil.rmtree(self.work, ignore_errors=True)

    def sandbox(self, *args):
        s = Sandbox(*args, workdir=self.work)
        self.sandboxes.append(s)
        return s

    def env_for(self, sandbox, **extra):
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": self.home, "LANG": "C.UTF-8",
               "XUI_URL": sandbox.url, "XUI_USERNAME": sandbox.info["username"],
               "XUI_PASSWORD": sandbox.info["password"]}
        for k in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"):
            if k in os.environ:
                env[k] = os.environ[k]
        for k, v in extra.items():
            if v is None:
                env.pop(k, None)
            else:
                env[k] = v
        return env

    def xuictl(self, sandbox, *args, env=None, input_text=None, **extra):
        """Runs xuictl with no terminal (stdin is a pipe or /dev/null)."""
        env = env if env is not None else self.env_for(sandbox, **extra)
        p = subprocess.run([XUICTL, *args], env=env, capture_output=True, text=True, timeout=60,
                           input=input_text, stdin=None if input_text is not None else subprocess.DEVNULL,
                           start_new_session=True)
        return Result(p.returncode, p.stdout, p.stderr)

    def xuictl_tty(self, sandbox, *args, answers=(), env=None, stdin_text=None, stdin_null=False,
                   react=None, **extra):
        """Runs xuictl in a real pseudo-terminal (its controlling tty) and types
        each answer after the next prompt appears. Returns the screen text.
        stdin_text (a pipe holding it) or stdin_null (/dev/null) replace the
        terminal on stdin only: `echo ... | xuictl` typed in an interactive shell.
        react(screen_bytes) is called about every 0.1 s while xuictl runs; bytes
        it returns are typed (b"\x03": Ctrl-C, the terminal's own SIGINT)."""
        env = env if env is not None else self.env_for(sandbox, **extra)
        pipe = os.pipe() if stdin_text is not None else None
        pid, fd = pty.fork()
        if pid == 0:
            try:
                if pipe is not None:
                    os.close(pipe[1])
                    os.dup2(pipe[0], 0)
                elif stdin_null:
                    os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
                os.execve(XUICTL, [XUICTL, *args], env)
            finally:
                os._exit(127)
        if pipe is not None:
            os.close(pipe[0])
            os.write(pipe[1], stdin_text.encode())
            os.close(pipe[1])
        screen = b""
        pending = list(answers)
        deadline = time.monotonic() + 60
        status = None
        while time.monotonic() < deadline:
            r, _, _ = select.select([fd], [], [], 0.1)
            if r:
                try:
                    chunk = os.read(fd, 4096)
                except OSError:
                    chunk = b""
                if not chunk:
                    break
                screen += chunk
                last_line = screen.rsplit(b"\n", 1)[-1]
                at_prompt = last_line.endswith(b": ") and any(
                    p in last_line for p in (b"to confirm", b"Password for", b"2FA code"))
                if pending and at_prompt:
                    answer = pending.pop(0)
                    if answer is None:
                        os.write(fd, b"\x04")  # Ctrl-D: EOF
                    elif answer == "^C":
                        os.write(fd, b"\x03")
                    else:
                        os.write(fd, answer.encode() + b"\n")
            if react is not None:
                typed = react(screen)
                if typed:
                    try:
                        os.write(fd, typed)
                    except OSError:
                        pass  # xuictl is gone: the terminal is closed
            done, st = os.waitpid(pid, os.WNOHANG)
            if done:
                status = st
                # drain what is left
                while True:
                    r, _, _ = select.select([fd], [], [], 0.1)
                    if not r:
                        break
                    try:
                        chunk = os.read(fd, 4096)
                    except OSError:
                        break
                    if not chunk:
                        break
                    screen += chunk
                break
        if status is None:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            _, status = os.waitpid(pid, 0)
        os.close(fd)
        code = os.waitstatus_to_exitcode(status)
        return Result(code, screen.decode(errors="replace").replace("\r\n", "\n"), "")

    def assertExit(self, result, code):
        self.assertEqual(result.code, code, repr(result))
