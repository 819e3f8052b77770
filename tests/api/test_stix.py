"""test_stix.py - GET /api/v1/incidents/{id}/stix: an incident as a STIX 2.1 bundle.

The export is checked against rules written here from the STIX 2.1 specification (OASIS,
stix-v2.1-os: identifiers, timestamps, common properties, the bundle, identity and relationship)
and from the Incident Core Extension 2.0 suite (oasis-open/cti-stix-common-objects,
extension-definition-specifications/incident-core: the incident core properties, the task SDO,
their enumerations and vocabularies) and the TLP 2.0 marking definitions as published there --
not from rabta's C. The stories: an institution reports one incident at each TLP level (each
bundle carries that level's published marking); the handling CERT takes one through its whole
life (the extension's status and the tasks' times follow); readers and only readers get it.
"""

import json
import re
import unittest
import uuid

from harness import ServerCase

# ---- rules from the STIX 2.1 specification ----

# 2.7 Identifier: "<object-type>--<UUID>", the UUID RFC 4122-compliant (its variant bits 10xx).
ID_RE = re.compile(r"^([a-z][a-z0-9-]{1,248}[a-z0-9])--([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-"
                   r"[0-9a-f]{4}-[0-9a-f]{12})$")
# 2.15 Timestamp: RFC 3339, UTC ("Z"), with optional fractional seconds; created and modified
# (3.2) MUST be precise to the millisecond.
TIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")
MS_TIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3,}Z$")
# 10.7 identity-class-ov and 10.12 industry-sector-ov.
IDENTITY_CLASSES = {"individual", "group", "system", "organization", "class", "unknown"}
SECTORS = {
    "agriculture", "aerospace", "automotive", "chemical", "commercial", "communications",
    "construction", "defense", "education", "energy", "entertainment", "financial-services",
    "government", "emergency-services", "government-local", "government-national",
    "government-public-services", "government-regional", "healthcare", "hospitality-leisure",
    "infrastructure", "dams", "nuclear", "water", "insurance", "manufacturing", "mining",
    "non-profit", "pharmaceuticals", "retail", "technology", "telecommunications",
    "transportation", "utilities"}
SDO_COMMON = {"type", "spec_version", "id", "created_by_ref", "created", "modified", "revoked",
              "labels", "confidence", "lang", "external_references", "object_marking_refs",
              "granular_markings", "extensions"}

# The TLP 2.0 marking-definition objects as published (tlp-2.0/examples, objects/
# marking-definition); DESIGN §5 gives the same ids.
TLP2_EXT = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"
TLP2_IDS = {
    "CLEAR": "94868c89-83c2-464b-929b-a1a8aa3c8487",
    "GREEN": "bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
    "AMBER": "55d920b0-5e8b-4f79-9ee9-91f868d9b421",
    "AMBER+STRICT": "939a9414-2ddd-4d32-a0cd-375ea402b003",
    "RED": "e828b379-4e03-4974-9ac4-e53a884c97c1",
}


def tlp2_marking(level):
    return {"type": "marking-definition", "spec_version": "2.1",
            "id": "marking-definition--" + TLP2_IDS[level],
            "created": "2022-10-01T00:00:00.000Z", "name": "TLP:" + level,
            "extensions": {TLP2_EXT: {"extension_type": "property-extension",
                                      "tlp_2_0": level.lower()}}}


# ---- rules from the Incident Core Extension 2.0 suite ----

INCIDENT_CORE = "extension-definition--ef765651-680c-498d-9894-99799f2fa126"
TASK_EXT = "extension-definition--2074a052-8be4-4932-849e-f5e7798e0030"
CORE_PROPERTIES = {"extension_type", "determination", "investigation_status", "criticality",
                   "detection_methods", "events", "impact_refs", "impacted_entity_counts",
                   "incident_types", "recoverability", "scores", "tasks"}
CORE_REQUIRED = {"extension_type", "determination", "investigation_status"}
DETERMINATIONS = {"blocked", "confirmed", "failed-attempt", "false-positive", "suspected"}
INVESTIGATION = {"new", "open", "closed"}
RECOVERABILITY = {"extended", "not-applicable", "not-recoverable", "regular", "supplemented"}
DETECTION_METHODS = {"automated-tool", "commercial-solution", "external-notification",
                     "human-review", "message-from-attacker", "propriety-solution",
                     "system-outage", "user-reporting"}
ENTITY_TYPES = {"computers-mobile", "computers-personal", "computers-server", "customer",
                "customer-individual", "customer-organization", "domain-controller", "employee",
                "group", "ics-actuator", "ics-engineering-workstation", "ics-historian", "ics-hmi",
                "ics-other", "ics-plc", "ics-safety-system", "ics-sensor", "individual",
                "network-device", "organization", "system", "vehicles"}
EVENT_TYPES = {
    "aggregation-information-phishing-schemes", "benign", "blocked", "brute-force-attempt",
    "c&c-server-hosting", "compromised-system", "confirmed", "connection-malware-port",
    "connection-malware-system", "content-forbidden-by-law", "control-system-bypass",
    "copyrighted-content", "data-exfiltration", "deferred", "deletion-information",
    "denial-of-service", "destruction", "dictionary-attack-attempt", "discarded",
    "disruption-data-transmission", "dissemination-malware-email",
    "dissemination-phishing-emails", "dns-cache-poisoning", "dns-local-resolver-hijacking",
    "dns-spoofing-registered", "dns-rebinding", "dns-server-compromise",
    "dns-spoofing-unregistered", "dns-stub-resolver-hijacking", "dns-zone-transfer",
    "domain-name-compromise", "duplicate", "email-flooding", "equipment-loss",
    "equipment-theft", "exploit", "exploit-attempt", "exploit-framework-exhausting-resources",
    "exploit-tool-exhausting-resources", "failed", "file-inclusion", "file-inclusion-attempt",
    "hosting-malware-webpage", "hosting-phishing-sites", "illegitimate-use-name",
    "illegitimate-use-resources", "infected-by-known-malware", "insufficient-data",
    "known-malware", "lame-delegations", "major", "modification-information",
    "misconfiguration", "natural", "negotiation", "network-scanning", "no-apt", "packet-flood",
    "password-cracking-attempt", "policy-violation", "ransomware", "ransomware-payment",
    "refuted", "scan-probe", "silently-discarded", "supply-chain-customer",
    "supply-chain-vendor", "spam", "sql-injection", "sql-injection-attempt", "successful",
    "system-probe", "theft-access-credentials", "unattributed",
    "unauthorized-access-information", "unauthorized-access-system", "unauthorized-equipment",
    "unauthorized-release", "unauthorized-use", "undetermined", "unintentional",
    "unknown-apt", "unspecified", "vandalism", "wiretapping", "worm-spreading", "xss",
    "xss-attempt"}
TASK_TYPES = {"administrative", "attribution", "containment", "declared", "detected",
              "eradication", "escalated", "exercised-control", "external-intelligence",
              "external-outreach", "external-support", "implemented-control", "investigation",
              "negotiation", "playbook-execution", "playbook-step-execution", "ransom-payment",
              "recovery", "reported", "routine-updates", "victim-notification"}
TASK_OUTCOMES = {"cancelled", "failed", "ongoing", "pending", "successful", "unknown"}
TASK_PROPERTIES = SDO_COMMON | {"changed_objects", "task_types", "description", "end_time",
                                "end_time_fidelity", "error", "impacted_entity_counts", "name",
                                "outcome", "priority", "start_time", "start_time_fidelity",
                                "subtasks"}
RELATIONSHIP_PROPERTIES = SDO_COMMON | {"relationship_type", "description", "source_ref",
                                        "target_ref", "start_time", "stop_time"}
INCIDENT_PROPERTIES = SDO_COMMON | {"name", "description", "kill_chain_phases"}
IDENTITY_PROPERTIES = SDO_COMMON | {"name", "description", "roles", "identity_class", "sectors",
                                    "contact_information"}

STIX_TYPE = "application/stix+json;version=2.1"


def refs_in(value, path=""):
    """(path, id) of every *_ref and every item of every *_refs below value."""
    out = []
    if isinstance(value, dict):
        for k, v in value.items():
            p = path + "." + k
            if k.endswith("_ref") and isinstance(v, str):
                out.append((p, v))
            elif k.endswith("_refs") and isinstance(v, list):
                out.extend((p, x) for x in v)
            else:
                out.extend(refs_in(v, p))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out.extend(refs_in(v, "%s[%d]" % (path, i)))
    return out


def check_bundle(tc, bundle, tlp):
    """Asserts every rule above on one exported bundle; returns {id: object}."""
    tc.assertEqual(set(bundle), {"type", "id", "objects"}, "a 2.1 bundle has no spec_version")
    tc.assertEqual(bundle["type"], "bundle")
    m = ID_RE.match(bundle["id"])
    tc.assertTrue(m and m.group(1) == "bundle", bundle["id"])
    objects = bundle["objects"]
    by_id = {}
    for o in objects:
        tc.assertNotIn(o["id"], by_id, "an id appears twice")
        by_id[o["id"]] = o
        m = ID_RE.match(o["id"])
        tc.assertTrue(m, "not <type>--<UUID>: %r" % o["id"])
        tc.assertEqual(m.group(1), o["type"], o["id"])
        u = uuid.UUID(m.group(2))
        tc.assertEqual(u.variant, uuid.RFC_4122, o["id"])
        tc.assertEqual(o["spec_version"], "2.1", o["id"])
        tc.assertRegex(o["created"], MS_TIME_RE)
        if "modified" in o:
            tc.assertRegex(o["modified"], MS_TIME_RE)
            tc.assertLessEqual(o["created"], o["modified"], o["id"])
        for k in ("start_time", "end_time"):
            if k in o:
                tc.assertRegex(o[k], TIME_RE, o["id"])
        if "start_time" in o and "end_time" in o:
            tc.assertLessEqual(o["start_time"], o["end_time"], o["id"])
        for key in o.get("extensions", {}):
            tc.assertRegex(key, r"^extension-definition--[0-9a-f-]{36}$")
    for o in objects:
        for path, ref in refs_in(o):
            tc.assertIn(ref, by_id, "%s%s does not resolve in the bundle" % (o["id"], path))
    # The marking: exactly the published object of the incident's level, on every other object.
    markings = [o for o in objects if o["type"] == "marking-definition"]
    tc.assertEqual(markings, [tlp2_marking(tlp)])
    for o in objects:
        if o["type"] != "marking-definition":
            tc.assertEqual(o["object_marking_refs"], [markings[0]["id"]], o["id"])
    incidents = [o for o in objects if o["type"] == "incident"]
    tc.assertEqual(len(incidents), 1)
    inc = incidents[0]
    tc.assertLessEqual(set(inc), INCIDENT_PROPERTIES)
    tc.assertIsInstance(inc["name"], str)
    tc.assertTrue(inc["name"])
    tc.assertEqual(by_id[inc["created_by_ref"]]["type"], "identity")
    # The Incident Core extension.
    ext = inc["extensions"][INCIDENT_CORE]
    tc.assertLessEqual(CORE_REQUIRED, set(ext))
    tc.assertLessEqual(set(ext), CORE_PROPERTIES, "the extension allows no other properties")
    tc.assertEqual(ext["extension_type"], "property-extension")
    tc.assertIn(ext["determination"], DETERMINATIONS)
    tc.assertIn(ext["investigation_status"], INVESTIGATION)
    if "criticality" in ext:
        tc.assertIsInstance(ext["criticality"], int)
        tc.assertTrue(0 <= ext["criticality"] <= 100)
    if "recoverability" in ext:
        tc.assertIn(ext["recoverability"], RECOVERABILITY)
    for key in ("incident_types", "detection_methods", "tasks", "events", "impact_refs"):
        if key in ext:
            tc.assertIsInstance(ext[key], list)
            tc.assertGreaterEqual(len(ext[key]), 1, "%s has minItems 1" % key)
    for t in ext.get("incident_types", []):
        tc.assertIn(t, EVENT_TYPES)
    for t in ext.get("detection_methods", []):
        tc.assertIn(t, DETECTION_METHODS)
    for k, v in ext.get("impacted_entity_counts", {}).items():
        tc.assertIn(k, ENTITY_TYPES)
        tc.assertTrue(isinstance(v, int) and v >= 0)
    for s in ext.get("scores", []):
        tc.assertLessEqual({"name", "value"}, set(s))
        tc.assertLessEqual(set(s), {"name", "value", "description"})
        tc.assertIsInstance(s["value"], (int, float))
    for entry in ext.get("tasks", []):
        tc.assertLessEqual(set(entry), {"task_ref", "sequence_start", "next_steps"})
        tc.assertEqual(by_id[entry["task_ref"]]["type"], "task")
    tasks = [o for o in objects if o["type"] == "task"]
    tc.assertEqual(sorted(e["task_ref"] for e in ext.get("tasks", [])),
                   sorted(t["id"] for t in tasks), "every task is the incident's")
    for t in tasks:
        tc.assertLessEqual(set(t), TASK_PROPERTIES, t["id"])
        tc.assertIn(t["outcome"], TASK_OUTCOMES)
        tc.assertEqual(t["extensions"][TASK_EXT], {"extension_type": "new-sdo"})
        for tt in t.get("task_types", []):
            tc.assertIn(tt, TASK_TYPES)
    for o in objects:
        if o["type"] == "identity":
            tc.assertLessEqual(set(o), IDENTITY_PROPERTIES)
            tc.assertTrue(o["name"])
            tc.assertIn(o["identity_class"], IDENTITY_CLASSES)
            for s in o.get("sectors", []):
                tc.assertIn(s, SECTORS)
        elif o["type"] == "relationship":
            tc.assertLessEqual(set(o), RELATIONSHIP_PROPERTIES)
            tc.assertRegex(o["relationship_type"], r"^[a-z0-9-]+$")
    tc.assertEqual({o["type"] for o in objects},
                   {"marking-definition", "identity", "incident", "task", "relationship"})
    return by_id


def stix_time(t):
    """A rabta time (second precision) as the exported millisecond timestamp."""
    return t[:-1] + ".000Z" if t else None


class TestStixExport(ServerCase):

    @classmethod
    def prepare(cls):
        cls.reporter = cls.demo_client("reporter", "pb-health")
        cls.handler = cls.demo_client("analyst", "punjab-cert")
        cls.by_tlp = {}
        for level in TLP2_IDS:
            r = cls.reporter.post("/api/v1/incidents", {
                "title": "Phishing wave at %s" % level, "description": "Staff got mail.\n\"Urgent\"",
                "rsit_class": "fraud", "rsit_type": "phishing", "severity": "medium",
                "tlp": level, "detected_at": "2026-11-30T08:00:00Z"})
            assert r.status == 201, r
            cls.by_tlp[level] = r.json

    def stix(self, who, incident_id):
        r = who.get("/api/v1/incidents/%s/stix" % incident_id)
        if r.status == 200:
            self.assertEqual(r.header("Content-Type"), STIX_TYPE)
            return r, json.loads(r.body.decode("utf-8"))
        return r, None

    def test_every_tlp_level_carries_its_published_marking(self):
        for level, x in self.by_tlp.items():
            with self.subTest(tlp=level):
                r, bundle = self.stix(self.reporter, x["id"])
                self.assertEqual(r.status, 200, r)
                by_id = check_bundle(self, bundle, level)
                inc = by_id["incident--" + x["id"]]
                self.assertEqual(inc["name"], x["title"])
                self.assertEqual(inc["description"], x["description"])
                self.assertEqual(inc["created"], stix_time(x["reported_at"]))
                self.assertEqual(inc["created_by_ref"], "identity--" + x["owner_org"])
                self.assertIn('rsit:fraud="phishing"', inc["labels"])
                self.assertEqual(inc["external_references"],
                                 [{"source_name": "rabta", "external_id": x["reference"]}])
                ext = inc["extensions"][INCIDENT_CORE]
                self.assertEqual((ext["determination"], ext["investigation_status"]),
                                 ("suspected", "new"))
                self.assertEqual(ext["incident_types"], ["aggregation-information-phishing-schemes"])
                names = {o["name"] for o in bundle["objects"] if o["type"] == "identity"}
                self.assertEqual(names, {x["org_name"], x["handling_org_name"]})
                detect = [o for o in bundle["objects"] if o["type"] == "task"
                          and o["task_types"] == ["detected"]]
                self.assertEqual([d["start_time"] for d in detect],
                                 [stix_time(x["detected_at"])])

    def test_a_handled_incident_shows_its_status_and_times(self):
        r = self.reporter.post("/api/v1/incidents", {
            "title": "Defaced portal", "rsit_class": "intrusions",
            "rsit_type": "application-compromise", "severity": "high",
            "detected_at": "2026-11-30T06:00:00Z"})
        self.assertEqual(r.status, 201, r)
        iid = r.json["id"]
        _, first = self.stix(self.reporter, iid)
        steps = [("acknowledge", None), ("status", "contained"), ("status", "eradicated"),
                 ("status", "recovered"), ("status", "closed")]
        for what, status in steps:
            if what == "acknowledge":
                r = self.handler.post("/api/v1/incidents/%s/acknowledge" % iid)
            else:
                r = self.handler.patch("/api/v1/incidents/" + iid, {"status": status})
            self.assertEqual(r.status, 200, r)
        x = self.handler.get("/api/v1/incidents/" + iid).json
        r, bundle = self.stix(self.handler, iid)
        self.assertEqual(r.status, 200, r)
        by_id = check_bundle(self, bundle, "AMBER")
        inc = by_id["incident--" + iid]
        ext = inc["extensions"][INCIDENT_CORE]
        self.assertEqual((ext["determination"], ext["investigation_status"]),
                         ("confirmed", "closed"))
        self.assertEqual(ext["criticality"], 60)
        self.assertEqual(ext["scores"][0]["value"], 3)
        self.assertEqual(ext["incident_types"], ["compromised-system"])
        tasks = {o["task_types"][0] + ":" + o["name"]: o for o in bundle["objects"]
                 if o["type"] == "task"}
        handling = tasks["investigation:Handling by the CERT"]
        self.assertEqual(handling["start_time"], stix_time(x["acknowledged_at"]))
        self.assertEqual(handling["end_time"], stix_time(x["ended_at"]))
        self.assertEqual(handling["outcome"], "successful")
        self.assertEqual(tasks["containment:Containment"]["end_time"],
                         stix_time(x["contained_at"]))
        for k in ("eradication:Eradication", "recovery:Recovery"):
            self.assertEqual(tasks[k]["outcome"], "successful")
        # The same objects as before the changes, newer: the ids stay, the bundle's does not.
        self.assertNotEqual(first["id"], bundle["id"])
        self.assertLessEqual({o["id"] for o in first["objects"]},
                             {o["id"] for o in bundle["objects"]})
        old = next(o for o in first["objects"] if o["type"] == "incident")
        self.assertEqual(old["created"], inc["created"])
        self.assertLessEqual(old["modified"], inc["modified"])
        self.assertEqual(inc["modified"], stix_time(x["updated_at"]))
        # The relationships say who is affected and who handles it.
        rels = {(o["relationship_type"], o["source_ref"], o["target_ref"])
                for o in bundle["objects"] if o["type"] == "relationship"}
        self.assertEqual(rels, {("impacts", "incident--" + iid, "identity--" + x["org_id"]),
                                ("contact-for", "identity--" + x["handling_org_id"],
                                 "incident--" + iid)})

    def test_a_rejected_incident_is_a_false_positive(self):
        r = self.reporter.post("/api/v1/incidents", {
            "title": "Printer offline", "rsit_class": "availability", "rsit_type": "outage",
            "severity": "low"})
        self.assertEqual(r.status, 201, r)
        r = self.handler.patch("/api/v1/incidents/" + r.json["id"], {"status": "rejected"})
        self.assertEqual(r.status, 200, r)
        _, bundle = self.stix(self.reporter, r.json["id"])
        check_bundle(self, bundle, "AMBER")
        ext = next(o for o in bundle["objects"] if o["type"] == "incident")["extensions"][
            INCIDENT_CORE]
        self.assertEqual((ext["determination"], ext["investigation_status"], ext["criticality"]),
                         ("false-positive", "closed", 0))
        self.assertNotIn("incident_types", ext, "an outage has no event type of its own")

    def test_only_readers_get_it(self):
        red = self.by_tlp["RED"]["id"]
        amber = self.by_tlp["AMBER"]["id"]
        # The reporting org and the handling CERT read the RED one; nobody else does.
        self.assertEqual(self.stix(self.reporter, red)[0].status, 200)
        self.assertEqual(self.stix(self.handler, red)[0].status, 200)
        for role, slug in (("analyst", "sindh-cert"), ("admin", "ncert"),
                           ("reporter", "pb-finance")):
            with self.subTest(who=slug):
                who = self.demo_client(role, slug)
                for iid in (red, amber):
                    r, _ = self.stix(who, iid)
                    self.assertError(r, 404, "not_found")
                    # The same answer as for an incident that does not exist.
                    self.assertEqual(self.stix(who, str(uuid.uuid4()))[0].status, 404)
        for bad in (str(uuid.uuid4()), "not-a-uuid", red.upper() + "x", "%00"):
            with self.subTest(id=bad):
                self.assertError(self.stix(self.reporter, bad)[0], 404, "not_found")
        self.assertEqual(self.client().get("/api/v1/incidents/%s/stix" % red).status, 401)


if __name__ == "__main__":
    unittest.main()
