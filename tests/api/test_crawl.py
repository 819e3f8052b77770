"""Every GET answer rabta gives is strict UTF-8, and every JSON answer is JSON with numbers in
their short form — proven by crawling every GET route of the route table as several users.

Before the crawl, text of several scripts is planted through the API itself, so it flows through
every answer that shows it: an org renamed and an org created with Urdu names, users and a token
with Urdu and emoji names, an OSCAL catalog whose title, domain and control are in Urdu, a profile
and a campaign with Urdu titles, answers whose evidence is Urdu, emoji and "é" * 1000, a reviewer's
Urdu comment, an evidence file named رپورٹ.txt holding Urdu text, and an inventory product named
in Urdu.

The crawl: the routes come from `rabta routes --json`; ROUTES maps every GET pattern to the
concrete paths that fill it, from the ids the list routes returned (orgs, users, catalogs and
their controls, profiles, campaigns, assessments and their attachments). Every user requests
every path — also ids only another user found, which must answer 404 and decode too — and every
list is followed through all its pages. For every response:
  - the body decodes with bytes.decode("utf-8") (strict);
  - an /api/ answer (but a file download or a CSV export) says Content-Type: application/json;
  - a JSON answer parses with json.loads, every string in it is real Unicode (no lone surrogate
    escape, which json.loads would let through), and no number in its raw text has 16 or more
    significant digits (rabta writes the shortest form: 85.05, never 85.049999999999997);
  - a CSV answer decodes and its numeric cells obey the same digit rule;
  - no GET answers 5xx; an anonymous caller gets 401 from every route that is not public.
The map must name exactly the GET routes of the table, and every one of them must have been
requested and answered 200 at least once, so a route added tomorrow fails here until it is
crawled.
"""

import csv
import datetime
import io
import json
import re
import urllib.parse
import uuid

from harness import signing_args, signing_key, ServerCase, Client, cli_ok, demo_email
from test_campaigns import future_date
from test_catalogs import NATIONAL

URDU_ORG = "Punjab Health Services Directorate — محکمۂ صحت پنجاب 🏥"
URDU_NEW_ORG = "ادارۂ ڈیجیٹل خدمات پنجاب 🌐"
URDU_CATALOG = "قومی رہنما اصول — ضمیمہ پنجاب 🛡️ (é)"
URDU_DOMAIN = "حکمرانی — Governance 🏛️"
URDU_CONTROL = "ذمہ دار افسر اور رابطہ کار 👤"
URDU_STATEMENT = ("ادارہ سائبر سلامتی کے لیے ایک سینئر ذمہ دار افسر مقرر کرے گا۔ "
                  "The institution names an accountable official. ✅")
URDU_PROFILE = "پنجاب کے اداروں کے لیے ضروری اصول 📋"
URDU_CAMPAIGN = "خود تشخیص دسمبر 2026 — پنجاب ✅"
URDU_USER = "ناظرہ بی بی 👩‍💻"
URDU_TOKEN = "رابطہ خودکار 🤖 é"
URDU_TRAINING = "واقعات سے نمٹنے کی مشق — KP in the room, پنجاب online 🎓 (é)"
URDU_FILENAME = "رپورٹ.txt"
URDU_FILE = ("یہ ثبوت کی رپورٹ ہے۔\nBackups tested on 2026-11-30 ✅\nنتیجہ: کامیاب 🎉\n"
             ).encode("utf-8")
URDU_COMMENT = "ثبوت ناکافی ہے — please attach the signed policy 📎"
EVIDENCE = {"gv-1": "دستاویزی طریقۂ کار اور ریکارڈ کا جائزہ لیا گیا۔",
            "gv-2": "🔐🛡️🧯 policy signed ✍️ 👍🏽",
            "am-1": "é" * 1000,
            "br-2.1": "Mixed: اردو، English, Ελληνικά, 中文, हिन्दी, emoji 🇵🇰"}
PROFILE_CONTROLS = ["gv-1", "gv-2", "am-1", "br-2.1"]
URDU_INCIDENT = "ہسپتال کے ریکارڈ پر رینسم ویئر 🏥🔒 — ransomware (é)"
URDU_INCIDENT_TEXT = "سرور کی فائلیں مقفل ہیں۔\nRansom note: «pay in 48 h» 💰\n" + "é" * 300
URDU_ADVISORY = "وی پی این گیٹ وے میں خامی — VPN flaw 🛡️ (é)"
URDU_TASK = "سرورز کو الگ کریں — isolate the servers 🔌"
URDU_IOC_FILE = "اشارے.txt"
URDU_PRODUCT = "ہسپتال انتظامی نظام — HMIS 🏥 (é)"
URDU_RISK = "رینسم ویئر سے مریضوں کا ریکارڈ ضائع — ransomware risk 🏥 (é)"

NATIONAL_ADMIN = demo_email("admin", "ncert")
CRAWLERS = [NATIONAL_ADMIN, demo_email("analyst", "punjab-cert"),
            demo_email("reporter", "pb-health"), demo_email("auditor", "ncert"), None]

# Any number token of a JSON text, or a whole string (skipped): digits outside strings are numbers.
JSON_TOKEN_RE = re.compile(r'"(?:[^"\\]|\\.)*"|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)')
NUMBER_RE = re.compile(r"^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$")
UI_REF_RE = re.compile(r'(?:src|href)="/ui/([^"/?#]+)"')
JS_IMPORT_RE = re.compile(r"""(?:import|from)\s*\(?\s*['"]\./([^'"/?#]+)['"]""")
MAX_PAGES = 1000  # the demo's audit trail alone is over 1,600 entries (pages of 7)


def significant_digits(token):
    """Significant digits of a JSON number as written: 85.049999999999997 -> 17, 85.05 -> 4,
    100 -> 1 (trailing zeros of an integer are not counted)."""
    mantissa = re.split(r"[eE]", token.lstrip("-"))[0]
    if "." in mantissa:
        return len(mantissa.replace(".", "").lstrip("0"))
    return len(mantissa.lstrip("0").rstrip("0"))


def long_numbers(tokens):
    return [t for t in tokens if significant_digits(t) >= 16]


def json_numbers(text):
    return [m.group(1) for m in JSON_TOKEN_RE.finditer(text) if m.group(1) is not None]


def json_strings(value):
    """Every string (keys too) of a parsed JSON value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for v in value:
            yield from json_strings(v)
    elif isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from json_strings(v)


def encodes(s):
    """True when s is real Unicode: json.loads accepts "\\ud83c" alone, UTF-8 cannot carry it."""
    try:
        s.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


def when(hours):
    """An RFC 3339 time `hours` from now, in Pakistan time (+05:00)."""
    t = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=5)))
    return (t.replace(microsecond=0) + datetime.timedelta(hours=hours)).isoformat()


def q(value):
    return urllib.parse.quote(value, safe="")


class Found:
    """The ids the list routes returned to any crawler (sorted, so the crawl is the same every
    run)."""

    def __init__(self):
        self.orgs, self.users, self.catalogs, self.profiles = set(), set(), set(), set()
        self.campaigns, self.assessments = set(), set()
        self.controls, self.attachments = set(), set()  # (catalog, control), (assessment, file)
        self.incidents, self.incident_files = set(), set()  # ids, (incident, file)
        self.webhooks = set()  # (org, webhook)
        self.advisories = set()
        self.trainings, self.training_files = set(), set()  # ids, (training, file)
        self.feeds = set()  # calendar feed tokens
        self.risks = set()
        self.csaf_files = set()  # "<year>/<file>.json" of the CSAF provider
        self.ui_files = set()
        self.org_by_slug = {}

    def sorted(self, name):
        return sorted(getattr(self, name))


# Every GET route of the table -> the paths that fill its parameters (f is a Found). Lists also get
# their filters, so filtered answers are crawled too; every list is followed through its pages.
ROUTES = {
    "/healthz": lambda f: ["/healthz"],
    "/api/v1/meta": lambda f: ["/api/v1/meta"],
    "/api/v1/session": lambda f: ["/api/v1/session"],
    "/api/v1/me": lambda f: ["/api/v1/me"],
    "/api/v1/me/colleagues": lambda f: ["/api/v1/me/colleagues"],
    "/api/v1/orgs": lambda f: [
        "/api/v1/orgs", "/api/v1/orgs?limit=3", "/api/v1/orgs?q=" + q("پنجاب"),
        "/api/v1/orgs?q=" + q("🏥"), "/api/v1/orgs?kind=institution&cii=true",
        "/api/v1/orgs?province=punjab&sector=other",
        "/api/v1/orgs?root=" + f.org_by_slug["punjab-cert"]],
    "/api/v1/users": lambda f: ["/api/v1/users", "/api/v1/users?limit=1"]
    + ["/api/v1/users?org_id=" + o for o in f.sorted("orgs")],
    "/api/v1/tokens": lambda f: ["/api/v1/tokens"],
    "/api/v1/audit": lambda f: ["/api/v1/audit?limit=500", "/api/v1/audit?limit=17"]
    + ["/api/v1/audit?limit=500&org_id=" + o for o in f.sorted("orgs")],
    "/api/v1/catalogs": lambda f: ["/api/v1/catalogs", "/api/v1/catalogs?limit=1"],
    "/api/v1/audit/export": lambda f: ["/api/v1/audit/export?changes=1",
                                       "/api/v1/audit/export?action=assessment."],
    "/api/v1/audit/verify": lambda f: ["/api/v1/audit/verify"],
    "/api/v1/profiles": lambda f: ["/api/v1/profiles", "/api/v1/profiles?limit=1"],
    "/api/v1/profiles/{id}/trend": lambda f: [
        "/api/v1/profiles/%s/trend%s" % (p, s) for p in f.sorted("profiles")
        for s in ("", "?root=" + f.org_by_slug["punjab-cert"],
                  "?root=" + f.org_by_slug["pb-health"])],
    "/api/v1/campaigns": lambda f: ["/api/v1/campaigns", "/api/v1/campaigns?limit=1"],
    "/api/v1/campaigns/{id}/rollup": lambda f: [
        "/api/v1/campaigns/%s/rollup%s" % (c, s) for c in f.sorted("campaigns")
        for s in ("", "?root=" + f.org_by_slug["punjab-cert"],
                  "?root=" + f.org_by_slug["pb-health"],
                  "?root=" + f.org_by_slug["telecom-cert"])],
    "/api/v1/campaigns/{id}/gaps": lambda f: [
        "/api/v1/campaigns/%s/gaps%s" % (c, s) for c in f.sorted("campaigns")
        for s in ("", "?limit=500", "?format=csv", "?format=csv&limit=500",
                  "?root=" + f.org_by_slug["punjab-cert"],
                  "?format=csv&root=" + f.org_by_slug["pb-health"])],
    "/api/v1/assessments": lambda f: [
        "/api/v1/assessments?limit=500", "/api/v1/assessments?limit=11",
        "/api/v1/assessments?mine=1", "/api/v1/assessments?status=submitted",
        "/api/v1/assessments?status=returned", "/api/v1/assessments?status=draft",
        "/api/v1/assessments?org_id=" + f.org_by_slug["pb-health"]]
    + ["/api/v1/assessments?campaign_id=" + c for c in f.sorted("campaigns")],
    "/api/v1/incidents": lambda f: [
        "/api/v1/incidents?limit=500", "/api/v1/incidents?limit=2",
        "/api/v1/incidents?q=" + q("رینسم"), "/api/v1/incidents?q=" + q("🏥"),
        "/api/v1/incidents?severity=high,severe&status=new,triaged",
        "/api/v1/incidents?province=punjab&open=1&overdue=0&cii=1",
        "/api/v1/incidents?rsit_class=malicious-code&since=2020-01-01&until=2099-12-31",
        "/api/v1/incidents?handling_org_id=" + f.org_by_slug["punjab-cert"],
        "/api/v1/incidents?org_id=" + f.org_by_slug["pb-health"]],
    "/api/v1/incidents/stats": lambda f: [
        "/api/v1/incidents/stats", "/api/v1/incidents/stats?province=punjab&q=" + q("رینسم")],
    "/api/v1/incidents/export": lambda f: [
        "/api/v1/incidents/export", "/api/v1/incidents/export?q=" + q("رینسم")],
    "/api/v1/tasks": lambda f: ["/api/v1/tasks"],
    "/api/v1/responsiveness": lambda f: [
        "/api/v1/responsiveness", "/api/v1/responsiveness?since=2020-01-01",
        "/api/v1/responsiveness?since=2020-01-01&format=csv"],
    "/api/v1/taxonomy/rsit": lambda f: ["/api/v1/taxonomy/rsit"],
    "/api/v1/reporting-policy": lambda f: ["/api/v1/reporting-policy"],
    "/api/v1/inbox": lambda f: ["/api/v1/inbox", "/api/v1/inbox?limit=1",
                                "/api/v1/inbox?unread=1"],
    "/api/v1/inbox/count": lambda f: ["/api/v1/inbox/count"],
    "/api/v1/advisories": lambda f: [
        "/api/v1/advisories", "/api/v1/advisories?limit=1", "/api/v1/advisories?q=" + q("وی پی این"),
        "/api/v1/advisories?severity=critical&status=published&to_act=1",
        "/api/v1/advisories?cve=CVE-2026-40001&my_status=delivered"],
    "/api/v1/acks": lambda f: ["/api/v1/acks", "/api/v1/acks?all=1"],
    "/api/v1/advisory-policy": lambda f: ["/api/v1/advisory-policy"],
    "/api/v1/risks": lambda f: [
        "/api/v1/risks", "/api/v1/risks?limit=2", "/api/v1/risks?q=" + q("رینسم"),
        "/api/v1/risks?level=critical&status=open&treatment=mitigate&category=technical",
        "/api/v1/risks?overdue=1&org_id=" + f.org_by_slug["pb-health"]],
    "/api/v1/risks/export": lambda f: [
        "/api/v1/risks/export", "/api/v1/risks/export?q=" + q("رینسم")],
    "/api/v1/risks/heatmap": lambda f: [
        "/api/v1/risks/heatmap", "/api/v1/risks/heatmap?basis=inherent",
        "/api/v1/risks/heatmap?root=" + f.org_by_slug["punjab-cert"],
        "/api/v1/risks/heatmap?root=" + f.org_by_slug["pb-health"]],
    "/api/v1/risk-matrix": lambda f: ["/api/v1/risk-matrix"],
    "/.well-known/csaf/provider-metadata.json": lambda f: [
        "/.well-known/csaf/provider-metadata.json"],
    "/.well-known/csaf/clear/index.txt": lambda f: ["/.well-known/csaf/clear/index.txt"],
    "/.well-known/csaf/clear/changes.csv": lambda f: ["/.well-known/csaf/clear/changes.csv"],
    "/.well-known/csaf/clear/{year}/{name}": lambda f: [
        "/.well-known/csaf/clear/" + p + s for p in f.sorted("csaf_files")
        for s in ("", ".sha256", ".sha512") + ((".asc",) if signing_key() else ())],
    "/.well-known/csaf/openpgp/{key}": lambda f: [
        "/.well-known/csaf/openpgp/%s.asc" % (signing_key()[1] if signing_key() else "none")],
    "/api/v1/trainings": lambda f: [
        "/api/v1/trainings", "/api/v1/trainings?limit=1", "/api/v1/trainings?order=newest",
        "/api/v1/trainings?from=2020-01-01&to=2099-12-31&status=scheduled&mode=hybrid",
        "/api/v1/trainings?invited=1", "/api/v1/trainings?mine=1",
        "/api/v1/trainings?org_id=" + f.org_by_slug["pb-health"]],
    "/api/v1/trainings/rollup": lambda f: [
        "/api/v1/trainings/rollup", "/api/v1/trainings/rollup?root=" + f.org_by_slug["punjab-cert"],
        "/api/v1/trainings/rollup?root=" + f.org_by_slug["pb-health"]],
    "/api/v1/trainings/gaps": lambda f: [
        "/api/v1/trainings/gaps", "/api/v1/trainings/gaps?below=80&limit=3",
        "/api/v1/trainings/gaps?root=" + f.org_by_slug["punjab-cert"]]
    + ["/api/v1/trainings/gaps?campaign_id=" + c for c in f.sorted("campaigns")],
    "/api/v1/calendar/{token}.ics": lambda f: [
        "/api/v1/calendar/%s.ics" % t for t in f.sorted("feeds")] + [
        "/api/v1/calendar/rbc_%s.ics" % ("0" * 64)],
    "/": lambda f: ["/"],
}


def each_id(pattern, kind, *queries):
    """The filler of a route whose parameters are ids of one kind of Found: each of them (an id, or
    a tuple of ids in the pattern's order), quoted, fills the pattern, which is crawled with each
    query after it (alone when there are none)."""
    path = re.sub(r"\{[^}]+\}", "%s", pattern)

    def fill(f):
        return [path % tuple(q(x) for x in (ids if isinstance(ids, tuple) else (ids,))) + query
                for ids in f.sorted(kind) for query in (queries or ("",))]
    return fill


# The routes of ROUTES filled by the ids of one kind alone: pattern -> (the kind, then the queries
# each path is also crawled with).
BY_ID = {
    "/api/v1/orgs/{id}": ("orgs",),
    "/api/v1/orgs/{id}/webhooks": ("orgs",),
    "/api/v1/orgs/{id}/inventory": ("orgs", "", "?limit=1", "?q=" + q("ہسپتال"), "?q=" + q("é")),
    "/api/v1/orgs/{id}/inventory/export": ("orgs",),
    "/api/v1/orgs/{id}/webhooks/{webhook}/deliveries": ("webhooks", "", "?limit=1"),
    "/api/v1/users/{id}": ("users",),
    "/api/v1/catalogs/{id}": ("catalogs",),
    "/api/v1/catalogs/{id}/controls":
        ("catalogs", "?limit=500", "?limit=9", "?q=" + q("افسر"), "?q=" + q("é"), "?domain=gv"),
    "/api/v1/catalogs/{id}/controls/{control}": ("controls",),
    "/api/v1/catalogs/{id}/oscal": ("catalogs",),
    "/api/v1/catalogs/{id}/grants": ("catalogs",),
    "/api/v1/profiles/{id}": ("profiles",),
    "/api/v1/profiles/{id}/oscal": ("profiles",),
    "/api/v1/profiles/{id}/resolved": ("profiles",),
    "/api/v1/profiles/{id}/reach": ("profiles", "", "?sector=health"),
    "/api/v1/campaigns/{id}": ("campaigns",),
    "/api/v1/campaigns/{id}/oscal": ("campaigns",),
    "/api/v1/assessments/{id}": ("assessments",),
    "/api/v1/assessments/{id}/history": ("assessments",),
    "/api/v1/assessments/{id}/attachments": ("assessments",),
    "/api/v1/assessments/{id}/attachments/{attachment}": ("attachments",),
    "/api/v1/assessments/{id}/oscal": ("assessments",),
    "/api/v1/assessments/{id}/poam": ("assessments",),
    "/api/v1/incidents/{id}": ("incidents",),
    "/api/v1/incidents/{id}/stix": ("incidents",),
    "/api/v1/incidents/{id}/timeline": ("incidents", "", "?limit=1"),
    "/api/v1/incidents/{id}/tasks": ("incidents",),
    "/api/v1/incidents/{id}/links": ("incidents",),
    "/api/v1/incidents/{id}/attachments": ("incidents",),
    "/api/v1/incidents/{id}/attachments/{file}": ("incident_files",),
    "/api/v1/incidents/{id}/grants": ("incidents",),
    "/api/v1/advisories/{id}": ("advisories",),
    "/api/v1/advisories/{id}/csaf": ("advisories", "", "?revision=1"),
    "/api/v1/advisories/{id}/revisions": ("advisories",),
    "/api/v1/advisories/{id}/acks": ("advisories", "", "?status=delivered&overdue=0"),
    "/api/v1/advisories/{id}/acks/stats": ("advisories",),
    "/api/v1/advisories/{id}/timeline": ("advisories",),
    "/api/v1/advisories/{id}/grants": ("advisories",),
    "/api/v1/trainings/{id}.ics": ("trainings",),
    "/api/v1/trainings/{id}": ("trainings",),
    "/api/v1/trainings/{id}/invites": ("trainings",),
    "/api/v1/trainings/{id}/people": ("trainings",),
    "/api/v1/trainings/{id}/links": ("trainings",),
    "/api/v1/trainings/{id}/files": ("trainings",),
    "/api/v1/trainings/{id}/files/{file}": ("training_files",),
    "/api/v1/trainings/{id}/timeline": ("trainings", "", "?limit=1"),
    "/api/v1/orgs/{id}/calendar-feed": ("orgs",),
    "/api/v1/risks/{id}": ("risks",),
    "/api/v1/risks/{id}/timeline": ("risks", "", "?limit=1"),
    "/api/v1/risks/{id}/grants": ("risks",),
    "/ui/{file}": ("ui_files",),
}
ROUTES.update((pattern, each_id(pattern, *spec)) for pattern, spec in BY_ID.items())

# JSON answers of another media type: the STIX bundle (application/stix+json;version=2.1), held
# to every rule of JSON answers.
STIX = re.compile(r"^/api/v1/incidents/[^/]+/stix$")

# Answers that are files, not JSON: the evidence download and the CSV export.
NOT_JSON = (re.compile(r"^/api/v1/assessments/[^/]+/attachments/[^/?]+$"),
            re.compile(r"^/api/v1/incidents/[^/]+/attachments/[^/?]+$"),
            re.compile(r"^/api/v1/campaigns/[^/]+/gaps\?(.*&)?format=csv"),
            re.compile(r"^/api/v1/responsiveness\?(.*&)?format=csv"),
            re.compile(r"^/api/v1/incidents/export"),
            re.compile(r"^/api/v1/orgs/[^/]+/inventory/export"),
            re.compile(r"^/api/v1/risks/export"),
            re.compile(r"^/api/v1/audit/export"),
            re.compile(r"^/api/v1/trainings/[^/]+\.ics$"),
            re.compile(r"^/api/v1/trainings/[^/]+/files/[^/?]+$"),
            re.compile(r"^/api/v1/calendar/[^/]+\.ics$"))


def urdu_catalog():
    """The national baseline with a new uuid and Urdu text in its title, first domain and first
    control (title and statement)."""
    with open(NATIONAL, encoding="utf-8") as fh:
        doc = json.load(fh)
    cat = doc["catalog"]
    cat["uuid"] = str(uuid.uuid4())
    cat["metadata"]["title"] = URDU_CATALOG
    group = cat["groups"][0]
    group["title"] = URDU_DOMAIN
    control = group["controls"][0]
    control["title"] = URDU_CONTROL
    for part in control["parts"]:
        if part["name"] == "statement":
            part["prose"] = URDU_STATEMENT
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


class TestCrawl(ServerCase):
    """The demo hierarchy with Urdu, emoji and accented text planted through the API."""

    SERVE_ARGS = ("--threads", "4") + signing_args()

    _crawl = None

    @classmethod
    def must(cls, r, status, what):
        if r.status != status:
            raise AssertionError("%s: expected %d, got %r" % (what, status, r))
        return r.json

    @classmethod
    def prepare(cls):
        nat = cls.client(NATIONAL_ADMIN)
        pb_admin = cls.demo_client("admin", "punjab-cert")
        pa = cls.demo_client("analyst", "punjab-cert")
        health = cls.demo_client("reporter", "pb-health")
        health_admin = cls.demo_client("admin", "pb-health")
        finance = cls.demo_client("reporter", "pb-finance")
        records = cls.demo_client("reporter", "pb-landrecords")
        # Orgs: Punjab Health renamed (its own admin may change its name), one new institution.
        cls.must(health_admin.patch("/api/v1/orgs/" + cls.org_of("pb-health"),
                                    {"name": URDU_ORG, "short_name": "صحت"}), 200, "rename")
        cls.new_org = cls.must(pb_admin.post("/api/v1/orgs", {
            "parent_id": cls.org_of("punjab-cert"), "kind": "institution", "name": URDU_NEW_ORG,
            "short_name": "ڈیجیٹل", "province": "punjab", "sector": "other"}), 201, "org")["id"]
        # People: a viewer at the National CERT and one at Punjab Health, named in Urdu.
        cls.must(nat.post("/api/v1/users", {"email": demo_email("viewer", "ncert"),
                                            "name": "ناظر — NCERT Viewer 👁️", "role": "viewer",
                                            "password": "viewer-password-2026"}), 201, "viewer")
        cls.must(health_admin.post("/api/v1/users", {
            "email": "nazira@pb-health.rabta.test", "name": URDU_USER, "role": "viewer",
            "password": "viewer-password-2026"}), 201, "user")
        cls.must(health.post("/api/v1/tokens", {"name": URDU_TOKEN}), 201, "token")
        # Guidelines: an Urdu catalog kept AMBER (Punjab's subtree only) with its profile, which
        # others must get 404 on; and the same catalog shared GREEN, with a profile and a campaign
        # (a campaign needs a catalog that every CERT above Punjab may read).
        r = pa.request("POST", "/api/v1/catalogs?tlp=AMBER", raw=urdu_catalog())
        cls.amber_catalog_id = cls.must(r, 201, "catalog import")["id"]
        r = pa.post("/api/v1/profiles", {"catalog_id": cls.amber_catalog_id,
                                         "title": URDU_PROFILE, "control_ids": PROFILE_CONTROLS,
                                         "applies_kinds": ["institution"]})
        cls.must(r, 201, "AMBER profile")
        r = pa.request("POST", "/api/v1/catalogs?tlp=GREEN", raw=urdu_catalog())
        cls.catalog_id = cls.must(r, 201, "catalog import")["id"]
        r = pa.post("/api/v1/profiles", {"catalog_id": cls.catalog_id, "title": URDU_PROFILE,
                                         "control_ids": PROFILE_CONTROLS,
                                         "applies_kinds": ["institution"]})
        cls.profile_id = cls.must(r, 201, "profile")["profile"]["id"]
        r = pa.post("/api/v1/campaigns", {"profile_id": cls.profile_id, "title": URDU_CAMPAIGN,
                                          "due_date": future_date()})
        camp = cls.must(r, 201, "campaign")
        if camp["assessments"] != 7:
            raise AssertionError("the campaign should reach Punjab's 7 institutions: %r" % camp)
        cls.campaign_id = camp["id"]
        items, _ = pa.list_all("/api/v1/assessments?campaign_id=" + cls.campaign_id, limit=500)
        aid = {x["org_id"]: x["id"] for x in items}
        cls.health_aid = aid[cls.org_of("pb-health")]
        finance_aid = aid[cls.org_of("pb-finance")]
        records_aid = aid[cls.org_of("pb-landrecords")]
        # Answers: Punjab Health attaches the Urdu-named file, answers with hostile evidence and
        # submits; Punjab Finance submits and is returned with an Urdu comment; Land Records
        # keeps a draft.
        r = health.request("POST", "/api/v1/assessments/%s/attachments?control_id=gv-1&filename=%s"
                           % (cls.health_aid, q(URDU_FILENAME)), raw=URDU_FILE,
                           headers={"Content-Type": "text/plain"})
        cls.attachment_id = cls.must(r, 201, "upload")["id"]
        marks = {"gv-1": ("implemented", 4), "gv-2": ("partial", 3), "am-1": ("planned", 1),
                 "br-2.1": ("partial", 2)}

        def answers(pick):
            return {"answers": [{"control_id": c, "status": marks[c][0], "maturity": marks[c][1],
                                 "evidence": EVIDENCE[c]} for c in pick]}
        cls.must(health.request("PUT", "/api/v1/assessments/%s/answers" % cls.health_aid,
                                answers(PROFILE_CONTROLS)), 200, "health answers")
        cls.must(health.post("/api/v1/assessments/%s/submit" % cls.health_aid), 200, "submit")
        marks_f = dict(marks, **{"gv-1": ("partial", 2), "am-1": ("implemented", 5)})
        cls.must(finance.request("PUT", "/api/v1/assessments/%s/answers" % finance_aid,
                                 {"answers": [{"control_id": c, "status": marks_f[c][0],
                                               "maturity": marks_f[c][1],
                                               "evidence": EVIDENCE[c]}
                                              for c in PROFILE_CONTROLS]}), 200, "finance")
        cls.must(finance.post("/api/v1/assessments/%s/submit" % finance_aid), 200, "submit")
        decisions = [{"control_id": c, "decision": "accept"} for c in PROFILE_CONTROLS
                     if c != "gv-2"]
        decisions.append({"control_id": "gv-2", "decision": "return", "comment": URDU_COMMENT})
        cls.must(pa.post("/api/v1/assessments/%s/review" % finance_aid,
                         {"decisions": decisions}), 200, "review")
        cls.must(records.request("PUT", "/api/v1/assessments/%s/answers" % records_aid,
                                 answers(["gv-2", "am-1"])), 200, "draft")
        # Incidents: an Urdu one with CII (escalated to the National CERT), a task, a file, a
        # comment and a link to a second one; a RED one only Punjab's CERT reads.
        inc = cls.must(health.post("/api/v1/incidents", {
            "title": URDU_INCIDENT, "description": URDU_INCIDENT_TEXT,
            "rsit_class": "malicious-code", "rsit_type": "infected-system", "severity": "high",
            "cii_involved": True, "affected_services": "ریکارڈ، اپائنٹمنٹس 📅"}), 201, "incident")
        cls.incident_id = inc["id"]
        cls.must(health.post("/api/v1/incidents/%s/tasks" % inc["id"],
                         {"title": URDU_TASK, "assignee_org_id": cls.org_of("pb-health"),
                          "due_date": "2030-01-01"}), 201, "task")
        cls.must(health.request("POST", "/api/v1/incidents/%s/attachments?filename=%s"
                                % (inc["id"], q(URDU_IOC_FILE)), raw=URDU_FILE,
                                headers={"Content-Type": "text/plain"}), 201, "incident file")
        cls.must(health.post("/api/v1/incidents/%s/comments" % inc["id"],
                             {"text": URDU_COMMENT}), 201, "comment")
        other = cls.must(health.post("/api/v1/incidents", {
            "title": "دوسرا واقعہ — phishing 🎣", "rsit_class": "fraud", "rsit_type": "phishing",
            "severity": "low"}), 201, "incident")
        cls.must(health.post("/api/v1/incidents/%s/links" % inc["id"],
                             {"incident_id": other["id"], "reason": "ایک ہی مہم 🎯"}), 201, "link")
        cls.must(finance.post("/api/v1/incidents", {
            "title": "خفیہ — RED 🔴", "rsit_class": "other", "rsit_type": "other",
            "severity": "medium", "tlp": "RED"}), 201, "RED incident")
        # Advisories: an Urdu one published to the nation, acknowledged in Punjab with an Urdu
        # note; an AMBER+STRICT draft only the National CERT reads.
        na = cls.demo_client("analyst", "ncert")
        adv = cls.must(na.post("/api/v1/advisories", {
            "title": URDU_ADVISORY, "summary": URDU_INCIDENT_TEXT, "severity": "critical",
            "products": [{"vendor": "مثال نیٹ ورکس", "product": "وی پی این گیٹ وے 🔐",
                          "version_range": "<9.4.2"}],
            "vulnerabilities": [{"cve": "CVE-2026-40001", "title": URDU_TASK}]}), 201, "advisory")
        cls.must(na.post("/api/v1/advisories/%s/publish" % adv["id"], {"scope": "subtree"}), 200,
                 "publish")
        cls.must(health.post("/api/v1/advisories/%s/acks" % adv["id"],
                             {"status": "acknowledged", "note": URDU_COMMENT}), 200, "ack")
        cls.must(na.post("/api/v1/advisories", {
            "title": "مسودہ — draft 📝", "tlp": "AMBER+STRICT",
            "products": [{"vendor": "X", "product": "Y"}],
            "vulnerabilities": [{"title": "Z"}]}), 201, "draft advisory")
        # Punjab Health's inventory: an Urdu product, one added through the CSV import.
        cls.must(health.post("/api/v1/orgs/%s/inventory" % cls.org_of("pb-health"), {
            "vendor": "مقامی سافٹ ویئر ہاؤس 💻", "product": URDU_PRODUCT, "version": "٢.١"}),
            201, "inventory item")
        cls.must(health.request("POST", "/api/v1/orgs/%s/inventory/import" % cls.org_of("pb-health"),
                                raw="vendor,product,version\r\nÉcole Systèmes,Gestion é,1\r\n"
                                .encode("utf-8"), headers={"Content-Type": "text/csv"}),
                 200, "inventory import")
        # A training session in Urdu: Punjab Health invited, a person registered and attended,
        # feedback, a link and a file of materials; Health's calendar feed.
        pa = cls.demo_client("analyst", "punjab-cert")
        tr = cls.must(pa.post("/api/v1/trainings", {
            "title": URDU_TRAINING, "description": URDU_INCIDENT_TEXT, "mode": "hybrid",
            "venue": "لاہور، ہال ٢ 🏛️", "meeting_url": "https://meet.rabta.test/اردو",
            "topics": ["ir", "gv-1"], "invited_org_ids": [cls.org_of("pb-health")],
            "starts_at": when(-1), "ends_at": when(24 * 10)}),
            201, "training")
        person = cls.must(health.post("/api/v1/trainings/%s/people" % tr["id"],
                                      {"name": URDU_USER}), 201, "registration")
        cls.must(pa.post("/api/v1/trainings/%s/attendance" % tr["id"],
                         {"person_id": person["id"], "mode": "virtual"}), 200, "attendance")
        cls.must(health.post("/api/v1/trainings/%s/feedback" % tr["id"],
                             {"person_id": person["id"], "rating": 5, "comment": URDU_COMMENT}),
                 200, "feedback")
        cls.must(pa.post("/api/v1/trainings/%s/links" % tr["id"],
                         {"title": URDU_TASK, "url": "https://docs.rabta.test/slides"}), 201,
                 "link")
        cls.must(pa.request("POST", "/api/v1/trainings/%s/files?filename=%s"
                            % (tr["id"], q(URDU_FILENAME)), raw=URDU_FILE,
                            headers={"Content-Type": "text/plain"}), 201, "training file")
        feed = cls.must(health.post("/api/v1/orgs/%s/calendar-feed" % cls.org_of("pb-health")),
                        201, "calendar feed")
        cls.feed_token = feed["token"]
        # Punjab Health's register: an Urdu risk, and one from a CSV file.
        cls.must(health.post("/api/v1/risks", {
            "title": URDU_RISK, "description": URDU_INCIDENT_TEXT, "likelihood": 4, "impact": 5,
            "owner": "ناظرہ بی بی", "control_ids": ["gv-1", "br-1"]}), 201, "risk")
        cls.must(health.request("POST", "/api/v1/risks/import",
                                raw="title,likelihood,impact,owner\r\nÉcole fermée é,2,3,Zoë\r\n"
                                .encode("utf-8"), headers={"Content-Type": "text/csv"}),
                 200, "risk import")
        # A webhook of the National CERT and a ping to it (its try to localhost is refused by the
        # private-address guard, so the delivery log has an error to show).
        hook = cls.must(nat.post("/api/v1/orgs/%s/webhooks" % cls.org_of("ncert"), {
            "url": "http://localhost:9/rabta", "events": ["*"]}), 201, "webhook")
        cls.must(nat.post("/api/v1/orgs/%s/webhooks/%s/test" % (cls.org_of("ncert"), hook["id"])),
                 202, "webhook test")

    # ---- the crawl (run once, checked by the tests below) ----

    @classmethod
    def crawlers(cls):
        """email -> Client; the national admin signs in with a cookie session (so
        GET /api/v1/session has a session to show), the others use bearer tokens."""
        out = {}
        for email in CRAWLERS:
            if email == NATIONAL_ADMIN:
                c = Client(cls.port)
                cls.must(c.sign_in(email), 201, "sign-in")
            else:
                c = cls.client(email)
            out[email] = c
        return out

    @classmethod
    def discover(cls, clients):
        """Fills a Found from what the list routes answer to each crawler."""
        f = Found()
        for slug in ("punjab-cert", "pb-health", "telecom-cert"):
            f.org_by_slug[slug] = cls.org_of(slug)
        for email, c in clients.items():
            if email is None:
                continue
            orgs, _ = c.list_all("/api/v1/orgs", limit=500)
            f.orgs.update(o["id"] for o in orgs)
            for name, path in (("catalogs", "/api/v1/catalogs"), ("profiles", "/api/v1/profiles"),
                               ("campaigns", "/api/v1/campaigns"),
                               ("assessments", "/api/v1/assessments")):
                items, _ = c.list_all(path, limit=500)
                getattr(f, name).update(x["id"] for x in items)
            me = c.get("/api/v1/me").json
            f.users.add(me["user"]["id"])
            if me["user"]["role"] in ("admin", "auditor"):
                for o in orgs:
                    items, _ = c.list_all("/api/v1/users?org_id=" + o["id"], limit=500)
                    f.users.update(u["id"] for u in items)
            if me["user"]["role"] == "admin":
                hooks = c.get("/api/v1/orgs/%s/webhooks" % me["org"]["id"])
                if hooks.status == 200:
                    f.webhooks.update((me["org"]["id"], h["id"]) for h in hooks.json["items"])
            items, _ = c.list_all("/api/v1/incidents", limit=500)
            f.incidents.update(x["id"] for x in items)
            items, _ = c.list_all("/api/v1/advisories", limit=500)
            f.advisories.update(x["id"] for x in items)
            items, _ = c.list_all("/api/v1/trainings", limit=500)
            f.trainings.update(x["id"] for x in items)
            items, _ = c.list_all("/api/v1/risks", limit=500)
            f.risks.update(x["id"] for x in items)
        f.feeds.add(cls.feed_token)
        reader = {}  # one crawler that reads each catalog, assessment and incident
        for email, c in clients.items():
            if email is None:
                continue
            # (the objects, their list the reader walks, its page size, what its items are)
            for kind, sub, limit, found in (("catalogs", "controls", 500, f.controls),
                                            ("assessments", "attachments", None, f.attachments),
                                            ("trainings", "files", None, f.training_files),
                                            ("incidents", "attachments", None, f.incident_files)):
                for o in f.sorted(kind):
                    if o not in reader and c.get("/api/v1/%s/%s" % (kind, o)).status == 200:
                        reader[o] = c
                        items, _ = c.list_all("/api/v1/%s/%s/%s" % (kind, o, sub), limit=limit)
                        found.update((o, x["id"]) for x in items)
        # The UI files: what index.html references, then what the scripts import.
        anon = clients[None]
        f.csaf_files.update(anon.get("/.well-known/csaf/clear/index.txt").body.decode().split())
        todo = UI_REF_RE.findall(anon.get("/").body.decode("utf-8", "replace"))
        while todo:
            name = todo.pop()
            if name in f.ui_files:
                continue
            f.ui_files.add(name)
            if name.endswith(".js"):
                todo.extend(JS_IMPORT_RE.findall(
                    anon.get("/ui/" + name).body.decode("utf-8", "replace")))
        return f

    @classmethod
    def crawl(cls):
        """Runs the crawl once: {(who, pattern): {"paths", "statuses", "problems"}}."""
        if cls._crawl is not None:
            return cls._crawl
        clients = cls.crawlers()
        found = cls.discover(clients)
        public = {r["path"] for r in cls.route_table() if not r["auth"]}
        results = {}
        for email, c in clients.items():
            who = email or "anonymous"
            for pattern, fill in ROUTES.items():
                rec = results.setdefault((who, pattern),
                                         {"paths": 0, "statuses": {}, "problems": []})
                for path in fill(found):
                    for page_path, r in cls.pages(c, path):
                        rec["paths"] += 1
                        rec["statuses"][r.status] = rec["statuses"].get(r.status, 0) + 1
                        for p in cls.problems(page_path, r, email, pattern in public):
                            rec["problems"].append("GET %s -> %d: %s" % (page_path, r.status, p))
        cls._found = found
        cls._crawl = results
        return results

    @classmethod
    def pages(cls, client, path):
        """Yields (path, response) for path and, while the answer has a next_cursor, the next
        pages."""
        sep = "&" if "?" in path else "?"
        cur = path
        for _ in range(MAX_PAGES):
            r = client.get(cur)
            yield cur, r
            cursor = None
            ctype = r.header("Content-Type") or ""
            if r.status == 200 and ctype.startswith("application/json"):
                try:
                    body = json.loads(r.body.decode("utf-8"))
                except ValueError:
                    body = None
                if isinstance(body, dict) and isinstance(body.get("next_cursor"), str):
                    cursor = body["next_cursor"]
            if cursor is None:
                return
            cur = path + sep + "cursor=" + q(cursor)
        raise AssertionError("GET %s: the cursor never ends" % path)

    @classmethod
    def problems(cls, path, r, email, public):
        """What is wrong with one answer (empty when nothing)."""
        out = []
        if r.status >= 500:
            out.append("a server error")
        if email is None and not public and r.status != 401:
            out.append("an anonymous caller should get 401 from a route that is not public")
        try:
            text = r.body.decode("utf-8")
        except UnicodeDecodeError as e:
            return out + ["the body is not strict UTF-8 (%s)" % e]
        ctype = r.header("Content-Type") or ""
        is_file = any(rx.search(path) for rx in NOT_JSON) and r.status == 200
        is_stix = STIX.search(path) and r.status == 200
        if is_stix and ctype != "application/stix+json;version=2.1":
            out.append("a STIX bundle with Content-Type %r" % ctype)
        if (path.startswith("/api/") or path == "/healthz") and not is_file and not is_stix \
                and not ctype.startswith("application/json"):
            out.append("an API answer with Content-Type %r, not application/json" % ctype)
        if ctype.startswith("application/json") or is_stix:
            try:
                value = json.loads(text)
            except ValueError as e:
                out.append("the JSON does not parse (%s)" % e)
            else:
                broken = [s for s in json_strings(value) if not encodes(s)]
                if broken:
                    out.append("%d strings escape a lone surrogate (not Unicode), e.g. %r"
                               % (len(broken), broken[0][:60]))
            bad = long_numbers(json_numbers(text))
            if bad:
                out.append("%d numbers with 16+ significant digits, e.g. %s"
                           % (len(bad), ", ".join(sorted(set(bad))[:4])))
        elif ctype.startswith("text/csv"):
            try:
                rows = list(csv.reader(io.StringIO(text, newline="")))
            except csv.Error as e:
                out.append("the CSV does not parse (%s)" % e)
                rows = []
            cells = [c for row in rows for c in row if NUMBER_RE.match(c)]
            bad = long_numbers(cells)
            if bad:
                out.append("%d CSV numbers with 16+ significant digits, e.g. %s"
                           % (len(bad), ", ".join(sorted(set(bad))[:4])))
        return out

    @classmethod
    def route_table(cls):
        return json.loads(cli_ok("routes", "--json"))

    def get_patterns(self):
        return sorted(r["path"] for r in self.route_table() if r["method"] == "GET")

    # ---- the tests ----

    def test_the_crawl_map_names_exactly_the_get_routes_of_the_table(self):
        table = self.get_patterns()
        self.assertIn("/", table)
        self.assertIn("/ui/{file}", table)
        self.assertEqual(sorted(set(table) - set(ROUTES)), [],
                         "GET routes the crawl does not know how to fill: add them to ROUTES")
        self.assertEqual(sorted(set(ROUTES) - set(table)), [],
                         "ROUTES names patterns the route table no longer has")

    def test_every_get_route_was_requested_and_answered_200(self):
        results = self.crawl()
        for pattern in self.get_patterns():
            with self.subTest(route=pattern):
                recs = [v for (who, p), v in results.items() if p == pattern]
                self.assertTrue(recs, "GET %s was never requested" % pattern)
                self.assertGreater(sum(v["paths"] for v in recs), 0,
                                   "GET %s: its fill gave no path" % pattern)
                self.assertGreater(sum(v["statuses"].get(200, 0) for v in recs), 0,
                                   "GET %s never answered 200 to any crawler: %r"
                                   % (pattern, [v["statuses"] for v in recs]))

    def test_ids_found_by_others_are_refused_with_404(self):
        """The crawl did ask for objects the caller cannot read, and they answered 404 (the
        premise of "404 must also decode"): the reporter at Punjab Health reads no other
        institution's assessment, and the national admin does not read Punjab's AMBER catalog."""
        results = self.crawl()
        reporter = demo_email("reporter", "pb-health")
        self.assertGreater(results[(reporter, "/api/v1/assessments/{id}")]["statuses"]
                           .get(404, 0), 30)
        self.assertGreater(results[(NATIONAL_ADMIN, "/api/v1/catalogs/{id}")]["statuses"]
                           .get(404, 0), 0)
        self.assertGreater(results[(reporter, "/api/v1/orgs/{id}")]["statuses"].get(404, 0), 40)

    def test_every_get_answer_is_strict_utf8_and_json_with_short_numbers(self):
        results = self.crawl()
        for (who, pattern), rec in sorted(results.items()):
            with self.subTest(user=who, route=pattern):
                probs = rec["problems"]
                self.assertEqual(probs[:8], [], "%d of %d answers are wrong (first 8 shown)"
                                 % (len(probs), rec["paths"]))

    def test_planted_text_reads_back_exactly(self):
        """The premise of the crawl: the hostile text went in and comes back byte for byte, so
        the crawl really carried it through the answers."""
        hr = self.demo_client("reporter", "pb-health")
        me = hr.get("/api/v1/me").json
        self.assertEqual(me["org"]["name"], URDU_ORG)
        got = hr.get("/api/v1/assessments/" + self.health_aid).json
        self.assertEqual(got["assessment"]["campaign_title"], URDU_CAMPAIGN)
        self.assertEqual(got["assessment"]["org_name"], URDU_ORG)
        evidence = {k["id"]: k["answer"]["evidence"] for k in got["controls"]}
        self.assertEqual(evidence, EVIDENCE)
        titles = {k["id"]: k["title"] for k in got["controls"]}
        self.assertEqual(titles["gv-1"], URDU_CONTROL)
        files = hr.get("/api/v1/assessments/%s/attachments" % self.health_aid).json["items"]
        self.assertEqual([(x["id"], x["filename"]) for x in files],
                         [(self.attachment_id, URDU_FILENAME)])
        r = hr.get("/api/v1/assessments/%s/attachments/%s" % (self.health_aid,
                                                             self.attachment_id))
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.body, URDU_FILE)
        self.assertIn("filename*=UTF-8''" + q(URDU_FILENAME), r.header("Content-Disposition"))
        tokens = hr.get("/api/v1/tokens").json["items"]
        self.assertIn(URDU_TOKEN, [t["name"] for t in tokens])
        pa = self.demo_client("analyst", "punjab-cert")
        cat = pa.get("/api/v1/catalogs/" + self.catalog_id).json
        self.assertEqual(cat["catalog"]["title"], URDU_CATALOG)
        self.assertEqual(cat["groups"][0]["title"], URDU_DOMAIN)
        ctl = pa.get("/api/v1/catalogs/%s/controls/gv-1" % self.catalog_id).json
        self.assertTrue(ctl["statement"].startswith(URDU_STATEMENT + "\n"), ctl["statement"])
        orgs, _ = pa.list_all("/api/v1/orgs")
        self.assertIn(URDU_NEW_ORG, [o["name"] for o in orgs])
        ru = pa.get("/api/v1/campaigns/%s/rollup" % self.campaign_id).json
        self.assertIn(URDU_NEW_ORG, [p["org_name"] for p in ru["not_submitted_orgs"]])
        returned = pa.get("/api/v1/assessments?campaign_id=%s&status=returned"
                          % self.campaign_id).json["items"]
        self.assertEqual(len(returned), 1)
        hist = pa.get("/api/v1/assessments/%s/history" % returned[0]["id"]).json["items"]
        self.assertIn(URDU_COMMENT, [e["comment"] for e in hist])

    def test_the_digit_rule_itself(self):
        """The checker, on known texts (so a pass above means what it says)."""
        self.assertEqual(significant_digits("85.049999999999997"), 17)
        self.assertEqual(significant_digits("85.05"), 4)
        self.assertEqual(significant_digits("-0.30000000000000004"), 17)
        self.assertEqual(significant_digits("1000"), 1)
        self.assertEqual(significant_digits("0"), 0)
        text = '{"a":"85.049999999999997 in a string","b":[85.05,1e+300,12345678901234567]}'
        self.assertEqual(json_numbers(text), ["85.05", "1e+300", "12345678901234567"])
        self.assertEqual(long_numbers(json_numbers(text)), ["12345678901234567"])
        self.assertEqual(json_numbers('{"k\\"85.0499999999999":1.5}'), ["1.5"])
        self.assertFalse(encodes(json.loads('"\\ud83c"')))
        self.assertTrue(encodes(json.loads('"\\ud83c\\udff3 \u0631"')))
