"""Users of an org: who may list, create, disable and reset whom."""

import unittest
import uuid

from harness import ServerCase, Client, demo_email, USER_KEYS, UUID_RE, RFC3339_RE


class TestUserListing(ServerCase):

    def test_an_institution_admin_lists_its_three_users(self):
        r = self.demo_client("admin", "pb-health").get("/api/v1/users")
        self.assertEqual(r.status, 200, r)
        self.assertIsNone(r.json["next_cursor"])
        items = r.json["items"]
        self.assertEqual([(u["email"], u["role"]) for u in items],
                         [(demo_email("admin", "pb-health"), "admin"),
                          (demo_email("analyst", "pb-health"), "analyst"),
                          (demo_email("reporter", "pb-health"), "reporter")])
        for u in items:
            self.assertEqual(set(u), USER_KEYS)
            self.assertRegex(u["id"], UUID_RE)
            self.assertRegex(u["created_at"], RFC3339_RE)
            self.assertEqual(u["org_id"], self.org_of("pb-health"))
            self.assertEqual(u["org_name"], "Punjab Health Services Directorate")
            self.assertIs(u["disabled"], False)
            self.assertNotIn("pw_hash", u)
        # Naming one's own org explicitly is the same list.
        r2 = self.demo_client("admin", "pb-health").get(
            "/api/v1/users?org_id=" + self.org_of("pb-health"))
        self.assertEqual(r2.json, r.json)

    def test_reporters_and_analysts_may_not_list_users(self):
        for role in ("reporter", "analyst"):
            c = self.demo_client(role, "pb-health")
            self.assertError(c.get("/api/v1/users"), 403, "forbidden")
            # The role decides first, whatever org is asked for (the answer says nothing of it).
            self.assertError(c.get("/api/v1/users?org_id=" + self.org_of("punjab-cert")), 403,
                             "forbidden")

    def test_an_auditor_lists_users(self):
        r = self.demo_client("auditor", "ncert").get("/api/v1/users")
        self.assertEqual(r.status, 200)
        self.assertEqual([u["email"] for u in r.json["items"]],
                         [demo_email("admin", "ncert"), demo_email("analyst", "ncert"),
                          demo_email("auditor", "ncert"), demo_email("reporter", "ncert")])

    def test_a_cert_admin_lists_its_subtree_but_not_other_branches(self):
        pa = self.demo_client("admin", "punjab-cert")
        r = pa.get("/api/v1/users?org_id=" + self.org_of("pb-power"))
        self.assertEqual(r.status, 200)
        self.assertEqual(len(r.json["items"]), 3)
        for slug in ("sd-health", "sindh-cert", "ncert"):
            r = pa.get("/api/v1/users?org_id=" + self.org_of(slug))
            self.assertError(r, 404, "not_found")
        self.assertError(pa.get("/api/v1/users?org_id=" + str(uuid.uuid4())), 404, "not_found")
        # An institution's admin sees only its own org's users, not its parent CERT's.
        r = self.demo_client("admin", "pb-health").get(
            "/api/v1/users?org_id=" + self.org_of("punjab-cert"))
        self.assertError(r, 404, "not_found")

    def test_user_pages(self):
        c = self.demo_client("admin", "ncert")
        items, pages = c.list_all("/api/v1/users", limit=3)
        self.assertEqual([len(p) for p in pages], [3, 1])
        self.assertEqual([u["email"] for u in items],
                         [demo_email("admin", "ncert"), demo_email("analyst", "ncert"),
                          demo_email("auditor", "ncert"), demo_email("reporter", "ncert")])
        self.assertError(c.get("/api/v1/users?limit=0"), 422, "invalid_field", "limit")
        self.assertError(c.get("/api/v1/users?cursor=nonsense"), 422, "invalid_field", "cursor")
        # A cursor from another org's list is refused too.
        other = self.user_id(demo_email("admin", "pb-health"))
        self.assertError(c.get("/api/v1/users?cursor=" + other), 422, "invalid_field", "cursor")

    def test_one_user(self):
        pa = self.demo_client("admin", "punjab-cert")
        uid = self.user_id(demo_email("reporter", "pb-finance"))
        r = pa.get("/api/v1/users/" + uid)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(set(r.json), USER_KEYS)
        self.assertEqual((r.json["id"], r.json["email"], r.json["role"], r.json["org_id"]),
                         (uid, demo_email("reporter", "pb-finance"), "reporter",
                          self.org_of("pb-finance")))
        # Everyone may read their own record.
        me = self.demo_client("reporter", "pb-finance").get("/api/v1/users/" + uid)
        self.assertEqual(me.status, 200)
        self.assertEqual(me.json, r.json)
        # A Sindh user is not there for Punjab.
        sindh = self.user_id(demo_email("admin", "sd-health"))
        self.assertError(pa.get("/api/v1/users/" + sindh), 404, "not_found")
        self.assertError(pa.get("/api/v1/users/" + str(uuid.uuid4())), 404, "not_found")
        self.assertError(pa.get("/api/v1/users/not-an-id"), 404, "not_found")


class TestUserWrites(ServerCase):

    def test_an_admin_creates_a_user_who_can_sign_in(self):
        admin = self.demo_client("admin", "pb-health")
        r = admin.post("/api/v1/users", {"email": "Nadia.Khan@PB-Health.rabta.test",
                                         "name": "Nadia Khan", "role": "analyst",
                                         "password": "nadia-password-1"})
        self.assertEqual(r.status, 201, r)
        u = r.json
        self.assertEqual(set(u), USER_KEYS)
        self.assertRegex(u["id"], UUID_RE)
        self.assertEqual({k: u[k] for k in USER_KEYS - {"id", "created_at"}},
                         {"email": "nadia.khan@pb-health.rabta.test", "name": "Nadia Khan",
                          "role": "analyst", "org_id": self.org_of("pb-health"),
                          "org_name": "Punjab Health Services Directorate", "disabled": False})
        self.assertRegex(u["created_at"], RFC3339_RE)
        self.assertEqual(admin.get("/api/v1/users/" + u["id"]).json, u)
        s = Client(self.port)
        r = s.sign_in("nadia.khan@pb-health.rabta.test", "nadia-password-1")
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json["user"]["id"], u["id"])
        self.assertEqual(r.json["org"]["id"], self.org_of("pb-health"))
        self.assertEqual(len(admin.get("/api/v1/users").json["items"]), 4)

    def test_refused_users_write_nothing(self):
        admin = self.demo_client("admin", "pb-finance")
        ok = {"email": "someone.new@pb-finance.rabta.test", "name": "Someone New",
              "role": "analyst", "password": "twelve-chars"}
        cases = [
            (dict(ok, password="eleven-char"), 422, "invalid_field", "password"),
            (dict(ok, password=""), 422, "invalid_field", "password"),
            (dict(ok, email=demo_email("reporter", "pb-finance")), 409, "conflict", "email"),
            (dict(ok, email=demo_email("reporter", "sd-health").upper()), 409, "conflict",
             "email"),
            (dict(ok, role="superuser"), 422, "invalid_field", "role"),
            (dict(ok, role="Admin"), 422, "invalid_field", "role"),
            (dict(ok, email="not-an-address"), 422, "invalid_field", "email"),
            (dict(ok, email="two@@pb-finance.rabta.test"), 422, "invalid_field", "email"),
            (dict(ok, email="spaced out@pb-finance.rabta.test"), 422, "invalid_field", "email"),
            (dict(ok, name=""), 422, "invalid_field", "name"),
            (dict(ok, name="Line\nBreak"), 422, "invalid_field", "name"),
            (dict(ok, name="x" * 201), 422, "invalid_field", "name"),
            ({k: v for k, v in ok.items() if k != "role"}, 422, "invalid_field", "role"),
            ({k: v for k, v in ok.items() if k != "email"}, 422, "invalid_field", "email"),
            (dict(ok, org_id=self.org_of("sd-health")), 404, "not_found", "org_id"),
            (dict(ok, org_id=str(uuid.uuid4())), 404, "not_found", "org_id"),
            # An institution admin manages only its own org: its parent CERT is visible to it,
            # so that is forbidden; a sibling institution is not even visible.
            (dict(ok, org_id=self.org_of("punjab-cert")), 403, "forbidden", "org_id"),
            (dict(ok, org_id=self.org_of("pb-health")), 404, "not_found", "org_id"),
        ]
        for body, status, code, field in cases:
            with self.subTest(body=body):
                before = self.snapshot()
                r = admin.post("/api/v1/users", body)
                self.assertError(r, status, code, field)
                self.assertNothingWritten(before)
        # 12 characters is enough.
        self.assertEqual(admin.post("/api/v1/users", ok).status, 201)

    def test_only_admins_create_users(self):
        analyst = self.demo_client("analyst", "pb-finance")
        before = self.snapshot()
        r = analyst.post("/api/v1/users", {"email": "by.analyst@pb-finance.rabta.test",
                                           "name": "By Analyst", "role": "reporter",
                                           "password": "analyst-made-pw"})
        self.assertError(r, 403, "forbidden")
        self.assertNothingWritten(before)

    def test_a_cert_admin_creates_only_the_first_admin_below_it(self):
        pa = self.demo_client("admin", "punjab-cert")
        r = pa.post("/api/v1/orgs", {"parent_id": self.org_of("punjab-cert"),
                                     "kind": "institution", "name": "Punjab Forestry Department",
                                     "province": "punjab", "sector": "other"})
        self.assertEqual(r.status, 201, r)
        new_org = r.json["id"]
        # Not an analyst first: the org's first user is its admin.
        before = self.snapshot()
        r = pa.post("/api/v1/users", {"email": "analyst@forestry.rabta.test", "name": "Analyst",
                                      "role": "analyst", "password": "forestry-pw-0001",
                                      "org_id": new_org})
        self.assertError(r, 403, "forbidden", "org_id")
        self.assertNothingWritten(before)
        r = pa.post("/api/v1/users", {"email": "admin@forestry.rabta.test",
                                      "name": "Forestry Admin", "role": "admin",
                                      "password": "forestry-pw-0001", "org_id": new_org})
        self.assertEqual(r.status, 201, r)
        self.assertEqual((r.json["org_id"], r.json["role"]), (new_org, "admin"))
        before = self.snapshot()
        r = pa.post("/api/v1/users", {"email": "admin2@forestry.rabta.test",
                                      "name": "Second Admin", "role": "admin",
                                      "password": "forestry-pw-0002", "org_id": new_org})
        self.assertError(r, 403, "forbidden", "org_id")
        # Nor into an institution that already has its admin.
        r = pa.post("/api/v1/users", {"email": "extra@pb-power.rabta.test", "name": "Extra",
                                      "role": "analyst", "password": "pb-power-extra-1",
                                      "org_id": self.org_of("pb-power")})
        self.assertError(r, 403, "forbidden", "org_id")
        self.assertNothingWritten(before)
        # The new admin runs the new org from here.
        fa = Client(self.port)
        self.assertEqual(fa.sign_in("admin@forestry.rabta.test", "forestry-pw-0001").status, 201)
        r = fa.post("/api/v1/users", {"email": "analyst@forestry.rabta.test", "name": "Analyst",
                                      "role": "analyst", "password": "forestry-pw-0003"})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json["org_id"], new_org)

    def test_the_national_admin_creates_users_anywhere(self):
        na = self.demo_client("admin", "ncert")
        for slug in ("sd-health", "telecom-cert", "ncert"):
            r = na.post("/api/v1/users", {"email": "auditor@%s.example.org" % slug,
                                          "name": "Auditor of " + slug, "role": "auditor",
                                          "password": "auditor-password",
                                          "org_id": self.org_of(slug)})
            self.assertEqual(r.status, 201, r)
            self.assertEqual(r.json["org_id"], self.org_of(slug))
            self.assertEqual(r.json["role"], "auditor")

    def test_disabling_a_user_ends_their_sessions_and_tokens(self):
        admin = self.demo_client("admin", "pb-landrecords")
        email = demo_email("reporter", "pb-landrecords")
        uid = self.user_id(email)
        tok = self.client(email)
        cookie = Client(self.port)
        self.assertEqual(cookie.sign_in(email).status, 201)
        self.assertEqual(tok.get("/api/v1/me").status, 200)
        self.assertEqual(cookie.get("/api/v1/me").status, 200)
        head = admin.get("/api/v1/audit?limit=1").json["items"][0]["seq"]

        r = admin.patch("/api/v1/users/" + uid, {"disabled": True})
        self.assertEqual(r.status, 200, r)
        self.assertIs(r.json["disabled"], True)
        self.assertEqual(r.json["id"], uid)
        self.assertError(tok.get("/api/v1/me"), 401, "unauthenticated")
        self.assertError(cookie.get("/api/v1/me"), 401, "unauthenticated")
        # A disabled user cannot sign in, and is told nothing more than a wrong password.
        self.assertError(Client(self.port).sign_in(email), 401, "invalid_credentials")
        # The admin still sees them, marked disabled.
        self.assertIs(admin.get("/api/v1/users/" + uid).json["disabled"], True)

        r = admin.patch("/api/v1/users/" + uid, {"disabled": False})
        self.assertEqual(r.status, 200, r)
        self.assertIs(r.json["disabled"], False)
        self.assertEqual(Client(self.port).sign_in(email).status, 201)
        # Tokens revoked by the disabling stay revoked.
        self.assertError(tok.get("/api/v1/me"), 401, "unauthenticated")
        actions = [e["action"] for e in admin.get("/api/v1/audit?limit=10").json["items"]
                   if e["object_id"] == uid and e["action"].startswith("user.")
                   and e["seq"] > head]
        self.assertEqual(actions, ["user.enable", "user.disable"])

    def test_disable_refusals(self):
        admin = self.demo_client("admin", "pb-landrecords")
        pa = self.demo_client("admin", "punjab-cert")
        analyst = self.demo_client("analyst", "pb-landrecords")
        me = self.user_id(demo_email("admin", "pb-landrecords"))
        target = self.user_id(demo_email("analyst", "pb-landrecords"))
        sindh = self.user_id(demo_email("analyst", "sd-health"))
        cases = [
            (admin, me, {"disabled": True}, 422, "invalid_field"),
            (admin, target, {"disabled": "yes"}, 422, "invalid_field"),
            (admin, target, {}, 422, "invalid_field"),
            (admin, target, {"disabled": True, "role": "admin"}, 422, "unknown_field"),
            (admin, sindh, {"disabled": True}, 404, "not_found"),
            (analyst, self.user_id(demo_email("reporter", "pb-landrecords")),
             {"disabled": True}, 404, "not_found"),
            # A CERT admin does not manage its institutions' users (their own admin does).
            (pa, target, {"disabled": True}, 403, "forbidden"),
        ]
        for client, uid, body, status, code in cases:
            with self.subTest(uid=uid, body=body):
                before = self.snapshot()
                self.assertError(client.patch("/api/v1/users/" + uid, body), status, code)
                self.assertNothingWritten(before)

    def test_an_admin_resets_a_password(self):
        admin = self.demo_client("admin", "pb-emergency")
        email = demo_email("analyst", "pb-emergency")
        uid = self.user_id(email)
        victim = Client(self.port)
        self.assertEqual(victim.sign_in(email).status, 201)

        before = self.snapshot()
        r = admin.post("/api/v1/users/%s/password" % uid, {"password": "too-short"})
        self.assertError(r, 422, "invalid_field", "password")
        r = admin.post("/api/v1/users/%s/password" % self.user_id(demo_email("admin",
                                                                           "pb-emergency")),
                       {"password": "my-own-new-password"})
        self.assertError(r, 422, "invalid_field")
        r = admin.post("/api/v1/users/%s/password" % self.user_id(demo_email("analyst",
                                                                           "sd-health")),
                       {"password": "someone-elses-pw"})
        self.assertError(r, 404, "not_found")
        self.assertNothingWritten(before)

        r = admin.post("/api/v1/users/%s/password" % uid, {"password": "reset-by-the-admin"})
        self.assertEqual(r.status, 204, r)
        # Their sessions end; the old password no longer works; the new one does.
        self.assertError(victim.get("/api/v1/me"), 401, "unauthenticated")
        self.assertError(Client(self.port).sign_in(email), 401, "invalid_credentials")
        self.assertEqual(Client(self.port).sign_in(email, "reset-by-the-admin").status, 201)
        e = [e for e in admin.get("/api/v1/audit?limit=10").json["items"]
             if e["action"] == "user.password"][0]
        self.assertEqual((e["actor"], e["object_id"], e["org_id"]),
                         (demo_email("admin", "pb-emergency"), uid, self.org_of("pb-emergency")))


if __name__ == "__main__":
    unittest.main()
