"""Evidence files on assessment controls: the raw-body upload
(POST /api/v1/assessments/{id}/attachments?control_id=&filename=), the metadata list, the download
(Content-Disposition: attachment), the history and audit entries, the OSCAL export's
relevant-evidence, and every refusal — each refusal proven to have written nothing (no file row, no
history event, no audit entry).

On the demo hierarchy (which carries the national baseline catalog): the National CERT's analyst
makes a three-control profile for institutions and the Punjab CERT's analyst launches it over
Punjab, so each Punjab institution has its own assessment to work on:
  pb-health       the story (upload, list, download, history, audit, OSCAL)
  pb-power        who reads and who attaches
  pb-landrecords  input refusals and the 10-files-per-control cap
  pb-finance      the lifecycle (draft, submitted, returned, accepted)
  pb-emergency    cookie sessions and CSRF
"""

import hashlib
import json
import urllib.parse

from harness import (ServerCase, Client, ANY, cli_ok, db_snapshot, demo_email, SNAPSHOT_TABLES,
                     UUID_RE, RFC3339_RE, HEX64_RE)
from test_campaigns import future_date

CONTROLS = ["gv-1", "br-2", "iam-2"]
MAX_BYTES = 5 * 1024 * 1024
MAX_PER_CONTROL = 10
ATTACHMENT_KEYS = {"id", "control_id", "filename", "content_type", "size", "sha256",
                   "created_by", "created_at"}
# A small PDF-like file: binary bytes (not UTF-8), a NUL and a CR LF, as real PDFs have.
PDF = (b"%PDF-1.4\r\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
       b"stream\n\x00\x01\x02\xff\xfe\nendstream\n%%EOF\n")
NIL = "00000000-0000-4000-8000-000000000000"


def sha256(data):
    return hashlib.sha256(data).hexdigest()


class AttachmentCase(ServerCase):
    """The demo database with one campaign over Punjab's institutions."""

    @classmethod
    def prepare_db(cls):
        cats = json.loads(cli_ok("catalog", "list", "--db", cls.db, "--json"))
        found = [c for c in cats if "National Cyber Security Baseline" in c["title"]]
        if len(found) != 1:
            raise AssertionError("the demo should carry the national baseline once: %r" % cats)
        cls.catalog_id = found[0]["id"]

    @classmethod
    def prepare(cls):
        nat = cls.demo_client("analyst", "ncert")
        r = nat.post("/api/v1/profiles", {"catalog_id": cls.catalog_id,
                                          "title": "Evidence essentials",
                                          "control_ids": CONTROLS,
                                          "applies_kinds": ["institution"]})
        if r.status != 201:
            raise AssertionError("profile not made: %r" % r)
        pa = cls.demo_client("analyst", "punjab-cert")
        r = pa.post("/api/v1/campaigns", {"profile_id": r.json["profile"]["id"],
                                          "title": "Evidence round", "due_date": future_date()})
        if r.status != 201 or r.json["assessments"] != 6:
            raise AssertionError("campaign not launched over Punjab: %r" % r)
        cls.campaign_id = r.json["id"]
        items, _ = pa.list_all("/api/v1/assessments?campaign_id=" + cls.campaign_id, limit=500)
        by_org = {x["org_id"]: x["id"] for x in items}
        cls.aid = {slug: by_org[cls.org_of(slug)]
                   for slug in ("pb-health", "pb-power", "pb-landrecords", "pb-finance",
                                "pb-emergency")}

    # ---- helpers ----

    def upload(self, client, aid, data, control_id="br-2", filename="evidence.pdf",
               content_type="application/pdf", query=None, **kw):
        """POST the raw bytes; query (a string) replaces the ?control_id=&filename= query."""
        if query is None:
            q = []
            if control_id is not None:
                q.append(("control_id", control_id))
            if filename is not None:
                q.append(("filename", filename))
            query = urllib.parse.urlencode(q, quote_via=urllib.parse.quote)
        path = "/api/v1/assessments/%s/attachments" % aid + ("?" + query if query else "")
        headers = dict(kw.pop("headers", {}) or {})
        headers["Content-Type"] = content_type  # None: no Content-Type header at all
        return client.request("POST", path, raw=data, headers=headers, **kw)

    def listing(self, client, aid):
        return client.get("/api/v1/assessments/%s/attachments" % aid)

    def download(self, client, aid, att_id):
        return client.get("/api/v1/assessments/%s/attachments/%s" % (aid, att_id))

    def snap(self):
        """What any write of an attachment changes: the file rows, the assessment's history
        events, the assessments and the audit trail (counts and head)."""
        return db_snapshot(self.db, SNAPSHOT_TABLES + ("files",
                                                       "history", "assessments"))

    def refused(self, send, status, code, field=ANY, msg_has=None):
        before = self.snap()
        r = send()
        err = self.assertError(r, status, code, field, msg_has)
        self.assertEqual(self.snap(), before, "a refused upload wrote something")
        return err

    def uploaded(self, client, aid, data, **kw):
        """An upload that must succeed: 201, one more file row, one more history event and one
        more audit entry. Returns the metadata."""
        before = self.snap()
        r = self.upload(client, aid, data, **kw)
        self.assertEqual(r.status, 201, r)
        after = self.snap()
        self.assertEqual(after["files"], before["files"] + 1)
        self.assertEqual(after["history"], before["history"] + 1)
        self.assertEqual(after["audit_log"], before["audit_log"] + 1)
        meta = r.json
        self.assertEqual(set(meta), ATTACHMENT_KEYS)
        self.assertRegex(meta["id"], UUID_RE)
        self.assertRegex(meta["created_at"], RFC3339_RE)
        self.assertRegex(meta["sha256"], HEX64_RE)
        self.assertEqual((meta["size"], meta["sha256"]), (len(data), sha256(data)))
        return meta

    def answers(self, client, aid, answers):
        r = client.request("PUT", "/api/v1/assessments/%s/answers" % aid,
                           {"answers": [{"control_id": c, "status": s, "maturity": m}
                                        for c, (s, m) in answers.items()]})
        self.assertEqual(r.status, 200, r)
        return r.json


class TestAttachmentStory(AttachmentCase):

    def test_upload_list_download_history_audit_and_oscal(self):
        aid = self.aid["pb-health"]
        reporter = demo_email("reporter", "pb-health")
        hr = self.client(reporter)
        self.assertEqual(self.listing(hr, aid).json, {"items": [], "next_cursor": None})

        # The reporter attaches a PDF to br-2: the answer echoes what the test computes.
        meta = self.uploaded(hr, aid, PDF, control_id="br-2", filename="backup-report.pdf",
                             content_type="application/pdf")
        self.assertEqual({k: meta[k] for k in ("control_id", "filename", "content_type", "size",
                                               "sha256", "created_by")},
                         {"control_id": "br-2", "filename": "backup-report.pdf",
                          "content_type": "application/pdf", "size": len(PDF),
                          "sha256": hashlib.sha256(PDF).hexdigest(), "created_by": reporter})

        # The list shows it, exactly as the upload answered.
        r = self.listing(hr, aid)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json, {"items": [meta], "next_cursor": None})

        # The download is the exact bytes, as a download, with the stored media type.
        r = self.download(hr, aid, meta["id"])
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.body, PDF)
        self.assertEqual(r.header("Content-Type"), "application/pdf")
        self.assertEqual(r.header("Content-Disposition"),
                         'attachment; filename="backup-report.pdf"; filename*=UTF-8\'\'backup-report.pdf')
        self.assertEqual(r.header("Content-Length"), str(len(PDF)))
        self.assertEqual(r.header("X-Content-Type-Options"), "nosniff")
        self.assertEqual(r.header("Cache-Control"), "no-store")

        # A browser's fake path and a relative path keep only their last component.
        note = "Restore test of 2026-11-02: 14 of 14 systems restored.\n".encode()
        win = self.uploaded(hr, aid, note, control_id="br-2", filename="C:\\fakepath\\evidence.txt",
                            content_type="text/plain")
        self.assertEqual((win["filename"], win["content_type"]), ("evidence.txt", "text/plain"))
        up = self.uploaded(hr, aid, b"relative", control_id="gv-1", filename="../../x.txt",
                           content_type="text/plain")
        self.assertEqual((up["filename"], up["control_id"]), ("x.txt", "gv-1"))
        r = self.download(hr, aid, win["id"])
        self.assertEqual((r.status, r.body, r.header("Content-Disposition"),
                          r.header("Content-Type")),
                         (200, note, 'attachment; filename="evidence.txt"; filename*=UTF-8\'\'evidence.txt', "text/plain"))
        r = self.download(hr, aid, up["id"])
        self.assertEqual((r.body, r.header("Content-Disposition")),
                         (b"relative", 'attachment; filename="x.txt"; filename*=UTF-8\'\'x.txt'))

        # A media type that is not a plain type/subtype, or none at all, is stored as generic.
        odd = self.uploaded(hr, aid, b"odd", control_id="iam-2", filename="mfa.log",
                            content_type="not a media type")
        bare = self.uploaded(hr, aid, b"bare", control_id="iam-2", filename="mfa-2.log",
                             content_type=None)
        self.assertEqual((odd["content_type"], bare["content_type"]),
                         ("application/octet-stream", "application/octet-stream"))
        self.assertEqual(self.download(hr, aid, odd["id"]).header("Content-Type"),
                         "application/octet-stream")

        # The list holds all five, grouped by control in the assessment's (catalog) order.
        all_meta = [meta, win, up, odd, bare]
        order = [c["id"] for c in hr.get("/api/v1/assessments/" + aid).json["controls"]]
        self.assertEqual(sorted(order), sorted(CONTROLS))
        items = self.listing(hr, aid).json["items"]
        self.assertEqual(sorted(items, key=lambda x: x["id"]),
                         sorted(all_meta, key=lambda x: x["id"]))
        self.assertEqual([x["control_id"] for x in items],
                         sorted((m["control_id"] for m in all_meta), key=order.index))

        # The history has one "evidence attached" step per file, naming the control and file.
        hist = hr.get("/api/v1/assessments/%s/history" % aid).json["items"]
        self.assertEqual([(e["action"], e["control_id"], e["comment"], e["actor"]) for e in hist],
                         [("evidence attached", "br-2", "backup-report.pdf", reporter),
                          ("evidence attached", "br-2", "evidence.txt", reporter),
                          ("evidence attached", "gv-1", "x.txt", reporter),
                          ("evidence attached", "iam-2", "mfa.log", reporter),
                          ("evidence attached", "iam-2", "mfa-2.log", reporter)])
        for e in hist:
            self.assertRegex(e["at"], RFC3339_RE)

        # The audit trail: assessment.attach on the assessment, by the reporter.
        audit, _ = self.demo_client("admin", "punjab-cert").list_all(
            "/api/v1/audit?org_id=" + self.org_of("pb-health"), limit=500)
        mine = [e for e in reversed(audit) if e["object_id"] == aid]
        self.assertEqual([e["action"] for e in mine], ["assessment.create"] +
                         ["assessment.attach"] * 5)
        for e in mine[1:]:
            self.assertEqual((e["object_kind"], e["actor"], e["org_id"]),
                             ("assessment", reporter, self.org_of("pb-health")))

        # The OSCAL export: br-2's observation lists its two files as relevant-evidence (href to
        # the download, with name, size and sha256); a control without files has none. (An
        # unanswered control has no finding, decision 71: answer them first.)
        self.answers(hr, aid, {c: ("partial", 2) for c in CONTROLS})
        doc = hr.get("/api/v1/assessments/%s/oscal" % aid).json["assessment-results"]
        result = doc["results"][0]
        obs = {o["uuid"]: o for o in result["observations"]}
        by_control = {}
        for f in result["findings"]:
            target = f["target"]["target-id"]
            self.assertTrue(target.endswith("_smt"), f)
            uuids = [ro["observation-uuid"] for ro in f["related-observations"]]
            self.assertEqual(len(uuids), 1, f)
            by_control[target[:-len("_smt")]] = obs[uuids[0]]
        self.assertEqual(set(by_control), set(CONTROLS))
        for control in CONTROLS:
            want = [m for m in all_meta if m["control_id"] == control]
            got = by_control[control].get("relevant-evidence", [])
            self.assertEqual(sorted(e["href"] for e in got),
                             sorted("/api/v1/assessments/%s/attachments/%s" % (aid, m["id"])
                                    for m in want), control)
            for e in got:
                m = [m for m in want if e["href"].endswith(m["id"])][0]
                for part in (m["filename"], str(m["size"]), m["sha256"]):
                    self.assertIn(part, e["description"], e)
                # Every href is a working download for a reader.
                self.assertEqual(hr.get(e["href"]).status, 200)
        self.assertEqual(len(by_control["br-2"]["relevant-evidence"]), 2)

        # A non-ASCII name: an ASCII fallback and the exact UTF-8 name, percent-encoded (RFC 6266).
        u = self.uploaded(hr, aid, b"accents", control_id="gv-1", filename="\u00e9t\u00e9 plan.txt",
                          content_type="text/plain")
        self.assertEqual(u["filename"], "\u00e9t\u00e9 plan.txt")
        r = self.download(hr, aid, u["id"])
        self.assertEqual(r.header("Content-Disposition").encode("latin-1"),
                         b"attachment; filename=\"__t__ plan.txt\"; "
                         b"filename*=UTF-8''%C3%A9t%C3%A9%20plan.txt")

    def test_who_reads_and_who_attaches(self):
        aid = self.aid["pb-power"]
        hr = self.demo_client("reporter", "pb-power")
        data = b"%PDF-1.7\nwho may read this\n%%EOF\n"
        meta = self.uploaded(hr, aid, data, control_id="iam-2", filename="who.pdf")

        # The assessed org's analyst and admin attach too.
        for role in ("analyst", "admin"):
            c = self.demo_client(role, "pb-power")
            m = self.uploaded(c, aid, role.encode(), control_id="gv-1", filename=role + ".txt",
                              content_type="text/plain")
            self.assertEqual(m["created_by"], demo_email(role, "pb-power"))

        # The Punjab CERT (the parent) and the National CERT (ancestors, granted) read the list
        # and the file; they may not attach (403, nothing written).
        for email in (demo_email("analyst", "punjab-cert"), demo_email("admin", "punjab-cert"),
                      demo_email("analyst", "ncert")):
            c = self.client(email)
            with self.subTest(email=email):
                r = self.listing(c, aid)
                self.assertEqual(r.status, 200, r)
                self.assertIn(meta, r.json["items"])
                r = self.download(c, aid, meta["id"])
                self.assertEqual((r.status, r.body, r.header("Content-Disposition")),
                                 (200, data, 'attachment; filename="who.pdf"; filename*=UTF-8\'\'who.pdf'))
                self.refused(lambda: self.upload(c, aid, b"from above", control_id="iam-2"),
                             403, "forbidden", None)

        # A Sindh institution, the Sindh CERT and a sibling Punjab institution see nothing.
        for email in (demo_email("reporter", "sd-health"), demo_email("analyst", "sindh-cert"),
                      demo_email("admin", "sindh-cert"), demo_email("reporter", "pb-finance")):
            c = self.client(email)
            with self.subTest(email=email):
                self.assertError(self.listing(c, aid), 404, "not_found", None)
                self.assertError(self.download(c, aid, meta["id"]), 404, "not_found", None)
                self.refused(lambda: self.upload(c, aid, b"not yours", control_id="iam-2"),
                             404, "not_found", None)

        # Nobody signed in: 401, on every route.
        anon = Client(self.port)
        self.assertError(self.listing(anon, aid), 401, "unauthenticated")
        self.assertError(self.download(anon, aid, meta["id"]), 401, "unauthenticated")
        self.refused(lambda: self.upload(anon, aid, b"anon"), 401, "unauthenticated")

        # Unknown ids: not found. A file of another assessment is not served through this one.
        other = self.uploaded(self.demo_client("reporter", "pb-emergency"),
                              self.aid["pb-emergency"], b"emergency", control_id="gv-1",
                              filename="drill.txt", content_type="text/plain")
        for path in ("/api/v1/assessments/%s/attachments/%s" % (aid, other["id"]),
                     "/api/v1/assessments/%s/attachments/%s" % (aid, NIL),
                     "/api/v1/assessments/%s/attachments/not-a-uuid" % aid,
                     "/api/v1/assessments/%s/attachments/%s" % (NIL, meta["id"]),
                     "/api/v1/assessments/%s/attachments" % NIL):
            with self.subTest(path=path):
                self.assertError(hr.get(path), 404, "not_found")
        self.refused(lambda: self.upload(hr, NIL, b"x"), 404, "not_found", None)
        # The right pair still works.
        self.assertEqual(self.download(self.demo_client("reporter", "pb-emergency"),
                                       self.aid["pb-emergency"], other["id"]).body, b"emergency")


class TestAttachmentInput(AttachmentCase):

    def test_size_limits(self):
        aid = self.aid["pb-landrecords"]
        lr = self.demo_client("reporter", "pb-landrecords")
        # One byte over 5 MiB: 413. Far over (the route's own document cap): 413 too.
        self.refused(lambda: self.upload(lr, aid, b"\x00" * (MAX_BYTES + 1)), 413, "too_large",
                     None)
        self.refused(lambda: self.upload(lr, aid, b"\x00" * (MAX_BYTES * 7)), 413, "too_large",
                     None)
        # Exactly 5 MiB is accepted and comes back byte for byte.
        big = bytes(range(256)) * (MAX_BYTES // 256)
        self.assertEqual(len(big), MAX_BYTES)
        meta = self.uploaded(lr, aid, big, control_id="gv-1", filename="full-scan.bin",
                             content_type="application/octet-stream")
        r = self.download(lr, aid, meta["id"])
        self.assertEqual((r.status, len(r.body), sha256(r.body)), (200, MAX_BYTES, sha256(big)))
        # An empty file: 422.
        err = self.refused(lambda: self.upload(lr, aid, b""), 422, "invalid_field")
        self.assertIn("empty", err["message"])

    def test_query_parameters_are_validated(self):
        aid = self.aid["pb-landrecords"]
        lr = self.demo_client("reporter", "pb-landrecords")
        send = lambda **kw: (lambda: self.upload(lr, aid, b"data", **kw))  # noqa: E731
        # Missing or empty control_id / filename.
        self.refused(send(control_id=None), 422, "invalid_field", "control_id")
        self.refused(send(control_id=""), 422, "invalid_field", "control_id")
        self.refused(send(filename=None), 422, "invalid_field", "filename")
        self.refused(send(filename=""), 422, "invalid_field", "filename")
        self.refused(send(query=""), 422, "invalid_field", "control_id")
        # A control the assessment does not have: unknown anywhere, in the catalog but not in
        # the profile, or the right id in another case.
        for bad in ("zz-9", "gv-2", "BR-2", "br-2 ", "br-2.1"):
            with self.subTest(control_id=bad):
                self.refused(send(control_id=bad), 422, "invalid_field", "control_id")
        # File names: no quotes, no control characters, 1 to 200 characters once reduced to the
        # last path component.
        for bad in ('say "hi".txt', '"', "a\nb.txt", "a\rb.txt", "tab\there.txt", "bell\x07.txt",
                    "esc\x1b[31m.txt", "del\x7f.txt", "unit\x1f.txt", "\x01",
                    "C:\\fakepath\\", "reports/", "/", "\\", "x" * 201,
                    "dir/" + "y" * 201):
            with self.subTest(filename=bad):
                self.refused(send(filename=bad), 422, "invalid_field", "filename")
        # Path components are dropped before the length is counted; 200 characters are fine.
        meta = self.uploaded(lr, aid, b"long", control_id="iam-2",
                             filename="deep/" * 50 + "n" * 200, content_type="text/plain")
        self.assertEqual(meta["filename"], "n" * 200)
        # Spaces, non-ASCII letters and a quote-like apostrophe are ordinary file names.
        for name in ("Backup report (final).pdf", "Rapport d'été.pdf", "رپورٹ.pdf"):
            with self.subTest(filename=name):
                meta = self.uploaded(lr, aid, name.encode(), control_id="iam-2", filename=name)
                self.assertEqual(meta["filename"], name)

    def test_ten_files_per_control(self):
        aid = self.aid["pb-landrecords"]
        lr = self.demo_client("reporter", "pb-landrecords")
        have = len([x for x in self.listing(lr, aid).json["items"] if x["control_id"] == "br-2"])
        self.assertEqual(have, 0)
        for i in range(MAX_PER_CONTROL):
            self.uploaded(lr, aid, b"file %d" % i, control_id="br-2", filename="log-%02d.txt" % i,
                          content_type="text/plain")
        err = self.refused(lambda: self.upload(lr, aid, b"eleventh", control_id="br-2",
                                               filename="log-10.txt"),
                           409, "conflict", "control_id")
        self.assertIn("10", err["message"])
        items = self.listing(lr, aid).json["items"]
        self.assertEqual(sorted(x["filename"] for x in items if x["control_id"] == "br-2"),
                         ["log-%02d.txt" % i for i in range(MAX_PER_CONTROL)])
        # The cap is per control: another control of the same assessment still takes files.
        self.uploaded(lr, aid, b"other control", control_id="gv-1", filename="policy.txt",
                      content_type="text/plain")


class TestAttachmentLifecycle(AttachmentCase):

    def test_only_while_editable_and_not_on_accepted_controls(self):
        aid = self.aid["pb-finance"]
        fr = self.demo_client("reporter", "pb-finance")
        pa = self.demo_client("analyst", "punjab-cert")
        # not_started: a file may be attached before any answer (the status does not change).
        first = self.uploaded(fr, aid, b"charter", control_id="gv-1", filename="charter.pdf")
        self.assertEqual(fr.get("/api/v1/assessments/" + aid).json["assessment"]["status"],
                         "not_started")
        # draft
        self.answers(fr, aid, {"gv-1": ("implemented", 4), "br-2": ("partial", 2),
                               "iam-2": ("planned", 1)})
        self.uploaded(fr, aid, b"backups", control_id="br-2", filename="backups.pdf")
        # submitted: nothing can be attached.
        r = fr.post("/api/v1/assessments/%s/submit" % aid)
        self.assertEqual(r.status, 200, r)
        for control in CONTROLS:
            with self.subTest(control=control):
                self.refused(lambda: self.upload(fr, aid, b"late", control_id=control), 409,
                             "conflict", "status")
        # returned: the returned control takes files; the accepted ones are locked.
        r = pa.post("/api/v1/assessments/%s/review" % aid, {"decisions": [
            {"control_id": "gv-1", "decision": "accept"},
            {"control_id": "br-2", "decision": "accept"},
            {"control_id": "iam-2", "decision": "return",
             "comment": "Show the MFA rollout plan."}]})
        self.assertEqual((r.status, r.json["assessment"]["status"]), (200, "returned"), r)
        for control in ("gv-1", "br-2"):
            with self.subTest(control=control):
                self.refused(lambda: self.upload(fr, aid, b"late", control_id=control), 409,
                             "conflict", "control_id")
        plan = self.uploaded(fr, aid, b"MFA rollout plan", control_id="iam-2",
                             filename="mfa-plan.pdf")
        # resubmitted and accepted: locked for good, still readable.
        self.answers(fr, aid, {"iam-2": ("partial", 3)})
        self.assertEqual(fr.post("/api/v1/assessments/%s/submit" % aid).status, 200)
        r = pa.post("/api/v1/assessments/%s/review" % aid,
                    {"decisions": [{"control_id": "iam-2", "decision": "accept"}]})
        self.assertEqual((r.status, r.json["assessment"]["status"]), (200, "accepted"), r)
        for control in CONTROLS:
            with self.subTest(control=control):
                self.refused(lambda: self.upload(fr, aid, b"after", control_id=control), 409,
                             "conflict", "status")
        self.assertEqual(len(self.listing(fr, aid).json["items"]), 3)
        self.assertEqual(self.download(fr, aid, first["id"]).body, b"charter")
        self.assertEqual(self.download(pa, aid, plan["id"]).body, b"MFA rollout plan")
        # The history has the files among the other steps, in order.
        steps = [(e["action"], e["control_id"]) for e in
                 fr.get("/api/v1/assessments/%s/history" % aid).json["items"]]
        self.assertEqual(steps, [
            ("evidence attached", "gv-1"), ("saved", None), ("evidence attached", "br-2"),
            ("submitted", None), ("control accepted", "gv-1"), ("control accepted", "br-2"),
            ("control returned", "iam-2"), ("returned", None), ("evidence attached", "iam-2"),
            ("saved", None), ("submitted", None), ("control accepted", "iam-2"),
            ("accepted", None)])


class TestAttachmentCookieSession(AttachmentCase):

    def test_cookie_uploads_need_the_csrf_token(self):
        aid = self.aid["pb-emergency"]
        c = Client(self.port)
        r = c.sign_in(demo_email("reporter", "pb-emergency"))
        self.assertEqual(r.status, 201, r)
        # Without the header, or with a wrong one: 403 csrf_failed, nothing written (also for a
        # body larger than the ordinary 1 MiB cap).
        self.refused(lambda: self.upload(c, aid, b"no token", csrf=False), 403, "csrf_failed")
        self.refused(lambda: self.upload(c, aid, b"x" * (2 * 1024 * 1024), csrf=False), 403,
                     "csrf_failed")
        self.refused(lambda: self.upload(c, aid, b"bad token",
                                         headers={"X-CSRF-Token": "0" * 64}), 403, "csrf_failed")
        # With it: stored, also above 1 MiB; the cookie session lists and downloads (GET needs
        # no token).
        small = self.uploaded(c, aid, b"with token", control_id="br-2", filename="drill.txt",
                              content_type="text/plain")
        big_data = b"\xab" * (2 * 1024 * 1024)
        big = self.uploaded(c, aid, big_data, control_id="br-2", filename="drill-video.bin",
                            content_type="application/octet-stream")
        items = self.listing(c, aid).json["items"]
        self.assertEqual(sorted(x["id"] for x in items), sorted([small["id"], big["id"]]))
        self.assertEqual(self.download(c, aid, big["id"]).body, big_data)


if __name__ == "__main__":
    import unittest
    unittest.main()
