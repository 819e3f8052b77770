"""The audit trail: every write leaves one chained entry; who reads it; tampering is caught."""

import os
import re
import shutil
import sqlite3
import unittest

from harness import (REPO, ServerCase, Client, demo_email, run_cli, cli_ok, db_scalar, HEX64_RE,
                     RFC3339_RE)

ENTRY_KEYS = {"seq", "at", "actor_id", "actor", "org_id", "org_name", "action", "object_kind",
              "object_id", "object_name", "hash"}

# The calls that record an audit entry, and an action literal ("incident.task_overdue") or a
# per-kind format ("%s.share") among their arguments.
AUDIT_CALL_RE = re.compile(r"\b(write_end|write_exec|write_audit|audit_append|work_commit|incident_end)\(")
ACTION_RE = re.compile(r'"([a-z_]+\.[a-z_]+)"')
KIND_FORMAT_RE = re.compile(r'rb_fmt\(action, sizeof\(action\), "%s\.([a-z_]+)"')


def actions_in_src():
    """(the actions src/ passes to the audit calls, the verbs it records per kind as "%s.verb").
    A call's arguments run to its ';', over line breaks."""
    literal, per_kind = set(), set()
    for root, _, files in os.walk(os.path.join(REPO, "src")):
        for name in files:
            if not name.endswith(".c") or name == "audit.c":
                continue
            with open(os.path.join(root, name), encoding="utf-8") as f:
                text = f.read()
            for m in AUDIT_CALL_RE.finditer(text):
                end = text.find(";", m.end())
                literal.update(ACTION_RE.findall(text[m.end():end]))
            per_kind.update(KIND_FORMAT_RE.findall(text))
    return literal, per_kind


class TestAuditActions(ServerCase):
    """GET /api/v1/meta lists every action a write can record (the UI proves it has words for
    each): the list holds each action src/ records, and nothing src/ never records."""

    def test_meta_lists_every_action_src_records(self):
        listed = Client(self.port).get("/api/v1/meta").json["audit_actions"]
        self.assertEqual(len(listed), len(set(listed)), "no action twice")
        literal, per_kind = actions_in_src()
        self.assertGreater(len(literal), 40, "the scan of src/ finds the audit calls")
        self.assertIn("incident.task_overdue", literal)
        self.assertEqual(per_kind, {"share", "tlp"})
        self.assertEqual(sorted(literal - set(listed)), [], "recorded but not in rb_audit_actions")
        # the per-kind ones: catalogs are shared and change TLP, incidents are shared
        for a in ("catalog.share", "catalog.tlp", "incident.share"):
            self.assertIn(a, listed)
        stale = [a for a in listed if a not in literal and a.split(".")[1] not in per_kind]
        self.assertEqual(stale, [], "in rb_audit_actions but recorded nowhere")


class TestAuditTrail(ServerCase):

    def newest_seq(self, client):
        return client.get("/api/v1/audit?limit=1").json["items"][0]["seq"]

    def test_every_write_is_an_entry(self):
        na = self.demo_client("admin", "ncert")
        pa = self.demo_client("admin", "punjab-cert")
        start = self.newest_seq(na)
        org = pa.post("/api/v1/orgs", {"parent_id": self.org_of("punjab-cert"),
                                       "kind": "institution", "name": "Punjab Audit Office"}).json
        self.assertEqual(pa.patch("/api/v1/orgs/" + org["id"], {"short_name": "PAO"}).status, 200)
        user = pa.post("/api/v1/users", {"email": "admin@pao.rabta.test", "name": "PAO Admin",
                                         "role": "admin", "password": "pao-admin-password",
                                         "org_id": org["id"]}).json
        self.assertEqual(na.patch("/api/v1/users/" + user["id"], {"disabled": True}).status, 200)
        self.assertEqual(na.patch("/api/v1/users/" + user["id"], {"disabled": False}).status, 200)
        self.assertEqual(na.post("/api/v1/users/%s/password" % user["id"],
                                 {"password": "pao-admin-password-2"}).status, 204)
        s = Client(self.port)
        self.assertEqual(s.sign_in("admin@pao.rabta.test", "wrong-password-000").status, 401)
        self.assertEqual(s.sign_in("admin@pao.rabta.test", "pao-admin-password-2").status, 201)
        tok = s.post("/api/v1/tokens", {"name": "pao"}).json
        self.assertEqual(s.delete("/api/v1/tokens/" + tok["id"]).status, 204)
        self.assertEqual(s.delete("/api/v1/session").status, 204)
        self.assertEqual(na.patch("/api/v1/orgs/" + org["id"],
                                  {"parent_id": self.org_of("sindh-cert")}).status, 200)

        items = [e for e in na.get("/api/v1/audit?limit=100").json["items"] if e["seq"] > start]
        na_email, pa_email, u_email = (demo_email("admin", "ncert"),
                                       demo_email("admin", "punjab-cert"), "admin@pao.rabta.test")
        # Oldest first, each actor's run of actions; an action's object follows from its prefix.
        runs = [(pa_email, ["org.create", "org.update", "user.create"]),
                (na_email, ["user.disable", "user.enable", "user.password"]),
                (u_email, ["session.failed", "session.create", "token.create", "token.revoke",
                           "session.delete"]),
                (na_email, ["org.move"])]
        objects = {"org": ("org", org["id"]), "user": ("user", user["id"]),
                   "session": ("user", user["id"]), "token": ("token", tok["id"])}
        expected = [(action, actor) + objects[action.split(".")[0]]
                    for actor, actions in runs for action in actions]
        got = [(e["action"], e["actor"], e["object_kind"], e["object_id"]) for e in items]
        self.assertEqual(got[::-1], expected)
        seqs = [e["seq"] for e in items]
        self.assertEqual(seqs, list(range(start + len(expected), start, -1)))
        for e in items:
            self.assertEqual(set(e), ENTRY_KEYS)
            self.assertEqual(e["org_id"], org["id"], e)
            self.assertRegex(e["hash"], HEX64_RE)
            self.assertRegex(e["at"], RFC3339_RE)
            if e["action"] == "session.failed":
                self.assertIsNone(e["actor_id"])
            else:
                self.assertEqual(e["actor_id"], self.user_id(e["actor"]))
        self.assertEqual(len({e["hash"] for e in items}), len(items))

    def test_user_create_names_actor_object_and_org(self):
        admin = self.demo_client("admin", "pb-health")
        u = admin.post("/api/v1/users", {"email": "audited@pb-health.rabta.test",
                                         "name": "Audited", "role": "reporter",
                                         "password": "audited-password"}).json
        e = admin.get("/api/v1/audit?limit=1").json["items"][0]
        self.assertEqual({k: e[k] for k in ENTRY_KEYS - {"seq", "at", "hash", "object_name"}},
                         {"actor_id": self.user_id(demo_email("admin", "pb-health")),
                          "actor": demo_email("admin", "pb-health"),
                          "org_id": self.org_of("pb-health"),
                          "org_name": "Punjab Health Services Directorate",
                          "action": "user.create", "object_kind": "user", "object_id": u["id"]})
        self.assertEqual(e["seq"], db_scalar(self.db, "SELECT max(seq) FROM audit_log"))

    def test_a_cert_sees_its_subtree_but_not_other_branches(self):
        pb = self.demo_client("admin", "pb-power")
        sd = self.demo_client("admin", "sd-education")
        pa = self.demo_client("admin", "punjab-cert")
        au = self.demo_client("auditor", "ncert")
        u1 = pb.post("/api/v1/users", {"email": "x1@pb-power.rabta.test", "name": "X1",
                                       "role": "reporter", "password": "x1-password-123"}).json
        u2 = sd.post("/api/v1/users", {"email": "x2@sd-education.rabta.test", "name": "X2",
                                       "role": "reporter", "password": "x2-password-123"}).json
        punjab_orgs = {o["id"] for o in pa.list_all(
            "/api/v1/orgs?root=" + self.org_of("punjab-cert"))[0]}
        self.assertEqual(len(punjab_orgs), 7)
        seen, _ = pa.list_all("/api/v1/audit", limit=500)
        objects = {e["object_id"] for e in seen}
        self.assertIn(u1["id"], objects)
        self.assertNotIn(u2["id"], objects)
        self.assertEqual({e["org_id"] for e in seen} - punjab_orgs, set())
        # Entries of the demo seeding in Punjab's branch are there too: 7 orgs, 21 users.
        self.assertGreaterEqual(sum(1 for e in seen if e["action"] == "org.create"), 7)
        # The National CERT's auditor sees both.
        objects = {e["object_id"] for e in au.list_all("/api/v1/audit", limit=500)[0]}
        self.assertIn(u1["id"], objects)
        self.assertIn(u2["id"], objects)
        # org_id narrows to one org, within what one may see.
        r = pa.get("/api/v1/audit?limit=500&org_id=" + self.org_of("pb-power"))
        self.assertEqual(r.status, 200)
        self.assertEqual({e["org_id"] for e in r.json["items"]}, {self.org_of("pb-power")})
        self.assertIn(u1["id"], {e["object_id"] for e in r.json["items"]})
        for slug in ("sd-education", "ncert"):
            self.assertError(pa.get("/api/v1/audit?org_id=" + self.org_of(slug)), 404,
                             "not_found")
        # An institution's admin sees only its own org.
        own, _ = pb.list_all("/api/v1/audit", limit=500)
        self.assertEqual({e["org_id"] for e in own}, {self.org_of("pb-power")})

    def test_only_admins_and_auditors_read_the_trail(self):
        for email in (demo_email("reporter", "pb-health"), demo_email("analyst", "punjab-cert"),
                      demo_email("analyst", "ncert")):
            with self.subTest(email=email):
                self.assertError(self.client(email).get("/api/v1/audit"), 403, "forbidden")
        self.assertError(Client(self.port).get("/api/v1/audit"), 401, "unauthenticated")

    def test_pages_follow_the_cursor_newest_first(self):
        au = self.demo_client("auditor", "ncert")
        first15 = au.get("/api/v1/audit?limit=15").json
        pages = []
        cursor = None
        for _ in range(3):
            r = au.get("/api/v1/audit?limit=5" + ("&cursor=" + cursor if cursor else ""))
            self.assertEqual(r.status, 200, r)
            pages.append(r.json["items"])
            cursor = r.json["next_cursor"]
            self.assertIsInstance(cursor, str)
        self.assertEqual([len(p) for p in pages], [5, 5, 5])
        flat = [e for p in pages for e in p]
        self.assertEqual(flat, first15["items"])
        seqs = [e["seq"] for e in flat]
        self.assertEqual(seqs, sorted(seqs, reverse=True))
        self.assertEqual(len(set(seqs)), 15)
        # The whole trail ends with a null cursor, and holds each entry once.
        items, pages = au.list_all("/api/v1/audit", limit=100)
        self.assertIsNotNone(pages)
        self.assertEqual(len({e["seq"] for e in items}), len(items))
        self.assertEqual(min(e["seq"] for e in items), 1)
        for q in ("cursor=abc", "cursor=-1", "cursor=0", "limit=0", "limit=501"):
            self.assertError(au.get("/api/v1/audit?" + q), 422, "invalid_field")

    def test_cli_verifies_the_live_chain(self):
        self.assertEqual(self.demo_client("admin", "ncert").get("/api/v1/me").status, 200)
        p = run_cli("audit", "verify", "--db", self.db)
        self.assertEqual(p.returncode, 0, p.stderr)
        n = db_scalar(self.db, "SELECT count(*) FROM audit_log")
        m = re.match(r"^audit chain intact: (\d+) entries, head ([0-9a-f]{64})$", p.stdout.strip())
        self.assertIsNotNone(m, p.stdout)
        self.assertEqual(int(m.group(1)), n)
        self.assertEqual(m.group(2), db_scalar(self.db, "SELECT hash FROM audit_log "
                                                        "ORDER BY seq DESC LIMIT 1"))


class TestAuditTampering(ServerCase):
    """The server writes a trail and stops; then copies of the file are tampered with."""

    @classmethod
    def prepare(cls):
        na = cls.demo_client("admin", "ncert")
        for i in range(3):
            r = na.post("/api/v1/users", {"email": "t%d@ncert.rabta.test" % i, "name": "T%d" % i,
                                          "role": "viewer", "password": "tamper-password-%d" % i,
                                          "org_id": cls.org_of("sindh-cert")})
            assert r.status == 201, r
        cls.server.stop_and_check()
        cls.server = None
        cls.entries = db_scalar(cls.db, "SELECT count(*) FROM audit_log")
        cls.mid = cls.entries // 2

    def copy(self, name):
        path = os.path.join(self.tmp, name + ".db")
        shutil.copyfile(self.db, path)
        return path

    def tamper(self, name, *statements):
        path = self.copy(name)
        con = sqlite3.connect(path)
        try:
            for sql, params in statements:
                con.execute(sql, params)
            con.commit()
        finally:
            con.close()
        return path

    def assertBrokenAt(self, path, seq):
        p = run_cli("audit", "verify", "--db", path)
        self.assertNotEqual(p.returncode, 0, p.stdout)
        self.assertEqual(p.stdout, "")
        m = re.search(r"BROKEN at entry (\d+)", p.stderr)
        self.assertIsNotNone(m, p.stderr)
        self.assertEqual(int(m.group(1)), seq, p.stderr)
        return p.stderr

    def test_the_intact_chain_verifies(self):
        self.assertGreater(self.entries, 100)
        out = cli_ok("audit", "verify", "--db", self.copy("intact"))
        self.assertRegex(out, r"^audit chain intact: %d entries, head [0-9a-f]{64}\n$"
                         % self.entries)

    def test_a_changed_action_is_caught_at_that_entry(self):
        path = self.tamper("changed", ("UPDATE audit_log SET action = 'user.delete' WHERE seq = ?",
                                       (self.mid,)))
        err = self.assertBrokenAt(path, self.mid)
        self.assertIn("changed", err)

    def test_a_changed_actor_is_caught_at_that_entry(self):
        path = self.tamper("actor", ("UPDATE audit_log SET actor_label = 'someone@else.test' "
                                     "WHERE seq = ?", (self.mid + 3,)))
        self.assertBrokenAt(path, self.mid + 3)

    def test_a_deleted_entry_is_caught_at_the_gap(self):
        path = self.tamper("deleted", ("DELETE FROM audit_log WHERE seq = ?", (self.mid,)))
        # The first entry that is wrong is the one after the gap: it expected seq mid.
        err = self.assertBrokenAt(path, self.mid + 1)
        self.assertIn("expected entry %d" % self.mid, err)

    def test_a_deleted_and_renumbered_entry_is_caught(self):
        # A careful forger closes the gap by renumbering: the chain still breaks there.
        path = self.tamper("renumbered",
                           ("DELETE FROM audit_log WHERE seq = ?", (self.mid,)),
                           ("UPDATE audit_log SET seq = seq - 1 WHERE seq > ?", (self.mid,)))
        self.assertBrokenAt(path, self.mid)

    def test_swapped_entries_are_caught_at_the_first(self):
        cols = ("at", "actor_id", "actor_label", "org_id", "action", "object_kind", "object_id",
                "prev_hash", "hash")
        a, b = self.mid, self.mid + 1
        con = sqlite3.connect("file:%s?mode=ro" % self.db, uri=True)
        try:
            ra = con.execute("SELECT %s FROM audit_log WHERE seq = ?" % ",".join(cols),
                             (a,)).fetchone()
            rb = con.execute("SELECT %s FROM audit_log WHERE seq = ?" % ",".join(cols),
                             (b,)).fetchone()
        finally:
            con.close()
        self.assertNotEqual(ra, rb)
        setter = "UPDATE audit_log SET %s WHERE seq = ?" % ", ".join(c + " = ?" for c in cols)
        path = self.tamper("swapped", (setter, rb + (a,)), (setter, ra + (b,)))
        self.assertBrokenAt(path, a)
        # Swapping only the contents (keeping each row's hashes) is caught at the first too.
        ncols = 7
        setter = "UPDATE audit_log SET %s WHERE seq = ?" % ", ".join(
            c + " = ?" for c in cols[:ncols])
        path = self.tamper("swapped2", (setter, rb[:ncols] + (a,)), (setter, ra[:ncols] + (b,)))
        self.assertBrokenAt(path, a)

    def test_a_forged_hash_is_caught(self):
        # A rewritten stored hash no longer matches the entry's content, in the middle of the
        # chain as at its head.
        path = self.tamper("forged", ("UPDATE audit_log SET hash = ? WHERE seq = ?",
                                      ("ab" * 32, self.mid)))
        self.assertBrokenAt(path, self.mid)
        path = self.tamper("forged2", ("UPDATE audit_log SET hash = ?, action = 'x' WHERE seq = ?",
                                       ("cd" * 32, self.entries)))
        self.assertBrokenAt(path, self.entries)

    def test_the_tampered_copies_leave_the_original_intact(self):
        self.tamper("scratch", ("DELETE FROM audit_log WHERE seq = 1", ()))
        self.assertEqual(run_cli("audit", "verify", "--db", self.db).returncode, 0)


if __name__ == "__main__":
    unittest.main()


class TestAuditFilters(ServerCase):
    """An auditor narrows the trail, sees objects by name (only those they may read), exports it
    and checks the chain from the API."""

    def items(self, client, query):
        r = client.get("/api/v1/audit?" + query)
        self.assertEqual(r.status, 200, r)
        return r.json["items"]

    def test_filters_narrow_the_trail(self):
        aud = self.demo_client("auditor", "ncert")
        # The demo played two campaigns: assessments were saved, submitted and reviewed.
        subs = self.items(aud, "action=assessment.submit&limit=500")
        self.assertGreater(len(subs), 10)
        self.assertEqual({e["action"] for e in subs}, {"assessment.submit"})
        family = self.items(aud, "action=assessment.&limit=500")
        self.assertTrue({"assessment.submit", "assessment.save"} <= {e["action"] for e in family})
        self.assertTrue(all(e["action"].startswith("assessment.") for e in family))
        # Sign-ins crowd out changes: changes=1 leaves them out.
        rep = self.demo_client("reporter", "pb-health")
        self.assertEqual(rep.post("/api/v1/tokens", {"name": "filter test"}).status, 201)
        every = self.items(aud, "limit=500")
        changes = self.items(aud, "limit=500&changes=1")
        self.assertTrue(any(e["action"].startswith("session.") for e in every) or
                        len(every) >= len(changes))
        self.assertFalse(any(e["action"].startswith("session.") for e in changes))
        # By actor (part of the e-mail), by object kind, by time.
        pb = self.items(aud, "actor=PB-HEALTH&limit=500")
        self.assertTrue(pb)
        self.assertTrue(all("pb-health" in e["actor"] for e in pb))
        camps = self.items(aud, "object_kind=campaign&limit=500")
        self.assertTrue(camps and all(e["object_kind"] == "campaign" for e in camps))
        self.assertEqual(self.items(aud, "until=2000-01-01"), [])
        one = camps[0]
        same = self.items(aud, "object_id=%s&limit=500" % one["object_id"])
        self.assertIn(one["seq"], [e["seq"] for e in same])
        # Bad filters are refused by name.
        for q, field in (("since=yesterday", "since"), ("object_kind=planet", "object_kind"),
                         ("changes=yes", "changes")):
            self.assertError(aud.get("/api/v1/audit?" + q), 422, "invalid_field", field)

    def test_objects_are_named_for_readers_only(self):
        aud = self.demo_client("auditor", "ncert")
        camps = self.items(aud, "object_kind=campaign&action=campaign.launch&limit=10")
        self.assertTrue(camps)
        self.assertTrue(all(e["object_name"] and "National baseline" in e["object_name"]
                            for e in camps), camps)
        subs = self.items(aud, "action=assessment.submit&limit=5")
        # The national auditor reads assessments (granted to every CERT above the org).
        self.assertTrue(all(e["object_name"] and ": " in e["object_name"] for e in subs), subs)
        # An institution's admin reads its own entries; other orgs' objects stay unnamed.
        inst = self.demo_client("admin", "pb-health")
        mine = self.items(inst, "limit=500")
        self.assertTrue(mine)
        for e in mine:
            if e["object_kind"] == "assessment":
                self.assertIn("Punjab Health", e["object_name"] or "Punjab Health")

    def test_export_and_verify(self):
        import csv
        import io
        aud = self.demo_client("auditor", "ncert")
        r = aud.get("/api/v1/audit/export?action=campaign.")
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.header("Content-Type").startswith("text/csv"))
        self.assertIn("attachment", r.header("Content-Disposition"))
        rows = list(csv.reader(io.StringIO(r.body.decode("utf-8"))))
        self.assertEqual(rows[0], ["seq", "at", "actor", "org", "action", "object_kind",
                                   "object_id", "object_name", "hash"])
        self.assertTrue(len(rows) > 2 and all(row[4].startswith("campaign.") for row in rows[1:]))
        listed = [e["seq"] for e in self.items(aud, "action=campaign.&limit=500")]
        self.assertEqual([int(row[0]) for row in rows[1:]], listed)
        v = aud.get("/api/v1/audit/verify")
        self.assertEqual(v.status, 200, v)
        self.assertEqual(v.json["intact"], True)
        self.assertIsNone(v.json["bad_seq"])
        cli = cli_ok("audit", "verify", "--db", self.db, "--json")
        import json as _json
        self.assertEqual(_json.loads(cli)["head"], v.json["head"])
        # A reporter may do neither.
        rep = self.demo_client("reporter", "pb-health")
        self.assertError(rep.get("/api/v1/audit/export"), 403, "forbidden")
        self.assertError(rep.get("/api/v1/audit/verify"), 403, "forbidden")


class TestReviewQueue(ServerCase):
    """A CERT's analyst lists what it must review; a profile lists its campaigns."""

    def test_review_queue_and_campaigns_of_a_profile(self):
        pa = self.demo_client("analyst", "punjab-cert")
        r = pa.get("/api/v1/assessments?review=1&status=submitted&limit=500")
        self.assertEqual(r.status, 200, r)
        queue = r.json["items"]
        punjab = self.org_of("punjab-cert")
        orgs = {o["id"]: o for o in pa.list_all("/api/v1/orgs")[0]}
        self.assertTrue(queue)
        for x in queue:
            self.assertEqual(x["status"], "submitted")
            self.assertEqual(orgs[x["org_id"]]["parent_id"], punjab)
            self.assertRegex(x["submitted_at"], RFC3339_RE)
        # The National CERT reads those too, but they are not its to review.
        na = self.demo_client("analyst", "ncert")
        theirs = na.get("/api/v1/assessments?review=1&status=submitted&limit=500").json["items"]
        self.assertFalse({x["id"] for x in queue} & {x["id"] for x in theirs})
        camps = na.get("/api/v1/campaigns").json["items"]
        prof = camps[0]["profile_id"]
        same = na.get("/api/v1/campaigns?profile_id=" + prof).json["items"]
        self.assertEqual({c["id"] for c in same},
                         {c["id"] for c in camps if c["profile_id"] == prof})
        self.assertEqual(na.get("/api/v1/campaigns?profile_id=00000000-0000-4000-8000-"
                                "000000000000").json["items"], [])
