/*
 * csaf.c - the CSAF validator's entry points, its report, and the helpers its parts share (see
 * csaf.h and csaf_int.h).
 *
 * Must never: keep a pointer into the document in the report, keep more than CSAF_MAX_ISSUES
 * issues, or stop at the first problem (a publisher wants the whole list at once). Recursion
 * over branches is bounded by the parser's nesting cap (CSAF_MAX_DEPTH).
 */
#include "base/common.h"
#include "base/rtime.h"
#include "formats/csaf_int.h"

/* ---- issues ---- */

void *csaf__alloc(struct csaf_v *v, size_t n)
{
    void *p = rb_arena_alloc(v->a, n);
    if (!p && !v->rc)
        v->rc = (v->a->cap && v->a->used_total + n + 16 > v->a->cap) ? RB_ETOOBIG : RB_ENOMEM;
    return p;
}

/* A new issue slot, or NULL when the cap is reached (counted) or memory gave out. */
static struct csaf_issue *next_issue(struct csaf_v *v)
{
    struct csaf_report *r = v->r;
    if (v->warning)
        r->warnings++;
    else
        r->errors++;
    if (r->n >= CSAF_MAX_ISSUES) {
        r->dropped++;
        return NULL;
    }
    if (r->n == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 8;
        if (cap > CSAF_MAX_ISSUES)
            cap = CSAF_MAX_ISSUES;
        struct csaf_issue *grown = csaf__alloc(v, cap * sizeof(*grown));
        if (!grown) {
            r->dropped++;
            return NULL;
        }
        if (r->n)
            memcpy(grown, r->issues, r->n * sizeof(*grown));
        r->issues = grown;
        v->cap = cap;
    }
    struct csaf_issue *is = &r->issues[r->n++];
    is->test = v->test;
    is->warning = v->warning;
    return is;
}

static void file_issue(struct csaf_v *v, const char *path, const char *fmt, va_list ap)
{
    struct csaf_issue *is = next_issue(v);
    if (!is)
        return;
    rb_fmt(is->path, sizeof(is->path), "%s", path);
    rb_vfmt(is->message, sizeof(is->message), fmt, ap);
}

void csaf__issue(struct csaf_v *v, const char *key, const char *fmt, ...)
{
    size_t mark = key ? csaf__push(v, key) : v->d.len;
    va_list ap;
    va_start(ap, fmt);
    file_issue(v, v->d.path, fmt, ap);
    va_end(ap);
    csaf__pop(v, mark);
}

void csaf__issue_path(struct csaf_v *v, const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    file_issue(v, path, fmt, ap);
    va_end(ap);
}

/* ---- a set of strings ---- */

void csaf__set_init(struct csaf_set *s)
{
    s->slots = NULL;
    s->cap = s->n = 0;
}

/* FNV-1a. */
static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static size_t find_slot(const char **slots, size_t cap, const char *str)
{
    size_t i = (size_t)hash(str) & (cap - 1);
    while (slots[i] && strcmp(slots[i], str) != 0)
        i = (i + 1) & (cap - 1);
    return i;
}

bool csaf__set_has(const struct csaf_set *s, const char *str)
{
    if (!s->cap || !str)
        return false;
    return s->slots[find_slot(s->slots, s->cap, str)] != NULL;
}

bool csaf__set_add(struct csaf_v *v, struct csaf_set *s, const char *str)
{
    if (!str)
        return false;
    if ((s->n + 1) * 4 > s->cap * 3) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        const char **slots = csaf__alloc(v, cap * sizeof(*slots));
        if (!slots)
            return false;
        for (size_t i = 0; i < s->cap; i++)
            if (s->slots[i])
                slots[find_slot(slots, cap, s->slots[i])] = s->slots[i];
        s->slots = slots;
        s->cap = cap;
    }
    size_t i = find_slot(s->slots, s->cap, str);
    if (s->slots[i])
        return false;
    s->slots[i] = str;
    s->n++;
    return true;
}

/* ---- walkers ---- */

static void walk_branches(struct csaf_v *v, const cJSON *arr, csaf_branch_fn bfn, csaf_fpn_fn ffn,
                          void *arg)
{
    if (!arr)
        return;
    size_t m0 = csaf__push(v, "branches");
    int i = 0;
    for (const cJSON *b = arr->child; b; b = b->next, i++) {
        if (!cJSON_IsObject(b))
            continue;
        size_t m1 = csaf__push_index(v, i);
        if (bfn)
            bfn(v, b, arg);
        const cJSON *p = csaf__obj(b, "product");
        if (p && ffn) {
            size_t m2 = csaf__push(v, "product");
            ffn(v, p, arg);
            csaf__pop(v, m2);
        }
        walk_branches(v, csaf__arr(b, "branches"), bfn, ffn, arg);
        csaf__pop(v, m1);
    }
    csaf__pop(v, m0);
}

/* Calls visit on each element of o's array key that passes `is` (cJSON_IsObject, ...), its index
 * pushed on the path. */
static void each_element(struct csaf_v *v, const cJSON *o, const char *key,
                         cJSON_bool (*is)(const cJSON *), csaf_item_fn visit, void *arg)
{
    const cJSON *arr = csaf__arr(o, key);
    if (!arr)
        return;
    size_t m0 = csaf__push(v, key);
    int i = 0;
    for (const cJSON *it = arr->child; it; it = it->next, i++) {
        if (!is(it))
            continue;
        size_t m1 = csaf__push_index(v, i);
        visit(v, it, i, arg);
        csaf__pop(v, m1);
    }
    csaf__pop(v, m0);
}

void csaf__each_item(struct csaf_v *v, const cJSON *o, const char *key, csaf_item_fn fn, void *arg)
{
    each_element(v, o, key, cJSON_IsObject, fn, arg);
}

/* What an element visitor hands on to the caller's function: a product name's or a string's. */
struct walk {
    csaf_fpn_fn fpn;
    csaf_ref_fn ref;
    const char *key; /* each_item_list: the member of each item that holds the strings */
    void *arg;
};

static void fpn_item(struct csaf_v *v, const cJSON *f, int i, void *arg)
{
    RB_UNUSED(i);
    const struct walk *w = arg;
    w->fpn(v, f, w->arg);
}

static void relationship_item(struct csaf_v *v, const cJSON *r, int i, void *arg)
{
    RB_UNUSED(i);
    const struct walk *w = arg;
    const cJSON *f = csaf__obj(r, "full_product_name");
    if (!f)
        return;
    size_t m = csaf__push(v, "full_product_name");
    w->fpn(v, f, w->arg);
    csaf__pop(v, m);
}

static void walk_tree(struct csaf_v *v, csaf_branch_fn bfn, csaf_fpn_fn ffn, void *arg)
{
    const cJSON *pt = csaf__obj(v->doc, "product_tree");
    if (!pt)
        return;
    size_t m0 = csaf__push(v, "product_tree");
    walk_branches(v, csaf__arr(pt, "branches"), bfn, ffn, arg);
    if (ffn) {
        struct walk w = {.fpn = ffn, .arg = arg};
        csaf__each_item(v, pt, "full_product_names", fpn_item, &w);
        csaf__each_item(v, pt, "relationships", relationship_item, &w);
    }
    csaf__pop(v, m0);
}

void csaf__each_fpn(struct csaf_v *v, csaf_fpn_fn fn, void *arg)
{
    walk_tree(v, NULL, fn, arg);
}

void csaf__each_branch(struct csaf_v *v, csaf_branch_fn fn, void *arg)
{
    walk_tree(v, fn, NULL, arg);
}

static void str_item(struct csaf_v *v, const cJSON *s, int i, void *arg)
{
    RB_UNUSED(i);
    const struct walk *w = arg;
    w->ref(v, s->valuestring, w->arg);
}

void csaf__each_str(struct csaf_v *v, const cJSON *o, const char *key, csaf_ref_fn fn, void *arg)
{
    struct walk w = {.ref = fn, .arg = arg};
    each_element(v, o, key, cJSON_IsString, str_item, &w);
}

/* A string member key of o as a reference (path at it). */
static void each_member_ref(struct csaf_v *v, const cJSON *o, const char *key, csaf_ref_fn fn,
                            void *arg)
{
    const char *s = csaf__str(o, key);
    if (!s)
        return;
    size_t m = csaf__push(v, key);
    fn(v, s, arg);
    csaf__pop(v, m);
}

static void item_strs(struct csaf_v *v, const cJSON *it, int i, void *arg)
{
    RB_UNUSED(i);
    const struct walk *w = arg;
    csaf__each_str(v, it, w->key, w->ref, w->arg);
}

/* Calls fn on member `key` (an array of ids) of each item of the array `list` of o. */
static void each_item_list(struct csaf_v *v, const cJSON *o, const char *list, const char *key,
                           csaf_ref_fn fn, void *arg)
{
    struct walk w = {.ref = fn, .key = key, .arg = arg};
    each_element(v, o, list, cJSON_IsObject, item_strs, &w);
}

static const char *const status_groups[] = {
    "first_affected", "first_fixed",         "fixed",
    "known_affected", "known_not_affected",  "last_affected",
    "recommended",    "under_investigation", NULL,
};

static void relationship_refs(struct csaf_v *v, const cJSON *r, int i, void *arg)
{
    RB_UNUSED(i);
    const struct walk *w = arg;
    each_member_ref(v, r, "product_reference", w->ref, w->arg);
    each_member_ref(v, r, "relates_to_product_reference", w->ref, w->arg);
}

static void vulnerability_product_refs(struct csaf_v *v, const cJSON *vu, int i, void *arg)
{
    RB_UNUSED(i);
    const struct walk *w = arg;
    const cJSON *ps = csaf__obj(vu, "product_status");
    if (ps) {
        size_t m = csaf__push(v, "product_status");
        for (int g = 0; status_groups[g]; g++)
            csaf__each_str(v, ps, status_groups[g], w->ref, w->arg);
        csaf__pop(v, m);
    }
    each_item_list(v, vu, "remediations", "product_ids", w->ref, w->arg);
    each_item_list(v, vu, "scores", "products", w->ref, w->arg);
    each_item_list(v, vu, "threats", "product_ids", w->ref, w->arg);
    each_item_list(v, vu, "flags", "product_ids", w->ref, w->arg);
}

void csaf__each_product_ref(struct csaf_v *v, csaf_ref_fn fn, void *arg)
{
    struct walk w = {.ref = fn, .arg = arg};
    const cJSON *pt = csaf__obj(v->doc, "product_tree");
    if (pt) {
        size_t m0 = csaf__push(v, "product_tree");
        each_item_list(v, pt, "product_groups", "product_ids", fn, arg);
        csaf__each_item(v, pt, "relationships", relationship_refs, &w);
        csaf__pop(v, m0);
    }
    csaf__each_item(v, v->doc, "vulnerabilities", vulnerability_product_refs, &w);
}

static void vulnerability_group_refs(struct csaf_v *v, const cJSON *vu, int i, void *arg)
{
    RB_UNUSED(i);
    const struct walk *w = arg;
    each_item_list(v, vu, "remediations", "group_ids", w->ref, w->arg);
    each_item_list(v, vu, "threats", "group_ids", w->ref, w->arg);
    each_item_list(v, vu, "flags", "group_ids", w->ref, w->arg);
}

void csaf__each_group_ref(struct csaf_v *v, csaf_ref_fn fn, void *arg)
{
    struct walk w = {.ref = fn, .arg = arg};
    csaf__each_item(v, v->doc, "vulnerabilities", vulnerability_group_refs, &w);
}

const cJSON *csaf__group_products(struct csaf_v *v, const char *group_id)
{
    const cJSON *groups = csaf__arr(csaf__obj(v->doc, "product_tree"), "product_groups");
    if (!groups || !group_id)
        return NULL;
    for (const cJSON *g = groups->child; g; g = g->next) {
        const char *id = csaf__str(g, "group_id");
        if (id && strcmp(id, group_id) == 0)
            return csaf__arr(g, "product_ids");
    }
    return NULL;
}

/* ---- versions ---- */

/* Reads a number without leading zeros at *p; false when there is none. */
static bool read_num(const char **p, uint64_t *out)
{
    const char *s = *p;
    if (!(*s >= '0' && *s <= '9'))
        return false;
    if (*s == '0' && s[1] >= '0' && s[1] <= '9')
        return false;
    uint64_t n = 0;
    for (; *s >= '0' && *s <= '9'; s++) {
        if (n > (UINT64_MAX - 9) / 10)
            return false;
        n = n * 10 + (uint64_t)(*s - '0');
    }
    *out = n;
    *p = s;
    return true;
}

static bool ident_char(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
}

/* Checks dot-separated identifiers s[0..n); pre: each numeric one has no leading zero. */
static bool idents_ok(const char *s, size_t n, bool pre)
{
    if (n == 0)
        return false;
    size_t start = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && s[i] != '.') {
            if (!ident_char(s[i]))
                return false;
            continue;
        }
        size_t len = i - start;
        if (len == 0)
            return false;
        if (pre) {
            bool numeric = true;
            for (size_t k = start; k < i; k++)
                if (!(s[k] >= '0' && s[k] <= '9'))
                    numeric = false;
            if (numeric && len > 1 && s[start] == '0')
                return false;
        }
        start = i + 1;
    }
    return true;
}

bool csaf__version(const char *s, struct csaf_version *out)
{
    struct csaf_version ver;
    memset(&ver, 0, sizeof(ver));
    if (!s)
        return false;
    const char *p = s;
    if (!read_num(&p, &ver.major))
        return false;
    if (*p == '\0') {
        *out = ver;
        return true;
    }
    if (*p != '.')
        return false;
    p++;
    if (!read_num(&p, &ver.minor) || *p != '.')
        return false;
    p++;
    if (!read_num(&p, &ver.patch))
        return false;
    ver.semver = true;
    if (*p == '-') {
        p++;
        ver.pre = p;
        ver.pre_len = strcspn(p, "+");
        if (!idents_ok(ver.pre, ver.pre_len, true))
            return false;
        p += ver.pre_len;
    }
    if (*p == '+') {
        p++;
        ver.build = p;
        ver.build_len = strlen(p);
        if (!idents_ok(ver.build, ver.build_len, false))
            return false;
        p += ver.build_len;
    }
    if (*p != '\0')
        return false;
    *out = ver;
    return true;
}

static int cmp_u64(uint64_t a, uint64_t b)
{
    return a < b ? -1 : a > b;
}

/* Compares one pre-release identifier pair (semver 2.0.0 section 11). */
static int cmp_ident(const char *a, size_t an, const char *b, size_t bn)
{
    bool anum = an > 0, bnum = bn > 0;
    for (size_t i = 0; i < an; i++)
        anum = anum && a[i] >= '0' && a[i] <= '9';
    for (size_t i = 0; i < bn; i++)
        bnum = bnum && b[i] >= '0' && b[i] <= '9';
    if (anum && bnum) {
        if (an != bn)
            return an < bn ? -1 : 1;
        int c = memcmp(a, b, an);
        return c < 0 ? -1 : c > 0;
    }
    if (anum != bnum)
        return anum ? -1 : 1;
    size_t n = an < bn ? an : bn;
    int c = memcmp(a, b, n);
    if (c)
        return c < 0 ? -1 : 1;
    return cmp_u64(an, bn);
}

int csaf__version_cmp(const struct csaf_version *a, const struct csaf_version *b)
{
    int c = cmp_u64(a->major, b->major);
    if (!c)
        c = cmp_u64(a->minor, b->minor);
    if (!c)
        c = cmp_u64(a->patch, b->patch);
    if (c)
        return c;
    if (!a->pre || !b->pre)
        return (a->pre ? -1 : 0) + (b->pre ? 1 : 0);
    size_t i = 0, j = 0;
    while (i < a->pre_len && j < b->pre_len) {
        size_t ie = i, je = j;
        while (ie < a->pre_len && a->pre[ie] != '.')
            ie++;
        while (je < b->pre_len && b->pre[je] != '.')
            je++;
        c = cmp_ident(a->pre + i, ie - i, b->pre + j, je - j);
        if (c)
            return c;
        i = ie + 1;
        j = je + 1;
    }
    return (i < a->pre_len) - (j < b->pre_len);
}

/* ---- times ---- */

bool csaf__time(const char *s, struct csaf_time *out)
{
    /* rb_time_parse checks the grammar and the ranges, and also takes a bare date, which the
     * date-time format does not: insist on the time part. */
    int64_t sec;
    if (!s || strlen(s) < 20 || (s[10] != 'T' && s[10] != 't') || rb_time_parse(s, &sec))
        return false;
    int64_t nsec = 0;
    if (s[19] == '.') {
        int n = 0;
        for (const char *p = s + 20; *p >= '0' && *p <= '9'; p++, n++)
            if (n < 9)
                nsec = nsec * 10 + (*p - '0');
        for (; n < 9; n++)
            nsec *= 10;
    }
    out->sec = sec;
    out->nsec = nsec;
    return true;
}

int csaf__time_cmp(const struct csaf_time *a, const struct csaf_time *b)
{
    if (a->sec != b->sec)
        return a->sec < b->sec ? -1 : 1;
    return a->nsec < b->nsec ? -1 : a->nsec > b->nsec;
}

/* ---- entry points ---- */

static void gather_fpn(struct csaf_v *v, const cJSON *fpn, void *arg)
{
    RB_UNUSED(arg);
    csaf__set_add(v, &v->products, csaf__str(fpn, "product_id"));
}

int csaf_validate(const cJSON *doc, unsigned flags, struct csaf_report *out, rb_arena *a)
{
    memset(out, 0, sizeof(*out));
    struct csaf_v v;
    memset(&v, 0, sizeof(v));
    v.a = a;
    v.r = out;
    v.doc = doc;
    v.flags = flags;
    rjd_init(&v.d, a, NULL, FIELD_PROSE, &v.ei);
    csaf__set_init(&v.products);
    csaf__set_init(&v.groups);

    v.test = "schema";
    csaf__schema(&v);

    v.category = csaf__str(csaf__obj(doc, "document"), "category");
    csaf__each_fpn(&v, gather_fpn, NULL);
    const cJSON *groups = csaf__arr(csaf__obj(doc, "product_tree"), "product_groups");
    for (const cJSON *g = groups ? groups->child : NULL; g; g = g->next)
        csaf__set_add(&v, &v.groups, csaf__str(g, "group_id"));
    csaf__tests(&v, flags);
    return v.rc;
}

int csaf_validate_text(const char *text, size_t len, unsigned flags, struct csaf_report *out,
                       rb_arena *a)
{
    memset(out, 0, sizeof(*out));
    cJSON *root = NULL;
    rb_errinfo ei;
    rb_errinfo_clear(&ei);
    if (rj_parse(text, len, CSAF_MAX_DEPTH, &root, &ei) != RJ_OK) {
        struct csaf_v v;
        memset(&v, 0, sizeof(v));
        v.a = a;
        v.r = out;
        v.test = "json";
        csaf__issue_path(&v, "", "not a JSON document: %s", ei.msg);
        return v.rc;
    }
    int rc = csaf_validate(root, flags, out, a);
    cJSON_Delete(root);
    return rc;
}

bool csaf_report_valid(const struct csaf_report *r)
{
    return r->errors == 0;
}

const struct csaf_issue *csaf_first_error(const struct csaf_report *r)
{
    for (size_t i = 0; i < r->n; i++)
        if (!r->issues[i].warning)
            return &r->issues[i];
    return NULL;
}

int csaf_report_err(const struct csaf_report *r, rb_errinfo *ei)
{
    const struct csaf_issue *is = csaf_first_error(r);
    if (!is)
        return r->errors ? rb_err(ei, RB_EINVAL, "", "not a valid CSAF 2.0 document") : 0;
    if (r->errors > 1)
        return rb_err(ei, RB_EINVAL, is->path, "CSAF %s: %s (and %zu more errors)", is->test,
                      is->message, r->errors - 1);
    return rb_err(ei, RB_EINVAL, is->path, "CSAF %s: %s", is->test, is->message);
}

void csaf_report_write(const struct csaf_report *r, rj_writer *w)
{
    rjw_obj(w);
    rjw_kbool(w, "valid", csaf_report_valid(r));
    rjw_kint(w, "errors", (int64_t)r->errors);
    rjw_kint(w, "warnings", (int64_t)r->warnings);
    rjw_kint(w, "dropped", (int64_t)r->dropped);
    rjw_karr(w, "issues");
    for (size_t i = 0; i < r->n; i++) {
        const struct csaf_issue *is = &r->issues[i];
        rjw_obj(w);
        rjw_kstr(w, "test", is->test);
        rjw_kstr(w, "path", is->path);
        rjw_kstr(w, "message", is->message);
        rjw_kstr(w, "severity", is->warning ? "warning" : "error");
        rjw_obj_end(w);
    }
    rjw_arr_end(w);
    rjw_obj_end(w);
}
