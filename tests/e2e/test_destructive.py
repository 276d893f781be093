"""e2e: the four destructive commands against the sandbox on both API
generations — through a real pseudo-terminal (right and wrong phrase, EOF),
scripted with --yes, and --dry-run — checking the sandbox state afterwards,
the requests sent (and not sent), the audit line and the snapshot (issue 4)."""
import json
import os
import stat
import unittest
import urllib.parse

from xuictl_e2e import E2ETest, audit_records, snapshot_of, state_db


def depleted(c, now):
    """The panel's own predicate (3x-ui-api.md §7.1), from sandbox state."""
    if c["reset"] != 0:
        return False
    quota = c["total"] > 0 and c["up"] + c["down"] >= c["total"]
    expired = 0 < c["expiryTime"] <= now
    return quota or expired


class DestructiveBase(E2ETest):
    API = "v3"

    def setUp(self):
        super().setUp()
        self.sbx = self.sandbox("--api", self.API)
        self.before = self.sbx.state()
        self.state_dir = os.path.join(self.home, ".local", "state", "xuictl")

    def audit_lines(self):
        return audit_records(self.state_dir)

    def assert_recorded(self, command, status="ok"):
        lines = self.audit_lines()
        self.assertEqual(len(lines), 1, lines)
        entry = lines[0]
        self.assertEqual((entry["command"], entry["status"]), (command, status))
        self.assertEqual(entry["panel"], self.sbx.url)
        self.assertEqual(entry["snapshot"], entry["id"])
        self.assertEqual(stat.S_IMODE(os.stat(state_db(self.state_dir)).st_mode), 0o600)
        self.assertEqual(stat.S_IMODE(os.stat(self.state_dir).st_mode), 0o700)
        snapshot = snapshot_of(self.state_dir, entry["snapshot"])
        self.assertEqual(snapshot["plan"]["command"], command)
        return entry, snapshot

    def assert_nothing_written(self):
        self.assertEqual(self.sbx.writes(), [])
        self.assertEqual(self.sbx.state()["inbounds"], self.before["inbounds"])
        self.assertEqual(self.audit_lines(), [])

    def clients_before(self):
        return {c["email"]: dict(c, inbound_id=i["id"]) for i in self.before["inbounds"] for c in i["clients"]}

    def first_client(self, inbound_id=1):
        inbound = next(i for i in self.before["inbounds"] if i["id"] == inbound_id)
        return next(c for c in inbound["clients"] if c["up"] + c["down"] > 0)


class V3Destructive(DestructiveBase):
    API = "v3"

    def reset_one_args(self, email):
        return ["traffic", "reset", email] if self.API == "v3" else ["traffic", "reset", "1", email]

    def test_traffic_reset_typed_phrase_resets_exactly_that_client(self):
        target = self.first_client()
        r = self.xuictl_tty(self.sbx, *self.reset_one_args(target["email"]),
                            answers=["RESET " + target["email"]])
        self.assertExit(r, 0)
        self.assertIn("RESET " + target["email"], r.out)
        after = self.sbx.clients()
        for email, c in self.clients_before().items():
            if email == target["email"]:
                self.assertEqual((after[email]["up"], after[email]["down"]), (0, 0))
            else:
                self.assertEqual((after[email]["up"], after[email]["down"]), (c["up"], c["down"]), email)
        entry, snapshot = self.assert_recorded(f"traffic reset 1 {target['email']}")
        planned = snapshot["plan"]["clients"]
        self.assertEqual([(p["email"], p["up"], p["down"]) for p in planned],
                         [(target["email"], target["up"], target["down"])])

    def test_wrong_phrase_and_eof_change_nothing(self):
        target = self.first_client()
        for answer in ("RESET someone-else", "yes", None):
            r = self.xuictl_tty(self.sbx, *self.reset_one_args(target["email"]), answers=[answer])
            self.assertExit(r, 3)
            self.assertIn("aborted, nothing changed", r.out)
        self.assert_nothing_written()

    def test_no_terminal_without_yes_refuses_and_names_the_flag(self):
        r = self.xuictl(self.sbx, "inbound", "reset", "1")
        self.assertExit(r, 3)
        self.assertIn("--yes", r.err)
        self.assert_nothing_written()

    def test_dry_run_writes_nothing_and_prints_plan_json(self):
        r = self.xuictl(self.sbx, "clients", "purge-depleted", "--all", "--dry-run", "-o", "json")
        self.assertExit(r, 0)
        plan_line, result_line = r.out.splitlines()
        plan = json.loads(plan_line)
        now = self.before["now_ms"]
        want = sorted(e for e, c in self.clients_before().items() if depleted(c, now))
        self.assertEqual(sorted(c["email"] for c in plan["clients"]), want)
        self.assertEqual(plan["phrase"], self.purge_phrase(len(want)))
        result = json.loads(result_line)
        self.assertEqual((result["id"], result["status"], result["message"]),
                         (None, "skipped", "dry run: nothing changed"))
        self.assertEqual(result["verification"], {"checked": False, "ok": None, "mismatches": []})
        self.assert_nothing_written()

    def purge_phrase(self, clients):
        # A classic purge also deletes the inbound it leaves empty, and says so.
        # --all is panel-wide: the phrase names the panel (no profile here: its host).
        return (f"DELETE {clients} CLIENTS" + (" AND 1 INBOUND" if self.API == "classic" else "")
                + " ON 127.0.0.1")

    def test_inbound_reset_with_yes_resets_exactly_that_inbound(self):
        r = self.xuictl(self.sbx, "inbound", "reset", "1", "--yes")
        self.assertExit(r, 0)
        after = self.sbx.clients()
        for email, c in self.clients_before().items():
            got = (after[email]["up"], after[email]["down"])
            self.assertEqual(got, (0, 0) if c["inbound_id"] == 1 else (c["up"], c["down"]), email)
        self.assert_recorded("inbound reset 1")
        base = self.sbx.info["base_path"]
        expect = ([f"POST {base}panel/api/clients/bulkResetTraffic"] if self.API == "v3"
                  else [f"POST {base}panel/api/inbounds/resetAllClientTraffics/1"])
        self.assertEqual(self.sbx.writes(), expect)

    def test_inbound_reset_all_with_confirm_phrase(self):
        r = self.xuictl(self.sbx, "inbound", "reset", "--all", "--confirm", "RESET ALL CLIENTS ON 127.0.0.1")
        self.assertExit(r, 0)
        self.assertTrue(all((c["up"], c["down"]) == (0, 0) for c in self.sbx.clients().values()))
        # Inbound counters are not touched by a client reset.
        for b, a in zip(self.before["inbounds"], self.sbx.state()["inbounds"]):
            self.assertEqual((a["up"], a["down"]), (b["up"], b["down"]))
        self.assert_recorded("inbound reset --all")

    def test_traffic_reset_all_touches_inbound_counters_only(self):
        r = self.xuictl_tty(self.sbx, "traffic", "reset-all", answers=["RESET ALL INBOUNDS ON 127.0.0.1"])
        self.assertExit(r, 0)
        self.assertIn("client counters are NOT touched", r.out)
        self.assertIn(f"  panel: {self.sbx.url}, ", r.out)  # the plan names the panel
        self.assertIn(f'to confirm on {self.sbx.url} (anything else aborts)', r.out)
        state = self.sbx.state()
        self.assertTrue(all((i["up"], i["down"]) == (0, 0) for i in state["inbounds"]))
        after = self.sbx.clients()
        for email, c in self.clients_before().items():
            self.assertEqual((after[email]["up"], after[email]["down"]), (c["up"], c["down"]))
        self.assert_recorded("traffic reset-all")

    def test_purge_all_deletes_exactly_the_depleted_set(self):
        now = self.before["now_ms"]
        want_gone = {e for e, c in self.clients_before().items() if depleted(c, now)}
        self.assertTrue(want_gone)
        r = self.xuictl_tty(self.sbx, "clients", "purge-depleted", "--all",
                            answers=[self.purge_phrase(len(want_gone))])
        self.assertExit(r, 0)
        remaining = set(self.sbx.clients())
        self.assertEqual(remaining, set(self.clients_before()) - want_gone)
        ids_after = [i["id"] for i in self.sbx.state()["inbounds"]]
        last = self.before["inbounds"][-1]["id"]
        if self.API == "classic":
            self.assertIn("DELETES THE WHOLE INBOUND", r.out)
            self.assertNotIn(last, ids_after)  # the panel deleted the emptied inbound
        else:
            self.assertIn(last, ids_after)     # v3 keeps emptied inbounds
        self.assert_recorded("clients purge-depleted --all")

    def test_purge_one_inbound_deletes_only_its_depleted_clients(self):
        now = self.before["now_ms"]
        want_gone = {e for e, c in self.clients_before().items() if c["inbound_id"] == 1 and depleted(c, now)}
        r = self.xuictl(self.sbx, "clients", "purge-depleted", "1", "--yes")
        self.assertExit(r, 0)
        self.assertEqual(set(self.sbx.clients()), set(self.clients_before()) - want_gone)
        if self.API == "v3":
            body = [x for x in self.sbx.requests() if x["path"].endswith("clients/bulkDel")][0]["body"]
            self.assertEqual(sorted(json.loads(body)["emails"]), sorted(want_gone))

    def test_a_client_depleted_between_plan_and_write_is_never_deleted_unseen(self):
        # The sandbox makes a healthy client depleted right after serving the
        # plan's list (issue 15 §2). v3: the write names exactly the planned
        # emails, so it survives; classic (a predicate route): the re-read
        # before the write sees the change and nothing is sent.
        now = self.before["now_ms"]
        planned = {e for e, c in self.clients_before().items() if depleted(c, now)}
        victim = next(e for e, c in self.clients_before().items()
                      if not depleted(c, now) and c["reset"] == 0 and c["inbound_id"] == 1)
        self.sbx.control("POST", "fault", {"mode": "deplete-after", "path": "inbounds/list",
                                           "count": 1, "email": victim})
        r = self.xuictl(self.sbx, "clients", "purge-depleted", "--all", "--yes", "-o", "json")
        result = json.loads(r.out.splitlines()[-1])
        if self.API == "v3":
            self.assertExit(r, 0)
            self.assertEqual(set(self.sbx.clients()), set(self.clients_before()) - planned)
            self.assertIn(victim, self.sbx.clients())
            bodies = [x["body"] for x in self.sbx.requests() if x["path"].endswith("clients/bulkDel")]
            self.assertEqual(len(bodies), 1)
            self.assertEqual(sorted(json.loads(bodies[0])["emails"]), sorted(planned))
            self.assertEqual([x for x in self.sbx.requests() if "delDepleted" in x["path"]], [])
            self.assertEqual((result["status"], sorted(result["done"])), ("ok", sorted(planned)))
        else:
            self.assertExit(r, 1)
            self.assertIn("xuictl: error: the panel changed between the plan and the write", r.err)
            self.assertIn("  " + victim + ": now also a target\n", r.err)
            self.assertIn("nothing was sent", r.err)
            self.assertEqual(self.sbx.writes(), [])
            self.assertEqual(set(self.sbx.clients()), set(self.clients_before()))
            self.assertEqual(self.audit_lines(), [])
            self.assertEqual((result["status"], result["id"], result["exit_code"]),
                             ("not_applied", None, 1))
            lists = [x for x in self.sbx.requests() if x["path"].endswith("inbounds/list")]
            self.assertEqual(len(lists), 2, "the plan's read and the re-read before the write")

    def test_purge_then_clients_restore_gives_back_the_same_clients(self):
        # issue 15 §3: the purge's snapshot keeps each client as the panel
        # returned it; `clients restore ID` creates them again with the same
        # identities, counters and enable switch, through the same flow.
        before = {c["email"]: c for i in self.sbx.state()["inbounds"] if i["id"] == 1
                  for c in i["clients"]}
        r = self.xuictl(self.sbx, "clients", "purge-depleted", "1", "--yes", "-o", "json")
        self.assertExit(r, 0)
        op = json.loads(r.out.splitlines()[-1])["id"]
        gone = set(before) - set(self.sbx.clients())
        self.assertTrue(gone)
        entry, snapshot = self.assert_recorded("clients purge-depleted 1")
        kept = {c["email"]: c["client"] for c in snapshot["deleted"]["clients"]}
        self.assertEqual(set(kept), gone)
        for email in gone:
            self.assertEqual(kept[email]["subId"], before[email]["subId"])

        r = self.xuictl(self.sbx, "clients", "restore", op, "--dry-run")
        self.assertExit(r, 0)
        self.assertIn(f"{len(gone)} deleted client(s) will be created again from snapshot {op}", r.err)
        r = self.xuictl_tty(self.sbx, "clients", "restore", op,
                            answers=[f"RESTORE {len(gone)} DELETED CLIENTS"])
        self.assertExit(r, 0)
        after = {c["email"]: c for i in self.sbx.state()["inbounds"] if i["id"] == 1
                 for c in i["clients"]}
        self.assertEqual(set(after), set(before))
        fields = ("enable", "totalGB", "expiryTime", "reset", "id", "password", "subId", "flow",
                  "comment", "limitIp", "tgId", "up", "down", "total")
        for email in gone:
            self.assertEqual({k: after[email][k] for k in fields},
                             {k: before[email][k] for k in fields}, email)
        lines = self.audit_lines()
        self.assertEqual([(l["command"], l["status"]) for l in lines],
                         [("clients purge-depleted 1", "ok"), ("clients restore " + op, "ok")])
        # A second restore has nothing left to do.
        r = self.xuictl(self.sbx, "clients", "restore", op, "--yes")
        self.assertExit(r, 5)
        self.assertIn("on the panel again", r.err)

    def test_unknown_inbound_exits_5_before_anything(self):
        r = self.xuictl(self.sbx, "inbound", "reset", "999", "--yes")
        self.assertExit(r, 5)
        self.assert_nothing_written()


class ClassicDestructive(V3Destructive):
    API = "classic"

    def test_traffic_reset_without_inbound_needs_the_id(self):
        target = self.first_client()
        r = self.xuictl(self.sbx, "traffic", "reset", target["email"], "--yes")
        self.assertExit(r, 2)
        self.assertIn("inbound id", r.err)
        self.assertIn("traffic reset 1 " + target["email"], r.err)
        self.assert_nothing_written()


    def test_restore_creates_again_the_inbound_a_classic_purge_deleted(self):
        # issue 15 §3: a classic purge deletes the inbound it empties; the
        # snapshot keeps it whole and `clients restore` creates it again
        # (inbounds/add, same id) with its clients, then their counters.
        before = self.sbx.state()["inbounds"]
        listed_before = json.loads(self.xuictl(self.sbx, "inbound", "list", "-o", "json").out)
        r = self.xuictl(self.sbx, "clients", "purge-depleted", "--all", "--yes", "-o", "json")
        self.assertExit(r, 0)
        op = json.loads(r.out.splitlines()[-1])["id"]
        gone_inbound = before[-1]
        self.assertNotIn(gone_inbound["id"], [i["id"] for i in self.sbx.state()["inbounds"]])
        gone = set(self.clients_before()) - set(self.sbx.clients())
        brought = [c["email"] for c in gone_inbound["clients"]]

        r = self.xuictl(self.sbx, "clients", "restore", op, "--dry-run", "-o", "json")
        self.assertExit(r, 0)
        plan = json.loads(r.out.splitlines()[0])
        self.assertEqual(plan["inbounds_created"], [{
            "id": gone_inbound["id"], "port": gone_inbound["port"],
            "protocol": gone_inbound["protocol"], "tag": gone_inbound["tag"],
            "remark": gone_inbound["remark"], "clients": brought}])
        phrase = f"RESTORE {len(gone)} DELETED CLIENTS AND 1 INBOUND"
        self.assertEqual(plan["phrase"], phrase)
        r = self.xuictl(self.sbx, "clients", "restore", op, "--dry-run")
        self.assertIn(f"  inbound {gone_inbound['id']} ({gone_inbound['protocol']} port "
                      f"{gone_inbound['port']}, tag {gone_inbound['tag']}, remark "
                      f"{gone_inbound['remark']}) will be CREATED again with {len(brought)} "
                      "client(s)\n", r.err)
        writes_before = len(self.sbx.writes())
        r = self.xuictl_tty(self.sbx, "clients", "restore", op, answers=[phrase])
        self.assertExit(r, 0)
        base = self.sbx.info["base_path"]
        sent = self.sbx.writes()[writes_before:]
        # The inbound first (one request), then one counter update per client it brought.
        self.assertEqual(sent[0], f"POST {base}panel/api/inbounds/add")
        self.assertEqual(sent.count(f"POST {base}panel/api/inbounds/add"), 1)
        add = [x for x in self.sbx.requests() if x["path"].endswith("inbounds/add")][0]
        body = json.loads(add["body"])
        self.assertEqual(body["id"], gone_inbound["id"])
        self.assertNotIn("clientStats", body)
        self.assertEqual([c["email"] for c in json.loads(body["settings"])["clients"]], brought)
        # Clients of the surviving inbounds come back one addClient each; the
        # inbound's own clients came with it and only get their counters.
        self.assertEqual(sent.count(f"POST {base}panel/api/inbounds/addClient"),
                         len(gone) - len(brought))
        for email in gone:
            self.assertIn(f"POST {base}panel/api/inbounds/updateClientTraffic/"
                          + urllib.parse.quote(email, safe=""), sent)
        # The panel state equals the one before the purge, every inbound
        # field included (id, remark, protocol, port, listen, tag, counters,
        # quota, expiry, enable, reset cycle, streamSettings, sniffing). The
        # panel itself changes only what it computes: the traffic rows' own
        # enable flag (its auto-disable job sets it again; a new row starts
        # from the client's switch), the row ids and the clients' updated_at
        # (neither is part of this state), and where addClient puts a client
        # back into an inbound that survived: at the end of its settings.
        def comparable(inbounds):
            return [dict(i, clients=sorted(({k: v for k, v in c.items() if k != "traffic_enable"}
                                            for c in i["clients"]), key=lambda c: c["email"]))
                    for i in inbounds]
        after = self.sbx.state()["inbounds"]
        self.assertEqual(comparable(after), comparable(before))
        self.assertEqual([c["email"] for c in after[-1]["clients"]], brought)  # its own order
        listed_after = json.loads(self.xuictl(self.sbx, "inbound", "list", "-o", "json").out)
        self.assertEqual(listed_after, listed_before)
        self.assertEqual([(l["command"], l["status"]) for l in self.audit_lines()],
                         [("clients purge-depleted --all", "ok"), ("clients restore " + op, "ok")])

    def test_restore_refuses_an_inbound_whose_port_another_inbound_took(self):
        r = self.xuictl(self.sbx, "clients", "purge-depleted", "--all", "--yes", "-o", "json")
        self.assertExit(r, 0)
        op = json.loads(r.out.splitlines()[-1])["id"]
        gone_inbound = self.before["inbounds"][-1]
        other = self.sbx.state()["inbounds"][0]
        self.sbx.control("POST", "inbound", {"id": other["id"], "port": gone_inbound["port"]})
        writes_before = len(self.sbx.writes())
        r = self.xuictl(self.sbx, "clients", "restore", op, "--yes")
        self.assertExit(r, 5)
        self.assertIn(f"xuictl: error: inbound {gone_inbound['id']} that snapshot {op} keeps "
                      f"cannot be created again: inbound {other['id']} now holds its port "
                      f"{gone_inbound['port']}", r.err)
        self.assertEqual(self.sbx.writes()[writes_before:], [])
        self.assertEqual(len(self.audit_lines()), 1)


class OldV3Destructive(DestructiveBase):
    """v3.1.x has no bulk routes: one resetTraffic per email (§12.1)."""
    API = "v3"

    def setUp(self):
        E2ETest.setUp(self)
        self.sbx = self.sandbox("--api", "v3", "--panel-version", "3.1.0")
        self.before = self.sbx.state()
        self.state_dir = os.path.join(self.home, ".local", "state", "xuictl")

    def test_inbound_reset_falls_back_to_one_request_per_client(self):
        r = self.xuictl(self.sbx, "inbound", "reset", "1", "--yes")
        self.assertExit(r, 0)
        emails = [c["email"] for c in self.before["inbounds"][0]["clients"]]
        self.assertEqual(len(self.sbx.writes()), len(emails))
        self.assertTrue(all("/clients/resetTraffic/" in w for w in self.sbx.writes()))


if __name__ == "__main__":
    unittest.main()
