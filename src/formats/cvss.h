/*
 * cvss.h - CVSS v3.0 / v3.1 and v2.0 vectors: parsing, scores and severities.
 *
 * cvss3_parse() reads a v3 vector string ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
 * optionally followed by temporal and environmental metrics in any order) and cvss3_score()
 * computes its base, temporal and environmental scores with the equations of the FIRST CVSS
 * v3.1 specification (section 7) or, for a "CVSS:3.0/" vector, of v3.0 (whose modified impact
 * and round-up differ). cvss2_parse() / cvss2_score() do the same for v2.0 vectors
 * ("AV:N/AC:L/Au:N/C:P/I:P/A:P", the FIRST CVSS v2 guide, section 3.2).
 *
 * A vector is refused (RB_EINVAL, with a sentence in ei->msg and ei->field "vectorString") when
 * it has an unknown metric or value, repeats a metric, or lacks a base metric: the FIRST
 * specifications require every base metric and at most one value of each.
 *
 * The metric tables are public (cvss3_metrics, cvss2_metrics) so a codec can compare a vector
 * with the JSON properties of the FIRST CVSS JSON schemas (attackVector "NETWORK" is AV:N):
 * each metric names its JSON property and, for each letter, the JSON enum value.
 *
 * Pure: no allocation, no I/O; depends on base/ only. Scores are doubles with one decimal.
 */
#ifndef RABTA_CVSS_H
#define RABTA_CVSS_H

#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"

/* The v3 metrics, in the order of the specification's vector. */
enum cvss3_metric {
    CVSS3_AV = 0,
    CVSS3_AC,
    CVSS3_PR,
    CVSS3_UI,
    CVSS3_S,
    CVSS3_C,
    CVSS3_I,
    CVSS3_A, /* base */
    CVSS3_E,
    CVSS3_RL,
    CVSS3_RC, /* temporal */
    CVSS3_CR,
    CVSS3_IR,
    CVSS3_AR,
    CVSS3_MAV,
    CVSS3_MAC,
    CVSS3_MPR,
    CVSS3_MUI,
    CVSS3_MS,
    CVSS3_MC,
    CVSS3_MI,
    CVSS3_MA, /* environmental */
    CVSS3__COUNT
};

enum cvss2_metric {
    CVSS2_AV = 0,
    CVSS2_AC,
    CVSS2_AU,
    CVSS2_C,
    CVSS2_I,
    CVSS2_A, /* base */
    CVSS2_E,
    CVSS2_RL,
    CVSS2_RC, /* temporal */
    CVSS2_CDP,
    CVSS2_TD,
    CVSS2_CR,
    CVSS2_IR,
    CVSS2_AR, /* environmental */
    CVSS2__COUNT
};

/* One metric: its abbreviation in the vector, its property in the FIRST JSON schema, and its
 * values: codes[i] (the vector's value, "N", "POC") is names[i] in JSON ("NETWORK"). */
#define CVSS_MAX_VALUES 6
struct cvss_metric_info {
    const char *key;  /* "AV" */
    const char *json; /* "attackVector" */
    bool base;        /* required in every vector */
    int nvalues;
    const char *codes[CVSS_MAX_VALUES];
    const char *names[CVSS_MAX_VALUES];
};

extern const struct cvss_metric_info cvss3_metrics[CVSS3__COUNT];
extern const struct cvss_metric_info cvss2_metrics[CVSS2__COUNT];

/* A parsed vector: for each metric the index of its value in the metric's codes, or -1 when the
 * vector does not give it (only temporal and environmental metrics may be absent: they are then
 * "not defined"). */
struct cvss3 {
    int minor; /* 0 or 1: CVSS:3.0 or CVSS:3.1 */
    int v[CVSS3__COUNT];
};
struct cvss2 {
    int v[CVSS2__COUNT];
};

struct cvss_scores {
    double base, temporal, environmental;
};

/* Parses a v3.0 or v3.1 vector string. Returns 0, or RB_EINVAL with ei (may be NULL) saying what
 * is wrong; *out is written only on success. */
int cvss3_parse(const char *vector, struct cvss3 *out, rb_errinfo *ei);
/* The three scores of a parsed vector (absent metrics count as not defined). */
void cvss3_score(const struct cvss3 *v, struct cvss_scores *out);
/* The qualitative rating of a v3 score: "NONE", "LOW", "MEDIUM", "HIGH" or "CRITICAL", as the
 * JSON schema spells it. */
const char *cvss3_severity(double score);

/* The same for v2.0 vectors (no "CVSS:" prefix, no parentheses). */
int cvss2_parse(const char *vector, struct cvss2 *out, rb_errinfo *ei);
void cvss2_score(const struct cvss2 *v, struct cvss_scores *out);

#endif
