/*
 * test_score.c - src/core/score: the preparedness formula and the descriptive statistics.
 *
 * 1. score_compute, a table: every row lists its items and the exact expected org score, counted
 *    weight, applicable controls and per-domain scores (every domain not listed must be -1 with
 *    weight 0). Expected values are computed by hand in the comments.
 * 2. score_describe, a table of small samples with the exact mean, median, min, max, quartiles
 *    (numpy's default linear interpolation: pos = p*(n-1), v[lo] + (pos-lo)*(v[lo+1]-v[lo])) and
 *    histogram bins [0,10), [10,20), ... [90,100] (100 in the last bin); the input is sorted in
 *    place.
 * 3. The two together: scores that are mathematically a multiple of ten land in the right bin.
 */
#include "base/common.h"
#include "core/score.h"

#include "test_util.h"

#include <math.h>

#define EPS 1e-9

static bool near(double got, double want)
{
    return fabs(got - want) <= EPS;
}

/* ---- score_compute ---- */

#define MAX_ITEMS 8
#define MAX_DOMS 4

struct dom_want {
    int domain;
    double score, weight;
};

struct compute_row {
    const char *name;
    int n;
    struct score_item items[MAX_ITEMS];
    double score, weight;
    int applicable;
    int ndoms;
    struct dom_want doms[MAX_DOMS];
};

/* Shorthands: I(domain, weight, status, maturity). */
#define I(d, w, s, m) {.domain = (d), .weight = (w), .status = (s), .maturity = (m)}
#define IMPL ANSWER_IMPLEMENTED
#define PART ANSWER_PARTIAL
#define PLAN ANSWER_PLANNED
#define NOTI ANSWER_NOT_IMPLEMENTED
#define NA ANSWER_NOT_APPLICABLE
#define NONE ANSWER_NONE

static const struct compute_row compute_rows[] = {
    {"all implemented at maturity 5", 4,
     {I(0, 1, IMPL, 5), I(0, 1, IMPL, 5), I(1, 1, IMPL, 5), I(2, 1, IMPL, 5)},
     100, 4, 4, 3, {{0, 100, 2}, {1, 100, 1}, {2, 100, 1}}},
    /* num = 1*3/5 + 2*5/5 + 3*1/5 + 1*0/5 + 2*2/5 = 0.6 + 2 + 0.6 + 0 + 0.8 = 4.0, den = 9:
     * 400/9. d0: (0.6 + 2)/3 = 260/3; d1: 0.6/4 = 15; d2: 0.8/2 = 40. */
    {"mixed maturities, weights 1..3", 5,
     {I(0, 1, PART, 3), I(0, 2, IMPL, 5), I(1, 3, PLAN, 1), I(1, 1, NOTI, 0), I(2, 2, PART, 2)},
     400.0 / 9.0, 9, 5, 3, {{0, 260.0 / 3.0, 3}, {1, 15, 4}, {2, 40, 2}}},
    /* 2*4/5 + 3*2/5 + 1*5/5 = 1.6 + 1.2 + 1 = 3.8 over 6: 190/3; d0 1.6/2 = 80, d3 2.2/4 = 55. */
    {"weights 2, 3, 1 across two domains", 3,
     {I(0, 2, IMPL, 4), I(3, 3, PART, 2), I(3, 1, IMPL, 5)},
     190.0 / 3.0, 6, 3, 2, {{0, 80, 2}, {3, 55, 4}}},
    {"not applicable excluded (weight and maturity ignored)", 3,
     {I(0, 3, NA, 0), I(0, 1, IMPL, 4), I(1, 2, NA, 5)},
     80, 1, 1, 1, {{0, 80, 1}}},
    {"all not applicable: no score", 3,
     {I(0, 1, NA, 5), I(1, 2, NA, 0), I(2, 3, NA, 3)},
     -1, 0, 0, 0, {{0}}},
    {"no items: no score", 0, {{0}}, -1, 0, 0, 0, {{0}}},
    /* An unanswered control counts 0 whatever its maturity field says. */
    {"ANSWER_NONE counts as maturity 0", 3,
     {I(0, 1, NONE, 5), I(0, 1, IMPL, 5), I(1, 2, NONE, 3)},
     25, 4, 3, 2, {{0, 50, 2}, {1, 0, 2}}},
    /* 9 -> 5, -3 -> 0, 6 -> 5: (1 + 0 + 1)/3. */
    {"maturity clamped to 0..5", 3,
     {I(0, 1, IMPL, 9), I(0, 1, PART, -3), I(1, 1, IMPL, 6)},
     200.0 / 3.0, 3, 3, 2, {{0, 50, 2}, {1, 100, 1}}},
    /* Weights 0 and -2 count as 1: (1*1 + 1*0 + 2*1)/4. */
    {"weight <= 0 treated as 1", 3,
     {I(0, 0, IMPL, 5), I(0, -2, NOTI, 0), I(0, 2, PART, 5)},
     75, 4, 3, 1, {{0, 75, 4}}},
    /* Domain -1 counts only in the total; a domain whose controls are all at 0 scores 0, not -1. */
    {"no domain counts only in the total", 2,
     {I(-1, 1, IMPL, 5), I(3, 1, NOTI, 0)},
     50, 2, 2, 1, {{3, 0, 1}}},
    {"the last domain and a fractional weight", 2,
     {I(SCORE_MAX_DOMAINS - 1, 1.5, IMPL, 4), I(SCORE_MAX_DOMAINS - 1, 0.5, PLAN, 0)},
     60, 2, 2, 1, {{SCORE_MAX_DOMAINS - 1, 60, 2}}},
    /* Out-of-range domains are ignored for the domains but still count in the total. */
    {"out-of-range domain", 2,
     {I(SCORE_MAX_DOMAINS, 1, IMPL, 5), I(0, 1, IMPL, 0)},
     50, 2, 2, 1, {{0, 0, 1}}},
    /* Sums that are not exact in binary: 3 x 0.6 -> exactly 60 (within EPS). */
    {"three at maturity 3", 3,
     {I(0, 1, PART, 3), I(0, 1, PART, 3), I(0, 1, PART, 3)},
     60, 3, 3, 1, {{0, 60, 3}}},
    {"every status at maturity 1..5 with weight 1", 5,
     {I(0, 1, IMPL, 5), I(0, 1, PART, 4), I(1, 1, PLAN, 3), I(1, 1, NOTI, 2), I(2, 1, NA, 1)},
     70, 4, 4, 2, {{0, 90, 2}, {1, 50, 2}}},
};

TU_TEST(test_compute_table)
{
    for (size_t r = 0; r < RB_ARRAY_LEN(compute_rows); r++) {
        const struct compute_row *row = &compute_rows[r];
        struct score_result res;
        memset(&res, 0x5a, sizeof(res)); /* every field must be written */
        score_compute(row->n ? row->items : NULL, row->n, &res);
        ROW_CHECK(near(res.score, row->score), "row %zu (%s): score %.12f, want %.12f", r,
                  row->name, res.score, row->score);
        ROW_CHECK(near(res.weight, row->weight), "row %zu (%s): weight %.12f, want %.12f", r,
                  row->name, res.weight, row->weight);
        ROW_CHECK(res.applicable == row->applicable, "row %zu (%s): applicable %d, want %d", r,
                  row->name, res.applicable, row->applicable);
        for (int d = 0; d < SCORE_MAX_DOMAINS; d++) {
            double ws = -1, ww = 0;
            for (int k = 0; k < row->ndoms; k++)
                if (row->doms[k].domain == d) {
                    ws = row->doms[k].score;
                    ww = row->doms[k].weight;
                }
            ROW_CHECK(near(res.domain_score[d], ws), "row %zu (%s): domain %d score %.12f, want %.12f",
                      r, row->name, d, res.domain_score[d], ws);
            ROW_CHECK(near(res.domain_weight[d], ww),
                      "row %zu (%s): domain %d weight %.12f, want %.12f", r, row->name, d,
                      res.domain_weight[d], ww);
        }
    }
}

/* The order of items does not change the result (beyond rounding). */
TU_TEST(test_compute_order)
{
    uint64_t seed = 0x5c0de;
    for (int round = 0; round < 200; round++) {
        struct score_item items[40], rev[40];
        int n = 1 + tu_rand_below(&seed, 40);
        for (int i = 0; i < n; i++) {
            items[i].domain = tu_rand_below(&seed, 5) - 1;
            items[i].weight = 1 + tu_rand_below(&seed, 3);
            items[i].status = tu_rand_below(&seed, ANSWER__COUNT + 1) - 1;
            items[i].maturity = tu_rand_below(&seed, 6);
        }
        for (int i = 0; i < n; i++)
            rev[i] = items[n - 1 - i];
        struct score_result a, b;
        score_compute(items, n, &a);
        score_compute(rev, n, &b);
        ROW_CHECK(near(a.score, b.score), "round %d: %f vs %f", round, a.score, b.score);
        ROW_CHECK(a.applicable == b.applicable, "round %d", round);
        ROW_CHECK(a.score == -1 || (a.score >= 0 && a.score <= 100 + EPS), "round %d: %f", round,
                  a.score);
        for (int d = 0; d < 4; d++)
            ROW_CHECK(near(a.domain_score[d], b.domain_score[d]), "round %d domain %d", round, d);
    }
}

/* ---- score_describe ---- */

#define MAX_VALUES 8

struct describe_row {
    const char *name;
    int n;
    double in[MAX_VALUES];
    double sorted[MAX_VALUES];
    double mean, median, min, max, q1, q3;
    int hist[SCORE_HIST_BINS];
};

static const struct describe_row describe_rows[] = {
    {"n=0", 0, {0}, {0}, 0, 0, 0, 0, 0, 0, {0}},
    {"n=1", 1, {42}, {42}, 42, 42, 42, 42, 42, 42, {[4] = 1}},
    /* pos(q1) = 0.25: 10 + 0.25*70 = 27.5; median 45; pos(q3) = 0.75: 62.5. */
    {"n=2", 2, {80, 10}, {10, 80}, 45, 45, 10, 80, 27.5, 62.5, {[1] = 1, [8] = 1}},
    /* sorted 0 25 50 100; mean 43.75; q1 pos 0.75: 18.75; median pos 1.5: 37.5; q3 pos 2.25:
     * 50 + 0.25*50 = 62.5 (numpy.percentile([0,25,50,100], [25,50,75]) = 18.75, 37.5, 62.5). */
    {"n=4", 4, {100, 0, 50, 25}, {0, 25, 50, 100}, 43.75, 37.5, 0, 100, 18.75, 62.5,
     {[0] = 1, [2] = 1, [5] = 1, [9] = 1}},
    /* sorted 9.99 10 55.5 90 99.5; sum 264.99; q1 pos 1, median pos 2, q3 pos 3 fall on ranks.
     * 9.99 in bin 0, 10 in bin 1, 90 and 99.5 in the last bin. */
    {"n=5", 5, {90, 9.99, 10, 99.5, 55.5}, {9.99, 10, 55.5, 90, 99.5}, 264.99 / 5, 55.5, 9.99,
     99.5, 10, 90, {[0] = 1, [1] = 1, [5] = 1, [9] = 2}},
    /* n=6, ties: sorted 20 20 20 70 80 100; q1 pos 1.25: 20; median pos 2.5: 45; q3 pos 3.75:
     * 70 + 0.75*10 = 77.5. */
    {"n=6 with ties", 6, {100, 20, 80, 20, 70, 20}, {20, 20, 20, 70, 80, 100}, 310.0 / 6, 45, 20,
     100, 20, 77.5, {[2] = 3, [7] = 1, [8] = 1, [9] = 1}},
    /* Bin edges: 0, 9.999, 19.999999, 20, 59.5, 99.999, 100, 100. sorted as given; mean
     * 409.497999/8; q1 pos 1.75: 9.999 + 0.75*(19.999999-9.999) = 17.49974925; median pos 3.5:
     * 39.75; q3 pos 5.25: 99.999 + 0.25*0.001 = 99.99925. */
    {"n=8 bin edges", 8, {100, 59.5, 0, 19.999999, 100, 9.999, 20, 99.999},
     {0, 9.999, 19.999999, 20, 59.5, 99.999, 100, 100}, 409.497999 / 8, 39.75, 0, 100,
     17.49974925, 99.99925, {[0] = 2, [1] = 1, [2] = 1, [5] = 1, [9] = 3}},
};

TU_TEST(test_describe_table)
{
    for (size_t r = 0; r < RB_ARRAY_LEN(describe_rows); r++) {
        const struct describe_row *row = &describe_rows[r];
        double v[MAX_VALUES];
        memcpy(v, row->in, sizeof(v));
        struct score_stats st;
        memset(&st, 0x5a, sizeof(st));
        score_describe(v, row->n, &st);
        ROW_CHECK(st.n == row->n, "row %zu (%s): n %d", r, row->name, st.n);
        static const char *const names[] = {"mean", "median", "min", "max", "q1", "q3"};
        const double got[] = {st.mean, st.median, st.min, st.max, st.q1, st.q3};
        const double want[] = {row->mean, row->median, row->min, row->max, row->q1, row->q3};
        for (size_t k = 0; k < RB_ARRAY_LEN(got); k++)
            ROW_CHECK(near(got[k], want[k]), "row %zu (%s): %s %.12f, want %.12f", r, row->name,
                      names[k], got[k], want[k]);
        for (int b = 0; b < SCORE_HIST_BINS; b++)
            ROW_CHECK(st.hist[b] == row->hist[b], "row %zu (%s): hist[%d] = %d, want %d", r,
                      row->name, b, st.hist[b], row->hist[b]);
        for (int i = 0; i < row->n; i++)
            ROW_CHECK(v[i] == row->sorted[i], "row %zu (%s): not sorted in place at %d: %f", r,
                      row->name, i, v[i]);
    }
}

/* Invariants over random samples: min <= q1 <= median <= q3 <= max, the histogram sums to n,
 * min <= mean <= max, and the quartiles match the interpolation formula computed here. */
TU_TEST(test_describe_random)
{
    uint64_t seed = 0xd15c0;
    for (int round = 0; round < 500; round++) {
        double v[64];
        int n = 1 + tu_rand_below(&seed, 64);
        for (int i = 0; i < n; i++)
            v[i] = (double)tu_rand_below(&seed, 100001) / 1000.0; /* 0..100 */
        struct score_stats st;
        score_describe(v, n, &st);
        for (int i = 1; i < n; i++)
            ROW_CHECK(v[i - 1] <= v[i], "round %d: not sorted at %d", round, i);
        ROW_CHECK(st.min <= st.q1 && st.q1 <= st.median && st.median <= st.q3 && st.q3 <= st.max,
                  "round %d: order %f %f %f %f %f", round, st.min, st.q1, st.median, st.q3, st.max);
        ROW_CHECK(st.min - EPS <= st.mean && st.mean <= st.max + EPS, "round %d: mean", round);
        int total = 0;
        for (int b = 0; b < SCORE_HIST_BINS; b++)
            total += st.hist[b];
        ROW_CHECK(total == n, "round %d: histogram sums to %d of %d", round, total, n);
        const double ps[] = {0.25, 0.5, 0.75};
        const double got[] = {st.q1, st.median, st.q3};
        for (int k = 0; k < 3; k++) {
            double pos = ps[k] * (n - 1);
            int lo = (int)floor(pos);
            double want = lo + 1 < n ? v[lo] + (pos - lo) * (v[lo + 1] - v[lo]) : v[lo];
            ROW_CHECK(near(got[k], want), "round %d: quantile %.2f %f want %f", round, ps[k],
                      got[k], want);
        }
    }
}

/* A score that is exactly a multiple of ten (three controls at maturity 3 score 60) must land in
 * the bin that starts there ([60,70)), as the API shows it rounded: "60". */
TU_TEST(test_score_bins)
{
    static const struct {
        int n, maturity[6];
        int bin;
    } rows[] = {
        {3, {3, 3, 3}, 6},          /* 60 */
        {6, {0, 0, 0, 3, 3, 3}, 3}, /* 30 */
        {6, {0, 1, 2, 2, 2, 2}, 3}, /* 30 */
        {6, {0, 2, 4, 4, 4, 4}, 6}, /* 60 */
        {2, {1, 0}, 1},             /* 10 */
        {1, {5}, 9},                /* 100 */
        {1, {0}, 0},                /* 0 */
    };
    for (size_t r = 0; r < RB_ARRAY_LEN(rows); r++) {
        struct score_item items[6];
        for (int i = 0; i < rows[r].n; i++)
            items[i] = (struct score_item){.domain = 0, .weight = 1, .status = ANSWER_PARTIAL,
                                           .maturity = rows[r].maturity[i]};
        struct score_result res;
        score_compute(items, rows[r].n, &res);
        double v = res.score;
        struct score_stats st;
        score_describe(&v, 1, &st);
        ROW_CHECK(st.hist[rows[r].bin] == 1, "row %zu: score %.17g is not in bin %d", r, res.score,
                  rows[r].bin);
    }
}

TU_MAIN({
    cmocka_unit_test(test_compute_table),
    cmocka_unit_test(test_compute_order),
    cmocka_unit_test(test_describe_table),
    cmocka_unit_test(test_describe_random),
    cmocka_unit_test(test_score_bins),
})
