/*
 * test_risk.c - src/core/risk: scoring and levelling on the matrix (every cell of the default
 * 5x5, the bands' edges, other sizes), the matrix's own rules, a change of bands re-levelling
 * every risk (the count the change reports against one computed here), the rules of a risk, the
 * CSV reader (each bad row with its line and field), and on a database who may read, change and
 * accept a risk and the heat map's counts against numbers computed by hand.
 * Table-driven: each row one situation.
 */
#include "base/common.h"
#include "core/kind.h"
#include "core/risk.h"
#include "core/share.h"

#include "test_util.h"

/* ---- the matrix ---- */

TU_TEST(test_default_levels)
{
    struct risk_matrix m;
    risk_matrix_default(&m);
    assert_int_equal(risk_matrix_check(&m, NULL), 0);
    /* The default 5x5, likelihood down, impact across: low 1-4, medium 5-9, high 10-14,
     * critical 15-25. */
    static const char *const want[5][5] = {
        {"low", "low", "low", "low", "medium"},
        {"low", "low", "medium", "medium", "high"},
        {"low", "medium", "medium", "high", "critical"},
        {"low", "medium", "high", "critical", "critical"},
        {"medium", "high", "critical", "critical", "critical"},
    };
    for (int l = 1; l <= 5; l++)
        for (int i = 1; i <= 5; i++) {
            const char *got = risk_level_names[risk_matrix_cell(&m, l, i)];
            ROW_CHECK(strcmp(got, want[l - 1][i - 1]) == 0, "cell %d x %d: %s, want %s", l, i, got,
                      want[l - 1][i - 1]);
        }
    /* The edges of each band, and the ranges a filter by level uses. */
    static const struct {
        int score;
        enum risk_level level;
    } edges[] = {{1, RLEVEL_LOW},       {4, RLEVEL_LOW},      {5, RLEVEL_MEDIUM},
                 {9, RLEVEL_MEDIUM},    {10, RLEVEL_HIGH},    {14, RLEVEL_HIGH},
                 {15, RLEVEL_CRITICAL}, {25, RLEVEL_CRITICAL}};
    for (size_t k = 0; k < RB_ARRAY_LEN(edges); k++)
        ROW_CHECK(risk_matrix_level(&m, edges[k].score) == edges[k].level, "score %d",
                  edges[k].score);
    static const int ranges[RLEVEL__COUNT][2] = {{1, 4}, {5, 9}, {10, 14}, {15, 25}};
    for (int l = 0; l < RLEVEL__COUNT; l++) {
        int lo, hi;
        risk_matrix_range(&m, (enum risk_level)l, &lo, &hi);
        ROW_CHECK(lo == ranges[l][0] && hi == ranges[l][1], "%s: %d..%d", risk_level_names[l], lo,
                  hi);
    }
    /* A 3x3 with bands 2, 4, 9: only the corner is critical. */
    struct risk_matrix s = {.size = 3, .min_score = {1, 2, 4, 9}};
    assert_int_equal(risk_matrix_check(&s, NULL), 0);
    assert_int_equal(risk_matrix_cell(&s, 1, 1), RLEVEL_LOW);
    assert_int_equal(risk_matrix_cell(&s, 1, 2), RLEVEL_MEDIUM);
    assert_int_equal(risk_matrix_cell(&s, 2, 2), RLEVEL_HIGH);
    assert_int_equal(risk_matrix_cell(&s, 3, 2), RLEVEL_HIGH);
    assert_int_equal(risk_matrix_cell(&s, 3, 3), RLEVEL_CRITICAL);
}

TU_TEST(test_matrix_check)
{
    const struct {
        struct risk_matrix m;
        const char *field; /* NULL: valid */
    } rows[] = {
        {{.size = 5, .min_score = {1, 5, 10, 15}}, NULL},
        {{.size = 10, .min_score = {1, 2, 3, 100}}, NULL},
        {{.size = 3, .min_score = {1, 2, 3, 4}}, NULL},
        {{.size = 2, .min_score = {1, 2, 3, 4}}, "size"},
        {{.size = 11, .min_score = {1, 5, 10, 15}}, "size"},
        {{.size = 5, .min_score = {2, 5, 10, 15}}, "bands.low"},
        {{.size = 5, .min_score = {1, 1, 10, 15}}, "bands.medium"},
        {{.size = 5, .min_score = {1, 10, 10, 15}}, "bands.high"},
        {{.size = 5, .min_score = {1, 5, 16, 15}}, "bands.critical"},
        {{.size = 5, .min_score = {1, 5, 10, 26}}, "bands.critical"},
        {{.size = 4, .min_score = {1, 5, 10, 17}}, "bands.critical"},
    };
    for (size_t i = 0; i < RB_ARRAY_LEN(rows); i++) {
        rb_errinfo ei;
        rb_errinfo_clear(&ei);
        int rc = risk_matrix_check(&rows[i].m, &ei);
        tu_check_refused("matrix", i, rc, &ei, rows[i].field ? RB_EINVAL : 0, rows[i].field, NULL);
    }
}

/* A change of bands moves exactly the scores between the old and the new edges. */
TU_TEST(test_band_change)
{
    struct risk_matrix a, b = {.size = 5, .min_score = {1, 4, 8, 20}};
    risk_matrix_default(&a);
    /* Scores 1..25 as products of two steps: 4 (medium now, 1x4 2x2), 8 (high now), 15 and 16
     * (high now), 20 and 25 stay critical, 5..7 stay medium, 10..14 stay high. */
    static const struct {
        int score;
        enum risk_level before, after;
    } rows[] = {
        {1, RLEVEL_LOW, RLEVEL_LOW},
        {3, RLEVEL_LOW, RLEVEL_LOW},
        {4, RLEVEL_LOW, RLEVEL_MEDIUM},
        {5, RLEVEL_MEDIUM, RLEVEL_MEDIUM},
        {8, RLEVEL_MEDIUM, RLEVEL_HIGH},
        {9, RLEVEL_MEDIUM, RLEVEL_HIGH},
        {10, RLEVEL_HIGH, RLEVEL_HIGH},
        {15, RLEVEL_CRITICAL, RLEVEL_HIGH},
        {16, RLEVEL_CRITICAL, RLEVEL_HIGH},
        {20, RLEVEL_CRITICAL, RLEVEL_CRITICAL},
        {25, RLEVEL_CRITICAL, RLEVEL_CRITICAL},
    };
    for (size_t i = 0; i < RB_ARRAY_LEN(rows); i++)
        ROW_CHECK(risk_matrix_level(&a, rows[i].score) == rows[i].before &&
                      risk_matrix_level(&b, rows[i].score) == rows[i].after,
                  "score %d", rows[i].score);
}

/* ---- the rules of a risk ---- */

static const char *controls2[] = {"gv-1", "iam-3"};
static const char *controls_dup[] = {"gv-1", "gv-1"};
static const char *controls_empty[] = {""};

TU_TEST(test_check)
{
    struct risk_matrix m;
    risk_matrix_default(&m);
    struct row {
        const char *what;
        struct risk_input in;
        bool change;
        const char *field; /* NULL: valid */
        const char *msg_has;
    };
#define R(...)                                                                                     \
    {                                                                                              \
        __VA_ARGS__, .treatment = -1, .status = -1, .tlp = -1                                      \
    }
    const struct row rows[] = {
        {"a risk", R(.title = "Ransomware", .likelihood = 3, .impact = 4), false, NULL, NULL},
        {"every member",
         R(.title = "Ransomware", .description = "Backups untested.", .category = "technical",
           .likelihood = 5, .impact = 5, .residual_likelihood = 2, .residual_impact = 5,
           .owner = "IT head", .due_date = "2027-01-31", .review_date = "2027-06-30",
           .control_ids = controls2, .ncontrols = 2, .controls_given = true),
         false, NULL, NULL},
        {"likelihood 9 on a 5x5", R(.title = "x", .likelihood = 9, .impact = 1), false,
         "likelihood", "1 to 5"},
        {"impact 6", R(.title = "x", .likelihood = 1, .impact = 6), false, "impact", "6"},
        {"a negative residual",
         R(.title = "x", .likelihood = 2, .impact = 2, .residual_impact = -1), false,
         "residual_impact", NULL},
        {"no likelihood", R(.title = "x", .impact = 2), false, "likelihood", "required"},
        {"no title", R(.likelihood = 2, .impact = 2), false, "title", "required"},
        {"a blank title", R(.title = "  ", .likelihood = 2, .impact = 2), false, "title", NULL},
        {"a title with a newline", R(.title = "a\nb", .likelihood = 2, .impact = 2), false, "title",
         NULL},
        {"an unknown category", R(.title = "x", .likelihood = 2, .impact = 2, .category = "cyber"),
         false, "category", "technical"},
        {"a date that is not one",
         R(.title = "x", .likelihood = 1, .impact = 1, .due_date = "31/12/2026"), false, "due_date",
         "2026-12-31"},
        {"a time, not a date",
         R(.title = "x", .likelihood = 1, .impact = 1, .review_date = "2026-12-31T00:00:00Z"),
         false, "review_date", NULL},
        {"February 30th", R(.title = "x", .likelihood = 1, .impact = 1, .due_date = "2026-02-30"),
         false, "due_date", NULL},
        {"a control twice",
         R(.title = "x", .likelihood = 1, .impact = 1, .control_ids = controls_dup, .ncontrols = 2,
           .controls_given = true),
         false, "control_ids[1]", "twice"},
        {"an empty control",
         R(.title = "x", .likelihood = 1, .impact = 1, .control_ids = controls_empty,
           .ncontrols = 1, .controls_given = true),
         false, "control_ids[0]", NULL},
        {"too many controls",
         R(.title = "x", .likelihood = 1, .impact = 1, .ncontrols = 51, .controls_given = true),
         false, "control_ids", "50"},
        {"a catalog without controls",
         R(.title = "x", .likelihood = 1, .impact = 1, .catalog_id = "c"), false, "catalog_id",
         NULL},
        {"a change of one member", R(.owner = ""), true, NULL, NULL},
        {"a change clears a date", R(.due_date = ""), true, NULL, NULL},
        {"a change to likelihood 9", R(.likelihood = 9), true, "likelihood", NULL},
        {"a change with nothing", R(.title = NULL), true, "", "nothing to change"},
        {"a change to a blank title", R(.title = ""), true, "title", NULL},
    };
#undef R
    for (size_t i = 0; i < RB_ARRAY_LEN(rows); i++) {
        rb_errinfo ei;
        rb_errinfo_clear(&ei);
        int rc = risk_check(&rows[i].in, &m, rows[i].change, &ei);
        ROW_CHECK(rows[i].field ? rc == RB_EINVAL : rc == 0, "%s: rc %d (%s: %s)", rows[i].what, rc,
                  ei.field, ei.msg);
        ROW_CHECK(!rows[i].field || strcmp(ei.field, rows[i].field) == 0, "%s: field %s, want %s",
                  rows[i].what, ei.field, rows[i].field);
        ROW_CHECK(!rows[i].msg_has || strstr(ei.msg, rows[i].msg_has), "%s: msg %s", rows[i].what,
                  ei.msg);
    }
    /* Accepting goes through risk_accept, never a create or a change. */
    struct risk_input in;
    risk_input_init(&in);
    in.title = "x";
    in.likelihood = in.impact = 1;
    in.treatment = RTREAT_ACCEPT;
    rb_errinfo ei;
    rb_errinfo_clear(&ei);
    assert_int_equal(risk_check(&in, &m, false, &ei), RB_EINVAL);
    assert_string_equal(ei.field, "treatment");
    assert_non_null(strstr(ei.msg, "admin"));
    risk_input_init(&in);
    in.status = RSTATUS_ACCEPTED;
    assert_int_equal(risk_check(&in, &m, true, &ei), RB_EINVAL);
    assert_string_equal(ei.field, "status");
}

/* ---- CSV ---- */

static int read_risks(const char *text, void *m, rb_arena *a, struct tu_csv_got *got,
                      rb_errinfo *ei)
{
    struct risk_file f = {.nrows = 99};
    int rc = risk_csv_read(text, strlen(text), m, a, &f, ei);
    *got = (struct tu_csv_got){f.nrows, f.nbad, f.nproblems, f.total, f.problems};
    return rc;
}

TU_TEST(test_csv_read)
{
    struct risk_matrix m;
    risk_matrix_default(&m);
    static const struct tu_csv_case rows[] = {
        {"the required columns", "title,likelihood,impact\r\nA,1,2\r\nB,5,5\r\n", 0, NULL, 2, 0,
         NULL},
        {"any order and case, optional columns",
         "Impact,TITLE,likelihood,category,control_ids,treatment\n2,A,3,people,gv-1;iam-3 ,"
         "transfer\n",
         0, NULL, 1, 0, NULL},
        {"an exported file's read-only columns are ignored",
         "id,title,likelihood,impact,inherent_score,inherent_level,org\r\n,A,2,2,4,low,X\r\n", 0,
         NULL, 1, 0, NULL},
        {"empty", "", RB_EINVAL, "line 1", 0, 0, "header"},
        {"an unknown column", "title,likelihood,impact,colour\r\nA,1,1,red\r\n", RB_EINVAL,
         "line 1, field 4", 0, 0, "colour"},
        {"a column twice", "title,likelihood,impact,Title\r\nA,1,1,B\r\n", RB_EINVAL,
         "line 1, field 4", 0, 0, "twice"},
        {"no impact column", "title,likelihood\r\nA,1\r\n", RB_EINVAL, "line 1", 0, 0, "impact"},
        {"likelihood 9 on line 3", "title,impact,likelihood\r\nA,1,1\r\nB,1,9\r\nC,2,2\r\n", 0,
         "3:3", 2, 1, "1 to 5"},
        {"a word for a number", "title,likelihood,impact\r\nA,high,1\r\n", 0, "2:2", 0, 1,
         "whole number"},
        {"a missing title", "likelihood,impact,title\r\n1,1,\r\n", 0, "2:3", 0, 1, "title"},
        {"a bad treatment", "title,likelihood,impact,treatment\r\nA,1,1,ignore\r\n", 0, "2:4", 0, 1,
         "mitigate"},
        {"a new risk accepted from a file", "title,likelihood,impact,treatment\r\nA,1,1,accept\r\n",
         0, "2:4", 0, 1, "admin"},
        {"a residual above the inherent", "title,likelihood,impact,residual_impact\r\nA,2,2,5\r\n",
         0, "2:0", 0, 1, "residual"},
        {"a bad date", "title,likelihood,impact,due_date\r\nA,1,1,soon\r\n", 0, "2:4", 0, 1,
         "date"},
        {"a file without the required columns, even to change risks",
         "id,owner\r\n0b7e4f7c-6a55-4a3c-9a57-3f1f4c6b2d10,IT head\r\n", RB_EINVAL, "line 1", 0, 0,
         "title"},
        {"an id that is not one", "id,title,likelihood,impact\r\nx,A,1,1\r\n", 0, "2:1", 0, 1,
         "UUID"},
        {"an accepted risk of the register keeps its acceptance",
         "id,title,likelihood,impact,treatment,status\r\n0b7e4f7c-6a55-4a3c-9a57-3f1f4c6b2d10,A,1,"
         "1,accept,accepted\r\n",
         0, NULL, 1, 0, NULL},
    };
    tu_check_csv_cases(rows, RB_ARRAY_LEN(rows), read_risks, &m);
    /* The optional columns are read as given. */
    rb_arena a;
    rb_arena_init(&a, 1 << 20);
    struct risk_file f;
    const char *text = "title,likelihood,impact,control_ids,tlp,treatment\r\n"
                       "A,4,3,\"gv-1, iam-3;br-1\",RED,avoid\r\n";
    assert_int_equal(risk_csv_read(text, strlen(text), &m, &a, &f, NULL), 0);
    assert_int_equal(f.nrows, 1);
    assert_int_equal(f.rows[0].in.ncontrols, 3);
    assert_string_equal(f.rows[0].in.control_ids[2], "br-1");
    assert_int_equal(f.rows[0].in.tlp, TLP_RED);
    assert_int_equal(f.rows[0].in.treatment, RTREAT_AVOID);
    assert_int_equal(f.rows[0].line, 2);
    rb_arena_release(&a);
}

/* ---- on a database ---- */

/* Records a risk of org as a reporter of it; returns its id in out. */
static void add_risk(struct tu_fixture *f, const char *org, const char *title, int l, int i, int rl,
                     int ri, const char *due, char out[RB_ID_SIZE])
{
    rb_actor rep;
    tu_actor_at(f, &rep, ROLE_REPORTER, org);
    struct risk_input in;
    risk_input_init(&in);
    in.title = title;
    in.likelihood = l;
    in.impact = i;
    in.residual_likelihood = rl;
    in.residual_impact = ri;
    in.due_date = due;
    rb_errinfo_clear(&f->ei);
    int rc = risk_create(f->db, &rep, &in, out, &f->ei);
    if (rc)
        print_error("risk_create %s: %d %s: %s\n", title, rc, f->ei.field, f->ei.msg);
    assert_int_equal(rc, 0);
}

static void test_who(void **state)
{
    struct tu_fixture *f = *state;
    tu_std_tree(f);
    char id[RB_ID_SIZE];
    add_risk(f, f->pi2, "Ransomware on patient records", 4, 5, 2, 5, NULL, id);
    /* Granted to the parent CERT, scope org, and nothing else. */
    assert_int_equal(tu_scalar(f->db,
                               "SELECT count(*) FROM grants WHERE object_kind = 'risk' AND "
                               "object_id = ?1",
                               id),
                     1);
    const struct {
        const char *org;
        enum rb_role role;
        int read, write, accept;
    } rows[] = {
        {f->pi2, ROLE_REPORTER, 0, 0, RB_EPERM},
        {f->pi2, ROLE_ADMIN, 0, 0, 0},
        {f->pi2, ROLE_VIEWER, 0, RB_EPERM, RB_EPERM},
        {f->p, ROLE_ADMIN, 0, RB_EPERM, RB_EPERM}, /* the parent CERT reads only */
        {f->n, ROLE_ADMIN, RB_ENOTFOUND, RB_ENOTFOUND, RB_ENOTFOUND},   /* no grant */
        {f->pi1, ROLE_ADMIN, RB_ENOTFOUND, RB_ENOTFOUND, RB_ENOTFOUND}, /* a sibling */
        {f->si, ROLE_ADMIN, RB_ENOTFOUND, RB_ENOTFOUND, RB_ENOTFOUND},
        {f->s, ROLE_ADMIN, RB_ENOTFOUND, RB_ENOTFOUND, RB_ENOTFOUND},
    };
    for (size_t i = 0; i < RB_ARRAY_LEN(rows); i++) {
        rb_actor a;
        tu_actor_at(f, &a, rows[i].role, rows[i].org);
        rb_risk r;
        int rc = risk_get(f->db, &a, id, &f->a, &r);
        ROW_CHECK(rc == rows[i].read, "row %zu: read %d", i, rc);
        if (!rc)
            ROW_CHECK(strcmp(r.inherent_level, "critical") == 0 &&
                          strcmp(r.residual_level, "high") == 0 && r.inherent_score == 20 &&
                          r.residual_score == 10,
                      "row %zu: %s %s", i, r.inherent_level, r.residual_level);
        struct risk_input in;
        risk_input_init(&in);
        in.owner = "Someone";
        rb_errinfo_clear(&f->ei);
        rc = risk_update(f->db, &a, id, &in, &f->ei);
        ROW_CHECK(rc == rows[i].write, "row %zu: write %d (%s)", i, rc, f->ei.msg);
        rb_errinfo_clear(&f->ei);
        rc = risk_accept(f->db, &a, id, "The board accepts it until the new system.", NULL, &f->ei);
        ROW_CHECK(rc == rows[i].accept, "row %zu: accept %d (%s)", i, rc, f->ei.msg);
        if (!rc) { /* a change of treatment withdraws it again, for the next row */
            risk_input_init(&in);
            in.treatment = RTREAT_MITIGATE;
            assert_int_equal(risk_update(f->db, &a, id, &in, &f->ei), 0);
        }
    }
    /* The accepted risk said so, and the withdrawal opened it again. */
    rb_risk r;
    assert_int_equal(risk_get(f->db, &f->sys, id, &f->a, &r), 0);
    assert_string_equal(r.status, "open");
    assert_string_equal(r.treatment, "mitigate");
    assert_null(r.acceptance_reason);
    assert_int_equal(tu_scalar(f->db,
                               "SELECT count(*) FROM history WHERE object_kind = 'risk' AND "
                               "object_id = ?1 AND action = 'accepted'",
                               id),
                     1);
    /* Accepting without a reason is refused; an accepted risk is not put back in treatment. */
    rb_actor adm;
    tu_actor_at(f, &adm, ROLE_ADMIN, f->pi2);
    assert_int_equal(risk_accept(f->db, &adm, id, "  ", NULL, &f->ei), RB_EINVAL);
    assert_int_equal(risk_accept(f->db, &adm, id, "Accepted.", "2027-03-31", &f->ei), 0);
    assert_int_equal(risk_accept(f->db, &adm, id, "Again.", NULL, &f->ei), RB_ECONFLICT);
    struct risk_input in;
    risk_input_init(&in);
    in.status = RSTATUS_IN_PROGRESS;
    assert_int_equal(risk_update(f->db, &adm, id, &in, &f->ei), RB_ECONFLICT);
    in.status = RSTATUS_CLOSED;
    assert_int_equal(risk_update(f->db, &adm, id, &in, &f->ei), 0);
    assert_int_equal(risk_get(f->db, &f->sys, id, &f->a, &r), 0);
    assert_string_equal(r.status, "closed");
    assert_string_equal(r.review_date, "2027-03-31");
    /* A residual above the inherent score is refused on a change too. */
    risk_input_init(&in);
    in.likelihood = 1;
    assert_int_equal(risk_update(f->db, &adm, id, &in, &f->ei), RB_EINVAL);
    assert_string_equal(f->ei.field, "residual_likelihood");
}

/* The heat map of P's constituency and of the nation, against counts made by hand. */
static void test_heatmap(void **state)
{
    struct tu_fixture *f = *state;
    tu_std_tree(f);
    char id[RB_ID_SIZE], red[RB_ID_SIZE], closed[RB_ID_SIZE];
    /* PI1: 5x5 residual 5x5 (critical, overdue), 2x2 residual 1x2 (low); PI2: 3x4 residual 3x4
     * (high), RED 5x4 (critical, granted to P as parent: P reads it, N does not); PCI (below
     * PC, below P): 4x4 residual 4x3 (high); SI (Sindh): 5x5 residual 5x5; P's own: 2x3 residual
     * 2x3 (medium); one closed risk of PI1 (left out everywhere). */
    add_risk(f, f->pi1, "Payroll fraud", 5, 5, 5, 5, "2020-01-01", id);
    add_risk(f, f->pi1, "Lost laptop", 2, 2, 1, 2, NULL, id);
    add_risk(f, f->pi1, "Old risk", 3, 3, 3, 3, NULL, closed);
    add_risk(f, f->pi2, "Unpatched servers", 3, 4, 3, 4, NULL, id);
    add_risk(f, f->pi2, "Insider at the records office", 5, 4, 5, 4, NULL, red);
    add_risk(f, f->pci, "Grid control network exposed", 4, 4, 4, 3, NULL, id);
    add_risk(f, f->si, "Revenue system outage", 5, 5, 5, 5, NULL, id);
    add_risk(f, f->p, "Analyst turnover", 2, 3, 2, 3, NULL, id);
    rb_actor a;
    tu_actor_at(f, &a, ROLE_ADMIN, f->pi1);
    struct risk_input in;
    risk_input_init(&in);
    in.status = RSTATUS_CLOSED;
    assert_int_equal(risk_update(f->db, &a, closed, &in, &f->ei), 0);
    tu_actor_at(f, &a, ROLE_ADMIN, f->pi2);
    rb_arena sa;
    rb_arena_init(&sa, 1 << 20);
    assert_int_equal(share_set_tlp(f->db, &a, &sa, &kind_risk, red, TLP_RED, &f->ei), 0);
    rb_arena_release(&sa);

    const struct {
        const char *viewer, *root;
        int total, orgs_with, orgs, critical, high, medium, low, overdue, cell55, top_readable;
    } rows[] = {
        /* P reads its children's risks (granted) and its own; PCI's is PC's to read, but it
         * counts. Subtree of P: P, PI1, PI2, PC, PCI = 5 orgs. */
        {f->p, NULL, 6, 4, 5, 2, 2, 1, 1, 1, 1, 5},
        /* N: everything not closed, but the RED one it may not read. 9 orgs. */
        {f->n, NULL, 6, 5, 9, 2, 2, 1, 1, 1, 2, 1},
        /* N over P's subtree: the RED one left out. */
        {f->n, f->p, 5, 4, 5, 1, 2, 1, 1, 1, 1, 1},
        /* An institution: its own register. */
        {f->pi1, NULL, 2, 1, 1, 1, 0, 0, 1, 1, 1, 2},
    };
    for (size_t i = 0; i < RB_ARRAY_LEN(rows); i++) {
        tu_actor_at(f, &a, ROLE_ANALYST, rows[i].viewer);
        struct risk_heatmap h;
        rb_errinfo_clear(&f->ei);
        int rc = risk_heatmap(f->db, &a, rows[i].root, RBASIS_RESIDUAL, &f->a, &h, &f->ei);
        ROW_CHECK(rc == 0, "row %zu: %d %s", i, rc, f->ei.msg);
        ROW_CHECK(h.all.total == rows[i].total && h.all.orgs == rows[i].orgs_with &&
                      h.orgs == rows[i].orgs,
                  "row %zu: total %d, orgs with risks %d, orgs %d", i, h.all.total, h.all.orgs,
                  h.orgs);
        ROW_CHECK(h.all.by_level[RLEVEL_CRITICAL] == rows[i].critical &&
                      h.all.by_level[RLEVEL_HIGH] == rows[i].high &&
                      h.all.by_level[RLEVEL_MEDIUM] == rows[i].medium &&
                      h.all.by_level[RLEVEL_LOW] == rows[i].low,
                  "row %zu: levels %d %d %d %d", i, h.all.by_level[RLEVEL_CRITICAL],
                  h.all.by_level[RLEVEL_HIGH], h.all.by_level[RLEVEL_MEDIUM],
                  h.all.by_level[RLEVEL_LOW]);
        ROW_CHECK(h.all.overdue_treatments == rows[i].overdue, "row %zu: overdue %d", i,
                  h.all.overdue_treatments);
        ROW_CHECK(h.all.counts[4 * 5 + 4] == rows[i].cell55, "row %zu: cell 5x5 %d", i,
                  h.all.counts[4 * 5 + 4]);
        int readable = 0, sum = 0;
        for (int k = 0; k < h.ntop; k++) {
            readable += h.top[k].readable;
            ROW_CHECK(h.top[k].readable == (h.top[k].title != NULL) &&
                          h.top[k].readable == (h.top[k].id != NULL),
                      "row %zu: top %d names what it may not read", i, k);
            ROW_CHECK(k == 0 || h.top[k].score <= h.top[k - 1].score, "row %zu: top order", i);
        }
        for (int c = 0; c < 25; c++)
            sum += h.all.counts[c];
        ROW_CHECK(readable == rows[i].top_readable && h.ntop == rows[i].total && sum == h.all.total,
                  "row %zu: %d readable of %d top, %d in cells", i, readable, h.ntop, sum);
    }
    /* By province: N's nation has Punjab (5 of 6: P, PI1 x2, PI2, PCI) and Sindh (1). The
     * orgs of the tree have no province: the key is NULL, so rabta groups them as none. */
    tu_actor_at(f, &a, ROLE_ANALYST, f->n);
    struct risk_heatmap h;
    assert_int_equal(risk_heatmap(f->db, &a, NULL, RBASIS_INHERENT, &f->a, &h, &f->ei), 0);
    assert_int_equal(h.nprovince, 1);
    assert_null(h.by_province[0].key);
    assert_int_equal(h.by_province[0].total, 6);
    /* Inherent: PCI's 4x4 is critical now (16), residual 12 was high. */
    assert_int_equal(h.all.by_level[RLEVEL_CRITICAL], 3);
    /* The tallies follow a change: PI1 moves to Sindh (its province follows it onto its risks),
     * and its critical risk is closed. */
    rb_org_input oi;
    org_input_init(&oi);
    oi.province = "sindh";
    assert_int_equal(org_update(f->db, &f->sys, f->pi1, &oi, &f->a, &f->ei), 0);
    assert_int_equal(risk_heatmap(f->db, &a, NULL, RBASIS_RESIDUAL, &f->a, &h, &f->ei), 0);
    assert_int_equal(h.nprovince, 2);
    assert_string_equal(h.by_province[0].key, "sindh");
    assert_int_equal(h.by_province[0].total, 2);
    assert_int_equal(h.by_province[0].orgs, 1);
    assert_int_equal(h.all.total, 6);
    rb_risk *mine = NULL;
    int k = 0;
    bool more = false;
    struct risk_filter flt = {
        .org_id = f->pi1, .level = RLEVEL_CRITICAL, .status = -1, .treatment = -1, .limit = 10};
    assert_int_equal(risk_list(f->db, &f->sys, &flt, &f->a, &mine, &k, &more), 0);
    assert_int_equal(k, 1);
    rb_actor own;
    tu_actor_at(f, &own, ROLE_ADMIN, f->pi1);
    risk_input_init(&in);
    in.status = RSTATUS_CLOSED;
    assert_int_equal(risk_update(f->db, &own, mine[0].id, &in, &f->ei), 0);
    assert_int_equal(risk_heatmap(f->db, &a, NULL, RBASIS_RESIDUAL, &f->a, &h, &f->ei), 0);
    assert_int_equal(h.all.total, 5);
    assert_int_equal(h.all.counts[4 * 5 + 4], 1); /* SI's */
    assert_int_equal(h.all.overdue_treatments, 0);
    assert_int_equal(h.by_province[0].total, 1);
    /* Opened again, it counts again. */
    in.status = RSTATUS_OPEN;
    assert_int_equal(risk_update(f->db, &own, mine[0].id, &in, &f->ei), 0);
    assert_int_equal(risk_heatmap(f->db, &a, NULL, RBASIS_RESIDUAL, &f->a, &h, &f->ei), 0);
    assert_int_equal(h.all.total, 6);
    /* A root outside one's constituency, or no org: not found. */
    tu_actor_at(f, &a, ROLE_ANALYST, f->s);
    assert_int_equal(risk_heatmap(f->db, &a, f->p, RBASIS_RESIDUAL, &f->a, &h, &f->ei),
                     RB_ENOTFOUND);
    assert_string_equal(f->ei.field, "root");
    assert_int_equal(risk_heatmap(f->db, &a, "00000000-0000-4000-8000-000000000000",
                                  RBASIS_RESIDUAL, &f->a, &h, &f->ei),
                     RB_ENOTFOUND);
}

/* The National CERT's admins change the bands: every risk is levelled anew, and the change says
 * how many changed level; a size that leaves a risk outside is refused. */
static void test_matrix_set(void **state)
{
    struct tu_fixture *f = *state;
    tu_std_tree(f);
    char id[RB_ID_SIZE];
    /* Inherent / residual scores: 20/10, 9/4, 16/8, 25/25, 2/1. */
    add_risk(f, f->pi1, "A", 4, 5, 2, 5, NULL, id);
    add_risk(f, f->pi1, "B", 3, 3, 2, 2, NULL, id);
    add_risk(f, f->pi2, "C", 4, 4, 2, 4, NULL, id);
    add_risk(f, f->si, "D", 5, 5, 5, 5, NULL, id);
    add_risk(f, f->si, "E", 1, 2, 1, 1, NULL, id);
    struct risk_matrix m = {.size = 5, .min_score = {1, 4, 8, 20}};
    struct risk_matrix old;
    risk_matrix_default(&old);
    /* By hand: a risk changes level when its inherent or residual score does. */
    static const int scores[][2] = {{20, 10}, {9, 4}, {16, 8}, {25, 25}, {2, 1}};
    int64_t want = 0;
    for (size_t i = 0; i < RB_ARRAY_LEN(scores); i++)
        want += risk_matrix_level(&old, scores[i][0]) != risk_matrix_level(&m, scores[i][0]) ||
                risk_matrix_level(&old, scores[i][1]) != risk_matrix_level(&m, scores[i][1]);
    assert_int_equal(want, 2); /* B (9: medium -> high; 4: low -> medium), C (16, 8); not A */
    rb_actor a;
    tu_actor_at(f, &a, ROLE_ADMIN, f->p);
    int64_t n = -1;
    assert_int_equal(risk_matrix_set(f->db, &a, &m, &n, &f->ei), RB_EPERM);
    tu_actor_at(f, &a, ROLE_ANALYST, f->n);
    assert_int_equal(risk_matrix_set(f->db, &a, &m, &n, &f->ei), RB_EPERM);
    tu_actor_at(f, &a, ROLE_ADMIN, f->n);
    assert_int_equal(risk_matrix_set(f->db, &a, &m, &n, &f->ei), 0);
    assert_int_equal(n, want);
    rb_risk *rows = NULL;
    int k = 0;
    bool more = false;
    struct risk_filter flt = {.level = -1, .status = -1, .treatment = -1, .limit = 50};
    assert_int_equal(risk_list(f->db, &f->sys, &flt, &f->a, &rows, &k, &more), 0);
    assert_int_equal(k, 5);
    for (int i = 0; i < k; i++)
        ROW_CHECK(strcmp(rows[i].inherent_level,
                         risk_level_names[risk_matrix_level(&m, rows[i].inherent_score)]) == 0 &&
                      strcmp(rows[i].residual_level,
                             risk_level_names[risk_matrix_level(&m, rows[i].residual_score)]) == 0,
                  "%s: %s / %s", rows[i].title, rows[i].inherent_level, rows[i].residual_level);
    /* The list's order: residual score, highest first. */
    assert_string_equal(rows[0].title, "D");
    assert_string_equal(rows[4].title, "E");
    /* A filter by level takes the new bands: residual high is 8..19 now (A 10, C 8). */
    flt.level = RLEVEL_HIGH;
    assert_int_equal(risk_list(f->db, &f->sys, &flt, &f->a, &rows, &k, &more), 0);
    assert_int_equal(k, 2);
    /* The same bands again change no level. */
    assert_int_equal(risk_matrix_set(f->db, &a, &m, &n, &f->ei), 0);
    assert_int_equal(n, 0);
    /* A 4x4 leaves A (4x5) and D (5x5) outside: refused, nothing changed. */
    struct risk_matrix small = {.size = 4, .min_score = {1, 3, 6, 12}};
    assert_int_equal(risk_matrix_set(f->db, &a, &small, &n, &f->ei), RB_ECONFLICT);
    assert_non_null(strstr(f->ei.msg, "2 risks"));
    struct risk_matrix now;
    assert_int_equal(risk_matrix_get(f->db, &now), 0);
    assert_int_equal(now.size, 5);
    assert_int_equal(now.min_score[RLEVEL_CRITICAL], 20);
    /* Bad bands are refused before anything is written. */
    struct risk_matrix bad = {.size = 5, .min_score = {1, 10, 5, 20}};
    assert_int_equal(risk_matrix_set(f->db, &a, &bad, &n, &f->ei), RB_EINVAL);
}

TU_MAIN({
    cmocka_unit_test(test_default_levels),
    cmocka_unit_test(test_matrix_check),
    cmocka_unit_test(test_band_change),
    cmocka_unit_test(test_check),
    cmocka_unit_test(test_csv_read),
    TU_FIXTURE_TEST(test_who),
    TU_FIXTURE_TEST(test_heatmap),
    TU_FIXTURE_TEST(test_matrix_set),
})
