"""Every count rabta answers follows the sharing policy (DESIGN.md section 5: "aggregates (counts,
scores, heat maps) are computed only from objects the viewer may read").

For a fixed list of users covering every role and every tier of the demo hierarchy (the National
CERT with all five roles, a provincial and a sectoral CERT, two institutions), each count is
checked against the objects that same user can list:

  orgs         an org's `children` (in the list, in GET /orgs/{id} and in /me) is the number of
               orgs of the caller's readable list whose parent_id is that org;
  campaigns    a campaign's `assessments` (in the list and in GET /campaigns/{id}) is the number
               of assessments the caller can list for it, and the roll-up's `assessments` too;
  roll-up      submitted + not_submitted == assessments; submitted and accepted agree with the
               statuses of the listed assessments; score.n <= submitted; the histogram and each
               by_province / by_sector grouping add up to score.n; not_submitted_orgs has
               not_submitted entries, all of them listed assessments;
  gaps, trend  no gap count exceeds score.n; a trend point's `submitted` is the roll-up's score.n
               and names only campaigns the caller can list;
  trainings    a session's invited, registered and attended are its invites' sums (and its people
               for the organiser; the own org's people against `you.registered` for the others);
               the training roll-up's groupings add up to its totals.

Nothing here is copied from rabta's own arithmetic: every expected number is a count of items
the same caller received. Each user and object is a subTest, so one run reports every breach.
"""

import collections

from harness import ServerCase, demo_email
from test_campaigns import future_date

# (role, org slug). The demo has no viewer; the National CERT's admin creates one in prepare().
USERS = [("admin", "ncert"), ("analyst", "ncert"), ("reporter", "ncert"), ("viewer", "ncert"),
         ("auditor", "ncert"),
         ("admin", "punjab-cert"), ("analyst", "punjab-cert"), ("reporter", "punjab-cert"),
         ("admin", "telecom-cert"), ("analyst", "telecom-cert"), ("reporter", "telecom-cert"),
         ("admin", "pb-health"), ("reporter", "pb-health"),
         ("admin", "indus-fibre"), ("reporter", "indus-fibre")]
SCORED = ("submitted", "accepted")


class TestCountsFollowThePolicy(ServerCase):
    """The demo hierarchy, plus a viewer at the National CERT and a campaign the Telecom Sector
    CERT launched over its own five institutions (so a campaign owned by a middle tier is
    counted too)."""

    @classmethod
    def prepare(cls):
        nat = cls.demo_client("admin", "ncert")
        r = nat.post("/api/v1/users", {"email": demo_email("viewer", "ncert"),
                                       "name": "NCERT Viewer", "role": "viewer",
                                       "password": "viewer-password-2026"})
        if r.status != 201:
            raise AssertionError("viewer not created: %r" % r)
        tel = cls.demo_client("analyst", "telecom-cert")
        profiles, _ = tel.list_all("/api/v1/profiles")
        base = [p for p in profiles if p["title"] == "National baseline for institutions"]
        if len(base) != 1:
            raise AssertionError("the demo's institutions profile is missing: %r" % profiles)
        r = tel.post("/api/v1/campaigns", {"profile_id": base[0]["id"],
                                           "title": "Telecom sector baseline check",
                                           "due_date": future_date()})
        if r.status != 201 or r.json["assessments"] != 5:
            raise AssertionError("campaign not launched over the telecom sector: %r" % r)
        cls.telecom_campaign = r.json["id"]
        # One telecom institution starts its form, so the new campaign has a draft as well as
        # untouched assessments.
        fibre = cls.demo_client("reporter", "indus-fibre")
        items, _ = fibre.list_all("/api/v1/assessments?campaign_id=" + cls.telecom_campaign)
        if len(items) != 1:
            raise AssertionError("Indus Fibre should read its one assessment: %r" % items)
        r = fibre.request("PUT", "/api/v1/assessments/%s/answers" % items[0]["id"],
                          {"answers": [{"control_id": "gv-1", "status": "partial",
                                        "maturity": 2}]})
        if r.status != 200:
            raise AssertionError("draft not saved: %r" % r)

    def users(self):
        return [demo_email(role, slug) for role, slug in USERS]

    def test_the_user_list_covers_every_role_and_tier(self):
        people = self.people(refresh=True)
        roles = {people[e]["role"] for e in self.users()}
        self.assertEqual(roles, {"admin", "analyst", "reporter", "viewer", "auditor"})
        kinds = set()
        for e in self.users():
            org = self.client(e).get("/api/v1/me").json["org"]
            kinds.add(org["kind"])
        self.assertEqual(kinds, {"national_cert", "provincial_cert", "sectoral_cert",
                                 "institution"})

    # ---- orgs ----

    def test_org_children_count_only_readable_orgs(self):
        for email in self.users():
            c = self.client(email)
            orgs, _ = c.list_all("/api/v1/orgs", limit=7)
            ids = [o["id"] for o in orgs]
            self.assertEqual(len(ids), len(set(ids)), "%s: duplicates across pages" % email)
            readable_children = collections.Counter(o["parent_id"] for o in orgs)
            for o in orgs:
                want = readable_children[o["id"]]
                with self.subTest(user=email, org=o["name"], via="GET /api/v1/orgs"):
                    self.assertEqual(o["children"], want,
                                     "%s lists %d children of %s but the org says %d"
                                     % (email, want, o["name"], o["children"]))
                with self.subTest(user=email, org=o["name"], via="GET /api/v1/orgs/{id}"):
                    r = c.get("/api/v1/orgs/" + o["id"])
                    self.assertEqual(r.status, 200, r)
                    self.assertEqual(r.json["children"], want,
                                     "GET /orgs/{id} of %s says %d children to %s, who lists %d"
                                     % (o["name"], r.json["children"], email, want))
            with self.subTest(user=email, via="GET /api/v1/me"):
                me = c.get("/api/v1/me").json["org"]
                self.assertIn(me["id"], ids)
                self.assertEqual(me["children"], readable_children[me["id"]])

    def test_the_visible_tree_is_what_the_policy_says(self):
        """The premise of the children check: the lists themselves are own org + ancestors +
        subtree (counted here by hand from the demo's shape)."""
        want = {"ncert": 47, "punjab-cert": 8, "telecom-cert": 7, "pb-health": 3,
                "indus-fibre": 3}
        for role, slug in USERS:
            email = demo_email(role, slug)
            with self.subTest(user=email):
                orgs, _ = self.client(email).list_all("/api/v1/orgs")
                self.assertEqual(len(orgs), want[slug])

    # ---- campaigns, roll-ups, gaps, trend ----

    def test_campaign_assessment_counts_and_rollups_count_only_readable_assessments(self):
        seen_campaigns = 0
        for email in self.users():
            c = self.client(email)
            campaigns, _ = c.list_all("/api/v1/campaigns")
            seen_campaigns += len(campaigns)
            for camp in campaigns:
                cid = camp["id"]
                tag = dict(user=email, campaign=camp["title"])
                items, _ = c.list_all("/api/v1/assessments?campaign_id=" + cid, limit=17)
                self.assertEqual(len({a["id"] for a in items}), len(items), "duplicates")
                self.assertTrue(all(a["campaign_id"] == cid for a in items))
                n = len(items)
                status = collections.Counter(a["status"] for a in items)
                with self.subTest(check="campaign.assessments (list)", **tag):
                    self.assertEqual(camp["assessments"], n,
                                     "%s reads %d assessments of the campaign, which says %d"
                                     % (email, n, camp["assessments"]))
                with self.subTest(check="campaign.assessments (GET)", **tag):
                    one = c.get("/api/v1/campaigns/" + cid)
                    self.assertEqual(one.status, 200, one)
                    self.assertEqual(one.json["assessments"], n)
                r = c.get("/api/v1/campaigns/%s/rollup" % cid)
                self.assertEqual(r.status, 200, r)
                ru = r.json
                with self.subTest(check="rollup.assessments", **tag):
                    self.assertEqual(ru["assessments"], n)
                with self.subTest(check="rollup sums", **tag):
                    self.assertEqual(ru["submitted"] + ru["not_submitted"], ru["assessments"])
                    self.assertLessEqual(ru["score"]["n"], ru["submitted"])
                    self.assertEqual(len(ru["not_submitted_orgs"]), ru["not_submitted"])
                    self.assertEqual(sum(ru["score"]["histogram"]), ru["score"]["n"])
                    self.assertLessEqual(ru["accepted"], ru["submitted"])
                    self.assertLessEqual(ru["overdue"], ru["not_submitted"])
                with self.subTest(check="rollup groups", **tag):
                    self.assertEqual(sum(g["n"] for g in ru["by_province"]), ru["score"]["n"],
                                     ru["by_province"])
                    self.assertEqual(sum(g["n"] for g in ru["by_sector"]), ru["score"]["n"],
                                     ru["by_sector"])
                    for g in ru["by_domain"]:
                        self.assertLessEqual(g["n"], ru["score"]["n"], g)
                with self.subTest(check="rollup against the listed assessments", **tag):
                    self.assertEqual(ru["submitted"], sum(status[s] for s in SCORED))
                    self.assertEqual(ru["accepted"], status["accepted"])
                    self.assertEqual(ru["score"]["n"],
                                     sum(1 for a in items
                                         if a["status"] in SCORED and a["score"] is not None))
                    listed = {a["id"] for a in items}
                    pending = {p["assessment_id"] for p in ru["not_submitted_orgs"]}
                    self.assertLessEqual(pending, listed,
                                         "not_submitted_orgs names assessments %s cannot read"
                                         % email)
                    self.assertEqual(pending, {a["id"] for a in items
                                               if a["status"] not in SCORED})
                with self.subTest(check="gaps", **tag):
                    g = c.get("/api/v1/campaigns/%s/gaps?limit=500" % cid)
                    self.assertEqual(g.status, 200, g)
                    for row in g.json["controls"] + g.json["domains"]:
                        self.assertLessEqual(row["assessments"], ru["score"]["n"], row)
            with self.subTest(user=email, check="trend"):
                profiles, _ = c.list_all("/api/v1/profiles")
                readable = {camp["id"]: camp for camp in campaigns}
                for p in profiles:
                    t = c.get("/api/v1/profiles/%s/trend" % p["id"])
                    self.assertEqual(t.status, 200, t)
                    for point in t.json["campaigns"]:
                        self.assertIn(point["campaign_id"], readable,
                                      "the trend names a campaign %s cannot list" % email)
                        ru = c.get("/api/v1/campaigns/%s/rollup" % point["campaign_id"]).json
                        self.assertEqual(point["submitted"], ru["score"]["n"], point)
        # The premise: campaigns were there to count (3 for the national tier, fewer below).
        self.assertGreater(seen_campaigns, len(USERS))

    def test_rollup_of_a_subtree_counts_only_that_subtree(self):
        """?root= narrows the roll-up to a subtree; its counts are the readable assessments of
        orgs in that subtree (the org list under ?root= says which orgs those are)."""
        for email in (demo_email("admin", "ncert"), demo_email("analyst", "punjab-cert"),
                      demo_email("reporter", "pb-health")):
            c = self.client(email)
            campaigns, _ = c.list_all("/api/v1/campaigns")
            for slug in ("punjab-cert", "pb-health", "telecom-cert"):
                root = self.org_of(slug)
                sub, _ = c.list_all("/api/v1/orgs?root=" + root)
                sub_ids = {o["id"] for o in sub}
                for camp in campaigns:
                    with self.subTest(user=email, root=slug, campaign=camp["title"]):
                        items, _ = c.list_all("/api/v1/assessments?campaign_id=" + camp["id"])
                        want = [a for a in items if a["org_id"] in sub_ids]
                        ru = c.get("/api/v1/campaigns/%s/rollup?root=%s" % (camp["id"], root))
                        self.assertEqual(ru.status, 200, ru)
                        self.assertEqual(ru.json["assessments"], len(want))
                        self.assertEqual(ru.json["submitted"],
                                         sum(1 for a in want if a["status"] in SCORED))
                        self.assertEqual(ru.json["submitted"] + ru.json["not_submitted"],
                                         ru.json["assessments"])


class TestTrainingCountsFollowThePolicy(ServerCase):
    """The demo's season of training sessions: for every user of USERS, every session it lists
    carries counts that match the lists it can read (the invites always; the people when it
    organises the session, else its own org's people against `you.registered`), and the roll-up's
    groupings add up to its totals."""

    # The same users: the viewer at the National CERT is made the same way.
    prepare = classmethod(TestCountsFollowThePolicy.prepare.__func__)

    def test_session_counts_match_their_lists(self):
        for role, slug in USERS:
            c = self.demo_client(role, slug)
            sessions, _ = c.list_all("/api/v1/trainings")
            self.assertTrue(sessions, "%s lists no session" % slug)
            for t in sessions:
                with self.subTest(user=(role, slug), session=t["title"]):
                    invites = c.get("/api/v1/trainings/%s/invites" % t["id"]).json["items"]
                    self.assertEqual(t["invited"], len(invites))
                    self.assertEqual(t["registered"], sum(i["registered"] for i in invites))
                    self.assertEqual(t["attended"], sum(i["attended"] for i in invites))
                    self.assertEqual(t["attended"], t["in_person"] + t["virtual"])
                    people = c.get("/api/v1/trainings/%s/people" % t["id"]).json["items"]
                    if t["you"]["organiser"]:
                        self.assertEqual(len(people), t["registered"])
                        self.assertEqual(sum(1 for p in people if p["attended_mode"]), t["attended"])
                        self.assertEqual(sum(1 for p in people if p["rating"]), t["feedback_count"])
                    else:
                        self.assertEqual(len(people), t["you"]["registered"])
                        me = c.get("/api/v1/me").json["org"]["id"]
                        self.assertTrue(all(p["org_id"] == me for p in people))

    def test_rollup_groupings_add_up(self):
        for role, slug in USERS:
            ru = self.demo_client(role, slug).get("/api/v1/trainings/rollup").json
            with self.subTest(user=(role, slug)):
                for key in ("by_province", "by_cert", "by_org"):
                    self.assertEqual(sum(g["attended"] for g in ru[key]), ru["attended"], key)
                    self.assertEqual(sum(g["registered"] for g in ru[key]), ru["registered"], key)
                    self.assertEqual(sum(g["feedback"]["n"] for g in ru[key]), ru["feedback"]["n"])
                self.assertEqual(sum(1 for o in ru["by_org"] if o["attended"]), ru["orgs_reached"])
                self.assertEqual(sum(ru["ratings"]), ru["feedback"]["n"])
                self.assertEqual(ru["in_person"] + ru["virtual"], ru["attended"])
