/*
 * cvss.c - CVSS v3.x and v2.0 vectors and scores (see cvss.h).
 *
 * The metric tables hold each metric's values in one order, and the weights tables give the
 * number the equations use for each value in the same order. A modified (environmental) v3
 * metric lists "X" first and then the values of its base metric in the base metric's order, so
 * "X" falls back to the base value and value i of the modified metric is value i-1 of the base.
 * Must never read a weight outside a table: parsing only ever stores indexes it found.
 */
#include "base/common.h"
#include "formats/cvss.h"

#include <math.h>

/* ---- v3 ---- */

#define M3_CIA(k, j)                                                                               \
    {                                                                                              \
        k, j, true, 3, {"H", "L", "N"},                                                            \
        {                                                                                          \
            "HIGH", "LOW", "NONE"                                                                  \
        }                                                                                          \
    }
#define M3_REQ(k, j)                                                                               \
    {                                                                                              \
        k, j, false, 4, {"X", "H", "M", "L"},                                                      \
        {                                                                                          \
            "NOT_DEFINED", "HIGH", "MEDIUM", "LOW"                                                 \
        }                                                                                          \
    }
#define M3_MCIA(k, j)                                                                              \
    {                                                                                              \
        k, j, false, 4, {"X", "H", "L", "N"},                                                      \
        {                                                                                          \
            "NOT_DEFINED", "HIGH", "LOW", "NONE"                                                   \
        }                                                                                          \
    }

const struct cvss_metric_info cvss3_metrics[CVSS3__COUNT] = {
    [CVSS3_AV] = {"AV",
                  "attackVector",
                  true,
                  4,
                  {"N", "A", "L", "P"},
                  {"NETWORK", "ADJACENT_NETWORK", "LOCAL", "PHYSICAL"}},
    [CVSS3_AC] = {"AC", "attackComplexity", true, 2, {"L", "H"}, {"LOW", "HIGH"}},
    [CVSS3_PR] = {"PR", "privilegesRequired", true, 3, {"N", "L", "H"}, {"NONE", "LOW", "HIGH"}},
    [CVSS3_UI] = {"UI", "userInteraction", true, 2, {"N", "R"}, {"NONE", "REQUIRED"}},
    [CVSS3_S] = {"S", "scope", true, 2, {"U", "C"}, {"UNCHANGED", "CHANGED"}},
    [CVSS3_C] = M3_CIA("C", "confidentialityImpact"),
    [CVSS3_I] = M3_CIA("I", "integrityImpact"),
    [CVSS3_A] = M3_CIA("A", "availabilityImpact"),
    [CVSS3_E] = {"E",
                 "exploitCodeMaturity",
                 false,
                 5,
                 {"X", "H", "F", "P", "U"},
                 {"NOT_DEFINED", "HIGH", "FUNCTIONAL", "PROOF_OF_CONCEPT", "UNPROVEN"}},
    [CVSS3_RL] = {"RL",
                  "remediationLevel",
                  false,
                  5,
                  {"X", "U", "W", "T", "O"},
                  {"NOT_DEFINED", "UNAVAILABLE", "WORKAROUND", "TEMPORARY_FIX", "OFFICIAL_FIX"}},
    [CVSS3_RC] = {"RC",
                  "reportConfidence",
                  false,
                  4,
                  {"X", "C", "R", "U"},
                  {"NOT_DEFINED", "CONFIRMED", "REASONABLE", "UNKNOWN"}},
    [CVSS3_CR] = M3_REQ("CR", "confidentialityRequirement"),
    [CVSS3_IR] = M3_REQ("IR", "integrityRequirement"),
    [CVSS3_AR] = M3_REQ("AR", "availabilityRequirement"),
    [CVSS3_MAV] = {"MAV",
                   "modifiedAttackVector",
                   false,
                   5,
                   {"X", "N", "A", "L", "P"},
                   {"NOT_DEFINED", "NETWORK", "ADJACENT_NETWORK", "LOCAL", "PHYSICAL"}},
    [CVSS3_MAC] = {"MAC",
                   "modifiedAttackComplexity",
                   false,
                   3,
                   {"X", "L", "H"},
                   {"NOT_DEFINED", "LOW", "HIGH"}},
    [CVSS3_MPR] = {"MPR",
                   "modifiedPrivilegesRequired",
                   false,
                   4,
                   {"X", "N", "L", "H"},
                   {"NOT_DEFINED", "NONE", "LOW", "HIGH"}},
    [CVSS3_MUI] = {"MUI",
                   "modifiedUserInteraction",
                   false,
                   3,
                   {"X", "N", "R"},
                   {"NOT_DEFINED", "NONE", "REQUIRED"}},
    [CVSS3_MS] =
        {"MS", "modifiedScope", false, 3, {"X", "U", "C"}, {"NOT_DEFINED", "UNCHANGED", "CHANGED"}},
    [CVSS3_MC] = M3_MCIA("MC", "modifiedConfidentialityImpact"),
    [CVSS3_MI] = M3_MCIA("MI", "modifiedIntegrityImpact"),
    [CVSS3_MA] = M3_MCIA("MA", "modifiedAvailabilityImpact"),
};

/* The weights of the base and temporal metrics and the requirements, by value index. */
static const double w3_av[] = {0.85, 0.62, 0.55, 0.2};
static const double w3_ac[] = {0.77, 0.44};
static const double w3_pr_u[] = {0.85, 0.62, 0.27}; /* scope unchanged */
static const double w3_pr_c[] = {0.85, 0.68, 0.5};  /* scope changed */
static const double w3_ui[] = {0.85, 0.62};
static const double w3_cia[] = {0.56, 0.22, 0.0};
static const double w3_e[] = {1.0, 1.0, 0.97, 0.94, 0.91};
static const double w3_rl[] = {1.0, 1.0, 0.97, 0.96, 0.95};
static const double w3_rc[] = {1.0, 1.0, 0.96, 0.92};
static const double w3_req[] = {1.0, 1.5, 1.0, 0.5};

/* The metric abbreviated by key[0..n) in table (of count rows), or -1. */
static int metric_by_key(const struct cvss_metric_info *table, int count, const char *key, size_t n)
{
    for (int m = 0; m < count; m++)
        if (strlen(table[m].key) == n && memcmp(table[m].key, key, n) == 0)
            return m;
    return -1;
}

static int value_by_code(const struct cvss_metric_info *mi, const char *code, size_t n)
{
    for (int i = 0; i < mi->nvalues; i++)
        if (strlen(mi->codes[i]) == n && memcmp(mi->codes[i], code, n) == 0)
            return i;
    return -1;
}

/* Reads "K:V/K:V..." from s into v (count metrics of table, all -1 first). Returns 0 or
 * RB_EINVAL with ei. */
static int parse_metrics(const char *s, const struct cvss_metric_info *table, int count, int *v,
                         rb_errinfo *ei)
{
    for (int m = 0; m < count; m++)
        v[m] = -1;
    if (*s == '\0')
        return rb_err(ei, RB_EINVAL, "vectorString", "the vector has no metrics");
    while (*s) {
        const char *colon = strchr(s, ':');
        const char *slash = strchr(s, '/');
        if (!slash)
            slash = s + strlen(s);
        if (!colon || colon > slash)
            return rb_err(ei, RB_EINVAL, "vectorString", "\"%.*s\" is not a METRIC:VALUE pair",
                          (int)(slash - s), s);
        int m = metric_by_key(table, count, s, (size_t)(colon - s));
        if (m < 0)
            return rb_err(ei, RB_EINVAL, "vectorString", "unknown metric \"%.*s\"",
                          (int)(colon - s), s);
        if (v[m] >= 0)
            return rb_err(ei, RB_EINVAL, "vectorString", "metric %s is given twice", table[m].key);
        int i = value_by_code(&table[m], colon + 1, (size_t)(slash - colon - 1));
        if (i < 0)
            return rb_err(ei, RB_EINVAL, "vectorString", "\"%.*s\" is not a value of metric %s",
                          (int)(slash - colon - 1), colon + 1, table[m].key);
        v[m] = i;
        if (*slash == '\0')
            break;
        s = slash + 1;
        if (*s == '\0')
            return rb_err(ei, RB_EINVAL, "vectorString", "the vector ends with \"/\"");
    }
    for (int m = 0; m < count; m++)
        if (table[m].base && v[m] < 0)
            return rb_err(ei, RB_EINVAL, "vectorString", "the vector lacks base metric %s",
                          table[m].key);
    return 0;
}

int cvss3_parse(const char *vector, struct cvss3 *out, rb_errinfo *ei)
{
    struct cvss3 v;
    if (!vector)
        return rb_err(ei, RB_EINVAL, "vectorString", "no vector");
    if (strncmp(vector, "CVSS:3.1/", 9) == 0)
        v.minor = 1;
    else if (strncmp(vector, "CVSS:3.0/", 9) == 0)
        v.minor = 0;
    else
        return rb_err(ei, RB_EINVAL, "vectorString",
                      "a CVSS v3 vector starts with \"CVSS:3.0/\" or \"CVSS:3.1/\"");
    int rc = parse_metrics(vector + 9, cvss3_metrics, CVSS3__COUNT, v.v, ei);
    if (rc == 0)
        *out = v;
    return rc;
}

/* Round up to one decimal, as v3.1 Appendix A defines it: exact on the integer grid, so that a
 * floating-point result like 4.000000001 stays 4.0. v3.0 says "smallest number, to one decimal,
 * equal to or higher than its input", which this computes too, without the float artefacts. */
static double roundup(double x)
{
    long long i = llround(x * 100000.0);
    if (i % 10000 == 0)
        return (double)i / 100000.0;
    return (double)(i / 10000 + 1) / 10.0;
}

/* The value index of modified metric mod, as an index of base metric base's values. */
static int effective(const struct cvss3 *v, int mod, int base)
{
    return v->v[mod] > 0 ? v->v[mod] - 1 : v->v[base];
}

/* Index of an optional (temporal, requirement) metric: absent is "X", index 0. */
static int opt(const struct cvss3 *v, int m)
{
    return v->v[m] < 0 ? 0 : v->v[m];
}

void cvss3_score(const struct cvss3 *v, struct cvss_scores *out)
{
    bool changed = v->v[CVSS3_S] == 1;
    double iss = 1.0 - (1.0 - w3_cia[v->v[CVSS3_C]]) * (1.0 - w3_cia[v->v[CVSS3_I]]) *
                           (1.0 - w3_cia[v->v[CVSS3_A]]);
    double impact = changed ? 7.52 * (iss - 0.029) - 3.25 * pow(iss - 0.02, 15) : 6.42 * iss;
    double expl = 8.22 * w3_av[v->v[CVSS3_AV]] * w3_ac[v->v[CVSS3_AC]] *
                  (changed ? w3_pr_c : w3_pr_u)[v->v[CVSS3_PR]] * w3_ui[v->v[CVSS3_UI]];
    double base = 0.0;
    if (impact > 0)
        base = roundup(fmin((changed ? 1.08 : 1.0) * (impact + expl), 10.0));
    double tmul = w3_e[opt(v, CVSS3_E)] * w3_rl[opt(v, CVSS3_RL)] * w3_rc[opt(v, CVSS3_RC)];
    out->base = base;
    out->temporal = roundup(base * tmul);

    bool mchanged = effective(v, CVSS3_MS, CVSS3_S) == 1;
    double miss =
        fmin(1.0 - (1.0 - w3_req[opt(v, CVSS3_CR)] * w3_cia[effective(v, CVSS3_MC, CVSS3_C)]) *
                       (1.0 - w3_req[opt(v, CVSS3_IR)] * w3_cia[effective(v, CVSS3_MI, CVSS3_I)]) *
                       (1.0 - w3_req[opt(v, CVSS3_AR)] * w3_cia[effective(v, CVSS3_MA, CVSS3_A)]),
             0.915);
    double mimpact;
    if (!mchanged)
        mimpact = 6.42 * miss;
    else if (v->minor == 1)
        mimpact = 7.52 * (miss - 0.029) - 3.25 * pow(miss * 0.9731 - 0.02, 13);
    else
        mimpact = 7.52 * (miss - 0.029) - 3.25 * pow(miss - 0.02, 15);
    double mexpl = 8.22 * w3_av[effective(v, CVSS3_MAV, CVSS3_AV)] *
                   w3_ac[effective(v, CVSS3_MAC, CVSS3_AC)] *
                   (mchanged ? w3_pr_c : w3_pr_u)[effective(v, CVSS3_MPR, CVSS3_PR)] *
                   w3_ui[effective(v, CVSS3_MUI, CVSS3_UI)];
    double env = 0.0;
    if (mimpact > 0)
        env = roundup(roundup(fmin((mchanged ? 1.08 : 1.0) * (mimpact + mexpl), 10.0)) * tmul);
    out->environmental = env;
}

const char *cvss3_severity(double score)
{
    /* The bands are on one-decimal scores: compare in tenths to stay off float edges. */
    long t = lround(score * 10.0);
    if (t <= 0)
        return "NONE";
    if (t < 40)
        return "LOW";
    if (t < 70)
        return "MEDIUM";
    if (t < 90)
        return "HIGH";
    return "CRITICAL";
}

/* ---- v2 ---- */

#define M2_CIA(k, j)                                                                               \
    {                                                                                              \
        k, j, true, 3, {"N", "P", "C"},                                                            \
        {                                                                                          \
            "NONE", "PARTIAL", "COMPLETE"                                                          \
        }                                                                                          \
    }
#define M2_REQ(k, j)                                                                               \
    {                                                                                              \
        k, j, false, 4, {"L", "M", "H", "ND"},                                                     \
        {                                                                                          \
            "LOW", "MEDIUM", "HIGH", "NOT_DEFINED"                                                 \
        }                                                                                          \
    }

const struct cvss_metric_info cvss2_metrics[CVSS2__COUNT] = {
    [CVSS2_AV] =
        {"AV", "accessVector", true, 3, {"L", "A", "N"}, {"LOCAL", "ADJACENT_NETWORK", "NETWORK"}},
    [CVSS2_AC] = {"AC", "accessComplexity", true, 3, {"H", "M", "L"}, {"HIGH", "MEDIUM", "LOW"}},
    [CVSS2_AU] = {"Au", "authentication", true, 3, {"M", "S", "N"}, {"MULTIPLE", "SINGLE", "NONE"}},
    [CVSS2_C] = M2_CIA("C", "confidentialityImpact"),
    [CVSS2_I] = M2_CIA("I", "integrityImpact"),
    [CVSS2_A] = M2_CIA("A", "availabilityImpact"),
    [CVSS2_E] = {"E",
                 "exploitability",
                 false,
                 5,
                 {"U", "POC", "F", "H", "ND"},
                 {"UNPROVEN", "PROOF_OF_CONCEPT", "FUNCTIONAL", "HIGH", "NOT_DEFINED"}},
    [CVSS2_RL] = {"RL",
                  "remediationLevel",
                  false,
                  5,
                  {"OF", "TF", "W", "U", "ND"},
                  {"OFFICIAL_FIX", "TEMPORARY_FIX", "WORKAROUND", "UNAVAILABLE", "NOT_DEFINED"}},
    [CVSS2_RC] = {"RC",
                  "reportConfidence",
                  false,
                  4,
                  {"UC", "UR", "C", "ND"},
                  {"UNCONFIRMED", "UNCORROBORATED", "CONFIRMED", "NOT_DEFINED"}},
    [CVSS2_CDP] = {"CDP",
                   "collateralDamagePotential",
                   false,
                   6,
                   {"N", "L", "LM", "MH", "H", "ND"},
                   {"NONE", "LOW", "LOW_MEDIUM", "MEDIUM_HIGH", "HIGH", "NOT_DEFINED"}},
    [CVSS2_TD] = {"TD",
                  "targetDistribution",
                  false,
                  5,
                  {"N", "L", "M", "H", "ND"},
                  {"NONE", "LOW", "MEDIUM", "HIGH", "NOT_DEFINED"}},
    [CVSS2_CR] = M2_REQ("CR", "confidentialityRequirement"),
    [CVSS2_IR] = M2_REQ("IR", "integrityRequirement"),
    [CVSS2_AR] = M2_REQ("AR", "availabilityRequirement"),
};

static const double w2_av[] = {0.395, 0.646, 1.0};
static const double w2_ac[] = {0.35, 0.61, 0.71};
static const double w2_au[] = {0.45, 0.56, 0.704};
static const double w2_cia[] = {0.0, 0.275, 0.660};
static const double w2_e[] = {0.85, 0.9, 0.95, 1.0, 1.0};
static const double w2_rl[] = {0.87, 0.90, 0.95, 1.0, 1.0};
static const double w2_rc[] = {0.90, 0.95, 1.0, 1.0};
static const double w2_cdp[] = {0.0, 0.1, 0.3, 0.4, 0.5, 0.0};
static const double w2_td[] = {0.0, 0.25, 0.75, 1.0, 1.0};
static const double w2_req[] = {0.5, 1.0, 1.51, 1.0};

int cvss2_parse(const char *vector, struct cvss2 *out, rb_errinfo *ei)
{
    struct cvss2 v;
    if (!vector)
        return rb_err(ei, RB_EINVAL, "vectorString", "no vector");
    int rc = parse_metrics(vector, cvss2_metrics, CVSS2__COUNT, v.v, ei);
    if (rc == 0)
        *out = v;
    return rc;
}

/* round_to_1_decimal of the v2 guide (half up); the nudge keeps 6.45 computed as 6.4499999 from
 * rounding down. */
static double round1(double x)
{
    return floor(x * 10.0 + 0.5 + 1e-9) / 10.0;
}

/* Index of an optional v2 metric: absent is "ND", the last value. */
static int opt2(const struct cvss2 *v, int m)
{
    return v->v[m] < 0 ? cvss2_metrics[m].nvalues - 1 : v->v[m];
}

static double v2_base(const struct cvss2 *v, double impact)
{
    double expl = 20.0 * w2_av[v->v[CVSS2_AV]] * w2_ac[v->v[CVSS2_AC]] * w2_au[v->v[CVSS2_AU]];
    double f = impact == 0.0 ? 0.0 : 1.176;
    return round1((0.6 * impact + 0.4 * expl - 1.5) * f);
}

void cvss2_score(const struct cvss2 *v, struct cvss_scores *out)
{
    double c = w2_cia[v->v[CVSS2_C]], i = w2_cia[v->v[CVSS2_I]], a = w2_cia[v->v[CVSS2_A]];
    double impact = 10.41 * (1.0 - (1.0 - c) * (1.0 - i) * (1.0 - a));
    double tmul = w2_e[opt2(v, CVSS2_E)] * w2_rl[opt2(v, CVSS2_RL)] * w2_rc[opt2(v, CVSS2_RC)];
    out->base = v2_base(v, impact);
    out->temporal = round1(out->base * tmul);
    double adj = fmin(10.0, 10.41 * (1.0 - (1.0 - c * w2_req[opt2(v, CVSS2_CR)]) *
                                               (1.0 - i * w2_req[opt2(v, CVSS2_IR)]) *
                                               (1.0 - a * w2_req[opt2(v, CVSS2_AR)])));
    double adj_temporal = round1(v2_base(v, adj) * tmul);
    double cdp = w2_cdp[opt2(v, CVSS2_CDP)];
    out->environmental =
        round1((adj_temporal + (10.0 - adj_temporal) * cdp) * w2_td[opt2(v, CVSS2_TD)]);
}
