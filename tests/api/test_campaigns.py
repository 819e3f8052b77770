"""Campaigns and assessments: the whole preparedness story on the demo hierarchy, from a profile
and a campaign launch to an accepted assessment, with every number of the roll-up, the gap report
and the trend checked against values computed by hand here from the catalog file's weights.

The formula (docs/api.md, src/core/score.h): a control scores maturity/5; not_applicable controls
are left out; the org's score is 100 * sum(w * maturity/5) / sum(w) over the counted controls, and
each domain's score the same over its controls; w is the control's "weight" prop (default 1).
"""

import csv
import datetime
import io
import json
import unittest

from harness import (ServerCase, Client, ANY, cli_ok, db_query, db_snapshot, demo_email,
                     SNAPSHOT_TABLES, UUID_RE, RFC3339_RE)
from test_catalogs import NATIONAL, IMPORT_LINE, load_catalog

PUNJAB_INSTITUTIONS = ["pb-finance", "pb-health", "pb-landrecords", "lhr-water", "pb-power",
                       "pb-emergency"]
ASSESSMENT_KEYS = {"id", "campaign_id", "campaign_title", "campaign_status", "catalog_id", "org_id", "org_name",
                   "status", "tlp", "due_date", "score", "answered", "total", "submitted_at",
                   "reviewed_at", "updated_at"}
CAMPAIGN_KEYS = {"id", "title", "profile_id", "profile_title", "catalog_id", "owner_org",
                 "owner_name", "tlp", "status", "due_date", "kind", "province", "sector",
                 "assessments", "created_at"}
GUIDE_TABLES = ("catalogs", "profiles", "profile_controls", "campaigns", "assessments",
                "assessment_answers", "history", "grants")

# The story's profile: six controls from six domains of the national baseline (catalog order).
STORY_CONTROLS = ["gv-1", "iam-2", "vpm-2", "br-2.1", "ir-3", "at-1"]
NA = "not_applicable"
# Punjab Health's first answers: control -> (status, maturity).
HEALTH_FIRST = {"gv-1": ("implemented", 4), "iam-2": ("partial", 3), "vpm-2": ("partial", 2),
                "br-2.1": ("planned", 1), "ir-3": ("implemented", 5),
                "at-1": ("not_implemented", 0)}
# The reviewer returns vpm-2; Punjab Health fixes it.
HEALTH_FIX = {"vpm-2": ("implemented", 4)}
HEALTH_FINAL = dict(HEALTH_FIRST, **HEALTH_FIX)
# Punjab Finance answers differently, with br-2.1 not applicable.
FINANCE = {"gv-1": ("implemented", 5), "iam-2": ("implemented", 4), "vpm-2": ("partial", 2),
           "br-2.1": (NA, None), "ir-3": ("not_implemented", 0), "at-1": ("partial", 3)}
# For the reader (the test computes every number from the file's weights: gv-1 2, iam-2 3,
# vpm-2 3, br-2.1 2, ir-3 1, at-1 2):
#   Health, first:  100 * (2*4 + 3*3 + 3*2 + 2*1 + 1*5 + 2*0) / 5 / 13 = 46.15
#   Health, final:  100 * (2*4 + 3*3 + 3*4 + 2*1 + 1*5 + 2*0) / 5 / 13 = 55.38
#   Finance:        100 * (2*5 + 3*4 + 3*2 + 1*0 + 2*3) / 5 / 11       = 61.82 (br-2.1 left out)
#   Roll-up: mean = median 58.60, min 55.38, max 61.82, q1 56.99, q3 60.21; bins 5 and 6.
#   Gaps (mean of maturity*20): br-2.1 20, at-1 30, ir-3 50, vpm-2 60, iam-2 70, gv-1 90.


def future_date(days=400):
    return (datetime.date.today() + datetime.timedelta(days=days)).isoformat()


# ---- the hand computations ----

def hand_score(answers, weights, only=None):
    """100 * sum(w * m/5) / sum(w) over the non-N/A answers (of the controls in `only`), or None
    when nothing counts."""
    num = den = 0.0
    for cid, (status, maturity) in answers.items():
        if status == NA or (only is not None and cid not in only):
            continue
        num += weights[cid] * maturity / 5.0
        den += weights[cid]
    return 100.0 * num / den if den else None


def hand_quantile(values, q):
    """numpy.quantile's default (linear interpolation between closest ranks)."""
    v = sorted(values)
    pos = (len(v) - 1) * q
    lo = int(pos)
    hi = min(lo + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (pos - lo)


def hand_histogram(values):
    bins = [0] * 10
    for x in values:
        bins[min(int(x // 10), 9)] += 1
    return bins


def mean(values):
    return sum(values) / len(values)


def answer_items(answers):
    out = []
    for cid, (status, maturity) in answers.items():
        item = {"control_id": cid, "status": status}
        if maturity is not None:
            item["maturity"] = maturity
        out.append(item)
    return out


class GuideCase(ServerCase):
    """A demo database with the national baseline imported (CLI) before the server starts."""

    @classmethod
    def prepare_db(cls):
        out = cli_ok("import", "oscal", "--db", cls.db, NATIONAL)
        cls.catalog_id = IMPORT_LINE.match(out).group(1)
        walk = load_catalog(NATIONAL)
        cls.controls = {k["id"]: k for k in walk["controls"]}
        cls.order = [k["id"] for k in walk["controls"]]
        cls.domain_titles = {g["id"]: g["title"] for g in walk["groups"] if g["depth"] == 0}
        cls.domain_order = [g["id"] for g in walk["groups"] if g["depth"] == 0]

    @classmethod
    def weights(cls):
        return {cid: k["weight"] for cid, k in cls.controls.items()}

    @classmethod
    def make_profile(cls, title, control_ids, email=None, **extra):
        c = cls.client(email or demo_email("analyst", "ncert"))
        r = c.post("/api/v1/profiles", dict({"catalog_id": cls.catalog_id, "title": title,
                                             "control_ids": control_ids}, **extra))
        if r.status != 201:
            raise AssertionError("profile not made: %r" % r)
        return r.json["profile"]["id"]

    @classmethod
    def launch(cls, profile_id, title, email=None, **extra):
        c = cls.client(email or demo_email("analyst", "punjab-cert"))
        r = c.post("/api/v1/campaigns", dict({"profile_id": profile_id, "title": title,
                                              "due_date": future_date()}, **extra))
        if r.status != 201:
            raise AssertionError("campaign not launched: %r" % r)
        return r.json

    @classmethod
    def assessment_of(cls, campaign_id, slug):
        """The id of slug's assessment in the campaign (read as the Punjab CERT's analyst)."""
        c = cls.demo_client("analyst", "punjab-cert")
        items, _ = c.list_all("/api/v1/assessments?campaign_id=" + campaign_id, limit=500)
        for x in items:
            if x["org_id"] == cls.org_of(slug):
                return x["id"]
        raise AssertionError("%s has no assessment in %s" % (slug, campaign_id))

    def put_answers(self, client, aid, answers):
        body = answers if isinstance(answers, dict) and "answers" in answers else \
            {"answers": answer_items(answers)}
        return client.request("PUT", "/api/v1/assessments/%s/answers" % aid, body)

    def guide_snapshot(self):
        snap = db_snapshot(self.db, SNAPSHOT_TABLES + GUIDE_TABLES)
        snap["assessment_rows"] = db_query(
            self.db, "SELECT id, status, answered, score, submitted_at, reviewed_at, updated_at "
                     "FROM assessments ORDER BY id")
        snap["answer_rows"] = db_query(
            self.db, "SELECT assessment_id, control_idx, status, maturity, evidence, review, "
                     "review_comment, updated_at FROM assessment_answers "
                     "ORDER BY assessment_id, control_idx")
        return snap

    def refused(self, send, status, code, field, msg_has=None):
        """send() is refused with status/code/field and writes nothing (audit included)."""
        before = self.guide_snapshot()
        r = send()
        err = self.assertError(r, status, code, field, msg_has)
        self.assertEqual(self.guide_snapshot(), before, "a refused request wrote something")
        return err

    def assertClose(self, got, want, what=""):
        """Equal to 2 decimals (rabta rounds its numbers to 2 decimals)."""
        self.assertIsNotNone(got, what)
        self.assertLessEqual(abs(got - want), 0.005 + 1e-9, "%s: %r != %r" % (what, got, want))


class TestCampaignStory(GuideCase):
    """The story: profile -> campaign -> fill, submit, review, return, fix, accept -> roll-up,
    gaps, trend, OSCAL export. Read top to bottom."""

    def test_from_launch_to_accepted_assessment_and_rollup(self):
        w = self.weights()
        for cid in STORY_CONTROLS:
            self.assertFalse(self.controls[cid]["props"].get("applies-to"), cid)
        self.assertEqual(len({self.controls[c]["domain"] for c in STORY_CONTROLS}), 6)

        # The National CERT's analyst makes a profile of six controls for institutions.
        nat = self.demo_client("analyst", "ncert")
        r = nat.post("/api/v1/profiles", {"catalog_id": self.catalog_id,
                                          "title": "Institution essentials",
                                          "control_ids": list(reversed(STORY_CONTROLS)),
                                          "applies_kinds": ["institution"]})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json["control_ids"], STORY_CONTROLS)
        profile_id = r.json["profile"]["id"]

        # The Punjab CERT's analyst launches a campaign over Punjab: one assessment per
        # institution.
        pa = self.demo_client("analyst", "punjab-cert")
        due = future_date()
        r = pa.post("/api/v1/campaigns", {"profile_id": profile_id, "title": "Punjab essentials",
                                          "due_date": due})
        self.assertEqual(r.status, 201, r)
        camp = r.json
        self.assertEqual(set(camp), CAMPAIGN_KEYS)
        self.assertRegex(camp["id"], UUID_RE)
        self.assertEqual((camp["assessments"], camp["tlp"], camp["status"], camp["due_date"]),
                         (6, "AMBER", "open", due))
        self.assertEqual((camp["profile_id"], camp["profile_title"], camp["catalog_id"]),
                         (profile_id, "Institution essentials", self.catalog_id))
        self.assertEqual((camp["owner_org"], camp["owner_name"]),
                         (self.org_of("punjab-cert"), "Punjab CERT"))
        cid = camp["id"]
        listed, _ = pa.list_all("/api/v1/assessments?campaign_id=" + cid, limit=2)
        self.assertEqual(sorted(x["org_id"] for x in listed),
                         sorted(self.org_of(s) for s in PUNJAB_INSTITUTIONS))
        for x in listed:
            self.assertEqual(set(x), ASSESSMENT_KEYS)
            self.assertEqual((x["status"], x["tlp"], x["score"], x["answered"], x["total"]),
                             ("not_started", "AMBER+STRICT", None, 0, 6))
            self.assertEqual((x["campaign_title"], x["due_date"]), ("Punjab essentials", due))
        ids = {s: self.assessment_of(cid, s) for s in PUNJAB_INSTITUTIONS}
        health_id, finance_id = ids["pb-health"], ids["pb-finance"]

        # A Sindh institution sees none of it.
        sd = self.demo_client("reporter", "sd-health")
        self.assertEqual(sd.get("/api/v1/assessments?campaign_id=" + cid).json["items"], [])
        for path in ("/api/v1/assessments/" + health_id, "/api/v1/campaigns/" + cid,
                     "/api/v1/assessments/%s/history" % health_id,
                     "/api/v1/assessments/%s/oscal" % health_id):
            self.assertError(sd.get(path), 404, "not_found")
        self.assertNotIn(cid, [x["id"] for x in sd.list_all("/api/v1/campaigns", limit=500)[0]])

        # Punjab Health's reporter has exactly its own in its task list.
        hr = self.demo_client("reporter", "pb-health")
        mine, _ = hr.list_all("/api/v1/assessments?mine=1", limit=500)
        self.assertTrue(all(x["org_id"] == self.org_of("pb-health") for x in mine), mine)
        self.assertEqual([x["id"] for x in mine if x["campaign_id"] == cid], [health_id])
        self.assertEqual([x["id"] for x in hr.get("/api/v1/assessments?campaign_id=" + cid)
                          .json["items"]], [health_id])
        self.assertError(hr.get("/api/v1/assessments/" + finance_id), 404, "not_found")
        self.assertEqual(hr.get("/api/v1/campaigns/" + cid).status, 200)
        r = hr.get("/api/v1/assessments/" + health_id)
        self.assertEqual([c["id"] for c in r.json["controls"]], STORY_CONTROLS)
        for c in r.json["controls"]:
            self.assertIsNone(c["answer"])
            self.assertEqual(c["domain_id"], self.controls[c["id"]]["domain"])
            self.assertNotIn("{{", c["statement"])
        self.assertIn("14 days", [c for c in r.json["controls"] if c["id"] == "vpm-2"][0]
                      ["statement"])

        # It saves a partial draft, and cannot submit it yet.
        first_half = {k: HEALTH_FIRST[k] for k in STORY_CONTROLS[:3]}
        r = self.put_answers(hr, health_id, first_half)
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json["assessment"]["status"], r.json["assessment"]["answered"],
                          r.json["assessment"]["total"]), ("draft", 3, 6))
        got = {c["id"]: c["answer"] for c in r.json["controls"]}
        self.assertRegex(got["gv-1"].pop("updated_at"), RFC3339_RE)
        self.assertEqual(got["gv-1"], {"status": "implemented", "maturity": 4, "evidence": None,
                                       "review": None, "review_comment": None})
        self.assertIsNone(got["br-2.1"])
        err = self.refused(lambda: hr.post("/api/v1/assessments/%s/submit" % health_id), 422,
                           "invalid_field", "answers")
        self.assertIn("3 of 6", err["message"])

        # It answers the rest (with evidence on one) and submits: the score is the formula's.
        rest = answer_items({k: HEALTH_FIRST[k] for k in STORY_CONTROLS[3:]})
        rest[0]["evidence"] = "Backup vendor quote attached; immutability planned for Q3."
        r = self.put_answers(hr, health_id, {"answers": rest})
        self.assertEqual((r.json["assessment"]["status"], r.json["assessment"]["answered"]),
                         ("draft", 6))
        r = hr.post("/api/v1/assessments/%s/submit" % health_id)
        self.assertEqual(r.status, 200, r)
        first_score = hand_score(HEALTH_FIRST, w)
        self.assertEqual(r.json["assessment"]["status"], "submitted")
        self.assertClose(r.json["assessment"]["score"], first_score, "first score")
        self.assertRegex(r.json["assessment"]["submitted_at"], RFC3339_RE)
        self.assertEqual({c["id"]: c["answer"]["evidence"] for c in r.json["controls"]}["br-2.1"],
                         rest[0]["evidence"])
        self.refused(lambda: hr.post("/api/v1/assessments/%s/submit" % health_id), 409,
                     "conflict", "status")
        self.refused(lambda: self.put_answers(hr, health_id, HEALTH_FIX), 409, "conflict",
                     "status")

        # Punjab Finance submits different answers (one control not applicable); Punjab Power
        # only saves a draft.
        fr = self.demo_client("reporter", "pb-finance")
        self.assertEqual(self.put_answers(fr, finance_id, FINANCE).status, 200)
        r = fr.post("/api/v1/assessments/%s/submit" % finance_id)
        self.assertEqual(r.status, 200, r)
        finance_score = hand_score(FINANCE, w)
        self.assertClose(r.json["assessment"]["score"], finance_score, "finance score")
        br = {c["id"]: c["answer"] for c in r.json["controls"]}["br-2.1"]
        self.assertEqual(br["status"], NA)
        pw = self.demo_client("reporter", "pb-power")
        self.assertEqual(self.put_answers(pw, ids["pb-power"], {"gv-1": ("partial", 2)}).status,
                         200)

        # The Punjab CERT reviews Punjab Health: accepts five controls and returns vpm-2.
        comment = "Attach the patch report for internet-facing systems."
        decisions = [{"control_id": c, "decision": "accept"} for c in STORY_CONTROLS]
        decisions[2] = {"control_id": "vpm-2", "decision": "return", "comment": comment}
        r = pa.post("/api/v1/assessments/%s/review" % health_id, {"decisions": decisions})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["assessment"]["status"], "returned")
        self.assertRegex(r.json["assessment"]["reviewed_at"], RFC3339_RE)
        rev = {c["id"]: c["answer"] for c in r.json["controls"]}
        self.assertEqual((rev["vpm-2"]["review"], rev["vpm-2"]["review_comment"]),
                         ("returned", comment))
        self.assertEqual({c: rev[c]["review"] for c in STORY_CONTROLS if c != "vpm-2"},
                         {c: "accepted" for c in STORY_CONTROLS if c != "vpm-2"})
        # The reporter sees the comment. A returned assessment is not counted as submitted.
        r = hr.get("/api/v1/assessments/" + health_id)
        self.assertEqual({c["id"]: c["answer"] for c in r.json["controls"]}["vpm-2"]
                         ["review_comment"], comment)
        ru = pa.get("/api/v1/campaigns/%s/rollup" % cid).json
        self.assertEqual((ru["submitted"], ru["not_submitted"]), (1, 5))
        self.assertClose(ru["score"]["mean"], finance_score)

        # An accepted control is locked (also inside a request that touches a returned one);
        # the returned control can be edited and the assessment stays returned.
        self.refused(lambda: self.put_answers(hr, health_id, {"gv-1": ("implemented", 5)}), 409,
                     "conflict", "answers[0].control_id")
        self.refused(lambda: self.put_answers(hr, health_id, {"vpm-2": ("implemented", 4),
                                                              "ir-3": ("partial", 3)}),
                     409, "conflict", "answers[1].control_id")
        r = self.put_answers(hr, health_id, HEALTH_FIX)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["assessment"]["status"], "returned")
        # Resubmitted: scored again; only vpm-2 goes back to the reviewer.
        r = hr.post("/api/v1/assessments/%s/submit" % health_id)
        self.assertEqual(r.status, 200, r)
        health_score = hand_score(HEALTH_FINAL, w)
        self.assertClose(r.json["assessment"]["score"], health_score, "final score")
        rev = {c["id"]: c["answer"]["review"] for c in r.json["controls"]}
        self.assertEqual(rev, {c: (None if c == "vpm-2" else "accepted") for c in STORY_CONTROLS})
        r = pa.post("/api/v1/assessments/%s/review" % health_id,
                    {"decisions": [{"control_id": "vpm-2", "decision": "accept"}]})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["assessment"]["status"], "accepted")
        self.assertClose(r.json["assessment"]["score"], health_score)
        # Accepted: locked for good.
        for answers in (HEALTH_FIX, {"at-1": ("partial", 1)}):
            self.refused(lambda: self.put_answers(hr, health_id, answers), 409, "conflict", ANY)
        self.refused(lambda: hr.post("/api/v1/assessments/%s/submit" % health_id), 409,
                     "conflict", "status")
        self.refused(lambda: pa.post("/api/v1/assessments/%s/review" % health_id,
                                     {"decisions": [{"control_id": "vpm-2",
                                                     "decision": "return", "comment": "again"}]}),
                     409, "conflict", "status")

        # The history lists every step in order.
        hist = hr.get("/api/v1/assessments/%s/history" % health_id).json
        self.assertIsNone(hist["next_cursor"])
        steps = [(e["action"], e["control_id"]) for e in hist["items"]]
        self.assertEqual(steps, [
            ("saved", None), ("saved", None), ("submitted", None),
            ("control accepted", "gv-1"), ("control accepted", "iam-2"),
            ("control returned", "vpm-2"), ("control accepted", "br-2.1"),
            ("control accepted", "ir-3"), ("control accepted", "at-1"), ("returned", None),
            ("saved", None), ("submitted", None), ("control accepted", "vpm-2"),
            ("accepted", None)])
        items = hist["items"]
        self.assertEqual([e["comment"] for e in items[:3]],
                         ["3 answers", "3 answers", "score %.1f" % first_score])
        self.assertEqual(items[5]["comment"], comment)
        self.assertEqual(items[11]["comment"], "score %.1f" % health_score)
        for e in items:
            self.assertRegex(e["at"], RFC3339_RE)
            who = "reporter@pb-health" if e["action"] in ("saved", "submitted") else \
                "analyst@punjab-cert"
            self.assertIn(who, e["actor"], e)
        # The Punjab CERT and the National CERT read the same history.
        self.assertEqual(pa.get("/api/v1/assessments/%s/history" % health_id).json, hist)
        self.assertEqual(nat.get("/api/v1/assessments/%s/history" % health_id).json, hist)

        # The audit trail has every write of the assessment.
        audit, _ = self.demo_client("admin", "punjab-cert").list_all(
            "/api/v1/audit?org_id=" + self.org_of("pb-health"), limit=500)
        mine = [e for e in reversed(audit) if e["object_id"] == health_id]
        self.assertEqual([e["action"] for e in mine], [
            "assessment.create", "assessment.save", "assessment.save", "assessment.submit",
            "assessment.review", "assessment.save", "assessment.submit", "assessment.review"])
        self.assertTrue(all(e["object_kind"] == "assessment" for e in mine))

        # The roll-up, as the Punjab CERT sees it, equals the numbers computed by hand.
        scores = [health_score, finance_score]
        ru = pa.get("/api/v1/campaigns/%s/rollup" % cid).json
        self.assertEqual((ru["assessments"], ru["submitted"], ru["accepted"],
                          ru["not_submitted"], ru["overdue"]), (6, 2, 1, 4, 0))
        sc = ru["score"]
        self.assertEqual(sc["n"], 2)
        for key, want in (("mean", mean(scores)), ("median", hand_quantile(scores, 0.5)),
                          ("min", min(scores)), ("max", max(scores)),
                          ("q1", hand_quantile(scores, 0.25)), ("q3", hand_quantile(scores, 0.75))):
            self.assertClose(sc[key], want, key)
        self.assertEqual(sc["histogram"], hand_histogram(scores))
        self.assertEqual(len(ru["by_province"]), 1)
        self.assertEqual((ru["by_province"][0]["key"], ru["by_province"][0]["n"]), ("punjab", 2))
        self.assertClose(ru["by_province"][0]["mean"], mean(scores))
        sectors = {g["key"]: g for g in ru["by_sector"]}
        self.assertEqual(set(sectors), {"health", "finance"})
        self.assertClose(sectors["health"]["mean"], health_score)
        self.assertClose(sectors["finance"]["mean"], finance_score)
        # By domain: the mean over the two orgs of each domain's score (N/A left out).
        want_dom = {}
        for ctl in STORY_CONTROLS:
            dom = self.controls[ctl]["domain"]
            per_org = [s for s in (hand_score(HEALTH_FINAL, w, {ctl}),
                                   hand_score(FINANCE, w, {ctl})) if s is not None]
            want_dom[dom] = per_org
        got_dom = {g["key"]: g for g in ru["by_domain"]}
        self.assertEqual(set(got_dom), set(want_dom))
        for dom, per_org in want_dom.items():
            self.assertEqual(got_dom[dom]["title"], self.domain_titles[dom])
            self.assertEqual(got_dom[dom]["n"], len(per_org), dom)
            self.assertClose(got_dom[dom]["mean"], mean(per_org), dom)
        self.assertEqual(got_dom["br"]["n"], 1, "Finance's N/A leaves br out of its scores")
        # Who has not submitted yet, by org name.
        pending = ru["not_submitted_orgs"]
        want_pending = sorted(s for s in PUNJAB_INSTITUTIONS if s not in ("pb-health",
                                                                          "pb-finance"))
        self.assertEqual(sorted(p["org_id"] for p in pending),
                         sorted(self.org_of(s) for s in want_pending))
        self.assertEqual([p["org_name"] for p in pending], sorted(p["org_name"] for p in pending))
        for p in pending:
            self.assertEqual(p["assessment_id"], ids[[s for s in PUNJAB_INSTITUTIONS
                                                      if self.org_of(s) == p["org_id"]][0]])
            self.assertEqual(p["status"], "draft" if p["org_id"] == self.org_of("pb-power")
                             else "not_started")
            self.assertEqual((p["province"], p["overdue"]), ("punjab", False))

        # The National CERT (an ancestor, granted) sees the same roll-up; Sindh's CERT nothing.
        self.assertEqual(nat.get("/api/v1/campaigns/%s/rollup" % cid).json, ru)
        sa = self.demo_client("analyst", "sindh-cert")
        for path in ("/api/v1/campaigns/" + cid, "/api/v1/campaigns/%s/rollup" % cid,
                     "/api/v1/campaigns/%s/gaps" % cid, "/api/v1/assessments/" + health_id):
            self.assertError(sa.get(path), 404, "not_found")
        self.assertEqual(sa.get("/api/v1/profiles/%s/trend" % profile_id).json["campaigns"], [])
        # ?root= narrows to one institution; an institution sees only its own assessment.
        one = pa.get("/api/v1/campaigns/%s/rollup?root=%s" % (cid, self.org_of("pb-health"))).json
        self.assertEqual((one["assessments"], one["submitted"], one["not_submitted"],
                          one["score"]["n"]), (1, 1, 0, 1))
        self.assertClose(one["score"]["mean"], health_score)
        self.assertEqual(hr.get("/api/v1/campaigns/%s/rollup" % cid).json, one)
        none = pa.get("/api/v1/campaigns/%s/rollup?root=%s" % (cid, self.org_of("lhr-water"))).json
        self.assertEqual((none["assessments"], none["submitted"], none["score"]["n"],
                          none["score"]["histogram"]), (1, 0, 0, [0] * 10))

        # Gaps: weakest controls first, mean of maturity*20 over the scored answers (N/A out).
        want_ctl = []
        for ctl in STORY_CONTROLS:
            ans = [a for a in (HEALTH_FINAL[ctl], FINANCE[ctl]) if a[0] != NA]
            want_ctl.append({"id": ctl, "label": self.controls[ctl]["props"]["label"],
                             "title": self.controls[ctl]["title"],
                             "domain": self.domain_titles[self.controls[ctl]["domain"]],
                             "assessments": len(ans),
                             "mean_score": mean([m * 20 for _, m in ans]),
                             "not_implemented": sum(1 for s, _ in ans
                                                    if s in ("not_implemented", "planned"))})
        want_ctl.sort(key=lambda g: (g["mean_score"], self.order.index(g["id"])))
        gaps = pa.get("/api/v1/campaigns/%s/gaps" % cid).json
        self.assertEqual(set(gaps), {"controls", "domains"})
        self.assertEqual([g["id"] for g in gaps["controls"]], [g["id"] for g in want_ctl])
        for got, want in zip(gaps["controls"], want_ctl):
            self.assertAlmostEqual(got.pop("mean_score"), want["mean_score"], delta=0.05)
            self.assertEqual(got, {k: v for k, v in want.items() if k != "mean_score"})
        want_d = [{"id": d, "title": self.domain_titles[d], "assessments": len(v),
                   "mean_score": mean(v)} for d, v in want_dom.items()]
        want_d.sort(key=lambda g: (g["mean_score"], self.domain_order.index(g["id"])))
        self.assertEqual([g["id"] for g in gaps["domains"]], [g["id"] for g in want_d])
        for got, want in zip(gaps["domains"], want_d):
            self.assertAlmostEqual(got["mean_score"], want["mean_score"], delta=0.05)
            self.assertEqual((got["title"], got["assessments"]), (want["title"],
                                                                  want["assessments"]))
        self.assertEqual([g["id"] for g in pa.get("/api/v1/campaigns/%s/gaps?limit=2" % cid)
                          .json["controls"]], [g["id"] for g in want_ctl[:2]])
        # The label is the catalog's, as the pages spell it ("GV-2", not "gv-2").
        for g in gaps["controls"]:
            self.assertRegex(g["label"], r"^[A-Z]+-\d+(\.\d+)?$")
            self.assertEqual(g["label"], g["id"].upper())
        # ... and as CSV: the header, one row per control, then one per domain.
        r = pa.get("/api/v1/campaigns/%s/gaps?format=csv" % cid)
        self.assertEqual(r.status, 200)
        self.assertTrue(r.header("Content-Type").startswith("text/csv"), r.header("Content-Type"))
        text = r.body.decode("utf-8")
        self.assertTrue(text.startswith("kind,id,label,title,domain,assessments,mean_score,"
                                        "not_implemented\r\n"), text[:100])
        rows = list(csv.reader(io.StringIO(text)))
        self.assertEqual(rows[0], ["kind", "id", "label", "title", "domain", "assessments",
                                   "mean_score", "not_implemented"])
        body = rows[1:]
        self.assertEqual(len(body), len(want_ctl) + len(want_d))
        self.assertEqual([(x[0], x[1], x[2]) for x in body],
                         [("control", g["id"], g["label"]) for g in want_ctl] +
                         [("domain", g["id"], "") for g in want_d])
        for x, want in zip(body, want_ctl):
            self.assertEqual((x[3], x[4], int(x[5]), int(x[7])),
                             (want["title"], want["domain"], want["assessments"],
                              want["not_implemented"]))
            self.assertEqual(x[6], "%.1f" % want["mean_score"])

        # OSCAL assessment-results of the accepted assessment: one finding per control.
        r = hr.get("/api/v1/assessments/%s/oscal" % health_id)
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.header("Content-Type").startswith("application/json"))
        ar = json.loads(r.body)["assessment-results"]
        self.assertRegex(ar["uuid"], UUID_RE)
        self.assertIn("title", ar["metadata"])
        self.assertEqual(len(ar["results"]), 1)
        res = ar["results"][0]
        findings = res["findings"]
        self.assertEqual([f["target"]["target-id"] for f in findings],
                         [c + "_smt" for c in STORY_CONTROLS])
        for f, ctl in zip(findings, STORY_CONTROLS):
            self.assertEqual(f["target"]["type"], "statement-id")
            want_state = "satisfied" if HEALTH_FINAL[ctl][0] in ("implemented", NA) \
                else "not-satisfied"
            self.assertEqual(f["target"]["status"]["state"], want_state, ctl)
            self.assertEqual(f["title"], self.controls[ctl]["title"])
        self.assertEqual([x["control-id"] for x in res["reviewed-controls"]["control-selections"]
                          [0]["include-controls"]], STORY_CONTROLS)
        self.assertEqual(len(res["observations"]), len(STORY_CONTROLS))
        # Finance's not-applicable control is satisfied.
        far = json.loads(fr.get("/api/v1/assessments/%s/oscal" % finance_id).body)
        states = {f["target"]["target-id"]: f["target"]["status"]["state"]
                  for f in far["assessment-results"]["results"][0]["findings"]}
        self.assertEqual(states["br-2.1_smt"], "satisfied")
        self.assertEqual(states["ir-3_smt"], "not-satisfied")

        # Trend: a second campaign of the same profile; both listed, with their means.
        second = self.launch(profile_id, "Punjab essentials, second round")
        trend = pa.get("/api/v1/profiles/%s/trend" % profile_id).json
        self.assertEqual(trend["profile_id"], profile_id)
        pts = {p["campaign_id"]: p for p in trend["campaigns"]}
        self.assertEqual(set(pts), {cid, second["id"]})
        self.assertEqual((pts[cid]["submitted"], pts[second["id"]]["submitted"]), (2, 0))
        self.assertClose(pts[cid]["mean"], mean(scores))
        self.assertIsNone(pts[second["id"]]["mean"])
        self.assertEqual(pts[cid]["title"], "Punjab essentials")
        if camp["created_at"] != second["created_at"]:
            # (Launched in the same second, the order is the subject of the test below.)
            self.assertEqual([p["campaign_id"] for p in trend["campaigns"]], [cid, second["id"]])
        self.assertEqual(nat.get("/api/v1/profiles/%s/trend" % profile_id).json, trend)
        # Punjab Health's view of the trend counts only its own assessment.
        ht = {p["campaign_id"]: p for p in
              hr.get("/api/v1/profiles/%s/trend" % profile_id).json["campaigns"]}
        self.assertEqual(ht[cid]["submitted"], 1)
        self.assertClose(ht[cid]["mean"], health_score)

    def test_campaigns_launched_in_the_same_second_keep_their_order(self):
        # Trend is "oldest first" and campaign lists "newest first"; campaigns launched one
        # right after another (within one second) must keep their launch order too.
        pid = self.make_profile("Ordering profile", ["gv-2", "am-2"])
        launched = [self.launch(pid, "Round %d" % i)["id"] for i in range(6)]
        pa = self.demo_client("analyst", "punjab-cert")
        trend = pa.get("/api/v1/profiles/%s/trend" % pid).json
        self.assertEqual([p["campaign_id"] for p in trend["campaigns"]], launched,
                         "trend is not in launch order")
        items, _ = pa.list_all("/api/v1/campaigns", limit=500)
        ours = [x["id"] for x in items if x["id"] in launched]
        self.assertEqual(ours, list(reversed(launched)), "campaign list is not newest first")


class TestCampaignRefusals(GuideCase):
    """Bad input and callers who may not: a clear error and nothing written (audit included)."""

    @classmethod
    def prepare(cls):
        cls.profile_id = cls.make_profile("Refusals profile", ["gv-1", "am-1", "iam-1"],
                                          applies_kinds=["institution"])
        camp = cls.launch(cls.profile_id, "Refusals campaign")
        cls.campaign_id = camp["id"]
        cls.health = cls.assessment_of(camp["id"], "pb-health")
        cls.finance = cls.assessment_of(camp["id"], "pb-finance")
        fr = cls.demo_client("reporter", "pb-finance")
        r = fr.request("PUT", "/api/v1/assessments/%s/answers" % cls.finance, {"answers": [
            {"control_id": "gv-1", "status": "implemented", "maturity": 3},
            {"control_id": "am-1", "status": "partial", "maturity": 2},
            {"control_id": "iam-1", "status": "not_applicable"}]})
        assert r.status == 200, r
        r = fr.post("/api/v1/assessments/%s/submit" % cls.finance)
        assert r.status == 200, r
        hr = cls.demo_client("reporter", "pb-health")
        r = hr.request("PUT", "/api/v1/assessments/%s/answers" % cls.health, {"answers": [
            {"control_id": "gv-1", "status": "planned", "maturity": 1}]})
        assert r.status == 200, r
        # Every caller's token exists before the tests take their snapshots.
        for email in (demo_email("reporter", "pb-health"), demo_email("admin", "pb-finance"),
                      demo_email("analyst", "punjab-cert"), demo_email("analyst", "ncert"),
                      demo_email("admin", "ncert"), demo_email("analyst", "sindh-cert"),
                      demo_email("reporter", "punjab-cert"), demo_email("analyst", "pb-health"),
                      demo_email("reporter", "sd-health"), demo_email("reporter", "pb-finance")):
            cls.token(email)

    def put(self, email, aid, items):
        c = self.client(email) if email else Client(self.port)
        return lambda: c.request("PUT", "/api/v1/assessments/%s/answers" % aid,
                                 {"answers": items} if isinstance(items, list) else items)

    def test_answer_items_are_validated(self):
        hr = demo_email("reporter", "pb-health")
        ok = {"control_id": "am-1", "status": "partial", "maturity": 2}
        self.refused(self.put(hr, self.health, [dict(ok, colour="red")]), 422, "unknown_field",
                     "answers[0].colour")
        self.refused(self.put(hr, self.health, [ok, dict(ok, note="x")]), 422, "unknown_field",
                     "answers[1].note")
        for bad in (6, -1, "3", 2.5, None):
            with self.subTest(maturity=bad):
                self.refused(self.put(hr, self.health, [dict(ok, maturity=bad)]), 422,
                             "invalid_field", "answers[0].maturity")
        self.refused(self.put(hr, self.health, [{"control_id": "am-1", "status": "partial"}]),
                     422, "invalid_field", "answers[0].maturity")
        for bad in ("done", "IMPLEMENTED", 1, None):
            with self.subTest(status=bad):
                self.refused(self.put(hr, self.health, [dict(ok, status=bad)]), 422,
                             "invalid_field", "answers[0].status")
        self.refused(self.put(hr, self.health, [{"status": "partial", "maturity": 1}]), 422,
                     "invalid_field", "answers[0].control_id")
        self.refused(self.put(hr, self.health, [ok, dict(ok, control_id="vpm-2")]), 422,
                     "invalid_field", "answers[1].control_id")
        self.refused(self.put(hr, self.health, [dict(ok, evidence="e" * 4001)]), 422,
                     "invalid_field", "answers[0].evidence")
        self.refused(self.put(hr, self.health, ["am-1"]), 422, "invalid_field", ANY)
        self.refused(self.put(hr, self.health, []), 422, "invalid_field", "answers")
        self.refused(self.put(hr, self.health, {"answers": {"am-1": 2}}), 422, "invalid_field",
                     "answers")
        self.refused(self.put(hr, self.health, {"answers": [ok], "submit": True}), 422,
                     "unknown_field", "submit")

    def test_who_may_fill_and_submit(self):
        ok = [{"control_id": "am-1", "status": "partial", "maturity": 2}]
        # The parent CERT reads it but does not fill it.
        self.refused(self.put(demo_email("analyst", "punjab-cert"), self.health, ok), 403,
                     "forbidden", None)
        # Another institution, another branch: not found; nobody: 401.
        self.refused(self.put(demo_email("reporter", "pb-finance"), self.health, ok), 404,
                     "not_found", None)
        self.refused(self.put(demo_email("reporter", "sd-health"), self.health, ok), 404,
                     "not_found", None)
        self.refused(self.put(None, self.health, ok), 401, "unauthenticated", None)
        self.refused(self.put(demo_email("reporter", "pb-health"),
                              "00000000-0000-4000-8000-000000000000", ok), 404, "not_found", None)
        pa = self.demo_client("analyst", "punjab-cert")
        self.refused(lambda: pa.post("/api/v1/assessments/%s/submit" % self.health), 403,
                     "forbidden", None)
        hr = self.demo_client("reporter", "pb-health")
        err = self.refused(lambda: hr.post("/api/v1/assessments/%s/submit" % self.health), 422,
                           "invalid_field", "answers")
        self.assertIn("2 of 3", err["message"])
        fr = self.demo_client("reporter", "pb-finance")
        self.refused(lambda: fr.post("/api/v1/assessments/%s/submit" % self.finance), 409,
                     "conflict", "status")

    def test_who_may_review(self):
        accept = {"decisions": [{"control_id": "gv-1", "decision": "accept"}]}
        path = "/api/v1/assessments/%s/review" % self.finance
        # The institution itself (even its admin) may not review.
        for email in (demo_email("reporter", "pb-finance"), demo_email("admin", "pb-finance")):
            c = self.client(email)
            with self.subTest(email=email):
                self.refused(lambda: c.post(path, accept), 403, "forbidden", None)
        # The National CERT reads it but is not the parent.
        for email in (demo_email("analyst", "ncert"), demo_email("admin", "ncert")):
            c = self.client(email)
            with self.subTest(email=email):
                self.assertEqual(c.get("/api/v1/assessments/" + self.finance).status, 200)
                self.refused(lambda: c.post(path, accept), 403, "forbidden", None)
        # A reporter of the parent CERT may not; another branch does not see it.
        c = self.demo_client("reporter", "punjab-cert")
        self.refused(lambda: c.post(path, accept), 403, "forbidden", None)
        c = self.demo_client("analyst", "sindh-cert")
        self.refused(lambda: c.post(path, accept), 404, "not_found", None)
        # Only a submitted assessment is reviewed.
        pa = self.demo_client("analyst", "punjab-cert")
        self.refused(lambda: pa.post("/api/v1/assessments/%s/review" % self.health, accept), 409,
                     "conflict", "status")

    def test_review_decisions_are_validated(self):
        pa = self.demo_client("analyst", "punjab-cert")
        path = "/api/v1/assessments/%s/review" % self.finance
        send = lambda body: (lambda: pa.post(path, body))  # noqa: E731
        self.refused(send({"decisions": [{"control_id": "gv-1", "decision": "return"}]}), 422,
                     "invalid_field", "decisions[0].comment")
        self.refused(send({"decisions": [{"control_id": "gv-1", "decision": "return",
                                          "comment": ""}]}), 422, "invalid_field",
                     "decisions[0].comment")
        self.refused(send({"decisions": [{"control_id": "gv-1", "decision": "maybe"}]}), 422,
                     "invalid_field", "decisions[0].decision")
        self.refused(send({"decisions": [{"control_id": "gv-1", "decision": "accept"},
                                         {"control_id": "zz-1", "decision": "accept"}]}), 422,
                     "invalid_field", "decisions[1].control_id")
        self.refused(send({"decisions": [{"control_id": "gv-1", "decision": "accept",
                                          "score": 100}]}), 422, "unknown_field",
                     "decisions[0].score")
        self.refused(send({"decisions": []}), 422, "invalid_field", "decisions")
        self.refused(send({}), 422, "invalid_field", "decisions")

    def test_who_may_launch_and_launch_input(self):
        body = {"profile_id": self.profile_id, "title": "Another round",
                "due_date": future_date()}
        for email in (demo_email("reporter", "punjab-cert"), demo_email("analyst", "pb-health")):
            c = self.client(email)
            with self.subTest(email=email):
                self.refused(lambda: c.post("/api/v1/campaigns", body), 403, "forbidden", None)
        self.refused(lambda: Client(self.port).post("/api/v1/campaigns", body), 401,
                     "unauthenticated", None)
        pa = self.demo_client("analyst", "punjab-cert")
        send = lambda b: (lambda: pa.post("/api/v1/campaigns", b))  # noqa: E731
        two_days_ago = (datetime.date.today() - datetime.timedelta(days=2)).isoformat()
        for bad in ("2020-01-01", two_days_ago, "2027-02-30", "31/12/2030", "soon", ""):
            with self.subTest(due_date=bad):
                self.refused(send(dict(body, due_date=bad)), 422, "invalid_field", "due_date")
        err = self.refused(send(dict(body, due_date="2020-01-01")), 422, "invalid_field",
                           "due_date")
        self.assertIn("past", err["message"])
        self.refused(send({k: v for k, v in body.items() if k != "due_date"}), 422,
                     "invalid_field", "due_date")
        self.refused(send(dict(body, title="")), 422, "invalid_field", "title")
        self.refused(send(dict(body, kind="castle")), 422, "invalid_field", "kind")
        self.refused(send(dict(body, province="atlantis")), 422, "invalid_field", "province")
        self.refused(send(dict(body, sector="mining")), 422, "invalid_field", "sector")
        self.refused(send(dict(body, colour="red")), 422, "unknown_field", "colour")
        self.refused(send(dict(body, profile_id="00000000-0000-4000-8000-000000000000")), 404,
                     "not_found", "profile_id")
        # Nobody below the Punjab CERT qualifies: no campaign.
        self.refused(send(dict(body, sector="telecom")), 422, "invalid_field", "profile_id")
        self.refused(send(dict(body, province="sindh")), 422, "invalid_field", "profile_id")

    def test_report_parameters(self):
        pa = self.demo_client("analyst", "punjab-cert")
        gaps = "/api/v1/campaigns/%s/gaps" % self.campaign_id
        for query, field in (("?limit=0", "limit"), ("?limit=501", "limit"),
                             ("?format=xml", "format")):
            with self.subTest(query=query):
                self.assertError(pa.get(gaps + query), 422, "invalid_field", field)
        for path in ("/api/v1/campaigns/00000000-0000-4000-8000-000000000000/rollup",
                     "/api/v1/campaigns/00000000-0000-4000-8000-000000000000/gaps",
                     "/api/v1/profiles/00000000-0000-4000-8000-000000000000/trend",
                     "/api/v1/assessments/not-a-uuid"):
            with self.subTest(path=path):
                self.assertError(pa.get(path), 404, "not_found")
        self.assertError(Client(self.port).get(gaps), 401, "unauthenticated")
        # Status filter on the list.
        items = pa.get("/api/v1/assessments?status=submitted&campaign_id=" + self.campaign_id)
        self.assertEqual([x["id"] for x in items.json["items"]], [self.finance])

    def test_narrowed_launch_counts_only_matching_orgs(self):
        pa = self.demo_client("analyst", "punjab-cert")
        r = pa.post("/api/v1/campaigns", {"profile_id": self.profile_id, "title": "Energy only",
                                          "due_date": future_date(), "sector": "energy"})
        self.assertEqual(r.status, 201, r)
        self.assertEqual((r.json["assessments"], r.json["sector"]), (1, "energy"))
        items = pa.get("/api/v1/assessments?campaign_id=" + r.json["id"]).json["items"]
        self.assertEqual([x["org_id"] for x in items], [self.org_of("pb-power")])
        # A CII-only profile reaches the CII institutions only.
        pid = self.make_profile("CII only", ["cii-1"], cii_only=True)
        r = pa.post("/api/v1/campaigns", {"profile_id": pid, "title": "CII round",
                                          "due_date": future_date()})
        self.assertEqual(r.status, 201, r)
        items = pa.get("/api/v1/assessments?campaign_id=" + r.json["id"]).json["items"]
        self.assertEqual(sorted(x["org_id"] for x in items),
                         sorted([self.org_of("pb-power"), self.org_of("lhr-water")]))


class TestScoringEdges(GuideCase):
    """Edges of scoring and reporting, each on its own small campaign."""

    def submit_all(self, slug, campaign_id, answers):
        c = self.demo_client("reporter", slug)
        aid = self.assessment_of(campaign_id, slug)
        r = self.put_answers(c, aid, answers)
        self.assertEqual(r.status, 200, r)
        r = c.post("/api/v1/assessments/%s/submit" % aid)
        self.assertEqual(r.status, 200, r)
        return r.json["assessment"]

    def test_full_marks_land_in_the_last_histogram_bin(self):
        pid = self.make_profile("Energy essentials", ["gv-2", "lm-1"], applies_sectors=["energy"])
        camp = self.launch(pid, "Energy round")
        self.assertEqual(camp["assessments"], 1)
        x = self.submit_all("pb-power", camp["id"], {"gv-2": ("implemented", 5),
                                                     "lm-1": ("implemented", 5)})
        self.assertEqual(x["score"], 100)
        ru = self.demo_client("analyst", "punjab-cert").get(
            "/api/v1/campaigns/%s/rollup" % camp["id"]).json
        self.assertEqual(ru["score"]["histogram"], [0] * 9 + [1])
        self.assertEqual((ru["score"]["min"], ru["score"]["max"], ru["score"]["q1"]),
                         (100, 100, 100))

    def test_an_all_not_applicable_assessment_is_submitted_but_not_scored(self):
        pid = self.make_profile("Health pair", ["gv-2", "am-2"], applies_sectors=["health"])
        camp = self.launch(pid, "Health round")
        self.assertEqual(camp["assessments"], 1)
        x = self.submit_all("pb-health", camp["id"], {"gv-2": (NA, None), "am-2": (NA, None)})
        self.assertEqual(x["status"], "submitted")
        self.assertIsNone(x["score"])
        ru = self.demo_client("analyst", "punjab-cert").get(
            "/api/v1/campaigns/%s/rollup" % camp["id"]).json
        self.assertEqual(ru["score"]["n"], 0)
        # "submitted" counts assessments submitted or accepted; every assessment is either
        # submitted or listed as not submitted.
        self.assertEqual((ru["assessments"], ru["submitted"], ru["not_submitted"]), (1, 1, 0),
                         ru)

    def test_gap_csv_defuses_spreadsheet_formulas(self):
        titles = ["=HYPERLINK(\"http://example.invalid\",\"x\")", "+1+1", "-2+3", "@SUM(A1)",
                  'Say "hi", then, leave']
        doc = {"catalog": {
            "uuid": "5d1c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a",
            "metadata": {"title": "Formula catalog", "version": "1", "oscal-version": "1.1.2",
                         "last-modified": "2026-01-01T00:00:00Z"},
            "groups": [{"id": "fx", "title": "=Group formula", "controls": [
                {"id": "fx-%d" % i, "title": t} for i, t in enumerate(titles)]}]}}
        pa = self.demo_client("analyst", "punjab-cert")
        r = pa.request("POST", "/api/v1/catalogs", raw=json.dumps(doc))
        self.assertEqual(r.status, 201, r)
        r = pa.post("/api/v1/profiles", {"catalog_id": r.json["id"], "title": "Formula profile",
                                         "control_ids": ["fx-%d" % i for i in range(len(titles))],
                                         "applies_sectors": ["water"]})
        self.assertEqual(r.status, 201, r)
        camp = self.launch(r.json["profile"]["id"], "Formula round")
        self.submit_all("lhr-water", camp["id"], {"fx-%d" % i: ("partial", 2)
                                                  for i in range(len(titles))})
        r = pa.get("/api/v1/campaigns/%s/gaps?format=csv" % camp["id"])
        self.assertEqual(r.status, 200, r)
        rows = list(csv.reader(io.StringIO(r.body.decode("utf-8"))))[1:]
        self.assertEqual(len(rows), len(titles) + 1)
        for row in rows:
            for cell in row[1:5]:
                self.assertFalse(cell[:1] in ("=", "+", "-", "@"), row)
        got = {row[1]: row for row in rows}
        self.assertEqual(got["fx-0"][2], "FX-0", "no label in the catalog: the id in capitals")
        self.assertEqual(got["fx-0"][3], "'" + titles[0])
        self.assertEqual(got["fx-0"][4], "'=Group formula")
        self.assertEqual(got["fx-4"][3], 'Say "hi", then, leave')
        self.assertEqual(got["fx"][0], "domain")
        self.assertEqual((got["fx"][2], got["fx"][3]), ("", "'=Group formula"))


if __name__ == "__main__":
    unittest.main()


class TestClosingCampaigns(GuideCase):
    """The launching CERT closes a campaign; from then on its assessments are the record."""

    def test_a_closed_campaign_no_longer_changes(self):
        pid = self.make_profile("Water pair", ["gv-2", "br-1"], applies_sectors=["water"])
        camp = self.launch(pid, "Water round")
        self.assertEqual(camp["assessments"], 1)
        aid = self.assessment_of(camp["id"], "lhr-water")
        reporter = self.demo_client("reporter", "lhr-water")
        r = self.put_answers(reporter, aid, {"gv-2": ("partial", 2)})
        self.assertEqual(r.status, 200, r)
        url = "/api/v1/campaigns/%s/close" % camp["id"]
        # Only the launching CERT's analysts and admins close it: the National CERT (which may
        # read it) is refused with 403, a Sindh analyst (who may not) gets 404.
        national = self.demo_client("analyst", "ncert")
        sindh = self.demo_client("analyst", "sindh-cert")
        self.refused(lambda: national.post(url), 403, "forbidden", None)
        self.refused(lambda: sindh.post(url), 404, "not_found", None)
        self.refused(lambda: reporter.post(url), 403, "forbidden", None)
        analyst = self.demo_client("analyst", "punjab-cert")
        r = analyst.post(url)
        self.assertEqual((r.status, r.json["status"]), (200, "closed"), r)
        audit = self.demo_client("admin", "punjab-cert").get("/api/v1/audit?limit=5")
        self.assertIn(("campaign.close", camp["id"]),
                      [(e["action"], e["object_id"]) for e in audit.json["items"]])
        # Closing twice is a conflict; nothing of the assessment changes any more.
        self.refused(lambda: analyst.post(url), 409, "conflict", "status")
        self.refused(lambda: self.put_answers(reporter, aid, {"br-1": ("implemented", 4)}), 409,
                     "conflict", "status", "closed")
        self.refused(lambda: reporter.post("/api/v1/assessments/%s/submit" % aid), 409,
                     "conflict", "status")
        # It is still read, and counted, as it stood.
        x = reporter.get("/api/v1/assessments/" + aid).json["assessment"]
        self.assertEqual((x["status"], x["answered"]), ("draft", 1))
        ru = analyst.get("/api/v1/campaigns/%s/rollup" % camp["id"]).json
        self.assertEqual((ru["assessments"], ru["not_submitted"]), (1, 1))
