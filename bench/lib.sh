# bench/lib.sh - what the benchmark scripts share; sourced by bench/*.sh after `set -euo pipefail`.
#
# Sets `here` (bench/), `root` (the repository), `bench` (the script's name, for messages),
# `status` (0; bench_bar sets it to 1 when a bar fails: the script ends with `exit "$status"`) and
# the knobs the scripts share: `data_dir` (RABTA_DATA_DIR, default ../shared/data), `iterations`
# (BENCH_ITERATIONS, default 9: how many times an in-process measure is timed) and `institutions`
# (BENCH_INSTITUTIONS, default 10000: the synthetic institutions of a bench database).
# Gives: bench_need (the tools a script needs), bench_parts and bench_part (a script's parts),
# bench_programs (the binaries a script runs, built with meson/ninja when missing; bench_build
# builds), bench_tmp (a scratch directory removed at exit, with the server stopped first),
# bench_banner (a report's first line), bench_data (a part's data files, or its SKIP line),
# bench_measured (a driver's key=value output), bench_bar (a part's verdict line),
# bench_import_once (one timed import into a fresh copy of a database), bench_init_db and bench_keep (a fresh database, and a copy
# kept for the reader), start_server / stop_server (one `rabta serve` on an ephemeral port, its URL
# in `base`), http_ms (a GET timed with curl), verdict (PASS or FAIL against a bar), timing and
# arithmetic (now_ns, ms_since, timed, median, ratio) and wrk's report (wrk_rps, wrk_ms, wrk_non2xx).
# Needs `rabta` (the binary, `bench_programs rabta`) set before start_server or bench_init_db is
# called.
# shellcheck shell=bash
# shellcheck disable=SC2034,SC2154 # here, root, base and tmp are for the sourcing script; rabta from it

here="$(cd "$(dirname "${BASH_SOURCE[1]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
bench="bench/$(basename "${BASH_SOURCE[1]}")"
data_dir="${RABTA_DATA_DIR:-$root/../shared/data}"
iterations="${BENCH_ITERATIONS:-9}"
institutions="${BENCH_INSTITUTIONS:-10000}"
status=0

# bench_need TOOL...: exits 2, saying so, when a TOOL is not on the PATH.
bench_need() {
    local tool
    for tool in "$@"; do
        if ! command -v "$tool" >/dev/null 2>&1; then
            echo "$bench: $tool is needed (apt-get install $tool)" >&2
            exit 2
        fi
    done
}

# bench_parts WHAT PART...: a script of several parts run as `script [PART|all]`: sets `what` to
# WHAT, or prints the usage and exits 2 when WHAT is neither a PART nor "all". bench_part PART:
# whether PART is to run.
bench_parts() {
    what="$1"
    shift
    local part
    for part in "$@" all; do
        [ "$what" = "$part" ] && return 0
    done
    local IFS='|'
    echo "usage: $bench [$*|all]" >&2
    exit 2
}
bench_part() { [ "$what" = "$1" ] || [ "$what" = all ]; }

# bench_build [TARGET...]: configures build/ when it is not there yet, then runs ninja on the
# targets (everything when none is named). Its output goes to stderr.
bench_build() {
    [ -d "$root/build" ] || meson setup "$root/build" >&2
    ninja -C "$root/build" "$@" >&2
}

# bench_programs TARGET...: for each ninja TARGET (rabta, bench/csaf_bench, ...) sets the variable
# named after its base name (rabta, csaf_bench) to the environment's variable of that name in
# upper case (RABTA, CSAF_BENCH), else to $root/build/TARGET; when one of them is missing, says so
# and builds all the TARGETs. Exits 2 when a program the environment names is not an executable.
bench_programs() {
    local target name env path missing=()
    for target in "$@"; do
        name="$(basename "$target")"
        env="${name^^}"
        path="${!env:-$root/build/$target}"
        if [ ! -x "$path" ]; then
            if [ -n "${!env:-}" ]; then
                echo "$bench: $env=$path is not an executable" >&2
                exit 2
            fi
            missing+=("$path")
        fi
        printf -v "$name" %s "$path"
    done
    if [ "${#missing[@]}" -gt 0 ]; then
        echo "$bench: building ${missing[*]}" >&2
        bench_build "$@"
    fi
}

# bench_tmp: makes the scratch directory `tmp`; on exit the server is stopped and tmp removed.
bench_tmp() {
    tmp="$(mktemp -d "${TMPDIR:-/tmp}/rabta-bench.XXXXXX")"
    server_pid=""
    trap bench_cleanup EXIT
    trap 'exit 130' INT TERM
}
bench_cleanup() {
    stop_server
    rm -rf "$tmp"
}

# bench_banner [WHAT]: a report's first line: the script (and WHAT of it runs), the time, the load,
# the CPUs and the commit.
bench_banner() {
    echo "$bench${1:+ $1}: $(date -u +%Y-%m-%dT%H:%M:%SZ), load average $(cut -d' ' -f1-3 /proc/loadavg)," \
        "$(nproc) CPUs, commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
}

# bench_data WHAT PATH...: true when every PATH (a file or folder of data_dir) is there; else
# prints "WHAT: SKIP (PATH or PATH is absent; set RABTA_DATA_DIR)" and is false.
bench_data() {
    local what="$1" path list
    shift
    for path in "$@"; do
        [ -e "$path" ] && continue
        printf -v list '%s or ' "$@"
        echo "$what: SKIP (${list% or } is absent; set RABTA_DATA_DIR)"
        return 1
    done
}

# bench_measured FILE: the "key=value" lines an in-process driver printed to FILE, as the
# associative array `m` (${m[key]} is the value), replacing what m held.
bench_measured() {
    declare -gA m=()
    local key value
    while IFS='=' read -r key value; do
        m["$key"]="$value"
    done <"$1"
}

# bench_bar MS BAR TEXT...: prints TEXT... and "| bar < BAR ms PASS" on one line, or FAIL (then
# sets status=1) when MS is not below BAR.
bench_bar() {
    local ms="$1" bar="$2" v
    shift 2
    v="$(verdict "$ms" "<" "$bar")"
    echo "$@" "| bar < $bar ms $v"
    [ "$v" = PASS ] || status=1
}

# bench_import_once DIR I KIND SOURCE PATTERN: copies DIR/template.db to DIR/runI.db and runs
# `rabta import KIND` of SOURCE into it, its time appended to DIR/import.ms; sets `out` to what it
# printed (stderr too). Returns 1, saying so, when that does not match the glob PATTERN.
bench_import_once() {
    cp "$1/template.db" "$1/run$2.db"
    out="$(timed "$1/import.ms" "$rabta" import "$3" --db "$1/run$2.db" "$4" 2>&1)"
    # shellcheck disable=SC2254 # PATTERN is a glob
    case "$out" in
        $5) ;;
        *) echo "$bench: unexpected import output: $out" >&2; return 1 ;;
    esac
}

# bench_init_db FILE EMAIL: a fresh database with the National CERT and its admin EMAIL.
bench_init_db() {
    printf %s 'bench-password-1' | "$rabta" init --db "$1" --national-name "National CERT" \
        --admin-email "$2" --password-stdin >/dev/null
}

# bench_keep DB WHAT DETAILS: when BENCH_KEEP_DB names a path, copies DB there and says
# "kept the WHAT as PATH (DETAILS)" on stderr.
bench_keep() {
    if [ -n "${BENCH_KEEP_DB:-}" ]; then
        cp "$1" "$BENCH_KEEP_DB"
        echo "kept the $2 as $BENCH_KEEP_DB ($3)" >&2
    fi
}

# start_server DB [SECONDS]: `rabta serve` on 127.0.0.1 and a port the kernel picks, output in
# tmp; sets server_pid and base (http://127.0.0.1:PORT) once the server says where it serves
# (looked for every 50 ms, for at most SECONDS, default 10). On failure prints its stderr and
# returns 1.
start_server() {
    "$rabta" serve --db "$1" --listen 127.0.0.1:0 --quiet >"$tmp/serve.out" 2>"$tmp/serve.err" &
    server_pid=$!
    base=""
    local line
    for _ in $(seq 1 $((${2:-10} * 20))); do
        line="$(head -n 1 "$tmp/serve.out" 2>/dev/null || true)"
        case "$line" in
            "rabta is serving at "*) base="${line#rabta is serving at }"; return 0 ;;
        esac
        kill -0 "$server_pid" 2>/dev/null || break
        sleep 0.05
    done
    echo "$bench: the server did not start; its stderr:" >&2
    cat "$tmp/serve.err" >&2
    return 1
}

# stop_server: SIGTERM, up to 5 s to exit, then SIGKILL. Nothing when no server runs.
stop_server() {
    if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
        kill -TERM "$server_pid" 2>/dev/null || true
        for _ in $(seq 1 50); do
            kill -0 "$server_pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    server_pid=""
}

# http_ms N TOKEN URL OUT: GETs URL N times with TOKEN as the bearer; OUT gets each time in ms.
http_ms() {
    local i
    : >"$4"
    for i in $(seq 1 "$1"); do
        curl -sS -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $2" "$3" |
            awk '{ printf "%.2f\n", $1 * 1000 }' >>"$4"
    done
}

# verdict VALUE OP BAR: prints PASS when VALUE OP BAR holds (OP is < or >=), else FAIL.
verdict() {
    awk -v v="$1" -v op="$2" -v bar="$3" \
        'BEGIN { ok = (op == "<") ? (v < bar) : (op == ">=") ? (v >= bar) : 0; print ok ? "PASS" : "FAIL" }'
}

# now_ns: the time in nanoseconds. ms_since T0: the milliseconds since T0 (from now_ns).
now_ns() { date +%s%N; }
ms_since() { awk -v a="$1" -v b="$(now_ns)" 'BEGIN { printf "%.2f\n", (b - a) / 1e6 }'; }
# timed FILE COMMAND...: runs COMMAND (its output passed on) and appends the milliseconds it took
# to FILE; returns COMMAND's status.
timed() {
    local file="$1" t0 rc=0
    shift
    t0="$(now_ns)"
    "$@" || rc=$?
    ms_since "$t0" >>"$file"
    return "$rc"
}

# timings DIR NAME...: empties DIR/NAME.ms for each NAME, the files timed appends to.
timings() {
    local dir="$1" name
    shift
    for name in "$@"; do
        : >"$dir/$name.ms"
    done
}

# median: the median of the numbers on stdin (one a line), with 1 decimal.
median() {
    sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) exit 1;
        m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.1f\n", m }'
}

# ratio A B: A / B with 1 decimal, "inf" when B is 0.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f\n", a / b; else print "inf" }'; }

# wrk_rps REPORT: the requests/sec of a wrk report. wrk_ms PCT REPORT: its PCT% latency in ms (a
# --latency report; wrk prints us, ms, s or m). wrk_non2xx REPORT: its non-2xx responses (0 when
# it names none). wrk_rps and wrk_ms fail when the report has no such line.
wrk_rps() {
    awk '/^Requests\/sec:/ { print $2; found = 1 } END { if (!found) exit 1 }' "$1"
}
wrk_ms() {
    awk -v pct="$1%" '$1 == pct {
            v = $2; unit = v; sub(/^[0-9.]+/, "", unit); sub(/[a-z]+$/, "", v);
            f = -1;
            if (unit == "us") f = 0.001;
            if (unit == "ms") f = 1;
            if (unit == "s") f = 1000;
            if (unit == "m") f = 60000;
            if (f < 0) exit 1;
            printf "%.2f\n", v * f; found = 1
         }
         END { if (!found) exit 1 }' "$2"
}
wrk_non2xx() {
    awk '/Non-2xx or 3xx responses:/ { print $NF; found = 1 } END { if (!found) print 0 }' "$1"
}
