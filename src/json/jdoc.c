/*
 * jdoc.c - reading a JSON document with paths (see jdoc.h).
 *
 * Must never: write past the path buffer (a long path is cut, never overrun), hand out a string
 * that skipped its field rule, or let a refusal leave ei without the path of the member at fault.
 */
#include "base/common.h"
#include "base/mem.h"
#include "base/utf8.h"
#include "json/jdoc.h"
#include "json/json.h"

void rjd_init(rj_doc *d, rb_arena *a, const struct rjd_rule *rules, enum rb_field_kind other,
              rb_errinfo *ei)
{
    d->a = a;
    d->ei = ei;
    d->rules = rules;
    d->other = other;
    d->path[0] = '\0';
    d->len = 0;
    rb_errinfo_clear(ei);
}

/* ---- the path ---- */

/* Takes in the n bytes snprintf wrote (or wanted to) at the end of the path; a path cut short
 * ends on a character boundary. */
static void advance(rj_doc *d, int n)
{
    if (n > 0)
        d->len += (size_t)n;
    if (d->len >= sizeof(d->path))
        d->len = rb_utf8_boundary(d->path, sizeof(d->path) - 1);
    d->path[d->len] = '\0';
}

size_t rjd_push(rj_doc *d, const char *key)
{
    size_t mark = d->len;
    advance(d,
            snprintf(d->path + d->len, sizeof(d->path) - d->len, "%s%s", d->len ? "." : "", key));
    return mark;
}

size_t rjd_push_index(rj_doc *d, int i)
{
    size_t mark = d->len;
    advance(d, snprintf(d->path + d->len, sizeof(d->path) - d->len, "[%d]", i));
    return mark;
}

void rjd_pop(rj_doc *d, size_t mark)
{
    if (mark > d->len)
        return;
    d->len = mark;
    d->path[mark] = '\0';
}

/* ---- errors ---- */

int rjd_err(rj_doc *d, int code, const char *key, const char *fmt, ...)
{
    char msg[RB_ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    rb_vfmt(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    size_t mark = key ? rjd_push(d, key) : d->len;
    rb_err(d->ei, code, d->path, "%s", msg);
    rjd_pop(d, mark);
    return code;
}

int rjd_alloc_err(rj_doc *d, size_t n)
{
    if (n >= d->a->cap || d->a->used_total + n + 16 > d->a->cap)
        return rjd_err(d, RB_ETOOBIG, NULL, "the document needs more than the %zu bytes allowed",
                       d->a->cap);
    return rjd_err(d, RB_ENOMEM, NULL, "out of memory");
}

/* ---- the arena ---- */

int rjd_alloc(rj_doc *d, size_t count, size_t size, void *out)
{
    void **p = out;
    *p = NULL;
    if (count == 0)
        return 0;
    if (size && count > SIZE_MAX / size)
        return rjd_err(d, RB_ETOOBIG, NULL, "too many items");
    *p = rb_arena_alloc(d->a, count * size);
    return *p ? 0 : rjd_alloc_err(d, count * size);
}

int rjd_strndup(rj_doc *d, const char *s, size_t n, const char **out)
{
    const char *copy = rb_arena_strndup(d->a, s, n);
    if (!copy)
        return rjd_alloc_err(d, n + 1);
    *out = copy;
    return 0;
}

int rjd_strdup(rj_doc *d, const char *s, const char **out)
{
    return rjd_strndup(d, s, strlen(s), out);
}

int rjd_copy(rj_doc *d, const cJSON *node, const char **out)
{
    char *s = cJSON_PrintUnformatted(node);
    if (!s)
        return rjd_err(d, RB_ENOMEM, NULL, "out of memory");
    int rc = rjd_strdup(d, s, out);
    cJSON_free(s);
    return rc;
}

/* ---- parsing ---- */

int rjd_parse(rj_doc *d, const char *text, size_t len, size_t max_bytes, int max_depth,
              cJSON **root)
{
    *root = NULL;
    if (!text)
        return rjd_err(d, RB_EINVAL, NULL, "no document");
    if (len > max_bytes)
        return rjd_err(d, RB_ETOOBIG, NULL, "the document is larger than %zu bytes", max_bytes);
    if (rj_parse(text, len, max_depth, root, d->ei) != RJ_OK)
        return RB_EINVAL; /* rj_parse said where, with field "" */
    return 0;
}

/* ---- field rules ---- */

enum rb_field_kind rjd_kind(const rj_doc *d, const char *key)
{
    for (const struct rjd_rule *r = d->rules; r && r->key; r++)
        if (strcmp(r->key, key) == 0)
            return r->kind;
    return d->other;
}

int rjd_check(rj_doc *d, const char *key, const char *v)
{
    rb_errinfo tmp;
    rb_errinfo_clear(&tmp);
    if (rb_field_checks(rjd_kind(d, key), key, v, &tmp))
        return rjd_err(d, RB_EINVAL, NULL, "%s", tmp.msg);
    return 0;
}

/* ---- getters ---- */

/* A string usable as a reference: not empty, no whitespace or controls, braces or commas. */
static bool is_token(const char *s)
{
    if (!s || !*s)
        return false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p <= 0x20 || *p == 0x7f || *p == '{' || *p == '}' || *p == ',')
            return false;
    return true;
}

int rjd_str(rj_doc *d, const cJSON *obj, const char *key, unsigned how, const char **out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!v)
        return (how & RJD_REQUIRED) ? rjd_err(d, RB_EINVAL, key, "missing required \"%s\"", key)
                                    : 0;
    if (!cJSON_IsString(v) || !v->valuestring)
        return rjd_err(d, RB_EINVAL, key, "\"%s\" must be a string", key);
    size_t mark = rjd_push(d, key);
    int rc = rjd_check(d, key, v->valuestring);
    rjd_pop(d, mark);
    if (rc)
        return rc;
    if ((how & RJD_TOKEN) && !is_token(v->valuestring))
        return rjd_err(d, RB_EINVAL, key,
                       "\"%s\" must be a non-empty token (no spaces, braces or commas)", key);
    return out ? rjd_strdup(d, v->valuestring, out) : 0;
}

/* Member key of the type is() tests (what names it): *out = the member, NULL when absent (cleared
 * first); rjd_arr and rjd_obj. */
static int typed(rj_doc *d, const cJSON *obj, const char *key, bool required,
                 cJSON_bool (*is)(const cJSON *), const char *what, const cJSON **out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    *out = NULL;
    if (!v && required)
        return rjd_err(d, RB_EINVAL, key, "missing required \"%s\"", key);
    if (v && !is(v))
        return rjd_err(d, RB_EINVAL, key, "\"%s\" must be %s", key, what);
    *out = v;
    return 0;
}

int rjd_arr(rj_doc *d, const cJSON *obj, const char *key, const cJSON **out)
{
    return typed(d, obj, key, false, cJSON_IsArray, "an array", out);
}

int rjd_obj(rj_doc *d, const cJSON *obj, const char *key, bool required, const cJSON **out)
{
    return typed(d, obj, key, required, cJSON_IsObject, "an object", out);
}

/* One item of a string array, at the path of the item. */
static int str_item(rj_doc *d, const cJSON *e, const char *key, unsigned how, const char **out)
{
    int rc;
    if (!cJSON_IsString(e) || !e->valuestring)
        return rjd_err(d, RB_EINVAL, NULL, "each item of \"%s\" must be a string", key);
    if ((rc = rjd_check(d, key, e->valuestring)))
        return rc;
    if ((how & RJD_TOKEN) && !is_token(e->valuestring))
        return rjd_err(d, RB_EINVAL, NULL,
                       "each item of \"%s\" must be a non-empty token (no spaces, braces or "
                       "commas)",
                       key);
    return rjd_strdup(d, e->valuestring, out);
}

int rjd_strs(rj_doc *d, const cJSON *obj, const char *key, unsigned how, const char ***out, int *n)
{
    const cJSON *arr = NULL;
    const char **v = NULL;
    *out = NULL;
    *n = 0;
    int rc = rjd_arr(d, obj, key, &arr);
    if (rc)
        return rc;
    if (!arr)
        return (how & RJD_REQUIRED) ? rjd_err(d, RB_EINVAL, key, "missing required \"%s\"", key)
                                    : 0;
    if ((rc = rjd_alloc(d, (size_t)cJSON_GetArraySize(arr), sizeof(*v), &v)))
        return rc;
    size_t mark = rjd_push(d, key);
    int i = 0;
    for (const cJSON *e = arr->child; e && !rc; e = e->next, i++) {
        size_t item = rjd_push_index(d, i);
        rc = str_item(d, e, key, how, &v[i]);
        rjd_pop(d, item);
    }
    rjd_pop(d, mark);
    if (rc)
        return rc;
    *out = v;
    *n = i;
    return 0;
}

int rjd_unique(rj_doc *d, const cJSON *obj, const char *const *keys)
{
    for (const char *const *k = keys; *k; k++) {
        int seen = 0;
        for (const cJSON *m = obj->child; m; m = m->next)
            if (m->string && strcmp(m->string, *k) == 0 && ++seen > 1)
                return rjd_err(d, RB_EINVAL, *k, "\"%s\" appears twice", *k);
    }
    return 0;
}

/* ---- iteration ---- */

int rjd_each_in(rj_doc *d, cJSON *arr, const char *key, rjd_item_fn fn, void *arg)
{
    if (!arr)
        return 0;
    if (!cJSON_IsArray(arr))
        return rjd_err(d, RB_EINVAL, key, "\"%s\" must be an array", key);
    size_t mark = rjd_push(d, key);
    int rc = 0, i = 0;
    for (cJSON *e = arr->child; e && !rc; e = e->next, i++) {
        size_t item = rjd_push_index(d, i);
        if (!cJSON_IsObject(e))
            rc = rjd_err(d, RB_EINVAL, NULL, "each item of \"%s\" must be an object", key);
        else
            rc = fn(d, e, i, arg);
        rjd_pop(d, item);
    }
    rjd_pop(d, mark);
    return rc;
}

int rjd_each(rj_doc *d, const cJSON *obj, const char *key, rjd_item_fn fn, void *arg)
{
    return rjd_each_in(d, cJSON_GetObjectItemCaseSensitive(obj, key), key, fn, arg);
}

/* ---- the whole tree ---- */

struct sweep {
    enum rb_field_kind names, strings;
    rjd_exempt_fn exempt;
};

/* node's members; parent is the name of the member holding node (NULL: an item, or the top). */
static int sweep(rj_doc *d, const struct sweep *s, const cJSON *node, const char *parent)
{
    int rc = 0, i = 0;
    for (const cJSON *m = node->child; m && !rc; m = m->next, i++) {
        size_t mark = m->string ? rjd_push(d, m->string) : rjd_push_index(d, i);
        rb_errinfo tmp;
        rb_errinfo_clear(&tmp);
        if (m->string && rb_field_checks(s->names, "member name", m->string, &tmp)) {
            rc = rjd_err(d, RB_EINVAL, NULL, "%s", tmp.msg);
        } else if (cJSON_IsString(m) && m->valuestring) {
            bool exempt = s->exempt && m->string && s->exempt(parent, m->string);
            if (!exempt &&
                rb_field_checks(s->strings, m->string ? m->string : "item", m->valuestring, &tmp))
                rc = rjd_err(d, RB_EINVAL, NULL, "%s", tmp.msg);
        } else if (cJSON_IsObject(m) || cJSON_IsArray(m)) {
            /* Depth is bounded: rjd_parse refused documents nesting deeper than its cap. */
            rc = sweep(d, s, m, m->string);
        }
        rjd_pop(d, mark);
    }
    return rc;
}

int rjd_check_tree(rj_doc *d, const cJSON *node, enum rb_field_kind names,
                   enum rb_field_kind strings, rjd_exempt_fn exempt)
{
    const struct sweep s = {names, strings, exempt};
    return sweep(d, &s, node, NULL);
}
