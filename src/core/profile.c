/*
 * profile.c - profiles: OSCAL profile import, ticked-control profiles, applicability.
 */
#include "base/common.h"
#include "base/utf8.h"
#include "base/crypto.h"
#include "base/rtime.h"
#include "core/kind.h"
#include "core/catalog.h"
#include "core/policy.h"
#include "core/profile.h"
#include "core/share.h"
#include "core/write.h"
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

/* A readable catalog whose OSCAL uuid is `uuid` (the newest import of it). */
static int catalog_by_uuid(rb_db *db, const rb_actor *actor, const char *uuid,
                           char out[RB_ID_SIZE])
{
    rb_stmt *st = NULL;
    int rc = db_query(db,
                      "SELECT o.id FROM catalogs o WHERE o.oscal_uuid = ?1 AND " POLICY_SQL_READABLE
                      " ORDER BY o.created_at DESC LIMIT 1",
                      DB_ARGS(DB_TEXT(uuid)), &st);
    if (rc)
        return rc;
    policy_bind_actor(st, actor, &kind_catalog);
    rc = db_step(st);
    if (rc == DB_ROW)
        rb_strlcpy(out, db_col_text(st, 0), RB_ID_SIZE);
    db_done(st);
    return rc == DB_ROW ? 0 : (rc < 0 ? rc : RB_ENOTFOUND);
}

/* Inserts a profile row and its controls (selected[i] for catalog control i) with the audit
 * entry, in one transaction. */
static int store(rb_db *db, const rb_actor *actor, const char *catalog_id, const char *uuid,
                 const char *title, const char *version, const char *json,
                 const struct profile_applicability *ap, const bool *selected, int ncontrols,
                 int count, char out_id[RB_ID_SIZE], rb_arena *a, rb_errinfo *ei)
{
    static const struct profile_applicability any;
    if (!ap)
        ap = &any;
    const char *kinds[KIND__COUNT];
    for (int i = 0; i < ap->nkinds; i++)
        kinds[i] = rb_org_kind_names[ap->kinds[i]];
    char id[RB_ID_SIZE];
    rb_write w;
    int rc = write_begin_new(&w, db, actor, id, ei);
    if (rc)
        return rc;
    rc = db_exec(db,
                 "INSERT INTO profiles(id, catalog_id, oscal_uuid, title, version, owner_org, tlp, "
                 "applies_kinds, applies_sectors, cii_only, min_cii_grade, json, controls_count, "
                 "created_at) VALUES (?1,?2,?3,?4,?5,?6,(SELECT tlp FROM catalogs WHERE id = ?2),"
                 "?7,?8,?9,?10,?11,?12,?13)",
                 DB_ARGS(DB_TEXT(id), DB_TEXT(catalog_id), DB_TEXT(uuid), DB_TEXT(title),
                         DB_TEXT(version), DB_TEXT(actor->org.id),
                         DB_TEXT(join(kinds, ap->nkinds, a)),
                         DB_TEXT(join(ap->sectors, ap->nsectors, a)), DB_INT(ap->cii_only),
                         DB_INT_OR_NULL(ap->min_cii_grade > 0, ap->min_cii_grade),
                         DB_TEXT(json), DB_INT(count), DB_TEXT(w.now)));
    /* A profile reaches exactly as far as its catalog: same TLP (above), same grants. */
    if (!rc)
        rc = share_copy(&w, &kind_catalog, catalog_id, &kind_profile, id);
    for (int i = 0; !rc && i < ncontrols; i++) {
        if (!selected[i])
            continue;
        rc = db_exec(db, "INSERT INTO profile_controls(profile_id, control_idx) VALUES (?1, ?2)",
                     DB_ARGS(DB_TEXT(id), DB_INT(i)));
    }
    if ((rc = write_end(&w, rc, "profile.create", &kind_profile, id, actor->org.id,
                        "cannot store the profile")))
        return rc;
    rb_strlcpy(out_id, id, RB_ID_SIZE);
    return 0;
}

static int may_publish(const rb_actor *actor, rb_errinfo *ei)
{
    if (!policy_can(actor, PERM_PUBLISH) || !rb_org_kind_is_cert(actor->org.kind))
        return rb_err(ei, RB_EPERM, "", "only analysts and admins of a CERT may make profiles");
    return 0;
}

int profile_import(rb_db *db, const rb_actor *actor, rb_arena *arena, const char *json, size_t len,
                   const char *catalog_id, const struct profile_applicability *ap,
                   char out_id[RB_ID_SIZE], int *selected_out, rb_errinfo *ei)
{
    int rc = may_publish(actor, ei);
    if (rc)
        return rc;
    rb_arena *a = arena;
    struct oscal_profile prof;
    rc = oscal_profile_parse(json, len, a, &prof, ei);
    if (rc)
        goto out;
    if (prof.nimports < 1) {
        rc = rb_err(ei, RB_EINVAL, "profile.imports", "the profile imports no catalog");
        goto out;
    }
    char cat_id[RB_ID_SIZE] = "";
    if (catalog_id) {
        rb_strlcpy(cat_id, catalog_id, sizeof(cat_id));
    } else {
        for (int i = 0; i < prof.nimports; i++) {
            const char *href = prof.imports[i].href;
            char found[RB_ID_SIZE];
            if (!href || href[0] != '#' || catalog_by_uuid(db, actor, href + 1, found)) {
                rc = rb_err(ei, RB_ENOTFOUND, "catalog",
                            "cannot resolve the import \"%.*s\" to a catalog in rabta; import "
                            "that catalog first or bind the profile to one explicitly (catalog id)",
                            RB_CUT(href, 120));
                goto out;
            }
            if (cat_id[0] && strcmp(cat_id, found) != 0) {
                rc = rb_err(ei, RB_EINVAL, "profile.imports",
                            "the imports name different catalogs; a profile selects from one");
                goto out;
            }
            rb_strlcpy(cat_id, found, sizeof(cat_id));
        }
    }
    rb_catalog cat;
    if ((rc = catalog_get(db, actor, cat_id, a, &cat))) {
        rb_err(ei, rc, "catalog", "no catalog with that id");
        goto out;
    }
    struct oscal_catalog ids;
    memset(&ids, 0, sizeof(ids));
    if ((rc = catalog_control_tree(db, cat_id, cat.controls, false, a, &ids)))
        goto out;
    bool *selected = rb_arena_alloc(a, sizeof(bool) * (size_t)(ids.ncontrols + 1));
    bool *one = rb_arena_alloc(a, sizeof(bool) * (size_t)(ids.ncontrols + 1));
    if (!selected || !one) {
        rc = RB_ENOMEM;
        goto out;
    }
    int count = 0;
    for (int i = 0; i < prof.nimports; i++) {
        memset(one, 0, sizeof(bool) * (size_t)ids.ncontrols);
        rb_errinfo warn;
        rb_errinfo_clear(&warn);
        rc = oscal_profile_select(&prof.imports[i], &ids, one, &warn);
        if (rc < 0) {
            rb_err(ei, RB_EINVAL, "profile.imports", "%s", warn.msg[0] ? warn.msg :
                   "the profile selects no control of that catalog");
            rc = RB_EINVAL;
            goto out;
        }
        rc = 0;
        for (int k = 0; k < ids.ncontrols; k++)
            selected[k] = selected[k] || one[k];
    }
    for (int k = 0; k < ids.ncontrols; k++)
        count += selected[k];
    rc = store(db, actor, cat_id, prof.uuid, prof.title, prof.version, prof.json, ap, selected,
               ids.ncontrols, count, out_id, a, ei);
    if (rc && ei && !ei->code)
        rb_err(ei, rc, "", "cannot store the profile");
    else if (selected_out)
        *selected_out = count;
out:
    return rc;
}

int profile_create(rb_db *db, const rb_actor *actor, rb_arena *arena, const char *catalog_id, const char *title,
                   const char *const *control_ids, int ncontrols,
                   const struct profile_applicability *ap, char out_id[RB_ID_SIZE],
                   rb_errinfo *ei)
{
    int rc = may_publish(actor, ei);
    if (rc)
        return rc;
    if ((rc = rb_field_checks(FIELD_TITLE, "title", title, ei)))
        return rc;
    if (!title || strlen(title) < 2)
        return rb_err(ei, RB_EINVAL, "title", "\"title\" must be at least 2 characters long");
    if (ncontrols < 1)
        return rb_err(ei, RB_EINVAL, "control_ids", "tick at least one control");
    rb_arena *a = arena;
    rb_catalog cat;
    struct oscal_catalog ids;
    memset(&ids, 0, sizeof(ids));
    if ((rc = catalog_get(db, actor, catalog_id, a, &cat))) {
        rc = rb_err(ei, RB_ENOTFOUND, "catalog_id", "no catalog with that catalog_id");
        goto out;
    }
    if ((rc = catalog_control_tree(db, catalog_id, cat.controls, false, a, &ids)))
        goto out;
    bool *selected = rb_arena_alloc(a, sizeof(bool) * (size_t)(ids.ncontrols + 1));
    if (!selected) {
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
        if (!selected[k])
            count++;
        selected[k] = true;
    }
    rc = store(db, actor, catalog_id, NULL, title, NULL, NULL, ap, selected, ids.ncontrols, count,
               out_id, a, ei);
    if (rc && ei && !ei->code)
        rb_err(ei, rc, "", "cannot store the profile");
out:
    return rc;
}

/* The columns of profile_members, in order, from profiles o joined with their catalog k. */
#define PROFILE_COLS                                                                               \
    "o.id, o.title, o.version, o.oscal_uuid, o.catalog_id, k.title, o.owner_org, o.tlp, "         \
    "o.controls_count, o.applies_kinds, o.created_at, o.applies_sectors, o.cii_only, "            \
    "o.min_cii_grade"

/* "applies_to": {kinds, sectors, cii_only, min_cii_grade}, the lists stored comma-separated (an
 * empty list means "any"). */
static void write_applies_to(rj_writer *w, const void *row)
{
    const rb_profile *p = row;
    rjw_obj(w);
    const char *lists[2] = {p->applies_kinds, p->applies_sectors};
    for (int l = 0; l < 2; l++) {
        rjw_key(w, l ? "sectors" : "kinds");
        rjw_arr(w);
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
                            "o.catalog_id WHERE " POLICY_SQL_READABLE " AND "
                            KIND_OLDER_THAN("profiles") " ORDER BY o.created_at DESC, o.id DESC "
                            "LIMIT ?2",
                            after_id, limit, &profile_record, a, out, n, more);
}

int profile_control_ids(rb_db *db, const rb_actor *actor, const char *id, rb_arena *a,
                        char ***out, int *n)
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

