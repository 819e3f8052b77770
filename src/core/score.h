/*
 * score.h - preparedness scoring and descriptive statistics (pure: no database, no clock).
 *
 * The formula (also in docs/decisions.md):
 *   control score  = maturity / 5                      (0..1), not_applicable controls excluded
 *   domain score   = 100 * sum(w * control score) / sum(w)   over the domain's answered controls
 *   org score      = 100 * sum(w * control score) / sum(w)   over all answered controls
 * where w is the control's weight (1 unless the catalog gives a "weight" prop). A control without
 * an answer counts as maturity 0 (an assessment can only be submitted fully answered).
 */
#ifndef RABTA_SCORE_H
#define RABTA_SCORE_H

#include <stdbool.h>

#define SCORE_MAX_DOMAINS 64
#define SCORE_HIST_BINS 10

enum rb_answer_status {
    ANSWER_NONE = -1,
    ANSWER_IMPLEMENTED = 0,
    ANSWER_PARTIAL,
    ANSWER_PLANNED,
    ANSWER_NOT_IMPLEMENTED,
    ANSWER_NOT_APPLICABLE,
    ANSWER__COUNT
};
extern const char *const rb_answer_status_names[]; /* NULL-terminated */

struct score_item {
    int domain;   /* 0..SCORE_MAX_DOMAINS-1, or -1 for "no domain" (counts only in the total) */
    double weight;
    int status;   /* enum rb_answer_status */
    int maturity; /* 0..5, ignored when status is ANSWER_NONE (counts 0) */
};

struct score_result {
    double score;     /* 0..100; -1 when every control is not applicable */
    double weight;    /* the weight that counted */
    int applicable;   /* controls that counted */
    double domain_score[SCORE_MAX_DOMAINS];  /* -1 when the domain had nothing applicable */
    double domain_weight[SCORE_MAX_DOMAINS];
};

/* Scores n items. */
void score_compute(const struct score_item *items, int n, struct score_result *out);

struct score_stats {
    int n;
    double mean, median, min, max, q1, q3; /* 0 when n == 0 */
    int hist[SCORE_HIST_BINS];             /* [0,10), [10,20), ... [90,100] */
};

/* Describes n values in 0..100. Sorts `values` in place. Quartiles by linear interpolation
 * between closest ranks (the same method as numpy's default and Excel's QUARTILE.INC). */
void score_describe(double *values, int n, struct score_stats *out);

#endif
