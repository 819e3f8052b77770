"""The caller's own account: who am I, what may I do, and changing my password."""

import unittest

from harness import ServerCase, Client, demo_email, db_scalar, ORG_KEYS, UUID_RE

ALL_PERMS = ["read", "report", "triage", "publish", "share", "org_manage", "user_manage",
             "user_read", "audit_read", "token_own", "risk_accept"]


class TestMe(ServerCase):

    def test_me_describes_the_caller(self):
        email = demo_email("admin", "khi-port")
        r = self.client(email).get("/api/v1/me")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(set(r.json), {"user", "org", "permissions"})
        self.assertEqual(set(r.json["user"]), {"id", "email", "name", "role", "email_notify"})
        self.assertEqual(r.json["user"]["id"], self.user_id(email))
        self.assertRegex(r.json["user"]["id"], UUID_RE)
        self.assertEqual(r.json["user"]["email"], email)
        self.assertEqual(r.json["user"]["role"], "admin")
        self.assertTrue(r.json["user"]["name"])
        org = r.json["org"]
        self.assertEqual(set(org), ORG_KEYS)
        self.assertEqual(org["id"], self.org_of("khi-port"))
        self.assertEqual(org["name"], "Karachi Port Operations Office")
        self.assertEqual(org["kind"], "institution")
        self.assertEqual(org["parent_id"], self.org_of("sindh-cert"))
        self.assertEqual(org["province"], "sindh")
        self.assertIs(org["cii"], True)
        self.assertIn(org["cii_grade"], (1, 2, 3))
        self.assertEqual(org["depth"], 2)
        self.assertEqual(org["children"], 0)
        self.assertEqual(r.json["permissions"], ALL_PERMS)

    def test_permissions_follow_the_role(self):
        cases = {
            demo_email("reporter", "pb-health"): ["read", "report", "token_own"],
            demo_email("analyst", "sindh-cert"): ["read", "report", "triage", "publish", "share",
                                                  "token_own"],
            demo_email("auditor", "ncert"): ["read", "user_read", "audit_read", "token_own"],
            demo_email("admin", "ncert"): ALL_PERMS,
        }
        for email, perms in cases.items():
            r = self.client(email).get("/api/v1/me")
            self.assertEqual(r.status, 200)
            self.assertEqual(r.json["permissions"], perms, email)

    def test_the_national_cert_is_the_root(self):
        r = self.demo_client("auditor", "ncert").get("/api/v1/me")
        org = r.json["org"]
        self.assertEqual(org["name"], "National CERT")
        self.assertEqual(org["kind"], "national_cert")
        self.assertIsNone(org["parent_id"])
        self.assertEqual(org["depth"], 0)
        self.assertEqual(org["children"], 8)

    def test_me_needs_a_caller(self):
        self.assertError(Client(self.port).get("/api/v1/me"), 401, "unauthenticated")


class TestChangeOwnPassword(ServerCase):

    def pw_hash(self, email):
        return db_scalar(self.db, "SELECT pw_hash FROM users WHERE email = ?", (email,))

    def test_change_own_password(self):
        email = demo_email("reporter", "pb-health")
        me = self.client(email)
        old_hash = self.pw_hash(email)

        before = self.snapshot()
        r = me.post("/api/v1/me/password", {"current_password": "not-my-password",
                                            "password": "a-brand-new-password"})
        self.assertError(r, 422, "invalid_field", "current_password")
        self.assertNothingWritten(before, "by a wrong current password")

        r = me.post("/api/v1/me/password", {"current_password": "rabta-demo-2026",
                                            "password": "short-11chr"})
        self.assertError(r, 422, "invalid_field", "password")
        self.assertIn("12", r.error["message"])
        self.assertNothingWritten(before, "by a too-short password")
        self.assertEqual(self.pw_hash(email), old_hash)

        r = me.post("/api/v1/me/password", {"current_password": "rabta-demo-2026"})
        self.assertError(r, 422, "invalid_field", "password")
        r = me.post("/api/v1/me/password", {"password": "a-brand-new-password"})
        self.assertError(r, 422, "invalid_field", "current_password")
        self.assertNothingWritten(before, "by incomplete bodies")

        r = me.post("/api/v1/me/password", {"current_password": "rabta-demo-2026",
                                            "password": "a-brand-new-password"})
        self.assertEqual(r.status, 204, r)
        self.assertEqual(r.body, b"")
        self.assertNotEqual(self.pw_hash(email), old_hash)
        # The hash is a real password hash, never the password.
        self.assertTrue(self.pw_hash(email).startswith("$argon2id$"))
        self.assertNotIn("a-brand-new-password", self.pw_hash(email))

        self.assertError(Client(self.port).sign_in(email), 401, "invalid_credentials")
        r = Client(self.port).sign_in(email, "a-brand-new-password")
        self.assertEqual(r.status, 201, r)

        audit = self.demo_client("admin", "pb-health").get("/api/v1/audit?limit=5")
        pw = [e for e in audit.json["items"] if e["action"] == "user.password"]
        self.assertEqual(len(pw), 1)
        self.assertEqual(pw[0]["actor"], email)
        self.assertEqual(pw[0]["object_id"], self.user_id(email))

    def test_a_cookie_session_changes_its_password_with_csrf(self):
        email = demo_email("analyst", "pb-health")
        c = Client(self.port)
        self.assertEqual(c.sign_in(email).status, 201)
        body = {"current_password": "rabta-demo-2026", "password": "cookie-changed-password"}
        self.assertError(c.post("/api/v1/me/password", body, csrf=False), 403, "csrf_failed")
        self.assertEqual(c.post("/api/v1/me/password", body).status, 204)
        # The session that changed it stays signed in.
        self.assertEqual(c.get("/api/v1/me").status, 200)
        self.assertEqual(Client(self.port).sign_in(email, "cookie-changed-password").status, 201)


if __name__ == "__main__":
    unittest.main()
