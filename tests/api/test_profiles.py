"""Profiles: the real NIST LOW profile bound to the imported MODERATE catalog selects exactly its
controls; unbound it cannot be resolved; profiles made by ticking controls; applicability; OSCAL
include-all / include-controls / exclude-controls selections over small inline profiles; the
exports (GET .../oscal, GET .../resolved, rabta profile export / resolve) valid against NIST's
OSCAL 1.1.2 schemas; profiles importing stored profiles, and an import cycle refused.

Expected selections are computed here from the files (json). Tests that need ../shared/data skip
with a message when it is absent.
"""

import json
import os
import re
import unittest
import uuid

from harness import (ServerCase, Client, run_cli, cli_ok, db_snapshot, demo_email,
                     SNAPSHOT_TABLES, UUID_RE, RFC3339_RE)
from test_catalogs import (MODERATE, LOW_PROFILE, BASIC, NATIONAL, need_data, load_catalog,
                           small_catalog, IMPORT_LINE)
from oscal_schema import need_schema, schema_errors

PROFILE_KEYS = {"id", "title", "version", "oscal_uuid", "catalog_id", "catalog_title",
                "owner_org", "tlp", "controls", "applies_to", "created_at"}
PROFILE_TABLES = SNAPSHOT_TABLES + ("catalogs", "profiles", "profile_controls")
PROFILE_LINE = re.compile(r"^imported profile ([0-9a-f-]{36}): (\d+) controls selected\n$")


def low_profile_ids(catalog_walk):
    """The ids the LOW profile includes, in the catalog's order."""
    with open(LOW_PROFILE) as f:
        prof = json.load(f)["profile"]
    wanted = set()
    for imp in prof["imports"]:
        for sel in imp.get("include-controls", []):
            wanted.update(sel.get("with-ids", []))
    return [c["id"] for c in catalog_walk["controls"] if c["id"] in wanted], wanted


def inline_profile(href, **imp):
    """A small OSCAL profile document importing href with the given selection members. An href
    "#<uuid>" names a resource of the profile's back-matter, as OSCAL says: the resource, whose
    rlink names the stored catalog of that OSCAL uuid ("urn:uuid:<uuid>"), comes with it."""
    doc = {"profile": {
        "uuid": str(uuid.uuid4()),
        "metadata": {"title": "Inline test profile", "version": "0.1",
                     "oscal-version": "1.1.2", "last-modified": "2026-01-01T00:00:00Z"},
        "imports": [dict({"href": href}, **imp)]}}
    if href.startswith("#"):
        doc["profile"]["back-matter"] = {"resources": [
            {"uuid": href[1:], "rlinks": [{"href": "urn:uuid:" + href[1:]}]}]}
    return doc


class TestProfiles(ServerCase):

    @classmethod
    def prepare_db(cls):
        def imp(path):
            out = cli_ok("import", "oscal", "--db", cls.db, path)
            return IMPORT_LINE.match(out).group(1)
        cls.national_id = imp(NATIONAL)
        cls.national = load_catalog(NATIONAL)
        with open(NATIONAL) as f:
            cls.national_uuid = json.load(f)["catalog"]["uuid"]
        cls.moderate_id = imp(MODERATE) if os.path.isfile(MODERATE) else None
        cls.basic_id = imp(BASIC) if os.path.isfile(BASIC) else None

    def profile_snapshot(self):
        return db_snapshot(self.db, PROFILE_TABLES)

    def refused(self, client, body, status, code, field, msg_has=None):
        """POST /api/v1/profiles is refused and nothing is written."""
        before = self.profile_snapshot()
        r = client.post("/api/v1/profiles", body)
        err = self.assertError(r, status, code, field, msg_has)
        self.assertEqual(self.profile_snapshot(), before, "something was written")
        return err

    def get_profile(self, pid, email=None):
        r = self.client(email or demo_email("reporter", "sd-health")).get("/api/v1/profiles/" + pid)
        self.assertEqual(r.status, 200, r)
        return r.json

    def assertProfile(self, p):
        self.assertEqual(set(p), PROFILE_KEYS)
        self.assertRegex(p["id"], UUID_RE)
        self.assertRegex(p["created_at"], RFC3339_RE)
        self.assertEqual(set(p["applies_to"]), {"kinds", "sectors", "cii_only", "min_cii_grade"})

    # -- the real LOW baseline --

    def test_low_profile_bound_with_the_cli_selects_its_149_controls(self):
        need_data(self, MODERATE, LOW_PROFILE)
        expected, wanted = low_profile_ids(load_catalog(MODERATE))
        self.assertEqual(len(wanted), 149, "the LOW profile file changed?")
        self.assertEqual(len(expected), 149, "some LOW control is missing from MODERATE")
        out = cli_ok("import", "oscal", "--db", self.db, LOW_PROFILE, "--catalog", self.moderate_id)
        m = PROFILE_LINE.match(out)
        self.assertTrue(m, out)
        self.assertEqual(int(m.group(2)), 149)
        got = self.get_profile(m.group(1))
        self.assertProfile(got["profile"])
        self.assertEqual(got["control_ids"], expected)
        p = got["profile"]
        with open(LOW_PROFILE) as f:
            doc = json.load(f)["profile"]
        self.assertEqual(p["controls"], 149)
        self.assertEqual(p["catalog_id"], self.moderate_id)
        self.assertEqual(p["oscal_uuid"], doc["uuid"])
        self.assertEqual(p["title"], doc["metadata"]["title"])
        self.assertEqual(p["version"], doc["metadata"]["version"])
        self.assertEqual(p["tlp"], "GREEN")
        self.assertEqual(p["owner_org"], self.org_of("ncert"))
        # --json says the same.
        out = json.loads(cli_ok("import", "oscal", "--db", self.db, LOW_PROFILE, "--catalog",
                                self.moderate_id, "--json"))
        self.assertEqual(out["controls"], 149)
        self.assertEqual(self.get_profile(out["id"])["control_ids"], expected)

    def test_low_profile_unbound_cannot_be_resolved_by_the_cli(self):
        need_data(self, MODERATE, LOW_PROFILE)
        with open(LOW_PROFILE) as f:
            href = json.load(f)["profile"]["imports"][0]["href"]
        before = self.profile_snapshot()
        p = run_cli("import", "oscal", "--db", self.db, LOW_PROFILE)
        self.assertEqual(p.returncode, 1, p)
        self.assertEqual(p.stdout, "")
        self.assertIn("cannot resolve", p.stderr)
        self.assertIn(href, p.stderr)
        self.assertIn("catalog", p.stderr)
        self.assertEqual(self.profile_snapshot(), before)
        # Bound to a catalog that does not exist: also refused.
        p = run_cli("import", "oscal", "--db", self.db, LOW_PROFILE, "--catalog",
                    "00000000-0000-4000-8000-000000000000")
        self.assertEqual(p.returncode, 1, p)
        self.assertIn("catalog", p.stderr)
        self.assertEqual(self.profile_snapshot(), before)

    def test_low_profile_through_the_api(self):
        need_data(self, MODERATE, LOW_PROFILE)
        expected, _ = low_profile_ids(load_catalog(MODERATE))
        with open(LOW_PROFILE) as f:
            doc = json.load(f)
        c = self.demo_client("analyst", "punjab-cert")
        r = c.post("/api/v1/profiles", {"oscal": doc, "catalog_id": self.moderate_id})
        self.assertEqual(r.status, 201, r)
        self.assertProfile(r.json["profile"])
        self.assertEqual(r.json["control_ids"], expected)
        self.assertEqual(r.json["profile"]["controls"], 149)
        self.assertEqual(r.json["profile"]["owner_org"], self.org_of("punjab-cert"))
        self.assertEqual(self.get_profile(r.json["profile"]["id"])["control_ids"], expected)
        # Unbound: the href names no catalog in the store.
        err = self.refused(c, {"oscal": doc}, 404, "not_found", "catalog")
        self.assertIn(doc["profile"]["imports"][0]["href"], err["message"])
        self.refused(c, {"oscal": doc, "catalog_id": "00000000-0000-4000-8000-000000000000"},
                     404, "not_found", "catalog")

    # -- ticked controls --

    def test_profile_made_by_ticking_controls(self):
        c = self.demo_client("analyst", "ncert")
        ticked = ["ir-3", "gv-1", "br-2.1", "iam-2", "gv-1"]  # any order, a duplicate
        order = [k["id"] for k in self.national["controls"]]
        want = sorted(set(ticked), key=order.index)
        r = c.post("/api/v1/profiles", {"catalog_id": self.national_id,
                                        "title": "Ticked essentials", "control_ids": ticked})
        self.assertEqual(r.status, 201, r)
        p = r.json["profile"]
        self.assertProfile(p)
        self.assertEqual(r.json["control_ids"], want)
        self.assertEqual(p["controls"], len(want))
        self.assertEqual(p["title"], "Ticked essentials")
        self.assertEqual(p["catalog_id"], self.national_id)
        self.assertEqual(p["catalog_title"],
                         "rabta National Cyber Security Baseline for Public Institutions")
        self.assertEqual(p["owner_org"], self.org_of("ncert"))
        self.assertEqual(p["tlp"], "GREEN")
        self.assertIsNone(p["oscal_uuid"])
        self.assertEqual(p["applies_to"], {"kinds": [], "sectors": [], "cii_only": False,
                                           "min_cii_grade": 0})
        # Any signed-in user reads it and finds it in the list.
        got = self.get_profile(p["id"], demo_email("reporter", "khi-port"))
        self.assertEqual(got, r.json)
        items, _ = self.demo_client("reporter", "gb-health").list_all("/api/v1/profiles",
                                                                           limit=500)
        self.assertIn(p["id"], [x["id"] for x in items])
        # Audited.
        audit = self.demo_client("admin", "ncert").get("/api/v1/audit?limit=10").json
        self.assertIn(("profile.create", "profile", p["id"]),
                      [(e["action"], e["object_kind"], e["object_id"]) for e in audit["items"]])

    def test_ticked_profile_refusals(self):
        c = self.demo_client("analyst", "ncert")
        base = {"catalog_id": self.national_id, "title": "Refused profile",
                "control_ids": ["gv-1", "am-1"]}
        err = self.refused(c, dict(base, control_ids=["gv-1", "zz-9"]), 422, "invalid_field",
                           "control_ids")
        self.assertIn("zz-9", err["message"])
        self.refused(c, dict(base, control_ids=[]), 422, "invalid_field", "control_ids")
        self.refused(c, dict(base, control_ids=["gv-1", 5]), 422, "invalid_field", "control_ids")
        self.refused(c, {k: v for k, v in base.items() if k != "title"}, 422, "invalid_field",
                     "title")
        self.refused(c, dict(base, title="x"), 422, "invalid_field", "title")
        self.refused(c, {k: v for k, v in base.items() if k != "catalog_id"}, 422,
                     "invalid_field", "catalog_id")
        self.refused(c, dict(base, catalog_id="00000000-0000-4000-8000-000000000000"), 404,
                     "not_found", "catalog_id")
        self.refused(c, dict(base, colour="blue"), 422, "unknown_field", "colour")
        # Who: CERT analysts and admins only.
        for email in (demo_email("reporter", "punjab-cert"), demo_email("analyst", "pb-health"),
                      demo_email("auditor", "ncert")):
            with self.subTest(email=email):
                self.refused(self.client(email), base, 403, "forbidden", None)
        self.refused(Client(self.port), base, 401, "unauthenticated", None)

    # -- applicability --

    def test_applicability_round_trips(self):
        c = self.demo_client("analyst", "punjab-cert")
        body = {"catalog_id": self.national_id, "title": "CII energy and water",
                "control_ids": ["cii-1", "cii-2"], "applies_kinds": ["institution", "cii_cert"],
                "applies_sectors": ["energy", "water"], "cii_only": True, "min_cii_grade": 2}
        r = c.post("/api/v1/profiles", body)
        self.assertEqual(r.status, 201, r)
        ap = r.json["profile"]["applies_to"]
        self.assertEqual(ap["kinds"], body["applies_kinds"])
        self.assertEqual(ap["sectors"], body["applies_sectors"])
        self.assertIs(ap["cii_only"], True)
        self.assertEqual(ap["min_cii_grade"], 2)
        self.assertEqual(self.get_profile(r.json["profile"]["id"])["profile"]["applies_to"], ap)
        # Empty lists mean "any".
        r = c.post("/api/v1/profiles", dict(body, applies_kinds=[], applies_sectors=[],
                                            cii_only=False, min_cii_grade=0))
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json["profile"]["applies_to"],
                         {"kinds": [], "sectors": [], "cii_only": False, "min_cii_grade": 0})

    def test_applicability_refusals(self):
        c = self.demo_client("analyst", "punjab-cert")
        base = {"catalog_id": self.national_id, "title": "Bad applicability",
                "control_ids": ["gv-1"]}
        err = self.refused(c, dict(base, applies_kinds=["institution", "ministry"]), 422,
                           "invalid_field", "applies_kinds")
        self.assertIn("ministry", err["message"])
        self.refused(c, dict(base, applies_kinds="institution"), 422, "invalid_field",
                     "applies_kinds")
        self.refused(c, dict(base, applies_kinds=["institution,provincial_cert"]), 422,
                     "invalid_field", "applies_kinds")
        self.refused(c, dict(base, applies_sectors=["mining"]), 422, "invalid_field",
                     "applies_sectors")
        self.refused(c, dict(base, min_cii_grade=4), 422, "invalid_field", "min_cii_grade")
        self.refused(c, dict(base, min_cii_grade="2"), 422, "invalid_field", "min_cii_grade")
        self.refused(c, dict(base, cii_only="yes"), 422, "invalid_field", "cii_only")

    def test_cli_applicability_options(self):
        path = os.path.join(self.tmp, "cli-profile.json")
        with open(path, "w") as f:
            json.dump(inline_profile("#" + self.national_uuid,
                                     **{"include-controls": [{"with-ids": ["cii-1", "cii-3"]}]}), f)
        out = cli_ok("import", "oscal", "--db", self.db, path, "--applies-kinds",
                     "institution", "--applies-sectors", "energy,water", "--cii-only",
                     "--min-cii-grade", "3")
        m = PROFILE_LINE.match(out)
        self.assertTrue(m, out)
        self.assertEqual(int(m.group(2)), 2)
        p = self.get_profile(m.group(1))
        self.assertEqual(p["control_ids"], ["cii-1", "cii-3"])
        self.assertEqual(p["profile"]["applies_to"], {"kinds": ["institution"],
                                                      "sectors": ["energy", "water"],
                                                      "cii_only": True, "min_cii_grade": 3})
        before = self.profile_snapshot()
        bad = run_cli("import", "oscal", "--db", self.db, path, "--applies-kinds", "ministry")
        self.assertEqual(bad.returncode, 1)
        self.assertIn("ministry", bad.stderr)
        bad = run_cli("import", "oscal", "--db", self.db, path, "--min-cii-grade", "7")
        self.assertEqual(bad.returncode, 1)
        self.assertIn("--min-cii-grade", bad.stderr)
        self.assertEqual(self.profile_snapshot(), before)

    # -- OSCAL selections --

    def select(self, doc, catalog_id=None):
        body = {"oscal": doc}
        if catalog_id:
            body["catalog_id"] = catalog_id
        r = self.demo_client("analyst", "ncert").post("/api/v1/profiles", body)
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json["profile"]["controls"], len(r.json["control_ids"]))
        return r.json["control_ids"]

    def test_include_all_and_exclude_controls_over_the_basic_catalog(self):
        need_data(self, BASIC)
        walk = load_catalog(BASIC)
        with open(BASIC) as f:
            href = "#" + json.load(f)["catalog"]["uuid"]  # resolved against the store
        every = [k["id"] for k in walk["controls"]]
        self.assertEqual(len(every), 4)
        self.assertEqual(self.select(inline_profile(href, **{"include-all": {}})), every)
        drop = every[1]
        self.assertEqual(self.select(inline_profile(href, **{
            "include-all": {}, "exclude-controls": [{"with-ids": [drop]}]})),
            [i for i in every if i != drop])
        pick = [every[3], every[0]]
        self.assertEqual(self.select(inline_profile(href, **{
            "include-controls": [{"with-ids": pick}]})), [every[0], every[3]])
        self.assertEqual(self.select(inline_profile(href, **{
            "include-controls": [{"with-ids": [every[0]]}, {"with-ids": [every[2]]}],
            "exclude-controls": [{"with-ids": [every[2]]}]})), [every[0]])
        # The same profile bound explicitly to the catalog.
        self.assertEqual(self.select(inline_profile("https://example.invalid/catalog.json", **{
            "include-all": {}}), self.basic_id), every)

    def test_child_controls_over_the_national_baseline(self):
        href = "#" + self.national_uuid
        every = [k["id"] for k in self.national["controls"]]
        kids = {k["id"]: [e["id"] for e in self.national["controls"] if e["parent"] == k["id"]]
                for k in self.national["controls"]}
        self.assertEqual(kids["iam-2"], ["iam-2.1"])
        # Without with-child-controls only the control; with "yes" its enhancements too.
        self.assertEqual(self.select(inline_profile(href, **{
            "include-controls": [{"with-ids": ["iam-2"]}]})), ["iam-2"])
        self.assertEqual(self.select(inline_profile(href, **{
            "include-controls": [{"with-ids": ["iam-2", "br-1"], "with-child-controls": "yes"}]})),
            ["iam-2", "iam-2.1", "br-1"])
        got = self.select(inline_profile(href, **{
            "include-all": {},
            "exclude-controls": [{"with-ids": ["vpm-2", "lm-3"], "with-child-controls": "yes"}]}))
        self.assertEqual(got, [i for i in every if i not in ("vpm-2", "vpm-2.1", "lm-3",
                                                             "lm-3.1")])
        self.assertEqual(len(got), 71 - 4)

    def test_malformed_oscal_profiles(self):
        c = self.demo_client("analyst", "ncert")
        href = "#" + self.national_uuid
        good = inline_profile(href, **{"include-all": {}})
        no_imports = json.loads(json.dumps(good))
        no_imports["profile"]["imports"] = []
        self.refused(c, {"oscal": no_imports}, 422, "invalid_field", "profile.imports")
        matching = inline_profile(href, **{
            "include-controls": [{"matching": [{"pattern": "ac*"}]}]})
        self.refused(c, {"oscal": matching}, 422, "invalid_field",
                     "profile.imports[0].include-controls[0].matching")
        both = inline_profile(href, **{"include-all": {},
                                       "include-controls": [{"with-ids": ["gv-1"]}]})
        self.refused(c, {"oscal": both}, 422, "invalid_field",
                     "profile.imports[0].include-controls")
        none_known = inline_profile(href, **{"include-controls": [{"with-ids": ["zz-1", "zz-2"]}]})
        self.refused(c, {"oscal": none_known}, 422, "invalid_field", "profile.imports")
        no_uuid = json.loads(json.dumps(good))
        del no_uuid["profile"]["uuid"]
        self.refused(c, {"oscal": no_uuid}, 422, "invalid_field", "profile.uuid")
        self.refused(c, {"oscal": {"catalog": {}}}, 422, "invalid_field", "profile")
        self.refused(self.demo_client("reporter", "ncert"), {"oscal": good}, 403,
                     "forbidden", None)


class TestProfileSharing(ServerCase):
    """A profile reveals its catalog's control ids and title, and campaigns of it show the
    controls' text: over an AMBER catalog it must reach no one the catalog does not reach."""

    @classmethod
    def prepare(cls):
        pa = cls.demo_client("analyst", "punjab-cert")
        r = pa.request("POST", "/api/v1/catalogs?tlp=AMBER", raw=json.dumps(small_catalog()))
        assert r.status == 201, r
        cls.amber = r.json["id"]
        cls.amber_uuid = r.json["oscal_uuid"]
        r = pa.post("/api/v1/profiles", {"catalog_id": cls.amber, "title": "Punjab-only profile",
                                         "control_ids": ["g1-1", "g2-1"]})
        assert r.status == 201, r
        cls.profile = r.json["profile"]["id"]
        for email in (demo_email("reporter", "sd-health"), demo_email("analyst", "sindh-cert"),
                      demo_email("analyst", "ncert"), demo_email("reporter", "pb-health")):
            cls.token(email)

    def test_punjab_reads_its_profile(self):
        r = self.demo_client("reporter", "pb-health").get("/api/v1/profiles/" + self.profile)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["control_ids"], ["g1-1", "g2-1"])

    def test_outside_the_catalogs_reach_the_profile_is_not_found(self):
        for email in (demo_email("reporter", "sd-health"), demo_email("analyst", "sindh-cert"),
                      demo_email("analyst", "ncert")):
            with self.subTest(email=email):
                c = self.client(email)
                self.assertError(c.get("/api/v1/catalogs/" + self.amber), 404, "not_found")
                self.assertError(c.get("/api/v1/profiles/" + self.profile), 404, "not_found")
                for what in ("oscal", "resolved"):
                    self.assertError(c.get("/api/v1/profiles/%s/%s" % (self.profile, what)),
                                     404, "not_found")
                items, _ = c.list_all("/api/v1/profiles", limit=500)
                self.assertNotIn(self.profile, [x["id"] for x in items])

    def test_outside_the_catalogs_reach_no_campaign_of_it(self):
        sa = self.demo_client("analyst", "sindh-cert")
        before = db_snapshot(self.db, PROFILE_TABLES + ("campaigns", "assessments"))
        r = sa.post("/api/v1/campaigns", {"profile_id": self.profile, "title": "Borrowed",
                                          "due_date": "2099-12-31"})
        self.assertError(r, 404, "not_found", "profile_id")
        self.assertEqual(db_snapshot(self.db, PROFILE_TABLES + ("campaigns", "assessments")),
                         before)

    def test_outside_the_catalogs_reach_it_cannot_be_used(self):
        sa = self.demo_client("analyst", "sindh-cert")
        before = db_snapshot(self.db, PROFILE_TABLES)
        r = sa.post("/api/v1/profiles", {"catalog_id": self.amber, "title": "Borrowed",
                                         "control_ids": ["g1-1"]})
        self.assertError(r, 404, "not_found", "catalog_id")
        r = sa.post("/api/v1/profiles", {"oscal": inline_profile("#" + self.amber_uuid, **{
            "include-all": {}})})
        self.assertError(r, 404, "not_found", "catalog")
        self.assertEqual(db_snapshot(self.db, PROFILE_TABLES), before)


def controls_of(node):
    """The controls of a catalog tree, depth first: [(id, parent id or None, group id or None)]."""
    out = []

    def walk(n, parent, group):
        for c in n.get("controls", []):
            out.append((c["id"], parent, group))
            walk(c, c["id"], group)
        for g in n.get("groups", []):
            walk(g, None, g.get("id"))
    walk(node, None, None)
    return out


class TestProfileExports(ServerCase):
    """A profile comes back out as OSCAL: the profile document and its resolved catalog, both
    valid against NIST's schemas, through the API and the CLI alike."""

    @classmethod
    def prepare_db(cls):
        out = cli_ok("import", "oscal", "--db", cls.db, NATIONAL)
        cls.national_id = IMPORT_LINE.match(out).group(1)
        cls.national = load_catalog(NATIONAL)
        with open(NATIONAL) as f:
            cls.national_uuid = json.load(f)["catalog"]["uuid"]
        cls.moderate_id = None
        if os.path.isfile(MODERATE):
            cls.moderate_id = IMPORT_LINE.match(
                cli_ok("import", "oscal", "--db", cls.db, MODERATE)).group(1)

    def analyst(self):
        return self.demo_client("analyst", "ncert")

    def get_json(self, path, email=None):
        r = self.client(email or demo_email("reporter", "sd-health")).get(path)
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.header("Content-Type").startswith("application/json"), r)
        return json.loads(r.body)

    def assertValid(self, doc, model):
        self.assertEqual(schema_errors(doc, model), [], "not valid OSCAL 1.1.2 %s" % model)

    def test_low_profile_exports_validate(self):
        need_data(self, MODERATE, LOW_PROFILE)
        need_schema(self)
        with open(LOW_PROFILE) as f:
            low = json.load(f)
        r = self.analyst().post("/api/v1/profiles", {"oscal": low, "catalog_id": self.moderate_id})
        self.assertEqual(r.status, 201, r)
        pid = r.json["profile"]["id"]
        # The profile as it was given, marked with its TLP (decision 72).
        doc = self.get_json("/api/v1/profiles/%s/oscal" % pid)
        self.assertValid(doc, "profile")
        marking = {"name": "marking", "value": "TLP:" + r.json["profile"]["tlp"], "class": "tlp"}
        self.assertEqual(doc["profile"]["metadata"].pop("props"), [marking])
        self.assertEqual(doc, low)
        # The resolved catalog: its 149 controls in their 18 families, nested (merge as-is).
        cat = self.get_json("/api/v1/profiles/%s/resolved" % pid)
        self.assertValid(cat, "catalog")
        ctl = controls_of(cat["catalog"])
        self.assertEqual(len(ctl), 149)
        self.assertEqual([c for c, _, _ in ctl], r.json["control_ids"])
        self.assertIn(("ia-2.1", "ia-2", "ia"), ctl)
        self.assertEqual(len(cat["catalog"]["groups"]), 18)
        meta = cat["catalog"]["metadata"]
        self.assertEqual(meta["title"], low["profile"]["metadata"]["title"])
        self.assertRegex(meta["last-modified"], RFC3339_RE)
        props = {p["name"]: p["value"] for p in meta["props"]}
        self.assertEqual(props["resolution-tool"], "rabta 0.1.0")
        self.assertEqual(props["source-profile-uuid"], low["profile"]["uuid"])
        self.assertEqual(meta["links"], [{"href": "/api/v1/profiles/%s/oscal" % pid,
                                          "rel": "source-profile"}])
        self.assertRegex(cat["catalog"]["uuid"], UUID_RE)
        self.assertNotEqual(cat["catalog"]["uuid"], low["profile"]["uuid"])
        # The profile's own back-matter comes along.
        self.assertIn(low["profile"]["back-matter"]["resources"][0]["uuid"],
                      [x["uuid"] for x in cat["catalog"]["back-matter"]["resources"]])
        # Kept when stored: the same document every time, and the CLI prints it too.
        self.assertEqual(self.get_json("/api/v1/profiles/%s/resolved" % pid), cat)
        self.assertEqual(json.loads(cli_ok("profile", "resolve", "--db", self.db, pid)), cat)
        exported = json.loads(cli_ok("profile", "export", "--db", self.db, pid))
        self.assertEqual(exported["profile"]["metadata"].pop("props"), [marking])
        self.assertEqual(exported, low)

    def test_ticked_profile_is_an_oscal_profile(self):
        need_schema(self)
        ticked = ["iam-2.1", "gv-1", "br-2.1", "iam-2"]
        r = self.analyst().post("/api/v1/profiles", {"catalog_id": self.national_id,
                                                     "title": "Ticked, exported",
                                                     "control_ids": ticked})
        self.assertEqual(r.status, 201, r)
        pid = r.json["profile"]["id"]
        order = [k["id"] for k in self.national["controls"]]
        want = sorted(ticked, key=order.index)
        self.assertEqual(r.json["control_ids"], want)
        doc = self.get_json("/api/v1/profiles/%s/oscal" % pid)
        self.assertValid(doc, "profile")
        p = doc["profile"]
        self.assertEqual(p["uuid"], pid)
        self.assertEqual(p["metadata"]["title"], "Ticked, exported")
        imp, = p["imports"]
        self.assertEqual(imp["include-controls"], [{"with-ids": want}])
        # br-2 would come with br-2.1: it was not ticked, so it is excluded.
        self.assertEqual(imp["exclude-controls"], [{"with-ids": ["br-2"]}])
        self.assertEqual(p["merge"], {"as-is": True})
        res, = p["back-matter"]["resources"]
        self.assertEqual(imp["href"], "#" + res["uuid"])
        self.assertEqual(res["rlinks"], [
            {"href": "/api/v1/catalogs/%s/oscal" % self.national_id,
             "media-type": "application/oscal.catalog+json"},
            {"href": "urn:uuid:" + self.national_uuid}])
        # Resolved: exactly the ticked controls, in the catalog's groups; br-2.1 moved up to
        # where br-2 was.
        cat = self.get_json("/api/v1/profiles/%s/resolved" % pid)
        self.assertValid(cat, "catalog")
        self.assertEqual(sorted(controls_of(cat["catalog"])), sorted([
            ("gv-1", None, "gv"), ("iam-2", None, "iam"), ("iam-2.1", "iam-2", "iam"),
            ("br-2.1", None, "br")]))
        # Imported again, the exported document selects the same controls.
        r = self.analyst().post("/api/v1/profiles", {"oscal": doc})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json["control_ids"], want)
        self.assertEqual(r.json["profile"]["catalog_id"], self.national_id)

    def test_a_profile_of_a_stored_profile(self):
        need_schema(self)
        r = self.analyst().post("/api/v1/profiles", {"catalog_id": self.national_id,
                                                     "title": "National essentials",
                                                     "control_ids": ["gv-1", "gv-2", "am-1"]})
        self.assertEqual(r.status, 201, r)
        base = r.json["profile"]["id"]
        res = str(uuid.uuid4())
        doc = {"profile": {
            "uuid": str(uuid.uuid4()),
            "metadata": {"title": "Punjab essentials", "version": "1", "oscal-version": "1.1.2",
                         "last-modified": "2026-01-01T00:00:00Z"},
            "imports": [{"href": "#" + res, "include-controls": [{"with-ids": ["gv-2", "gv-1"]}]}],
            "merge": {"as-is": True},
            "back-matter": {"resources": [{"uuid": res, "rlinks": [
                {"href": "https://rabta.example/api/v1/profiles/%s" % base}]}]}}}
        r = self.demo_client("analyst", "punjab-cert").post("/api/v1/profiles", {"oscal": doc})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json["control_ids"], ["gv-1", "gv-2"])
        self.assertEqual(r.json["profile"]["catalog_id"], self.national_id)
        cat = self.get_json("/api/v1/profiles/%s/resolved" % r.json["profile"]["id"])
        self.assertValid(cat, "catalog")
        self.assertEqual(controls_of(cat["catalog"]), [("gv-1", None, "gv"), ("gv-2", None, "gv")])
        # Selecting what the imported profile does not hold: nothing to select.
        doc["profile"]["uuid"] = str(uuid.uuid4())
        doc["profile"]["imports"][0]["include-controls"] = [{"with-ids": ["ir-3"]}]
        self.refused(self.analyst(), {"oscal": doc}, 422, "invalid_field", "profile.imports",
                     "ir-3")

    def test_an_import_cycle_is_refused_naming_it(self):
        # A profile of OSCAL uuid U is stored; a new version of it (the same uuid) that imports
        # "urn:uuid:U" would import itself.
        u = str(uuid.uuid4())
        first = inline_profile("#" + self.national_uuid, **{"include-all": {}})
        first["profile"]["uuid"] = u
        r = self.analyst().post("/api/v1/profiles", {"oscal": first})
        self.assertEqual(r.status, 201, r)
        again = inline_profile("urn:uuid:" + u, **{"include-all": {}})
        again["profile"]["uuid"] = u
        err = self.refused(self.analyst(), {"oscal": again}, 422, "invalid_field",
                           "profile.imports", "circular import")
        self.assertIn("profile %s" % r.json["profile"]["id"], err["message"])

    def refused(self, client, body, status, code, field, msg_has=None):
        before = db_snapshot(self.db, PROFILE_TABLES)
        err = self.assertError(client.post("/api/v1/profiles", body), status, code, field,
                               msg_has)
        self.assertEqual(db_snapshot(self.db, PROFILE_TABLES), before, "something was written")
        return err

    def test_exports_of_a_profile_that_does_not_exist(self):
        for what in ("oscal", "resolved"):
            self.assertError(self.analyst().get(
                "/api/v1/profiles/00000000-0000-4000-8000-000000000000/" + what), 404,
                "not_found")
        p = run_cli("profile", "resolve", "--db", self.db, "00000000-0000-4000-8000-000000000000")
        self.assertEqual(p.returncode, 1)
        self.assertIn("no profile", p.stderr)


if __name__ == "__main__":
    unittest.main()
