#!/usr/bin/env python3
"""bench/trainings_data.py - training sessions for the gaps benchmark (bench/trainings.sh).

usage: trainings_data.py DB CAMPAIGN_ID [SESSIONS]

Adds SESSIONS (default 400) training sessions to a database made by bench/guidelines.sh (10,000
institutions below seven provincial CERTs, one campaign over the synthetic catalog), written
straight into the tables the way src/core/training.c writes them: each session owned by the
National CERT or a provincial CERT, on one or two domains of the campaign's catalog (domain
topics, domain_idx its group's idx), GREEN, scheduled; three in four held in the last year, the
rest to come; it invites 100 to 300 institutions of its owner's constituency, each registering one
or two people, of whom about seven in ten attended a held session (in the room or online as its
mode allows). The choices are seeded (RABTA_BENCH_SEED); the org ids they pick from are the
database's. Prints, as JSON, the counts written and, per
domain idx, the institutions that attended a held session on it or are invited to a coming one
(for the script to check the gaps view against).
"""
import json
import os
import random
import sqlite3
import sys
import time
import uuid

SEED = int(os.environ.get("RABTA_BENCH_SEED", "20261128"))


def iso(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def main(path, campaign, sessions):
    rnd = random.Random(SEED)
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=WAL")
    root = db.execute("SELECT id FROM orgs WHERE kind = 'national_cert'").fetchone()[0]
    certs = [r[0] for r in db.execute("SELECT id FROM orgs WHERE kind = 'provincial_cert' ORDER BY id")]
    catalog = db.execute("SELECT p.catalog_id FROM campaigns c JOIN profiles p ON p.id = c.profile_id "
                         "WHERE c.id = ?", (campaign,)).fetchone()[0]
    domains = [r[0] for r in db.execute("SELECT idx FROM catalog_groups WHERE catalog_id = ? AND "
                                        "parent_idx IS NULL ORDER BY idx", (catalog,))]
    below = {c: [r[0] for r in db.execute("SELECT id FROM orgs WHERE parent_id = ? ORDER BY id", (c,))]
             for c in certs}
    every = [o for c in certs for o in below[c]]
    now = int(time.time())
    trainings, topics, invites, people = [], [], [], []
    trained, planned = {}, {}
    for k in range(sessions):
        tid = str(uuid.UUID(int=rnd.getrandbits(128), version=4))
        owner = root if k % 4 == 0 else certs[k % len(certs)]
        pool = every if owner == root else below[owner]
        held = rnd.random() < 0.75
        start = now - rnd.randint(2, 360) * 86400 if held else now + rnd.randint(2, 90) * 86400
        mode = ("in_person", "virtual", "hybrid")[k % 3]
        trainings.append((k + 1, tid, owner, "GREEN", "scheduled", "Benchmark session %04d" % k, mode,
                          iso(start), iso(start + 4 * 3600),
                          "Hall %d" % k if mode != "virtual" else None,
                          "https://meet.bench.test/%d" % k if mode != "in_person" else None,
                          catalog, "bench", iso(start - 30 * 86400)))
        doms = rnd.sample(domains, 2 if k % 5 == 0 else 1)
        for rank, d in enumerate(doms):
            topics.append((tid, rank, "g%02d" % d, "domain", d))
        chosen = rnd.sample(pool, min(len(pool), rnd.randint(100, 300)))
        for org in chosen:
            invites.append((tid, org, "bench", iso(start - 30 * 86400)))
            for n in range(1 + (rnd.random() < 0.3)):
                went = held and rnd.random() < 0.7
                how = None
                if went:
                    how = mode if mode != "hybrid" else ("in_person" if rnd.random() < 0.5 else "virtual")
                people.append((str(uuid.UUID(int=rnd.getrandbits(128), version=4)), tid, org,
                               "Person %d" % n, "bench", iso(start - 20 * 86400), how,
                               iso(start + 3600) if how else None, "bench" if how else None))
                for d in doms:
                    if how:
                        trained.setdefault(d, set()).add(org)
            if not held:
                for d in doms:
                    planned.setdefault(d, set()).add(org)
    with db:
        db.executemany("INSERT INTO trainings(seq, id, owner_org, tlp, status, title, mode, starts_at, "
                       "ends_at, venue, meeting_url, catalog_id, created_by, created_at, updated_at) "
                       "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                       [t + (t[-1],) for t in trainings])
        db.executemany("INSERT INTO training_topics(training_id, rank, topic, topic_kind, domain_idx) "
                       "VALUES (?,?,?,?,?)", topics)
        db.executemany("INSERT INTO training_invites(training_id, org_id, invited_by, invited_at) "
                       "VALUES (?,?,?,?)", invites)
        db.executemany("INSERT INTO training_people(id, training_id, org_id, name, registered_by, "
                       "registered_at, attended_mode, attended_at, recorded_by) "
                       "VALUES (?,?,?,?,?,?,?,?,?)", people)
    # The group ids of the synthetic catalog are read back: topics name them.
    ids = dict(db.execute("SELECT idx, oscal_id FROM catalog_groups WHERE catalog_id = ? AND "
                          "parent_idx IS NULL", (catalog,)).fetchall())
    with db:
        db.executemany("UPDATE training_topics SET topic = ? WHERE domain_idx = ? AND topic = ?",
                       [(ids[d], d, "g%02d" % d) for d in domains])
    db.close()
    print(json.dumps({
        "sessions": len(trainings), "invites": len(invites), "people": len(people),
        "attended": sum(1 for p in people if p[6]),
        "trained": {str(d): len(v) for d, v in trained.items()},
        "planned_only": {str(d): len(planned.get(d, set()) - trained.get(d, set())) for d in domains},
    }))


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) == 4 else 400)
