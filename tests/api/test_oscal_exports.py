"""OSCAL exports a GRC tool downstream can use (issue 12, second half): a campaign as an
assessment plan, an assessment's results with stable uuids, props in the deployment's namespace,
parties and subjects, no finding for an unanswered control, last-modified moving with every change
and the TLP marking; a reviewed assessment's gaps with the org's plan as a POA&M; every exported document carries its stored TLP and is valid against NIST's
OSCAL 1.1.2 schemas; a catalog import reads the document's own TLP marking (an explicit ?tlp=
wins); import refuses documents that are not valid OSCAL, naming the JSON path.
"""

import copy
import json
import sqlite3
import time
import unittest
import uuid

from oscal_schema import need_schema, schema_errors
from test_campaigns import GuideCase, answer_items

CONTROLS = ["gv-1", "iam-2", "vpm-2", "ir-3"]
NAMESPACE = "https://cert.example.gov"


def small_catalog(**meta):
    """A valid OSCAL catalog with one group and two controls; meta overrides metadata members."""
    m = {"title": "Small catalog", "version": "1", "oscal-version": "1.1.2",
         "last-modified": "2026-01-01T00:00:00Z"}
    m.update(meta)
    return {"catalog": {
        "uuid": str(uuid.uuid4()), "metadata": m,
        "groups": [{"id": "g1", "title": "Group one", "controls": [
            {"id": "g1-1", "title": "First", "parts": [
                {"id": "g1-1_smt", "name": "statement", "prose": "Do the first thing."}]},
            {"id": "g1-2", "title": "Second",
             "links": [{"href": "#g1-1", "rel": "related"}]}]}]}}


class TestOscalExports(GuideCase):

    @classmethod
    def prepare_db(cls):
        super().prepare_db()
        # What `rabta init --namespace URL` stores (the demo database exists already).
        con = sqlite3.connect(cls.db)
        with con:
            con.execute("INSERT INTO settings(key, value) VALUES ('namespace', ?) ON CONFLICT(key)"
                        " DO UPDATE SET value = excluded.value", (NAMESPACE,))
        con.close()

    def setUp(self):
        need_schema(self)
        self.pa = self.demo_client("analyst", "punjab-cert")
        self.hr = self.demo_client("reporter", "pb-health")

    def campaign(self, title):
        profile = self.make_profile(title + " profile", CONTROLS)
        camp = self.launch(profile, title)
        return profile, camp, self.assessment_of(camp["id"], "pb-health")

    def results(self, aid, client=None):
        r = (client or self.hr).get("/api/v1/assessments/%s/oscal" % aid)
        self.assertEqual(r.status, 200, r)
        return json.loads(r.body)

    def valid(self, doc, model):
        self.assertEqual(schema_errors(doc, model), [], json.dumps(doc)[:2000])

    def test_the_campaign_is_an_assessment_plan(self):
        profile, camp, aid = self.campaign("Plan export")
        r = self.pa.get("/api/v1/campaigns/%s/oscal" % camp["id"])
        self.assertEqual(r.status, 200, r)
        doc = json.loads(r.body)
        self.valid(doc, "assessment-plan")
        ap = doc["assessment-plan"]
        self.assertEqual(ap["uuid"], camp["id"])
        self.assertEqual(ap["import-ssp"]["href"], "/api/v1/profiles/%s/resolved" % profile)
        sel = ap["reviewed-controls"]["control-selections"][0]["include-controls"]
        self.assertEqual([c["control-id"] for c in sel], CONTROLS)
        subjects = {s["subject-uuid"] for s in ap["assessment-subjects"][0]["include-subjects"]}
        self.assertIn(self.org_of("pb-health"), subjects)
        parties = {p["uuid"]: p["name"] for p in ap["metadata"]["parties"]}
        self.assertIn(self.org_of("punjab-cert"), parties)
        self.assertTrue(subjects <= set(parties))
        task = ap["tasks"][0]
        self.assertEqual(task["type"], "milestone")
        self.assertEqual(task["timing"]["on-date"]["date"], camp["due_date"] + "T23:59:59Z")
        self.assertIn({"name": "marking", "value": "TLP:AMBER", "class": "tlp"},
                      ap["metadata"]["props"])
        # The same plan twice: the same bytes.
        self.assertEqual(self.pa.get("/api/v1/campaigns/%s/oscal" % camp["id"]).body, r.body)
        # The assessment's results import it.
        ar = self.results(aid)["assessment-results"]
        self.assertEqual(ar["import-ap"]["href"], "/api/v1/campaigns/%s/oscal" % camp["id"])
        # Another province's institution cannot read it.
        far = self.demo_client("reporter", "kp-health")
        self.assertEqual(far.get("/api/v1/campaigns/%s/oscal" % camp["id"]).status, 404)

    def test_assessment_results_a_grc_tool_can_use(self):
        _, camp, aid = self.campaign("Results export")
        # Nothing answered: a valid document with no finding at all.
        doc = self.results(aid)
        self.valid(doc, "assessment-results")
        res = doc["assessment-results"]["results"][0]
        self.assertNotIn("findings", res)
        self.assertNotIn("observations", res)
        first_modified = doc["assessment-results"]["metadata"]["last-modified"]

        time.sleep(1.1)
        answers = {"gv-1": ("implemented", 4), "iam-2": ("partial", 2)}
        r = self.hr.request("PUT", "/api/v1/assessments/%s/answers" % aid,
                            {"answers": answer_items(answers)})
        self.assertEqual(r.status, 200, r)
        doc = self.results(aid)
        self.valid(doc, "assessment-results")
        ar = doc["assessment-results"]
        self.assertGreater(ar["metadata"]["last-modified"], first_modified)
        res = ar["results"][0]
        # Unanswered controls are reviewed but have no finding.
        self.assertEqual([f["target"]["target-id"] for f in res["findings"]],
                         ["gv-1_smt", "iam-2_smt"])
        self.assertEqual([c["control-id"] for c in
                          res["reviewed-controls"]["control-selections"][0]["include-controls"]],
                         CONTROLS)
        states = {f["target"]["target-id"]: f["target"]["status"]["state"]
                  for f in res["findings"]}
        self.assertEqual(states, {"gv-1_smt": "satisfied", "iam-2_smt": "not-satisfied"})
        # Status and maturity as props in the deployment's namespace.
        obs = {o["uuid"]: o for o in res["observations"]}
        iam = [f for f in res["findings"] if f["target"]["target-id"] == "iam-2_smt"][0]
        o = obs[iam["related-observations"][0]["observation-uuid"]]
        props = {p["name"]: (p["value"], p.get("ns")) for p in o["props"]}
        self.assertEqual(props, {"answer-status": ("partial", NAMESPACE),
                                 "maturity": ("2", NAMESPACE)})
        self.assertEqual(iam["target"]["implementation-status"]["state"], "partial")
        # The assessed org is a party and the observations' subject; its CERT a party too.
        parties = {p["uuid"]: p["name"] for p in ar["metadata"]["parties"]}
        health = self.org_of("pb-health")
        self.assertIn(health, parties)
        self.assertIn(self.org_of("punjab-cert"), parties)
        self.assertEqual(o["subjects"], [{"subject-uuid": health, "type": "party",
                                          "title": parties[health]}])
        self.assertIn({"name": "marking", "value": "TLP:AMBER+STRICT", "class": "tlp"},
                      ar["metadata"]["props"])
        # Stable uuids: the same assessment exported twice names everything alike.
        again = self.results(aid)
        self.assertEqual(json.dumps(again, sort_keys=True), json.dumps(doc, sort_keys=True))
        self.assertEqual(self.results(aid, self.pa), doc)

        # Submit and review: the decision is a prop, the comment remarks, the CERT an origin.
        rest = {"vpm-2": ("not_applicable", None), "ir-3": ("planned", 1)}
        self.assertEqual(self.hr.request("PUT", "/api/v1/assessments/%s/answers" % aid,
                                         {"answers": answer_items(rest)}).status, 200)
        self.assertEqual(self.hr.post("/api/v1/assessments/%s/submit" % aid, {}).status, 200)
        decisions = [{"control_id": c, "decision": "accept"} for c in CONTROLS]
        decisions[3] = {"control_id": "ir-3", "decision": "return", "comment": "Show the plan."}
        r = self.pa.post("/api/v1/assessments/%s/review" % aid, {"decisions": decisions})
        self.assertEqual(r.status, 200, r)
        doc2 = self.results(aid)
        self.valid(doc2, "assessment-results")
        res2 = doc2["assessment-results"]["results"][0]
        fnd = {f["target"]["target-id"]: f for f in res2["findings"]}
        self.assertEqual([p["value"] for p in fnd["ir-3_smt"]["props"] if p["name"] == "review"],
                         ["returned"])
        self.assertEqual(fnd["ir-3_smt"]["remarks"], "Show the plan.")
        self.assertEqual(fnd["ir-3_smt"]["origins"][0]["actors"][0]["actor-uuid"],
                         self.org_of("punjab-cert"))
        self.assertEqual(fnd["vpm-2_smt"]["target"]["status"],
                         {"state": "satisfied", "reason": "not-applicable"})
        # The uuids did not change with the answers.
        self.assertEqual(doc2["assessment-results"]["results"][0]["uuid"], res["uuid"])
        self.assertEqual(fnd["iam-2_smt"]["uuid"], iam["uuid"])

    def poam(self, aid, client=None):
        r = (client or self.hr).get("/api/v1/assessments/%s/poam" % aid)
        self.assertEqual(r.status, 200, r)
        doc = json.loads(r.body)
        self.valid(doc, "plan-of-action-and-milestones")
        return doc["plan-of-action-and-milestones"]

    def test_the_poam_of_a_reviewed_assessment(self):
        profile, camp, aid = self.campaign("POA&M export")
        path = "/api/v1/assessments/%s/poam" % aid
        # Not reviewed yet: refused, saying why; so is a plan.
        r = self.hr.get(path)
        self.assertEqual(r.status, 409, r)
        self.assertEqual(r.json["error"]["field"], "status")
        self.assertIn("reviewed", r.json["error"]["message"])
        plan = {"owner": "Head of IT", "due_date": "2027-06-30",
                "weakness": "MFA covers e-mail only; the VPN and the HIS follow by June."}
        self.assertEqual(self.hr.request("PUT", path + "/iam-2", plan).status, 409)
        answers = {"gv-1": ("implemented", 4), "iam-2": ("partial", 2),
                   "vpm-2": ("not_applicable", None), "ir-3": ("planned", 1)}
        self.assertEqual(self.hr.request("PUT", "/api/v1/assessments/%s/answers" % aid,
                                         {"answers": answer_items(answers)}).status, 200)
        self.assertEqual(self.hr.post("/api/v1/assessments/%s/submit" % aid, {}).status, 200)
        self.assertEqual(self.hr.get(path).status, 409)
        r = self.pa.post("/api/v1/assessments/%s/review" % aid,
                         {"decisions": [{"control_id": c, "decision": "accept"}
                                        for c in CONTROLS]})
        self.assertEqual(r.status, 200, r)

        # Reviewed: one item per gap (partial, planned), nothing planned yet.
        pm = self.poam(aid)
        items = pm["poam-items"]
        props = [{p["name"]: p["value"] for p in i["props"]} for i in items]
        self.assertEqual([(p["control-id"], p["gap-status"], p["answer-status"]) for p in props],
                         [("iam-2", "partial", "partial"), ("ir-3", "not-satisfied", "planned")])
        self.assertTrue(all(p["ns"] == NAMESPACE for i in items for p in i["props"]))
        self.assertNotIn("owner", props[0])
        self.assertEqual([k["status"] for k in pm["risks"]], ["open", "open"])
        self.assertNotIn("deadline", pm["risks"][0])
        self.assertEqual(pm["import-ssp"]["href"], "/api/v1/profiles/%s/resolved" % profile)
        self.assertIn({"name": "marking", "value": "TLP:AMBER+STRICT", "class": "tlp"},
                      pm["metadata"]["props"])
        self.assertEqual([f["target"]["target-id"] for f in pm["findings"]],
                         ["iam-2_smt", "ir-3_smt"])
        # The observations and findings are the results' own (same uuids); each item ties its
        # finding, observation and risk together.
        res = self.results(aid)["assessment-results"]["results"][0]
        by_target = {f["target"]["target-id"]: f for f in res["findings"]}
        self.assertEqual(pm["findings"][0]["uuid"], by_target["iam-2_smt"]["uuid"])
        self.assertEqual(items[0]["related-findings"][0]["finding-uuid"],
                         by_target["iam-2_smt"]["uuid"])
        self.assertEqual(items[0]["related-observations"][0]["observation-uuid"],
                         by_target["iam-2_smt"]["related-observations"][0]["observation-uuid"])
        self.assertEqual(items[0]["related-risks"][0]["risk-uuid"], pm["risks"][0]["uuid"])
        first_modified = pm["metadata"]["last-modified"]

        # The org plans a gap: owner, due date, weakness.
        time.sleep(1.1)
        r = self.hr.request("PUT", path + "/iam-2", plan)
        self.assertEqual(r.status, 200, r)
        self.assertEqual([(x["control_id"], x["owner"], x["due_date"], x["weakness"])
                          for x in r.json["poam"]],
                         [("iam-2", plan["owner"], plan["due_date"], plan["weakness"])])
        pm2 = self.poam(aid)
        self.assertGreater(pm2["metadata"]["last-modified"], first_modified)
        item = pm2["poam-items"][0]
        self.assertEqual(item["description"], plan["weakness"])
        self.assertIn({"name": "owner", "ns": NAMESPACE, "value": "Head of IT"}, item["props"])
        risk = pm2["risks"][0]
        self.assertEqual(risk["status"], "remediating")
        self.assertEqual(risk["deadline"], "2027-06-30T23:59:59Z")
        rem = risk["remediations"][0]
        self.assertEqual((rem["lifecycle"], rem["description"]), ("planned", plan["weakness"]))
        self.assertEqual(rem["tasks"][0]["type"], "milestone")
        self.assertEqual(rem["tasks"][0]["timing"]["on-date"]["date"], "2027-06-30T23:59:59Z")
        # The same uuids as before the plan; the same bytes twice; the CERT reads the same.
        self.assertEqual([i["uuid"] for i in pm2["poam-items"]], [i["uuid"] for i in items])
        self.assertEqual(self.hr.get(path).body, self.hr.get(path).body)
        self.assertEqual(self.poam(aid, self.pa), pm2)
        hist = self.hr.get("/api/v1/assessments/%s/history" % aid).json["items"]
        self.assertEqual((hist[-1]["action"], hist[-1]["control_id"]), ("plan set", "iam-2"))

        # Refusals: not a gap, not a control, a bad date, the CERT, another province.
        r = self.hr.request("PUT", path + "/gv-1", plan)
        self.assertEqual((r.status, r.json["error"]["field"]), (409, "control_id"), r)
        self.assertEqual(self.hr.request("PUT", path + "/zz-9", plan).status, 404)
        r = self.hr.request("PUT", path + "/ir-3", {"due_date": "30/06/2027"})
        self.assertEqual((r.status, r.json["error"]["field"]), (422, "due_date"), r)
        r = self.hr.request("PUT", path + "/ir-3", {"owner": "x", "deadline": "2027-01-01"})
        self.assertEqual(r.status, 422, r)
        self.assertEqual(self.pa.request("PUT", path + "/ir-3", plan).status, 403)
        far = self.demo_client("reporter", "kp-health")
        self.assertEqual(far.get(path).status, 404)
        self.assertEqual(far.request("PUT", path + "/ir-3", plan).status, 404)
        self.assertEqual(self.poam(aid)["poam-items"], pm2["poam-items"])

        # Cleared (null or blank): the item is back to unplanned.
        r = self.hr.request("PUT", path + "/iam-2", {"owner": " ", "weakness": None})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["poam"], [])
        pm3 = self.poam(aid)
        self.assertEqual(pm3["risks"][0]["status"], "open")
        self.assertNotIn("owner", {p["name"] for p in pm3["poam-items"][0]["props"]})

    def test_no_poam_without_a_gap(self):
        _, camp, aid = self.campaign("POA&M without gaps")
        answers = {c: ("implemented", 4) for c in CONTROLS}
        self.assertEqual(self.hr.request("PUT", "/api/v1/assessments/%s/answers" % aid,
                                         {"answers": answer_items(answers)}).status, 200)
        self.assertEqual(self.hr.post("/api/v1/assessments/%s/submit" % aid, {}).status, 200)
        r = self.pa.post("/api/v1/assessments/%s/review" % aid,
                         {"decisions": [{"control_id": c, "decision": "accept"}
                                        for c in CONTROLS]})
        self.assertEqual(r.status, 200, r)
        r = self.hr.get("/api/v1/assessments/%s/poam" % aid)
        self.assertEqual(r.status, 409, r)
        self.assertIn("no gap", r.json["error"]["message"])

    def test_every_export_carries_the_stored_tlp(self):
        c = self.demo_client("analyst", "ncert")
        doc = small_catalog()
        r = c.request("POST", "/api/v1/catalogs?tlp=AMBER", doc)
        self.assertEqual(r.status, 201, r)
        cid = r.json["id"] if "id" in r.json else r.json["catalog"]["id"]
        out = json.loads(c.get("/api/v1/catalogs/%s/oscal" % cid).body)
        self.valid(out, "catalog")
        marks = [p for p in out["catalog"]["metadata"]["props"] if p["name"] == "marking"]
        self.assertEqual(marks, [{"name": "marking", "value": "TLP:AMBER", "class": "tlp"}])
        pid = self.make_profile("TLP profile", ["gv-1"])
        for what, model in (("oscal", "profile"), ("resolved", "catalog")):
            d = json.loads(c.get("/api/v1/profiles/%s/%s" % (pid, what)).body)
            self.valid(d, model)
            self.assertIn({"name": "marking", "value": "TLP:GREEN", "class": "tlp"},
                          d[model]["metadata"]["props"])

    def test_import_reads_the_documents_own_marking(self):
        c = self.demo_client("analyst", "ncert")
        doc = small_catalog(props=[{"name": "marking", "value": "TLP:AMBER", "class": "tlp"}])
        r = c.request("POST", "/api/v1/catalogs", doc)
        self.assertEqual(r.status, 201, r)
        cid = r.json["id"] if "id" in r.json else r.json["catalog"]["id"]
        self.assertEqual(c.get("/api/v1/catalogs/" + cid).json["catalog"]["tlp"], "AMBER")
        # Exported again: one marking, the stored one.
        out = json.loads(c.get("/api/v1/catalogs/%s/oscal" % cid).body)
        self.assertEqual([p for p in out["catalog"]["metadata"]["props"]
                          if p["name"] == "marking"],
                         [{"name": "marking", "value": "TLP:AMBER", "class": "tlp"}])
        # An explicit ?tlp= wins over the document's marking.
        doc["catalog"]["uuid"] = str(uuid.uuid4())
        r = c.request("POST", "/api/v1/catalogs?tlp=CLEAR", doc)
        self.assertEqual(r.status, 201, r)
        cid = r.json["id"] if "id" in r.json else r.json["catalog"]["id"]
        self.assertEqual(c.get("/api/v1/catalogs/" + cid).json["catalog"]["tlp"], "CLEAR")
        out = json.loads(c.get("/api/v1/catalogs/%s/oscal" % cid).body)
        self.assertIn({"name": "marking", "value": "TLP:CLEAR", "class": "tlp"},
                      out["catalog"]["metadata"]["props"])
        # A marking that names no TLP level is refused, naming the prop.
        bad = small_catalog(props=[{"name": "marking", "value": "TLP:PURPLE", "class": "tlp"}])
        r = c.request("POST", "/api/v1/catalogs", bad)
        self.assertEqual(r.status, 422, r)
        self.assertEqual(r.json["error"]["field"], "catalog.metadata.props[0].value")

    def test_import_refuses_invalid_oscal_naming_the_path(self):
        c = self.demo_client("analyst", "ncert")
        before = c.get("/api/v1/catalogs").json

        def without(path):
            def f(doc):
                *parents, last = path
                node = doc["catalog"]
                for p in parents:
                    node = node[p]
                del node[last]
            return f

        def setter(path, value):
            def f(doc):
                *parents, last = path
                node = doc["catalog"]
                for p in parents:
                    node = node[p]
                node[last] = value
            return f

        ctl = ["groups", 0, "controls", 0]
        rows = [
            (without(["metadata", "last-modified"]), "catalog.metadata.last-modified"),
            (without(["metadata", "oscal-version"]), "catalog.metadata.oscal-version"),
            (setter(["metadata", "last-modified"], "2026-01-01"), "catalog.metadata.last-modified"),
            (setter(["metadata", "x-unknown"], 1), "catalog.metadata.x-unknown"),
            (setter(["uuid"], "a8098c1a-f86e-11da-bd1a-00112444be1e"), "catalog.uuid"),
            (setter(["groups", 0, "controls", 1, "links", 0, "href"], "my file.pdf"),
             "catalog.groups[0].controls[1].links[0].href"),
            (setter(ctl + ["parts", 0, "name"], "2nd statement"),
             "catalog.groups[0].controls[0].parts[0].name"),
        ]
        for change, field in rows:
            with self.subTest(field=field):
                doc = small_catalog()
                change(doc)
                r = c.request("POST", "/api/v1/catalogs", doc)
                self.assertEqual(r.status, 422, r)
                self.assertEqual(r.json["error"]["field"], field, r.json)
        self.assertEqual(c.get("/api/v1/catalogs").json, before)
        # A profile without last-modified, likewise.
        prof = {"profile": {"uuid": str(uuid.uuid4()),
                            "metadata": {"title": "P", "version": "1", "oscal-version": "1.1.2"},
                            "imports": [{"href": "#x", "include-all": {}}]}}
        r = c.post("/api/v1/profiles", {"oscal": prof, "catalog_id": self.catalog_id})
        self.assertEqual(r.status, 422, r)
        self.assertEqual(r.json["error"]["field"], "profile.metadata.last-modified", r.json)


if __name__ == "__main__":
    unittest.main()
