/*
 * risks_bench.c - times the national heat-map roll-up (risk_heatmap) in-process, beside a
 * baseline measured in the same run.
 *
 * usage: risks_bench DB USER_EMAIL [ITERATIONS]
 *
 * Opens DB (made by bench/risks.sh), loads USER_EMAIL's actor the way the server does
 * (auth_load_actor), runs the roll-up over the actor's whole subtree once to warm the page cache
 * and the statement cache, then ITERATIONS times (default 9), each in one read transaction as a
 * request would be. The baseline, timed the same way: SELECT count(*) FROM risks (every risk row
 * the roll-up reads). Prints "key=value" lines for the script: the roll-up's median, min and max
 * wall-clock ms and median CPU ms, the baseline's median, and the roll-up's numbers (total, cells,
 * levels, overdue, orgs with risks, provinces, sectors, top) so the script checks it measured a
 * correct roll-up. Exit status 0, or 1 on any error.
 */
#include "base/common.h"
#include "bench_util.h"
#include "base/crypto.h"
#include "base/mem.h"
#include "core/actor.h"
#include "core/auth.h"
#include "core/risk.h"
#include "db/db.h"
#include "json/json.h"

#define MAX_ITER 101

static int heatmap(rb_db *db, const rb_actor *actor, const char *arg, rb_arena *a, void *out)
{
    RB_UNUSED(arg);
    rb_errinfo ei;
    rb_errinfo_clear(&ei);
    return risk_heatmap(db, actor, NULL, RBASIS_RESIDUAL, a, out, &ei);
}

static int run(rb_db *db, const rb_actor *actor, char **argv, int iters)
{
    RB_UNUSED(argv);
    struct risk_heatmap *h = rb_calloc(1, sizeof(*h));
    if (!h)
        return 1;
    const struct bench_call map = {"risks_bench", "risk_heatmap", db, actor,
                                   heatmap,       NULL,           h,  (size_t)64 << 20};
    rb_arena a;
    int rc = bench_call_run(&map, &a, NULL, NULL);
    if (rc)
        goto out;
    printf("total=%d\norgs=%d\norgs_with_risks=%d\noverdue_treatments=%d\noverdue_reviews=%d\n",
           h->all.total, h->orgs, h->all.orgs, h->all.overdue_treatments, h->all.overdue_reviews);
    printf("by_level=%d,%d,%d,%d\ncells=", h->all.by_level[0], h->all.by_level[1],
           h->all.by_level[2], h->all.by_level[3]);
    for (int c = 0; c < h->m.size * h->m.size; c++)
        printf("%s%d", c ? "," : "", h->all.counts[c]);
    printf("\nprovinces=%d\nsectors=%d\ntop=%d\ntop_score=%d\n", h->nprovince, h->nsector, h->ntop,
           h->ntop ? h->top[0].score : 0);
    rb_arena_release(&a);

    double t_map[MAX_ITER], c_map[MAX_ITER], t_count[MAX_ITER];
    int64_t rows = 0;
    for (int i = 0; !rc && i < iters; i++)
        rc = bench_call_run(&map, NULL, &t_map[i], &c_map[i]);
    for (int i = 0; !rc && i < iters; i++)
        rc = bench_count(db, "SELECT count(*) FROM risks", NULL, &rows, &t_count[i]);
    if (rc)
        goto out;
    bench_print_timed("heatmap", t_map, c_map, iters);
    bench_print_count("count", rows, t_count, iters);
out:
    rb_free(h);
    return rc;
}

int main(int argc, char **argv)
{
    return bench_main("risks_bench", "", argc, argv, 2, MAX_ITER, run);
}
