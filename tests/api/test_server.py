"""The server as a whole: health, headers, routing errors, access log, shutdown, schema guard."""

import json
import os
import re
import signal
import sqlite3
import subprocess
import tempfile
import time
import unittest
import uuid

from harness import (ServerCase, Server, Client, cli_ok, run_cli, make_demo_db, rabta_bin,
                     assert_no_sanitizer, scratch_dir, demo_email, signing_args, signing_key,
                     START_DEADLINE)

CSP_PARTS = ("default-src 'self'", "script-src 'self'", "style-src 'self'",
             "frame-ancestors 'none'")


class TestServer(ServerCase):
    # The CSAF provider's signatures and key (routes that answer only with a signing key).
    SERVE_ARGS = ("--threads", "4") + signing_args()

    def assertSecurityHeaders(self, r, api):
        csp = r.header("Content-Security-Policy")
        self.assertIsNotNone(csp, r)
        for part in CSP_PARTS:
            self.assertIn(part, csp)
        self.assertNotIn("unsafe-inline", csp)
        self.assertEqual(r.header("X-Content-Type-Options"), "nosniff")
        if api:
            self.assertEqual(r.header("Cache-Control"), "no-store")

    def test_healthz_says_ok(self):
        r = Client(self.port).get("/healthz")
        self.assertEqual(r.status, 200)
        self.assertTrue(r.header("Content-Type").startswith("application/json"))
        self.assertEqual(r.json, {"status": "ok"})

    def test_meta_lists_the_enumerations(self):
        r = Client(self.port).get("/api/v1/meta")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.json["roles"], ["admin", "analyst", "reporter", "viewer", "auditor"])
        self.assertEqual(r.json["org_kinds"], ["national_cert", "provincial_cert",
                                               "sectoral_cert", "government_cert", "cii_cert",
                                               "institution"])
        self.assertEqual(r.json["tlp"], ["CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED"])
        self.assertEqual([p["code"] for p in r.json["provinces"]],
                         ["punjab", "sindh", "khyber_pakhtunkhwa", "balochistan",
                          "gilgit_baltistan", "azad_jammu_kashmir", "islamabad"])
        self.assertIn("health", r.json["sectors"])

    def test_api_responses_carry_the_security_headers(self):
        c = self.demo_client("analyst", "punjab-cert")
        for path in ("/api/v1/meta", "/api/v1/me", "/healthz"):
            r = c.get(path)
            self.assertEqual(r.status, 200, path)
            self.assertSecurityHeaders(r, api=path.startswith("/api/"))

    def test_ui_is_served_as_html_with_the_security_headers(self):
        r = Client(self.port).get("/")
        self.assertEqual(r.status, 200)
        self.assertTrue(r.header("Content-Type").startswith("text/html"), r.header("Content-Type"))
        self.assertIn(b"<title>", r.body.lower())
        self.assertSecurityHeaders(r, api=False)
        self.assertEqual(r.header("X-Frame-Options"), "DENY")
        # The page loads its script from /ui/, which is served too.
        m = re.search(rb'src="(/ui/[^"]+\.js)"', r.body)
        self.assertIsNotNone(m, r.body[:300])
        js = Client(self.port).get(m.group(1).decode())
        self.assertEqual(js.status, 200)
        self.assertIn("javascript", js.header("Content-Type"))
        self.assertSecurityHeaders(js, api=False)

    def test_error_responses_carry_the_security_headers(self):
        anon = Client(self.port)
        for method, path, status in (("GET", "/api/v1/nope", 404), ("GET", "/api/v1/me", 401),
                                     ("DELETE", "/api/v1/meta", 405), ("GET", "/ui/nope.js", 404),
                                     ("POST", "/api/v1/session", 400)):
            r = anon.request(method, path)
            self.assertEqual(r.status, status, (method, path, r))
            self.assertSecurityHeaders(r, api=path.startswith("/api/"))
            self.assertTrue(r.header("Content-Type").startswith("application/json"))

    def test_unknown_route_is_404_with_an_error_body(self):
        for path in ("/api/v1/nope", "/api/v2/orgs", "/nope", "/api/v1/orgs/x/y/z"):
            r = Client(self.port).get(path)
            self.assertError(r, 404, "not_found")

    def test_wrong_method_is_405(self):
        for method, path in (("DELETE", "/api/v1/orgs"), ("PUT", "/healthz"),
                             ("POST", "/api/v1/me"), ("PATCH", "/api/v1/tokens")):
            r = Client(self.port).request(method, path)
            err = self.assertError(r, 405, "method_not_allowed")
            self.assertIn(method, err["message"])

    def test_head_is_get_without_a_body(self):
        anon = Client(self.port)
        r = anon.request("HEAD", "/healthz")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.body, b"")
        self.assertSecurityHeaders(r, api=False)
        c = self.demo_client("auditor", "ncert")
        r = c.request("HEAD", "/api/v1/orgs")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.body, b"")
        self.assertEqual(anon.request("HEAD", "/api/v1/me").status, 401)

    def test_every_route_in_the_table_is_served(self):
        routes = json.loads(cli_ok("routes", "--json"))
        self.assertGreater(len(routes), 10)
        anon = Client(self.port)
        # The CSAF provider's file route names a published TLP:CLEAR advisory of the demo.
        year, name = anon.get("/.well-known/csaf/clear/index.txt").body.decode().split()[0].split("/")
        # The calendar feed's route names a feed of the demo: Punjab Health's, made here.
        feed = self.client(demo_email("reporter", "pb-health")).post(
            "/api/v1/orgs/%s/calendar-feed" % self.org_of("pb-health"))
        self.assertEqual(feed.status, 201, feed)
        for rt in routes:
            path = rt["path"].replace("{id}", str(uuid.uuid4())).replace("{file}", "app.js")
            path = path.replace("{year}", year).replace("{name}", name)
            path = path.replace("{token}", feed.json["token"])
            key = signing_key()
            path = path.replace("{key}", (key[1] if key else "none") + ".asc")
            r = anon.request(rt["method"], path)
            if rt["auth"]:
                # Every authenticated route refuses an anonymous caller before anything else.
                self.assertError(r, 401, "unauthenticated")
            else:
                self.assertNotIn(r.status, (404, 405), (rt, r))

    def test_access_log_names_method_path_status_duration_and_user(self):
        probe = "/api/v1/log-probe-" + uuid.uuid4().hex
        self.assertEqual(Client(self.port).get(probe).status, 404)
        line = self.server.wait_for_log(r" GET %s 404 " % re.escape(probe))
        self.assertIsNotNone(line, self.server.stderr()[-2000:])
        self.assertRegex(line, r"GET %s 404 \d+(\.\d+)?ms -$" % re.escape(probe))
        # One line per request: three more requests, three more lines.
        for _ in range(3):
            Client(self.port).request("DELETE", probe)
        for _ in range(500):  # the line is written just after the response: wait for it
            lines = [l for l in self.server.stderr().splitlines() if probe in l]
            if len(lines) >= 4:
                break
            time.sleep(0.02)
        self.assertEqual([l.split()[2:5] for l in lines],
                         [["GET", probe, "404"]] + [["DELETE", probe, "404"]] * 3)

        email = demo_email("analyst", "punjab-cert")
        missing = "/api/v1/orgs/" + str(uuid.uuid4())
        self.assertEqual(self.client(email).get(missing).status, 404)
        line = self.server.wait_for_log(r" GET %s 404 " % re.escape(missing))
        self.assertIsNotNone(line, self.server.stderr()[-2000:])
        self.assertRegex(line, r"GET %s 404 \d+(\.\d+)?ms %s$" % (re.escape(missing),
                                                                  re.escape(email)))

        # A sign-in is logged with the user who signed in; a refused one without.
        c = Client(self.port)
        self.assertEqual(c.sign_in(email).status, 201)
        line = self.server.wait_for_log(r" POST /api/v1/session 201 .*%s$" % re.escape(email))
        self.assertIsNotNone(line, self.server.stderr()[-2000:])

    def test_access_log_lines_cannot_be_forged(self):
        # A path is attacker-controlled: an encoded newline in it must not start a new log line
        # that looks like the server's own.
        marker = "FORGED-" + uuid.uuid4().hex
        r = Client(self.port).get("/api/v1/nope%%0a2026-01-01T00:00:00Z%%20info%%20%s" % marker)
        self.assertEqual(r.status, 404)
        self.assertIsNotNone(self.server.wait_for_log(marker), self.server.stderr()[-2000:])
        for line in self.server.stderr().splitlines():
            if marker in line:
                self.assertRegex(line, r"^\S+ info GET /api/v1/nope", "forged log line: %r" % line)

    def test_oversized_headers_and_urls_are_refused(self):
        anon = Client(self.port)
        r = anon.get("/healthz", headers={"X-Filler": "a" * 100000})
        self.assertEqual(r.status, 431)
        r = anon.get("/api/v1/" + "a" * 100000)
        self.assertEqual(r.status, 414)
        # And the server is still there.
        self.assertEqual(anon.get("/healthz").json, {"status": "ok"})

    def test_access_log_never_contains_secrets(self):
        c = Client(self.port)
        r = c.sign_in(demo_email("reporter", "pb-finance"))
        self.assertEqual(r.status, 201)
        tok = self.token(demo_email("reporter", "pb-finance"))
        self.assertEqual(self.demo_client("reporter", "pb-finance").get("/api/v1/me").status,
                         200)
        self.assertIsNotNone(self.server.wait_for_log(r" GET /api/v1/me 200 .*reporter@pb-finance"))
        log = self.server.stderr()
        for secret in (c.cookie, c.csrf, tok, tok[4:], "rabta-demo-2026"):
            self.assertNotIn(secret, log)


class TestShutdown(unittest.TestCase):
    """A server stops cleanly (exit 0) on SIGINT as on SIGTERM, also with requests behind it."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(dir=scratch_dir())
        self.db = make_demo_db(os.path.join(self.tmp, "demo.db"))

    def check_stop(self, sig):
        s = Server(self.db, self.tmp, name="srv-" + signal.Signals(sig).name).start()
        try:
            c = Client(s.port)
            self.assertEqual(c.get("/healthz").status, 200)
            self.assertEqual(c.sign_in(demo_email("admin", "ncert")).status, 201)
            self.assertEqual(c.get("/api/v1/orgs").status, 200)
        finally:
            s.stop_and_check(sig)
        self.assertIn("received %s, stopping" % signal.Signals(sig).name, s.stderr())
        # Stopped means stopped: the port no longer answers.
        with self.assertRaises(OSError):
            Client(s.port).get("/healthz")
        # The database is closed cleanly: no WAL left, and it is consistent.
        self.assertFalse(os.path.exists(self.db + "-wal") and os.path.getsize(self.db + "-wal"))
        out = cli_ok("audit", "verify", "--db", self.db)
        self.assertIn("audit chain intact", out)

    def test_sigint_stops_cleanly(self):
        self.check_stop(signal.SIGINT)

    def test_sigterm_stops_cleanly(self):
        self.check_stop(signal.SIGTERM)


class TestSchemaGuard(unittest.TestCase):
    """A database written by a newer rabta is refused, not served or damaged."""

    def test_serve_refuses_a_newer_schema(self):
        tmp = tempfile.mkdtemp(dir=scratch_dir())
        db = make_demo_db(os.path.join(tmp, "future.db"))
        known = int(re.search(r"database schema (\d+)", cli_ok("version")).group(1))
        future = known + 1000
        con = sqlite3.connect(db)
        try:
            con.execute("INSERT INTO schema_migrations(version, name, applied_at) "
                        "VALUES (?, 'from-the-future', '2030-01-01T00:00:00Z')", (future,))
            con.commit()
        finally:
            con.close()
        before = os.path.getsize(db)
        out_path = os.path.join(tmp, "out")
        with open(out_path, "wb") as out:
            p = subprocess.Popen([rabta_bin(), "serve", "--db", db, "--listen", "127.0.0.1:0"],
                                 stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.PIPE)
            try:
                _, err = p.communicate(timeout=START_DEADLINE)
            except subprocess.TimeoutExpired:
                p.send_signal(signal.SIGTERM)
                p.communicate(timeout=20)
                self.fail("rabta serve started on a database with a newer schema")
        err = err.decode()
        assert_no_sanitizer(err, "rabta serve")
        self.assertNotEqual(p.returncode, 0)
        with open(out_path) as f:
            self.assertNotIn("serving", f.read())
        self.assertIn(str(future), err)
        self.assertIn(str(known), err)
        self.assertRegex(err, r"newer|knows only")
        self.assertEqual(os.path.getsize(db), before)
        # The CLI refuses it too.
        p = run_cli("org", "list", "--db", db)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn(str(future), p.stderr)


if __name__ == "__main__":
    unittest.main()
