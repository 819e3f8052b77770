"""test_migration.py - a database made by the previous release opens in this one, with nothing
lost: migration 0005 moves every assessment event and evidence file into the shared history and
file store (core/history, core/files).

TestDatabaseWrittenByPreviousRelease opens tests/api/fixtures/release-0004.db, a database the
previous release's own binary wrote (commit 73dec7c, schema 0001-0004; fixtures/make_old_db.py
says how it was made and regenerates it). It reads the old events and files from that file before
migrating, then asks this release's API, as the fixture's users, for each of them, and compares
with what the old release's API answered (fixtures/release-0004.json).

TestPreviousReleaseDatabase synthesizes a previous-release database instead. The previous
release's schema is migrations 0001-0004 exactly (they never change once released). The test
builds such a database: it runs this release on the demo, has institutions upload
evidence files in several controls and answer, submit and get reviewed (so there are events with
controls and comments), records every answer the API gives about them, then writes the same data
into a fresh database made only of migrations 0001-0004, with the events in assessment_events and
the files in assessment_attachments as the previous release kept them. This release then opens
that database (migrating it) and must give the same answers: history, attachments, downloads and
the OSCAL export's evidence links.
"""

import glob
import hashlib
import json
import os
import shutil
import sqlite3
import tempfile
import unittest
import urllib.parse

from harness import (REPO, Client, Server, ServerCase, cli_ok, db_connect_ro, demo_email,
                     scratch_dir)
from test_campaigns import future_date

OLD_MIGRATIONS = [1, 2, 3, 4]
# The tables migration 0005 replaces, with the previous release's columns.
OLD_EVENTS = "assessment_events"
OLD_FILES = "assessment_attachments"
FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")
OLD_DB = os.path.join(FIXTURES, "release-0004.db")
OLD_ANSWERS = os.path.join(FIXTURES, "release-0004.json")


def old_schema(path):
    """A database with the previous release's schema: migrations 0001-0004 and their records."""
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                "applied_at TEXT NOT NULL)")
    for v in OLD_MIGRATIONS:
        (f,) = glob.glob(os.path.join(REPO, "src", "db", "migrations", "%04d_*.sql" % v))
        con.executescript(open(f).read())
        name = os.path.basename(f)[5:-4]
        con.execute("INSERT INTO schema_migrations VALUES (?, ?, '2026-11-28T00:00:00Z')", (v, name))
    con.commit()
    return con


class TestPreviousReleaseDatabase(ServerCase):

    @classmethod
    def prepare(cls):
        nat = cls.demo_client("analyst", "ncert")
        cats = nat.get("/api/v1/catalogs").json["items"]
        (base,) = [c for c in cats if "National Cyber Security Baseline" in c["title"]]
        r = nat.post("/api/v1/profiles", {"catalog_id": base["id"], "title": "Migration round",
                                          "control_ids": ["gv-1", "br-2", "iam-2"],
                                          "applies_kinds": ["institution"]})
        assert r.status == 201, r
        pa = cls.demo_client("analyst", "punjab-cert")
        r = pa.post("/api/v1/campaigns", {"profile_id": r.json["profile"]["id"],
                                          "title": "Migration round", "due_date": future_date()})
        assert r.status == 201, r
        items, _ = pa.list_all("/api/v1/assessments?campaign_id=" + r.json["id"], limit=500)
        cls.aids = {x["org_id"]: x["id"] for x in items}
        health = cls.demo_client("reporter", "pb-health")
        aid = cls.aids[cls.org_of("pb-health")]
        cls.uploads = []
        for control, name, data in (("br-2", "restore-test-report.txt", b"restored 12 of 12"),
                                    ("gv-1", "policy.pdf", b"%PDF-1.4 policy"),
                                    ("br-2", "\u0631\u067e\u0648\u0631\u0679.txt", "٪".encode())):
            q = urllib.parse.urlencode({"control_id": control, "filename": name})
            r = health.request("POST", "/api/v1/assessments/%s/attachments?%s" % (aid, q),
                               raw=data, headers={"Content-Type": "text/plain"})
            assert r.status == 201, r
            cls.uploads.append((r.json["id"], data))
        answers = [{"control_id": c, "status": "partial", "maturity": 3,
                    "evidence": "see the files"} for c in ("gv-1", "br-2", "iam-2")]
        assert health.request("PUT", "/api/v1/assessments/%s/answers" % aid,
                              {"answers": answers}).status == 200
        assert health.post("/api/v1/assessments/%s/submit" % aid).status == 200
        r = pa.post("/api/v1/assessments/%s/review" % aid, {"decisions": [
            {"control_id": "gv-1", "decision": "accept"},
            {"control_id": "br-2", "decision": "return", "comment": "the restore test is old"},
            {"control_id": "iam-2", "decision": "accept"}]})
        assert r.status == 200, r
        cls.aid = aid
        cls.before = cls.observe(aid)

    @classmethod
    def observe(cls, aid):
        """Everything the API says about the assessment's events and files."""
        c = cls.demo_client("analyst", "punjab-cert")
        r = c.get("/api/v1/assessments/%s/history" % aid)
        assert r.status == 200, r
        out = {"history": r.json,
               "attachments": c.get("/api/v1/assessments/%s/attachments" % aid).json}
        out["downloads"] = {}
        for att in out["attachments"]["items"]:
            r = c.get("/api/v1/assessments/%s/attachments/%s" % (aid, att["id"]))
            out["downloads"][att["id"]] = (r.status, r.header("Content-Disposition"),
                                           hashlib.sha256(r.body).hexdigest())
        oscal = c.get("/api/v1/assessments/%s/oscal" % aid).json
        out["evidence"] = sorted(
            e["href"] for o in oscal["assessment-results"]["results"][0]["observations"]
            for e in o.get("relevant-evidence", []))
        return out

    def test_every_event_and_file_survives_the_upgrade(self):
        self.assertGreaterEqual(len(self.before["history"]["items"]), 8)
        self.assertEqual(len(self.before["attachments"]["items"]), 3)
        self.server.stop_and_check()
        self.__class__.server = None
        old = os.path.join(self.tmp, "previous-release.db")
        con = old_schema(old)
        con.execute("ATTACH DATABASE ? AS cur", (self.db,))
        tables = [r[0] for r in con.execute(
            "SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT IN "
            "('schema_migrations', ?, ?)", (OLD_EVENTS, OLD_FILES))]
        for t in tables:
            cols = [r[1] for r in con.execute("PRAGMA main.table_info(%s)" % t)]
            con.execute("INSERT INTO main.%s (%s) SELECT %s FROM cur.%s"
                        % (t, ", ".join(cols), ", ".join(cols), t))
        con.execute("INSERT INTO main.assessment_events(id, assessment_id, at, actor, action, "
                    "control_id, comment) SELECT seq, object_id, at, actor, action, part, comment "
                    "FROM cur.history WHERE object_kind = 'assessment'")
        con.execute("INSERT INTO main.assessment_attachments(id, assessment_id, control_idx, "
                    "filename, content_type, size, sha256, data, created_by, created_at, seq) "
                    "SELECT id, object_id, part_rank, filename, content_type, size, sha256, data, "
                    "created_by, created_at, seq FROM cur.files WHERE object_kind = 'assessment'")
        con.commit()
        n_events = con.execute("SELECT count(*) FROM main.assessment_events").fetchone()[0]
        n_files = con.execute("SELECT count(*) FROM main.assessment_attachments").fetchone()[0]
        con.close()
        self.assertEqual(n_files, 3)
        # This release opens the previous release's database and migrates it.
        srv = Server(old, self.tmp, ("--threads", "2"), name="upgraded").start()
        try:
            self.__class__.port = srv.port
            self.__class__._tokens = {}
            self.__class__.db = old
            after = self.observe(self.aid)
        finally:
            srv.stop_and_check()
        self.assertEqual(after, self.before)
        con = sqlite3.connect("file:%s?mode=ro" % old, uri=True)
        try:
            # Brought up to the newest schema this build knows (one migration per file).
            latest = len(glob.glob(os.path.join(os.path.dirname(__file__), "..", "..", "src", "db",
                                                "migrations", "*.sql")))
            self.assertEqual(con.execute("SELECT max(version) FROM schema_migrations").fetchone()[0],
                             latest)
            self.assertEqual(con.execute("SELECT count(*) FROM history").fetchone()[0], n_events)
            self.assertEqual(con.execute("SELECT count(*) FROM files").fetchone()[0], n_files)
            gone = con.execute("SELECT count(*) FROM sqlite_master WHERE name IN (?, ?)",
                               (OLD_EVENTS, OLD_FILES)).fetchone()[0]
            self.assertEqual(gone, 0)
        finally:
            con.close()
        for att_id, data in self.uploads:
            self.assertEqual(after["downloads"][att_id][2], hashlib.sha256(data).hexdigest())


def read_old_release(path):
    """What the previous release's database holds, read from the file (before any migration):
    {assessment id: {"events": [history item], "files": [(attachment item, bytes)],
    "readers": [e-mail]}} and the schema version. An attachment's control is the profile's
    control at its catalog index; the readers are the users of the assessed org and of its parent
    CERT (the reviewer)."""
    con = db_connect_ro(path)
    try:
        version = con.execute("SELECT max(version) FROM schema_migrations").fetchone()[0]
        out = {}

        def one(aid):
            if aid not in out:
                out[aid] = {"events": [], "files": [], "readers": [r[0] for r in con.execute(
                    "SELECT u.email FROM assessments a JOIN orgs o ON o.id = a.owner_org "
                    "JOIN users u ON u.org_id IN (o.id, o.parent_id) WHERE a.id = ? "
                    "ORDER BY u.email", (aid,))]}
            return out[aid]

        for aid, at, actor, action, control, comment in con.execute(
                "SELECT assessment_id, at, actor, action, control_id, comment "
                "FROM %s ORDER BY id" % OLD_EVENTS).fetchall():
            one(aid)["events"].append({"at": at, "actor": actor, "action": action,
                                       "control_id": control, "comment": comment})
        for row in con.execute(
                "SELECT t.assessment_id, t.id, c.oscal_id, t.filename, t.content_type, t.size, "
                "t.sha256, t.created_by, t.created_at, t.data FROM %s t "
                "JOIN assessments a ON a.id = t.assessment_id "
                "JOIN campaigns k ON k.id = a.campaign_id JOIN profiles p ON p.id = k.profile_id "
                "JOIN controls c ON c.catalog_id = p.catalog_id AND c.idx = t.control_idx "
                "ORDER BY t.assessment_id, t.control_idx, t.seq" % OLD_FILES).fetchall():
            item = dict(zip(("id", "control_id", "filename", "content_type", "size", "sha256",
                             "created_by", "created_at"), row[1:9]))
            one(row[0])["files"].append((item, bytes(row[9])))
        n_files = con.execute("SELECT count(*) FROM %s" % OLD_FILES).fetchone()[0]
    finally:
        con.close()
    assert sum(len(x["files"]) for x in out.values()) == n_files, "a file without its control"
    return version, out


class TestDatabaseWrittenByPreviousRelease(unittest.TestCase):
    """The previous release's binary wrote fixtures/release-0004.db; this release migrates it at
    start and shows every event and file it held, to every user who could read them."""

    maxDiff = None

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="release-0004-", dir=scratch_dir())
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self.db = os.path.join(self.tmp, "release-0004.db")
        shutil.copyfile(OLD_DB, self.db)
        with open(OLD_ANSWERS, encoding="utf-8") as f:
            self.old_answers = json.load(f)

    def client(self, port, email):
        tok = cli_ok("token", "create", "--db", self.db, "--user", email, "--name", "upgrade")
        return Client(port, tok.strip())

    def test_every_old_event_and_file_is_found_after_the_upgrade(self):
        version, old = read_old_release(self.db)
        self.assertEqual(version, max(OLD_MIGRATIONS), "the fixture is not the previous schema")
        n_events = sum(len(x["events"]) for x in old.values())
        n_files = sum(len(x["files"]) for x in old.values())
        # The fixture is worth its name: events with controls and comments, several files, one
        # of them named in Urdu, in more than one assessment.
        self.assertGreaterEqual(n_events, 10)
        self.assertGreaterEqual(n_files, 3)
        self.assertGreaterEqual(len(old), 2)
        self.assertTrue(any(not f["filename"].isascii() for x in old.values()
                            for f, _ in x["files"]))
        self.assertEqual(sorted(old), sorted(self.old_answers))
        srv = Server(self.db, self.tmp, ("--threads", "2"), name="upgraded").start()
        try:
            for aid, x in sorted(old.items()):
                self.assertGreaterEqual(len(x["readers"]), 2, aid)
                for email in x["readers"]:
                    with self.subTest(assessment=aid, reader=email):
                        self.check_reader(self.client(srv.port, email), aid, x,
                                          self.old_answers[aid])
            # The migrated store takes new files after the old ones.
            (aid, x), = [(a, x) for a, x in old.items() if any(
                e["action"] == "saved" for e in x["events"]) and not any(
                e["action"] == "submitted" for e in x["events"])]
            author = x["files"][0][0]["created_by"]
            c = self.client(srv.port, author)
            q = urllib.parse.urlencode({"control_id": x["files"][0][0]["control_id"],
                                        "filename": "after-upgrade.txt"})
            r = c.request("POST", "/api/v1/assessments/%s/attachments?%s" % (aid, q),
                          raw=b"new", headers={"Content-Type": "text/plain"})
            self.assertEqual(r.status, 201, r)
            items = c.get("/api/v1/assessments/%s/attachments" % aid).json["items"]
            self.assertEqual([i["id"] for i in items],
                             [f["id"] for f, _ in x["files"]] + [r.json["id"]])
        finally:
            srv.stop_and_check()
        cli_ok("audit", "verify", "--db", self.db)
        con = db_connect_ro(self.db)
        try:
            latest = len(glob.glob(os.path.join(REPO, "src", "db", "migrations", "*.sql")))
            version = con.execute("SELECT max(version) FROM schema_migrations").fetchone()[0]
            self.assertEqual(version, latest)
            self.assertEqual(con.execute("SELECT count(*) FROM sqlite_master WHERE name IN (?, ?)",
                                         (OLD_EVENTS, OLD_FILES)).fetchone()[0], 0)
            self.assertEqual(con.execute("SELECT count(*) FROM files WHERE object_kind = "
                                         "'assessment'").fetchone()[0], n_files + 1)
            # Every old event, and the new file's.
            self.assertEqual(con.execute("SELECT count(*) FROM history WHERE object_kind = "
                                         "'assessment'").fetchone()[0], n_events + 1)
        finally:
            con.close()

    def check_reader(self, c, aid, x, was):
        """c sees the assessment's old events and files as the old release showed them."""
        items, _ = c.list_all("/api/v1/assessments/%s/history" % aid)
        self.assertEqual(items, x["events"])
        self.assertEqual(items, was["history"]["items"])
        r = c.get("/api/v1/assessments/%s/attachments" % aid)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["items"], [f for f, _ in x["files"]])
        self.assertEqual(r.json, was["attachments"])
        for f, data in x["files"]:
            self.assertEqual(f["sha256"], hashlib.sha256(data).hexdigest(), f)
            self.assertEqual(f["size"], len(data), f)
            r = c.get("/api/v1/assessments/%s/attachments/%s" % (aid, f["id"]))
            self.assertEqual(r.status, 200, r)
            self.assertEqual(r.body, data, f)
            self.assertEqual(hashlib.sha256(r.body).hexdigest(), f["sha256"])
            self.assertIn("filename*=UTF-8''" + urllib.parse.quote(f["filename"], safe=""),
                          r.header("Content-Disposition"))
            self.assertEqual([r.status, r.header("Content-Type"), r.header("Content-Disposition"),
                              f["sha256"]], was["downloads"][f["id"]])


if __name__ == "__main__":
    unittest.main()
