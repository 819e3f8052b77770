/*
 * oscal_profile.c - OSCAL profiles: parse the imports, apply one import to a parsed catalog
 * (formats/oscal.h). How the codec's files fit together is explained atop oscal_int.h.
 *
 * A profile is kept whole as compact JSON; what this file reads are the imports: per import its
 * href and its include/exclude selectors by id. Merge, modify and back-matter are applied by
 * profile resolution (oscal_resolve.c), which uses both functions here.
 * Selectors are read twice, first to count the ids and check them, then to copy them into arrays
 * sized once.
 *
 * Must never: accept a "matching" pattern as if it selected nothing (it is refused), or trust
 * that a catalog's parent indexes form a tree (walks up a parent chain are bounded).
 */
#include "base/common.h"
#include "base/mem.h"
#include "base/utf8.h"
#include "formats/oscal_int.h"

struct sel_acc {
    struct oscal_import *imp;
    bool exclude;
    bool fill; /* false: count ids only */
};

static int selector_item(rj_doc *d, cJSON *sel, int i, void *arg)
{
    static const char *const keys[] = {"with-child-controls", "with-ids", "matching", NULL};
    struct sel_acc *acc = arg;
    const char *wcc = NULL;
    const char **ids = NULL;
    int nids = 0, rc;
    RB_UNUSED(i);
    if ((rc = rjd_unique(d, sel, keys)) ||
        (rc = rjd_str(d, sel, "with-child-controls", RJD_OPTIONAL, acc->fill ? &wcc : NULL)))
        return rc;
    if (!acc->fill) {
        const cJSON *w = cJSON_GetObjectItemCaseSensitive(sel, "with-child-controls");
        if (w && strcmp(w->valuestring, "yes") != 0 && strcmp(w->valuestring, "no") != 0)
            return rjd_err(d, RB_EINVAL, "with-child-controls",
                           "\"with-child-controls\" must be \"yes\" or \"no\"");
        if (cJSON_GetObjectItemCaseSensitive(sel, "matching"))
            return rjd_err(d, RB_EINVAL, "matching",
                           "\"matching\" patterns are not supported; list the controls in "
                           "\"with-ids\"");
        const cJSON *arr = NULL;
        if ((rc = rjd_arr(d, sel, "with-ids", &arr)))
            return rc;
        int n = arr ? cJSON_GetArraySize(arr) : 0;
        int *count = acc->exclude ? &acc->imp->nexclude : &acc->imp->ninclude;
        if (n > INT_MAX / 2 - *count)
            return rjd_err(d, RB_ETOOBIG, "with-ids", "too many ids");
        *count += n;
        return 0;
    }
    if ((rc = rjd_strs(d, sel, "with-ids", RJD_TOKEN, &ids, &nids)))
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

static int import_item(rj_doc *d, cJSON *node, int i, void *arg)
{
    static const char *const keys[] = {"href", "include-all", "include-controls",
                                       "exclude-controls", NULL};
    struct oscal_import *imp = &((struct oscal_import *)arg)[i];
    const cJSON *all = NULL;
    int rc;
    if ((rc = rjd_unique(d, node, keys)) ||
        (rc = rjd_str(d, node, "href", RJD_REQUIRED, &imp->href)) ||
        (rc = rjd_obj(d, node, "include-all", false, &all)))
        return rc;
    if (!*imp->href)
        return rjd_err(d, RB_EINVAL, "href", "\"href\" must not be empty");
    bool has_inc = cJSON_GetObjectItemCaseSensitive(node, "include-controls") != NULL;
    if (all && has_inc)
        return rjd_err(d, RB_EINVAL, "include-controls",
                       "use either \"include-all\" or \"include-controls\", not both");
    if (!all && !has_inc)
        return rjd_err(d, RB_EINVAL, NULL,
                       "an import needs \"include-all\" or \"include-controls\"");
    imp->include_all = all != NULL;
    /* First pass checks the selectors and counts ids, the second copies them. */
    struct sel_acc inc = {imp, false, false}, exc = {imp, true, false};
    if ((rc = rjd_each(d, node, "include-controls", selector_item, &inc)) ||
        (rc = rjd_each(d, node, "exclude-controls", selector_item, &exc)))
        return rc;
    if ((rc = rjd_alloc(d, (size_t)imp->ninclude, sizeof(*imp->include_ids), &imp->include_ids)) ||
        (rc = rjd_alloc(d, (size_t)imp->ninclude, sizeof(bool), &imp->include_children)) ||
        (rc = rjd_alloc(d, (size_t)imp->nexclude, sizeof(*imp->exclude_ids), &imp->exclude_ids)) ||
        (rc = rjd_alloc(d, (size_t)imp->nexclude, sizeof(bool), &imp->exclude_children)))
        return rc;
    imp->ninclude = imp->nexclude = 0;
    inc.fill = exc.fill = true;
    if ((rc = rjd_each(d, node, "include-controls", selector_item, &inc)) ||
        (rc = rjd_each(d, node, "exclude-controls", selector_item, &exc)))
        return rc;
    return 0;
}

int oscal_profile_parse(const char *text, size_t len, rb_arena *a, struct oscal_profile *out,
                        rb_errinfo *ei)
{
    static const char *const keys[] = {"uuid",   "metadata",    "imports", "merge",
                                       "modify", "back-matter", NULL};
    rj_doc doc, *d = &doc;
    oscal__doc_init(d, a, ei);
    struct oscal_profile p;
    memset(&p, 0, sizeof(p));
    cJSON *root = NULL, *body = NULL;
    const cJSON *meta = NULL, *imports = NULL;
    int rc = oscal__parse_root(d, text, len, "profile", &root, &body);
    if (rc || (rc = rjd_unique(d, body, keys)) ||
        (rc = oscal__parse_head(d, body, &p.uuid, &meta, &p.title, &p.version)) ||
        (rc = rjd_arr(d, body, "imports", &imports)))
        goto out;
    if (!imports || cJSON_GetArraySize(imports) == 0) {
        rc = rjd_err(d, RB_EINVAL, "imports", "a profile needs at least one import in \"imports\"");
        goto out;
    }
    p.nimports = cJSON_GetArraySize(imports);
    if ((rc = rjd_alloc(d, (size_t)p.nimports, sizeof(*p.imports), &p.imports)) ||
        (rc = rjd_each(d, body, "imports", import_item, p.imports)) ||
        (rc = rjd_copy(d, body, &p.json)))
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

/* Sets (on) or clears the control of each id, and its descendants where children[k] says so
 * (children may be NULL). Returns how many ids are not controls of c; *first_missing keeps the
 * first of them met, over calls. */
static int apply_ids(const struct oscal_catalog *c, const struct id_ix *ix, bool *selected,
                     const char *const *ids, const bool *children, int nids, bool on,
                     const char **first_missing)
{
    int missing = 0;
    for (int k = 0; k < nids; k++) {
        int i = ix ? find_control(ix, c->ncontrols, ids[k]) : -1;
        if (i < 0) {
            missing++;
            if (!*first_missing)
                *first_missing = ids[k];
            continue;
        }
        mark(c, selected, i, children && children[k], on);
    }
    return missing;
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
    const char *first_missing = NULL;
    int missing_inc = apply_ids(c, ix, selected, imp->include_ids, imp->include_children,
                                imp->ninclude, true, &first_missing);
    /* An included control brings its ancestors (the specification's default); exclusion still
     * wins over both. Parents come before their children, so one backward pass reaches the top
     * (bounded: input may not be a tree). */
    for (int i = n - 1; i >= 0; i--) {
        if (!selected[i])
            continue;
        int steps = 0;
        for (int k = c->controls[i].parent; k >= 0 && k < n && steps < n;
             k = c->controls[k].parent, steps++)
            selected[k] = true;
    }
    int missing = missing_inc + apply_ids(c, ix, selected, imp->exclude_ids, imp->exclude_children,
                                          imp->nexclude, false, &first_missing);
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
               "%d listed id(s) are not controls of the catalog (first: \"%.*s\")", missing,
               RB_CUT(fm, 64));
    return count;
}
