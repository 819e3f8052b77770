"""Concurrent writers: every acknowledged write is there once, and the audit chain holds."""

import threading
import unittest

from harness import ServerCase, Client, demo_email, run_cli, db_scalar

THREADS = 4
PER_THREAD = 25


class TestConcurrentWrites(ServerCase):
    SERVE_ARGS = ("--threads", "4", "--quiet")

    def test_parallel_user_creation_keeps_the_chain(self):
        token = self.token(demo_email("admin", "pb-health"))
        admin = Client(self.port, token)
        start = admin.get("/api/v1/audit?limit=1").json["items"][0]["seq"]
        results = [[] for _ in range(THREADS)]
        errors = []

        def worker(t):
            c = Client(self.port, token)
            try:
                for i in range(PER_THREAD):
                    r = c.post("/api/v1/users", {
                        "email": "load.%d.%d@pb-health.rabta.test" % (t, i),
                        "name": "Load %d %d" % (t, i), "role": "reporter",
                        "password": "load-password-%02d-%02d" % (t, i)})
                    results[t].append((r.status, r.json.get("id") if r.json else None))
            except Exception as e:  # reported below; a thread must not die silently
                errors.append(repr(e))

        threads = [threading.Thread(target=worker, args=(t,)) for t in range(THREADS)]
        for th in threads:
            th.start()
        for th in threads:
            th.join(timeout=600)
        self.assertEqual(errors, [])
        statuses = [s for res in results for s, _ in res]
        self.assertEqual(len(statuses), THREADS * PER_THREAD)
        self.assertEqual(sorted(set(statuses)), [201], statuses)
        ids = {i for res in results for _, i in res}
        self.assertEqual(len(ids), THREADS * PER_THREAD)

        # Each write is exactly one user and one user.create entry, with consecutive seqs.
        listed, _ = admin.list_all("/api/v1/users", limit=500)
        self.assertEqual(len(listed), 3 + THREADS * PER_THREAD)
        self.assertLessEqual(ids, {u["id"] for u in listed})
        entries = [e for e in admin.list_all("/api/v1/audit", limit=500)[0] if e["seq"] > start]
        creates = [e for e in entries if e["action"] == "user.create"]
        self.assertEqual(len(creates), THREADS * PER_THREAD)
        self.assertEqual({e["object_id"] for e in creates}, ids)
        total = db_scalar(self.db, "SELECT count(*) FROM audit_log WHERE seq > ? AND "
                                   "action = 'user.create'", (start,))
        self.assertEqual(total, THREADS * PER_THREAD)
        self.assertEqual(db_scalar(self.db, "SELECT count(DISTINCT seq) = count(*) AND "
                                            "max(seq) = count(*) FROM audit_log"), 1)

        p = run_cli("audit", "verify", "--db", self.db)
        self.assertEqual(p.returncode, 0, p.stderr)
        n = db_scalar(self.db, "SELECT count(*) FROM audit_log")
        self.assertRegex(p.stdout, r"^audit chain intact: %d entries" % n)

    def test_parallel_readers_and_writers(self):
        # Readers in several threads while a writer works: every answer is a whole, valid one.
        writer = Client(self.port, self.token(demo_email("admin", "punjab-cert")))
        readers = [self.token(demo_email(r, s)) for r, s in
                   (("analyst", "punjab-cert"), ("reporter", "pb-health"), ("auditor", "ncert"))]
        bad = []
        stop = threading.Event()

        def read(tok):
            c = Client(self.port, tok)
            while not stop.is_set():
                for path in ("/api/v1/me", "/api/v1/orgs?limit=5"):
                    r = c.get(path)
                    if r.status != 200 or r.json is None:
                        bad.append((path, r.status))

        threads = [threading.Thread(target=read, args=(t,)) for t in readers]
        for th in threads:
            th.start()
        try:
            for i in range(20):
                r = writer.post("/api/v1/orgs", {"parent_id": self.org_of("punjab-cert"),
                                                 "kind": "institution",
                                                 "name": "Parallel Office %02d" % i})
                self.assertEqual(r.status, 201, r)
        finally:
            stop.set()
            for th in threads:
                th.join(timeout=60)
        self.assertEqual(bad, [])
        names = [o["name"] for o in writer.list_all("/api/v1/orgs?q=parallel+office")[0]]
        self.assertEqual(names, ["Parallel Office %02d" % i for i in range(20)])


if __name__ == "__main__":
    unittest.main()
