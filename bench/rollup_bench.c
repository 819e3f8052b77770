/*
 * rollup_bench.c - times campaign_rollup in-process (no HTTP) against a baseline in the same run.
 *
 * usage: rollup_bench DB USER_EMAIL CAMPAIGN_ID [ITERATIONS]
 *
 * Opens DB (made by bench/guidelines.sh), loads USER_EMAIL's actor the way the server does
 * (auth_load_actor), runs the campaign's national roll-up once to warm the page cache and the
 * statement cache, then ITERATIONS times (default 9), each in one read transaction as a request
 * would be. The baselines, timed the same way in the same process:
 *   - SELECT count(*) FROM assessment_answers                  (every answer row)
 *   - SELECT count(score) FROM assessments WHERE campaign_id = ?   (the campaign's rows)
 * Prints "key=value" lines for the script: wall-clock median, min and max in ms, the roll-up's
 * median CPU time (CLOCK_PROCESS_CPUTIME_ID: the work itself, less sensitive to a busy machine),
 * the baselines' medians, and the roll-up's numbers
 * (assessments, submitted, accepted, not submitted, overdue, n, mean, median, q1, q3, domains,
 * provinces, sectors) so the script can check it measured a correct roll-up.
 * Exit status 0, or 1 on any error.
 */
#include "base/common.h"
#include "base/crypto.h"
#include "base/mem.h"
#include "core/actor.h"
#include "core/auth.h"
#include "core/campaign.h"
#include "db/db.h"
#include "json/json.h"

#include "bench_util.h"

#define MAX_ITER 101

static double now_ms(void)
{
    return bench_clock_ms(CLOCK_MONOTONIC);
}

/* CPU time of this (single-threaded) process: what the roll-up costs even on a busy machine. */
static double cpu_ms(void)
{
    return bench_clock_ms(CLOCK_PROCESS_CPUTIME_ID);
}

/* One national roll-up in a read transaction, like a request. */
static int one_rollup(rb_db *db, const rb_actor *actor, const char *campaign, struct rollup *out,
                      rb_arena *a)
{
    rb_arena_init(a, (size_t)256 << 20);
    if (db_read_begin(db))
        return RB_EDB;
    int rc = campaign_rollup(db, actor, campaign, NULL, a, out);
    db_read_end(db);
    return rc;
}

/* One scalar query (optionally with ?1 = p1) in a read transaction; *out gets column 0. */
static int one_count(rb_db *db, const char *sql, const char *p1, int64_t *out)
{
    if (db_read_begin(db))
        return RB_EDB;
    rb_stmt *st = NULL;
    int rc = db_prepare(db, sql, &st);
    if (!rc) {
        if (p1)
            db_bind_text(st, 1, p1);
        rc = db_step(st) == DB_ROW ? 0 : RB_EDB;
        if (!rc)
            *out = db_col_int(st, 0);
        db_done(st);
    }
    db_read_end(db);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 4 || argc > 5) {
        fprintf(stderr, "usage: rollup_bench DB USER_EMAIL CAMPAIGN_ID [ITERATIONS]\n");
        return 1;
    }
    int64_t iters = 9;
    if (argc == 5 && rb_parse_int64(argv[4], 1, MAX_ITER, &iters)) {
        fprintf(stderr, "rollup_bench: ITERATIONS must be 1..%d\n", MAX_ITER);
        return 1;
    }
    if (rb_crypto_init() != 0)
        return 1;
    rj_init();
    rb_db *db = NULL;
    rb_errinfo ei;
    rb_errinfo_clear(&ei);
    if (db_open(argv[1], 0, &db, &ei)) {
        fprintf(stderr, "rollup_bench: cannot open %s: %s\n", argv[1], ei.msg);
        return 1;
    }
    int status = 1;
    char user_id[RB_ID_SIZE] = "";
    rb_stmt *st = NULL;
    if (db_prepare(db, "SELECT id FROM users WHERE email = ?1", &st) == 0) {
        db_bind_text(st, 1, argv[2]);
        if (db_step(st) == DB_ROW)
            rb_strlcpy(user_id, db_col_text(st, 0), sizeof(user_id));
        db_done(st);
    }
    rb_actor actor;
    if (!user_id[0] || auth_load_actor(db, user_id, &actor)) {
        fprintf(stderr, "rollup_bench: no active user %s\n", argv[2]);
        goto out;
    }
    const char *campaign = argv[3];

    /* Warm-up, and the numbers to check. */
    struct rollup r;
    rb_arena a;
    int rc = one_rollup(db, &actor, campaign, &r, &a);
    if (rc) {
        fprintf(stderr, "rollup_bench: campaign_rollup failed: %d (%s)\n", rc, rabta_strerror(rc));
        rb_arena_release(&a);
        goto out;
    }
    printf("assessments=%d\nsubmitted=%d\naccepted=%d\nnot_submitted=%d\noverdue=%d\n",
           r.assessments, r.submitted, r.accepted, r.npending, r.overdue);
    printf("n=%d\nmean=%.4f\nmedian=%.4f\nmin=%.4f\nmax=%.4f\nq1=%.4f\nq3=%.4f\n", r.stats.n,
           r.stats.mean, r.stats.median, r.stats.min, r.stats.max, r.stats.q1, r.stats.q3);
    printf("hist=");
    for (int b = 0; b < SCORE_HIST_BINS; b++)
        printf("%s%d", b ? "," : "", r.stats.hist[b]);
    printf("\ndomains=%d\nprovinces=%d\nsectors=%d\n", r.ndomain, r.nprovince, r.nsector);
    rb_arena_release(&a);

    double t_roll[MAX_ITER], c_roll[MAX_ITER], t_answers[MAX_ITER], t_assess[MAX_ITER];
    int64_t n_answers = 0, n_assess = 0;
    for (int i = 0; i < (int)iters; i++) {
        double t0 = now_ms(), c0 = cpu_ms();
        rc = one_rollup(db, &actor, campaign, &r, &a);
        t_roll[i] = now_ms() - t0;
        c_roll[i] = cpu_ms() - c0;
        rb_arena_release(&a);
        if (rc)
            goto out;
    }
    for (int i = 0; i < (int)iters; i++) {
        double t0 = now_ms();
        if (one_count(db, "SELECT count(*) FROM assessment_answers", NULL, &n_answers))
            goto out;
        t_answers[i] = now_ms() - t0;
        t0 = now_ms();
        if (one_count(db, "SELECT count(score) FROM assessments WHERE campaign_id = ?1", campaign,
                      &n_assess))
            goto out;
        t_assess[i] = now_ms() - t0;
    }
    printf("iterations=%d\n", (int)iters);
    double roll_med = bench_median(t_roll, (int)iters);
    printf("rollup_ms_min=%.2f\nrollup_ms_median=%.2f\nrollup_ms_max=%.2f\n", t_roll[0], roll_med,
           t_roll[iters - 1]);
    printf("rollup_cpu_ms_median=%.2f\n", bench_median(c_roll, (int)iters));
    printf("count_answers_rows=%" PRId64 "\ncount_answers_ms_median=%.2f\n", n_answers,
           bench_median(t_answers, (int)iters));
    printf("count_assessments_rows=%" PRId64 "\ncount_assessments_ms_median=%.2f\n", n_assess,
           bench_median(t_assess, (int)iters));
    status = 0;
out:
    db_close(db);
    return status;
}
