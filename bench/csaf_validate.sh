#!/usr/bin/env bash
# bench/csaf_validate.sh - throughput of rabta's CSAF validator (formats/csaf) over the 380 real
# CISA OT advisories of 2023, beside a baseline measured in the same run:
#
#   in-process  build/bench/csaf_bench parses each file with rj_parse (the baseline: what any
#               import does first) and validates the parsed tree with csaf_validate, timed apart,
#               median of BENCH_ROUNDS rounds over all files. Printed as documents per second
#               and as the ratio validation / parsing.
#   CLI         `rabta csaf validate` of the 380 files in one process, wall clock, median of
#               BENCH_RUNS, beside reading them (cat).
#
# Bar: the in-process validation of the 380 files under 500 ms, a quarter of the 2 s DESIGN §9
# gives their whole import.
# usage: bench/csaf_validate.sh
# Exit status: 0 when the bar passes, 1 when it fails or a file is not valid, 2 when a tool is
# missing; 0 with SKIP when ../shared/data is absent.
# Environment: RABTA (default build/rabta), CSAF_BENCH (default build/bench/csaf_bench; both
#              built with ninja when missing), RABTA_DATA_DIR (default ../shared/data),
#              BENCH_ROUNDS (default 11), BENCH_RUNS (default 5).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

rounds="${BENCH_ROUNDS:-11}"
runs="${BENCH_RUNS:-5}"
bar_ms=500
dir="$data_dir/csaf/cisa/OT/white/2023"

bench_data "csaf validate" "$dir" || exit 0
bench_programs rabta bench/csaf_bench
bench_tmp

files=("$dir"/*.json)
bench_banner

if ! "$csaf_bench" "$rounds" "${files[@]}" >"$tmp/inproc.txt"; then
    echo "$bench: csaf_bench failed (a file not valid?):" >&2
    cat "$tmp/inproc.txt" >&2
    exit 1
fi
bench_measured "$tmp/inproc.txt"

# The CLI end to end: one process for all files (warm-up first).
cat "${files[@]}" >/dev/null
"$rabta" csaf validate "${files[@]}" >/dev/null
timings "$tmp" cli cat
for _ in $(seq 1 "$runs"); do
    t0="$(now_ns)"
    if ! "$rabta" csaf validate "${files[@]}" >"$tmp/cli.out"; then
        echo "$bench: rabta csaf validate found invalid files:" >&2
        grep -v ': ok$' "$tmp/cli.out" | head >&2
        exit 1
    fi
    ms_since "$t0" >>"$tmp/cli.ms"
    timed "$tmp/cat.ms" cat "${files[@]}" >/dev/null
done
cli="$(median <"$tmp/cli.ms")"
cat_ms="$(median <"$tmp/cat.ms")"
n="${m[files]}" validate="${m[validate_ms_median]}" parse="${m[parse_ms_median]}"
bench_bar "$validate" "$bar_ms" \
    "validate $n CISA OT 2023 advisories ($((m[bytes] / 1024)) KiB), in-process:" \
    "$validate ms = ${m[validate_docs_per_s]} documents/s (median of ${m[rounds]}) |" \
    "baseline rj_parse of the same files: $parse ms = ${m[parse_docs_per_s]} documents/s |" \
    "ratio validate/parse $(ratio "$validate" "$parse") |" \
    "parse + validate ${m[both_docs_per_s]} documents/s"
echo "  rabta csaf validate of the $n files (one process, wall, median of $runs): $cli ms |" \
    "baseline cat of the files: $cat_ms ms"
exit "$status"
