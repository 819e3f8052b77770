#!/usr/bin/env bash
# Fuzzes rabta's parsers with libFuzzer, one target or all of them, for a bounded time each.
#
#   tests/fuzz/run.sh [TARGET] [SECONDS]     one target (default json, 30 s)
#   tests/fuzz/run.sh all [SECONDS]          every target of the table in turn (CI: .ci/run)
#   tests/fuzz/run.sh list                   the targets' names
#
# Each target is built from the C file and the sources of its row (the table below) with clang
# -fsanitize=fuzzer,address,undefined into build-fuzz/, then run on a temporary copy of its seed
# corpora (tests/fuzz/corpus/DIR) plus, when ../shared/data exists, the JSON files under 64 KiB of
# the shared folders of its row. Prints one line per target, "fuzz_NAME: N runs in Ss, no crash"
# or "fuzz_NAME: crash after N runs ...". Crashes are saved as build-fuzz/artifacts/fuzz_NAME-*;
# replay one with build/tests/fuzz/fuzz_NAME_replay FILE, and keep it as a seed once fixed.
# Exits 1 when a target crashed (with all, after running the others), 2 on a usage or build error.
#
# Environment: CLANG (default clang), FUZZ_FLAGS (extra clang flags), FUZZ_JOBS (parallel
# compiles, default: the number of cores), MESON_BUILD (the meson build dir that generates the
# embedded sources, default build/; configured when missing).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"

# Sources shared by several rows (paths under src/; globs are expanded there).
json_src="base/err.c base/mem.c base/buf.c base/utf8.c base/crypto.c json/json.c json/field.c json/jdoc.c"
json_pkgs="libcjson libsodium"
# Everything below the CLI: the HTTP layer and what it needs. @NAME is a file meson generates
# (see gen_files below): the embedded migrations, baseline catalog, web UI, route rows and demo
# content.
http_src="base/*.c json/*.c db/*.c formats/*.c core/*.c http/*.c @migrations @baseline @ui @routes @demo"
http_pkgs="libcjson libsodium sqlite3 libmicrohttpd libcurl gpgme"
# The shared JSON documents that make good seeds for the JSON parsers.
docs="oscal csaf/examples"

# The targets, one row each: a new target is one row, plus its C file (which includes
# fuzz_util.h), a seed corpus and a row of tests/fuzz/meson.build (its replay test). Columns,
# separated by '|':
#   name | C file (tests/fuzz/) | sources it links | pkg-config packages |
#   seed corpora (tests/fuzz/corpus/) | shared seeds (../shared/data/) | dictionary or -
targets=(
    "json  | fuzz_json.c  | $json_src                 | $json_pkgs | json       | $docs | json.dict"
    "oscal | fuzz_oscal.c | $json_src base/record.c formats/tlp.c formats/oscal*.c | $json_pkgs | json oscal | $docs | json.dict"
    "route | fuzz_route.c | $http_src                 | $http_pkgs | route      | -     | -"
    "csv   | fuzz_csv.c   | $json_src formats/csv.c   | $json_pkgs | csv        | -     | -"
    # Reading an incident import (core/incident_import) over an in-memory database.
    "import | fuzz_import.c | $http_src               | $http_pkgs | import csv | -     | -"
    # Reading an inventory CSV file (core/inventory: inventory_csv_read, pure).
    "inventory | fuzz_inventory.c | $http_src         | $http_pkgs | inventory csv | -  | -"
    # Every JSON request body reader (src/http/body.c, one row of rb_bodies each) on each input.
    "body  | fuzz_body.c  | $http_src                 | $http_pkgs | json body  | -     | json.dict"
    # The CSAF 2.0 validator (formats/csaf) and the CVSS calculator, on the OASIS test files.
    "csaf  | fuzz_csaf.c  | $json_src base/rtime.c base/record.c formats/csaf.c formats/csaf_schema.c formats/csaf_tests.c formats/csaf_data.c formats/csaf_author.c formats/tlp.c formats/cvss.c | $json_pkgs | csaf json | csaf/examples csaf/test/validator/data/mandatory csaf/test/validator/data/optional | json.dict"
    # The CSAF product tree walk and the inventory matcher's parsers.
    "prodmatch | fuzz_prodmatch.c | $json_src formats/csaf_products.c formats/prodmatch.c | $json_pkgs | prodmatch | csaf/examples | -"
)

# The generated files behind @NAME, relative to the meson build dir.
# What meson generates, by the build's output names: a header (.h) is made and found on the
# include path (the build folder), the rest compiled. The demo's content files are embedded one
# C file each (meson.build's demo_content_c).
declare -A gen_files=(
    [migrations]=migrations_data.c
    [baseline]=baseline_catalog.c
    [ui]=ui/ui_assets.c
    [routes]=routes_rows.h
    [demo]="$(cd "$root/content/demo" && for f in *.json; do printf 'demo_%s.c ' "${f%.json}"; done)"
)

usage() {
    echo "usage: tests/fuzz/run.sh [TARGET|all|list] [SECONDS]" >&2
    exit 2
}

trim() { # trim TEXT: prints TEXT without surrounding blanks
    local s=$1
    s="${s#"${s%%[![:space:]]*}"}"
    printf '%s' "${s%"${s##*[![:space:]]}"}"
}

# row NAME: sets r_file, r_src, r_pkgs, r_corpora, r_shared, r_dict from the target's row; false
# if there is none.
row() {
    local line name
    for line in "${targets[@]}"; do
        IFS='|' read -r name r_file r_src r_pkgs r_corpora r_shared r_dict <<<"$line"
        if [ "$(trim "$name")" = "$1" ]; then
            r_file=$(trim "$r_file") r_src=$(trim "$r_src") r_pkgs=$(trim "$r_pkgs")
            r_corpora=$(trim "$r_corpora")
            r_shared=$(trim "$r_shared") r_dict=$(trim "$r_dict")
            return 0
        fi
    done
    return 1
}

names() {
    local line
    for line in "${targets[@]}"; do
        trim "${line%%|*}"
        echo
    done
}

# sources: prints the absolute paths of r_src, generating the @ files with meson when needed.
sources() {
    local s f gen=()
    for s in $r_src; do
        case "$s" in @*) for f in ${gen_files[${s#@}]:?unknown generated file $s}; do gen+=("$f"); done ;; esac
    done
    local mb="${MESON_BUILD:-$root/build}"
    if [ ${#gen[@]} -gt 0 ]; then
        if [ ! -f "$mb/build.ninja" ]; then
            meson setup "$mb" "$root" >&2 || return 1
        fi
        local log
        log=$(ninja -C "$mb" "${gen[@]}" 2>&1) || { echo "$log" >&2; return 1; }
    fi
    for s in $r_src; do
        case "$s" in
        @*)
            for f in ${gen_files[${s#@}]}; do
                case "$f" in *.h) ;; *) echo "$mb/$f" ;; esac
            done
            ;;
        *)
            for f in "$root"/src/$s; do
                [ -f "$f" ] || { echo "run.sh: no source $s" >&2; return 1; }
                echo "$f"
            done
            ;;
        esac
    done
}

# build NAME: compiles build-fuzz/fuzz_NAME (objects in parallel, then one link).
build() {
    local name=$1 objdir="$out/obj/$1" srcs
    srcs=$(sources) || return 1
    mkdir -p "$objdir"
    rm -f "$objdir"/*.o
    local cflags pc
    # shellcheck disable=SC2086
    pc=$(pkg-config --cflags $r_pkgs) || return 1
    cflags="-std=c11 -g -O1 -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all \
        -fno-omit-frame-pointer -Wall -Wextra -I$root/src -I${MESON_BUILD:-$root/build} $pc ${FUZZ_FLAGS:-}"
    # Objects are named after their path, so two files called x.c do not collide.
    { echo "$here/$r_file"; echo "$srcs"; } |
        while read -r f; do echo "$f"; echo "$objdir/$(echo "${f#"$root"/}" | tr '/' '_').o"; done |
        xargs -n 2 -P "${FUZZ_JOBS:-$(nproc)}" sh -c "exec \"\$0\" $cflags -c \"\$1\" -o \"\$2\"" \
            "$clang" || return 1
    # shellcheck disable=SC2046,SC2086
    "$clang" -fsanitize=fuzzer,address,undefined -o "$out/fuzz_$name" "$objdir"/*.o \
        $(pkg-config --libs $r_pkgs) -lm -lpthread
}

# fuzz NAME SECONDS: builds and runs one target; prints its line; returns 1 on a crash.
fuzz() {
    local name=$1 secs=$2 d f
    if ! row "$name"; then
        echo "run.sh: no target $name (targets: $(names | tr '\n' ' '))" >&2
        return 2
    fi
    echo "run.sh: building fuzz_$name" >&2
    build "$name" || { echo "fuzz_$name: build failed" >&2; return 2; }

    local work
    work="$(mktemp -d "${TMPDIR:-/tmp}/rabta-fuzz.XXXXXX")"
    mkdir "$work/corpus"
    for d in $r_corpora; do
        cp "$here/corpus/$d"/* "$work/corpus/"
    done
    local data="$root/../shared/data"
    if [ "$r_shared" != - ]; then
        if [ -d "$data" ]; then
            for d in $r_shared; do
                [ -d "$data/$d" ] || continue
                find "$data/$d" -type f -name '*.json' -size -64k -print0 |
                    while IFS= read -r -d '' f; do
                        cp "$f" "$work/corpus/shared-$(basename "$f")"
                    done
            done
        else
            echo "run.sh: ../shared/data not found; fuzzing from the seed corpus only" >&2
        fi
    fi
    echo "run.sh: fuzz_$name: $(find "$work/corpus" -type f | wc -l) corpus files, ${secs}s" >&2

    local dict=()
    [ "$r_dict" != - ] && dict=(-dict="$here/$r_dict")
    local rc=0
    "$out/fuzz_$name" -max_total_time="$secs" -max_len=65536 -timeout=10 -print_final_stats=1 \
        "${dict[@]}" -artifact_prefix="$out/artifacts/fuzz_$name-" "$work/corpus" \
        2>"$work/log" || rc=$?
    # libFuzzer's summary on success; on a crash, its report without the progress lines.
    if [ "$rc" -eq 0 ]; then
        grep -E '^#[0-9]+[[:space:]]+DONE|^Done ' "$work/log" >&2 || true
    else
        grep -vE '^(#[0-9]+[[:space:]]|INFO: |"|###### )' "$work/log" | tail -n 60 >&2 || true
    fi
    local runs
    runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log" | tail -n 1)"
    rm -rf "$work"
    if [ "$rc" -eq 0 ]; then
        echo "fuzz_$name: ${runs:-?} runs in ${secs}s, no crash"
        return 0
    fi
    echo "fuzz_$name: crash after ${runs:-?} runs (exit $rc); inputs in" \
        "$out/artifacts/fuzz_$name-*"
    return 1
}

target=json
if [ "${1:-}" = list ]; then
    names
    exit 0
fi
# A first argument that is not a number names the target ("run.sh 60" fuzzes json).
case "${1:-0}" in *[!0-9]*)
    target=$1
    shift
    ;;
esac
secs="${1:-30}"
case "$secs" in '' | *[!0-9]* | 0)
    echo "run.sh: SECONDS must be a positive number" >&2
    usage
    ;;
esac
[ $# -le 1 ] || usage
clang="${CLANG:-clang}"
if ! command -v "$clang" >/dev/null; then
    echo "run.sh: $clang not found (scripts/bootstrap installs it)" >&2
    exit 2
fi

out="$root/build-fuzz"
mkdir -p "$out/artifacts"

if [ "$target" != all ]; then
    rc=0
    fuzz "$target" "$secs" || rc=$?
    exit "$rc"
fi

# Every target, even after one crashed; the lines are repeated at the end as a summary.
results=() worst=0
for name in $(names); do
    rc=0
    line=$(fuzz "$name" "$secs") || rc=$?
    [ -n "$line" ] && echo "$line"
    results+=("${line:-fuzz_$name: did not run (exit $rc)}")
    [ "$rc" -gt "$worst" ] && worst=$rc
done
echo "== fuzzing, ${secs}s per target"
printf '%s\n' "${results[@]}"
exit "$worst"
