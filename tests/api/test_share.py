"""test_share.py - sharing a catalog: grants and TLP through core/share, as DESIGN §5 says.

The story: Punjab CERT imports a guideline as TLP:AMBER (its own constituency). It cannot launch a
campaign with it, because the National CERT above it would see the catalog's text through the
assessments; once Punjab shares the catalog with the National CERT, its profiles follow and the
campaign launches. Along the way: who may share (analysts and admins; a recipient only as the TLP
allows), scope rules (no subtree grants on AMBER+STRICT), who may lower the TLP (the owner only),
and refusals write nothing.
"""

import json
import unittest

from harness import ServerCase, demo_email
from test_campaigns import future_date
from test_catalogs import small_catalog


class TestSharingACatalog(ServerCase):

    @classmethod
    def prepare(cls):
        cls.pa = cls.demo_client("analyst", "punjab-cert")
        r = cls.pa.request("POST", "/api/v1/catalogs?tlp=AMBER", raw=json.dumps(small_catalog()))
        assert r.status == 201, r
        cls.catalog = r.json["id"]
        r = cls.pa.post("/api/v1/profiles", {"catalog_id": cls.catalog, "title": "Punjab essentials",
                                             "control_ids": ["g1-1", "g2-1"],
                                             "applies_kinds": ["institution"]})
        assert r.status == 201, r
        cls.profile = r.json["profile"]["id"]
        cls.ncert = cls.org_of("ncert")
        cls.sindh = cls.org_of("sindh-cert")

    def grants(self, who=None):
        r = (who or self.pa).get("/api/v1/catalogs/%s/grants" % self.catalog)
        self.assertEqual(r.status, 200, r)
        return {g["org_name"]: g["scope"] for g in r.json["items"]}

    def test_1_amber_reaches_the_constituency_only(self):
        self.assertEqual(self.grants(), {"Punjab CERT": "subtree"})
        national = self.demo_client("analyst", "ncert")
        self.assertEqual(national.get("/api/v1/catalogs/" + self.catalog).status, 404)
        self.assertEqual(national.get("/api/v1/catalogs/%s/grants" % self.catalog).status, 404)
        inst = self.demo_client("reporter", "pb-health")
        self.assertEqual(inst.get("/api/v1/catalogs/" + self.catalog).status, 200)

    def test_2_the_campaign_waits_for_the_national_cert_then_launches(self):
        body = {"profile_id": self.profile, "title": "Punjab round", "due_date": future_date()}
        reach = self.pa.get("/api/v1/profiles/%s/reach" % self.profile).json
        self.assertEqual(reach["launchable"], False)
        self.assertIn("National CERT", reach["reason"])
        before = self.snapshot()
        r = self.pa.post("/api/v1/campaigns", body)
        self.assertError(r, 422, "invalid_field", "profile_id", msg_has="National CERT")
        self.assertNothingWritten(before)
        # Share with the CERT above (scope org): a recipient of AMBER forwards up, and the owner
        # may share anywhere.
        r = self.pa.post("/api/v1/catalogs/%s/grants" % self.catalog,
                         {"org_id": self.ncert, "scope": "org"})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(self.grants(), {"Punjab CERT": "subtree", "National CERT": "org"})
        national = self.demo_client("analyst", "ncert")
        self.assertEqual(national.get("/api/v1/catalogs/" + self.catalog).status, 200)
        # The profile followed the catalog.
        self.assertEqual(national.get("/api/v1/profiles/" + self.profile).status, 200)
        reach = self.pa.get("/api/v1/profiles/%s/reach" % self.profile).json
        self.assertEqual(reach, {"orgs": 6, "launchable": True, "reason": None})
        narrowed = self.pa.get("/api/v1/profiles/%s/reach?sector=health" % self.profile).json
        self.assertEqual(narrowed["orgs"], 1)
        r = self.pa.post("/api/v1/campaigns", body)
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json["assessments"], 6)
        audit = self.demo_client("admin", "punjab-cert").get(
            "/api/v1/audit?limit=20").json["items"]
        self.assertIn("catalog.share", [e["action"] for e in audit])

    def test_3_who_may_share(self):
        reporter = self.demo_client("reporter", "punjab-cert")
        inst = self.demo_client("analyst", "pb-health")
        sindh = self.demo_client("analyst", "sindh-cert")
        before = self.snapshot()
        self.assertError(reporter.post("/api/v1/catalogs/%s/grants" % self.catalog,
                                       {"org_id": self.sindh}), 403, "forbidden")
        # An institution received the AMBER catalog (subtree): only a CERT forwards AMBER.
        self.assertError(inst.post("/api/v1/catalogs/%s/grants" % self.catalog,
                                   {"org_id": self.sindh}), 403, "forbidden")
        # Sindh cannot see it at all.
        self.assertError(sindh.post("/api/v1/catalogs/%s/grants" % self.catalog,
                                    {"org_id": self.sindh}), 404, "not_found")
        # Bad bodies.
        self.assertError(self.pa.post("/api/v1/catalogs/%s/grants" % self.catalog,
                                      {"org_id": self.sindh, "scope": "everyone"}), 422,
                         "invalid_field", "scope")
        self.assertError(self.pa.post("/api/v1/catalogs/%s/grants" % self.catalog,
                                      {"org_id": "00000000-0000-4000-8000-000000000000"}), 404,
                         "not_found", "org_id")
        self.assertNothingWritten(before)

    def test_4_tlp_changes(self):
        inst = self.demo_client("analyst", "punjab-cert")
        national = self.demo_client("admin", "ncert")
        sindh = self.demo_client("reporter", "sd-health")
        before = self.snapshot()
        # Only guidance levels for a catalog.
        self.assertError(self.pa.patch("/api/v1/catalogs/" + self.catalog, {"tlp": "RED"}), 422,
                         "invalid_field", "tlp")
        # A recipient may not lower it.
        r = national.patch("/api/v1/catalogs/" + self.catalog, {"tlp": "GREEN"})
        self.assertIn(r.status, (403, 404), r)
        self.assertNothingWritten(before)
        # The owner lowers it to GREEN: everyone reads it, the profile too.
        r = inst.patch("/api/v1/catalogs/" + self.catalog, {"tlp": "GREEN"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["tlp"], "GREEN")
        self.assertEqual(sindh.get("/api/v1/catalogs/" + self.catalog).json["catalog"]["tlp"],
                         "GREEN")
        self.assertEqual(sindh.get("/api/v1/profiles/" + self.profile).json["profile"]["tlp"],
                         "GREEN")


if __name__ == "__main__":
    unittest.main()
