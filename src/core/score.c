/* score.c - the scoring formula and descriptive statistics. Pure functions. */
#include "base/common.h"
#include "core/score.h"

const char *const rb_answer_status_names[] = {"implemented", "partial", "planned",
                                              "not_implemented", "not_applicable", NULL};

void score_compute(const struct score_item *items, int n, struct score_result *out)
{
    double num = 0, den = 0;
    double dnum[SCORE_MAX_DOMAINS] = {0}, dden[SCORE_MAX_DOMAINS] = {0};
    int applicable = 0;
    for (int i = 0; i < n; i++) {
        const struct score_item *it = &items[i];
        if (it->status == ANSWER_NOT_APPLICABLE)
            continue;
        double w = it->weight > 0 ? it->weight : 1.0;
        int m = it->status == ANSWER_NONE ? 0 : it->maturity;
        m = m < 0 ? 0 : (m > 5 ? 5 : m);
        double s = (double)m; /* maturity points; divided by 5 at the end so sums stay exact */
        num += w * s;
        den += w;
        applicable++;
        if (it->domain >= 0 && it->domain < SCORE_MAX_DOMAINS) {
            dnum[it->domain] += w * s;
            dden[it->domain] += w;
        }
    }
    out->score = den > 0 ? 20.0 * num / den : -1;
    out->weight = den;
    out->applicable = applicable;
    for (int d = 0; d < SCORE_MAX_DOMAINS; d++) {
        out->domain_score[d] = dden[d] > 0 ? 20.0 * dnum[d] / dden[d] : -1;
        out->domain_weight[d] = dden[d];
    }
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The p-quantile (0..1) of sorted values, interpolating between closest ranks. */
static double quantile(const double *v, int n, double p)
{
    double pos = p * (double)(n - 1);
    int lo = (int)pos;
    if (lo >= n - 1)
        return v[n - 1];
    return v[lo] + (pos - (double)lo) * (v[lo + 1] - v[lo]);
}

void score_describe(double *values, int n, struct score_stats *out)
{
    memset(out, 0, sizeof(*out));
    out->n = n;
    if (n <= 0)
        return;
    qsort(values, (size_t)n, sizeof(double), cmp_double);
    double sum = 0;
    for (int i = 0; i < n; i++) {
        sum += values[i];
        int bin = (int)(values[i] / 10.0);
        bin = bin < 0 ? 0 : (bin >= SCORE_HIST_BINS ? SCORE_HIST_BINS - 1 : bin);
        out->hist[bin]++;
    }
    out->mean = sum / n;
    out->min = values[0];
    out->max = values[n - 1];
    out->median = quantile(values, n, 0.5);
    out->q1 = quantile(values, n, 0.25);
    out->q3 = quantile(values, n, 0.75);
}
