/*
 * oscal_catalog.c - OSCAL catalogs: parse, render prose, write back (formats/oscal.h). How the
 * codec's files fit together, and how a document is read, is explained atop oscal_int.h.
 *
 * A catalog is walked depth-first: groups, and in each its controls before its subgroups, each
 * control followed by its enhancements. The group and control arrays are counted and allocated
 * once, before the walk; ids are claimed in a hash table as they are met (unique across groups
 * and controls). Each control's statement, guidance and objectives are rendered as it is read,
 * with the parameters of the control, its ancestors, its groups and the catalog in scope.
 *
 * Must never: trust a count or index taken from input without checking it, recurse deeper than
 * the parser's depth cap allows, let parameter inserts expand without bound (selections may
 * insert parameters that are selections...: expansion depth and total work are both capped), or
 * build JSON by hand (copies are printed by cJSON, output is assembled as a cJSON tree).
 */
#include "base/common.h"
#include "base/mem.h"
#include "base/utf8.h"
#include "formats/oscal_int.h"
#include "json/json.h"

/* Selections whose choices insert selections... are expanded this deep; deeper inserts render
 * as "[Assignment: ID]". Also ends cycles (a choice inserting its own parameter). */
#define INSERT_DEPTH_MAX 4
/* Scopes searched for a parameter: the control, its ancestors, its groups, the catalog. */
#define SCOPE_MAX 72

/* ---- the parsing context ---- */

struct idslot {
    const char *id;
    bool is_group;
};

/* A catalog read: the document (path, arena, errors) and what the walk builds. The item
 * callbacks get the rj_doc; pctx_of finds the catalog around it. */
struct pctx {
    rj_doc doc;
    size_t budget;     /* bytes of prose rendering may still scan (see render_prose) */
    size_t text_total; /* bytes of rendered text kept so far (OSCAL_MAX_TOTAL_TEXT) */
    struct idslot *ids;
    size_t idmask;
    struct oscal_catalog cat; /* copied to the caller's struct on success only */
    int gcap, ccap;
};

static struct pctx *pctx_of(rj_doc *d)
{
    return (struct pctx *)(void *)((char *)d - offsetof(struct pctx, doc));
}

/* ---- props, links, params, parts ---- */

struct props_out {
    struct oscal_prop *v; /* NULL: only check */
};

static int prop_item(rj_doc *d, cJSON *p, int i, void *arg)
{
    static const char *const keys[] = {"name", "value", "ns", "class", NULL};
    struct props_out *po = arg;
    struct oscal_prop tmp = {0};
    struct oscal_prop *o = po->v ? &po->v[i] : &tmp;
    const bool keep = po->v != NULL;
    int rc;
    if ((rc = rjd_unique(d, p, keys)) ||
        (rc = rjd_str(d, p, "name", RJD_REQUIRED, keep ? &o->name : NULL)) ||
        (rc = rjd_str(d, p, "value", RJD_REQUIRED, keep ? &o->value : NULL)) ||
        (rc = rjd_str(d, p, "ns", RJD_OPTIONAL, keep ? &o->ns : NULL)) ||
        (rc = rjd_str(d, p, "class", RJD_OPTIONAL, keep ? &o->class_ : NULL)))
        return rc;
    return 0;
}

/* Reads obj.props; out may be NULL to only check them. */
static int parse_props(rj_doc *d, const cJSON *obj, struct oscal_prop **out, int *n)
{
    const cJSON *arr = NULL;
    int rc = rjd_arr(d, obj, "props", &arr);
    if (rc || !arr)
        return rc;
    struct props_out po = {NULL};
    int cnt = cJSON_GetArraySize(arr);
    if (out && (rc = rjd_alloc(d, (size_t)cnt, sizeof(*po.v), &po.v)))
        return rc;
    if ((rc = rjd_each(d, obj, "props", prop_item, &po)))
        return rc;
    if (out) {
        *out = po.v;
        *n = cnt;
    }
    return 0;
}

static int link_item(rj_doc *d, cJSON *l, int i, void *arg)
{
    static const char *const keys[] = {"href", "rel", "media-type", "text", NULL};
    RB_UNUSED(i);
    RB_UNUSED(arg);
    int rc;
    if ((rc = rjd_unique(d, l, keys)) || (rc = rjd_str(d, l, "href", RJD_REQUIRED, NULL)) ||
        (rc = rjd_str(d, l, "rel", RJD_OPTIONAL, NULL)) ||
        (rc = rjd_str(d, l, "media-type", RJD_OPTIONAL, NULL)) ||
        (rc = rjd_str(d, l, "text", RJD_OPTIONAL, NULL)))
        return rc;
    return 0;
}

static int guideline_item(rj_doc *d, cJSON *g, int i, void *arg)
{
    static const char *const keys[] = {"prose", NULL};
    RB_UNUSED(i);
    RB_UNUSED(arg);
    int rc = rjd_unique(d, g, keys);
    return rc ? rc : rjd_str(d, g, "prose", RJD_REQUIRED, NULL);
}

static int param_item(rj_doc *d, cJSON *p, int i, void *arg)
{
    static const char *const keys[] = {"id",      "class",      "label",       "usage",
                                       "values",  "select",     "props",       "links",
                                       "remarks", "guidelines", "constraints", NULL};
    static const char *const skeys[] = {"how-many", "choice", NULL};
    struct oscal_param *o = &((struct oscal_param *)arg)[i];
    const cJSON *sel = NULL;
    int rc;
    if ((rc = rjd_unique(d, p, keys)) ||
        (rc = rjd_str(d, p, "id", RJD_REQUIRED | RJD_TOKEN, &o->id)) ||
        (rc = rjd_str(d, p, "class", RJD_OPTIONAL, NULL)) ||
        (rc = rjd_str(d, p, "label", RJD_OPTIONAL, &o->label)) ||
        (rc = rjd_str(d, p, "usage", RJD_OPTIONAL, NULL)) ||
        (rc = rjd_str(d, p, "remarks", RJD_OPTIONAL, NULL)) ||
        (rc = parse_props(d, p, NULL, NULL)) || (rc = rjd_each(d, p, "links", link_item, NULL)) ||
        (rc = rjd_each(d, p, "guidelines", guideline_item, NULL)) ||
        (rc = rjd_strs(d, p, "values", RJD_OPTIONAL, &o->values, &o->nvalues)) ||
        (rc = rjd_obj(d, p, "select", false, &sel)))
        return rc;
    if (!sel)
        return 0;
    o->has_select = true;
    size_t old = rjd_push(d, "select");
    if (!(rc = rjd_unique(d, sel, skeys)) &&
        !(rc = rjd_str(d, sel, "how-many", RJD_OPTIONAL, &o->select_how)) && o->select_how &&
        strcmp(o->select_how, "one") != 0 && strcmp(o->select_how, "one-or-more") != 0)
        rc = rjd_err(d, RB_EINVAL, "how-many", "\"how-many\" must be \"one\" or \"one-or-more\"");
    if (!rc)
        rc = rjd_strs(d, sel, "choice", RJD_OPTIONAL, &o->choices, &o->nchoices);
    rjd_pop(d, old);
    return rc;
}

static int parse_params(rj_doc *d, const cJSON *obj, struct oscal_param **out, int *n)
{
    const cJSON *arr = NULL;
    struct oscal_param *v = NULL;
    *out = NULL;
    *n = 0;
    int rc = rjd_arr(d, obj, "params", &arr);
    if (rc || !arr)
        return rc;
    int cnt = cJSON_GetArraySize(arr);
    if ((rc = rjd_alloc(d, (size_t)cnt, sizeof(*v), &v)) ||
        (rc = rjd_each(d, obj, "params", param_item, v)))
        return rc;
    *out = v;
    *n = cnt;
    return 0;
}

static int part_item(rj_doc *d, cJSON *p, int i, void *arg)
{
    static const char *const keys[] = {"id",    "name",  "ns",    "class", "title",
                                       "props", "prose", "parts", "links", NULL};
    RB_UNUSED(i);
    RB_UNUSED(arg);
    int rc;
    if ((rc = rjd_unique(d, p, keys)) || (rc = rjd_str(d, p, "id", RJD_TOKEN, NULL)) ||
        (rc = rjd_str(d, p, "name", RJD_REQUIRED | RJD_TOKEN, NULL)) ||
        (rc = rjd_str(d, p, "ns", RJD_OPTIONAL, NULL)) ||
        (rc = rjd_str(d, p, "class", RJD_OPTIONAL, NULL)) ||
        (rc = rjd_str(d, p, "title", RJD_OPTIONAL, NULL)) ||
        (rc = rjd_str(d, p, "prose", RJD_OPTIONAL, NULL)) || (rc = parse_props(d, p, NULL, NULL)) ||
        (rc = rjd_each(d, p, "links", link_item, NULL)))
        return rc;
    /* Recursion is bounded: rj_parse refused documents nesting deeper than OSCAL_MAX_DEPTH. */
    return rjd_each(d, p, "parts", part_item, NULL);
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
static int render_parts(rj_doc *d, const cJSON *ctl, const struct scope *s, int ns,
                        const char *name1, const char *name2, const char **out)
{
    const cJSON *parts = cJSON_GetObjectItemCaseSensitive(ctl, "parts");
    rb_buf b;
    rb_buf_init(&b, OSCAL_MAX_TEXT);
    struct render r = {&b, s, ns, &pctx_of(d)->budget};
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
        rc = rjd_err(d, RB_ETOOBIG, "parts",
                     "the rendered \"%s\" text is too large (parameter inserts nest too much)",
                     name1);
    else if (b.err)
        rc = rjd_err(d, b.err, "parts", "out of memory");
    else if (any)
        rc = rjd_strndup(d, rb_buf_cstr(&b), b.len, out);
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

/* Records a group or control id; refuses one seen before. */
static int claim_id(rj_doc *d, const char *id, bool is_group)
{
    struct pctx *x = pctx_of(d);
    size_t i = oscal__id_hash(id) & x->idmask;
    for (; x->ids[i].id; i = (i + 1) & x->idmask) {
        if (strcmp(x->ids[i].id, id) != 0)
            continue;
        if (x->ids[i].is_group == is_group)
            return rjd_err(d, RB_EINVAL, "id", "duplicate %s id \"%.*s\"",
                           is_group ? "group" : "control", RB_CUT(id, 64));
        return rjd_err(d, RB_EINVAL, "id", "id \"%.*s\" is already used by a %s", RB_CUT(id, 64),
                       x->ids[i].is_group ? "group" : "control");
    }
    x->ids[i].id = id;
    x->ids[i].is_group = is_group;
    return 0;
}

/* Takes member key out of obj (so copies of obj leave it out); the caller deletes it. */
static cJSON *detach(cJSON *obj, const char *key)
{
    cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    return v ? cJSON_DetachItemViaPointer(obj, v) : NULL;
}

/* Where a control sits: its group and parent control. */
struct place {
    int group;
    int parent;
};

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

/* Where a group or a control keeps what both have: read_node fills these. props NULL: a group's
 * props are only checked. */
struct node {
    const char **id, **title, **class_;
    struct oscal_param **params;
    int *nparams;
    struct oscal_prop **props;
    int *nprops;
    const char **json;
};

/* Reads what groups and controls share, in this order for both (so the first problem reported
 * is the same): id, title and class, the id claimed, params, props, links, parts, and the JSON
 * copy of the node (the caller detached the members it nests first). */
static int read_node(rj_doc *d, cJSON *node, bool is_group, const struct node *n)
{
    int rc;
    if ((rc = rjd_str(d, node, "id", RJD_REQUIRED | RJD_TOKEN, n->id)) ||
        (rc = rjd_str(d, node, "title", RJD_REQUIRED, n->title)) ||
        (rc = rjd_str(d, node, "class", RJD_OPTIONAL, n->class_)) ||
        (rc = claim_id(d, *n->id, is_group)) ||
        (rc = parse_params(d, node, n->params, n->nparams)) ||
        (rc = parse_props(d, node, n->props, n->nprops)) ||
        (rc = rjd_each(d, node, "links", link_item, NULL)) ||
        (rc = rjd_each(d, node, "parts", part_item, NULL)))
        return rc;
    return rjd_copy(d, node, n->json);
}

static int control_item(rj_doc *d, cJSON *node, int i, void *arg)
{
    static const char *const keys[] = {"id",    "class", "title",    "params", "props",
                                       "links", "parts", "controls", NULL};
    const struct place *where = arg;
    struct pctx *x = pctx_of(d);
    struct oscal_catalog *cat = &x->cat;
    RB_UNUSED(i);
    if (cat->ncontrols >= x->ccap)
        return rjd_err(d, RB_EINTERNAL, NULL, "control count changed while parsing");
    int ci = cat->ncontrols++;
    struct oscal_control *c = &cat->controls[ci];
    c->group = where->group;
    c->parent = where->parent;
    if (c->parent >= 0)
        cat->nenhancements++;
    const struct node n = {&c->id,      &c->title, &c->class_, &c->params,
                           &c->nparams, &c->props, &c->nprops, &c->json};
    int rc = rjd_unique(d, node, keys);
    cJSON *kids = rc ? NULL : detach(node, "controls");
    if (rc || (rc = read_node(d, node, false, &n)))
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
    if ((rc = render_parts(d, node, s, ns, "statement", NULL, &c->statement)) ||
        (rc = render_parts(d, node, s, ns, "guidance", NULL, &c->guidance)) ||
        (rc = render_parts(d, node, s, ns, "assessment-objective", "objective", &c->objectives)))
        goto out;
    x->text_total += (c->statement ? strlen(c->statement) : 0) +
                     (c->guidance ? strlen(c->guidance) : 0) +
                     (c->objectives ? strlen(c->objectives) : 0);
    if (x->text_total > OSCAL_MAX_TOTAL_TEXT) {
        rc = rjd_err(d, RB_ETOOBIG, NULL,
                     "the catalog's statements, guidance and objectives pass %zu bytes in all; "
                     "split it into several catalogs",
                     (size_t)OSCAL_MAX_TOTAL_TEXT);
        goto out;
    }

    struct place sub = {where->group, ci};
    rc = rjd_each_in(d, kids, "controls", control_item, &sub);
out:
    cJSON_Delete(kids);
    return rc;
}

struct gplace {
    int parent;
    int depth;
};

static int group_item(rj_doc *d, cJSON *node, int i, void *arg)
{
    static const char *const keys[] = {"id",    "class", "title",  "params",   "props",
                                       "links", "parts", "groups", "controls", NULL};
    const struct gplace *where = arg;
    struct pctx *x = pctx_of(d);
    struct oscal_catalog *cat = &x->cat;
    RB_UNUSED(i);
    if (cat->ngroups >= x->gcap)
        return rjd_err(d, RB_EINTERNAL, NULL, "group count changed while parsing");
    int gi = cat->ngroups++;
    struct oscal_group *g = &cat->groups[gi];
    g->parent = where->parent;
    g->depth = where->depth;
    const struct node n = {&g->id,      &g->title, &g->class_, &g->params,
                           &g->nparams, NULL,      NULL,       &g->json};
    cJSON *subgroups = NULL, *controls = NULL;
    int rc = rjd_unique(d, node, keys);
    if (!rc) {
        subgroups = detach(node, "groups");
        controls = detach(node, "controls");
    }
    if (rc || (rc = read_node(d, node, true, &n)))
        goto out;
    struct place cp = {gi, -1};
    struct gplace gp = {gi, where->depth + 1};
    if ((rc = rjd_each_in(d, controls, "controls", control_item, &cp)))
        goto out;
    rc = rjd_each_in(d, subgroups, "groups", group_item, &gp);
out:
    cJSON_Delete(subgroups);
    cJSON_Delete(controls);
    return rc;
}

void oscal__count_tree(const cJSON *node, bool is_group, long *ng, long *nc)
{
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(node, "controls");
    if (cJSON_IsArray(arr))
        for (const cJSON *e = arr->child; e; e = e->next)
            if (cJSON_IsObject(e)) {
                (*nc)++;
                oscal__count_tree(e, false, ng, nc);
            }
    if (!is_group)
        return;
    arr = cJSON_GetObjectItemCaseSensitive(node, "groups");
    if (cJSON_IsArray(arr))
        for (const cJSON *e = arr->child; e; e = e->next)
            if (cJSON_IsObject(e)) {
                (*ng)++;
                oscal__count_tree(e, true, ng, nc);
            }
}

int oscal_catalog_parse(const char *text, size_t len, rb_arena *a, struct oscal_catalog *out,
                        rb_errinfo *ei)
{
    static const char *const keys[] = {"uuid",   "metadata",    "params", "controls",
                                       "groups", "back-matter", NULL};
    struct pctx x;
    memset(&x, 0, sizeof(x));
    rj_doc *d = &x.doc;
    oscal__doc_init(d, a, ei);
    x.budget = 16 * len + 16 * OSCAL_MAX_TEXT;
    struct oscal_catalog *cat = &x.cat;
    cJSON *root = NULL, *body = NULL;
    const cJSON *meta = NULL, *back = NULL, *params = NULL;
    int rc = oscal__parse_root(d, text, len, "catalog", &root, &body);
    if (rc || (rc = rjd_unique(d, body, keys)) ||
        (rc = oscal__parse_head(d, body, &cat->uuid, &meta, &cat->title, &cat->version)))
        goto out;
    size_t mark = rjd_push(d, "metadata");
    if (!(rc = rjd_str(d, meta, "oscal-version", RJD_OPTIONAL, &cat->oscal_version)) &&
        !(rc = rjd_str(d, meta, "last-modified", RJD_OPTIONAL, &cat->last_modified)))
        rc = rjd_copy(d, meta, &cat->metadata_json);
    cat->tlp = -1;
    if (!rc) {
        rb_errinfo mei;
        rb_errinfo_clear(&mei);
        int found =
            oscal_marking_read(cJSON_GetObjectItemCaseSensitive(meta, "props"), &cat->tlp, &mei);
        if (found < 0)
            rc = rjd_err(d, found, mei.field, "%s", mei.msg);
    }
    rjd_pop(d, mark);
    if (rc || (rc = parse_params(d, body, &cat->params, &cat->nparams)) ||
        (rc = rjd_arr(d, body, "params", &params)) ||
        (params && (rc = rjd_copy(d, params, &cat->params_json))) ||
        (rc = rjd_obj(d, body, "back-matter", false, &back)) ||
        (back && (rc = rjd_copy(d, back, &cat->back_matter_json))))
        goto out;

    long ng = 0, nc = 0;
    oscal__count_tree(body, true, &ng, &nc);
    if (nc > OSCAL_MAX_CONTROLS || ng > OSCAL_MAX_GROUPS) {
        rc = rjd_err(d, RB_ETOOBIG, NULL,
                     "the catalog has %ld controls and %ld groups; at most %d controls "
                     "(enhancements included) and %d groups are allowed",
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
        rc = rjd_err(d, RB_ENOMEM, NULL, "out of memory");
        goto out;
    }
    if ((rc = rjd_alloc(d, (size_t)ng, sizeof(*cat->groups), &cat->groups)) ||
        (rc = rjd_alloc(d, (size_t)nc, sizeof(*cat->controls), &cat->controls)))
        goto out;

    struct place cp = {-1, -1};
    struct gplace gp = {-1, 0};
    if ((rc = rjd_each(d, body, "controls", control_item, &cp)) ||
        (rc = rjd_each(d, body, "groups", group_item, &gp)))
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

/* A group's or control's node (load_node of its json, id, title and class) appended to arr (NULL:
 * it could not be made); *node = it. Returns 0, RB_ENOMEM, or RB_EINVAL for json that does not
 * load. */
static int attach(cJSON *arr, const char *json, bool group, const char *id, const char *title,
                  const char *class_, cJSON **node)
{
    if (!arr)
        return RB_ENOMEM;
    cJSON *n = load_node(json, group, id, title, class_);
    if (!n)
        return json ? RB_EINVAL : RB_ENOMEM;
    if (!cJSON_AddItemToArray(arr, n)) {
        cJSON_Delete(n);
        return RB_ENOMEM;
    }
    *node = n;
    return 0;
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
        if (c->marking && (rc = oscal__mark_metadata(
                               cJSON_GetObjectItemCaseSensitive(cat, "metadata"), c->marking)))
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
    rc = 0;
    for (int i = 0; !rc && i < c->ngroups; i++) {
        const struct oscal_group *g = &c->groups[i];
        cJSON *arr = g->parent < 0 ? gtop : child_array(gn[g->parent], "groups");
        rc = attach(arr, g->json, true, g->id, g->title, g->class_, &gn[i]);
    }
    for (int i = 0; !rc && i < c->ncontrols; i++) {
        const struct oscal_control *k = &c->controls[i];
        cJSON *arr = k->parent >= 0  ? child_array(cn[k->parent], "controls")
                     : k->group >= 0 ? child_array(gn[k->group], "controls")
                                     : ctop;
        rc = attach(arr, k->json, false, k->id, k->title, k->class_, &cn[i]);
    }
    if (!rc && !(rc = add_raw(cat, "back-matter", c->back_matter_json, false)))
        rc = oscal__write_tree(root, out);
out:
    cJSON_Delete(root);
    rb_free(gn);
    rb_free(cn);
    return rc;
}
