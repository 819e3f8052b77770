"""Capacity building: training sessions, invitations, registration, attendance by mode, feedback,
materials, the iCalendar of a session, an org's calendar feed, the roll-up and "training meets
the gaps".

The stories:
- The National CERT runs an incident-handling drill with KP CERT in the room and Punjab CERT and
  Sindh CERT joining online (the seed's own session). Each CERT registers its people; attendance
  is recorded per person with the mode each joined in; the counts by mode are read back; feedback
  is given; an in-person session refuses an online attendee; the people of one org are not shown
  to another.
- Bad input stores nothing: a session ending before it starts, a topic the catalog does not have,
  an org outside the organiser's constituency, an AMBER session.
- A session that is full says so (409) and stores nothing.
- An org's calendar feed: a token in the URL, served to a calendar program without signing in;
  revoked, its URL answers 404; a new feed replaces the old.
- The gaps view on a small constructed case (four Punjab institutions with chosen answers),
  checked against numbers computed by hand, and the roll-up of the sessions held.
"""

import datetime

from harness import ServerCase, db_query, db_scalar, demo_email, UUID_RE
from test_campaigns import GuideCase

try:  # a calendar program's reader, when the machine has it (Debian: python3-icalendar)
    import icalendar
except ImportError:  # pragma: no cover
    icalendar = None

TRAINING_TABLES = ("trainings", "training_topics", "training_staff", "training_invites",
                   "training_people",
                   "training_feedback", "training_links", "calendar_feeds", "inbox", "audit_log",
                   "history")


def at(hours):
    """An RFC 3339 time `hours` from now (UTC, whole seconds)."""
    t = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    return (t + datetime.timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M:%SZ")


def unfold(text):
    """The content lines of an iCalendar text (RFC 5545 §3.1)."""
    assert "\n" not in text.replace("\r\n", ""), "a bare LF"
    return text.replace("\r\n ", "").replace("\r\n\t", "").split("\r\n")


def ical_props(text, name):
    return [l.split(":", 1)[1] for l in unfold(text) if l.split(":", 1)[0].split(";")[0] == name]


class TrainingCase(ServerCase):

    def counts(self):
        return {t: db_scalar(self.db, "SELECT count(*) FROM %s" % t) for t in TRAINING_TABLES}

    def ncert(self, role="analyst"):
        return self.demo_client(role, "ncert")

    def create(self, client, **fields):
        body = dict({"title": "Incident handling drill", "mode": "hybrid",
                     "starts_at": at(-1), "ends_at": at(3), "venue": "KP CERT, Peshawar",
                     "meeting_url": "https://meet.rabta.test/drill"}, **fields)
        r = client.post("/api/v1/trainings", body)
        self.assertEqual(r.status, 201, r)
        return r.json

    def register(self, client, tid, name, **extra):
        r = client.post("/api/v1/trainings/%s/people" % tid, dict({"name": name}, **extra))
        self.assertEqual(r.status, 201, r)
        return r.json

    def attend(self, client, tid, pid, mode):
        r = client.post("/api/v1/trainings/%s/attendance" % tid, {"person_id": pid, "mode": mode})
        self.assertEqual(r.status, 200, r)
        return r.json

    def check_ics(self, text):
        """Every line ends in CRLF and has at most 75 octets; the file is one calendar."""
        raw = text.encode("utf-8")
        for line in raw.split(b"\r\n")[:-1]:
            self.assertLessEqual(len(line), 75, line)
        self.assertTrue(raw.endswith(b"END:VCALENDAR\r\n"))
        self.assertEqual(ical_props(text, "VERSION"), ["2.0"])
        self.assertEqual(len(ical_props(text, "PRODID")), 1)
        if icalendar:
            cal = icalendar.Calendar.from_ical(raw)
            return [c for c in cal.walk("VEVENT")]
        return None


class TestSessionStory(TrainingCase):

    def test_the_seed_session_attendance_by_mode(self):
        """KP CERT in the room, Punjab CERT and Sindh CERT online: three people attend, one in
        person and two online, and the session's counts, the invites and the roll-up say so."""
        nc = self.ncert()
        kp, pb, sd = (self.org_of(s) for s in ("kp-cert", "punjab-cert", "sindh-cert"))
        t = self.create(nc, title="Incident handling drill: KP in the room, Punjab and Sindh "
                               "online", invited_org_ids=[kp, pb, sd], topics=["ir", "lm-2"],
                        capacity=30)
        tid = t["id"]
        self.assertRegex(tid, UUID_RE)
        self.assertEqual((t["status"], t["mode"], t["tlp"], t["invited"], t["capacity"]),
                         ("scheduled", "hybrid", "GREEN", 3, 30))
        self.assertEqual([(x["id"], x["kind"], x["domain"]) for x in t["topics"]],
                         [("ir", "domain", "ir"), ("lm-2", "control", "lm")])
        self.assertTrue(t["you"]["organiser"])
        # Each invited CERT found the invitation in its inbox.
        for slug in ("kp-cert", "punjab-cert", "sindh-cert"):
            inbox = self.demo_client("analyst", slug).get("/api/v1/inbox?limit=200").json["items"]
            self.assertIn(("notice", tid), [(i["kind"], i["object_id"]) for i in inbox], slug)
        # Each registers its people (a reporter of its own org).
        a = self.register(self.demo_client("reporter", "kp-cert"), tid, "Ayesha Khan",
                          email="ayesha@kp.rabta.test")
        b = self.register(self.demo_client("analyst", "punjab-cert"), tid, "Bilal Ahmed")
        c = self.register(self.demo_client("reporter", "sindh-cert"), tid, "Sana Memon")
        d = self.register(self.demo_client("reporter", "sindh-cert"), tid, "Zain Shah")
        self.assertEqual(a["org_id"], kp)
        self.assertIsNone(a["attended_mode"])
        # The same name twice for an org is refused.
        r = self.demo_client("reporter", "sindh-cert").post(
            "/api/v1/trainings/%s/people" % tid, {"name": "sana memon"})
        self.assertError(r, 409, "conflict", "name")
        # Attendance by mode, recorded by the organiser.
        self.assertEqual(self.attend(nc, tid, a["id"], "in_person")["attended_mode"], "in_person")
        self.attend(nc, tid, b["id"], "virtual")
        self.attend(nc, tid, c["id"], "virtual")
        # Nobody else records attendance: the invited org's analyst gets 403.
        r = self.demo_client("analyst", "sindh-cert").post(
            "/api/v1/trainings/%s/attendance" % tid, {"person_id": d["id"], "mode": "virtual"})
        self.assertError(r, 403, "forbidden")
        v = nc.get("/api/v1/trainings/%s" % tid).json
        self.assertEqual((v["registered"], v["attended"], v["in_person"], v["virtual"]),
                         (4, 3, 1, 2))
        inv = {i["org_id"]: i for i in nc.get("/api/v1/trainings/%s/invites" % tid).json["items"]}
        self.assertEqual((inv[kp]["attended"], inv[kp]["in_person"], inv[kp]["virtual"]), (1, 1, 0))
        self.assertEqual((inv[pb]["attended"], inv[pb]["virtual"]), (1, 1))
        self.assertEqual((inv[sd]["registered"], inv[sd]["attended"], inv[sd]["virtual"]),
                         (2, 1, 1))
        # Feedback from an attendee's org; not from someone who did not attend; 1 to 5 only.
        sdc = self.demo_client("reporter", "sindh-cert")
        r = sdc.post("/api/v1/trainings/%s/feedback" % tid,
                     {"person_id": c["id"], "rating": 4, "comment": "Good pace; more labs"})
        self.assertEqual((r.status, r.json["rating"]), (200, 4), r)
        r = sdc.post("/api/v1/trainings/%s/feedback" % tid, {"person_id": d["id"], "rating": 5})
        self.assertError(r, 409, "conflict", "person_id")
        r = sdc.post("/api/v1/trainings/%s/feedback" % tid, {"person_id": c["id"], "rating": 6})
        self.assertError(r, 422, "invalid_field", "rating")
        r = self.demo_client("reporter", "kp-cert").post(
            "/api/v1/trainings/%s/feedback" % tid, {"person_id": a["id"], "rating": 5})
        self.assertEqual(r.status, 200, r)
        v = nc.get("/api/v1/trainings/%s" % tid).json
        self.assertEqual((v["feedback_count"], v["feedback_mean"]), (2, 4.5))
        # Who sees whose people: the organiser all four; Sindh its two; an institution none.
        names = lambda cl: sorted(p["name"] for p in cl.get(
            "/api/v1/trainings/%s/people" % tid).json["items"])
        self.assertEqual(len(names(nc)), 4)
        self.assertEqual(names(sdc), ["Sana Memon", "Zain Shah"])
        self.assertEqual(names(self.demo_client("reporter", "pb-health")), [])
        # The meeting link is the invited orgs' and the organiser's.
        self.assertEqual(sdc.get("/api/v1/trainings/%s" % tid).json["meeting_url"],
                         "https://meet.rabta.test/drill")
        self.assertIsNone(self.demo_client("reporter", "pb-health").get(
            "/api/v1/trainings/%s" % tid).json["meeting_url"])
        # An institution is not invited: it may not register anyone.
        r = self.demo_client("reporter", "pb-health").post(
            "/api/v1/trainings/%s/people" % tid, {"name": "Walk In"})
        self.assertError(r, 422, "invalid_field", "org_id")
        # Marked absent, a person loses their feedback; the counts follow.
        self.attend(nc, tid, c["id"], None)
        v = nc.get("/api/v1/trainings/%s" % tid).json
        self.assertEqual((v["attended"], v["virtual"], v["feedback_count"]), (2, 1, 1))
        self.attend(nc, tid, c["id"], "virtual")
        # Materials: a link and a file, read back by an invited org.
        r = nc.post("/api/v1/trainings/%s/links" % tid,
                    {"title": "Slides", "url": "https://docs.rabta.test/drill.pdf"})
        self.assertEqual(r.status, 201, r)
        r = nc.request("POST", "/api/v1/trainings/%s/files?filename=playbook.txt" % tid,
                       raw=b"Step 1: contain.\n", headers={"Content-Type": "text/plain"})
        self.assertEqual(r.status, 201, r)
        fid = r.json["id"]
        files = sdc.get("/api/v1/trainings/%s/files" % tid).json["items"]
        self.assertEqual([f["filename"] for f in files], ["playbook.txt"])
        r = sdc.get("/api/v1/trainings/%s/files/%s" % (tid, fid))
        self.assertEqual((r.status, r.body), (200, b"Step 1: contain.\n"))
        self.assertEqual([l["title"] for l in sdc.get(
            "/api/v1/trainings/%s/links" % tid).json["items"]], ["Slides"])
        # Only the organiser adds materials.
        r = sdc.post("/api/v1/trainings/%s/links" % tid, {"title": "Mine", "url": "https://x.test"})
        self.assertError(r, 403, "forbidden")
        # The session as iCalendar.
        r = sdc.get("/api/v1/trainings/%s.ics" % tid)
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.header("Content-Type").startswith("text/calendar"), r)
        text = r.body.decode("utf-8")
        events = self.check_ics(text)
        self.assertEqual(ical_props(text, "UID"), [tid + "@rabta"])
        self.assertEqual(ical_props(text, "LOCATION"), ["KP CERT\\, Peshawar"])
        self.assertEqual(ical_props(text, "URL"), ["https://meet.rabta.test/drill"])
        self.assertEqual(ical_props(text, "STATUS"), ["CONFIRMED"])
        start = ical_props(text, "DTSTART")[0]
        self.assertRegex(start, r"^\d{8}T\d{6}Z$")
        self.assertEqual(start, t["starts_at"].replace("-", "").replace(":", ""))
        if events is not None:
            self.assertEqual(str(events[0]["SUMMARY"]), t["title"])
            self.assertEqual(str(events[0]["LOCATION"]), "KP CERT, Peshawar")
        # Every write was audited against the session.
        n = db_scalar(self.db, "SELECT count(*) FROM audit_log WHERE object_id = ? AND action "
                               "LIKE 'training.%'", (tid,))
        self.assertEqual(n, 14)  # create, 4 registrations, 5 attendances, 2 ratings, 2 materials

    def test_modes_a_session_allows(self):
        """An in-person session takes no online attendee; attendance waits for the start."""
        nc = self.ncert()
        kp = self.org_of("kp-cert")
        t = self.create(nc, title="Hall session", mode="in_person", meeting_url=None,
                        invited_org_ids=[kp])
        p = self.register(self.demo_client("analyst", "kp-cert"), t["id"], "Omar Khattak")
        r = nc.post("/api/v1/trainings/%s/attendance" % t["id"],
                    {"person_id": p["id"], "mode": "virtual"})
        self.assertError(r, 422, "invalid_field", "mode")
        r = nc.post("/api/v1/trainings/%s/attendance" % t["id"],
                    {"person_id": p["id"], "mode": "hybrid"})
        self.assertError(r, 422, "invalid_field", "mode")
        later = self.create(nc, title="Next month", starts_at=at(24 * 30),
                            ends_at=at(24 * 30 + 3), invited_org_ids=[kp])
        q = self.register(self.demo_client("analyst", "kp-cert"), later["id"], "Omar Khattak")
        r = nc.post("/api/v1/trainings/%s/attendance" % later["id"],
                    {"person_id": q["id"], "mode": "in_person"})
        self.assertError(r, 409, "conflict", msg_has="not started")
        # A virtual session needs a link, an in-person one a venue.
        r = nc.post("/api/v1/trainings", {"title": "Online only", "mode": "virtual",
                                          "starts_at": at(2), "ends_at": at(3)})
        self.assertError(r, 422, "invalid_field", "meeting_url")

    def test_a_draft_is_its_owner_s_until_scheduled(self):
        """A draft (what the gaps view makes) is read by its owner alone and sends nothing;
        scheduling it sends the invitations; a cancelled session changes no more."""
        pbc = self.demo_client("analyst", "punjab-cert")
        health = self.org_of("pb-health")
        inbox_before = db_scalar(self.db, "SELECT count(*) FROM inbox WHERE org_id = ?", (health,))
        t = self.create(pbc, title="Backups that restore", status="draft", mode="virtual",
                        venue=None, meeting_url=None, starts_at=at(48), ends_at=at(50),
                        invited_org_ids=[health])
        # A draft may lack its link; scheduling it needs one.
        r = pbc.patch("/api/v1/trainings/%s" % t["id"], {"status": "scheduled"})
        self.assertError(r, 422, "invalid_field", "meeting_url")
        r = pbc.patch("/api/v1/trainings/%s" % t["id"],
                      {"meeting_url": "https://meet.rabta.test/backups"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(t["status"], "draft")
        self.assertEqual(db_scalar(self.db, "SELECT count(*) FROM inbox WHERE org_id = ?",
                                   (health,)), inbox_before)
        for who in (self.demo_client("reporter", "pb-health"), self.ncert()):
            self.assertEqual(who.get("/api/v1/trainings/%s" % t["id"]).status, 404)
        r = pbc.patch("/api/v1/trainings/%s" % t["id"], {"status": "scheduled"})
        self.assertEqual((r.status, r.json["status"]), (200, "scheduled"), r)
        self.assertEqual(db_scalar(self.db, "SELECT count(*) FROM inbox WHERE org_id = ?",
                                   (health,)), inbox_before + 1)
        self.assertEqual(self.demo_client("reporter", "pb-health").get(
            "/api/v1/trainings/%s" % t["id"]).status, 200)
        r = pbc.patch("/api/v1/trainings/%s" % t["id"], {"status": "draft"})
        self.assertError(r, 409, "conflict", "status")
        r = pbc.patch("/api/v1/trainings/%s" % t["id"], {"starts_at": at(72), "ends_at": at(74)})
        self.assertEqual((r.status, r.json["sequence"]), (200, 1), r)
        r = pbc.patch("/api/v1/trainings/%s" % t["id"], {"status": "cancelled"})
        self.assertEqual(r.status, 200, r)
        r = pbc.patch("/api/v1/trainings/%s" % t["id"], {"title": "Again"})
        self.assertError(r, 409, "conflict", "status")
        ics = self.demo_client("reporter", "pb-health").get("/api/v1/trainings/%s.ics" % t["id"])
        self.assertEqual(ical_props(ics.body.decode(), "STATUS"), ["CANCELLED"])
        # A draft that is cancelled tells no one: it never invited anyone.
        quiet = self.create(pbc, title="Never mind", status="draft", starts_at=at(90),
                            ends_at=at(91), invited_org_ids=[health])
        n = db_scalar(self.db, "SELECT count(*) FROM inbox WHERE org_id = ?", (health,))
        r = pbc.patch("/api/v1/trainings/%s" % quiet["id"], {"status": "cancelled"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(db_scalar(self.db, "SELECT count(*) FROM inbox WHERE org_id = ?",
                                   (health,)), n)
        # The list: mine, by status.
        mine = pbc.get("/api/v1/trainings?mine=1&status=cancelled").json["items"]
        self.assertIn(t["id"], [x["id"] for x in mine])
        r = pbc.get("/api/v1/trainings?status=over")
        self.assertError(r, 422, "invalid_field", "status")


class TestRefusals(TrainingCase):

    def test_organising_staff(self):
        """A session names the people of its CERT who organise it, lead first; without a list the
        creator is the lead. A change replaces the list; people of another org are refused."""
        nc = self.ncert()
        analyst, admin = (self.user_id(demo_email(r, "ncert")) for r in ("analyst", "admin"))
        t = self.create(nc)
        self.assertEqual([(p["id"], p["email"]) for p in t["staff"]],
                         [(analyst, demo_email("analyst", "ncert"))])
        self.assertTrue(t["staff"][0]["name"])
        t = self.create(nc, staff_user_ids=[admin, analyst])
        self.assertEqual([p["id"] for p in t["staff"]], [admin, analyst])
        # The lead is the iCalendar ORGANIZER (RFC 5546 asks one of a published event).
        ics = nc.get("/api/v1/trainings/%s.ics" % t["id"]).body.decode()
        self.check_ics(ics)
        self.assertEqual([l for l in unfold(ics) if l.startswith("ORGANIZER")],
                         ['ORGANIZER;CN="%s":mailto:%s' % (t["staff"][0]["name"],
                                                          demo_email("admin", "ncert"))])
        r = nc.patch("/api/v1/trainings/%s" % t["id"], {"staff_user_ids": [analyst]})
        self.assertEqual((r.status, [p["id"] for p in r.json["staff"]]), (200, [analyst]), r)
        # Readers of the session see who organises it: an invited org, in the list too.
        pb = self.demo_client("reporter", "pb-health")
        got = pb.get("/api/v1/trainings/%s" % t["id"]).json
        self.assertEqual([p["id"] for p in got["staff"]], [analyst])
        listed = [x for x in pb.get("/api/v1/trainings?limit=500").json["items"]
                  if x["id"] == t["id"]]
        self.assertEqual([p["id"] for p in listed[0]["staff"]], [analyst])
        # Whom the form offers: the active people of one's own org, of any role, and no one else.
        for client, slug in ((nc, "ncert"), (pb, "pb-health")):
            org = self.org_of(slug)
            want = [e for (e,) in db_query(self.db, "SELECT email FROM users WHERE org_id = ? AND "
                                           "disabled = 0 ORDER BY email", (org,))]
            got, cursor = [], None
            while True:
                page = client.get("/api/v1/me/colleagues?limit=2" +
                                  ("&cursor=" + cursor if cursor else "")).json
                got += [u["email"] for u in page["items"]]
                cursor = page["next_cursor"]
                if not cursor:
                    break
            self.assertEqual(got, want)
            self.assertGreaterEqual(len(got), 2)
        before = self.counts()
        r = nc.patch("/api/v1/trainings/%s" % t["id"],
                     {"staff_user_ids": [self.user_id(demo_email("analyst", "kp-cert"))]})
        self.assertError(r, 422, "invalid_field", "staff_user_ids", "organising CERT")
        self.assertEqual(self.counts(), before)
        self.assertEqual([p["id"] for p in nc.get("/api/v1/trainings/%s" % t["id"]).json["staff"]],
                         [analyst])

    def test_bad_input_writes_nothing(self):
        """Refused sessions store nothing: not the session, its topics, invitations, inbox items
        or an audit entry."""
        nc, pbc, inst = (self.ncert(), self.demo_client("analyst", "punjab-cert"),
                         self.demo_client("analyst", "pb-health"))
        kp = self.org_of("kp-cert")
        before = self.counts()
        base = {"title": "Drill", "mode": "in_person", "venue": "Hall 1", "starts_at": at(5),
                "ends_at": at(8), "invited_org_ids": [kp]}
        cases = [
            (dict(base, ends_at=at(4)), 422, "ends_at", "end after it starts"),
            (dict(base, ends_at=at(5)), 422, "ends_at", "end after it starts"),
            (dict(base, starts_at="tomorrow"), 422, "starts_at", None),
            (dict(base, topics=["ir", "zz-9"]), 422, "topics", "zz-9"),
            (dict(base, topics=["ir", "IR"]), 422, "topics", "twice"),
            (dict(base, mode="sometimes"), 422, "mode", None),
            (dict(base, capacity=0), 422, "capacity", None),
            (dict(base, tlp="AMBER"), 422, "tlp", None),
            (dict(base, meeting_url="javascript:alert(1)"), 422, "meeting_url", None),
            (dict(base, invited_org_ids=["00000000-0000-4000-8000-000000000000"]), 422,
             "invited_org_ids", None),
            (dict(base, title=""), 422, "title", None),
            (dict(base, topics="cloud"), 422, "topics", '"topics" must be a list'),
            (dict(base, topics=["t%d" % i for i in range(51)]), 422, "topics",
             '"topics" holds at most 50 items'),
            # The staff: people of the organising CERT, each once, 1 to 20 of them.
            (dict(base, staff_user_ids=[]), 422, "staff_user_ids", "1 to 20"),
            (dict(base, staff_user_ids=[self.user_id(demo_email("analyst", "punjab-cert"))]),
             422, "staff_user_ids", "staff_user_ids[0]: not an active person"),
            (dict(base, staff_user_ids=[self.user_id(demo_email("admin", "ncert"))] * 2), 422,
             "staff_user_ids", "named twice"),
            (dict(base, staff_user_ids=["x" * 21] * 21), 422, "staff_user_ids", None),
        ]
        for body, status, field, words in cases:
            r = nc.post("/api/v1/trainings", body)
            self.assertError(r, status, "invalid_field", field, words)
        r = nc.post("/api/v1/trainings", dict(base, colour="blue"))
        self.assertEqual(r.status, 422, r)
        # A provincial CERT invites its own constituency only.
        r = pbc.post("/api/v1/trainings", dict(base, invited_org_ids=[self.org_of("sd-health")]))
        self.assertError(r, 422, "invalid_field", "invited_org_ids", "constituency")
        # An institution organises nothing.
        r = inst.post("/api/v1/trainings", base)
        self.assertError(r, 403, "forbidden")
        self.assertEqual(self.counts(), before)

    def test_what_is_not_over_yet(self):
        """?ends_from=<now> keeps a session under way and one to come, not one that is over (the
        home page's invitations read it; by start date a session begun before midnight UTC was
        missing); a bad time is refused naming the filter."""
        nc = self.ncert()
        under_way = self.create(nc, title="Under way", starts_at=at(-1), ends_at=at(3))["id"]
        over = self.create(nc, title="Over", starts_at=at(-5), ends_at=at(-2))["id"]
        to_come = self.create(nc, title="To come", starts_at=at(24), ends_at=at(26))["id"]
        r = nc.get("/api/v1/trainings?mine=1&limit=500&ends_from=" + at(0))
        self.assertEqual(r.status, 200, r)
        ids = [s["id"] for s in r.json["items"]]
        self.assertIn(under_way, ids)
        self.assertIn(to_come, ids)
        self.assertNotIn(over, ids)
        self.assertTrue(all(s["ends_at"] >= at(-0.01) for s in r.json["items"]), r.json)
        # Both filters at once: started on or after the date, and not over yet.
        day = at(-0.5)[:10]
        r = nc.get("/api/v1/trainings?mine=1&limit=500&from=" + day + "&ends_from=" + at(0))
        self.assertEqual(r.status, 200, r)
        ids = [s["id"] for s in r.json["items"]]
        self.assertIn(to_come, ids)
        self.assertNotIn(over, ids)
        self.assertTrue(all(s["starts_at"] >= day and s["ends_at"] >= at(-0.01)
                            for s in r.json["items"]), r.json)
        for bad in ("yesterday", "2026-13-01", "x" * 41):
            self.assertError(nc.get("/api/v1/trainings?ends_from=" + bad), 422, "invalid_field",
                             "ends_from", "date")

    def test_a_full_session_says_so(self):
        """Capacity 2: the third registration is refused with 409 and stores nothing; taking a
        registration back frees a place."""
        nc = self.ncert()
        orgs = [self.org_of(s) for s in ("punjab-cert", "sindh-cert")]
        t = self.create(nc, title="Small room", mode="in_person", meeting_url=None, capacity=2,
                        invited_org_ids=orgs, starts_at=at(20), ends_at=at(22))
        pb = self.demo_client("analyst", "punjab-cert")
        first = self.register(pb, t["id"], "One")
        self.register(self.demo_client("analyst", "sindh-cert"), t["id"], "Two")
        self.assertTrue(nc.get("/api/v1/trainings/%s" % t["id"]).json["full"])
        before = self.counts()
        r = pb.post("/api/v1/trainings/%s/people" % t["id"], {"name": "Three"})
        err = self.assertError(r, 409, "conflict", None, "full")
        self.assertIn("2 places", err["message"])
        self.assertEqual(self.counts(), before)
        # Capacity cannot drop below who is registered.
        r = nc.patch("/api/v1/trainings/%s" % t["id"], {"capacity": 1})
        self.assertError(r, 409, "conflict", "capacity")
        r = pb.post("/api/v1/trainings/%s/unregister" % t["id"], {"person_id": first["id"]})
        self.assertEqual((r.status, r.json["registered"]), (200, 1), r)
        self.register(pb, t["id"], "Three")


class TestCalendarFeed(TrainingCase):

    def test_feed_token_revoked_answers_404(self):
        """Punjab Health's focal person makes a feed; a calendar program reads it without signing
        in; the sessions it is invited to are there; revoked, the URL answers 404."""
        health = self.org_of("pb-health")
        pbc = self.demo_client("analyst", "punjab-cert")
        t = self.create(pbc, title="Phishing, passwords; and you", mode="virtual", venue=None,
                        starts_at=at(30), ends_at=at(32), invited_org_ids=[health],
                        description="Line one\nLine two, with a comma")
        other = self.create(pbc, title="Not for Health", mode="virtual", venue=None,
                            starts_at=at(30), ends_at=at(32),
                            invited_org_ids=[self.org_of("pb-finance")])
        rep = self.demo_client("reporter", "pb-health")
        path = "/api/v1/orgs/%s/calendar-feed" % health
        self.assertEqual(rep.get(path).status, 404)
        r = rep.post(path)
        self.assertEqual(r.status, 201, r)
        self.assertRegex(r.json["token"], r"^rbc_[0-9a-f]{64}$")
        feed = r.json["path"]
        self.assertEqual(feed, "/api/v1/calendar/%s.ics" % r.json["token"])
        # Only its hash is stored.
        self.assertEqual(db_scalar(self.db, "SELECT count(*) FROM calendar_feeds WHERE "
                                            "token_hash = ?", (r.json["token"],)), 0)
        shown = rep.get(path).json
        self.assertNotIn("token", shown)
        self.assertEqual(shown["prefix"], r.json["token"][:12])
        anon = self.client()
        r = anon.get(feed)
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.header("Content-Type").startswith("text/calendar"))
        text = r.body.decode("utf-8")
        self.check_ics(text)
        self.assertEqual(ical_props(text, "METHOD"), ["PUBLISH"])
        uids = ical_props(text, "UID")
        self.assertIn(t["id"] + "@rabta", uids)
        self.assertNotIn(other["id"] + "@rabta", uids)
        self.assertIn("SUMMARY:Phishing\\, passwords\\; and you", unfold(text))
        self.assertIn("DESCRIPTION:Line one\\nLine two\\, with a comma", unfold(text))
        # Another org may not manage Health's feed: a sibling does not see it (404), the CERT
        # above it is not the org (403).
        self.assertEqual(self.demo_client("reporter", "pb-finance").post(path).status, 404)
        self.assertError(pbc.post(path), 403, "forbidden")
        # A new feed replaces the old: the old URL answers 404.
        r2 = rep.post(path)
        self.assertEqual(anon.get(feed).status, 404)
        feed2 = r2.json["path"]
        self.assertEqual(anon.get(feed2).status, 200)
        # Revoked: 404, and a second revoke has nothing to revoke.
        self.assertEqual(rep.delete(path).status, 204)
        r = anon.get(feed2)
        self.assertError(r, 404, "not_found")
        self.assertEqual(rep.delete(path).status, 204)
        self.assertEqual(rep.get(path).status, 404)
        # A made-up token is the same 404.
        self.assertEqual(anon.get("/api/v1/calendar/rbc_%s.ics" % ("0" * 64)).status, 404)
        self.assertEqual(anon.get("/api/v1/calendar/nonsense.ics").status, 404)


class TestGapsAndRollup(GuideCase, TrainingCase):
    """A small constructed case: a campaign over Punjab with one control in each of three
    domains (ir, at, gv), four institutions answering with chosen maturities."""

    # maturity per institution for ir-3, at-1, gv-1: a domain's score is maturity * 20
    ANSWERS = {"pb-finance": (1, 1, 5), "pb-health": (2, 4, 5), "pb-landrecords": (4, 1, 5),
               "lhr-water": (1, 5, 4)}

    @classmethod
    def prepare(cls):
        pid = cls.make_profile("Three domains", ["ir-3", "at-1", "gv-1"],
                               email=demo_email("analyst", "punjab-cert"))
        camp = cls.launch(pid, "Punjab three domains")
        cls.campaign = camp["id"]
        for slug, (ir, aw, gv) in cls.ANSWERS.items():
            c = cls.demo_client("reporter", slug)
            aid = cls.assessment_of(cls.campaign, slug)
            items = [{"control_id": "ir-3", "status": "partial", "maturity": ir},
                     {"control_id": "at-1", "status": "partial", "maturity": aw},
                     {"control_id": "gv-1", "status": "implemented", "maturity": gv}]
            r = c.request("PUT", "/api/v1/assessments/%s/answers" % aid, {"answers": items})
            assert r.status == 200, r
            r = c.post("/api/v1/assessments/%s/submit" % aid)
            assert r.status == 200, r

    def test_gaps_on_a_small_case(self):
        """ir is weakest (mean 40): Finance attended a held session on it, Health was invited
        but did not attend, Water had none; at (mean 55): Land Records is invited to an upcoming
        one, Finance had none; gv (mean 95) has no weak org."""
        pbc = self.demo_client("analyst", "punjab-cert")
        fin, health, land, water = (self.org_of(s) for s in
                                    ("pb-finance", "pb-health", "pb-landrecords", "lhr-water"))
        held = self.create(pbc, title="Incident response basics", topics=["ir"],
                           catalog_id=self.catalog_id, invited_org_ids=[fin, health])
        p = self.register(self.demo_client("reporter", "pb-finance"), held["id"], "Farah")
        self.register(self.demo_client("reporter", "pb-health"), held["id"], "Hamid")
        self.attend(pbc, held["id"], p["id"], "in_person")
        r = pbc.patch("/api/v1/trainings/%s" % held["id"], {"ends_at": at(-0.02)})
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.json["held"])
        self.create(pbc, title="Awareness that sticks", topics=["at-1"], catalog_id=self.catalog_id,
                    invited_org_ids=[land], starts_at=at(100), ends_at=at(102))
        # A session on the demo's own catalog does not count against this campaign's.
        self.create(pbc, title="Other catalog", topics=["at"], invited_org_ids=[fin],
                    starts_at=at(100), ends_at=at(102))
        r = pbc.get("/api/v1/trainings/gaps?campaign_id=%s" % self.campaign)
        self.assertEqual(r.status, 200, r)
        g = r.json
        self.assertEqual((g["campaign_id"], g["root"], g["below"], g["orgs_scored"]),
                         (self.campaign, self.org_of("punjab-cert"), 50, 4))
        doms = {d["id"]: d for d in g["domains"]}
        self.assertEqual([d["id"] for d in g["domains"]], ["ir", "at", "gv"])
        ir, aw, gv = doms["ir"], doms["at"], doms["gv"]
        self.assertEqual((ir["n"], ir["mean"]), (4, 40))
        self.assertEqual((aw["n"], aw["mean"]), (4, 55))
        self.assertEqual((gv["n"], gv["mean"]), (4, 95))
        self.assertEqual((ir["weak"], ir["weak_trained"], ir["weak_planned"], ir["weak_untrained"],
                          ir["sessions_held"], ir["sessions_upcoming"]), (3, 1, 0, 2, 1, 0))
        self.assertEqual([(o["org_id"], o["score"]) for o in ir["untrained_orgs"]],
                         [(water, 20), (health, 40)])
        self.assertEqual((aw["weak"], aw["weak_trained"], aw["weak_planned"],
                          aw["weak_untrained"], aw["sessions_held"], aw["sessions_upcoming"]),
                         (2, 0, 1, 1, 0, 1))
        self.assertEqual([o["org_id"] for o in aw["untrained_orgs"]], [fin])
        self.assertEqual((gv["weak"], gv["untrained_orgs"]), (0, []))
        # A higher bar makes more orgs weak; one domain alone; the newest campaign by default.
        g2 = pbc.get("/api/v1/trainings/gaps?campaign_id=%s&below=90&domain=gv"
                     % self.campaign).json
        self.assertEqual([(d["id"], d["weak"]) for d in g2["domains"]], [("gv", 1)])
        self.assertEqual(pbc.get("/api/v1/trainings/gaps").json["campaign_id"], self.campaign)
        self.assertError(pbc.get("/api/v1/trainings/gaps?below=0"), 422, "invalid_field", "below")
        self.assertError(pbc.get("/api/v1/trainings/gaps?campaign_id=%s&domain=xx"
                                 % self.campaign), 422, "invalid_field", "domain")
        # Another province sees none of Punjab's assessments: not its root.
        sd = self.demo_client("analyst", "sindh-cert")
        self.assertEqual(sd.get("/api/v1/trainings/gaps?root=%s&campaign_id=%s"
                                % (self.org_of("punjab-cert"), self.campaign)).status, 404)
        # The "draft this session" button: a draft inviting those orgs.
        ids = [o["org_id"] for o in ir["untrained_orgs"]]
        d = self.create(pbc, title="Incident response, round two", status="draft", topics=["ir"],
                        catalog_id=self.catalog_id, invited_org_ids=ids, starts_at=at(200),
                        ends_at=at(203))
        self.assertEqual((d["status"], d["invited"]), ("draft", 2))
        # A draft plans nothing yet: the same two orgs are still untrained.
        again = pbc.get("/api/v1/trainings/gaps?campaign_id=%s&domain=ir" % self.campaign).json
        self.assertEqual(again["domains"][0]["weak_untrained"], 2)

    def test_rollup_counted_by_hand(self):
        """Two held sessions of AJK CERT: four people registered, three attended (two in person,
        one online), ratings 5 and 3; the roll-up moves by exactly that, per province, per CERT,
        per org and per domain (the demo's own sessions are there before and after)."""
        sdc = self.demo_client("analyst", "ajk-cert")
        rev, edu = self.org_of("ajk-finance"), self.org_of("ajk-health")
        before = sdc.get("/api/v1/trainings/rollup").json
        s1 = self.create(sdc, title="Logging for auditors", topics=["lm"],
                         invited_org_ids=[rev, edu])
        s2 = self.create(sdc, title="Backups", topics=["br", "br-2"], invited_org_ids=[rev])
        a = self.register(self.demo_client("reporter", "ajk-finance"), s1["id"], "Asad")
        b = self.register(self.demo_client("reporter", "ajk-health"), s1["id"], "Bina")
        self.register(self.demo_client("reporter", "ajk-health"), s1["id"], "Chand")
        c = self.register(self.demo_client("reporter", "ajk-finance"), s2["id"], "Asad")
        self.attend(sdc, s1["id"], a["id"], "in_person")
        self.attend(sdc, s1["id"], b["id"], "virtual")
        self.attend(sdc, s2["id"], c["id"], "in_person")
        for who, tid, pid, rating in (("ajk-finance", s1["id"], a["id"], 5),
                                      ("ajk-health", s1["id"], b["id"], 3)):
            r = self.demo_client("reporter", who).post(
                "/api/v1/trainings/%s/feedback" % tid, {"person_id": pid, "rating": rating})
            self.assertEqual(r.status, 200, r)
        for s in (s1, s2):
            self.assertEqual(sdc.patch("/api/v1/trainings/%s" % s["id"],
                                       {"ends_at": at(-0.02)}).status, 200)
        r = sdc.get("/api/v1/trainings/rollup")
        self.assertEqual(r.status, 200, r)
        ru = r.json
        self.assertEqual(ru["root"], self.org_of("ajk-cert"))
        keys = ("sessions_held", "orgs_invited", "orgs_reached", "registered", "attended",
                "in_person", "virtual")
        self.assertEqual(tuple(ru[k] - before[k] for k in keys), (2, 2, 2, 4, 3, 2, 1))
        self.assertEqual([ru["ratings"][i] - before["ratings"][i] for i in range(5)],
                         [0, 0, 1, 0, 1])
        self.assertEqual(ru["feedback"]["n"] - before["feedback"]["n"], 2)
        self.assertEqual(ru["attendance_rate"],
                         round(ru["attended"] / ru["registered"], 3) if ru["registered"] else None)
        prov = lambda x: {p["key"]: p for p in x["by_province"]}.get(
            "azad_jammu_kashmir", {"attended": 0, "sessions": 0})
        self.assertEqual((prov(ru)["attended"] - prov(before)["attended"],
                          prov(ru)["sessions"] - prov(before)["sessions"]), (3, 2))
        # Per CERT (the attending org's CERT): AJK CERT's constituency moved by the same numbers.
        cert = lambda x: {c["key"]: c for c in x["by_cert"]}.get(
            self.org_of("ajk-cert"), dict.fromkeys(("sessions", "registered", "attended",
                                                    "in_person", "virtual"), 0))
        self.assertEqual(tuple(cert(ru)[k] - cert(before)[k] for k in
                               ("sessions", "registered", "attended", "in_person", "virtual")),
                         (2, 4, 3, 2, 1))
        self.assertGreaterEqual(cert(ru)["orgs_reached"], 2)
        orgs = {o["key"]: o for o in ru["by_org"]}
        self.assertEqual((orgs[rev]["sessions"], orgs[rev]["attended"], orgs[rev]["in_person"],
                          orgs[rev]["domains"], orgs[rev]["feedback"]),
                         (2, 2, 2, ["lm", "br"], {"n": 1, "mean": 5}))
        self.assertEqual((orgs[edu]["registered"], orgs[edu]["attended"], orgs[edu]["virtual"],
                          orgs[edu]["attendance_rate"], orgs[edu]["domains"]),
                         (2, 1, 1, 0.5, ["lm"]))
        dom = lambda x, k: {d["key"]: d for d in x["by_domain"]}.get(k, {"sessions": 0,
                                                                        "attended": 0})
        self.assertEqual((dom(ru, "lm")["sessions"] - dom(before, "lm")["sessions"],
                          dom(ru, "lm")["attended"] - dom(before, "lm")["attended"]), (1, 2))
        self.assertEqual((dom(ru, "br")["sessions"] - dom(before, "br")["sessions"],
                          dom(ru, "br")["attended"] - dom(before, "br")["attended"]), (1, 1))
        # A span of time: sessions that start in it.
        later = sdc.get("/api/v1/trainings/rollup?since=%s" % at(1)).json
        self.assertEqual((later["sessions_held"], later["registered"], later["by_org"]), (0, 0, []))
        self.assertError(sdc.get("/api/v1/trainings/rollup?since=soon"), 422, "invalid_field")
        # Punjab's roll-up does not count AJK's people.
        pb = self.demo_client("analyst", "punjab-cert").get("/api/v1/trainings/rollup").json
        self.assertNotIn(rev, [o["key"] for o in pb["by_org"]])
        # The National CERT sees them as part of the nation.
        nat = self.ncert().get("/api/v1/trainings/rollup").json
        self.assertIn(rev, [o["key"] for o in nat["by_org"]])
        # A root the caller may not see is 404.
        self.assertEqual(self.demo_client("analyst", "punjab-cert").get(
            "/api/v1/trainings/rollup?root=%s" % self.org_of("ajk-cert")).status, 404)
