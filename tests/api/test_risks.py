"""Risk registers: each org keeps its own, its parent CERT reads it, the CERTs see the heat map.

The stories: Punjab Health's focal person records a risk linked to guideline controls; Punjab CERT
reads it (and cannot change it), a sibling institution, Sindh CERT and the National CERT get 404.
The directorate's admin accepts a risk with a reason (audited), and a change of treatment
withdraws the acceptance. A register goes out as CSV and comes back in; a file with a bad row is
refused naming every bad row's line and field, and nothing is stored; likelihood 9 on the 5x5
matrix is refused. A CERT made for the test, with three institutions in two provinces and
sectors, records risks whose heat map is checked against counts made here by hand. The National
CERT's admin changes the bands: every risk is levelled anew, and the answer says how many
changed, which is checked against the levels recomputed here from the scores.
"""

import csv
import datetime
import io
import json

from harness import ServerCase, cli_ok, csv_file, db_query, db_scalar, demo_email, DEMO_PASSWORD

LEVELS = ("low", "medium", "high", "critical")
DEFAULT_BANDS = {"medium": 5, "high": 10, "critical": 15}


def level(score, bands=DEFAULT_BANDS):
    out = "low"
    for name in ("medium", "high", "critical"):
        if score >= bands[name]:
            out = name
    return out


def day(offset):
    return (datetime.date.today() + datetime.timedelta(days=offset)).isoformat()


def csv_text(header, rows):
    return csv_file(header, rows).encode("utf-8")


class TestRisks(ServerCase):

    def rows(self, slug):
        return db_scalar(self.db, "SELECT count(*) FROM risks WHERE owner_org = ?",
                         (self.org_of(slug),))

    def record(self, who, body, status=201):
        r = who.post("/api/v1/risks", body)
        self.assertEqual(r.status, status, r)
        return r.json

    def assertTimeline(self, client, path, actions):
        """The risk at path's timeline, as client reads it, holds these actions, oldest first."""
        got = [e["action"] for e in client.get(path + "/timeline").json["items"]]
        self.assertEqual(got, actions)

    def test_register_is_read_by_the_parent_cert_only(self):
        rep = self.demo_client("reporter", "pb-health")
        risk = self.record(rep, {
            "title": "Ransomware on the patient records servers", "category": "technical",
            "description": "Backups sit on the same domain.", "likelihood": 4, "impact": 5,
            "residual_likelihood": 2, "residual_impact": 5, "treatment": "mitigate",
            "owner": "IT head", "due_date": day(30), "control_ids": ["br-1", "iam-3"]})
        self.assertEqual((risk["inherent_score"], risk["inherent_level"]), (20, "critical"))
        self.assertEqual((risk["residual_score"], risk["residual_level"]), (10, "high"))
        self.assertEqual(risk["tlp"], "AMBER+STRICT")
        self.assertEqual(risk["org_id"], self.org_of("pb-health"))
        self.assertEqual(risk["status"], "open")
        self.assertEqual([c["control_id"] for c in risk["controls"]], ["br-1", "iam-3"])
        self.assertFalse(risk["overdue_treatment"])
        # Granted to the parent CERT alone, scope org.
        grants = db_query(self.db, "SELECT org_id, scope FROM grants WHERE object_kind = 'risk' "
                                   "AND object_id = ?", (risk["id"],))
        self.assertEqual(grants, [(self.org_of("punjab-cert"), "org")])
        path = "/api/v1/risks/" + risk["id"]
        pa = self.demo_client("analyst", "punjab-cert")
        self.assertEqual(pa.get(path).status, 200)
        listed = {x["id"] for x in pa.list_all("/api/v1/risks?org_id=" +
                                               self.org_of("pb-health"), limit=500)[0]}
        self.assertIn(risk["id"], listed)
        # The parent CERT reads but does not change the institution's register.
        self.assertError(pa.patch(path, {"owner": "Someone else"}), 403, "forbidden")
        for role, slug in (("admin", "pb-finance"), ("analyst", "sindh-cert"),
                           ("admin", "ncert"), ("reporter", "sd-health")):
            c = self.demo_client(role, slug)
            with self.subTest(caller=slug):
                self.assertError(c.get(path), 404, "not_found")
                self.assertError(c.patch(path, {"owner": "x"}), 404, "not_found")
                self.assertError(c.get(path + "/timeline"), 404, "not_found")
                ids = {x["id"] for x in c.list_all("/api/v1/risks", limit=500)[0]}
                self.assertNotIn(risk["id"], ids)
        # The owner changes it; the timeline says what changed.
        r = rep.patch(path, {"residual_likelihood": 1, "status": "in_progress",
                             "comment": "Offline backups ordered."})
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json["residual_score"], r.json["residual_level"]), (5, "medium"))
        self.assertTimeline(rep, path, ["recorded", "residual score changed", "status changed",
                                        "commented"])

    def test_bad_input_writes_nothing(self):
        rep = self.demo_client("reporter", "pb-finance")
        before = self.rows("pb-finance")
        head = db_scalar(self.db, "SELECT max(seq) FROM audit_log")
        cases = [
            ({"title": "x", "likelihood": 9, "impact": 2}, "likelihood", "1 to 5"),
            ({"title": "x", "likelihood": 0, "impact": 2}, "likelihood", None),
            ({"title": "x", "likelihood": 2}, "impact", "required"),
            ({"likelihood": 2, "impact": 2}, "title", None),
            ({"title": "x", "likelihood": 2, "impact": 2, "residual_impact": 4,
              "residual_likelihood": 3}, "residual_likelihood", "inherent"),
            ({"title": "x", "likelihood": 2, "impact": 2, "treatment": "accept"}, "treatment",
             "admin"),
            ({"title": "x", "likelihood": 2, "impact": 2, "treatment": "ignore"}, "treatment",
             None),
            ({"title": "x", "likelihood": 2, "impact": 2, "category": "cyber"}, "category", None),
            ({"title": "x", "likelihood": 2, "impact": 2, "due_date": "next week"}, "due_date",
             None),
            ({"title": "x", "likelihood": 2, "impact": 2, "control_ids": ["zz-99"]},
             "control_ids[0]", "zz-99"),
            ({"title": "x", "likelihood": 2, "impact": 2, "likelihood_2": 1}, "likelihood_2",
             None),
        ]
        for body, field, msg in cases:
            with self.subTest(body=body):
                r = rep.post("/api/v1/risks", body)
                self.assertIn(r.status, (422,), r)
                self.assertEqual(r.error.get("field"), field, r)
                if msg:
                    self.assertIn(msg, r.error["message"])
        # A file with bad rows: each named with its line and field; nothing stored.
        body = csv_text(("title", "likelihood", "impact", "due_date"),
                        [("Good one", 2, 2, ""), ("Bad likelihood", 9, 1, ""),
                         ("Good two", 3, 3, day(10)), ("", 1, 1, ""), ("Bad date", 1, 1, "soon")])
        r = rep.request("POST", "/api/v1/risks/import", raw=body,
                        headers={"Content-Type": "text/csv"})
        self.assertEqual(r.status, 422, r)
        self.assertEqual(r.json["error"]["code"], "invalid_file")
        self.assertEqual(r.json["error"]["field"], "line 3, field 2")
        self.assertIn("3 of the file's 5 rows are bad", r.json["error"]["message"])
        self.assertEqual(r.json["bad_rows"], 3)
        self.assertEqual([(p["line"], p["field"]) for p in r.json["problems"]],
                         [(3, 2), (5, 1), (6, 4)])
        r = rep.request("POST", "/api/v1/risks/import", raw=b'{"title": "x"}',
                        headers={"Content-Type": "application/json"})
        self.assertError(r, 415, "unsupported_media_type")
        r = rep.request("POST", "/api/v1/risks/import", raw=b"title,likelihood,colour\r\nA,1,red\r\n",
                        headers={"Content-Type": "text/csv"})
        self.assertError(r, 422, "invalid_field", "line 1, field 3", "colour")
        self.assertEqual(self.rows("pb-finance"), before)
        self.assertEqual(db_scalar(self.db, "SELECT max(seq) FROM audit_log"), head)
        # A viewer records nothing; a reporter accepts nothing.
        self.assertError(self.demo_client("auditor", "ncert").post(
            "/api/v1/risks", {"title": "x", "likelihood": 1, "impact": 1}), 403, "forbidden")

    def test_accepting_needs_an_admin_and_a_reason(self):
        rep = self.demo_client("reporter", "lhr-water")
        adm = self.demo_client("admin", "lhr-water")
        risk = self.record(rep, {"title": "Chlorination PLC on the office LAN", "likelihood": 3,
                                 "impact": 5, "category": "technical"})
        path = "/api/v1/risks/%s" % risk["id"]
        self.assertError(rep.post(path + "/accept", {"reason": "cost"}), 403, "forbidden",
                         msg_has="accept risks")
        self.assertError(self.demo_client("admin", "punjab-cert").post(
            path + "/accept", {"reason": "cost"}), 403, "forbidden")
        self.assertError(adm.post(path + "/accept", {}), 422, "invalid_field", "reason")
        self.assertError(adm.post(path + "/accept", {"reason": "   "}), 422, "invalid_field",
                         "reason")
        self.assertError(rep.patch(path, {"status": "accepted"}), 422, "invalid_field", "status")
        r = adm.post(path + "/accept", {"reason": "Segmentation is funded next year.",
                                        "review_date": day(120)})
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json["status"], r.json["treatment"]), ("accepted", "accept"))
        self.assertEqual(r.json["acceptance_reason"], "Segmentation is funded next year.")
        self.assertEqual(r.json["accepted_by"], demo_email("admin", "lhr-water"))
        self.assertEqual(r.json["review_date"], day(120))
        self.assertError(adm.post(path + "/accept", {"reason": "again"}), 409, "conflict")
        audit = db_query(self.db, "SELECT action, org_id FROM audit_log WHERE object_kind = "
                                  "'risk' AND object_id = ? ORDER BY seq", (risk["id"],))
        self.assertEqual(audit, [("risk.create", self.org_of("lhr-water")),
                                 ("risk.accept", self.org_of("lhr-water"))])
        # An accepted risk is not put back in treatment without a change of treatment; the
        # change withdraws the acceptance.
        self.assertError(rep.patch(path, {"status": "in_progress"}), 409, "conflict")
        r = rep.patch(path, {"treatment": "mitigate"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json["status"], r.json["treatment"], r.json["acceptance_reason"]),
                         ("open", "mitigate", None))
        self.assertTimeline(rep, path, ["recorded", "accepted", "acceptance withdrawn",
                                        "status changed"])

    def test_export_imports_back(self):
        rep = self.demo_client("reporter", "pb-emergency")
        org = self.org_of("pb-emergency")
        r = rep.request("POST", "/api/v1/risks/import", raw=csv_text(
            ("title", "likelihood", "impact", "category", "control_ids", "due_date", "owner"),
            [("Dispatch system outage", 3, 5, "operational", "br-1 br-2", day(-3), "Ops head"),
             ("Radio network jamming", 2, 4, "physical", "", "", ""),
             ("= formula in a title", 1, 1, "", "", "", "")]),
            headers={"Content-Type": "text/csv"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json, {"rows": 3, "added": 3, "updated": 0})
        r = rep.get("/api/v1/risks/export?org_id=" + org)
        self.assertEqual(r.status, 200)
        self.assertTrue(r.header("Content-Type").startswith("text/csv"), r)
        text = r.body.decode("utf-8")
        rows = list(csv.DictReader(io.StringIO(text)))
        self.assertEqual(len(rows), self.rows("pb-emergency"))
        mine = {x["title"]: x for x in rows}
        self.assertEqual(mine["Dispatch system outage"]["control_ids"], "br-1 br-2")
        self.assertEqual(mine["Dispatch system outage"]["inherent_level"], "critical")
        self.assertIn("'= formula in a title", mine)  # guarded against spreadsheet formulas
        # The file comes back: every row names its risk, nothing is added, one change is made.
        out = io.StringIO()
        w = csv.DictWriter(out, fieldnames=list(rows[0].keys()), lineterminator="\r\n")
        w.writeheader()
        for x in rows:
            if x["title"] == "Radio network jamming":
                x["residual_likelihood"] = "1"
            w.writerow(x)
        before = self.rows("pb-emergency")
        r = rep.request("POST", "/api/v1/risks/import", raw=out.getvalue().encode("utf-8"),
                        headers={"Content-Type": "text/csv"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["added"], 0)
        self.assertEqual(r.json["updated"], len(rows))
        self.assertEqual(self.rows("pb-emergency"), before)
        jam = [x for x in rep.list_all("/api/v1/risks?org_id=" + org)[0]
               if x["title"] == "Radio network jamming"][0]
        self.assertEqual((jam["residual_likelihood"], jam["residual_score"]), (1, 4))
        # Another org's risk id in a file is refused, naming the line; nothing stored.
        other = self.record(self.demo_client("reporter", "pb-power"),
                            {"title": "Substation access", "likelihood": 2, "impact": 3})
        head = db_scalar(self.db, "SELECT max(seq) FROM audit_log")
        r = rep.request("POST", "/api/v1/risks/import", raw=csv_text(
            ("id", "title", "likelihood", "impact"),
            [("", "New one", 1, 1), (other["id"], "Taken over", 1, 1)]),
            headers={"Content-Type": "text/csv"})
        self.assertError(r, 422, "invalid_field", "line 3", "no risk with id")
        self.assertEqual(db_scalar(self.db, "SELECT max(seq) FROM audit_log"), head)

    def test_linked_controls_say_when_they_are_weak(self):
        """A risk linked to controls shows their answers in the org's latest accepted assessment;
        those at maturity 2 or below are weak and counted."""
        # An institution whose latest accepted assessment has weak controls (the demo's answers
        # are invented; this finds one).
        latest = ("SELECT a.owner_org, a.id FROM assessments a JOIN campaigns k ON k.id = "
                  "a.campaign_id WHERE a.status = 'accepted' AND a.reviewed_at = (SELECT "
                  "max(b.reviewed_at) FROM assessments b WHERE b.owner_org = a.owner_org AND "
                  "b.status = 'accepted')")
        rows = db_query(self.db, "SELECT l.owner_org, l.id FROM (%s) l WHERE EXISTS (SELECT 1 "
                                 "FROM assessment_answers x WHERE x.assessment_id = l.id AND "
                                 "x.maturity <= 2 AND x.status <> 'not_applicable') ORDER BY "
                                 "l.owner_org LIMIT 1" % latest)
        self.assertEqual(len(rows), 1, "an accepted assessment with weak answers")
        org, aid = rows[0]
        slug = [e for e, p in self.people().items()
                if p["org_id"] == org and e.startswith("reporter@")][0].split("@")[1].split(".")[0]
        rep = self.demo_client("reporter", slug)
        items = rep.get("/api/v1/assessments/" + aid).json["controls"]
        answers = {i["id"]: i["answer"] for i in items if i["answer"]}
        weak = sorted(c for c, a in answers.items()
                      if a["status"] != "not_applicable" and a["maturity"] <= 2)[:2]
        strong = sorted(c for c, a in answers.items() if a["maturity"] >= 3)[:2]
        self.assertTrue(weak and strong, answers)
        risk = self.record(rep, {"title": "Patient data on unmanaged laptops", "likelihood": 4,
                                 "impact": 4, "control_ids": weak + strong})
        self.assertEqual(risk["weak_controls"], len(weak))
        self.assertEqual(risk["controls_assessment"]["assessment_id"], aid)
        got = {c["control_id"]: (c["assessed"], c["weak"], c["maturity"]) for c in risk["controls"]}
        for c in weak + strong:
            self.assertEqual(got[c], (True, c in weak, answers[c]["maturity"]), c)
        listed = [x for x in rep.list_all("/api/v1/risks?org_id=" + org)[0]
                  if x["id"] == risk["id"]][0]
        self.assertEqual(listed["weak_controls"], len(weak))
        # A sibling's reporter may not read the risk at all; a risk without controls says null.
        bare = self.record(rep, {"title": "No controls", "likelihood": 1, "impact": 1})
        self.assertIsNone(bare["weak_controls"])
        self.assertIsNone(bare["controls_assessment"])


class TestHeatmap(ServerCase):
    """A CERT below Punjab CERT with three institutions in two provinces and sectors; the heat map
    of its constituency against counts made by hand, as its own analyst, as Punjab CERT and as the
    National CERT."""

    ORGS = {  # slug -> (kind, parent slug, province, sector)
        "hm-cert": ("sectoral_cert", "punjab-cert", "punjab", "health"),
        "hm-a": ("institution", "hm-cert", "punjab", "health"),
        "hm-b": ("institution", "hm-cert", "sindh", "health"),
        "hm-c": ("institution", "hm-cert", "sindh", "water"),
    }
    # slug -> [(title, likelihood, impact, residual likelihood, residual impact, due, status,
    #           tlp)]
    RISKS = {
        "hm-a": [("A1", 5, 5, 4, 5, -10, None, None), ("A2", 2, 2, 2, 2, 20, None, None),
                 ("A3", 3, 3, 3, 3, -5, "closed", None)],
        "hm-b": [("B1", 4, 4, 3, 4, -1, "in_progress", None), ("B2", 5, 4, 5, 4, 0, None, "RED"),
                 ("B3", 1, 3, 1, 3, -30, "done", None)],
        "hm-c": [("C1", 3, 5, 3, 5, 5, None, None), ("C2", 4, 2, 1, 2, -2, None, "GREEN")],
        "hm-cert": [("H1", 2, 3, 2, 3, 60, None, None)],
    }
    # title -> review date, days from today (the others: a year on, the default). Overdue when
    # past: A1, C2 and, for its readers, the RED B2; A3 is closed and B3 done is still counted.
    REVIEWS = {"A1": -3, "A3": -10, "B2": -2, "B3": -1, "C2": -40, "C1": 0}

    @classmethod
    def prepare_db(cls):
        ids = {"punjab-cert": cls.org_of("punjab-cert")}
        for slug, (kind, parent, prov, sector) in cls.ORGS.items():
            out = cli_ok("org", "add", "--db", cls.db, "--parent", ids[parent], "--kind", kind,
                         "--name", "Heat map " + slug, "--province", prov, "--sector", sector,
                         "--json")
            ids[slug] = json.loads(out)["id"]
            for role in ("reporter", "analyst", "admin"):
                cli_ok("user", "add", "--db", cls.db, "--org", ids[slug], "--email",
                       demo_email(role, slug), "--role", role, "--password-stdin",
                       input=DEMO_PASSWORD)
        cls.ids = ids

    @classmethod
    def prepare(cls):
        for slug, risks in cls.RISKS.items():
            rep = cls.demo_client("reporter", slug)
            for title, l, i, rl, ri, due, status, tlp in risks:
                body = {"title": title, "likelihood": l, "impact": i, "residual_likelihood": rl,
                        "residual_impact": ri, "due_date": day(due)}
                if title in cls.REVIEWS:
                    body["review_date"] = day(cls.REVIEWS[title])
                if tlp:
                    body["tlp"] = tlp
                r = rep.post("/api/v1/risks", body)
                if r.status != 201:
                    raise AssertionError("risk %s: %r" % (title, r))
                if status:
                    r = rep.patch("/api/v1/risks/" + r.json["id"], {"status": status})
                    if r.status != 200:
                        raise AssertionError("status of %s: %r" % (title, r))

    def expected(self, readable_red):
        """The heat map of hm-cert's subtree by hand: every risk not closed, the RED one only for a
        viewer that may read it."""
        counts = [[0] * 5 for _ in range(5)]
        levels = dict.fromkeys(LEVELS, 0)
        prov, sect, orgs = {}, {}, set()
        overdue = reviews = 0
        for slug, risks in self.RISKS.items():
            for title, l, i, rl, ri, due, status, tlp in risks:
                if status == "closed" or (tlp == "RED" and not readable_red):
                    continue
                counts[rl - 1][ri - 1] += 1
                levels[level(rl * ri)] += 1
                _, _, p, s = self.ORGS[slug]
                prov[p] = prov.get(p, 0) + 1
                sect[s] = sect.get(s, 0) + 1
                orgs.add(slug)
                overdue += status in (None, "in_progress") and due < 0
                reviews += self.REVIEWS.get(title, 365) < 0
        return {"counts": counts, "by_level": levels, "total": sum(levels.values()),
                "by_province": prov, "by_sector": sect, "orgs_with_risks": len(orgs),
                "overdue_treatments": overdue, "overdue_reviews": reviews}

    def check(self, h, want):
        self.assertEqual(h["counts"], want["counts"])
        self.assertEqual(h["by_level"], want["by_level"])
        self.assertEqual(h["total"], want["total"])
        self.assertEqual(h["orgs_with_risks"], want["orgs_with_risks"])
        self.assertEqual(h["overdue_treatments"], want["overdue_treatments"])
        self.assertEqual(h["overdue_reviews"], want["overdue_reviews"])
        self.assertEqual({g["province"]: g["total"] for g in h["by_province"]},
                         want["by_province"])
        self.assertEqual({g["sector"]: g["total"] for g in h["by_sector"]}, want["by_sector"])
        for g in h["by_province"] + h["by_sector"]:
            self.assertEqual(sum(map(sum, g["counts"])), g["total"], g)
            self.assertEqual(sum(g["by_level"].values()), g["total"], g)

    def test_the_cert_sees_its_constituency(self):
        root = self.ids["hm-cert"]
        h = self.demo_client("analyst", "hm-cert").get("/api/v1/risks/heatmap")
        self.assertEqual(h.status, 200, h)
        h = h.json
        self.assertEqual(h["root"], {"id": root, "name": "Heat map hm-cert"})
        self.assertEqual(h["orgs"], 4)
        self.assertEqual(h["matrix"]["size"], 5)
        want = self.expected(readable_red=True)  # granted to hm-cert, the parent
        self.check(h, want)
        self.assertEqual((want["total"], want["overdue_reviews"]), (8, 4))  # A1, B2, B3, C2
        # The top risks, highest residual first: every one readable by the parent CERT.
        self.assertEqual([t["score"] for t in h["top"]], [20, 20, 15, 12, 6, 4, 3, 2])
        self.assertTrue(all(t["readable"] and t["title"] for t in h["top"]))

    def test_above_it_titles_are_named_only_where_readable(self):
        root = self.ids["hm-cert"]
        for role, slug in (("analyst", "punjab-cert"), ("analyst", "ncert")):
            with self.subTest(viewer=slug):
                r = self.demo_client(role, slug).get("/api/v1/risks/heatmap?root=" + root)
                self.assertEqual(r.status, 200, r)
                self.check(r.json, self.expected(readable_red=False))
                top = r.json["top"]
                self.assertEqual([t["score"] for t in top], [20, 15, 12, 6, 4, 3, 2])
                # hm-cert's own risk is granted to Punjab CERT, C2 is GREEN: those two are named.
                named = sorted(t["title"] for t in top if t["readable"])
                self.assertEqual(named, ["C2", "H1"] if slug == "punjab-cert" else ["C2"])
                for t in top:
                    if not t["readable"]:
                        self.assertIsNone(t["title"])
                        self.assertIsNone(t["id"])
                        self.assertTrue(t["org_name"].startswith("Heat map"))
        # The inherent basis counts the inherent cells.
        r = self.demo_client("analyst", "hm-cert").get("/api/v1/risks/heatmap?basis=inherent")
        self.assertEqual(r.json["basis"], "inherent")
        self.assertEqual(r.json["counts"][4][4], 1)  # A1, 5x5
        self.assertEqual(r.json["counts"][3][3], 1)  # B1, 4x4
        # Outside one's constituency, and bad values.
        self.assertError(self.demo_client("analyst", "sindh-cert").get(
            "/api/v1/risks/heatmap?root=" + root), 404, "not_found", "root")
        self.assertError(self.demo_client("reporter", "hm-a").get(
            "/api/v1/risks/heatmap?root=" + root), 404, "not_found", "root")
        self.assertError(self.demo_client("analyst", "hm-cert").get(
            "/api/v1/risks/heatmap?basis=worst"), 422, "invalid_field", "basis")

    def test_an_institution_sees_its_own(self):
        h = self.demo_client("reporter", "hm-b").get("/api/v1/risks/heatmap").json
        self.assertEqual((h["orgs"], h["total"], h["orgs_with_risks"]), (1, 3, 1))
        self.assertEqual(h["overdue_treatments"], 1)  # B1, in progress, due yesterday
        self.assertEqual(h["overdue_reviews"], 2)  # B2 (its own RED risk) and B3


class TestMatrix(ServerCase):
    """The National CERT's admin changes the bands; every risk is levelled anew."""

    def test_a_change_of_bands_relevels_every_risk(self):
        nat = self.demo_client("admin", "ncert")
        r = nat.get("/api/v1/risk-matrix")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.json["size"], 5)
        self.assertEqual([(b["level"], b["min_score"], b["max_score"]) for b in r.json["bands"]],
                         [("low", 1, 4), ("medium", 5, 9), ("high", 10, 14), ("critical", 15, 25)])
        self.assertEqual(r.json["cells"][4][4], "critical")
        self.assertEqual(r.json["cells"][0][0], "low")
        scores = db_query(self.db, "SELECT id, inherent_score, residual_score FROM risks")
        self.assertGreater(len(scores), 100, "the demo's registers")
        new = {"medium": 4, "high": 8, "critical": 20}
        want = sum(1 for _, i, s in scores
                   if level(i) != level(i, new) or level(s) != level(s, new))
        for who in (self.demo_client("admin", "punjab-cert"),
                    self.demo_client("analyst", "ncert")):
            self.assertIn(who.request("PUT", "/api/v1/risk-matrix",
                                      {"size": 5, "bands": new}).status, (403,))
        head = db_scalar(self.db, "SELECT max(seq) FROM audit_log")
        for bad, field in (({"size": 5, "bands": {"medium": 8, "high": 4, "critical": 20}},
                            "bands.high"),
                           ({"size": 5, "bands": {"medium": 4, "high": 8, "critical": 26}},
                            "bands.critical"),
                           ({"size": 12, "bands": new}, "size"),
                           ({"size": 5}, "bands"),
                           ({"size": 4, "bands": {"medium": 3, "high": 6, "critical": 12}},
                            "size")):
            r = nat.request("PUT", "/api/v1/risk-matrix", bad)
            self.assertIn(r.status, (409, 422), r)
            self.assertEqual(r.error.get("field"), field, r)
        self.assertEqual(db_scalar(self.db, "SELECT max(seq) FROM audit_log"), head)
        r = nat.request("PUT", "/api/v1/risk-matrix", {"size": 5, "bands": new})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["relevelled"], want)
        self.assertGreater(want, 0)
        self.assertEqual(r.json["updated_by"], demo_email("admin", "ncert"))
        # Every risk a CERT reads now shows the new levels.
        for slug in ("punjab-cert", "sindh-cert"):
            for x in self.demo_client("analyst", slug).list_all("/api/v1/risks", limit=500)[0]:
                self.assertEqual(x["inherent_level"], level(x["inherent_score"], new), x)
                self.assertEqual(x["residual_level"], level(x["residual_score"], new), x)
        # The filter by level uses the new bands: high is 8..19.
        items = self.demo_client("analyst", "punjab-cert").list_all(
            "/api/v1/risks?level=high", limit=500)[0]
        self.assertTrue(items and all(8 <= x["residual_score"] <= 19 for x in items))
        self.assertEqual(db_scalar(self.db, "SELECT count(*) FROM audit_log WHERE action = "
                                            "'risk_matrix.update'"), 1)
