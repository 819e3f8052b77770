"""Tailoring, end to end: the National CERT publishes a baseline profile of the national catalog;
the Punjab CERT tailors it for its hospitals with an OSCAL profile that imports the national one
("patch the focal point's contact details within 2 working days, not 5", no guidance on that
control, one control left out, another retitled), launches a campaign of it, and Punjab Health's
assessment shows the tailored text; the exports carry it: the tailored profile, its resolved
catalog (valid OSCAL 1.1.2) and the assessment's OSCAL results. The national profile keeps the
national text.
"""

import json
import unittest
import uuid

from harness import demo_email
from oscal_schema import need_schema, schema_errors
from test_campaigns import GuideCase, future_date

NATIONAL_CONTROLS = ["gv-1", "gv-2", "am-1", "ir-3"]
NATIONAL_TEXT = "update them within 5 working days of any change"
TAILORED_TEXT = "update them within 2 working days of any change"


def tailored_profile(national_profile_id):
    res = str(uuid.uuid4())
    return {"profile": {
        "uuid": str(uuid.uuid4()),
        "metadata": {"title": "Punjab hospitals baseline", "version": "2027.1",
                     "oscal-version": "1.1.2", "last-modified": "2026-11-01T09:00:00Z"},
        "imports": [{"href": "#" + res, "include-all": {},
                     "exclude-controls": [{"with-ids": ["am-1"]}]}],
        "merge": {"as-is": True},
        "modify": {
            "set-parameters": [{"param-id": "gv-1_prm_1", "values": ["2 working days"]}],
            "alters": [
                {"control-id": "gv-1", "removes": [{"by-name": "guidance"}]},
                {"control-id": "gv-2",
                 "adds": [{"title": "Information Security Policy (hospitals)"}]}]},
        "back-matter": {"resources": [{
            "uuid": res, "title": "The national baseline profile",
            "rlinks": [{"href": "/api/v1/profiles/%s/oscal" % national_profile_id}]}]}}}


class TestTailoredProfileStory(GuideCase):

    def catalog_control(self, cid):
        """The control as the national catalog itself has it (rendered by the catalog's API)."""
        r = self.demo_client("reporter", "pb-health").get(
            "/api/v1/catalogs/%s/controls/%s" % (self.catalog_id, cid))
        self.assertEqual(r.status, 200, r)
        return r.json

    def test_a_provincial_cert_tailors_the_national_baseline(self):
        # The National CERT publishes its baseline profile.
        national = self.make_profile("National baseline for institutions", NATIONAL_CONTROLS)
        # The Punjab CERT reads it as OSCAL, and tailors it.
        pa = self.demo_client("analyst", "punjab-cert")
        r = pa.get("/api/v1/profiles/%s/oscal" % national)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(json.loads(r.body)["profile"]["uuid"], national)
        doc = tailored_profile(national)
        r = pa.post("/api/v1/profiles", {"oscal": doc, "applies_kinds": ["institution"],
                                         "applies_sectors": ["health"]})
        self.assertEqual(r.status, 201, r)
        tailored = r.json["profile"]["id"]
        self.assertEqual(r.json["control_ids"], ["gv-1", "gv-2", "ir-3"])
        self.assertEqual(r.json["profile"]["controls"], 3)
        self.assertEqual(r.json["profile"]["catalog_id"], self.catalog_id)
        self.assertEqual(r.json["profile"]["owner_org"], self.org_of("punjab-cert"))

        # It launches a campaign of it; Punjab Health is assessed on the tailored baseline.
        r = pa.post("/api/v1/campaigns", {"profile_id": tailored, "title": "Hospitals 2027",
                                          "due_date": future_date()})
        self.assertEqual(r.status, 201, r)
        campaign = r.json["id"]
        self.assertEqual(r.json["assessments"], 1)
        hr = self.demo_client("reporter", "pb-health")
        aid = self.assessment_of(campaign, "pb-health")
        r = hr.get("/api/v1/assessments/" + aid)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["assessment"]["total"], 3)
        items = {c["id"]: c for c in r.json["controls"]}
        self.assertEqual(list(items), ["gv-1", "gv-2", "ir-3"])
        self.assertIn(TAILORED_TEXT, items["gv-1"]["statement"])
        self.assertNotIn("5 working days", items["gv-1"]["statement"])
        self.assertIsNone(items["gv-1"]["guidance"])
        self.assertEqual(items["gv-2"]["title"], "Information Security Policy (hospitals)")
        self.assertEqual(items["gv-2"]["guidance"], self.catalog_control("gv-2")["guidance"])
        self.assertIsNotNone(items["gv-2"]["guidance"])
        self.assertEqual(items["ir-3"]["statement"], self.catalog_control("ir-3")["statement"])

        # It answers and submits; the score counts the tailored profile's three controls.
        r = self.put_answers(hr, aid, {"gv-1": ("implemented", 5), "gv-2": ("partial", 2),
                                       "ir-3": ("planned", 1)})
        self.assertEqual(r.status, 200, r)
        r = hr.post("/api/v1/assessments/%s/submit" % aid)
        self.assertEqual(r.status, 200, r)
        w = self.weights()
        want = 100.0 * (w["gv-1"] * 5 + w["gv-2"] * 2 + w["ir-3"] * 1) / 5 / (
            w["gv-1"] + w["gv-2"] + w["ir-3"])
        self.assertClose(r.json["assessment"]["score"], want, "score")

        # The exports carry the tailoring: the assessment results ...
        r = hr.get("/api/v1/assessments/%s/oscal" % aid)
        self.assertEqual(r.status, 200, r)
        findings = {f["target"]["target-id"]: f
                    for f in json.loads(r.body)["assessment-results"]["results"][0]["findings"]}
        self.assertEqual(sorted(findings), ["gv-1_smt", "gv-2_smt", "ir-3_smt"])
        self.assertIn(TAILORED_TEXT, findings["gv-1_smt"]["description"])
        self.assertEqual(findings["gv-2_smt"]["title"], "Information Security Policy (hospitals)")
        # ... the tailored profile, as given, and its resolved catalog.
        r = pa.get("/api/v1/profiles/%s/oscal" % tailored)
        got = json.loads(r.body)
        self.assertEqual(got["profile"]["metadata"].pop("props"),
                         [{"name": "marking", "value": "TLP:GREEN", "class": "tlp"}])
        self.assertEqual(got, doc)
        r = hr.get("/api/v1/profiles/%s/resolved" % tailored)
        self.assertEqual(r.status, 200, r)
        cat = json.loads(r.body)["catalog"]
        gv = {g["id"]: g for g in cat["groups"]}["gv"]
        gv1 = {c["id"]: c for c in gv["controls"]}["gv-1"]
        self.assertEqual(gv1["params"][0]["values"], ["2 working days"])
        self.assertEqual([p["name"] for p in gv1["parts"]], ["statement"])
        # am-1 is excluded; include-all keeps its group (the specification: include-all
        # includes every group), without controls.
        self.assertNotIn("controls", {g["id"]: g for g in cat["groups"]}["am"])

        # The national profile, and a campaign of it, keep the national text.
        r = hr.get("/api/v1/profiles/%s/resolved" % national)
        ngv1 = [c for g in json.loads(r.body)["catalog"]["groups"] if g["id"] == "gv"
                for c in g["controls"] if c["id"] == "gv-1"][0]
        self.assertEqual(ngv1["params"][0]["values"], ["5 working days"])
        camp = self.launch(national, "National round", demo_email("analyst", "punjab-cert"))
        r = hr.get("/api/v1/assessments/" + self.assessment_of(camp["id"], "pb-health"))
        gv1 = [c for c in r.json["controls"] if c["id"] == "gv-1"][0]
        self.assertIn(NATIONAL_TEXT, gv1["statement"])
        self.assertEqual(gv1["guidance"], self.catalog_control("gv-1")["guidance"])

    def test_the_tailored_exports_are_valid_oscal(self):
        need_schema(self)
        national = self.make_profile("National baseline, exported", NATIONAL_CONTROLS)
        pa = self.demo_client("analyst", "punjab-cert")
        r = pa.post("/api/v1/profiles", {"oscal": tailored_profile(national)})
        self.assertEqual(r.status, 201, r)
        tailored = r.json["profile"]["id"]
        for pid in (national, tailored):
            for what, model in (("oscal", "profile"), ("resolved", "catalog")):
                with self.subTest(profile=pid, what=what):
                    r = pa.get("/api/v1/profiles/%s/%s" % (pid, what))
                    self.assertEqual(r.status, 200, r)
                    self.assertEqual(schema_errors(json.loads(r.body), model), [])


if __name__ == "__main__":
    unittest.main()
