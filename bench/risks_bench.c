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

static int one_count(rb_db *db, int64_t *out)
{
    if (db_read_begin(db))
        return RB_EDB;
    rb_stmt *st = NULL;
    int rc = db_query(db, "SELECT count(*) FROM risks", NULL, 0, &st);
    if (!rc)
        rc = db_int(st, out);
    db_read_end(db);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 3 || argc > 4) {
        fprintf(stderr, "usage: risks_bench DB USER_EMAIL [ITERATIONS]\n");
        return 1;
    }
    int64_t iters = 9;
    if (argc == 4 && rb_parse_int64(argv[3], 1, MAX_ITER, &iters)) {
        fprintf(stderr, "risks_bench: ITERATIONS must be 1..%d\n", MAX_ITER);
        return 1;
    }
    if (rb_crypto_init() != 0)
        return 1;
    rj_init();
    rb_db *db = NULL;
    rb_errinfo ei;
    rb_errinfo_clear(&ei);
    if (db_open(argv[1], 0, &db, &ei)) {
        fprintf(stderr, "risks_bench: cannot open %s: %s\n", argv[1], ei.msg);
        return 1;
    }
    int status = 1;
    char user_id[RB_ID_SIZE] = "";
    rb_stmt *st = NULL;
    if (db_query(db, "SELECT id FROM users WHERE email = ?1", DB_ARGS(DB_TEXT(argv[2])), &st) ==
        0) {
        if (db_step(st) == DB_ROW)
            rb_strlcpy(user_id, db_col_text(st, 0), sizeof(user_id));
        db_done(st);
    }
    rb_actor actor;
    if (!user_id[0] || auth_load_actor(db, user_id, &actor)) {
        fprintf(stderr, "risks_bench: no active user %s\n", argv[2]);
        goto out;
    }
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
        rc = one_count(db, &rows);
        t_count[i] = bench_clock_ms(CLOCK_MONOTONIC) - t0;
    }
    rb_free(h);
    if (rc)
        goto out;
    printf("iterations=%d\n", (int)iters);
    double med = bench_median(t_map, (int)iters);
    printf("heatmap_ms_min=%.2f\nheatmap_ms_median=%.2f\nheatmap_ms_max=%.2f\n", t_map[0], med,
           t_map[iters - 1]);
    printf("heatmap_cpu_ms_median=%.2f\n", bench_median(c_map, (int)iters));
    printf("count_rows=%" PRId64 "\ncount_ms_median=%.2f\n", rows, bench_median(t_count, (int)iters));
    status = 0;
out:
    db_close(db);
    return status;
}
