"""The org tree: who sees which orgs, filters and pages, and who may create, change and move."""

import unittest
import uuid

from harness import ServerCase, demo_email, ORG_KEYS, UUID_RE, RFC3339_RE

PUNJAB_INSTITUTIONS = ["Lahore Water and Sanitation Services",
                       "Punjab Emergency Response Service", "Punjab Finance Department",
                       "Punjab Health Services Directorate", "Punjab Land Records Office",
                       "Punjab Power Distribution Company"]
CII_ORGS = sorted(["Lahore Water and Sanitation Services", "Punjab Power Distribution Company",
                   "Karachi Port Operations Office", "Karachi Bulk Water Board",
                   "Peshawar Bus Rapid Transit Authority", "KP Hydropower Development Office",
                   "Quetta Water Supply Office", "Gilgit-Baltistan Power Department",
                   "AJK Electricity Department", "National Identity Records Office",
                   "National Highways Toll Authority", "Indus Fibre Backbone",
                   "Khyber Mobile Networks", "National Internet Exchange Operator"])
PROVINCIAL = ["Azad Jammu & Kashmir CERT", "Balochistan CERT", "Gilgit-Baltistan CERT",
              "Khyber Pakhtunkhwa CERT", "Punjab CERT", "Sindh CERT"]


def names(items):
    return [o["name"] for o in items]


class TestOrgVisibility(ServerCase):
    """Read-only stories on the demo hierarchy."""

    def test_national_admin_pages_through_all_47_orgs_in_tree_order(self):
        c = self.demo_client("admin", "ncert")
        items, pages = c.list_all("/api/v1/orgs", limit=10)
        self.assertEqual([len(p) for p in pages], [10, 10, 10, 10, 7])
        self.assertEqual(len(items), 47)
        self.assertEqual(len({o["id"] for o in items}), 47, "duplicates across pages")
        key = [(o["depth"], o["name"], o["id"]) for o in items]
        self.assertEqual(key, sorted(key), "not ordered by (depth, name, id)")
        self.assertEqual([o["depth"] for o in items].count(0), 1)
        self.assertEqual([o["depth"] for o in items].count(1), 8)
        self.assertEqual([o["depth"] for o in items].count(2), 38)
        self.assertEqual(items[0]["name"], "National CERT")
        for o in items:
            self.assertEqual(set(o), ORG_KEYS)
            self.assertRegex(o["id"], UUID_RE)
            self.assertRegex(o["created_at"], RFC3339_RE)
        # The tree is consistent: every parent is listed before its children, and children counts
        # match.
        by_id = {o["id"]: o for o in items}
        seen = set()
        for o in items:
            if o["parent_id"] is not None:
                self.assertIn(o["parent_id"], seen)
                self.assertEqual(by_id[o["parent_id"]]["depth"], o["depth"] - 1)
            seen.add(o["id"])
        for o in items:
            self.assertEqual(o["children"], sum(1 for k in items if k["parent_id"] == o["id"]),
                             o["name"])
        # One page of everything is the same list.
        r = c.get("/api/v1/orgs?limit=500")
        self.assertEqual(r.json["items"], items)
        self.assertIsNone(r.json["next_cursor"])
        # Default limit is 50.
        r = c.get("/api/v1/orgs")
        self.assertEqual(len(r.json["items"]), 47)
        self.assertIsNone(r.json["next_cursor"])

    def test_punjab_analyst_sees_ancestors_own_cert_and_its_institutions(self):
        c = self.demo_client("analyst", "punjab-cert")
        items, pages = c.list_all("/api/v1/orgs", limit=3)
        self.assertEqual(names(items), ["National CERT", "Punjab CERT"] + PUNJAB_INSTITUTIONS)
        self.assertEqual([len(p) for p in pages], [3, 3, 2])

    def test_institution_reporter_sees_itself_and_its_ancestors(self):
        c = self.demo_client("reporter", "pb-health")
        r = c.get("/api/v1/orgs")
        self.assertEqual(r.status, 200)
        self.assertEqual(names(r.json["items"]),
                         ["National CERT", "Punjab CERT", "Punjab Health Services Directorate"])
        self.assertIsNone(r.json["next_cursor"])

    def test_orgs_outside_ones_branch_are_not_found(self):
        c = self.demo_client("analyst", "punjab-cert")
        for slug in ("khi-port", "sindh-cert", "indus-fibre"):
            r = c.get("/api/v1/orgs/" + self.org_of(slug))
            self.assertError(r, 404, "not_found")
        # The same answer as an org that does not exist at all, and as a malformed id.
        missing = c.get("/api/v1/orgs/" + str(uuid.uuid4()))
        self.assertError(missing, 404, "not_found")
        hidden = c.get("/api/v1/orgs/" + self.org_of("khi-port"))
        self.assertEqual(hidden.json, missing.json)
        self.assertError(c.get("/api/v1/orgs/not-a-uuid"), 404, "not_found")
        # Ancestors and the subtree are visible.
        for slug, name in (("ncert", "National CERT"), ("pb-power",
                                                         "Punjab Power Distribution Company")):
            r = c.get("/api/v1/orgs/" + self.org_of(slug))
            self.assertEqual(r.status, 200)
            self.assertEqual(r.json["name"], name)
        # A Punjab institution does not see its sibling institutions.
        r = self.demo_client("reporter", "pb-health").get(
            "/api/v1/orgs/" + self.org_of("pb-finance"))
        self.assertError(r, 404, "not_found")

    def test_one_org(self):
        c = self.demo_client("admin", "ncert")
        r = c.get("/api/v1/orgs/" + self.org_of("pb-power"))
        self.assertEqual(r.status, 200)
        o = r.json
        self.assertEqual(set(o), ORG_KEYS)
        self.assertEqual(o["id"], self.org_of("pb-power"))
        self.assertEqual(o["parent_id"], self.org_of("punjab-cert"))
        self.assertEqual(o["kind"], "institution")
        self.assertEqual(o["name"], "Punjab Power Distribution Company")
        self.assertEqual(o["province"], "punjab")
        self.assertEqual(o["sector"], "energy")
        self.assertIs(o["cii"], True)
        self.assertEqual(o["cii_grade"], 3)
        self.assertEqual(o["depth"], 2)
        self.assertEqual(o["children"], 0)
        r = c.get("/api/v1/orgs/" + self.org_of("punjab-cert"))
        self.assertEqual(r.json["short_name"], "PB-CERT")
        self.assertIs(r.json["cii"], False)
        self.assertIsNone(r.json["cii_grade"])
        self.assertEqual(r.json["children"], 6)

    def test_filters(self):
        c = self.demo_client("admin", "ncert")

        def listed(q):
            r = c.get("/api/v1/orgs?limit=500&" + q)
            self.assertEqual(r.status, 200, (q, r))
            return names(r.json["items"])

        self.assertEqual(listed("kind=provincial_cert"), PROVINCIAL)
        self.assertEqual(listed("kind=sectoral_cert"), ["Telecom Sector CERT"])
        self.assertEqual(listed("province=sindh"),
                         ["Sindh CERT", "Karachi Bulk Water Board",
                          "Karachi Port Operations Office", "Sindh Education Department",
                          "Sindh Health Information Unit", "Sindh Revenue Directorate"])
        self.assertEqual(listed("q=water"), ["Karachi Bulk Water Board",
                                             "Lahore Water and Sanitation Services",
                                             "Quetta Water Supply Office"])
        self.assertEqual(listed("q=WATER"), listed("q=water"))
        self.assertEqual(listed("q=%25"), [])  # LIKE wildcards are literal
        self.assertEqual(listed("q=_"), [])
        self.assertEqual(sorted(listed("cii=true")), CII_ORGS)
        self.assertEqual(len(listed("cii=false")), 47 - len(CII_ORGS))
        self.assertEqual(listed("sector=telecom&cii=true"),
                         ["Indus Fibre Backbone", "Khyber Mobile Networks",
                          "National Internet Exchange Operator"])
        self.assertEqual(listed("root=" + self.org_of("punjab-cert")),
                         ["Punjab CERT"] + PUNJAB_INSTITUTIONS)
        self.assertEqual(listed("root=%s&cii=true" % self.org_of("punjab-cert")),
                         ["Lahore Water and Sanitation Services",
                          "Punjab Power Distribution Company"])
        self.assertEqual(listed("province=punjab&kind=institution&q=punjab"),
                         ["Punjab Emergency Response Service", "Punjab Finance Department",
                          "Punjab Health Services Directorate", "Punjab Land Records Office",
                          "Punjab Power Distribution Company"])
        # Filters narrow what one may see; they never widen it.
        p = self.demo_client("analyst", "punjab-cert")
        r = p.get("/api/v1/orgs?province=sindh")
        self.assertEqual(r.json["items"], [])
        r = p.get("/api/v1/orgs?root=" + self.org_of("sindh-cert"))
        self.assertEqual(r.json["items"], [])
        r = p.get("/api/v1/orgs?cii=true")
        self.assertEqual(names(r.json["items"]), ["Lahore Water and Sanitation Services",
                                                  "Punjab Power Distribution Company"])

    def test_filtered_pages(self):
        c = self.demo_client("admin", "ncert")
        items, pages = c.list_all("/api/v1/orgs?cii=true", limit=4)
        self.assertEqual([len(p) for p in pages], [4, 4, 4, 2])
        self.assertEqual(sorted(names(items)), CII_ORGS)
        self.assertEqual(len({o["id"] for o in items}), 14)

    def test_bad_list_parameters(self):
        c = self.demo_client("admin", "ncert")
        for q, field in (("limit=0", "limit"), ("limit=501", "limit"), ("limit=ten", "limit"),
                         ("limit=-1", "limit"), ("kind=castle", "kind"), ("cii=maybe", "cii"),
                         ("cursor=" + str(uuid.uuid4()), "cursor"), ("cursor=xyz", "cursor")):
            r = c.get("/api/v1/orgs?" + q)
            self.assertError(r, 422, "invalid_field", field)
        # A cursor naming an org the caller may not see is no good either.
        p = self.demo_client("analyst", "punjab-cert")
        self.assertError(p.get("/api/v1/orgs?cursor=" + self.org_of("khi-port")), 422,
                         "invalid_field", "cursor")


class TestOrgWrites(ServerCase):
    """Creating, changing and moving orgs."""

    def test_punjab_admin_creates_an_institution_below_punjab_cert(self):
        c = self.demo_client("admin", "punjab-cert")
        punjab = self.org_of("punjab-cert")
        children = c.get("/api/v1/orgs/" + punjab).json["children"]
        r = c.post("/api/v1/orgs", {"parent_id": punjab, "kind": "institution",
                                    "name": "Punjab Agriculture Department", "short_name": "PAD",
                                    "province": "punjab", "sector": "government"})
        self.assertEqual(r.status, 201, r)
        o = r.json
        self.assertEqual(set(o), ORG_KEYS)
        self.assertRegex(o["id"], UUID_RE)
        self.assertEqual({k: o[k] for k in ORG_KEYS - {"id", "created_at", "updated_at"}},
                         {"parent_id": punjab, "kind": "institution",
                          "name": "Punjab Agriculture Department", "short_name": "PAD",
                          "province": "punjab", "sector": "government", "cii": False,
                          "cii_grade": None, "cii_review_date": None, "depth": 2, "children": 0})
        self.assertRegex(o["created_at"], RFC3339_RE)
        self.assertEqual(o["created_at"], o["updated_at"])
        # It is there for everyone who should see it, and only them.
        self.assertEqual(c.get("/api/v1/orgs/" + o["id"]).json, o)
        self.assertEqual(self.demo_client("analyst", "punjab-cert")
                         .get("/api/v1/orgs/" + o["id"]).status, 200)
        self.assertEqual(self.demo_client("admin", "sindh-cert")
                         .get("/api/v1/orgs/" + o["id"]).status, 404)
        self.assertEqual(c.get("/api/v1/orgs/" + punjab).json["children"], children + 1)
        # And the write is audited.
        e = [e for e in c.get("/api/v1/audit?limit=20").json["items"]
             if e["object_id"] == o["id"]]
        self.assertEqual([(e["action"], e["object_kind"], e["org_id"], e["actor"]) for e in e],
                         [("org.create", "org", o["id"], demo_email("admin", "punjab-cert"))])

    def test_creating_a_cii_institution(self):
        c = self.demo_client("admin", "sindh-cert")
        r = c.post("/api/v1/orgs", {"parent_id": self.org_of("sindh-cert"), "kind": "institution",
                                    "name": "Hyderabad Gas Grid", "sector": "energy",
                                    "province": "sindh", "cii": True, "cii_grade": 2,
                                    "cii_review_date": "2027-06-30"})
        self.assertEqual(r.status, 201, r)
        self.assertIs(r.json["cii"], True)
        self.assertEqual(r.json["cii_grade"], 2)
        self.assertEqual(r.json["cii_review_date"], "2027-06-30")
        self.assertIsNone(r.json["short_name"])

    def test_creating_under_a_cert_one_cannot_see_is_not_found(self):
        c = self.demo_client("admin", "punjab-cert")
        before = self.snapshot()
        r = c.post("/api/v1/orgs", {"parent_id": self.org_of("sindh-cert"), "kind": "institution",
                                    "name": "Smuggled Into Sindh"})
        self.assertError(r, 404, "not_found", "parent_id")
        r = c.post("/api/v1/orgs", {"parent_id": str(uuid.uuid4()), "kind": "institution",
                                    "name": "Below Nothing"})
        self.assertError(r, 404, "not_found", "parent_id")
        self.assertNothingWritten(before)

    def test_creating_above_or_beside_ones_cert_is_forbidden(self):
        pa, ha, an = (self.demo_client("admin", "punjab-cert"),
                      self.demo_client("admin", "pb-health"),
                      self.demo_client("analyst", "punjab-cert"))
        before = self.snapshot()
        # The National CERT is visible to Punjab but not Punjab's to manage.
        r = pa.post(
            "/api/v1/orgs", {"parent_id": self.org_of("ncert"), "kind": "provincial_cert",
                             "name": "Islamabad CERT"})
        self.assertError(r, 403, "forbidden", "parent_id")
        # An institution's admin creates nothing.
        r = ha.post(
            "/api/v1/orgs", {"parent_id": self.org_of("punjab-cert"), "kind": "institution",
                             "name": "Health Sub Office"})
        self.assertError(r, 403, "forbidden")
        # Nor does a CERT's analyst.
        r = an.post(
            "/api/v1/orgs", {"parent_id": self.org_of("punjab-cert"), "kind": "institution",
                             "name": "Analyst Made Office"})
        self.assertError(r, 403, "forbidden")
        self.assertNothingWritten(before)

    def test_invalid_orgs_are_refused(self):
        c = self.demo_client("admin", "punjab-cert")
        punjab = self.org_of("punjab-cert")
        cases = [
            ({"parent_id": self.org_of("pb-health"), "kind": "institution",
              "name": "Below An Institution"}, 422, "invalid_field", "parent_id"),
            ({"parent_id": punjab, "kind": "institution",
              "name": "Punjab Health Services Directorate"}, 409, "conflict", "name"),
            ({"parent_id": punjab, "kind": "institution", "name": "Graded Not CII",
              "cii_grade": 2}, 422, "invalid_field", "cii_grade"),
            ({"parent_id": punjab, "kind": "institution", "name": "CII Without Grade",
              "cii": True}, 422, "invalid_field", "cii_grade"),
            ({"parent_id": punjab, "kind": "sectoral_cert", "name": "CII CERT", "cii": True,
              "cii_grade": 1}, 422, "invalid_field", "cii"),
            ({"parent_id": punjab, "kind": "institution", "name": "Grade Four", "cii": True,
              "cii_grade": 4}, 422, "invalid_field", "cii_grade"),
            ({"parent_id": punjab, "kind": "national_cert", "name": "Second Root"}, 422,
             "invalid_field", "kind"),
            ({"parent_id": punjab, "kind": "ministry", "name": "Bad Kind"}, 422,
             "invalid_field", "kind"),
            ({"parent_id": punjab, "name": "No Kind"}, 422, "invalid_field", "kind"),
            ({"parent_id": punjab, "kind": "institution"}, 422, "invalid_field", "name"),
            ({"kind": "institution", "name": "No Parent"}, 422, "invalid_field", "parent_id"),
            ({"parent_id": punjab, "kind": "institution", "name": "X"}, 422, "invalid_field",
             "name"),
            ({"parent_id": punjab, "kind": "institution", "name": "Far Away",
              "province": "narnia"}, 422, "invalid_field", "province"),
            ({"parent_id": punjab, "kind": "institution", "name": "Odd Sector",
              "sector": "mining"}, 422, "invalid_field", "sector"),
            ({"parent_id": punjab, "kind": "institution", "name": "Bad Date", "cii": True,
              "cii_grade": 1, "cii_review_date": "2027-13-45"}, 422, "invalid_field",
             "cii_review_date"),
            ({"parent_id": punjab, "kind": "institution", "name": "Tab\tName"}, 422,
             "invalid_field", "name"),
        ]
        for body, status, code, field in cases:
            with self.subTest(body=body):
                before = self.snapshot()
                self.assertError(c.post("/api/v1/orgs", body), status, code, field)
                self.assertNothingWritten(before)

    def test_patch_changes_fields_and_null_clears(self):
        c = self.demo_client("admin", "punjab-cert")
        fin = self.org_of("pb-finance")
        old = c.get("/api/v1/orgs/" + fin).json
        r = c.patch("/api/v1/orgs/" + fin, {"name": "Punjab Finance and Treasury Department",
                                            "short_name": "PFTD"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["name"], "Punjab Finance and Treasury Department")
        self.assertEqual(r.json["short_name"], "PFTD")
        for k in ("id", "parent_id", "kind", "province", "sector", "cii", "depth", "created_at"):
            self.assertEqual(r.json[k], old[k], k)
        self.assertGreaterEqual(r.json["updated_at"], old["updated_at"])
        r = c.patch("/api/v1/orgs/" + fin, {"short_name": None, "sector": None})
        self.assertEqual(r.status, 200, r)
        self.assertIsNone(r.json["short_name"])
        self.assertIsNone(r.json["sector"])
        self.assertEqual(r.json["name"], "Punjab Finance and Treasury Department")
        # The institution's own admin may change it too.
        r = self.demo_client("admin", "pb-finance").patch(
            "/api/v1/orgs/" + fin, {"sector": "finance"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["sector"], "finance")
        e = c.get("/api/v1/audit?limit=1").json["items"][0]
        self.assertEqual((e["action"], e["object_id"], e["actor"]),
                         ("org.update", fin, demo_email("admin", "pb-finance")))

    def test_patch_designates_and_undesignates_cii(self):
        c = self.demo_client("admin", "punjab-cert")
        land = self.org_of("pb-landrecords")
        r = c.patch("/api/v1/orgs/" + land, {"cii": True, "cii_grade": 1,
                                             "cii_review_date": "2028-01-31"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json["cii"], r.json["cii_grade"], r.json["cii_review_date"]),
                         (True, 1, "2028-01-31"))
        r = c.patch("/api/v1/orgs/" + land, {"cii": False})
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json["cii"], r.json["cii_grade"], r.json["cii_review_date"]),
                         (False, None, None))

    def test_patch_refusals_write_nothing(self):
        pa = self.demo_client("admin", "punjab-cert")
        na = self.demo_client("admin", "ncert")
        cases = [
            (pa, self.org_of("pb-emergency"), {"kind": "provincial_cert"}, 422, "invalid_field",
             "kind"),
            (pa, self.org_of("pb-emergency"), {"name": "Punjab Health Services Directorate"},
             409, "conflict", "name"),
            (pa, self.org_of("pb-emergency"), {"cii_grade": 2}, 422, "invalid_field",
             "cii_grade"),
            (na, self.org_of("punjab-cert"), {"cii": True, "cii_grade": 1}, 422,
             "invalid_field", "cii"),
            # CII designation is decided by a CERT above the org, never by the org itself.
            (pa, self.org_of("punjab-cert"), {"cii": True, "cii_grade": 1}, 403,
             "forbidden", "cii"),
            (self.demo_client("admin", "lhr-water"), self.org_of("lhr-water"),
             {"cii_grade": 1}, 403, "forbidden", "cii"),
            (self.demo_client("admin", "lhr-water"), self.org_of("lhr-water"),
             {"cii": False}, 403, "forbidden", "cii"),
            (pa, self.org_of("khi-water"), {"name": "Not Yours"}, 404, "not_found", None),
            (pa, "not-a-uuid", {"name": "Nobody"}, 404, "not_found", None),
            (pa, str(uuid.uuid4()), {"name": "Nobody"}, 404, "not_found", None),
            (pa, self.org_of("ncert"), {"name": "Punjab Rules"}, 403, "forbidden", None),
            (self.demo_client("admin", "pb-health"), self.org_of("punjab-cert"),
             {"name": "Health Rules"}, 403, "forbidden", None),
            (self.demo_client("analyst", "punjab-cert"), self.org_of("pb-emergency"),
             {"name": "Analyst Renamed"}, 403, "forbidden", None),
        ]
        for client, org, body, status, code, field in cases:
            with self.subTest(org=org, body=body):
                before = self.snapshot()
                self.assertError(client.patch("/api/v1/orgs/" + org, body), status, code, field)
                self.assertNothingWritten(before)

    def move(self, client, slug, to_slug, depth):
        """client moves the org slug below to_slug; the answer has the new parent and depth.
        Returns the two org ids."""
        org, parent = self.org_of(slug), self.org_of(to_slug)
        r = client.patch("/api/v1/orgs/" + org, {"parent_id": parent})
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json["parent_id"], r.json["depth"]), (parent, depth))
        return org, parent

    def test_national_admin_moves_a_cert_with_its_subtree(self):
        na = self.demo_client("admin", "ncert")
        tel, gov = self.move(na, "telecom-cert", "gov-cert", 2)
        inst = na.get("/api/v1/orgs/" + self.org_of("indus-fibre")).json
        self.assertEqual(inst["depth"], 3)
        self.assertEqual(na.get("/api/v1/orgs/" + gov).json["children"], 6)
        # The Federal Government CERT now sees the telecom institutions as its subtree.
        g = self.demo_client("analyst", "gov-cert")
        self.assertEqual(g.get("/api/v1/orgs/" + self.org_of("indus-fibre")).status, 200)
        items, _ = g.list_all("/api/v1/orgs")
        self.assertEqual(len(items), 1 + 1 + 5 + 1 + 5)
        # A telecom institution sees its new ancestry.
        t = self.demo_client("reporter", "khyber-mobile")
        self.assertEqual(names(t.get("/api/v1/orgs").json["items"]),
                         ["National CERT", "Federal Government CERT", "Telecom Sector CERT",
                          "Khyber Mobile Networks"])
        e = [e for e in na.get("/api/v1/audit?limit=20").json["items"] if e["object_id"] == tel]
        self.assertEqual((e[0]["action"], e[0]["actor"], e[0]["org_id"]),
                         ("org.move", demo_email("admin", "ncert"), tel))
        # And back.
        r = na.patch("/api/v1/orgs/" + tel, {"parent_id": self.org_of("ncert")})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["depth"], 1)
        self.assertEqual(na.get("/api/v1/orgs/" + self.org_of("indus-fibre")).json["depth"], 2)
        self.assertEqual(g.get("/api/v1/orgs/" + self.org_of("indus-fibre")).status, 404)
        self.assertEqual(len(na.list_all("/api/v1/orgs")[0]), len(set(
            o["id"] for o in na.list_all("/api/v1/orgs", limit=7)[0])))

    def test_national_admin_moves_an_institution(self):
        na = self.demo_client("admin", "ncert")
        inst, _ = self.move(na, "bl-mines", "kp-cert", 2)
        self.assertEqual(self.demo_client("admin", "balochistan-cert")
                         .get("/api/v1/orgs/" + inst).status, 404)
        self.assertEqual(self.demo_client("admin", "kp-cert")
                         .get("/api/v1/orgs/" + inst).status, 200)

    def test_an_org_cannot_move_below_itself(self):
        na = self.demo_client("admin", "ncert")
        punjab = self.org_of("punjab-cert")
        r = na.post("/api/v1/orgs", {"parent_id": punjab, "kind": "sectoral_cert",
                                     "name": "Punjab Banking CERT"})
        self.assertEqual(r.status, 201, r)
        sub = r.json["id"]
        r = na.post("/api/v1/orgs", {"parent_id": sub, "kind": "institution",
                                     "name": "Bank of the Five Rivers"})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json["depth"], 3)
        bank = r.json["id"]
        cases = [
            (punjab, sub, 422, "invalid_field"),          # below its own child
            (punjab, punjab, 422, "invalid_field"),       # below itself
            (sub, self.org_of("pb-health"), 422, "invalid_field"),   # below an institution
            (bank, bank, 422, "invalid_field"),
            (self.org_of("ncert"), punjab, 422, "invalid_field"),    # the root stays the root
            (punjab, str(uuid.uuid4()), 404, "not_found"),
        ]
        for org, parent, status, code in cases:
            with self.subTest(org=org, parent=parent):
                before = self.snapshot()
                r = na.patch("/api/v1/orgs/" + org, {"parent_id": parent})
                self.assertError(r, status, code, "parent_id")
                self.assertNothingWritten(before)
        self.assertEqual(na.get("/api/v1/orgs/" + punjab).json["parent_id"], self.org_of("ncert"))

    def test_the_tree_is_at_most_eight_levels_deep(self):
        na = self.demo_client("admin", "ncert")
        parent, chain = self.org_of("ncert"), []
        for depth in range(1, 8):
            r = na.post("/api/v1/orgs", {"parent_id": parent, "kind": "sectoral_cert",
                                         "name": "Depth %d CERT" % depth})
            self.assertEqual(r.status, 201, r)
            self.assertEqual(r.json["depth"], depth)
            parent = r.json["id"]
            chain.append(parent)
        before = self.snapshot()
        r = na.post("/api/v1/orgs", {"parent_id": chain[-1], "kind": "institution",
                                     "name": "Depth 8 Office"})
        self.assertError(r, 422, "invalid_field", "parent_id", "8")
        # Moving a two-level subtree (Punjab CERT and its institutions) where its leaves would
        # land at depth 8 is refused too; one level higher fits.
        r = na.patch("/api/v1/orgs/" + self.org_of("punjab-cert"), {"parent_id": chain[5]})
        self.assertError(r, 422, "invalid_field", "parent_id")
        self.assertNothingWritten(before)
        r = na.patch("/api/v1/orgs/" + self.org_of("gb-cert"), {"parent_id": chain[4]})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["depth"], 6)
        self.assertEqual(na.get("/api/v1/orgs/" + self.org_of("gb-health")).json["depth"], 7)
        # The deepest institution still sees its whole ancestry, root first.
        r = self.demo_client("reporter", "gb-health").get("/api/v1/orgs")
        self.assertEqual(names(r.json["items"]),
                         ["National CERT"] + ["Depth %d CERT" % d for d in range(1, 6)]
                         + ["Gilgit-Baltistan CERT", "Gilgit-Baltistan Health Department"])

    def test_only_the_national_admin_moves_orgs(self):
        an = self.demo_client("analyst", "ncert")
        pa = self.demo_client("admin", "punjab-cert")
        before = self.snapshot()
        r = pa.patch(
            "/api/v1/orgs/" + self.org_of("pb-health"), {"parent_id": self.org_of("sindh-cert")})
        self.assertError(r, 403, "forbidden", "parent_id")
        r = an.patch(
            "/api/v1/orgs/" + self.org_of("pb-health"), {"parent_id": self.org_of("sindh-cert")})
        self.assertError(r, 403, "forbidden")
        self.assertNothingWritten(before)
        # Naming the current parent is not a move.
        r = pa.patch(
            "/api/v1/orgs/" + self.org_of("pb-health"), {"parent_id": self.org_of("punjab-cert")})
        self.assertEqual(r.status, 200, r)


if __name__ == "__main__":
    unittest.main()
