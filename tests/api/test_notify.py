"""Outbound notifications: webhooks (HMAC-signed, retried with backoff, a delivery log) and e-mail
(SMTP), against receivers these tests start on 127.0.0.1.

The story: Punjab CERT's admin adds a webhook; an institution below it reports an incident; the
CERT's triage item is POSTed to the webhook, signed with the secret shown once. A receiver that
fails first is tried again on the documented schedule (the server's clock is a file the test
moves, so no test waits for a backoff); one that always fails is given up after 8 tries, each in
the log. Without --webhooks-allow-private the server refuses to connect to loopback, private and
link-local addresses. E-mail goes to every user of the CERT who wants it, through an aiosmtpd
receiver with SMTP AUTH; a TLP:RED incident's title is in neither a webhook body nor an e-mail.
"""

import email
import email.policy
import hashlib
import hmac
import http.server
import json
import logging
import os
import re
import socket
import sys
import threading
import time
import unittest
import warnings

from harness import (ServerCase, Server, db_query, db_scalar, db_snapshot, demo_email, HEX64_RE, UUID_RE)

DEADLINE = 45  # seconds to wait for the server's background thread (every 2 s; sanitizers slow)
BACKOFF = [30, 60, 120, 240, 480, 960, 1920]  # after tries 1..7 (docs/operations.md)
MAX_ATTEMPTS = 8
INCIDENT = {"rsit_class": "malicious-code", "rsit_type": "infected-system", "severity": "high"}


def poll(fn, what, deadline=DEADLINE):
    """fn() until it returns something true; fails the test after the deadline."""
    end = time.monotonic() + deadline
    while True:
        v = fn()
        if v:
            return v
        if time.monotonic() > end:
            raise AssertionError("timed out waiting for " + what)
        time.sleep(0.05)


def signature(secret, timestamp, body):
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


class Receiver:
    """An HTTP server on 127.0.0.1 that records every request and answers the statuses of
    `script` in turn, then `then`."""

    def __init__(self, script=(), then=200, delay=0.0):
        self.requests = []
        self.delay = delay
        self.script = list(script)
        self.then = then
        self.lock = threading.Lock()
        rec = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                if rec.delay:
                    time.sleep(rec.delay)  # a slow receiver: sends overlap ticks
                with rec.lock:
                    rec.requests.append({"path": self.path, "headers": dict(self.headers),
                                         "body": body})
                    status = rec.script.pop(0) if rec.script else rec.then
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path="/hook", host="127.0.0.1"):
        return "http://%s:%d%s" % (host, self.port, path)

    def got(self, n, path=None):
        with self.lock:
            hits = [r for r in self.requests if path is None or r["path"] == path]
        return hits if len(hits) >= n else None

    def count(self):
        with self.lock:
            return len(self.requests)

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class NotifyCase(ServerCase):
    """A server whose clock is a file (self.set_clock) and whose links use a public URL."""

    EXTRA = ()

    @classmethod
    def prepare_db(cls):
        cls.clock_path = os.path.join(cls.tmp, "clock")
        cls.clock = int(time.time())
        cls.write_clock()
        cls.SERVE_ARGS = ("--threads", "4", "--clock-file", cls.clock_path, "--public-url",
                          "https://rabta.example/") + tuple(cls.EXTRA)

    @classmethod
    def write_clock(cls):
        tmp = cls.clock_path + ".new"
        with open(tmp, "w") as f:
            f.write("%d\n" % cls.clock)
        os.replace(tmp, cls.clock_path)

    def advance(self, seconds):
        type(self).clock += seconds
        self.write_clock()

    def receiver(self, script=(), then=200, delay=0.0):
        r = Receiver(script, then, delay)
        self.addCleanup(r.close)
        return r

    def hooks_path(self, slug="punjab-cert"):
        return "/api/v1/orgs/%s/webhooks" % self.org_of(slug)

    def add_hook(self, url, events=("triage",), slug="punjab-cert"):
        admin = self.demo_client("admin", slug)
        r = admin.post(self.hooks_path(slug), {"url": url, "events": list(events)})
        self.assertEqual(r.status, 201, r)
        # Removed at the end, so no later test receives this one's events.
        self.addCleanup(lambda: admin.delete(self.hooks_path(slug) + "/" + r.json["id"]))
        return r.json

    def deliveries(self, hook_id, slug="punjab-cert"):
        r = self.demo_client("admin", slug).get(self.hooks_path(slug) + "/%s/deliveries" % hook_id)
        self.assertEqual(r.status, 200, r)
        return r.json["items"]

    def ping(self, hook_id, slug="punjab-cert"):
        r = self.demo_client("admin", slug).post(self.hooks_path(slug) + "/%s/test" % hook_id)
        self.assertEqual(r.status, 202, r)
        return r.json["id"]

    def wait_tries(self, hook_id, n):
        """The newest message of the webhook once it has n tries and no lease (recorded)."""
        def ready():
            items = self.deliveries(hook_id)
            # A try and the message's new state are recorded in one transaction.
            return items[0] if items and len(items[0]["tries"]) >= n else None
        return poll(ready, "%d tries of webhook %s" % (n, hook_id))

    def report(self, title, slug="pb-health", **extra):
        body = dict(INCIDENT, title=title, **extra)
        r = self.demo_client("reporter", slug).post("/api/v1/incidents", body)
        self.assertEqual(r.status, 201, r)
        return r.json


class TestWebhooks(NotifyCase):
    EXTRA = ("--webhooks-allow-private",)

    def test_a_triage_item_is_posted_signed_to_the_cert_webhook(self):
        rec = self.receiver()
        hook = self.add_hook(rec.url("/triage"))
        other = self.add_hook(rec.url("/escalated"), events=("escalated",))
        self.assertRegex(hook["secret"], HEX64_RE)
        self.assertNotEqual(hook["secret"], other["secret"])
        self.assertEqual(hook["events"], ["triage"])
        self.assertTrue(hook["enabled"])
        self.assertIsNone(hook["last_delivery"])

        inc = self.report("Ransomware on the hospital information system")
        req = poll(lambda: rec.got(1, "/triage"), "the triage POST")[0]
        h, body = req["headers"], req["body"]
        self.assertEqual(h["Content-Type"], "application/json")
        self.assertEqual(h["User-Agent"], "rabta")
        self.assertEqual(h["X-Rabta-Event"], "incident.triage")
        self.assertRegex(h["X-Rabta-Delivery"], UUID_RE)
        self.assertEqual(h["X-Rabta-Timestamp"], str(self.clock))
        self.assertEqual(h["X-Rabta-Signature"],
                         "sha256=" + signature(hook["secret"], h["X-Rabta-Timestamp"], body))
        # A signature made with another secret, or over another body, does not match.
        self.assertNotEqual(h["X-Rabta-Signature"],
                            "sha256=" + signature(other["secret"], h["X-Rabta-Timestamp"], body))
        event = json.loads(body)
        self.assertEqual(event["event"], "incident.triage")
        self.assertEqual(event["delivery"], h["X-Rabta-Delivery"])
        self.assertEqual(event["org_id"], self.org_of("punjab-cert"))
        self.assertEqual(event["kind"], "triage")
        self.assertEqual(event["object"]["kind"], "incident")
        self.assertEqual(event["object"]["id"], inc["id"])
        self.assertEqual(event["object"]["name"], "Ransomware on the hospital information system")
        self.assertEqual(event["object"]["url"], "https://rabta.example/#/incidents/" + inc["id"])

        # The webhook that wants escalations got nothing; the log says what happened.
        self.assertEqual(rec.got(1, "/escalated"), None)
        sent = self.wait_tries(hook["id"], 1)
        self.assertEqual(sent["id"], h["X-Rabta-Delivery"])
        self.assertEqual(sent["status"], "delivered")
        self.assertEqual([(t["n"], t["status_code"], t["error"]) for t in sent["tries"]],
                         [(1, 200, None)])
        self.assertEqual(self.deliveries(other["id"]), [])

        listed = self.demo_client("admin", "punjab-cert").get(self.hooks_path())
        self.assertEqual(listed.status, 200, listed)
        mine = [x for x in listed.json["items"] if x["id"] == hook["id"]][0]
        self.assertEqual(mine["last_delivery"]["status"], "delivered")
        self.assertEqual(mine["last_delivery"]["status_code"], 200)
        # The secret was shown once: never again, in no answer.
        for x in listed.json["items"]:
            self.assertNotIn("secret", x)
        for secret in (hook["secret"], other["secret"]):
            self.assertNotIn(secret.encode(), listed.body)
            self.assertNotIn(secret.encode(), self.demo_client("admin", "punjab-cert").get(
                self.hooks_path() + "/%s/deliveries" % hook["id"]).body)
        audit = self.demo_client("admin", "punjab-cert").get(
            "/api/v1/audit?object_kind=webhook&object_id=" + hook["id"]).json["items"]
        self.assertEqual(sorted(e["action"] for e in audit),
                         ["outbound.delivered", "webhook.create"])

    def test_a_failed_try_is_retried_on_the_schedule(self):
        rec = self.receiver(script=[500])
        hook = self.add_hook(rec.url())
        delivery = self.ping(hook["id"])
        first = poll(lambda: rec.got(1), "the first try")[0]
        msg = self.wait_tries(hook["id"], 1)
        self.assertEqual(msg["id"], delivery)
        self.assertEqual(msg["status"], "pending")
        self.assertEqual(msg["tries"][0]["status_code"], 500)
        self.assertIn("HTTP 500", msg["tries"][0]["error"])
        due = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(self.clock + BACKOFF[0]))
        self.assertEqual(msg["next_at"], due)
        self.assertEqual(rec.count(), 1, "tried again before its time")

        self.advance(BACKOFF[0])
        second = poll(lambda: rec.got(2), "the second try")[1]
        msg = self.wait_tries(hook["id"], 2)
        self.assertEqual(msg["status"], "delivered")
        self.assertIsNone(msg["next_at"])
        self.assertEqual([(t["n"], t["status_code"]) for t in msg["tries"]], [(1, 500), (2, 200)])
        # The same message, signed again at the time of each try.
        for req, ts in ((first, self.clock - BACKOFF[0]), (second, self.clock)):
            self.assertEqual(req["headers"]["X-Rabta-Delivery"], delivery)
            self.assertEqual(req["headers"]["X-Rabta-Event"], "ping")
            self.assertEqual(req["headers"]["X-Rabta-Timestamp"], str(ts))
            self.assertEqual(req["headers"]["X-Rabta-Signature"], "sha256=" + signature(
                hook["secret"], str(ts), req["body"]))
        self.assertEqual(first["body"], second["body"])

    def test_a_receiver_that_always_fails_is_given_up_after_eight_tries(self):
        rec = self.receiver(then=503)
        hook = self.add_hook(rec.url())
        self.ping(hook["id"])
        for n in range(1, MAX_ATTEMPTS):
            msg = self.wait_tries(hook["id"], n)
            self.assertEqual(msg["status"], "pending", msg)
            due = time.strftime("%Y-%m-%dT%H:%M:%SZ",
                                time.gmtime(self.clock + BACKOFF[n - 1]))
            self.assertEqual(msg["next_at"], due, "after try %d" % n)
            self.advance(BACKOFF[n - 1])
        msg = self.wait_tries(hook["id"], MAX_ATTEMPTS)
        self.assertEqual(msg["status"], "failed")
        self.assertEqual(msg["attempts"], MAX_ATTEMPTS)
        self.assertIsNone(msg["next_at"])
        self.assertIn("HTTP 503", msg["error"])
        self.assertEqual([(t["n"], t["status_code"]) for t in msg["tries"]],
                         [(n, 503) for n in range(1, MAX_ATTEMPTS + 1)])
        self.assertEqual(rec.count(), MAX_ATTEMPTS)
        # Given up means given up: much later, nothing more is sent.
        self.advance(24 * 3600)
        self.ping(hook["id"])
        poll(lambda: rec.got(MAX_ATTEMPTS + 1), "the next ping")
        self.assertEqual(len(self.wait_tries(hook["id"], 1)["tries"]), 1)
        self.assertEqual(rec.count(), MAX_ATTEMPTS + 1)

    def test_two_servers_on_one_database_send_each_message_once(self):
        first_log = len(self.server.stderr())
        second = Server(self.db, self.tmp, self.SERVE_ARGS, name="second").start()
        self.addCleanup(second.stop_and_check)
        rec = self.receiver(delay=0.25)
        hook = self.add_hook(rec.url())
        ids = [self.ping(hook["id"]) for _ in range(14)]
        poll(lambda: all(d["status"] == "delivered" for d in self.deliveries(hook["id"]))
             and len(self.deliveries(hook["id"])) == len(ids), "every ping delivered")
        got = [r["headers"]["X-Rabta-Delivery"] for r in rec.requests]
        self.assertEqual(sorted(got), sorted(ids), "a message was sent twice, or not at all")
        audit = db_query(self.db, "SELECT count(*) FROM audit_log WHERE action = "
                         "'outbound.delivered' AND object_id = ?", (hook["id"],))[0][0]
        self.assertEqual(audit, len(ids))
        # Both senders took part (else this proves nothing about two of them).
        for name, log in (("first", self.server.stderr()[first_log:]), ("second", second.stderr())):
            self.assertRegex(log, r"outbound: [1-9]\d* delivered", name + " server sent nothing")

    def test_a_removed_webhook_keeps_its_log_and_is_sent_nothing(self):
        rec = self.receiver()
        hook = self.add_hook(rec.url())
        self.ping(hook["id"])
        self.wait_tries(hook["id"], 1)
        admin = self.demo_client("admin", "punjab-cert")
        path = self.hooks_path() + "/" + hook["id"]
        self.assertEqual(admin.delete(path).status, 204)
        self.assertEqual(admin.delete(path).status, 204)  # again: nothing changes
        listed = [x for x in admin.get(self.hooks_path()).json["items"] if x["id"] == hook["id"]]
        self.assertFalse(listed[0]["enabled"])
        self.assertRegex(listed[0]["removed_at"], r"^\d{4}-\d\d-\d\dT")
        self.assertEqual(len(self.deliveries(hook["id"])), 1)
        r = admin.post(path + "/test")
        self.assertError(r, 409, "conflict")
        self.report("Phishing wave after the webhook was removed")
        self.assertEqual(rec.count(), 1)
        self.assertEqual(len(self.deliveries(hook["id"])), 1)

    def test_bad_input_is_refused_and_writes_nothing(self):
        admin = self.demo_client("admin", "punjab-cert")
        admin.get("/api/v1/me")  # its token exists before the snapshot
        cases = [
            ({"url": "ftp://files.example.org/x", "events": ["triage"]}, 422, "url"),
            ({"url": "file:///etc/passwd", "events": ["triage"]}, 422, "url"),
            ({"url": "not a url", "events": ["triage"]}, 422, "url"),
            ({"url": "https://", "events": ["triage"]}, 422, "url"),
            ({"url": "https://user:pw@hooks.example.org/", "events": ["triage"]}, 422, "url"),
            ({"url": "https://hooks.example.org/" + "a" * 2000, "events": ["*"]}, 422, "url"),
            ({"url": "https://hooks.example.org/\u0007", "events": ["*"]}, 422, "url"),
            ({"url": 7, "events": ["*"]}, 422, "url"),
            ({"events": ["*"]}, 422, "url"),
            ({"url": "https://hooks.example.org/", "events": ["bogus"]}, 422, "events"),
            ({"url": "https://hooks.example.org/", "events": ["ping"]}, 422, "events"),
            ({"url": "https://hooks.example.org/", "events": []}, 422, "events"),
            ({"url": "https://hooks.example.org/", "events": "triage"}, 422, "events"),
            ({"url": "https://hooks.example.org/", "events": ["triage", "triage"]}, 422,
             "events"),
            ({"url": "https://hooks.example.org/", "events": ["*", "triage"]}, 422, "events"),
            ({"url": "https://hooks.example.org/", "events": [1]}, 422, "events"),
            ({"url": "https://hooks.example.org/"}, 422, "events"),
            ({"url": "https://hooks.example.org/", "events": ["*"], "secret": "mine"}, 422,
             "secret"),
        ]
        before = db_snapshot(self.db)
        hooks = db_scalar(self.db, "SELECT count(*) FROM webhooks")
        for body, status, field in cases:
            with self.subTest(body=str(body)[:80]):
                r = admin.post(self.hooks_path(), body)
                self.assertEqual(r.status, status, r)
                self.assertEqual(r.error.get("field"), field, r)
        r = admin.post(self.hooks_path(), raw=b'{"url": "https://hooks.example.org/", "events": '
                       + b'["' + b"x" * (2 << 20) + b'"]}')
        self.assertEqual(r.status, 413, r)
        r = admin.patch("/api/v1/me", {"email_notify": "no"})
        self.assertEqual((r.status, r.error.get("field")), (422, "email_notify"), r)
        r = admin.patch("/api/v1/me", {})
        self.assertEqual((r.status, r.error.get("field")), (422, "email_notify"), r)
        self.assertEqual(db_snapshot(self.db), before, "a refused request wrote something")
        self.assertEqual(db_scalar(self.db, "SELECT count(*) FROM webhooks"), hooks)

    def test_only_the_orgs_own_admins_manage_its_webhooks(self):
        rec = self.receiver()
        hook = self.add_hook(rec.url())
        base = self.hooks_path()
        routes = [("GET", base, None), ("POST", base, {"url": rec.url(), "events": ["*"]}),
                  ("GET", base + "/%s/deliveries" % hook["id"], None),
                  ("POST", base + "/%s/test" % hook["id"], None),
                  ("DELETE", base + "/%s" % hook["id"], None)]
        callers = [  # who, status: 403 where the org is visible to the caller, else 404
            (("analyst", "punjab-cert"), 403),   # the org's own, not an admin
            (("reporter", "punjab-cert"), 403),
            (("admin", "ncert"), 403),           # above: sees the org, does not manage it
            (("admin", "pb-health"), 403),       # below: sees its parent CERT
            (("admin", "sindh-cert"), 404),      # a sibling branch: the org is not there
            (("admin", "sd-health"), 404),
        ]
        clients = [(self.demo_client(role, slug), role, slug, status)
                   for (role, slug), status in callers]
        before = db_snapshot(self.db)
        outbound = db_scalar(self.db, "SELECT count(*) FROM outbound")
        for c, role, slug, status in clients:
            for method, path, body in routes:
                with self.subTest(caller="%s@%s" % (role, slug), route=method + " " + path):
                    r = c.request(method, path, body) if body else c.request(method, path)
                    self.assertEqual(r.status, status, r)
                    self.assertNotIn(hook["secret"].encode(), r.body)
        self.assertEqual(db_snapshot(self.db), before)
        self.assertEqual(db_scalar(self.db, "SELECT count(*) FROM outbound"), outbound)
        self.assertTrue(db_scalar(self.db, "SELECT enabled FROM webhooks WHERE id = ?",
                                  (hook["id"],)))
        # Another org's webhook is not found through this org's path, even by its own admin.
        sindh = self.add_hook(rec.url(), slug="sindh-cert")
        r = self.demo_client("admin", "punjab-cert").post(base + "/%s/test" % sindh["id"])
        self.assertEqual(r.status, 404, r)
        r = self.demo_client("admin", "punjab-cert").delete(base + "/" + sindh["id"])
        self.assertEqual(r.status, 404, r)


class TestPrivateAddresses(NotifyCase):
    """Without --webhooks-allow-private: no webhook reaches this machine or a private network."""

    def test_address_literals_are_refused_when_added(self):
        admin = self.demo_client("admin", "punjab-cert")
        before = db_snapshot(self.db)
        for url, why in (("http://127.0.0.1:9/x", "loopback"), ("http://10.1.2.3/x", "private"),
                         ("http://192.168.1.1/", "private"), ("http://[::1]:9/", "loopback"),
                         ("http://169.254.169.254/latest/meta-data", "link-local"),
                         ("http://[fd00::1]/", "private"), ("http://0.0.0.0/", "unspecified"),
                         ("http://[::ffff:127.0.0.1]/", "loopback")):
            with self.subTest(url=url):
                r = admin.post(self.hooks_path(), {"url": url, "events": ["*"]})
                self.assertError(r, 422, "invalid_field", "url", msg_has=why)
        self.assertEqual(db_snapshot(self.db), before)

    def test_a_name_that_resolves_to_loopback_is_refused_at_connect(self):
        rec = self.receiver()
        hook = self.add_hook(rec.url(host="localhost"))
        self.ping(hook["id"])
        msg = self.wait_tries(hook["id"], 1)
        self.assertEqual(msg["status"], "pending")
        err = msg["tries"][0]["error"]
        self.assertIn("refused to connect", err)
        self.assertIn("loopback", err)
        self.assertIn("--webhooks-allow-private", err)
        self.assertIsNone(msg["tries"][0]["status_code"])
        self.assertEqual(rec.count(), 0, "the request reached a loopback receiver")


def load_aiosmtpd():
    """aiosmtpd's Controller, or None. Debian's python3-aiosmtpd installs for Debian's Python; an
    interpreter of another build may find it there too (pure Python)."""
    try:
        from aiosmtpd.controller import Controller
        return Controller
    except ImportError:
        pass
    debian = "/usr/lib/python3/dist-packages"
    if os.path.isdir(os.path.join(debian, "aiosmtpd")) and debian not in sys.path:
        sys.path.append(debian)
        try:
            from aiosmtpd.controller import Controller
            return Controller
        except ImportError:
            pass
    return None


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Mailbox:
    """aiosmtpd's handler: keeps every message (envelope and raw bytes)."""

    def __init__(self):
        self.messages = []
        self.logins = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.messages.append({"from": envelope.mail_from, "to": list(envelope.rcpt_tos),
                                  "data": envelope.original_content or envelope.content})
        return "250 OK"

    def got(self, n):
        with self.lock:
            return list(self.messages) if len(self.messages) >= n else None


SMTP_USER, SMTP_PASSWORD = "rabta-mailer", "mail-pass-2026"


class TestEmail(NotifyCase):
    EXTRA = ()

    @classmethod
    def setUpClass(cls):
        cls.Controller = load_aiosmtpd()
        if cls.Controller is None:
            raise unittest.SkipTest("aiosmtpd is not installed (Debian: python3-aiosmtpd); the "
                                    "e-mail tests need it as their mail receiver")
        super().setUpClass()

    @classmethod
    def prepare_db(cls):
        from aiosmtpd.smtp import AuthResult
        # The receiver's own chatter: plain-text AUTH is what this loopback test wants.
        logging.getLogger("mail.log").setLevel(logging.ERROR)
        warnings.filterwarnings("ignore", message=".*login_data is deprecated")
        warnings.filterwarnings("ignore", message="Requiring AUTH while not requiring TLS")
        cls.mailbox = Mailbox()

        def authenticate(server, session, envelope, mechanism, auth_data):
            ok = auth_data.login == SMTP_USER.encode() and auth_data.password == \
                SMTP_PASSWORD.encode()
            cls.mailbox.logins.append((mechanism, auth_data.login, ok))
            return AuthResult(success=ok)

        port = free_port()
        cls.smtpd = cls.Controller(cls.mailbox, hostname="127.0.0.1", port=port,
                                   authenticator=authenticate, auth_require_tls=False,
                                   auth_required=True)
        cls.smtpd.start()
        pw = os.path.join(cls.tmp, "smtp-password")
        with open(pw, "w") as f:
            f.write(SMTP_PASSWORD + "\n")
        cls.EXTRA = ("--smtp-url", "smtp://127.0.0.1:%d" % port, "--smtp-from",
                     "rabta@cert.example", "--smtp-user", SMTP_USER, "--smtp-password-file", pw,
                     "--webhooks-allow-private")
        super().prepare_db()

    @classmethod
    def tearDownClass(cls):
        try:
            super().tearDownClass()
        finally:
            cls.smtpd.stop()

    def mails_since(self, n, count):
        return poll(lambda: (lambda m: m[n:] if m and len(m) >= n + count else None)(
            self.mailbox.got(n + count)), "%d e-mails" % count)

    def test_the_cert_people_who_want_mail_get_one_each(self):
        analyst = self.demo_client("analyst", "punjab-cert")
        me = analyst.get("/api/v1/me").json
        self.assertIs(me["user"]["email_notify"], True)
        r = analyst.patch("/api/v1/me", {"email_notify": False})
        self.assertEqual(r.status, 200, r)
        self.assertIs(r.json["user"]["email_notify"], False)
        self.assertIs(analyst.get("/api/v1/me").json["user"]["email_notify"], False)
        self.addCleanup(lambda: analyst.patch("/api/v1/me", {"email_notify": True}))
        audit = self.demo_client("admin", "punjab-cert").get(
            "/api/v1/audit?action=user.email_notify").json["items"]
        self.assertEqual(audit[0]["actor"], demo_email("analyst", "punjab-cert"))

        start = len(self.mailbox.got(0))
        title = "Ransomware – سرور of the Lahore clinic"
        inc = self.report(title)
        mails = self.mails_since(start, 2)
        want = {demo_email("admin", "punjab-cert"), demo_email("reporter", "punjab-cert")}
        self.assertEqual({t for m in mails for t in m["to"]}, want)
        for m in mails:
            self.assertEqual(m["from"], "rabta@cert.example")
            raw = m["data"]
            self.assertNotIn(b"\n", raw.replace(b"\r\n", b""), "a line does not end in CRLF")
            self.assertTrue(all(len(line) <= 998 for line in raw.split(b"\r\n")))
            subject_raw = re.search(rb"^Subject: (.*(?:\r\n .*)*)", raw, re.M).group(1)
            self.assertIn(b"=?UTF-8?B?", subject_raw)  # RFC 2047: the title is not ASCII
            msg = email.message_from_bytes(raw, policy=email.policy.default)
            self.assertEqual(msg["Subject"], "[rabta] New incident to triage: " + title)
            self.assertEqual(msg["To"], m["to"][0])
            self.assertEqual(msg["From"].addresses[0].addr_spec, "rabta@cert.example")
            self.assertRegex(msg["Message-ID"], r"^<[0-9a-f-]{36}@cert\.example>$")
            self.assertIsNotNone(msg["Date"].datetime)
            self.assertEqual(msg["MIME-Version"], "1.0")
            self.assertEqual(msg.get_content_type(), "text/plain")
            self.assertEqual(msg.get_content_charset(), "utf-8")
            text = msg.get_content()
            self.assertIn("New incident to triage", text)
            self.assertIn("Incident: " + title, text)
            self.assertIn("https://rabta.example/#/incidents/" + inc["id"], text)
        self.assertTrue([1 for _, login, ok in self.mailbox.logins
                         if login == SMTP_USER.encode() and ok], self.mailbox.logins)
        ids = {email.message_from_bytes(m["data"])["Message-ID"] for m in mails}
        self.assertEqual(len(ids), 2, "each e-mail is its own message")
        # The SMTP server has both; the sender records each delivery just after its server said
        # yes, so the rows are read once both are recorded (or as they stand at the deadline).
        def recorded():
            rows = db_query(self.db, "SELECT status, attempts FROM outbound WHERE channel = "
                            "'email' AND body LIKE ?", ("%" + inc["id"] + "%",))
            return rows if all(st != "pending" for st, _ in rows) else None
        rows = poll(recorded, "both e-mails recorded")
        self.assertEqual(sorted(rows), [("delivered", 1), ("delivered", 1)])

    def test_a_red_incident_is_never_named_outside(self):
        rec = self.receiver()
        hook = self.add_hook(rec.url())
        start = len(self.mailbox.got(0))
        title = "Minister's mailbox compromised RED-SECRET-7731"
        inc = self.report(title, tlp="RED")
        self.assertEqual(inc["tlp"], "RED")
        req = poll(lambda: rec.got(1), "the webhook POST")[0]
        mails = self.mails_since(start, 3)  # admin, analyst and reporter of Punjab CERT
        event = json.loads(req["body"])
        self.assertEqual(event["object"]["id"], inc["id"])
        self.assertEqual(event["object"]["tlp"], "RED")
        self.assertIsNone(event["object"]["name"])
        self.assertNotIn(b"RED-SECRET-7731", req["body"])
        for m in mails:
            self.assertNotIn(b"RED-SECRET-7731", m["data"])
            msg = email.message_from_bytes(m["data"], policy=email.policy.default)
            self.assertNotIn("RED-SECRET", msg["Subject"])
            self.assertIn("sign in to read it", msg["Subject"])
            self.assertIn("TLP:RED", msg.get_content())
            self.assertIn(inc["id"], msg.get_content())
        # A task whose title quotes it: the item's sentence stays inside too.
        inst = self.receiver()
        self.add_hook(inst.url(), events=("task",), slug="pb-health")
        start = len(self.mailbox.got(0))
        r = self.demo_client("analyst", "punjab-cert").post(
            "/api/v1/incidents/%s/tasks" % inc["id"],
            {"title": "Reset RED-SECRET-7731 credentials", "assignee_org_id":
             self.org_of("pb-health")})
        self.assertEqual(r.status, 201, r)
        req = poll(lambda: inst.got(1), "the task POST")[0]
        event = json.loads(req["body"])
        self.assertEqual((event["kind"], event["object"]["id"]), ("task", inc["id"]))
        self.assertIsNone(event["detail"])
        self.assertNotIn(b"RED-SECRET", req["body"])
        for m in self.mails_since(start, 3):  # the institution's admin, analyst and reporter
            self.assertNotIn(b"RED-SECRET", m["data"])
        # The control: the same incident at AMBER is named (the check above can fail).
        self.report("Named incident AMBER-VISIBLE-55")
        req = poll(lambda: rec.got(2), "the second POST")[1]
        self.assertIn(b"AMBER-VISIBLE-55", req["body"])
        self.assertEqual(json.loads(req["body"])["detail"],
                         "Reported by Punjab Health Services Directorate")
        self.wait_tries(hook["id"], 1)


if __name__ == "__main__":
    unittest.main()
