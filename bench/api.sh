#!/usr/bin/env bash
# bench/api.sh - API throughput against the server's own /healthz, measured in the same run.
#
# Seeds a throw-away demo database, creates an API token for a Punjab CERT analyst, starts
# `rabta serve` on an ephemeral 127.0.0.1 port and runs wrk (2 threads, 32 connections, 10 s, after
# a 1 s warm-up) against:
#   1. GET /healthz                      (no auth, no database: the server's ceiling)
#   2. GET /api/v1/orgs/{id} with Bearer (token lookup by SHA-256, user, org ancestors, org_get)
# and prints both req/s, their ratio and the p99 latencies. The bar (docs/performance.md):
#   ratio >= 0.4 and p99 of the authenticated run < 10 ms.
# Exit status: 0 when both bars pass, 1 when one fails (or the run is invalid), 2 when wrk is
# missing.
#
# Environment: RABTA (the binary; default build/rabta, built with ninja when missing),
#              BENCH_DURATION (default 10s), BENCH_CONNECTIONS (default 32), BENCH_THREADS (2).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if ! command -v wrk >/dev/null 2>&1; then
    echo "$bench: wrk is not installed." >&2
    echo "  install it with: sudo apt-get install wrk   (or run scripts/bootstrap)" >&2
    exit 2
fi

duration="${BENCH_DURATION:-10s}"
conns="${BENCH_CONNECTIONS:-32}"
wthreads="${BENCH_THREADS:-2}"
ratio_bar="0.4"
p99_bar_ms="10"
if ! command -v python3 >/dev/null 2>&1; then
    echo "$bench: python3 is needed to read the org list (apt-get install python3)" >&2
    exit 2
fi

bench_programs rabta

bench_tmp

db="$tmp/bench.db"
user="analyst@punjab-cert.rabta.test"
"$rabta" demo --db "$db" --seed-only >/dev/null
token="$("$rabta" token create --db "$db" --user "$user" --name bench --days 1)"

# A Punjab institution: visible to the Punjab CERT analyst (it is in the analyst's subtree).
"$rabta" org list --db "$db" --json >"$tmp/orgs.json"
org_id="$(python3 - "$tmp/orgs.json" <<'EOF'
import json, sys
orgs = json.load(open(sys.argv[1]))
punjab = next(o["id"] for o in orgs if o["name"] == "Punjab CERT")
inst = sorted((o for o in orgs if o["parent_id"] == punjab and o["kind"] == "institution"),
              key=lambda o: o["name"])
print(inst[0]["id"])
EOF
)"

start_server "$db" || exit 1

health_url="$base/healthz"
org_url="$base/api/v1/orgs/$org_id"
auth="Authorization: Bearer $token"

# Warm-up: opens each worker's database connection and fills its statement cache.
wrk -t"$wthreads" -c"$conns" -d1s "$health_url" >/dev/null
wrk -t"$wthreads" -c"$conns" -d1s -H "$auth" "$org_url" >/dev/null

wrk -t"$wthreads" -c"$conns" -d"$duration" --latency "$health_url" >"$tmp/healthz.txt"
wrk -t"$wthreads" -c"$conns" -d"$duration" --latency -H "$auth" "$org_url" >"$tmp/org.txt"

fail=0
for f in healthz org; do
    bad="$(wrk_non2xx "$tmp/$f.txt")"
    if [ "$bad" != "0" ]; then
        echo "$bench: the $f run got $bad non-2xx responses; the measurement is invalid:" >&2
        cat "$tmp/$f.txt" >&2
        fail=1
    fi
done
[ "$fail" -eq 0 ] || exit 1

unparsable() {
    echo "$bench: cannot read req/s or the 99% latency from wrk's report:" >&2
    cat "$1" >&2
    exit 1
}
h_rps="$(wrk_rps "$tmp/healthz.txt")" || unparsable "$tmp/healthz.txt"
h_p99="$(wrk_ms 99 "$tmp/healthz.txt")" || unparsable "$tmp/healthz.txt"
o_rps="$(wrk_rps "$tmp/org.txt")" || unparsable "$tmp/org.txt"
o_p99="$(wrk_ms 99 "$tmp/org.txt")" || unparsable "$tmp/org.txt"

printf 'healthz: %.0f req/s, p99 %s ms\n' "$h_rps" "$h_p99"
printf 'orgs/{id} (bearer): %.0f req/s, p99 %s ms\n' "$o_rps" "$o_p99"

ratio="$(awk -v a="$o_rps" -v b="$h_rps" 'BEGIN { printf "%.2f", (b > 0) ? a / b : 0 }')"
v="$(verdict "$ratio" ">=" "$ratio_bar")"
echo "ratio: $ratio (bar >= $ratio_bar) $v"
[ "$v" = PASS ] || fail=1

v="$(verdict "$o_p99" "<" "$p99_bar_ms")"
echo "p99: $o_p99 ms (bar < $p99_bar_ms ms) $v"
[ "$v" = PASS ] || fail=1

exit "$fail"
