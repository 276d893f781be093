"""Shell completion in real shells against a real sandbox panel.

bash: bash-completion is sourced, then completions/xuictl.bash; the completion
function runs with COMP_WORDS/COMP_CWORD set as readline would, and COMPREPLY
is read back. zsh: an interactive zsh in a pseudo-terminal loads
completions/_xuictl through fpath + compinit, and the test types TAB and reads
both the command line (through a widget that prints $BUFFER) and the listing
zsh shows. fish: `complete -C`. The panel comes through XUI_URL, XUI_USERNAME
and XUI_PASSWORD in the environment, never on argv; XDG_CACHE_HOME is private.
Every wait is bounded."""
import os
import pty
import re
import select
import signal
import socket
import struct
import subprocess
import time
import unittest

import fcntl
import termios

from xuictl_e2e import HOSTILE_EMAILS, XUICTL, E2ETest, write_emails_file

SOURCE_DIR = os.environ.get(
    "XUICTL_SOURCE_DIR", os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))
COMPLETIONS = os.path.join(SOURCE_DIR, "completions")
BASH_COMPLETION = "/usr/share/bash-completion/bash_completion"
ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][A-Za-z0-9]|\x1b[=>]|\x1b\][^\x07]*\x07")

BASH_DRIVER = r"""
source "$BASH_COMPLETION_FILE"
source "$XUICTL_COMPLETION_FILE"
COMP_WORDS=("$@")
COMP_CWORD=$(($# - 1))
COMP_LINE="$*"
COMP_POINT=${#COMP_LINE}
_xuictl "${COMP_WORDS[0]}" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
printf '%s\n' "${COMPREPLY[@]}"
"""

ZSHRC = r"""
fpath=({completions} $fpath)
autoload -Uz compinit && compinit -u -d {dump}
zstyle ':completion:*' list-prompt ''
setopt no_list_ambiguous no_beep
LISTMAX=0
_xuictl_test_dump() {{ print -rn -- "<<BUFFER:${{BUFFER}}>>" > /dev/tty }}
zle -N _xuictl_test_dump
bindkey '^Xd' _xuictl_test_dump
PS1='READY> '
"""


def which(program):
    for d in os.environ.get("PATH", "").split(os.pathsep):
        if os.access(os.path.join(d, program), os.X_OK):
            return os.path.join(d, program)
    return None


class Zsh:
    """An interactive zsh in a pseudo-terminal with _xuictl loaded."""

    def __init__(self, env, workdir):
        rc = os.path.join(workdir, "zshrc")
        with open(rc, "w", encoding="utf-8") as f:
            f.write(ZSHRC.format(completions=COMPLETIONS, dump=os.path.join(workdir, "zcompdump")))
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            try:
                os.execve(which("zsh"), ["zsh", "-f", "-i"], dict(env, TERM="xterm"))
            finally:
                os._exit(127)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", 60, 200, 0, 0))
        os.write(self.fd, f"source {rc}\n".encode())
        self.read_until(lambda text: "READY> " in text, 20)

    def read_until(self, done, timeout):
        data = b""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.fd], [], [], 0.1)
            if ready:
                try:
                    chunk = os.read(self.fd, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                data += chunk
                if done(self.clean(data)):
                    return self.clean(data)
        raise AssertionError("zsh: timed out; screen so far:\n" + self.clean(data))

    @staticmethod
    def clean(data):
        return ANSI.sub("", data.decode(errors="replace")).replace("\r", "")

    def complete(self, text):
        """Types text and TAB; returns (command line afterwards, screen)."""
        os.write(self.fd, text.encode() + b"\t")
        os.write(self.fd, b"\x18d")  # ^Xd: print the buffer, after the completion ran
        screen = self.read_until(lambda s: re.search(r"<<BUFFER:.*>>", s) is not None, 30)
        buffer = re.search(r"<<BUFFER:(.*?)>>", screen).group(1)
        # Clear the line and wait until zsh has done so, before the next step.
        os.write(self.fd, b"\x15\x18d")
        self.read_until(lambda s: "<<BUFFER:>>" in s, 10)
        return buffer, screen

    def close(self):
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(self.pid, 0)
        os.close(self.fd)


FISH_INIT = r"""
function fish_prompt; echo -n 'READY> '; end
function fish_greeting; end
source {completion}
bind \cg 'echo -n "<<BUFFER:"(commandline)">>" > /dev/tty'
"""


class Fish(Zsh):
    """An interactive fish in a pseudo-terminal with xuictl.fish loaded;
    complete() types TAB and returns the command line afterwards."""

    def __init__(self, env, workdir):
        rc = os.path.join(workdir, "init.fish")
        with open(rc, "w", encoding="utf-8") as f:
            f.write(FISH_INIT.format(completion=os.path.join(COMPLETIONS, "xuictl.fish")))
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            try:
                os.execve(which("fish"), ["fish", "--no-config", "-i", "-C", f"source {rc}"],
                          dict(env, TERM="dumb"))
            finally:
                os._exit(127)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", 60, 200, 0, 0))
        self.read_until(lambda text: "READY> " in text, 20)

    def complete(self, text):
        os.write(self.fd, text.encode() + b"\t")
        os.write(self.fd, b"\x07")  # ^G: print the command line, after the completion ran
        screen = self.read_until(lambda s: re.search(r"<<BUFFER:.*>>", s) is not None, 30)
        buffer = re.search(r"<<BUFFER:(.*?)>>", screen).group(1)
        os.write(self.fd, b"\x15\x0b\x07")  # clear the line (^U, ^K), then print it
        self.read_until(lambda s: "<<BUFFER:>>" in s, 10)
        return buffer


class ShellTest(E2ETest):
    """Runs real shells (bash, zsh, fish) completing xuictl against self.sbx."""

    def shell_env(self, sandbox, **extra):
        env = self.env_for(sandbox, XDG_CACHE_HOME=os.path.join(self.work, "cache"), **extra)
        env["PATH"] = os.path.dirname(os.path.abspath(XUICTL)) + os.pathsep + env["PATH"]
        return env

    def bash(self, *words, env=None):
        env = dict(env or self.env, BASH_COMPLETION_FILE=BASH_COMPLETION,
                   XUICTL_COMPLETION_FILE=os.path.join(COMPLETIONS, "xuictl.bash"))
        p = subprocess.run(["bash", "-c", BASH_DRIVER, "bash", "xuictl", *words], env=env,
                           capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL)
        self.assertEqual(p.returncode, 0, p.stderr)
        return [line for line in p.stdout.splitlines() if line]

    def zsh(self):
        shell = Zsh(self.env, self.work)
        self.addCleanup(shell.close)
        return shell

    def fish(self, line):
        p = subprocess.run(["fish", "--no-config", "-c",
                            "source $argv[1]; complete -C $argv[2]",
                            os.path.join(COMPLETIONS, "xuictl.fish"), line],
                           env=self.env, capture_output=True, text=True, timeout=30,
                           stdin=subprocess.DEVNULL)
        self.assertEqual(p.returncode, 0, p.stderr)
        return [line.split("\t") for line in p.stdout.splitlines() if line]


class CompletionTest(ShellTest):
    def setUp(self):
        super().setUp()
        self.sbx = self.sandbox("--api", "v3")
        self.env = self.shell_env(self.sbx)
        state = self.sbx.state()
        self.remarks = {i["id"]: i["remark"] for i in state["inbounds"]}
        self.emails = {i["id"]: [c["email"] for c in i["clients"]] for i in state["inbounds"]}
        self.first, self.second = sorted(self.remarks)[:2]

    def list_requests(self):
        # list/slim on this v3.6.0 sandbox: what read-only views ask for
        return [r for r in self.sbx.requests() if "/panel/api/inbounds/list" in r["path"]]

    # --- bash -----------------------------------------------------------------

    @unittest.skipUnless(os.path.exists(BASH_COMPLETION), "bash-completion is not installed")
    def test_bash(self):
        self.assertEqual(self.bash("tr"), ["traffic"])
        self.assertEqual(self.bash("-o", ""), ["table", "json", "csv", "tsv", "prometheus"])
        self.assertEqual(self.bash("stats", "--sort", "e"), ["email", "expiry"])
        self.assertEqual(sorted(self.bash("traffic", "reset", ""), key=int),
                         [str(i) for i in sorted(self.remarks)])
        self.assertEqual(self.bash("traffic", "reset", str(self.first), ""), self.emails[self.first])
        # Options and global options between the words do not confuse it.
        self.assertEqual(self.bash("-o", "json", "traffic", "reset", "--dry-run", str(self.second), ""),
                         self.emails[self.second])
        self.assertEqual(self.bash("clients", "show", self.emails[self.second][0]),
                         [self.emails[self.second][0]])
        self.assertEqual(sorted(self.bash("stats", "--inbound", "")),
                         sorted(str(i) for i in self.remarks))
        self.assertIn("--dry-run", self.bash("inbound", "reset", "--"))
        self.assertIn("--url", self.bash("inbound", "reset", "--"))
        self.assertEqual(self.bash("completion", ""), ["bash", "zsh", "fish"])

    @unittest.skipUnless(os.path.exists(BASH_COMPLETION), "bash-completion is not installed")
    def test_bash_audit_ids(self):
        self.assertEqual(self.bash("traffic", "restore", ""), [])  # no audit log yet
        email = self.emails[self.first][0]
        done = self.xuictl(self.sbx, "traffic", "reset", str(self.first), email, "--yes",
                           env=self.env)
        self.assertExit(done, 0)
        audit_id = re.search(r"audit id (\S+)", done.err).group(1)
        self.assertEqual(self.bash("traffic", "restore", ""), [audit_id])
        self.assertEqual(self.bash("audit", "show", audit_id[:4]), [audit_id])

    # --- zsh ------------------------------------------------------------------

    @unittest.skipUnless(which("zsh"), "zsh is not installed")
    def test_zsh(self):
        shell = self.zsh()
        buffer, _ = shell.complete("xuictl tr")
        self.assertEqual(buffer, "xuictl traffic ")

        buffer, screen = shell.complete("xuictl traffic reset ")
        self.assertEqual(buffer, "xuictl traffic reset ")
        for inbound_id, remark in self.remarks.items():
            # zsh shows each id with its remark as the description.
            self.assertRegex(screen, rf"(?m)^{inbound_id}\s+-- {re.escape(remark)}")

        buffer, screen = shell.complete(f"xuictl traffic reset {self.first} ")
        prefix = os.path.commonprefix(self.emails[self.first])
        self.assertEqual(buffer, f"xuictl traffic reset {self.first} {prefix}")
        for email in self.emails[self.first]:
            self.assertIn(email, screen)
        for email in self.emails[self.second]:
            self.assertNotIn(email, screen)  # only that inbound's clients

        one = self.emails[self.second][0]
        buffer, _ = shell.complete(f"xuictl -v traffic reset --yes {self.second} {one[:-1]}")
        self.assertEqual(buffer.rstrip(), f"xuictl -v traffic reset --yes {self.second} {one}")

        buffer, screen = shell.complete("xuictl -o ")
        for fmt in ("table", "json", "csv", "tsv", "prometheus"):
            self.assertRegex(screen, rf"(?m)^{fmt}\s+-- ")

        buffer, screen = shell.complete("xuictl clients purge-depleted --")
        self.assertIn("--dry-run", screen)
        self.assertIn("--all", screen)

        # Profile names after `--profile ` (and `--profile=`), before or after the command.
        d = os.path.join(self.home, ".config", "xuictl")
        os.makedirs(d, mode=0o700, exist_ok=True)
        with open(os.path.join(d, "config.toml"), "w", encoding="utf-8") as f:
            f.write(f'[profiles.prod-east]\nurl = "{self.sbx.url}"\nusername = "a"\n'
                    f'[profiles.prod-west]\nurl = "{self.sbx.url}"\nusername = "a"\n'
                    f'[profiles.lab]\nurl = "{self.sbx.url}"\nusername = "a"\n')
        buffer, screen = shell.complete("xuictl --profile ")
        self.assertIn("prod-east", screen)
        self.assertIn("lab", screen)
        buffer, _ = shell.complete("xuictl --profile l")
        self.assertEqual(buffer.rstrip(), "xuictl --profile lab")
        buffer, _ = shell.complete("xuictl stats --profile prod-w")
        self.assertEqual(buffer.rstrip(), "xuictl stats --profile prod-west")
        buffer, _ = shell.complete("xuictl --profile=l")
        self.assertEqual(buffer.rstrip(), "xuictl --profile=lab")

    # --- fish -----------------------------------------------------------------

    @unittest.skipUnless(which("fish"), "fish is not installed")
    def test_fish(self):
        self.assertEqual([c[0] for c in self.fish("xuictl tr")], ["traffic"])
        ids = self.fish("xuictl traffic reset ")
        self.assertEqual({int(c[0]): c[1] for c in ids}, self.remarks)
        self.assertEqual(sorted(c[0] for c in self.fish(f"xuictl traffic reset {self.first} ")),
                         sorted(self.emails[self.first]))
        self.assertEqual(sorted(c[0] for c in self.fish("xuictl -o ")),
                         ["csv", "json", "prometheus", "table", "tsv"])

    # --- the live values and their cache --------------------------------------

    def complete(self, *args, env):
        started = time.monotonic()
        p = subprocess.run([XUICTL, "__complete", *args], env=env, capture_output=True, text=True,
                           timeout=30, stdin=subprocess.DEVNULL)
        return p, time.monotonic() - started

    def test_listing_is_cached_privately(self):
        p, _ = self.complete("inbounds", env=self.env)
        self.assertEqual(p.returncode, 0)
        self.assertEqual(p.stdout, "".join(f"{i}\t{r}\n" for i, r in self.remarks.items()))
        p, _ = self.complete("emails", str(self.second), env=self.env)
        self.assertEqual(p.stdout.splitlines(), self.emails[self.second])
        self.bash("traffic", "reset", "")
        self.assertEqual(len(self.list_requests()), 1, self.sbx.request_lines())

        directory = os.path.join(self.work, "cache", "xuictl", "completion")
        self.assertEqual(os.stat(directory).st_mode & 0o777, 0o700)
        files = os.listdir(directory)
        self.assertEqual(len(files), 1)
        path = os.path.join(directory, files[0])
        self.assertEqual(os.stat(path).st_mode & 0o777, 0o600)
        with open(path, encoding="utf-8") as f:
            cached = f.read()
        self.assertNotIn(self.sbx.info["password"], cached)
        self.assertNotIn(self.sbx.url, cached)
        self.assertIn(self.emails[self.first][0], cached)

    def test_nothing_configured_prints_nothing_quickly(self):
        env = {"PATH": os.environ.get("PATH", ""), "HOME": self.home,
               "XDG_CACHE_HOME": os.path.join(self.work, "cache")}
        for args in (("inbounds",), ("emails",), ("emails", "1"), ("profiles",)):
            p, elapsed = self.complete(*args, env=env)
            self.assertEqual((p.returncode, p.stdout, p.stderr), (0, "", ""), args)
            self.assertLess(elapsed, 2.0)
        self.assertEqual(self.bash("traffic", "reset", "", env=env), [])

    def test_no_password_means_no_prompt_and_no_login(self):
        env = self.shell_env(self.sbx, XUI_PASSWORD=None)
        p, _ = self.complete("inbounds", env=env)
        self.assertEqual((p.returncode, p.stdout, p.stderr), (0, "", ""))
        self.assertEqual(self.sbx.logins(), [])

    def test_unreachable_panel_prints_nothing(self):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            closed_port = s.getsockname()[1]
        env = self.shell_env(self.sbx, XUI_URL=f"http://127.0.0.1:{closed_port}/")
        p, elapsed = self.complete("inbounds", env=env)
        self.assertEqual((p.returncode, p.stdout, p.stderr), (0, "", ""))
        self.assertLess(elapsed, 5.0)

    def test_silent_panel_is_given_up_after_a_few_seconds(self):
        # Accepts the connection (kernel backlog) and never answers: only the
        # short completion timeout ends the wait (a command would wait 30 s).
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            s.listen(8)
            env = self.shell_env(self.sbx, XUI_URL=f"http://127.0.0.1:{s.getsockname()[1]}/")
            p, elapsed = self.complete("inbounds", env=env)
        self.assertEqual((p.returncode, p.stdout, p.stderr), (0, "", ""))
        self.assertLess(elapsed, 8.0)

    def test_classic_panel(self):
        classic = self.sandbox("--api", "classic")
        env = self.shell_env(classic)
        state = classic.state()
        first = state["inbounds"][0]
        p, _ = self.complete("emails", str(first["id"]), env=env)
        self.assertEqual(p.stdout.splitlines(), [c["email"] for c in first["clients"]])


# One client per inbound (the sandbox's --clients 1), so completing
# `traffic reset N ` inserts exactly one email. zsh and fish get the first
# five (no control characters: their line editors show those themselves).
COMPLETED_EMAILS = HOSTILE_EMAILS[:6]
FAKE_XUICTL = "xuictl() { printf '%s\\0' \"$@\"; }; "


class HostileCompletionTest(ShellTest):
    """Each completed value is one shell word that evaluates to the literal
    email; nothing in it runs (no CANARY file appears)."""

    def setUp(self):
        E2ETest.setUp(self)
        self.sbx = self.sandbox("--api", "v3", "--inbounds", str(len(COMPLETED_EMAILS)), "--clients",
                                "1", "--emails-file", write_emails_file(self.work, COMPLETED_EMAILS))
        self.env = self.shell_env(self.sbx)
        self.run_dir = os.path.join(self.work, "run")
        os.makedirs(self.run_dir)

    def run_line(self, shell, line):
        """Runs a completed command line in `shell` with xuictl replaced by a
        function printing its arguments; returns them."""
        script = {"bash": FAKE_XUICTL, "zsh": FAKE_XUICTL,
                  "fish": "function xuictl; printf '%s\\0' $argv; end; "}[shell] + line
        p = subprocess.run([shell, "-c", script] if shell != "fish" else ["fish", "--no-config", "-c", script],
                           cwd=self.run_dir, capture_output=True, timeout=30, stdin=subprocess.DEVNULL)
        self.assertEqual(p.returncode, 0, p.stderr)
        return p.stdout.decode().split("\0")[:-1]

    def assert_nothing_ran(self):
        self.assertEqual(os.listdir(self.run_dir), [])

    @unittest.skipUnless(os.path.exists(BASH_COMPLETION), "bash-completion is not installed")
    def test_bash_inserts_each_email_as_one_quoted_word(self):
        for inbound, email in enumerate(COMPLETED_EMAILS, start=1):
            with self.subTest(email=email):
                reply = self.bash("traffic", "reset", str(inbound), "")
                self.assertEqual(len(reply), 1, reply)
                args = self.run_line("bash", f"xuictl traffic reset {inbound} {reply[0]}")
                self.assertEqual(args, ["traffic", "reset", str(inbound), email])
                # A typed prefix, quoted as the user would: the same single word.
                typed = "'" + email[:3].replace("'", "'\\''") + "'" if "'" in email[:3] else "'" + email[:3] + "'"
                self.assertEqual(self.bash("traffic", "reset", str(inbound), typed), reply)
        self.assert_nothing_ran()

    @unittest.skipUnless(which("zsh"), "zsh is not installed")
    def test_zsh_inserts_each_email_as_one_quoted_word(self):
        shell = self.zsh()
        for inbound, email in enumerate(COMPLETED_EMAILS[:5], start=1):
            with self.subTest(email=email):
                buffer, _ = shell.complete(f"xuictl traffic reset {inbound} ")
                self.assertEqual(self.run_line("zsh", buffer), ["traffic", "reset", str(inbound), email])
        self.assert_nothing_ran()

    @unittest.skipUnless(which("fish"), "fish is not installed")
    def test_fish_inserts_each_email_as_one_quoted_word(self):
        shell = Fish(self.env, self.work)
        self.addCleanup(shell.close)
        for inbound, email in enumerate(COMPLETED_EMAILS[:5], start=1):
            with self.subTest(email=email):
                self.assertEqual([c[0] for c in self.fish(f"xuictl traffic reset {inbound} ")], [email])
                buffer = shell.complete(f"xuictl traffic reset {inbound} ")
                self.assertEqual(self.run_line("fish", buffer), ["traffic", "reset", str(inbound), email])
        self.assert_nothing_ran()


if __name__ == "__main__":
    unittest.main()
