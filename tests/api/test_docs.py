"""docs/api.md documents exactly the routes the server has: one `### METHOD PATH` heading each."""

import json
import os
import re
import unittest

from harness import REPO, cli_ok

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
API_MD = os.path.join(REPO, "docs", "api.md")


def route_table():
    return json.loads(cli_ok("routes", "--json"))


def doc_headings():
    """(method, path) of every route heading in docs/api.md, in order, and the route-like
    headings that are not exactly `### METHOD PATH`."""
    with open(API_MD, encoding="utf-8") as f:
        lines = f.read().splitlines()
    found, malformed = [], []
    in_code = False
    for line in lines:
        if line.startswith("```"):
            in_code = not in_code
            continue
        if in_code or not line.startswith("#"):
            continue
        m = re.match(r"^#+\s+(%s)\b(.*)$" % "|".join(METHODS), line)
        if not m:
            continue
        exact = re.match(r"^### (%s) (/\S*)$" % "|".join(METHODS), line)
        if exact:
            found.append((exact.group(1), exact.group(2)))
        else:
            malformed.append(line)
    return found, malformed


class TestDocs(unittest.TestCase):

    def test_routes_json_shape(self):
        routes = route_table()
        self.assertGreater(len(routes), 0)
        for r in routes:
            self.assertEqual(set(r), {"method", "path", "auth", "large_body", "kind", "perm", "who",
                                      "summary"}, r)
            self.assertIn(r["method"], METHODS)
            self.assertTrue(r["path"].startswith("/"), r)
            self.assertIsInstance(r["auth"], bool)
            self.assertTrue(r["summary"].strip(), r)
        pairs = [(r["method"], r["path"]) for r in routes]
        self.assertEqual(len(pairs), len(set(pairs)), "a route is listed twice")
        # The plain table lists the same routes.
        plain = cli_ok("routes").splitlines()
        self.assertEqual(len(plain), len(routes))
        for line, r in zip(plain, routes):
            self.assertEqual(line.split()[:2], [r["method"], r["path"]])
            self.assertEqual("[public]" in line, not r["auth"], line)

    def test_api_md_exists(self):
        self.assertTrue(os.path.isfile(API_MD), "docs/api.md is missing: it must list every route")

    def test_every_route_is_documented(self):
        if not os.path.isfile(API_MD):
            self.fail("docs/api.md is missing")
        documented, _ = doc_headings()
        missing = [r["method"] + " " + r["path"] for r in route_table()
                   if (r["method"], r["path"]) not in set(documented)]
        self.assertEqual(missing, [], "routes without a `### METHOD PATH` heading in docs/api.md")

    def test_every_documented_route_exists(self):
        if not os.path.isfile(API_MD):
            self.fail("docs/api.md is missing")
        documented, malformed = doc_headings()
        self.assertEqual(malformed, [], "route headings must be exactly `### METHOD PATH`")
        real = {(r["method"], r["path"]) for r in route_table()}
        extra = ["%s %s" % d for d in documented if d not in real]
        self.assertEqual(extra, [], "docs/api.md documents routes the server does not have")
        self.assertEqual(len(documented), len(set(documented)), "a route is documented twice")

    def test_docs_agree_on_what_a_password_change_ends(self):
        """Changing one's own password ends every other session of the user (core/user.c); the
        docs once disagreed (issue 6, case 10). Each doc says so and none says otherwise."""
        says = {"security.md": r"Changing one's own password ends every other session",
                "api.md": r"Every \*\*other\*\* session of the caller ends"}
        against = re.compile(r"password[^.]*(does not|doesn't|do not) end[^.]*session|"
                             r"other sessions? (stays?|remains?) (valid|signed in)", re.I)
        for name, rule in says.items():
            with open(os.path.join(REPO, "docs", name), encoding="utf-8") as f:
                text = re.sub(r"\s+", " ", f.read())
            with self.subTest(doc=name):
                self.assertRegex(text, rule)
                self.assertEqual(against.findall(text), [], "%s says a password change leaves "
                                 "other sessions signed in" % name)


if __name__ == "__main__":
    unittest.main()
