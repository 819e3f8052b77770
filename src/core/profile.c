/*
 * profile.c - profiles: OSCAL profile import, ticked-control profiles, resolution, applicability.
 *
 * Every profile is an OSCAL profile: imported as given, or, made by ticking controls, written as
 * one (ticked_document). It is resolved when it is stored (formats/oscal: oscal_profile_resolve),
 * its imports fetched from the store as the actor may read it (fetch_stored: what an href names
 * is href_names'), and the resolved catalog is kept with it, with each control's text as that
 * catalog has it: what campaigns, assessments, scores and exports of it read. Catalogs and
 * profiles never change once stored, so nothing kept can go stale; a profile stored before
 * resolution was kept (migration 0009) is resolved when its resolved catalog is asked for.
 *
 * Must never: read an import the actor may not read (every fetch goes through the policy, and a
 * refusal says no more than "not found"), or store a profile whose controls are not all controls
 * of the one catalog it is bound to.
 */
#include "base/common.h"
#include "base/buf.h"
#include "base/utf8.h"
#include "base/crypto.h"
#include "base/rtime.h"
#include "core/kind.h"
#include "core/catalog.h"
#include "core/policy.h"
#include "core/profile.h"
#include "core/share.h"
#include "core/write.h"
#include "formats/oscal.h"
#include "json/field.h"
#include "json/json.h"

bool profile_applies(const struct profile_applicability *ap, const rb_org *org)
{
    if (ap->nkinds > 0) {
        bool ok = false;
        for (int i = 0; i < ap->nkinds; i++)
            ok = ok || ap->kinds[i] == org->kind;
        if (!ok)
            return false;
    }
    if (ap->nsectors > 0) {
        bool ok = false;
        for (int i = 0; i < ap->nsectors && org->sector; i++)
            ok = ok || strcmp(ap->sectors[i], org->sector) == 0;
        if (!ok)
            return false;
    }
    if ((ap->cii_only || ap->min_cii_grade > 0) && !org->cii)
        return false;
    if (ap->min_cii_grade > 0 && org->cii_grade < ap->min_cii_grade)
        return false;
    return true;
}

/* Splits a comma-separated list into at most max trimmed, non-empty items in the arena. */
static int split(const char *list, rb_arena *a, const char **items, int max, int *n)
{
    *n = 0;
    const char *p = list;
    while (p && *p) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        while (len && (*p == ' ')) {
            p++;
            len--;
        }
        while (len && p[len - 1] == ' ')
            len--;
        if (len) {
            if (*n >= max)
                return RB_ETOOBIG;
            if (!(items[(*n)++] = rb_arena_strndup(a, p, len)))
                return RB_ENOMEM;
        }
        p = e ? e + 1 : NULL;
    }
    return 0;
}

int profile_applicability_parse(struct profile_applicability *ap, const char *kinds,
                                const char *sectors, rb_arena *a, rb_errinfo *ei)
{
    const char *items[PROFILE_MAX_LIST];
    int n = 0;
    ap->nkinds = 0;
    ap->nsectors = 0;
    if (split(kinds, a, items, PROFILE_MAX_LIST, &n))
        return rb_err(ei, RB_EINVAL, "applies_kinds", "too many org kinds");
    for (int i = 0; i < n; i++) {
        enum rb_org_kind k;
        if (rb_org_kind_parse(items[i], &k))
            return rb_err(ei, RB_EINVAL, "applies_kinds", "unknown org kind \"%.*s\"",
                          RB_CUT(items[i], 40));
        bool dup = false;
        for (int j = 0; j < ap->nkinds; j++)
            dup = dup || ap->kinds[j] == k;
        if (!dup)
            ap->kinds[ap->nkinds++] = k;
    }
    if (split(sectors, a, ap->sectors, PROFILE_MAX_LIST, &ap->nsectors))
        return rb_err(ei, RB_EINVAL, "applies_sectors", "too many sectors");
    for (int i = 0; i < ap->nsectors; i++) {
        bool ok = false;
        for (int k = 0; rb_sectors[k]; k++)
            ok = ok || strcmp(rb_sectors[k], ap->sectors[i]) == 0;
        if (!ok)
            return rb_err(ei, RB_EINVAL, "applies_sectors", "unknown sector \"%.*s\"",
                          RB_CUT(ap->sectors[i], 40));
    }
    if (ap->min_cii_grade < 0 || ap->min_cii_grade > 3)
        return rb_err(ei, RB_EINVAL, "min_cii_grade", "\"min_cii_grade\" must be 0 to 3");
    return 0;
}

/* Joins n names into comma-separated text in the arena (NULL when there is none): the
 * applicability lists as stored. */
static char *join(const char *const *names, int n, rb_arena *a)
{
    if (n == 0)
        return NULL;
    char buf[512];
    size_t o = 0;
    for (int i = 0; i < n; i++) {
        int w = snprintf(buf + o, sizeof(buf) - o, "%s%s", i ? "," : "", names[i]);
        if (w < 0 || (size_t)w >= sizeof(buf) - o)
            break;
        o += (size_t)w;
    }
    return rb_arena_strdup(a, buf);
}

void profile_applicability_of(const rb_profile *p, struct profile_applicability *ap, rb_arena *a)
{
    memset(ap, 0, sizeof(*ap));
    ap->cii_only = p->cii_only;
    ap->min_cii_grade = p->min_cii_grade;
    profile_applicability_parse(ap, p->applies_kinds, p->applies_sectors, a, NULL);
}

/* ---- what an href names ---- */

/* The stored object a readable catalog or profile: kind_catalog or kind_profile, its id. */
struct named {
    const struct rb_kind *kind;
    char id[RB_ID_SIZE];
};

/* The newest readable object of kind k (catalogs or profiles) whose OSCAL uuid is `uuid`. */
static int by_oscal_uuid(rb_db *db, const rb_actor *actor, const struct rb_kind *k,
                         const char *uuid, char out[RB_ID_SIZE])
{
    rb_stmt *st = NULL;
    int rc = db_query(
        db,
        k == &kind_catalog
            ? "SELECT o.id FROM catalogs o WHERE o.oscal_uuid = ?1 AND " POLICY_SQL_READABLE
              " ORDER BY o.created_at DESC, o.id DESC LIMIT 1"
            : "SELECT o.id FROM profiles o WHERE o.oscal_uuid = ?1 AND " POLICY_SQL_READABLE
              " ORDER BY o.created_at DESC, o.id DESC LIMIT 1",
        DB_ARGS(DB_TEXT(uuid)), &st);
    if (rc)
        return rc;
    policy_bind_actor(st, actor, k);
    if ((rc = db_text_buf(st, out, RB_ID_SIZE)))
        return rc;
    return out[0] ? 0 : RB_ENOTFOUND;
}

/* Reads what an href names in the store (docs/decisions.md, "How an import names a stored
 * catalog or profile"): rabta's own address of the object, absolute or relative, ending in
 * "catalogs/<id>" or "profiles/<id>" (either may go on with "/oscal", a profile's with
 * "/resolved"); or "urn:uuid:<uuid>", the OSCAL uuid of a stored catalog (the newest import of
 * it), else of a stored profile. Returns 0 with *out, RB_ENOTFOUND. Readability is the caller's
 * to check. */
static int href_names(rb_db *db, const rb_actor *actor, const char *href, struct named *out)
{
    if (strncasecmp(href, "urn:uuid:", 9) == 0) {
        const char *u = href + 9;
        if (!rb_uuid_valid(u))
            return RB_ENOTFOUND;
        out->kind = &kind_catalog;
        if (!by_oscal_uuid(db, actor, &kind_catalog, u, out->id))
            return 0;
        out->kind = &kind_profile;
        return by_oscal_uuid(db, actor, &kind_profile, u, out->id);
    }
    /* The path, without query or fragment, in segments from the end. */
    char path[512];
    size_t n = strcspn(href, "?#");
    if (n >= sizeof(path))
        return RB_ENOTFOUND;
    memcpy(path, href, n);
    path[n] = '\0';
    while (n && path[n - 1] == '/')
        path[--n] = '\0';
    char *seg[3] = {NULL, NULL, NULL};
    for (int k = 0; k < 3; k++) {
        char *slash = strrchr(path, '/');
        seg[k] = slash ? slash + 1 : path;
        if (!slash)
            break;
        *slash = '\0';
    }
    /* seg[0] is the last segment: an id, or "oscal"/"resolved" after one. */
    int at = (seg[0] && (strcmp(seg[0], "oscal") == 0 || strcmp(seg[0], "resolved") == 0)) ? 1 : 0;
    const char *id = seg[at], *coll = at + 1 < 3 ? seg[at + 1] : NULL;
    if (!id || !coll || !rb_uuid_valid(id))
        return RB_ENOTFOUND;
    if (strcmp(coll, "catalogs") == 0 && !(at && strcmp(seg[0], "resolved") == 0))
        out->kind = &kind_catalog;
    else if (strcmp(coll, "profiles") == 0)
        out->kind = &kind_profile;
    else
        return RB_ENOTFOUND;
    rb_strlcpy(out->id, id, sizeof(out->id));
    return 0;
}

/* ---- resolution ---- */

/* A document fetched already: imports of the same object read it once. */
struct fetched {
    struct named obj;
    struct oscal_source src;
    char catalog_id[RB_ID_SIZE];
};
#define FETCH_CACHE 16

/* What the resolver's fetch reads from: the store as the actor sees it. */
struct fetch {
    rb_db *db;
    const rb_actor *actor;
    rb_arena *a;            /* the documents fetched live here */
    const char *bound;      /* the catalog every import of the profile itself names, or NULL */
    char base[RB_ID_SIZE];  /* the stored catalog the imports come down to */
    char other[RB_ID_SIZE]; /* a second one, when they come down to two */
    struct fetched cache[FETCH_CACHE];
    int ncache;
};

static int resolve_stored(struct fetch *f, const char *id, const char **text, size_t *len,
                          const char **uuid, char catalog_id[RB_ID_SIZE], rb_errinfo *ei);

static void note_base(struct fetch *f, const char *catalog_id)
{
    if (!f->base[0])
        rb_strlcpy(f->base, catalog_id, sizeof(f->base));
    else if (strcmp(f->base, catalog_id) != 0 && !f->other[0])
        rb_strlcpy(f->other, catalog_id, sizeof(f->other));
}

/* Hands the buffer's text to the arena (freed with it). */
static int keep_text(rb_arena *a, rb_buf *b, const char **text, size_t *len)
{
    size_t n = 0;
    char *p = rb_buf_detach(b, &n);
    if (!p || rb_arena_defer(a, rb_free, p))
        return RB_ENOMEM;
    *text = p;
    *len = n;
    return 0;
}

/* Notes the catalog a fetched document comes down to, and keeps the document for the next
 * import of the same object. */
static void remember(struct fetch *f, const struct named *obj, const struct oscal_source *src,
                     const char *catalog_id)
{
    note_base(f, catalog_id);
    if (f->ncache == FETCH_CACHE)
        return;
    struct fetched *c = &f->cache[f->ncache++];
    c->obj = *obj;
    c->src = *src;
    rb_strlcpy(c->catalog_id, catalog_id, sizeof(c->catalog_id));
}

static int fetch_stored(void *ctx, const char *href, int depth, struct oscal_source *src,
                        rb_errinfo *ei)
{
    struct fetch *f = ctx;
    struct named obj;
    if (depth == 0 && f->bound) {
        obj.kind = &kind_catalog;
        rb_strlcpy(obj.id, f->bound, sizeof(obj.id));
    } else if (href_names(f->db, f->actor, href, &obj)) {
        return rb_err(ei, RB_ENOTFOUND, "catalog",
                      "no catalog or profile in rabta has that name; import the catalog, name "
                      "it /api/v1/catalogs/ID/oscal or urn:uuid:UUID, or bind the profile to it "
                      "(catalog id)");
    }
    for (int i = 0; i < f->ncache; i++)
        if (f->cache[i].obj.kind == obj.kind && strcmp(f->cache[i].obj.id, obj.id) == 0) {
            *src = f->cache[i].src;
            note_base(f, f->cache[i].catalog_id);
            return 0;
        }
    char *name = rb_arena_alloc(f->a, 64);
    if (!name)
        return rb_err(ei, RB_ENOMEM, "", "out of memory");
    rb_fmt(name, 64, "%s %s", obj.kind == &kind_catalog ? "catalog" : "profile", obj.id);
    *src = (struct oscal_source){NULL, 0, name, NULL};
    if (obj.kind == &kind_profile) {
        char catalog_id[RB_ID_SIZE];
        int rc =
            resolve_stored(f, obj.id, &src->text, &src->len, &src->profile_uuid, catalog_id, ei);
        if (rc == RB_ENOTFOUND)
            return rb_err(ei, rc, "catalog", "no profile with the id %s is readable", obj.id);
        if (!rc)
            remember(f, &obj, src, catalog_id);
        return rc;
    }
    rb_catalog cat;
    if (catalog_get(f->db, f->actor, obj.id, f->a, &cat))
        return rb_err(ei, RB_ENOTFOUND, "catalog", "no catalog with the id %s is readable", obj.id);
    rb_buf b;
    rb_buf_init(&b, OSCAL_MAX_BYTES);
    int rc = catalog_export(f->db, f->actor, obj.id, &b);
    if (!rc)
        rc = keep_text(f->a, &b, &src->text, &src->len);
    rb_buf_release(&b);
    if (rc)
        return rb_err(ei, rc, "", "cannot read the catalog %s", obj.id);
    remember(f, &obj, src, obj.id);
    return 0;
}

/* A profile resolved: the catalog it resolves to, read back by the catalog codec (each control's
 * text as an assessment shows it), and the stored catalog its controls come from. */
struct resolution {
    const char *json; /* the resolved catalog */
    size_t len;
    struct oscal_catalog cat;
    char catalog_id[RB_ID_SIZE];
    int *idx; /* per control of cat, its index in the stored catalog */
};

/* Resolves the profile document doc[0..len) (bound: every import of it names that catalog) for
 * the profile `id` (its address goes into the resolved catalog). Errors as
 * oscal_profile_resolve's, and RB_EINVAL when the imports come down to two catalogs or the result
 * selects no control. */
static int resolve(rb_db *db, const rb_actor *actor, rb_arena *a, const char *doc, size_t len,
                   const char *bound, const char *id, struct resolution *out, rb_errinfo *ei)
{
    struct fetch f = {.db = db, .actor = actor, .a = a, .bound = bound};
    char uuid[RB_ID_SIZE], now[RB_TIME_SIZE], href[96], name[64];
    rb_uuid_new(uuid);
    rb_time_format(rb_now(), now);
    rb_fmt(href, sizeof(href), "/api/v1/profiles/%s/oscal", id);
    rb_fmt(name, sizeof(name), "profile %s", id);
    const struct oscal_resolve_opts o = {fetch_stored, &f, name, uuid, now, PROFILE_TOOL, href};
    rb_buf b;
    rb_buf_init(&b, OSCAL_MAX_RESOLVED);
    memset(out, 0, sizeof(*out));
    int rc = oscal_profile_resolve(doc, len, &o, &b, ei);
    if (!rc && f.other[0])
        rc = rb_err(ei, RB_EINVAL, "profile.imports",
                    "the imports come down to two catalogs (%s and %s); a profile selects from one",
                    f.base, f.other);
    if (!rc && (rc = keep_text(a, &b, &out->json, &out->len)))
        rb_err(ei, rc, "", "out of memory");
    rb_buf_release(&b);
    if (rc)
        return rc;
    rb_strlcpy(out->catalog_id, f.base, sizeof(out->catalog_id));
    rb_errinfo perr;
    if ((rc = oscal_catalog_parse(out->json, out->len, a, &out->cat, &perr)))
        return rb_err(ei, rc == RB_EINVAL ? RB_EINVAL : rc, "profile.modify",
                      "the resolved catalog is not one rabta can read: %s%s%s", perr.field,
                      perr.field[0] ? ": " : "", perr.msg);
    if (out->cat.ncontrols == 0)
        return rb_err(ei, RB_EINVAL, "profile.imports", "the profile selects no control");
    return 0;
}

struct id_ix {
    const char *id;
    int idx;
};

static int id_ix_cmp(const void *x, const void *y)
{
    return strcmp(((const struct id_ix *)x)->id, ((const struct id_ix *)y)->id);
}

/* Finds each resolved control in the stored catalog (r->idx). */
static int map_controls(rb_db *db, const rb_actor *actor, rb_arena *a, struct resolution *r,
                        rb_errinfo *ei)
{
    rb_catalog cat;
    struct oscal_catalog ids;
    memset(&ids, 0, sizeof(ids));
    int rc = catalog_get(db, actor, r->catalog_id, a, &cat);
    if (rc || (rc = catalog_control_tree(db, r->catalog_id, cat.controls, false, a, &ids)))
        return rb_err(ei, rc, "catalog", "cannot read the catalog's controls");
    struct id_ix *ix = rb_arena_alloc(a, sizeof(*ix) * (size_t)(ids.ncontrols + 1));
    r->idx = rb_arena_alloc(a, sizeof(int) * (size_t)(r->cat.ncontrols + 1));
    if (!ix || !r->idx)
        return rb_err(ei, RB_ENOMEM, "", "out of memory");
    for (int i = 0; i < ids.ncontrols; i++)
        ix[i] = (struct id_ix){ids.controls[i].id, i};
    qsort(ix, (size_t)ids.ncontrols, sizeof(*ix), id_ix_cmp);
    for (int i = 0; i < r->cat.ncontrols; i++) {
        struct id_ix key = {r->cat.controls[i].id, 0};
        const struct id_ix *hit =
            ids.ncontrols ? bsearch(&key, ix, (size_t)ids.ncontrols, sizeof(*ix), id_ix_cmp) : NULL;
        if (!hit)
            return rb_err(ei, RB_EINVAL, "profile.imports",
                          "the resolved control \"%.*s\" is not a control of the catalog %s",
                          RB_CUT(r->cat.controls[i].id, 64), r->catalog_id);
        r->idx[i] = hit->idx;
    }
    return 0;
}

/* ---- the OSCAL document of a profile ---- */

static void with_ids(rj_writer *w, const char *key, const struct oscal_catalog *ids,
                     const bool *which)
{
    rjw_karr(w, key);
    rjw_obj(w);
    rjw_karr(w, "with-ids");
    for (int i = 0; i < ids->ncontrols; i++)
        if (which[i])
            rjw_str(w, ids->controls[i].id);
    rjw_arr_end(w);
    rjw_obj_end(w);
    rjw_arr_end(w);
}

/* The profile made by ticking controls (ticked[i] for control i of ids), as an OSCAL profile
 * object: it imports its catalog through a back-matter resource (rabta's address of it, and its
 * OSCAL uuid), includes the ticked controls and excludes their ancestors that were not ticked
 * (which would come along), and keeps the catalog's groups (merge as-is). Its uuid is the
 * profile's id, its last-modified `at`. */
static int ticked_document(const char *uuid, const char *title, const char *at,
                           const struct oscal_catalog *ids, const bool *ticked,
                           const rb_catalog *cat, rb_arena *a, rb_buf *out)
{
    bool *above = rb_arena_alloc(a, sizeof(bool) * (size_t)(ids->ncontrols + 1));
    if (!above)
        return RB_ENOMEM;
    bool any_above = false;
    for (int i = 0; i < ids->ncontrols; i++) {
        int steps = 0;
        for (int k = ticked[i] ? ids->controls[i].parent : -1;
             k >= 0 && k < ids->ncontrols && steps < ids->ncontrols;
             k = ids->controls[k].parent, steps++)
            if (!ticked[k])
                any_above = above[k] = true;
    }
    char res[RB_ID_SIZE + 1], href[96], urn[64];
    rb_fmt(res, sizeof(res), "#%s", cat->id);
    rb_fmt(href, sizeof(href), "/api/v1/catalogs/%s/oscal", cat->id);
    rb_fmt(urn, sizeof(urn), "urn:uuid:%s", cat->oscal_uuid ? cat->oscal_uuid : "");
    rj_writer w;
    rjw_init(&w, out);
    rjw_obj(&w);
    rjw_kstr(&w, "uuid", uuid);
    rjw_key(&w, "metadata");
    rjw_obj(&w);
    rjw_kstr(&w, "title", title);
    rjw_kstr(&w, "last-modified", at);
    rjw_kstr(&w, "version", "1");
    rjw_kstr(&w, "oscal-version", "1.1.2");
    rjw_obj_end(&w);
    rjw_key(&w, "imports");
    rjw_arr(&w);
    rjw_obj(&w);
    rjw_kstr(&w, "href", res);
    with_ids(&w, "include-controls", ids, ticked);
    if (any_above)
        with_ids(&w, "exclude-controls", ids, above);
    rjw_obj_end(&w);
    rjw_arr_end(&w);
    rjw_key(&w, "merge");
    rjw_obj(&w);
    rjw_kbool(&w, "as-is", true);
    rjw_obj_end(&w);
    rjw_key(&w, "back-matter");
    rjw_obj(&w);
    rjw_key(&w, "resources");
    rjw_arr(&w);
    rjw_obj(&w);
    rjw_kstr(&w, "uuid", cat->id);
    rjw_kstr(&w, "title", cat->title);
    rjw_key(&w, "rlinks");
    rjw_arr(&w);
    rjw_obj(&w);
    rjw_kstr(&w, "href", href);
    rjw_kstr(&w, "media-type", "application/oscal.catalog+json");
    rjw_obj_end(&w);
    if (cat->oscal_uuid) {
        rjw_obj(&w);
        rjw_kstr(&w, "href", urn);
        rjw_obj_end(&w);
    }
    rjw_arr_end(&w);
    rjw_obj_end(&w);
    rjw_arr_end(&w);
    rjw_obj_end(&w);
    rjw_obj_end(&w);
    return rjw_finish(&w);
}

/* {"profile": body}, the document a profile object makes. */
static int wrap_profile(rb_arena *a, const char *body, size_t n, const char **doc, size_t *len)
{
    rb_buf b;
    rb_buf_init(&b, OSCAL_MAX_BYTES);
    rj_writer w;
    rjw_init(&w, &b);
    rjw_obj(&w);
    rjw_key(&w, "profile");
    rjw_raw(&w, body, n);
    rjw_obj_end(&w);
    int rc = rjw_finish(&w);
    if (!rc)
        rc = keep_text(a, &b, doc, len);
    rb_buf_release(&b);
    return rc;
}

/* What a stored profile is made of, as profile_document and resolve_stored read it. */
struct stored {
    char *id, *title, *catalog_id, *oscal_uuid, *created_at, *json, *resolved_json;
};

static const struct rb_member stored_members[] = {
    RB_MEMBERS(struct stored, id, title, catalog_id, oscal_uuid, created_at, json, resolved_json),
};
static const struct rb_record stored_record = RB_RECORD(struct stored, stored_members);

static int stored_get(rb_db *db, const rb_actor *actor, const char *id, rb_arena *a,
                      struct stored *out)
{
    return kind_get(&kind_profile, db, actor,
                    "SELECT o.id, o.title, o.catalog_id, o.oscal_uuid, o.created_at, o.json, "
                    "o.resolved_json FROM profiles o WHERE o.id = ?1 AND " POLICY_SQL_READABLE,
                    id, a, &stored_record, out);
}

/* The profile object of a stored profile: as imported, or, for one made by ticking controls
 * before its document was kept (rabta before migration 0009), made from its controls now. */
static int profile_body(rb_db *db, const rb_actor *actor, const struct stored *p, rb_arena *a,
                        const char **body, size_t *len)
{
    if (p->json) {
        *body = p->json;
        *len = strlen(p->json);
        return 0;
    }
    rb_catalog cat;
    struct oscal_catalog ids;
    memset(&ids, 0, sizeof(ids));
    int rc = catalog_get(db, actor, p->catalog_id, a, &cat);
    if (rc || (rc = catalog_control_tree(db, p->catalog_id, cat.controls, false, a, &ids)))
        return rc;
    bool *ticked = rb_arena_alloc(a, sizeof(bool) * (size_t)(ids.ncontrols + 1));
    if (!ticked)
        return RB_ENOMEM;
    rb_stmt *st = NULL;
    if ((rc = db_query(db, "SELECT control_idx FROM profile_controls WHERE profile_id = ?1",
                       DB_ARGS(DB_TEXT(p->id)), &st)))
        return rc;
    while ((rc = db_step(st)) == DB_ROW) {
        int64_t i = db_col_int(st, 0);
        if (i >= 0 && i < ids.ncontrols)
            ticked[i] = true;
    }
    db_done(st);
    if (rc < 0)
        return rc;
    rb_buf b;
    rb_buf_init(&b, OSCAL_MAX_BYTES);
    rc = ticked_document(p->id, p->title, p->created_at, &ids, ticked, &cat, a, &b);
    if (!rc)
        rc = keep_text(a, &b, body, len);
    rb_buf_release(&b);
    return rc;
}

/* The resolved catalog of a stored profile: kept when it was stored, else (profiles stored
 * before migration 0009) resolved now, its imports bound to its catalog as they were then.
 * *uuid: the OSCAL uuid the profile's document has (for the cycle check of a profile importing
 * it). */
static int resolve_stored(struct fetch *f, const char *id, const char **text, size_t *len,
                          const char **uuid, char catalog_id[RB_ID_SIZE], rb_errinfo *ei)
{
    struct stored p;
    int rc = stored_get(f->db, f->actor, id, f->a, &p);
    if (rc)
        return rc;
    rb_strlcpy(catalog_id, p.catalog_id, RB_ID_SIZE);
    *uuid = p.oscal_uuid ? p.oscal_uuid : p.id;
    if (p.resolved_json) {
        *text = p.resolved_json;
        *len = strlen(p.resolved_json);
        return 0;
    }
    const char *body = NULL, *doc = NULL;
    size_t blen = 0, dlen = 0;
    struct resolution r;
    if ((rc = profile_body(f->db, f->actor, &p, f->a, &body, &blen)) ||
        (rc = wrap_profile(f->a, body, blen, &doc, &dlen)))
        return rb_err(ei, rc, "", "cannot read the profile %s", id);
    if ((rc = resolve(f->db, f->actor, f->a, doc, dlen, p.catalog_id, p.id, &r, ei)))
        return rc;
    *text = r.json;
    *len = r.len;
    return 0;
}

/* ---- storing ---- */

/* Inserts the profile row (its resolved catalog with it) and a row per control, with the text
 * the resolved catalog gives it, and the audit entry, in one transaction. */
static int store(rb_db *db, const rb_actor *actor, const char *id, const char *uuid,
                 const char *title, const char *version, const char *json,
                 const struct profile_applicability *ap, const struct resolution *r, rb_arena *a,
                 rb_errinfo *ei)
{
    static const struct profile_applicability any;
    if (!ap)
        ap = &any;
    const char *kinds[KIND__COUNT];
    for (int i = 0; i < ap->nkinds; i++)
        kinds[i] = rb_org_kind_names[ap->kinds[i]];
    rb_write w;
    int rc = write_begin(&w, db, actor, ei);
    if (rc)
        return rc;
    rc = db_exec(db,
                 "INSERT INTO profiles(id, catalog_id, oscal_uuid, title, version, owner_org, tlp, "
                 "applies_kinds, applies_sectors, cii_only, min_cii_grade, json, controls_count, "
                 "created_at, resolved_json) VALUES (?1,?2,?3,?4,?5,?6,(SELECT tlp FROM catalogs "
                 "WHERE id = ?2),?7,?8,?9,?10,?11,?12,?13,?14)",
                 DB_ARGS(DB_TEXT(id), DB_TEXT(r->catalog_id), DB_TEXT(uuid), DB_TEXT(title),
                         DB_TEXT(version), DB_TEXT(actor->org.id),
                         DB_TEXT(join(kinds, ap->nkinds, a)),
                         DB_TEXT(join(ap->sectors, ap->nsectors, a)), DB_INT(ap->cii_only),
                         DB_INT_OR_NULL(ap->min_cii_grade > 0, ap->min_cii_grade), DB_TEXT(json),
                         DB_INT(r->cat.ncontrols), DB_TEXT(w.now), DB_TEXT(r->json)));
    /* A profile reaches exactly as far as its catalog: same TLP (above), same grants. */
    if (!rc)
        rc = share_copy(&w, &kind_catalog, r->catalog_id, &kind_profile, id);
    for (int i = 0; !rc && i < r->cat.ncontrols; i++) {
        const struct oscal_control *c = &r->cat.controls[i];
        rc = db_exec(db,
                     "INSERT INTO profile_controls(profile_id, control_idx, label, title, "
                     "statement, guidance, objectives) VALUES (?1,?2,?3,?4,?5,?6,?7)",
                     DB_ARGS(DB_TEXT(id), DB_INT(r->idx[i]), DB_TEXT(c->label), DB_TEXT(c->title),
                             DB_TEXT(c->statement), DB_TEXT(c->guidance), DB_TEXT(c->objectives)));
    }
    return write_end(&w, rc, "profile.create", &kind_profile, id, actor->org.id,
                     "cannot store the profile");
}

static int may_publish(const rb_actor *actor, rb_errinfo *ei)
{
    if (!policy_can(actor, PERM_PUBLISH) || !rb_org_kind_is_cert(actor->org.kind))
        return rb_err(ei, RB_EPERM, "", "only analysts and admins of a CERT may make profiles");
    return 0;
}

/* Resolution reads whole catalogs and renders every control: a scratch arena of its own. */
#define RESOLVE_ARENA ((size_t)512 << 20)

int profile_import(rb_db *db, const rb_actor *actor, rb_arena *arena, const char *json, size_t len,
                   const char *catalog_id, const struct profile_applicability *ap,
                   char out_id[RB_ID_SIZE], int *selected_out, rb_errinfo *ei)
{
    RB_UNUSED(arena);
    int rc = may_publish(actor, ei);
    if (rc)
        return rc;
    rb_arena a;
    rb_arena_init(&a, RESOLVE_ARENA);
    struct oscal_profile prof;
    struct resolution r;
    rb_catalog cat;
    char id[RB_ID_SIZE];
    rb_uuid_new(id);
    if ((rc = oscal_profile_parse(json, len, &a, &prof, ei)))
        goto out;
    if (catalog_id && catalog_get(db, actor, catalog_id, &a, &cat)) {
        rc = rb_err(ei, RB_ENOTFOUND, "catalog", "no catalog with that id");
        goto out;
    }
    if ((rc = resolve(db, actor, &a, json, len, catalog_id, id, &r, ei)) ||
        (rc = map_controls(db, actor, &a, &r, ei)) ||
        (rc = store(db, actor, id, prof.uuid, prof.title, prof.version, prof.json, ap, &r, &a, ei)))
        goto out;
    rb_strlcpy(out_id, id, RB_ID_SIZE);
    if (selected_out)
        *selected_out = r.cat.ncontrols;
out:
    rb_arena_release(&a);
    return rc;
}

int profile_create(rb_db *db, const rb_actor *actor, rb_arena *arena, const char *catalog_id,
                   const char *title, const char *const *control_ids, int ncontrols,
                   const struct profile_applicability *ap, char out_id[RB_ID_SIZE], rb_errinfo *ei)
{
    RB_UNUSED(arena);
    int rc = may_publish(actor, ei);
    if (rc)
        return rc;
    if ((rc = rb_field_checks(FIELD_TITLE, "title", title, ei)))
        return rc;
    if (!title || strlen(title) < 2)
        return rb_err(ei, RB_EINVAL, "title", "\"title\" must be at least 2 characters long");
    if (ncontrols < 1)
        return rb_err(ei, RB_EINVAL, "control_ids", "tick at least one control");
    rb_arena a;
    rb_arena_init(&a, RESOLVE_ARENA);
    rb_catalog cat;
    struct oscal_catalog ids;
    struct resolution r;
    memset(&ids, 0, sizeof(ids));
    char id[RB_ID_SIZE], now[RB_TIME_SIZE];
    rb_uuid_new(id);
    rb_time_format(rb_now(), now);
    if ((rc = catalog_get(db, actor, catalog_id, &a, &cat))) {
        rc = rb_err(ei, RB_ENOTFOUND, "catalog_id", "no catalog with that catalog_id");
        goto out;
    }
    if ((rc = catalog_control_tree(db, catalog_id, cat.controls, false, &a, &ids)))
        goto out;
    bool *ticked = rb_arena_alloc(&a, sizeof(bool) * (size_t)(ids.ncontrols + 1));
    if (!ticked) {
        rc = RB_ENOMEM;
        goto out;
    }
    int count = 0;
    for (int i = 0; i < ncontrols; i++) {
        int k = 0;
        while (k < ids.ncontrols && strcmp(ids.controls[k].id, control_ids[i]) != 0)
            k++;
        if (k == ids.ncontrols) {
            rc = rb_err(ei, RB_EINVAL, "control_ids", "the catalog has no control \"%.*s\"",
                        RB_CUT(control_ids[i], 64));
            goto out;
        }
        count += !ticked[k];
        ticked[k] = true;
    }
    /* The ticked controls as an OSCAL profile, resolved as any other. */
    const char *body = NULL, *doc = NULL;
    size_t blen = 0, dlen = 0;
    rb_buf b;
    rb_buf_init(&b, OSCAL_MAX_BYTES);
    rc = ticked_document(id, title, now, &ids, ticked, &cat, &a, &b);
    if (!rc)
        rc = keep_text(&a, &b, &body, &blen);
    rb_buf_release(&b);
    if (rc || (rc = wrap_profile(&a, body, blen, &doc, &dlen))) {
        rb_err(ei, rc, "", "cannot make the profile's OSCAL document");
        goto out;
    }
    if ((rc = resolve(db, actor, &a, doc, dlen, NULL, id, &r, ei)) ||
        (rc = map_controls(db, actor, &a, &r, ei)))
        goto out;
    if (r.cat.ncontrols != count) {
        rc = rb_err(ei, RB_EINTERNAL, "", "the profile resolves to %d controls, not the %d ticked",
                    r.cat.ncontrols, count);
        goto out;
    }
    if ((rc = store(db, actor, id, NULL, title, NULL, body, ap, &r, &a, ei)))
        goto out;
    rb_strlcpy(out_id, id, RB_ID_SIZE);
out:
    rb_arena_release(&a);
    return rc;
}

/* ---- exports ---- */

int profile_export(rb_db *db, const rb_actor *actor, const char *id, rb_buf *out)
{
    rb_arena a;
    rb_arena_init(&a, RESOLVE_ARENA);
    struct stored p;
    const char *body = NULL, *doc = NULL;
    size_t len = 0, doc_len = 0;
    rb_profile meta;
    int rc = stored_get(db, actor, id, &a, &p);
    if (!rc)
        rc = profile_get(db, actor, id, &a, &meta);
    if (!rc && !(rc = profile_body(db, actor, &p, &a, &body, &len)))
        rc = wrap_profile(&a, body, len, &doc, &doc_len);
    /* The TLP is rabta's, and may have changed since the document was stored. */
    if (!rc)
        rc = oscal_mark(doc, doc_len, oscal_marking(meta.tlp), out);
    rb_arena_release(&a);
    return rc;
}

int profile_resolved(rb_db *db, const rb_actor *actor, const char *id, rb_buf *out, rb_errinfo *ei)
{
    rb_arena a;
    rb_arena_init(&a, RESOLVE_ARENA);
    struct fetch f = {.db = db, .actor = actor, .a = &a};
    const char *text = NULL, *uuid = NULL;
    size_t len = 0;
    char catalog_id[RB_ID_SIZE];
    rb_profile meta;
    int rc = resolve_stored(&f, id, &text, &len, &uuid, catalog_id, ei);
    if (!rc)
        rc = profile_get(db, actor, id, &a, &meta);
    if (rc == RB_ENOTFOUND)
        rb_err(ei, rc, "", "no such profile");
    else if (!rc && (rc = oscal_mark(text, len, oscal_marking(meta.tlp), out)))
        rb_err(ei, rc, "", rc == RB_ETOOBIG ? "the resolved catalog is too large"
                                            : "cannot write the resolved catalog");
    rb_arena_release(&a);
    return rc;
}

/* The columns of profile_members, in order, from profiles o joined with their catalog k. */
#define PROFILE_COLS                                                                               \
    "o.id, o.title, o.version, o.oscal_uuid, o.catalog_id, k.title, o.owner_org, o.tlp, "          \
    "o.controls_count, o.applies_kinds, o.created_at, o.applies_sectors, o.cii_only, "             \
    "o.min_cii_grade"

/* "applies_to": {kinds, sectors, cii_only, min_cii_grade}, the lists stored comma-separated (an
 * empty list means "any"). */
static void write_applies_to(rj_writer *w, const void *row)
{
    const rb_profile *p = row;
    rjw_obj(w);
    const char *lists[2] = {p->applies_kinds, p->applies_sectors};
    for (int l = 0; l < 2; l++) {
        rjw_karr(w, l ? "sectors" : "kinds");
        for (const char *s = lists[l]; s && *s;) {
            const char *e = strchr(s, ',');
            size_t len = e ? (size_t)(e - s) : strlen(s);
            if (len)
                rjw_strn(w, s, len);
            s = e ? e + 1 : s + len;
        }
        rjw_arr_end(w);
    }
    rjw_kbool(w, "cii_only", p->cii_only);
    rjw_kint(w, "min_cii_grade", p->min_cii_grade);
    rjw_obj_end(w);
}

static const struct rb_member profile_members[] = {
    RB_MEMBERS(rb_profile, id, title, version, oscal_uuid, catalog_id, catalog_title, owner_org,
               tlp, controls),
    RB_DERIVED(rb_profile, applies_kinds, "applies_to", rb_text, write_applies_to),
    RB_MEMBERS(rb_profile, created_at),
    RB_HIDDEN_MEMBERS(rb_profile, applies_sectors, cii_only, min_cii_grade),
};
const struct rb_record profile_record = RB_RECORD(rb_profile, profile_members);

int profile_get(rb_db *db, const rb_actor *actor, const char *id, rb_arena *a, rb_profile *out)
{
    return kind_get(&kind_profile, db, actor,
                    "SELECT " PROFILE_COLS " FROM profiles o JOIN catalogs k ON k.id = "
                    "o.catalog_id WHERE o.id = ?1 AND " POLICY_SQL_READABLE,
                    id, a, &profile_record, out);
}

int profile_list(rb_db *db, const rb_actor *actor, const char *after_id, int limit, rb_arena *a,
                 rb_profile **out, int *n, bool *more)
{
    return kind_page_newest(&kind_profile, db, actor,
                            "SELECT " PROFILE_COLS " FROM profiles o JOIN catalogs k ON k.id = "
                            "o.catalog_id WHERE " POLICY_SQL_READABLE " AND " KIND_OLDER_THAN(
                                "profiles") " ORDER BY o.created_at DESC, o.id DESC "
                                            "LIMIT ?2",
                            after_id, limit, &profile_record, a, out, n, more);
}

int profile_control_ids(rb_db *db, const rb_actor *actor, const char *id, rb_arena *a, char ***out,
                        int *n)
{
    rb_profile p;
    int rc = profile_get(db, actor, id, a, &p);
    if (rc)
        return rc;
    char **ids = rb_arena_alloc(a, sizeof(char *) * (size_t)(p.controls + 1));
    if (!ids)
        return RB_ENOMEM;
    rb_stmt *st = NULL;
    rc = db_query(db,
                  "SELECT c.oscal_id FROM profile_controls pc JOIN controls c ON c.catalog_id = ?2 "
                  "AND c.idx = pc.control_idx WHERE pc.profile_id = ?1 ORDER BY c.idx",
                  DB_ARGS(DB_TEXT(id), DB_TEXT(p.catalog_id)), &st);
    if (rc)
        return rc;
    int k = 0;
    while ((rc = db_step(st)) == DB_ROW && k < p.controls)
        ids[k++] = db_col_dup(st, 0, a);
    db_done(st);
    if (rc < 0)
        return rc;
    *out = ids;
    *n = k;
    return 0;
}
