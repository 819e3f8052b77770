"""Hardening regressions: one story per case of the hardening specification. Each describes
behaviour the server must have; each names what it proves.

 1. No commit followed by an error: an OSCAL catalog whose metadata.title is 17 MiB (under the
    route's 32 MiB cap) is refused (422 invalid_catalog, field catalog.metadata.title) with no
    catalog row and no audit entry, and the catalog list still answers afterwards. Titles are
    capped at 500 bytes: 501 refused the same way, 500 accepted.
 2. Credentials re-checked at commit: an evidence upload (a large-body route) whose bearer token
    is revoked, whose user is disabled, or whose cookie session ends (password changed from
    another session) while the body is still arriving is refused 401 unauthenticated, with no
    attachment row and no assessment.attach audit entry. The same for a catalog and an OSCAL
    profile import whose token is revoked midway (the same two-part body with a live token
    imports, 201). Bounded body time: with
    `serve --body-seconds 2` a body trickled in for longer than 4 s is answered 408
    request_timeout or cut (either is accepted), well before 10 s, and nothing is written.
 3. Catalog text does not go past the catalog's TLP: a campaign over a profile of an AMBER
    catalog the National CERT cannot read is refused (422 invalid_field, field profile_id, the
    message naming "National CERT"), nothing written, the catalog and profile still unreadable to
    the National CERT; the same over a GREEN catalog launches. Raising that GREEN catalog to AMBER
    afterwards is refused the same way (422, field tlp, naming the campaign and the National
    CERT; nothing written, no catalog.tlp audit entry) until the catalog is shared with the
    National CERT. Only the owner org changes a catalog's TLP: a Punjab analyst raising the
    National CERT's catalog gets 403.
 4. Atomic sign-in limit: 50 simultaneous wrong-password sign-ins for one e-mail on a 16-thread
    server give exactly 5 x 401 and 45 x 429 (with Retry-After); the same for an e-mail with no
    account.
 5. Valid UTF-8 out: (a) an evidence file name %FF%FE.txt is refused (422, field filename) and
    the assessment's attachments, history and OSCAL export decode as strict UTF-8; (b) the 404 for
    GET /api/v1/%FF decodes strictly; (c) error messages that echo input cut to a length do not
    split a character; (d) control labels up to the 200-byte cap export as valid OSCAL, 300
    bytes are refused with the JSON path of the prop's value; (e) numbers are written in shortest
    round-trip form (no 16+ significant digits in the December roll-up or assessment list; a
    catalog's unmodelled numeric members export as imported, 0.1234567890123456 not
    0.12345678901234559).
 6. Controls that can be answered: control ids are capped at 64 bytes (5,000 and 65 bytes
    refused with the JSON path of the id); a 64-byte id imports and its control is answered and
    submitted by an institution's reporter.
 7. No control characters outside prose: ESC in a catalog's metadata, group or control title
    (invalid_catalog, the path); SOH in a profile title; DEL, U+0085 or U+009B in an org name, a
    user name or a campaign title (invalid_field, name/title); nothing written. Evidence (prose)
    keeps tab and newline, but not BEL (field answers[0].evidence).
 9. No e-mail oracle: creating a user with the e-mail of a user of an org the admin does not
    manage is 409 conflict (field email) whose message names neither the address nor the org.

Cases 8, 10 and 11 are covered by other files. Nothing here needs ../shared/data.

Demo facts this file relies on (checked where used): the December 2026 campaign is open and
these institutions' December assessments are editable (draft or not started): khi-port,
kp-hydro, gb-finance, fed-foreign, fed-identity and fed-pensions.
"""

import collections
import http.client
import json
import re
import select
import socket
import threading
import time
import unittest
import urllib.parse

from harness import (ServerCase, Client, Response, DEMO_PASSWORD, db_scalar, db_snapshot,
                     demo_email, SNAPSHOT_TABLES)
from test_catalogs import small_catalog
from test_campaigns import future_date

DECEMBER = "National baseline self-assessment, December 2026"
EDITABLE = ("not_started", "draft", "returned")
CATALOG_TABLES = SNAPSHOT_TABLES + ("catalogs", "catalog_groups", "controls", "grants")
GUIDE_TABLES = SNAPSHOT_TABLES + ("catalogs", "profiles", "profile_controls", "campaigns",
                                  "assessments", "assessment_answers", "history",
                                  "grants")
ATTACH_TABLES = SNAPSHOT_TABLES + ("files", "history", "assessments")
MIB = 1024 * 1024


def strict_json(test, r, what):
    """The response body decoded as strict UTF-8 and parsed; a failure (not an error) if not."""
    try:
        text = r.body.decode("utf-8")
    except UnicodeDecodeError as e:
        test.fail("%s: the body is not valid UTF-8 (%s): %r" % (what, e, r.body[:300]))
    try:
        return json.loads(text)
    except ValueError as e:
        test.fail("%s: the body is not JSON (%s): %r" % (what, e, r.body[:300]))


class HardeningCase(ServerCase):
    """Helpers shared by the stories below."""

    @classmethod
    def december_id(cls):
        items, _ = cls.demo_client("analyst", "ncert").list_all("/api/v1/campaigns",
                                                                        limit=500)
        found = [c["id"] for c in items if c["title"] == DECEMBER]
        if len(found) != 1 or [c["status"] for c in items if c["title"] == DECEMBER] != ["open"]:
            raise AssertionError("the demo should have one open December campaign: %r" % items)
        return found[0]

    def assessment_in(self, campaign_id, slug, editable=True):
        """slug's assessment in the campaign, read by slug's reporter (editable when asked)."""
        c = self.demo_client("reporter", slug)
        items, _ = c.list_all("/api/v1/assessments?campaign_id=" + campaign_id, limit=500)
        mine = [x for x in items if x["org_id"] == self.org_of(slug)]
        self.assertEqual(len(mine), 1, "%s should have one assessment: %r" % (slug, items))
        if editable:
            self.assertIn(mine[0]["status"], EDITABLE,
                          "the demo's %s assessment should be editable" % slug)
        return mine[0]["id"]

    def import_catalog(self, email, doc, tlp=None):
        r = self.client(email).request("POST", "/api/v1/catalogs" + ("?tlp=" + tlp if tlp else ""),
                                       raw=json.dumps(doc))
        self.assertEqual(r.status, 201, r)
        return r.json["id"]

    def make_profile(self, email, catalog_id, control_ids, title="Hardening profile", **extra):
        r = self.client(email).post("/api/v1/profiles", dict(
            {"catalog_id": catalog_id, "title": title, "control_ids": control_ids}, **extra))
        self.assertEqual(r.status, 201, r)
        return r.json["profile"]["id"]

    def launch(self, email, profile_id, title="Hardening round"):
        r = self.client(email).post("/api/v1/campaigns", {"profile_id": profile_id,
                                                          "title": title,
                                                          "due_date": future_date()})
        self.assertEqual(r.status, 201, r)
        return r.json

    def snap(self, tables):
        return db_snapshot(self.db, tables)


# ---- 1. No commit followed by an error ----

class TestNoCommitThenError(HardeningCase):

    def import_refused(self, title, field="catalog.metadata.title"):
        nat = self.demo_client("analyst", "ncert")
        raw = json.dumps(small_catalog(**{"catalog/metadata/title": title})).encode()
        before = self.snap(CATALOG_TABLES)
        r = nat.request("POST", "/api/v1/catalogs", raw=raw)
        self.assertError(r, 422, "invalid_catalog", field)
        self.assertEqual(self.snap(CATALOG_TABLES), before, "a refused import stored something")
        return raw

    def test_a_17_mib_title_is_refused_before_anything_is_committed(self):
        admin = self.demo_client("admin", "ncert")
        catalogs = db_scalar(self.db, "SELECT count(*) FROM catalogs")
        imports = db_scalar(self.db,
                            "SELECT count(*) FROM audit_log WHERE action = 'catalog.import'")
        # The body is under the route's 32 MiB cap, so only the title is wrong.
        raw = self.import_refused("T" * (17 * MIB))
        self.assertGreater(len(raw), 17 * MIB)
        self.assertLess(len(raw), 32 * MIB)
        self.assertEqual(db_scalar(self.db, "SELECT count(*) FROM catalogs"), catalogs)
        self.assertEqual(db_scalar(self.db, "SELECT count(*) FROM audit_log WHERE action = "
                                            "'catalog.import'"), imports)
        # The catalog list still answers (nothing half-made is in the way).
        r = admin.get("/api/v1/catalogs?limit=1")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(len(r.json["items"]), 1)

    def test_titles_are_capped_at_500_bytes(self):
        nat = self.demo_client("analyst", "ncert")
        # 501 bytes: refused, whether 501 characters or 251 characters of two-byte letters.
        self.import_refused("t" * 501)
        self.import_refused("\u00e9" * 250 + "x")
        # 500 bytes: accepted and kept whole.
        for title in ("t" * 500, "\u00e9" * 250):
            with self.subTest(bytes=len(title.encode()), chars=len(title)):
                r = nat.request("POST", "/api/v1/catalogs", raw=json.dumps(
                    small_catalog(**{"catalog/metadata/title": title})))
                self.assertEqual(r.status, 201, r)
                self.assertEqual(r.json["title"], title)
                got = nat.get("/api/v1/catalogs/" + r.json["id"])
                self.assertEqual(got.json["catalog"]["title"], title)


# ---- 2. Credentials re-checked at commit; bounded body time ----

class SplitPost:
    """A POST sent in two parts over one connection: the headers (with the full Content-Length)
    and the first part now, the rest when finish() is called."""

    def __init__(self, port, path, body, headers, content_type="application/json"):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.conn.putrequest("POST", path)
        for k, v in dict(headers, **{"Content-Type": content_type,
                                     "Content-Length": str(len(body))}).items():
            self.conn.putheader(k, v)
        self.conn.endheaders()
        half = len(body) // 2
        self.conn.send(body[:half])
        self.rest = body[half:]

    def finish(self):
        """Sends the rest and returns the Response. A server that answers before reading it all
        may close its side while the rest is in flight: its answer is read all the same."""
        try:
            try:
                self.conn.send(self.rest)
            except (BrokenPipeError, ConnectionResetError):
                pass
            resp = self.conn.getresponse()
            return Response(resp.status, resp.headers, resp.read())
        finally:
            self.conn.close()


class SplitUpload(SplitPost):
    """An evidence upload sent in two parts (SplitPost)."""

    def __init__(self, port, aid, body, headers, control_id="gv-1", filename="midway.txt"):
        q = urllib.parse.urlencode({"control_id": control_id, "filename": filename})
        super().__init__(port, "/api/v1/assessments/%s/attachments?%s" % (aid, q), body, headers,
                         content_type="text/plain")


BODY = b"Restore drill log, line after line.\n" * 2000  # 72 kB of text


class TestCredentialsAtCommit(HardeningCase):
    """While an evidence body is still arriving, the caller's credentials end; the upload must
    be refused when it is committed, not accepted on the strength of the headers."""

    @classmethod
    def prepare(cls):
        cls.december = cls.december_id()

    def attach_count(self, aid):
        return (db_scalar(self.db, "SELECT count(*) FROM files WHERE "
                                   "object_kind = 'assessment' AND object_id = ?", (aid,)),
                db_scalar(self.db, "SELECT count(*) FROM audit_log WHERE action = "
                                   "'assessment.attach' AND object_id = ?", (aid,)))

    def assertRefusedAtCommit(self, upload, aid):
        before = self.snap(ATTACH_TABLES)
        counts = self.attach_count(aid)
        r = upload.finish()
        self.assertError(r, 401, "unauthenticated")
        self.assertEqual(self.attach_count(aid), counts, "an attachment or its audit entry "
                                                         "was written")
        self.assertEqual(self.snap(ATTACH_TABLES), before, "the refused upload wrote something")

    def test_a_token_revoked_midway(self):
        email = demo_email("reporter", "khi-port")
        aid = self.assessment_in(self.december, "khi-port")
        me = self.client(email)
        # A two-part upload with a live token goes through: the way of sending is sound.
        r = SplitUpload(self.port, aid, BODY, {"Authorization": "Bearer " + self.token(email)},
                        filename="control.txt").finish()
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json["size"], len(BODY))

        # The reporter makes a token for a script; the script starts uploading with it...
        made = me.post("/api/v1/tokens", {"name": "upload script"})
        self.assertEqual(made.status, 201, made)
        self.assertIn(made.json["id"], [t["id"] for t in me.get("/api/v1/tokens").json["items"]])
        up = SplitUpload(self.port, aid, BODY, {"Authorization": "Bearer " + made.json["token"]})
        # ...and while the body is on its way the reporter revokes it from another connection.
        r = me.delete("/api/v1/tokens/" + made.json["id"])
        self.assertEqual(r.status, 204, r)
        self.assertError(Client(self.port, made.json["token"]).get("/api/v1/me"), 401,
                         "unauthenticated")
        self.assertRefusedAtCommit(up, aid)

    def test_a_user_disabled_midway(self):
        email = demo_email("reporter", "kp-hydro")
        aid = self.assessment_in(self.december, "kp-hydro")
        admin = self.demo_client("admin", "kp-hydro")
        up = SplitUpload(self.port, aid, BODY, {"Authorization": "Bearer " + self.token(email)})
        r = admin.patch("/api/v1/users/" + self.user_id(email), {"disabled": True})
        self.assertEqual((r.status, r.json["disabled"]), (200, True), r)
        self.assertRefusedAtCommit(up, aid)

    def test_a_cookie_session_ended_midway_by_a_password_change(self):
        email = demo_email("reporter", "gb-finance")
        aid = self.assessment_in(self.december, "gb-finance")
        browser = Client(self.port)
        self.assertEqual(browser.sign_in(email).status, 201)
        up = SplitUpload(self.port, aid, BODY, {"Cookie": "rabta_session=" + browser.cookie,
                                                "X-CSRF-Token": browser.csrf})
        # From another session the user changes the password: every other session ends.
        other = Client(self.port)
        self.assertEqual(other.sign_in(email).status, 201)
        r = other.post("/api/v1/me/password", {"current_password": DEMO_PASSWORD,
                                               "password": "changed-while-uploading"})
        self.assertEqual(r.status, 204, r)
        self.assertError(browser.get("/api/v1/me"), 401, "unauthenticated")
        self.assertRefusedAtCommit(up, aid)

    def post_in_two_parts(self, email, path, body, revoke):
        """POSTs body to path in two parts with a fresh token of email; when revoke, the token is
        revoked from another connection while the body is still arriving. The answer."""
        me = self.client(email)
        made = me.post("/api/v1/tokens", {"name": "import script"})
        self.assertEqual(made.status, 201, made)
        up = SplitPost(self.port, path, body, {"Authorization": "Bearer " + made.json["token"]})
        if revoke:
            r = me.delete("/api/v1/tokens/" + made.json["id"])
            self.assertEqual(r.status, 204, r)
        return up.finish()

    def assertImportRefusedAtCommit(self, email, path, body, tables, action):
        # With a live token the same two-part import goes through: the body is sound.
        r = self.post_in_two_parts(email, path, body, revoke=False)
        self.assertEqual(r.status, 201, r)
        before = self.snap(tables)
        r = self.post_in_two_parts(email, path, body, revoke=True)
        self.assertError(r, 401, "unauthenticated")
        after = self.snap(tables)
        for t in tables[len(SNAPSHOT_TABLES):]:
            self.assertEqual(after[t], before[t], "the refused import wrote to " + t)
        self.assertEqual(db_scalar(self.db, "SELECT count(*) FROM audit_log WHERE action = ? AND "
                                   "seq > ?", (action, before["audit_head"])), 0)

    def test_a_token_revoked_midway_through_a_catalog_import(self):
        body = json.dumps(small_catalog(**{"catalog/metadata/title": "Imported midway"})).encode()
        self.assertImportRefusedAtCommit(demo_email("analyst", "sindh-cert"), "/api/v1/catalogs",
                                         body, CATALOG_TABLES, "catalog.import")

    def test_a_token_revoked_midway_through_a_profile_import(self):
        email = demo_email("analyst", "sindh-cert")
        catalog = self.import_catalog(email, small_catalog())
        oscal = {"profile": {
            "uuid": "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
            "metadata": {"title": "Profile imported midway", "version": "1",
                         "oscal-version": "1.1.2", "last-modified": "2026-01-01T00:00:00Z"},
            "imports": [{"href": "#catalog", "include-controls": [{"with-ids": ["g1-1"]}]}]}}
        body = json.dumps({"catalog_id": catalog, "oscal": oscal}).encode()
        self.assertImportRefusedAtCommit(email, "/api/v1/profiles", body, GUIDE_TABLES,
                                         "profile.create")


class TestBodyTime(HardeningCase):
    """`serve --body-seconds 2`: a request body may take 2 s in all, however steadily it comes.
    The server is started by the test, so that a server refusing the option is a failure."""

    SERVE_ARGS = ("--threads", "4", "--body-seconds", "2")
    start_error = None

    @classmethod
    def setUpClass(cls):
        try:
            super().setUpClass()
        except AssertionError as e:  # the server did not start: reported by the test
            cls.start_error = str(e)
            cls.server = None

    def test_a_slow_body_is_cut_off(self):
        if self.start_error:
            self.fail("rabta serve --body-seconds 2 did not start: " + self.start_error[-600:])
        email = demo_email("reporter", "fed-pensions")
        aid = self.assessment_in(self.december_id(), "fed-pensions")
        token = self.token(email)
        # The same upload sent at once is stored: only the slowness is refused below.
        r = self.client(email).request(
            "POST", "/api/v1/assessments/%s/attachments?control_id=gv-1&filename=fast.txt" % aid,
            raw=b"x" * 64, headers={"Content-Type": "text/plain"})
        self.assertEqual(r.status, 201, r)

        before = self.snap(ATTACH_TABLES)
        # 64 bytes, 2 every 0.5 s: 16 s to send in full, each pause far below the idle timeout.
        sock = socket.create_connection(("127.0.0.1", self.port), timeout=30)
        head = ("POST /api/v1/assessments/%s/attachments?control_id=gv-1&filename=slow.txt "
                "HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\n"
                "Content-Type: text/plain\r\nContent-Length: 64\r\n\r\n" % (aid, token))
        sent = 0
        acted = False  # the server answered or closed while the body was still coming
        deadline = time.monotonic() + 10  # liveness: the server must act before this
        answer, closed = b"", False
        try:
            sock.sendall(head.encode())
            while sent < 64 and time.monotonic() < deadline:
                readable, _, _ = select.select([sock], [], [], 0.5)
                if readable:
                    acted = True
                    break
                try:
                    sock.sendall(b"ab")
                    sent += 2
                except (BrokenPipeError, ConnectionResetError):
                    acted = closed = True
                    break
            self.assertTrue(acted, "the server neither answered nor closed the connection while "
                                   "the body trickled in (%d of 64 bytes sent)" % sent)
            # Whatever the server said before closing (or nothing, if it just closed).
            sock.settimeout(5)
            try:
                while True:
                    chunk = sock.recv(65536)
                    if not chunk:
                        closed = True
                        break
                    answer += chunk
                    hdr, sep, rest = answer.partition(b"\r\n\r\n")
                    m = re.search(rb"(?im)^content-length:\s*(\d+)", hdr)
                    if sep and m and len(rest) >= int(m.group(1)):
                        break
            except ConnectionResetError:
                closed = True
            except socket.timeout:
                pass
        finally:
            sock.close()
        if answer:
            self.assertRegex(answer.split(b"\r\n", 1)[0], rb"^HTTP/1\.[01] 408 ", answer[:300])
            body = answer.partition(b"\r\n\r\n")[2]
            self.assertEqual(json.loads(body.decode("utf-8"))["error"]["code"],
                             "request_timeout", answer[:300])
        else:
            self.assertTrue(closed, "the server neither answered nor closed the connection")
        self.assertEqual(self.snap(ATTACH_TABLES), before, "the cut-off upload wrote something")


# ---- 3. Catalog text does not go past the catalog's TLP ----

class TestCatalogTlpReach(HardeningCase):

    def test_a_campaign_reaches_only_orgs_that_may_read_the_catalog(self):
        pa_email = demo_email("analyst", "punjab-cert")
        nat = self.demo_client("analyst", "ncert")
        # The Punjab CERT imports an AMBER catalog: it reaches Punjab's subtree only.
        amber = self.import_catalog(pa_email, small_catalog(), tlp="AMBER")
        profile = self.make_profile(pa_email, amber, ["g1-1", "g2-1"], title="Punjab AMBER")
        # A campaign would be read by the National CERT (an ancestor of the launcher), which
        # may not read the catalog: refused, naming it, nothing written.
        before = self.snap(GUIDE_TABLES)
        r = self.client(pa_email).post("/api/v1/campaigns", {
            "profile_id": profile, "title": "Punjab AMBER round", "due_date": future_date()})
        self.assertError(r, 422, "invalid_field", "profile_id", msg_has="National CERT")
        self.assertEqual(self.snap(GUIDE_TABLES), before, "the refused launch wrote something")
        self.assertEqual(db_scalar(self.db, "SELECT count(*) FROM campaigns WHERE title = ?",
                                   ("Punjab AMBER round",)), 0)
        # The catalog and the profile are still not there for the National CERT.
        self.assertError(nat.get("/api/v1/catalogs/" + amber), 404, "not_found")
        self.assertError(nat.get("/api/v1/profiles/" + profile), 404, "not_found")

        # The same over a GREEN catalog launches.
        green = self.import_catalog(pa_email, small_catalog())
        profile = self.make_profile(pa_email, green, ["g1-1", "g2-1"], title="Punjab GREEN")
        r = self.client(pa_email).post("/api/v1/campaigns", {
            "profile_id": profile, "title": "Punjab GREEN round", "due_date": future_date()})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json["title"], "Punjab GREEN round")

    def test_a_later_tlp_raise_may_not_reopen_the_leak(self):
        pa_email = demo_email("analyst", "punjab-cert")
        pa = self.client(pa_email)
        nat = self.demo_client("analyst", "ncert")
        green = self.import_catalog(pa_email, small_catalog())
        profile = self.make_profile(pa_email, green, ["g1-1", "g2-1"], title="Punjab GREEN later")
        campaign = self.launch(pa_email, profile, title="Punjab GREEN then AMBER")
        # Raising the catalog to AMBER would keep it in Punjab's subtree, while the campaign
        # shows its text to the National CERT: refused in the write, naming the campaign and
        # the org, and nothing changes (no TLP, no timeline, no audit entry).
        before = self.snap(GUIDE_TABLES)
        r = pa.patch("/api/v1/catalogs/" + green, {"tlp": "AMBER"})
        self.assertError(r, 422, "invalid_field", "tlp", msg_has="Punjab GREEN then AMBER")
        self.assertIn("National CERT", r.json["error"]["message"])
        self.assertEqual(self.snap(GUIDE_TABLES), before, "the refused TLP change wrote something")
        self.assertEqual(db_scalar(self.db, "SELECT count(*) FROM audit_log WHERE action = "
                                   "'catalog.tlp' AND object_id = ?", (green,)), 0)
        self.assertEqual(pa.get("/api/v1/catalogs/" + green).json["catalog"]["tlp"], "GREEN")
        for path in ("/api/v1/catalogs/" + green, "/api/v1/profiles/" + profile,
                     "/api/v1/campaigns/" + campaign["id"]):
            self.assertEqual(nat.get(path).status, 200, path)

        # Shared with every CERT the campaign reaches first, the raise goes through.
        nat_id = self.org_of("ncert")
        r = pa.post("/api/v1/catalogs/%s/grants" % green, {"org_id": nat_id})
        self.assertEqual(r.status, 201, r)
        r = pa.patch("/api/v1/catalogs/" + green, {"tlp": "AMBER"})
        self.assertEqual((r.status, r.json.get("tlp")), (200, "AMBER"), r)
        self.assertEqual(nat.get("/api/v1/catalogs/" + green).json["catalog"]["tlp"], "AMBER")
        self.assertEqual(nat.get("/api/v1/profiles/" + profile).json["profile"]["tlp"], "AMBER")

    def test_only_the_owner_org_changes_a_catalogs_tlp(self):
        # The National CERT's GREEN catalog, read by everyone: a Punjab analyst (share, a
        # recipient) may not raise it for everyone else (403, the route's `who` is owner).
        nat_email = demo_email("analyst", "ncert")
        cid = self.import_catalog(nat_email, small_catalog())
        before = self.snap(GUIDE_TABLES)
        r = self.demo_client("analyst", "punjab-cert").patch("/api/v1/catalogs/" + cid,
                                                             {"tlp": "AMBER"})
        self.assertError(r, 403, "forbidden")
        self.assertEqual(self.snap(GUIDE_TABLES), before, "the refused TLP change wrote something")
        self.assertEqual(self.demo_client("reporter", "sd-health").get(
            "/api/v1/catalogs/" + cid).json["catalog"]["tlp"], "GREEN")
        # The owner's analyst may.
        r = self.client(nat_email).patch("/api/v1/catalogs/" + cid, {"tlp": "AMBER"})
        self.assertEqual((r.status, r.json.get("tlp")), (200, "AMBER"), r)


# ---- 4. Atomic sign-in limit ----

class TestAtomicSignInLimit(HardeningCase):
    """50 overlapping wrong-password sign-ins for one e-mail: the limit of 5 failures holds."""

    SERVE_ARGS = ("--threads", "16")
    ATTEMPTS = 50

    def storm(self, email):
        """ATTEMPTS sign-ins that reach the server together: each connection sends all of its
        request but the last byte, then all send their last byte at once (a barrier)."""
        body = json.dumps({"email": email, "password": "a-wrong-password-guess"}).encode()
        request = (b"POST /api/v1/session HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                   b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n%s"
                   % (len(body), body))
        socks = []
        for _ in range(self.ATTEMPTS):
            s = socket.create_connection(("127.0.0.1", self.port), timeout=120)
            s.sendall(request[:-1])
            socks.append(s)
            time.sleep(0.02)  # lets the server spread the connections over its threads
        barrier = threading.Barrier(self.ATTEMPTS, timeout=60)
        results = [None] * self.ATTEMPTS

        def attempt(i):
            try:
                barrier.wait()
                socks[i].sendall(request[-1:])
                resp = http.client.HTTPResponse(socks[i])
                resp.begin()
                data = resp.read()
                results[i] = (resp.status, resp.getheader("Retry-After"),
                              json.loads(data)["error"]["code"])
            except Exception as e:  # reported below, with the others
                results[i] = ("exception", repr(e), None)
            finally:
                socks[i].close()

        threads = [threading.Thread(target=attempt, args=(i,)) for i in range(self.ATTEMPTS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(180)
        self.assertFalse(any(t.is_alive() for t in threads), "a sign-in never finished")
        return results

    def assertLimitHeld(self, results):
        statuses = collections.Counter(r[0] for r in results)
        self.assertEqual(dict(statuses), {401: 5, 429: 45}, results)
        for status, retry, code in results:
            if status == 401:
                self.assertEqual(code, "invalid_credentials")
            else:
                self.assertEqual(code, "rate_limited")
                self.assertRegex(retry or "", r"^[1-9]\d*$")

    def test_fifty_at_once_for_a_demo_account(self):
        email = demo_email("reporter", "pb-finance")
        self.assertLimitHeld(self.storm(email))
        # Locked out now, even with the right password.
        self.assertError(Client(self.port).sign_in(email), 429, "rate_limited")

    def test_fifty_at_once_for_an_email_with_no_account(self):
        email = "nobody.here@pb-finance.rabta.test"
        self.assertEqual(db_scalar(self.db, "SELECT count(*) FROM users WHERE email = ?",
                                   (email,)), 0)
        self.assertLimitHeld(self.storm(email))


# ---- 5. Valid UTF-8 out ----

SIGNIFICANT_NUMBER = re.compile(rb"[:\[,]\s*(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)")


def significant_digits(literal):
    mantissa = re.split(rb"[eE]", literal.lstrip(b"-"))[0].replace(b".", b"")
    return len(mantissa.lstrip(b"0"))


class TestValidUtf8Out(HardeningCase):

    @classmethod
    def prepare(cls):
        cls.december = cls.december_id()

    def test_a_file_name_that_is_not_utf8_is_refused(self):
        email = demo_email("reporter", "fed-foreign")
        aid = self.assessment_in(self.december, "fed-foreign")
        c = self.client(email)
        before = self.snap(ATTACH_TABLES)
        r = c.request("POST", "/api/v1/assessments/%s/attachments?control_id=gv-1"
                              "&filename=%%FF%%FE.txt" % aid,
                      raw=b"evidence", headers={"Content-Type": "text/plain"})
        self.assertError(r, 422, "invalid_field", "filename")
        self.assertEqual(self.snap(ATTACH_TABLES), before, "the refused upload wrote something")
        # Every view of the assessment is valid UTF-8 JSON.
        for view in ("attachments", "history", "oscal"):
            with self.subTest(view=view):
                r = c.get("/api/v1/assessments/%s/%s" % (aid, view))
                self.assertEqual(r.status, 200, r)
                strict_json(self, r, view)
        self.assertEqual(strict_json(self, c.get("/api/v1/assessments/%s/attachments" % aid),
                                     "attachments")["items"], [])

    def test_the_404_of_a_path_that_is_not_utf8(self):
        c = self.demo_client("reporter", "fed-foreign")
        r = c.get("/api/v1/%FF")
        self.assertEqual(r.status, 404, r)
        doc = strict_json(self, r, "the 404")
        self.assertEqual(doc["error"]["code"], "not_found")

    def test_echoed_input_is_never_cut_inside_a_character(self):
        admin = self.demo_client("admin", "punjab-cert")
        org = {"parent_id": self.org_of("punjab-cert"), "kind": "institution",
               "name": "Punjab Echo Department", "province": "punjab", "sector": "other"}
        # Both alignments, so that any cut falls inside a two-byte letter for one of them.
        bodies = []
        for lead in ("", "x"):
            bodies.append(("unknown member %r + 100 x e-acute" % lead,
                           dict(org, **{lead + "\u00e9" * 100: 1})))
            bodies.append(("name %r + 300 x e-acute" % lead, dict(org, name=lead + "\u00e9" * 300)))
        for what, body in bodies:
            with self.subTest(what):
                before = self.snapshot()
                r = admin.post("/api/v1/orgs", body)
                self.assertEqual(r.status, 422, r)
                doc = strict_json(self, r, what)
                self.assertIsInstance(doc["error"]["message"], str)
                self.assertNothingWritten(before)

    def test_labels_up_to_the_cap_export_as_utf8(self):
        nat_email = demo_email("analyst", "ncert")
        pa_email = demo_email("analyst", "punjab-cert")
        # 198 and 200 bytes (the cap is 200): both import and keep every letter.
        labels = {"g1-1": "\u00e9" * 99, "g2-1": "\u00e9" * 100}
        doc = small_catalog(**{"catalog/groups/0/controls/0/props":
                               [{"name": "label", "value": labels["g1-1"]}],
                               "catalog/groups/1/controls/0/props":
                               [{"name": "label", "value": labels["g2-1"]}]})
        cid = self.import_catalog(nat_email, doc)
        nat = self.client(nat_email)
        for control, label in labels.items():
            r = nat.get("/api/v1/catalogs/%s/controls/%s" % (cid, control))
            self.assertEqual(strict_json(self, r, control)["label"], label)
        profile = self.make_profile(pa_email, cid, ["g1-1", "g2-1"], title="Label profile",
                                    applies_kinds=["institution"])
        campaign = self.launch(pa_email, profile, title="Label round")
        aid = self.assessment_in(campaign["id"], "pb-health")
        hr = self.demo_client("reporter", "pb-health")
        # Answered, so that each control has an observation (titled by its label).
        r = hr.request("PUT", "/api/v1/assessments/%s/answers" % aid, {"answers": [
            {"control_id": c, "status": "partial", "maturity": 2} for c in ("g1-1", "g2-1")]})
        self.assertEqual(r.status, 200, r)
        r = hr.get("/api/v1/assessments/%s/oscal" % aid)
        self.assertEqual(r.status, 200, r)
        oscal = strict_json(self, r, "oscal")
        self.assertIn("assessment-results", oscal)
        titles = [o["title"] for o in oscal["assessment-results"]["results"][0]["observations"]]
        self.assertEqual(len(titles), 2)

        # 300 bytes: refused with the JSON path of the prop's value.
        before = self.snap(CATALOG_TABLES)
        bad = small_catalog(**{"catalog/groups/0/controls/0/props":
                               [{"name": "label", "value": "\u00e9" * 150}]})
        r = nat.request("POST", "/api/v1/catalogs", raw=json.dumps(bad))
        self.assertError(r, 422, "invalid_catalog", "catalog.groups[0].controls[0].props[0].value")
        strict_json(self, r, "label refusal")
        self.assertEqual(self.snap(CATALOG_TABLES), before)

    def test_numbers_are_written_in_shortest_form(self):
        nat = self.demo_client("analyst", "ncert")
        for path in ("/api/v1/campaigns/%s/rollup" % self.december,
                     "/api/v1/assessments?campaign_id=%s&limit=500" % self.december):
            with self.subTest(path=path):
                r = nat.get(path)
                self.assertEqual(r.status, 200, r)
                strict_json(self, r, path)
                numbers = SIGNIFICANT_NUMBER.findall(r.body)
                self.assertTrue(any(b"." in n for n in numbers), "no decimals to check in %s"
                                % path)
                long_ones = [n.decode() for n in numbers if significant_digits(n) >= 16]
                self.assertEqual(long_ones, [], "numbers not in shortest round-trip form")

    def test_catalog_members_oscal_does_not_have_are_refused(self):
        # rabta once kept members OSCAL does not model (and wrote their numbers back in shortest
        # round-trip form, which test_json still checks); since decision 73 the import refuses
        # them, naming the path, so that what rabta exports is valid OSCAL.
        nat = self.demo_client("analyst", "ncert")
        doc = small_catalog(**{"catalog/groups/0/controls/0/x-a": 0.1234567890123456})
        r = nat.request("POST", "/api/v1/catalogs", raw=json.dumps(doc))
        self.assertError(r, 422, "invalid_catalog", "catalog.groups[0].controls[0].x-a")
        strict_json(self, r, "refusal")

# ---- 6. Controls that can be answered ----

LONG_ID = "ctl-" + "x" * 60  # exactly 64 bytes


class TestControlIds(HardeningCase):

    def test_ids_are_capped_at_64_bytes_and_a_64_byte_control_is_answered(self):
        nat_email = demo_email("analyst", "ncert")
        nat = self.client(nat_email)
        self.assertEqual(len(LONG_ID.encode()), 64)
        # 5,000 and 65 bytes: refused with the JSON path of the id, nothing stored.
        for n in (5000, 65):
            with self.subTest(id_bytes=n):
                before = self.snap(CATALOG_TABLES)
                doc = small_catalog(**{"catalog/groups/0/controls/0/id": "c" * n})
                r = nat.request("POST", "/api/v1/catalogs", raw=json.dumps(doc))
                self.assertError(r, 422, "invalid_catalog", "catalog.groups[0].controls[0].id")
                self.assertEqual(self.snap(CATALOG_TABLES), before)

        # 64 bytes: imports, and its control goes all the way to a submitted assessment.
        cid = self.import_catalog(nat_email, small_catalog(
            **{"catalog/groups/0/controls/0/id": LONG_ID}))
        r = nat.get("/api/v1/catalogs/%s/controls/%s" % (cid, LONG_ID))
        self.assertEqual((r.status, r.json["id"]), (200, LONG_ID), r)
        profile = self.make_profile(nat_email, cid, [LONG_ID, "g2-1"], title="Long ids",
                                    applies_kinds=["institution"])
        campaign = self.launch(nat_email, profile, title="Long id round")
        self.assertGreater(campaign["assessments"], 0)
        aid = self.assessment_in(campaign["id"], "pb-health")
        hr = self.demo_client("reporter", "pb-health")
        r = hr.get("/api/v1/assessments/" + aid)
        self.assertEqual([c["id"] for c in r.json["controls"]], [LONG_ID, "g2-1"])
        r = hr.request("PUT", "/api/v1/assessments/%s/answers" % aid, {"answers": [
            {"control_id": LONG_ID, "status": "implemented", "maturity": 3},
            {"control_id": "g2-1", "status": "implemented", "maturity": 3}]})
        self.assertEqual(r.status, 200, r)
        r = hr.post("/api/v1/assessments/%s/submit" % aid)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["assessment"]["status"], "submitted")
        answers = {c["id"]: c["answer"] for c in hr.get("/api/v1/assessments/" + aid)
                   .json["controls"]}
        self.assertEqual((answers[LONG_ID]["status"], answers[LONG_ID]["maturity"]),
                         ("implemented", 3))


# ---- 7. No control characters outside prose ----

C1_AND_DEL = {"DEL": "\u007f", "U+0085": "\u0085", "U+009B": "\u009b"}


class TestControlCharacters(HardeningCase):

    @classmethod
    def prepare(cls):
        cls.december = cls.december_id()

    def refused(self, send, tables, status, code, field):
        before = self.snap(tables)
        r = send()
        self.assertError(r, status, code, field)
        self.assertEqual(self.snap(tables), before, "a refused request wrote something")

    def test_catalog_titles(self):
        nat = self.demo_client("analyst", "ncert")
        for key, path in (("catalog/metadata/title", "catalog.metadata.title"),
                          ("catalog/groups/0/title", "catalog.groups[0].title"),
                          ("catalog/groups/0/controls/0/title",
                           "catalog.groups[0].controls[0].title")):
            with self.subTest(path=path):
                doc = small_catalog(**{key: "Clear the screen \u001b[2J now"})
                self.refused(lambda: nat.request("POST", "/api/v1/catalogs",
                                                 raw=json.dumps(doc)),
                             CATALOG_TABLES, 422, "invalid_catalog", path)

    def test_profile_title(self):
        nat_email = demo_email("analyst", "ncert")
        cid = self.import_catalog(nat_email, small_catalog())
        c = self.client(nat_email)
        self.refused(lambda: c.post("/api/v1/profiles", {
            "catalog_id": cid, "title": "Start \u0001 of heading", "control_ids": ["g1-1"]}),
            GUIDE_TABLES, 422, "invalid_field", "title")

    def test_org_user_and_campaign_names(self):
        pa_admin = self.demo_client("admin", "punjab-cert")
        hl_admin = self.demo_client("admin", "pb-health")
        pa = self.demo_client("analyst", "punjab-cert")
        profile = self.make_profile(demo_email("analyst", "punjab-cert"),
                                    self.import_catalog(demo_email("analyst", "ncert"),
                                                        small_catalog()),
                                    ["g1-1"], title="Names profile")
        for what, ch in C1_AND_DEL.items():
            with self.subTest(char=what, kind="org"):
                self.refused(lambda: pa_admin.post("/api/v1/orgs", {
                    "parent_id": self.org_of("punjab-cert"), "kind": "institution",
                    "name": "Punjab %s Department" % ch, "province": "punjab",
                    "sector": "other"}), SNAPSHOT_TABLES, 422, "invalid_field", "name")
            with self.subTest(char=what, kind="user"):
                self.refused(lambda: hl_admin.post("/api/v1/users", {
                    "email": "control.%s@pb-health.rabta.test" % what[-2:].lower(),
                    "name": "Nadia %s Khan" % ch, "role": "analyst",
                    "password": "a-long-enough-password"}),
                    SNAPSHOT_TABLES, 422, "invalid_field", "name")
            with self.subTest(char=what, kind="campaign"):
                self.refused(lambda: pa.post("/api/v1/campaigns", {
                    "profile_id": profile, "title": "Round %s one" % ch,
                    "due_date": future_date()}), GUIDE_TABLES, 422, "invalid_field", "title")

    def test_evidence_keeps_tab_and_newline_but_not_bell(self):
        aid = self.assessment_in(self.december, "fed-identity")
        c = self.demo_client("reporter", "fed-identity")
        prose = "line 1\n\tline 2"
        r = c.request("PUT", "/api/v1/assessments/%s/answers" % aid, {"answers": [
            {"control_id": "gv-1", "status": "implemented", "maturity": 3, "evidence": prose}]})
        self.assertEqual(r.status, 200, r)
        answer = [x for x in c.get("/api/v1/assessments/" + aid).json["controls"]
                  if x["id"] == "gv-1"][0]["answer"]
        self.assertEqual(answer["evidence"], prose)
        self.refused(lambda: c.request("PUT", "/api/v1/assessments/%s/answers" % aid, {
            "answers": [{"control_id": "gv-1", "status": "implemented", "maturity": 3,
                         "evidence": "ring the bell \u0007 twice"}]}),
            GUIDE_TABLES, 422, "invalid_field", "answers[0].evidence")
        answer = [x for x in c.get("/api/v1/assessments/" + aid).json["controls"]
                  if x["id"] == "gv-1"][0]["answer"]
        self.assertEqual(answer["evidence"], prose)


# ---- 9. No e-mail oracle ----

class TestNoEmailOracle(HardeningCase):

    def test_an_address_taken_elsewhere_is_not_revealed(self):
        admin = self.demo_client("admin", "pb-health")
        taken = demo_email("admin", "sindh-cert")
        body = {"email": taken, "name": "Someone New", "role": "analyst",
                "password": "a-long-enough-password"}
        before = self.snapshot()
        users = db_scalar(self.db, "SELECT count(*) FROM users")
        r = admin.post("/api/v1/users", body)
        err = self.assertError(r, 409, "conflict", "email")
        self.assertNotIn(taken, err["message"].lower())
        self.assertNotIn("sindh", err["message"].lower())
        self.assertNotIn(taken.encode(), r.body.lower())
        self.assertNothingWritten(before)
        self.assertEqual(db_scalar(self.db, "SELECT count(*) FROM users"), users)
        # The same address in another case is the same answer.
        r2 = admin.post("/api/v1/users", dict(body, email=taken.upper()))
        err2 = self.assertError(r2, 409, "conflict", "email")
        self.assertNotIn("sindh", err2["message"].lower())
        # An address of the admin's own org: a conflict too (the message may say so).
        r = admin.post("/api/v1/users", dict(body, email=demo_email("analyst", "pb-health")))
        self.assertError(r, 409, "conflict", "email")
        self.assertNothingWritten(before)


if __name__ == "__main__":
    unittest.main()
