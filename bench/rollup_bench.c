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

static int run(rb_db *db, const rb_actor *actor, char **argv, int iters)
{
    const char *campaign = argv[3];

    /* Warm-up, and the numbers to check. */
    struct rollup r;
    const struct bench_call roll = {"rollup_bench", "campaign_rollup", db, actor,
                                    bench_rollup,   campaign,          &r, (size_t)256 << 20};
    rb_arena a;
    if (bench_call_run(&roll, &a, NULL, NULL))
        return 1;
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
    for (int i = 0; i < iters; i++)
        if (bench_call_run(&roll, NULL, &t_roll[i], &c_roll[i]))
            return 1;
    for (int i = 0; i < iters; i++)
        if (bench_count(db, "SELECT count(*) FROM assessment_answers", NULL, &n_answers,
                        &t_answers[i]) ||
            bench_count(db, "SELECT count(score) FROM assessments WHERE campaign_id = ?1", campaign,
                        &n_assess, &t_assess[i]))
            return 1;
    bench_print_timed("rollup", t_roll, c_roll, iters);
    bench_print_count("count_answers", n_answers, t_answers, iters);
    bench_print_count("count_assessments", n_assess, t_assess, iters);
    return 0;
}

int main(int argc, char **argv)
{
    return bench_main("rollup_bench", "CAMPAIGN_ID", argc, argv, 3, MAX_ITER, run);
}
