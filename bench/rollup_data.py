#!/usr/bin/env python3
"""bench/rollup_data.py - synthetic data for the national roll-up benchmark (bench/guidelines.sh).

Subcommands (deterministic: a fixed seed, override with RABTA_BENCH_SEED):

  catalog CATALOG.json PROFILE.json
      An OSCAL catalog of 150 controls in 12 groups (weights 1..3 as a "weight" prop, a statement
      with a parameter each) and an OSCAL profile that includes all of it (href "#<catalog uuid>").

  orgs DB N
      N institutions spread over the 7 provinces, each below its province's provincial CERT (made
      before with `rabta org add`), written straight into orgs and org_closure the way
      src/core/org.c does (depth, closure rows including the org itself at depth 0). Sectors
      cycle; one in ten is CII with a grade 1..3.

  answers DB CAMPAIGN_ID
      Answers every control of every assessment of the campaign (launched by the real code, so
      its assessments and grants are exact), and moves the assessments on the way
      src/core/assessment.c does: 85% submitted and 10% accepted (scored, with per-domain
      scores), 3% draft, 2% returned (scored earlier; not counted). Scores follow the formula of
      src/core/score.c. Prints, as JSON, the numbers the roll-up must give.

Everything is written in one transaction per subcommand with Python's sqlite3 module.
"""
import json
import math
import os
import random
import sqlite3
import sys
import time
import uuid

SEED = int(os.environ.get("RABTA_BENCH_SEED", "20261128"))
GROUPS = 12
CONTROLS = 150
PROVINCES = [  # code, share of institutions, mean maturity
    ("punjab", 0.40, 3.1),
    ("sindh", 0.22, 2.7),
    ("khyber_pakhtunkhwa", 0.15, 2.5),
    ("balochistan", 0.08, 1.9),
    ("islamabad", 0.06, 3.4),
    ("gilgit_baltistan", 0.04, 2.2),
    ("azad_jammu_kashmir", 0.05, 2.3),
]
SECTORS = ["government", "telecom", "energy", "finance", "health", "water", "transport",
           "education", "emergency", "other"]
STATUS_BY_MATURITY = ["not_implemented", "planned", "planned", "partial", "partial",
                      "implemented"]


def now_text():
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def cmd_catalog(cat_path, prof_path):
    rnd = random.Random(SEED)
    cat_uuid = str(uuid.UUID(int=rnd.getrandbits(128), version=4))
    groups = []
    k = 0
    for g in range(GROUPS):
        gid = "d%02d" % (g + 1)
        n = CONTROLS // GROUPS + (1 if g < CONTROLS % GROUPS else 0)
        controls = []
        for c in range(n):
            k += 1
            cid = "%s-%d" % (gid, c + 1)
            controls.append({
                "id": cid,
                "title": "Synthetic control %d" % k,
                "params": [{"id": cid + "_prm_1", "label": "organization-defined frequency"}],
                "props": [{"name": "label", "value": cid.upper()},
                          {"name": "weight", "ns": "https://rabta.example/ns/oscal",
                           "value": str(1 + k % 3)}],
                "parts": [{"id": cid + "_smt", "name": "statement",
                           "prose": "Review the safeguard {{ insert: param, %s_prm_1 }}." % cid}],
            })
        groups.append({"id": gid, "class": "domain", "title": "Domain %d" % (g + 1),
                       "controls": controls})
    catalog = {"catalog": {
        "uuid": cat_uuid,
        "metadata": {"title": "Synthetic benchmark catalog (%d controls)" % CONTROLS,
                     "version": "1", "oscal-version": "1.1.2",
                     "last-modified": "2026-01-01T00:00:00Z"},
        "groups": groups}}
    profile = {"profile": {
        "uuid": str(uuid.UUID(int=rnd.getrandbits(128), version=4)),
        "metadata": {"title": "Synthetic benchmark profile (all %d controls)" % CONTROLS,
                     "version": "1", "oscal-version": "1.1.2",
                     "last-modified": "2026-01-01T00:00:00Z"},
        "imports": [{"href": "#" + cat_uuid, "include-all": {}}]}}
    with open(cat_path, "w") as f:
        json.dump(catalog, f)
    with open(prof_path, "w") as f:
        json.dump(profile, f)


def connect(path):
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA busy_timeout = 10000")
    db.execute("PRAGMA synchronous = OFF")
    return db


def cmd_orgs(path, n):
    rnd = random.Random(SEED + 1)
    db = connect(path)
    root = db.execute("SELECT id FROM orgs WHERE kind = 'national_cert'").fetchone()[0]
    certs = dict(db.execute(
        "SELECT province, id FROM orgs WHERE kind = 'provincial_cert' AND parent_id = ?",
        (root,)).fetchall())
    missing = [p for p, _, _ in PROVINCES if p not in certs]
    if missing:
        sys.exit("rollup_data.py: no provincial CERT for " + ", ".join(missing))
    now = now_text()
    orgs, closure = [], []
    counts = {p: 0 for p, _, _ in PROVINCES}
    # Exact shares, the remainder to Punjab.
    plan = []
    for p, share, _ in PROVINCES:
        plan += [p] * int(n * share)
    plan += ["punjab"] * (n - len(plan))
    for i, prov in enumerate(plan):
        oid = str(uuid.UUID(int=rnd.getrandbits(128), version=4))
        counts[prov] += 1
        cii = i % 10 == 0
        orgs.append((oid, certs[prov], "institution", "%s institution %05d" % (prov, counts[prov]),
                     None, prov, SECTORS[i % len(SECTORS)], 1 if cii else 0,
                     1 + (i // 10) % 3 if cii else None, "2027-06-30" if cii else None, 2, now,
                     now))
        closure += [(oid, oid, 0), (certs[prov], oid, 1), (root, oid, 2)]
    db.execute("BEGIN IMMEDIATE")
    db.executemany(
        "INSERT INTO orgs(id, parent_id, kind, name, short_name, province, sector, cii, cii_grade, "
        "cii_review_date, depth, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", orgs)
    db.executemany("INSERT INTO org_closure(ancestor_id, descendant_id, depth) VALUES (?,?,?)",
                   closure)
    db.execute("COMMIT")
    db.close()


def quantile(v, p):
    pos = p * (len(v) - 1)
    lo = math.floor(pos)
    if lo + 1 >= len(v):
        return v[-1]
    return v[lo] + (pos - lo) * (v[lo + 1] - v[lo])


def score(items):
    """items: (domain, weight, status, maturity) in catalog order -> (score, {domain: (s, w)})."""
    num = den = 0.0
    dn, dd = {}, {}
    for d, w, st, m in items:
        if st == "not_applicable":
            continue
        s = m / 5.0
        num += w * s
        den += w
        if d is not None and 0 <= d < 64:
            dn[d] = dn.get(d, 0.0) + w * s
            dd[d] = dd.get(d, 0.0) + w
    total = 100.0 * num / den if den > 0 else -1
    return total, {d: (100.0 * dn[d] / dd[d], dd[d]) for d in dd}


def cmd_answers(path, campaign):
    rnd = random.Random(SEED + 2)
    db = connect(path)
    row = db.execute(
        "SELECT p.id, p.catalog_id FROM campaigns c JOIN profiles p ON p.id = c.profile_id "
        "WHERE c.id = ?", (campaign,)).fetchone()
    if not row:
        sys.exit("rollup_data.py: no campaign " + campaign)
    profile, catalog = row
    controls = db.execute(
        "SELECT c.idx, c.domain_idx, c.weight FROM profile_controls pc JOIN controls c ON "
        "c.catalog_id = ? AND c.idx = pc.control_idx WHERE pc.profile_id = ? ORDER BY c.idx",
        (catalog, profile)).fetchall()
    assessments = db.execute(
        "SELECT a.id, g.province, g.sector FROM assessments a JOIN orgs g ON g.id = a.owner_org "
        "WHERE a.campaign_id = ? ORDER BY g.name", (campaign,)).fetchall()
    mean_by_prov = {p: m for p, _, m in PROVINCES}
    now = now_text()
    answers, domain_rows, updates = [], [], []
    scored, by_prov, by_dom = [], {}, {}
    counts = {"submitted": 0, "accepted": 0, "draft": 0, "returned": 0}
    for i, (aid, prov, sector) in enumerate(assessments):
        r = rnd.random()
        status = ("submitted" if r < 0.85 else "accepted" if r < 0.95 else
                  "draft" if r < 0.98 else "returned")
        counts[status] += 1
        base = rnd.gauss(mean_by_prov.get(prov, 2.5), 0.8)
        items = []
        for idx, dom, w in controls:
            if rnd.random() < 0.05:
                st, m = "not_applicable", 0
            else:
                m = min(5, max(0, int(round(rnd.gauss(base, 1.2)))))
                st = STATUS_BY_MATURITY[m]
            answers.append((aid, idx, st, m, now))
            items.append((dom, w, st, m))
        total, doms = score(items)
        if status == "draft":
            updates.append((status, None, len(controls), None, None, now, aid))
            continue
        reviewed = now if status in ("accepted", "returned") else None
        updates.append((status, total if total >= 0 else None, len(controls), now, reviewed, now,
                        aid))
        for d, (s, w) in sorted(doms.items()):
            domain_rows.append((aid, d, s, w))
        if status in ("submitted", "accepted") and total >= 0:
            scored.append(total)
            by_prov.setdefault(prov, []).append(total)
            for d, (s, _) in doms.items():
                by_dom.setdefault(d, []).append(s)
    db.execute("BEGIN IMMEDIATE")
    db.executemany(
        "INSERT INTO assessment_answers(assessment_id, control_idx, status, maturity, updated_at) "
        "VALUES (?,?,?,?,?)", answers)
    per = {}
    for aid, d, s, w in domain_rows:
        per.setdefault(aid, []).append("%d:%.6f;" % (d, s))
    db.executemany("UPDATE assessments SET domain_scores = ? WHERE id = ?",
                   [("".join(v), k) for k, v in per.items()])
    db.executemany(
        "UPDATE assessments SET status = ?, score = ?, answered = ?, submitted_at = ?, "
        "reviewed_at = ?, updated_at = ? WHERE id = ?", updates)
    db.execute("COMMIT")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    v = sorted(scored)
    hist = [0] * 10
    for x in v:
        hist[min(9, max(0, int(x / 10.0)))] += 1
    print(json.dumps({
        "assessments": len(assessments),
        "answers": len(answers),
        "domain_scores": len(domain_rows),
        "submitted": len(v),
        "accepted": counts["accepted"],
        "not_submitted": counts["draft"] + counts["returned"],
        "mean": sum(v) / len(v),
        "median": quantile(v, 0.5),
        "q1": quantile(v, 0.25),
        "q3": quantile(v, 0.75),
        "min": v[0],
        "max": v[-1],
        "hist": hist,
        "provinces": len(by_prov),
        "domains": len(by_dom),
    }))


def main(argv):
    if len(argv) == 4 and argv[1] == "catalog":
        cmd_catalog(argv[2], argv[3])
    elif len(argv) == 4 and argv[1] == "orgs":
        cmd_orgs(argv[2], int(argv[3]))
    elif len(argv) == 4 and argv[1] == "answers":
        cmd_answers(argv[2], argv[3])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
