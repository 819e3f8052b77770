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

/* One roll-up in a read transaction, like a request. */
static int one_heatmap(rb_db *db, const rb_actor *actor, struct risk_heatmap *h, rb_arena *a)
{
    rb_arena_init(a, (size_t)64 << 20);
    if (db_read_begin(db))
        return RB_EDB;
    rb_errinfo ei;
    rb_errinfo_clear(&ei);
    int rc = risk_heatmap(db, actor, NULL, RBASIS_RESIDUAL, a, h, &ei);
    db_read_end(db);
    return rc;
}

int main(int argc, char **argv)
{
    int64_t iters;
    rb_db *db;
    rb_actor actor;
    if (bench_start("risks_bench", "DB USER_EMAIL [ITERATIONS]", argc, argv, 2, MAX_ITER, &iters,
                    &db, &actor))
        return 1;
    int status = 1;
    struct risk_heatmap *h = rb_calloc(1, sizeof(*h));
    if (!h)
        goto out;
    rb_arena a;
    int rc = one_heatmap(db, &actor, h, &a);
    if (rc) {
        fprintf(stderr, "risks_bench: risk_heatmap failed: %d (%s)\n", rc, rabta_strerror(rc));
        rb_arena_release(&a);
        rb_free(h);
        goto out;
    }
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
    for (int i = 0; i < (int)iters; i++) {
        double t0 = bench_clock_ms(CLOCK_MONOTONIC), c0 = bench_clock_ms(CLOCK_PROCESS_CPUTIME_ID);
        rc = one_heatmap(db, &actor, h, &a);
        t_map[i] = bench_clock_ms(CLOCK_MONOTONIC) - t0;
        c_map[i] = bench_clock_ms(CLOCK_PROCESS_CPUTIME_ID) - c0;
        rb_arena_release(&a);
        if (rc)
            break;
    }
    for (int i = 0; !rc && i < (int)iters; i++) {
        double t0 = bench_clock_ms(CLOCK_MONOTONIC);
        rc = bench_count(db, "SELECT count(*) FROM risks", NULL, &rows);
        t_count[i] = bench_clock_ms(CLOCK_MONOTONIC) - t0;
    }
    rb_free(h);
    if (rc)
        goto out;
    printf("iterations=%d\n", (int)iters);
    bench_print_spread("heatmap", t_map, (int)iters);
    printf("heatmap_cpu_ms_median=%.2f\n", bench_median(c_map, (int)iters));
    printf("count_rows=%" PRId64 "\ncount_ms_median=%.2f\n", rows,
           bench_median(t_count, (int)iters));
    status = 0;
out:
    db_close(db);
    return status;
}
