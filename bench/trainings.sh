#!/usr/bin/env bash
# bench/trainings.sh - training meets the gaps (issue 11) over 10,000 institutions, beside
# baselines measured in the same run:
#
#   gaps   GET /api/v1/trainings/gaps's work in-process (build/bench/trainings_bench calls
#          training_gaps as the National CERT analyst): the weakest domains of a campaign over
#          10,000 synthetic institutions x 150 controls, beside 400 training sessions that invite
#          100 to 300 institutions each (about 80,000 invitations, 100,000 people), median of 9
#          (bar < 100 ms). Baselines: the campaign's own roll-up (campaign_rollup, which the gaps
#          view is built on), SELECT count(*) over the invitations and over the campaign's
#          assessments, in the same process. The same view over HTTP (curl) for context.
#
# The institutions, the catalog, the campaign and its 1.5M answers are bench/guidelines.sh's
# (run here with BENCH_KEEP_DB; its own roll-up line is printed too); the sessions are
# bench/trainings_data.py's. The answer is checked against a count made in Python from the tables.
#
# usage: bench/trainings.sh
# Exit status: 0 when the bar passes, 1 when it fails or a run is invalid, 2 when a tool is missing.
# Environment: RABTA (default build/rabta), TRAININGS_BENCH (default build/bench/trainings_bench),
#              BENCH_INSTITUTIONS (default 10000), BENCH_SESSIONS (default 400), BENCH_ITERATIONS
#              (default 9), BENCH_KEEP_DB (a path: keep a copy of the database there).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

sessions="${BENCH_SESSIONS:-400}"
gaps_bar_ms=100

bench_need python3 curl
bench_programs rabta bench/trainings_bench bench/rollup_bench
bench_tmp
bench_banner

db="$tmp/gaps.db"
t0="$(now_ns)"
# guidelines.sh's own bar (the roll-up < 50 ms) is its verdict, printed above, not this one's:
# only a database it did not keep stops this script.
RABTA="$rabta" BENCH_INSTITUTIONS="$institutions" BENCH_ITERATIONS=3 BENCH_KEEP_DB="$db" \
    "$here/guidelines.sh" rollup 2>"$tmp/guidelines.err" | sed 's/^/  guidelines.sh: /' || true
kept="$(grep '^kept the roll-up database' "$tmp/guidelines.err" || true)"
campaign_id="$(printf '%s\n' "$kept" | sed -n 's/.*(campaign \([0-9a-f-]*\), user .*/\1/p')"
analyst="$(printf '%s\n' "$kept" | sed -n 's/.*, user \([^)]*\)).*/\1/p')"
if [ -z "$campaign_id" ] || [ -z "$analyst" ]; then
    echo "$bench: guidelines.sh kept no database:" >&2
    cat "$tmp/guidelines.err" >&2
    exit 1
fi
python3 "$here/trainings_data.py" "$db" "$campaign_id" "$sessions" >"$tmp/sessions.json"
t_setup="$(ms_since "$t0")"
bench_keep "$db" "gaps database" "campaign $campaign_id, user $analyst"

"$trainings_bench" "$db" "$analyst" "$campaign_id" "$iterations" >"$tmp/measured.txt"

# Over HTTP, for context.
token="$("$rabta" token create --db "$db" --user "$analyst" --name bench --days 1)"
start_server "$db"
curl -sS -o "$tmp/gaps.json" -H "Authorization: Bearer $token" \
    "$base/api/v1/trainings/gaps?campaign_id=$campaign_id" # warm-up
http_ms "$iterations" "$token" "$base/api/v1/trainings/gaps?campaign_id=$campaign_id" "$tmp/http.ms"
stop_server

# The answer must be the right one: counted again in Python from the tables.
python3 - "$db" "$campaign_id" "$tmp/measured.txt" "$tmp/gaps.json" <<'EOF' || exit 1
import json, sqlite3, sys, time
db = sqlite3.connect(sys.argv[1])
campaign = sys.argv[2]
got = dict(l.split("=", 1) for l in open(sys.argv[3]).read().split())
api = json.load(open(sys.argv[4]))
now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
ids = dict(db.execute("SELECT g.idx, g.oscal_id FROM catalog_groups g JOIN profiles p ON "
                      "p.catalog_id = g.catalog_id JOIN campaigns c ON c.profile_id = p.id WHERE "
                      "c.id = ? AND g.parent_idx IS NULL", (campaign,)))
scores = {}
for org, ds in db.execute("SELECT owner_org, domain_scores FROM assessments WHERE campaign_id = ? "
                          "AND status IN ('submitted','accepted') AND score IS NOT NULL", (campaign,)):
    for part in (ds or "").split(";"):
        if part:
            d, v = part.split(":")
            scores.setdefault(int(d), {})[org] = float(v)
trained, planned = {}, {}
for org, d, held, went in db.execute(
        "SELECT i.org_id, t.domain_idx, o.ends_at <= ?, EXISTS (SELECT 1 FROM training_people p "
        "WHERE p.training_id = o.id AND p.org_id = i.org_id AND p.attended_mode IS NOT NULL) FROM "
        "training_invites i JOIN trainings o ON o.id = i.training_id JOIN training_topics t ON "
        "t.training_id = o.id WHERE o.status = 'scheduled'", (now,)):
    if held and went:
        trained.setdefault(d, set()).add(org)
    if not held:
        planned.setdefault(d, set()).add(org)
bad = []
scored = len({o for v in scores.values() for o in v})
if int(got["orgs_scored"]) != scored:
    bad.append("orgs_scored: expected %d, got %s" % (scored, got["orgs_scored"]))
for d, per in scores.items():
    weak = {o for o, v in per.items() if v < 50}
    t = weak & trained.get(d, set())
    p = (weak - t) & planned.get(d, set())
    want = [len(per), len(weak), len(t), len(p), len(weak) - len(t) - len(p)]
    have = [int(x) for x in got["domain_" + ids[d]].split(",")[:5]]
    if want != have:
        bad.append("domain %s: expected n, weak, trained, planned, untrained %s, got %s"
                   % (ids[d], want, have))
    a = next(x for x in api["domains"] if x["id"] == ids[d])
    if [a["n"], a["weak"], a["weak_trained"], a["weak_planned"], a["weak_untrained"]] != want:
        bad.append("domain %s over HTTP: %r" % (ids[d], a))
if bad:
    sys.exit("bench/trainings.sh: the gaps view is wrong:\n  " + "\n  ".join(bad))
EOF

bench_measured "$tmp/measured.txt"
gaps="${m[gaps_ms_median]}" roll="${m[rollup_ms_median]}"
http="$(median <"$tmp/http.ms")"
echo "data: $institutions institutions x 150 controls, one campaign;" \
    "$(python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); print("%d sessions, %d invitations, %d people (%d attended)" % (s["sessions"], s["invites"], s["people"], s["attended"]))' "$tmp/sessions.json");" \
    "${m[orgs_scored]} scored, ${m[domains]} domains; set up in $(awk -v m="$t_setup" 'BEGIN { printf "%.1f", m / 1000 }') s"
bench_bar "$gaps" "$gaps_bar_ms" \
    "gaps view, $institutions institutions: $gaps ms in-process (median of $iterations; min ${m[gaps_ms_min]}," \
    "max ${m[gaps_ms_max]}; CPU ${m[gaps_cpu_ms_median]} ms) |" \
    "baseline the campaign's roll-up alone: $roll ms, SELECT count(*) over ${m[count_invites_rows]} invitations: ${m[count_invites_ms_median]} ms," \
    "over ${m[count_assessments_rows]} assessments: ${m[count_assessments_ms_median]} ms |" \
    "ratio gaps/roll-up $(ratio "$gaps" "$roll")"
echo "  the same view over HTTP (GET /api/v1/trainings/gaps, curl, median of $iterations): $http ms"
exit "$status"
