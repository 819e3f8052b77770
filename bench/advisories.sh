#!/usr/bin/env bash
# bench/advisories.sh - advisory benchmarks (issue 10), each printed beside a baseline measured
# in the same run:
#
#   import    `rabta import csaf` of the 380 CISA OT advisories of 2023 into a fresh database
#             (each validated, stored as a draft with its revision and audit entry, one committed
#             write each), median of BENCH_RUNS (bar < 2 s). Baseline: `rabta csaf validate` of
#             the same files (read, parse, validate; nothing stored), and reading them (cat).
#             Also printed: the validator's throughput in documents per second.
#   match     bench/prodmatch.sh: one advisory against 10,000 orgs x 50 inventory items,
#             in-process (bar < 50 ms), beside a strcmp loop over the same items.
#   validate  bench/csaf_validate.sh: the validator in-process beside parsing alone.
#
# usage: bench/advisories.sh [import|match|validate|all]      (default all)
# Exit status: 0 when every bar that ran passes, 1 when one fails, 2 when a tool is missing.
# Skipped (exit 0, saying so) when ../shared/data is absent.
# Environment: RABTA (default build/rabta), RABTA_DATA_DIR (default ../shared/data), BENCH_RUNS
#              (default 3).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

runs="${BENCH_RUNS:-3}"
import_bar_ms=2000

bench_parts "${1:-all}" import match validate
bench_programs rabta
bench_tmp
bench_banner "$what"

bench_import() {
    local dir="$data_dir/csaf/cisa/OT/white/2023"
    bench_data "import CISA OT 2023" "$dir" || return 0
    local n
    n="$(find "$dir" -name '*.json' | wc -l)"
    bench_init_db "$tmp/template.db" admin@bench.test
    cat "$dir"/*.json >/dev/null # the files in the page cache
    timings "$tmp" import validate cat
    local i out
    for i in $(seq 1 "$runs"); do
        bench_import_once "$tmp" "$i" csaf "$dir" \
            "$n files: $n imported, 0 new revisions, 0 unchanged, 0 refused*" || return 1
        timed "$tmp/validate.ms" "$rabta" csaf validate "$dir"/*.json >/dev/null
        timed "$tmp/cat.ms" cat "$dir"/*.json >/dev/null
    done
    local imp val cat_ms rate
    imp="$(median <"$tmp/import.ms")"
    val="$(median <"$tmp/validate.ms")"
    cat_ms="$(median <"$tmp/cat.ms")"
    rate="$(awk -v n="$n" -v ms="$val" 'BEGIN { printf "%.0f\n", n / (ms / 1000) }')"
    bench_bar "$imp" "$import_bar_ms" \
        "import CISA OT 2023 ($n advisories, $(du -sk "$dir" | cut -f1) KiB): $imp ms wall" \
        "(median of $runs) | baseline: rabta csaf validate of the same files (read, parse," \
        "validate, store nothing) $val ms = $rate documents/s, cat $cat_ms ms |" \
        "ratio import/validate $(ratio "$imp" "$val")"
}

if bench_part import; then
    bench_import || status=1
fi
if bench_part match; then
    "$here/prodmatch.sh" || status=1
fi
if bench_part validate; then
    "$here/csaf_validate.sh" || status=1
fi
exit "$status"
