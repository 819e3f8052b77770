"""Guideline catalogs (OSCAL): the real NIST files and the national baseline import completely,
prose shows parameters resolved, search and domain filters, export and re-import, malformed
documents refused with the JSON path of the problem and nothing stored, and who may read what.

Expected numbers are computed here from the files themselves (json), never copied from rabta.
The NIST files live in ../shared/data (relative to the repository); tests that need them skip with
a message when that directory is absent. The national baseline ships in the repository.
"""

import json
import os
import re
import unittest

from harness import (ServerCase, Client, REPO, run_cli, cli_ok, db_snapshot, demo_email,
                     SNAPSHOT_TABLES, UUID_RE, RFC3339_RE)

DATA = os.path.normpath(os.path.join(REPO, "..", "shared", "data", "oscal"))
MODERATE = os.path.join(
    DATA, "NIST_SP-800-53_rev5_MODERATE-baseline-resolved-profile_catalog-min.json")
LOW_PROFILE = os.path.join(DATA, "NIST_SP-800-53_rev5_LOW-baseline_profile.json")
BASIC = os.path.join(DATA, "basic-catalog.json")
NATIONAL = os.path.join(REPO, "content", "oscal", "rabta-national-baseline-catalog.json")

CATALOG_KEYS = {"id", "oscal_uuid", "title", "version", "oscal_version", "last_modified",
                "owner_org", "tlp", "groups", "controls", "enhancements", "created_at"}
CONTROL_KEYS = {"id", "label", "title", "domain_id", "domain_title", "enhancement",
                "csf_function", "weight", "cii_only", "statement"}
CATALOG_TABLES = SNAPSHOT_TABLES + ("catalogs", "catalog_groups", "controls", "grants")
IMPORT_LINE = re.compile(r"^imported catalog ([0-9a-f-]{36}): (\d+) groups, (\d+) controls, "
                         r"(\d+) enhancements \(\d+ ms\)\n$")
INSERT_RE = re.compile(r"\{\{\s*insert:\s*param,\s*([^\s}]+)\s*\}\}")


def need_data(test, *paths):
    """Skips the test when the shared data (../shared/data) is not there."""
    for p in paths:
        if not os.path.isfile(p):
            test.skipTest("%s is absent (the shared data directory ../shared/data is not "
                          "next to the repository)" % os.path.relpath(p, REPO))


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


# ---- what a catalog file holds, computed with json (also used by the profile and campaign tests)

def _props(node):
    return {p.get("name"): p.get("value") for p in node.get("props", [])}


def walk_catalog(doc):
    """Walks an OSCAL catalog document ({"catalog": ...}) in document order. Returns
    {"groups": [{id, title, depth, parent}], "controls": [{id, title, domain, group, parent,
    enhancement, weight, props, params, node}]} where enhancements are controls nested in
    controls, and "domain" is the top-level group's id. Controls come in document order: the
    catalog's own controls, then each group's controls (each followed by its enhancements), then
    its subgroups."""
    cat = doc["catalog"]
    groups, controls = [], []

    def ctl(items, domain, group, parent):
        for c in items:
            p = _props(c)
            controls.append({"id": c["id"], "title": c["title"], "domain": domain,
                             "group": group, "parent": parent, "enhancement": parent is not None,
                             "weight": float(p.get("weight", 1)), "props": p,
                             "params": c.get("params", []), "node": c})
            ctl(c.get("controls", []), domain, group, c["id"])

    def grp(items, domain, parent, depth):
        for g in items:
            groups.append({"id": g["id"], "title": g["title"], "depth": depth, "parent": parent})
            d = domain or g["id"]
            ctl(g.get("controls", []), d, g["id"], None)
            grp(g.get("groups", []), d, g["id"], depth + 1)

    ctl(cat.get("controls", []), None, None, None)
    grp(cat.get("groups", []), None, None, 0)
    return {"groups": groups, "controls": controls}


def load_catalog(path):
    with open(path, "rb") as f:
        return walk_catalog(json.load(f))


def counts(walk):
    """(groups, top-level controls, enhancements) of a walked catalog."""
    top = sum(1 for c in walk["controls"] if not c["enhancement"])
    enh = sum(1 for c in walk["controls"] if c["enhancement"])
    return len(walk["groups"]), top, enh


def statement_prose(control):
    """The prose of a control's statement part and its sub-parts, as one raw string."""
    out = []

    def parts(items, inside):
        for p in items:
            here = inside or p.get("name") == "statement"
            if here and "prose" in p:
                out.append(p["prose"])
            parts(p.get("parts", []), here)

    parts(control["node"].get("parts", []), False)
    return "\n".join(out)


class CatalogCase(ServerCase):
    """Helpers shared by the catalog tests."""

    @classmethod
    def import_api(cls, email, raw, query=""):
        return cls.client(email).request("POST", "/api/v1/catalogs" + query, raw=raw)

    @classmethod
    def import_cli(cls, path, *extra):
        """`rabta import oscal` on the class's database; returns (id, groups, controls, enh)."""
        out = cli_ok("import", "oscal", "--db", cls.db, path, *extra)
        m = IMPORT_LINE.match(out)
        if not m:
            raise AssertionError("unexpected output of rabta import oscal: %r" % out)
        return m.group(1), int(m.group(2)), int(m.group(3)), int(m.group(4))

    def catalog_snapshot(self):
        return db_snapshot(self.db, CATALOG_TABLES)

    def assertNothingStored(self, before, what=""):
        self.assertEqual(self.catalog_snapshot(), before, "something was stored " + what)

    def all_controls(self, client, catalog_id, query=""):
        items, _ = client.list_all("/api/v1/catalogs/%s/controls%s" % (catalog_id, query),
                                   limit=500)
        return items

    def assertImportedLike(self, client, catalog_id, walk):
        """The stored catalog has exactly the file's groups and controls, in document order."""
        r = client.get("/api/v1/catalogs/" + catalog_id)
        self.assertEqual(r.status, 200, r)
        g, c, e = counts(walk)
        cat = r.json["catalog"]
        self.assertEqual(set(cat), CATALOG_KEYS)
        self.assertEqual((cat["groups"], cat["controls"], cat["enhancements"]), (g, c, e))
        self.assertEqual(
            [(x["id"], x["title"], x["depth"], x["parent_id"]) for x in r.json["groups"]],
            [(x["id"], x["title"], x["depth"], x["parent"]) for x in walk["groups"]])
        # Each top-level group counts every control (and enhancement) below it.
        for grp in r.json["groups"]:
            if grp["depth"] == 0:
                self.assertEqual(grp["controls"],
                                 sum(1 for k in walk["controls"] if k["domain"] == grp["id"]),
                                 grp["id"])
        items = self.all_controls(client, catalog_id)
        self.assertEqual([(x["id"], x["title"], x["enhancement"], x["domain_id"]) for x in items],
                         [(k["id"], k["title"], k["enhancement"], k["domain"])
                          for k in walk["controls"]])
        for x in items:
            self.assertEqual(set(x), CONTROL_KEYS)
        return items


class TestCatalogImport(CatalogCase):
    """Importing the real files, through the API and the CLI."""

    def test_nist_moderate_through_the_api(self):
        need_data(self, MODERATE)
        walk = load_catalog(MODERATE)
        g, c, e = counts(walk)
        self.assertEqual((g, c, e), (18, 177, 110), "the file changed? (the brief says 18/177/110)")
        before = self.catalog_snapshot()
        r = self.import_api(demo_email("analyst", "ncert"), read_bytes(MODERATE))
        self.assertEqual(r.status, 201, r)
        cat = r.json
        self.assertEqual(set(cat), CATALOG_KEYS)
        self.assertRegex(cat["id"], UUID_RE)
        self.assertRegex(cat["created_at"], RFC3339_RE)
        with open(MODERATE) as f:
            doc = json.load(f)["catalog"]
        self.assertEqual(cat["oscal_uuid"], doc["uuid"])
        self.assertEqual(cat["title"], doc["metadata"]["title"])
        self.assertEqual(cat["version"], doc["metadata"]["version"])
        self.assertEqual(cat["tlp"], "GREEN")
        self.assertEqual(cat["owner_org"], self.org_of("ncert"))
        self.assertEqual((cat["groups"], cat["controls"], cat["enhancements"]), (g, c, e))
        after = self.catalog_snapshot()
        self.assertEqual(after["catalogs"], before["catalogs"] + 1)
        self.assertEqual(after["catalog_groups"], before["catalog_groups"] + g)
        self.assertEqual(after["controls"], before["controls"] + c + e)
        self.assertEqual(after["audit_log"], before["audit_log"] + 1)
        # Any signed-in user reads it (GREEN), as the file has it.
        self.assertImportedLike(self.demo_client("reporter", "sd-health"), cat["id"], walk)
        # It is listed, and the import is audited.
        listed = [x["id"] for x in self.demo_client("reporter", "kp-health").list_all(
            "/api/v1/catalogs", limit=500)[0]]
        self.assertIn(cat["id"], listed)
        e0 = self.demo_client("admin", "ncert").get("/api/v1/audit?limit=20").json["items"]
        self.assertIn(("catalog.import", "catalog", cat["id"]),
                      [(x["action"], x["object_kind"], x["object_id"]) for x in e0])

    def test_nist_moderate_through_the_cli(self):
        need_data(self, MODERATE)
        walk = load_catalog(MODERATE)
        cid, g, c, e = self.import_cli(MODERATE)
        self.assertEqual((g, c, e), counts(walk))
        self.assertImportedLike(self.demo_client("analyst", "punjab-cert"), cid, walk)
        # --json gives the same numbers.
        out = json.loads(cli_ok("import", "oscal", "--db", self.db, MODERATE, "--json"))
        self.assertEqual(set(out), {"id", "groups", "controls", "enhancements"})
        self.assertEqual((out["groups"], out["controls"], out["enhancements"]), counts(walk))
        self.assertNotEqual(out["id"], cid, "importing again makes a second catalog")
        # `catalog list --json` shows both.
        ids = [x["id"] for x in json.loads(cli_ok("catalog", "list", "--db", self.db, "--json"))]
        self.assertIn(cid, ids)
        self.assertIn(out["id"], ids)

    def test_basic_catalog_api_and_cli(self):
        need_data(self, BASIC)
        walk = load_catalog(BASIC)
        self.assertEqual(counts(walk), (4, 4, 0))
        self.assertTrue(any(gr["depth"] > 0 for gr in walk["groups"]), "nested groups expected")
        r = self.import_api(demo_email("admin", "sindh-cert"), read_bytes(BASIC))
        self.assertEqual(r.status, 201, r)
        self.assertEqual((r.json["groups"], r.json["controls"], r.json["enhancements"]),
                         counts(walk))
        self.assertEqual(r.json["owner_org"], self.org_of("sindh-cert"))
        self.assertImportedLike(self.demo_client("reporter", "pb-health"), r.json["id"],
                                walk)
        cid, g, c, e = self.import_cli(BASIC)
        self.assertEqual((g, c, e), counts(walk))
        self.assertImportedLike(self.demo_client("reporter", "pb-health"), cid, walk)

    def test_national_baseline_13_domains_64_controls_7_enhancements(self):
        walk = load_catalog(NATIONAL)
        self.assertEqual(counts(walk), (13, 64, 7))
        cid, g, c, e = self.import_cli(NATIONAL)
        self.assertEqual((g, c, e), (13, 64, 7))
        items = self.assertImportedLike(self.demo_client("reporter", "kp-health"), cid, walk)
        # Weights, CSF functions, labels and the CII-only flag come from the props.
        by_id = {k["id"]: k for k in walk["controls"]}
        for x in items:
            k = by_id[x["id"]]
            self.assertEqual(x["weight"], k["weight"], x["id"])
            self.assertEqual(x["csf_function"], k["props"].get("csf-function"), x["id"])
            self.assertEqual(x["label"], k["props"].get("label"), x["id"])
            self.assertIs(x["cii_only"], k["props"].get("applies-to") == "cii", x["id"])
        self.assertEqual({x["weight"] for x in items}, {1, 2, 3})
        r = self.import_api(demo_email("analyst", "ncert"), read_bytes(NATIONAL))
        self.assertEqual(r.status, 201, r)
        self.assertEqual((r.json["groups"], r.json["controls"], r.json["enhancements"]),
                         (13, 64, 7))


class TestCatalogReading(CatalogCase):
    """Prose, search, domain filter and export, on catalogs imported once for the class."""

    @classmethod
    def prepare_db(cls):
        cls.national_id = cls.import_cli(NATIONAL)[0]
        cls.national = load_catalog(NATIONAL)
        cls.moderate_id = cls.import_cli(MODERATE)[0] if os.path.isfile(MODERATE) else None

    def test_nist_prose_has_assignments_and_selections_resolved(self):
        need_data(self, MODERATE)
        c = self.demo_client("reporter", "pb-health")
        r = c.get("/api/v1/catalogs/%s/controls/ac-1" % self.moderate_id)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(set(r.json), CONTROL_KEYS | {"guidance", "objectives"})
        st = r.json["statement"]
        self.assertEqual(r.json["title"], "Policy and Procedures")
        self.assertEqual(r.json["domain_id"], "ac")
        self.assertNotIn("{{", st)
        self.assertTrue("[Assignment:" in st or "[Selection" in st, st)
        self.assertIsInstance(r.json["guidance"], str)
        self.assertGreater(len(r.json["guidance"]), 100)
        # No control of the catalog leaves an insert unresolved.
        for x in self.all_controls(c, self.moderate_id):
            self.assertNotIn("{{", x["statement"] or "", x["id"])
        # An enhancement.
        r = c.get("/api/v1/catalogs/%s/controls/ac-2.1" % self.moderate_id)
        self.assertEqual(r.status, 200, r)
        self.assertIs(r.json["enhancement"], True)
        self.assertEqual(r.json["domain_id"], "ac")

    def test_national_prose_shows_the_set_values(self):
        c = self.demo_client("reporter", "sd-health")
        by_id = {k["id"]: k for k in self.national["controls"]}
        vpm2 = by_id["vpm-2"]
        values = {p["id"]: p["values"][0] for p in vpm2["params"]}
        self.assertIn("14 days", values.values(), "the file's vpm-2 parameter changed?")
        r = c.get("/api/v1/catalogs/%s/controls/vpm-2" % self.national_id)
        self.assertEqual(r.status, 200, r)
        st = r.json["statement"]
        self.assertNotIn("{{", st)
        for pid, v in values.items():
            self.assertIn(v, st, pid)
        self.assertIn("within 14 days", st)
        # Every inserted parameter of every control shows its value in the statement.
        items = {x["id"]: x for x in self.all_controls(c, self.national_id)}
        checked = 0
        for k in self.national["controls"]:
            vals = {p["id"]: p.get("values", [None])[0] for p in k["params"]}
            st = items[k["id"]]["statement"]
            self.assertNotIn("{{", st, k["id"])
            for pid in INSERT_RE.findall(statement_prose(k)):
                if vals.get(pid):
                    self.assertIn(vals[pid], st, "%s %s" % (k["id"], pid))
                    checked += 1
        self.assertGreater(checked, 10)

    def test_params_show_the_value_else_the_label_else_the_choices(self):
        doc = small_catalog(**{
            "catalog/groups/0/controls/0/params": [
                {"id": "g1-1_prm_1", "label": "review period", "values": ["90 days"]},
                {"id": "g1-1_prm_2", "label": "people to tell"},
                {"id": "g1-1_prm_3", "select": {"how-many": "one-or-more",
                                                "choice": ["e-mail", "phone"]}}],
            "catalog/groups/0/controls/0/parts/0/prose":
                "Review every {{ insert: param, g1-1_prm_1 }}, tell "
                "{{ insert: param, g1-1_prm_2 }} by {{insert: param, g1-1_prm_3}}."})
        c = self.demo_client("analyst", "ncert")
        r = c.request("POST", "/api/v1/catalogs", raw=json.dumps(doc))
        self.assertEqual(r.status, 201, r)
        st = c.get("/api/v1/catalogs/%s/controls/g1-1" % r.json["id"]).json["statement"]
        self.assertNotIn("{{", st)
        self.assertIn("Review every 90 days, tell ", st)
        self.assertIn("people to tell", st)
        self.assertIn("[Assignment:", st)
        self.assertIn("e-mail", st)
        self.assertIn("phone", st)
        self.assertIn("[Selection", st)

    def test_search_finds_matching_controls(self):
        c = self.demo_client("analyst", "kp-cert")
        for q in ("backup", "Phishing", "VPM-2"):
            with self.subTest(q=q):
                items = self.all_controls(c, self.national_id, "?q=" + q)
                self.assertGreater(len(items), 0)
                ql = q.lower()
                for x in items:
                    hay = " ".join(filter(None, (x["id"], x["label"], x["title"], x["statement"])))
                    self.assertIn(ql, hay.lower(), x["id"])
                # Every control whose id or title holds the text is found, in document order.
                ids = [x["id"] for x in items]
                want = [k["id"] for k in self.national["controls"]
                        if ql in k["id"].lower() or ql in k["title"].lower()
                        or ql in (k["props"].get("label") or "").lower()]
                self.assertTrue(set(want) <= set(ids), (want, ids))
                order = [k["id"] for k in self.national["controls"]]
                self.assertEqual(ids, sorted(ids, key=order.index))
        self.assertEqual([x["id"] for x in self.all_controls(c, self.national_id, "?q=immutable")],
                         ["br-2.1"])
        self.assertEqual(self.all_controls(c, self.national_id, "?q=zzzz-no-such-words"), [])

    def test_domain_filter(self):
        c = self.demo_client("reporter", "gb-health")
        for dom in ("iam", "br", "cii"):
            with self.subTest(domain=dom):
                want = [k["id"] for k in self.national["controls"] if k["domain"] == dom]
                got = self.all_controls(c, self.national_id, "?domain=" + dom)
                self.assertEqual([x["id"] for x in got], want)
                self.assertTrue(all(x["domain_id"] == dom for x in got))
        # Paging through a domain gives the same list.
        want = [k["id"] for k in self.national["controls"] if k["domain"] == "iam"]
        items, pages = c.list_all("/api/v1/catalogs/%s/controls?domain=iam" % self.national_id,
                                  limit=3)
        self.assertEqual([x["id"] for x in items], want)
        self.assertEqual([len(p) for p in pages], [3, 3, 2])
        # Search and domain together.
        got = self.all_controls(c, self.national_id, "?domain=iam&q=admin")
        self.assertTrue(got)
        self.assertTrue(all(x["domain_id"] == "iam" for x in got))
        self.assertEqual(self.all_controls(c, self.national_id, "?domain=nope"), [])

    def test_unknown_things_are_not_found(self):
        c = self.demo_client("reporter", "pb-health")
        for path in ("/api/v1/catalogs/%s/controls/zz-99" % self.national_id,
                     "/api/v1/catalogs/00000000-0000-4000-8000-000000000000",
                     "/api/v1/catalogs/not-a-uuid/controls",
                     "/api/v1/catalogs/00000000-0000-4000-8000-000000000000/oscal"):
            with self.subTest(path=path):
                self.assertError(c.get(path), 404, "not_found")
        for query in ("?cursor=abc", "?limit=0", "?limit=501"):
            with self.subTest(query=query):
                self.assertError(c.get("/api/v1/catalogs/%s/controls%s" % (self.national_id,
                                                                           query)),
                                 422, "invalid_field", query[1:query.index("=")])
        self.assertError(Client(self.port).get("/api/v1/catalogs"), 401, "unauthenticated")
        self.assertError(Client(self.port).get("/api/v1/catalogs/" + self.national_id), 401,
                         "unauthenticated")

    def check_export_roundtrip(self, catalog_id, walk):
        c = self.demo_client("analyst", "ncert")
        r = c.get("/api/v1/catalogs/%s/oscal" % catalog_id)
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.header("Content-Type").startswith("application/json"))
        exported = json.loads(r.body)
        self.assertEqual(set(exported), {"catalog"})
        ew = walk_catalog(exported)
        # The export itself holds the same groups and controls, in the same order.
        self.assertEqual([(k["id"], k["title"]) for k in ew["controls"]],
                         [(k["id"], k["title"]) for k in walk["controls"]])
        self.assertEqual([(x["id"], x["title"], x["depth"]) for x in ew["groups"]],
                         [(x["id"], x["title"], x["depth"]) for x in walk["groups"]])
        # Re-importing the export gives the same catalog.
        r2 = self.import_api(demo_email("analyst", "ncert"), r.body)
        self.assertEqual(r2.status, 201, r2)
        self.assertEqual((r2.json["groups"], r2.json["controls"], r2.json["enhancements"]),
                         counts(walk))
        orig = self.all_controls(c, catalog_id)
        again = self.all_controls(c, r2.json["id"])
        self.assertEqual([(x["id"], x["title"]) for x in again],
                         [(x["id"], x["title"]) for x in orig])
        for a, b in zip(orig, again):
            self.assertEqual(dict(a), dict(b), a["id"])

    def test_export_and_reimport_national(self):
        self.check_export_roundtrip(self.national_id, self.national)

    def test_export_and_reimport_nist_moderate(self):
        need_data(self, MODERATE)
        self.check_export_roundtrip(self.moderate_id, load_catalog(MODERATE))

    def test_cli_export(self):
        out = cli_ok("catalog", "export", "--db", self.db, self.national_id)
        ew = walk_catalog(json.loads(out))
        self.assertEqual([k["id"] for k in ew["controls"]],
                         [k["id"] for k in self.national["controls"]])
        p = run_cli("catalog", "export", "--db", self.db, "00000000-0000-4000-8000-000000000000")
        self.assertEqual(p.returncode, 1)
        self.assertEqual(p.stdout, "")
        self.assertIn("no catalog", p.stderr)


def small_catalog(**change):
    """A small valid OSCAL catalog (two groups, three controls, one enhancement)."""
    doc = {"catalog": {
        "uuid": "0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9",
        "metadata": {"title": "Small test catalog", "version": "1", "oscal-version": "1.1.2",
                     "last-modified": "2026-01-01T00:00:00Z"},
        "groups": [
            {"id": "g1", "title": "First", "controls": [
                {"id": "g1-1", "title": "One", "parts": [
                    {"id": "g1-1_smt", "name": "statement", "prose": "Do one thing."}]},
                {"id": "g1-2", "title": "Two", "controls": [
                    {"id": "g1-2.1", "title": "Two point one"}]}]},
            {"id": "g2", "title": "Second", "controls": [{"id": "g2-1", "title": "Three"}]}]}}
    for path, value in change.items():
        node = doc
        keys = path.split("/")
        for k in keys[:-1]:
            node = node[int(k)] if k.isdigit() else node[k]
        last = keys[-1]
        if value is DELETE:
            if last.isdigit():
                del node[int(last)]
            else:
                del node[last]
        elif last.isdigit():
            node[int(last)] = value
        else:
            node[last] = value
    return doc


DELETE = object()


class TestCatalogRefusals(CatalogCase):
    """Malformed documents, callers who may not import, oversize bodies: refused, nothing stored."""

    def refuse(self, raw, status, code, field, email=None, query="", msg_has=None):
        client = self.client(email or demo_email("analyst", "ncert"))  # its token first
        before = self.catalog_snapshot()
        r = client.request("POST", "/api/v1/catalogs" + query, raw=raw)
        err = self.assertError(r, status, code, field, msg_has)
        self.assertNothingStored(before)
        return err

    def test_the_small_catalog_itself_is_valid(self):
        r = self.import_api(demo_email("analyst", "ncert"), json.dumps(small_catalog()))
        self.assertEqual(r.status, 201, r)
        self.assertEqual((r.json["groups"], r.json["controls"], r.json["enhancements"]), (2, 3, 1))

    def test_malformed_catalogs_name_the_json_path(self):
        cases = [
            ("control without id", small_catalog(**{"catalog/groups/0/controls/1/id": DELETE}),
             "catalog.groups[0].controls[1].id"),
            ("enhancement without id",
             small_catalog(**{"catalog/groups/0/controls/1/controls/0/id": DELETE}),
             "catalog.groups[0].controls[1].controls[0].id"),
            ("control title a number", small_catalog(**{"catalog/groups/1/controls/0/title": 5}),
             "catalog.groups[1].controls[0].title"),
            ("groups an object", small_catalog(**{"catalog/groups": {"id": "g"}}),
             "catalog.groups"),
            ("catalog missing", {"profile": small_catalog()["catalog"]}, "catalog"),
            ("catalog an array", {"catalog": []}, "catalog"),
            ("uuid missing", small_catalog(**{"catalog/uuid": DELETE}), "catalog.uuid"),
            ("duplicate control id", small_catalog(**{"catalog/groups/1/controls/0/id": "g1-1"}),
             "catalog.groups[1].controls[0].id"),
            ("duplicate group id", small_catalog(**{"catalog/groups/1/id": "g1"}),
             "catalog.groups[1].id"),
            ("title missing", small_catalog(**{"catalog/metadata/title": DELETE}),
             "catalog.metadata.title"),
        ]
        for name, doc, field in cases:
            with self.subTest(case=name):
                err = self.refuse(json.dumps(doc), 422, "invalid_catalog", field)
                self.assertIn(field, err["message"])

    def test_not_json_and_not_an_object(self):
        err = self.refuse(b"this is not JSON", 422, "invalid_catalog", None)
        self.assertIn("JSON", err["message"])
        self.refuse(b"[1, 2]", 422, "invalid_catalog", "catalog")
        self.refuse(b'{"catalog": {"uuid": "0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9",', 422,
                    "invalid_catalog", None)
        self.refuse(b"", 400, "malformed_json", None)

    def test_bad_tlp(self):
        raw = json.dumps(small_catalog())
        self.refuse(raw, 422, "invalid_field", "tlp", query="?tlp=PURPLE")
        for bad in ("RED", "AMBER+STRICT"):
            with self.subTest(tlp=bad):
                self.refuse(raw, 422, "invalid_field", "tlp", query="?tlp=" + bad)

    def test_only_json_bodies(self):
        raw = json.dumps(small_catalog())
        for ctype in ("text/plain", "application/xml", "multipart/form-data; boundary=x"):
            with self.subTest(content_type=ctype):
                client = self.demo_client("analyst", "ncert")
                before = self.catalog_snapshot()
                r = client.request("POST", "/api/v1/catalogs", raw=raw,
                                   headers={"Content-Type": ctype})
                self.assertError(r, 415, "unsupported_media_type", None)
                self.assertNothingStored(before)
        # Without a Content-Type the body is taken as JSON.
        r = self.demo_client("analyst", "ncert").request(
            "POST", "/api/v1/catalogs", raw=raw, headers={"Content-Type": None})
        self.assertEqual(r.status, 201, r)

    def test_who_may_import(self):
        raw = json.dumps(small_catalog())
        for email in (demo_email("reporter", "punjab-cert"), demo_email("analyst", "pb-health"),
                      demo_email("admin", "pb-health"), demo_email("auditor", "ncert")):
            with self.subTest(email=email):
                self.refuse(raw, 403, "forbidden", None, email=email)
        before = self.catalog_snapshot()
        r = Client(self.port).request("POST", "/api/v1/catalogs", raw=raw)
        self.assertError(r, 401, "unauthenticated")
        # A large upload without credentials is refused the same way.
        big = b'{"catalog":' + b" " * (2 << 20) + raw[len('{"catalog":'):].encode()
        r = Client(self.port).request("POST", "/api/v1/catalogs", raw=big)
        self.assertError(r, 401, "unauthenticated")
        self.assertNothingStored(before)
        # Signed in but not a CERT analyst: a large upload is still only refused (403).
        self.refuse(big, 403, "forbidden", None, email=demo_email("reporter", "punjab-cert"))

    def test_33_mib_body_is_too_large(self):
        pad = b" " * (33 * 1024 * 1024)
        raw = b'{"catalog":' + pad + json.dumps(small_catalog()["catalog"]).encode() + b"}"
        self.refuse(raw, 413, "too_large", None)

    def test_cli_refuses_with_the_path_and_stores_nothing(self):
        path = os.path.join(self.tmp, "bad-catalog.json")
        with open(path, "w") as f:
            json.dump(small_catalog(**{"catalog/groups/0/controls/1/id": DELETE}), f)
        before = self.catalog_snapshot()
        p = run_cli("import", "oscal", "--db", self.db, path)
        self.assertEqual(p.returncode, 1, p)
        self.assertEqual(p.stdout, "")
        self.assertIn("catalog.groups[0].controls[1].id", p.stderr)
        self.assertNothingStored(before)


class TestCatalogSharing(CatalogCase):
    """GREEN catalogs reach everyone; an AMBER catalog only the importing CERT's subtree."""

    @classmethod
    def prepare(cls):
        raw = json.dumps(small_catalog())
        r = cls.import_api(demo_email("analyst", "ncert"), raw)
        assert r.status == 201, r
        cls.green = r.json["id"]
        r = cls.import_api(demo_email("analyst", "punjab-cert"), raw, "?tlp=AMBER")
        assert r.status == 201, r
        cls.amber = r.json["id"]

    def listed(self, email):
        return {x["id"] for x in self.client(email).list_all("/api/v1/catalogs", limit=500)[0]}

    def readable_paths(self, cid):
        return ["/api/v1/catalogs/" + cid, "/api/v1/catalogs/%s/controls" % cid,
                "/api/v1/catalogs/%s/controls/g1-1" % cid, "/api/v1/catalogs/%s/oscal" % cid]

    def test_green_is_read_by_any_signed_in_user(self):
        for email in (demo_email("reporter", "pb-health"), demo_email("reporter", "sd-health"),
                      demo_email("analyst", "telecom-cert"), demo_email("auditor", "ncert"),
                      demo_email("admin", "khyber-mobile")):
            with self.subTest(email=email):
                for path in self.readable_paths(self.green):
                    self.assertEqual(self.client(email).get(path).status, 200, path)
                self.assertIn(self.green, self.listed(email))

    def test_amber_reaches_the_importing_certs_subtree_only(self):
        r = self.demo_client("analyst", "punjab-cert").get("/api/v1/catalogs/" + self.amber)
        self.assertEqual(r.json["catalog"]["tlp"], "AMBER")
        self.assertEqual(r.json["catalog"]["owner_org"], self.org_of("punjab-cert"))
        for email in (demo_email("analyst", "punjab-cert"), demo_email("reporter", "pb-health"),
                      demo_email("reporter", "pb-power")):
            with self.subTest(reader=email):
                for path in self.readable_paths(self.amber):
                    self.assertEqual(self.client(email).get(path).status, 200, path)
                self.assertIn(self.amber, self.listed(email))
        # A Sindh institution, Sindh's CERT and the National CERT (rank gives nothing) see nothing.
        for email in (demo_email("reporter", "sd-health"), demo_email("analyst", "sindh-cert"),
                      demo_email("analyst", "ncert"), demo_email("admin", "ncert"),
                      demo_email("auditor", "ncert")):
            with self.subTest(outsider=email):
                for path in self.readable_paths(self.amber):
                    self.assertError(self.client(email).get(path), 404, "not_found")
                self.assertNotIn(self.amber, self.listed(email))


if __name__ == "__main__":
    unittest.main()
