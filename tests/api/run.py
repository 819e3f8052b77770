#!/usr/bin/env python3
"""run.py - the API test layer: black-box tests of `rabta serve` and the CLI.

    python3 tests/api/run.py [--rabta PATH] [--filter SUBSTRING] [-q]

Discovers tests/api/test_*.py, runs them with unittest and prints, as its last line,
`api: N passed, N failed, N skipped` (errors count as failed); exits 1 if any failed.
"""

import argparse
import os
import sys
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))


class CountingResult(unittest.TextTestResult):
    """Counts passes explicitly (a test with a failed subtest is one failure, not a pass)."""

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.passed = 0
        self.failed_ids = set()
        self.class_errors = 0
        self.durations = []

    def startTest(self, test):
        self._t0 = time.monotonic()
        super().startTest(test)

    def stopTest(self, test):
        super().stopTest(test)
        self.durations.append((time.monotonic() - self._t0, test.id()))

    def addSuccess(self, test):
        super().addSuccess(test)
        self.passed += 1

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._failed(test)

    def addError(self, test, err):
        super().addError(test, err)
        self._failed(test)

    def addSubTest(self, test, subtest, err):
        super().addSubTest(test, subtest, err)
        if err is not None:
            self._failed(test)

    def addUnexpectedSuccess(self, test):
        super().addUnexpectedSuccess(test)
        self._failed(test)

    def _failed(self, test):
        tid = test.id()
        if isinstance(test, unittest.TestCase):
            self.failed_ids.add(tid)
        else:  # setUpClass/tearDownClass/module errors arrive as _ErrorHolder
            self.class_errors += 1


def iter_tests(suite):
    for t in suite:
        if isinstance(t, unittest.TestSuite):
            yield from iter_tests(t)
        else:
            yield t


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rabta", default=os.path.join(HERE, "..", "..", "build", "rabta"),
                    help="the rabta binary (default ../../build/rabta relative to tests/api)")
    ap.add_argument("--filter", default=None,
                    help="run only tests whose id (module.Class.test) contains this substring")
    ap.add_argument("-q", "--quiet", action="store_true", help="one character per test")
    ap.add_argument("--durations", type=int, default=0, metavar="N",
                    help="also list the N slowest tests (informational, never asserted)")
    args = ap.parse_args()

    rabta = os.path.abspath(args.rabta)
    if not (os.path.isfile(rabta) and os.access(rabta, os.X_OK)):
        print("run.py: %s is not an executable (build it with `ninja -C build`)" % rabta,
              file=sys.stderr)
        print("api: 0 passed, 1 failed, 0 skipped")
        return 1
    os.environ["RABTA_BIN"] = rabta
    sys.path.insert(0, HERE)

    loader = unittest.TestLoader()
    discovered = loader.discover(HERE, pattern="test_*.py", top_level_dir=HERE)
    suite = unittest.TestSuite()
    load_errors = 0
    for t in iter_tests(discovered):
        tid = t.id()
        if tid.startswith("unittest.loader._FailedTest"):
            load_errors += 1
            suite.addTest(t)  # a module that does not import is a failure, whatever the filter
            continue
        if args.filter is None or args.filter in tid:
            suite.addTest(t)

    runner = unittest.TextTestRunner(stream=sys.stderr, verbosity=1 if args.quiet else 2,
                                     resultclass=CountingResult)
    result = runner.run(suite)
    if args.durations:
        print("slowest tests:", file=sys.stderr)
        for d, tid in sorted(result.durations, reverse=True)[:args.durations]:
            print("  %6.2fs  %s" % (d, tid), file=sys.stderr)
    failed = len(result.failed_ids) + result.class_errors
    skipped = len(result.skipped)
    sys.stderr.flush()
    print("api: %d passed, %d failed, %d skipped" % (result.passed, failed, skipped))
    sys.stdout.flush()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
