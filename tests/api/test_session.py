"""Signing in and out: the cookie, the CSRF token, wrong passwords and the rate limit."""

import unittest

from harness import ServerCase, Client, cookie_value, demo_email, HEX64_RE, UUID_RE, ORG_KEYS

ANALYST_PERMS = ["read", "report", "triage", "publish", "share", "token_own"]


class TestSession(ServerCase):

    def test_sign_in_returns_csrf_user_org_and_a_strict_cookie(self):
        c = Client(self.port)
        email = demo_email("analyst", "punjab-cert")
        r = c.sign_in(email)
        self.assertEqual(r.status, 201, r)
        self.assertEqual(set(r.json), {"csrf_token", "user", "org", "permissions"})
        self.assertRegex(r.json["csrf_token"], HEX64_RE)
        user = r.json["user"]
        self.assertEqual(set(user), {"id", "email", "name", "role", "email_notify"})
        self.assertEqual(user["email"], email)
        self.assertEqual(user["role"], "analyst")
        self.assertEqual(user["id"], self.user_id(email))
        self.assertRegex(user["id"], UUID_RE)
        org = r.json["org"]
        self.assertEqual(set(org), ORG_KEYS)
        self.assertEqual(org["name"], "Punjab CERT")
        self.assertEqual(org["kind"], "provincial_cert")
        self.assertEqual(org["id"], self.org_of("punjab-cert"))
        self.assertEqual(r.json["permissions"], ANALYST_PERMS)

        sc = r.header("Set-Cookie")
        parts = [p.strip() for p in sc.split(";")]
        self.assertRegex(parts[0], r"^rabta_session=[0-9a-f]{64}$")
        self.assertIn("HttpOnly", parts)
        self.assertIn("SameSite=Strict", parts)
        self.assertIn("Path=/", parts)
        self.assertNotIn("Secure", parts)  # only with serve --cookie-secure
        self.assertNotEqual(c.cookie, c.csrf)

    def test_the_cookie_authenticates_reads(self):
        c = Client(self.port)
        email = demo_email("reporter", "pb-health")
        self.assertEqual(c.sign_in(email).status, 201)
        r = c.get("/api/v1/me")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["user"]["email"], email)
        self.assertEqual(r.json["org"]["name"], "Punjab Health Services Directorate")
        r = c.get("/api/v1/session")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["csrf_token"], c.csrf)

    def test_wrong_password_and_unknown_email_look_the_same(self):
        anon = Client(self.port)
        wrong = anon.post("/api/v1/session", {"email": demo_email("viewer", "ncert") + "x",
                                              "password": "rabta-demo-2026"}, auth=False)
        e1 = self.assertError(wrong, 401, "invalid_credentials")
        bad_pw = anon.post("/api/v1/session", {"email": demo_email("analyst", "sindh-cert"),
                                               "password": "not-the-password"})
        e2 = self.assertError(bad_pw, 401, "invalid_credentials")
        self.assertEqual(e1["message"], e2["message"])
        self.assertIsNone(bad_pw.header("Set-Cookie"))
        # A malformed email is the same answer too, not a validation error that leaks.
        r = anon.post("/api/v1/session", {"email": "not-an-email", "password": "whatever-12345"})
        e3 = self.assertError(r, 401, "invalid_credentials")
        self.assertEqual(e3["message"], e1["message"])

    def test_sign_in_input_is_validated(self):
        anon = Client(self.port)
        self.assertError(anon.post("/api/v1/session", {"email": "a@b.test"}), 422,
                         "invalid_field", "password")
        self.assertError(anon.post("/api/v1/session", {"email": 1, "password": "x"}), 422,
                         "invalid_field", "email")
        self.assertError(anon.post("/api/v1/session", {"email": "a@b.test", "password": "x",
                                                       "remember": True}),
                         422, "unknown_field", "remember")

    def test_cookie_writes_need_the_csrf_header(self):
        c = Client(self.port)
        self.assertEqual(c.sign_in(demo_email("admin", "pb-finance")).status, 201)
        body = {"email": "csrf.story@pb-finance.rabta.test", "name": "CSRF Story",
                "role": "analyst", "password": "csrf-story-password"}
        before = self.snapshot()
        r = c.post("/api/v1/users", body, csrf=False)
        self.assertError(r, 403, "csrf_failed")
        self.assertIn("X-CSRF-Token", r.error["message"])
        self.assertNothingWritten(before, "by a cookie write without X-CSRF-Token")
        r = c.post("/api/v1/users", body, csrf=False, headers={"X-CSRF-Token": "0" * 64})
        self.assertError(r, 403, "csrf_failed")
        r = c.post("/api/v1/users", body, csrf=False, headers={"X-CSRF-Token": ""})
        self.assertError(r, 403, "csrf_failed")
        # Another session's CSRF token is no good either.
        other = Client(self.port)
        self.assertEqual(other.sign_in(demo_email("analyst", "pb-finance")).status, 201)
        before = self.snapshot()
        r = c.post("/api/v1/users", body, csrf=False, headers={"X-CSRF-Token": other.csrf})
        self.assertError(r, 403, "csrf_failed")
        self.assertNothingWritten(before, "with another session's CSRF token")
        # With the right one, the write goes through.
        r = c.post("/api/v1/users", body)
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json["email"], body["email"])

    def test_reads_do_not_need_the_csrf_header(self):
        c = Client(self.port)
        self.assertEqual(c.sign_in(demo_email("admin", "pb-power")).status, 201)
        self.assertEqual(c.get("/api/v1/users", csrf=False).status, 200)

    def test_sign_out_ends_the_session(self):
        c = Client(self.port)
        self.assertEqual(c.sign_in(demo_email("analyst", "kp-cert")).status, 201)
        self.assertEqual(c.get("/api/v1/me").status, 200)
        # Signing out is a write: the CSRF header is needed.
        self.assertError(c.delete("/api/v1/session", csrf=False), 403, "csrf_failed")
        self.assertEqual(c.get("/api/v1/me").status, 200)
        r = c.delete("/api/v1/session")
        self.assertEqual(r.status, 204, r)
        self.assertEqual(r.body, b"")
        self.assertEqual(cookie_value(r), "")
        self.assertIn("Max-Age=0", r.header("Set-Cookie"))
        # The browser would drop the cookie; a replayed one is dead too.
        self.assertError(c.get("/api/v1/me"), 401, "unauthenticated")
        self.assertError(c.get("/api/v1/session"), 401, "unauthenticated")
        self.assertError(c.delete("/api/v1/session"), 401, "unauthenticated")

    def test_sessions_are_independent(self):
        a, b = Client(self.port), Client(self.port)
        email = demo_email("analyst", "gb-cert")
        self.assertEqual(a.sign_in(email).status, 201)
        self.assertEqual(b.sign_in(email).status, 201)
        self.assertNotEqual(a.cookie, b.cookie)
        self.assertNotEqual(a.csrf, b.csrf)
        self.assertEqual(a.delete("/api/v1/session").status, 204)
        self.assertEqual(a.get("/api/v1/me").status, 401)
        self.assertEqual(b.get("/api/v1/me").status, 200)

    def test_garbage_cookies_are_unauthenticated(self):
        for value in ("", "x", "0" * 64, "g" * 64, "0" * 65):
            c = Client(self.port)
            c.cookie = value
            self.assertError(c.get("/api/v1/me"), 401, "unauthenticated")

    def test_bearer_callers_have_no_cookie_session(self):
        c = self.demo_client("analyst", "ajk-cert")
        self.assertError(c.get("/api/v1/session"), 404, "not_found")
        self.assertError(c.delete("/api/v1/session"), 404, "not_found")
        self.assertEqual(c.get("/api/v1/me").status, 200)


class TestSignInRateLimit(ServerCase):
    """Its own database: five failures lock one account out for up to 15 minutes."""

    def test_five_failures_lock_the_account_but_not_others(self):
        victim = demo_email("admin", "sd-health")
        anon = Client(self.port)
        for i in range(5):
            r = anon.post("/api/v1/session", {"email": victim, "password": "guess-%d-xxxxxx" % i})
            self.assertError(r, 401, "invalid_credentials")
            self.assertIsNone(r.header("Retry-After"))
        before = self.snapshot()
        # The sixth attempt is refused even with the right password.
        r = anon.post("/api/v1/session", {"email": victim, "password": "rabta-demo-2026"})
        self.assertError(r, 429, "rate_limited")
        self.assertIsNone(r.header("Set-Cookie"))
        retry = r.header("Retry-After")
        self.assertIsNotNone(retry)
        self.assertRegex(retry, r"^\d+$")
        self.assertGreater(int(retry), 0)
        self.assertLessEqual(int(retry), 900)
        self.assertNothingWritten(before, "by a rate-limited sign-in")
        # The email is matched case-insensitively: no way around the limit.
        r = anon.post("/api/v1/session", {"email": victim.upper(), "password": "rabta-demo-2026"})
        self.assertError(r, 429, "rate_limited")
        # Another account is unaffected.
        other = Client(self.port)
        self.assertEqual(other.sign_in(demo_email("analyst", "sd-health")).status, 201)
        # A bearer token of the locked account keeps working: the limit is on password guessing.
        self.assertEqual(self.client(victim).get("/api/v1/me").status, 200)

    def test_failures_are_audited_and_success_resets_the_count(self):
        email = demo_email("reporter", "sd-revenue")
        anon = Client(self.port)
        for i in range(4):
            self.assertEqual(anon.post("/api/v1/session",
                                       {"email": email, "password": "wrong-%d-xxxxxxx" % i}).status,
                             401)
        self.assertEqual(Client(self.port).sign_in(email).status, 201)
        for i in range(4):
            self.assertEqual(anon.post("/api/v1/session",
                                       {"email": email, "password": "wrong-%d-yyyyyyy" % i}).status,
                             401)
        # 8 failures in all, but never 5 since the last success: still allowed.
        self.assertEqual(Client(self.port).sign_in(email).status, 201)
        auditor = self.demo_client("auditor", "ncert")
        items = auditor.get("/api/v1/audit?limit=20").json["items"]
        mine = [e["action"] for e in items if e["actor"] == email]
        self.assertEqual(mine, ["session.create"] + ["session.failed"] * 4 + ["session.create"]
                         + ["session.failed"] * 4)
        failed = [e for e in items if e["actor"] == email and e["action"] == "session.failed"]
        for e in failed:
            self.assertIsNone(e["actor_id"])
            self.assertEqual(e["object_id"], self.user_id(email))
            self.assertEqual(e["org_id"], self.org_of("sd-revenue"))


class TestCookieSecure(ServerCase):
    SERVE_ARGS = ("--cookie-secure",)

    def test_cookie_secure_marks_the_cookie_secure(self):
        c = Client(self.port)
        r = c.sign_in(demo_email("analyst", "ncert"))
        self.assertEqual(r.status, 201)
        parts = [p.strip() for p in r.header("Set-Cookie").split(";")]
        self.assertIn("Secure", parts)
        self.assertIn("HttpOnly", parts)
        self.assertIn("SameSite=Strict", parts)


if __name__ == "__main__":
    unittest.main()
