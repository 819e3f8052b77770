/*
 * test_jdoc.c - src/json/jdoc: reading a document with paths. Every refusal must name the full
 * JSON path of the member at fault; every string handed out must have passed its field rule.
 */
#include "base/common.h"
#include "base/mem.h"
#include "base/utf8.h"
#include "json/jdoc.h"
#include "json/json.h"

#include "test_util.h"

/* A codec's field rules, as a codec would pass them. */
static const struct rjd_rule rules[] = {
    {"id", FIELD_ID},     {"ids", FIELD_ID},   {"title", FIELD_TITLE},
    {"name", FIELD_NAME}, {NULL, FIELD_PROSE},
};

/* The test document, with ' for ". */
static const char doc_text[] =
    "{'id':'ac-1','title':'Access control','prose':'line one\\nline two','num':7,'nul':null,"
    "'spaced':'a b','bad_title':'two\\nlines','name':'two\\nlines','comma':'a,b','brace':'{x}',"
    "'empty':'','obj':{'k':1},'arr':[1,2],'ids':['a','b','c'],'mixed':['a',2],"
    "'spaces':['a','b c'],'things':[{'id':'x'},{'id':'y'},{'id':'z'}],'holes':[{},3],"
    "'twice':1,'twice':2}";

struct fixture {
    cJSON *root; /* the document read, or NULL */
    rb_arena a;
    rb_errinfo ei;
    rj_doc d;
};

/* A reader with `r` (NULL: no table) on a fresh arena of `cap` bytes, before any document. */
static rj_doc *reader_init(struct fixture *f, size_t cap, const struct rjd_rule *r)
{
    f->root = NULL;
    rb_arena_init(&f->a, cap);
    rjd_init(&f->d, &f->a, r, FIELD_PROSE, &f->ei);
    return &f->d;
}

/* Parses the document and starts a read positioned at "doc.items[2]", so every path a getter
 * reports must carry that prefix. */
static void fixture_init(struct fixture *f)
{
    char *s = tu_dq_dup(doc_text);
    reader_init(f, 1 << 20, rules);
    assert_int_equal(rjd_parse(&f->d, s, strlen(s), 1 << 20, 16, &f->root), 0);
    rb_free(s);
    rjd_push(&f->d, "doc");
    rjd_push(&f->d, "items");
    rjd_push_index(&f->d, 2);
    assert_string_equal(f->d.path, "doc.items[2]");
}

static void fixture_release(struct fixture *f)
{
    cJSON_Delete(f->root);
    rb_arena_release(&f->a);
}

TU_TEST(test_path)
{
    struct fixture f;
    rj_doc *d = reader_init(&f, 4096, NULL);
    assert_string_equal(d->path, "");
    size_t m0 = rjd_push(d, "catalog");
    assert_string_equal(d->path, "catalog");
    size_t m1 = rjd_push(d, "groups");
    size_t m2 = rjd_push_index(d, 3);
    rjd_push(d, "id");
    assert_string_equal(d->path, "catalog.groups[3].id");
    rjd_pop(d, m2);
    assert_string_equal(d->path, "catalog.groups");
    rjd_push_index(d, -1);
    assert_string_equal(d->path, "catalog.groups[-1]");
    rjd_pop(d, m1);
    assert_string_equal(d->path, "catalog");
    rjd_pop(d, m0);
    assert_string_equal(d->path, "");
    assert_int_equal(d->len, 0);
    /* A path longer than the buffer is cut, never overrun, and pops back exactly. */
    size_t marks[100];
    for (int i = 0; i < 100; i++)
        marks[i] = rjd_push(d, "a-rather-long-member-name");
    assert_int_equal(d->len, RJD_PATH_MAX - 1);
    assert_int_equal(strlen(d->path), RJD_PATH_MAX - 1);
    rjd_pop(d, marks[1]);
    assert_string_equal(d->path, "a-rather-long-member-name");
    /* A mark past the end (from a cut push) leaves the path as it is. */
    rjd_pop(d, RJD_PATH_MAX + 5);
    assert_string_equal(d->path, "a-rather-long-member-name");
    /* An error reports the path, cut to the errinfo's field on a character boundary. */
    for (int i = 0; i < 10; i++)
        rjd_push(d, "\xd8\xb1\xd8\xa7\xd8\xa8\xd8\xb7\xd9\x87");
    assert_int_equal(rjd_err(d, RB_EINVAL, "x", "bad %d", 7), RB_EINVAL);
    assert_int_equal(f.ei.code, RB_EINVAL);
    assert_string_equal(f.ei.msg, "bad 7");
    assert_true(strlen(f.ei.field) < RB_ERR_FIELD_MAX);
    assert_true(rb_utf8_valid(f.ei.field, strlen(f.ei.field), NULL));
    assert_int_equal(strncmp(f.ei.field, "a-rather-long-member-name.\xd8\xb1", 28), 0);
    /* The path itself, cut short, ends on a character boundary too. */
    rjd_pop(d, 0);
    for (int i = 0; i < 40; i++)
        rjd_push(d, "\xd8\xb1\xd8\xa7");
    assert_true(d->len < RJD_PATH_MAX && d->len > RJD_PATH_MAX - 5);
    assert_int_equal(strlen(d->path), d->len);
    assert_true(rb_utf8_valid(d->path, d->len, NULL));
    fixture_release(&f);
}

TU_TEST(test_str)
{
    static const struct {
        const char *key;
        unsigned how;
        int rc;
        const char *want;  /* the copy on success; NULL: *out untouched */
        const char *field; /* on failure */
        const char *msg_has;
    } rows[] = {
        {"id", RJD_REQUIRED, 0, "ac-1", NULL, NULL},
        {"id", RJD_REQUIRED | RJD_TOKEN, 0, "ac-1", NULL, NULL},
        {"title", RJD_OPTIONAL, 0, "Access control", NULL, NULL},
        /* Members not in the table are prose: line breaks pass. */
        {"prose", RJD_OPTIONAL, 0, "line one\nline two", NULL, NULL},
        {"empty", RJD_OPTIONAL, 0, "", NULL, NULL},
        {"missing", RJD_OPTIONAL, 0, NULL, NULL, NULL},
        {"missing", RJD_TOKEN, 0, NULL, NULL, NULL},
        {"missing", RJD_REQUIRED, RB_EINVAL, NULL, "doc.items[2].missing",
         "missing required \"missing\""},
        {"num", RJD_OPTIONAL, RB_EINVAL, NULL, "doc.items[2].num", "\"num\" must be a string"},
        {"nul", RJD_OPTIONAL, RB_EINVAL, NULL, "doc.items[2].nul", "\"nul\" must be a string"},
        {"obj", RJD_REQUIRED, RB_EINVAL, NULL, "doc.items[2].obj", "must be a string"},
        /* The table's rules: "name" is one line; "spaced" is prose, but as a token refused. */
        {"name", RJD_OPTIONAL, RB_EINVAL, NULL, "doc.items[2].name",
         "\"name\" must not contain control characters (U+000A"},
        {"bad_title", RJD_OPTIONAL, 0, "two\nlines", NULL, NULL}, /* not in the table: prose */
        {"spaced", RJD_OPTIONAL, 0, "a b", NULL, NULL},
        {"spaced", RJD_TOKEN, RB_EINVAL, NULL, "doc.items[2].spaced",
         "\"spaced\" must be a non-empty token (no spaces, braces or commas)"},
        {"comma", RJD_TOKEN, RB_EINVAL, NULL, "doc.items[2].comma", "non-empty token"},
        {"brace", RJD_TOKEN, RB_EINVAL, NULL, "doc.items[2].brace", "non-empty token"},
        {"empty", RJD_REQUIRED | RJD_TOKEN, RB_EINVAL, NULL, "doc.items[2].empty",
         "non-empty token"},
    };
    struct fixture f;
    fixture_init(&f);
    for (size_t i = 0; i < RB_ARRAY_LEN(rows); i++) {
        const char *out = "untouched";
        rb_errinfo_clear(&f.ei);
        int rc = rjd_str(&f.d, f.root, rows[i].key, rows[i].how, &out);
        tu_check_refused(rows[i].key, i, rc, &f.ei, rows[i].rc, rows[i].field, rows[i].msg_has);
        ROW_CHECK(strcmp(f.d.path, "doc.items[2]") == 0, "row %zu: the path moved: %s", i,
                  f.d.path);
        if (rc == 0) {
            ROW_CHECK(strcmp(out, rows[i].want ? rows[i].want : "untouched") == 0,
                      "row %zu: \"%s\"", i, out);
            /* A copy in the arena, not the tree's string. */
            const cJSON *v = cJSON_GetObjectItemCaseSensitive(f.root, rows[i].key);
            ROW_CHECK(!rows[i].want || out != v->valuestring, "row %zu: not a copy", i);
        } else {
            ROW_CHECK(strcmp(out, "untouched") == 0, "row %zu: out written on failure", i);
        }
    }
    /* out NULL only checks. */
    assert_int_equal(rjd_str(&f.d, f.root, "id", RJD_REQUIRED, NULL), 0);
    fixture_release(&f);
}

/* The field rule comes from the codec's table, and the message names the member. */
TU_TEST(test_rules)
{
    static const struct {
        const char *key;
        const char *value;
        int rc;
        const char *msg_has;
    } rows[] = {
        {"id", "ac-1", 0, NULL},
        {"id", "a b", RB_EINVAL, "\"id\" must not contain spaces"},
        {"id", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", RB_EINVAL,
         "an id may be at most 64 bytes"},
        {"title", "one\nline", RB_EINVAL, "\"title\" must not contain control characters"},
        {"title", "tab\there", RB_EINVAL, "U+0009"},
        {"other", "tab\there\r\n", 0, NULL},
        {"other", "bell\a", RB_EINVAL, "U+0007"},
        {"name", "\xc2\x9b", RB_EINVAL, "U+009B"},
    };
    struct fixture f;
    rj_doc *d = reader_init(&f, 4096, rules);
    assert_int_equal(rjd_kind(d, "id"), FIELD_ID);
    assert_int_equal(rjd_kind(d, "title"), FIELD_TITLE);
    assert_int_equal(rjd_kind(d, "anything"), FIELD_PROSE);
    rjd_init(d, &f.a, NULL, FIELD_NOTE, &f.ei);
    assert_int_equal(rjd_kind(d, "id"), FIELD_NOTE);
    rjd_init(d, &f.a, rules, FIELD_PROSE, &f.ei);
    rjd_push(d, "top");
    for (size_t i = 0; i < RB_ARRAY_LEN(rows); i++) {
        rb_errinfo_clear(&f.ei);
        size_t mark = rjd_push(d, rows[i].key);
        int rc = rjd_check(d, rows[i].key, rows[i].value);
        char want[64];
        rb_fmt(want, sizeof(want), "top.%s", rows[i].key);
        tu_check_refused("rjd_check", i, rc, &f.ei, rows[i].rc, want, rows[i].msg_has);
        rjd_pop(d, mark);
    }
    fixture_release(&f);
}

TU_TEST(test_arr_obj_strs_unique)
{
    struct fixture f;
    fixture_init(&f);
    const cJSON *v = (const cJSON *)1;

    /* rjd_arr / rjd_obj: absent is NULL and 0; a wrong type names the member. */
    static const struct {
        bool arr;
        const char *key;
        bool required;
        int rc;
        bool found;
        const char *msg_has;
    } rows[] = {
        {true, "arr", false, 0, true, NULL},
        {true, "missing", false, 0, false, NULL},
        {true, "obj", false, RB_EINVAL, false, "\"obj\" must be an array"},
        {true, "id", false, RB_EINVAL, false, "must be an array"},
        {false, "obj", true, 0, true, NULL},
        {false, "missing", false, 0, false, NULL},
        {false, "missing", true, RB_EINVAL, false, "missing required \"missing\""},
        {false, "arr", false, RB_EINVAL, false, "\"arr\" must be an object"},
        {false, "nul", false, RB_EINVAL, false, "must be an object"},
    };
    for (size_t i = 0; i < RB_ARRAY_LEN(rows); i++) {
        v = (const cJSON *)1;
        rb_errinfo_clear(&f.ei);
        int rc = rows[i].arr ? rjd_arr(&f.d, f.root, rows[i].key, &v)
                             : rjd_obj(&f.d, f.root, rows[i].key, rows[i].required, &v);
        char want[64];
        rb_fmt(want, sizeof(want), "doc.items[2].%s", rows[i].key);
        tu_check_refused(rows[i].arr ? "rjd_arr" : "rjd_obj", i, rc, &f.ei, rows[i].rc, want,
                         rows[i].msg_has);
        ROW_CHECK((v != NULL) == rows[i].found, "row %zu: found %d", i, v != NULL);
    }

    /* rjd_strs: arena copies, each item checked by the member's rule; refusals name the item. */
    static const struct {
        const char *key;
        unsigned how;
        int rc;
        int n;
        const char *field;
        const char *msg_has;
    } srows[] = {
        {"ids", RJD_TOKEN, 0, 3, NULL, NULL},
        {"missing", RJD_OPTIONAL, 0, 0, NULL, NULL},
        {"missing", RJD_REQUIRED, RB_EINVAL, 0, "doc.items[2].missing", "missing required"},
        {"arr", RJD_OPTIONAL, RB_EINVAL, 0, "doc.items[2].arr[0]",
         "each item of \"arr\" must be a string"},
        {"mixed", RJD_OPTIONAL, RB_EINVAL, 0, "doc.items[2].mixed[1]", "must be a string"},
        {"spaces", RJD_OPTIONAL, 0, 2, NULL, NULL},
        {"spaces", RJD_TOKEN, RB_EINVAL, 0, "doc.items[2].spaces[1]",
         "each item of \"spaces\" must be a non-empty token"},
        {"obj", RJD_OPTIONAL, RB_EINVAL, 0, "doc.items[2].obj", "must be an array"},
    };
    for (size_t i = 0; i < RB_ARRAY_LEN(srows); i++) {
        const char **out = (const char **)1;
        int n = -1;
        rb_errinfo_clear(&f.ei);
        int rc = rjd_strs(&f.d, f.root, srows[i].key, srows[i].how, &out, &n);
        tu_check_refused("rjd_strs", i, rc, &f.ei, srows[i].rc, srows[i].field, srows[i].msg_has);
        ROW_CHECK(n == srows[i].n, "row %zu: n %d", i, n);
        ROW_CHECK(strcmp(f.d.path, "doc.items[2]") == 0, "row %zu: the path moved", i);
        if (rc || n == 0)
            ROW_CHECK(out == NULL, "row %zu: out not cleared", i);
    }
    const char **ids = NULL;
    int n = 0;
    assert_int_equal(rjd_strs(&f.d, f.root, "ids", RJD_TOKEN, &ids, &n), 0);
    assert_int_equal(n, 3);
    assert_string_equal(ids[0], "a");
    assert_string_equal(ids[2], "c");

    /* rjd_unique */
    static const char *const once[] = {"id", "title", "missing", NULL};
    static const char *const dup[] = {"id", "twice", NULL};
    assert_int_equal(rjd_unique(&f.d, f.root, once), 0);
    assert_int_equal(rjd_unique(&f.d, f.root, dup), RB_EINVAL);
    assert_string_equal(f.ei.field, "doc.items[2].twice");
    assert_string_equal(f.ei.msg, "\"twice\" appears twice");
    fixture_release(&f);
}

/* An item callback that records the path it was called at and fails on the item with id "y"
 * when told to. */
struct seen {
    int calls;
    char paths[4][64];
    bool fail_on_y;
};

static int see_item(rj_doc *d, cJSON *item, int i, void *arg)
{
    struct seen *s = arg;
    if (s->calls < 4)
        rb_strlcpy(s->paths[s->calls], d->path, sizeof(s->paths[0]));
    s->calls++;
    const char *id = NULL;
    int rc = rjd_str(d, item, "id", RJD_REQUIRED | RJD_TOKEN, &id);
    if (!rc && s->fail_on_y && strcmp(id, "y") == 0)
        return rjd_err(d, RB_ECONFLICT, "id", "item %d refused", i);
    return rc;
}

TU_TEST(test_each)
{
    static const struct {
        const char *key;
        bool fail_on_y;
        int rc;
        int calls;
        const char *field;
        const char *msg_has;
    } rows[] = {
        {"things", false, 0, 3, NULL, NULL},
        {"missing", false, 0, 0, NULL, NULL},
        {"things", true, RB_ECONFLICT, 2, "doc.items[2].things[1].id", "item 1 refused"},
        {"holes", false, RB_EINVAL, 1, "doc.items[2].holes[0].id", "missing required \"id\""},
        {"arr", false, RB_EINVAL, 0, "doc.items[2].arr[0]",
         "each item of \"arr\" must be an object"},
        {"obj", false, RB_EINVAL, 0, "doc.items[2].obj", "\"obj\" must be an array"},
    };
    struct fixture f;
    fixture_init(&f);
    for (size_t i = 0; i < RB_ARRAY_LEN(rows); i++) {
        struct seen s = {0};
        s.fail_on_y = rows[i].fail_on_y;
        rb_errinfo_clear(&f.ei);
        int rc = rjd_each(&f.d, f.root, rows[i].key, see_item, &s);
        tu_check_refused("rjd_each", i, rc, &f.ei, rows[i].rc, rows[i].field, rows[i].msg_has);
        ROW_CHECK(s.calls == rows[i].calls, "row %zu: %d calls", i, s.calls);
        ROW_CHECK(strcmp(f.d.path, "doc.items[2]") == 0, "row %zu: the path moved: %s", i,
                  f.d.path);
        if (rows[i].calls == 3) {
            assert_string_equal(s.paths[0], "doc.items[2].things[0]");
            assert_string_equal(s.paths[2], "doc.items[2].things[2]");
        }
    }
    /* rjd_each_in: an array taken out of its object, named by the caller. */
    cJSON *things = cJSON_DetachItemFromObjectCaseSensitive(f.root, "things");
    struct seen s = {0};
    assert_int_equal(rjd_each_in(&f.d, things, "kids", see_item, &s), 0);
    assert_int_equal(s.calls, 3);
    assert_string_equal(s.paths[1], "doc.items[2].kids[1]");
    assert_int_equal(rjd_each_in(&f.d, NULL, "kids", see_item, &s), 0);
    assert_int_equal(s.calls, 3);
    cJSON *num = cJSON_CreateNumber(1);
    assert_int_equal(rjd_each_in(&f.d, num, "kids", see_item, &s), RB_EINVAL);
    assert_string_equal(f.ei.field, "doc.items[2].kids");
    assert_string_equal(f.ei.msg, "\"kids\" must be an array");
    cJSON_Delete(num);
    cJSON_Delete(things);
    fixture_release(&f);
}

static bool blob_value(const char *parent, const char *key)
{
    return parent && strcmp(parent, "blob") == 0 && strcmp(key, "value") == 0;
}

TU_TEST(test_check_tree)
{
    static const struct {
        const char *text; /* ' for " */
        bool exempt;
        int rc;
        const char *field;
        const char *msg_has;
    } rows[] = {
        {"{'a':'x','b':[{'c':'tab\\tand\\nlines'}],'n':1,'t':true,'z':null}", false, 0, NULL, NULL},
        {"{'a':'x','b':[{'c':'ok'},{'c':'bell\\u0007'}]}", false, RB_EINVAL, "top.b[1].c",
         "\"c\" must not contain control characters (U+0007"},
        {"{'a':['ok','esc\\u001b']}", false, RB_EINVAL, "top.a[1]", "\"item\" must not contain"},
        {"{'a':{'bad\\u0001name':1}}", false, RB_EINVAL, "top.a.bad\001name",
         "\"member name\" must not contain control characters"},
        /* Member names obey the `names` rule (here a title: at most 500 bytes). */
        {"{'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
         "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
         "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
         "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
         "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
         "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx':"
         "1}",
         false, RB_EINVAL, NULL, "a title may be at most 500 bytes"},
        /* The exempt callback sees the holding member's name: blob.value is let through, the
         * same member elsewhere is not. */
        {"{'blob':{'value':'\\u0001\\u0002'}}", true, 0, NULL, NULL},
        {"{'blob':{'value':'\\u0001\\u0002'}}", false, RB_EINVAL, "top.blob.value", "U+0001"},
        {"{'other':{'value':'\\u0001'}}", true, RB_EINVAL, "top.other.value", "U+0001"},
        {"{'blob':[{'value':'\\u0001'}]}", true, RB_EINVAL, "top.blob[0].value", "U+0001"},
        {"{'blob':{'note':'\\u0001'}}", true, RB_EINVAL, "top.blob.note", "U+0001"},
    };
    for (size_t i = 0; i < RB_ARRAY_LEN(rows); i++) {
        char *s = tu_dq_dup(rows[i].text);
        struct fixture f;
        rj_doc *d = reader_init(&f, 4096, rules);
        int rc = rjd_parse(d, s, strlen(s), 1 << 16, 16, &f.root);
        ROW_CHECK(rc == 0, "row %zu: parse %d %s", i, rc, f.ei.msg);
        rjd_push(d, "top");
        rc = rjd_check_tree(d, f.root, FIELD_TITLE, FIELD_NOTE, rows[i].exempt ? blob_value : NULL);
        tu_check_refused("rjd_check_tree", i, rc, &f.ei, rows[i].rc, rows[i].field,
                         rows[i].msg_has);
        ROW_CHECK(strcmp(d->path, "top") == 0, "row %zu: the path moved: %s", i, d->path);
        fixture_release(&f);
        rb_free(s);
    }
    /* The `strings` rule applies: FIELD_NOTE caps at 4000 bytes. */
    char big[4100 + 16];
    size_t n = (size_t)snprintf(big, sizeof(big), "{\"a\":\"");
    memset(big + n, 'x', 4001);
    n += 4001;
    n += (size_t)snprintf(big + n, sizeof(big) - n, "\"}");
    struct fixture f;
    rj_doc *d = reader_init(&f, 4096, rules);
    assert_int_equal(rjd_parse(d, big, n, 1 << 16, 16, &f.root), 0);
    assert_int_equal(rjd_check_tree(d, f.root, FIELD_TITLE, FIELD_NOTE, NULL), RB_EINVAL);
    assert_string_equal(f.ei.field, "a");
    assert_non_null(strstr(f.ei.msg, "a note may be at most 4000 bytes"));
    fixture_release(&f);
}

TU_TEST(test_parse)
{
    static const struct {
        const char *text; /* NULL: no text */
        size_t max;
        int depth;
        int rc;
        const char *msg_has;
    } rows[] = {
        {"{\"a\":[1]}", 64, 4, 0, NULL},
        {NULL, 64, 4, RB_EINVAL, "no document"},
        {"{\"a\":[1]}", 8, 4, RB_ETOOBIG, "the document is larger than 8 bytes"},
        {"{\"a\":[1]}", 9, 4, 0, NULL},
        {"{\"a\":[1]", 64, 4, RB_EINVAL, "malformed JSON"},
        {"{\"a\":[[[[1]]]]}", 64, 4, RB_EINVAL, "nests deeper than 4"},
        {"[\"\xff\"]", 64, 4, RB_EINVAL, "not valid UTF-8"},
    };
    for (size_t i = 0; i < RB_ARRAY_LEN(rows); i++) {
        struct fixture f;
        rj_doc *d = reader_init(&f, 4096, NULL);
        f.root = (cJSON *)1; /* must be overwritten */
        const char *t = rows[i].text;
        int rc = rjd_parse(d, t, t ? strlen(t) : 0, rows[i].max, rows[i].depth, &f.root);
        tu_check_refused("rjd_parse", i, rc, &f.ei, rows[i].rc, "", rows[i].msg_has);
        if (rc) {
            ROW_CHECK(f.root == NULL, "row %zu: root", i);
        } else {
            ROW_CHECK(cJSON_IsObject(f.root), "row %zu: root", i);
        }
        fixture_release(&f);
    }
}

/* The arena: copies, counts that overflow, a cap that is reached (RB_ETOOBIG naming the cap),
 * memory that runs out (RB_ENOMEM). */
TU_TEST(test_arena)
{
    struct fixture f;
    rj_doc *d = reader_init(&f, 1024, NULL);
    rjd_push(d, "catalog");

    int *v = (int *)1;
    assert_int_equal(rjd_alloc(d, 0, sizeof(*v), &v), 0);
    assert_null(v);
    assert_int_equal(rjd_alloc(d, 4, sizeof(*v), &v), 0);
    assert_non_null(v);
    assert_int_equal(v[0] | v[1] | v[2] | v[3], 0);
    assert_int_equal(rjd_alloc(d, SIZE_MAX / 2, 4, &v), RB_ETOOBIG);
    assert_null(v);
    assert_string_equal(f.ei.field, "catalog");
    assert_string_equal(f.ei.msg, "too many items");
    assert_int_equal(rjd_alloc(d, 2048, 1, &v), RB_ETOOBIG);
    assert_string_equal(f.ei.msg, "the document needs more than the 1024 bytes allowed");

    const char *s = NULL;
    assert_int_equal(rjd_strdup(d, "hello", &s), 0);
    assert_string_equal(s, "hello");
    assert_int_equal(rjd_strndup(d, "hello", 2, &s), 0);
    assert_string_equal(s, "he");

    cJSON *node = cJSON_Parse("{ \"a\" : [1, \"b\"] }");
    assert_non_null(node);
    assert_int_equal(rjd_copy(d, node, &s), 0);
    assert_string_equal(s, "{\"a\":[1,\"b\"]}");

    /* Memory that runs out is RB_ENOMEM, and the output is left as it was. */
    s = "kept";
    rb_mem_fail_after(0);
    int rc = rjd_copy(d, node, &s);
    rb_mem_fail_after(-1);
    assert_int_equal(rc, RB_ENOMEM);
    assert_string_equal(s, "kept");
    assert_string_equal(f.ei.msg, "out of memory");
    rb_mem_fail_after(0);
    rc = rjd_strdup(d, "a string longer than what the current chunk holds, surely?", &s);
    rb_mem_fail_after(-1);
    ROW_CHECK(rc == 0 || rc == RB_ENOMEM, "strdup under failure: %d", rc);
    cJSON_Delete(node);
    fixture_release(&f);
}

TU_MAIN({
    cmocka_unit_test(test_path),
    cmocka_unit_test(test_str),
    cmocka_unit_test(test_rules),
    cmocka_unit_test(test_arr_obj_strs_unique),
    cmocka_unit_test(test_each),
    cmocka_unit_test(test_check_tree),
    cmocka_unit_test(test_parse),
    cmocka_unit_test(test_arena),
})
