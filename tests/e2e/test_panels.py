"""e2e: panels after v3.6.0 (issue 17) and shared clients (issue 15 §2): dev
builds, scoped and expiring tokens, per-client cycles and renewals, shared
clients counted once, master panels with nodes, new protocols, and the
version-dependent answers of the panel. Each test runs the real xuictl
against the real sandbox, on the versions where the behaviour differs."""
import json
import time
import unittest

from xuictl_e2e import E2ETest

DAY_MS = 24 * 3600 * 1000


class PanelsTest(E2ETest):
    def token_env(self, sbx):
        """Only the sandbox's API token: no username or password to fall back on."""
        return self.env_for(sbx, XUI_USERNAME=None, XUI_PASSWORD=None, XUI_TOKEN=sbx.info["token"])

    def list_routes(self, sbx):
        prefix = sbx.info["base_path"] + "panel/api/inbounds/list"
        return [(r["path"][len(sbx.info["base_path"]):], r["status"]) for r in sbx.requests()
                if r["path"].startswith(prefix)]

    # ---- version detection -------------------------------------------------------

    def test_dev_build_is_v3_with_the_newest_known_semantics(self):
        sbx = self.sandbox("--panel-version", "dev+02002dc1")
        r = self.xuictl(sbx, "version")
        self.assertExit(r, 0)
        self.assertIn('panel  dev+02002dc1 (API v3; "dev+02002dc1" is not a release number, so '
                      "xuictl assumes the newest behaviour it knows, 3.8.5 or later)", r.out)
        self.assertIn("api    v3\n", r.out)
        j = self.xuictl(sbx, "version", "-o", "json")
        self.assertExit(j, 0)
        doc = json.loads(j.out)
        self.assertEqual((doc["panel_version"], doc["api"], doc["assumed_version"]),
                         ("dev+02002dc1", "v3", "3.8.5"))
        # A purge plans with the v3 routes (bulkDel with the planned emails),
        # never the classic ones that answer 404 there; the plan says why.
        sbx.control("POST", "reset-log")
        p = self.xuictl(sbx, "clients", "purge-depleted", "1", "--yes", "-o", "json")
        self.assertExit(p, 0)
        self.assertIn('the panel reports version "dev+02002dc1", which is not a release number',
                      p.err)
        plan = json.loads(p.out.splitlines()[0])
        self.assertEqual((plan["api"], plan["panel_version"], plan["assumed_version"]),
                         ("v3", "dev+02002dc1", "3.8.5"))
        self.assertEqual(sbx.writes(), ["POST /panel/api/clients/bulkDel"])
        self.assertFalse(any("delDepletedClients" in line for line in sbx.request_lines()))

    def test_released_versions_after_3_6_are_read_as_numbers(self):
        for version in ("3.7.0", "3.8.5"):
            with self.subTest(version=version):
                sbx = self.sandbox("--panel-version", version)
                j = json.loads(self.xuictl(sbx, "version", "-o", "json").out)
                self.assertEqual((j["panel_version"], j["api"]), (version, "v3"))
                self.assertNotIn("assumed_version", j)

    # ---- scoped and expiring tokens (after v3.6.0) ----------------------------------

    def test_monitor_token_cannot_read_inbounds(self):
        sbx = self.sandbox("--panel-version", "3.7.0", "--api-token", "--token-scope", "monitor")
        env = self.token_env(sbx)
        # Nothing known yet: list/slim refused, then the full list refused,
        # nothing else asked (`inbound list`: stats reads the full list on a
        # panel with per-client cycles).
        r = self.xuictl(sbx, "inbound", "list", env=env)
        self.assertExit(r, 4)
        self.assertIn("the API token's scope does not allow the inbound list; the panel says: "
                      "this API token is not permitted to access this endpoint", r.err)
        self.assertNotIn("check --url", r.err)
        self.assertEqual(self.list_routes(sbx), [("panel/api/inbounds/list/slim", 403),
                                                 ("panel/api/inbounds/list", 403)])
        # Known since (the session cache keeps it for this token): refused
        # with the panel's words, and nothing is sent that the scope forbids.
        sbx.control("POST", "reset-log")
        for args in (("stats",), ("traffic", "reset", "c1-1@example.test", "--yes")):
            with self.subTest(args=args):
                w = self.xuictl(sbx, *args, env=env)
                self.assertExit(w, 4)
                self.assertIn("the API token's scope (monitor) does not allow the inbound list; "
                              "the panel says: this API token is not permitted to access this "
                              "endpoint", w.err)
        self.assertEqual(self.list_routes(sbx), [])
        self.assertEqual(sbx.writes(), [])
        v = self.xuictl(sbx, "version", env=env)
        self.assertExit(v, 0)
        self.assertIn("token  monitor: server status and history only", v.out)

    def test_node_sync_token_reads_the_full_list(self):
        sbx = self.sandbox("--panel-version", "3.8.5", "--api-token", "--token-scope", "node-sync")
        env = self.token_env(sbx)
        r = self.xuictl(sbx, "inbound", "list", "-o", "json", env=env)
        self.assertExit(r, 0)
        self.assertEqual(len(json.loads(r.out)), 3)
        self.assertEqual(self.list_routes(sbx), [("panel/api/inbounds/list/slim", 403),
                                                 ("panel/api/inbounds/list", 200)])
        s = self.xuictl(sbx, "stats", "-o", "json", env=env)
        self.assertEqual(len(json.loads(s.out)["clients"]), 24)
        v = self.xuictl(sbx, "version", "-o", "json", env=env)
        self.assertExit(v, 0)
        self.assertEqual(json.loads(v.out)["token_scope"], "node-sync")
        # Known now (version and stats both showed it, the cache keeps it):
        # stats asks list/slim no more.
        sbx.control("POST", "reset-log")
        self.assertExit(self.xuictl(sbx, "stats", env=env), 0)
        self.assertEqual(self.list_routes(sbx), [("panel/api/inbounds/list", 200)])

    def test_node_sync_token_plans_fit_its_scope(self):
        sbx = self.sandbox("--panel-version", "3.7.0", "--api-token", "--token-scope", "node-sync")
        env = self.token_env(sbx)
        # Not known yet: the bulk route is refused after the confirmation,
        # exit 4, said as what it is; nothing changed; the refusal is kept.
        w = self.xuictl(sbx, "inbound", "reset", "1", "--yes", env=env)
        self.assertExit(w, 4)
        self.assertIn("scope does not allow the inbound clients reset", w.err)
        self.assertNotIn("check --url", w.err)
        self.assertTrue(all(c["up"] > 0 or c["down"] > 0 or c["email"].endswith("-6@example.test")
                            for c in sbx.clients().values() if c["inbound_id"] == 1))
        # Known now: the same write through the per-client route it allows,
        # said in the plan, one request per client, verified.
        sbx.control("POST", "reset-log")
        r = self.xuictl(sbx, "inbound", "reset", "1", "--yes", env=env)
        self.assertExit(r, 0)
        self.assertIn("this API token has the node-sync scope, which may not send "
                      "clients/bulkResetTraffic: the 8 client(s) are sent one request each to "
                      "clients/resetTraffic/:email", r.err)
        self.assertEqual(sbx.writes(), ["POST /panel/api/clients/resetTraffic/c1-%d%%40example.test"
                                        % k for k in range(1, 9)])
        self.assertTrue(all(c["up"] == 0 and c["down"] == 0
                            for c in sbx.clients().values() if c["inbound_id"] == 1))
        # What no allowed route can do is refused at plan time: exit 4, the
        # panel's words, no prompt, nothing recorded or sent.
        sbx.control("POST", "reset-log")
        for args in (("clients", "purge-depleted", "1"),
                     ("clients", "purge-depleted", "1", "--dry-run")):
            with self.subTest(args=args):
                p = self.xuictl(sbx, *args, env=env)
                self.assertExit(p, 4)
                self.assertIn("the API token's scope (node-sync) does not allow the "
                              "inbounds/get/:id route", p.err)
                self.assertIn("the panel says: this API token is not permitted to access this "
                              "endpoint", p.err)
                self.assertNotIn("Type \"", p.err)
                self.assertNotIn("Plan:", p.err)
        self.assertEqual(sbx.writes(), [])
        self.assertFalse(any("inbounds/get/" in line for line in sbx.request_lines()))
        audit = self.xuictl(sbx, "audit", "-o", "json", env=env)
        self.assertEqual([e["command"] for e in json.loads(audit.out)], ["inbound reset 1",
                                                                          "inbound reset 1"])
        # purge-depleted --all: the whole records from inbounds/list (allowed),
        # then one clients/del/:email per planned client; never bulkDel or
        # inbounds/get/:id, which node-sync may not send.
        sbx.control("POST", "reset-log")
        p = self.xuictl(sbx, "clients", "purge-depleted", "--all", "--yes", env=env)
        self.assertExit(p, 0)
        self.assertIn("which may not send clients/bulkDel", p.err)
        writes = sbx.writes()
        self.assertTrue(writes)
        self.assertTrue(all(w.startswith("POST /panel/api/clients/del/") for w in writes), writes)
        self.assertFalse(any("inbounds/get/" in line or "bulkDel" in line
                             for line in sbx.request_lines()))
        sbx.control("POST", "reset-log")
        # traffic reset-all: inbounds/resetAllTraffics is allowed.
        a = self.xuictl(sbx, "traffic", "reset-all", "--yes", env=env)
        self.assertExit(a, 0)
        self.assertEqual(sbx.writes(), ["POST /panel/api/inbounds/resetAllTraffics"])

    def test_admin_token_and_a_panel_without_scopes(self):
        sbx = self.sandbox("--panel-version", "3.7.0", "--api-token")
        v = self.xuictl(sbx, "version", env=self.token_env(sbx))
        self.assertIn("token  admin: every route\n", v.out)
        old = self.sandbox("--panel-version", "3.6.0", "--api-token")
        v = self.xuictl(old, "version", env=self.token_env(old))
        self.assertIn("token  every route (this panel version has no token scopes)\n", v.out)
        # No scope probe is sent to a panel that has no scopes.
        self.assertFalse(any("inbounds/get/0" in line for line in old.request_lines()))

    def test_expired_token_is_refused_like_a_wrong_one(self):
        sbx = self.sandbox("--panel-version", "3.7.0", "--api-token", "--token-expires-in", "-60")
        r = self.xuictl(sbx, "stats", env=self.token_env(sbx))
        self.assertExit(r, 4)
        self.assertIn("did not accept the API token", r.err)
        self.assertIn("expired", r.err)

    # ---- per-client cycles and renewals ----------------------------------------------

    def test_client_cycle_in_show_and_stats(self):
        sbx = self.sandbox("--panel-version", "3.7.0")
        sbx.control("POST", "client", {"email": "c1-1@example.test", "trafficReset": "monthly",
                                       "trafficResetDay": 31})
        sbx.control("POST", "client", {"email": "c1-8@example.test", "reset": 30, "resetMax": 3,
                                       "resetCount": 1})
        show = self.xuictl(sbx, "clients", "show", "c1-1@example.test", "-o", "table")
        self.assertExit(show, 0)
        self.assertRegex(show.out, r"cycle\s+resets monthly \(day 31\), next \d{4}-\d\d-\d\d UTC\n")
        tsv = self.xuictl(sbx, "clients", "show", "c1-1@example.test").out
        # TSV is data: DEPLETED false, then the cycle columns and STATE.
        self.assertRegex(tsv, r"\tfalse\t\t\tmonthly\t\d{4}-\d\d-(28|29|30|31)T00:00:00Z\tenabled\n$")
        j = json.loads(self.xuictl(sbx, "clients", "show", "c1-8@example.test", "-o", "json").out)
        cycle = j[0]["cycle"]
        self.assertEqual((cycle["renews"], cycle["renewals_max"], cycle["renewals_done"],
                          cycle["renewals_left"], cycle["traffic_reset"]), (True, 3, 1, 2, "never"))
        expiry = sbx.clients()["c1-8@example.test"]["expiryTime"]
        self.assertEqual(cycle["next_renewal_ms"], expiry)
        # list/slim drops the client's own cycle; on a panel that has them
        # stats reads the full list instead and shows the real one. Its
        # report (no cycle column) keeps list/slim.
        sbx.control("POST", "reset-log")
        s = json.loads(self.xuictl(sbx, "stats", "-o", "json").out)
        by_email = {c["email"]: c for c in s["clients"]}
        self.assertEqual(by_email["c1-8@example.test"]["cycle"]["renewals_left"], 2)
        self.assertEqual(by_email["c1-1@example.test"]["cycle"]["traffic_reset"], "monthly")
        self.assertEqual(by_email["c1-2@example.test"]["cycle"]["traffic_reset"], "never")
        self.assertEqual(self.list_routes(sbx), [("panel/api/inbounds/list", 200)])
        self.xuictl(sbx, "stats", "--report")
        self.assertEqual(self.list_routes(sbx)[-1], ("panel/api/inbounds/list/slim", 200))
        table = self.xuictl(sbx, "stats", "--client", "c1-1@example.test", "-o", "table").out
        self.assertRegex(table, r"c1-1@example\.test .* resets monthly \(day 31\), next "
                                r"\d{4}-\d\d-\d\d UTC\n")
        for version in ("3.8.5", "dev+02002dc1"):
            with self.subTest(version=version):
                other = self.sandbox("--panel-version", version)
                other.control("POST", "client", {"email": "c1-1@example.test",
                                                 "trafficReset": "weekly"})
                t = self.xuictl(other, "stats", "--client", "c1-1@example.test", "-o", "tsv")
                self.assertRegex(t.out, r"\tweekly\t\d{4}-\d\d-\d\dT00:00:00Z\t[a-z-]+\n$")
                self.assertEqual(self.list_routes(other), [("panel/api/inbounds/list", 200)])
        csv = self.xuictl(sbx, "stats", "-o", "csv").out.splitlines()
        self.assertTrue(csv[0].endswith("RENEWALS_LEFT,NEXT_RENEWAL,TRAFFIC_RESET,NEXT_TRAFFIC_RESET,STATE"))
        row = next(line for line in csv if line.startswith("1,c1-8@example.test,"))
        self.assertIn(",2,", row)
        # On 3.6.0 there are no cycles: "never", not unknown.
        old = self.sandbox("--panel-version", "3.6.0")
        s = json.loads(self.xuictl(old, "stats", "-o", "json").out)
        self.assertEqual({c["cycle"]["traffic_reset"] for c in s["clients"]}, {"never"})

    def test_plan_warns_about_resets_by_the_panel_within_a_day(self):
        sbx = self.sandbox("--panel-version", "3.7.0")
        sbx.control("POST", "client", {"email": "c1-1@example.test", "trafficReset": "daily"})
        r = self.xuictl(sbx, "inbound", "reset", "1", "--dry-run")
        self.assertExit(r, 0)
        self.assertIn("the panel itself will reset or renew 2 planned client(s) within about a "
                      "day", r.err)
        self.assertIn("c1-1@example.test (resets daily, next ", r.err)
        self.assertIn("c1-7@example.test (renews every 30 d, due now)", r.err)
        self.assertEqual(sbx.writes(), [])

    def test_capped_renewals_spent_are_never_purged_by_the_panel(self):
        sbx = self.sandbox("--panel-version", "3.7.0")
        # c1-7 renews every 30 days and is expired: with its cap spent it stays
        # expired, and delDepleted never matches it (reset stays 30).
        sbx.control("POST", "client", {"email": "c1-7@example.test", "resetMax": 2,
                                       "resetCount": 2})
        r = self.xuictl(sbx, "clients", "purge-depleted", "--all", "--dry-run", "-o", "json")
        self.assertExit(r, 0)
        self.assertIn("1 client(s) have used all their capped renewals and stay expired or over "
                      "quota, but the panel's depleted rule never matches them", r.err)
        self.assertIn("c1-7@example.test", r.err.split("capped renewals")[1])
        plan, result = [json.loads(line) for line in r.out.splitlines()]
        self.assertEqual(result["status"], "skipped")  # a dry run: the result object follows
        self.assertNotIn("c1-7@example.test", [c["email"] for c in plan["clients"]])
        j = json.loads(self.xuictl(sbx, "clients", "show", "c1-7@example.test", "-o", "json").out)
        self.assertTrue(j[0]["cycle"]["never_purged_by_panel"])
        self.assertEqual(j[0]["cycle"]["next_renewal_ms"], None)

    def test_depleted_predicate_follows_reset_day_after_3_6(self):
        # c1-2 is over quota. With a renewal day it is depleted on 3.6.0 (the
        # panel has no resetDay) and not on 3.7.0 (reset_day = 0 joined the
        # predicate): xuictl plans exactly what the panel would delete.
        for version, purged in (("3.6.0", True), ("3.7.0", False)):
            with self.subTest(version=version):
                sbx = self.sandbox("--panel-version", version)
                sbx.control("POST", "client", {"email": "c1-2@example.test", "resetDay": 5})
                r = self.xuictl(sbx, "clients", "purge-depleted", "--all", "--yes", "-o", "json")
                self.assertExit(r, 0)
                plan = json.loads(r.out.splitlines()[0])
                planned = "c1-2@example.test" in [c["email"] for c in plan["clients"]]
                self.assertEqual(planned, purged)
                self.assertEqual("c1-2@example.test" not in sbx.clients(), purged)

    def test_no_command_sends_a_client_update(self):
        # clients/update/:email resets every omitted field after v3.6.0
        # (limitHwid, resetDay, resetMax, trafficReset): xuictl never sends it.
        sbx = self.sandbox("--panel-version", "3.7.0")
        sbx.control("POST", "client", {"email": "c1-1@example.test", "resetDay": 3,
                                       "trafficReset": "weekly"})
        for args in (("traffic", "reset", "c1-1@example.test", "--yes"),
                     ("inbound", "reset", "1", "--yes"),
                     ("clients", "purge-depleted", "--all", "--yes")):
            self.assertExit(self.xuictl(sbx, *args), 0)
        self.assertFalse(any("/clients/update/" in line for line in sbx.request_lines()))
        c1 = next(c for i in sbx.state()["inbounds"] for c in i["clients"]
                  if c["email"] == "c1-1@example.test")
        self.assertEqual((c1["resetDay"], c1["trafficReset"]), (3, "weekly"))

    # ---- shared clients (v3.1+) ------------------------------------------------------

    def test_shared_client_counts_once(self):
        # 3.3.0 lists the row under its owner only; 3.3.1+ repeats it under
        # every inbound the client is attached to.
        for version in ("3.3.0", "3.6.0"):
            with self.subTest(version=version):
                sbx = self.sandbox("--panel-version", version)
                sbx.control("POST", "client", {"email": "c1-1@example.test", "attach": [2]})
                c11 = sbx.clients()["c1-1@example.test"]
                s = json.loads(self.xuictl(sbx, "stats", "-o", "json").out)
                rows = [c for c in s["clients"] if c["email"] == "c1-1@example.test"]
                self.assertEqual(sorted(c["inbound_id"] for c in rows), [1, 2])
                self.assertTrue(all(c["used"] == c11["up"] + c11["down"] for c in rows))
                state = sbx.state()
                emails = {c["email"] for i in state["inbounds"] for c in i["clients"]}
                used = sum(c["up"] + c["down"] for c in sbx.clients().values())
                self.assertEqual(s["totals"]["clients"], len(emails))
                self.assertEqual(s["totals"]["rows"], len(emails) + 1)
                self.assertEqual(s["totals"]["used"], used)
                rep = json.loads(self.xuictl(sbx, "stats", "--report", "-o", "json").out)
                self.assertEqual(rep["total"]["used"], used)
                # Monitoring: one alert for the shared client, not one per inbound.
                sbx.control("POST", "client", {"email": "c1-1@example.test",
                                               "total": c11["up"] + c11["down"]})
                mon = self.xuictl(sbx, "stats", "--warn", "80", "--crit", "95", "-o", "json")
                self.assertExit(mon, 12)
                depleted = [c["email"] for c in json.loads(mon.out)["depleted"]]
                self.assertEqual(depleted.count("c1-1@example.test"), 1)

    def test_plan_shows_every_inbound_of_a_shared_client(self):
        sbx = self.sandbox("--panel-version", "3.6.0")
        sbx.control("POST", "client", {"email": "c1-2@example.test", "attach": [2]})
        r = self.xuictl(sbx, "inbound", "reset", "1", "--dry-run", "-o", "json")
        self.assertExit(r, 0)
        self.assertIn("1 client(s) are attached to several inbounds: c1-2@example.test "
                      "(inbounds 1, 2); each is counted once, and its counters are reset there "
                      "too (one traffic row)", r.err)
        # purge --all: one target and one phrase count for the shared client.
        p = self.xuictl(sbx, "clients", "purge-depleted", "--all", "--yes", "-o", "json")
        self.assertExit(p, 0)
        plan = json.loads(p.out.splitlines()[0])
        emails = [c["email"] for c in plan["clients"]]
        self.assertEqual(emails.count("c1-2@example.test"), 1)
        self.assertEqual(plan["phrase"], "DELETE {} CLIENTS ON 127.0.0.1".format(len(emails)))
        self.assertIn("deleted from every one of them (one client record)", p.err)
        self.assertNotIn("c1-2@example.test", sbx.clients())
        # Verified against the planned scope only: success, nothing reported missing.
        self.assertIn("verified", p.err)

    # ---- master panels with nodes ---------------------------------------------------

    def test_master_lists_its_nodes_and_stats_says_counters_include_them(self):
        sbx = self.sandbox("--panel-version", "3.7.0", "--nodes", "2")
        sbx.control("POST", "inbound", {"id": 1, "nodeId": 1})
        v = self.xuictl(sbx, "version")
        self.assertExit(v, 0)
        self.assertIn("role   master of 2 node(s); client counters include the traffic they "
                      "report\n", v.out)
        self.assertRegex(v.out, r"node-1\s+node1\.example\.test:2053\s+online")
        self.assertRegex(v.out, r"node-2\s+node2\.example\.test:2053\s+offline")
        j = json.loads(self.xuictl(sbx, "version", "-o", "json").out)
        self.assertEqual(j["role"], "master")
        self.assertEqual([(n["name"], n["status"]) for n in j["nodes"]],
                         [("node-1", "online"), ("node-2", "offline")])
        s = self.xuictl(sbx, "stats")
        self.assertExit(s, 0)
        self.assertIn("this panel is a master: inbound(s) 1 (node 1) run on its nodes, and their "
                      "client counters include the traffic those nodes report", s.err)
        p = self.xuictl(sbx, "inbound", "reset", "1", "--dry-run")
        self.assertIn("this panel is a master: inbound 1 on node 1 run on its nodes", p.err)
        # A panel without nodes: no role line, no note.
        plain = self.sandbox("--panel-version", "3.7.0")
        v = self.xuictl(plain, "version")
        self.assertNotIn("role", v.out)
        self.assertEqual(json.loads(self.xuictl(plain, "version", "-o", "json").out)["role"],
                         "not_master")
        self.assertNotIn("master", self.xuictl(plain, "stats").err)

    def test_node_managed_by_a_master_is_named_and_plans_warn(self):
        sbx = self.sandbox("--panel-version", "3.7.0", "--master-token", "central-panel-a")
        v = self.xuictl(sbx, "version")
        self.assertExit(v, 0)
        self.assertIn('role   node (managed by a master: node-sync token "central-panel-a"); the '
                      "master's sync can overwrite changes made here\n", v.out)
        j = json.loads(self.xuictl(sbx, "version", "-o", "json").out)
        self.assertEqual(j["role"], "node")
        self.assertEqual(j["managed_by"], {"node_sync_tokens": ["central-panel-a"],
                                           "own_token": False})
        # Every plan warns, before the phrase; the write is what was planned.
        sbx.control("POST", "reset-log")
        p = self.xuictl(sbx, "traffic", "reset", "c1-1@example.test", "--yes")
        self.assertExit(p, 0)
        self.assertIn('note: this panel is a node that a master manages (node-sync token '
                      '"central-panel-a"): the master\'s sync can overwrite what this plan '
                      "changes here", p.err)
        self.assertEqual(sbx.writes(),
                         ["POST /panel/api/clients/resetTraffic/c1-1%40example.test"])
        self.assertIn("GET /panel/api/setting/apiTokens", sbx.request_lines())
        # Asked with a token of the node-sync scope: the token itself is the
        # sign (it may not list the others, and is never sent there).
        tok = self.sandbox("--panel-version", "3.8.5", "--api-token", "--token-scope", "node-sync")
        env = self.token_env(tok)
        tv = self.xuictl(tok, "version", env=env)
        self.assertIn("role   node (managed by a master: this API token has the node-sync scope)",
                      tv.out)
        d = self.xuictl(tok, "traffic", "reset", "c1-1@example.test", "--dry-run", env=env)
        self.assertExit(d, 0)
        self.assertIn("this panel is a node that a master manages (this API token has the "
                      "node-sync scope)", d.err)
        self.assertFalse(any("setting/apiTokens" in line for line in tok.request_lines()))
        # An expired or other-scope token marks nothing; 3.6.0 has no scopes:
        # no token list is asked, no role said.
        for panel in (self.sandbox("--panel-version", "3.7.0", "--api-token"),
                      self.sandbox("--panel-version", "3.6.0")):
            with self.subTest(panel=panel.info["panel_version"]):
                out = self.xuictl(panel, "version").out
                self.assertNotIn("role", out)
                self.assertNotIn("managed by a master", self.xuictl(
                    panel, "traffic", "reset", "c1-1@example.test", "--dry-run").err)
        self.assertFalse(any("setting/apiTokens" in line
                             for line in self.sandboxes[-1].request_lines()))

    # ---- inbound ids, new protocols -----------------------------------------------

    def test_unknown_inbound_id_is_refused_in_the_plan_on_every_version(self):
        # The panel's own inbounds/:id/resetTraffic answers success for an
        # unknown id up to 3.6.0 and "record not found" after: xuictl checks
        # the id before anything is sent, on both.
        for version in ("3.6.0", "3.7.0"):
            with self.subTest(version=version):
                sbx = self.sandbox("--panel-version", version)
                r = self.xuictl(sbx, "inbound", "reset", "99", "--yes")
                self.assertExit(r, 5)
                self.assertIn("no inbound with id 99", r.err)
                self.assertEqual(sbx.writes(), [])

    def test_new_protocols_and_unknown_fields_decode(self):
        sbx = self.sandbox("--panel-version", "3.8.5")
        sbx.control("POST", "inbound", {"id": 1, "protocol": "amneziawg"})
        sbx.control("POST", "inbound", {"id": 2, "protocol": "tuic"})
        for args in (("inbound", "list", "-o", "json"), ("clients", "show", "c1-1@example.test"),
                     ("stats", "-o", "json")):
            r = self.xuictl(sbx, *args)
            self.assertExit(r, 0)
        inbounds = json.loads(self.xuictl(sbx, "inbound", "list", "-o", "json").out)
        self.assertEqual([i["protocol"] for i in inbounds][:2], ["amneziawg", "tuic"])
        r = self.xuictl(sbx, "inbound", "reset", "2", "--yes")
        self.assertExit(r, 0)


if __name__ == "__main__":
    unittest.main()
