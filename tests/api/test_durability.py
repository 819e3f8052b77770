"""Durability (DESIGN §10): `kill -9` during a write load loses no acknowledged write.

Writers create orgs (cheap writes: no password hashing) as fast as they can; the server is killed
with SIGKILL while they run. Every write that was answered 2xx must be in the database afterwards,
with its audit entry, and the audit chain must still verify.
"""

import os
import shutil
import signal
import tempfile
import threading
import time
import unittest

from harness import (Client, Server, cli_ok, db_query, demo_email, make_demo_db, run_cli,
                     scratch_dir)

WRITERS = 4
RUN_SECONDS = 1.5


class TestKillDuringWrites(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="durability-", dir=scratch_dir())
        self.db = os.path.join(self.tmp, "rabta.db")
        make_demo_db(self.db)
        self.token = cli_ok("token", "create", "--db", self.db, "--user",
                            demo_email("admin", "punjab-cert"), "--name", "durability").strip()
        self.parent = [r for r in db_query(self.db, "SELECT id, name FROM orgs")
                       if r[1] == "Punjab CERT"][0][0]
        self.server = Server(self.db, self.tmp, ("--threads", "4", "--quiet")).start()

    def tearDown(self):
        self.server.kill()
        shutil.rmtree(self.tmp, True)

    def test_acknowledged_writes_survive_sigkill(self):
        acked = [[] for _ in range(WRITERS)]
        stop = threading.Event()

        def writer(t):
            c = Client(self.server.port, self.token)
            i = 0
            while not stop.is_set():
                name = "Durability Office %d-%d" % (t, i)
                i += 1
                try:
                    r = c.post("/api/v1/orgs", {"parent_id": self.parent, "kind": "institution",
                                                "name": name, "province": "punjab"})
                except OSError:
                    return  # the server died mid-request: that write was not acknowledged
                if r.status == 201:
                    acked[t].append((r.json["id"], name))

        threads = [threading.Thread(target=writer, args=(t,)) for t in range(WRITERS)]
        for th in threads:
            th.start()
        time.sleep(RUN_SECONDS)
        self.server.proc.send_signal(signal.SIGKILL)
        self.server.proc.wait()
        stop.set()
        for th in threads:
            th.join(timeout=30)

        done = [w for per in acked for w in per]
        self.assertGreater(len(done), 10, "the load produced too few writes to prove anything")
        stored = dict(db_query(self.db, "SELECT id, name FROM orgs WHERE name LIKE 'Durability%'"))
        missing = [w for w in done if stored.get(w[0]) != w[1]]
        self.assertEqual(missing, [], "acknowledged writes lost after SIGKILL")
        audited = {r[0] for r in db_query(
            self.db, "SELECT object_id FROM audit_log WHERE action = 'org.create'")}
        self.assertEqual([w for w in done if w[0] not in audited], [],
                         "acknowledged writes without their audit entry")
        p = run_cli("audit", "verify", "--db", self.db)
        self.assertEqual(p.returncode, 0, "audit chain broken after SIGKILL: %s %s"
                         % (p.stdout, p.stderr))
        # The database opens and serves again.
        again = Server(self.db, self.tmp, ("--quiet",), name="again").start()
        try:
            r = Client(again.port, self.token).get("/api/v1/orgs/" + done[0][0])
            self.assertEqual(r.status, 200)
            self.assertEqual(r.json["name"], done[0][1])
        finally:
            again.stop_and_check()


if __name__ == "__main__":
    unittest.main()
