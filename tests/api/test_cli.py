"""The command line: help for every command, the operator's story from an empty database to a
working token, JSON output, and errors that go to stderr with a non-zero exit."""

import json
import os
import re
import tempfile
import unittest
import uuid

from harness import (Server, Client, run_cli, cli_ok, scratch_dir, make_demo_db, db_scalar,
                     TOKEN_RE, UUID_RE)

# Options each command must offer (the ones its job cannot do without).
EXPECTED_OPTIONS = {
    "init": ["--db", "--national-name", "--admin-email", "--password-stdin"],
    "serve": ["--db", "--listen", "--quiet", "--csaf-signing-key", "--gnupg-home"],
    "demo": ["--db", "--listen", "--seed-only"],
    "org add": ["--db", "--parent", "--kind", "--name", "--province", "--sector", "--json"],
    "org list": ["--db", "--json"],
    "org show": ["--db", "--json"],
    "user add": ["--db", "--org", "--email", "--role", "--password-stdin"],
    "user list": ["--db", "--org", "--json"],
    "user passwd": ["--db", "--email", "--password-stdin"],
    "user disable": ["--db", "--email", "--enable"],
    "token create": ["--db", "--user", "--name", "--days"],
    "token list": ["--db", "--user"],
    "token revoke": ["--db"],
    "audit verify": ["--db"],
    "audit list": ["--db", "--limit"],
    "import oscal": ["--db", "--tlp", "--catalog", "--applies-kinds", "--json"],
    "import incidents": ["--db", "--format", "--skip-bad", "--dry-run", "--json"],
    "import csaf": ["--db", "--tlp", "--json"],
    "inventory import": ["--db", "--org", "--replace", "--json"],
    "catalog list": ["--db", "--json"],
    "catalog export": ["--db"],
    "csaf validate": ["--optional", "--json"],
    "profile export": ["--db"],
    "profile resolve": ["--db"],
    "routes": ["--json"],
    "version": [],
}


def listed_commands():
    """The commands `rabta --help` lists, e.g. ["init", "org add", ...]."""
    out = cli_ok("--help")
    cmds = []
    in_list = False
    for line in out.splitlines():
        if line.strip() == "commands:":
            in_list = True
            continue
        if in_list:
            m = re.match(r"^  ([a-z]+(?: [a-z]+)?) {2,}\S", line)
            if m:
                cmds.append(m.group(1))
            elif line.strip() == "":
                in_list = False
    return cmds


class TestHelp(unittest.TestCase):

    def test_top_level_help(self):
        p = run_cli("--help")
        self.assertEqual(p.returncode, 0)
        self.assertTrue(p.stdout.startswith("usage: rabta"), p.stdout)
        self.assertEqual(p.stderr, "")
        cmds = listed_commands()
        self.assertEqual(sorted(cmds), sorted(EXPECTED_OPTIONS))
        for alias in ("-h", "help"):
            self.assertEqual(run_cli(alias).stdout, p.stdout)

    def test_every_command_has_help_naming_its_options(self):
        for cmd in listed_commands():
            with self.subTest(cmd=cmd):
                p = run_cli(*cmd.split(), "--help")
                self.assertEqual(p.returncode, 0, p.stderr)
                self.assertEqual(p.stderr, "")
                self.assertTrue(p.stdout.startswith("usage: rabta " + cmd), p.stdout)
                self.assertIn("--help", p.stdout)
                for opt in EXPECTED_OPTIONS.get(cmd, []):
                    self.assertRegex(p.stdout, r"(?m)^  %s\b" % re.escape(opt), opt)
                # Each option is described, not just named.
                for line in p.stdout.splitlines():
                    m = re.match(r"^  (--[a-z-]+)", line)
                    if m:
                        self.assertGreater(len(line.split(None, 2)), 1, line)

    def test_group_help_lists_subcommands(self):
        for group, subs in (("org", ["add", "list", "show"]),
                            ("user", ["add", "list", "passwd", "disable"]),
                            ("token", ["create", "list", "revoke"]),
                            ("audit", ["verify", "list"]),
                            ("import", ["oscal", "incidents"])):
            with self.subTest(group=group):
                p = run_cli(group, "--help")
                self.assertEqual(p.returncode, 0)
                for s in subs:
                    self.assertRegex(p.stdout, r"(?m)^  %s\b" % s)
                p = run_cli(group)
                self.assertNotEqual(p.returncode, 0)
                self.assertEqual(p.stdout, "")
                self.assertIn("subcommand", p.stderr)

    def test_version(self):
        out = cli_ok("version")
        self.assertRegex(out, r"^rabta \d+\.\d+\.\d+ \(database schema \d+\)\n$")
        self.assertEqual(cli_ok("--version"), out)


class TestOperatorStory(unittest.TestCase):
    """From nothing to a token that works against a server, with the CLI alone."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(dir=scratch_dir())
        self.db = os.path.join(self.tmp, "ops.db")

    def test_init_org_user_token_and_serve(self):
        out = cli_ok("init", "--db", self.db, "--national-name", "National CERT",
                     "--admin-email", "Chief@NCERT.example.org", "--password-stdin",
                     input="chief-password-01\n")
        self.assertIn("created", out)
        orgs = json.loads(cli_ok("org", "list", "--db", self.db, "--json"))
        self.assertEqual(len(orgs), 1)
        root = orgs[0]
        self.assertEqual((root["name"], root["kind"], root["parent_id"]),
                         ("National CERT", "national_cert", None))
        self.assertIn(root["id"], out)

        cert = json.loads(cli_ok("org", "add", "--db", self.db, "--parent", root["id"], "--kind",
                                 "provincial_cert", "--name", "Punjab CERT", "--short-name",
                                 "PB-CERT", "--province", "punjab", "--sector", "government",
                                 "--json"))
        self.assertRegex(cert["id"], UUID_RE)
        self.assertEqual((cert["name"], cert["kind"], cert["parent_id"], cert["province"]),
                         ("Punjab CERT", "provincial_cert", root["id"], "punjab"))
        inst = json.loads(cli_ok("org", "add", "--db", self.db, "--parent", cert["id"], "--kind",
                                 "institution", "--name", "Lahore Water Board", "--sector",
                                 "water", "--cii-grade", "2", "--cii-review-date", "2027-06-30",
                                 "--json"))
        self.assertEqual((inst["cii"], inst["cii_grade"], inst["cii_review_date"], inst["depth"]),
                         (True, 2, "2027-06-30", 2))
        # Plain output names what was created.
        out = cli_ok("org", "add", "--db", self.db, "--parent", cert["id"], "--kind",
                     "institution", "--name", "Punjab Finance Department")
        self.assertIn("Punjab Finance Department", out)

        orgs = json.loads(cli_ok("org", "list", "--db", self.db, "--json"))
        self.assertEqual([(o["name"], o["kind"]) for o in orgs],
                         [("National CERT", "national_cert"), ("Punjab CERT", "provincial_cert"),
                          ("Lahore Water Board", "institution"),
                          ("Punjab Finance Department", "institution")])
        for o in orgs:
            self.assertLessEqual({"id", "name", "kind", "parent_id"}, set(o))
        parents = {o["name"]: o["parent_id"] for o in orgs}
        self.assertEqual(parents["Lahore Water Board"], cert["id"])
        self.assertEqual(parents["Punjab CERT"], root["id"])
        shown = json.loads(cli_ok("org", "show", inst["id"], "--db", self.db, "--json"))
        self.assertEqual((shown["id"], shown["name"]), (inst["id"], "Lahore Water Board"))
        self.assertIn("Lahore Water Board", cli_ok("org", "show", inst["id"], "--db", self.db))
        only = json.loads(cli_ok("org", "list", "--db", self.db, "--json", "--kind",
                                 "institution"))
        self.assertEqual(len(only), 2)

        out = cli_ok("user", "add", "--db", self.db, "--org", inst["id"], "--email",
                     "admin@lwb.example.org", "--name", "LWB Admin", "--role", "admin",
                     "--password-stdin", input="lwb-admin-password\n")
        self.assertIn("admin@lwb.example.org", out)
        users = json.loads(cli_ok("user", "list", "--db", self.db, "--json"))
        self.assertEqual(sorted(u["email"] for u in users),
                         ["admin@lwb.example.org", "chief@ncert.example.org"])
        tok = cli_ok("token", "create", "--db", self.db, "--user", "admin@lwb.example.org",
                     "--name", "ops").strip()
        self.assertRegex(tok, TOKEN_RE)
        listed = cli_ok("token", "list", "--db", self.db, "--user", "admin@lwb.example.org")
        self.assertIn(tok[:12], listed)
        self.assertNotIn(tok[12:], listed)

        s = Server(self.db, self.tmp).start()
        try:
            c = Client(s.port, tok)
            r = c.get("/api/v1/me")
            self.assertEqual(r.status, 200, r)
            self.assertEqual(r.json["user"]["email"], "admin@lwb.example.org")
            self.assertEqual(r.json["user"]["name"], "LWB Admin")
            self.assertEqual(r.json["user"]["role"], "admin")
            self.assertEqual(r.json["org"]["id"], inst["id"])
            r = c.get("/api/v1/orgs")
            self.assertEqual([o["name"] for o in r.json["items"]],
                             ["National CERT", "Punjab CERT", "Lahore Water Board"])
            # The National CERT's admin signs in with the password given to init.
            self.assertEqual(Client(s.port).sign_in("chief@ncert.example.org",
                                                    "chief-password-01").status, 201)
            # A token created while the server runs works at once; one revoked stops at once.
            t2 = json.loads(cli_ok("token", "create", "--db", self.db, "--user",
                                   "chief@ncert.example.org", "--json"))
            self.assertRegex(t2["token"], TOKEN_RE)
            c2 = Client(s.port, t2["token"])
            self.assertEqual(c2.get("/api/v1/me").status, 200)
            cli_ok("token", "revoke", t2["id"], "--db", self.db)
            self.assertEqual(c2.get("/api/v1/me").status, 401)
            # So does disabling a user from the CLI.
            cli_ok("user", "disable", "--db", self.db, "--email", "admin@lwb.example.org")
            self.assertEqual(c.get("/api/v1/me").status, 401)
        finally:
            s.stop_and_check()
        out = cli_ok("audit", "verify", "--db", self.db)
        self.assertIn("intact", out)

    def test_user_passwd_and_disable(self):
        make_demo_db(self.db)
        email = "reporter@pb-health.rabta.test"
        cli_ok("user", "passwd", "--db", self.db, "--email", email, "--password-stdin",
               input="set-from-the-cli\n")
        s = Server(self.db, self.tmp).start()
        try:
            self.assertEqual(Client(s.port).sign_in(email, "rabta-demo-2026").status, 401)
            self.assertEqual(Client(s.port).sign_in(email, "set-from-the-cli").status, 201)
            cli_ok("user", "disable", "--db", self.db, "--email", email)
            self.assertEqual(Client(s.port).sign_in(email, "set-from-the-cli").status, 401)
            cli_ok("user", "disable", "--db", self.db, "--email", email, "--enable")
            self.assertEqual(Client(s.port).sign_in(email, "set-from-the-cli").status, 201)
        finally:
            s.stop_and_check()


class TestCliOnTheDemo(unittest.TestCase):
    """Errors go to stderr, say what is wrong, exit non-zero, and write nothing; --json is JSON."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(dir=scratch_dir())
        cls.db = make_demo_db(os.path.join(cls.tmp, "demo.db"))

    def assertFails(self, *args, input=None, stderr_has=None):
        before = (db_scalar(self.db, "SELECT count(*) FROM audit_log"),
                  db_scalar(self.db, "SELECT count(*) FROM users"),
                  db_scalar(self.db, "SELECT count(*) FROM orgs"))
        p = run_cli(*args, input=input)
        self.assertNotEqual(p.returncode, 0, (args, p.stdout))
        self.assertEqual(p.stdout, "", args)
        self.assertTrue(p.stderr.startswith("rabta: "), p.stderr)
        self.assertNotIn("\n\n\n", p.stderr)
        if stderr_has:
            self.assertIn(stderr_has, p.stderr)
        after = (db_scalar(self.db, "SELECT count(*) FROM audit_log"),
                 db_scalar(self.db, "SELECT count(*) FROM users"),
                 db_scalar(self.db, "SELECT count(*) FROM orgs"))
        self.assertEqual(after, before, "%r wrote something" % (args,))
        return p

    def root(self):
        return json.loads(cli_ok("org", "list", "--db", self.db, "--json", "--kind",
                                 "national_cert"))[0]["id"]

    def assertUserAddFails(self, email, role, password, stderr_has=None):
        """`rabta user add` of email with role at the root, the password on stdin, fails."""
        return self.assertFails("user", "add", "--db", self.db, "--org", self.root(), "--email",
                                email, "--role", role, "--password-stdin", input=password,
                                stderr_has=stderr_has)

    def assertOrgAddFails(self, kind, name, *more, stderr_has=None):
        """`rabta org add` of name with kind below the root (and more options) fails."""
        return self.assertFails("org", "add", "--db", self.db, "--parent", self.root(), "--kind",
                                kind, "--name", name, *more, stderr_has=stderr_has)

    def test_unknown_org(self):
        missing = str(uuid.uuid4())
        self.assertFails("org", "show", missing, "--db", self.db, stderr_has=missing)
        self.assertFails("org", "show", "--db", self.db, stderr_has="ORG_ID")

    def test_short_password(self):
        self.assertUserAddFails("short@ncert.rabta.test", "analyst", "11-chars-pw\n",
                                stderr_has="12")
        self.assertUserAddFails("nopw@ncert.rabta.test", "analyst", "")

    def test_bad_values(self):
        self.assertUserAddFails("r@ncert.rabta.test", "king", "long-enough-password\n",
                                stderr_has="--role")
        self.assertUserAddFails("admin@ncert.rabta.test", "admin", "long-enough-password\n",
                                stderr_has="already exists")
        self.assertOrgAddFails("castle", "Bad Kind", stderr_has="--kind")
        self.assertOrgAddFails("institution", "Graded", "--cii-grade", "9",
                               stderr_has="--cii-grade")
        self.assertOrgAddFails("provincial_cert", "Punjab CERT", stderr_has="already exists")
        self.assertFails("token", "create", "--db", self.db, "--user", "nobody@nowhere.test",
                         stderr_has="nobody@nowhere.test")
        self.assertFails("token", "create", "--db", self.db, "--user", "admin@ncert.rabta.test",
                         "--days", "367", stderr_has="--days")
        self.assertFails("token", "revoke", str(uuid.uuid4()), "--db", self.db)
        self.assertFails("audit", "list", "--db", self.db, "--limit", "0", stderr_has="--limit")
        self.assertFails("serve", "--db", self.db, "--listen", "nonsense", stderr_has="listen")
        self.assertFails("serve", "--db", self.db, "--threads", "0", stderr_has="--threads")

    def test_usage_errors(self):
        p = self.assertFails("org", "list", "--db", self.db, "--bogus",
                             stderr_has='unknown option "--bogus"')
        self.assertEqual(p.returncode, 2)
        p = self.assertFails("org", "add", "--db", self.db, "--kind", "institution",
                             stderr_has="--parent is required")
        self.assertEqual(p.returncode, 2)
        p = self.assertFails("org", "show", "a", "b", "--db", self.db, stderr_has="unexpected")
        self.assertEqual(p.returncode, 2)
        p = self.assertFails("token", "create", "--db", self.db, "--user",
                             stderr_has="needs a value")
        self.assertEqual(p.returncode, 2)
        p = self.assertFails("frobnicate", stderr_has='unknown command "frobnicate"')
        self.assertEqual(p.returncode, 2)
        p = self.assertFails("version", "--json=1")
        self.assertEqual(p.returncode, 2)
        p = run_cli()
        self.assertEqual(p.returncode, 2)
        self.assertIn("usage", p.stderr)

    def test_missing_or_existing_database(self):
        missing = os.path.join(self.tmp, "missing.db")
        for args in (("org", "list"), ("serve",), ("audit", "verify"), ("user", "list"),
                     ("token", "create", "--user", "a@b.test")):
            with self.subTest(args=args):
                self.assertFails(*args, "--db", missing, stderr_has="missing.db")
                self.assertFalse(os.path.exists(missing))
        self.assertFails("init", "--db", self.db, "--national-name", "Again", "--admin-email",
                         "again@x.test", "--password-stdin", input="long-password-1\n",
                         stderr_has="already exists")
        bad = os.path.join(self.tmp, "bad-init.db")
        p = run_cli("init", "--db", bad, "--national-name", "N", "--admin-email", "not-an-email",
                    "--password-stdin", input="long-password-1\n")
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("--admin-email", p.stderr)
        self.assertFalse(os.path.exists(bad), "a failed init leaves no database behind")

    def test_json_output_is_json(self):
        # Every command that offers --json prints one JSON document with it.
        email = "admin@ncert.rabta.test"
        cases = [("org", "list"), ("org", "show", self.root()), ("user", "list"),
                 ("token", "list", "--user", email), ("audit", "list", "--limit", "3"),
                 ("audit", "verify"), ("routes",)]
        for args in cases:
            with self.subTest(args=args):
                db = () if args == ("routes",) else ("--db", self.db)
                out = cli_ok(*args, *db, "--json")
                try:
                    json.loads(out)
                except ValueError:
                    self.fail("rabta %s --json printed no JSON: %r" % (" ".join(args), out[:200]))


if __name__ == "__main__":
    unittest.main()
