#!/usr/bin/env bash
# bench/guidelines.sh - guidelines & preparedness benchmarks (issue 3), each printed beside a
# baseline measured in the same run:
#
#   import   `rabta import oscal` of the NIST SP 800-53 rev5 moderate resolved catalog into a
#            fresh database, median of 5 (bar < 500 ms). Baselines: reading the file (cat) and
#            Python's json.load of it. Skipped (exit 0) when ../shared/data is absent.
#   rollup   The national roll-up of a campaign over 10,000 synthetic institutions x 150
#            controls (1.5M answers) as the National CERT analyst, in-process
#            (build/bench/rollup_bench calls campaign_rollup), median of 9 (bar < 50 ms).
#            Baseline: SELECT count(*) over the 1.5M answers, and count(score) over the
#            campaign's 10,000 assessments, in the same process. The same roll-up over HTTP
#            (curl, median of 9) is printed for context. Needs no data files.
#   resolve  OSCAL profile resolution of the NIST SP 800-53 rev5 LOW profile against the moderate
#            resolved catalog, in-process (build/bench/resolve_bench calls oscal_profile_resolve),
#            median of 9 (bar < 100 ms). Baseline: reading the same two files, parse only
#            (rj_parse of each), in the same process. `rabta import oscal` of the LOW profile
#            bound to the catalog (resolved, rendered and stored) is printed for context. Skipped
#            (exit 0) when ../shared/data is absent.
#   results  OSCAL assessment results of a 300-control assessment (every control answered and
#            reviewed, a 400-byte statement, a 300-byte evidence note and a file each), written
#            in-process (build/bench/results_bench calls oscal_results_write), median of 9 (bar
#            < 20 ms). Baseline: reading the same document, parse only (rj_parse), in the same
#            process. Needs no data files.
#
# usage: bench/guidelines.sh [import|rollup|resolve|results|all]      (default all)
# Exit status: 0 when every bar that ran passes, 1 when one fails or a run is invalid, 2 when a
# tool is missing.
# Environment: RABTA (the binary; default build/rabta), ROLLUP_BENCH (default
#              build/bench/rollup_bench), RESOLVE_BENCH (default build/bench/resolve_bench; all
#              built with ninja when missing), RABTA_DATA_DIR
#              (default ../shared/data), BENCH_INSTITUTIONS (default 10000), BENCH_RUNS (import
#              runs, default 5), BENCH_ITERATIONS (roll-up iterations, default 9), BENCH_KEEP_DB
#              (a path: keep a copy of the roll-up database there, for EXPLAIN QUERY PLAN and perf).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

runs="${BENCH_RUNS:-5}"
import_bar_ms=500
rollup_bar_ms=50
resolve_bar_ms=100
results_bar_ms=20

bench_parts "${1:-all}" import rollup resolve results
bench_need python3 curl
bench_programs rabta bench/rollup_bench bench/resolve_bench bench/results_bench

bench_tmp

bench_banner "$what"

bench_import() {
    local file="$data_dir/oscal/NIST_SP-800-53_rev5_MODERATE-baseline-resolved-profile_catalog-min.json"
    bench_data "import NIST moderate" "$file" || return 0
    local dir="$tmp/import"
    mkdir -p "$dir"
    bench_init_db "$dir/template.db" admin@bench.test
    if [ -e "$dir/template.db-wal" ] && [ -s "$dir/template.db-wal" ]; then
        echo "$bench: the template database kept a WAL; cannot copy it" >&2
        return 1
    fi
    local bytes
    bytes="$(wc -c <"$file")"
    # Warm-up: the file in the page cache, the binary loaded once.
    cat "$file" >/dev/null
    cp "$dir/template.db" "$dir/warm.db"
    "$rabta" import oscal --db "$dir/warm.db" "$file" >/dev/null
    timings "$dir" import inproc cat
    local i out
    for i in $(seq 1 "$runs"); do
        bench_import_once "$dir" "$i" oscal "$file" \
            '*: 18 groups, 177 controls, 110 enhancements (* ms)' || return 1
        printf '%s\n' "$out" | sed -n 's/.*(\([0-9.]*\) ms)$/\1/p' >>"$dir/inproc.ms"
        timed "$dir/cat.ms" cat "$file" >/dev/null
    done
    local json_ms
    json_ms="$(python3 - "$file" "$runs" <<'EOF'
import json, sys, time
path, runs = sys.argv[1], int(sys.argv[2])
t = []
for _ in range(runs + 1):  # the first one warms up
    t0 = time.perf_counter()
    with open(path, "rb") as f:
        json.load(f)
    t.append((time.perf_counter() - t0) * 1000)
t = sorted(t[1:])
print("%.1f" % (t[len(t) // 2] if len(t) % 2 else (t[len(t) // 2 - 1] + t[len(t) // 2]) / 2))
EOF
)"
    local imp
    imp="$(median <"$dir/import.ms")"
    bench_bar "$imp" "$import_bar_ms" \
        "import NIST moderate ($((bytes / 1024)) KiB, 18 groups, 177 controls, 110 enhancements):" \
        "$imp ms wall (median of $runs; $(median <"$dir/inproc.ms") ms as rabta reports it) |" \
        "baseline read file (cat): $(median <"$dir/cat.ms") ms, python json.load: $json_ms ms |" \
        "ratio import/json.load $(ratio "$imp" "$json_ms")"
}

bench_rollup() {
    local dir="$tmp/rollup" db="$tmp/rollup/bench.db" analyst="analyst@ncert.bench.test"
    mkdir -p "$dir"
    local t_all t0
    t_all="$(now_ns)"
    bench_init_db "$db" admin@ncert.bench.test
    local root_id
    root_id="$(python3 -c 'import json,sys; print(next(o["id"] for o in json.load(sys.stdin) if o["kind"] == "national_cert"))' \
        < <("$rabta" org list --db "$db" --json))"
    printf %s 'bench-password-1' | "$rabta" user add --db "$db" --org "$root_id" \
        --email "$analyst" --role analyst --password-stdin >/dev/null
    local p name
    for p in punjab:Punjab sindh:Sindh khyber_pakhtunkhwa:KP balochistan:Balochistan \
        islamabad:Islamabad gilgit_baltistan:GB azad_jammu_kashmir:AJK; do
        name="${p#*:} CERT"
        "$rabta" org add --db "$db" --parent "$root_id" --kind provincial_cert --name "$name" \
            --province "${p%%:*}" >/dev/null
    done
    # The catalog and the profile through the real import code.
    python3 "$here/rollup_data.py" catalog "$dir/catalog.json" "$dir/profile.json"
    local out catalog_id profile_id
    out="$("$rabta" import oscal --db "$db" "$dir/catalog.json")"
    catalog_id="$(printf '%s\n' "$out" | sed -n 's/^imported catalog \([0-9a-f-]*\):.*/\1/p')"
    case "$out" in *": 12 groups, 150 controls, 0 enhancements"*) ;;
        *) echo "$bench: unexpected catalog import: $out" >&2; return 1 ;; esac
    out="$("$rabta" import oscal --db "$db" "$dir/profile.json" --catalog "$catalog_id" \
        --applies-kinds institution)"
    profile_id="$(printf '%s\n' "$out" | sed -n 's/^imported profile \([0-9a-f-]*\):.*/\1/p')"
    case "$out" in *": 150 controls selected"*) ;;
        *) echo "$bench: unexpected profile import: $out" >&2; return 1 ;; esac
    # 10,000 institutions straight into orgs + org_closure.
    t0="$(now_ns)"
    python3 "$here/rollup_data.py" orgs "$db" "$institutions"
    local t_orgs
    t_orgs="$(ms_since "$t0")"
    # The campaign through the real launch code (assessments and their grants), over HTTP.
    local token campaign_id due
    token="$("$rabta" token create --db "$db" --user "$analyst" --name bench --days 1)"
    start_server "$db"
    due="$(date -u -d '+30 days' +%Y-%m-%d)"
    t0="$(now_ns)"
    curl -sS --max-time 120 -o "$dir/campaign.json" -w '%{http_code}' \
        -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
        -d "{\"profile_id\":\"$profile_id\",\"title\":\"Benchmark campaign\",\"due_date\":\"$due\"}" \
        "$base/api/v1/campaigns" >"$dir/campaign.code"
    local t_launch
    t_launch="$(ms_since "$t0")"
    if [ "$(cat "$dir/campaign.code")" != 201 ]; then
        echo "$bench: the campaign launch failed: $(cat "$dir/campaign.code") $(cat "$dir/campaign.json")" >&2
        return 1
    fi
    campaign_id="$(python3 -c 'import json,sys; c=json.load(sys.stdin); assert c["assessments"] == int(sys.argv[1]), c; print(c["id"])' \
        "$institutions" <"$dir/campaign.json")"
    # 1.5M answers, scores and statuses straight into the tables.
    t0="$(now_ns)"
    python3 "$here/rollup_data.py" answers "$db" "$campaign_id" >"$dir/expected.json"
    local t_answers t_setup
    t_answers="$(ms_since "$t0")"
    t_setup="$(ms_since "$t_all")"

    # The measurement, in-process.
    "$rollup_bench" "$db" "$analyst" "$campaign_id" "$iterations" >"$dir/measured.txt"
    # The same roll-up over HTTP, for context.
    curl -sS -o "$dir/rollup.json" -H "Authorization: Bearer $token" \
        "$base/api/v1/campaigns/$campaign_id/rollup" # warm-up
    http_ms "$iterations" "$token" "$base/api/v1/campaigns/$campaign_id/rollup" "$dir/http.ms"
    stop_server
    bench_keep "$db" "roll-up database" "campaign $campaign_id, user $analyst"

    # The roll-up must be the right one: the numbers the generator computed.
    python3 - "$dir/expected.json" "$dir/measured.txt" "$dir/rollup.json" <<'EOF' || return 1
import json, sys
exp = json.load(open(sys.argv[1]))
got = dict(l.split("=", 1) for l in open(sys.argv[2]).read().split())
api = json.load(open(sys.argv[3]))
bad = []
def same(name, want, have, tol=0.0):
    if abs(float(want) - float(have)) > tol:
        bad.append("%s: expected %s, got %s" % (name, want, have))
for k in ("assessments", "submitted", "accepted"):
    same(k, exp[k], got[k])
same("not_submitted", exp["not_submitted"], got["not_submitted"])
for k in ("mean", "median", "q1", "q3", "min", "max"):
    same(k, exp[k], got[k], 1e-3)
same("domains", exp["domains"], got["domains"])
same("provinces", exp["provinces"], got["provinces"])
if got["hist"] != ",".join(map(str, exp["hist"])):
    bad.append("hist: expected %s, got %s" % (exp["hist"], got["hist"]))
same("count_answers_rows", exp["answers"], got["count_answers_rows"])
same("http submitted", exp["submitted"], api["submitted"])
same("http mean", round(exp["mean"], 2), api["score"]["mean"], 0.006)
if bad:
    sys.exit("bench/guidelines.sh: the roll-up is wrong:\n  " + "\n  ".join(bad))
EOF
    bench_measured "$dir/measured.txt"
    local roll="${m[rollup_ms_median]}" cnt_ans="${m[count_answers_ms_median]}"
    echo "data: $institutions institutions x 150 controls, $(python3 -c 'import json,sys; e=json.load(open(sys.argv[1])); print("%d answers, %d domain scores" % (e["answers"], e["domain_scores"]))' "$dir/expected.json")," \
        "${m[submitted]} scored (mean ${m[mean]}); set up in $(awk -v m="$t_setup" 'BEGIN { printf "%.1f", m / 1000 }') s" \
        "(orgs $t_orgs ms, campaign launch over HTTP $t_launch ms, answers $t_answers ms)"
    bench_bar "$roll" "$rollup_bar_ms" \
        "national roll-up, $institutions institutions x 150 controls: $roll ms in-process (median of $iterations;" \
        "min ${m[rollup_ms_min]}, max ${m[rollup_ms_max]}; CPU ${m[rollup_cpu_ms_median]} ms) |" \
        "baseline SELECT count(*) over ${m[count_answers_rows]} answers: $cnt_ans ms," \
        "count(score) over the campaign's assessments: ${m[count_assessments_ms_median]} ms |" \
        "ratio roll-up/count(answers) $(ratio "$roll" "$cnt_ans")"
    echo "  the same roll-up over HTTP (GET /api/v1/campaigns/{id}/rollup, curl, median of $iterations): $(median <"$dir/http.ms") ms"
}

bench_results() {
    local dir="$tmp/results"
    mkdir -p "$dir"
    "$results_bench" "$iterations" >"$dir/measured.txt"
    bench_measured "$dir/measured.txt"
    if [ "${m[findings]}" != 300 ]; then
        echo "results: INVALID (the document has ${m[findings]} findings, want 300)"
        status=1
        return 0
    fi
    local export="${m[export_ms_median]}" parse="${m[parse_ms_median]}"
    bench_bar "$export" "$results_bar_ms" \
        "OSCAL assessment results of 300 controls ($((m[document_bytes] / 1024)) KiB): $export ms" \
        "in-process (median of $iterations; min ${m[export_ms_min]}) | baseline read the same" \
        "document, parse only: $parse ms (min ${m[parse_ms_min]}) | ratio export/parse" \
        "$(ratio "$export" "$parse")"
}

bench_resolve() {
    local profile="$data_dir/oscal/NIST_SP-800-53_rev5_LOW-baseline_profile.json"
    local catalog="$data_dir/oscal/NIST_SP-800-53_rev5_MODERATE-baseline-resolved-profile_catalog-min.json"
    bench_data "resolve NIST LOW" "$profile" "$catalog" || return 0
    local dir="$tmp/resolve"
    mkdir -p "$dir"
    "$resolve_bench" "$profile" "$catalog" "$iterations" >"$dir/measured.txt"
    bench_measured "$dir/measured.txt"
    # It must be the right resolution: the LOW baseline's 149 controls.
    if [ "${m[controls]}" != 149 ]; then
        echo "$bench: the resolution of the LOW profile holds ${m[controls]} controls, not 149" >&2
        return 1
    fi
    # For context: the import that resolves, renders and stores it (the CLI, wall clock).
    bench_init_db "$dir/bench.db" admin@bench.test
    local out catalog_id
    timings "$dir" import
    out="$("$rabta" import oscal --db "$dir/bench.db" "$catalog")"
    catalog_id="$(printf '%s\n' "$out" | sed -n 's/^imported catalog \([0-9a-f-]*\):.*/\1/p')"
    local i
    for i in $(seq 1 "$runs"); do
        out="$(timed "$dir/import.ms" "$rabta" import oscal --db "$dir/bench.db" "$profile" \
            --catalog "$catalog_id")"
        case "$out" in *": 149 controls selected") ;;
            *) echo "$bench: unexpected profile import: $out" >&2; return 1 ;; esac
    done
    local resolve="${m[resolve_ms_median]}" parse="${m[parse_ms_median]}"
    bench_bar "$resolve" "$resolve_bar_ms" \
        "resolve NIST LOW profile against moderate (149 controls, $((m[resolved_bytes] / 1024)) KiB" \
        "resolved): $resolve ms in-process (median of $iterations; min ${m[resolve_ms_min]};" \
        "CPU ${m[resolve_cpu_ms_median]} ms) | baseline read the same files, parse only:" \
        "$parse ms (min ${m[parse_ms_min]}) | ratio resolve/parse $(ratio "$resolve" "$parse")"
    echo "  rabta import oscal of the LOW profile bound to the catalog (resolved, rendered, stored;" \
        "wall, median of $runs): $(median <"$dir/import.ms") ms"
}

if bench_part import; then
    bench_import
fi
if bench_part rollup; then
    bench_rollup
fi
if bench_part results; then
    bench_results
fi
if bench_part resolve; then
    bench_resolve
fi
exit "$status"
