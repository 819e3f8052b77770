"""test_import_incidents.py - `rabta import incidents FILE`, read back through the server, and the
CSV export of incidents (GET /api/v1/incidents/export).

The stories: the National CERT's operator loads last year's register (CSV, then JSON) while the
server runs; the CERTs see the incidents with their times, clocks and statuses as they were, and
nobody is notified or escalated to, even by the scheduler ticking every second. A file with one
bad row is refused whole, naming the line and the column; with --skip-bad the good rows go in. An
unknown org is named. A TLP:RED incident reaches only its org and its handling CERT. The CSV
export holds only what its reader may read, filtered as asked, and defuses formulas.
"""

import csv
import io
import json
import os
import time
import unittest

from harness import ServerCase, cli_ok, csv_file, db_query, db_scalar, run_cli

CSV_HEADER = ["title", "description", "rsit_class", "rsit_type", "severity", "status", "tlp",
              "cii_involved", "affected_services", "org", "detected_at", "reported_at",
              "acknowledged_at", "contained_at", "ended_at"]


def csv_text(rows, header=CSV_HEADER):
    return csv_file(header, ([r.get(k, "") for k in header] for r in rows))


def row(title, org, **kw):
    r = {"title": title, "rsit_class": "fraud", "rsit_type": "phishing", "severity": "medium",
         "status": "new", "org": org, "detected_at": "2025-03-01T08:00:00Z",
         "reported_at": "2025-03-01T09:00:00Z"}
    r.update(kw)
    return r


def counts(db):
    return {t: db_scalar(db, "SELECT count(*) FROM %s" % t)
            for t in ("incidents", "incident_handlers", "grants", "history", "audit_log", "inbox",
                      "outbound")}


class TestImportIncidents(ServerCase):
    # The scheduler looks every second: an imported incident must still announce nothing.
    SERVE_ARGS = ("--threads", "4", "--tick-seconds", "1")

    @classmethod
    def prepare(cls):
        cls.punjab = cls.demo_client("analyst", "punjab-cert")
        cls.national = cls.demo_client("admin", "ncert")
        cls.sindh = cls.demo_client("analyst", "sindh-cert")
        cls.health = cls.demo_client("reporter", "pb-health")
        cls.finance = cls.demo_client("reporter", "pb-finance")

    def write(self, name, text):
        path = os.path.join(self.tmp, name)
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        return path

    def import_file(self, path, *more):
        return run_cli("import", "incidents", path, "--db", self.db, *more)

    def listed(self, who, query):
        items, _ = who.list_all("/api/v1/incidents?" + query)
        return items

    def inbox_count(self, who):
        r = who.get("/api/v1/inbox/count")
        self.assertEqual(r.status, 200, r)
        return r.json["unread"]

    def test_a_csv_register_reads_back_as_it_was(self):
        power = db_query(self.db, "SELECT id FROM orgs WHERE name = ?",
                         ("Punjab Power Distribution Company",))[0][0]
        rows = [
            row("Kestrel phishing wave", "Punjab Health Services Directorate", status="closed",
                description='Staff got mail, "urgent", twice.\nThen more.', tlp="AMBER",
                affected_services="mail, portal", acknowledged_at="2025-03-01T10:00:00Z",
                contained_at="2025-03-02T10:00:00Z", ended_at="2025-03-10T10:00:00Z"),
            # Severe and CII: a live report would escalate it to the National CERT at once.
            row("Kestrel ransomware at the grid", power, rsit_class="malicious-code",
                rsit_type="infected-system", severity="severe", status="contained",
                cii_involved="yes", detected_at="2025-06-01T00:00:00Z",
                reported_at="2025-06-01T03:00:00Z", acknowledged_at="2025-06-01T04:00:00Z",
                contained_at="2025-06-02T00:00:00Z"),
            # Never acknowledged: its acknowledgement deadline passed long ago.
            row("Kestrel scan of the CERT", "pb-cert", rsit_class="information-gathering",
                rsit_type="scanner", severity="low"),
        ]
        path = self.write("kestrel.csv", csv_text(rows))
        inbox_before = {w: self.inbox_count(c) for w, c in
                        (("punjab", self.punjab), ("national", self.national))}
        before = counts(self.db)
        def power_stats():
            st = self.punjab.get("/api/v1/incidents/stats?org_id=" + power).json
            return (st["total"], st["open"], st["by_status"]["contained"],
                    st["open_by_severity"]["severe"])
        power_before = power_stats()  # the demo's own incidents of the same org
        p = self.import_file(path)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("imported 3 incidents", p.stdout)
        self.assertNotIn("\r", p.stderr, "no progress bar when stderr is not a terminal")
        after = counts(self.db)
        self.assertEqual(after["incidents"] - before["incidents"], 3)
        self.assertEqual(after["incident_handlers"] - before["incident_handlers"], 3)
        self.assertEqual(after["inbox"], before["inbox"], "an import puts nothing in an inbox")
        self.assertEqual(after["outbound"], before["outbound"], "an import sends nothing")
        self.assertEqual(db_scalar(self.db, "SELECT count(*) FROM audit_log WHERE action = "
                                   "'incident.import'"), 3)
        cli_ok("audit", "verify", "--db", self.db)

        got = {x["title"]: x for x in self.listed(self.punjab, "q=kestrel")}
        self.assertEqual(set(got), {r["title"] for r in rows})
        closed, grid_x = got["Kestrel phishing wave"], got["Kestrel ransomware at the grid"]
        self.assertEqual(closed["org_name"], "Punjab Health Services Directorate")
        self.assertEqual(closed["owner_org"], closed["org_id"])
        self.assertEqual(closed["handling_org_name"], "Punjab CERT")
        self.assertEqual(closed["description"], rows[0]["description"])
        self.assertEqual(closed["affected_services"], "mail, portal")
        for k in ("detected_at", "reported_at", "acknowledged_at", "contained_at", "ended_at"):
            self.assertEqual(closed[k], rows[0][k], k)
        self.assertEqual(closed["handling_since"], rows[0]["reported_at"])
        self.assertEqual(closed["status"], "closed")
        clocks = {c["clock"]: c for c in closed["clocks"]}
        # The reporting policy's defaults for a medium incident, counted from the imported times.
        self.assertEqual(clocks["acknowledge"],
                         {"clock": "acknowledge", "state": "met", "due": "2025-03-02T09:00:00Z",
                          "met": "2025-03-01T10:00:00Z"})
        self.assertEqual(clocks["early_warning"]["due"], "2025-03-02T08:00:00Z")
        self.assertEqual(clocks["early_warning"]["state"], "met")
        self.assertEqual(clocks["notification"]["due"], "2025-03-04T08:00:00Z")
        self.assertEqual(clocks["notification"]["state"], "stopped")
        self.assertEqual(clocks["final_report"]["due"], "2025-03-31T08:00:00Z")
        self.assertIsNone(closed["next_due"])
        # No escalation rule fired: still at Punjab CERT, and the National CERT cannot read it.
        self.assertEqual(grid_x["handling_org_name"], "Punjab CERT")
        self.assertEqual(grid_x["escalations"], 0)
        self.assertTrue(grid_x["cii_involved"])
        self.assertEqual(self.national.get("/api/v1/incidents/" + grid_x["id"]).status, 404)
        gclocks = {c["clock"]: c for c in grid_x["clocks"]}
        self.assertEqual(gclocks["early_warning"]["due"], "2025-06-01T06:00:00Z", "6 h with CII")
        self.assertEqual(gclocks["acknowledge"]["due"], "2025-06-01T07:00:00Z", "4 h when severe")

        one = self.punjab.get("/api/v1/incidents/" + closed["id"]).json
        self.assertEqual([(h["org_name"], h["since"], h["acknowledged_at"], h["ack_due"])
                          for h in one["handling_history"]],
                         [("Punjab CERT", "2025-03-01T09:00:00Z", "2025-03-01T10:00:00Z",
                           "2025-03-02T09:00:00Z")])
        timeline = self.punjab.get("/api/v1/incidents/%s/timeline" % closed["id"]).json["items"]
        self.assertEqual([(e["action"], e["comment"]) for e in timeline],
                         [("imported", "from kestrel.csv, line 2")])

        # The CERT's own incident is the National CERT's to handle, overdue, and unannounced.
        scan = [x for x in self.listed(self.national, "q=kestrel")]
        self.assertEqual([x["title"] for x in scan], ["Kestrel scan of the CERT"])
        self.assertTrue(scan[0]["overdue"])
        self.assertEqual(scan[0]["handling_org_name"], "National CERT")
        self.assertEqual(scan[0]["owner_name"], "Punjab CERT")
        self.assertEqual(tuple(a - b for a, b in zip(power_stats(), power_before)), (1, 1, 1, 1),
                         "the import adds one open, contained, severe incident to the grid's org")
        time.sleep(2.5)  # ticks of the scheduler
        self.assertEqual({w: self.inbox_count(c) for w, c in
                          (("punjab", self.punjab), ("national", self.national))}, inbox_before)
        self.assertEqual(counts(self.db)["inbox"], before["inbox"])
        again = self.national.get("/api/v1/incidents/" + scan[0]["id"]).json
        self.assertEqual(again["escalations"], 0)
        self.assertEqual(self.punjab.get("/api/v1/incidents/" + grid_x["id"]).json["escalations"],
                         0)

    def test_a_json_register_reads_back(self):
        finance = db_query(self.db, "SELECT id FROM orgs WHERE name = ?",
                           ("Punjab Finance Department",))[0][0]
        items = [
            {"title": "Osprey invoice fraud", "rsit_class": "fraud", "rsit_type": "masquerade",
             "severity": "high", "status": "recovered", "org": finance, "cii_involved": False,
             "detected_at": "2025-08-01T08:00:00+05:00", "reported_at": "2025-08-01T04:00:00Z",
             "acknowledged_at": "2025-08-01T05:00:00Z", "contained_at": "2025-08-02T00:00:00Z",
             "notified_at": "2025-08-03T00:00:00Z", "final_report_at": None, "tlp": "GREEN"},
            {"title": "Osprey stolen laptop", "rsit_class": "intrusions", "rsit_type": "burglary",
             "severity": "baseline", "status": "rejected", "org": "Punjab Finance Department",
             "detected_at": "2025-09-01", "reported_at": "2025-09-01T10:00:00Z",
             "ended_at": "2025-09-02T10:00:00Z", "cii_involved": "no"},
        ]
        path = self.write("osprey.json", json.dumps(items))
        p = self.import_file(path, "--json")
        self.assertEqual(p.returncode, 0, p.stderr)
        out = json.loads(p.stdout)
        self.assertEqual((out["rows"], out["imported"], out["bad"]), (2, 2, 0))
        got = {x["title"]: x for x in self.listed(self.punjab, "q=osprey")}
        self.assertEqual(set(got), {"Osprey invoice fraud", "Osprey stolen laptop"})
        fraud = got["Osprey invoice fraud"]
        self.assertEqual(fraud["detected_at"], "2025-08-01T03:00:00Z", "offsets become UTC")
        self.assertEqual((fraud["status"], fraud["tlp"], fraud["notified_at"]),
                         ("recovered", "GREEN", "2025-08-03T00:00:00Z"))
        notif = {c["clock"]: c for c in fraud["clocks"]}["notification"]
        self.assertEqual((notif["state"], notif["met"]), ("met", "2025-08-03T00:00:00Z"))
        laptop = got["Osprey stolen laptop"]
        self.assertEqual((laptop["status"], laptop["detected_at"], laptop["tlp"]),
                         ("rejected", "2025-09-01T00:00:00Z", "AMBER"))
        # GREEN reaches the whole community; AMBER only the org and its CERT.
        self.assertEqual([x["title"] for x in self.listed(self.sindh, "q=osprey")],
                         ["Osprey invoice fraud"])

    def test_one_bad_row_stores_nothing_and_is_named(self):
        rows = [row("Plover one", "Punjab Health Services Directorate"),
                row("Plover two", "Punjab Health Services Directorate", severity="urgent"),
                row("Plover three", "Punjab Health Services Directorate")]
        path = self.write("plover.csv", csv_text(rows))
        before = counts(self.db)
        p = self.import_file(path)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn('plover.csv: line 3, severity: "urgent" is not one of emergency, severe, '
                      'high, medium, low, baseline', p.stderr)
        self.assertIn("nothing was imported", p.stderr)
        self.assertEqual(p.stdout, "")
        self.assertEqual(counts(self.db), before)
        self.assertEqual(self.listed(self.punjab, "q=plover"), [])
        # --dry-run says the same and writes nothing either.
        p = self.import_file(path, "--dry-run")
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("line 3, severity", p.stderr)
        self.assertEqual(counts(self.db), before)
        # The same in JSON names the array index.
        items = [dict(r) for r in rows]
        items[1] = dict(items[0], title="Plover json", reported_at="2025-02-01T00:00:00Z")
        p = self.import_file(self.write("plover.json", json.dumps(items)))
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("index 1, reported_at: 2025-02-01T00:00:00Z is before detected_at", p.stderr)
        self.assertEqual(counts(self.db), before)

    def test_skip_bad_stores_the_good_rows(self):
        rows = [row("Sandpiper one", "Punjab Health Services Directorate"),
                row("Sandpiper two", "Punjab Health Services Directorate", status="closed"),
                row("Sandpiper three", "Punjab Health Services Directorate", rsit_type="spam"),
                row("Sandpiper four", "Punjab Health Services Directorate", status="triaged",
                    acknowledged_at="2025-03-01T09:30:00Z")]
        path = self.write("sandpiper.csv", csv_text(rows))
        p = self.import_file(path, "--dry-run", "--skip-bad")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("2 would be imported, 2 bad", p.stdout)
        self.assertEqual(self.listed(self.punjab, "q=sandpiper"), [])
        p = self.import_file(path, "--skip-bad")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("line 3, ended_at: a closed incident needs ended_at", p.stderr)
        self.assertIn('line 4, rsit_type: "spam" is not a type of the class fraud', p.stderr)
        self.assertIn("imported 2 incidents", p.stdout)
        got = sorted((x["title"], x["status"]) for x in self.listed(self.punjab, "q=sandpiper"))
        self.assertEqual(got, [("Sandpiper four", "triaged"), ("Sandpiper one", "new")])

    def test_an_unknown_org_is_named(self):
        for org, words in (("Atlantis CERT", 'no org has the id, short name or name "Atlantis '
                                             'CERT"'),
                           ("6a1d3f00-0000-4000-8000-000000000000", "no org has the id")):
            with self.subTest(org=org):
                path = self.write("gull.csv", csv_text([row("Gull incident", org)]))
                before = counts(self.db)
                p = self.import_file(path)
                self.assertNotEqual(p.returncode, 0)
                self.assertIn("line 2, org: " + words, p.stderr)
                self.assertEqual(counts(self.db), before)
        # A file whose header names no such column is refused as a whole.
        p = self.import_file(self.write("gull2.csv", "title,severity,colour\r\nx,low,red\r\n"))
        self.assertNotEqual(p.returncode, 0)
        self.assertIn('line 1, field 3: unknown column "colour"', p.stderr)

    def test_a_red_incident_reaches_only_its_org_and_cert(self):
        outsiders = (self.national, self.sindh, self.finance)
        totals = [who.get("/api/v1/incidents/stats").json["total"] for who in outsiders]
        path = self.write("ibis.csv", csv_text([
            row("Ibis insider leak", "Punjab Health Services Directorate", tlp="RED",
                rsit_class="information-content-security", rsit_type="data-leak",
                severity="high", status="triaged", acknowledged_at="2025-03-01T11:00:00Z")]))
        p = self.import_file(path)
        self.assertEqual(p.returncode, 0, p.stderr)
        mine = self.listed(self.health, "q=ibis")
        self.assertEqual([x["tlp"] for x in mine], ["RED"])
        iid = mine[0]["id"]
        self.assertEqual([x["id"] for x in self.listed(self.punjab, "q=ibis")], [iid])
        for who, total in zip(outsiders, totals):
            self.assertEqual(self.listed(who, "q=ibis"), [])
            self.assertEqual(who.get("/api/v1/incidents/" + iid).status, 404)
            self.assertEqual(who.get("/api/v1/incidents/stats").json["total"], total,
                             "counts are of readable incidents only")
            r = who.get("/api/v1/incidents/export?q=ibis")
            self.assertEqual(len(list(csv.reader(io.StringIO(r.body.decode("utf-8"))))), 1)


class TestIncidentCsvExport(ServerCase):
    """GET /api/v1/incidents/export: what the list shows, as CSV, with formulas defused."""

    FORMULAS = ['=HYPERLINK("http://evil.test","heron click")', "+heron plus", "-heron minus",
                "@heron at"]

    @classmethod
    def prepare_db(cls):
        rows = [row(t, "Punjab Health Services Directorate", severity="high")
                for t in cls.FORMULAS]
        rows += [row("Heron plain", "Punjab Health Services Directorate", severity="low",
                     status="closed", ended_at="2025-03-05T00:00:00Z"),
                 row("Heron red", "Punjab Health Services Directorate", severity="high",
                     tlp="RED"),
                 row("Heron sindh", "Sindh Education Department", severity="high")]
        path = os.path.join(cls.tmp, "heron.csv")
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(csv_text(rows))
        cli_ok("import", "incidents", path, "--db", cls.db)

    def export(self, who, query):
        r = who.get("/api/v1/incidents/export?" + query)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.header("Content-Type"), "text/csv; charset=utf-8")
        self.assertRegex(r.header("Content-Disposition"),
                         r'^attachment; filename="incidents-\d{4}-\d{2}-\d{2}\.csv"$')
        table = list(csv.reader(io.StringIO(r.body.decode("utf-8"))))
        head = table[0]
        self.assertEqual(head[:3], ["reference", "id", "title"])
        return [dict(zip(head, line)) for line in table[1:]]

    def test_formulas_are_defused(self):
        punjab = self.demo_client("analyst", "punjab-cert")
        rows = {r["title"]: r for r in self.export(punjab, "q=heron")}
        for t in self.FORMULAS:
            self.assertIn("'" + t, rows, "a title starting with %r is guarded" % t[0])
            self.assertNotIn(t, rows)
        self.assertIn("Heron plain", rows, "an ordinary title is left alone")
        # No cell of the file starts with a formula character.
        for r in rows.values():
            for k, v in r.items():
                self.assertFalse(v[:1] in ("=", "+", "-", "@"), (k, v))

    def test_only_readable_incidents_and_the_filters(self):
        punjab = self.demo_client("analyst", "punjab-cert")
        listed = {x["id"] for x in punjab.list_all("/api/v1/incidents?q=heron")[0]}
        rows = self.export(punjab, "q=heron")
        self.assertEqual({r["id"] for r in rows}, listed)
        titles = {r["title"] for r in rows}
        self.assertIn("Heron red", titles, "the handling CERT reads the RED one")
        self.assertNotIn("Heron sindh", titles, "another province's incident")
        self.assertEqual(len(rows), 6)
        high = self.export(punjab, "q=heron&severity=high")
        self.assertEqual({r["severity"] for r in high}, {"high"})
        self.assertEqual(len(high), 5)
        closed = self.export(punjab, "q=heron&status=closed")
        self.assertEqual([(r["title"], r["status"], r["ended_at"]) for r in closed],
                         [("Heron plain", "closed", "2025-03-05T00:00:00Z")])
        self.assertEqual(self.export(punjab, "q=heron&open=1&severity=low"), [])
        sindh = self.demo_client("analyst", "sindh-cert")
        self.assertEqual([r["title"] for r in self.export(sindh, "q=heron")], ["Heron sindh"])
        sibling = self.demo_client("reporter", "pb-finance")
        self.assertEqual(self.export(sibling, "q=heron"), [])
        r = punjab.get("/api/v1/incidents/export?severity=urgent")
        self.assertError(r, 422, "invalid_field", "severity")


if __name__ == "__main__":
    unittest.main()
