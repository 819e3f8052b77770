#!/usr/bin/env bash
# Fuzzes one parser with libFuzzer for N seconds:
#   json   src/json (rj_parse, rj_only, getters, writer)
#   oscal  src/formats/oscal (catalogs and profiles: parse, render, write back, select)
#
#   tests/fuzz/run.sh [TARGET] [SECONDS]      defaults: json 30
#
# Builds tests/fuzz/fuzz_TARGET.c with clang -fsanitize=fuzzer,address,undefined into build-fuzz/,
# copies the seed corpus (tests/fuzz/corpus/json, and corpus/oscal for oscal) to a temporary
# directory, adds the small JSON
# files of ../shared/data/oscal and ../shared/data/csaf/examples when that folder exists, and runs.
# Crashes are saved in build-fuzz/artifacts/ (replay one with build/tests/fuzz/fuzz_json_replay
# FILE). Exits non-zero when the fuzzer found a crash. Environment: CLANG (default clang),
# FUZZ_FLAGS (extra clang flags).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
target=json
case "${1:-}" in json|oscal) target=$1; shift ;; esac
secs="${1:-30}"
case "$secs" in ''|*[!0-9]*) echo "run.sh: SECONDS must be a number" >&2; exit 2 ;; esac
clang="${CLANG:-clang}"
command -v "$clang" >/dev/null || { echo "run.sh: $clang not found (apt-get install clang)" >&2; exit 2; }

out="$root/build-fuzz"
mkdir -p "$out/artifacts"
work="$(mktemp -d "${TMPDIR:-/tmp}/rabta-fuzz.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# shellcheck disable=SC2046,SC2086
"$clang" -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
    -fno-omit-frame-pointer -Wall -Wextra -I"$root/src" $(pkg-config --cflags libcjson) \
    ${FUZZ_FLAGS:-} -o "$out/fuzz_$target" "$here/fuzz_$target.c" \
    "$root/src/base/err.c" "$root/src/base/mem.c" "$root/src/base/buf.c" "$root/src/base/utf8.c" \
    "$root/src/base/crypto.c" "$root/src/json/json.c" "$root/src/json/field.c" \
    "$root/src/formats/oscal.c" \
    $(pkg-config --libs libcjson libsodium) -lm

mkdir "$work/corpus"
cp "$here"/corpus/json/* "$work/corpus/"
[ "$target" = oscal ] && cp "$here"/corpus/oscal/* "$work/corpus/"
shared="$root/../shared/data"
if [ -d "$shared" ]; then
    for d in "$shared/oscal" "$shared/csaf/examples"; do
        [ -d "$d" ] || continue
        find "$d" -type f -name '*.json' -size -64k -print0 |
            while IFS= read -r -d '' f; do cp "$f" "$work/corpus/shared-$(basename "$f")"; done
    done
else
    echo "run.sh: ../shared/data not found; fuzzing from the seed corpus only" >&2
fi
echo "run.sh: $(ls "$work/corpus" | wc -l) corpus files, ${secs}s" >&2

set +e
"$out/fuzz_$target" -max_total_time="$secs" -max_len=65536 -timeout=10 -print_final_stats=1 \
    -dict="$here/json.dict" -artifact_prefix="$out/artifacts/" "$work/corpus" 2>"$work/log"
rc=$?
set -e
tail -n 25 "$work/log" >&2
grep -E '^#[0-9]+[[:space:]]+DONE' "$work/log" >&2 || true
runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log" | tail -n 1)"
if [ "$rc" -eq 0 ]; then
    echo "fuzz_$target: ${runs:-?} runs in ${secs}s, no crash"
else
    echo "fuzz_$target: crash after ${runs:-?} runs (exit $rc); inputs in $out/artifacts/" >&2
    exit 1
fi
