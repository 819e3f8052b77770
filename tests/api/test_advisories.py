"""Advisories: the National CERT writes one and publishes it down the hierarchy, every org that
may read it gets a record and moves it, each CERT sees its constituency's records and counts, a
material revision reopens acknowledgement, relaying an AMBER advisory, AMBER+STRICT to named orgs,
CSAF import and export, and bad input refused with nothing written.

Black-box against `rabta serve` on a copy of the demo database.
"""

import copy
import json
import os
import unittest

import functools
import hashlib
import http.server
import shutil
import threading
import urllib.request

import time

import subprocess

from harness import (REPO, Server, ServerCase, Client, signing_args, signing_key, cli_ok, db_query, db_scalar, make_fresh_db,
                     run_cli, scratch_dir)

SHARED = os.environ.get("RABTA_DATA_DIR") or os.path.join(REPO, "..", "shared", "data")
CISA_IT = os.path.join(SHARED, "csaf", "cisa", "IT", "white")
PROVIDER_SCHEMA = os.path.join(SHARED, "csaf", "json_schema", "provider_json_schema.json")

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURE = os.path.join(HERE, "fixtures", "csaf", "rabta-test-2026-0001.json")

VPN = {
    "title": "Actively exploited flaw in Example VPN Gateway",
    "summary": "Unauthenticated attackers read files on Example VPN Gateway before 9.4.2. Patch "
               "now.",
    "products": [{"vendor": "Example Networks", "product": "Example VPN Gateway",
                  "version_range": "vers:generic/<9.4.2",
                  "cpe": "cpe:2.3:a:example:vpn_gateway:*:*:*:*:*:*:*:*"}],
    "vulnerabilities": [{"cve": "CVE-2026-40001", "title": "Path traversal in the web portal",
                         "cvss_vector": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N",
                         "cwe_id": "CWE-22",
                         "cwe_name": "Improper Limitation of a Pathname to a Restricted "
                                     "Directory ('Path Traversal')"}],
    "remediations": [{"category": "vendor_fix", "details": "Update to 9.4.2 or later.",
                      "url": "https://example.net/psirt/EXN-2026-0001"}],
    "references": [{"url": "https://example.net/psirt/EXN-2026-0001",
                    "summary": "Vendor notice"}],
    "severity": "critical",
}


def advisory(**over):
    body = copy.deepcopy(VPN)
    body.update(over)
    return body


class AdvisoryCase(ServerCase):

    def write(self, body=None, slug="ncert", role="analyst"):
        r = self.demo_client(role, slug).post("/api/v1/advisories", body or advisory())
        self.assertEqual(r.status, 201, r)
        return r.json

    def publish(self, aid, slug="ncert", **body):
        body.setdefault("scope", "subtree")
        r = self.demo_client("analyst", slug).post("/api/v1/advisories/%s/publish" % aid, body)
        self.assertEqual(r.status, 200, r)
        return r.json

    def records(self, aid):
        return {row[0]: row[1] for row in db_query(
            self.db, "SELECT g.name, k.status FROM advisory_acks k JOIN orgs g ON g.id = "
                     "k.org_id WHERE k.advisory_id = ?", (aid,))}

    def acks(self, slug, aid, query="", role="analyst"):
        r = self.demo_client(role, slug).get("/api/v1/advisories/%s/acks%s" % (aid, query))
        self.assertEqual(r.status, 200, r)
        return r.json["items"]

    def move(self, slug, aid, status, note=None, role="reporter", expect=200):
        body = {"status": status}
        if note:
            body["note"] = note
        r = self.demo_client(role, slug).post("/api/v1/advisories/%s/acks" % aid, body)
        self.assertEqual(r.status, expect, r)
        return r


class TestPublishAndAcknowledge(AdvisoryCase):

    def test_published_to_the_national_subtree_every_org_has_a_record(self):
        a = self.write()
        aid = a["id"]
        self.assertEqual((a["status"], a["tlp"], a["severity"], a["source"], a["version"]),
                         ("draft", "AMBER", "critical", "authored", "1"))
        self.assertRegex(a["tracking_id"], r"^[A-Z0-9]+-\d{4}-\d{4}$")
        # A draft is the owner's alone.
        self.assertEqual(self.demo_client("analyst", "punjab-cert")
                         .get("/api/v1/advisories/" + aid).status, 404)
        self.assertEqual(self.records(aid), {})
        p = self.publish(aid)
        self.assertEqual(p["status"], "published")
        orgs = db_scalar(self.db, "SELECT count(*) FROM orgs")
        recs = self.records(aid)
        self.assertEqual(len(recs), orgs - 1)  # everyone but the National CERT itself
        self.assertNotIn("National CERT", recs)
        self.assertEqual(set(recs.values()), {"delivered"})
        # Each recipient sees it, with its own record, and an inbox item to act on.
        r = self.demo_client("reporter", "pb-health").get("/api/v1/advisories/" + aid)
        self.assertEqual(r.status, 200, r)
        mine = r.json["my_record"]
        self.assertEqual(mine["status"], "delivered")
        self.assertEqual(set(mine["next"]), {"acknowledged", "not_affected", "affected"})
        inbox = self.demo_client("reporter", "pb-health").get("/api/v1/inbox?limit=200").json
        self.assertIn(("acknowledge", aid),
                      {(i["kind"], i["object_id"]) for i in inbox["items"]})
        # Publishing twice is refused.
        r = self.demo_client("analyst", "ncert").post("/api/v1/advisories/%s/publish" % aid,
                                                       {"scope": "subtree"})
        self.assertError(r, 409, "conflict")

    def test_an_institution_acknowledges_then_mitigates(self):
        aid = self.write()["id"]
        self.publish(aid)
        self.move("pb-health", aid, "acknowledged", "read by the IT head")
        r = self.move("pb-health", aid, "mitigated", role="reporter", expect=409)
        self.assertIn("not_affected, affected", r.error["message"])
        self.move("pb-health", aid, "affected", "two gateways run 9.3")
        self.move("pb-health", aid, "mitigating")
        r = self.move("pb-health", aid, "mitigated", "updated to 9.4.2")
        self.assertEqual(r.json["my_record"]["status"], "mitigated")
        row = db_query(self.db, "SELECT k.status, k.note, k.acknowledged_at IS NOT NULL, "
                                "k.resolved_at IS NOT NULL FROM advisory_acks k JOIN orgs g ON "
                                "g.id = k.org_id WHERE k.advisory_id = ? AND g.name = ?",
                       (aid, "Punjab Health Services Directorate"))[0]
        self.assertEqual(tuple(row), ("mitigated", "updated to 9.4.2", 1, 1))
        # A viewer-less org of another tier may not move Punjab's record: its own only.
        self.assertEqual(self.records(aid)["Sindh Health Information Unit"], "delivered")
        # The audit trail has each move.
        n = db_scalar(self.db, "SELECT count(*) FROM audit_log WHERE object_id = ? AND action "
                               "IN ('advisory.acknowledge', 'advisory.affected', "
                               "'advisory.mitigating', 'advisory.mitigated')", (aid,))
        self.assertEqual(n, 4)

    def test_the_sindh_cert_sees_only_sindh_records_and_counts(self):
        aid = self.write()["id"]
        self.publish(aid)
        self.move("sd-health", aid, "affected")
        self.move("pb-health", aid, "not_affected")
        sd = self.acks("sindh-cert", aid)
        names = {x["org_name"] for x in sd}
        self.assertIn("Sindh CERT", names)
        self.assertIn("Sindh Health Information Unit", names)
        self.assertEqual({x["province"] for x in sd}, {"sindh"})
        self.assertEqual(len(sd), 6)
        stats = self.demo_client("analyst", "sindh-cert").get(
            "/api/v1/advisories/%s/acks/stats" % aid).json
        self.assertEqual(stats["total"], 6)
        self.assertEqual(stats["by_status"]["affected"], 1)
        self.assertEqual(stats["by_status"]["not_affected"], 0)
        self.assertEqual([p["key"] for p in stats["provinces"]], ["sindh"])
        # The National CERT (the owner) sees all, by province.
        nat = self.demo_client("analyst", "ncert").get(
            "/api/v1/advisories/%s/acks/stats" % aid).json
        self.assertEqual(nat["total"], len(self.records(aid)))
        by = {p["key"]: p for p in nat["provinces"]}
        self.assertEqual(by["punjab"]["by_status"]["not_affected"], 1)
        self.assertEqual(by["sindh"]["by_status"]["affected"], 1)
        # An institution sees its own record only.
        own = self.acks("pb-health", aid, role="reporter")
        self.assertEqual([x["org_name"] for x in own], ["Punjab Health Services Directorate"])

    def test_a_material_revision_reopens_acknowledgement(self):
        aid = self.write()["id"]
        self.publish(aid)
        self.move("pb-health", aid, "not_affected")
        r = self.demo_client("analyst", "ncert").patch("/api/v1/advisories/" + aid, {
            "summary": "Also affects 9.4.2: update to 9.4.3.",
            "products": [{"vendor": "Example Networks", "product": "Example VPN Gateway",
                          "version_range": "vers:generic/<9.4.3"}],
            "revision_summary": "9.4.2 is affected too.", "material": True})
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json["version"], r.json["revision"]), ("2", 2))
        self.assertEqual(self.records(aid)["Punjab Health Services Directorate"], "delivered")
        revs = self.demo_client("analyst", "ncert").get(
            "/api/v1/advisories/%s/revisions" % aid).json["items"]
        self.assertEqual([(x["revision"], x["material"]) for x in revs], [(2, True), (1, False)])
        doc = self.demo_client("reporter", "pb-health").get(
            "/api/v1/advisories/%s/csaf" % aid).json
        hist = doc["document"]["tracking"]["revision_history"]
        self.assertEqual([h["number"] for h in hist], ["1", "2"])
        self.assertEqual(hist[1]["summary"], "9.4.2 is affected too.")
        self.assertEqual(doc["document"]["tracking"]["version"], "2")
        # The vulnerabilities were kept from revision 1.
        self.assertEqual(doc["vulnerabilities"][0]["cve"], "CVE-2026-40001")
        old = self.demo_client("reporter", "pb-health").get(
            "/api/v1/advisories/%s/csaf?revision=1" % aid).json
        self.assertEqual(old["document"]["tracking"]["version"], "1")
        # What rabta writes passes its own validator, optional tests included.
        for rev, body in (("2", doc), ("1", old)):
            path = os.path.join(self.tmp, "authored-%s.json" % rev)
            with open(path, "w", encoding="utf-8") as f:
                json.dump(body, f)
            p = run_cli("csaf", "validate", "--optional", path)
            self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
            self.assertIn("ok", p.stdout)
        self.assertEqual(doc["vulnerabilities"][0]["scores"][0]["cvss_v3"]["baseScore"], 7.5)


class TestSigned(AdvisoryCase):
    """With --csaf-signing-key, each provider file has an OpenPGP signature that gpg verifies with
    the public key the provider metadata names."""

    SERVE_ARGS = ("--threads", "4") + signing_args()

    def test_files_are_signed_and_the_key_is_published(self):
        if not signing_key():
            self.skipTest("gpg is absent (scripts/bootstrap installs gnupg)")
        home, fpr = signing_key()
        clear = self.write(advisory(title="Signed public advisory", tlp="CLEAR"))
        self.publish(clear["id"])
        anon = Client(self.port)
        meta = anon.get("/.well-known/csaf/provider-metadata.json").json
        keys = meta["public_openpgp_keys"]
        self.assertEqual([k["fingerprint"] for k in keys], [fpr.upper()])
        key_path = "/.well-known/csaf/openpgp/%s.asc" % fpr.upper()
        self.assertTrue(keys[0]["url"].endswith(key_path))
        key = anon.get(key_path)
        self.assertEqual(key.status, 200)
        self.assertIn(b"BEGIN PGP PUBLIC KEY BLOCK", key.body)
        path = "/.well-known/csaf/clear/%s/%s.json" % (clear["initial_release"][:4],
                                                        clear["tracking_id"].lower())
        doc, sig = anon.get(path), anon.get(path + ".asc")
        self.assertEqual((doc.status, sig.status), (200, 200))
        self.assertIn(b"BEGIN PGP SIGNATURE", sig.body)
        # A reader who has only the published key verifies the file.
        reader = os.path.join(self.tmp, "reader-gpg")
        os.makedirs(reader, mode=0o700)
        for name, data in (("key.asc", key.body), ("doc.json", doc.body), ("doc.json.asc",
                                                                          sig.body)):
            with open(os.path.join(self.tmp, name), "wb") as f:
                f.write(data)
        gpg = ["gpg", "--batch", "--homedir", reader]
        try:
            subprocess.run(gpg + ["--import", os.path.join(self.tmp, "key.asc")], check=True,
                           capture_output=True, timeout=60)
            ok = subprocess.run(gpg + ["--verify", os.path.join(self.tmp, "doc.json.asc"),
                                       os.path.join(self.tmp, "doc.json")],
                                capture_output=True, timeout=60)
            self.assertEqual(ok.returncode, 0, ok.stderr)
            with open(os.path.join(self.tmp, "doc.json"), "ab") as f:
                f.write(b" ")
            bad = subprocess.run(gpg + ["--verify", os.path.join(self.tmp, "doc.json.asc"),
                                        os.path.join(self.tmp, "doc.json")],
                                 capture_output=True, timeout=60)
            self.assertNotEqual(bad.returncode, 0)
        finally:
            subprocess.run(["gpgconf", "--homedir", reader, "--kill", "all"],
                           capture_output=True)
        # Another fingerprint's key is not found.
        self.assertEqual(anon.get("/.well-known/csaf/openpgp/%s.asc" % ("0" * 40)).status, 404)


class TestOverdue(AdvisoryCase):
    """The records' deadlines against a clock the test controls (rabta serve --clock-file): a
    critical advisory not acknowledged within 4 hours is overdue, and the org's inbox says so
    once, across restarts."""

    T0 = (int(time.time()) // 60) * 60 - 10 * 86400

    @classmethod
    def prepare_db(cls):
        cls.clock = os.path.join(cls.tmp, "clock")
        cls.set_clock(cls.T0)
        cls.SERVE_ARGS = ("--threads", "4", "--clock-file", cls.clock, "--tick-seconds", "3600")

    @classmethod
    def set_clock(cls, t):
        with open(cls.clock, "w") as f:
            f.write("%d\n" % int(t))

    def restart_at(self, t):
        cls = type(self)
        cls.server.stop_and_check()
        cls.server = None
        cls.set_clock(t)
        cls.server = Server(cls.db, cls.tmp, cls.SERVE_ARGS, name="at-%d" % t).start()
        cls.port = cls.server.port

    def overdue_items(self, slug, aid):
        r = self.demo_client("reporter", slug).get("/api/v1/inbox?limit=200")
        return [i for i in r.json["items"] if i["object_id"] == aid and i["kind"] == "overdue"]

    def test_unacknowledged_past_four_hours_is_overdue_once(self):
        aid = self.write()["id"]  # critical
        self.publish(aid)
        self.move("sd-health", aid, "acknowledged")
        self.move("kp-health", aid, "affected")
        self.assertFalse(self.demo_client("reporter", "pb-health")
                         .get("/api/v1/advisories/" + aid).json["my_record"]["overdue"])
        self.restart_at(self.T0 + 5 * 3600)
        mine = self.demo_client("reporter", "pb-health").get("/api/v1/advisories/" + aid).json
        self.assertTrue(mine["my_record"]["overdue"])
        self.assertEqual(len(self.overdue_items("pb-health", aid)), 1)
        self.assertEqual(self.overdue_items("sd-health", aid), [])  # acknowledged in time
        self.assertEqual(self.overdue_items("kp-health", aid), [])  # 7 days to mitigate
        overdue = {x["org_name"] for x in self.acks("punjab-cert", aid, "?overdue=1")}
        self.assertIn("Punjab Health Services Directorate", overdue)
        self.restart_at(self.T0 + 6 * 3600)
        self.assertEqual(len(self.overdue_items("pb-health", aid)), 1)  # still once
        # Past the 7 days to mitigate, the affected org is overdue too.
        self.restart_at(self.T0 + 8 * 86400)
        self.assertEqual(len(self.overdue_items("kp-health", aid)), 1)
        self.set_clock(int(time.time()))


class TestLikelyAffected(AdvisoryCase):

    def test_an_inventory_match_flags_exactly_the_orgs_that_run_the_product(self):
        items = {"pb-finance": ("Example Networks", "Example VPN Gateway", "9.3.1"),   # in range
                 "sd-revenue": ("Example Networks", "Example VPN Gateway", "9.4.2"),   # fixed
                 "kp-health": ("Example Networks", "Example Mail Relay", "1.0"),       # other
                 "bl-finance": ("EXAMPLE NETWORKS, INC.", "example vpn gateway", "")}  # no version
        for slug, (vendor, product, version) in items.items():
            body = {"vendor": vendor, "product": product}
            if version:
                body["version"] = version
            r = self.demo_client("reporter", slug).post(
                "/api/v1/orgs/%s/inventory" % self.org_of(slug), body)
            self.assertEqual(r.status, 201, r)
        aid = self.write()["id"]
        self.publish(aid)
        flagged = {row[0]: row[1] for row in db_query(
            self.db, "SELECT g.name, k.matched FROM advisory_acks k JOIN orgs g ON g.id = "
                     "k.org_id WHERE k.advisory_id = ? AND k.likely_affected = 1", (aid,))}
        self.assertEqual(set(flagged), {"Punjab Finance Department",
                                        "Balochistan Finance Department"})
        self.assertIn("9.3.1", flagged["Punjab Finance Department"])
        self.assertIn("version_unknown", flagged["Balochistan Finance Department"])
        # The org sees it on its own record, and its CERT sees it first in its list.
        mine = self.demo_client("reporter", "pb-finance").get("/api/v1/advisories/" + aid).json
        self.assertTrue(mine["my_record"]["likely_affected"])
        first = self.acks("punjab-cert", aid)[0]
        self.assertEqual((first["org_name"], first["likely_affected"]),
                         ("Punjab Finance Department", True))
        stats = self.demo_client("analyst", "ncert").get(
            "/api/v1/advisories/%s/acks/stats" % aid).json
        self.assertEqual((stats["likely_affected"], stats["likely_affected_not_acted"]), (2, 2))
        self.move("pb-finance", aid, "affected")
        stats = self.demo_client("analyst", "ncert").get(
            "/api/v1/advisories/%s/acks/stats" % aid).json
        self.assertEqual(stats["likely_affected_not_acted"], 1)


class TestScopes(AdvisoryCase):

    def test_amber_strict_goes_to_named_orgs_only(self):
        aid = self.write(advisory(tlp="AMBER+STRICT"))["id"]
        r = self.demo_client("analyst", "ncert").post("/api/v1/advisories/%s/publish" % aid,
                                                       {"scope": "subtree"})
        self.assertError(r, 422, "invalid_field", "scope")
        self.publish(aid, scope="orgs", org_ids=[self.org_of("punjab-cert"),
                                                 self.org_of("khi-port")])
        self.assertEqual(set(self.records(aid)), {"Punjab CERT", "Karachi Port Operations Office"})
        self.assertEqual(self.demo_client("reporter", "pb-health")
                         .get("/api/v1/advisories/" + aid).status, 404)
        doc = self.demo_client("analyst", "punjab-cert").get(
            "/api/v1/advisories/%s/csaf" % aid).json
        dist = doc["document"]["distribution"]
        self.assertEqual(dist["tlp"]["label"], "AMBER")
        self.assertIn("AMBER+STRICT", dist["text"])

    def test_a_provincial_cert_relays_an_amber_advisory_to_its_constituency(self):
        aid = self.write()["id"]
        self.publish(aid, scope="orgs", org_ids=[self.org_of("punjab-cert")])
        self.assertEqual(set(self.records(aid)), {"Punjab CERT"})
        r = self.demo_client("analyst", "punjab-cert").post(
            "/api/v1/advisories/%s/grants" % aid,
            {"org_id": self.org_of("punjab-cert"), "scope": "subtree"})
        self.assertIn(r.status, (200, 201), r)
        recs = self.records(aid)
        self.assertEqual(len(recs), 7)  # the Punjab CERT and its six institutions
        self.assertEqual(recs["Punjab Health Services Directorate"], "delivered")
        self.assertNotIn("Sindh CERT", recs)


class TestCsaf(AdvisoryCase):

    def import_doc(self, doc, expect=201, query=""):
        raw = doc if isinstance(doc, (bytes, str)) else json.dumps(doc)
        r = self.demo_client("analyst", "ncert").request(
            "POST", "/api/v1/advisories/import" + query, raw=raw,
            headers={"Content-Type": "application/json"})
        self.assertEqual(r.status, expect, r)
        return r

    def test_import_then_a_new_version_is_a_revision(self):
        with open(FIXTURE, encoding="utf-8") as f:
            doc = json.load(f)
        a = self.import_doc(doc).json
        self.assertEqual((a["tracking_id"], a["tlp"], a["severity"], a["source"], a["cves"]),
                         ("EXN-2026-0001", "CLEAR", "high", "imported", "CVE-2026-40001"))
        self.assertEqual(a["max_score"], 7.5)
        # The same version again is refused, and nothing is written.
        before = self.snapshot()
        r = self.import_doc(doc, expect=409)
        self.assertError(r, 409, "conflict")
        self.assertNothingWritten(before)
        doc["document"]["tracking"]["version"] = "2"
        doc["document"]["tracking"]["revision_history"].append(
            {"date": "2026-11-25T10:00:00.000Z", "number": "2", "summary": "Fix in 9.4.3."})
        doc["document"]["tracking"]["current_release_date"] = "2026-11-25T10:00:00.000Z"
        b = self.import_doc(doc, expect=200).json
        self.assertEqual((b["id"], b["version"], b["revision"]), (a["id"], "2", 2))
        # Served with its stored TLP's label; a ?tlp= import overrides the document's.
        out = self.demo_client("analyst", "ncert").get("/api/v1/advisories/%s/csaf" % a["id"])
        self.assertEqual(out.json["document"]["distribution"]["tlp"]["label"], "WHITE")
        doc["document"]["tracking"]["id"] = "EXN-2026-0002"
        c = self.import_doc(doc, query="?tlp=AMBER").json
        self.assertEqual(c["tlp"], "AMBER")

    def test_the_real_advisories_all_import_and_a_bad_one_is_named(self):
        ot = os.path.join(SHARED, "csaf", "cisa", "OT", "white", "2023")
        examples = os.path.join(SHARED, "csaf", "examples")
        if not os.path.isdir(ot) or not os.path.isdir(examples):
            self.skipTest("../shared/data/csaf is absent")
        other = os.path.join(self.tmp, "real.db")
        make_fresh_db(other)
        for folder, n in ((ot, 380), (examples, 19)):
            out = json.loads(cli_ok("import", "csaf", "--db", other, folder, "--json"))
            self.assertEqual((out["files"], out["imported"], out["refused"]), (n, n, 0), folder)
        # A folder with one broken file: the others are imported, the bad one is named with the
        # failed test, and the exit status says so.
        bad_dir = os.path.join(self.tmp, "mixed")
        os.makedirs(bad_dir)
        with open(FIXTURE, encoding="utf-8") as f:
            doc = json.load(f)
        doc["document"]["tracking"]["id"] = "EXN-2026-0099"
        with open(os.path.join(bad_dir, "good.json"), "w", encoding="utf-8") as f:
            json.dump(doc, f)
        doc["document"]["tracking"]["id"] = "EXN-2026-0098"
        doc["vulnerabilities"][0]["product_status"]["known_affected"] = ["CSAFPID-9999"]
        with open(os.path.join(bad_dir, "bad.json"), "w", encoding="utf-8") as f:
            json.dump(doc, f)
        p = run_cli("import", "csaf", "--db", other, bad_dir)
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
        self.assertIn("1 imported", p.stdout)
        self.assertIn("bad.json", p.stderr)
        self.assertIn("6.1.1", p.stderr)

    def test_search_by_cve_and_product(self):
        aid = self.write(advisory(title="Flaw in Example Mail Relay",
                                  vulnerabilities=[{"cve": "CVE-2026-41234", "title": "RCE"}],
                                  products=[{"vendor": "Example", "product": "Mail Relay"}]))["id"]
        c = self.demo_client("analyst", "ncert")
        ids = {x["id"] for x in c.get("/api/v1/advisories?cve=CVE-2026-41234").json["items"]}
        self.assertEqual(ids, {aid})
        ids = {x["id"] for x in c.get("/api/v1/advisories?q=mail%20relay").json["items"]}
        self.assertIn(aid, ids)
        self.assertEqual(c.get("/api/v1/advisories?severity=urgent").status, 422)


class TestBadInput(AdvisoryCase):

    def test_refused_with_nothing_written(self):
        c = self.demo_client("analyst", "ncert")
        cases = [
            (advisory(products=[]), "products"),
            (advisory(vulnerabilities=[]), "vulnerabilities"),
            (advisory(vulnerabilities=[{"cve": "CVE-26-1"}]), "vulnerabilities[0]"),
            (advisory(vulnerabilities=[{"cve": "CVE-2026-1234", "cvss_vector": "AV:N"}]),
             "vulnerabilities[0]"),
            (advisory(products=[{"vendor": "X"}]), None),
            (advisory(remediations=[{"category": "pray", "details": "x"}]), None),
            (advisory(references=[{"url": "javascript:alert(1)"}]), "references"),
            (advisory(title="x" * 600), "title"),
            (advisory(colour="red"), None),
        ]
        for body, field in cases:
            before = self.snapshot()
            r = c.post("/api/v1/advisories", body)
            self.assertIn(r.status, (400, 422), (body, r))
            if field:
                self.assertEqual(r.error.get("field"), field, r)
            self.assertNothingWritten(before, str(field))
        # A list member that is not a list, or one over its cap, is refused in those words.
        for body, words in [
                (advisory(references={"url": "https://x.example"}),
                 '"references" must be a list'),
                (advisory(references=[{}] * 101), '"references" holds at most 100 items')]:
            before = self.snapshot()
            r = c.post("/api/v1/advisories", body)
            self.assertError(r, 422, "invalid_field", "references", words)
            self.assertNothingWritten(before, words)

    def test_an_institution_may_not_write_or_import(self):
        c = self.demo_client("analyst", "pb-health")
        before = self.snapshot()
        r = c.post("/api/v1/advisories", advisory())
        self.assertEqual(r.status, 403, r)
        self.assertNothingWritten(before)

    def test_invalid_csaf_names_where(self):
        with open(FIXTURE, encoding="utf-8") as f:
            doc = json.load(f)
        del doc["document"]["tracking"]["id"]
        c = self.demo_client("analyst", "ncert")
        before = self.snapshot()
        r = c.request(
            "POST", "/api/v1/advisories/import", raw=json.dumps(doc),
            headers={"Content-Type": "application/json"})
        self.assertError(r, 422, "invalid_csaf")
        self.assertIn("tracking", r.error["message"])
        self.assertNothingWritten(before)
        r = c.request(
            "POST", "/api/v1/advisories/import", raw=b"{not json",
            headers={"Content-Type": "application/json"})
        self.assertIn(r.status, (400, 422), r)
        self.assertNothingWritten(before)

    def test_someone_elses_record_and_unknown_statuses(self):
        aid = self.write()["id"]
        self.publish(aid, scope="orgs", org_ids=[self.org_of("punjab-cert")])
        # Sindh may not read it: 404, not 403.
        r = self.demo_client("reporter", "sd-health").post(
            "/api/v1/advisories/%s/acks" % aid, {"status": "acknowledged"})
        self.assertEqual(r.status, 404, r)
        r = self.demo_client("analyst", "punjab-cert").post(
            "/api/v1/advisories/%s/acks" % aid, {"status": "shrugged"})
        self.assertError(r, 422, "invalid_field", "status")
        # The owner has no record of its own.
        r = self.demo_client("analyst", "ncert").post(
            "/api/v1/advisories/%s/acks" % aid, {"status": "acknowledged"})
        self.assertEqual(r.status, 404, r)


class TestPolicy(AdvisoryCase):

    def test_the_national_admin_sets_the_deadlines(self):
        c = self.demo_client("admin", "ncert")
        rules = {x["severity"]: x for x in c.get("/api/v1/advisory-policy").json["rules"]}
        self.assertEqual((rules["critical"]["ack_hours"], rules["critical"]["mitigate_days"]),
                         (4, 7))
        r = c.request("PUT", "/api/v1/advisory-policy",
                      {"severity": "critical", "ack_hours": 2, "mitigate_days": 3})
        self.assertEqual(r.status, 200, r)
        rules = {x["severity"]: x for x in r.json["rules"]}
        self.assertEqual(rules["critical"]["ack_hours"], 2)
        aid = self.write()["id"]
        self.publish(aid)
        due = db_query(self.db, "SELECT delivered_at, ack_due, mitigate_due FROM advisory_acks "
                                "WHERE advisory_id = ? LIMIT 1", (aid,))[0]
        self.assertEqual(due[1][:10], due[0][:10] if due[0][11:13] < "22" else due[1][:10])
        r = self.demo_client("admin", "punjab-cert").request(
            "PUT", "/api/v1/advisory-policy",
            {"severity": "critical", "ack_hours": 1, "mitigate_days": 1})
        self.assertEqual(r.status, 403, r)


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve_dir(root):
    """A loopback HTTP server of the folder root on an ephemeral port (stopped by the caller)."""
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                          functools.partial(Quiet, directory=root))
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv


class TestProvider(AdvisoryCase):
    """rabta as a CSAF provider: what is public, and a second rabta importing from it."""

    def get(self, path):
        with urllib.request.urlopen("http://127.0.0.1:%d%s" % (self.port, path)) as r:
            return r.read()

    def status(self, path):
        return Client(self.port).get(path).status

    def test_only_published_clear_advisories_are_served(self):
        clear = self.write(advisory(title="Public advisory of the National CERT", tlp="CLEAR",
                                    vulnerabilities=[{"cve": "CVE-2026-42001"}]))
        self.publish(clear["id"])
        amber = self.write()
        self.publish(amber["id"])
        draft = self.write(advisory(title="A draft", tlp="CLEAR"))
        index = self.get("/.well-known/csaf/clear/index.txt").decode().split()
        year = clear["initial_release"][:4]
        name = clear["tracking_id"].lower() + ".json"
        self.assertIn("%s/%s" % (year, name), index)
        for other in (amber, draft):
            self.assertNotIn("%s/%s.json" % (year, other["tracking_id"].lower()), index)
            self.assertEqual(self.status("/.well-known/csaf/clear/%s/%s.json"
                                         % (year, other["tracking_id"].lower())), 404)
        # Without a signing key there are no signatures and no key.
        self.assertEqual(self.status("/.well-known/csaf/clear/%s/%s.asc" % (year, name)), 404)
        self.assertNotIn("public_openpgp_keys",
                         json.loads(self.get("/.well-known/csaf/provider-metadata.json")))
        doc = self.get("/.well-known/csaf/clear/%s/%s" % (year, name))
        self.assertEqual(json.loads(doc)["document"]["tracking"]["id"], clear["tracking_id"])
        self.assertEqual(json.loads(doc)["document"]["distribution"]["tlp"]["label"], "WHITE")
        sha = self.get("/.well-known/csaf/clear/%s/%s.sha256" % (year, name)).decode()
        self.assertEqual(sha, "%s  %s\n" % (hashlib.sha256(doc).hexdigest(), name))
        sha = self.get("/.well-known/csaf/clear/%s/%s.sha512" % (year, name)).decode()
        self.assertEqual(sha.split()[0], hashlib.sha512(doc).hexdigest())
        changes = self.get("/.well-known/csaf/clear/changes.csv").decode().splitlines()
        self.assertIn('"%s/%s","%s"' % (year, name, clear["current_release"]), changes)
        self.assertEqual(self.status("/.well-known/csaf/clear/%s/nothing.txt" % year), 404)
        self.assertEqual(self.status("/.well-known/csaf/amber/index.txt"), 404)

    def test_provider_metadata(self):
        meta = json.loads(self.get("/.well-known/csaf/provider-metadata.json"))
        self.assertEqual(meta["role"], "csaf_provider")
        self.assertEqual(meta["publisher"]["namespace"], "https://cert.rabta.test")
        self.assertTrue(meta["canonical_url"].endswith("/.well-known/csaf/provider-metadata.json"))
        self.assertTrue(meta["distributions"][0]["directory_url"].endswith(
            "/.well-known/csaf/clear/"))
        if not os.path.exists(PROVIDER_SCHEMA):
            self.skipTest("../shared/data/csaf/json_schema is absent: the schema check is skipped")
        import jsonschema
        with open(PROVIDER_SCHEMA, encoding="utf-8") as f:
            schema = json.load(f)
        # The schema refers to the CSAF schema for the publisher: check that part by hand.
        schema["properties"]["publisher"] = {"type": "object",
                                             "required": ["category", "name", "namespace"]}
        jsonschema.Draft202012Validator(schema).validate(meta)

    def test_a_second_rabta_imports_from_the_first(self):
        pub = self.write(advisory(title="Shared with every CERT", tlp="CLEAR"))
        self.publish(pub["id"])
        other = os.path.join(self.tmp, "second.db")
        make_fresh_db(other)
        url = "http://127.0.0.1:%d/.well-known/csaf/clear/" % self.port
        out = cli_ok("import", "csaf", "--db", other, url, "--json")
        first = json.loads(out)
        listed = len(self.get("/.well-known/csaf/clear/index.txt").split())
        self.assertEqual((first["listed"], first["imported"], first["failed"]),
                         (listed, listed, 0))
        got = db_query(other, "SELECT tracking_id, tlp, status FROM advisories")
        self.assertIn((pub["tracking_id"], "CLEAR", "draft"), [tuple(r) for r in got])
        again = json.loads(cli_ok("import", "csaf", "--db", other, url, "--json"))
        self.assertEqual((again["fetched"], again["imported"]), (0, 0))

    def test_a_cisa_directory_copy_is_imported_and_only_changes_next_time(self):
        if not os.path.isdir(CISA_IT):
            self.skipTest("../shared/data/csaf/cisa/IT/white is absent")
        root = os.path.join(self.tmp, "www")
        shutil.copytree(CISA_IT, os.path.join(root, "csaf_files", "IT", "white"))
        srv = serve_dir(root)
        try:
            url = "http://127.0.0.1:%d/csaf_files/IT/white/" % srv.server_address[1]
            other = os.path.join(self.tmp, "cisa.db")
            make_fresh_db(other)
            first = json.loads(cli_ok("import", "csaf", "--db", other, url, "--json"))
            self.assertEqual((first["listed"], first["imported"], first["refused"]), (4, 4, 0))
            self.assertEqual(db_scalar(other, "SELECT count(*) FROM advisories"), 4)
            again = json.loads(cli_ok("import", "csaf", "--db", other, url, "--json"))
            self.assertEqual(again["fetched"], 0)
            # A newer entry in changes.csv is fetched, and only it.
            path = os.path.join(root, "csaf_files", "IT", "white", "changes.csv")
            with open(path, encoding="utf-8") as f:
                lines = f.read().splitlines()
            first_line = lines[0].split(",")
            lines.insert(0, "%s,2030-01-01T00:00:00.000Z" % first_line[0])
            with open(path, "w", encoding="utf-8") as f:
                f.write("\n".join(lines) + "\n")
            third = json.loads(cli_ok("import", "csaf", "--db", other, url, "--json"))
            self.assertEqual((third["fetched"], third["unchanged"]), (1, 1))
            # A directory that is not there is a clear refusal.
            p = run_cli("import", "csaf", "--db", other, url + "nothing/")
            self.assertEqual(p.returncode, 1)
            self.assertIn("cannot read", p.stderr)
        finally:
            srv.shutdown()


if __name__ == "__main__":
    unittest.main()
