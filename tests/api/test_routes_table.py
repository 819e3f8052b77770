"""The route table is data (src/http/routes.txt): scripts/embed.py turns it into C rows at build
time and refuses a faulty table, naming the line, before the compiler sees it."""

import os
import subprocess
import sys
import tempfile
import unittest

from harness import REPO, cli_ok

EMBED = os.path.join(REPO, "scripts", "embed.py")
TABLE = os.path.join(REPO, "src", "http", "routes.txt")


def generate(text):
    """Runs `embed.py routes` on text: (exit status, the rows written, stderr)."""
    with tempfile.TemporaryDirectory() as d:
        src, out = os.path.join(d, "routes.txt"), os.path.join(d, "rows.h")
        with open(src, "w", encoding="utf-8") as f:
            f.write(text)
        p = subprocess.run([sys.executable, EMBED, "routes", out, src], capture_output=True,
                           text=True, timeout=60)
        rows = open(out, encoding="utf-8").read() if os.path.exists(out) else None
        return p.returncode, rows, p.stderr


GOOD = """# a comment
GET   /api/v1/things        list_things     -      read     any
    the things, "quoted" and a \\ backslash
POST  /api/v1/things/{id}   action_thing    thing  publish  owner  large
    change a thing
    over two lines
GET   /healthz              h_healthz       -      public   -
    liveness
"""


class TestRoutesTable(unittest.TestCase):

    def test_rows_from_a_table(self):
        rc, rows, err = generate(GOOD)
        self.assertEqual(rc, 0, err)
        lines = [l for l in rows.splitlines() if l.startswith("    {")]
        self.assertEqual(lines[0], '    {"GET", "/api/v1/things", h_list, ROUTE_AUTH, NULL, PERM_READ, '
                         'WHO_ANY, "the things, \\"quoted\\" and a \\\\ backslash", &list_things, '
                         'NULL, NULL},')
        self.assertEqual(lines[1], '    {"POST", "/api/v1/things/{id}", h_action, ROUTE_AUTH | '
                         'ROUTE_LARGE_BODY, &kind_thing, PERM_PUBLISH, WHO_OWNER, "change a thing '
                         'over two lines", NULL, NULL, &action_thing},')
        self.assertEqual(lines[2], '    {"GET", "/healthz", h_healthz, ROUTE_PUBLIC, NULL, '
                         'PERM_READ, WHO_ANY, "liveness", NULL, NULL, NULL},')
        self.assertEqual(len(lines), 3)

    def test_faults_name_the_line(self):
        route = "GET /x h_x - read any\n    a summary\n"
        cases = [
            ("FETCH /x h_x - read any\n    s\n", ":1: method FETCH"),
            ("GET x h_x - read any\n    s\n", ":1: pattern x"),
            ("GET /x h_x - read\n    s\n", ":1: a route is METHOD"),
            ("GET /x run_x - read any\n    s\n", ":1: answer run_x"),
            ("GET /x h_x Org read any\n    s\n", ":1: kind Org"),
            ("GET /x h_x - public any\n    s\n", ":1: a public route"),
            ("GET /x h_x - read -\n    s\n", ":1: a public route"),
            ("GET /x h_x - read any huge\n    s\n", ":1: flag huge"),
            ("GET /x h_x - read any\n", ":1: the route has no summary"),
            ("    s\n" + route, ":1: a summary line before any route"),
            (route + route, ":3: GET /x is already in the table"),
        ]
        for text, want in cases:
            with self.subTest(want=want):
                rc, rows, err = generate(text)
                self.assertNotEqual(rc, 0)
                self.assertIn(want, err)
                self.assertIsNone(rows, "nothing is written for a faulty table")

    def test_the_table_is_what_the_server_has(self):
        rc, rows, err = generate(open(TABLE, encoding="utf-8").read())
        self.assertEqual(rc, 0, err)
        served = cli_ok("routes").splitlines()
        self.assertEqual(len([l for l in rows.splitlines() if l.startswith("    {")]), len(served))


if __name__ == "__main__":
    unittest.main()
