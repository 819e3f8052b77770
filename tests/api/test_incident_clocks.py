"""Incident deadlines against a clock the test controls (rabta serve --clock-file): notices within
the hour and when overdue, the acknowledgement escalation across a restart (exactly once), a change
of the reporting policy applied to open incidents only, and the responsiveness numbers of a small
case computed by hand.

Nothing sleeps: the test writes the time into the clock file and restarts the server, whose first
scheduler tick runs before it listens.
"""

import calendar
import csv
import io
import os
import time
import unittest

from harness import Server, db_query
from test_incidents import IncidentCase, incident

H = 3600


class ClockCase(IncidentCase):
    T0 = None  # the server's time at start; set per class

    @classmethod
    def prepare_db(cls):
        super().prepare_db()
        cls.clock = os.path.join(cls.tmp, "clock")
        cls.set_clock(cls.T0)
        cls.SERVE_ARGS = ("--threads", "4", "--clock-file", cls.clock, "--tick-seconds", "3600")
        cls.restarts = 0

    @classmethod
    def set_clock(cls, t):
        cls.now = int(t)
        with open(cls.clock, "w") as f:
            f.write("%d\n" % cls.now)

    @classmethod
    def restart_at(cls, t):
        """Stops the server, moves the clock, starts it again (its first tick runs at t)."""
        cls.server.stop_and_check()
        cls.server = None
        cls.set_clock(t)
        cls.restarts += 1
        cls.server = Server(cls.db, cls.tmp, cls.SERVE_ARGS,
                            name="restart-%d" % cls.restarts).start()
        cls.port = cls.server.port


class TestDeadlines(ClockCase):
    T0 = (int(time.time()) // 60) * 60 - 20 * 86400  # twenty days ago, on a minute

    def kinds(self, role, slug, iid):
        return sorted(i["kind"] for i in self.inbox(role, slug, iid))

    def test_a_restart_while_the_acknowledgement_deadline_passes_escalates_exactly_once(self):
        self.set_clock(self.T0)
        x = self.report("pb-health", incident(title="Mail server spam relay", severity="medium"))
        iid = x["id"]
        ack = {c["clock"]: c for c in x["clocks"]}["acknowledge"]
        self.assertEqual(ack["state"], "pending")
        # Half an hour before the deadline: a notice, no escalation.
        self.restart_at(self.T0 + 23 * H + 30 * 60)
        self.assertEqual(self.kinds("analyst", "punjab-cert", iid), ["due_soon", "triage"])
        y = self.demo_client("analyst", "punjab-cert").get("/api/v1/incidents/" + iid).json
        self.assertEqual({c["clock"]: c["state"] for c in y["clocks"]}["acknowledge"], "due_soon")
        self.assertEqual(y["escalations"], 0)
        # The server is down while the deadline passes; it escalates at its first tick.
        self.restart_at(self.T0 + 25 * H)
        y = self.demo_client("analyst", "ncert").get("/api/v1/incidents/" + iid).json
        self.assertEqual(y["handling_org_id"], self.org("ncert"))
        self.assertEqual([h["rule"] for h in y["handling_history"]], ["reported", "ack_overdue"])
        self.assertEqual(self.kinds("analyst", "punjab-cert", iid),
                         ["due_soon", "overdue", "triage"])
        self.assertEqual(self.kinds("analyst", "ncert", iid), ["escalated"])
        # Its new acknowledgement clock started at the escalation.
        self.assertEqual({c["clock"]: c["state"] for c in y["clocks"]}["acknowledge"], "pending")
        # Restarted again, an hour later: nothing happens twice.
        self.restart_at(self.T0 + 26 * H)
        self.restart_at(self.T0 + 26 * H + 60)
        y = self.demo_client("analyst", "ncert").get("/api/v1/incidents/" + iid).json
        self.assertEqual(len(y["handling_history"]), 2)
        self.assertEqual(self.kinds("analyst", "ncert", iid), ["escalated"])
        self.assertEqual(self.kinds("analyst", "punjab-cert", iid),
                         ["due_soon", "overdue", "triage"])
        esc = db_query(self.db, "SELECT count(*) FROM audit_log WHERE action = "
                                "'incident.escalate' AND object_id = ?", (iid,))[0][0]
        self.assertEqual(esc, 1)
        nat = self.demo_client("analyst", "ncert")
        self.assertNotIn(iid, {i["id"] for i in nat.get(
            "/api/v1/incidents?overdue=1&limit=500").json["items"]})
        # Three days on: the National CERT's own deadline and the notification have passed. It
        # is overdue; the National CERT is told, the reporting org too; nowhere further to go.
        self.restart_at(self.T0 + 73 * H)
        nat = self.demo_client("analyst", "ncert")  # the new server's port
        self.assertIn(iid, {i["id"] for i in nat.get(
            "/api/v1/incidents?overdue=1&limit=500").json["items"]})
        y = nat.get("/api/v1/incidents/" + iid).json
        self.assertEqual(len(y["handling_history"]), 2)
        self.assertTrue(y["overdue"])
        self.assertEqual(self.kinds("analyst", "ncert", iid), ["escalated", "overdue"])
        self.assertIn("overdue", self.kinds("reporter", "pb-health", iid))
        self.restart_at(self.T0)

    def test_a_changed_policy_applies_to_open_incidents_and_not_to_closed_ones(self):
        self.set_clock(self.T0)
        open_ = self.report("sd-education", incident(title="Exam results site defaced",
                                                     severity="high"))
        done = self.report("sd-education", incident(title="Old defacement", severity="high"))
        ana = self.demo_client("analyst", "sindh-cert")
        self.assertEqual(ana.patch("/api/v1/incidents/" + done["id"],
                                   {"status": "rejected"}).status, 200)
        due = lambda x: {c["clock"]: c for c in x["clocks"]}["acknowledge"]["due"]
        before_open, before_done = due(open_), due(ana.get("/api/v1/incidents/" +
                                                          done["id"]).json)
        adm = self.demo_client("admin", "ncert")
        r = adm.request("PUT", "/api/v1/reporting-policy", body={"rules": [
            {"tier": "provincial_cert", "severity": "high", "acknowledge_minutes": 120}]})
        self.assertEqual(r.status, 200, r)
        rule = [x for x in r.json["rules"]
                if (x["tier"], x["severity"]) == ("provincial_cert", "high")][0]
        self.assertEqual((rule["acknowledge_minutes"], rule["notification_minutes"]), (120, 4320))
        self.assertEqual(rule["updated_by"], "admin@ncert.rabta.test")
        after_open = due(ana.get("/api/v1/incidents/" + open_["id"]).json)
        after_done = due(ana.get("/api/v1/incidents/" + done["id"]).json)
        self.assertEqual(after_done, before_done)
        self.assertNotEqual(after_open, before_open)
        t = lambda s: calendar.timegm(time.strptime(s, "%Y-%m-%dT%H:%M:%SZ"))
        self.assertEqual(t(after_open) - t(open_["handling_since"]), 2 * H)
        self.assertEqual(t(before_open) - t(open_["handling_since"]), 8 * H)
        r = adm.request("PUT", "/api/v1/reporting-policy", body={"rules": [
            {"tier": "provincial_cert", "severity": "high", "acknowledge_minutes": 480}]})
        self.assertEqual(r.status, 200, r)


class TestResponsiveness(ClockCase):
    """A small case, computed by hand. Five incidents reported on 3 March 2025 at 08:00 (T0),
    read on 6 March at 16:00 (T0 + 80 h); four are GREEN (every org reads them), one AMBER.

      Punjab   I1 medium GREEN  acknowledged T0+2h (in time, 24 h allowed), contained T0+6h
               I2 high   GREEN  acknowledged T0+10h (late, 8 h allowed)
               I3 low    GREEN  never acknowledged (72 h allowed: missed at T0+80h)
               I4 low    AMBER  acknowledged T0+1h (in time) -- only Punjab's readers see it
      Sindh    S1 medium GREEN  acknowledged T0+30min (in time), contained T0+5h

    Notifications are filed for all but I3, so at T0+80h only I3 is overdue.
    """
    T0 = 1741003200  # 2025-03-03T08:00:00Z

    @classmethod
    def prepare(cls):
        T0 = cls.T0
        pb, sd = cls.demo_client("analyst", "punjab-cert"), cls.demo_client("analyst",
                                                                            "sindh-cert")
        cls.set_clock(T0)
        mk = lambda slug, sev, tlp: cls.demo_client("reporter", slug).post(
            "/api/v1/incidents", incident(severity=sev, tlp=tlp,
                                          detected_at="2025-03-03T07:30:00Z")).json["id"]
        i1, i2, i3 = mk("pb-health", "medium", "GREEN"), mk("pb-health", "high", "GREEN"), \
            mk("pb-finance", "low", "GREEN")
        i4, s1 = mk("pb-power", "low", "AMBER"), mk("sd-health", "medium", "GREEN")
        steps = [(30 * 60, sd, "/acknowledge", s1), (H, pb, "/acknowledge", i4),
                 (2 * H, pb, "/acknowledge", i1), (5 * H, sd, "contain", s1),
                 (6 * H, pb, "contain", i1), (10 * H, pb, "/acknowledge", i2)]
        for dt, who, what, iid in steps:
            cls.set_clock(T0 + dt)
            if what == "contain":
                r = who.patch("/api/v1/incidents/" + iid, {"status": "contained"})
            else:
                r = who.post("/api/v1/incidents/%s%s" % (iid, what))
            assert r.status == 200, r
        cls.set_clock(T0 + 12 * H)
        for iid in (i1, i2, i4, s1):
            owner = {i1: "pb-health", i2: "pb-health", i4: "pb-power", s1: "sd-health"}[iid]
            r = cls.demo_client("reporter", owner).post(
                "/api/v1/incidents/%s/reports" % iid, {"stage": "notification", "text": "done"})
            assert r.status == 201, r
        cls.set_clock(T0 + 80 * H)
        cls.ids = (i1, i2, i3, i4, s1)

    def resp(self, role, slug, fmt=""):
        r = self.demo_client(role, slug).get("/api/v1/responsiveness?since=2025-03-01"
                                             "&until=2025-03-31" + fmt)
        self.assertEqual(r.status, 200, r)
        return r

    def group(self, groups, name):
        found = [g for g in groups if g["name"] == name]
        self.assertEqual(len(found), 1, (name, [g["name"] for g in groups]))
        return found[0]

    def check(self, g, incidents, periods, in_time, late, missed, share, ack_median, contained,
              contain_median, open_, overdue):
        a, c = g["acknowledgement"], g["containment"]
        self.assertEqual(g["incidents"], incidents, g["name"])
        self.assertEqual((a["periods"], a["in_time"], a["late"], a["missed"], a["pending"],
                          a["handed_on"]), (periods, in_time, late, missed, 0, 0), g["name"])
        if share is None:
            self.assertIsNone(a["share_in_time"], g["name"])
        else:
            self.assertAlmostEqual(a["share_in_time"], share, places=6, msg=g["name"])
        self.assertEqual(a["median_seconds"], ack_median, g["name"])
        self.assertEqual((c["contained"], c["median_seconds"]), (contained, contain_median),
                         g["name"])
        self.assertEqual({k: v for k, v in g["open_by_severity"].items() if v}, open_, g["name"])
        self.assertEqual({k: v for k, v in g["overdue_by_severity"].items() if v}, overdue,
                         g["name"])

    def test_the_national_cert_sees_the_four_green_incidents(self):
        r = self.resp("analyst", "ncert").json
        # Acknowledgement: 7200 s, 36000 s (late), 1800 s; I3 missed. Containment: I1 in 6 h,
        # S1 in 5 h.
        self.check(r["overall"], 4, 4, 2, 1, 1, 0.5, 7200, 2, (21600 + 18000) // 2,
                   {"medium": 2, "high": 1, "low": 1}, {"low": 1})
        self.check(self.group(r["by_cert"], "Punjab CERT"), 3, 3, 1, 1, 1, 1 / 3,
                   (7200 + 36000) // 2, 1, 21600, {"medium": 1, "high": 1, "low": 1}, {"low": 1})
        self.check(self.group(r["by_cert"], "Sindh CERT"), 1, 1, 1, 0, 0, 1.0, 1800, 1, 18000,
                   {"medium": 1}, {})
        self.check(self.group(r["by_province"], "Punjab"), 3, 3, 1, 1, 1, 1 / 3,
                   (7200 + 36000) // 2, 1, 21600, {"medium": 1, "high": 1, "low": 1}, {"low": 1})
        self.check(self.group(r["by_province"], "Sindh"), 1, 1, 1, 0, 0, 1.0, 1800, 1, 18000,
                   {"medium": 1}, {})
        kp = self.group(r["by_province"], "Khyber Pakhtunkhwa")
        self.check(kp, 0, 0, 0, 0, 0, None, None, 0, None, {}, {})

    def test_the_punjab_cert_also_counts_its_amber_incident(self):
        r = self.resp("analyst", "punjab-cert").json
        # I4 adds one period acknowledged in 3600 s: medians of [3600, 7200, 36000] and [1800,
        # 3600, 7200, 36000].
        self.check(self.group(r["by_cert"], "Punjab CERT"), 4, 4, 2, 1, 1, 0.5, 7200, 1, 21600,
                   {"medium": 1, "high": 1, "low": 2}, {"low": 1})
        self.check(r["overall"], 5, 5, 3, 1, 1, 0.6, (3600 + 7200) // 2, 2, 19800,
                   {"medium": 2, "high": 1, "low": 2}, {"low": 1})
        # The Sindh CERT reads the GREEN ones only: the same as the National CERT's view.
        s = self.resp("analyst", "sindh-cert").json
        self.assertEqual(s["overall"]["incidents"], 4)

    def test_the_same_numbers_as_csv(self):
        r = self.resp("analyst", "ncert", "&format=csv")
        self.assertTrue(r.headers["Content-Type"].startswith("text/csv"))
        rows = list(csv.DictReader(io.StringIO(r.body.decode())))
        by = {(x["by"], x["name"]): x for x in rows}
        pb = by[("cert", "Punjab CERT")]
        self.assertEqual((pb["handling_periods"], pb["acknowledged_in_time"], pb["missed"],
                          pb["share_in_time_percent"], pb["median_minutes_to_acknowledge"],
                          pb["median_hours_to_contain"], pb["overdue"]),
                         ("3", "1", "1", "33.3", "360.0", "6.0", "1"))
        self.assertEqual(by[("all", "All")]["incidents"], "4")
        self.assertEqual(by[("province", "Sindh")]["share_in_time_percent"], "100.0")

    def test_bad_periods_are_refused(self):
        c = self.demo_client("analyst", "ncert")
        for q in ("since=soon", "until=2025-13-01", "since=2025-03-10&until=2025-03-01",
                  "format=xml"):
            self.assertEqual(c.get("/api/v1/responsiveness?" + q).status, 422, q)


if __name__ == "__main__":
    unittest.main()
