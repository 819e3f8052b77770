"""Every input is validated before anything is written: each bad request gets a clear 4xx error
naming what to fix, and the database is exactly as it was."""

import json
import unittest

from harness import ServerCase, Client, demo_email


class TestBadInput(ServerCase):

    @classmethod
    def prepare(cls):
        # Each write route with who calls it, a valid body, a string field to abuse, a field
        # given the wrong type, and an enum field with its bad value.
        cls.routes = [
            {"method": "POST", "path": "/api/v1/users", "as": demo_email("admin", "pb-health"),
             "body": {"email": "valid.user@pb-health.rabta.test", "name": "Valid User",
                      "role": "analyst", "password": "a-valid-password"},
             "text": "name", "wrong_type": ("role", 5), "bad_enum": ("role", "overlord")},
            {"method": "POST", "path": "/api/v1/orgs", "as": demo_email("admin", "punjab-cert"),
             "body": {"parent_id": cls.org_of("punjab-cert"), "kind": "institution",
                      "name": "Valid Institution", "province": "punjab"},
             "text": "name", "wrong_type": ("cii", "yes"), "bad_enum": ("kind", "castle")},
            {"method": "PATCH", "path": "/api/v1/orgs/" + cls.org_of("pb-finance"),
             "as": demo_email("admin", "punjab-cert"),
             "body": {"name": "Valid Rename"},
             "text": "name", "wrong_type": ("name", ["a", "b"]), "bad_enum": ("sector", "mining")},
            {"method": "POST", "path": "/api/v1/tokens", "as": demo_email("analyst", "pb-health"),
             "body": {"name": "valid token"},
             "text": "name", "wrong_type": ("expires_in_days", "ten"),
             "bad_enum": ("expires_in_days", 400)},
        ]
        for rt in cls.routes:
            rt["client"] = cls.client(rt["as"])

    def send(self, rt, raw=None, body=None, **kw):
        if raw is None:
            raw = json.dumps(body).encode()
        return rt["client"].request(rt["method"], rt["path"], raw=raw, **kw)

    def check(self, make, status, code, field=None, msg_has=None):
        """For every route: make(rt) -> bytes is refused with status/code (field may be a function
        of the route), with a message, and nothing is written."""
        for rt in self.routes:
            with self.subTest(route=rt["method"] + " " + rt["path"]):
                before = self.snapshot()
                r = self.send(rt, raw=make(rt))
                f = field(rt) if callable(field) else field
                m = msg_has(rt) if callable(msg_has) else msg_has
                self.assertError(r, status, code, f, m)
                self.assertNothingWritten(before)

    # -- syntax --

    def test_malformed_json(self):
        self.check(lambda rt: b'{"name": "unterminated', 400, "malformed_json", None, "JSON")
        self.check(lambda rt: b'{"name": "x",}', 400, "malformed_json", None, "JSON")
        self.check(lambda rt: b"{'name': 'single quotes'}", 400, "malformed_json")
        self.check(lambda rt: json.dumps(rt["body"]).encode() + b" trailing", 400,
                   "malformed_json", None, "after")
        self.check(lambda rt: b"", 400, "malformed_json", None, "empty")
        self.check(lambda rt: b"   \n", 400, "malformed_json")

    def test_non_object_bodies(self):
        for raw in (b"[]", b'"x"', b"5", b"null", b"true", json.dumps([{"name": "x"}]).encode()):
            with self.subTest(raw=raw):
                self.check(lambda rt: raw, 422, "invalid_field", None, "object")

    def test_too_deep(self):
        def deep(n):
            def make(rt):
                body = json.dumps(dict(rt["body"], **{rt["text"]: "PLACEHOLDER"})).encode()
                return body.replace(b'"PLACEHOLDER"', b"[" * n + b"]" * n)
            return make
        self.check(deep(200), 400, "too_deep", None, "32")
        self.check(deep(32), 400, "too_deep")  # 33 levels with the body object
        # 32 levels in all is allowed by the parser; the field then has the wrong type.
        self.check(deep(31), 422, "invalid_field", lambda rt: rt["text"])
        # Brackets inside strings do not count.
        self.check(lambda rt: ('{"%s": "%s", "zzz_unknown": 1}' % (rt["text"], "[" * 100))
                   .encode(), 422, "unknown_field", "zzz_unknown")

    def test_too_large(self):
        big = lambda rt: json.dumps(dict(rt["body"], **{rt["text"]: "a" * (2 * 1024 * 1024)}))\
            .encode()
        self.check(big, 413, "too_large", None, "bytes")
        # Just over the 1 MiB cap, as whitespace in otherwise valid JSON.
        pad = lambda rt: json.dumps(rt["body"]).encode() + b" " * (1024 * 1024)
        self.check(pad, 413, "too_large")

    def test_invalid_utf8(self):
        def with_bytes(bad):
            def make(rt):
                body = dict(rt["body"], **{rt["text"]: "PLACEHOLDER"})
                return json.dumps(body).encode().replace(b"PLACEHOLDER", b"ok" + bad + b"ok")
            return make
        for bad in (b"\xff\xfe", b"\xc0\xaf", b"\xed\xa0\x80", b"\xe2\x82", b"\x80",
                    b"\xf4\x90\x80\x80", b"\xf8\x88\x80\x80\x80"):
            with self.subTest(bytes=bad):
                self.check(with_bytes(bad), 400, "invalid_utf8", None, "UTF-8")
        # Also as the last bytes of the body, and in a member name.
        self.check(lambda rt: json.dumps(rt["body"]).encode()[:-1] + b"\xc3", 400, "invalid_utf8")
        self.check(lambda rt: b'{"n\xe9": 1}', 400, "invalid_utf8")

    def test_unsupported_media_type(self):
        for rt in self.routes:
            with self.subTest(route=rt["path"]):
                before = self.snapshot()
                r = self.send(rt, body=rt["body"], headers={"Content-Type": "text/plain"})
                self.assertError(r, 415, "unsupported_media_type", None, "application/json")
                r = self.send(rt, body=rt["body"],
                              headers={"Content-Type": "application/x-www-form-urlencoded"})
                self.assertError(r, 415, "unsupported_media_type")
                self.assertNothingWritten(before)

    # -- members --

    def check_member(self, which):
        """The route's body with its member rt[which] = (name, bad value) is refused naming the
        member, in the field and in the message."""
        def make(rt):
            k, v = rt[which]
            return json.dumps(dict(rt["body"], **{k: v})).encode()
        self.check(make, 422, "invalid_field", lambda rt: rt[which][0], lambda rt: rt[which][0])

    def test_wrong_type(self):
        self.check_member("wrong_type")
        # null for a required member is "missing", never a crash.
        self.check(lambda rt: json.dumps(dict(rt["body"], name=None)).encode()
                   if rt["method"] == "POST" else b'{"name": 1}', 422, "invalid_field", "name")

    def test_unknown_field(self):
        self.check(lambda rt: json.dumps(dict(rt["body"], is_superuser=True)).encode(), 422,
                   "unknown_field", "is_superuser", "is_superuser")
        # Case matters: "Name" is not "name".
        self.check(lambda rt: json.dumps({"Name": "x"}).encode(), 422, "unknown_field", "Name")

    def test_bad_enum(self):
        self.check_member("bad_enum")

    def test_duplicate_members(self):
        def make(rt):
            text = json.dumps(rt["body"])
            return (text[:-1] + ', "%s": "again"}' % rt["text"]).encode()
        self.check(make, 422, "invalid_field", lambda rt: rt["text"], "twice")

    def test_control_characters_are_refused(self):
        # Names are shown in tables, logs and terminals: no control characters, in any name.
        for esc in ("\\u0001", "\\n", "\\u001b[2J"):
            with self.subTest(escape=esc):
                self.check(lambda rt: json.dumps(dict(rt["body"], name="PLACEHOLDER")).encode()
                           .replace(b"PLACEHOLDER", ("Before%sAfter" % esc).encode()),
                           422, "invalid_field", "name")

    def test_a_nul_escape_is_refused_not_truncated(self):
        # "\u0000" decodes to a NUL byte: the string must be refused, never silently cut short
        # at the NUL (which would store "Before" for "Before\u0000After", or let an e-mail
        # address carry hidden bytes). Either a 400 at parsing or a 422 naming the field is a
        # clear answer.
        for rt in self.routes:
            with self.subTest(route=rt["method"] + " " + rt["path"]):
                before = self.snapshot()
                raw = json.dumps(dict(rt["body"], name="PLACEHOLDER")).encode().replace(
                    b"PLACEHOLDER", b"Nul\\u0000Cut")
                r = self.send(rt, raw=raw)
                self.assertIn(r.status, (400, 422), r)
                self.assertIn(r.error.get("code"), ("malformed_json", "invalid_field"), r)
                self.assertNothingWritten(before)

    def test_lone_surrogate_escapes(self):
        for esc in ("\\ud800", "\\udc00", "\\ud800\\u0041"):
            with self.subTest(escape=esc):
                self.check(lambda rt: json.dumps(dict(rt["body"], name="PLACEHOLDER")).encode()
                           .replace(b"PLACEHOLDER", ("Name%s" % esc).encode()),
                           400, "malformed_json")

    # -- who --

    def test_no_auth(self):
        for rt in self.routes:
            with self.subTest(route=rt["path"]):
                before = self.snapshot()
                r = Client(self.port).request(rt["method"], rt["path"], rt["body"])
                self.assertError(r, 401, "unauthenticated", None)
                self.assertNothingWritten(before)

    def test_another_orgs_user_is_not_found(self):
        pa = self.demo_client("admin", "punjab-cert")
        sindh = self.user_id(demo_email("admin", "sd-health"))
        before = self.snapshot()
        self.assertError(pa.get("/api/v1/users/" + sindh), 404, "not_found", None)
        self.assertError(pa.patch("/api/v1/users/" + sindh, {"disabled": True}), 404, "not_found")
        self.assertError(pa.post("/api/v1/users/%s/password" % sindh,
                                 {"password": "taken-over-password"}), 404, "not_found")
        self.assertNothingWritten(before)
        # The same bodies are fine for a user one may manage (this is no input problem).
        own = self.user_id(demo_email("analyst", "punjab-cert"))
        self.assertEqual(pa.get("/api/v1/users/" + own).status, 200)

    def test_the_valid_bodies_are_accepted(self):
        # The control: each route's valid body is accepted, so the refusals above are about the
        # change each case makes.
        for rt in self.routes:
            with self.subTest(route=rt["path"]):
                body = dict(rt["body"])
                if "email" in body:
                    body["email"] = "control@pb-health.rabta.test"
                if rt["path"] == "/api/v1/orgs":
                    body["name"] = "Control Institution"
                r = self.send(rt, body=body)
                self.assertIn(r.status, (200, 201), r)


if __name__ == "__main__":
    unittest.main()
