#!/usr/bin/env bash
# bench/risks.sh - the risk heat-map benchmark (issue 11), printed beside a baseline measured in the
# same run:
#
#   heatmap  The national heat-map roll-up (GET /api/v1/risks/heatmap as the National CERT's
#            analyst: counts per cell, by province and sector, overdue treatments and reviews,
#            the top residual risks) over 10,000 synthetic institutions x 20 risks (200,000 risks,
#            AMBER+STRICT granted to each one's parent CERT, 1% RED), in-process
#            (build/bench/risks_bench calls risk_heatmap), median of 9 (bar < 50 ms). Baseline:
#            SELECT count(*) over the same 200,000 risk rows, in the same process. The same roll-up
#            over HTTP (curl, median of 9) is printed for context. Needs no data files.
#   gaps     The issue's second bar, "the gaps view over 10,000 orgs (< 100 ms)": bench/trainings.sh
#            is run after the heat map (it needs the preparedness scores of bench/guidelines.sh's
#            data, not these risks), its lines indented. BENCH_SKIP_GAPS=1 leaves it out.
#
# usage: bench/risks.sh
# Exit status: 0 when both bars pass, 1 when one fails or a roll-up is wrong, 2 when a tool is
# missing.
# Environment: RABTA (default build/rabta), RISKS_BENCH (default build/bench/risks_bench; both
#              built with ninja when missing), BENCH_INSTITUTIONS (default 10000), BENCH_RISKS
#              (risks per institution, default 20), BENCH_ITERATIONS (default 9), BENCH_KEEP_DB (a
#              path: keep a copy of the database there, for EXPLAIN QUERY PLAN and perf).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

per_org="${BENCH_RISKS:-20}"
bar_ms=50

bench_need python3 curl
bench_programs rabta bench/risks_bench
bench_tmp
bench_banner

dir="$tmp/risks" db="$tmp/risks/bench.db" analyst="analyst@ncert.bench.test"
mkdir -p "$dir"
t_all="$(now_ns)"
bench_init_db "$db" admin@ncert.bench.test
root_id="$(python3 -c 'import json,sys; print(next(o["id"] for o in json.load(sys.stdin) if o["kind"] == "national_cert"))' \
    < <("$rabta" org list --db "$db" --json))"
printf %s 'bench-password-1' | "$rabta" user add --db "$db" --org "$root_id" \
    --email "$analyst" --role analyst --password-stdin >/dev/null
for p in punjab:Punjab sindh:Sindh khyber_pakhtunkhwa:KP balochistan:Balochistan \
    islamabad:Islamabad gilgit_baltistan:GB azad_jammu_kashmir:AJK; do
    "$rabta" org add --db "$db" --parent "$root_id" --kind provincial_cert --name "${p#*:} CERT" \
        --province "${p%%:*}" >/dev/null
done
# 10,000 institutions (the roll-up benchmark's generator), then 20 risks each.
python3 "$here/rollup_data.py" orgs "$db" "$institutions"
t0="$(now_ns)"
python3 "$here/risks_data.py" risks "$db" "$per_org" >"$dir/expected.json"
t_risks="$(ms_since "$t0")"
t_setup="$(ms_since "$t_all")"

# The measurement, in-process.
"$risks_bench" "$db" "$analyst" "$iterations" >"$dir/measured.txt"
# The same roll-up over HTTP, for context.
token="$("$rabta" token create --db "$db" --user "$analyst" --name bench --days 1)"
start_server "$db"
curl -sS -o "$dir/heatmap.json" -H "Authorization: Bearer $token" "$base/api/v1/risks/heatmap"
http_ms "$iterations" "$token" "$base/api/v1/risks/heatmap" "$dir/http.ms"
stop_server
bench_keep "$db" database "user $analyst"

# The roll-up must be the right one: the numbers the generator computed from its rows.
python3 - "$dir/expected.json" "$dir/measured.txt" "$dir/heatmap.json" <<'PY' || exit 1
import json, sys
exp = json.load(open(sys.argv[1]))
got = dict(l.split("=", 1) for l in open(sys.argv[2]).read().split())
api = json.load(open(sys.argv[3]))
bad = []
def same(name, want, have):
    if str(want) != str(have):
        bad.append("%s: expected %s, got %s" % (name, want, have))
for k in ("total", "overdue_treatments", "overdue_reviews", "orgs_with_risks", "provinces",
          "sectors"):
    same(k, exp[k], got[k])
same("by_level", ",".join(str(exp["by_level"][l]) for l in ("low", "medium", "high", "critical")),
     got["by_level"])
same("cells", ",".join(str(c) for row in exp["counts"] for c in row), got["cells"])
same("count_rows", exp["rows"], got["count_rows"])
same("http total", exp["total"], api["total"])
same("http counts", exp["counts"], api["counts"])
same("http top", 10, len(api["top"]))
if any(t["readable"] for t in api["top"]):
    bad.append("http top: the National CERT may read none of the institutions' risks")
if bad:
    sys.exit("bench/risks.sh: the heat map is wrong:\n  " + "\n  ".join(bad))
PY
bench_measured "$dir/measured.txt"
roll="${m[heatmap_ms_median]}" cnt="${m[count_ms_median]}" rows="${m[count_rows]}"
http="$(median <"$dir/http.ms")"
echo "data: $institutions institutions x $per_org risks = $rows risks (${m[total]} counted: not closed, not RED)," \
    "set up in $(awk -v m="$t_setup" 'BEGIN { printf "%.1f", m / 1000 }') s (risks and grants $t_risks ms)"
bench_bar "$roll" "$bar_ms" \
    "national heat map, $institutions institutions x $per_org risks: $roll ms in-process (median of $iterations;" \
    "min ${m[heatmap_ms_min]}, max ${m[heatmap_ms_max]};" \
    "CPU ${m[heatmap_cpu_ms_median]} ms) |" \
    "baseline SELECT count(*) over the $rows risks: $cnt ms |" \
    "ratio heat map/count $(ratio "$roll" "$cnt")"
echo "  the same roll-up over HTTP (GET /api/v1/risks/heatmap, curl, median of $iterations): $http ms"
if [ "${BENCH_SKIP_GAPS:-0}" != 1 ]; then
    RABTA="$rabta" BENCH_INSTITUTIONS="$institutions" BENCH_ITERATIONS="$iterations" \
        "$here/trainings.sh" 2>&1 | sed 's/^/  trainings.sh: /' || status=1 # pipefail: its status
fi
exit "$status"
