/*
 * test_inventory.c - src/core/inventory: the rules of an item (required members, field caps, the
 * light CPE and package URL checks), the CSV reader (columns in any order, the refusals of the
 * file as a whole, each bad row with its line and field), and on a database who may read and
 * write an org's inventory, an import's duplicates and replace, and inventory_each.
 * Table-driven: each row one situation.
 */
#include "base/common.h"
#include "core/inventory.h"
#include "core/kind.h"

#include "test_util.h"

/* ---- the light syntax checks ---- */

static const struct {
    const char *s;
    bool cpe, purl;
} names[] = {
    {"cpe:2.3:a:microsoft:exchange_server:2019:cumulative_update_12:*:*:*:*:*:*", true, false},
    {"cpe:2.3:o:fortinet:fortios:7.2.4:*:*:*:*:*:*:*", true, false},
    {"cpe:2.3:h:siemens:simatic_s7-1500_cpu_1518-4_pn\\/dp_mfp:-:*:*:*:*:*:*:*", true, false},
    {"cpe:2.3:a:vendor\\:x:product:1.0:*:*:*:*:*:*:*", true, false}, /* an escaped colon */
    {"cpe:2.3:*:*:*:*:*:*:*:*:*:*:*", true, false},
    {"cpe:2.3:a:microsoft:exchange_server:2019:*:*:*:*:*:*", false, false},     /* 12 parts */
    {"cpe:2.3:a:microsoft:exchange_server:2019:*:*:*:*:*:*:*:*", false, false}, /* 14 */
    {"cpe:2.3:x:microsoft:exchange_server:2019:*:*:*:*:*:*:*", false, false},   /* part x */
    {"cpe:2.3:a:microsoft::2019:*:*:*:*:*:*:*", false, false},                  /* empty */
    {"cpe:2.3:a:microsoft:exchange server:2019:*:*:*:*:*:*:*", false, false},   /* a space */
    {"cpe:2.3:a:microsoft:exchange_server:2019:*:*:*:*:*:*:", false, false},    /* empty last */
    {"cpe:/o:fortinet:fortios:7.2.4", true, false},
    {"cpe:/a", true, false},
    {"cpe:/a:apache:http_server:2.4.57:-:-:en", true, false},
    {"cpe:/a:apache:http_server:2.4.57:-:-:en:x", false, false}, /* 8 components */
    {"cpe:/x:apache:http_server", false, false},
    {"cpe:/ab:apache", false, false},
    {"cpe:/", false, false},
    {"CPE:2.3:a:b:c:d:*:*:*:*:*:*:*", false, false},
    {"pkg:npm/lodash@4.17.21", false, true},
    {"pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1", false, true},
    {"pkg:deb/debian/openssl@3.0.11?arch=amd64#src", false, true},
    {"pkg:generic/apache/httpd", false, true},
    {"pkg://npm/lodash", false, true},
    {"PKG:pypi/django@4.2", false, true},
    {"pkg:golang/github.com/gorilla/mux@v1.8.0", false, true},
    {"pkg:npm/%40angular/core@16.0.0", false, true},
    {"pkg:npm", false, false},
    {"pkg:npm/", false, false},
    {"pkg:npm/@1.0", false, false},
    {"pkg:1npm/lodash", false, false},
    {"pkg:/lodash", false, false},
    {"pkg:npm/lo dash", false, false},
    {"pkg:npm/lodash/", false, true}, /* a trailing slash is dropped, as the spec says */
    {"https://example.org/x", false, false},
};

TU_TEST(test_names)
{
    for (size_t i = 0; i < RB_ARRAY_LEN(names); i++) {
        ROW_CHECK(inventory_cpe_ok(names[i].s) == names[i].cpe, "row %zu: cpe of %s is %d", i,
                  names[i].s, !names[i].cpe);
        ROW_CHECK(inventory_purl_ok(names[i].s) == names[i].purl, "row %zu: purl of %s is %d", i,
                  names[i].s, !names[i].purl);
    }
}

/* ---- the rules of an item ---- */

static char long_text[2100];

static const char *longer(size_t n)
{
    memset(long_text, 'x', n);
    long_text[n] = '\0';
    return long_text;
}

TU_TEST(test_check)
{
    struct {
        struct inventory_input in;
        bool change;
        int want;
        const char *field;
    } rows[] = {
        {{"Siemens", "SIMATIC S7-1500", "V2.9", NULL, NULL}, false, 0, NULL},
        {{"Siemens", "SIMATIC S7-1500", NULL, "", ""}, false, 0, NULL},
        {{NULL, "SIMATIC S7-1500", NULL, NULL, NULL}, false, RB_EINVAL, "vendor"},
        {{"  ", "SIMATIC S7-1500", NULL, NULL, NULL}, false, RB_EINVAL, "vendor"},
        {{"Siemens", NULL, NULL, NULL, NULL}, false, RB_EINVAL, "product"},
        {{"Siemens", "", NULL, NULL, NULL}, false, RB_EINVAL, "product"},
        {{"Siemens", "SIMATIC\tS7", NULL, NULL, NULL}, false, RB_EINVAL, "product"},
        {{"Siemens", "S7", "V\n2", NULL, NULL}, false, RB_EINVAL, "version"},
        {{"Siemens", "S7", NULL, "cpe:2.3:a:siemens", NULL}, false, RB_EINVAL, "cpe"},
        {{"Siemens", "S7", NULL, NULL, "pkg:npm"}, false, RB_EINVAL, "purl"},
        {{NULL, NULL, "2", NULL, NULL}, true, 0, NULL},
        {{NULL, NULL, NULL, "", NULL}, true, 0, NULL},
        {{NULL, NULL, NULL, NULL, NULL}, true, RB_EINVAL, ""},
        {{NULL, "", NULL, NULL, NULL}, true, RB_EINVAL, "product"},
        {{"", NULL, NULL, NULL, NULL}, true, RB_EINVAL, "vendor"},
    };
    for (size_t i = 0; i < RB_ARRAY_LEN(rows); i++) {
        rb_errinfo ei;
        rb_errinfo_clear(&ei);
        tu_check_refused("check", i, inventory_check(&rows[i].in, rows[i].change, &ei), &ei,
                         rows[i].want, rows[i].field, NULL);
    }
    /* The caps: 200, 500, 64, 500 and 2000 bytes pass, one more does not. */
    const struct {
        int member;
        size_t cap;
        const char *field;
    } caps[] = {{0, 200, "vendor"}, {1, 500, "product"}, {2, 64, "version"}};
    for (size_t i = 0; i < RB_ARRAY_LEN(caps); i++)
        for (size_t extra = 0; extra <= 1; extra++) {
            struct inventory_input in = {"V", "P", NULL, NULL, NULL};
            const char **at[] = {&in.vendor, &in.product, &in.version};
            *at[caps[i].member] = longer(caps[i].cap + extra);
            rb_errinfo ei;
            rb_errinfo_clear(&ei);
            tu_check_refused("cap", i, inventory_check(&in, false, &ei), &ei, extra ? RB_EINVAL : 0,
                             caps[i].field, extra ? "bytes" : NULL);
        }
    char purl[2100] = "pkg:npm/";
    memset(purl + 8, 'a', 1992);
    purl[2000] = '\0';
    struct inventory_input in = {"V", "P", NULL, NULL, purl};
    rb_errinfo ei;
    rb_errinfo_clear(&ei);
    tu_check_refused("purl cap", 0, inventory_check(&in, false, &ei), &ei, 0, NULL, NULL);
    purl[2000] = 'a';
    purl[2001] = '\0';
    tu_check_refused("purl cap", 1, inventory_check(&in, false, &ei), &ei, RB_EINVAL, "purl",
                     "2000");
}

/* ---- the CSV reader ---- */

static int read_inventory(const char *text, void *ctx, rb_arena *a, struct tu_csv_got *got,
                          rb_errinfo *ei)
{
    RB_UNUSED(ctx);
    struct inventory_file f = {.nrows = 99};
    int rc = inventory_csv_read(text, strlen(text), a, &f, ei);
    *got = (struct tu_csv_got){f.nrows, f.nbad, f.nproblems, f.total, f.problems};
    return rc;
}

TU_TEST(test_csv_read)
{
    static const struct tu_csv_case rows[] = {
        {"the columns in order", "vendor,product,version,cpe,purl\r\nA,B,1,,\r\nC,D,,,\r\n", 0,
         NULL, 2, 0, NULL},
        {"any order, any case, optional columns left out", "Product,VENDOR\nB,A\n", 0, NULL, 1, 0,
         NULL},
        {"a header alone", "vendor,product\r\n", 0, NULL, 0, 0, NULL},
        {"a byte order mark", "\xef\xbb\xbfvendor,product\r\nA,B\r\n", 0, NULL, 1, 0, NULL},
        {"empty", "", RB_EINVAL, "line 1", 0, 0, "header"},
        {"an unknown column", "vendor,product,colour\r\nA,B,red\r\n", RB_EINVAL, "line 1, field 3",
         0, 0, "colour"},
        {"a column twice", "vendor,product,Vendor\r\nA,B,C\r\n", RB_EINVAL, "line 1, field 3", 0, 0,
         "twice"},
        {"no product column", "vendor,version\r\nA,1\r\n", RB_EINVAL, "line 1", 0, 0, "product"},
        {"not CSV", "vendor,product\r\nA,\"B\r\n", RB_EINVAL, "line 2, field 2", 0, 0, NULL},
        {"a short row", "vendor,product\r\nA\r\n", RB_EINVAL, "line 2", 0, 0, NULL},
        {"bad rows, each with its place", "product,vendor,cpe\r\nB,A,\r\n,A,\r\nB,A,cpe:x\r\n", 0,
         "3:1", 1, 2, "product"},
        {"a bad value names the column's field", "vendor,purl,product\r\nA,pkg:,B\r\n", 0, "2:2", 0,
         1, "purl"},
    };
    tu_check_csv_cases(rows, RB_ARRAY_LEN(rows), read_inventory, NULL);
}

/* 2,000 rows are read; 2,001 are refused as too many, naming the line. More bad rows than are
 * kept are all counted. */
TU_TEST(test_csv_caps)
{
    rb_buf b;
    rb_buf_init(&b, 1 << 20);
    rb_buf_adds(&b, "vendor,product\r\n");
    for (int i = 0; i < INVENTORY_MAX; i++)
        rb_buf_printf(&b, "V,P%d\r\n", i);
    rb_arena a;
    rb_arena_init(&a, 16 << 20);
    rb_errinfo ei;
    rb_errinfo_clear(&ei);
    struct inventory_file f;
    assert_int_equal(inventory_csv_read(b.ptr, b.len, &a, &f, &ei), 0);
    assert_int_equal(f.nrows, INVENTORY_MAX);
    rb_buf_adds(&b, "V,one more\r\n");
    assert_int_equal(inventory_csv_read(b.ptr, b.len, &a, &f, &ei), RB_ETOOBIG);
    assert_string_equal(ei.field, "line 2002");
    rb_buf_reset(&b);
    rb_buf_adds(&b, "vendor,product\r\n");
    for (int i = 0; i < 150; i++)
        rb_buf_adds(&b, "V,\r\n");
    assert_int_equal(inventory_csv_read(b.ptr, b.len, &a, &f, &ei), 0);
    assert_int_equal(f.nbad, 150);
    assert_int_equal(f.nproblems, INVENTORY_PROBLEMS_MAX);
    assert_int_equal(f.problems[INVENTORY_PROBLEMS_MAX - 1].line, INVENTORY_PROBLEMS_MAX + 1);
    rb_arena_release(&a);
    rb_buf_release(&b);
}

/* ---- on a database ---- */

/* Who reads and who writes the inventory of Punjab Health (PI2) and of Punjab Power CERT (PC). */
static void test_who(void **state)
{
    struct tu_fixture *f = *state;
    tu_std_tree(f);
    struct inventory_input item = {"Hitachi Energy", "RTU500 series CMU Firmware", "12.7.1", NULL,
                                   NULL};
    char id[RB_ID_SIZE];
    assert_int_equal(inventory_add(f->db, &f->sys, f->pi2, &item, id, &f->ei), 0);
    assert_int_equal(inventory_add(f->db, &f->sys, f->pc, &item, id, &f->ei), 0);
    const struct {
        const char *org; /* the reader's org (offset into the fixture) */
        const char *of;  /* whose inventory */
        enum rb_role role;
        int read, write;
    } rows[] = {
        {f->pi2, f->pi2, ROLE_REPORTER, 0, 0},
        {f->pi2, f->pi2, ROLE_ADMIN, 0, 0},
        {f->pi2, f->pi2, ROLE_ANALYST, 0, 0},
        {f->pi2, f->pi2, ROLE_VIEWER, 0, RB_EPERM},
        {f->pi2, f->pi2, ROLE_AUDITOR, 0, RB_EPERM},
        {f->p, f->pi2, ROLE_ANALYST, 0, RB_EPERM},                /* the parent CERT */
        {f->n, f->pi2, ROLE_ADMIN, 0, RB_EPERM},                  /* the National CERT */
        {f->pi1, f->pi2, ROLE_ADMIN, RB_ENOTFOUND, RB_ENOTFOUND}, /* a sibling */
        {f->s, f->pi2, ROLE_ADMIN, RB_ENOTFOUND, RB_ENOTFOUND},   /* another province */
        {f->si, f->pi2, ROLE_REPORTER, RB_ENOTFOUND, RB_ENOTFOUND},
        {f->pc, f->pi2, ROLE_ADMIN, RB_ENOTFOUND, RB_ENOTFOUND},
        {f->pci, f->pc, ROLE_REPORTER, RB_ENOTFOUND, RB_ENOTFOUND}, /* below the owner */
        {f->p, f->pc, ROLE_REPORTER, 0, RB_EPERM},
        {f->pc, f->pc, ROLE_REPORTER, 0, 0},
    };
    for (size_t i = 0; i < RB_ARRAY_LEN(rows); i++) {
        rb_actor a;
        tu_actor_at(f, &a, rows[i].role, rows[i].org);
        int64_t n = -1;
        int rc = inventory_count(f->db, &a, rows[i].of, &n);
        ROW_CHECK(rc == rows[i].read && (rc || n >= 1), "row %zu: read %d, want %d", i, rc,
                  rows[i].read);
        struct inventory_input mine = {"Vendor", "Product", NULL, NULL, NULL};
        char buf[16];
        rb_fmt(buf, sizeof(buf), "%zu", i);
        mine.version = buf;
        rb_errinfo_clear(&f->ei);
        rc = inventory_add(f->db, &a, rows[i].of, &mine, id, &f->ei);
        ROW_CHECK(rc == rows[i].write, "row %zu: write %d, want %d (%s)", i, rc, rows[i].write,
                  f->ei.msg);
    }
    int64_t n = 0;
    assert_int_equal(inventory_count(f->db, &f->sys, "00000000-0000-4000-8000-000000000000", &n),
                     RB_ENOTFOUND);
    assert_int_equal(inventory_count(f->db, &f->sys, "not an id", &n), RB_ENOTFOUND);
}

struct seen {
    int n;
    char last[400];
};

static int each_item(void *ctx, const char *org_id, const char *item_id, const char *vendor,
                     const char *product, const char *version, const char *cpe, const char *purl)
{
    struct seen *s = ctx;
    assert_true(rb_uuid_valid(org_id) && rb_uuid_valid(item_id));
    rb_fmt(s->last, sizeof(s->last), "%s|%s|%s|%s|%s", vendor, product, version, cpe ? cpe : "-",
           purl ? purl : "-");
    return ++s->n == 100 ? 42 : 0;
}

/* An import: duplicates against the inventory and inside the file, replace, the cap; then
 * inventory_each over one org and every org. */
static void test_import_and_each(void **state)
{
    struct tu_fixture *f = *state;
    tu_std_tree(f);
    struct inventory_input item = {"Fortinet", "FortiOS", "7.2.4", "cpe:/o:fortinet:fortios:7.2.4",
                                   NULL};
    char id[RB_ID_SIZE];
    assert_int_equal(inventory_add(f->db, &f->sys, f->pi1, &item, id, &f->ei), 0);
    assert_int_equal(inventory_add(f->db, &f->sys, f->pi1, &item, id, &f->ei), RB_ECONFLICT);
    const char *text = "vendor,product,version,purl\r\n"
                       "FORTINET,fortios,7.2.4,\r\n"
                       "Apache Software Foundation,Apache HTTP Server,2.4.57,pkg:generic/httpd\r\n"
                       "apache software foundation,apache http server,2.4.57,\r\n"
                       "Ivanti,Connect Secure,22.4R2.2,\r\n";
    struct inventory_file file;
    assert_int_equal(inventory_csv_read(text, strlen(text), &f->a, &file, &f->ei), 0);
    struct inventory_counts c;
    assert_int_equal(inventory_import(f->db, &f->sys, f->pi1, &file, false, NULL, NULL, &c, &f->ei),
                     0);
    assert_int_equal(c.rows, 4);
    assert_int_equal(c.added, 2);
    assert_int_equal(c.duplicates, 2);
    assert_int_equal(c.removed, 0);
    assert_int_equal(c.items, 3);
    assert_int_equal(inventory_import(f->db, &f->sys, f->pi2, &file, true, NULL, NULL, &c, &f->ei),
                     0);
    assert_int_equal(c.added, 3);
    assert_int_equal(inventory_import(f->db, &f->sys, f->pi1, &file, true, NULL, NULL, &c, &f->ei),
                     0);
    assert_int_equal(c.removed, 3);
    assert_int_equal(c.items, 3);
    /* A file with a bad row stores nothing and names it. */
    const char *bad = "vendor,product\r\nA,B\r\nC,\r\n";
    assert_int_equal(inventory_csv_read(bad, strlen(bad), &f->a, &file, &f->ei), 0);
    int64_t before =
        tu_scalar(f->db, "SELECT count(*) FROM audit_log WHERE action LIKE ?1", "inventory.%");
    assert_int_equal(inventory_import(f->db, &f->sys, f->pi1, &file, true, NULL, NULL, &c, &f->ei),
                     RB_EINVAL);
    assert_string_equal(f->ei.field, "line 3, field 2");
    assert_int_equal(
        tu_scalar(f->db, "SELECT count(*) FROM audit_log WHERE action LIKE ?1", "inventory.%"),
        before);
    int64_t n = 0;
    assert_int_equal(inventory_count(f->db, &f->sys, f->pi1, &n), 0);
    assert_int_equal(n, 3);

    struct seen s = {0, ""};
    assert_int_equal(inventory_each(f->db, f->pi1, each_item, &s), 0);
    assert_int_equal(s.n, 3);
    assert_string_equal(s.last, "Ivanti|Connect Secure|22.4R2.2|-|-");
    s.n = 0;
    assert_int_equal(inventory_each(f->db, NULL, each_item, &s), 0);
    assert_int_equal(s.n, 6);
    s.n = 0;
    assert_int_equal(inventory_each(f->db, f->si, each_item, &s), 0);
    assert_int_equal(s.n, 0);
    /* A callback's non-zero result stops the walk and is returned. */
    char big[64 * 1024] = "vendor,product\r\n";
    for (int i = 0; i < 200; i++)
        rb_fmt(big + strlen(big), sizeof(big) - strlen(big), "V,P%d\r\n", i);
    assert_int_equal(inventory_csv_read(big, strlen(big), &f->a, &file, &f->ei), 0);
    assert_int_equal(inventory_import(f->db, &f->sys, f->si, &file, true, NULL, NULL, &c, &f->ei),
                     0);
    s.n = 0;
    assert_int_equal(inventory_each(f->db, NULL, each_item, &s), 42);
    assert_int_equal(s.n, 100);
}

TU_MAIN({
    cmocka_unit_test(test_names),
    cmocka_unit_test(test_check),
    cmocka_unit_test(test_csv_read),
    cmocka_unit_test(test_csv_caps),
    TU_FIXTURE_TEST(test_who),
    TU_FIXTURE_TEST(test_import_and_each),
})
