"""API tokens: made by their user, shown once, stored as a prefix, revocable."""

import datetime
import json
import unittest
import uuid

from harness import ServerCase, Client, demo_email, db_query, TOKEN_RE, UUID_RE, RFC3339_RE

TOKEN_KEYS = {"id", "name", "prefix", "created_at", "expires_at", "revoked_at"}


def parse_time(s):
    return datetime.datetime.strptime(s[:19], "%Y-%m-%dT%H:%M:%S")


class TestTokens(ServerCase):

    def test_a_token_is_shown_once_and_listed_by_prefix(self):
        email = demo_email("analyst", "sindh-cert")
        me = self.client(email)
        r = me.post("/api/v1/tokens", {"name": "ci pipeline"})
        self.assertEqual(r.status, 201, r)
        t = r.json
        self.assertEqual(set(t), TOKEN_KEYS | {"token"})
        self.assertRegex(t["token"], TOKEN_RE)
        self.assertRegex(t["id"], UUID_RE)
        self.assertEqual(t["name"], "ci pipeline")
        self.assertEqual(t["prefix"], t["token"][:12])
        self.assertIsNone(t["revoked_at"])
        self.assertRegex(t["created_at"], RFC3339_RE)
        self.assertRegex(t["expires_at"], RFC3339_RE)
        self.assertEqual(parse_time(t["expires_at"]) - parse_time(t["created_at"]),
                         datetime.timedelta(days=90))

        r = me.get("/api/v1/tokens")
        self.assertEqual(r.status, 200, r)
        self.assertIsNone(r.json["next_cursor"])
        listed = [x for x in r.json["items"] if x["id"] == t["id"]]
        self.assertEqual(len(listed), 1)
        self.assertEqual(set(listed[0]), TOKEN_KEYS)
        self.assertEqual(listed[0], {k: t[k] for k in TOKEN_KEYS})
        for x in r.json["items"]:
            self.assertEqual(set(x), TOKEN_KEYS)
        self.assertNotIn(t["token"][12:].encode(), r.body)
        # The database holds no usable copy either.
        rows = db_query(self.db, "SELECT * FROM api_tokens WHERE id = ?", (t["id"],))
        self.assertEqual(len(rows), 1)
        self.assertNotIn(t["token"][12:], json.dumps(rows))

    def test_a_new_token_authenticates_reads_and_writes_without_csrf(self):
        email = demo_email("analyst", "kp-cert")
        t = self.client(email).post("/api/v1/tokens", {"name": "script",
                                                       "expires_in_days": 366}).json
        self.assertEqual(parse_time(t["expires_at"]) - parse_time(t["created_at"]),
                         datetime.timedelta(days=366))
        c = Client(self.port, t["token"])
        r = c.get("/api/v1/me")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["user"]["email"], email)
        # A write with a bearer token needs no CSRF header.
        r = c.post("/api/v1/tokens", {"name": "made by a token", "expires_in_days": 1})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(parse_time(r.json["expires_at"]) - parse_time(r.json["created_at"]),
                         datetime.timedelta(days=1))
        # "Bearer" is case-insensitive, the token is not.
        self.assertEqual(c.get("/api/v1/me", headers={"Authorization": "bearer " + t["token"]})
                         .status, 200)
        self.assertError(c.get("/api/v1/me", headers={"Authorization": "Bearer "
                                                                        + t["token"].upper()}),
                         401, "unauthenticated")

    def test_revoked_tokens_stop_working(self):
        me = self.demo_client("analyst", "balochistan-cert")
        t = me.post("/api/v1/tokens", {"name": "to revoke"}).json
        c = Client(self.port, t["token"])
        self.assertEqual(c.get("/api/v1/me").status, 200)
        r = me.delete("/api/v1/tokens/" + t["id"])
        self.assertEqual(r.status, 204, r)
        self.assertEqual(r.body, b"")
        self.assertError(c.get("/api/v1/me"), 401, "unauthenticated")
        self.assertError(c.post("/api/v1/tokens", {"name": "resurrect"}), 401, "unauthenticated")
        listed = [x for x in me.get("/api/v1/tokens").json["items"] if x["id"] == t["id"]][0]
        self.assertRegex(listed["revoked_at"], RFC3339_RE)
        # The caller's other token is untouched.
        self.assertEqual(me.get("/api/v1/me").status, 200)
        # A token may revoke itself.
        t2 = me.post("/api/v1/tokens", {"name": "self-revoking"}).json
        c2 = Client(self.port, t2["token"])
        self.assertEqual(c2.delete("/api/v1/tokens/" + t2["id"]).status, 204)
        self.assertError(c2.get("/api/v1/me"), 401, "unauthenticated")

    def test_expiry_and_name_are_validated(self):
        me = self.demo_client("analyst", "gb-cert")
        cases = [
            ({"name": "zero", "expires_in_days": 0}, "expires_in_days"),
            ({"name": "too long", "expires_in_days": 367}, "expires_in_days"),
            ({"name": "negative", "expires_in_days": -5}, "expires_in_days"),
            ({"name": "fraction", "expires_in_days": 1.5}, "expires_in_days"),
            ({"name": "string", "expires_in_days": "30"}, "expires_in_days"),
            ({"expires_in_days": 30}, "name"),
            ({"name": ""}, "name"),
            ({"name": "n" * 201}, "name"),  # names are capped at 200 bytes
            ({"name": 7}, "name"),
        ]
        for body, field in cases:
            with self.subTest(body=body):
                before = self.snapshot()
                self.assertError(me.post("/api/v1/tokens", body), 422, "invalid_field", field)
                self.assertNothingWritten(before)
        before = self.snapshot()
        self.assertError(me.post("/api/v1/tokens", {"name": "x", "scopes": ["all"]}), 422,
                         "unknown_field", "scopes")
        self.assertNothingWritten(before)

    def test_another_users_token_cannot_be_revoked(self):
        owner = self.demo_client("analyst", "ajk-cert")
        t = owner.post("/api/v1/tokens", {"name": "mine"}).json
        # Even the owner's own org admin and the national admin cannot revoke it by id.
        for email in (demo_email("analyst", "sindh-cert"), demo_email("admin", "ajk-cert"),
                      demo_email("admin", "ncert")):
            other = self.client(email)
            with self.subTest(by=email):
                before = self.snapshot()
                self.assertError(other.delete("/api/v1/tokens/" + t["id"]), 404, "not_found")
                self.assertNothingWritten(before)
        self.assertEqual(Client(self.port, t["token"]).get("/api/v1/me").status, 200)
        # Nor is it in anyone else's list.
        ids = [x["id"] for x in self.demo_client("admin", "ncert")
               .get("/api/v1/tokens").json["items"]]
        self.assertNotIn(t["id"], ids)
        before = self.snapshot()
        self.assertError(owner.delete("/api/v1/tokens/" + str(uuid.uuid4())), 404, "not_found")
        self.assertError(owner.delete("/api/v1/tokens/nonsense"), 404, "not_found")
        self.assertNothingWritten(before)

    def test_malformed_authorization_is_unauthenticated(self):
        for value in ("Bearer rbt_" + "0" * 64, "Bearer", "Bearer ", "Basic YTpi",
                      "Bearer rbt_" + "0" * 63, "Bearer " + "a" * 68, "rbt_" + "0" * 64):
            with self.subTest(value=value):
                r = Client(self.port).get("/api/v1/me", headers={"Authorization": value})
                self.assertError(r, 401, "unauthenticated")

    def test_a_bad_bearer_token_is_not_rescued_by_a_good_cookie(self):
        c = Client(self.port)
        self.assertEqual(c.sign_in(demo_email("admin", "gb-health")).status, 201)
        r = c.get("/api/v1/me", headers={"Authorization": "Bearer rbt_" + "1" * 64})
        self.assertError(r, 401, "unauthenticated")

    def test_cookie_sessions_create_tokens_with_csrf(self):
        c = Client(self.port)
        self.assertEqual(c.sign_in(demo_email("reporter", "gb-health")).status, 201)
        before = self.snapshot()
        self.assertError(c.post("/api/v1/tokens", {"name": "no csrf"}, csrf=False), 403,
                         "csrf_failed")
        self.assertNothingWritten(before)
        r = c.post("/api/v1/tokens", {"name": "from the browser"})
        self.assertEqual(r.status, 201, r)
        self.assertRegex(r.json["token"], TOKEN_RE)


if __name__ == "__main__":
    unittest.main()
