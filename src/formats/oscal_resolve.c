/*
 * oscal_resolve.c - OSCAL profile resolution: a profile and the catalogs (and profiles) it imports
 * become one catalog, as the OSCAL 1.1.2 profile-resolution specification says
 * (formats/oscal.h: oscal_profile_resolve). How the codec's files fit together is explained atop
 * oscal_int.h.
 *
 * The work follows the specification's phases on cJSON trees. A profile is read twice: once by
 * oscal_profile_parse (its imports and selectors, checked and copied), once as a tree for merge,
 * modify and back-matter. Each import is fetched through the caller's function, parsed, and, when
 * it is a profile, resolved first (recursively, the chain of profiles kept for the cycle check).
 * The imported catalog is indexed in document order (within a group its controls before its
 * subgroups, each control followed by its descendants: the order of oscal_catalog.c), the import
 * selects in that index (oscal_profile_select), and the selected controls are copied into the
 * result, flat or nested as in the source. Then set-parameters and alters edit the result, which
 * gets its metadata and back-matter, and is written through the JSON writer.
 *
 * Must never: fetch anything itself (the caller decides what an href names), follow an import
 * chain deeper than OSCAL_MAX_IMPORT_DEPTH or around a cycle, trust that an imported catalog is
 * well formed (ids are checked where they are used; walks follow the parsed tree, whose nesting
 * rj_parse capped), or apply a directive it cannot honour as if it had (custom structuring,
 * "merge" combination and "matching" patterns are refused, naming the member).
 */
#include "base/common.h"
#include "base/mem.h"
#include "base/utf8.h"
#include "formats/oscal_int.h"
#include "json/json.h"

#define OSCAL_NS "http://csrc.nist.gov/ns/oscal"
/* The OSCAL version this resolver implements: the result's oscal-version never passes it. */
#define TOOL_MAJOR 1
#define TOOL_MINOR 1
#define TOOL_PATCH 2
#define TOOL_VERSION "1.1.2"
/* Scratch memory for one resolution (copies of ids, indexes of imported catalogs). */
#define SCRATCH_CAP ((size_t)256 * 1024 * 1024)

/* Members in the order the OSCAL models give them (JSON order carries no meaning, but readers
 * and diffs are helped by the canonical one). */
static const char *const catalog_order[] = {"uuid",   "metadata",    "params", "controls",
                                            "groups", "back-matter", NULL};
static const char *const metadata_order[] = {"title",
                                             "published",
                                             "last-modified",
                                             "version",
                                             "oscal-version",
                                             "revisions",
                                             "document-ids",
                                             "props",
                                             "links",
                                             "roles",
                                             "locations",
                                             "parties",
                                             "responsible-parties",
                                             "actions",
                                             "remarks",
                                             NULL};
static const char *const control_order[] = {"id",    "class", "title",    "params", "props",
                                            "links", "parts", "controls", NULL};
static const char *const param_order[] = {
    "id",          "class",      "depends-on", "props",  "links",   "label", "usage",
    "constraints", "guidelines", "values",     "select", "remarks", NULL};
static const char *const part_order[] = {"id",    "name",  "ns",    "class", "title",
                                         "props", "prose", "parts", "links", NULL};

enum combine { COMBINE_KEEP, COMBINE_USE_FIRST };
enum structure { STRUCT_FLAT, STRUCT_AS_IS };

/* One resolution: options, scratch arena, the first warning and the chain of profiles being
 * resolved (outermost first). */
struct res {
    const struct oscal_resolve_opts *o;
    rb_arena a;
    rb_errinfo *ei;
    rb_errinfo warn; /* warn.msg[0] once a warning was recorded */
    const char *chain_name[OSCAL_MAX_IMPORT_DEPTH + 2];
    const char *chain_uuid[OSCAL_MAX_IMPORT_DEPTH + 2];
    int nchain;
    int fetches; /* documents fetched so far (OSCAL_MAX_FETCHES) */
    bool cycle;  /* the error is an import cycle: passed up as it is, it names the whole chain */
};

static void warn(struct res *R, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Records the first warning (code 0): later ones are dropped. */
static void warn(struct res *R, const char *field, const char *fmt, ...)
{
    if (R->warn.msg[0])
        return;
    va_list ap;
    va_start(ap, fmt);
    rb_vfmt(R->warn.msg, sizeof(R->warn.msg), fmt, ap);
    va_end(ap);
    rb_fmt(R->warn.field, sizeof(R->warn.field), "%s", field ? field : "");
}

/* ---- small tree helpers ---- */

static const char *str_of(const cJSON *obj, const char *key)
{
    const cJSON *v = obj ? cJSON_GetObjectItemCaseSensitive(obj, key) : NULL;
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static bool str_eq(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

/* The array member key of obj; created (empty) when asked and absent. NULL when it is absent
 * (and not asked for), not an array, or memory runs out. */
static cJSON *arr_of(cJSON *obj, const char *key, bool create)
{
    cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (v)
        return cJSON_IsArray(v) ? v : NULL;
    return create ? cJSON_AddArrayToObject(obj, key) : NULL;
}

/* Appends item to the array member key of obj (created when absent). On failure item is
 * deleted. */
static int push_item(cJSON *obj, const char *key, cJSON *item)
{
    cJSON *arr = item ? arr_of(obj, key, true) : NULL;
    if (!arr || !cJSON_AddItemToArray(arr, item)) {
        cJSON_Delete(item);
        return RB_ENOMEM;
    }
    return 0;
}

/* Inserts item at index `at` of arr (appends when at is the length). On failure item is
 * deleted. (cJSON_InsertItemInArray of cJSON 1.7.15 loses the list's links after an insertion
 * at the head, so the items from `at` on are moved aside and back.) */
static int insert_item(cJSON *arr, int at, cJSON *item)
{
    cJSON *rest = item ? cJSON_CreateArray() : NULL;
    if (!rest) {
        cJSON_Delete(item);
        return RB_ENOMEM;
    }
    while (cJSON_GetArraySize(arr) > at)
        cJSON_AddItemToArray(rest, cJSON_DetachItemFromArray(arr, at));
    cJSON_AddItemToArray(arr, item);
    while (rest->child)
        cJSON_AddItemToArray(arr, cJSON_DetachItemViaPointer(rest, rest->child));
    cJSON_Delete(rest);
    return 0;
}

static int index_in(const cJSON *arr, const cJSON *item)
{
    int i = 0;
    for (const cJSON *e = arr ? arr->child : NULL; e; e = e->next, i++)
        if (e == item)
            return i;
    return -1;
}

/* Drops the array member key of obj when it holds nothing (OSCAL arrays have at least one
 * item). */
static void drop_if_empty(cJSON *obj, const char *key)
{
    cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (cJSON_IsArray(v) && !v->child)
        cJSON_DeleteItemFromObjectCaseSensitive(obj, key);
}

/* A deep copy of obj without the members skip1 and skip2 (either may be NULL). */
static cJSON *copy_without(const cJSON *obj, const char *skip1, const char *skip2)
{
    cJSON *out = cJSON_CreateObject();
    for (const cJSON *m = obj->child; out && m; m = m->next) {
        if (str_eq(m->string, skip1) || str_eq(m->string, skip2))
            continue;
        cJSON *dup = cJSON_Duplicate(m, true);
        if (!dup || !cJSON_AddItemToObject(out, m->string, dup)) {
            cJSON_Delete(dup);
            cJSON_Delete(out);
            out = NULL;
        }
    }
    return out;
}

/* Puts obj's members in the order of keys; members keys does not list follow, as they were. */
static int reorder(cJSON *obj, const char *const *keys)
{
    cJSON *tmp = cJSON_CreateObject();
    if (!tmp)
        return RB_ENOMEM;
    for (int k = 0; keys[k]; k++) {
        cJSON *m = cJSON_DetachItemFromObjectCaseSensitive(obj, keys[k]);
        /* cJSON copies the key before freeing the old one, so m->string may be passed. */
        if (m && !cJSON_AddItemToObject(tmp, m->string, m)) {
            cJSON_Delete(m);
            cJSON_Delete(tmp);
            return RB_ENOMEM;
        }
    }
    while (obj->child) {
        cJSON *m = cJSON_DetachItemViaPointer(obj, obj->child);
        if (!cJSON_AddItemToObject(tmp, m->string, m)) {
            cJSON_Delete(m);
            cJSON_Delete(tmp);
            return RB_ENOMEM;
        }
    }
    obj->child = tmp->child;
    tmp->child = NULL;
    cJSON_Delete(tmp);
    return 0;
}

/* True when obj has a prop keep=always (the specification's "never prune or replace this"). */
static bool keep_always(const cJSON *obj)
{
    const cJSON *props = cJSON_GetObjectItemCaseSensitive(obj, "props");
    for (const cJSON *p = cJSON_IsArray(props) ? props->child : NULL; p; p = p->next)
        if (str_eq(str_of(p, "name"), "keep") && str_eq(str_of(p, "value"), "always"))
            return true;
    return false;
}

/* Refuses members of obj that keys does not list, and any listed member given twice. */
static int known_keys(rj_doc *d, const cJSON *obj, const char *const *keys)
{
    for (const cJSON *m = obj->child; m; m = m->next) {
        bool ok = false;
        for (int k = 0; keys[k] && !ok; k++)
            ok = str_eq(m->string, keys[k]);
        if (!ok)
            return rjd_err(d, RB_EINVAL, m->string,
                           "\"%.*s\" is not a member OSCAL 1.1.2 allows here",
                           RB_CUT(m->string, 40));
    }
    return rjd_unique(d, obj, keys);
}

static int object_item(rj_doc *d, cJSON *item, int i, void *arg)
{
    RB_UNUSED(d);
    RB_UNUSED(item);
    RB_UNUSED(i);
    RB_UNUSED(arg);
    return 0;
}

/* Member key of obj, when present, is an array of objects. */
static int objects(rj_doc *d, const cJSON *obj, const char *key)
{
    return rjd_each(d, obj, key, object_item, NULL);
}

/* ---- a set of ids (controls already in the result) ---- */

struct idset {
    const char **slot;
    size_t mask, n;
};

/* Adds id (which must outlive the set); *seen says whether it was there already. */
static int idset_add(struct idset *s, const char *id, bool *seen)
{
    if (2 * (s->n + 1) > s->mask + 1 || !s->slot) {
        size_t cap = s->slot ? 2 * (s->mask + 1) : 64;
        const char **slot = rb_calloc(cap, sizeof(*slot));
        if (!slot)
            return RB_ENOMEM;
        for (size_t i = 0; s->slot && i <= s->mask; i++) {
            if (!s->slot[i])
                continue;
            size_t j = oscal__id_hash(s->slot[i]) & (cap - 1);
            while (slot[j])
                j = (j + 1) & (cap - 1);
            slot[j] = s->slot[i];
        }
        rb_free(s->slot);
        s->slot = slot;
        s->mask = cap - 1;
    }
    size_t j = oscal__id_hash(id) & s->mask;
    for (; s->slot[j]; j = (j + 1) & s->mask)
        if (strcmp(s->slot[j], id) == 0) {
            *seen = true;
            return 0;
        }
    s->slot[j] = id;
    s->n++;
    *seen = false;
    return 0;
}

/* ---- an imported catalog, indexed ---- */

struct src {
    cJSON *root; /* {"catalog": ...}, owned */
    cJSON *cat;
    const char *name;
    struct oscal_catalog view; /* ids, parents and groups: what oscal_profile_select reads */
    const cJSON **ctl;         /* the control objects, in view order */
    const cJSON **grp;         /* the group objects, in document order */
    int *gparent;
    int ngroups;
    bool *selected, *gneeded;
};

static int index_control(struct res *R, struct src *s, const cJSON *ctl, int parent, int group)
{
    int i = s->view.ncontrols++;
    struct oscal_control *c = &s->view.controls[i];
    s->ctl[i] = ctl;
    c->id = str_of(ctl, "id");
    c->parent = parent;
    c->group = group;
    if (!c->id || !*c->id)
        return rb_err(R->ei, RB_EINVAL, "catalog",
                      "the catalog %.*s has a control without an id; it is not OSCAL",
                      RB_CUT(s->name, 120));
    const cJSON *kids = cJSON_GetObjectItemCaseSensitive(ctl, "controls");
    int rc = 0;
    for (const cJSON *e = cJSON_IsArray(kids) ? kids->child : NULL; e && !rc; e = e->next)
        if (cJSON_IsObject(e))
            rc = index_control(R, s, e, i, group);
    return rc;
}

static int index_group(struct res *R, struct src *s, const cJSON *grp, int parent)
{
    int g = s->ngroups++, rc = 0;
    s->grp[g] = grp;
    s->gparent[g] = parent;
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(grp, "controls");
    for (const cJSON *e = cJSON_IsArray(arr) ? arr->child : NULL; e && !rc; e = e->next)
        if (cJSON_IsObject(e))
            rc = index_control(R, s, e, -1, g);
    arr = cJSON_GetObjectItemCaseSensitive(grp, "groups");
    for (const cJSON *e = cJSON_IsArray(arr) ? arr->child : NULL; e && !rc; e = e->next)
        if (cJSON_IsObject(e))
            rc = index_group(R, s, e, g);
    return rc;
}

static int index_catalog(struct res *R, struct src *s)
{
    long ng = 0, nc = 0;
    int rc = 0;
    oscal__count_tree(s->cat, true, &ng, &nc);
    size_t nc1 = (size_t)nc + 1, ng1 = (size_t)ng + 1;
    s->view.controls = rb_arena_alloc(&R->a, nc1 * sizeof(*s->view.controls));
    s->ctl = rb_arena_alloc(&R->a, nc1 * sizeof(*s->ctl));
    s->selected = rb_arena_alloc(&R->a, nc1 * sizeof(bool));
    s->grp = rb_arena_alloc(&R->a, ng1 * sizeof(*s->grp));
    s->gparent = rb_arena_alloc(&R->a, ng1 * sizeof(int));
    s->gneeded = rb_arena_alloc(&R->a, ng1 * sizeof(bool));
    if (!s->view.controls || !s->ctl || !s->selected || !s->grp || !s->gparent || !s->gneeded)
        return rb_err(R->ei, RB_ETOOBIG, "", "the imported catalogs need too much memory");
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(s->cat, "controls");
    for (const cJSON *e = cJSON_IsArray(arr) ? arr->child : NULL; e && !rc; e = e->next)
        if (cJSON_IsObject(e))
            rc = index_control(R, s, e, -1, -1);
    arr = cJSON_GetObjectItemCaseSensitive(s->cat, "groups");
    for (const cJSON *e = cJSON_IsArray(arr) ? arr->child : NULL; e && !rc; e = e->next)
        if (cJSON_IsObject(e))
            rc = index_group(R, s, e, -1);
    return rc;
}

/* Groups the result keeps: those holding a selected control, all of them under include-all,
 * and those marked keep=always; with every group around them. */
static void mark_groups(struct src *s, bool include_all)
{
    for (int g = 0; g < s->ngroups; g++)
        s->gneeded[g] = include_all || keep_always(s->grp[g]);
    for (int i = 0; i < s->view.ncontrols; i++)
        if (s->selected[i] && s->view.controls[i].group >= 0)
            s->gneeded[s->view.controls[i].group] = true;
    /* Parents come before their subgroups: one backward pass marks every enclosing group. */
    for (int g = s->ngroups - 1; g >= 0; g--)
        if (s->gneeded[g] && s->gparent[g] >= 0)
            s->gneeded[s->gparent[g]] = true;
}

/* ---- the merge phase: copying the selection into the result ---- */

struct merge {
    enum combine combine;
    enum structure structure;
};

struct emit {
    struct res *R;
    struct src *s;
    cJSON *out; /* the result's catalog object */
    const struct merge *m;
    struct idset *seen;
    cJSON **out_ctl; /* per source control: its copy in the result, or NULL */
    cJSON **out_grp; /* per source group: the result's group, or NULL */
};

/* Whether control i goes into the result: selected, and not already there (use-first), or
 * refused when it is (keep). */
static int take(struct emit *E, int i, bool *yes)
{
    *yes = false;
    if (!E->s->selected[i])
        return 0;
    const char *id = rb_arena_strdup(&E->R->a, E->s->view.controls[i].id);
    bool seen = false;
    if (!id)
        return rb_err(E->R->ei, RB_ETOOBIG, "", "the imported catalogs need too much memory");
    int rc = idset_add(E->seen, id, &seen);
    if (rc)
        return rb_err(E->R->ei, rc, "", "out of memory");
    if (seen && E->m->combine == COMBINE_KEEP)
        return rb_err(E->R->ei, RB_EINVAL, "profile.merge",
                      "the control \"%.*s\" is imported twice; with the combination \"keep\" (the "
                      "default) the resolved catalog would hold its id twice: select it once, or "
                      "say \"merge\": {\"combine\": {\"method\": \"use-first\"}}",
                      RB_CUT(id, 64));
    *yes = !seen;
    return 0;
}

/* The result's group for source group g (made, with the groups around it, when first needed).
 * A group with the same id at the same place is reused: importing a catalog twice gives its
 * groups once. */
static cJSON *out_group(struct emit *E, int g)
{
    if (E->out_grp[g])
        return E->out_grp[g];
    int p = E->s->gparent[g];
    cJSON *container = p >= 0 ? out_group(E, p) : E->out;
    if (!container)
        return NULL;
    const char *id = str_of(E->s->grp[g], "id");
    cJSON *groups = arr_of(container, "groups", false);
    for (cJSON *e = groups ? groups->child : NULL; e && id; e = e->next)
        if (str_eq(str_of(e, "id"), id))
            return E->out_grp[g] = e;
    cJSON *copy = copy_without(E->s->grp[g], "groups", "controls");
    if (push_item(container, "groups", copy))
        return NULL;
    return E->out_grp[g] = copy;
}

static int emit_selection(struct emit *E)
{
    struct src *s = E->s;
    int n = s->view.ncontrols, rc = 0;
    bool as_is = E->m->structure == STRUCT_AS_IS;
    if (as_is)
        for (int g = 0; g < s->ngroups; g++)
            if (s->gneeded[g] && !out_group(E, g))
                return rb_err(E->R->ei, RB_ENOMEM, "", "out of memory");
    for (int i = 0; i < n && !rc; i++) {
        bool yes = false;
        if ((rc = take(E, i, &yes)) || !yes)
            continue;
        cJSON *copy = copy_without(s->ctl[i], "controls", NULL);
        cJSON *container = E->out;
        if (as_is) {
            /* Under the nearest ancestor in the result, else the control's group: a control
             * whose parent is not selected moves up to where the parent was. */
            int p = s->view.controls[i].parent, steps = 0;
            while (p >= 0 && !E->out_ctl[p] && steps++ < n)
                p = s->view.controls[p].parent;
            int g = s->view.controls[i].group;
            container = p >= 0 ? E->out_ctl[p] : g >= 0 ? out_group(E, g) : E->out;
        }
        if (!container)
            cJSON_Delete(copy);
        if (!container || push_item(container, "controls", copy))
            rc = rb_err(E->R->ei, RB_ENOMEM, "", "out of memory");
        else
            E->out_ctl[i] = copy;
    }
    return rc;
}

/* Loose params (the catalog's own) go to the result's params, once per id. */
static int add_loose_params(struct res *R, cJSON *out, const cJSON *cat)
{
    const cJSON *params = cJSON_GetObjectItemCaseSensitive(cat, "params");
    for (const cJSON *p = cJSON_IsArray(params) ? params->child : NULL; p; p = p->next) {
        const char *id = str_of(p, "id");
        const cJSON *have = cJSON_GetObjectItemCaseSensitive(out, "params");
        bool dup = false;
        for (const cJSON *e = have ? have->child : NULL; e && id && !dup; e = e->next)
            dup = str_eq(str_of(e, "id"), id);
        if (!dup && push_item(out, "params", cJSON_Duplicate(p, true)))
            return rb_err(R->ei, RB_ENOMEM, "", "out of memory");
    }
    return 0;
}

/* Adds each resource of back (a back-matter object, may be NULL) to res: one of the same uuid
 * already there is replaced, unless only the one there is marked keep=always. */
static int add_resources(struct res *R, cJSON *res, const cJSON *back)
{
    const cJSON *list = back ? cJSON_GetObjectItemCaseSensitive(back, "resources") : NULL;
    for (const cJSON *r = cJSON_IsArray(list) ? list->child : NULL; r; r = r->next) {
        const char *uuid = str_of(r, "uuid");
        cJSON *old = NULL;
        for (cJSON *e = res->child; e && uuid && !old; e = e->next)
            if (str_eq(str_of(e, "uuid"), uuid))
                old = e;
        if (old && keep_always(old) && !keep_always(r))
            continue;
        if (old)
            cJSON_Delete(cJSON_DetachItemViaPointer(res, old));
        cJSON *dup = cJSON_Duplicate(r, true);
        if (!dup || !cJSON_AddItemToArray(res, dup)) {
            cJSON_Delete(dup);
            return rb_err(R->ei, RB_ENOMEM, "", "out of memory");
        }
    }
    return 0;
}

/* ---- OSCAL versions ---- */

struct version {
    int v[3];
    const char *text; /* NULL until one is met */
};

/* Compares "1.1.2"-like versions by their numbers (a suffix like "-rc2" is ignored). */
static bool version_parse(const char *s, int v[3])
{
    for (int k = 0; k < 3; k++) {
        v[k] = 0;
        if (k && *s == '.')
            s++;
        else if (k)
            continue;
        if (*s < '0' || *s > '9')
            return k > 0;
        long n = 0;
        while (*s >= '0' && *s <= '9' && n < 100000)
            n = n * 10 + (*s++ - '0');
        v[k] = (int)n;
    }
    return true;
}

static int version_meet(struct res *R, struct version *ver, const cJSON *metadata, const char *name)
{
    const char *s = str_of(metadata, "oscal-version");
    int v[3];
    if (!s || !version_parse(s, v))
        return 0;
    if (v[0] != TOOL_MAJOR)
        return rb_err(R->ei, RB_EINVAL, "oscal-version",
                      "%.*s is OSCAL \"%.*s\"; rabta resolves OSCAL 1 documents", RB_CUT(name, 120),
                      RB_CUT(s, 20));
    bool newer = !ver->text;
    for (int k = 0; k < 3 && !newer; k++) {
        if (v[k] != ver->v[k]) {
            newer = v[k] > ver->v[k];
            break;
        }
    }
    if (newer) {
        /* A copy: the imported document the version comes from is freed after its import. */
        const char *copy = rb_arena_strdup(&R->a, s);
        if (!copy)
            return rb_err(R->ei, RB_ETOOBIG, "", "the imported catalogs need too much memory");
        memcpy(ver->v, v, sizeof(v));
        ver->text = copy;
    }
    return 0;
}

/* The version the result declares: the highest met, at most the one the resolver implements. */
static const char *version_of(const struct version *ver)
{
    const int tool[3] = {TOOL_MAJOR, TOOL_MINOR, TOOL_PATCH};
    if (!ver->text)
        return TOOL_VERSION;
    for (int k = 0; k < 3; k++)
        if (ver->v[k] != tool[k])
            return ver->v[k] > tool[k] ? TOOL_VERSION : ver->text;
    return ver->text;
}

/* ---- the modify phase ---- */

/* Every param of the result (the catalog's, its groups', its controls' at any depth). */
struct plist {
    cJSON **v;
    int n, cap;
};

static int plist_add(struct plist *l, cJSON *p)
{
    if (l->n == l->cap) {
        int cap = l->cap ? 2 * l->cap : 64;
        cJSON **v = rb_realloc(l->v, (size_t)cap * sizeof(*v));
        if (!v)
            return RB_ENOMEM;
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = p;
    return 0;
}

/* Collects every param (want_params) or every control below node: its own, and those of its
 * groups and controls at any depth. */
static int collect(cJSON *node, bool want_params, struct plist *l)
{
    int rc = 0;
    cJSON *params = want_params ? arr_of(node, "params", false) : NULL;
    for (cJSON *e = params ? params->child : NULL; e && !rc; e = e->next)
        if (cJSON_IsObject(e))
            rc = plist_add(l, e);
    cJSON *ctls = arr_of(node, "controls", false);
    for (cJSON *e = ctls ? ctls->child : NULL; e && !rc; e = e->next)
        if (cJSON_IsObject(e) && !(rc = want_params ? 0 : plist_add(l, e)))
            rc = collect(e, want_params, l);
    cJSON *groups = arr_of(node, "groups", false);
    for (cJSON *e = groups ? groups->child : NULL; e && !rc; e = e->next)
        if (cJSON_IsObject(e))
            rc = collect(e, want_params, l);
    return rc;
}

static cJSON *find_by_id(const struct plist *l, const char *id)
{
    for (int i = 0; i < l->n; i++)
        if (str_eq(str_of(l->v[i], "id"), id))
            return l->v[i];
    return NULL;
}

/* Replaces member key of obj by a copy of v. */
static int replace_member(cJSON *obj, const char *key, const cJSON *v)
{
    cJSON *dup = cJSON_Duplicate(v, true);
    if (!dup)
        return RB_ENOMEM;
    if (cJSON_GetObjectItemCaseSensitive(obj, key))
        return cJSON_ReplaceItemInObjectCaseSensitive(obj, key, dup)
                   ? 0
                   : (cJSON_Delete(dup), RB_ENOMEM);
    if (!cJSON_AddItemToObject(obj, key, dup)) {
        cJSON_Delete(dup);
        return RB_ENOMEM;
    }
    return 0;
}

static int set_parameter(rj_doc *d, const cJSON *sp, const struct plist *params, struct res *R)
{
    static const char *const keys[] = {"param-id",   "class",  "depends-on", "props",
                                       "links",      "label",  "usage",      "constraints",
                                       "guidelines", "values", "select",     NULL};
    static const char *const replaced[] = {"class",  "depends-on", "label", "usage",
                                           "values", "select",     NULL};
    static const char *const added[] = {"props", "links", "constraints", "guidelines", NULL};
    const char *id = NULL, **values = NULL;
    const cJSON *sel = NULL;
    int nvalues = 0, rc;
    if ((rc = known_keys(d, sp, keys)) ||
        (rc = rjd_str(d, sp, "param-id", RJD_REQUIRED | RJD_TOKEN, &id)) ||
        (rc = rjd_str(d, sp, "class", RJD_TOKEN, NULL)) ||
        (rc = rjd_str(d, sp, "depends-on", RJD_TOKEN, NULL)) ||
        (rc = rjd_str(d, sp, "label", RJD_OPTIONAL, NULL)) ||
        (rc = rjd_str(d, sp, "usage", RJD_OPTIONAL, NULL)) ||
        (rc = rjd_strs(d, sp, "values", RJD_OPTIONAL, &values, &nvalues)) ||
        (rc = rjd_obj(d, sp, "select", false, &sel)) || (rc = objects(d, sp, "props")) ||
        (rc = objects(d, sp, "links")) || (rc = objects(d, sp, "constraints")) ||
        (rc = objects(d, sp, "guidelines")))
        return rc;
    cJSON *target = find_by_id(params, id);
    if (!target) {
        warn(R, d->path, "no param of the resolved catalog has the id \"%.*s\"", RB_CUT(id, 64));
        return 0;
    }
    for (int k = 0; replaced[k]; k++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(sp, replaced[k]);
        if (v && (rc = replace_member(target, replaced[k], v)))
            return rb_err(R->ei, rc, "", "out of memory");
    }
    for (int k = 0; added[k]; k++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(sp, added[k]);
        for (const cJSON *e = v ? v->child : NULL; e; e = e->next) {
            /* A prop with a uuid replaces the one of the same uuid (its distinctive id). */
            const char *uuid = k == 0 ? str_of(e, "uuid") : NULL;
            cJSON *have = uuid ? arr_of(target, "props", false) : NULL;
            for (cJSON *h = have ? have->child : NULL; h; h = h->next)
                if (str_eq(str_of(h, "uuid"), uuid)) {
                    cJSON_Delete(cJSON_DetachItemViaPointer(have, h));
                    break;
                }
            if (push_item(target, added[k], cJSON_Duplicate(e, true)))
                return rb_err(R->ei, RB_ENOMEM, "", "out of memory");
        }
    }
    return reorder(target, param_order) ? rb_err(R->ei, RB_ENOMEM, "", "out of memory") : 0;
}

/* What a remove matches: every criterion given must hold. */
struct crit {
    const char *by_id, *by_name, *by_class, *by_ns, *by_item_name;
};

/* The arrays of a control's contents a remove may reach, with the item name of their members. */
static const struct {
    const char *key, *item;
} contents[] = {{"params", "param"}, {"props", "prop"}, {"links", "link"}, {"parts", "part"}};

static bool matches(const cJSON *it, const char *item, const struct crit *c)
{
    if (c->by_item_name && strcmp(c->by_item_name, item) != 0)
        return false;
    if (c->by_id && !str_eq(str_of(it, "id"), c->by_id))
        return false;
    if (c->by_name && !str_eq(str_of(it, "name"), c->by_name))
        return false;
    if (c->by_class && !str_eq(str_of(it, "class"), c->by_class))
        return false;
    if (c->by_ns) {
        /* Only props and parts have a namespace; without "ns" theirs is OSCAL's. */
        if (strcmp(item, "prop") != 0 && strcmp(item, "part") != 0)
            return false;
        const char *ns = str_of(it, "ns");
        if (!str_eq(ns ? ns : OSCAL_NS, c->by_ns))
            return false;
    }
    return true;
}

/* Removes what c matches from obj's contents, at any depth (not inside child controls: those
 * have their own alters). Returns how many objects went. */
static int remove_in(cJSON *obj, const struct crit *c)
{
    int n = 0;
    for (size_t k = 0; k < RB_ARRAY_LEN(contents); k++) {
        cJSON *arr = arr_of(obj, contents[k].key, false);
        for (cJSON *it = arr ? arr->child : NULL; it;) {
            cJSON *next = it->next;
            if (!cJSON_IsObject(it)) {
            } else if (matches(it, contents[k].item, c)) {
                cJSON_Delete(cJSON_DetachItemViaPointer(arr, it));
                n++;
            } else {
                n += remove_in(it, c);
            }
            it = next;
        }
        if (arr)
            drop_if_empty(obj, contents[k].key);
    }
    return n;
}

/* The control an alter edits (NULL when no control has its id: its directives are only
 * checked), for the callbacks of its removes and adds. */
struct alter_ctx {
    struct res *R;
    cJSON *control;
};

static int alter_remove(rj_doc *d, cJSON *rm, int i, void *arg)
{
    static const char *const keys[] = {"by-name",      "by-class", "by-id",
                                       "by-item-name", "by-ns",    NULL};
    static const char *const item_names[] = {"param",   "prop", "link", "part",
                                             "mapping", "map",  NULL};
    struct alter_ctx *x = arg;
    struct crit c = {0};
    RB_UNUSED(i);
    int rc;
    if ((rc = known_keys(d, rm, keys)) || (rc = rjd_str(d, rm, "by-id", RJD_TOKEN, &c.by_id)) ||
        (rc = rjd_str(d, rm, "by-name", RJD_TOKEN, &c.by_name)) ||
        (rc = rjd_str(d, rm, "by-class", RJD_TOKEN, &c.by_class)) ||
        (rc = rjd_str(d, rm, "by-ns", RJD_OPTIONAL, &c.by_ns)) ||
        (rc = rjd_str(d, rm, "by-item-name", RJD_TOKEN, &c.by_item_name)))
        return rc;
    if (c.by_item_name && rb_name_index(item_names, c.by_item_name) < 0)
        return rjd_err(d, RB_EINVAL, "by-item-name",
                       "\"by-item-name\" must be param, prop, link, part, mapping or map");
    if (!c.by_id && !c.by_name && !c.by_class && !c.by_ns && !c.by_item_name)
        return rjd_err(d, RB_EINVAL, NULL,
                       "a removal needs at least one of \"by-id\", \"by-name\", \"by-class\", "
                       "\"by-ns\" or \"by-item-name\"");
    if (x->control && remove_in(x->control, &c) == 0)
        warn(x->R, d->path, "the removal matches nothing in the control \"%.*s\"",
             RB_CUT(str_of(x->control, "id"), 64));
    return 0;
}

/* Where an add's by-id points: the object, the object whose array holds it, that array's key,
 * and the member order of the holder. */
struct loc {
    cJSON *obj, *owner;
    const char *key;
    const char *const *owner_order;
};

static const char *const *order_of(const char *key)
{
    return strcmp(key, "params") == 0  ? param_order
           : strcmp(key, "parts") == 0 ? part_order
                                       : control_order;
}

/* Finds the param, part or control with the given id inside owner, at any depth. */
static bool find_in(cJSON *owner, const char *const *owner_order, const char *id, struct loc *out)
{
    static const char *const keys[] = {"params", "parts", "controls"};
    for (size_t k = 0; k < RB_ARRAY_LEN(keys); k++) {
        cJSON *arr = arr_of(owner, keys[k], false);
        for (cJSON *e = arr ? arr->child : NULL; e; e = e->next) {
            if (!cJSON_IsObject(e))
                continue;
            if (str_eq(str_of(e, "id"), id)) {
                *out = (struct loc){e, owner, keys[k], owner_order};
                return true;
            }
            if (find_in(e, order_of(keys[k]), id, out))
                return true;
        }
    }
    return false;
}

static int alter_add(rj_doc *d, cJSON *add, int i, void *arg)
{
    static const char *const keys[] = {"position", "by-id", "title", "params",
                                       "props",    "links", "parts", NULL};
    static const char *const positions[] = {"before", "after", "starting", "ending", NULL};
    static const char *const arrays[] = {"params", "props", "links", "parts"};
    struct alter_ctx *x = arg;
    const char *pos = NULL, *by_id = NULL, *title = NULL;
    RB_UNUSED(i);
    int rc;
    if ((rc = known_keys(d, add, keys)) || (rc = rjd_str(d, add, "position", RJD_TOKEN, &pos)) ||
        (rc = rjd_str(d, add, "by-id", RJD_TOKEN, &by_id)) ||
        (rc = rjd_str(d, add, "title", RJD_OPTIONAL, &title)))
        return rc;
    for (size_t k = 0; k < RB_ARRAY_LEN(arrays); k++)
        if ((rc = objects(d, add, arrays[k])))
            return rc;
    if (pos && rb_name_index(positions, pos) < 0)
        return rjd_err(d, RB_EINVAL, "position",
                       "\"position\" must be before, after, starting or ending");
    if (!x->control)
        return 0;
    bool before = str_eq(pos, "before"), after = str_eq(pos, "after");
    bool at_start = before || str_eq(pos, "starting");
    /* Without by-id (or by-id naming the control itself) the add binds to the control: before
     * and after then mean starting and ending. */
    struct loc at = {x->control, NULL, "controls", control_order};
    bool inside = true;
    if (by_id && !str_eq(by_id, str_of(x->control, "id"))) {
        if (!find_in(x->control, control_order, by_id, &at)) {
            warn(x->R, d->path,
                 "\"by-id\" \"%.*s\" names nothing in the control \"%.*s\"; the "
                 "addition is ignored",
                 RB_CUT(by_id, 64), RB_CUT(str_of(x->control, "id"), 64));
            return 0;
        }
        inside = !before && !after;
    }
    cJSON *target = at.obj;
    cJSON *dest = inside ? target : at.owner;
    if (title) {
        cJSON *t = cJSON_CreateString(title);
        if (!t || (cJSON_GetObjectItemCaseSensitive(target, "title")
                       ? !cJSON_ReplaceItemInObjectCaseSensitive(target, "title", t)
                       : !cJSON_AddItemToObject(target, "title", t))) {
            cJSON_Delete(t);
            return rb_err(x->R->ei, RB_ENOMEM, "", "out of memory");
        }
    }
    for (size_t k = 0; k < RB_ARRAY_LEN(arrays); k++) {
        const cJSON *items = cJSON_GetObjectItemCaseSensitive(add, arrays[k]);
        if (!items)
            continue;
        cJSON *arr = arr_of(dest, arrays[k], true);
        if (!arr)
            return rjd_err(d, RB_EINVAL, arrays[k],
                           "the target of the addition has a \"%s\" that is not an array",
                           arrays[k]);
        /* Beside the target in its own array; else at the start or the end of the array. */
        int base = !inside && strcmp(arrays[k], at.key) == 0
                       ? index_in(arr, target) + (after ? 1 : 0)
                   : at_start ? 0
                              : cJSON_GetArraySize(arr);
        int n = 0;
        for (const cJSON *e = items->child; e; e = e->next)
            if ((rc = insert_item(arr, base + n++, cJSON_Duplicate(e, true))))
                return rb_err(x->R->ei, rc, "", "out of memory");
    }
    if (reorder(dest, inside ? order_of(at.key) : at.owner_order))
        return rb_err(x->R->ei, RB_ENOMEM, "", "out of memory");
    return 0;
}

/* What the modify phase reads: the result's params and controls, collected once. */
struct modctx {
    struct res *R;
    struct plist params, controls;
};

static int set_parameter_item(rj_doc *d, cJSON *sp, int i, void *arg)
{
    struct modctx *m = arg;
    RB_UNUSED(i);
    return set_parameter(d, sp, &m->params, m->R);
}

static int alter_item(rj_doc *d, cJSON *alter, int i, void *arg)
{
    static const char *const keys[] = {"control-id", "removes", "adds", NULL};
    struct modctx *m = arg;
    const char *id = NULL;
    RB_UNUSED(i);
    int rc;
    if ((rc = known_keys(d, alter, keys)) ||
        (rc = rjd_str(d, alter, "control-id", RJD_REQUIRED | RJD_TOKEN, &id)))
        return rc;
    struct alter_ctx x = {m->R, find_by_id(&m->controls, id)};
    if (!x.control)
        warn(m->R, d->path, "no control of the resolved catalog has the id \"%.*s\"",
             RB_CUT(id, 64));
    /* Removes first, then adds: what an alter adds is never taken away by its own removes. */
    if ((rc = rjd_each(d, alter, "removes", alter_remove, &x)) ||
        (rc = rjd_each(d, alter, "adds", alter_add, &x)))
        return rc;
    return 0;
}

static int apply_modify(struct res *R, rj_doc *d, const cJSON *body, cJSON *cat)
{
    static const char *const keys[] = {"set-parameters", "alters", NULL};
    const cJSON *mod = NULL;
    int rc = rjd_obj(d, body, "modify", false, &mod);
    if (rc || !mod)
        return rc;
    size_t mark = rjd_push(d, "modify");
    struct modctx m = {R, {0}, {0}};
    if (!(rc = known_keys(d, mod, keys)) &&
        ((rc = collect(cat, true, &m.params)) || (rc = collect(cat, false, &m.controls))))
        rc = rb_err(R->ei, rc, "", "out of memory");
    /* Parameters are set first, then controls altered, in the specification's order. */
    if (!rc && !(rc = rjd_each(d, mod, "set-parameters", set_parameter_item, &m)))
        rc = rjd_each(d, mod, "alters", alter_item, &m);
    rb_free(m.params.v);
    rb_free(m.controls.v);
    rjd_pop(d, mark);
    return rc;
}

/* ---- the result's metadata ---- */

/* Removes from the array member key of obj the objects whose member `field` is value. */
static void drop_named(cJSON *obj, const char *key, const char *field, const char *value)
{
    cJSON *arr = arr_of(obj, key, false);
    for (cJSON *e = arr ? arr->child : NULL; e;) {
        cJSON *next = e->next;
        if (str_eq(str_of(e, field), value))
            cJSON_Delete(cJSON_DetachItemViaPointer(arr, e));
        e = next;
    }
    if (arr)
        drop_if_empty(obj, key);
}

static cJSON *pair(const char *k1, const char *v1, const char *k2, const char *v2)
{
    cJSON *o = cJSON_CreateObject();
    if (o && (!cJSON_AddStringToObject(o, k1, v1) || !cJSON_AddStringToObject(o, k2, v2))) {
        cJSON_Delete(o);
        o = NULL;
    }
    return o;
}

/* The profile's metadata, as the resolved catalog's: last-modified now, the oscal-version met,
 * and the props and link the specification asks of a resolved profile. */
static int make_metadata(struct res *R, const cJSON *body, const char *profile_uuid,
                         const char *version, const char *source_href, cJSON *cat)
{
    const cJSON *pm = cJSON_GetObjectItemCaseSensitive(body, "metadata");
    cJSON *m = cJSON_Duplicate(pm, true);
    cJSON *lm = cJSON_CreateString(R->o->now ? R->o->now : "");
    cJSON *ov = cJSON_CreateString(version);
    int rc = RB_ENOMEM;
    if (!m || !lm || !ov)
        goto out;
    cJSON_DeleteItemFromObjectCaseSensitive(m, "last-modified");
    cJSON_DeleteItemFromObjectCaseSensitive(m, "oscal-version");
    if (!cJSON_AddItemToObject(m, "last-modified", lm))
        goto out;
    lm = NULL;
    if (!cJSON_AddItemToObject(m, "oscal-version", ov))
        goto out;
    ov = NULL;
    drop_named(m, "props", "name", "resolution-tool");
    drop_named(m, "props", "name", "source-profile-uuid");
    drop_named(m, "links", "rel", "source-profile");
    if (push_item(m, "props",
                  pair("name", "resolution-tool", "value", R->o->tool ? R->o->tool : "rabta")) ||
        push_item(m, "props", pair("name", "source-profile-uuid", "value", profile_uuid)) ||
        (source_href &&
         push_item(m, "links", pair("href", source_href, "rel", "source-profile"))) ||
        reorder(m, metadata_order))
        goto out;
    if (!cJSON_AddItemToObject(cat, "metadata", m))
        goto out;
    m = NULL;
    rc = 0;
out:
    cJSON_Delete(m);
    cJSON_Delete(lm);
    cJSON_Delete(ov);
    return rc ? rb_err(R->ei, rc, "", "out of memory") : 0;
}

/* ---- merge directives ---- */

static int read_merge(rj_doc *d, const cJSON *body, struct merge *m)
{
    static const char *const keys[] = {"combine", "flat", "as-is", "custom", NULL};
    static const char *const ckeys[] = {"method", NULL};
    static const char *const none[] = {NULL};
    m->combine = COMBINE_KEEP;
    m->structure = STRUCT_FLAT;
    const cJSON *mg = NULL, *comb = NULL, *flat = NULL;
    int rc = rjd_obj(d, body, "merge", false, &mg);
    if (rc || !mg)
        return rc;
    size_t mark = rjd_push(d, "merge");
    const cJSON *as_is = cJSON_GetObjectItemCaseSensitive(mg, "as-is");
    if ((rc = known_keys(d, mg, keys)) || (rc = rjd_obj(d, mg, "combine", false, &comb)) ||
        (rc = rjd_obj(d, mg, "flat", false, &flat)) || (flat && (rc = known_keys(d, flat, none))))
        goto out;
    if (comb) {
        const char *method = NULL;
        size_t cm = rjd_push(d, "combine");
        if (!(rc = known_keys(d, comb, ckeys)) &&
            !(rc = rjd_str(d, comb, "method", RJD_TOKEN, &method)) && method) {
            if (strcmp(method, "use-first") == 0)
                m->combine = COMBINE_USE_FIRST;
            else if (strcmp(method, "merge") == 0)
                rc = rjd_err(d, RB_EINVAL, "method",
                             "the combination \"merge\" is deprecated and its behaviour undefined; "
                             "use \"use-first\" or \"keep\"");
            else if (strcmp(method, "keep") != 0)
                rc =
                    rjd_err(d, RB_EINVAL, "method", "\"method\" must be \"use-first\" or \"keep\"");
        }
        rjd_pop(d, cm);
        if (rc)
            goto out;
    }
    if (as_is && !cJSON_IsBool(as_is)) {
        rc = rjd_err(d, RB_EINVAL, "as-is", "\"as-is\" must be true or false");
        goto out;
    }
    if (cJSON_GetObjectItemCaseSensitive(mg, "custom")) {
        rc = rjd_err(d, RB_EINVAL, "custom",
                     "custom structuring (\"custom\") is not supported; use \"as-is\": true or "
                     "\"flat\": {}");
        goto out;
    }
    if (flat && cJSON_IsTrue(as_is)) {
        rc =
            rjd_err(d, RB_EINVAL, "as-is", "give one structuring directive: \"flat\" or \"as-is\"");
        goto out;
    }
    if (cJSON_IsTrue(as_is))
        m->structure = STRUCT_AS_IS;
out:
    rjd_pop(d, mark);
    return rc;
}

/* ---- imports ---- */

/* Enters a profile into the chain being resolved: refused when its uuid is already there (an
 * import cycle, named in full) or the chain is too long. push false: only checks (a resolved
 * catalog standing for a profile). */
static int chain_enter(struct res *R, const char *name, const char *uuid, bool push)
{
    for (int k = 0; k < R->nchain && uuid; k++) {
        if (!str_eq(R->chain_uuid[k], uuid))
            continue;
        char msg[RB_ERR_MSG_MAX];
        size_t o = 0;
        for (int j = k; j < R->nchain; j++) {
            rb_fmt(msg + o, sizeof(msg) - o, "%s -> ", R->chain_name[j]);
            o = strlen(msg);
        }
        rb_fmt(msg + o, sizeof(msg) - o, "%s", name);
        R->cycle = true;
        return rb_err(R->ei, RB_EINVAL, "profile.imports",
                      "circular import: %s (a profile may not import itself, directly or through "
                      "the profiles it imports)",
                      msg);
    }
    if (!push)
        return 0;
    if (R->nchain > OSCAL_MAX_IMPORT_DEPTH)
        return rb_err(R->ei, RB_ETOOBIG, "profile.imports",
                      "profiles import profiles more than %d deep", OSCAL_MAX_IMPORT_DEPTH);
    R->chain_name[R->nchain] = name;
    R->chain_uuid[R->nchain] = uuid;
    R->nchain++;
    return 0;
}

/* A resource of the profile's back-matter by uuid, or NULL. */
static const cJSON *resource(const cJSON *body, const char *uuid)
{
    const cJSON *back = cJSON_GetObjectItemCaseSensitive(body, "back-matter");
    const cJSON *list = back ? cJSON_GetObjectItemCaseSensitive(back, "resources") : NULL;
    for (const cJSON *r = cJSON_IsArray(list) ? list->child : NULL; r; r = r->next)
        if (str_eq(str_of(r, "uuid"), uuid))
            return r;
    return NULL;
}

/* Fetches what the import's href names. "#uuid" names a back-matter resource, whose rlinks are
 * tried in order; an href the back-matter does not hold goes to the fetch as it is (the caller
 * may have bound the profile to a catalog). d's path is the import's. */
static int fetch_import(struct res *R, rj_doc *d, const cJSON *body, const char *href, int depth,
                        struct oscal_source *src)
{
    const struct oscal_resolve_opts *o = R->o;
    rb_errinfo e;
    rb_errinfo_clear(&e);
    const cJSON *res = href[0] == '#' ? resource(body, href + 1) : NULL;
    int rc = RB_ENOTFOUND;
    if (++R->fetches > OSCAL_MAX_FETCHES)
        return rb_err(R->ei, RB_ETOOBIG, "profile.imports",
                      "the profile and the profiles it imports import more than %d documents",
                      OSCAL_MAX_FETCHES);
    const char *tried = NULL;
    if (res) {
        const cJSON *rlinks = cJSON_GetObjectItemCaseSensitive(res, "rlinks");
        for (const cJSON *l = cJSON_IsArray(rlinks) ? rlinks->child : NULL; l; l = l->next) {
            const char *h = str_of(l, "href");
            if (!h)
                continue;
            rb_errinfo le;
            rb_errinfo_clear(&le);
            rc = o->fetch(o->ctx, h, depth, src, &le);
            if (rc != RB_ENOTFOUND || !tried) {
                e = le;
                tried = h;
            }
            if (rc != RB_ENOTFOUND)
                break;
        }
        if (!tried)
            return rjd_err(d, RB_EINVAL, "href",
                           "the back-matter resource \"%.*s\" has no rlink with an href; rabta "
                           "reads an import from an rlink naming a catalog or profile it holds",
                           RB_CUT(href + 1, 64));
    } else {
        rc = o->fetch(o->ctx, href, depth, src, &e);
        if (rc == RB_ENOTFOUND && href[0] == '#')
            return rjd_err(d, RB_EINVAL, "href",
                           "no resource of the profile's back-matter has the uuid \"%.*s\": an "
                           "href \"#uuid\" names a back-matter resource, whose rlinks say where "
                           "the catalog or profile is",
                           RB_CUT(href + 1, 64));
    }
    if (rc == RB_ENOTFOUND)
        return rb_err(R->ei, RB_ENOTFOUND, e.field[0] ? e.field : "href",
                      "cannot resolve the import \"%.*s\"%s%.*s%s: %s", RB_CUT(href, 120),
                      tried ? " (its rlink \"" : "", RB_CUT(tried ? tried : "", 120),
                      tried ? "\")" : "", e.msg);
    if (rc) {
        *R->ei = e;
        if (!R->ei->code)
            R->ei->code = rc;
    }
    return rc;
}

static int resolve_doc(struct res *R, const char *text, size_t len, const char *name,
                       const char *source_href, int depth, cJSON **out);

/* Wraps the error of an imported document: "the import X failed: <its field>: <its message>". */
static int wrap(struct res *R, int rc, const char *field, const char *href)
{
    if (R->cycle)
        return rc;
    rb_errinfo inner = *R->ei;
    return rb_err(R->ei, rc, field, "the import \"%.*s\" failed: %s%s%s", RB_CUT(href, 120),
                  inner.field, inner.field[0] ? ": " : "", inner.msg);
}

/* One import: fetch, resolve when it is a profile, select, copy into the result. */
static int import_one(struct res *R, rj_doc *d, const cJSON *body, const struct oscal_import *imp,
                      int i, int depth, const struct merge *m, struct idset *seen, cJSON *cat,
                      cJSON *resources, struct version *ver)
{
    size_t mark = rjd_push(d, "imports");
    rjd_push_index(d, i);
    char field[RJD_PATH_MAX];
    rb_fmt(field, sizeof(field), "%s", d->path);
    struct oscal_source src = {0};
    struct src s;
    memset(&s, 0, sizeof(s));
    int rc = fetch_import(R, d, body, imp->href, depth, &src);
    if (rc)
        goto out;
    s.name = src.name ? src.name : imp->href;
    rb_errinfo e;
    rj_doc sd;
    oscal__doc_init(&sd, &R->a, &e);
    if ((rc = rjd_parse(&sd, src.text, src.len, OSCAL_MAX_BYTES, OSCAL_MAX_DEPTH, &s.root))) {
        *R->ei = e;
        rc = wrap(R, rc, field, imp->href);
        goto out;
    }
    if (cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(s.root, "profile"))) {
        cJSON_Delete(s.root);
        s.root = NULL;
        if ((rc = resolve_doc(R, src.text, src.len, s.name, imp->href, depth + 1, &s.root))) {
            rc = wrap(R, rc, field, imp->href);
            goto out;
        }
    } else if (!cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(s.root, "catalog"))) {
        rc = rb_err(R->ei, RB_EINVAL, field,
                    "the import \"%.*s\" is neither an OSCAL catalog nor an OSCAL profile",
                    RB_CUT(imp->href, 120));
        goto out;
    } else if ((rc = chain_enter(R, s.name, src.profile_uuid, false))) {
        goto out;
    }
    s.cat = cJSON_GetObjectItemCaseSensitive(s.root, "catalog");
    if ((rc = version_meet(R, ver, cJSON_GetObjectItemCaseSensitive(s.cat, "metadata"), s.name)) ||
        (rc = index_catalog(R, &s)))
        goto out;
    rb_errinfo w;
    rb_errinfo_clear(&w);
    rc = oscal_profile_select(imp, &s.view, s.selected, &w);
    if (rc < 0) {
        rc = rc == RB_ENOTFOUND ? rb_err(R->ei, RB_EINVAL, "profile.imports",
                                         "%s (import \"%.*s\")", w.msg, RB_CUT(imp->href, 120))
                                : rb_err(R->ei, rc, "", "out of memory");
        goto out;
    }
    if (w.msg[0])
        warn(R, field, "%s (import \"%.*s\")", w.msg, RB_CUT(imp->href, 120));
    mark_groups(&s, imp->include_all);
    struct emit E = {R, &s, cat, m, seen, NULL, NULL};
    E.out_ctl = rb_arena_alloc(&R->a, ((size_t)s.view.ncontrols + 1) * sizeof(*E.out_ctl));
    E.out_grp = rb_arena_alloc(&R->a, ((size_t)s.ngroups + 1) * sizeof(*E.out_grp));
    if (!E.out_ctl || !E.out_grp) {
        rc = rb_err(R->ei, RB_ETOOBIG, "", "the imported catalogs need too much memory");
        goto out;
    }
    if ((rc = emit_selection(&E)) || (rc = add_loose_params(R, cat, s.cat)))
        goto out;
    rc = add_resources(R, resources, cJSON_GetObjectItemCaseSensitive(s.cat, "back-matter"));
out:
    cJSON_Delete(s.root);
    rjd_pop(d, mark);
    return rc;
}

/* Resolves the profile text[0..len) into *out ({"catalog": ...}; the caller deletes it). */
static int resolve_doc(struct res *R, const char *text, size_t len, const char *name,
                       const char *source_href, int depth, cJSON **out)
{
    struct oscal_profile p;
    rj_doc doc, *d = &doc;
    cJSON *root = NULL, *body = NULL, *res_root = NULL, *resources = NULL;
    struct idset seen = {0};
    struct merge m;
    struct version ver = {{0}, NULL};
    bool entered = false;
    int rc = oscal_profile_parse(text, len, &R->a, &p, R->ei);
    if (rc)
        goto out;
    oscal__doc_init(d, &R->a, R->ei);
    if ((rc = oscal__parse_root(d, text, len, "profile", &root, &body)) ||
        (rc = chain_enter(R, name, p.uuid, true)))
        goto out;
    entered = true;
    if ((rc = read_merge(d, body, &m)) ||
        (rc = version_meet(R, &ver, cJSON_GetObjectItemCaseSensitive(body, "metadata"), name)))
        goto out;
    cJSON *cat = NULL;
    if (!(res_root = cJSON_CreateObject()) ||
        !(cat = cJSON_AddObjectToObject(res_root, "catalog")) ||
        !cJSON_AddStringToObject(cat, "uuid", R->o->uuid ? R->o->uuid : p.uuid) ||
        !(resources = cJSON_CreateArray())) {
        rc = rb_err(R->ei, RB_ENOMEM, "", "out of memory");
        goto out;
    }
    for (int i = 0; i < p.nimports && !rc; i++)
        rc = import_one(R, d, body, &p.imports[i], i, depth, &m, &seen, cat, resources, &ver);
    if (rc ||
        (rc = add_resources(R, resources, cJSON_GetObjectItemCaseSensitive(body, "back-matter"))) ||
        (rc = apply_modify(R, d, body, cat)) ||
        (rc = make_metadata(R, body, p.uuid, version_of(&ver), source_href, cat)))
        goto out;
    if (resources->child) {
        cJSON *back = cJSON_AddObjectToObject(cat, "back-matter");
        if (!back || !cJSON_AddItemToObject(back, "resources", resources)) {
            rc = rb_err(R->ei, RB_ENOMEM, "", "out of memory");
            goto out;
        }
        resources = NULL;
    }
    if (reorder(cat, catalog_order)) {
        rc = rb_err(R->ei, RB_ENOMEM, "", "out of memory");
        goto out;
    }
    *out = res_root;
    res_root = NULL;
out:
    if (entered && !rc)
        R->nchain--;
    cJSON_Delete(root);
    cJSON_Delete(res_root);
    cJSON_Delete(resources);
    rb_free(seen.slot);
    return rc;
}

int oscal_profile_resolve(const char *text, size_t len, const struct oscal_resolve_opts *o,
                          rb_buf *out, rb_errinfo *ei)
{
    struct res R;
    memset(&R, 0, sizeof(R));
    R.o = o;
    R.ei = ei;
    rb_errinfo_clear(ei);
    rb_arena_init(&R.a, SCRATCH_CAP);
    cJSON *root = NULL;
    int rc =
        resolve_doc(&R, text, len, o->name ? o->name : "the profile", o->source_href, 0, &root);
    if (!rc && (rc = oscal__write_tree(root, out)))
        rb_err(ei, rc, "",
               rc == RB_ETOOBIG ? "the resolved catalog is too large"
                                : "cannot write the resolved catalog");
    if (!rc && R.warn.msg[0]) {
        *ei = R.warn;
        ei->code = 0;
    }
    cJSON_Delete(root);
    rb_arena_release(&R.a);
    return rc;
}
