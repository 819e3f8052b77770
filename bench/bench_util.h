/*
 * bench_util.h - what the in-process benchmarks share: clocks, the median of their runs, and
 * for the drivers of a bench script's database (rollup, risks, trainings) their main (bench_main:
 * the ITERATIONS argument, the database opened as a user), the measured call run as a request runs
 * it (bench_call), the campaign roll-up as such a call, and a timed count as a baseline. Each
 * benchmark is its own program, so everything here is `static inline`. Include it after
 * "base/common.h".
 */
#ifndef RABTA_BENCH_UTIL_H
#define RABTA_BENCH_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "base/crypto.h"
#include "base/mem.h"
#include "core/actor.h"
#include "core/auth.h"
#include "core/campaign.h"
#include "db/db.h"
#include "json/json.h"

/* The clock id's time in ms (CLOCK_MONOTONIC: wall; CLOCK_PROCESS_CPUTIME_ID: this process's
 * CPU). */
static inline double bench_clock_ms(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static inline int bench_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The median of v[0..n) (sorts v). */
static inline double bench_median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof(double), bench_cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Opens the database at path (made by a bench script) after libsodium and cJSON's allocator, and
 * loads the active user email's actor the way the server does (auth_load_actor). Returns 0, or 1
 * having said why on stderr (prog names the benchmark) with *db closed and NULL. */
static inline int bench_open(const char *prog, const char *path, const char *email, rb_db **db,
                             rb_actor *actor)
{
    *db = NULL;
    if (rb_crypto_init() != 0)
        return 1;
    rj_init();
    rb_errinfo ei;
    rb_errinfo_clear(&ei);
    if (db_open(path, 0, db, &ei)) {
        fprintf(stderr, "%s: cannot open %s: %s\n", prog, path, ei.msg);
        return 1;
    }
    char user_id[RB_ID_SIZE] = "";
    rb_stmt *st = NULL;
    if (db_query(*db, "SELECT id FROM users WHERE email = ?1", DB_ARGS(DB_TEXT(email)), &st) == 0) {
        if (db_step(st) == DB_ROW)
            rb_strlcpy(user_id, db_col_text(st, 0), sizeof(user_id));
        db_done(st);
    }
    if (!user_id[0] || auth_load_actor(*db, user_id, actor)) {
        fprintf(stderr, "%s: no active user %s\n", prog, email);
        db_close(*db);
        *db = NULL;
        return 1;
    }
    return 0;
}

/* A driver run as `prog DB USER_EMAIL ARGS [ITERATIONS]` (args names the driver's own arguments,
 * "" when none; nargs counts all before ITERATIONS): ITERATIONS (1..max, default 9) checked,
 * bench_open's database and actor, then run(db, actor, argv, iterations), then the database
 * closed. Returns the exit status: 0, or 1 when the start failed (having said why on stderr) or
 * run returned non-zero. */
static inline int bench_main(const char *prog, const char *args, int argc, char **argv, int nargs,
                             int max,
                             int (*run)(rb_db *db, const rb_actor *actor, char **argv, int iters))
{
    int64_t iters = 9;
    rb_db *db;
    rb_actor actor;
    if (argc < nargs + 1 || argc > nargs + 2) {
        fprintf(stderr, "usage: %s DB USER_EMAIL %s%s[ITERATIONS]\n", prog, args, *args ? " " : "");
        return 1;
    }
    if (argc > nargs + 1 && rb_parse_int64(argv[nargs + 1], 1, max, &iters)) {
        fprintf(stderr, "%s: ITERATIONS must be 1..%d\n", prog, max);
        return 1;
    }
    if (bench_open(prog, argv[1], argv[2], &db, &actor))
        return 1;
    int status = run(db, &actor, argv, (int)iters) ? 1 : 0;
    db_close(db);
    return status;
}

/* A driver's measured call: fn(db, actor, arg, a, out) in one read transaction, as a request runs
 * it, in an arena of cap bytes; prog and what name it when it fails. */
struct bench_call {
    const char *prog, *what;
    rb_db *db;
    const rb_actor *actor;
    int (*fn)(rb_db *db, const rb_actor *actor, const char *arg, rb_arena *a, void *out);
    const char *arg;
    void *out;
    size_t cap;
};

/* The national roll-up of campaign (arg) as a bench_call fn: what rollup_bench measures and
 * trainings_bench measures the gaps view beside. out is a struct rollup. */
static inline int bench_rollup(rb_db *db, const rb_actor *actor, const char *campaign, rb_arena *a,
                               void *out)
{
    return campaign_rollup(db, actor, campaign, NULL, a, out);
}

/* Runs c once; *wall_ms and *cpu_ms (either may be NULL) get its wall-clock and CPU time. With
 * keep, the arena is left there on success for the caller to read c->out from and release;
 * without, it is released here. Returns 0, or the error having said so on stderr (the arena
 * released). */
static inline int bench_call_run(const struct bench_call *c, rb_arena *keep, double *wall_ms,
                                 double *cpu_ms)
{
    rb_arena local, *a = keep ? keep : &local;
    double t0 = bench_clock_ms(CLOCK_MONOTONIC), c0 = bench_clock_ms(CLOCK_PROCESS_CPUTIME_ID);
    rb_arena_init(a, c->cap);
    int rc = db_read_begin(c->db) ? RB_EDB : 0;
    if (!rc) {
        rc = c->fn(c->db, c->actor, c->arg, a, c->out);
        db_read_end(c->db);
    }
    if (wall_ms)
        *wall_ms = bench_clock_ms(CLOCK_MONOTONIC) - t0;
    if (cpu_ms)
        *cpu_ms = bench_clock_ms(CLOCK_PROCESS_CPUTIME_ID) - c0;
    if (rc)
        fprintf(stderr, "%s: %s failed: %d (%s)\n", c->prog, c->what, rc, rabta_strerror(rc));
    if (rc || !keep)
        rb_arena_release(a);
    return rc;
}

/* One scalar query (with ?1 = p1 unless NULL) in a read transaction, as a request would run it;
 * *out gets its value and *ms its wall-clock time. Returns 0 or RB_EDB. */
static inline int bench_count(rb_db *db, const char *sql, const char *p1, int64_t *out, double *ms)
{
    double t0 = bench_clock_ms(CLOCK_MONOTONIC);
    if (db_read_begin(db))
        return RB_EDB;
    rb_stmt *st = NULL;
    int rc = p1 ? db_query(db, sql, DB_ARGS(DB_TEXT(p1)), &st) : db_query(db, sql, NULL, 0, &st);
    if (!rc)
        rc = db_int(st, out);
    db_read_end(db);
    *ms = bench_clock_ms(CLOCK_MONOTONIC) - t0;
    return rc;
}

/* The "iterations" line, then name's "_ms_min", "_ms_median" and "_ms_max" lines of the n
 * wall-clock times t and its "_cpu_ms_median" line of the CPU times c (sorts both). */
static inline void bench_print_timed(const char *name, double *t, double *c, int n)
{
    double med = bench_median(t, n);
    printf("iterations=%d\n%s_ms_min=%.2f\n%s_ms_median=%.2f\n%s_ms_max=%.2f\n", n, name, t[0],
           name, med, name, t[n - 1]);
    printf("%s_cpu_ms_median=%.2f\n", name, bench_median(c, n));
}

/* name's "_ms_median" and "_ms_min" lines of the n times t (sorts them). */
static inline void bench_print_median_min(const char *name, double *t, int n)
{
    double med = bench_median(t, n); /* sorted: t[0] is the min */
    printf("%s_ms_median=%.2f\n%s_ms_min=%.2f\n", name, med, name, t[0]);
}

/* A baseline count's "<name>_rows" line (rows) and "<name>_ms_median" line of its n wall-clock
 * times t (sorts them). */
static inline void bench_print_count(const char *name, int64_t rows, double *t, int n)
{
    printf("%s_rows=%" PRId64 "\n%s_ms_median=%.2f\n", name, rows, name, bench_median(t, n));
}

#endif
