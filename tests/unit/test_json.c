/*
 * test_json.c - src/json: the checked parser, the typed getters and the writer.
 */
#include "base/common.h"
#include "base/buf.h"
#include "base/mem.h"
#include "json/json.h"

#include <math.h>

#include "test_util.h"

/* Parses a NUL-terminated text; returns the rj_parse code. */
static int parse(const char *s, cJSON **out, rb_errinfo *ei)
{
    return rj_parse(s, strlen(s), RJ_DEFAULT_MAX_DEPTH, out, ei);
}

static const char *const parse_names[] = {"RJ_OK", "RJ_BAD_UTF8", "RJ_TOO_DEEP", "RJ_MALFORMED"};

TU_TEST(test_parse_table)
{
    static const struct {
        const char *text;
        size_t len; /* 0: strlen */
        int rc;
        const char *msg_has; /* a substring of ei.msg on failure, or NULL */
    } rows[] = {
        /* Accepted. */
        {"{}", 0, RJ_OK, NULL},
        {" \t\r\n[1] \n\t\r ", 0, RJ_OK, NULL},
        {"null", 0, RJ_OK, NULL},
        {"\"s\"", 0, RJ_OK, NULL},
        {"-0", 0, RJ_OK, NULL},
        {"1.5e3", 0, RJ_OK, NULL},
        {"{\"a\":[{}],\"b\":{\"c\":null}}", 0, RJ_OK, NULL},
        {"[\"\\u00e9\\ud83d\\ude00\"]", 0, RJ_OK, NULL},
        {"[\"\xc3\xa9\xf0\x9f\x98\x80\"]", 0, RJ_OK, NULL},
        /* Malformed. */
        {"", 0, RJ_MALFORMED, "malformed"},
        {"   ", 0, RJ_MALFORMED, "malformed"},
        {"{", 0, RJ_MALFORMED, "malformed"},
        {"[1,]", 0, RJ_MALFORMED, "offset 3"},
        {"[1,,2]", 0, RJ_MALFORMED, "malformed"},
        {"{\"a\":}", 0, RJ_MALFORMED, "malformed"},
        {"{\"a\":1,}", 0, RJ_MALFORMED, "malformed"},
        {"{\"a\" 1}", 0, RJ_MALFORMED, "malformed"},
        {"{,}", 0, RJ_MALFORMED, "malformed"},
        {"{1:2}", 0, RJ_MALFORMED, "malformed"},
        {"[1 2]", 0, RJ_MALFORMED, "malformed"},
        {"[}", 0, RJ_MALFORMED, "malformed"},
        {"nul", 0, RJ_MALFORMED, "malformed"},
        {"tru", 0, RJ_MALFORMED, "malformed"},
        {"'a'", 0, RJ_MALFORMED, "malformed"},
        {"NaN", 0, RJ_MALFORMED, "malformed"},
        {"Infinity", 0, RJ_MALFORMED, "malformed"},
        {"+1", 0, RJ_MALFORMED, "malformed"},
        {".5", 0, RJ_MALFORMED, "malformed"},
        {"\"abc", 0, RJ_MALFORMED, "malformed"},
        {"\"\\x\"", 0, RJ_MALFORMED, "malformed"},
        {"\"\\u00\"", 0, RJ_MALFORMED, "malformed"},
        {"\"\\ud800\"", 0, RJ_MALFORMED, "malformed"},
        {"\"\\udc00\"", 0, RJ_MALFORMED, "malformed"},
        /* Trailing garbage after a complete value. */
        {"{} x", 0, RJ_MALFORMED, "offset 3"},
        {"{}{}", 0, RJ_MALFORMED, "after the value"},
        {"[]]", 0, RJ_MALFORMED, "after the value"},
        {"1 2", 0, RJ_MALFORMED, "after the value"},
        {"0x10", 0, RJ_MALFORMED, "after the value"},
        {"\"a\"\"b\"", 0, RJ_MALFORMED, "after the value"},
        /* Invalid UTF-8, anywhere, is refused before parsing. */
        {"[\"\xff\"]", 0, RJ_BAD_UTF8, "offset 2"},
        {"{\"a\xc0\xaf\":1}", 0, RJ_BAD_UTF8, "UTF-8"},
        {"[\"\xed\xa0\x80\"]", 0, RJ_BAD_UTF8, "UTF-8"},
        {"[\"\xf4\x90\x80\x80\"]", 0, RJ_BAD_UTF8, "UTF-8"},
        {"[\"\xe2\x82\"]", 0, RJ_BAD_UTF8, "UTF-8"},
        {"{}\xc3", 0, RJ_BAD_UTF8, "offset 2"},
        {"{}\0", 3, RJ_BAD_UTF8, "offset 2"}, /* NUL bytes are refused */
        {"[\"a\0b\"]", 7, RJ_BAD_UTF8, "offset 3"},
    };
    for (size_t i = 0; i < RB_ARRAY_LEN(rows); i++) {
        cJSON *root = (cJSON *)1;
        rb_errinfo ei;
        rb_errinfo_clear(&ei);
        size_t len = rows[i].len ? rows[i].len : strlen(rows[i].text);
        int rc = rj_parse(rows[i].text, len, RJ_DEFAULT_MAX_DEPTH, &root, &ei);
        ROW_CHECK(rc == rows[i].rc, "row %zu \"%s\": %s, expected %s (%s)", i, rows[i].text,
                  parse_names[rc], parse_names[rows[i].rc], ei.msg);
        if (rc == RJ_OK) {
            ROW_CHECK(root != NULL, "row %zu: no tree", i);
            cJSON_Delete(root);
        } else {
            ROW_CHECK(root == NULL, "row %zu: *out not NULL on failure", i);
            ROW_CHECK(ei.code == RB_EINVAL, "row %zu: ei.code %d", i, ei.code);
            ROW_CHECK(strcmp(ei.field, "") == 0, "row %zu: field %s", i, ei.field);
            ROW_CHECK(strstr(ei.msg, rows[i].msg_has) != NULL, "row %zu: msg \"%s\" lacks \"%s\"",
                      i, ei.msg, rows[i].msg_has);
        }
    }
    /* A NULL errinfo is allowed. */
    cJSON *root = NULL;
    assert_int_equal(rj_parse("[", 1, 32, &root, NULL), RJ_MALFORMED);
    assert_null(root);
}

/* n nested arrays (or objects when obj) around a 1, optionally with a string full of brackets in
 * the innermost level. */
static char *nested(int n, bool obj, const char *inner)
{
    rb_buf b;
    rb_buf_init(&b, 1 << 16);
    for (int i = 0; i < n; i++)
        rb_buf_adds(&b, obj ? "{\"k\":" : "[");
    rb_buf_adds(&b, inner ? inner : "1");
    for (int i = 0; i < n; i++)
        rb_buf_addc(&b, obj ? '}' : ']');
    assert_int_equal(b.err, 0);
    return rb_buf_detach(&b, NULL);
}

TU_TEST(test_parse_depth)
{
    static const struct {
        int levels;
        bool obj;
        const char *inner;
        int max_depth;
        int rc;
    } rows[] = {
        {32, false, NULL, RJ_DEFAULT_MAX_DEPTH, RJ_OK},
        {33, false, NULL, RJ_DEFAULT_MAX_DEPTH, RJ_TOO_DEEP},
        {32, true, NULL, RJ_DEFAULT_MAX_DEPTH, RJ_OK},
        {33, true, NULL, RJ_DEFAULT_MAX_DEPTH, RJ_TOO_DEEP},
        {1000, false, NULL, RJ_DEFAULT_MAX_DEPTH, RJ_TOO_DEEP},
        {2, false, NULL, 2, RJ_OK},
        {3, false, NULL, 2, RJ_TOO_DEEP},
        /* Brackets inside strings do not count, escaped quotes do not end the string. */
        {1, false, "\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"", 2, RJ_OK},
        {1, false, "\"\\\"{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{\"", 2, RJ_OK},
        {1, false, "\"\\\\\",[[1]]", 2, RJ_TOO_DEEP}, /* "\\" ends the string: the [[ count */
        {32, false, "\"]]]]]]]]]]]]]]]]]]]]\",[[1]]", RJ_DEFAULT_MAX_DEPTH, RJ_TOO_DEEP},
        {31, false, "\"]]]]]]]]]]]]]]]]]]]]\",[1]", RJ_DEFAULT_MAX_DEPTH, RJ_OK},
    };
    for (size_t i = 0; i < RB_ARRAY_LEN(rows); i++) {
        char *text = nested(rows[i].levels, rows[i].obj, rows[i].inner);
        cJSON *root = NULL;
        rb_errinfo ei;
        rb_errinfo_clear(&ei);
        int rc = rj_parse(text, strlen(text), rows[i].max_depth, &root, &ei);
        ROW_CHECK(rc == rows[i].rc, "row %zu (%d levels): %s, expected %s (%s)", i, rows[i].levels,
                  parse_names[rc], parse_names[rows[i].rc], ei.msg);
        if (rc == RJ_TOO_DEEP)
            ROW_CHECK(strstr(ei.msg, "deeper") != NULL && root == NULL, "row %zu: msg %s", i,
                      ei.msg);
        cJSON_Delete(root);
        rb_free(text);
    }
}

TU_TEST(test_only)
{
    static const char *const allowed[] = {"name", "kind", "parent_id", NULL};
    static const struct {
        const char *text;
        int rc;
        const char *field;
        const char *msg_has;
    } rows[] = {
        {"{}", 0, NULL, NULL},
        {"{\"name\":\"x\"}", 0, NULL, NULL},
        {"{\"name\":\"x\",\"kind\":null,\"parent_id\":1}", 0, NULL, NULL},
        {"{\"name\":\"x\",\"extra\":2}", RB_ENOTFOUND, "extra", "unknown field \"extra\""},
        {"{\"Name\":\"x\"}", RB_ENOTFOUND, "Name", "unknown"},
        {"{\"\":1}", RB_ENOTFOUND, "", "unknown"},
        {"{\"name\":1,\"kind\":2,\"name\":3}", RB_EINVAL, "name", "twice"},
        {"{\"kind\":1,\"kind\":1}", RB_EINVAL, "kind", "twice"},
        {"{\"bogus\":1,\"bogus\":1}", RB_ENOTFOUND, "bogus", "unknown"},
        {"[1]", RB_EINVAL, "", "object"},
        {"\"name\"", RB_EINVAL, "", "object"},
        {"null", RB_EINVAL, "", "object"},
    };
    for (size_t i = 0; i < RB_ARRAY_LEN(rows); i++) {
        cJSON *root = NULL;
        rb_errinfo ei;
        rb_errinfo_clear(&ei);
        assert_int_equal(parse(rows[i].text, &root, &ei), RJ_OK);
        rb_errinfo_clear(&ei);
        int rc = rj_only(root, allowed, &ei);
        tu_check_refused(rows[i].text, i, rc, &ei, rows[i].rc, rows[i].field, rows[i].msg_has);
        cJSON_Delete(root);
    }
}

static const char getter_doc[] =
    "{\"s\":\"hello\",\"empty\":\"\",\"n\":42,\"neg\":-7,\"f\":1.5,\"big\":1e300,\"t\":true,"
    "\"fa\":false,\"nul\":null,\"arr\":[1],\"o\":{},\"en\":\"amber\",\"utf\":\"\xd8\xb1\xd8\xa7\","
    "\"max\":9007199254740992,\"zero\":0,\"minus0\":-0.0,\"exp\":2e2}";

TU_TEST(test_getters)
{
    cJSON *d = NULL;
    rb_errinfo ei;
    assert_int_equal(parse(getter_doc, &d, &ei), RJ_OK);

    /* rj_str */
    static const struct {
        const char *key;
        bool required;
        size_t max;
        int rc;
        const char *want; /* value on success; NULL: left untouched */
        const char *msg_has;
    } srows[] = {
        {"s", true, 10, 0, "hello", NULL},
        {"s", true, 5, 0, "hello", NULL},
        {"s", true, 4, RB_EINVAL, NULL, "longer than 4"},
        {"empty", true, 0, 0, "", NULL},
        {"utf", true, 4, 0, "\xd8\xb1\xd8\xa7", NULL}, /* the bound is in bytes */
        {"utf", true, 3, RB_EINVAL, NULL, "longer"},
        {"missing", true, 10, RB_EINVAL, NULL, "\"missing\" is required"},
        {"missing", false, 10, 0, NULL, NULL},
        {"nul", true, 10, RB_EINVAL, NULL, "required"}, /* null counts as absent */
        {"nul", false, 10, 0, NULL, NULL},
        {"n", true, 10, RB_EINVAL, NULL, "must be a string"},
        {"t", false, 10, RB_EINVAL, NULL, "must be a string"},
        {"arr", true, 10, RB_EINVAL, NULL, "must be a string"},
        {"o", true, 10, RB_EINVAL, NULL, "must be a string"},
    };
    for (size_t i = 0; i < RB_ARRAY_LEN(srows); i++) {
        const char *out = "untouched";
        rb_errinfo_clear(&ei);
        int rc = rj_str(d, srows[i].key, srows[i].required, srows[i].max, &out, &ei);
        tu_check_refused("rj_str", i, rc, &ei, srows[i].rc, srows[i].key, srows[i].msg_has);
        if (rc == 0)
            ROW_CHECK(strcmp(out, srows[i].want ? srows[i].want : "untouched") == 0,
                      "rj_str row %zu: \"%s\"", i, out);
    }

    /* rj_int */
    static const struct {
        const char *key;
        bool required;
        int64_t min, max;
        int rc;
        int64_t want; /* on success; 777 = untouched */
        const char *msg_has;
    } irows[] = {
        {"n", true, 0, 100, 0, 42, NULL},
        {"n", true, 42, 42, 0, 42, NULL},
        {"n", true, 0, 41, RB_EINVAL, 0, "between 0 and 41"},
        {"n", true, 43, 100, RB_EINVAL, 0, "between 43 and 100"},
        {"neg", true, -10, 0, 0, -7, NULL},
        {"neg", true, 0, 10, RB_EINVAL, 0, "between"},
        {"zero", true, 0, 0, 0, 0, NULL},
        {"minus0", true, 0, 0, 0, 0, NULL},
        {"exp", true, 0, 1000, 0, 200, NULL},
        {"max", true, 0, INT64_C(9007199254740992), 0, INT64_C(9007199254740992), NULL},
        {"f", true, 0, 10, RB_EINVAL, 0, "must be an integer"},
        {"big", true, INT64_MIN, INT64_MAX, RB_EINVAL, 0, "between"},
        {"s", true, 0, 10, RB_EINVAL, 0, "must be an integer"},
        {"t", true, 0, 10, RB_EINVAL, 0, "must be an integer"},
        {"arr", true, 0, 10, RB_EINVAL, 0, "must be an integer"},
        {"missing", true, 0, 10, RB_EINVAL, 0, "required"},
        {"missing", false, 0, 10, 0, 777, NULL},
        {"nul", false, 0, 10, 0, 777, NULL},
    };
    for (size_t i = 0; i < RB_ARRAY_LEN(irows); i++) {
        int64_t out = 777;
        rb_errinfo_clear(&ei);
        int rc = rj_int(d, irows[i].key, irows[i].required, irows[i].min, irows[i].max, &out, &ei);
        tu_check_refused("rj_int", i, rc, &ei, irows[i].rc, irows[i].key, irows[i].msg_has);
        ROW_CHECK(out == (rc ? 777 : irows[i].want), "rj_int row %zu: %" PRId64, i, out);
    }

    /* rj_bool */
    static const struct {
        const char *key;
        bool required;
        int rc;
        int want; /* 0, 1, or 7 = untouched */
    } brows[] = {
        {"t", true, 0, 1},          {"fa", true, 0, 0},
        {"missing", false, 0, 7},   {"missing", true, RB_EINVAL, 7},
        {"nul", false, 0, 7},       {"n", true, RB_EINVAL, 7},
        {"s", false, RB_EINVAL, 7}, {"zero", true, RB_EINVAL, 7},
    };
    for (size_t i = 0; i < RB_ARRAY_LEN(brows); i++) {
        bool out = false;
        int marker = 7;
        rb_errinfo_clear(&ei);
        int rc = rj_bool(d, brows[i].key, brows[i].required, &out, &ei);
        if (rc == 0 && rj_has(d, brows[i].key))
            marker = out ? 1 : 0;
        tu_check_refused("rj_bool", i, rc, &ei, brows[i].rc, brows[i].key, NULL);
        ROW_CHECK(marker == brows[i].want, "rj_bool row %zu (%s): %d", i, brows[i].key, marker);
    }

    /* rj_enum: the message lists the values. */
    static const char *const tlps[] = {"clear", "green", "amber", "amber+strict", "red", NULL};
    int e = -1;
    assert_int_equal(rj_enum(d, "en", true, tlps, &e, &ei), 0);
    assert_int_equal(e, 2);
    rb_errinfo_clear(&ei);
    assert_int_equal(rj_enum(d, "s", true, tlps, &e, &ei), RB_EINVAL);
    assert_string_equal(ei.field, "s");
    assert_string_equal(ei.msg, "\"s\" must be one of: clear, green, amber, amber+strict, red");
    assert_int_equal(e, 2);
    assert_int_equal(rj_enum(d, "n", true, tlps, &e, &ei), RB_EINVAL);
    assert_non_null(strstr(ei.msg, "must be a string"));
    e = -1;
    assert_int_equal(rj_enum(d, "missing", false, tlps, &e, &ei), 0);
    assert_int_equal(e, -1);
    assert_int_equal(rj_enum(d, "missing", true, tlps, &e, &ei), RB_EINVAL);
    assert_string_equal(ei.field, "missing");
    /* A long list of values is cut short in the message, never overrun. */
    static const char *const many[] = {"value-number-00",
                                       "value-number-01",
                                       "value-number-02",
                                       "value-number-03",
                                       "value-number-04",
                                       "value-number-05",
                                       "value-number-06",
                                       "value-number-07",
                                       "value-number-08",
                                       "value-number-09",
                                       "value-number-10",
                                       "value-number-11",
                                       "value-number-12",
                                       "value-number-13",
                                       "value-number-14",
                                       "value-number-15",
                                       NULL};
    assert_int_equal(rj_enum(d, "s", true, many, &e, &ei), RB_EINVAL);
    assert_non_null(strstr(ei.msg, "value-number-00, value-number-01"));
    assert_true(strlen(ei.msg) < RB_ERR_MSG_MAX);

    /* rj_has */
    assert_true(rj_has(d, "s"));
    assert_true(rj_has(d, "fa"));
    assert_false(rj_has(d, "nul"));
    assert_false(rj_has(d, "missing"));

    /* rj_list: absent and null are "no list" (-1); a non-array and one over the cap are refused,
     * naming the key. */
    static const struct {
        const char *key;
        int max, rc, n;
        const char *msg;
    } lrows[] = {
        {"arr", 1, 0, 1, NULL},
        {"arr", 0, RB_EINVAL, -1, "\"arr\" holds at most 0 items"},
        {"missing", 5, 0, -1, NULL},
        {"nul", 5, 0, -1, NULL},
        {"o", 5, RB_EINVAL, -1, "\"o\" must be a list"},
        {"s", 5, RB_EINVAL, -1, "\"s\" must be a list"},
    };
    for (size_t i = 0; i < RB_ARRAY_LEN(lrows); i++) {
        const cJSON *arr = NULL;
        int n = 7;
        rb_errinfo_clear(&ei);
        int rc = rj_list(d, lrows[i].key, lrows[i].max, &arr, &n, &ei);
        ROW_CHECK(rc == lrows[i].rc && n == lrows[i].n, "row %zu (%s): rc %d n %d", i,
                  lrows[i].key, rc, n);
        ROW_CHECK(!lrows[i].msg || (strcmp(ei.msg, lrows[i].msg) == 0 &&
                                    strcmp(ei.field, lrows[i].key) == 0),
                  "row %zu: %s", i, ei.msg);
        ROW_CHECK(rc || n < 0 || cJSON_IsArray(arr), "row %zu: no array", i);
    }
    cJSON_Delete(d);
}

static int count_item(const cJSON *item, int i, void *ctx, rb_errinfo *ei)
{
    RB_UNUSED(item);
    RB_UNUSED(ei);
    *(int *)ctx += i + 1;
    return 0;
}

/* rj_items_of reads the items of an array rj_list found, each as rj_items would: in order, and a
 * refusal named by its place in the list. */
TU_TEST(test_items_of_a_list)
{
    cJSON *d = NULL;
    rb_errinfo ei;
    assert_int_equal(parse("{\"l\":[{\"a\":\"x\"},{\"a\":\"y\"}],\"m\":[{\"a\":1},{\"b\":2}]}",
                           &d, &ei),
                     RJ_OK);
    static const char *const fields[] = {"a", NULL};
    const cJSON *arr = NULL;
    int n = 0, seen = 0;
    assert_int_equal(rj_list(d, "l", 5, &arr, &n, &ei), 0);
    assert_int_equal(rj_items_of(arr, "l", fields, count_item, &seen, &ei), 0);
    assert_int_equal(seen, 1 + 2); /* item 0, then item 1 */
    rb_errinfo_clear(&ei);
    assert_int_equal(rj_list(d, "m", 5, &arr, &n, &ei), 0);
    assert_int_equal(rj_items_of(arr, "m", fields, count_item, &seen, &ei), RB_ENOTFOUND);
    assert_string_equal(ei.field, "m[1].b");
    cJSON_Delete(d);
}

/* rj_int must never hand back a value other than the one in the document: 2^63 does not fit an
 * int64_t even though it compares equal to (double)INT64_MAX. */
TU_TEST(test_int_bounds_at_int64_max)
{
    cJSON *d = NULL;
    rb_errinfo ei;
    assert_int_equal(parse("{\"a\":9223372036854775807,\"b\":9223372036854775808,"
                           "\"c\":-9223372036854775808}",
                           &d, &ei),
                     RJ_OK);
    static const char *const keys[] = {"a", "b"};
    int rcs[2];
    int64_t outs[2] = {0, 0};
    for (size_t i = 0; i < RB_ARRAY_LEN(keys); i++) {
        rb_errinfo_clear(&ei);
        rcs[i] = rj_int(d, keys[i], true, 0, INT64_MAX, &outs[i], &ei);
    }
    int64_t c = 0;
    int crc = rj_int(d, "c", true, INT64_MIN, 0, &c, &ei);
    cJSON_Delete(d);
    for (size_t i = 0; i < RB_ARRAY_LEN(keys); i++)
        /* Either refused, or a positive value: never a wrapped negative one. */
        ROW_CHECK(rcs[i] == RB_EINVAL || (rcs[i] == 0 && outs[i] > 0),
                  "rj_int(\"%s\", 0..INT64_MAX) = rc %d, value %" PRId64
                  ": 2^63 passed the bound check and was converted with undefined behaviour",
                  keys[i], rcs[i], outs[i]);
    assert_int_equal(crc, 0);
    assert_true(c == INT64_MIN);
}

/* ---- writer ---- */

/* A writer on a fresh buffer of `cap` bytes, as every writer test starts. */
struct wbuf {
    rb_buf b;
    rj_writer w;
};

static rj_writer *wbuf_init(struct wbuf *t, size_t cap)
{
    rb_buf_init(&t->b, cap);
    rjw_init(&t->w, &t->b);
    return &t->w;
}

/* Finishes the document, checks that it is `want` and releases the buffer. */
static void wbuf_is(struct wbuf *t, const char *want)
{
    assert_int_equal(rjw_finish(&t->w), 0);
    assert_string_equal(rb_buf_cstr(&t->b), want);
    rb_buf_release(&t->b);
}

TU_TEST(test_writer_nesting)
{
    struct wbuf t;
    rj_writer *w = wbuf_init(&t, 4096);
    rjw_obj(w);
    rjw_kint(w, "a", 1);
    rjw_key(w, "b");
    rjw_arr(w);
    rjw_bool(w, true);
    rjw_bool(w, false);
    rjw_null(w);
    rjw_str(w, "x");
    rjw_arr_end(w);
    rjw_key(w, "c");
    rjw_obj(w);
    rjw_obj_end(w);
    rjw_key(w, "d");
    rjw_arr(w);
    rjw_arr_end(w);
    rjw_key(w, "e");
    rjw_obj(w);
    rjw_key(w, "f");
    rjw_arr(w);
    rjw_int(w, 1);
    rjw_arr(w);
    rjw_int(w, 2);
    rjw_arr(w);
    rjw_arr_end(w);
    rjw_arr_end(w);
    rjw_obj(w);
    rjw_obj_end(w);
    rjw_arr_end(w);
    rjw_kstr(w, "g", NULL);
    rjw_kbool(w, "h", false);
    rjw_obj_end(w);
    rjw_key(w, "raw");
    rjw_raw(w, "{\"r\":[1,2]}", 11);
    rjw_kint(w, "min", INT64_MIN);
    rjw_kint(w, "max", INT64_MAX);
    rjw_obj_end(w);
    wbuf_is(&t, "{\"a\":1,\"b\":[true,false,null,\"x\"],\"c\":{},\"d\":[],\"e\":{\"f\":"
                "[1,[2,[]],{}],\"g\":null,\"h\":false},\"raw\":{\"r\":[1,2]},"
                "\"min\":-9223372036854775808,\"max\":9223372036854775807}");

    /* Top-level arrays of scalars, and several documents in sequence with reset. */
    w = wbuf_init(&t, 4096);
    rjw_arr(w);
    for (int i = 0; i < 3; i++)
        rjw_int(w, i);
    rjw_double(w, 1.5);
    rjw_double(w, NAN);
    rjw_double(w, INFINITY);
    rjw_double(w, -0.25);
    rjw_arr_end(w);
    wbuf_is(&t, "[0,1,2,1.5,null,null,-0.25]");
}

/* Members copied as bytes (rjw_raw_members) sit where the writer's own would: a comma before them
 * unless first, none when empty; one where a value belongs is an error. */
TU_TEST(test_writer_raw_members)
{
    struct wbuf t;
    rj_writer *w = wbuf_init(&t, 4096);
    rjw_obj(w);
    rjw_raw_members(w, "\"a\":1,\"b\":[2]", 13);
    rjw_raw_members(w, "", 0);
    rjw_kint(w, "c", 3);
    rjw_raw_members(w, "\"d\":{}", 6);
    rjw_obj_end(w);
    wbuf_is(&t, "{\"a\":1,\"b\":[2],\"c\":3,\"d\":{}}");
    w = wbuf_init(&t, 4096);
    rjw_obj(w);
    rjw_key(w, "x");
    rjw_raw_members(w, "\"a\":1", 5);
    rjw_int(w, 1);
    rjw_obj_end(w); /* balanced: the error is the misplaced members' */
    assert_int_equal(rjw_finish(w), RB_EINTERNAL);
    rb_buf_release(&t.b);
}

TU_TEST(test_writer_unbalanced)
{
    static const struct {
        const char *what;
        int opens;  /* arrays opened */
        int closes; /* arrays closed */
        int rc;
    } rows[] = {
        {"balanced", 3, 3, 0},
        {"one left open", 3, 2, RB_EINTERNAL},
        {"none closed", 1, 0, RB_EINTERNAL},
        {"closed once too often", 2, 3, RB_EINTERNAL},
        {"close without open", 0, 1, RB_EINTERNAL},
        {"31 levels", 31, 31, 0},
        {"64 levels (OSCAL_MAX_DEPTH)", 64, 64, 0},
        {"70 levels (past RJW_MAX_DEPTH)", 70, 70, RB_EINTERNAL},
    };
    for (size_t i = 0; i < RB_ARRAY_LEN(rows); i++) {
        struct wbuf t;
        rj_writer *w = wbuf_init(&t, 4096);
        for (int k = 0; k < rows[i].opens; k++)
            rjw_arr(w);
        for (int k = 0; k < rows[i].closes; k++)
            rjw_arr_end(w);
        int rc = rjw_finish(w);
        ROW_CHECK(rc == rows[i].rc, "row %zu (%s): rc %d, expected %d", i, rows[i].what, rc,
                  rows[i].rc);
        rb_buf_release(&t.b);
    }
    /* Mismatched kinds are the caller's business, but an object left open is caught. */
    struct wbuf t;
    rj_writer *w = wbuf_init(&t, 4096);
    rjw_obj(w);
    rjw_key(w, "a");
    rjw_obj(w);
    rjw_obj_end(w);
    assert_int_equal(rjw_finish(w), RB_EINTERNAL);
    rb_buf_release(&t.b);
}

TU_TEST(test_writer_escaping)
{
    static const struct {
        const char *what;
        const char *in;
        size_t len; /* 0: strlen */
        const char *out;
    } rows[] = {
        {"plain", "hello", 0, "\"hello\""},
        {"empty", "", 0, "\"\""},
        {"quote", "a\"b", 0, "\"a\\\"b\""},
        {"backslash", "a\\b", 0, "\"a\\\\b\""},
        {"newline, CR, tab", "a\nb\rc\td", 0, "\"a\\nb\\rc\\td\""},
        {"control chars", "\x01\x08\x0c\x1f", 0, "\"\\u0001\\u0008\\u000c\\u001f\""},
        {"html specials", "<script>&</script>", 0,
         "\"\\u003cscript\\u003e\\u0026\\u003c/script\\u003e\""},
        {"U+2028 and U+2029",
         "a\xe2\x80\xa8"
         "b\xe2\x80\xa9",
         0, "\"a\\u2028b\\u2029\""},
        {"other 3-byte chars pass", "\xe2\x80\xa7\xe2\x82\xac", 0, "\"\xe2\x80\xa7\xe2\x82\xac\""},
        /* Output is always valid UTF-8: each byte that starts no valid character is U+FFFD. */
        {"lone E2 80 at the end", "x\xe2\x80", 0, "\"x\xef\xbf\xbd\xef\xbf\xbd\""},
        {"FF FE (a %FF%FE file name)", "\xff\xfe.txt", 0,
         "\"\xef\xbf\xbd\xef\xbf\xbd.txt\""},
        {"overlong C0 AF", "a\xc0\xaf" "b", 0, "\"a\xef\xbf\xbd\xef\xbf\xbd" "b\""},
        {"surrogate ED A0 80", "\xed\xa0\x80", 0, "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\""},
        {"a character cut in half", "caf\xc3", 0, "\"caf\xef\xbf\xbd\""},
        {"4-byte emoji passes", "\xf0\x9f\x98\x80", 0, "\"\xf0\x9f\x98\x80\""},
        {"UTF-8 passes through", "\xd8\xb1\xd8\xa7\xd8\xa8\xd8\xb7\xdb\x81 \xc3\xa9", 0,
         "\"\xd8\xb1\xd8\xa7\xd8\xa8\xd8\xb7\xdb\x81 \xc3\xa9\""},
        {"slash is literal, DEL escaped", "a/b\x7f", 0, "\"a/b\\u007f\""},
        {"embedded NUL with rjw_strn", "a\0b", 3, "\"a\\u0000b\""},
        {"mixed", "\"<\\>\"", 0, "\"\\\"\\u003c\\\\\\u003e\\\"\""},
    };
    for (size_t i = 0; i < RB_ARRAY_LEN(rows); i++) {
        struct wbuf t;
        rj_writer *w = wbuf_init(&t, 4096);
        if (rows[i].len)
            rjw_strn(w, rows[i].in, rows[i].len);
        else
            rjw_str(w, rows[i].in);
        ROW_CHECK(rjw_finish(w) == 0 && strcmp(rb_buf_cstr(&t.b), rows[i].out) == 0,
                  "row %zu (%s): %s, expected %s", i, rows[i].what, rb_buf_cstr(&t.b), rows[i].out);
        rb_buf_release(&t.b);
    }
    /* Every ASCII byte, alone and between plain runs: the short escapes, \u00XX for the other
     * controls, DEL and < > &, and the byte itself for everything else. */
    for (int c = 0; c < 0x80; c++) {
        char in[5] = {'a', 'b', (char)c, 'c', 'd'};
        char mid[8];
        const char *shorts = strchr("\"\\\n\r\t", c);
        if (c && shorts)
            snprintf(mid, sizeof mid, "\\%c", "\"\\nrt"[shorts - "\"\\\n\r\t"]);
        else if (c < 0x20 || c == 0x7f || c == '<' || c == '>' || c == '&')
            snprintf(mid, sizeof mid, "\\u%04x", (unsigned)c);
        else
            snprintf(mid, sizeof mid, "%c", c);
        char want[16];
        snprintf(want, sizeof want, "\"ab%scd\"", mid);
        struct wbuf tb;
        rj_writer *wb = wbuf_init(&tb, 4096);
        rjw_strn(wb, in, sizeof in);
        ROW_CHECK(rjw_finish(wb) == 0 && strcmp(rb_buf_cstr(&tb.b), want) == 0,
                  "byte 0x%02x: %s, expected %s", (unsigned)c, rb_buf_cstr(&tb.b), want);
        rb_buf_release(&tb.b);
    }
    /* Keys are escaped too; NULL writes null. */
    struct wbuf t;
    rj_writer *w = wbuf_init(&t, 4096);
    rjw_obj(w);
    rjw_kstr(w, "k\"<", "v");
    rjw_kstr(w, "n", NULL);
    rjw_obj_end(w);
    wbuf_is(&t, "{\"k\\\"\\u003c\":\"v\",\"n\":null}");
}

TU_TEST(test_writer_numbers)
{
    static const struct {
        double v;
        const char *out;
    } rows[] = {
        {85.05, "85.05"},       {0.1, "0.1"},     {66.47, "66.47"},   {100, "100"},
        {0, "0"},               {-2.5, "-2.5"},   {1.0 / 3, "0.3333333333333333"},
        {1e300, "1e+300"},      {5e-324, "5e-324"},
        {(double)(int64_t)(85.049999 * 100.0 + 0.5) / 100.0, "85.05"},
    };
    for (size_t i = 0; i < RB_ARRAY_LEN(rows); i++) {
        struct wbuf t;
        rj_writer *w = wbuf_init(&t, 256);
        rjw_double(w, rows[i].v);
        ROW_CHECK(strcmp(rb_buf_cstr(&t.b), rows[i].out) == 0, "row %zu: %s, expected %s", i,
                  rb_buf_cstr(&t.b), rows[i].out);
        /* Shortest, and it reads back as the same double. */
        ROW_CHECK(strtod(rb_buf_cstr(&t.b), NULL) == rows[i].v, "row %zu does not round-trip", i);
        rb_buf_release(&t.b);
    }
}

/* rjw_cjson writes a parsed tree by the writer's rules: numbers as rjw_double writes them (what
 * cJSON_PrintUnformatted would write as 0.12345678901234559 and 2.0000000000000009). */
TU_TEST(test_writer_cjson)
{
    static const struct tu_str_row rows[] = {
        {"[0.1234567890123456,2.000000000000001,1e300,-0,85.05,-2.5,100,5e-324]",
         "[0.1234567890123456,2.000000000000001,1e+300,0,85.05,-2.5,100,5e-324]"},
        {"{\"a\":{\"b\":[true,false,null,\"x<\\u00e9\"]},\"\":{},\"c\":[]}",
         "{\"a\":{\"b\":[true,false,null,\"x\\u003c\xc3\xa9\"]},\"\":{},\"c\":[]}"},
        {"\"\"", "\"\""},
        {"-1.5e-7", "-1.5e-07"},
    };
    for (size_t i = 0; i < RB_ARRAY_LEN(rows); i++) {
        cJSON *root = NULL;
        rb_errinfo ei;
        assert_int_equal(rj_parse(rows[i].in, strlen(rows[i].in), 8, &root, &ei), RJ_OK);
        struct wbuf t;
        rj_writer *w = wbuf_init(&t, 4096);
        rjw_cjson(w, root);
        ROW_CHECK(rjw_finish(w) == 0, "row %zu: the writer failed", i);
        ROW_CHECK(strcmp(rb_buf_cstr(&t.b), rows[i].out) == 0, "row %zu: %s, expected %s", i,
                  rb_buf_cstr(&t.b), rows[i].out);
        rb_buf_release(&t.b);
        cJSON_Delete(root);
    }
    /* Past the writer's depth it fails (and stops walking) rather than write half a document. */
    cJSON *deep = cJSON_CreateArray(), *at = deep;
    for (int k = 0; k < RJW_MAX_DEPTH + 5; k++) {
        cJSON *inner = cJSON_CreateArray();
        cJSON_AddItemToArray(at, inner);
        at = inner;
    }
    struct wbuf t;
    rj_writer *w = wbuf_init(&t, 4096);
    rjw_cjson(w, deep);
    assert_int_equal(rjw_finish(w), RB_EINTERNAL);
    rb_buf_release(&t.b);
    cJSON_Delete(deep);
}

TU_TEST(test_field_rules)
{
    static const struct {
        enum rb_field_kind kind;
        const char *in;
        size_t repeat; /* the text is `in` repeated this many times (0: once) */
        bool ok;
        const char *msg_has;
    } rows[] = {
        {FIELD_TITLE, "National baseline", 0, true, NULL},
        {FIELD_TITLE, "\xd9\x82\xd9\x88\xd9\x85\xdb\x8c \xd8\xb1\xdb\x81\xd9\x86\xd9\x85\xd8\xa7", 0, true, NULL},
        {FIELD_TITLE, "", 0, true, NULL},
        {FIELD_TITLE, "x", 500, true, NULL},
        {FIELD_TITLE, "x", 501, false, "at most 500 bytes"},
        {FIELD_TITLE, "\xc3\xa9", 250, true, NULL},
        {FIELD_TITLE, "\xc3\xa9", 251, false, "at most 500 bytes"},
        {FIELD_TITLE, "a\x1b[2J", 0, false, "U+001B at byte 1"},
        {FIELD_TITLE, "tab\there", 0, false, "U+0009"},
        {FIELD_TITLE, "new\nline", 0, false, "one line"},
        {FIELD_TITLE, "del\x7f", 0, false, "U+007F"},
        {FIELD_TITLE, "nel\xc2\x85", 0, false, "U+0085"},
        {FIELD_TITLE, "csi\xc2\x9b", 0, false, "U+009B"},
        {FIELD_TITLE, "nbsp\xc2\xa0ok", 0, true, NULL},
        {FIELD_TITLE, "\xff\xfe.txt", 0, false, "not valid UTF-8"},
        {FIELD_TITLE, "caf\xc3", 0, false, "offset 3"},
        {FIELD_NOTE, "line 1\n\tline 2\r\n", 0, true, NULL},
        {FIELD_NOTE, "bell\x07", 0, false, "U+0007"},
        {FIELD_NOTE, "x", 4000, true, NULL},
        {FIELD_NOTE, "x", 4001, false, "at most 4000"},
        {FIELD_ID, "ac-2.1", 0, true, NULL},
        {FIELD_ID, "x", 64, true, NULL},
        {FIELD_ID, "x", 65, false, "at most 64"},
        {FIELD_ID, "two words", 0, false, "spaces"},
        {FIELD_NAME, "x", 200, true, NULL},
        {FIELD_NAME, "x", 201, false, "at most 200"},
        {FIELD_PROSE, "x", 65536, true, NULL},
        {FIELD_PROSE, "x", 65537, false, "at most 65536"},
    };
    for (size_t i = 0; i < RB_ARRAY_LEN(rows); i++) {
        rb_buf b;
        rb_buf_init(&b, 1 << 20);
        for (size_t k = 0; k < (rows[i].repeat ? rows[i].repeat : 1); k++)
            rb_buf_adds(&b, rows[i].in);
        rb_errinfo ei;
        rb_errinfo_clear(&ei);
        int rc = rb_field_check(rows[i].kind, "title", rb_buf_cstr(&b), b.len, &ei);
        tu_check_refused("field", i, rc, &ei, rows[i].ok ? 0 : RB_EINVAL, "title", rows[i].msg_has);
        rb_buf_release(&b);
    }
}

TU_TEST(test_writer_cap)
{
    struct wbuf t;
    rj_writer *w = wbuf_init(&t, 16);
    rjw_obj(w);
    rjw_kstr(w, "k", "a string that does not fit in sixteen bytes");
    rjw_obj_end(w);
    assert_int_equal(rjw_finish(w), RB_ETOOBIG);
    assert_true(t.b.len <= 16);
    rb_buf_release(&t.b);

    /* Escaping can grow a string six-fold: the cap counts the escaped bytes. */
    w = wbuf_init(&t, 20);
    rjw_str(w, "<<<<"); /* 2 + 4*6 = 26 bytes */
    assert_int_equal(rjw_finish(w), RB_ETOOBIG);
    rb_buf_release(&t.b);

    /* Out of memory while writing. */
    w = wbuf_init(&t, 1 << 16);
    rb_mem_fail_after(0);
    rjw_arr(w);
    rjw_int(w, 1);
    rjw_arr_end(w);
    rb_mem_fail_after(-1);
    assert_int_equal(rjw_finish(w), RB_ENOMEM);
    rb_buf_release(&t.b);
}

/* ---- round trip: writer output parses back to the same values ---- */

TU_TEST(test_round_trip)
{
    static const char *const strings[] = {"",
                                          "plain",
                                          "quote \" backslash \\ slash /",
                                          "\n\r\t\x01\x1f",
                                          "<b>&amp;</b>",
                                          "line\xe2\x80\xa8sep\xe2\x80\xa9",
                                          "\xd8\xb1\xd8\xa7\xd8\xa8\xd8\xb7\xdb\x81",
                                          "\xf0\x9f\x98\x80 emoji",
                                          "\x7f"};
    static const int64_t ints[] = {
        0, 1, -1, 366, INT64_C(9007199254740992), -INT64_C(9007199254740992)};
    struct wbuf t;
    rj_writer *w = wbuf_init(&t, 1 << 16);
    rjw_obj(w);
    rjw_key(w, "strings");
    rjw_arr(w);
    for (size_t i = 0; i < RB_ARRAY_LEN(strings); i++)
        rjw_str(w, strings[i]);
    rjw_arr_end(w);
    for (size_t i = 0; i < RB_ARRAY_LEN(strings); i++) {
        char key[16];
        snprintf(key, sizeof(key), "s%zu", i);
        rjw_kstr(w, key, strings[i]);
    }
    for (size_t i = 0; i < RB_ARRAY_LEN(ints); i++) {
        char key[16];
        snprintf(key, sizeof(key), "i%zu", i);
        rjw_kint(w, key, ints[i]);
    }
    rjw_kbool(w, "yes", true);
    rjw_kbool(w, "no", false);
    rjw_key(w, "pi");
    rjw_double(w, 3.141592653589793);
    rjw_key(w, "tenth");
    rjw_double(w, 0.1);
    rjw_kstr(w, "nothing", NULL);
    rjw_key(w, "nest");
    rjw_obj(w);
    rjw_key(w, "deeper");
    rjw_arr(w);
    rjw_obj(w);
    rjw_kstr(w, "k\"ey<", "v");
    rjw_obj_end(w);
    rjw_arr_end(w);
    rjw_obj_end(w);
    rjw_obj_end(w);
    assert_int_equal(rjw_finish(w), 0);

    cJSON *d = NULL;
    rb_errinfo ei;
    int rc = rj_parse(t.b.ptr, t.b.len, RJ_DEFAULT_MAX_DEPTH, &d, &ei);
    if (rc != RJ_OK)
        fail_msg("writer output does not parse: %s\n%s", ei.msg, t.b.ptr);
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(d, "strings");
    assert_int_equal(cJSON_GetArraySize(arr), (int)RB_ARRAY_LEN(strings));
    for (size_t i = 0; i < RB_ARRAY_LEN(strings); i++) {
        const cJSON *it = cJSON_GetArrayItem(arr, (int)i);
        ROW_CHECK(cJSON_IsString(it) && strcmp(it->valuestring, strings[i]) == 0,
                  "string %zu differs after the round trip", i);
        char key[16];
        snprintf(key, sizeof(key), "s%zu", i);
        const char *s = NULL;
        ROW_CHECK(rj_str(d, key, true, 1000, &s, &ei) == 0 && strcmp(s, strings[i]) == 0,
                  "member %s differs", key);
    }
    for (size_t i = 0; i < RB_ARRAY_LEN(ints); i++) {
        char key[16];
        snprintf(key, sizeof(key), "i%zu", i);
        int64_t v = 0;
        ROW_CHECK(rj_int(d, key, true, INT64_MIN / 2, INT64_MAX / 2, &v, &ei) == 0 && v == ints[i],
                  "int %s: %" PRId64, key, v);
    }
    bool yes = false, no = true;
    assert_int_equal(rj_bool(d, "yes", true, &yes, &ei), 0);
    assert_int_equal(rj_bool(d, "no", true, &no, &ei), 0);
    assert_true(yes);
    assert_false(no);
    assert_true(cJSON_GetObjectItemCaseSensitive(d, "pi")->valuedouble == 3.141592653589793);
    assert_true(cJSON_GetObjectItemCaseSensitive(d, "tenth")->valuedouble == 0.1);
    assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(d, "nothing")));
    const cJSON *deep = cJSON_GetArrayItem(
        cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(d, "nest"), "deeper"), 0);
    const char *v = NULL;
    assert_int_equal(rj_str(deep, "k\"ey<", true, 10, &v, &ei), 0);
    assert_string_equal(v, "v");
    static const char *const allowed[] = {
        "strings", "s0", "s1", "s2", "s3",  "s4", "s5", "s6",    "s7",      "s8",   "i0", "i1",
        "i2",      "i3", "i4", "i5", "yes", "no", "pi", "tenth", "nothing", "nest", NULL};
    assert_int_equal(rj_only(d, allowed, &ei), 0);
    cJSON_Delete(d);
    rb_buf_release(&t.b);
}

/* rj_parse under allocation failure: an error (never a crash or a half-built tree), and, once
 * enough allocations succeed, the full document. ASan's leak checker proves nothing leaks. */
TU_TEST(test_parse_alloc_failure)
{
    static const char doc[] = "{\"a\":[1,2,{\"b\":\"c\"}],\"d\":{\"e\":null,\"f\":\"g\"}}";
    bool succeeded = false;
    for (long k = 0; k < 200 && !succeeded; k++) {
        cJSON *d = NULL;
        rb_errinfo ei;
        rb_mem_fail_after(k);
        int rc = rj_parse(doc, strlen(doc), RJ_DEFAULT_MAX_DEPTH, &d, &ei);
        rb_mem_fail_after(-1);
        if (rc == RJ_OK) {
            const char *s = NULL;
            assert_int_equal(
                rj_str(cJSON_GetObjectItemCaseSensitive(d, "d"), "f", true, 5, &s, &ei), 0);
            assert_string_equal(s, "g");
            succeeded = true;
            assert_true(k > 0);
        } else {
            ROW_CHECK(rc == RJ_MALFORMED && d == NULL, "fail after %ld: rc %d", k, rc);
        }
        cJSON_Delete(d);
    }
    assert_true(succeeded);
}

TU_MAIN({
    cmocka_unit_test(test_parse_table),
    cmocka_unit_test(test_parse_depth),
    cmocka_unit_test(test_only),
    cmocka_unit_test(test_getters),
    cmocka_unit_test(test_items_of_a_list),
    cmocka_unit_test(test_int_bounds_at_int64_max),
    cmocka_unit_test(test_writer_nesting),
    cmocka_unit_test(test_writer_unbalanced),
    cmocka_unit_test(test_writer_raw_members),
    cmocka_unit_test(test_writer_escaping),
    cmocka_unit_test(test_writer_numbers),
    cmocka_unit_test(test_writer_cjson),
    cmocka_unit_test(test_field_rules),
    cmocka_unit_test(test_writer_cap),
    cmocka_unit_test(test_round_trip),
    cmocka_unit_test(test_parse_alloc_failure),
})
