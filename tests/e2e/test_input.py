"""e2e: bad input never crashes xuictl (issue 8): invalid URLs and ids are
usage errors (exit 2) before any request; emails with spaces, unicode, shell
metacharacters, quotes and percent signs are percent-encoded exactly in the
route and reset the right client on both API generations; an email the panel
cannot route ('/') is refused before anything is sent; panel JSON with unknown
fields works, with a missing field fails naming its JSON path, and a huge
answer is refused."""
import http.server
import json
import os
import threading
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

from xuictl_e2e import E2ETest, audit_records, state_db

SOURCE_DIR = os.environ.get("XUICTL_SOURCE_DIR",
                            os.path.join(os.path.dirname(__file__), "..", ".."))


def errors_of(result):
    return [l for l in result.err.splitlines() if l.startswith("xuictl: error:")]


class PanelClient:
    """Just enough of a browser to add a client through the panel's own API
    (v3 clients/add, classic inbounds/addClient) and set its counters."""

    def __init__(self, sbx):
        self.sbx = sbx
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        status, body = self.call("GET", "csrf-token")
        self.headers = {"X-CSRF-Token": json.loads(body)["obj"]} if status == 200 else {}
        form = urllib.parse.urlencode({"username": sbx.info["username"],
                                       "password": sbx.info["password"]})
        status, body = self.call("POST", "login", form, "application/x-www-form-urlencoded")
        assert status == 200 and json.loads(body)["success"], body

    def call(self, method, route, body=None, content_type="application/json"):
        data = None if body is None else (body if isinstance(body, str) else json.dumps(body)).encode()
        headers = dict(getattr(self, "headers", {}))
        if data is not None:
            headers["Content-Type"] = content_type
        req = urllib.request.Request(self.sbx.url + route, data=data, method=method, headers=headers)
        try:
            with self.opener.open(req, timeout=10) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()

    def add_client(self, email, up, down):
        client = {"id": "0b7c4e2a-5d0e-4a51-9a3c-6f1f0d5c9e11", "email": email, "enable": True,
                  "totalGB": 0, "expiryTime": 0}
        if self.sbx.info["api"] == "v3":
            status, body = self.call("POST", "panel/api/clients/add", {"inboundIds": [1], "client": client})
            route = "panel/api/clients/updateTraffic/"
        else:
            settings = json.dumps({"clients": [client]})
            status, body = self.call("POST", "panel/api/inbounds/addClient", {"id": 1, "settings": settings})
            route = "panel/api/inbounds/updateClientTraffic/"
        assert status == 200 and json.loads(body)["success"], body
        if "/" not in email:  # the panel cannot route it (see the test below)
            status, body = self.call("POST", route + urllib.parse.quote(email, safe=""),
                                     {"upload": up, "download": down})
            assert status == 200 and json.loads(body)["success"], body


ODD_EMAILS = [
    "with space@x.test",
    "ünïcödé-東京@x.test",
    "$(touch pwned);`id`|&<>*?!#~@x.test",
    "q'uo\"te@x.test",
    "per%41cent%@x.test",
    "plus+tag=1,2:3@x.test",
]


class OddEmails(E2ETest):
    API = "v3"

    def setUp(self):
        super().setUp()
        self.sbx = self.sandbox("--api", self.API)
        self.panel = PanelClient(self.sbx)

    def reset_args(self, email):
        return ["traffic", "reset", email] if self.API == "v3" else ["traffic", "reset", "1", email]

    def route(self):
        base = self.sbx.info["base_path"]
        return (base + "panel/api/clients/resetTraffic/" if self.API == "v3"
                else base + "panel/api/inbounds/1/resetClientTraffic/")

    def test_odd_emails_are_percent_encoded_and_reset_exactly_that_client(self):
        for i, email in enumerate(ODD_EMAILS):
            self.panel.add_client(email, 1000 + i, 2000 + i)
        before = self.sbx.clients()
        for email in ODD_EMAILS:
            r = self.xuictl(self.sbx, *self.reset_args(email), "--yes")
            self.assertExit(r, 0)
            self.assertIn(email, r.err)  # named as is in the plan and the result
        sent = [x["path"] for x in self.sbx.requests() if x["method"] == "POST" and
                ("resetTraffic/" in x["path"] or "resetClientTraffic/" in x["path"])]
        self.assertEqual(sent, [self.route() + urllib.parse.quote(e, safe="-._~") for e in ODD_EMAILS])
        after = self.sbx.clients()
        for email, c in before.items():
            want = (0, 0) if email in ODD_EMAILS else (c["up"], c["down"])
            self.assertEqual((after[email]["up"], after[email]["down"]), want, email)
        self.assertFalse(os.path.exists(os.path.join(self.work, "pwned")))
        self.assertFalse(os.path.exists("pwned"))

    def test_unicode_email_keeps_the_client_table_aligned(self):
        self.panel.add_client("東京-ünï@x.test", 123456, 654321)
        r = self.xuictl(self.sbx, "stats", "--inbound", "1", "-o", "table", "--bytes", "--no-color")
        self.assertExit(r, 0)
        lines = r.out.splitlines()
        lines = [l for l in lines[next(i for i, l in enumerate(lines) if "EMAIL" in l):] if l.strip()]
        self.assertTrue(any("東京-ünï@x.test" in l for l in lines), r.out)
        header_end = display_width(lines[0][:lines[0].index(" UP ") + len(" UP")])
        for row in lines[1:]:
            up = row.split()[2]
            end = row.index("  " + up + "  ") + 2 + len(up)
            self.assertEqual(display_width(row[:end]), header_end, row)  # UP is right-aligned

    def test_email_with_a_slash_goes_in_a_body_or_is_refused_before_anything_is_recorded(self):
        # gin matches the decoded path, so no URL path can name it (issue 15 §2).
        email = "sl/ash@x.test"
        self.panel.add_client(email, 100, 200)
        r = self.xuictl(self.sbx, *self.reset_args(email), "--yes")
        self.assertFalse([x for x in self.sbx.requests() if "ash" in x["path"]])
        state_dir = os.path.join(self.home, ".local", "state", "xuictl")
        if self.API == "v3":
            # v3.2.0+ has a route that takes the email in its body.
            self.assertExit(r, 0)
            sent = [x for x in self.sbx.requests() if x["path"].endswith("clients/bulkResetTraffic")]
            self.assertEqual([json.loads(x["body"]) for x in sent], [{"emails": [email]}])
            self.assertEqual((self.sbx.clients()[email]["up"], self.sbx.clients()[email]["down"]), (0, 0))
        else:
            self.assertExit(r, 6)
            self.assertEqual(len(errors_of(r)), 1, r)
            self.assertIn(f"cannot address client '{email}'", r.err)
            self.assertIn("nothing was sent", r.err)
            self.assertEqual([w for w in self.sbx.writes() if "addClient" not in w], [])  # but the setup's
            self.assertEqual(audit_records(state_dir), [], "refused before any snapshot or audit record")
            self.assertFalse(os.path.exists(state_db(state_dir)), "not even the store was created")


class ClassicOddEmails(OddEmails):
    API = "classic"


class BadArguments(E2ETest):
    def setUp(self):
        super().setUp()
        self.sbx = self.sandbox("--api", "v3")

    def test_invalid_urls_are_usage_errors_before_any_request(self):
        cases = {
            "127.0.0.1:2053/": "missing scheme",
            "http://127.0.0.1:0/": "invalid port '0'",
            "http://127.0.0.1:70000/": "invalid port '70000'",
            "http://127.0.0.1:abc/": "invalid port 'abc'",
            "http://127.0.0.1:99999999999999999999/": "invalid port",
            "http://exa mple.com/": "whitespace",
            "http://127.0.0.1:2053/sec ret/": "whitespace",
            "ftp://127.0.0.1/": "unsupported scheme 'ftp'",
            "http://": "missing host",
            "http://[::1/": "unterminated IPv6",
            "http://127.0.0.1/?x=1": "query or fragment",
        }
        for url, why in cases.items():
            started = time.monotonic()
            r = self.xuictl(self.sbx, "stats", XUI_URL=url)
            self.assertExit(r, 2)
            self.assertEqual(len(errors_of(r)), 1, r)
            self.assertIn(why, r.err)
            self.assertIn("hint: expected e.g. https://", r.err)
            self.assertLess(time.monotonic() - started, 5)
        self.assertEqual(self.sbx.requests(), [])

    def test_credentials_in_the_url_are_refused_and_not_repeated(self):
        r = self.xuictl(self.sbx, "stats", XUI_URL="http://admin:hunter2-S3cret@127.0.0.1:1/")
        self.assertExit(r, 2)
        self.assertIn("credentials in the URL are not allowed", r.err)
        self.assertNotIn("hunter2-S3cret", r.err)

    def test_bad_ids_are_usage_errors_naming_the_value(self):
        cases = [
            (["inbound", "reset", "abc", "--yes"], "ID must be a whole number >= 0, got 'abc'"),
            (["inbound", "reset", "--", "-1"], "ID must be a whole number >= 0, got '-1'"),
            (["inbound", "reset", "1.5", "--yes"], "got '1.5'"),
            (["inbound", "reset", "99999999999", "--yes"], "ID is too large"),
            (["clients", "purge-depleted", "x", "--yes"], "ID must be a whole number >= 0, got 'x'"),
            (["clients", "purge-depleted", "", "--yes"], "got ''"),
            (["stats", "--inbound", "x"], "--inbound must be a whole number >= 0, got 'x'"),
            (["stats", "--inbound", "-3"], "got '-3'"),
            (["clients", "list", "--inbound", "0x10"], "got '0x10'"),
            (["traffic", "reset", "x", "c1-1@example.test", "--yes"], "non-negative inbound id, got 'x'"),
            (["traffic", "reset", "-1", "c1-1@example.test", "--yes"], "got '-1'"),
            (["--timeout", "0", "stats"], "--timeout"),
            (["--timeout", "abc", "stats"], "--timeout"),
        ]
        for args, why in cases:
            r = self.xuictl(self.sbx, *args)
            self.assertExit(r, 2)
            self.assertEqual(len(errors_of(r)), 1, r)
            self.assertIn(why, r.err)
            self.assertNotIn("179769313486231570814527423731704356798070567525844996598917476803157260780028538760589558632766878171540458953514382464234321326889464182768467546703537516986049910576551282076245490090389328944075868508455133942304583236903222948165808559332123348274797826204144723168738177180919299881250404026184124858368", r.err)
        self.assertEqual(self.sbx.requests(), [])


# --- a scripted panel: answers we cannot get from the sandbox ---------------

class ScriptedPanel:
    """A tiny HTTP server on 127.0.0.1 answering the two reads `xuictl stats`
    makes with a bearer token: server/status (v3.6.0) and inbounds/list (or
    list/slim: the same body; a 3.6.0 panel has no per-client cycles)."""

    def __init__(self, list_body):
        panel = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                if self.path.endswith("/panel/api/server/status"):
                    body = json.dumps({"success": True, "msg": "", "obj": {
                        "panelVersion": "3.6.0", "cpu": 1.5, "brandNewField": {"x": [1, 2]}}}).encode()
                    return self.answer([body])
                if self.path.endswith(("/panel/api/inbounds/list", "/panel/api/inbounds/list/slim")):
                    return self.answer(panel.list_body)
                self.send_response(404)
                self.end_headers()

            def answer(self, chunks):
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Connection", "close")
                self.end_headers()
                try:
                    for chunk in chunks:
                        self.wfile.write(chunk)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # xuictl hung up: what the huge-body test wants

        self.list_body = list_body
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


class PanelJsonShapes(E2ETest):
    def setUp(self):
        super().setUp()
        with open(os.path.join(SOURCE_DIR, "tests", "fuzz", "regressions", "inbound_list", "v3.json"),
                  encoding="utf-8") as f:
            self.listing = json.load(f)
        self.panels = []

    def tearDown(self):
        for p in self.panels:
            p.stop()
        super().tearDown()

    def stats(self, chunks, *args):
        panel = ScriptedPanel(chunks)
        self.panels.append(panel)
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": self.home, "LANG": "C.UTF-8",
               "XUI_URL": panel.url, "XUI_TOKEN": "scripted-token"}
        for k in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"):
            if k in os.environ:
                env[k] = os.environ[k]
        return self.xuictl(None, "stats", "-o", "json", *args, env=env)

    def test_unknown_fields_are_ignored(self):
        doc = self.listing
        doc["fromTheFuture"] = {"a": [1, {"b": None}]}
        doc["obj"][0]["newInboundField"] = [1, 2, 3]
        doc["obj"][0]["clientStats"][0]["newCounter"] = 1e30
        r = self.stats([json.dumps(doc).encode()])
        self.assertExit(r, 0)
        self.assertIn('"' + doc["obj"][0]["clientStats"][0]["email"] + '"', r.out)
        json.loads(r.out)

    def test_a_missing_field_is_an_error_naming_its_json_path(self):
        doc = self.listing
        del doc["obj"][0]["clientStats"][1]["up"]
        r = self.stats([json.dumps(doc).encode()])
        self.assertExit(r, 1)
        self.assertEqual(len(errors_of(r)), 1, r)
        self.assertIn("obj[0].clientStats[1].up", r.err)
        self.assertEqual(r.out, "")

    def test_a_mistyped_field_is_an_error_naming_its_json_path(self):
        doc = self.listing
        doc["obj"][0]["clientStats"][0]["down"] = "lots"
        r = self.stats([json.dumps(doc).encode()])
        self.assertExit(r, 1)
        self.assertIn("obj[0].clientStats[0].down", r.err)

    def test_a_huge_answer_is_refused(self):
        mib = b" " * (1 << 20)
        chunks = [b'{"success":true,"msg":"","obj":['] + [mib] * 300  # 300 MiB, never ends
        started = time.monotonic()
        r = self.stats(chunks)
        self.assertExit(r, 1)
        self.assertEqual(len(errors_of(r)), 1, r)
        self.assertIn("larger than 256 MiB; refused", r.err)
        self.assertLess(time.monotonic() - started, 60)


def display_width(text):
    wide = lambda c: (0x1100 <= c <= 0x115F or 0x2E80 <= c <= 0xA4CF or 0xAC00 <= c <= 0xD7A3 or
                      0xF900 <= c <= 0xFAFF or 0xFF00 <= c <= 0xFF60 or 0x1F300 <= c <= 0x1FAFF)
    return sum(2 if wide(ord(ch)) else 1 for ch in text)


if __name__ == "__main__":
    unittest.main()
