"""Incidents: the story of a CII incident reported in Punjab, who sees what, the transition table,
tasks, links across provinces, merging, reports, files, the inbox, and bad input refused with
nothing written.

Black-box against `rabta serve` on a copy of the demo database. Each test makes its own incidents
and checks them by id, so demo incidents (if any) do not matter.
"""

import hashlib
import json
import unittest

from harness import DEMO_PASSWORD, ServerCase, cli_ok, db_query, demo_email

CII = {"title": "Ransomware on the hospital records system",
       "description": "Files on the records server are encrypted; a ransom note asks for bitcoin.",
       "rsit_class": "malicious-code", "rsit_type": "infected-system", "severity": "medium",
       "cii_involved": True, "affected_services": "patient records, appointments"}


def incident(**over):
    body = {"title": "Phishing mails to finance staff", "rsit_class": "fraud",
            "rsit_type": "phishing", "severity": "low"}
    body.update(over)
    return body


class IncidentCase(ServerCase):
    """Shared helpers: org ids by demo slug, counts in the database. The demo has admins,
    analysts and reporters; viewers are added here."""

    VIEWERS = ("punjab-cert", "sindh-cert")

    @classmethod
    def prepare_db(cls):
        people = cls.people()
        for slug in cls.VIEWERS:
            cli_ok("user", "add", "--db", cls.db, "--org",
                   people[demo_email("admin", slug)]["org_id"], "--email",
                   demo_email("viewer", slug), "--role", "viewer", "--password-stdin",
                   input=DEMO_PASSWORD)
        cls.people(refresh=True)

    def org(self, slug):
        return self.people()[demo_email("admin", slug)]["org_id"]

    def report(self, slug, body, role="reporter"):
        r = self.demo_client(role, slug).post("/api/v1/incidents", body)
        self.assertEqual(r.status, 201, r)
        return r.json

    def db_count(self, sql, params=()):
        return db_query(self.db, sql, params)[0][0]

    def inbox(self, role, slug, incident_id):
        r = self.demo_client(role, slug).get("/api/v1/inbox?limit=200")
        self.assertEqual(r.status, 200, r)
        return [it for it in r.json["items"] if it["object_id"] == incident_id]

    def listed(self, role, slug, incident_id, query=""):
        r = self.demo_client(role, slug).get("/api/v1/incidents?limit=500" + query)
        self.assertEqual(r.status, 200, r)
        return incident_id in {x["id"] for x in r.json["items"]}


class TestStory(IncidentCase):

    def test_a_cii_incident_in_punjab_reaches_the_national_cert_and_no_one_else(self):
        sd_before = self.demo_client("analyst", "sindh-cert").get("/api/v1/incidents/stats").json
        x = self.report("pb-health", CII)
        iid = x["id"]
        # Reported with its defaults and its clocks.
        self.assertEqual((x["status"], x["tlp"], x["org_name"], x["province"]),
                         ("new", "AMBER", "Punjab Health Services Directorate", "punjab"))
        self.assertRegex(x["reference"], r"^INC-\d{6}$")
        clocks = {c["clock"]: c for c in x["clocks"]}
        self.assertEqual(clocks["early_warning"]["state"], "met")
        self.assertEqual(clocks["acknowledge"]["state"], "pending")
        # The Punjab CERT got it first, then the CII rule sent it up by itself.
        hist = x["handling_history"]
        self.assertEqual([(h["org_id"], h["rule"]) for h in hist],
                         [(self.org("punjab-cert"), "reported"), (self.org("ncert"), "cii")])
        self.assertEqual(x["handling_org_name"], "National CERT")
        self.assertEqual(x["escalations"], 1)
        self.assertIsNotNone(hist[0]["until"])
        self.assertEqual([i["kind"] for i in self.inbox("analyst", "punjab-cert", iid)],
                         ["triage"])
        esc = self.inbox("analyst", "ncert", iid)
        self.assertEqual([i["kind"] for i in esc], ["escalated"])
        self.assertIn("critical information infrastructure", esc[0]["detail"])
        self.assertEqual(esc[0]["object_name"], CII["title"])
        # The timeline says why.
        tl = self.demo_client("analyst", "ncert").get("/api/v1/incidents/%s/timeline" % iid).json
        self.assertEqual([e["action"] for e in tl["items"]], ["reported", "escalated"])
        self.assertIn("critical information infrastructure", tl["items"][1]["comment"])
        # Audited: the report and the escalation, in its transaction.
        actions = [a for (a,) in db_query(self.db, "SELECT action FROM audit_log WHERE object_id "
                                                   "= ? ORDER BY seq", (iid,))]
        self.assertEqual(actions, ["incident.report", "incident.escalate"])
        # Readers: the reporter, both CERTs; the grants say so.
        for role, slug in (("reporter", "pb-health"), ("analyst", "punjab-cert"),
                           ("analyst", "ncert")):
            self.assertEqual(self.demo_client(role, slug).get("/api/v1/incidents/" + iid).status,
                             200, slug)
            self.assertTrue(self.listed(role, slug, iid), slug)
        # A sibling institution and the Sindh CERT: 404, not listed, not counted.
        for role, slug in (("reporter", "pb-finance"), ("analyst", "sindh-cert"),
                           ("admin", "sindh-cert")):
            c = self.demo_client(role, slug)
            for path in ("", "/timeline", "/tasks", "/links", "/attachments", "/grants"):
                self.assertEqual(c.get("/api/v1/incidents/%s%s" % (iid, path)).status, 404,
                                 (slug, path))
            self.assertFalse(self.listed(role, slug, iid), slug)
            self.assertFalse(self.listed(role, slug, iid, "&q=hospital"), slug)
            exported = c.request("GET", "/api/v1/incidents/export")
            self.assertEqual(exported.status, 200)
            self.assertNotIn(iid, exported.body.decode())
            self.assertEqual(c.post("/api/v1/incidents/%s/comments" % iid, {"text": "hi"}).status,
                             404)
        sd_after = self.demo_client("analyst", "sindh-cert").get("/api/v1/incidents/stats").json
        self.assertEqual(sd_after["total"], sd_before["total"])
        self.assertEqual(sd_after["open_by_province"], sd_before["open_by_province"])

    def test_a_red_incident_is_seen_by_its_named_recipient_only(self):
        x = self.report("pb-health", incident(title="Insider copying payroll data",
                                              severity="severe", tlp="RED",
                                              rsit_class="information-content-security",
                                              rsit_type="data-leak"))
        iid = x["id"]
        # Severe, but RED: not escalated by the rules; the Punjab CERT is the named recipient.
        self.assertEqual(x["escalations"], 0)
        self.assertEqual(x["handling_org_id"], self.org("punjab-cert"))
        self.assertFalse(x["you"]["may_escalate"])
        grants = self.demo_client("analyst", "punjab-cert").get(
            "/api/v1/incidents/%s/grants" % iid).json
        self.assertEqual([g["org_id"] for g in grants["items"]], [self.org("punjab-cert")])
        for role, slug, want in (("reporter", "pb-health", 200), ("analyst", "punjab-cert", 200),
                                 ("viewer", "punjab-cert", 200), ("analyst", "ncert", 404),
                                 ("admin", "ncert", 404), ("reporter", "pb-finance", 404),
                                 ("analyst", "sindh-cert", 404)):
            self.assertEqual(self.demo_client(role, slug).get("/api/v1/incidents/" + iid).status,
                             want, (role, slug))
            self.assertEqual(self.listed(role, slug, iid), want == 200, (role, slug))
        # Its handling CERT may not pass it on.
        r = self.demo_client("analyst", "punjab-cert").post(
            "/api/v1/incidents/%s/escalate" % iid, {"reason": "too big for us"})
        self.assertEqual(r.status, 409, r)
        self.assertIn("TLP:RED", r.json["error"]["message"])
        self.assertEqual(self.demo_client("analyst", "ncert").get(
            "/api/v1/incidents/" + iid).status, 404)
        # Nor share it further (only its owner may).
        r = self.demo_client("analyst", "punjab-cert").post(
            "/api/v1/incidents/%s/grants" % iid, {"org_id": self.org("ncert")})
        self.assertEqual(r.status, 403, r)

    def test_a_cert_reports_about_an_org_of_its_constituency(self):
        r = self.demo_client("analyst", "ncert").post("/api/v1/incidents", incident(
            title="Ministry server talks to a botnet C2", rsit_class="malicious-code",
            rsit_type="c2-server", org_id=self.org("pb-health")))
        self.assertEqual(r.status, 201, r)
        x = r.json
        self.assertEqual((x["owner_org"], x["org_id"], x["handling_org_id"]),
                         (self.org("ncert"), self.org("pb-health"), self.org("punjab-cert")))
        # The handling CERT triages it, the affected org is told.
        self.assertEqual([i["kind"] for i in self.inbox("analyst", "punjab-cert", x["id"])],
                         ["triage"])
        notice = self.inbox("reporter", "pb-health", x["id"])
        self.assertEqual([i["kind"] for i in notice], ["notice"])
        self.assertIn("National CERT", notice[0]["detail"])
        self.assertEqual(self.demo_client("reporter", "pb-finance").get(
            "/api/v1/incidents/" + x["id"]).status, 404)
        # Only about its own constituency, and only a CERT's analysts.
        r = self.demo_client("analyst", "sindh-cert").post("/api/v1/incidents", incident(
            org_id=self.org("pb-health")))
        self.assertEqual(r.status, 404, r)
        r = self.demo_client("reporter", "pb-health").post("/api/v1/incidents", incident(
            org_id=self.org("pb-finance")))
        self.assertIn(r.status, (403, 404), r)

    def test_the_transition_table_and_who_may_move(self):
        x = self.report("pb-finance", incident())
        iid = x["id"]
        rep = self.demo_client("reporter", "pb-finance")
        ana = self.demo_client("analyst", "punjab-cert")
        self.assertEqual(x["you"]["next_statuses"], [])  # the reporter cannot triage
        self.assertEqual(ana.get("/api/v1/incidents/" + iid).json["you"]["next_statuses"],
                         ["triaged", "rejected"])
        # Not in the table: 409 naming the moves there are.
        r = ana.patch("/api/v1/incidents/" + iid, {"status": "closed"})
        self.assertEqual(r.status, 409, r)
        self.assertEqual(r.json["error"]["field"], "status")
        self.assertIn("triaged or rejected", r.json["error"]["message"])
        # In the table, but not for the reporter.
        r = rep.patch("/api/v1/incidents/" + iid, {"status": "triaged"})
        self.assertEqual(r.status, 403, r)
        self.assertIn("handling CERT", r.json["error"]["message"])
        # The handling CERT triages (and so acknowledges).
        r = ana.patch("/api/v1/incidents/" + iid, {"status": "triaged", "comment": "on it"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["status"], "triaged")
        self.assertIsNotNone(r.json["acknowledged_at"])
        self.assertEqual({c["clock"]: c["state"] for c in r.json["clocks"]}["acknowledge"], "met")
        self.assertEqual(ana.post("/api/v1/incidents/%s/acknowledge" % iid).status, 409)
        # Either party marks progress; only the handling CERT closes.
        for status, who in (("contained", rep), ("eradicated", ana), ("recovered", rep)):
            r = who.patch("/api/v1/incidents/" + iid, {"status": status})
            self.assertEqual((r.status, r.json.get("status")), (200, status), r)
        self.assertIsNotNone(r.json["contained_at"])
        self.assertEqual(rep.patch("/api/v1/incidents/" + iid, {"status": "closed"}).status, 403)
        r = ana.patch("/api/v1/incidents/" + iid, {"status": "closed"})
        self.assertEqual(r.status, 200, r)
        self.assertIsNotNone(r.json["ended_at"])
        self.assertEqual({c["state"] for c in r.json["clocks"]} - {"met", "none"}, {"stopped"})
        # Reopened by the handling CERT.
        r = ana.patch("/api/v1/incidents/" + iid, {"status": "triaged"})
        self.assertEqual((r.status, r.json["ended_at"]), (200, None), r)
        tl = ana.get("/api/v1/incidents/%s/timeline" % iid).json["items"]
        self.assertEqual([e["action"] for e in tl][1:],
                         ["acknowledged", "triaged", "contained", "eradicated", "recovered",
                          "closed", "reopened"])
        self.assertEqual(tl[2]["comment"], "on it")
        # Merging is not a status.
        r = ana.patch("/api/v1/incidents/" + iid, {"status": "merged"})
        self.assertEqual(r.status, 409, r)
        # A viewer may not change anything.
        self.assertEqual(self.demo_client("viewer", "punjab-cert").patch(
            "/api/v1/incidents/" + iid, {"severity": "high"}).status, 403)

    def test_severity_raised_to_severe_escalates_and_the_next_cert_acknowledges(self):
        x = self.report("pb-power", incident(title="SCADA HMI defaced", rsit_class="intrusions",
                                             rsit_type="system-compromise", severity="high"))
        iid = x["id"]
        self.assertEqual(x["escalations"], 0)
        ana = self.demo_client("analyst", "punjab-cert")
        r = ana.patch("/api/v1/incidents/" + iid, {"severity": "severe"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json["handling_org_id"], r.json["escalations"]),
                         (self.org("ncert"), 1))
        self.assertEqual(r.json["handling_history"][1]["rule"], "severity")
        # The Punjab CERT no longer handles it; the National CERT acknowledges.
        self.assertEqual(ana.post("/api/v1/incidents/%s/acknowledge" % iid).status, 403)
        nat = self.demo_client("analyst", "ncert")
        r = nat.post("/api/v1/incidents/%s/acknowledge" % iid)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["status"], "triaged")
        self.assertIsNotNone(r.json["handling_history"][1]["acknowledged_at"])
        # Nowhere further up, and the National CERT is not offered to.
        self.assertFalse(r.json["you"]["may_escalate"])
        self.assertTrue(r.json["you"]["may_merge"])
        r = nat.post("/api/v1/incidents/%s/escalate" % iid, {"reason": "x"})
        self.assertEqual(r.status, 409, r)

    def test_escalation_by_hand_needs_a_reason(self):
        x = self.report("sd-revenue", incident(title="Tax portal login page cloned"))
        iid = x["id"]
        ana = self.demo_client("analyst", "sindh-cert")
        for body in ({}, {"reason": ""}, {"reason": "   "}):
            r = ana.post("/api/v1/incidents/%s/escalate" % iid, body)
            self.assertEqual(r.status, 422, (body, r))
        # Another CERT's analyst may read nothing; the affected org may not escalate.
        self.assertEqual(self.demo_client("analyst", "punjab-cert").post(
            "/api/v1/incidents/%s/escalate" % iid, {"reason": "x"}).status, 404)
        self.assertEqual(self.demo_client("reporter", "sd-revenue").post(
            "/api/v1/incidents/%s/escalate" % iid, {"reason": "x"}).status, 403)
        r = ana.post("/api/v1/incidents/%s/escalate" % iid,
                     {"reason": "the same kit hit three provinces"})
        self.assertEqual(r.status, 200, r)
        h = r.json["handling_history"]
        self.assertEqual((h[1]["rule"], h[1]["reason"], h[1]["org_id"]),
                         ("manual", "the same kit hit three provinces", self.org("ncert")))
        self.assertEqual(self.demo_client("analyst", "ncert").get(
            "/api/v1/incidents/" + iid).status, 200)

    def test_a_link_across_provinces_escalates_both(self):
        nat = self.demo_client("analyst", "ncert")
        a = nat.post("/api/v1/incidents", incident(title="Phishing kit A",
                                                   org_id=self.org("pb-health"))).json
        b = nat.post("/api/v1/incidents", incident(title="Phishing kit B",
                                                   org_id=self.org("sd-health"))).json
        self.assertEqual((a["escalations"], b["escalations"]), (0, 0))
        r = nat.post("/api/v1/incidents/%s/links" % a["id"],
                     {"incident_id": b["id"], "reason": "same phishing kit"})
        self.assertEqual(r.status, 201, r)
        self.assertEqual((r.json["incident_id"], r.json["province"], r.json["reason"]),
                         (b["id"], "sindh", "same phishing kit"))
        for x in (a, b):
            y = nat.get("/api/v1/incidents/" + x["id"]).json
            self.assertEqual((y["handling_org_id"], y["handling_history"][-1]["rule"]),
                             (self.org("ncert"), "cross_province"), x["title"])
        # Each side lists the other for readers of both; Punjab's CERT reads only its own, and
        # its timeline names the reason, never the other incident.
        pb = self.demo_client("analyst", "punjab-cert")
        self.assertEqual(pb.get("/api/v1/incidents/%s/links" % a["id"]).json["items"], [])
        tl = pb.get("/api/v1/incidents/%s/timeline" % a["id"]).json["items"]
        self.assertNotIn("Phishing kit B", json.dumps(tl))
        self.assertEqual([l["incident_id"] for l in nat.get(
            "/api/v1/incidents/%s/links" % b["id"]).json["items"]], [a["id"]])
        # Twice, to itself, or to what the caller may not read.
        self.assertEqual(nat.post("/api/v1/incidents/%s/links" % b["id"],
                                  {"incident_id": a["id"], "reason": "x"}).status, 409)
        self.assertEqual(nat.post("/api/v1/incidents/%s/links" % a["id"],
                                  {"incident_id": a["id"], "reason": "x"}).status, 422)
        red = self.report("pb-finance", incident(tlp="RED"))
        r = pb.post("/api/v1/incidents/%s/links" % red["id"],
                    {"incident_id": b["id"], "reason": "guess"})
        self.assertEqual((r.status, r.json["error"]["field"]), (422, "incident_id"), r)

    def test_merging_a_duplicate(self):
        a = self.report("pb-landrecords", incident(title="Land records site down"))
        d = self.report("pb-landrecords", incident(title="Website not loading"))
        ana = self.demo_client("analyst", "punjab-cert")
        self.assertEqual(self.demo_client("reporter", "pb-landrecords").post(
            "/api/v1/incidents/%s/merge" % d["id"], {"into": a["id"]}).status, 403)
        r = ana.post("/api/v1/incidents/%s/merge" % d["id"], {"into": d["id"]})
        self.assertEqual(r.status, 422, r)
        r = ana.post("/api/v1/incidents/%s/merge" % d["id"],
                     {"into": a["id"], "reason": "same outage"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json["status"], r.json["merged_into"]), ("merged", a["id"]))
        self.assertEqual(r.json["you"]["next_statuses"], [])
        self.assertEqual(ana.patch("/api/v1/incidents/" + d["id"], {"title": "x y z"}).status, 409)
        tl = ana.get("/api/v1/incidents/%s/timeline" % a["id"]).json["items"]
        self.assertEqual((tl[-1]["action"], tl[-1]["comment"]),
                         ("a duplicate was merged in", "same outage"))
        self.assertEqual([l["incident_id"] for l in ana.get(
            "/api/v1/incidents/%s/links" % a["id"]).json["items"]], [d["id"]])
        self.assertEqual(ana.post("/api/v1/incidents/%s/merge" % d["id"],
                                  {"into": a["id"]}).status, 409)

    def test_tasks_reports_and_files(self):
        x = self.report("pb-emergency", incident(title="Dispatch system ransomware",
                                                 rsit_class="malicious-code",
                                                 rsit_type="infected-system"))
        iid = x["id"]
        ana = self.demo_client("analyst", "punjab-cert")
        rep = self.demo_client("reporter", "pb-emergency")
        r = ana.post("/api/v1/incidents/%s/tasks" % iid,
                     {"title": "Isolate the dispatch servers", "assignee_org_id":
                      self.org("pb-emergency"), "due_date": "2030-01-31"})
        self.assertEqual(r.status, 201, r)
        task = r.json
        self.assertEqual((task["assignee_org_name"], task["done"], task["overdue"]),
                         ("Punjab Emergency Response Service", False, False))
        self.assertEqual([i["kind"] for i in self.inbox("reporter", "pb-emergency", iid)],
                         ["task"])
        mine = rep.get("/api/v1/tasks").json["items"]
        self.assertIn(task["id"], [t["id"] for t in mine])
        # An org that may not read the incident cannot be given a task.
        r = ana.post("/api/v1/incidents/%s/tasks" % iid,
                     {"title": "x", "assignee_org_id": self.org("sindh-cert")})
        self.assertEqual((r.status, r.json["error"]["field"]), (422, "assignee_org_id"), r)
        r = rep.patch("/api/v1/incidents/%s/tasks/%s" % (iid, task["id"]), {"done": True})
        self.assertEqual((r.status, r.json["done"]), (200, True), r)
        self.assertNotIn(task["id"], [t["id"] for t in rep.get("/api/v1/tasks").json["items"]])
        self.assertEqual(ana.patch("/api/v1/incidents/%s/tasks/%s" % (iid, task["id"]),
                                   {}).status, 422)
        # The notification and the final report meet their clocks.
        r = rep.post("/api/v1/incidents/%s/reports" % iid,
                     {"stage": "notification", "text": "Scope: 4 servers. IoCs attached."})
        self.assertEqual(r.status, 201, r)
        self.assertEqual({c["clock"]: c["state"] for c in r.json["clocks"]}["notification"],
                         "met")
        self.assertEqual(rep.post("/api/v1/incidents/%s/reports" % iid,
                                  {"stage": "summary", "text": "x"}).status, 422)
        # A file: its hash, a download for readers only.
        data = b"203.0.113.7\n198.51.100.2\n"
        r = rep.request("POST", "/api/v1/incidents/%s/attachments?filename=iocs.txt" % iid,
                        raw=data, headers={"Content-Type": "text/plain"})
        self.assertEqual(r.status, 201, r)
        f = r.json
        self.assertEqual((f["size"], f["sha256"]), (len(data), hashlib.sha256(data).hexdigest()))
        got = ana.request("GET", "/api/v1/incidents/%s/attachments/%s" % (iid, f["id"]))
        self.assertEqual(got.status, 200)
        self.assertEqual(got.body, data)
        self.assertTrue(got.headers["Content-Disposition"].startswith("attachment;"))
        self.assertEqual(self.demo_client("analyst", "sindh-cert").request(
            "GET", "/api/v1/incidents/%s/attachments/%s" % (iid, f["id"])).status, 404)
        self.assertEqual([a["id"] for a in ana.get(
            "/api/v1/incidents/%s/attachments" % iid).json["items"]], [f["id"]])

    def test_the_inbox_is_read_per_user(self):
        x = self.report("pb-finance", incident(title="Card skimmer on the payment page"))
        ana = self.demo_client("analyst", "punjab-cert")
        adm = self.demo_client("admin", "punjab-cert")
        item = self.inbox("analyst", "punjab-cert", x["id"])[0]
        before = adm.get("/api/v1/inbox/count").json["unread"]
        self.assertGreaterEqual(before, 1)
        r = ana.post("/api/v1/inbox/read", {"seqs": [item["seq"]]})
        self.assertEqual((r.status, r.json["marked"]), (200, 1), r)
        self.assertTrue(self.inbox("analyst", "punjab-cert", x["id"])[0]["read"])
        self.assertFalse(self.inbox("admin", "punjab-cert", x["id"])[0]["read"])
        self.assertEqual(adm.get("/api/v1/inbox/count").json["unread"], before)
        unread = ana.get("/api/v1/inbox?unread=1&limit=200").json["items"]
        self.assertNotIn(item["seq"], [i["seq"] for i in unread])
        # Another org's item cannot be marked; bad bodies are refused.
        sd = self.demo_client("analyst", "sindh-cert")
        self.assertEqual(sd.post("/api/v1/inbox/read", {"seqs": [item["seq"]]}).json["marked"], 0)
        for body in ({}, {"seqs": ["x"]}, {"seqs": [0]}, {"all": "yes"}):
            self.assertEqual(sd.post("/api/v1/inbox/read", body).status, 422, body)

    def test_list_filters_and_counts(self):
        a = self.report("kp-health", incident(title="Vaccination portal DDoS",
                                              rsit_class="availability", rsit_type="ddos",
                                              severity="emergency"))
        nat = self.demo_client("analyst", "ncert")

        def ids(query):
            r = nat.get("/api/v1/incidents?limit=500&" + query)
            self.assertEqual(r.status, 200, (query, r))
            return {x["id"] for x in r.json["items"]}
        self.assertIn(a["id"], ids("severity=emergency"))
        self.assertNotIn(a["id"], ids("severity=low,medium"))
        self.assertIn(a["id"], ids("province=khyber_pakhtunkhwa&rsit_class=availability"))
        self.assertNotIn(a["id"], ids("province=punjab"))
        self.assertIn(a["id"], ids("handling_org_id=" + self.org("ncert")))
        self.assertIn(a["id"], ids("q=vaccination"))
        self.assertEqual(ids("q=" + a["reference"]), {a["id"]})
        self.assertEqual(ids("q=%23" + str(a["number"])), {a["id"]})
        self.assertEqual(nat.get("/api/v1/incidents/stats?q=" + a["reference"]).json["total"], 1)
        self.assertGreaterEqual(nat.get("/api/v1/incidents/stats?q=vaccination").json["total"], 1)
        self.assertEqual(nat.get("/api/v1/incidents/stats?q=zzznothingzzz").json["total"], 0)
        self.assertIn(a["id"], ids("q=VACCIN"))
        self.assertNotIn(a["id"], ids("q=hospital+payroll"))
        self.assertIn(a["id"], ids("status=new&open=1&overdue=0"))
        self.assertNotIn(a["id"], ids("open=0"))
        stats = nat.get("/api/v1/incidents/stats?province=khyber_pakhtunkhwa").json
        kp = [p for p in stats["open_by_province"] if p["province"] == "khyber_pakhtunkhwa"][0]
        self.assertGreaterEqual(kp["by_severity"]["emergency"], 1)
        self.assertEqual(sum(p["open"] for p in stats["open_by_province"]), stats["open"])
        for bad in ("severity=urgent", "status=open", "province=mars", "overdue=maybe",
                    "rsit_class=ransomware", "since=yesterday", "cursor=abc",
                    "handling_org_id=zz", "org_id=punjab-cert"):
            r = nat.get("/api/v1/incidents?" + bad)
            self.assertEqual(r.status, 422, (bad, r))
            self.assertEqual(r.json["error"]["field"], bad.split("=")[0], (bad, r))
        # A well-formed id of no org (or of one the caller may not see) is no error: no rows.
        self.assertEqual(nat.get("/api/v1/incidents?org_id=00000000-0000-4000-8000-000000000000")
                         .json["items"], [])
        # Pagination by cursor: newest first, no repeats.
        seen, cursor = [], None
        for _ in range(50):
            r = nat.get("/api/v1/incidents?limit=2" + ("&cursor=" + cursor if cursor else ""))
            seen += [x["number"] for x in r.json["items"]]
            cursor = r.json["next_cursor"]
            if not cursor:
                break
        self.assertEqual(seen, sorted(set(seen), reverse=True))
        csv = nat.request("GET", "/api/v1/incidents/export?severity=emergency")
        self.assertEqual(csv.status, 200)
        self.assertIn("attachment", csv.headers["Content-Disposition"])
        self.assertIn(a["reference"], csv.body.decode())

    def test_the_taxonomy_and_the_reporting_policy(self):
        tax = self.demo_client("reporter", "pb-health").get("/api/v1/taxonomy/rsit").json
        classes = {c["id"]: c for c in tax["classes"]}
        self.assertEqual(len(classes), 11)
        self.assertIn("phishing", [t["id"] for t in classes["fraud"]["types"]])
        self.assertTrue(all(t["description"] for c in tax["classes"] for t in c["types"]))
        pol = self.demo_client("viewer", "sindh-cert").get("/api/v1/reporting-policy").json
        rules = {(r["tier"], r["severity"]): r for r in pol["rules"]}
        self.assertEqual(len(rules), 5 * 6)
        self.assertEqual([rules[("provincial_cert", s)]["acknowledge_minutes"] for s in
                          ("emergency", "severe", "high", "medium", "low", "baseline")],
                         [60, 240, 480, 1440, 4320, 4320])
        r0 = rules[("national_cert", "medium")]
        self.assertEqual((r0["early_warning_minutes"], r0["early_warning_cii_minutes"],
                          r0["notification_minutes"], r0["final_report_minutes"]),
                         (1440, 360, 4320, 43200))


class TestBadInput(IncidentCase):
    """Refused with a clear 4xx and nothing written."""

    def written(self):
        return (self.db_count("SELECT count(*) FROM incidents"),
                self.db_count("SELECT count(*) FROM audit_log"),
                self.db_count("SELECT count(*) FROM files"),
                self.db_count("SELECT count(*) FROM inbox"))

    def test_bad_reports_are_refused_naming_the_field(self):
        rep = self.demo_client("reporter", "pb-health")
        rep.get("/api/v1/me")
        base = incident()
        cases = [
            (dict(base, rsit_class="ransomware"), 422, "rsit_class"),
            (dict(base, rsit_type="ransomware"), 422, "rsit_type"),
            (dict(base, rsit_type="ddos"), 422, "rsit_type"),  # a type of another class
            (dict(base, severity="urgent"), 422, "severity"),
            ({k: v for k, v in base.items() if k != "severity"}, 422, "severity"),
            ({k: v for k, v in base.items() if k != "title"}, 422, "title"),
            (dict(base, title="  "), 422, "title"),
            (dict(base, title="x" * 501), 422, "title"),
            (dict(base, title="bell\u0007"), 422, "title"),
            (dict(base, detected_at="2999-01-01T00:00:00Z"), 422, "detected_at"),
            (dict(base, detected_at="yesterday"), 422, "detected_at"),
            (dict(base, tlp="WHITE"), 422, "tlp"),
            (dict(base, cii_involved="yes"), 422, "cii_involved"),
            (dict(base, status="closed"), None, None),  # unknown member of a report
            (dict(base, colour="red"), None, None),
            (dict(base, org_id="not-an-org"), 404, "org_id"),
        ]
        before = self.written()
        for body, status, field in cases:
            r = rep.post("/api/v1/incidents", body)
            with self.subTest(body=body):
                if status is None:
                    self.assertIn(r.status, (400, 422), r)
                else:
                    self.assertEqual(r.status, status, r)
                    self.assertEqual(r.json["error"]["field"], field, r)
                self.assertTrue(r.json["error"]["message"])
        self.assertEqual(self.written(), before)

    def test_a_50_mb_attachment_is_refused_and_nothing_stored(self):
        x = self.report("pb-health", incident())
        rep = self.demo_client("reporter", "pb-health")
        before = self.written()
        r = rep.request("POST", "/api/v1/incidents/%s/attachments?filename=big.bin" % x["id"],
                        raw=b"\0" * (50 * 1024 * 1024),
                        headers={"Content-Type": "application/octet-stream"})
        self.assertEqual(r.status, 413, r)
        r = rep.request("POST", "/api/v1/incidents/%s/attachments?filename=%%22.txt" % x["id"],
                        raw=b"x", headers={"Content-Type": "text/plain"})
        self.assertEqual(r.status, 422, r)
        r = rep.request("POST", "/api/v1/incidents/%s/attachments?filename=empty.txt" % x["id"],
                        raw=b"", headers={"Content-Type": "text/plain"})
        self.assertEqual(r.status, 422, r)
        self.assertEqual(self.written(), before)
        self.assertEqual(rep.get("/api/v1/incidents/%s/attachments" % x["id"]).json["items"], [])

    def test_illegal_changes_write_nothing(self):
        x = self.report("pb-health", incident())
        ana = self.demo_client("analyst", "punjab-cert")
        for role, slug in (("analyst", "ncert"), ("admin", "punjab-cert"), ("admin", "ncert")):
            self.demo_client(role, slug)  # its token is made (and audited) before counting
        before = self.written()
        for body, status in (({}, 422), ({"status": "recovered"}, 409), ({"status": "x"}, 422),
                             ({"org_id": self.org("pb-finance")}, 422),
                             ({"rsit_class": "fraud"}, 422), ({"severity": "huge"}, 422),
                             ({"title": "x" * 600}, 422)):
            r = ana.patch("/api/v1/incidents/" + x["id"], body)
            self.assertEqual(r.status, status, (body, r))
        self.assertEqual(self.written(), before)
        # Changes of the reporting policy by anyone but the National CERT's admins.
        change = {"rules": [{"tier": "provincial_cert", "severity": "high",
                             "acknowledge_minutes": 1}]}
        for role, slug in (("analyst", "ncert"), ("admin", "punjab-cert")):
            r = self.demo_client(role, slug).request("PUT", "/api/v1/reporting-policy",
                                                     body=change)
            self.assertEqual(r.status, 403, (role, slug, r))
        adm = self.demo_client("admin", "ncert")
        for rules in ([{"tier": "institution", "severity": "high"}],
                      [{"tier": "provincial_cert", "severity": "high",
                        "acknowledge_minutes": -5}],
                      [{"tier": "provincial_cert", "severity": "high",
                        "acknowledge_minutes": 10 ** 7}], []):
            r = adm.request("PUT", "/api/v1/reporting-policy", body={"rules": rules})
            self.assertEqual(r.status, 422, (rules, r))
        self.assertEqual(self.written(), before)


if __name__ == "__main__":
    unittest.main()
