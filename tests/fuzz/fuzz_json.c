/*
 * fuzz_json.c - libFuzzer target for src/json: rj_parse, rj_only, the getters and the writer.
 *
 * Beyond "no crash", it checks properties that must hold for every input:
 *   - a failed parse leaves *out NULL, reports RB_EINVAL, and says RJ_BAD_UTF8 exactly when the
 *     bytes are not valid UTF-8;
 *   - a parsed document of depth d parses again with max_depth d and is refused with d - 1;
 *   - the getters agree with the tree (type checks, bounds, optional/required);
 *   - the writer (rjw_cjson) re-serialises the tree into JSON that rj_parse accepts and that holds the same
 *     values (non-finite numbers become null).
 * A violated property aborts, so libFuzzer records the input as a crash.
 *
 * Built two ways: with clang -fsanitize=fuzzer,address,undefined by tests/fuzz/run.sh, and as a
 * plain program with replay_main.c (the meson test fuzz_json_replay runs the seed corpus).
 */
#include "base/common.h"
#include "base/buf.h"
#include "base/mem.h"
#include "base/utf8.h"
#include "json/json.h"

#include <math.h>

#define FUZZ_TARGET "fuzz_json"
#include "fuzz_util.h"

/* Integers beyond 2^53 are not exact in a double; the getters are asked within this range.
 * (rj_int at the int64 limits has its own unit test: test_json.c test_int_bounds_at_int64_max.) */
#define FUZZ_INT_MIN (-(INT64_C(1) << 53))
#define FUZZ_INT_MAX (INT64_C(1) << 53)

/* Nesting depth of containers: a scalar is 0, [] is 1, [[]] is 2. */
static int depth_of(const cJSON *v)
{
    if (!cJSON_IsArray(v) && !cJSON_IsObject(v))
        return 0;
    int d = 0;
    for (const cJSON *c = v->child; c; c = c->next) {
        int k = depth_of(c);
        if (k > d)
            d = k;
    }
    return d + 1;
}

/* Same values, same order; a non-finite number must have become null. */
static bool same(const cJSON *a, const cJSON *b)
{
    if (cJSON_IsNumber(a) && !isfinite(a->valuedouble))
        return cJSON_IsNull(b);
    if ((a->type & 0xff) != (b->type & 0xff))
        return false;
    if (cJSON_IsString(a))
        return strcmp(a->valuestring, b->valuestring) == 0;
    if (cJSON_IsNumber(a))
        return a->valuedouble == b->valuedouble;
    if (cJSON_IsArray(a) || cJSON_IsObject(a)) {
        const cJSON *x = a->child, *y = b->child;
        for (; x && y; x = x->next, y = y->next) {
            if (cJSON_IsObject(a) && strcmp(x->string, y->string) != 0)
                return false;
            if (!same(x, y))
                return false;
        }
        return x == NULL && y == NULL;
    }
    return true;
}

/* ei.field names key: the whole key, or a long key cut to the field buffer on a character
 * boundary, as rb_err does (rb_strlcpy). */
static bool field_is(const rb_errinfo *ei, const char *key)
{
    size_t len = strlen(key);
    if (len < RB_ERR_FIELD_MAX)
        return strcmp(ei->field, key) == 0;
    size_t keep = rb_utf8_boundary(key, RB_ERR_FIELD_MAX - 1);
    return strlen(ei->field) == keep && strncmp(ei->field, key, keep) == 0;
}

/* The getters against the tree, for every member of an object. */
static void check_getters(const cJSON *root)
{
    static const char *const allowed[] = {"id",        "name",     "kind",     "parent_id",
                                          "email",     "password", "role",     "cii",
                                          "cii_grade", "tlp",      "document", NULL};
    static const char *const values[] = {"CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED", NULL};
    rb_errinfo ei;
    rb_errinfo_clear(&ei);
    int rc = rj_only(root, allowed, &ei);
    CHECK(rc == 0 || ((rc == RB_EINVAL || rc == RB_ENOTFOUND) && ei.code == rc), "rj_only result");
    CHECK(cJSON_IsObject(root) || rc == RB_EINVAL, "rj_only accepted a non-object");
    if (!cJSON_IsObject(root))
        return;
    for (const cJSON *m = root->child; m; m = m->next) {
        const char *key = m->string;
        /* Getters read the first member with the name. */
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, key);
        CHECK(v != NULL, "member not found by its own name");
        bool present = !cJSON_IsNull(v);
        CHECK(rj_has(root, key) == present, "rj_has");

        const char *s = NULL;
        rc = rj_str(root, key, true, 1 << 20, &s, &ei);
        if (!present)
            CHECK(rc == RB_EINVAL && field_is(&ei, key), "rj_str required, absent");
        else if (cJSON_IsString(v))
            CHECK(rc == 0 && s == v->valuestring, "rj_str on a string");
        else
            CHECK(rc == RB_EINVAL && field_is(&ei, key), "rj_str on a non-string");
        s = "untouched";
        rc = rj_str(root, key, false, 8, &s, &ei);
        if (!present)
            CHECK(rc == 0 && strcmp(s, "untouched") == 0, "rj_str optional, absent");
        else if (cJSON_IsString(v) && strlen(v->valuestring) <= 8)
            CHECK(rc == 0 && s == v->valuestring, "rj_str within bound");
        else
            CHECK(rc == RB_EINVAL, "rj_str past bound or wrong type");

        int64_t i = 12345;
        rc = rj_int(root, key, false, FUZZ_INT_MIN, FUZZ_INT_MAX, &i, &ei);
        if (!present)
            CHECK(rc == 0 && i == 12345, "rj_int optional, absent");
        else if (rc == 0)
            CHECK(cJSON_IsNumber(v) && (double)i == v->valuedouble && i >= FUZZ_INT_MIN &&
                      i <= FUZZ_INT_MAX,
                  "rj_int accepted a value it does not return exactly");
        else
            CHECK(rc == RB_EINVAL &&
                      (!cJSON_IsNumber(v) || v->valuedouble != floor(v->valuedouble) ||
                       v->valuedouble < (double)FUZZ_INT_MIN ||
                       v->valuedouble > (double)FUZZ_INT_MAX),
                  "rj_int refused an integer within bounds");

        bool b = false;
        rc = rj_bool(root, key, false, &b, &ei);
        CHECK(rc == ((!present || cJSON_IsBool(v)) ? 0 : RB_EINVAL), "rj_bool");
        if (rc == 0 && present)
            CHECK(b == (bool)cJSON_IsTrue(v), "rj_bool value");

        int e = -1;
        rc = rj_enum(root, key, false, values, &e, &ei);
        if (rc == 0 && present)
            CHECK(e >= 0 && e < 5 && strcmp(values[e], v->valuestring) == 0, "rj_enum value");
        if (rc)
            CHECK(rc == RB_EINVAL && field_is(&ei, key), "rj_enum error names the key");
    }
}

static void round_trip(const cJSON *root, int depth)
{
    rb_buf out;
    rb_buf_init(&out, 64u << 20);
    rj_writer w;
    rjw_init(&w, &out);
    rjw_cjson(&w, root);
    int rc = rjw_finish(&w);
    /* The writer nests at most RJW_MAX_DEPTH - 1 levels; anything shallower must succeed. */
    if (depth < RJW_MAX_DEPTH)
        CHECK(rc == 0, "the writer failed on a tree it can hold");
    else
        CHECK(rc == 0 || rc == RB_EINTERNAL, "the writer failed on a deep tree with an odd code");
    if (rc == 0) {
        CHECK(rb_utf8_valid(out.ptr, out.len, NULL), "the writer produced invalid UTF-8");
        cJSON *again = NULL;
        rb_errinfo ei;
        int prc = rj_parse(out.ptr, out.len, RJ_DEFAULT_MAX_DEPTH, &again, &ei);
        if (prc != RJ_OK)
            fprintf(stderr, "fuzz_json: writer output does not parse (%s): %.300s\n", ei.msg,
                    out.ptr);
        CHECK(prc == RJ_OK, "writer output parses");
        CHECK(same(root, again), "writer output holds the same values");
        cJSON_Delete(again);
    }
    rb_buf_release(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_json_init();
    const char *text = (const char *)data;
    cJSON *root = (cJSON *)data; /* must be overwritten */
    rb_errinfo ei;
    rb_errinfo_clear(&ei);
    int rc = rj_parse(text, size, RJ_DEFAULT_MAX_DEPTH, &root, &ei);
    bool utf8 = rb_utf8_valid(text, size, NULL);
    CHECK(rc >= RJ_OK && rc <= RJ_MALFORMED, "rj_parse result in range");
    CHECK((rc == RJ_BAD_UTF8) == !utf8, "RJ_BAD_UTF8 exactly for invalid UTF-8");
    if (rc != RJ_OK) {
        CHECK(root == NULL, "*out is NULL on failure");
        CHECK(ei.code == RB_EINVAL && ei.msg[0] != '\0', "a failure says why");
        return 0;
    }
    CHECK(root != NULL, "a tree on success");
    int depth = depth_of(root);
    CHECK(depth <= RJ_DEFAULT_MAX_DEPTH, "the tree is no deeper than the cap");
    /* The depth check counts exactly the tree's nesting. */
    if (depth > 0) {
        cJSON *t = NULL;
        CHECK(rj_parse(text, size, depth, &t, &ei) == RJ_OK, "parses with max_depth = its depth");
        cJSON_Delete(t);
        t = (cJSON *)data;
        CHECK(rj_parse(text, size, depth - 1, &t, &ei) == RJ_TOO_DEEP && t == NULL,
              "refused with max_depth = its depth - 1");
    }
    check_getters(root);
    round_trip(root, depth);
    cJSON_Delete(root);
    return 0;
}
