/*
 * oscal.c - OSCAL 1.x catalogs and profiles in JSON: parse, render prose, write back.
 *
 * The document is parsed once with rj_parse (UTF-8 and nesting checked first), then walked
 * depth-first. Every string kept is copied into the caller's arena, so the cJSON tree is freed
 * before returning. Errors carry the JSON path of the offending member, built in a small capped
 * buffer while descending ("catalog.groups[3].controls[2].id").
 *
 * Must never: trust a count or index taken from input without checking it, recurse deeper than
 * the parser's depth cap allows, let parameter inserts expand without bound (selections may
 * insert parameters that are selections...: expansion depth and total work are both capped), or
 * build JSON by hand (copies are printed by cJSON, output is assembled as a cJSON tree).
 */
#include "base/common.h"
#include "base/utf8.h"
#include "base/crypto.h"
#include "base/mem.h"
#include "formats/oscal.h"
#include "json/field.h"
#include "json/json.h"

/* Selections whose choices insert selections... are expanded this deep; deeper inserts render
 * as "[Assignment: ID]". Also ends cycles (a choice inserting its own parameter). */
#define INSERT_DEPTH_MAX 4
/* Scopes searched for a parameter: the control, its ancestors, its groups, the catalog. */
#define SCOPE_MAX 72

/* ---- JSON paths for error reports ---- */

struct opath {
    char s[192];
    size_t len;
};

static void path_advance(struct opath *p, int n)
{
    if (n > 0)
        p->len += (size_t)n;
    if (p->len >= sizeof(p->s))
        p->len = sizeof(p->s) - 1;
    p->s[p->len] = '\0';
}

/* Appends ".key" (or "key" at the start); returns the length to restore with path_pop. */
static size_t path_key(struct opath *p, const char *key)
{
    size_t old = p->len;
    path_advance(p, snprintf(p->s + p->len, sizeof(p->s) - p->len, "%s%s", p->len ? "." : "", key));
    return old;
}

static size_t path_index(struct opath *p, int i)
{
    size_t old = p->len;
    path_advance(p, snprintf(p->s + p->len, sizeof(p->s) - p->len, "[%d]", i));
    return old;
}

static void path_pop(struct opath *p, size_t old)
{
    p->len = old;
    p->s[old] = '\0';
}

/* ---- the parsing context ---- */

struct idslot {
    const char *id;
    bool is_group;
};

struct pctx {
    rb_arena *a;
    rb_errinfo *ei;
    struct opath path;
    size_t budget; /* bytes of prose rendering may still scan (see render_prose) */
    size_t text_total; /* bytes of rendered text kept so far (OSCAL_MAX_TOTAL_TEXT) */
    struct idslot *ids;
    size_t idmask;
    struct oscal_catalog cat; /* copied to the caller's struct on success only */
    int gcap, ccap;
};

/* Reports an error at the current path (plus ".key" when key is not NULL). */
__attribute__((format(printf, 4, 5))) static int perr(struct pctx *x, int code, const char *key,
                                                      const char *fmt, ...)
{
    char msg[RB_ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    size_t old = key ? path_key(&x->path, key) : x->path.len;
    rb_err(x->ei, code, x->path.s, "%s", msg);
    path_pop(&x->path, old);
    return code;
}

/* The error for a failed arena allocation of n bytes: the cap, or memory. */
static int mem_err(struct pctx *x, size_t n)
{
    if (n >= x->a->cap || x->a->used_total + n + 16 > x->a->cap)
        return perr(x, RB_ETOOBIG, NULL, "the document needs more than the %zu bytes allowed",
                    x->a->cap);
    return perr(x, RB_ENOMEM, NULL, "out of memory");
}

static int palloc(struct pctx *x, size_t count, size_t size, void *out)
{
    void **p = out;
    *p = NULL;
    if (count == 0)
        return 0;
    if (count > SIZE_MAX / size)
        return perr(x, RB_ETOOBIG, NULL, "too many items");
    *p = rb_arena_alloc(x->a, count * size);
    return *p ? 0 : mem_err(x, count * size);
}

static int pstrdup(struct pctx *x, const char *s, const char **out)
{
    size_t n = strlen(s);
    *out = rb_arena_strndup(x->a, s, n);
    return *out ? 0 : mem_err(x, n + 1);
}

/* An id usable in inserts and fragments: not empty, no spaces, controls, braces or commas. */
static bool is_token(const char *s)
{
    if (!s || !*s)
        return false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p <= 0x20 || *p == 0x7f || *p == '{' || *p == '}' || *p == ',')
            return false;
    return true;
}

/* Refuses a second occurrence of any of `keys` in obj (cJSON would silently use the first). */
static int check_dups(struct pctx *x, const cJSON *obj, const char *const *keys)
{
    for (const char *const *k = keys; *k; k++) {
        int seen = 0;
        for (const cJSON *m = obj->child; m; m = m->next)
            if (m->string && strcmp(m->string, *k) == 0 && ++seen > 1)
                return perr(x, RB_EINVAL, *k, "\"%s\" appears twice", *k);
    }
    return 0;
}

enum { OPT = 0, REQ = 1, REQ_TOKEN = 2, OPT_TOKEN = 3 };

/* The field rule (json/field.h) of each OSCAL member rabta reads: OSCAL gives a member the same
 * meaning wherever it appears, so one row per name. Members not listed are prose. */
static const struct {
    const char *key;
    enum rb_field_kind kind;
} member_kinds[] = {
    {"id", FIELD_ID},          {"name", FIELD_ID},
    {"class", FIELD_ID},       {"rel", FIELD_ID},
    {"how-many", FIELD_ID},    {"with-child-controls", FIELD_ID},
    {"with-ids", FIELD_ID},    {"uuid", FIELD_ID},
    {"title", FIELD_TITLE},    {"label", FIELD_TITLE},
    {"text", FIELD_TITLE},     {"href", FIELD_TITLE},
    {"ns", FIELD_TITLE},       {"media-type", FIELD_SHORT},
    {"value", FIELD_NAME},     {"version", FIELD_SHORT},
    {"oscal-version", FIELD_SHORT}, {"last-modified", FIELD_SHORT},
};

static enum rb_field_kind member_kind(const char *key)
{
    for (size_t i = 0; i < RB_ARRAY_LEN(member_kinds); i++)
        if (strcmp(member_kinds[i].key, key) == 0)
            return member_kinds[i].kind;
    return FIELD_PROSE;
}

/* Applies the member's field rule to v (the string at the current path + key). */
static int check_text(struct pctx *x, const char *key, const char *v)
{
    rb_errinfo tmp;
    rb_errinfo_clear(&tmp);
    if (rb_field_checks(member_kind(key), key, v, &tmp))
        return perr(x, RB_EINVAL, NULL, "%s", tmp.msg);
    return 0;
}

/* Reads string member key into *out (an arena copy; out may be NULL to only check it). */
static int get_str(struct pctx *x, const cJSON *obj, const char *key, int how, const char **out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!v)
        return (how == REQ || how == REQ_TOKEN)
                   ? perr(x, RB_EINVAL, key, "missing required \"%s\"", key)
                   : 0;
    if (!cJSON_IsString(v) || !v->valuestring)
        return perr(x, RB_EINVAL, key, "\"%s\" must be a string", key);
    size_t old = path_key(&x->path, key);
    int rc = check_text(x, key, v->valuestring);
    path_pop(&x->path, old);
    if (rc)
        return rc;
    if ((how == REQ_TOKEN || how == OPT_TOKEN) && !is_token(v->valuestring))
        return perr(x, RB_EINVAL, key,
                    "\"%s\" must be a non-empty token (no spaces, braces or commas)", key);
    return out ? pstrdup(x, v->valuestring, out) : 0;
}

/* *out = member key when it is an array (NULL when absent). */
static int get_arr(struct pctx *x, const cJSON *obj, const char *key, const cJSON **out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    *out = NULL;
    if (!v)
        return 0;
    if (!cJSON_IsArray(v))
        return perr(x, RB_EINVAL, key, "\"%s\" must be an array", key);
    *out = v;
    return 0;
}

static int get_obj(struct pctx *x, const cJSON *obj, const char *key, bool required,
                   const cJSON **out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    *out = NULL;
    if (!v)
        return required ? perr(x, RB_EINVAL, key, "missing required \"%s\"", key) : 0;
    if (!cJSON_IsObject(v))
        return perr(x, RB_EINVAL, key, "\"%s\" must be an object", key);
    *out = v;
    return 0;
}

/* An array of strings (member key) copied into the arena. */
static int get_str_arr(struct pctx *x, const cJSON *obj, const char *key, bool tokens,
                       const char ***out, int *n)
{
    const cJSON *arr = NULL;
    *out = NULL;
    *n = 0;
    int rc = get_arr(x, obj, key, &arr);
    if (rc || !arr)
        return rc;
    const char **v = NULL;
    if ((rc = palloc(x, (size_t)cJSON_GetArraySize(arr), sizeof(*v), &v)))
        return rc;
    size_t old = path_key(&x->path, key);
    int i = 0;
    for (const cJSON *e = arr->child; e; e = e->next, i++) {
        size_t o2 = path_index(&x->path, i);
        if (!cJSON_IsString(e) || !e->valuestring)
            rc = perr(x, RB_EINVAL, NULL, "each item of \"%s\" must be a string", key);
        else if ((rc = check_text(x, key, e->valuestring)))
            ;
        else if (tokens && !is_token(e->valuestring))
            rc = perr(x, RB_EINVAL, NULL,
                      "each item of \"%s\" must be a non-empty token (no spaces, braces or "
                      "commas)",
                      key);
        else
            rc = pstrdup(x, e->valuestring, &v[i]);
        path_pop(&x->path, o2);
        if (rc)
            break;
    }
    path_pop(&x->path, old);
    if (rc)
        return rc;
    *out = v;
    *n = i;
    return 0;
}

/* Calls fn for each item of the array member key, which must be objects; the path names each. */
typedef int (*item_fn)(struct pctx *x, cJSON *item, int i, void *arg);

static int each_obj(struct pctx *x, const cJSON *obj, const char *key, item_fn fn, void *arg)
{
    const cJSON *arr = NULL;
    int rc = get_arr(x, obj, key, &arr);
    if (rc || !arr)
        return rc;
    size_t old = path_key(&x->path, key);
    int i = 0;
    for (cJSON *e = arr->child; e && !rc; e = e->next, i++) {
        size_t o2 = path_index(&x->path, i);
        if (!cJSON_IsObject(e))
            rc = perr(x, RB_EINVAL, NULL, "each item of \"%s\" must be an object", key);
        else
            rc = fn(x, e, i, arg);
        path_pop(&x->path, o2);
    }
    path_pop(&x->path, old);
    return rc;
}

/* ---- props, links, params, parts ---- */

struct props_out {
    struct oscal_prop *v; /* NULL: only check */
};

static int prop_item(struct pctx *x, cJSON *p, int i, void *arg)
{
    static const char *const keys[] = {"name", "value", "ns", "class", NULL};
    struct props_out *po = arg;
    struct oscal_prop tmp = {0};
    struct oscal_prop *o = po->v ? &po->v[i] : &tmp;
    const bool keep = po->v != NULL;
    int rc;
    if ((rc = check_dups(x, p, keys)) ||
        (rc = get_str(x, p, "name", REQ, keep ? &o->name : NULL)) ||
        (rc = get_str(x, p, "value", REQ, keep ? &o->value : NULL)) ||
        (rc = get_str(x, p, "ns", OPT, keep ? &o->ns : NULL)) ||
        (rc = get_str(x, p, "class", OPT, keep ? &o->class_ : NULL)))
        return rc;
    return 0;
}

/* Reads obj.props; out may be NULL to only check them. */
static int parse_props(struct pctx *x, const cJSON *obj, struct oscal_prop **out, int *n)
{
    const cJSON *arr = NULL;
    int rc = get_arr(x, obj, "props", &arr);
    if (rc || !arr)
        return rc;
    struct props_out po = {NULL};
    int cnt = cJSON_GetArraySize(arr);
    if (out && (rc = palloc(x, (size_t)cnt, sizeof(*po.v), &po.v)))
        return rc;
    if ((rc = each_obj(x, obj, "props", prop_item, &po)))
        return rc;
    if (out) {
        *out = po.v;
        *n = cnt;
    }
    return 0;
}

static int link_item(struct pctx *x, cJSON *l, int i, void *arg)
{
    static const char *const keys[] = {"href", "rel", "media-type", "text", NULL};
    RB_UNUSED(i);
    RB_UNUSED(arg);
    int rc;
    if ((rc = check_dups(x, l, keys)) || (rc = get_str(x, l, "href", REQ, NULL)) ||
        (rc = get_str(x, l, "rel", OPT, NULL)) || (rc = get_str(x, l, "media-type", OPT, NULL)) ||
        (rc = get_str(x, l, "text", OPT, NULL)))
        return rc;
    return 0;
}

static int guideline_item(struct pctx *x, cJSON *g, int i, void *arg)
{
    static const char *const keys[] = {"prose", NULL};
    RB_UNUSED(i);
    RB_UNUSED(arg);
    int rc = check_dups(x, g, keys);
    return rc ? rc : get_str(x, g, "prose", REQ, NULL);
}

static int param_item(struct pctx *x, cJSON *p, int i, void *arg)
{
    static const char *const keys[] = {"id",      "class",      "label",       "usage",
                                       "values",  "select",     "props",       "links",
                                       "remarks", "guidelines", "constraints", NULL};
    static const char *const skeys[] = {"how-many", "choice", NULL};
    struct oscal_param *o = &((struct oscal_param *)arg)[i];
    const cJSON *sel = NULL;
    int rc;
    if ((rc = check_dups(x, p, keys)) || (rc = get_str(x, p, "id", REQ_TOKEN, &o->id)) ||
        (rc = get_str(x, p, "class", OPT, NULL)) || (rc = get_str(x, p, "label", OPT, &o->label)) ||
        (rc = get_str(x, p, "usage", OPT, NULL)) || (rc = get_str(x, p, "remarks", OPT, NULL)) ||
        (rc = parse_props(x, p, NULL, NULL)) || (rc = each_obj(x, p, "links", link_item, NULL)) ||
        (rc = each_obj(x, p, "guidelines", guideline_item, NULL)) ||
        (rc = get_str_arr(x, p, "values", false, &o->values, &o->nvalues)) ||
        (rc = get_obj(x, p, "select", false, &sel)))
        return rc;
    if (!sel)
        return 0;
    o->has_select = true;
    size_t old = path_key(&x->path, "select");
    if (!(rc = check_dups(x, sel, skeys)) &&
        !(rc = get_str(x, sel, "how-many", OPT, &o->select_how)) && o->select_how &&
        strcmp(o->select_how, "one") != 0 && strcmp(o->select_how, "one-or-more") != 0)
        rc = perr(x, RB_EINVAL, "how-many", "\"how-many\" must be \"one\" or \"one-or-more\"");
    if (!rc)
        rc = get_str_arr(x, sel, "choice", false, &o->choices, &o->nchoices);
    path_pop(&x->path, old);
    return rc;
}

static int parse_params(struct pctx *x, const cJSON *obj, struct oscal_param **out, int *n)
{
    const cJSON *arr = NULL;
    struct oscal_param *v = NULL;
    *out = NULL;
    *n = 0;
    int rc = get_arr(x, obj, "params", &arr);
    if (rc || !arr)
        return rc;
    int cnt = cJSON_GetArraySize(arr);
    if ((rc = palloc(x, (size_t)cnt, sizeof(*v), &v)) ||
        (rc = each_obj(x, obj, "params", param_item, v)))
        return rc;
    *out = v;
    *n = cnt;
    return 0;
}

static int part_item(struct pctx *x, cJSON *p, int i, void *arg)
{
    static const char *const keys[] = {"id",    "name",  "ns",    "class", "title",
                                       "props", "prose", "parts", "links", NULL};
    RB_UNUSED(i);
    RB_UNUSED(arg);
    int rc;
    if ((rc = check_dups(x, p, keys)) || (rc = get_str(x, p, "id", OPT_TOKEN, NULL)) ||
        (rc = get_str(x, p, "name", REQ_TOKEN, NULL)) || (rc = get_str(x, p, "ns", OPT, NULL)) ||
        (rc = get_str(x, p, "class", OPT, NULL)) || (rc = get_str(x, p, "title", OPT, NULL)) ||
        (rc = get_str(x, p, "prose", OPT, NULL)) || (rc = parse_props(x, p, NULL, NULL)) ||
        (rc = each_obj(x, p, "links", link_item, NULL)))
        return rc;
    /* Recursion is bounded: rj_parse refused documents nesting deeper than OSCAL_MAX_DEPTH. */
    return each_obj(x, p, "parts", part_item, NULL);
}

/* ---- prose rendering ---- */

struct scope {
    const struct oscal_param *p;
    int n;
};

struct render {
    rb_buf *b;
    const struct scope *s;
    int ns;
    size_t *budget; /* input bytes the renderer may still scan; past it, RB_ETOOBIG */
};

static const struct oscal_param *scope_find(const struct render *r, const char *id, size_t n)
{
    for (int k = 0; k < r->ns; k++)
        for (int i = 0; i < r->s[k].n; i++) {
            const char *pid = r->s[k].p[i].id;
            if (pid && strncmp(pid, id, n) == 0 && pid[n] == '\0')
                return &r->s[k].p[i];
        }
    return NULL;
}

static bool is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Parses "{{ insert: TYPE, ID }}" at s; returns the bytes it spans, or 0 when it is not one. */
static size_t parse_insert(const char *s, size_t n, rb_str *type, rb_str *id)
{
    size_t i = 2;
    while (i < n && is_ws(s[i]))
        i++;
    if (n - i < 6 || memcmp(s + i, "insert", 6) != 0)
        return 0;
    i += 6;
    while (i < n && is_ws(s[i]))
        i++;
    if (i >= n || s[i] != ':')
        return 0;
    i++;
    while (i < n && is_ws(s[i]))
        i++;
    type->ptr = s + i;
    while (i < n && (s[i] == '-' || s[i] == '_' || (s[i] >= 'a' && s[i] <= 'z') ||
                     (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9')))
        i++;
    type->len = (size_t)(s + i - type->ptr);
    while (i < n && is_ws(s[i]))
        i++;
    if (type->len == 0 || i >= n || s[i] != ',')
        return 0;
    i++;
    while (i < n && is_ws(s[i]))
        i++;
    id->ptr = s + i;
    while (i < n && !is_ws(s[i]) && s[i] != '}' && s[i] != '{' && s[i] != ',')
        i++;
    id->len = (size_t)(s + i - id->ptr);
    while (i < n && is_ws(s[i]))
        i++;
    if (id->len == 0 || n - i < 2 || s[i] != '}' || s[i + 1] != '}')
        return 0;
    return i + 2;
}

static void add_spaces(rb_buf *b, int n)
{
    static const char sp[] = "                                ";
    while (n > 0) {
        int k = n < (int)sizeof(sp) - 1 ? n : (int)sizeof(sp) - 1;
        rb_buf_add(b, sp, (size_t)k);
        n -= k;
    }
}

/* Copies literal text, indenting the lines after each newline (blank lines stay empty). `more`
 * says whether text follows this run on the same line. */
static void emit_literal(rb_buf *b, const char *s, size_t n, int indent, bool more)
{
    if (indent == 0) {
        rb_buf_add(b, s, n);
        return;
    }
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '\n')
            continue;
        rb_buf_add(b, s + start, i + 1 - start);
        start = i + 1;
        if (i + 1 < n ? s[i + 1] != '\n' : more)
            add_spaces(b, indent);
    }
    rb_buf_add(b, s + start, n - start);
}

static void render_prose(struct render *r, const char *s, size_t n, int indent, int depth);

static void render_param(struct render *r, const struct oscal_param *p, rb_str id, int depth)
{
    rb_buf *b = r->b;
    if (p && p->nvalues > 0) {
        for (int i = 0; i < p->nvalues; i++) {
            if (i)
                rb_buf_adds(b, ", ");
            rb_buf_adds(b, p->values[i]);
        }
    } else if (p && p->has_select) {
        bool many = p->select_how && strcmp(p->select_how, "one-or-more") == 0;
        rb_buf_adds(b, many ? "[Selection (one or more): " : "[Selection: ");
        for (int i = 0; i < p->nchoices && !b->err; i++) {
            if (i)
                rb_buf_adds(b, "; ");
            render_prose(r, p->choices[i], strlen(p->choices[i]), 0, depth + 1);
        }
        rb_buf_addc(b, ']');
    } else {
        rb_buf_adds(b, "[Assignment: ");
        if (p && p->label)
            rb_buf_adds(b, p->label);
        else
            rb_buf_add(b, id.ptr, id.len);
        rb_buf_addc(b, ']');
    }
}

/* Appends s[0..n) with its parameter inserts resolved. Every call charges its input to the
 * budget, so selections nested in selections cannot multiply the work without bound. */
static void render_prose(struct render *r, const char *s, size_t n, int indent, int depth)
{
    if (r->b->err)
        return;
    if (*r->budget < n + 16) {
        r->b->err = RB_ETOOBIG;
        return;
    }
    *r->budget -= n + 16;
    size_t i = 0, run = 0;
    while (i + 1 < n && !r->b->err) {
        if (s[i] == '{' && s[i + 1] == '{') {
            rb_str type, id;
            size_t used = parse_insert(s + i, n - i, &type, &id);
            if (used && type.len == 5 && memcmp(type.ptr, "param", 5) == 0) {
                emit_literal(r->b, s + run, i - run, indent, true);
                const struct oscal_param *p =
                    depth < INSERT_DEPTH_MAX ? scope_find(r, id.ptr, id.len) : NULL;
                render_param(r, p, id, depth);
                i += used;
                run = i;
                continue;
            }
        }
        i++;
    }
    emit_literal(r->b, s + run, n - run, indent, false);
}

static void trim(const char **s, size_t *n)
{
    while (*n && is_ws(**s))
        (*s)++, (*n)--;
    while (*n && is_ws((*s)[*n - 1]))
        (*n)--;
}

/* The "label" prop of a part: the one without a class if any, else the first. */
static const char *part_label(const cJSON *part)
{
    const cJSON *props = cJSON_GetObjectItemCaseSensitive(part, "props");
    const char *first = NULL;
    for (const cJSON *p = props ? props->child : NULL; p; p = p->next) {
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(p, "name");
        const cJSON *val = cJSON_GetObjectItemCaseSensitive(p, "value");
        if (!cJSON_IsString(name) || strcmp(name->valuestring, "label") != 0 ||
            !cJSON_IsString(val))
            continue;
        if (!cJSON_GetObjectItemCaseSensitive(p, "class"))
            return val->valuestring;
        if (!first)
            first = val->valuestring;
    }
    return first;
}

/* One part as lines "<indent><label> <prose>", then its sub-parts one level deeper. The top part
 * contributes its prose without a label, and its sub-parts start at level 0. */
static void render_part(struct render *r, const cJSON *part, int level, bool top)
{
    const cJSON *pv = cJSON_GetObjectItemCaseSensitive(part, "prose");
    const char *prose = cJSON_IsString(pv) ? pv->valuestring : NULL;
    size_t n = prose ? strlen(prose) : 0;
    const char *label = top ? NULL : part_label(part);
    if (prose)
        trim(&prose, &n);
    int child_level = level;
    if (n || label) {
        if (r->b->len)
            rb_buf_addc(r->b, '\n');
        add_spaces(r->b, 2 * level);
        if (label) {
            rb_buf_adds(r->b, label);
            if (n)
                rb_buf_addc(r->b, ' ');
        }
        render_prose(r, prose ? prose : "", n, 2 * level, 0);
        if (!top)
            child_level = level + 1;
    }
    const cJSON *parts = cJSON_GetObjectItemCaseSensitive(part, "parts");
    for (const cJSON *c = parts ? parts->child : NULL; c && !r->b->err; c = c->next)
        render_part(r, c, child_level, false);
}

/* Renders the top-level parts of ctl named name1 (or name2) into *out: NULL when there are none,
 * separate parts joined by a blank line. */
static int render_parts(struct pctx *x, const cJSON *ctl, const struct scope *s, int ns,
                        const char *name1, const char *name2, const char **out)
{
    const cJSON *parts = cJSON_GetObjectItemCaseSensitive(ctl, "parts");
    rb_buf b;
    rb_buf_init(&b, OSCAL_MAX_TEXT);
    struct render r = {&b, s, ns, &x->budget};
    bool any = false;
    *out = NULL;
    for (const cJSON *p = parts ? parts->child : NULL; p && !b.err; p = p->next) {
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(p, "name");
        if (!cJSON_IsString(name) || (strcmp(name->valuestring, name1) != 0 &&
                                      (!name2 || strcmp(name->valuestring, name2) != 0)))
            continue;
        size_t mark = b.len;
        bool sep = b.len > 0;
        if (sep)
            rb_buf_addc(&b, '\n');
        render_part(&r, p, 0, true);
        if (sep && !b.err && b.len == mark + 1) /* the part added nothing: drop the separator */
            b.len = mark, b.ptr[mark] = '\0';
        any = true;
    }
    int rc = 0;
    if (b.err == RB_ETOOBIG)
        rc = perr(x, RB_ETOOBIG, "parts",
                  "the rendered \"%s\" text is too large (parameter inserts nest too much)", name1);
    else if (b.err)
        rc = perr(x, b.err, "parts", "out of memory");
    else if (any && (*out = rb_arena_strndup(x->a, rb_buf_cstr(&b), b.len)) == NULL)
        rc = mem_err(x, b.len + 1);
    rb_buf_release(&b);
    return rc;
}

const char *oscal_render_prose(rb_arena *a, const char *prose, const struct oscal_param *params,
                               int nparams, const struct oscal_param *more, int nmore)
{
    if (!prose)
        return rb_arena_strdup(a, "");
    struct scope s[2] = {{params, params ? nparams : 0}, {more, more ? nmore : 0}};
    size_t n = strlen(prose);
    size_t budget = n > OSCAL_MAX_TEXT ? 0 : 16 * n + 16 * OSCAL_MAX_TEXT;
    rb_buf b;
    rb_buf_init(&b, OSCAL_MAX_TEXT);
    struct render r = {&b, s, 2, &budget};
    render_prose(&r, prose, n, 0, 0);
    const char *out = b.err ? NULL : rb_arena_strndup(a, rb_buf_cstr(&b), b.len);
    rb_buf_release(&b);
    return out;
}

/* ---- groups and controls ---- */

static size_t id_hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return (size_t)h;
}

/* Records a group or control id; refuses one seen before. */
static int claim_id(struct pctx *x, const char *id, bool is_group)
{
    size_t i = id_hash(id) & x->idmask;
    for (; x->ids[i].id; i = (i + 1) & x->idmask) {
        if (strcmp(x->ids[i].id, id) != 0)
            continue;
        if (x->ids[i].is_group == is_group)
            return perr(x, RB_EINVAL, "id", "duplicate %s id \"%.*s\"",
                        is_group ? "group" : "control", RB_CUT(id, 64));
        return perr(x, RB_EINVAL, "id", "id \"%.*s\" is already used by a %s", RB_CUT(id, 64),
                    x->ids[i].is_group ? "group" : "control");
    }
    x->ids[i].id = id;
    x->ids[i].is_group = is_group;
    return 0;
}

/* Prints node as compact JSON into the arena. */
static int json_copy(struct pctx *x, const cJSON *node, const char **out)
{
    char *s = cJSON_PrintUnformatted(node);
    if (!s)
        return perr(x, RB_ENOMEM, NULL, "out of memory");
    int rc = pstrdup(x, s, out);
    cJSON_free(s);
    return rc;
}

/* Takes member key out of obj (so copies of obj leave it out); the caller deletes it. */
static cJSON *detach(cJSON *obj, const char *key)
{
    cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    return v ? cJSON_DetachItemViaPointer(obj, v) : NULL;
}

/* Checks the array `kids` (the detached member key) and calls fn on each item. */
static int each_kid(struct pctx *x, cJSON *kids, const char *key, item_fn fn, void *arg)
{
    if (!kids)
        return 0;
    size_t old = path_key(&x->path, key);
    int rc = 0;
    if (!cJSON_IsArray(kids)) {
        rc = perr(x, RB_EINVAL, NULL, "\"%s\" must be an array", key);
    } else {
        int i = 0;
        for (cJSON *e = kids->child; e && !rc; e = e->next, i++) {
            size_t o2 = path_index(&x->path, i);
            if (!cJSON_IsObject(e))
                rc = perr(x, RB_EINVAL, NULL, "each item of \"%s\" must be an object", key);
            else
                rc = fn(x, e, i, arg);
            path_pop(&x->path, o2);
        }
    }
    path_pop(&x->path, old);
    return rc;
}

/* Where a control sits: its group and parent control. */
struct place {
    int group;
    int parent;
};

static int control_item(struct pctx *x, cJSON *node, int i, void *arg);

static const char *prop_label(const struct oscal_prop *p, int n)
{
    const char *first = NULL;
    for (int i = 0; i < n; i++) {
        if (strcmp(p[i].name, "label") != 0)
            continue;
        if (!p[i].class_)
            return p[i].value;
        if (!first)
            first = p[i].value;
    }
    return first;
}

static int control_item(struct pctx *x, cJSON *node, int i, void *arg)
{
    static const char *const keys[] = {"id",    "class", "title",    "params", "props",
                                       "links", "parts", "controls", NULL};
    const struct place *where = arg;
    struct oscal_catalog *cat = &x->cat;
    RB_UNUSED(i);
    if (cat->ncontrols >= x->ccap)
        return perr(x, RB_EINTERNAL, NULL, "control count changed while parsing");
    int ci = cat->ncontrols++;
    struct oscal_control *c = &cat->controls[ci];
    c->group = where->group;
    c->parent = where->parent;
    if (c->parent >= 0)
        cat->nenhancements++;
    int rc = check_dups(x, node, keys);
    cJSON *kids = rc ? NULL : detach(node, "controls");
    if (rc || (rc = get_str(x, node, "id", REQ_TOKEN, &c->id)) ||
        (rc = get_str(x, node, "title", REQ, &c->title)) ||
        (rc = get_str(x, node, "class", OPT, &c->class_)) || (rc = claim_id(x, c->id, false)) ||
        (rc = parse_params(x, node, &c->params, &c->nparams)) ||
        (rc = parse_props(x, node, &c->props, &c->nprops)) ||
        (rc = each_obj(x, node, "links", link_item, NULL)) ||
        (rc = each_obj(x, node, "parts", part_item, NULL)) || (rc = json_copy(x, node, &c->json)))
        goto out;
    c->label = prop_label(c->props, c->nprops);

    /* Parameters are looked up in the control, its ancestors, its groups, then the catalog. */
    struct scope s[SCOPE_MAX];
    int ns = 0;
    for (int k = ci; k >= 0 && ns < SCOPE_MAX - 1; k = cat->controls[k].parent)
        s[ns++] = (struct scope){cat->controls[k].params, cat->controls[k].nparams};
    for (int g = c->group; g >= 0 && ns < SCOPE_MAX - 1; g = cat->groups[g].parent)
        s[ns++] = (struct scope){cat->groups[g].params, cat->groups[g].nparams};
    s[ns++] = (struct scope){cat->params, cat->nparams};
    if ((rc = render_parts(x, node, s, ns, "statement", NULL, &c->statement)) ||
        (rc = render_parts(x, node, s, ns, "guidance", NULL, &c->guidance)) ||
        (rc = render_parts(x, node, s, ns, "assessment-objective", "objective", &c->objectives)))
        goto out;
    x->text_total += (c->statement ? strlen(c->statement) : 0) +
                     (c->guidance ? strlen(c->guidance) : 0) +
                     (c->objectives ? strlen(c->objectives) : 0);
    if (x->text_total > OSCAL_MAX_TOTAL_TEXT) {
        rc = perr(x, RB_ETOOBIG, NULL,
                  "the catalog's statements, guidance and objectives pass %zu bytes in all; "
                  "split it into several catalogs",
                  (size_t)OSCAL_MAX_TOTAL_TEXT);
        goto out;
    }

    struct place sub = {where->group, ci};
    rc = each_kid(x, kids, "controls", control_item, &sub);
out:
    cJSON_Delete(kids);
    return rc;
}

struct gplace {
    int parent;
    int depth;
};

static int group_item(struct pctx *x, cJSON *node, int i, void *arg)
{
    static const char *const keys[] = {"id",    "class", "title",  "params",   "props",
                                       "links", "parts", "groups", "controls", NULL};
    const struct gplace *where = arg;
    struct oscal_catalog *cat = &x->cat;
    RB_UNUSED(i);
    if (cat->ngroups >= x->gcap)
        return perr(x, RB_EINTERNAL, NULL, "group count changed while parsing");
    int gi = cat->ngroups++;
    struct oscal_group *g = &cat->groups[gi];
    g->parent = where->parent;
    g->depth = where->depth;
    cJSON *subgroups = NULL, *controls = NULL;
    int rc = check_dups(x, node, keys);
    if (!rc) {
        subgroups = detach(node, "groups");
        controls = detach(node, "controls");
    }
    if (rc || (rc = get_str(x, node, "id", REQ_TOKEN, &g->id)) ||
        (rc = get_str(x, node, "title", REQ, &g->title)) ||
        (rc = get_str(x, node, "class", OPT, &g->class_)) || (rc = claim_id(x, g->id, true)) ||
        (rc = parse_params(x, node, &g->params, &g->nparams)) ||
        (rc = parse_props(x, node, NULL, NULL)) ||
        (rc = each_obj(x, node, "links", link_item, NULL)) ||
        (rc = each_obj(x, node, "parts", part_item, NULL)) || (rc = json_copy(x, node, &g->json)))
        goto out;
    struct place cp = {gi, -1};
    struct gplace gp = {gi, where->depth + 1};
    if ((rc = each_kid(x, controls, "controls", control_item, &cp)))
        goto out;
    rc = each_kid(x, subgroups, "groups", group_item, &gp);
out:
    cJSON_Delete(subgroups);
    cJSON_Delete(controls);
    return rc;
}

/* Counts the group and control objects below node, to size the arrays once. */
static void count_nodes(const cJSON *node, bool is_group, long *ng, long *nc)
{
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(node, "controls");
    if (cJSON_IsArray(arr))
        for (const cJSON *e = arr->child; e; e = e->next)
            if (cJSON_IsObject(e)) {
                (*nc)++;
                count_nodes(e, false, ng, nc);
            }
    if (!is_group)
        return;
    arr = cJSON_GetObjectItemCaseSensitive(node, "groups");
    if (cJSON_IsArray(arr))
        for (const cJSON *e = arr->child; e; e = e->next)
            if (cJSON_IsObject(e)) {
                (*ng)++;
                count_nodes(e, true, ng, nc);
            }
}

/* Every string of the document obeys at least the prose rule (valid UTF-8, no control characters
 * but tab and line breaks, at most FIELD_PROSE bytes) and every member name the title rule, so
 * nothing stored and exported again (metadata, back-matter, members rabta does not read) carries
 * text a field could not. Embedded files ("base64": {"value": ...}) may be as long as the
 * document. Members rabta reads are checked again by their own, stricter rules (member_kinds). */
static int walk_strings(struct pctx *x, const cJSON *node, bool base64)
{
    int rc = 0, i = 0;
    for (const cJSON *m = node->child; m && !rc; m = m->next, i++) {
        size_t old = m->string ? path_key(&x->path, m->string) : path_index(&x->path, i);
        rb_errinfo tmp;
        rb_errinfo_clear(&tmp);
        if (m->string && rb_field_checks(FIELD_TITLE, "member name", m->string, &tmp))
            rc = perr(x, RB_EINVAL, NULL, "%s", tmp.msg);
        else if (cJSON_IsString(m) && m->valuestring) {
            bool blob = base64 && m->string && strcmp(m->string, "value") == 0;
            if (!blob && rb_field_checks(FIELD_PROSE, m->string ? m->string : "item",
                                         m->valuestring, &tmp))
                rc = perr(x, RB_EINVAL, NULL, "%s", tmp.msg);
        } else if (cJSON_IsObject(m) || cJSON_IsArray(m)) {
            /* Depth is bounded: rj_parse refused documents nesting deeper than OSCAL_MAX_DEPTH. */
            rc = walk_strings(x, m, m->string && strcmp(m->string, "base64") == 0);
        }
        path_pop(&x->path, old);
    }
    return rc;
}

/* Parses text into *root, which must be an object holding the object member `kind`. */
static int parse_root(struct pctx *x, const char *text, size_t len, const char *kind, cJSON **root,
                      cJSON **body)
{
    *root = NULL;
    *body = NULL;
    if (!text)
        return perr(x, RB_EINVAL, NULL, "no document");
    if (len > OSCAL_MAX_BYTES)
        return perr(x, RB_ETOOBIG, NULL, "the document is larger than %zu bytes",
                    (size_t)OSCAL_MAX_BYTES);
    if (rj_parse(text, len, OSCAL_MAX_DEPTH, root, x->ei) != RJ_OK)
        return RB_EINVAL;
    cJSON *b = cJSON_IsObject(*root) ? cJSON_GetObjectItemCaseSensitive(*root, kind) : NULL;
    if (!b)
        return perr(x, RB_EINVAL, kind, "not an OSCAL %s: the top-level object needs \"%s\"", kind,
                    kind);
    if (!cJSON_IsObject(b))
        return perr(x, RB_EINVAL, kind, "\"%s\" must be an object", kind);
    *body = b;
    path_key(&x->path, kind);
    return walk_strings(x, b, false);
}

/* uuid and metadata (title, version...), common to catalogs and profiles. */
static int parse_head(struct pctx *x, const cJSON *body, const char **uuid, const cJSON **meta,
                      const char **title, const char **version)
{
    static const char *const mkeys[] = {"title", "version", "oscal-version", "last-modified", NULL};
    int rc;
    if ((rc = get_str(x, body, "uuid", REQ, uuid)))
        return rc;
    if (!rb_uuid_valid(*uuid))
        return perr(x, RB_EINVAL, "uuid", "\"uuid\" must be a UUID (8-4-4-4-12 hex digits)");
    if ((rc = get_obj(x, body, "metadata", true, meta)))
        return rc;
    size_t old = path_key(&x->path, "metadata");
    if (!(rc = check_dups(x, *meta, mkeys)) && !(rc = get_str(x, *meta, "title", REQ, title)))
        rc = get_str(x, *meta, "version", OPT, version);
    path_pop(&x->path, old);
    return rc;
}

int oscal_catalog_parse(const char *text, size_t len, rb_arena *a, struct oscal_catalog *out,
                        rb_errinfo *ei)
{
    static const char *const keys[] = {"uuid",   "metadata",    "params", "controls",
                                       "groups", "back-matter", NULL};
    struct pctx x;
    memset(&x, 0, sizeof(x));
    x.a = a;
    x.ei = ei;
    x.budget = 16 * len + 16 * OSCAL_MAX_TEXT;
    rb_errinfo_clear(ei);
    struct oscal_catalog *cat = &x.cat;
    cJSON *root = NULL, *body = NULL;
    const cJSON *meta = NULL, *back = NULL, *params = NULL;
    int rc = parse_root(&x, text, len, "catalog", &root, &body);
    if (rc || (rc = check_dups(&x, body, keys)) ||
        (rc = parse_head(&x, body, &cat->uuid, &meta, &cat->title, &cat->version)))
        goto out;
    size_t old = path_key(&x.path, "metadata");
    if (!(rc = get_str(&x, meta, "oscal-version", OPT, &cat->oscal_version)) &&
        !(rc = get_str(&x, meta, "last-modified", OPT, &cat->last_modified)))
        rc = json_copy(&x, meta, &cat->metadata_json);
    path_pop(&x.path, old);
    if (rc || (rc = parse_params(&x, body, &cat->params, &cat->nparams)) ||
        (rc = get_arr(&x, body, "params", &params)) ||
        (params && (rc = json_copy(&x, params, &cat->params_json))) ||
        (rc = get_obj(&x, body, "back-matter", false, &back)) ||
        (back && (rc = json_copy(&x, back, &cat->back_matter_json))))
        goto out;

    long ng = 0, nc = 0;
    count_nodes(body, true, &ng, &nc);
    if (nc > OSCAL_MAX_CONTROLS || ng > OSCAL_MAX_GROUPS) {
        rc = perr(&x, RB_ETOOBIG, NULL,
                  "the catalog has %ld controls and %ld groups; at most %d controls (enhancements "
                  "included) and %d groups are allowed",
                  nc, ng, OSCAL_MAX_CONTROLS, OSCAL_MAX_GROUPS);
        goto out;
    }
    x.gcap = (int)ng;
    x.ccap = (int)nc;
    size_t slots = 16;
    while (slots < 2 * (size_t)(ng + nc))
        slots *= 2;
    x.idmask = slots - 1;
    x.ids = rb_calloc(slots, sizeof(*x.ids));
    if (!x.ids) {
        rc = perr(&x, RB_ENOMEM, NULL, "out of memory");
        goto out;
    }
    if ((rc = palloc(&x, (size_t)ng, sizeof(*cat->groups), &cat->groups)) ||
        (rc = palloc(&x, (size_t)nc, sizeof(*cat->controls), &cat->controls)))
        goto out;

    struct place cp = {-1, -1};
    struct gplace gp = {-1, 0};
    if ((rc = each_obj(&x, body, "controls", control_item, &cp)) ||
        (rc = each_obj(&x, body, "groups", group_item, &gp)))
        goto out;
    *out = *cat;
out:
    rb_free(x.ids);
    cJSON_Delete(root);
    return rc;
}

/* ---- writing ---- */

/* A JSON copy as a cJSON object without the members the parser nests (a group's groups and
 * controls, a control's controls), or {id, class, title} when absent. A control's "groups" is
 * no nesting of ours: the parser keeps it in the copy verbatim, so it is written back. */
static cJSON *load_node(const char *json, bool group, const char *id, const char *title,
                        const char *class_)
{
    cJSON *n = NULL;
    if (json) {
        n = cJSON_Parse(json);
        if (!cJSON_IsObject(n)) {
            cJSON_Delete(n);
            return NULL;
        }
        if (group)
            cJSON_DeleteItemFromObjectCaseSensitive(n, "groups");
        cJSON_DeleteItemFromObjectCaseSensitive(n, "controls");
        return n;
    }
    n = cJSON_CreateObject();
    if (!n || !cJSON_AddStringToObject(n, "id", id ? id : "") ||
        (class_ && !cJSON_AddStringToObject(n, "class", class_)) ||
        !cJSON_AddStringToObject(n, "title", title ? title : "")) {
        cJSON_Delete(n);
        return NULL;
    }
    return n;
}

/* The array member key of node, created when missing. */
static cJSON *child_array(cJSON *node, const char *key)
{
    cJSON *arr = cJSON_GetObjectItemCaseSensitive(node, key);
    return arr ? arr : cJSON_AddArrayToObject(node, key);
}

/* Parses json (when not NULL) and adds it to obj as key; it must be an object or array. */
static int add_raw(cJSON *obj, const char *key, const char *json, bool array)
{
    if (!json)
        return 0;
    cJSON *v = cJSON_Parse(json);
    if (!v || (array ? !cJSON_IsArray(v) : !cJSON_IsObject(v))) {
        cJSON_Delete(v);
        return RB_EINVAL;
    }
    if (!cJSON_AddItemToObject(obj, key, v)) {
        cJSON_Delete(v);
        return RB_ENOMEM;
    }
    return 0;
}

int oscal_catalog_write(const struct oscal_catalog *c, rb_buf *out)
{
    int rc = RB_EINVAL;
    cJSON *root = NULL, *cat = NULL, *gtop = NULL, *ctop = NULL;
    cJSON **gn = NULL, **cn = NULL;
    char *s = NULL;
    /* Parents come first in document order; anything else is not a tree we wrote. */
    for (int i = 0; i < c->ngroups; i++)
        if (c->groups[i].parent < -1 || c->groups[i].parent >= i)
            goto out;
    for (int i = 0; i < c->ncontrols; i++)
        if (c->controls[i].parent < -1 || c->controls[i].parent >= i || c->controls[i].group < -1 ||
            c->controls[i].group >= c->ngroups)
            goto out;
    rc = RB_ENOMEM;
    gn = rb_calloc((size_t)c->ngroups + 1, sizeof(*gn));
    cn = rb_calloc((size_t)c->ncontrols + 1, sizeof(*cn));
    if (!gn || !cn || !(root = cJSON_CreateObject()) ||
        !(cat = cJSON_AddObjectToObject(root, "catalog")) ||
        !cJSON_AddStringToObject(cat, "uuid", c->uuid ? c->uuid : ""))
        goto out;
    if (c->metadata_json) {
        if ((rc = add_raw(cat, "metadata", c->metadata_json, false)))
            goto out;
    } else {
        cJSON *m = cJSON_AddObjectToObject(cat, "metadata");
        if (!m || !cJSON_AddStringToObject(m, "title", c->title ? c->title : "") ||
            (c->last_modified && !cJSON_AddStringToObject(m, "last-modified", c->last_modified)) ||
            (c->version && !cJSON_AddStringToObject(m, "version", c->version)) ||
            (c->oscal_version && !cJSON_AddStringToObject(m, "oscal-version", c->oscal_version)))
            goto out;
    }
    if ((rc = add_raw(cat, "params", c->params_json, true)))
        goto out;
    rc = RB_ENOMEM;
    for (int i = 0; i < c->ngroups; i++)
        if (c->groups[i].parent < 0 && !gtop && !(gtop = cJSON_AddArrayToObject(cat, "groups")))
            goto out;
    for (int i = 0; i < c->ncontrols; i++)
        if (c->controls[i].parent < 0 && c->controls[i].group < 0 && !ctop &&
            !(ctop = cJSON_AddArrayToObject(cat, "controls")))
            goto out;

    /* Attach in index order: a parent is always attached before its children. */
    for (int i = 0; i < c->ngroups; i++) {
        const struct oscal_group *g = &c->groups[i];
        cJSON *arr = g->parent < 0 ? gtop : child_array(gn[g->parent], "groups");
        rc = RB_ENOMEM;
        if (!arr)
            goto out;
        if (!(gn[i] = load_node(g->json, true, g->id, g->title, g->class_))) {
            rc = g->json ? RB_EINVAL : RB_ENOMEM;
            goto out;
        }
        if (!cJSON_AddItemToArray(arr, gn[i])) {
            cJSON_Delete(gn[i]);
            goto out;
        }
    }
    for (int i = 0; i < c->ncontrols; i++) {
        const struct oscal_control *k = &c->controls[i];
        cJSON *arr = k->parent >= 0  ? child_array(cn[k->parent], "controls")
                     : k->group >= 0 ? child_array(gn[k->group], "controls")
                                     : ctop;
        rc = RB_ENOMEM;
        if (!arr)
            goto out;
        if (!(cn[i] = load_node(k->json, false, k->id, k->title, k->class_))) {
            rc = k->json ? RB_EINVAL : RB_ENOMEM;
            goto out;
        }
        if (!cJSON_AddItemToArray(arr, cn[i])) {
            cJSON_Delete(cn[i]);
            goto out;
        }
    }
    if ((rc = add_raw(cat, "back-matter", c->back_matter_json, false)))
        goto out;
    rc = RB_ENOMEM;
    if (!(s = cJSON_PrintUnformatted(root)))
        goto out;
    rc = rb_buf_add(out, s, strlen(s));
out:
    cJSON_free(s);
    cJSON_Delete(root);
    rb_free(gn);
    rb_free(cn);
    return rc;
}

/* ---- profiles ---- */

struct sel_acc {
    struct oscal_import *imp;
    bool exclude;
    bool fill; /* false: count ids only */
};

static int selector_item(struct pctx *x, cJSON *sel, int i, void *arg)
{
    static const char *const keys[] = {"with-child-controls", "with-ids", "matching", NULL};
    struct sel_acc *acc = arg;
    const char *wcc = NULL;
    const char **ids = NULL;
    int nids = 0, rc;
    RB_UNUSED(i);
    if ((rc = check_dups(x, sel, keys)) ||
        (rc = get_str(x, sel, "with-child-controls", OPT, acc->fill ? &wcc : NULL)))
        return rc;
    if (!acc->fill) {
        const cJSON *w = cJSON_GetObjectItemCaseSensitive(sel, "with-child-controls");
        if (w && strcmp(w->valuestring, "yes") != 0 && strcmp(w->valuestring, "no") != 0)
            return perr(x, RB_EINVAL, "with-child-controls",
                        "\"with-child-controls\" must be \"yes\" or \"no\"");
        if (cJSON_GetObjectItemCaseSensitive(sel, "matching"))
            return perr(x, RB_EINVAL, "matching",
                        "\"matching\" patterns are not supported; list the controls in "
                        "\"with-ids\"");
        const cJSON *arr = NULL;
        if ((rc = get_arr(x, sel, "with-ids", &arr)))
            return rc;
        int n = arr ? cJSON_GetArraySize(arr) : 0;
        int *count = acc->exclude ? &acc->imp->nexclude : &acc->imp->ninclude;
        if (n > INT_MAX / 2 - *count)
            return perr(x, RB_ETOOBIG, "with-ids", "too many ids");
        *count += n;
        return 0;
    }
    if ((rc = get_str_arr(x, sel, "with-ids", true, &ids, &nids)))
        return rc;
    bool children = wcc && strcmp(wcc, "yes") == 0;
    const char **dst = acc->exclude ? acc->imp->exclude_ids : acc->imp->include_ids;
    bool *kids = acc->exclude ? acc->imp->exclude_children : acc->imp->include_children;
    int *n = acc->exclude ? &acc->imp->nexclude : &acc->imp->ninclude;
    for (int k = 0; k < nids; k++) {
        dst[*n] = ids[k];
        kids[*n] = children;
        (*n)++;
    }
    return 0;
}

static int import_item(struct pctx *x, cJSON *node, int i, void *arg)
{
    static const char *const keys[] = {"href", "include-all", "include-controls",
                                       "exclude-controls", NULL};
    struct oscal_import *imp = &((struct oscal_import *)arg)[i];
    const cJSON *all = NULL;
    int rc;
    if ((rc = check_dups(x, node, keys)) || (rc = get_str(x, node, "href", REQ, &imp->href)) ||
        (rc = get_obj(x, node, "include-all", false, &all)))
        return rc;
    if (!*imp->href)
        return perr(x, RB_EINVAL, "href", "\"href\" must not be empty");
    bool has_inc = cJSON_GetObjectItemCaseSensitive(node, "include-controls") != NULL;
    if (all && has_inc)
        return perr(x, RB_EINVAL, "include-controls",
                    "use either \"include-all\" or \"include-controls\", not both");
    if (!all && !has_inc)
        return perr(x, RB_EINVAL, NULL, "an import needs \"include-all\" or \"include-controls\"");
    imp->include_all = all != NULL;
    /* First pass checks the selectors and counts ids, the second copies them. */
    struct sel_acc inc = {imp, false, false}, exc = {imp, true, false};
    if ((rc = each_obj(x, node, "include-controls", selector_item, &inc)) ||
        (rc = each_obj(x, node, "exclude-controls", selector_item, &exc)))
        return rc;
    if ((rc = palloc(x, (size_t)imp->ninclude, sizeof(*imp->include_ids), &imp->include_ids)) ||
        (rc = palloc(x, (size_t)imp->ninclude, sizeof(bool), &imp->include_children)) ||
        (rc = palloc(x, (size_t)imp->nexclude, sizeof(*imp->exclude_ids), &imp->exclude_ids)) ||
        (rc = palloc(x, (size_t)imp->nexclude, sizeof(bool), &imp->exclude_children)))
        return rc;
    imp->ninclude = imp->nexclude = 0;
    inc.fill = exc.fill = true;
    if ((rc = each_obj(x, node, "include-controls", selector_item, &inc)) ||
        (rc = each_obj(x, node, "exclude-controls", selector_item, &exc)))
        return rc;
    return 0;
}

int oscal_profile_parse(const char *text, size_t len, rb_arena *a, struct oscal_profile *out,
                        rb_errinfo *ei)
{
    static const char *const keys[] = {"uuid",   "metadata",    "imports", "merge",
                                       "modify", "back-matter", NULL};
    struct pctx x;
    memset(&x, 0, sizeof(x));
    x.a = a;
    x.ei = ei;
    rb_errinfo_clear(ei);
    struct oscal_profile p;
    memset(&p, 0, sizeof(p));
    cJSON *root = NULL, *body = NULL;
    const cJSON *meta = NULL, *imports = NULL;
    int rc = parse_root(&x, text, len, "profile", &root, &body);
    if (rc || (rc = check_dups(&x, body, keys)) ||
        (rc = parse_head(&x, body, &p.uuid, &meta, &p.title, &p.version)) ||
        (rc = get_arr(&x, body, "imports", &imports)))
        goto out;
    if (!imports || cJSON_GetArraySize(imports) == 0) {
        rc = perr(&x, RB_EINVAL, "imports", "a profile needs at least one import in \"imports\"");
        goto out;
    }
    p.nimports = cJSON_GetArraySize(imports);
    if ((rc = palloc(&x, (size_t)p.nimports, sizeof(*p.imports), &p.imports)) ||
        (rc = each_obj(&x, body, "imports", import_item, p.imports)) ||
        (rc = json_copy(&x, body, &p.json)))
        goto out;
    *out = p;
out:
    cJSON_Delete(root);
    return rc;
}

struct id_ix {
    const char *id;
    int idx;
};

static int id_ix_cmp(const void *a, const void *b)
{
    return strcmp(((const struct id_ix *)a)->id, ((const struct id_ix *)b)->id);
}

static int find_control(const struct id_ix *ix, int n, const char *id)
{
    struct id_ix key = {id, 0};
    const struct id_ix *hit = id ? bsearch(&key, ix, (size_t)n, sizeof(*ix), id_ix_cmp) : NULL;
    return hit ? hit->idx : -1;
}

/* True when control j descends from control i (bounded walk: input may not be a tree). */
static bool descends(const struct oscal_catalog *c, int j, int i)
{
    int steps = 0;
    for (int k = c->controls[j].parent; k >= 0 && k < c->ncontrols && steps < c->ncontrols;
         k = c->controls[k].parent, steps++)
        if (k == i)
            return true;
    return false;
}

static void mark(const struct oscal_catalog *c, bool *selected, int i, bool children, bool on)
{
    selected[i] = on;
    if (!children)
        return;
    for (int j = 0; j < c->ncontrols; j++)
        if (j != i && descends(c, j, i))
            selected[j] = on;
}

int oscal_profile_select(const struct oscal_import *imp, const struct oscal_catalog *c,
                         bool *selected, rb_errinfo *ei)
{
    rb_errinfo_clear(ei);
    int n = c->ncontrols;
    if (n > 0)
        memset(selected, 0, (size_t)n * sizeof(*selected));
    struct id_ix *ix = NULL;
    if (n > 0 && imp->ninclude + imp->nexclude > 0) {
        ix = rb_malloc((size_t)n * sizeof(*ix));
        if (!ix)
            return rb_err(ei, RB_ENOMEM, "", "out of memory");
        for (int i = 0; i < n; i++)
            ix[i] = (struct id_ix){c->controls[i].id ? c->controls[i].id : "", i};
        qsort(ix, (size_t)n, sizeof(*ix), id_ix_cmp);
    }
    if (imp->include_all)
        for (int i = 0; i < n; i++)
            selected[i] = true;
    int missing_inc = 0, missing = 0;
    const char *first_missing = NULL;
    for (int k = 0; k < imp->ninclude; k++) {
        int i = ix ? find_control(ix, n, imp->include_ids[k]) : -1;
        if (i < 0) {
            missing_inc++;
            if (!first_missing)
                first_missing = imp->include_ids[k];
            continue;
        }
        mark(c, selected, i, imp->include_children && imp->include_children[k], true);
    }
    missing = missing_inc;
    for (int k = 0; k < imp->nexclude; k++) {
        int i = ix ? find_control(ix, n, imp->exclude_ids[k]) : -1;
        if (i < 0) {
            missing++;
            if (!first_missing)
                first_missing = imp->exclude_ids[k];
            continue;
        }
        mark(c, selected, i, imp->exclude_children && imp->exclude_children[k], false);
    }
    rb_free(ix);
    int count = 0;
    for (int i = 0; i < n; i++)
        count += selected[i] ? 1 : 0;
    const char *fm = first_missing ? first_missing : "";
    if (imp->ninclude > 0 && missing_inc == imp->ninclude)
        return rb_err(ei, RB_ENOTFOUND, "with-ids",
                      "none of the %d listed ids is a control of the catalog (first: \"%.*s\")",
                      imp->ninclude, RB_CUT(fm, 64));
    if (missing > 0)
        rb_err(ei, RB_OK, "with-ids",
               "%d listed id(s) are not controls of the catalog (first: \"%.*s\")", missing, RB_CUT(fm, 64));
    return count;
}
