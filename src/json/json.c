/*
 * json.c - checked JSON parsing, typed getters and the writer.
 *
 * Must never: accept invalid UTF-8, recurse on attacker-controlled depth before checking it, or
 * write a string without escaping it.
 */
#include "base/common.h"
#include "base/mem.h"
#include "base/utf8.h"
#include "json/field.h"
#include "json/json.h"

#include <math.h>

static void *rj_malloc(size_t n)
{
    return rb_malloc(n);
}

void rj_init(void)
{
    cJSON_Hooks hooks = {rj_malloc, rb_free};
    cJSON_InitHooks(&hooks);
}

/* Depth of [ and { outside strings, with a cap; linear, no recursion. Returns 1 when fine, 0 when
 * too deep, -1 for a raw control character or \\u0000 inside a string (*where = offset). */
static int depth_ok(const char *s, size_t len, int max_depth, size_t *where)
{
    int depth = 0;
    bool in_str = false;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (in_str) {
            if ((unsigned char)c < 0x20) {
                *where = i;
                return -1; /* raw control characters are not allowed in JSON strings */
            }
            if (c == '\\') {
                /* \u0000 would silently cut the string short in C: refuse it. */
                if (i + 5 < len && s[i + 1] == 'u' && memcmp(s + i + 2, "0000", 4) == 0) {
                    *where = i;
                    return -1;
                }
                i++;
            } else if (c == '"') {
                in_str = false;
            }
        } else if (c == '"') {
            in_str = true;
        } else if (c == '[' || c == '{') {
            if (++depth > max_depth) {
                *where = i;
                return 0;
            }
        } else if (c == ']' || c == '}') {
            depth--;
        }
    }
    return 1;
}

int rj_parse(const char *text, size_t len, int max_depth, cJSON **out, rb_errinfo *ei)
{
    size_t off = 0;
    *out = NULL;
    if (!rb_utf8_valid(text, len, &off)) {
        rb_err(ei, RB_EINVAL, "", "the body is not valid UTF-8 (first bad byte at offset %zu)", off);
        return RJ_BAD_UTF8;
    }
    int scan = depth_ok(text, len, max_depth, &off);
    if (scan < 0) {
        rb_err(ei, RB_EINVAL, "",
               "malformed JSON: a control character or \\u0000 inside a string at offset %zu",
               off);
        return RJ_MALFORMED;
    }
    if (scan == 0) {
        rb_err(ei, RB_EINVAL, "", "JSON nests deeper than %d levels (at offset %zu)", max_depth,
               off);
        return RJ_TOO_DEEP;
    }
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    if (!root) {
        size_t at = end && end >= text ? (size_t)(end - text) : 0;
        const char *e = cJSON_GetErrorPtr();
        if (e && e >= text && e <= text + len)
            at = (size_t)(e - text);
        rb_err(ei, RB_EINVAL, "", "malformed JSON near offset %zu", at);
        return RJ_MALFORMED;
    }
    /* Trailing bytes other than whitespace are malformed too. */
    for (const char *p = end; p && p < text + len; p++) {
        if (*p != ' ' && *p != '\n' && *p != '\r' && *p != '\t') {
            cJSON_Delete(root);
            rb_err(ei, RB_EINVAL, "", "malformed JSON: unexpected data after the value at offset %zu",
                   (size_t)(p - text));
            return RJ_MALFORMED;
        }
    }
    *out = root;
    return RJ_OK;
}

int rj_only(const cJSON *obj, const char *const *allowed, rb_errinfo *ei)
{
    if (!cJSON_IsObject(obj))
        return rb_err(ei, RB_EINVAL, "", "the body must be a JSON object");
    for (const cJSON *m = obj->child; m; m = m->next) {
        bool ok = false;
        for (const char *const *a = allowed; *a; a++)
            if (m->string && strcmp(*a, m->string) == 0) {
                ok = true;
                break;
            }
        if (!ok)
            return rb_err(ei, RB_ENOTFOUND, m->string ? m->string : "",
                          "unknown field \"%.*s\"; remove it", RB_CUT(m->string, 64));
        /* Duplicate members are ambiguous: refuse them. */
        for (const cJSON *n = m->next; n; n = n->next)
            if (n->string && m->string && strcmp(n->string, m->string) == 0)
                return rb_err(ei, RB_EINVAL, m->string, "field \"%.*s\" appears twice",
                              RB_CUT(m->string, 64));
    }
    return 0;
}

static const cJSON *member(const cJSON *obj, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    return (v && !cJSON_IsNull(v)) ? v : NULL;
}

int rj_items(const cJSON *obj, const char *key, int min, int max, const char *const *fields,
             rj_item_fn fn, void *ctx, rb_errinfo *ei)
{
    const cJSON *arr = member(obj, key);
    int n = cJSON_IsArray(arr) ? cJSON_GetArraySize(arr) : -1;
    if (n < min || n > max)
        return rb_err(ei, RB_EINVAL, key, "\"%s\" must be an array of %d to %d items", key, min,
                      max);
    return rj_items_of(arr, key, fields, fn, ctx, ei);
}

int rj_items_of(const cJSON *arr, const char *key, const char *const *fields, rj_item_fn fn,
                void *ctx, rb_errinfo *ei)
{
    int i = 0;
    for (const cJSON *it = arr->child; it; it = it->next, i++) {
        rb_errinfo local;
        rb_errinfo_clear(&local);
        int rc = cJSON_IsObject(it) ? rj_only(it, fields, &local) : RB_EINVAL;
        if (!cJSON_IsObject(it))
            rb_err(&local, RB_EINVAL, "", "each item must be an object");
        if (!rc)
            rc = fn(it, i, ctx, &local);
        if (rc) {
            char field[RB_ERR_FIELD_MAX];
            if (local.field[0])
                rb_fmt(field, sizeof(field), "%s[%d].%s", key, i, local.field);
            else
                rb_fmt(field, sizeof(field), "%s[%d]", key, i);
            rb_err(ei, rc, field, "%s", local.msg);
            return rc;
        }
    }
    return 0;
}

int rj_list(const cJSON *obj, const char *key, int max, const cJSON **arr, int *n, rb_errinfo *ei)
{
    const cJSON *v = member(obj, key);
    *n = -1;
    if (!v)
        return 0;
    if (!cJSON_IsArray(v))
        return rb_err(ei, RB_EINVAL, key, "\"%s\" must be a list", key);
    int size = cJSON_GetArraySize(v);
    if (size > max)
        return rb_err(ei, RB_EINVAL, key, "\"%s\" holds at most %d items", key, max);
    *arr = v;
    *n = size;
    return 0;
}

bool rj_has(const cJSON *obj, const char *key)
{
    return member(obj, key) != NULL;
}

int rj_str(const cJSON *obj, const char *key, bool required, size_t max_len, const char **out,
           rb_errinfo *ei)
{
    const cJSON *v = member(obj, key);
    if (!v)
        return required ? rb_err(ei, RB_EINVAL, key, "\"%s\" is required", key) : 0;
    if (!cJSON_IsString(v) || !v->valuestring)
        return rb_err(ei, RB_EINVAL, key, "\"%s\" must be a string", key);
    if (strlen(v->valuestring) > max_len)
        return rb_err(ei, RB_EINVAL, key, "\"%s\" is longer than %zu bytes", key, max_len);
    *out = v->valuestring;
    return 0;
}

int rj_text(const cJSON *obj, const char *key, bool required, enum rb_field_kind kind,
            const char **out, rb_errinfo *ei)
{
    const char *v = NULL;
    int rc = rj_str(obj, key, required, SIZE_MAX, &v, ei);
    if (rc || !v)
        return rc;
    if ((rc = rb_field_checks(kind, key, v, ei)))
        return rc;
    *out = v;
    return 0;
}

int rj_int(const cJSON *obj, const char *key, bool required, int64_t min, int64_t max, int64_t *out,
           rb_errinfo *ei)
{
    const cJSON *v = member(obj, key);
    if (!v)
        return required ? rb_err(ei, RB_EINVAL, key, "\"%s\" is required", key) : 0;
    if (!cJSON_IsNumber(v) || v->valuedouble != floor(v->valuedouble))
        return rb_err(ei, RB_EINVAL, key, "\"%s\" must be an integer", key);
    /* (double)INT64_MAX rounds up to 2^63, which does not convert back: refuse it first. */
    if (v->valuedouble >= 9223372036854775808.0 || v->valuedouble < -9223372036854775808.0 ||
        v->valuedouble < (double)min || v->valuedouble > (double)max)
        return rb_err(ei, RB_EINVAL, key, "\"%s\" must be between %" PRId64 " and %" PRId64, key,
                      min, max);
    *out = (int64_t)v->valuedouble;
    return 0;
}

int rj_bool(const cJSON *obj, const char *key, bool required, bool *out, rb_errinfo *ei)
{
    const cJSON *v = member(obj, key);
    if (!v)
        return required ? rb_err(ei, RB_EINVAL, key, "\"%s\" is required", key) : 0;
    if (!cJSON_IsBool(v))
        return rb_err(ei, RB_EINVAL, key, "\"%s\" must be true or false", key);
    *out = cJSON_IsTrue(v);
    return 0;
}

int rj_enum(const cJSON *obj, const char *key, bool required, const char *const *values, int *out,
            rb_errinfo *ei)
{
    const char *s = NULL;
    int rc = rj_str(obj, key, required, 64, &s, ei);
    if (rc || !s)
        return rc;
    for (int i = 0; values[i]; i++)
        if (strcmp(values[i], s) == 0) {
            *out = i;
            return 0;
        }
    char list[200];
    size_t o = 0;
    list[0] = '\0';
    for (int i = 0; values[i] && o < sizeof(list) - 1; i++) {
        int n = snprintf(list + o, sizeof(list) - o, "%s%s", i ? ", " : "", values[i]);
        if (n < 0)
            break;
        o += (size_t)n;
    }
    return rb_err(ei, RB_EINVAL, key, "\"%s\" must be one of: %s", key, list);
}

/* ---- writer ---- */

void rjw_init(rj_writer *w, rb_buf *out)
{
    w->out = out;
    w->depth = 0;
    w->first[0] = true;
    w->after_key = false;
}

/* Places the comma before a value or key at the current level. */
static void sep(rj_writer *w)
{
    if (w->after_key) {
        w->after_key = false;
        return;
    }
    if (!w->first[w->depth])
        rb_buf_addc(w->out, ',');
    w->first[w->depth] = false;
}

static void open(rj_writer *w, char c)
{
    sep(w);
    rb_buf_addc(w->out, c);
    if (w->depth + 1 > RJW_MAX_DEPTH) {
        w->out->err = RB_EINTERNAL;
        return;
    }
    w->first[++w->depth] = true;
}

static void close_(rj_writer *w, char c)
{
    if (w->depth <= 0) {
        w->out->err = RB_EINTERNAL;
        return;
    }
    w->depth--;
    rb_buf_addc(w->out, c);
}

void rjw_obj(rj_writer *w)
{
    open(w, '{');
}
void rjw_obj_end(rj_writer *w)
{
    close_(w, '}');
}
void rjw_arr(rj_writer *w)
{
    open(w, '[');
}
void rjw_arr_end(rj_writer *w)
{
    close_(w, ']');
}

/* How escaped() writes each byte: ESC_NONE as itself, ESC_UTF8 (a lead or stray byte >= 0x80)
 * decoded as UTF-8, any other value is the letter after the backslash, 'u' meaning \u00XX. The
 * \u00XX bytes are the C0 controls without a short form, DEL, and < > & (so JSON is inert if a
 * browser ever sniffs it as HTML). */
enum { ESC_NONE = 0, ESC_UTF8 = 1 };
static const unsigned char esc_class[256] = {
    'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 't', 'n', 'u', 'u', 'r', 'u', 'u', /* 00 */
    'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', /* 10 */
    0, 0, '"', 0, 0, 0, 'u', 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 20 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 'u', 0, 'u', 0, /* 30 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 40 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, '\\', 0, 0, 0, /* 50 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 60 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 'u', /* 70 */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 80 */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 90 */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* a0 */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* b0 */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* c0 */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* d0 */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* e0 */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* f0 */
};

/* Writes s[0..n) as a JSON string. The output is always valid UTF-8: every byte sequence that
 * is not a UTF-8 character (a stray continuation byte, a truncated or overlong sequence, a
 * surrogate, a NUL) is written as U+FFFD REPLACEMENT CHARACTER, one per bad byte. Runs of bytes
 * that need nothing are found by one table look-up each (esc_class) and copied in one go. */
static void escaped(rb_buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)s;
    rb_buf_addc(b, '"');
    size_t start = 0, i = 0;
    while (i < n) {
        unsigned char cls = esc_class[p[i]];
        if (cls == ESC_NONE) {
            i++;
            continue;
        }
        size_t adv = 1;
        const char *rep;
        char u[7];
        if (cls == ESC_UTF8) {
            uint32_t cp;
            adv = rb_utf8_decode(s + i, n - i, &cp);
            if (adv == 0) {
                rep = "\xef\xbf\xbd"; /* U+FFFD */
                adv = 1;
            } else if (cp == 0x2028 || cp == 0x2029) {
                /* Valid JSON but they break JavaScript string literals. */
                rep = cp == 0x2028 ? "\\u2028" : "\\u2029";
            } else {
                i += adv; /* a valid character: part of the run */
                continue;
            }
        } else if (cls == 'u') {
            unsigned char c = p[i];
            u[0] = '\\', u[1] = 'u', u[2] = '0', u[3] = '0', u[4] = hex[c >> 4], u[5] = hex[c & 15];
            u[6] = '\0';
            rep = u;
        } else {
            u[0] = '\\', u[1] = (char)cls, u[2] = '\0';
            rep = u;
        }
        rb_buf_add(b, s + start, i - start);
        rb_buf_adds(b, rep);
        i += adv;
        start = i;
    }
    rb_buf_add(b, s + start, n - start);
    rb_buf_addc(b, '"');
}

/* The fast path of a short string that needs no escaping (most keys and values): a comma when
 * due, the string in quotes and, for a key, the colon, added to the buffer in one go. False when
 * s is long or holds a byte escaped() would change (s is then written by it). */
static bool plain(rj_writer *w, const char *s, size_t n, bool key)
{
    char tmp[160];
    if (n > sizeof(tmp) - 4)
        return false;
    for (size_t i = 0; i < n; i++)
        if (esc_class[(unsigned char)s[i]] != ESC_NONE)
            return false;
    size_t k = 0;
    if (w->after_key)
        w->after_key = false;
    else if (!w->first[w->depth])
        tmp[k++] = ',';
    w->first[w->depth] = false;
    tmp[k++] = '"';
    memcpy(tmp + k, s, n);
    k += n;
    tmp[k++] = '"';
    if (key)
        tmp[k++] = ':';
    rb_buf_add(w->out, tmp, k);
    return true;
}

void rjw_key(rj_writer *w, const char *key)
{
    size_t n = strlen(key);
    if (!plain(w, key, n, true)) {
        sep(w);
        escaped(w->out, key, n);
        rb_buf_addc(w->out, ':');
    }
    w->after_key = true;
}

void rjw_strn(rj_writer *w, const char *s, size_t n)
{
    if (plain(w, s, n, false))
        return;
    sep(w);
    escaped(w->out, s, n);
}

void rjw_str(rj_writer *w, const char *s)
{
    if (!s)
        rjw_null(w);
    else
        rjw_strn(w, s, strlen(s));
}

void rjw_int(rj_writer *w, int64_t v)
{
    sep(w);
    rb_buf_printf(w->out, "%" PRId64, v);
}

/* The shortest decimal form that reads back as exactly v (85.05, not 85.049999999999997). */
void rjw_double(rj_writer *w, double v)
{
    sep(w);
    if (!isfinite(v)) {
        rb_buf_adds(w->out, "null");
        return;
    }
    char tmp[40];
    if (v == floor(v) && fabs(v) < 1e15) { /* whole numbers as integers: 100, not 1e+02 */
        snprintf(tmp, sizeof(tmp), "%.0f", v);
        rb_buf_adds(w->out, strcmp(tmp, "-0") == 0 ? "0" : tmp);
        return;
    }
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(tmp, sizeof(tmp), "%.*g", prec, v);
        if (prec == 17 || strtod(tmp, NULL) == v)
            break;
    }
    rb_buf_adds(w->out, tmp);
}

void rjw_cjson(rj_writer *w, const cJSON *v)
{
    if (w->out->err)
        return; /* already failed (too deep, too big): the rest of the tree would not be kept */
    if (cJSON_IsObject(v)) {
        rjw_obj(w);
        for (const cJSON *c = v->child; c; c = c->next) {
            rjw_key(w, c->string ? c->string : "");
            rjw_cjson(w, c);
        }
        rjw_obj_end(w);
    } else if (cJSON_IsArray(v)) {
        rjw_arr(w);
        for (const cJSON *c = v->child; c; c = c->next)
            rjw_cjson(w, c);
        rjw_arr_end(w);
    } else if (cJSON_IsString(v)) {
        rjw_str(w, v->valuestring);
    } else if (cJSON_IsNumber(v)) {
        rjw_double(w, v->valuedouble);
    } else if (cJSON_IsBool(v)) {
        rjw_bool(w, cJSON_IsTrue(v));
    } else {
        rjw_null(w);
    }
}

void rjw_bool(rj_writer *w, bool v)
{
    sep(w);
    rb_buf_adds(w->out, v ? "true" : "false");
}

void rjw_null(rj_writer *w)
{
    sep(w);
    rb_buf_adds(w->out, "null");
}

void rjw_raw(rj_writer *w, const char *json, size_t n)
{
    sep(w);
    rb_buf_add(w->out, json, n);
}

void rjw_raw_members(rj_writer *w, const char *json, size_t n)
{
    if (n == 0)
        return;
    if (w->after_key) { /* a member where a value belongs */
        w->out->err = RB_EINTERNAL;
        return;
    }
    if (!w->first[w->depth])
        rb_buf_addc(w->out, ',');
    w->first[w->depth] = false;
    rb_buf_add(w->out, json, n);
}

void rjw_kstr(rj_writer *w, const char *key, const char *s)
{
    rjw_key(w, key);
    rjw_str(w, s);
}

void rjw_kint(rj_writer *w, const char *key, int64_t v)
{
    rjw_key(w, key);
    rjw_int(w, v);
}

void rjw_kbool(rj_writer *w, const char *key, bool v)
{
    rjw_key(w, key);
    rjw_bool(w, v);
}

void rjw_kobj(rj_writer *w, const char *key)
{
    rjw_key(w, key);
    rjw_obj(w);
}

void rjw_karr(rj_writer *w, const char *key)
{
    rjw_key(w, key);
    rjw_arr(w);
}

/* The member's value as its type writes it (p points at it, in a struct of that type). */
static void member_value(rj_writer *w, const void *row, const struct rb_member *m)
{
    const struct rb_mtype *t = m->type;
    const unsigned char *p = (const unsigned char *)row + m->offset;
    if (m->write) {
        m->write(w, row);
        return;
    }
    switch (t->kind) {
    case RB_MT_TEXT:
        rjw_str(w, *(char *const *)p);
        break;
    case RB_MT_INT:
    case RB_MT_INDEX:
        rjw_int(w, *(const int *)p);
        break;
    case RB_MT_ENUM:
        rjw_str(w, t->names[*(const int *)p]);
        break;
    case RB_MT_INT64:
        rjw_int(w, *(const int64_t *)p);
        break;
    case RB_MT_BOOL:
        rjw_bool(w, *(const bool *)p);
        break;
    case RB_MT_DOUBLE:
        rjw_double(w, *(const double *)p);
        break;
    case RB_MT_SCORE: /* two decimals; below 0 there is none */
        if (*(const double *)p >= 0)
            rjw_double(w, (double)(int64_t)(*(const double *)p * 100.0 + 0.5) / 100.0);
        else
            rjw_null(w);
        break;
    case RB_MT_CHARS:
        rjw_str(w, (const char *)p);
        break;
    }
}

void rjw_members(rj_writer *w, const void *row, const struct rb_record *rec)
{
    for (size_t i = 0; i < rec->n; i++) {
        const struct rb_member *m = &rec->members[i];
        if (!m->key)
            continue;
        rjw_key(w, m->key);
        member_value(w, row, m);
    }
}

void rjw_record(rj_writer *w, const void *row, const struct rb_record *rec)
{
    rjw_obj(w);
    rjw_members(w, row, rec);
    rjw_obj_end(w);
}

void rjw_krecord(rj_writer *w, const char *key, const void *row, const struct rb_record *rec)
{
    rjw_key(w, key);
    rjw_record(w, row, rec);
}

void rjw_records(rj_writer *w, const void *rows, int n, const struct rb_record *rec)
{
    rjw_arr(w);
    for (int i = 0; i < n; i++)
        rjw_record(w, (const char *)rows + (size_t)i * rec->size, rec);
    rjw_arr_end(w);
}

void rjw_krecords(rj_writer *w, const char *key, const void *rows, int n,
                  const struct rb_record *rec)
{
    rjw_key(w, key);
    rjw_records(w, rows, n, rec);
}

int rjw_finish(const rj_writer *w)
{
    if (w->out->err)
        return w->out->err;
    return w->depth == 0 ? 0 : RB_EINTERNAL;
}
