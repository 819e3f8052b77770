#!/usr/bin/env python3
"""bench/incidents_data.py - synthetic incidents for the incidents benchmark (bench/incidents.sh).

usage: incidents_data.py DB N

Adds N incidents to a demo database (`rabta demo --seed-only`), spread over the demo's
institutions (Punjab 34%, Sindh 18%, KP 13%, Islamabad 10%, telecom 9%, Balochistan, AJK and
Gilgit-Baltistan 5-6% each) and reported over the last three years, numbered in the order they were
reported. Deterministic (a fixed seed, override with RABTA_BENCH_SEED). Each is written the way
src/core/incident.c would have left it, so the server treats it as real:

  - incidents: owner (96% the institution itself, 3% its CERT, 1% the National CERT), affected org,
    province, severity (1% emergency ... 15% baseline), CII (30% of the incidents of CII orgs), TLP
    (92% AMBER, 4% GREEN, 2.5% AMBER+STRICT, 1.5% RED), status by age (recent ones open, old ones
    mostly closed, some rejected or merged into an earlier one), detected/reported/acknowledged/
    contained/notified/final report/ended times in order and never in the future, and the stored
    due times with next_due (the earliest unmet one) and next_check as the scheduler leaves them
    after a tick now (src/core/scheduler.c), so the server's first tick has nothing to do;
  - incident_handlers: the parent CERT first; escalated to the National CERT at report time for
    severe/emergency or CII, when the handling CERT missed its acknowledgement deadline
    (scheduler, at the deadline), or by hand (2%); never for AMBER+STRICT or RED. Each CERT
    acknowledges after a delay drawn around its own speed (KP CERT within minutes, Balochistan
    CERT around its deadline), so responsiveness differs by CERT and province;
  - grants: the handling CERTs and the affected org (scope org), as src/core/incident.c makes them,
    and a forward to the National CERT by the provincial CERT for 70% of the rest (TLP 2.0 lets a
    recipient CERT forward AMBER to its ancestors), so the National CERT reads most of them;
  - incident_links for the merges, the incidents_fts text index (rebuilt once), and the counters
    row 'incident' (every new row gets a version above the old value).

Secondary indexes and the FTS insert trigger are dropped while loading and made again from their
own SQL in sqlite_master afterwards. Prints, as JSON: the counts (by province, status, severity,
handling CERT kind), how many are escalated, overdue and readable by the National CERT, and sample
ids: incidents the National CERT analyst may read, for the GET /api/v1/incidents/{id} run.
"""
import json
import math
import os
import random
import sqlite3
import sys
import time

SEED = int(os.environ.get("RABTA_BENCH_SEED", "20261201"))
YEARS = 3
DAY = 86400
HOUR = 3600

# Share of incidents per province (the telecom sector has none); within a province the
# institutions share equally.
PROVINCE_SHARE = {
    "punjab": 0.34, "sindh": 0.18, "khyber_pakhtunkhwa": 0.13, "islamabad": 0.10, None: 0.09,
    "balochistan": 0.06, "azad_jammu_kashmir": 0.05, "gilgit_baltistan": 0.05,
}
SEVERITIES = [("emergency", 0.01), ("severe", 0.05), ("high", 0.17), ("medium", 0.32),
              ("low", 0.30), ("baseline", 0.15)]
ACK = {"emergency": 3600, "severe": 4 * 3600, "high": 8 * 3600, "medium": 24 * 3600,
       "low": 72 * 3600, "baseline": 72 * 3600}  # the reporting policy's defaults (0006)
TLPS = [("AMBER", 0.92), ("GREEN", 0.04), ("AMBER+STRICT", 0.025), ("RED", 0.015)]
# How fast each CERT acknowledges: the median delay as a share of the deadline.
SPEED = {"kp-cert": 0.03, "gov-cert": 0.06, "punjab-cert": 0.15, "telecom-cert": 0.2,
         "ajk-cert": 0.25, "sindh-cert": 0.35, "gb-cert": 0.6, "balochistan-cert": 0.9,
         "ncert": 0.2}
# Status by age: (age limit in days, [(status, share)]).
STATUS_BY_AGE = [
    (3, [("new", 0.30), ("triaged", 0.40), ("contained", 0.20), ("eradicated", 0.05),
         ("recovered", 0.05)]),
    (30, [("new", 0.03), ("triaged", 0.20), ("contained", 0.25), ("eradicated", 0.15),
          ("recovered", 0.17), ("closed", 0.15), ("rejected", 0.04), ("merged", 0.01)]),
    (None, [("triaged", 0.015), ("contained", 0.015), ("recovered", 0.03), ("closed", 0.85),
            ("rejected", 0.06), ("merged", 0.03)]),
]
ENDED = ("closed", "rejected", "merged")
RULE_WHY = {  # src/core/deadline.c
    "severity": "severity is severe or emergency: the CERT above handles it",
    "cii": "critical information infrastructure is involved",
    "ack_overdue": "the handling CERT did not acknowledge it in time",
}
MANUAL_WHY = ["The same activity is reported from other provinces; it needs national coordination.",
              "The affected service is national; the National CERT should lead.",
              "Needs the National CERT's malware analysis."]

# (class, type, title, description, services): {n}, {place} and {org} are filled in.
KINDS = [
    ("malicious-code", "infected-system", "Ransomware on file servers at {org}",
     "Staff found files unreadable and a ransom note on {n} servers in {place}; the servers share "
     "one domain with the head office.", "File servers; shared drives"),
    ("malicious-code", "infected-system", "Malware caught by antivirus on office computers",
     "Antivirus quarantined a trojan on {n} computers in {place}; it came with a fake invoice "
     "attachment.", "Office computers"),
    ("malicious-code", "malware-distribution", "E-mails with a malicious macro attachment",
     "{n} staff in {place} received a document that runs a macro when opened.", "E-mail"),
    ("fraud", "phishing", "Phishing e-mails imitating the salary slip portal",
     "{n} staff received a link to a copy of the salary slip sign-in page; some entered their "
     "passwords.", "Staff e-mail; salary portal accounts"),
    ("fraud", "phishing", "Credential phishing e-mail reported by staff",
     "A member of staff in {place} forwarded an e-mail asking to confirm mailbox storage on a fake "
     "sign-in page.", "E-mail"),
    ("fraud", "masquerade", "Fraudsters impersonating {org}",
     "Citizens in {place} received {n} calls and messages asking for payments in the name of "
     "{org}.", "Public helpline"),
    ("information-gathering", "scanner", "Port scan of public servers",
     "The firewall logged a sweep of {n} public addresses for remote desktop and database ports.",
     "Public servers"),
    ("intrusion-attempts", "brute-force", "Password guessing against webmail",
     "About {n} failed webmail sign-ins from a few hundred addresses; the lockout held.",
     "Webmail"),
    ("intrusions", "application-compromise", "Web shell found on a public web application",
     "A file integrity check found a web shell uploaded through a form of a site in {place}.",
     "Public website"),
    ("intrusions", "unprivileged-account-compromise", "Staff mailbox used to send invoice fraud",
     "A forwarding rule was added to a mailbox in {place}; {n} suppliers received fake invoices.",
     "E-mail; supplier payments"),
    ("information-content-security", "data-leak", "Records of {org} offered for sale",
     "A seller offers {n} records that match a database of {org}.", "Records database"),
    ("information-content-security", "unauthorised-information-modification",
     "Website defaced", "The home page of a site in {place} showed a message of a hacking group "
     "for {n} minutes.", "Public website"),
    ("availability", "ddos", "DDoS on the public portal",
     "The portal was flooded from {n} addresses and unreachable for hours.", "Public portal"),
    ("availability", "outage", "Website briefly unavailable",
     "The site was unreachable for {n} minutes after a hosting failure.", "Public website"),
    ("vulnerable", "vulnerable-system", "Server with a known critical vulnerability exposed",
     "A scan lists a server in {place} with a known critical flaw, reachable from the internet.",
     "Internet-facing servers"),
    ("abusive-content", "spam", "Staff mailbox sending spam",
     "A mailbox sent about {n} spam messages after its password was phished.", "E-mail"),
]
PLACES = ["Lahore", "Karachi", "Peshawar", "Quetta", "Gilgit", "Muzaffarabad", "Islamabad",
          "Multan", "Hyderabad", "Mardan", "Sukkur", "Faisalabad", "Abbottabad", "Gwadar",
          "Skardu", "Mirpur", "Rawalpindi", "Sahiwal", "Larkana", "Swat"]


def pick(rnd, table):
    x = rnd.random()
    for v, share in table:
        x -= share
        if x < 0:
            return v
    return table[-1][0]


class Times:
    """RFC 3339 text of epoch seconds, fast: one strftime per day."""

    def __init__(self):
        self.days = {}

    def __call__(self, t):
        if not t:
            return None
        d, s = divmod(int(t), DAY)
        day = self.days.get(d)
        if day is None:
            day = self.days[d] = time.strftime("%Y-%m-%dT", time.gmtime(d * DAY))
        h, s = divmod(s, 3600)
        m, s = divmod(s, 60)
        return "%s%02d:%02d:%02dZ" % (day, h, m, s)


def load_orgs(db):
    rows = db.execute("SELECT id, parent_id, kind, name, province, cii FROM orgs").fetchall()
    slug = {}
    for org_id, email, role in db.execute("SELECT org_id, email, role FROM users"):
        if role in ("analyst", "reporter"):
            slug[org_id] = email.split("@", 1)[1].split(".", 1)[0]
    orgs = {r[0]: {"id": r[0], "parent": r[1], "kind": r[2], "name": r[3], "province": r[4],
                   "cii": r[5], "slug": slug.get(r[0], "")} for r in rows}
    root = next(o for o in orgs.values() if o["kind"] == "national_cert")
    inst = [o for o in orgs.values() if o["kind"] == "institution"]
    return orgs, root, inst


def uuid4(rnd):
    h = "%032x" % rnd.getrandbits(128)
    return "%s-%s-4%s-%x%s-%s" % (h[:8], h[8:12], h[13:16], 8 | (int(h[16], 16) & 3), h[17:20],
                                  h[20:32])


def escalate(per, to, win, at, rule, reason, by):
    """Ends the current handling period at `at` and opens one at `to` (the next CERT up)."""
    per[-1][4] = at
    per.append([to, at, at + win, 0, 0, rule, reason, by])


def generate(db, n):
    rnd = random.Random(SEED)
    ts = Times()
    now = int(time.time())
    start = now - YEARS * 365 * DAY
    orgs, root, inst = load_orgs(db)
    by_prov = {}
    for o in inst:
        by_prov.setdefault(o["province"], []).append(o)
    prov_table = [(p, s) for p, s in PROVINCE_SHARE.items() if p in by_prov]
    total = sum(s for _, s in prov_table)
    prov_table = [(p, s / total) for p, s in prov_table]
    counter = db.execute("SELECT value FROM counters WHERE name = 'incident'").fetchone()[0]
    seq0 = db.execute("SELECT coalesce(max(seq), 0) FROM incidents").fetchone()[0]
    label = {o["id"]: ("analyst@%s.rabta.test" % o["slug"], "reporter@%s.rabta.test" % o["slug"])
             for o in orgs.values()}

    stats = {"incidents": n, "by_province": {}, "by_status": {}, "by_severity": {},
             "handled_by_national": 0, "escalated": 0, "overdue": 0, "open": 0,
             "readable_by_national": 0, "grants": 0, "handling_periods": 0}
    sample_ids = []
    incidents, handlers, grants, links = [], [], [], []
    prev_id = None

    def flush():
        db.executemany("INSERT INTO incidents(seq, id, owner_org, org_id, province, handling_org, "
                       "handling_since, tlp, title, description, rsit_class, rsit_type, severity, "
                       "status, cii, affected_services, merged_into, reported_by, detected_at, "
                       "reported_at, acknowledged_at, contained_at, notified_at, final_report_at, "
                       "ended_at, ack_due, early_warning_due, notification_due, "
                       "final_report_due, next_due, next_check, updated_at, version) VALUES "
                       "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                       incidents)
        db.executemany("INSERT INTO incident_handlers(incident_id, n, org_id, since, ack_due, "
                       "acknowledged_at, acknowledged_by, until, rule, reason) VALUES "
                       "(?,?,?,?,?,?,?,?,?,?)", handlers)
        db.executemany("INSERT INTO grants(object_kind, object_id, org_id, scope, granted_by, "
                       "created_at) VALUES ('incident',?,?,'org',?,?)", grants)
        db.executemany("INSERT INTO incident_links(a_id, b_id, reason, created_by, created_at) "
                       "VALUES (?,?,?,?,?)", links)
        incidents.clear()
        handlers.clear()
        grants.clear()
        links.clear()

    for i in range(n):
        seq = seq0 + 1 + i
        rep = start + int((i + rnd.random()) * (now - start - 600) / n)
        age = now - rep
        det = rep - int(rnd.expovariate(1 / (6 * HOUR))) % (5 * DAY)
        prov = pick(rnd, prov_table)
        org = rnd.choice(by_prov[prov])
        cert = orgs[org["parent"]]
        r = rnd.random()
        owner = org if r < 0.96 else (cert if r < 0.99 else root)
        owner_label = label[owner["id"]][1 if owner is org else 0]
        sev = pick(rnd, SEVERITIES)
        win = ACK[sev]
        cii = 1 if org["cii"] and rnd.random() < 0.3 else 0
        tlp = pick(rnd, TLPS)
        restricted = tlp in ("AMBER+STRICT", "RED")
        for limit, table in STATUS_BY_AGE:
            if limit is None or age < limit * DAY:
                status = pick(rnd, table)
                break
        if status == "merged" and prev_id is None:
            status = "rejected"
        iid = uuid4(rnd)
        last = now - 30

        # Handling periods [org, since, ack_due, acked, until, rule, reason, granted by], as
        # incident_report, incident_escalate_in and the scheduler make them.
        why0 = "reported by the affected org" if owner is org else "reported by a CERT"
        per = [[cert, rep, rep + win, 0, 0, "reported", why0, owner_label]]
        if not restricted and (sev in ("emergency", "severe") or cii):
            rule = "severity" if sev in ("emergency", "severe") else "cii"
            escalate(per, root, win, rep, rule, RULE_WHY[rule], owner_label)
        first_ack = 0
        if status not in ("new", "merged"):
            p = per[-1]
            d = win * SPEED.get(p[0]["slug"], 0.2) * rnd.lognormvariate(0, 0.7)
            if d > win and not restricted and p[0] is not root and p[2] < now:
                escalate(per, root, win, p[2], "ack_overdue", RULE_WHY["ack_overdue"],
                         "scheduler")
                p = per[-1]
                d = win * SPEED["ncert"] * rnd.lognormvariate(0, 0.7)
            ack = p[1] + max(60, int(d))
            if ack >= last:
                status = "new"  # nobody has acknowledged it yet
            else:
                p[3] = first_ack = ack
                if (not restricted and p[0] is not root and rnd.random() < 0.02 and
                        ack + HOUR < last):
                    by = label[p[0]["id"]][0]
                    escalate(per, root, win, ack + HOUR, "manual", rnd.choice(MANUAL_WHY), by)
                    d = int(win * SPEED["ncert"] * rnd.lognormvariate(0, 0.7))
                    if per[-1][1] + d < last:
                        per[-1][3] = per[-1][1] + max(60, d)
        # Status times, in order, never in the future.
        contained = ended = 0
        if status in ("contained", "eradicated", "recovered", "closed"):
            contained = min(first_ack + int(rnd.expovariate(1 / DAY)) + 600, last)
        if status == "closed":
            ended = min(contained + int(rnd.expovariate(1 / (10 * DAY))) + HOUR, last)
        elif status == "rejected":
            ended = min(first_ack + int(rnd.expovariate(1 / (12 * HOUR))) + 600, last)
        elif status == "merged":
            ended = min(rep + int(rnd.expovariate(1 / (6 * HOUR))) + 600, last)
        if status in ("new", "merged"):
            # Nobody acknowledged: the scheduler hands it up as each deadline passes.
            stop = ended or now
            while per[-1][0] is not root and not restricted and per[-1][2] < stop:
                escalate(per, root, win, per[-1][2], "ack_overdue", RULE_WHY["ack_overdue"],
                         "scheduler")
        notified = final = 0
        q = {"new": 0.05, "triaged": 0.3, "rejected": 0.0, "merged": 0.0}.get(status, 0.75)
        if rnd.random() < q:
            notified = max(rep + 600, det + int(rnd.lognormvariate(math.log(40 * HOUR), 0.5)))
            notified = notified if notified < last else 0
        if status in ("closed", "recovered") and rnd.random() < (0.65 if status == "closed"
                                                                 else 0.3):
            final = max(rep + DAY, det + int(rnd.uniform(8, 40) * DAY))
            final = final if final < last and (not notified or final > notified) else 0
        handling = per[-1]
        # The stored dues (incident_refresh_dues) and the scheduler's next look (one_incident).
        ack_due = handling[1] + win
        ew_due = det + (6 * HOUR if cii else 24 * HOUR)
        nt_due = det + 72 * HOUR
        fr_due = det + 30 * DAY
        next_due = next_check = 0
        if not ended:
            running = [d for d, met in ((ack_due, handling[3]), (nt_due, notified),
                                        (fr_due, final)) if not met]
            if running:
                next_due = min(running)
            for d in running:
                at = d - HOUR if now < d - HOUR else (d + 1 if now <= d else 0)
                if at and (not next_check or at < next_check):
                    next_check = at
            stats["open"] += 1
            if next_due and next_due < now:
                stats["overdue"] += 1
        merged_into = prev_id if status == "merged" else None
        updated = max(x for x in (rep, first_ack, contained, ended, notified, final,
                                  handling[1], handling[3]) if x)
        kind = KINDS[rnd.randrange(len(KINDS))]
        fill = {"org": org["name"], "place": rnd.choice(PLACES), "n": rnd.randint(2, 900)}
        incidents.append((
            seq, iid, owner["id"], org["id"], org["province"], handling[0]["id"], ts(handling[1]),
            tlp, kind[2].format(**fill), kind[3].format(**fill), kind[0], kind[1], sev, status,
            cii, kind[4], merged_into, owner_label, ts(det), ts(rep), ts(handling[3]),
            ts(contained), ts(notified), ts(final), ts(ended), ts(ack_due), ts(ew_due),
            ts(nt_due), ts(fr_due), ts(next_due), ts(next_check), ts(updated),
            counter + 1 + i))
        for k, p in enumerate(per):
            handlers.append((iid, k, p[0]["id"], ts(p[1]), ts(p[2]), ts(p[3]),
                             label[p[0]["id"]][0] if p[3] else None, ts(p[4]), p[5], p[6]))
        # Grants (incident_report, grant_between, each escalation): org scope; the first grant
        # of an org stays as it was made.
        gr = {}
        if cert is not owner:
            gr[cert["id"]] = (owner_label, rep)
        if org is not owner:
            gr.setdefault(org["id"], (owner_label, rep))
        for p in per[1:]:
            gr.setdefault(p[0]["id"], (p[7], p[1]))
        if root["id"] not in gr and owner is not root and not restricted and \
                rnd.random() < 0.7:
            # The CERT forwards it to the National CERT (TLP:AMBER allows it to ancestors).
            gr[root["id"]] = (label[cert["id"]][0], min((handling[3] or rep) + HOUR, last))
        for org_id, (by, at) in gr.items():
            grants.append((iid, org_id, by, ts(at)))
        if status == "merged":
            a, b = sorted((iid, merged_into))
            links.append((a, b, "duplicate", label[handling[0]["id"]][0], ts(ended)))
        readable = root["id"] in gr or tlp == "GREEN" or owner is root
        stats["grants"] += len(gr)
        stats["handling_periods"] += len(per)
        stats["escalated"] += len(per) > 1
        stats["handled_by_national"] += handling[0] is root
        stats["readable_by_national"] += readable
        key = prov or "none"
        stats["by_province"][key] = stats["by_province"].get(key, 0) + 1
        stats["by_status"][status] = stats["by_status"].get(status, 0) + 1
        stats["by_severity"][sev] = stats["by_severity"].get(sev, 0) + 1
        if readable and len(sample_ids) < 2000 and rnd.random() < 0.01:
            sample_ids.append(iid)
        prev_id = iid
        if len(incidents) >= 20000:
            flush()
    flush()
    db.execute("UPDATE counters SET value = ? WHERE name = 'incident'", (counter + n,))
    stats["sample_ids"] = sample_ids
    return stats


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: incidents_data.py DB N")
    path, n = sys.argv[1], int(sys.argv[2])
    t0 = time.time()
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode = OFF")
    db.execute("PRAGMA synchronous = OFF")
    db.execute("PRAGMA cache_size = -1000000")
    db.execute("PRAGMA foreign_keys = OFF")  # every reference is made right here
    saved = db.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND ("
        "(type = 'index' AND tbl_name IN ('incidents', 'grants', 'incident_handlers')) OR "
        "(type = 'trigger' AND name = 'incidents_fts_ins'))").fetchall()
    db.execute("BEGIN")
    for typ, name, _ in saved:
        db.execute('DROP %s "%s"' % ("INDEX" if typ == "index" else "TRIGGER", name))
    stats = generate(db, n)
    t1 = time.time()
    for _, _, sql in saved:
        db.execute(sql)
    db.execute("INSERT INTO incidents_fts(incidents_fts) VALUES ('rebuild')")
    db.execute("COMMIT")
    t2 = time.time()
    db.execute("PRAGMA journal_mode = WAL")
    db.close()
    stats["seconds"] = {"rows": round(t1 - t0, 1), "indexes_and_fts": round(t2 - t1, 1),
                        "total": round(time.time() - t0, 1)}
    json.dump(stats, sys.stdout)
    print()


if __name__ == "__main__":
    main()
