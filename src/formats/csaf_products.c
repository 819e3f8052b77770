/*
 * csaf_products.c - the flat list of products of a CSAF product tree (see csaf_products.h).
 *
 * Three passes over the tree, none of which allocates per JSON node: the first counts the
 * products (and enforces the caps before anything is allocated), the second fills the rows and
 * the index by product_id as it goes (a relationship finds its component there), the third reads
 * the vulnerabilities' product_status twice, once to count the CVEs of each product and once to
 * fill the arrays sized by the count.
 *
 * Must never: validate (that is formats/csaf), read a member of the wrong type, or recurse past
 * CSAF_BRANCH_DEPTH_MAX.
 */
#include "base/common.h"
#include "formats/csaf_int.h"
#include "formats/csaf_products.h"

/* ---- the walk's context ---- */

struct walk {
    rb_arena *a;
    rb_errinfo *ei;
    struct csaf_products *ps;
    int cap; /* rows allocated (the count of the first pass) */
};

/* What the branches above a product say, nearest last. */
struct path {
    const char *vendor, *product_name, *family, *version, *range, *sp;
};

static int too_big(struct walk *w, const char *what)
{
    return rb_err(w->ei, RB_ETOOBIG, "product_tree", "%s", what);
}

/* The refusal of an allocation of n bytes that failed: the arena's cap, or memory. */
static int no_mem(struct walk *w, size_t n)
{
    if (n > w->a->cap - (w->a->used_total < w->a->cap ? w->a->used_total : w->a->cap))
        return rb_err(w->ei, RB_ETOOBIG, "product_tree",
                      "the product tree needs more memory than the %zu bytes allowed", w->a->cap);
    return rb_err(w->ei, RB_ENOMEM, "product_tree", "out of memory reading the product tree");
}

static void *walk_alloc(struct walk *w, size_t n, int *rc)
{
    void *p = *rc ? NULL : rb_arena_alloc(w->a, n);
    if (!p && !*rc)
        *rc = no_mem(w, n);
    return p;
}

/* An arena copy of s (NULL stays NULL); sets *rc on failure. */
static const char *dup(struct walk *w, const char *s, int *rc)
{
    if (!s || *rc)
        return NULL;
    size_t n = strlen(s) + 1;
    char *c = walk_alloc(w, n, rc);
    if (c)
        memcpy(c, s, n);
    return c;
}

/* ---- the index by product_id ---- */

static uint32_t hash_str(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

/* The slot of id: where it is, or the empty slot where it would go. */
static unsigned slot_of(const struct csaf_products *ps, const char *id)
{
    unsigned i = hash_str(id) & ps->mask;
    while (ps->slots[i] >= 0 && strcmp(ps->items[ps->slots[i]].product_id, id) != 0)
        i = (i + 1) & ps->mask;
    return i;
}

const struct csaf_product *csaf_products_find(const struct csaf_products *ps,
                                              const char *product_id)
{
    if (!ps || !ps->slots || !product_id)
        return NULL;
    int k = ps->slots[slot_of(ps, product_id)];
    return k >= 0 ? &ps->items[k] : NULL;
}

int csaf_products_affected(const struct csaf_products *ps)
{
    int n = 0;
    for (int i = 0; ps && i < ps->n; i++)
        n += ps->items[i].affected;
    return n;
}

/* ---- pass 1: counting ---- */

static int count_branches(struct walk *w, const cJSON *branches, int depth, int *n)
{
    if (depth > CSAF_BRANCH_DEPTH_MAX)
        return too_big(w, "product_tree.branches nest deeper than the 32 levels allowed");
    const cJSON *b;
    cJSON_ArrayForEach(b, branches)
    {
        if (csaf__obj(b, "product"))
            ++*n;
        const cJSON *sub = csaf__arr(b, "branches");
        int rc = sub ? count_branches(w, sub, depth + 1, n) : 0;
        if (rc)
            return rc;
    }
    return 0;
}

/* ---- pass 2: the rows ---- */

/* Adds the product described by fpn (a full_product_name object) with what path says; a
 * product without a string product_id is skipped, a repeated one ignored. *added is the row, or
 * NULL when none was added. */
static int add_product(struct walk *w, const cJSON *fpn, const struct path *path,
                       struct csaf_product **added)
{
    *added = NULL;
    const char *id = csaf__str(fpn, "product_id");
    if (!id)
        return 0;
    struct csaf_products *ps = w->ps;
    unsigned s = slot_of(ps, id);
    if (ps->slots[s] >= 0)
        return 0;
    if (ps->n >= w->cap)
        return rb_err(w->ei, RB_EINTERNAL, "product_tree", "the product count changed");
    int rc = 0;
    struct csaf_product *p = &ps->items[ps->n];
    memset(p, 0, sizeof(*p));
    const cJSON *helper = csaf__obj(fpn, "product_identification_helper");
    const char *name = csaf__str(fpn, "name");
    p->product_id = dup(w, id, &rc);
    p->name = dup(w, name ? name : "", &rc);
    p->cpe = dup(w, csaf__str(helper, "cpe"), &rc);
    p->purl = dup(w, csaf__str(helper, "purl"), &rc);
    if (path) {
        /* The path's strings are already arena copies, shared by the products below them. */
        p->vendor = path->vendor;
        p->product = path->product_name ? path->product_name : path->family;
        p->family = path->family;
        p->version = path->version;
        p->version_range = path->range;
        p->service_pack = path->sp;
    }
    if (rc)
        return rc;
    ps->slots[s] = ps->n++;
    *added = p;
    return 0;
}

/* The branch categories a product inherits, each with its slot in struct path. */
static const struct {
    const char *category;
    size_t off;
} path_slots[] = {
    {"vendor", offsetof(struct path, vendor)},
    {"product_name", offsetof(struct path, product_name)},
    {"product_family", offsetof(struct path, family)},
    {"product_version", offsetof(struct path, version)},
    {"product_version_range", offsetof(struct path, range)},
    {"service_pack", offsetof(struct path, sp)},
};

static int walk_branches(struct walk *w, const cJSON *branches, const struct path *above)
{
    const cJSON *b;
    cJSON_ArrayForEach(b, branches)
    {
        struct path here = *above;
        const char *cat = csaf__str(b, "category");
        const char *name = csaf__str(b, "name");
        int rc = 0;
        for (size_t i = 0; cat && name && i < RB_ARRAY_LEN(path_slots); i++) {
            if (strcmp(cat, path_slots[i].category) == 0)
                *(const char **)((char *)&here + path_slots[i].off) = dup(w, name, &rc);
        }
        const cJSON *fpn = csaf__obj(b, "product");
        struct csaf_product *p;
        if (!rc && fpn)
            rc = add_product(w, fpn, &here, &p);
        const cJSON *sub = csaf__arr(b, "branches");
        if (!rc && sub)
            rc = walk_branches(w, sub, &here);
        if (rc)
            return rc;
    }
    return 0;
}

static int walk_relationship(struct walk *w, const cJSON *r)
{
    const cJSON *fpn = csaf__obj(r, "full_product_name");
    if (!fpn)
        return 0;
    struct csaf_product *p;
    int rc = add_product(w, fpn, NULL, &p);
    if (rc || !p)
        return rc;
    p->relates_to = dup(w, csaf__str(r, "relates_to_product_reference"), &rc);
    p->relation = dup(w, csaf__str(r, "category"), &rc);
    const struct csaf_product *c = csaf_products_find(w->ps, csaf__str(r, "product_reference"));
    if (c && c != p) {
        p->vendor = c->vendor;
        p->product = c->product;
        p->family = c->family;
        p->version = c->version;
        p->version_range = c->version_range;
        p->service_pack = c->service_pack;
        if (!p->cpe && !p->purl) {
            p->cpe = c->cpe;
            p->purl = c->purl;
        }
    }
    return rc;
}

/* ---- pass 3: product_status ---- */

/* The statuses that make a product affected. */
static const char *const affected_status[] = {"known_affected", "first_affected", "last_affected"};

/* Called on each (product k, vulnerability v) a product_status lists as affected. */
typedef void (*mark_fn)(struct walk *w, int k, int v, const char *const *cves, int *last);

static void each_affected(struct walk *w, const cJSON *vulns, mark_fn mark, const char *const *cves,
                          int *last)
{
    int v = 0;
    const cJSON *vuln;
    cJSON_ArrayForEach(vuln, vulns)
    {
        const cJSON *status = csaf__obj(vuln, "product_status");
        for (size_t s = 0; status && s < RB_ARRAY_LEN(affected_status); s++) {
            const cJSON *id;
            cJSON_ArrayForEach(id, csaf__arr(status, affected_status[s]))
            {
                const struct csaf_product *p =
                    cJSON_IsString(id) ? csaf_products_find(w->ps, id->valuestring) : NULL;
                if (p)
                    mark(w, (int)(p - w->ps->items), v, cves, last);
            }
        }
        v++;
    }
}

/* Counting: a vulnerability counts once per product, however many statuses list it. */
static void count_cve(struct walk *w, int k, int v, const char *const *cves, int *last)
{
    struct csaf_product *p = &w->ps->items[k];
    p->affected = true;
    if (cves[v] && last[k] != v) {
        last[k] = v;
        p->ncves++;
    }
}

/* Filling: ncves was reset to 0 and cves sized by the count. */
static void fill_cve(struct walk *w, int k, int v, const char *const *cves, int *last)
{
    struct csaf_product *p = &w->ps->items[k];
    if (cves[v] && last[k] != v) {
        last[k] = v;
        p->cves[p->ncves++] = cves[v];
    }
}

static int read_status(struct walk *w, const cJSON *vulns)
{
    struct csaf_products *ps = w->ps;
    int nv = vulns ? cJSON_GetArraySize(vulns) : 0;
    if (nv == 0 || ps->n == 0)
        return 0;
    /* Each vulnerability's CVE id, copied once and shared by the products it affects. */
    int rc = 0, v = 0;
    const char **cves = walk_alloc(w, (size_t)nv * sizeof(*cves), &rc);
    int *last = walk_alloc(w, (size_t)ps->n * sizeof(int), &rc);
    if (rc)
        return rc;
    const cJSON *vuln;
    cJSON_ArrayForEach(vuln, vulns)
    {
        cves[v++] = dup(w, csaf__str(vuln, "cve"), &rc);
    }
    if (rc)
        return rc;
    for (int i = 0; i < ps->n; i++)
        last[i] = -1;
    each_affected(w, vulns, count_cve, cves, last);
    for (int i = 0; i < ps->n; i++) {
        struct csaf_product *p = &ps->items[i];
        last[i] = -1;
        if (p->ncves == 0)
            continue;
        p->cves = walk_alloc(w, (size_t)p->ncves * sizeof(*p->cves), &rc);
        if (rc)
            return rc;
        p->ncves = 0;
    }
    each_affected(w, vulns, fill_cve, cves, last);
    return 0;
}

/* ---- the entry point ---- */

int csaf_products_read(const cJSON *doc, rb_arena *a, struct csaf_products *out, rb_errinfo *ei)
{
    int rc = RB_EINVAL;
    struct csaf_products ps = {0};
    struct walk w = {.a = a, .ei = ei, .ps = &ps};
    rb_errinfo_clear(ei);
    if (!cJSON_IsObject(doc)) {
        rc = rb_err(ei, RB_EINVAL, "", "a CSAF document must be a JSON object");
        goto out;
    }
    const cJSON *tree = csaf__obj(doc, "product_tree");
    const cJSON *branches = csaf__arr(tree, "branches");
    const cJSON *fpns = csaf__arr(tree, "full_product_names");
    const cJSON *rels = csaf__arr(tree, "relationships");
    int n = 0;
    rc = branches ? count_branches(&w, branches, 1, &n) : 0;
    if (rc)
        goto out;
    n += fpns ? cJSON_GetArraySize(fpns) : 0;
    n += rels ? cJSON_GetArraySize(rels) : 0;
    if (n > CSAF_PRODUCTS_MAX) {
        rc = too_big(&w, "the product tree has more than the 10000 products allowed");
        goto out;
    }
    unsigned nslots = 16;
    while (nslots < 2u * (unsigned)n)
        nslots *= 2;
    ps.items = n ? walk_alloc(&w, (size_t)n * sizeof(*ps.items), &rc) : NULL;
    ps.slots = walk_alloc(&w, nslots * sizeof(*ps.slots), &rc);
    if (rc)
        goto out;
    memset(ps.slots, 0xff, nslots * sizeof(*ps.slots));
    ps.mask = nslots - 1;
    w.cap = n;
    struct path root = {0};
    rc = branches ? walk_branches(&w, branches, &root) : 0;
    const cJSON *f;
    cJSON_ArrayForEach(f, fpns)
    {
        struct csaf_product *p;
        if (!rc && cJSON_IsObject(f))
            rc = add_product(&w, f, NULL, &p);
    }
    const cJSON *r;
    cJSON_ArrayForEach(r, rels)
    {
        if (!rc)
            rc = walk_relationship(&w, r);
    }
    if (!rc)
        rc = read_status(&w, csaf__arr(doc, "vulnerabilities"));
    if (rc)
        goto out;
    *out = ps;
out:
    if (rc)
        memset(out, 0, sizeof(*out));
    return rc;
}
