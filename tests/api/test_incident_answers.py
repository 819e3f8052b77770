"""GET /api/v1/incidents/{id} is answered from memory when nothing changed (core/incident_answer)
and the caller from memory too (core/auth_cache): every write that changes what it shows is seen
by the very next read, by every reader, and a reader who may not read it still gets 404.

Each step writes, then reads back at once as the writer and as a second user (twice each, the
second read being the one served from memory), and checks what the write changed.
"""

from harness import cli_ok, db_query, demo_email
from test_incidents import IncidentCase, incident


class TestReadAfterWrite(IncidentCase):

    def read(self, role, slug, iid, want=200):
        """Two reads in a row, the same answer both times; returns it (or None for a refusal)."""
        c = self.demo_client(role, slug)
        first = c.get("/api/v1/incidents/" + iid)
        second = c.get("/api/v1/incidents/" + iid)
        self.assertEqual((first.status, second.status), (want, want), (role, slug))
        if want != 200:
            return None
        a, b = first.json, second.json
        # Time moves the clocks between the two reads only when a due time passes in between.
        a.pop("clocks"), b.pop("clocks"), a.pop("next_due"), b.pop("next_due")
        self.assertEqual(a, b, (role, slug))
        return second.json

    def both(self, iid, check, readers=(("reporter", "pb-health"), ("analyst", "punjab-cert"))):
        for role, slug in readers:
            check(self.read(role, slug, iid), (role, slug))

    def test_every_write_is_seen_at_once_by_both_parties(self):
        x = self.report("pb-health", incident(title="Answer test: phishing at the directorate"))
        iid = x["id"]
        ana = self.demo_client("analyst", "punjab-cert")
        rep = self.demo_client("reporter", "pb-health")
        self.both(iid, lambda y, who: self.assertEqual(y["status"], "new", who))
        self.read("analyst", "ncert", iid, 404)
        self.read("analyst", "sindh-cert", iid, 404)

        # A status change by the handling CERT.
        r = ana.patch("/api/v1/incidents/" + iid, {"status": "triaged", "comment": "looking"})
        self.assertEqual(r.status, 200, r)
        after = r.json

        def triaged(y, who):
            self.assertEqual((y["status"], y["updated_at"], y["acknowledged_at"]),
                             ("triaged", after["updated_at"], after["acknowledged_at"]), who)
            self.assertIsNotNone(y["acknowledged_at"], who)
        self.both(iid, triaged)
        self.assertEqual(self.read("analyst", "punjab-cert", iid)["you"]["next_statuses"],
                         after["you"]["next_statuses"])

        # A comment: the incident's updated_at moves.
        r = rep.post("/api/v1/incidents/%s/comments" % iid, {"text": "more mails this morning"})
        self.assertEqual(r.status, 201, r)
        stamp = r.json["updated_at"]
        self.both(iid, lambda y, who: self.assertEqual(y["updated_at"], stamp, who))

        # A title change by the reporter.
        r = rep.patch("/api/v1/incidents/" + iid, {"title": "Answer test: spear phishing"})
        self.assertEqual(r.status, 200, r)
        self.both(iid, lambda y, who: self.assertEqual(y["title"], "Answer test: spear phishing",
                                                       who))

        # A grant to the National CERT: it reads it at once.
        r = ana.post("/api/v1/incidents/%s/grants" % iid, {"org_id": self.org("ncert")})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(self.read("analyst", "ncert", iid)["title"],
                         "Answer test: spear phishing")
        self.read("analyst", "sindh-cert", iid, 404)

        # An escalation: a second handling period, handled by the National CERT.
        r = ana.post("/api/v1/incidents/%s/escalate" % iid, {"reason": "answer test"})
        self.assertEqual(r.status, 200, r)

        def escalated(y, who):
            self.assertEqual((y["handling_org_id"], y["escalations"], len(y["handling_history"])),
                             (self.org("ncert"), 1, 2), who)
        self.both(iid, escalated, readers=(("reporter", "pb-health"), ("analyst", "punjab-cert"),
                                           ("analyst", "ncert")))
        self.assertTrue(self.read("analyst", "ncert", iid)["you"]["handling"])
        self.assertFalse(self.read("analyst", "punjab-cert", iid)["you"]["handling"])

        # An attachment.
        r = rep.request("POST", "/api/v1/incidents/%s/attachments?filename=headers.txt" % iid,
                        raw=b"Received: from evil.example", headers={"Content-Type": "text/plain"})
        self.assertEqual(r.status, 201, r)
        stamp = db_query(self.db, "SELECT updated_at FROM incidents WHERE id = ?", (iid,))[0][0]
        self.both(iid, lambda y, who: self.assertEqual(y["updated_at"], stamp, who))

        # Raised to RED (any sharer may raise it): no escalation offered, the granted read it.
        r = self.demo_client("analyst", "ncert").patch("/api/v1/incidents/" + iid, {"tlp": "RED"})
        self.assertEqual(r.status, 200, r)

        def red(y, who):
            self.assertEqual(y["tlp"], "RED", who)
            self.assertFalse(y["you"]["may_escalate"], who)
        self.both(iid, red, readers=(("reporter", "pb-health"), ("analyst", "ncert")))
        self.read("analyst", "sindh-cert", iid, 404)

    def test_an_org_renamed_is_named_anew_at_once(self):
        x = self.report("pb-health", incident(title="Answer test: a renamed org"))
        iid = x["id"]
        self.both(iid, lambda y, who: self.assertEqual(
            y["org_name"], "Punjab Health Services Directorate", who))
        admin = self.demo_client("admin", "punjab-cert")
        org = self.org("pb-health")
        r = admin.patch("/api/v1/orgs/" + org, {"name": "Punjab Health Department"})
        self.assertEqual(r.status, 200, r)
        try:
            self.both(iid, lambda y, who: self.assertEqual(
                (y["org_name"], y["owner_name"]),
                ("Punjab Health Department", "Punjab Health Department"), who))
        finally:
            r = admin.patch("/api/v1/orgs/" + org, {"name": "Punjab Health Services Directorate"})
            self.assertEqual(r.status, 200, r)
        self.both(iid, lambda y, who: self.assertEqual(
            y["org_name"], "Punjab Health Services Directorate", who))

    def test_a_token_revoked_by_another_process_fails_at_once(self):
        x = self.report("pb-health", incident(title="Answer test: revoked by the CLI"))
        tok = cli_ok("token", "create", "--db", self.db, "--user", demo_email("analyst",
                     "punjab-cert"), "--name", "answer test", "--days", "1").strip()
        t = self.client()
        t.token = tok
        for _ in range(2):
            self.assertEqual(t.get("/api/v1/incidents/" + x["id"]).status, 200)
        tid = db_query(self.db, "SELECT id FROM api_tokens WHERE name = 'answer test' AND "
                       "revoked_at IS NULL ORDER BY created_at DESC LIMIT 1")[0][0]
        cli_ok("token", "revoke", tid, "--db", self.db)
        self.assertEqual(t.get("/api/v1/incidents/" + x["id"]).status, 401)

    def test_a_revoked_token_fails_at_the_next_request(self):
        c = self.demo_client("analyst", "punjab-cert")
        r = c.post("/api/v1/tokens", {"name": "answer test", "expires_in_days": 1})
        self.assertEqual(r.status, 201, r)
        tok, tid = r.json["token"], r.json["id"]
        x = self.report("pb-health", incident(title="Answer test: a token revoked"))
        t = self.client()
        t.token = tok
        for _ in range(2):
            self.assertEqual(t.get("/api/v1/incidents/" + x["id"]).status, 200)
        self.assertEqual(c.delete("/api/v1/tokens/" + tid).status, 204)
        r = t.get("/api/v1/incidents/" + x["id"])
        self.assertEqual(r.status, 401, r)
