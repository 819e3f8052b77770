/*
 * trainings_bench.c - times training_gaps (training meets the gaps) in-process against baselines
 * measured in the same run.
 *
 * usage: trainings_bench DB USER_EMAIL CAMPAIGN_ID [ITERATIONS]
 *
 * Opens DB (made by bench/trainings.sh: 10,000 institutions, a campaign over them and the
 * sessions of bench/trainings_data.py), loads USER_EMAIL's actor as the server does, runs the
 * national gaps view once to warm the caches, then ITERATIONS times (default 9), each in one read
 * transaction as a request would be. Baselines, timed the same way:
 *   - campaign_rollup of the same campaign (what the gaps view is built on)
 *   - SELECT count(*) FROM training_invites, and count(*) FROM assessments of the campaign
 * Prints "key=value" lines: medians, min and max in ms, the gaps view's CPU time, and its numbers
 * (orgs scored, domains, per domain weak, weak_trained, weak_planned, weak_untrained) for the
 * script to check. Exit status 0, or 1 on any error.
 */
#include "base/common.h"
#include "bench_util.h"
#include "base/crypto.h"
#include "base/mem.h"
#include "core/actor.h"
#include "core/auth.h"
#include "core/campaign.h"
#include "core/training.h"
#include "db/db.h"
#include "json/json.h"

#define MAX_ITER 101

static int gaps(rb_db *db, const rb_actor *actor, const char *campaign, rb_arena *a, void *out)
{
    return training_gaps(db, actor, NULL, campaign, 50, NULL, 100, a, out);
}

static int run(rb_db *db, const rb_actor *actor, char **argv, int iters)
{
    const char *campaign = argv[3];
    struct training_gaps g;
    struct rollup r;
    const struct bench_call gap = {
        "trainings_bench", "training_gaps", db, actor, gaps, campaign, &g, (size_t)256 << 20};
    const struct bench_call roll = {"trainings_bench", "campaign_rollup", db, actor,
                                    bench_rollup,      campaign,          &r, (size_t)256 << 20};
    rb_arena a;
    if (bench_call_run(&gap, &a, NULL, NULL))
        return 1;
    printf("orgs_scored=%d\ndomains=%d\n", g.orgs_scored, g.ndomains);
    for (int i = 0; i < g.ndomains; i++)
        printf("domain_%s=%d,%d,%d,%d,%d,%d,%.2f\n", g.domains[i].id, g.domains[i].n,
               g.domains[i].weak, g.domains[i].weak_trained, g.domains[i].weak_planned,
               g.domains[i].nuntrained, g.domains[i].nlisted, g.domains[i].mean);
    rb_arena_release(&a);

    double t_gaps[MAX_ITER], c_gaps[MAX_ITER], t_roll[MAX_ITER], t_inv[MAX_ITER], t_ass[MAX_ITER];
    int64_t n_inv = 0, n_ass = 0;
    for (int i = 0; i < iters; i++)
        if (bench_call_run(&gap, NULL, &t_gaps[i], &c_gaps[i]) ||
            bench_call_run(&roll, NULL, &t_roll[i], NULL) ||
            bench_count(db, "SELECT count(*) FROM training_invites", NULL, &n_inv, &t_inv[i]) ||
            bench_count(db, "SELECT count(*) FROM assessments WHERE campaign_id = ?1", campaign,
                        &n_ass, &t_ass[i]))
            return 1;
    bench_print_timed("gaps", t_gaps, c_gaps, iters);
    printf("rollup_ms_median=%.2f\n", bench_median(t_roll, iters));
    bench_print_count("count_invites", n_inv, t_inv, iters);
    bench_print_count("count_assessments", n_ass, t_ass, iters);
    return 0;
}

int main(int argc, char **argv)
{
    return bench_main("trainings_bench", "CAMPAIGN_ID", argc, argv, 3, MAX_ITER, run);
}
