"""The authorisation matrix, generated from the tables.

For every route of the route table (`rabta routes --json`) x every role (admin, analyst, reporter,
viewer, auditor) x every viewer position of the sharing policy (owner; granted with scope org, and
an org below it; granted with scope subtree, and an org below it; sibling; parent CERT; grandparent
CERT; national root; unrelated; below the owner; and "self" for users and tokens) x every TLP
(CLEAR, GREEN, AMBER, AMBER+STRICT, RED), the server answers the status the tables say:

    401  the route needs a caller and there is none;
    404  the route's {id} names an object (its `kind`) the caller may not read -- whatever the role;
    403  the caller's role lacks the route's `perm` (GET /api/v1/me lists the role's permissions),
         or the route's `who` does not admit the caller's org;
    else "allowed": any status but 401/403/404, and below 500.

Three tables drive it and nothing else: the route table (method, path, auth, kind, perm, who), the
permission table (each caller's /me) and the sharing policy, written here in Python from DESIGN.md
section 5 (not from the C). Every route row is planned from the table; a row whose kind has no
fixture here, whose path parameter the PARAM_FILL map cannot fill, or whose `who` is unknown makes
the test FAIL naming the row -- so a new route or kind is covered the day it is added.

The fixtures: one object per shareable kind per TLP, owned by O, with exactly two grants -- scope
`org` to sindh-cert (G) and scope `subtree` to kp-cert (S, with kp-health below it). Catalogs,
profiles and campaigns are owned by a new CERT `mx-cert` below punjab-cert; assessments by a new
institution `mx-inst` below mx-cert (beside it the institution `mx-sibling`). The objects are made
through the API (catalog import, profile, campaign launch, one evidence file per assessment); then
the server is stopped and their owner, TLP and grants are set with sqlite3 in this test's own
database copy, and the server started again. Orgs, users and tokens are checked in the same two
families of positions, plus "self" (a user reading or changing their own account, revoking their
own spare token). Every position org has users of all five roles, each with a bearer token.

Requests must not change what later requests expect: bodies are invalid for their handler (`{}`,
an upload without control_id), so an allowed request answers 4xx instead of writing. The few
allowed requests that do write (closing a campaign, PATCH of an org with `{}`, revoking one's own
spare token, signing out) change nothing the expectations rest on.

About 6,800 requests for the 48 routes of today (the exact number is printed; set
RABTA_MATRIX_VERBOSE=1 to print, per route, how often each expectation met each status), plus about
440 for the lists and roll-ups. One server, one keep-alive connection.
"""

import concurrent.futures
import datetime
import http.client
import json
import os
import re
import sqlite3
import sys
import unittest

from harness import (signing_args, signing_key, ServerCase, Server, Client, cli_ok, db_query, demo_email, DEMO_PASSWORD,
                     TOKEN_RE)

ROLES = ("admin", "analyst", "reporter", "viewer", "auditor")
TLPS = ("CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED")
NIL = "00000000-0000-4000-8000-000000000000"
PARALLEL = 4  # CLI runs and sign-ins at once (argon2id dominates both)

# ---- the hierarchy of the fixtures ----

# New orgs: slug -> (name, kind, parent slug, sector).
NEW_ORGS = {
    "mx-cert": ("Matrix Owner CERT", "sectoral_cert", "punjab-cert", "health"),
    "mx-inst": ("Matrix Owner Institution", "institution", "mx-cert", "health"),
    "mx-sibling": ("Matrix Sibling Institution", "institution", "mx-cert", "health"),
}

# Viewer positions of the sharing policy, per owner: position -> org slug. Every slug is a
# distinct org, so a position is never confused with another.
FAMILIES = {
    # catalogs, profiles, campaigns (and the org / user / token objects of the CERT)
    "cert-owned": {
        "owner": "mx-cert",
        "granted": "sindh-cert",            # grant scope org
        "below-granted": "sd-health",       # below an org-scope grant: no access
        "subtree-grantee": "kp-cert",       # grant scope subtree, the granted org itself
        "below-subtree-grant": "kp-health",
        "sibling": "pb-health",             # another child of punjab-cert
        "parent": "punjab-cert",            # the owner's parent CERT, no grant
        "national": "ncert",                # the root, no grant
        "unrelated": "bl-health",
        "below-owner": "mx-inst",           # rank gives no implicit access, downwards either
    },
    # assessments (and the org / user objects of the institution)
    "institution-owned": {
        "owner": "mx-inst",
        "granted": "sindh-cert",
        "below-granted": "sd-health",
        "subtree-grantee": "kp-cert",
        "below-subtree-grant": "kp-health",
        "sibling": "mx-sibling",
        "parent": "mx-cert",
        "grandparent": "punjab-cert",
        "national": "ncert",
        "unrelated": "bl-health",
    },
}
# The two grants of every shareable fixture: (org slug, scope).
GRANTS = (("sindh-cert", "org"), ("kp-cert", "subtree"))
SHAREABLE_FAMILY = {"catalog": "cert-owned", "profile": "cert-owned", "campaign": "cert-owned",
                    "assessment": "institution-owned", "incident": "institution-owned",
                    "advisory": "cert-owned", "risk": "institution-owned",
                    "training": "cert-owned"}
KIND_TABLE = {"catalog": "catalogs", "profile": "profiles", "campaign": "campaigns",
              "assessment": "assessments", "incident": "incidents", "advisory": "advisories",
              "risk": "risks", "training": "trainings"}
# Incidents are handled on behalf of the org they are about: the fixtures are about their owner
# and handled by the org granted with scope `org`, so that every `who` of an incident route has
# callers it admits.
INCIDENT_HANDLER = "sindh-cert"
# A user of each family's owner org that is never a caller (the object of user and token routes).
TARGETS = {"cert-owned": "target@mx-cert.rabta.test",
           "institution-owned": "target@mx-inst.rabta.test"}

CALLER_SLUGS = sorted({s for fam in FAMILIES.values() for s in fam.values()})

# A small catalog (two domains, three controls); each import gets its own OSCAL uuid.
CONTROL = "mx-1"


def small_catalog(n):
    return {"catalog": {
        "uuid": "5a1e0000-0000-4000-8000-%012d" % n,
        "metadata": {"title": "Authorisation matrix catalog %d" % n, "version": "1",
                     "oscal-version": "1.1.2", "last-modified": "2026-01-01T00:00:00Z"},
        "groups": [
            {"id": "mx", "title": "Matrix", "controls": [
                {"id": CONTROL, "title": "One", "parts": [
                    {"id": CONTROL + "_smt", "name": "statement", "prose": "Do one thing."}]},
                {"id": "mx-2", "title": "Two"}]},
            {"id": "my", "title": "Other", "controls": [{"id": "my-1", "title": "Three"}]}]}}


# ---- how a request is made ----

# Bodies: every method with a body sends one that is invalid for the handler, so that an allowed
# request is refused by the handler (4xx) instead of writing. (method, path) -> (query, content
# type, bytes); any other POST/PUT/PATCH sends `{}` as JSON.
DEFAULT_BODY = ("", "application/json", b"{}")
BODIES = {
    # the upload's body is the file; without ?control_id= it is refused before anything is stored
    ("POST", "/api/v1/assessments/{id}/attachments"):
        ("?filename=x.txt", "application/octet-stream", b"matrix"),
    # without ?filename= the file is refused before anything is stored
    ("POST", "/api/v1/incidents/{id}/attachments"): ("", "application/octet-stream", b"matrix"),
}
# Routes of the cookie session: a bearer token has no session (the handler answers 404 to it by
# design), so these are called with a cookie from POST /api/v1/session for the same user, and
# with its CSRF token. DELETE signs the session out; the next session request signs in again.
SESSION_ROUTES = {("GET", "/api/v1/session"), ("DELETE", "/api/v1/session")}
# Routes whose allowed request changes state the other routes' handlers look at (a closed
# campaign's assessments answer 409 to every write): planned after every other route, so the
# other write routes are refused by their handlers' input checks (400/422) instead.
RUN_LAST = {("POST", "/api/v1/campaigns/{id}/close"),
            ("DELETE", "/api/v1/orgs/{id}/webhooks/{webhook}"),
            ("DELETE", "/api/v1/orgs/{id}/inventory/{item}"),
            # a new calendar feed revokes the old, whose token the public feed route uses
            ("POST", "/api/v1/orgs/{id}/calendar-feed"),
            ("DELETE", "/api/v1/orgs/{id}/calendar-feed")}

# How each path parameter is filled, per the kind of the route's {id}:
# (parameter, kind) -> fill(object, caller) -> text.
PARAM_FILL = {
    ("id", "org"): lambda o, c: o.target(c).id,
    ("id", "user"): lambda o, c: o.target(c).id,
    ("id", "token"): lambda o, c: o.target(c).id,
    ("id", "catalog"): lambda o, c: o.target(c).id,
    ("id", "profile"): lambda o, c: o.target(c).id,
    ("id", "campaign"): lambda o, c: o.target(c).id,
    ("id", "assessment"): lambda o, c: o.target(c).id,
    ("id", "incident"): lambda o, c: o.target(c).id,
    ("id", "advisory"): lambda o, c: o.target(c).id,
    ("id", "risk"): lambda o, c: o.target(c).id,
    ("task", "incident"): lambda o, c: o.task,
    ("file", "incident"): lambda o, c: o.attachment,
    ("webhook", "org"): lambda o, c: o.webhook,
    ("control", "catalog"): lambda o, c: CONTROL,
    ("control", "assessment"): lambda o, c: CONTROL,
    ("attachment", "assessment"): lambda o, c: o.attachment,
    ("file", None): lambda o, c: "app.js",
    # the CSAF provider's one file: the published TLP:CLEAR advisory fixture (set by prepare)
    ("year", None): lambda o, c: CSAF_PUBLIC["year"],
    ("name", None): lambda o, c: CSAF_PUBLIC["name"],
    # the provider's public key (the matrix server signs with the harness's key)
    ("key", None): lambda o, c: (signing_key()[1] if signing_key() else "none") + ".asc",
    ("id", "inventory"): lambda o, c: o.target(c).id,
    # each caller of the owner org has an item of its own (a DELETE it is allowed removes it)
    ("item", "inventory"): lambda o, c: o.items.get(c.email if c else None, o.items[None]),
    ("id", "training"): lambda o, c: o.target(c).id,
    ("file", "training"): lambda o, c: o.attachment,
    # the public calendar feed of mx-cert (made by prepare)
    ("token", None): lambda o, c: CALENDAR_FEED["token"],
}
PARAM_RE = re.compile(r"\{([a-z_]+)\}")
CSAF_PUBLIC = {"year": "0000", "name": "none.json"}
CALENDAR_FEED = {"token": "rbc_none"}

# Lists the policy filters (beyond the status matrix): list route -> kind of its items. Each
# caller must see exactly the fixtures of that kind it may read.
LISTS = {"/api/v1/catalogs": "catalog", "/api/v1/profiles": "profile",
         "/api/v1/campaigns": "campaign", "/api/v1/assessments": "assessment",
         "/api/v1/incidents": "incident", "/api/v1/orgs": "org",
         "/api/v1/advisories": "advisory", "/api/v1/risks": "risk",
         "/api/v1/trainings": "training"}


class Conn:
    """One keep-alive HTTP connection to the server (reopened when the server closes it)."""

    def __init__(self, port):
        self.port = port
        self.c = None
        self.count = 0

    def close(self):
        if self.c is not None:
            self.c.close()
            self.c = None

    def send(self, method, path, body=None, headers=None):
        self.count += 1
        for attempt in (0, 1):
            if self.c is None:
                self.c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            try:
                self.c.request(method, path, body=body, headers=headers or {})
                r = self.c.getresponse()
                data = r.read()
            except (http.client.RemoteDisconnected, http.client.CannotSendRequest,
                    ConnectionResetError, BrokenPipeError):
                self.close()
                if attempt:
                    raise
                continue
            if r.will_close:
                self.close()
            return r.status, data


# ---- the actors and the objects ----

class Caller:
    def __init__(self, email, role, slug):
        self.email, self.role, self.slug = email, role, slug
        self.org = self.user_id = self.token = self.spare_token_id = None
        self.perms = None
        self.cookie = self.csrf = None

    def __repr__(self):
        return self.email


class Target:
    """What one request's {id} names: id, its owner org (for `who`), for users and tokens the user
    it is or belongs to, and for incidents the org handling it and the org it is about."""

    def __init__(self, id, owner, user_id=None, handler=None, subject=None):
        self.id, self.owner, self.user_id = id, owner, user_id
        self.handler, self.subject = handler, subject if subject else owner


class Obj:
    """One fixture object. positions: position -> org slug (None: every caller, as "self").
    target(caller) -> Target."""

    def __init__(self, kind, label, positions, target, tlp=None, grants=(), attachment=None,
                 task=None, webhook=None, items=None):
        self.kind, self.label, self.positions = kind, label, positions
        self.target, self.tlp, self.grants, self.attachment = target, tlp, grants, attachment
        self.task, self.webhook, self.items = task, webhook, items


# ---- the oracle: DESIGN.md section 5, written from the spec ----

class Tree:
    def __init__(self, rows):
        self.parent = {i: p for i, p, _ in rows}
        self.kind = {i: k for i, _, k in rows}

    def ancestors(self, org):
        out = []
        p = self.parent.get(org)
        while p is not None:
            out.append(p)
            p = self.parent.get(p)
        return out

    def is_cert(self, org):
        return self.kind[org] != "institution"


def shareable_readable(tree, viewer_org, owner, tlp, grants):
    """The sharing policy (DESIGN.md section 5, "made exact") for a signed-in viewer's org and an
    object's owner, TLP and grants [(org, scope)]."""
    if tlp in ("CLEAR", "GREEN"):
        return True  # every signed-in org of the community
    if viewer_org == owner:
        return True
    for org, scope in grants:
        if viewer_org == org:
            return True  # AMBER, AMBER+STRICT and RED: each granted org itself
        if tlp == "AMBER" and scope == "subtree" and org in tree.ancestors(viewer_org):
            return True  # AMBER only: every org below a subtree grant
    return False  # rank gives no implicit access


def may_read(tree, obj, caller, t):
    """May caller read t (of obj's kind)? From the spec, per kind."""
    k = obj.kind
    if k in SHAREABLE_FAMILY:
        return shareable_readable(tree, caller.org, t.owner, obj.tlp, obj.grants)
    if k == "org":
        o = t.id
        return (caller.org == o or o in tree.ancestors(caller.org)
                or caller.org in tree.ancestors(o))
    if k == "user":
        if caller.user_id == t.user_id:
            return True
        return caller.role in ("admin", "auditor") and (
            caller.org == t.owner
            or (tree.is_cert(caller.org) and caller.org in tree.ancestors(t.owner)))
    if k == "token":
        return caller.user_id == t.user_id
    if k == "inventory":  # the org itself and every CERT above it; never below or beside
        return caller.org == t.id or caller.org in tree.ancestors(t.id)
    raise KeyError(k)


def who_rule(who):
    """who -> admits(tree, caller, target), or None when the test does not know the name."""
    return {
        "any": lambda tree, c, t: True,
        "cert": lambda tree, c, t: tree.is_cert(c.org),
        "owner": lambda tree, c, t: c.org == t.owner,
        "owner_parent": lambda tree, c, t: tree.parent.get(t.owner) == c.org,
        "owner_or_above": lambda tree, c, t: c.org == t.owner or c.org in tree.ancestors(t.owner),
        "org_admin": lambda tree, c, t: c.org == t.owner or tree.parent.get(c.org) is None,
        "handler": lambda tree, c, t: t.handler is not None and c.org == t.handler,
        "party": lambda tree, c, t: c.org in (t.owner, t.subject, t.handler),
    }.get(who)


WHO_NEEDS_OBJECT = {"owner", "owner_parent", "owner_or_above", "org_admin", "handler", "party"}


def expect(tree, route, caller, obj, t):
    """(status or "allowed", why) for caller (None: anonymous) on route and object."""
    if caller is None:
        if route["auth"]:
            return 401, "the route needs a caller"
        return "allowed", "public route"
    if route["kind"] and not may_read(tree, obj, caller, t):
        return 404, "the caller may not read the %s" % route["kind"]
    if route["perm"] not in caller.perms:
        return 403, "role %s lacks %s" % (caller.role, route["perm"])
    if not who_rule(route["who"])(tree, caller, t):
        return 403, "who=%s does not admit the caller's org" % route["who"]
    return "allowed", "perm %s, who=%s" % (route["perm"], route["who"])


def status_ok(expected, got):
    if expected == "allowed":
        return got not in (401, 403, 404) and got < 500
    return got == expected


def future_date(days=400):
    return (datetime.date.today() + datetime.timedelta(days=days)).isoformat()


def created(r, what):
    """r's body, when r answered 201 Created; else the setup fails, saying what was not made."""
    if r.status != 201:
        raise AssertionError("%s: %r" % (what, r))
    return r.json


def parallel(fn, items):
    with concurrent.futures.ThreadPoolExecutor(PARALLEL) as ex:
        return list(ex.map(fn, items))


class TestAuthzMatrix(ServerCase):

    # -- fixtures --

    @classmethod
    def prepare_db(cls):
        cls.routes = json.loads(cli_ok("routes", "--json"))
        people = cls.people()
        slug_org = {}
        for s in CALLER_SLUGS:
            if s not in NEW_ORGS:
                slug_org[s] = people[demo_email("admin", s)]["org_id"]

        def add_org(slug):
            name, kind, parent, sector = NEW_ORGS[slug]
            out = cli_ok("org", "add", "--db", cls.db, "--parent", slug_org[parent], "--kind",
                         kind, "--name", name, "--sector", sector, "--json")
            slug_org[slug] = json.loads(out)["id"]

        add_org("mx-cert")
        parallel(add_org, ["mx-inst", "mx-sibling"])
        cls.slug_org = slug_org

        wanted = [(demo_email(r, s), r, s) for s in CALLER_SLUGS for r in ROLES]
        wanted += [(TARGETS[f], "viewer", FAMILIES[f]["owner"]) for f in FAMILIES]
        missing = [w for w in wanted if w[0] not in people]
        parallel(lambda w: cli_ok("user", "add", "--db", cls.db, "--org", slug_org[w[2]],
                                  "--email", w[0], "--role", w[1], "--password-stdin",
                                  input=DEMO_PASSWORD), missing)
        people = cls.people(refresh=True)

        cls.callers = {}
        for s in CALLER_SLUGS:
            for r in ROLES:
                c = Caller(demo_email(r, s), r, s)
                c.org, c.user_id = slug_org[s], people[c.email]["id"]
                if people[c.email]["role"] != r or people[c.email]["org_id"] != c.org:
                    raise AssertionError("%s is not a %s of %s: %r" % (c.email, r, s,
                                                                       people[c.email]))
                cls.callers[(s, r)] = c
        cls.targets = {f: (people[e]["id"], slug_org[FAMILIES[f]["owner"]])
                       for f, e in TARGETS.items()}

        def make_token(job):
            email, name = job
            t = json.loads(cli_ok("token", "create", "--db", cls.db, "--user", email, "--name",
                                  name, "--json"))
            if not TOKEN_RE.match(t["token"]):
                raise AssertionError("rabta token create printed %r" % t)
            return t

        jobs = [(c.email, n) for c in cls.callers.values() for n in ("authz-matrix", "spare")]
        jobs += [(TARGETS[f], "target") for f in FAMILIES]
        made = dict(zip(jobs, parallel(make_token, jobs)))
        for c in cls.callers.values():
            c.token = made[(c.email, "authz-matrix")]["token"]
            c.spare_token_id = made[(c.email, "spare")]["id"]
            cls._tokens[c.email] = c.token  # ServerCase.client(email) uses it
        cls.target_tokens = {f: made[(TARGETS[f], "target")]["id"] for f in FAMILIES}

    @classmethod
    def prepare(cls):
        cls.webhooks = cls.make_webhooks()
        cls.inventory_items = cls.make_inventory_items()
        cls.make_calendar_feeds()
        made = cls.make_shareables()
        # Stop, set owner / TLP / grants in this test's own copy, start again.
        cls.server.stop_and_check()
        cls.server = None
        cls.set_policy(made)
        cls.server = Server(cls.db, cls.tmp, tuple(cls.SERVE_ARGS) + signing_args(),
                            name="matrix").start()
        cls.port = cls.server.port
        cls.conn = Conn(cls.port)
        cls.tree = Tree(db_query(cls.db, "SELECT id, parent_id, kind FROM orgs"))
        for c in cls.callers.values():
            status, body = cls.conn.send("GET", "/api/v1/me", headers=cls.auth(c))
            me = json.loads(body) if status == 200 else None
            if not me or me["user"]["id"] != c.user_id or me["org"]["id"] != c.org:
                raise AssertionError("GET /api/v1/me as %s: %d %r" % (c.email, status, body))
            c.perms = set(me["permissions"])
        cls.objects = cls.make_objects(made)
        status, body = cls.conn.send("GET", "/.well-known/csaf/clear/index.txt")
        first = body.decode("utf-8").split()[0] if status == 200 and body.strip() else ""
        if "/" not in first:
            raise AssertionError("the CSAF provider lists no TLP:CLEAR advisory: %d %r"
                                 % (status, body))
        CSAF_PUBLIC["year"], CSAF_PUBLIC["name"] = first.split("/", 1)

    @classmethod
    def make_webhooks(cls):
        """One webhook of each family's owner org (the {webhook} of the webhook routes)."""
        out = {}
        for f in FAMILIES:
            slug = FAMILIES[f]["owner"]
            r = cls.demo_client("admin", slug).post(
                "/api/v1/orgs/%s/webhooks" % cls.slug_org[slug],
                {"url": "https://hooks.example.org/matrix", "events": ["*"]})
            created(r, "webhook of %s not added" % slug)
            out[slug] = r.json["id"]
        return out

    @classmethod
    def make_inventory_items(cls):
        """Items of each family's owner org's inventory: one per user of the org (the {item} a
        DELETE by that caller removes), and one for every other caller (None)."""
        out = {}
        for f in FAMILIES:
            slug = FAMILIES[f]["owner"]
            rep = cls.demo_client("reporter", slug)
            items = {}
            for who in [None] + [demo_email(r, slug) for r in ROLES]:
                r = rep.post("/api/v1/orgs/%s/inventory" % cls.slug_org[slug],
                             {"vendor": "Matrix", "product": "Item of %s" % (who or "others")})
                created(r, "inventory item of %s not added" % slug)
                items[who] = r.json["id"]
            out[slug] = items
        return out

    @classmethod
    def make_calendar_feeds(cls):
        """A calendar feed of each family's owner org (the object of the feed routes); mx-cert's
        token is what the public feed route is called with."""
        for f in FAMILIES:
            slug = FAMILIES[f]["owner"]
            r = cls.demo_client("reporter", slug).post(
                "/api/v1/orgs/%s/calendar-feed" % cls.slug_org[slug])
            created(r, "calendar feed of %s not made" % slug)
            if slug == "mx-cert":
                CALENDAR_FEED["token"] = r.json["token"]

    @classmethod
    def make_shareables(cls):
        """One catalog, profile, campaign and assessment (with an evidence file) per TLP, made
        through the API while everything is still GREEN/default. Returns
        {kind: [(id, attachment id or None)] in TLPS order}."""
        ana = cls.demo_client("analyst", "mx-cert")
        rep = cls.demo_client("reporter", "mx-inst")
        out = {k: [] for k in KIND_TABLE}
        for tlp in TLPS:
            # A low incident about mx-inst (no escalation rule fires), with a task and a file.
            r = rep.post("/api/v1/incidents", {"title": "Matrix incident %s" % tlp,
                                               "rsit_class": "other", "rsit_type": "other",
                                               "severity": "low"})
            inc = created(r, "incident not reported")["id"]
            r = rep.post("/api/v1/incidents/%s/tasks" % inc, {"title": "Matrix task"})
            task = created(r, "task not added")["id"]
            r = rep.request("POST", "/api/v1/incidents/%s/attachments?filename=log.txt" % inc,
                            raw=b"log\n", headers={"Content-Type": "text/plain"})
            created(r, "file not attached")
            out["incident"].append((inc, r.json["id"], task))
        for tlp in TLPS:
            # An advisory of mx-cert (published by set_policy: a draft is its owner's alone).
            r = ana.post("/api/v1/advisories", {
                "title": "Matrix advisory %s" % tlp,
                "products": [{"vendor": "Matrix", "product": "Gateway"}],
                "vulnerabilities": [{"cve": "CVE-2026-0001"}]})
            created(r, "advisory not written")
            out["advisory"].append((r.json["id"], None, None))
        for tlp in TLPS:
            # A training session of mx-cert with a material file (its TLP set by set_policy).
            now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
            r = ana.post("/api/v1/trainings", {
                "title": "Matrix training %s" % tlp, "mode": "in_person", "venue": "Hall",
                "starts_at": (now - datetime.timedelta(hours=1)).isoformat(),
                "ends_at": (now + datetime.timedelta(days=2)).isoformat(),
                "invited_org_ids": [cls.slug_org["mx-inst"]]})
            tid = created(r, "training not made")["id"]
            r = ana.request("POST", "/api/v1/trainings/%s/files?filename=slides.txt" % tid,
                            raw=b"slides\n", headers={"Content-Type": "text/plain"})
            created(r, "training material not added")
            out["training"].append((tid, r.json["id"], None))
            # A risk of mx-inst's register (its TLP and grants are set by set_policy).
            r = rep.post("/api/v1/risks", {"title": "Matrix risk %s" % tlp, "likelihood": 3,
                                           "impact": 4})
            created(r, "risk not recorded")
            out["risk"].append((r.json["id"], None, None))
        for n, tlp in enumerate(TLPS):
            r = ana.request("POST", "/api/v1/catalogs",
                            raw=json.dumps(small_catalog(n)).encode())
            cat = created(r, "catalog not imported")["id"]
            r = ana.post("/api/v1/profiles", {"catalog_id": cat, "title": "Matrix %s" % tlp,
                                              "control_ids": [CONTROL, "my-1"]})
            created(r, "profile not made")
            prof = r.json["profile"]["id"]
            r = ana.post("/api/v1/campaigns", {"profile_id": prof, "title": "Matrix %s" % tlp,
                                               "due_date": future_date()})
            if r.status != 201 or r.json["assessments"] != 2:
                raise AssertionError("campaign not launched over mx-cert: %r" % r)
            camp = r.json["id"]
            r = ana.get("/api/v1/assessments?campaign_id=%s&limit=500" % camp)
            mine = [a["id"] for a in r.json["items"] if a["org_id"] == cls.slug_org["mx-inst"]]
            if r.status != 200 or len(mine) != 1:
                raise AssertionError("no assessment of mx-inst in %s: %r" % (camp, r))
            r = rep.request("POST", "/api/v1/assessments/%s/attachments?control_id=%s"
                            "&filename=evidence.txt" % (mine[0], CONTROL), raw=b"evidence\n",
                            headers={"Content-Type": "text/plain"})
            created(r, "evidence not attached")
            out["catalog"].append((cat, None))
            out["profile"].append((prof, None))
            out["campaign"].append((camp, None))
            out["assessment"].append((mine[0], r.json["id"]))
        for k in out:
            out[k] = [row if len(row) == 3 else row + (None,) for row in out[k]]
        return out

    @classmethod
    def set_policy(cls, made):
        """Owner, TLP and exactly the two GRANTS of every shareable fixture (server stopped)."""
        granted_by = cls.callers[("mx-cert", "analyst")].user_id
        con = sqlite3.connect(cls.db)
        try:
            with con:
                for kind, rows in made.items():
                    owner = cls.slug_org[FAMILIES[SHAREABLE_FAMILY[kind]]["owner"]]
                    for (oid, _, _), tlp in zip(rows, TLPS):
                        cur = con.execute("UPDATE %s SET owner_org = ?, tlp = ? WHERE id = ?"
                                          % KIND_TABLE[kind], (owner, tlp, oid))
                        if cur.rowcount != 1:
                            raise AssertionError("no %s %s" % (kind, oid))
                        if kind == "advisory":
                            con.execute("UPDATE advisories SET status = 'published' WHERE id = ?",
                                        (oid,))
                        if kind == "incident":
                            con.execute("UPDATE incidents SET org_id = ?, handling_org = ? "
                                        "WHERE id = ?",
                                        (owner, cls.slug_org[INCIDENT_HANDLER], oid))
                        con.execute("DELETE FROM grants WHERE object_id = ?", (oid,))
                        for slug, scope in GRANTS:
                            con.execute("INSERT INTO grants (object_kind, object_id, org_id, "
                                        "scope, granted_by, created_at) VALUES (?, ?, ?, ?, ?, "
                                        "'2026-01-01T00:00:00Z')",
                                        (kind, oid, cls.slug_org[slug], scope, granted_by))
        finally:
            con.close()

    @classmethod
    def make_objects(cls, made):
        """kind -> [Obj]: the fixtures the matrix runs each route of that kind against."""
        so = cls.slug_org
        objs = {}
        for kind, rows in made.items():
            fam = SHAREABLE_FAMILY[kind]
            owner = so[FAMILIES[fam]["owner"]]
            grants = tuple((so[s], scope) for s, scope in GRANTS)
            handler = so[INCIDENT_HANDLER] if kind == "incident" else None
            objs[kind] = [Obj(kind, "%s %s" % (kind, tlp), FAMILIES[fam],
                              (lambda i, o, h: lambda c: Target(i, o, handler=h))(oid, owner,
                                                                               handler),
                              tlp, grants, att, task)
                          for (oid, att, task), tlp in zip(rows, TLPS)]
        objs["org"] = [Obj("org", "org %s" % FAMILIES[f]["owner"], FAMILIES[f],
                           (lambda o: lambda c: Target(o, o))(so[FAMILIES[f]["owner"]]),
                           webhook=cls.webhooks[FAMILIES[f]["owner"]])
                       for f in FAMILIES]
        objs["inventory"] = [Obj("inventory", "inventory of %s" % FAMILIES[f]["owner"],
                                 FAMILIES[f],
                                 (lambda o: lambda c: Target(o, o))(so[FAMILIES[f]["owner"]]),
                                 items=cls.inventory_items[FAMILIES[f]["owner"]])
                             for f in FAMILIES]
        objs["user"] = [Obj("user", "user %s" % TARGETS[f], FAMILIES[f],
                            (lambda u, o: lambda c: Target(u, o, u))(*cls.targets[f]))
                        for f in FAMILIES]
        objs["user"].append(Obj("user", "user self", None,
                                lambda c: Target(c.user_id, c.org, c.user_id)))
        f = "cert-owned"
        uid, uorg = cls.targets[f]
        objs["token"] = [
            Obj("token", "token of %s" % TARGETS[f], FAMILIES[f],
                (lambda t, o, u: lambda c: Target(t, o, u))(cls.target_tokens[f], uorg, uid)),
            # revoked by its first allowed request: one request per caller
            Obj("token", "own spare token", None,
                lambda c: Target(c.spare_token_id, c.org, c.user_id)),
        ]
        return objs

    @classmethod
    def tearDownClass(cls):
        if getattr(cls, "conn", None):
            cls.conn.close()
        super().tearDownClass()

    # -- requests --

    @staticmethod
    def auth(caller):
        return {"Authorization": "Bearer " + caller.token}

    def session_headers(self, caller, method):
        if caller.cookie is None:
            c = Client(self.port)
            r = c.sign_in(caller.email)
            self.assertEqual(r.status, 201, "sign-in of %s: %r" % (caller.email, r))
            caller.cookie, caller.csrf = c.cookie, c.csrf
        h = {"Cookie": "rabta_session=" + caller.cookie}
        if method not in ("GET", "HEAD"):
            h["X-CSRF-Token"] = caller.csrf
        return h

    def send(self, route, path, caller):
        method = route["method"]
        key = (method, route["path"])
        headers = {}
        body = None
        if method in ("POST", "PUT", "PATCH"):
            query, ctype, body = BODIES.get(key, DEFAULT_BODY)
            path += query
            headers["Content-Type"] = ctype
        if caller is not None:
            if key in SESSION_ROUTES:
                headers.update(self.session_headers(caller, method))
                if method == "DELETE":
                    caller.cookie = caller.csrf = None  # signed out (or refused): sign in again
            else:
                headers.update(self.auth(caller))
        return self.conn.send(method, path, body, headers)

    # -- the plan --

    def plan(self):
        """(cases, uncovered): cases are (route, obj, position, caller) in route-table order
        (RUN_LAST rows last); uncovered names every route row the test cannot cover."""
        cases, uncovered = [], []
        everyone = [(s, c) for (s, r), c in sorted(self.callers.items())]
        ordered = sorted(self.routes, key=lambda r: (r["method"], r["path"]) in RUN_LAST)
        for rt in ordered:
            name = "%s %s" % (rt["method"], rt["path"])
            kind = rt["kind"]
            problems = []
            for p in PARAM_RE.findall(rt["path"]):
                if (p, kind) not in PARAM_FILL:
                    problems.append("path parameter {%s} (kind %s) is not in PARAM_FILL"
                                    % (p, kind))
            if kind is not None and kind not in self.objects:
                problems.append("kind %r has no fixture" % kind)
            if kind is not None and "id" not in PARAM_RE.findall(rt["path"]):
                problems.append("kind %s names {id}, but the path has no {id}" % kind)
            if who_rule(rt["who"]) is None:
                problems.append("who=%r is not a rule the test knows" % rt["who"])
            elif rt["who"] in WHO_NEEDS_OBJECT and kind is None:
                problems.append("who=%s needs an object, but the route has no kind" % rt["who"])
            if problems:
                uncovered.append("%s: %s" % (name, "; ".join(problems)))
                continue
            for obj in (self.objects[kind] if kind else [None]):
                if obj is None or obj.positions is None:
                    pairs = [("self" if obj else "org " + s, c) for s, c in everyone]
                else:
                    pairs = [(pos, self.callers[(s, r)])
                             for pos, s in obj.positions.items() for r in ROLES]
                for pos, c in pairs:
                    cases.append((rt, obj, pos, c))
        return cases, uncovered

    def fill(self, route, obj, caller):
        return PARAM_RE.sub(lambda m: PARAM_FILL[(m.group(1), route["kind"])](obj, caller),
                            route["path"])

    # -- the tests --

    def test_every_route_is_covered(self):
        """Every row of the route table can be planned: its kind has a fixture, its parameters
        a filler, its `who` a rule; and some caller of the matrix is allowed on it."""
        cases, uncovered = self.plan()
        self.assertEqual(uncovered, [], "route rows the matrix does not cover:\n  "
                         + "\n  ".join(uncovered))
        allowed = set()
        for rt, obj, pos, c in cases:
            t = obj.target(c) if obj else None
            if expect(self.tree, rt, c, obj, t)[0] == "allowed":
                allowed.add((rt["method"], rt["path"]))
        never = ["%s %s" % (r["method"], r["path"]) for r in self.routes
                 if (r["method"], r["path"]) not in allowed]
        self.assertEqual(never, [], "no caller of the matrix is allowed on these routes, so the "
                         "matrix never reaches their handlers")

    def test_anonymous(self):
        """No caller: 401 on every route that needs one; public routes never 401/403."""
        for rt in self.routes:
            kind = rt["kind"]
            objs = [o for o in self.objects.get(kind, []) if o.positions is not None]
            obj = objs[0] if objs else None

            def param(m):
                fill = PARAM_FILL.get((m.group(1), kind))
                if fill is None or (kind is not None and obj is None):
                    return NIL  # test_every_route_is_covered names the route
                return fill(obj, None)

            path = PARAM_RE.sub(param, rt["path"])
            with self.subTest(route="%s %s" % (rt["method"], rt["path"]), caller="anonymous"):
                status, body = self.send(rt, path, None)
                want, why = expect(self.tree, rt, None, None, None)
                self.assertTrue(status_ok(want, status),
                                "%s %s as anonymous: expected %s (%s), got %d: %s"
                                % (rt["method"], path, want, why, status,
                                   body[:300].decode("utf-8", "replace")))

    def test_lists_and_rollups_hold_only_readable_objects(self):
        """Beyond statuses: every list of a kind shows each caller exactly the fixtures of that
        kind it may read (the orgs list exactly the visible orgs), and a campaign's roll-up counts
        exactly the readable assessments of the campaign (its own fixture and the sibling's
        assessment, whose owner, TLP and grants are read from the database)."""
        for path in LISTS:
            self.assertIn(("GET", path), {(r["method"], r["path"]) for r in self.routes}, path)
        camp_rows = {}
        for obj in self.objects["campaign"]:
            cid = obj.target(None).id
            rows = db_query(self.db, "SELECT id, owner_org, tlp FROM assessments "
                                     "WHERE campaign_id = ?", (cid,))
            camp_rows[cid] = [(aid, owner, tlp, db_query(
                self.db, "SELECT org_id, scope FROM grants WHERE object_kind = 'assessment' "
                         "AND object_id = ?", (aid,))) for aid, owner, tlp in rows]
        n = 0
        for c in sorted(self.callers.values(), key=lambda c: c.email):
            for path, kind in LISTS.items():
                status, body = self.conn.send("GET", path + "?limit=500", headers=self.auth(c))
                n += 1
                self.assertEqual(status, 200, "GET %s as %s: %s" % (path, c.email, body[:300]))
                page = json.loads(body)
                self.assertIsNone(page["next_cursor"], "more than 500 %s items" % kind)
                seen = {x["id"] for x in page["items"]}
                if kind == "org":
                    want = {o for o in self.tree.parent
                            if may_read(self.tree, self.objects["org"][0], c, Target(o, o))}
                    with self.subTest(route="GET " + path, caller=c.email):
                        self.assertEqual(sorted(seen ^ want), [],
                                         "GET %s as %s: orgs listed but not visible, or "
                                         "visible but not listed" % (path, c.email))
                    continue
                for obj in self.objects[kind]:
                    t = obj.target(c)
                    readable = may_read(self.tree, obj, c, t)
                    with self.subTest(route="GET " + path, caller=c.email, object=obj.label):
                        self.assertEqual(t.id in seen, readable,
                                         "GET %s as %s: %s is %slisted, but the caller %s read "
                                         "it" % (path, c.email, obj.label,
                                                 "" if t.id in seen else "not ",
                                                 "may" if readable else "may not"))
            for obj in self.objects["campaign"]:
                cid = obj.target(c).id
                if not may_read(self.tree, obj, c, obj.target(c)):
                    continue
                status, body = self.conn.send("GET", "/api/v1/campaigns/%s/rollup" % cid,
                                              headers=self.auth(c))
                n += 1
                self.assertEqual(status, 200, body[:300])
                ru = json.loads(body)
                want = sorted(aid for aid, owner, tlp, grants in camp_rows[cid]
                              if shareable_readable(self.tree, c.org, owner, tlp, grants))
                got = sorted(p["assessment_id"] for p in ru["not_submitted_orgs"])
                with self.subTest(route="GET /api/v1/campaigns/{id}/rollup", caller=c.email,
                                  object=obj.label):
                    self.assertEqual((ru["assessments"], got), (len(want), want),
                                     "the roll-up of %s as %s counts other assessments than "
                                     "the readable ones" % (obj.label, c.email))
        print("\nauthz lists: %d requests" % n, file=sys.stderr)

    def test_matrix(self):
        cases, uncovered = self.plan()
        # Sign in (cookie sessions) every caller of the session routes at once, up front.
        sess = {id(c): c for rt, obj, pos, c in cases
                if (rt["method"], rt["path"]) in SESSION_ROUTES}
        parallel(lambda c: self.session_headers(c, "GET"), list(sess.values()))
        before = self.conn.count
        failures = 0
        tally = {}
        for rt, obj, pos, c in cases:
            t = obj.target(c) if obj else None
            want, why = expect(self.tree, rt, c, obj, t)
            path = self.fill(rt, obj, c)
            tlp = obj.tlp if obj and obj.tlp else "-"
            with self.subTest(route="%s %s" % (rt["method"], rt["path"]), role=c.role,
                              position=pos, tlp=tlp):
                status, body = self.send(rt, path, c)
                counts = tally.setdefault("%s %s" % (rt["method"], rt["path"]), {})
                counts[(want, status)] = counts.get((want, status), 0) + 1
                if not status_ok(want, status):
                    failures += 1
                    self.fail("%s %s as %s (%s of %s, position %s) on %s: expected %s (%s), "
                              "got %d: %s" % (rt["method"], path, c.email, c.role, c.slug, pos,
                                              obj.label if obj else "no object", want, why,
                                              status, body[:300].decode("utf-8", "replace")))
        n = self.conn.count - before
        positions = sorted({p for _, obj, p, _ in cases if obj is not None})
        print("\nauthz matrix: %d route rows, %d requests; %d caller orgs x %d roles; positions "
              "%s; TLPs %s; %d mismatches"
              % (len(self.routes), n, len(CALLER_SLUGS), len(ROLES), ", ".join(positions),
                 ", ".join(TLPS), failures), file=sys.stderr)
        if os.environ.get("RABTA_MATRIX_VERBOSE"):  # what each route answered, per expectation
            for name, counts in tally.items():
                print("  %-56s %s" % (name, ", ".join("%s->%d x%d" % (w, g, n) for (w, g), n
                                                      in sorted(counts.items(), key=str))),
                      file=sys.stderr)
        self.assertEqual(uncovered, [], "route rows the matrix does not cover:\n  "
                         + "\n  ".join(uncovered))
        self.assertGreater(n, 0)


if __name__ == "__main__":
    unittest.main()
