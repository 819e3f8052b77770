/*
 * test_profile.c - profile applicability (src/core/profile) and parameter rendering in control
 * prose (src/formats/oscal: oscal_render_prose).
 *
 * 1. profile_applies: a table of applicability rules x orgs (kinds, sectors, CII only, minimum
 *    CII grade; empty lists mean "any").
 * 2. profile_applicability_parse: a table of list texts -> parsed kinds and sectors, or RB_EINVAL
 *    with the field named.
 * 3. oscal_render_prose: a table in the shape of NIST SP 800-53 statements (values, label only,
 *    selections, unknown ids, several inserts in one string, text without inserts).
 */
#include "base/common.h"
#include "base/mem.h"
#include "core/org.h"
#include "core/profile.h"
#include "formats/oscal.h"

#include "test_util.h"

/* ---- profile_applies ---- */

/* Orgs of the table. */
enum {
    O_NATIONAL,
    O_PROVINCIAL,
    O_SECTORAL,
    O_INST_HEALTH,   /* institution, health, not CII */
    O_INST_NOSECTOR, /* institution without a sector */
    O_INST_WATER_G1, /* CII institutions by grade */
    O_INST_WATER_G2,
    O_INST_WATER_G3,
    O_INST_ENERGY_G3,
    O__COUNT
};

static const rb_org orgs[O__COUNT] = {
    [O_NATIONAL] = {.name = "National CERT", .kind = KIND_NATIONAL_CERT},
    [O_PROVINCIAL] = {.name = "Punjab CERT", .kind = KIND_PROVINCIAL_CERT,
                      .province = "punjab"},
    [O_SECTORAL] = {.name = "Telecom CERT", .kind = KIND_SECTORAL_CERT, .sector = "telecom"},
    [O_INST_HEALTH] = {.name = "PB Health", .kind = KIND_INSTITUTION, .sector = "health"},
    [O_INST_NOSECTOR] = {.name = "No sector", .kind = KIND_INSTITUTION},
    [O_INST_WATER_G1] = {.name = "Water 1", .kind = KIND_INSTITUTION, .sector = "water",
                         .cii = true, .cii_grade = 1},
    [O_INST_WATER_G2] = {.name = "Water 2", .kind = KIND_INSTITUTION, .sector = "water",
                         .cii = true, .cii_grade = 2},
    [O_INST_WATER_G3] = {.name = "Water 3", .kind = KIND_INSTITUTION, .sector = "water",
                         .cii = true, .cii_grade = 3},
    [O_INST_ENERGY_G3] = {.name = "Power 3", .kind = KIND_INSTITUTION, .sector = "energy",
                          .cii = true, .cii_grade = 3},
};

struct applies_row {
    const char *name;
    struct profile_applicability ap;
    bool want[O__COUNT];
};

#define ALL_TRUE {true, true, true, true, true, true, true, true, true}

static const struct applies_row applies_rows[] = {
    {"empty lists: any org", {0}, ALL_TRUE},
    {"institutions only",
     {.nkinds = 1, .kinds = {KIND_INSTITUTION}},
     {[O_INST_HEALTH] = true, [O_INST_NOSECTOR] = true, [O_INST_WATER_G1] = true,
      [O_INST_WATER_G2] = true, [O_INST_WATER_G3] = true, [O_INST_ENERGY_G3] = true}},
    {"provincial and sectoral CERTs",
     {.nkinds = 2, .kinds = {KIND_PROVINCIAL_CERT, KIND_SECTORAL_CERT}},
     {[O_PROVINCIAL] = true, [O_SECTORAL] = true}},
    {"the national CERT",
     {.nkinds = 1, .kinds = {KIND_NATIONAL_CERT}},
     {[O_NATIONAL] = true}},
    {"every kind listed",
     {.nkinds = KIND__COUNT,
      .kinds = {KIND_NATIONAL_CERT, KIND_PROVINCIAL_CERT, KIND_SECTORAL_CERT,
                KIND_GOVERNMENT_CERT, KIND_CII_CERT, KIND_INSTITUTION}},
     ALL_TRUE},
    /* An org without a sector never matches a sector list. */
    {"sectors health and water",
     {.nsectors = 2, .sectors = {"health", "water"}},
     {[O_INST_HEALTH] = true, [O_INST_WATER_G1] = true, [O_INST_WATER_G2] = true,
      [O_INST_WATER_G3] = true}},
    {"sector telecom (any kind)",
     {.nsectors = 1, .sectors = {"telecom"}},
     {[O_SECTORAL] = true}},
    {"CII only",
     {.cii_only = true},
     {[O_INST_WATER_G1] = true, [O_INST_WATER_G2] = true, [O_INST_WATER_G3] = true,
      [O_INST_ENERGY_G3] = true}},
    /* A minimum grade implies CII: grade 1 < 2 fails, 2 and 3 pass, non-CII fails. */
    {"minimum CII grade 2",
     {.min_cii_grade = 2},
     {[O_INST_WATER_G2] = true, [O_INST_WATER_G3] = true, [O_INST_ENERGY_G3] = true}},
    {"minimum CII grade 3 and CII only",
     {.cii_only = true, .min_cii_grade = 3},
     {[O_INST_WATER_G3] = true, [O_INST_ENERGY_G3] = true}},
    {"minimum CII grade 1 is every CII org",
     {.min_cii_grade = 1},
     {[O_INST_WATER_G1] = true, [O_INST_WATER_G2] = true, [O_INST_WATER_G3] = true,
      [O_INST_ENERGY_G3] = true}},
    {"institutions, water, grade >= 2",
     {.nkinds = 1, .kinds = {KIND_INSTITUTION}, .nsectors = 1, .sectors = {"water"},
      .min_cii_grade = 2},
     {[O_INST_WATER_G2] = true, [O_INST_WATER_G3] = true}},
    {"CERT kinds with CII only: none",
     {.nkinds = 2, .kinds = {KIND_PROVINCIAL_CERT, KIND_SECTORAL_CERT}, .cii_only = true},
     {0}},
};

TU_TEST(test_applies_table)
{
    for (size_t r = 0; r < RB_ARRAY_LEN(applies_rows); r++)
        for (int o = 0; o < O__COUNT; o++) {
            bool got = profile_applies(&applies_rows[r].ap, &orgs[o]);
            ROW_CHECK(got == applies_rows[r].want[o], "row %zu (%s), org %s: got %s", r,
                      applies_rows[r].name, orgs[o].name, got ? "true" : "false");
        }
}

/* ---- profile_applicability_parse ---- */

struct parse_row {
    const char *kinds, *sectors;
    int min_cii_grade; /* set before the call */
    int rc;
    const char *field;                /* when rc != 0 */
    int nkinds;
    enum rb_org_kind want_kinds[KIND__COUNT];
    int nsectors;
    const char *want_sectors[4];
};

#define H10 "health,health,health,health,health,health,health,health,health,health"
#define I10                                                                                        \
    "institution,institution,institution,institution,institution,institution,institution,"       \
    "institution,institution,institution"

static const struct parse_row parse_rows[] = {
    {NULL, NULL, 0, 0, NULL, 0, {0}, 0, {NULL}},
    {"", "", 0, 0, NULL, 0, {0}, 0, {NULL}},
    {"institution, provincial_cert", NULL, 0, 0, NULL, 2,
     {KIND_INSTITUTION, KIND_PROVINCIAL_CERT}, 0, {NULL}},
    {"  institution ,provincial_cert ,, ", "health , energy", 0, 0, NULL, 2,
     {KIND_INSTITUTION, KIND_PROVINCIAL_CERT}, 2, {"health", "energy"}},
    {"national_cert,provincial_cert,sectoral_cert,government_cert,cii_cert,institution", "water",
     3, 0, NULL, KIND__COUNT,
     {KIND_NATIONAL_CERT, KIND_PROVINCIAL_CERT, KIND_SECTORAL_CERT, KIND_GOVERNMENT_CERT,
      KIND_CII_CERT, KIND_INSTITUTION},
     1, {"water"}},
    {NULL, "government,telecom,energy,finance", 0, 0, NULL, 0, {0}, 4,
     {"government", "telecom", "energy", "finance"}},
    /* 16 sectors is the cap (PROFILE_MAX_LIST). */
    {NULL, H10 ",health,health,health,health,health,health", 0, 0, NULL, 0, {0}, 16,
     {"health", "health", "health", "health"}},
    /* Errors name the field. */
    {"institution,hospital", NULL, 0, RB_EINVAL, "applies_kinds", 0, {0}, 0, {NULL}},
    {"Institution", NULL, 0, RB_EINVAL, "applies_kinds", 0, {0}, 0, {NULL}},
    {"institution", "health, mining", 0, RB_EINVAL, "applies_sectors", 0, {0}, 0, {NULL}},
    {NULL, "Health", 0, RB_EINVAL, "applies_sectors", 0, {0}, 0, {NULL}},
    {NULL, H10 ",health,health,health,health,health,health,health", 0, RB_EINVAL,
     "applies_sectors", 0, {0}, 0, {NULL}},
    {I10 ",institution,institution,institution,institution,institution,institution,institution",
     NULL, 0, RB_EINVAL, "applies_kinds", 0, {0}, 0, {NULL}},
    {NULL, NULL, 4, RB_EINVAL, "min_cii_grade", 0, {0}, 0, {NULL}},
    {NULL, NULL, -1, RB_EINVAL, "min_cii_grade", 0, {0}, 0, {NULL}},
};

TU_TEST(test_parse_table)
{
    rb_arena a;
    rb_arena_init(&a, 1 << 16);
    for (size_t r = 0; r < RB_ARRAY_LEN(parse_rows); r++) {
        const struct parse_row *row = &parse_rows[r];
        struct profile_applicability ap;
        memset(&ap, 0, sizeof(ap));
        ap.min_cii_grade = row->min_cii_grade;
        rb_errinfo ei;
        rb_errinfo_clear(&ei);
        int rc = profile_applicability_parse(&ap, row->kinds, row->sectors, &a, &ei);
        ROW_CHECK(rc == row->rc, "row %zu (%s | %s): rc %d, want %d (%s)", r,
                  row->kinds ? row->kinds : "NULL", row->sectors ? row->sectors : "NULL", rc,
                  row->rc, ei.msg);
        if (rc) {
            ROW_CHECK(strcmp(ei.field, row->field) == 0, "row %zu: field \"%s\", want \"%s\"", r,
                      ei.field, row->field);
            ROW_CHECK(ei.msg[0] != '\0', "row %zu: no message", r);
            continue;
        }
        ROW_CHECK(ap.nkinds == row->nkinds, "row %zu: nkinds %d, want %d", r, ap.nkinds,
                  row->nkinds);
        for (int k = 0; k < row->nkinds; k++)
            ROW_CHECK(ap.kinds[k] == row->want_kinds[k], "row %zu: kinds[%d] = %d, want %d", r, k,
                      (int)ap.kinds[k], (int)row->want_kinds[k]);
        ROW_CHECK(ap.nsectors == row->nsectors, "row %zu: nsectors %d, want %d", r, ap.nsectors,
                  row->nsectors);
        for (int k = 0; k < row->nsectors && k < (int)RB_ARRAY_LEN(row->want_sectors); k++)
            ROW_CHECK(strcmp(ap.sectors[k], row->want_sectors[k]) == 0,
                      "row %zu: sectors[%d] = \"%s\", want \"%s\"", r, k, ap.sectors[k],
                      row->want_sectors[k]);
        ROW_CHECK(ap.min_cii_grade == row->min_cii_grade, "row %zu: min_cii_grade changed", r);
    }
    rb_arena_release(&a);
}

/* More kinds than there are kinds (duplicates; 7..16 items pass the list cap): ap.kinds has room
 * for KIND__COUNT entries only, so the parse must refuse them (or fold duplicates) rather than
 * write past the array. */
TU_TEST(test_parse_duplicate_kinds)
{
    rb_arena a;
    rb_arena_init(&a, 1 << 16);
    static const char *const lists[] = {
        "institution,institution,institution,institution,institution,institution,institution",
        I10 ",institution,institution,institution,institution,institution,institution",
    };
    for (size_t r = 0; r < RB_ARRAY_LEN(lists); r++) {
        struct {
            struct profile_applicability ap;
            char guard[64];
        } s;
        memset(&s, 0, sizeof(s));
        rb_errinfo ei;
        rb_errinfo_clear(&ei);
        int rc = profile_applicability_parse(&s.ap, lists[r], NULL, &a, &ei);
        if (rc) {
            ROW_CHECK(rc == RB_EINVAL && strcmp(ei.field, "applies_kinds") == 0,
                      "list %zu: rc %d field \"%s\"", r, rc, ei.field);
        } else {
            ROW_CHECK(s.ap.nkinds >= 1 && s.ap.nkinds <= KIND__COUNT,
                      "list %zu: nkinds %d > %d kinds: written past ap.kinds", r, s.ap.nkinds,
                      KIND__COUNT);
            ROW_CHECK(s.ap.nsectors == 0, "list %zu: nsectors %d", r, s.ap.nsectors);
        }
    }
    rb_arena_release(&a);
}

/* ---- oscal_render_prose ---- */

TU_TEST(test_render_table)
{
    static const char *v_roles[] = {"security officers", "system administrators"};
    static const char *v_freq[] = {"annually"};
    static const char *ch_level[] = {"organization-level", "mission/business process-level",
                                     "system-level"};
    static const char *ch_act[] = {"notify {{ insert: param, ac-2_prm_5 }}", "disable the account"};
    static const char *ch_empty_label[] = {"{{ insert: param, ac-1_prm_3 }}"};
    const struct oscal_param control[] = {
        /* values win over the label */
        {.id = "ac-1_prm_1", .label = "organization-defined personnel or roles", .values = v_roles,
         .nvalues = 2},
        {.id = "ac-1_prm_2", .has_select = true, .select_how = "one-or-more", .choices = ch_level,
         .nchoices = 3},
        {.id = "ac-1_prm_3", .label = "organization-defined official"},
        {.id = "ac-1_prm_4", .values = v_freq, .nvalues = 1},
        {.id = "ac-2_prm_1", .has_select = true, .select_how = "one", .choices = ch_act,
         .nchoices = 2},
        {.id = "ac-2_prm_2", .has_select = true, .choices = ch_empty_label, .nchoices = 1},
        {.id = "ac-2_prm_3"}, /* neither values, select nor label */
    };
    static const char *v_more[] = {"the CISO"};
    const struct oscal_param catalog[] = {
        {.id = "ac-2_prm_5", .values = v_more, .nvalues = 1},
        {.id = "ac-1_prm_4", .label = "shadowed by the control's own param"},
    };
    static const struct tu_str_row rows[] = {
        {"Develop and document an access control policy.",
         "Develop and document an access control policy."},
        {"", ""},
        {"Disseminate to {{ insert: param, ac-1_prm_1 }}.",
         "Disseminate to security officers, system administrators."},
        {"a {{ insert: param, ac-1_prm_2 }} access control policy",
         "a [Selection (one or more): organization-level; mission/business process-level; "
         "system-level] access control policy"},
        {"Designate an {{ insert: param, ac-1_prm_3 }} to manage",
         "Designate an [Assignment: organization-defined official] to manage"},
        {"Review {{ insert: param, ac-1_prm_4 }}", "Review annually"},
        {"{{ insert: param, ac-2_prm_1 }}", "[Selection: notify the CISO; disable the account]"},
        {"{{ insert: param, ac-2_prm_2 }}",
         "[Selection: [Assignment: organization-defined official]]"},
        {"{{ insert: param, ac-2_prm_3 }}", "[Assignment: ac-2_prm_3]"},
        {"Unknown: {{ insert: param, zz-9_prm_1 }}!", "Unknown: [Assignment: zz-9_prm_1]!"},
        {"Review and update the policy {{ insert: param, ac-1_prm_4 }} and following "
         "{{ insert: param, ac-1_prm_3 }}; notify {{ insert: param, ac-2_prm_5 }}.",
         "Review and update the policy annually and following [Assignment: organization-defined "
         "official]; notify the CISO."},
        {"{{ insert: param, ac-1_prm_4 }}{{ insert: param, ac-1_prm_4 }}", "annuallyannually"},
        {"line one\nline {{ insert: param, ac-1_prm_4 }}\n", "line one\nline annually\n"},
        {"braces { and } and {{ not an insert }} stay",
         "braces { and } and {{ not an insert }} stay"},
        {"{{ insert: statement, ac-1_smt }}", "{{ insert: statement, ac-1_smt }}"},
    };
    rb_arena a;
    rb_arena_init(&a, 1 << 20);
    tu_check_prose(&a, rows, RB_ARRAY_LEN(rows), control, (int)RB_ARRAY_LEN(control), catalog,
                   (int)RB_ARRAY_LEN(catalog));
    /* Without the catalog scope, ac-2_prm_5 is unknown. */
    const char *got = oscal_render_prose(&a, "notify {{ insert: param, ac-2_prm_5 }}", control,
                                         (int)RB_ARRAY_LEN(control), NULL, 0);
    assert_non_null(got);
    assert_string_equal(got, "notify [Assignment: ac-2_prm_5]");
    assert_string_equal(oscal_render_prose(&a, NULL, control, 1, NULL, 0), "");
    rb_arena_release(&a);
}

TU_MAIN({
    cmocka_unit_test(test_applies_table),
    cmocka_unit_test(test_parse_table),
    cmocka_unit_test(test_parse_duplicate_kinds),
    cmocka_unit_test(test_render_table),
})
