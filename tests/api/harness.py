"""harness.py - what every API test needs: the rabta binary, databases, a server, a client.

The tests are black-box: they run the real `rabta` binary (path from the RABTA_BIN environment
variable, set by run.py; default ../../build/rabta next to this file), talk HTTP to it, and read the
database file only read-only, to prove that a refused request wrote nothing.

Every server a test starts is stopped with SIGTERM (or SIGINT) and must exit 0; its stderr must
carry no sanitizer report. Standard library only.
"""

import atexit
import csv
import http.client
import io
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import tempfile
import time
import unittest
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))

DEMO_PASSWORD = "rabta-demo-2026"
DEMO_DOMAIN = "rabta.test"
SANITIZER_MARKERS = ("ERROR: AddressSanitizer", "runtime error:", "LeakSanitizer")

# Seconds to wait for a server to print its address or to stop. Generous: sanitizer builds are
# slow. These are deadlines for liveness, never measurements.
START_DEADLINE = 60
STOP_DEADLINE = 20

UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
RFC3339_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")
TOKEN_RE = re.compile(r"^rbt_[0-9a-f]{64}$")
HEX64_RE = re.compile(r"^[0-9a-f]{64}$")

ORG_KEYS = {"id", "parent_id", "kind", "name", "short_name", "province", "sector", "cii",
            "cii_grade", "cii_review_date", "depth", "children", "created_at", "updated_at"}
USER_KEYS = {"id", "email", "name", "role", "org_id", "org_name", "disabled", "created_at"}


def rabta_bin():
    return os.environ.get("RABTA_BIN") or os.path.join(REPO, "build", "rabta")


def demo_email(role, slug):
    return "%s@%s.%s" % (role, slug, DEMO_DOMAIN)


def sanitizer_lines(text):
    """Lines of text that are sanitizer reports (empty when clean)."""
    return [l for l in text.splitlines() if any(m in l for m in SANITIZER_MARKERS)]


def assert_no_sanitizer(text, what):
    bad = sanitizer_lines(text)
    if bad:
        raise AssertionError("%s reported sanitizer errors:\n%s" % (what, "\n".join(bad[:20])))


def run_cli(*args, input=None, timeout=120):
    """Runs `rabta ARGS...`; returns the CompletedProcess (text mode). Fails the test on a
    sanitizer report, whatever the exit status."""
    p = subprocess.run([rabta_bin()] + [str(a) for a in args], input=input, capture_output=True,
                       text=True, timeout=timeout)
    assert_no_sanitizer(p.stderr, "rabta " + " ".join(str(a) for a in args))
    return p


def cli_ok(*args, input=None):
    """run_cli that must exit 0; returns stdout."""
    p = run_cli(*args, input=input)
    if p.returncode != 0:
        raise AssertionError("rabta %s exited %d\nstdout: %s\nstderr: %s"
                             % (" ".join(str(a) for a in args), p.returncode, p.stdout, p.stderr))
    return p.stdout


# ---- an OpenPGP signing key (the CSAF provider's signatures) ----

_signing = None


def signing_key():
    """(GnuPG home, fingerprint) of a passphrase-less OpenPGP signing key, made once per process
    with gpg in a short folder of its own (its agent is stopped at exit); None without gpg."""
    global _signing
    if _signing is None:
        if not shutil.which("gpg"):
            _signing = False
            return None
        home = tempfile.mkdtemp(prefix="rg", dir="/tmp")
        os.chmod(home, 0o700)
        gpg = ["gpg", "--batch", "--homedir", home]
        subprocess.run(gpg + ["--passphrase", "", "--quick-gen-key", "rabta tests <csaf@rabta.test>",
                              "ed25519", "sign", "never"], check=True, capture_output=True,
                       timeout=60)
        out = subprocess.run(gpg + ["--list-secret-keys", "--with-colons"], check=True,
                             capture_output=True, text=True, timeout=60).stdout
        fpr = [l.split(":")[9] for l in out.splitlines() if l.startswith("fpr:")][0]

        def stop():
            subprocess.run(["gpgconf", "--homedir", home, "--kill", "all"], capture_output=True)
            shutil.rmtree(home, True)
        atexit.register(stop)
        _signing = (home, fpr)
    return _signing or None


def signing_args():
    """The rabta serve options that sign the CSAF provider's files with signing_key()."""
    k = signing_key()
    return ("--csaf-signing-key", k[1], "--gnupg-home", k[0]) if k else ()


# ---- databases ----

_scratch = None
_demo_template = None


def scratch_dir():
    """A directory for this test process, removed at exit."""
    global _scratch
    if _scratch is None:
        _scratch = tempfile.mkdtemp(prefix="rabta-api-")
        atexit.register(shutil.rmtree, _scratch, True)
    return _scratch


def make_demo_db(path):
    """Creates the demo database (47 orgs, 142 users) at path. Seeded once per process, then
    copied (the seeded file is closed, so it is a complete database on its own)."""
    global _demo_template
    if _demo_template is None:
        t = os.path.join(scratch_dir(), "demo-template.db")
        cli_ok("demo", "--db", t, "--seed-only")
        for suffix in ("-wal", "-shm"):
            if os.path.exists(t + suffix):
                raise AssertionError("rabta demo --seed-only left %s behind" % (t + suffix))
        _demo_template = t
    shutil.copyfile(_demo_template, path)
    return path


FRESH_ADMIN = "admin@x.test"
FRESH_PASSWORD = "long-password-1"


def make_fresh_db(path, national="National CERT", email=FRESH_ADMIN, password=FRESH_PASSWORD):
    """`rabta init`: a database with only the National CERT and its admin."""
    cli_ok("init", "--db", path, "--national-name", national, "--admin-email", email,
           "--password-stdin", input=password)
    return path


def db_connect_ro(path):
    """A read-only connection to the database file (never writes, even the WAL index)."""
    uri = "file:%s?mode=ro" % urllib.parse.quote(os.path.abspath(path))
    return sqlite3.connect(uri, uri=True, timeout=30)


def db_query(path, sql, params=()):
    con = db_connect_ro(path)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def db_scalar(path, sql, params=()):
    return db_query(path, sql, params)[0][0]


def csv_file(header, rows):
    """A CSV file as a client writes one (CRLF line ends): the header, then the rows."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(header)
    w.writerows(rows)
    return out.getvalue()


SNAPSHOT_TABLES = ("audit_log", "users", "orgs", "org_closure", "api_tokens", "sessions")


def db_snapshot(path, tables=SNAPSHOT_TABLES):
    """Row counts of the tables a write would touch, plus the newest audit entry and the
    newest update time of users and orgs (an UPDATE changes no count)."""
    con = db_connect_ro(path)
    try:
        snap = {t: con.execute("SELECT count(*) FROM %s" % t).fetchone()[0] for t in tables}
        snap["audit_head"] = con.execute("SELECT max(seq) FROM audit_log").fetchone()[0]
        snap["users_updated"] = con.execute("SELECT max(updated_at) FROM users").fetchone()[0]
        snap["orgs_updated"] = con.execute("SELECT max(updated_at) FROM orgs").fetchone()[0]
        snap["tokens_revoked"] = con.execute(
            "SELECT count(*) FROM api_tokens WHERE revoked_at IS NOT NULL").fetchone()[0]
        return snap
    finally:
        con.close()


# ---- server ----

class Server:
    """One `rabta serve` process on 127.0.0.1 and an ephemeral port."""

    def __init__(self, db, workdir, extra_args=(), name="server"):
        self.db = db
        self.workdir = workdir
        self.extra_args = list(extra_args)
        self.out_path = os.path.join(workdir, name + ".stdout")
        self.err_path = os.path.join(workdir, name + ".stderr")
        self.proc = None
        self.port = None
        self.returncode = None

    def start(self):
        out = open(self.out_path, "wb")
        err = open(self.err_path, "wb")
        try:
            self.proc = subprocess.Popen(
                [rabta_bin(), "serve", "--db", self.db, "--listen", "127.0.0.1:0"]
                + self.extra_args, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        finally:
            out.close()
            err.close()
        deadline = time.monotonic() + START_DEADLINE
        while True:
            with open(self.out_path, "rb") as f:
                first = f.readline()
            if first.endswith(b"\n"):
                break
            if self.proc.poll() is not None:
                raise AssertionError("rabta serve exited %d before serving:\n%s"
                                     % (self.proc.returncode, self.stderr()))
            if time.monotonic() > deadline:
                self.kill()
                raise AssertionError("rabta serve printed no address:\n%s" % self.stderr())
            time.sleep(0.02)
        m = re.match(r"^rabta is serving at http://127\.0\.0\.1:(\d+)\n$", first.decode())
        if not m:
            self.stop()
            raise AssertionError("unexpected first stdout line: %r" % first)
        self.port = int(m.group(1))
        return self

    def stderr(self):
        with open(self.err_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def kill(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def stop(self, sig=signal.SIGTERM):
        """Sends sig and waits; returns the exit status (None if it had to be killed)."""
        if self.proc is None:
            return self.returncode
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=STOP_DEADLINE)
            except subprocess.TimeoutExpired:
                self.kill()
                self.returncode = None
                self.proc = None
                return None
        self.returncode = self.proc.returncode
        self.proc = None
        return self.returncode

    def stop_and_check(self, sig=signal.SIGTERM):
        """Stops the server; raises AssertionError unless it exited 0 with a clean stderr."""
        rc = self.stop(sig)
        assert_no_sanitizer(self.stderr(), "rabta serve")
        if rc != 0:
            raise AssertionError("rabta serve did not exit 0 after %s (status %r):\n%s"
                                 % (signal.Signals(sig).name, rc, self.stderr()[-4000:]))

    def wait_for_log(self, pattern, deadline=10):
        """The first stderr line matching the regex pattern, waiting for it to be written (the
        access log is written after the response is sent). None if it never comes."""
        rx = re.compile(pattern)
        end = time.monotonic() + deadline
        while True:
            for line in self.stderr().splitlines():
                if rx.search(line):
                    return line
            if time.monotonic() > end:
                return None
            time.sleep(0.02)


# ---- client ----

class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body
        self.json = None
        ctype = headers.get("Content-Type", "") or ""
        if body and ctype.startswith("application/json"):
            try:
                self.json = json.loads(body.decode("utf-8"))
            except ValueError:
                self.json = None

    def header(self, name):
        return self.headers.get(name)

    @property
    def error(self):
        """The {"code","message","field"?} of an error response, or {}."""
        if isinstance(self.json, dict) and isinstance(self.json.get("error"), dict):
            return self.json["error"]
        return {}

    def __repr__(self):
        return "<Response %d %s>" % (self.status, self.body[:300])


_NO_BODY = object()
ANY = object()  # assertError: any field, or none


class Client:
    """A caller: anonymous, a bearer token, or a cookie session (with its CSRF token)."""

    def __init__(self, port, token=None):
        self.port = port
        self.token = token
        self.cookie = None
        self.csrf = None
        self.user = None

    def request(self, method, path, body=_NO_BODY, raw=None, headers=None, csrf=True,
                auth=True):
        """Sends one request. body is encoded as JSON; raw is sent as the exact bytes. Returns a
        Response (status, headers, body, json)."""
        h = {}
        data = None
        if raw is not None:
            data = raw if isinstance(raw, bytes) else raw.encode("utf-8")
        elif body is not _NO_BODY:
            data = json.dumps(body).encode("utf-8")
        if data is not None:
            h["Content-Type"] = "application/json"
        if auth and self.token:
            h["Authorization"] = "Bearer " + self.token
        if auth and self.cookie:
            h["Cookie"] = "rabta_session=" + self.cookie
        if auth and csrf and self.csrf and method not in ("GET", "HEAD"):
            h["X-CSRF-Token"] = self.csrf
        for k, v in (headers or {}).items():
            if v is None:
                h.pop(k, None)
            else:
                h[k] = v
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            conn.request(method, path, body=data, headers=h)
            resp = conn.getresponse()
            body_bytes = resp.read()
            return Response(resp.status, resp.headers, body_bytes)
        finally:
            conn.close()

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=_NO_BODY, **kw):
        return self.request("POST", path, body, **kw)

    def patch(self, path, body=_NO_BODY, **kw):
        return self.request("PATCH", path, body, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)

    def sign_in(self, email, password=DEMO_PASSWORD):
        """POST /api/v1/session; on 201 keeps the cookie and the CSRF token."""
        r = self.request("POST", "/api/v1/session", {"email": email, "password": password},
                         auth=False)
        if r.status == 201:
            self.cookie = cookie_value(r)
            self.csrf = r.json["csrf_token"]
            self.user = r.json["user"]
        return r

    def list_all(self, path, limit=None):
        """Follows next_cursor through every page of a list; returns (items, pages)."""
        items, pages = [], []
        cursor = None
        sep = "&" if "?" in path else "?"
        while True:
            q = []
            if limit is not None:
                q.append("limit=%d" % limit)
            if cursor is not None:
                q.append("cursor=" + urllib.parse.quote(cursor))
            r = self.get(path + (sep + "&".join(q) if q else ""))
            if r.status != 200:
                raise AssertionError("GET %s: %r" % (path, r))
            pages.append(r.json["items"])
            items.extend(r.json["items"])
            cursor = r.json["next_cursor"]
            if cursor is None:
                return items, pages
            if len(pages) > 1000:
                raise AssertionError("GET %s: the cursor never ends" % path)


def cookie_value(resp):
    """The rabta_session value set by a response, or None."""
    sc = resp.header("Set-Cookie") or ""
    m = re.match(r"^rabta_session=([^;]*)", sc)
    return m.group(1) if m else None


# ---- test case base ----

class ServerCase(unittest.TestCase):
    """A test class sharing one server over its own copy of a database.

    DB = "demo" (the demo hierarchy) or "fresh" (rabta init). SERVE_ARGS are extra serve options.
    """

    DB = "demo"
    SERVE_ARGS = ("--threads", "4")
    maxDiff = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tmp = tempfile.mkdtemp(prefix=cls.__name__ + "-", dir=scratch_dir())
        cls.db = os.path.join(cls.tmp, "rabta.db")
        cls._tokens = {}
        cls._people = None
        cls.server = None
        try:
            if cls.DB == "demo":
                make_demo_db(cls.db)
            else:
                make_fresh_db(cls.db)
            cls.prepare_db()
            cls.server = Server(cls.db, cls.tmp, cls.SERVE_ARGS).start()
            cls.port = cls.server.port
            cls.prepare()
        except BaseException:
            if cls.server:
                cls.server.stop()
            raise

    @classmethod
    def prepare_db(cls):
        """Hook: change the database before the server starts."""

    @classmethod
    def prepare(cls):
        """Hook: runs once the server is up."""

    @classmethod
    def tearDownClass(cls):
        try:
            if cls.server:
                cls.server.stop_and_check()
        finally:
            shutil.rmtree(cls.tmp, True)
            super().tearDownClass()

    # -- helpers --

    @classmethod
    def token(cls, email):
        """A bearer token for email, made with `rabta token create` (cached per class)."""
        if email not in cls._tokens:
            tok = cli_ok("token", "create", "--db", cls.db, "--user", email,
                         "--name", "api-tests").strip()
            if not TOKEN_RE.match(tok):
                raise AssertionError("rabta token create printed %r" % tok)
            cls._tokens[email] = tok
        return cls._tokens[email]

    @classmethod
    def client(cls, email=None):
        """A Client acting as email (bearer token), or anonymous when email is None."""
        return Client(cls.port, cls.token(email) if email else None)

    @classmethod
    def demo_client(cls, role, slug):
        """A Client acting as the demo user with role at the org slug ("admin", "punjab-cert")."""
        return cls.client(demo_email(role, slug))

    @classmethod
    def people(cls, refresh=False):
        """email -> {id, org_id, org_name, role, ...} from `rabta user list --json`."""
        if cls._people is None or refresh:
            rows = json.loads(cli_ok("user", "list", "--db", cls.db, "--json"))
            cls._people = {r["email"]: r for r in rows}
        return cls._people

    @classmethod
    def user_id(cls, email):
        p = cls.people()
        if email not in p:
            p = cls.people(refresh=True)
        return p[email]["id"]

    @classmethod
    def org_of(cls, slug):
        """The org id of a demo org, found through its admin's account."""
        return cls.people()[demo_email("admin", slug)]["org_id"]

    def snapshot(self):
        return db_snapshot(self.db)

    def assertNothingWritten(self, before, what=""):
        self.assertEqual(db_snapshot(self.db), before, "something was written " + what)

    def assertError(self, r, status, code, field=ANY, msg_has=None):
        """r is the error response {status, code[, field]}; its message is a real sentence.
        field: the field it must name, None when it must name none, ANY when either is fine."""
        self.assertEqual(r.status, status, r)
        err = r.error
        self.assertEqual(err.get("code"), code, r)
        msg = err.get("message")
        self.assertIsInstance(msg, str, r)
        self.assertGreaterEqual(len(msg.strip()), 8, "the message should say what to fix: %r" % r)
        if field is None:
            self.assertNotIn("field", err, r)
        elif field is not ANY:
            self.assertEqual(err.get("field"), field, r)
        if msg_has:
            self.assertIn(msg_has, msg, r)
        self.assertEqual(set(r.json.keys()), {"error"}, r)
        self.assertLessEqual(set(err.keys()), {"code", "message", "field"}, r)
        return err
