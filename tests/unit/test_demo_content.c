/*
 * test_demo_content.c - core/demo_content: the demo's content files read into its tables. Every
 * member kind lands where its table says; every fault is refused naming its JSON path, and
 * nothing is handed out on a refusal.
 */
#include "base/common.h"
#include "base/mem.h"
#include "core/demo_content.h"

#include "test_util.h"

struct item {
    const char *slug;
    int n;
};

struct row {
    const char *title;
    int count;
    double hours;
    bool cii;
    int level; /* an enum of `levels` */
    const char *tags[3];
    struct item items[3];
    struct item lead; /* one nested object */
};

static const char *const levels[] = {"low", "medium", "high", NULL};

static const struct dc_member item_members[] = {
    DC_MEMBER(struct item, slug, DC_TEXT),
    DC_MEMBER_AS(struct item, n, "count", DC_INT),
};
static const struct dc_table item_table = DC_TABLE(struct item, item_members);
static const struct dc_member row_members[] = {
    DC_MEMBER(struct row, title, DC_TEXT),   DC_MEMBER(struct row, count, DC_INT),
    DC_MEMBER(struct row, hours, DC_DOUBLE), DC_MEMBER(struct row, cii, DC_BOOL),
    DC_ENUM(struct row, level, levels),      DC_MEMBER(struct row, tags, DC_TEXTS),
    DC_ROWS(struct row, items, &item_table), DC_ROW(struct row, lead, &item_table),
};
static const struct dc_table row_table = DC_TABLE(struct row, row_members);

static int read_text(const char *text, rb_arena *a, struct row **rows, int *n, rb_errinfo *ei)
{
    rb_errinfo_clear(ei);
    return dc_read((const unsigned char *)text, strlen(text), "test.json", &row_table, a, rows, n,
                   ei);
}

static void test_rows(void **state)
{
    (void)state;
    rb_arena a;
    rb_arena_init(&a, 1 << 20);
    rb_errinfo ei;
    struct row *rows = NULL;
    int n = -1;
    const char *text =
        "[{\"title\": \"Ransomware drill\", \"count\": 3, \"hours\": 1.5, \"cii\": true,"
        " \"level\": \"high\", \"tags\": [\"ir\", \"br\"],"
        " \"items\": [{\"slug\": \"kp-cert\", \"count\": 2}, {\"slug\": \"pb\"}],"
        " \"lead\": {\"slug\": \"ncert\", \"count\": 9}},"
        " {\"title\": \"Multi-line\\nprose\"}]";
    assert_int_equal(read_text(text, &a, &rows, &n, &ei), 0);
    assert_int_equal(n, 2);
    assert_string_equal(rows[0].title, "Ransomware drill");
    assert_int_equal(rows[0].count, 3);
    assert_true(rows[0].hours == 1.5);
    assert_true(rows[0].cii);
    assert_int_equal(rows[0].level, 2);
    assert_string_equal(rows[0].tags[0], "ir");
    assert_string_equal(rows[0].tags[1], "br");
    assert_null(rows[0].tags[2]); /* the zero item that ends the array */
    assert_string_equal(rows[0].items[0].slug, "kp-cert");
    assert_int_equal(rows[0].items[0].n, 2);
    assert_string_equal(rows[0].items[1].slug, "pb");
    assert_int_equal(rows[0].items[1].n, 0);
    assert_null(rows[0].items[2].slug);
    assert_string_equal(rows[0].lead.slug, "ncert");
    assert_int_equal(rows[0].lead.n, 9);
    /* Absent members are zero: NULL, 0, false, the first name. */
    assert_string_equal(rows[1].title, "Multi-line\nprose");
    assert_int_equal(rows[1].count, 0);
    assert_false(rows[1].cii);
    assert_int_equal(rows[1].level, 0);
    assert_null(rows[1].tags[0]);
    assert_null(rows[1].items[0].slug);
    assert_null(rows[1].lead.slug);
    /* An empty file is no rows. */
    assert_int_equal(read_text("[]", &a, &rows, &n, &ei), 0);
    assert_int_equal(n, 0);
    rb_arena_release(&a);
}

static void test_faults(void **state)
{
    (void)state;
    /* Each bad file, " => ", and what the refusal says after the file's name: "path: message" (its
     * start; "the file" when the fault is the whole file). */
    static const char *const cases[] = {
        "{} => the file: a content file is an array of objects",
        "[1] => [0]: must be an object",
        "not json => the file: ",
        "[{\"titel\": \"x\"}] => [0].titel: is no member of this table",
        "[{\"count\": 1, \"title\": \"x\", \"count\": 2}] => [0].count: appears twice",
        "[{\"title\": 7}] => [0].title: must be a string",
        "[{\"title\": \"a\\u0001b\"}] => [0].title: ",
        "[{\"count\": 1.5}] => [0].count: must be a whole number",
        "[{\"count\": \"3\"}] => [0].count: must be a whole number",
        "[{\"hours\": \"2\"}] => [0].hours: must be a number",
        "[{\"cii\": 1}] => [0].cii: must be true or false",
        "[{\"level\": \"severe\"}] => [0].level: must be one of the names (low, ...)",
        "[{\"tags\": \"ir\"}] => [0].tags: must be an array",
        "[{\"tags\": [\"a\", \"b\", \"c\"]}] => [0].tags: holds at most 2 items",
        "[{\"tags\": [\"a\", 2]}] => [0].tags[1]: must be a string",
        "[{}, {\"items\": [{\"slug\": \"a\"}, 3]}] => [1].items[1]: must be an object",
        "[{\"lead\": [{\"slug\": \"a\"}]}] => [0].lead: must be an object",
        "[{\"lead\": {\"slug\": 1}}] => [0].lead.slug: must be a string",
        "[{\"items\": [{\"slug\": \"a\", \"n\": 2}]}] => [0].items[0].n: is no member of this "
        "table",
    };
    for (size_t i = 0; i < RB_ARRAY_LEN(cases); i++) {
        rb_arena a;
        rb_arena_init(&a, 1 << 20);
        rb_errinfo ei;
        struct row *rows = (struct row *)&cases[i]; /* any pointer: it must stay */
        int n = -1;
        const char *want = strstr(cases[i], " => ");
        assert_non_null(want);
        char text[128];
        rb_fmt(text, sizeof(text), "%.*s", (int)(want - cases[i]), cases[i]);
        want += 4;
        int rc = read_text(text, &a, &rows, &n, &ei);
        ROW_CHECK(rc == RB_EINVAL, "case %zu: rc %d", i, rc);
        /* The message names the file and the path; the field is the path. */
        char said[RB_ERR_MSG_MAX];
        rb_fmt(said, sizeof(said), "test.json, %s", want);
        ROW_CHECK(strncmp(ei.msg, said, strlen(said)) == 0, "case %zu: %s", i, ei.msg);
        size_t path = strcspn(want, ":");
        ROW_CHECK(strncmp(want, "the file", 8) == 0
                      ? !ei.field[0]
                      : strlen(ei.field) == path && strncmp(ei.field, want, path) == 0,
                  "case %zu: field %s", i, ei.field);
        ROW_CHECK(rows == (struct row *)&cases[i] && n == -1, "case %zu: outputs set", i);
        rb_arena_release(&a);
    }
}

/* A table naming the wrong kind for a member fails its first read, not quietly. */
static void test_wrong_kind(void **state)
{
    (void)state;
    static const struct dc_member bad_members[] = {DC_MEMBER(struct row, hours, DC_INT)};
    static const struct dc_table bad = DC_TABLE(struct row, bad_members);
    rb_arena a;
    rb_arena_init(&a, 1 << 20);
    rb_errinfo ei;
    rb_errinfo_clear(&ei);
    struct row *rows = NULL;
    int n = 0;
    const char *text = "[{\"hours\": 2}]";
    assert_int_equal(
        dc_read((const unsigned char *)text, strlen(text), "test.json", &bad, &a, &rows, &n, &ei),
        RB_EINTERNAL);
    assert_string_equal(ei.field, "[0].hours");
    rb_arena_release(&a);
}

TU_MAIN({
    cmocka_unit_test(test_rows),
    cmocka_unit_test(test_faults),
    cmocka_unit_test(test_wrong_kind),
})
