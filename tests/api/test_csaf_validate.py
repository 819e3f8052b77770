"""`rabta csaf validate`: a provincial CERT checks its advisories before publishing them. A good
advisory is "ok", a broken one is refused naming each failed test with its JSON path, warnings
never fail a file, the JSON report says the same, and the real CISA advisories all pass."""

import glob
import json
import os
import unittest

from harness import run_cli, cli_ok, scratch_dir

HERE = os.path.dirname(os.path.abspath(__file__))
SEEDS = os.path.join(HERE, "..", "fuzz", "corpus", "csaf")
GOOD = os.path.join(SEEDS, "advisory.json")
BROKEN = os.path.join(SEEDS, "broken.json")
DATA = os.environ.get("RABTA_DATA_DIR") or os.path.join(HERE, "..", "..", "..", "shared", "data")


class TestCsafValidate(unittest.TestCase):

    def test_a_good_advisory_is_ok(self):
        self.assertEqual(cli_ok("csaf", "validate", GOOD), GOOD + ": ok\n")

    def test_a_broken_advisory_names_each_test_and_path(self):
        p = run_cli("csaf", "validate", GOOD, BROKEN)
        self.assertEqual(p.returncode, 1, p.stderr)
        lines = p.stdout.splitlines()
        self.assertEqual(lines[0], GOOD + ": ok")
        self.assertIn(BROKEN + ": schema document.title: must not be empty", lines)
        self.assertIn(BROKEN + ": 6.1.12 document.lang: \"EZ\" is not a valid language: its "
                      "language subtag is no ISO 639-1 language code", lines)
        tests = {line.split(" ")[1] for line in lines if line.startswith(BROKEN)}
        for t in ("schema", "6.1.1", "6.1.4", "6.1.8", "6.1.13", "6.1.26", "6.1.31"):
            self.assertIn(t, tests)
        self.assertNotIn(BROKEN + ": ok", lines)

    def test_warnings_do_not_fail_a_file(self):
        vex = os.path.join(SEEDS, "vex.json")
        p = run_cli("csaf", "validate", "--optional", vex)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn(vex + ": 6.2.8 (warning) ", p.stdout)
        self.assertTrue(p.stdout.splitlines()[-1].startswith(vex + ": ok ("))
        # Without --optional there is nothing to warn about.
        self.assertEqual(cli_ok("csaf", "validate", vex), vex + ": ok\n")

    def test_json_report(self):
        p = run_cli("csaf", "validate", "--json", GOOD, BROKEN)
        self.assertEqual(p.returncode, 1)
        reports = json.loads(p.stdout)
        self.assertEqual([r["file"] for r in reports], [GOOD, BROKEN])
        self.assertTrue(reports[0]["report"]["valid"])
        bad = reports[1]["report"]
        self.assertFalse(bad["valid"])
        self.assertEqual(bad["errors"], len(bad["issues"]))
        self.assertIn({"test": "6.1.15", "path": "document.source_lang",
                       "message": "is required when the publisher is a translator",
                       "severity": "error"}, bad["issues"])

    def test_unreadable_and_not_json(self):
        not_json = os.path.join(scratch_dir(), "not.json")
        with open(not_json, "w") as f:
            f.write("{\"document\": ")
        p = run_cli("csaf", "validate", not_json, os.path.join(scratch_dir(), "absent.json"))
        self.assertEqual(p.returncode, 1)
        self.assertTrue(p.stdout.startswith(not_json + ": json (document): not a JSON document"))
        self.assertIn("cannot open", p.stderr)

    def test_usage(self):
        self.assertEqual(run_cli("csaf", "validate").returncode, 2)
        self.assertEqual(run_cli("csaf", "validate", "--strict", GOOD).returncode, 2)

    def test_real_advisories_pass(self):
        files = sorted(glob.glob(os.path.join(DATA, "csaf", "cisa", "OT", "white", "2023", "*.json")))
        if not files:
            self.skipTest("../shared/data/csaf is absent")
        out = cli_ok("csaf", "validate", *files)
        self.assertEqual(out.count(": ok\n"), len(files))


if __name__ == "__main__":
    unittest.main()
