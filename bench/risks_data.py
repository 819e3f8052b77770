#!/usr/bin/env python3
"""bench/risks_data.py - synthetic risk registers for the heat-map benchmark (bench/risks.sh).

  risks DB N_PER_ORG
      N_PER_ORG risks for every institution of DB (made by `rollup_data.py orgs`), written straight
      into risks and grants the way src/core/risk.c records them (the tallies follow, by the
      triggers of 0010_risks.sql): AMBER+STRICT, granted to the
      owner's parent CERT (scope org); one in a hundred is RED. Likelihood and impact 1..5 on the
      default matrix, the residual lowered for treated risks; statuses, due and review dates
      spread so some treatments and reviews are overdue; one in twenty is closed. Prints, as JSON,
      the heat map the National CERT's analyst must get (computed here from the rows): the
      counted total, per-cell counts, by level, overdue treatments and reviews, orgs with risks,
      provinces and sectors.

Deterministic: a fixed seed (RABTA_BENCH_SEED overrides it). One transaction, Python's sqlite3.
"""
import datetime
import json
import os
import random
import sqlite3
import sys
import uuid

SEED = int(os.environ.get("RABTA_BENCH_SEED", "20261201"))
BANDS = (5, 10, 15)  # the default matrix: medium, high, critical minimums
LEVELS = ("low", "medium", "high", "critical")
STATUSES = ("open", "open", "in_progress", "in_progress", "done", "done", "accepted")


def level(score):
    return LEVELS[sum(score >= b for b in BANDS)]


def main(argv):
    if len(argv) != 4 or argv[1] != "risks":
        sys.exit(__doc__)
    path, per_org = argv[2], int(argv[3])
    rnd = random.Random(SEED)
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA synchronous = OFF")
    orgs = db.execute("SELECT id, parent_id, province, sector FROM orgs WHERE kind = "
                      "'institution' ORDER BY id").fetchall()
    today = datetime.date.today()
    day = lambda d: (today + datetime.timedelta(days=d)).isoformat()
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    risks, grants = [], []
    exp = {"counts": [[0] * 5 for _ in range(5)], "by_level": dict.fromkeys(LEVELS, 0),
           "total": 0, "overdue_treatments": 0, "overdue_reviews": 0, "rows": 0}
    with_risks, provinces, sectors = set(), set(), set()
    for oid, parent, prov, sector in orgs:
        for k in range(per_org):
            rid = str(uuid.UUID(int=rnd.getrandbits(128), version=4))
            li, im = rnd.randint(1, 5), rnd.randint(1, 5)
            status = "closed" if rnd.random() < 0.05 else rnd.choice(STATUSES)
            treated = status in ("in_progress", "done")
            rl = max(1, li - rnd.randint(0, 2)) if treated else li
            ri = max(1, im - rnd.randint(0, 1)) if treated else im
            treatment = "accept" if status == "accepted" else rnd.choice(("mitigate", "mitigate", "transfer", "avoid"))
            due = day(rnd.randint(-60, 120))
            review = day(rnd.randint(-30, 365))
            tlp = "RED" if rnd.random() < 0.01 else "AMBER+STRICT"
            risks.append((rid, oid, parent, prov, sector, tlp, "Risk %d of %s" % (k, oid[:8]), "technical", li, im, li * im,
                          rl, ri, rl * ri, treatment, status, "Owner", due, review,
                          "bench" if status == "accepted" else None, now))
            grants.append(("risk", rid, parent, "org", "bench", now))
            exp["rows"] += 1
            if status == "closed" or tlp == "RED":
                continue  # the National CERT's analyst counts neither
            exp["total"] += 1
            exp["counts"][rl - 1][ri - 1] += 1
            exp["by_level"][level(rl * ri)] += 1
            exp["overdue_treatments"] += status in ("open", "in_progress") and due < today.isoformat()
            exp["overdue_reviews"] += review < today.isoformat()
            with_risks.add(oid)
            provinces.add(prov)
            sectors.add(sector)
    db.execute("BEGIN IMMEDIATE")
    db.executemany(
        "INSERT INTO risks(id, owner_org, parent_org, province, sector, tlp, title, category, "
        "likelihood, impact, inherent_score, residual_likelihood, residual_impact, residual_score, "
        "treatment, status, owner, due_date, review_date, acceptance_reason, created_by, "
        "created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,'bench',?,?21)",
        risks)
    db.executemany("INSERT INTO grants(object_kind, object_id, org_id, scope, granted_by, "
                   "created_at) VALUES (?,?,?,?,?,?)", grants)
    db.execute("COMMIT")
    db.execute("ANALYZE")
    db.close()
    exp.update(orgs_with_risks=len(with_risks), provinces=len(provinces), sectors=len(sectors))
    print(json.dumps(exp))


if __name__ == "__main__":
    main(sys.argv)
