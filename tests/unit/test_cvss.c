/*
 * test_cvss.c - src/formats/cvss: v3.0 / v3.1 and v2 vectors, scores and severities.
 *
 * The base scores are the worked examples of FIRST's "CVSS v3.1 Examples" document (the CVE
 * each is named after) and of the CVSS v2 guide (section 3.3: base, temporal and environmental
 * of three CVEs); the temporal and environmental v3 rows are checked by hand against the
 * equations of the v3.1 specification (section 7), including the two places v3.0 and v3.1
 * differ (the modified impact of a changed scope, and the round-up).
 */
#include "base/common.h"
#include "formats/cvss.h"

#include <math.h>

#include "test_util.h"

struct score_row {
    const char *vector;
    double base, temporal, environmental;
    const char *severity; /* of the base score (v3 rows) */
};

static const struct score_row v3_rows[] = {
    /* FIRST CVSS v3.1 Examples */
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1, 6.1, 6.1, "MEDIUM"}, /* CVE-2013-1937 */
    {"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N", 6.4, 6.4, 6.4, "MEDIUM"}, /* CVE-2013-0375 */
    {"CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N", 3.1, 3.1, 3.1, "LOW"},    /* CVE-2014-3566 */
    {"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H", 9.9, 9.9, 10.0, "CRITICAL"}, /* 2012-1516 */
    {"CVSS:3.1/AV:L/AC:L/PR:H/UI:N/S:U/C:L/I:L/A:L", 4.2, 4.2, 4.2, "MEDIUM"},   /* CVE-2009-0783 */
    {"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 8.8, 8.8, 8.8, "HIGH"},     /* CVE-2012-0384 */
    {"CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", 7.8, 7.8, 7.8, "HIGH"},     /* CVE-2015-1098 */
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", 7.5, 7.5, 7.5, "HIGH"},     /* CVE-2014-0160 */
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8, 9.8, 9.8, "CRITICAL"}, /* 2014-6271 */
    {"CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 6.8, 6.8, 6.8, "MEDIUM"},   /* CVE-2014-2005 */
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:L/I:N/A:N", 5.8, 5.8, 5.8, "MEDIUM"},   /* CVE-2010-0467 */
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:N/I:L/A:N", 5.8, 5.8, 5.8, "MEDIUM"},   /* CVE-2012-1342 */
    {"CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:C/C:N/I:H/A:H", 9.3, 9.3, 9.3, "CRITICAL"}, /* 2013-6014 */
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 0.0, 0.0, 0.0, "NONE"},
    /* temporal: 9.8 x 0.94 x 0.95 = 8.7514, rounded up */
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P/RL:O/RC:C", 9.8, 8.8, 8.8, "CRITICAL"},
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U/RL:W/RC:R", 9.8, 8.4, 8.4, "CRITICAL"},
    /* environmental: MISS 0.8064, modified impact 5.177, exploitability 2.515 */
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/MAV:L/MC:N/CR:H", 9.8, 9.8, 7.7, "CRITICAL"},
    /* a fixed product: no modified impact left, environmental 0 */
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/MC:N/MI:N/MA:N", 9.8, 9.8, 0.0, "CRITICAL"},
    /* the scope changed by the environment: MPR weights follow MS (H is 0.5), the v3.1 modified
     * impact is 6.128, exploitability 2.286: roundup(1.08 x 8.414) */
    {"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H/MS:C/MPR:H", 8.8, 8.8, 9.1, "HIGH"},
    /* v3.1 and v3.0 differ in the modified impact of a changed scope (0.9731, ^13 vs ^15) */
    {"CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:C/C:H/I:H/A:H/RL:O/RC:C", 9.0, 8.6, 8.7, "CRITICAL"},
    {"CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:C/C:H/I:H/A:H/RL:O/RC:C", 9.0, 8.6, 8.6, "CRITICAL"},
    /* metrics in another order, and explicit "not defined" */
    {"CVSS:3.0/A:H/I:H/C:H/S:U/UI:R/PR:N/AC:L/AV:L/E:X/CR:X", 7.8, 7.8, 7.8, "HIGH"},
};

/* The CVSS v2 guide, section 3.3: CVE-2002-0392, CVE-2003-0818, CVE-2003-0062. */
static const struct score_row v2_rows[] = {
    {"AV:N/AC:L/Au:N/C:N/I:N/A:C/E:F/RL:OF/RC:C/CDP:H/TD:H/CR:M/IR:M/AR:H", 7.8, 6.4, 9.2, NULL},
    {"AV:N/AC:L/Au:N/C:C/I:C/A:C/E:F/RL:OF/RC:C/CDP:H/TD:H/CR:M/IR:M/AR:L", 10.0, 8.3, 9.0, NULL},
    {"AV:L/AC:H/Au:N/C:C/I:C/A:C/E:POC/RL:OF/RC:C/CDP:H/TD:H/CR:M/IR:M/AR:M", 6.2, 4.9, 7.5, NULL},
    /* base only: temporal and environmental are the base */
    {"AV:N/AC:L/Au:N/C:C/I:C/A:C", 10.0, 10.0, 10.0, NULL},
    {"AV:L/AC:L/Au:M/C:C/I:C/A:C", 6.5, 6.5, 6.5, NULL},
    /* no target in the environment: environmental 0 */
    {"AV:A/AC:L/Au:N/C:P/I:N/A:C/TD:N", 6.8, 6.8, 0.0, NULL},
};

static bool near(double a, double b)
{
    return fabs(a - b) < 1e-9;
}

/* Parses vector as a CVSS version 3.x or 2 vector and scores it into *s. Returns the parser's
 * rc. */
static int score_vector(int version, const char *vector, struct cvss_scores *s, rb_errinfo *ei)
{
    struct cvss3 v3;
    struct cvss2 v2;
    int rc = version == 3 ? cvss3_parse(vector, &v3, ei) : cvss2_parse(vector, &v2, ei);
    if (!rc && version == 3)
        cvss3_score(&v3, s);
    else if (!rc)
        cvss2_score(&v2, s);
    return rc;
}

/* Scores each of the n rows as version's and checks its three scores, and its base score's
 * severity where the row names one. */
static void check_scores(int version, const struct score_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const struct score_row *r = &rows[i];
        rb_errinfo ei;
        struct cvss_scores s;
        ROW_CHECK(score_vector(version, r->vector, &s, &ei) == 0, "row %zu: %s refused: %s", i,
                  r->vector, ei.msg);
        ROW_CHECK(near(s.base, r->base) && near(s.temporal, r->temporal) &&
                      near(s.environmental, r->environmental),
                  "row %zu: %s gives %.1f %.1f %.1f, want %.1f %.1f %.1f", i, r->vector, s.base,
                  s.temporal, s.environmental, r->base, r->temporal, r->environmental);
        if (r->severity)
            ROW_CHECK(strcmp(cvss3_severity(s.base), r->severity) == 0,
                      "row %zu: severity %s, want %s", i, cvss3_severity(s.base), r->severity);
    }
}

TU_TEST(test_v3_scores)
{
    check_scores(3, v3_rows, RB_ARRAY_LEN(v3_rows));
}

TU_TEST(test_v2_scores)
{
    check_scores(2, v2_rows, RB_ARRAY_LEN(v2_rows));
}

TU_TEST(test_severity_bands)
{
    static const struct {
        double score;
        const char *severity;
    } rows[] = {
        {0.0, "NONE"}, {0.1, "LOW"},  {3.9, "LOW"},      {4.0, "MEDIUM"},    {6.9, "MEDIUM"},
        {7.0, "HIGH"}, {8.9, "HIGH"}, {9.0, "CRITICAL"}, {10.0, "CRITICAL"},
    };
    for (size_t i = 0; i < RB_ARRAY_LEN(rows); i++)
        ROW_CHECK(strcmp(cvss3_severity(rows[i].score), rows[i].severity) == 0,
                  "%.1f is %s, want %s", rows[i].score, cvss3_severity(rows[i].score),
                  rows[i].severity);
}

/* Checks that version's parser refuses each of the n vectors, naming the vector string and
 * saying the row's word. */
static void check_refused(int version, const struct tu_str_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        struct cvss_scores s;
        rb_errinfo ei;
        rb_errinfo_clear(&ei);
        int rc = score_vector(version, rows[i].in, &s, &ei);
        tu_check_refused(version == 3 ? "v3" : "v2", i, rc, &ei, RB_EINVAL, "vectorString",
                         rows[i].out);
    }
}

/* Vectors the parsers refuse, and a word the message must have. */
TU_TEST(test_refusals)
{
    static const struct tu_str_row v3_bad[] = {
        {"AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "starts with"},
        {"CVSS:3.2/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "starts with"},
        {"CVSS:3.1/", "no metrics"},
        {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H", "lacks base metric A"},
        {"CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "twice"},
        {"CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "not a value"},
        {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/XX:Y", "unknown metric"},
        {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/", "ends with"},
        {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A", "METRIC:VALUE"},
        {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:X:Y", "not a value"},
    };
    check_refused(3, v3_bad, RB_ARRAY_LEN(v3_bad));
    static const struct tu_str_row v2_bad[] = {
        {"AV:N/AC:L/Au:N/C:C/I:C", "lacks base metric A"},
        {"(AV:N/AC:L/Au:N/C:C/I:C/A:C)", "unknown metric"},
        {"AV:N/AC:L/Au:N/C:C/I:C/A:C/E:X", "not a value"},
        {"CVSS:2.0/AV:N/AC:L/Au:N/C:C/I:C/A:C", "unknown metric"},
    };
    check_refused(2, v2_bad, RB_ARRAY_LEN(v2_bad));
}

/* The tables name the FIRST JSON schema's properties and values. */
TU_TEST(test_metric_tables)
{
    assert_string_equal(cvss3_metrics[CVSS3_AV].json, "attackVector");
    assert_string_equal(cvss3_metrics[CVSS3_MAV].names[3], "LOCAL");
    assert_string_equal(cvss3_metrics[CVSS3_E].names[3], "PROOF_OF_CONCEPT");
    assert_string_equal(cvss2_metrics[CVSS2_AU].json, "authentication");
    assert_string_equal(cvss2_metrics[CVSS2_CDP].names[2], "LOW_MEDIUM");
    /* A modified metric is "X" then its base metric's values, in the same order. */
    static const int pairs[][2] = {
        {CVSS3_MAV, CVSS3_AV}, {CVSS3_MAC, CVSS3_AC}, {CVSS3_MPR, CVSS3_PR}, {CVSS3_MUI, CVSS3_UI},
        {CVSS3_MS, CVSS3_S},   {CVSS3_MC, CVSS3_C},   {CVSS3_MI, CVSS3_I},   {CVSS3_MA, CVSS3_A}};
    for (size_t i = 0; i < RB_ARRAY_LEN(pairs); i++) {
        const struct cvss_metric_info *m = &cvss3_metrics[pairs[i][0]];
        const struct cvss_metric_info *b = &cvss3_metrics[pairs[i][1]];
        ROW_CHECK(m->nvalues == b->nvalues + 1 && strcmp(m->codes[0], "X") == 0, "%s", m->key);
        for (int k = 0; k < b->nvalues; k++)
            ROW_CHECK(strcmp(m->codes[k + 1], b->codes[k]) == 0 &&
                          strcmp(m->names[k + 1], b->names[k]) == 0,
                      "%s value %d", m->key, k);
    }
}

TU_MAIN({
    cmocka_unit_test(test_v3_scores),
    cmocka_unit_test(test_v2_scores),
    cmocka_unit_test(test_severity_bands),
    cmocka_unit_test(test_refusals),
    cmocka_unit_test(test_metric_tables),
})
