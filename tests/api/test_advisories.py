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

from harness import ServerCase, db_query, db_scalar

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


if __name__ == "__main__":
    unittest.main()
