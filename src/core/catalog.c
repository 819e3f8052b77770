/*
 * catalog.c - store, read and export OSCAL catalogs.
 *
 * Import parses the whole document (formats/oscal) before the transaction starts, so a refused
 * catalog leaves nothing behind and the write lock is held only for the inserts. Export rebuilds
 * the OSCAL tree from each group's and control's stored JSON.
 */
#include "base/common.h"
#include "base/crypto.h"
#include "base/rtime.h"
#include "core/kind.h"
#include "core/audit.h"
#include "core/catalog.h"
#include "core/policy.h"
#include "core/share.h"
#include "core/write.h"
#include "formats/oscal.h"
#include "json/json.h"

#define CATALOG_COLS                                                                               \
    "o.id, o.oscal_uuid, o.title, o.version, o.oscal_version, o.last_modified, o.owner_org, "     \
    "o.tlp, o.created_at, o.groups_count, o.controls_count, o.enhancements_count"

static void catalog_from_row(rb_stmt *st, rb_arena *a, void *row)
{
    rb_catalog *c = row;
    c->id = db_col_dup(st, 0, a);
    c->oscal_uuid = db_col_dup(st, 1, a);
    c->title = db_col_dup(st, 2, a);
    c->version = db_col_dup(st, 3, a);
    c->oscal_version = db_col_dup(st, 4, a);
    c->last_modified = db_col_dup(st, 5, a);
    c->owner_org = db_col_dup(st, 6, a);
    c->tlp = db_col_dup(st, 7, a);
    c->created_at = db_col_dup(st, 8, a);
    c->groups = (int)db_col_int(st, 9);
    c->controls = (int)db_col_int(st, 10);
    c->enhancements = (int)db_col_int(st, 11);
}

/* The value of the first prop named `name` (any namespace), or NULL. */
static const char *prop(const struct oscal_control *c, const char *name)
{
    for (int i = 0; i < c->nprops; i++)
        if (c->props[i].name && strcmp(c->props[i].name, name) == 0)
            return c->props[i].value;
    return NULL;
}

static int domain_of(const struct oscal_catalog *cat, int g)
{
    while (g >= 0 && cat->groups[g].parent >= 0)
        g = cat->groups[g].parent;
    return g;
}

static int bind_idx(rb_stmt *st, int col, int v)
{
    return v >= 0 ? db_bind_int(st, col, v) : db_bind_null(st, col);
}

static int insert_parsed(rb_write *w, const char *id, const struct oscal_catalog *cat,
                         enum rb_tlp tlp)
{
    rb_db *db = w->db;
    const char *now = w->now;
    const rb_actor *actor = w->actor;
    rb_stmt *st = NULL;
    int rc = db_prepare(db,
                        "INSERT INTO catalogs(id, oscal_uuid, title, version, oscal_version, "
                        "last_modified, owner_org, tlp, metadata_json, params_json, "
                        "back_matter_json, groups_count, controls_count, enhancements_count, "
                        "created_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15)",
                        &st);
    if (rc)
        return rc;
    db_bind_text(st, 1, id);
    db_bind_text(st, 2, cat->uuid);
    db_bind_text(st, 3, cat->title);
    db_bind_text(st, 4, cat->version);
    db_bind_text(st, 5, cat->oscal_version);
    db_bind_text(st, 6, cat->last_modified);
    db_bind_text(st, 7, actor->org.id);
    db_bind_text(st, 8, tlp_name(tlp));
    db_bind_text(st, 9, cat->metadata_json);
    db_bind_text(st, 10, cat->params_json);
    db_bind_text(st, 11, cat->back_matter_json);
    db_bind_int(st, 12, cat->ngroups);
    db_bind_int(st, 13, cat->ncontrols);
    db_bind_int(st, 14, cat->nenhancements);
    db_bind_text(st, 15, now);
    if ((rc = db_run(st)))
        return rc;
    for (int i = 0; i < cat->ngroups; i++) {
        const struct oscal_group *g = &cat->groups[i];
        if ((rc = db_prepare(db,
                             "INSERT INTO catalog_groups(catalog_id, idx, oscal_id, title, class, "
                             "parent_idx, depth, json) VALUES (?1,?2,?3,?4,?5,?6,?7,?8)",
                             &st)))
            return rc;
        db_bind_text(st, 1, id);
        db_bind_int(st, 2, i);
        db_bind_text(st, 3, g->id);
        db_bind_text(st, 4, g->title);
        db_bind_text(st, 5, g->class_);
        bind_idx(st, 6, g->parent);
        db_bind_int(st, 7, g->depth);
        db_bind_text(st, 8, g->json);
        if ((rc = db_run(st)))
            return rc;
    }
    for (int i = 0; i < cat->ncontrols; i++) {
        const struct oscal_control *c = &cat->controls[i];
        if ((rc = db_prepare(db,
                             "INSERT INTO controls(catalog_id, idx, oscal_id, label, title, class, "
                             "group_idx, domain_idx, parent_idx, statement, guidance, objectives, "
                             "csf_function, weight, cii_only, json) VALUES "
                             "(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16)",
                             &st)))
            return rc;
        const char *wt = prop(c, "weight"), *applies = prop(c, "applies-to");
        int64_t weight = 1;
        if (wt && rb_parse_int64(wt, 1, 10, &weight))
            weight = 1;
        db_bind_text(st, 1, id);
        db_bind_int(st, 2, i);
        db_bind_text(st, 3, c->id);
        db_bind_text(st, 4, c->label);
        db_bind_text(st, 5, c->title);
        db_bind_text(st, 6, c->class_);
        bind_idx(st, 7, c->group);
        bind_idx(st, 8, domain_of(cat, c->group));
        bind_idx(st, 9, c->parent);
        db_bind_text(st, 10, c->statement);
        db_bind_text(st, 11, c->guidance);
        db_bind_text(st, 12, c->objectives);
        db_bind_text(st, 13, prop(c, "csf-function"));
        db_bind_double(st, 14, (double)weight);
        db_bind_int(st, 15, applies && strcmp(applies, "cii") == 0);
        db_bind_text(st, 16, c->json);
        if ((rc = db_run(st)))
            return rc;
    }
    return 0;
}

int catalog_import(rb_db *db, const rb_actor *actor, rb_arena *arena, const char *json,
                   size_t len, enum rb_tlp tlp,
                   char out_id[RB_ID_SIZE], struct catalog_import_stats *stats, rb_errinfo *ei)
{
    if (!policy_can(actor, PERM_PUBLISH) || !rb_org_kind_is_cert(actor->org.kind))
        return rb_err(ei, RB_EPERM, "", "only analysts and admins of a CERT may import catalogs");
    if (tlp != TLP_CLEAR && tlp != TLP_GREEN && tlp != TLP_AMBER)
        return rb_err(ei, RB_EINVAL, "tlp", "a catalog is shared as CLEAR, GREEN or AMBER");
    struct oscal_catalog cat;
    int rc = oscal_catalog_parse(json, len, arena, &cat, ei);
    if (rc)
        goto out;
    char id[RB_ID_SIZE];
    rb_uuid_new(id);
    rb_write w;
    if ((rc = write_begin(&w, db, actor, ei)))
        goto out;
    rc = insert_parsed(&w, id, &cat, tlp);
    /* Guidance goes to the owner's constituency (what AMBER needs; CLEAR and GREEN reach all). */
    if (!rc)
        rc = share_defaults(&w, &kind_catalog, id, actor->org.id);
    if ((rc = write_end(&w, rc, "catalog.import", &kind_catalog, id, actor->org.id,
                        "cannot store the catalog")))
        goto out;
    rb_strlcpy(out_id, id, RB_ID_SIZE);
    if (stats) {
        stats->groups = cat.ngroups;
        stats->controls = cat.ncontrols - cat.nenhancements;
        stats->enhancements = cat.nenhancements;
    }
out:
    return rc;
}

int catalog_get(rb_db *db, const rb_actor *actor, const char *id, rb_arena *a, rb_catalog *out)
{
    if (!id || !rb_uuid_valid(id))
        return RB_ENOTFOUND;
    rb_stmt *st = NULL;
    int rc = db_prepare(db,
                        "SELECT " CATALOG_COLS " FROM catalogs o WHERE o.id = ?1 AND "
                        POLICY_SQL_READABLE,
                        &st);
    if (rc)
        return rc;
    db_bind_text(st, 1, id);
    policy_bind_actor(st, actor, &kind_catalog);
    rc = db_step(st);
    if (rc == DB_ROW)
        catalog_from_row(st, a, out);
    db_done(st);
    return rc == DB_ROW ? 0 : (rc < 0 ? rc : RB_ENOTFOUND);
}

int catalog_list(rb_db *db, const rb_actor *actor, const char *after_id, int limit, rb_arena *a,
                 rb_catalog **out, int *n, bool *more)
{
    if (limit <= 0)
        limit = 50;
    char *after_at = NULL;
    if (after_id) {
        rb_catalog cur;
        if (catalog_get(db, actor, after_id, a, &cur))
            return RB_EINVAL;
        after_at = cur.created_at;
    }
    rb_stmt *st = NULL;
    int rc = db_prepare(db,
                        "SELECT " CATALOG_COLS " FROM catalogs o WHERE " POLICY_SQL_READABLE
                        " AND (?1 IS NULL OR o.created_at < ?2 OR (o.created_at = ?2 AND o.id < "
                        "?1)) ORDER BY o.created_at DESC, o.id DESC LIMIT ?3",
                        &st);
    if (rc)
        return rc;
    policy_bind_actor(st, actor, &kind_catalog);
    db_bind_text(st, 1, after_id);
    db_bind_text(st, 2, after_at);
    db_bind_int(st, 3, limit + 1);
    void *page = NULL;
    rc = db_page(st, limit, sizeof(**out), catalog_from_row, a, &page, n, more);
    if (!rc)
        *out = page;
    return rc;
}

int catalog_groups(rb_db *db, const rb_actor *actor, const char *id, rb_arena *a,
                   rb_catalog_group **out, int *n)
{
    rb_catalog cat;
    int rc = catalog_get(db, actor, id, a, &cat);
    if (rc)
        return rc;
    rb_catalog_group *rows = rb_arena_alloc(a, sizeof(*rows) * (size_t)(cat.groups + 1));
    if (!rows)
        return RB_ENOMEM;
    rb_stmt *st = NULL;
    rc = db_prepare(db,
                    "SELECT g.idx, g.parent_idx, g.depth, g.oscal_id, g.title, (SELECT count(*) "
                    "FROM controls c WHERE c.catalog_id = g.catalog_id AND (c.group_idx = g.idx "
                    "OR c.domain_idx = g.idx)) FROM catalog_groups g WHERE g.catalog_id = ?1 "
                    "ORDER BY g.idx",
                    &st);
    if (rc)
        return rc;
    db_bind_text(st, 1, id);
    int k = 0;
    while ((rc = db_step(st)) == DB_ROW && k <= cat.groups) {
        rb_catalog_group *g = &rows[k++];
        g->idx = (int)db_col_int(st, 0);
        g->parent_idx = db_col_null(st, 1) ? -1 : (int)db_col_int(st, 1);
        g->depth = (int)db_col_int(st, 2);
        g->oscal_id = db_col_dup(st, 3, a);
        g->title = db_col_dup(st, 4, a);
        g->controls = (int)db_col_int(st, 5);
    }
    db_done(st);
    if (rc < 0)
        return rc;
    *out = rows;
    *n = k;
    return 0;
}

#define CONTROL_COLS                                                                               \
    "c.idx, c.group_idx, c.domain_idx, c.parent_idx, c.oscal_id, c.label, c.title, c.statement, " \
    "c.guidance, c.objectives, c.csf_function, c.weight, c.cii_only, d.oscal_id, d.title"

static void control_from_row(rb_stmt *st, rb_arena *a, void *row)
{
    rb_control *c = row;
    c->idx = (int)db_col_int(st, 0);
    c->group_idx = db_col_null(st, 1) ? -1 : (int)db_col_int(st, 1);
    c->domain_idx = db_col_null(st, 2) ? -1 : (int)db_col_int(st, 2);
    c->parent_idx = db_col_null(st, 3) ? -1 : (int)db_col_int(st, 3);
    c->oscal_id = db_col_dup(st, 4, a);
    c->label = db_col_dup(st, 5, a);
    c->title = db_col_dup(st, 6, a);
    c->statement = db_col_dup(st, 7, a);
    c->guidance = db_col_dup(st, 8, a);
    c->objectives = db_col_dup(st, 9, a);
    c->csf_function = db_col_dup(st, 10, a);
    c->weight = db_col_double(st, 11);
    c->cii_only = db_col_int(st, 12) != 0;
    c->domain_id = db_col_dup(st, 13, a);
    c->domain_title = db_col_dup(st, 14, a);
}

int catalog_controls(rb_db *db, const rb_actor *actor, const char *id,
                     const struct control_filter *f, rb_arena *a, rb_control **out, int *n,
                     bool *more)
{
    rb_catalog cat;
    int rc = catalog_get(db, actor, id, a, &cat);
    if (rc)
        return rc;
    int limit = f->limit > 0 ? f->limit : 50;
    const char *pattern = NULL;
    if (f->q && f->q[0] && !(pattern = db_like_contains(a, f->q)))
        return RB_ENOMEM;
    rb_stmt *st = NULL;
    rc = db_prepare(db,
                    "SELECT " CONTROL_COLS " FROM controls c LEFT JOIN catalog_groups d ON "
                    "d.catalog_id = c.catalog_id AND d.idx = c.domain_idx WHERE c.catalog_id = ?1 "
                    "AND c.idx > ?2 AND (?3 IS NULL OR d.oscal_id = ?3) AND (?4 IS NULL OR "
                    "lower(c.oscal_id) LIKE ?4 ESCAPE '\\' OR lower(c.title) LIKE ?4 ESCAPE '\\' "
                    "OR lower(c.statement) LIKE ?4 ESCAPE '\\' OR lower(coalesce(c.label, '')) "
                    "LIKE ?4 ESCAPE '\\') ORDER BY c.idx LIMIT ?5",
                    &st);
    if (rc)
        return rc;
    db_bind_text(st, 1, id);
    db_bind_int(st, 2, f->after_idx);
    db_bind_text(st, 3, f->domain);
    db_bind_text(st, 4, pattern);
    db_bind_int(st, 5, limit + 1);
    void *page = NULL;
    rc = db_page(st, limit, sizeof(**out), control_from_row, a, &page, n, more);
    if (!rc)
        *out = page;
    return rc;
}

int catalog_control(rb_db *db, const rb_actor *actor, const char *id, const char *oscal_id,
                    rb_arena *a, rb_control *out)
{
    rb_catalog cat;
    int rc = catalog_get(db, actor, id, a, &cat);
    if (rc)
        return rc;
    rb_stmt *st = NULL;
    rc = db_prepare(db,
                    "SELECT " CONTROL_COLS " FROM controls c LEFT JOIN catalog_groups d ON "
                    "d.catalog_id = c.catalog_id AND d.idx = c.domain_idx WHERE c.catalog_id = ?1 "
                    "AND c.oscal_id = ?2",
                    &st);
    if (rc)
        return rc;
    db_bind_text(st, 1, id);
    db_bind_text(st, 2, oscal_id);
    rc = db_step(st);
    if (rc == DB_ROW)
        control_from_row(st, a, out);
    db_done(st);
    return rc == DB_ROW ? 0 : (rc < 0 ? rc : RB_ENOTFOUND);
}

int catalog_export(rb_db *db, const rb_actor *actor, const char *id, rb_buf *out)
{
    rb_arena a;
    rb_arena_init(&a, (size_t)256 << 20);
    rb_catalog meta;
    struct oscal_catalog cat;
    memset(&cat, 0, sizeof(cat));
    int rc = catalog_get(db, actor, id, &a, &meta);
    if (rc)
        goto out;
    rb_stmt *st = NULL;
    if ((rc = db_prepare(db,
                         "SELECT metadata_json, params_json, back_matter_json FROM catalogs WHERE "
                         "id = ?1",
                         &st)))
        goto out;
    db_bind_text(st, 1, id);
    if ((rc = db_step(st)) == DB_ROW) {
        cat.metadata_json = db_col_dup(st, 0, &a);
        cat.params_json = db_col_dup(st, 1, &a);
        cat.back_matter_json = db_col_dup(st, 2, &a);
    }
    db_done(st);
    if (rc != DB_ROW) {
        rc = rc < 0 ? rc : RB_ENOTFOUND;
        goto out;
    }
    cat.uuid = meta.oscal_uuid;
    cat.title = meta.title;
    cat.ngroups = meta.groups;
    cat.ncontrols = meta.controls;
    cat.groups = rb_arena_alloc(&a, sizeof(*cat.groups) * (size_t)(meta.groups + 1));
    cat.controls = rb_arena_alloc(&a, sizeof(*cat.controls) * (size_t)(meta.controls + 1));
    if (!cat.groups || !cat.controls) {
        rc = RB_ENOMEM;
        goto out;
    }
    if ((rc = db_prepare(db,
                         "SELECT idx, oscal_id, title, parent_idx, depth, json FROM catalog_groups "
                         "WHERE catalog_id = ?1 ORDER BY idx",
                         &st)))
        goto out;
    db_bind_text(st, 1, id);
    int k = 0;
    while ((rc = db_step(st)) == DB_ROW && k < meta.groups) {
        struct oscal_group *g = &cat.groups[k++];
        g->id = db_col_dup(st, 1, &a);
        g->title = db_col_dup(st, 2, &a);
        g->parent = db_col_null(st, 3) ? -1 : (int)db_col_int(st, 3);
        g->depth = (int)db_col_int(st, 4);
        g->json = db_col_dup(st, 5, &a);
    }
    db_done(st);
    if (rc < 0)
        goto out;
    if ((rc = db_prepare(db,
                         "SELECT idx, oscal_id, title, group_idx, parent_idx, json FROM controls "
                         "WHERE catalog_id = ?1 ORDER BY idx",
                         &st)))
        goto out;
    db_bind_text(st, 1, id);
    k = 0;
    while ((rc = db_step(st)) == DB_ROW && k < meta.controls) {
        struct oscal_control *c = &cat.controls[k++];
        c->id = db_col_dup(st, 1, &a);
        c->title = db_col_dup(st, 2, &a);
        c->group = db_col_null(st, 3) ? -1 : (int)db_col_int(st, 3);
        c->parent = db_col_null(st, 4) ? -1 : (int)db_col_int(st, 4);
        c->json = db_col_dup(st, 5, &a);
        if (c->parent >= 0)
            cat.nenhancements++;
    }
    db_done(st);
    if (rc < 0)
        goto out;
    rc = oscal_catalog_write(&cat, out);
out:
    rb_arena_release(&a);
    return rc;
}

void catalog_write_json(rj_writer *w, const rb_catalog *c)
{
    rjw_obj(w);
    rjw_kstr(w, "id", c->id);
    rjw_kstr(w, "oscal_uuid", c->oscal_uuid);
    rjw_kstr(w, "title", c->title);
    rjw_kstr(w, "version", c->version);
    rjw_kstr(w, "oscal_version", c->oscal_version);
    rjw_kstr(w, "last_modified", c->last_modified);
    rjw_kstr(w, "owner_org", c->owner_org);
    rjw_kstr(w, "tlp", c->tlp);
    rjw_kint(w, "groups", c->groups);
    rjw_kint(w, "controls", c->controls - c->enhancements);
    rjw_kint(w, "enhancements", c->enhancements);
    rjw_kstr(w, "created_at", c->created_at);
    rjw_obj_end(w);
}

void control_write_json(rj_writer *w, const rb_control *c, bool full)
{
    rjw_obj(w);
    rjw_kstr(w, "id", c->oscal_id);
    rjw_kstr(w, "label", c->label);
    rjw_kstr(w, "title", c->title);
    rjw_kstr(w, "domain_id", c->domain_id);
    rjw_kstr(w, "domain_title", c->domain_title);
    rjw_kbool(w, "enhancement", c->parent_idx >= 0);
    rjw_kstr(w, "csf_function", c->csf_function);
    rjw_key(w, "weight");
    rjw_double(w, c->weight);
    rjw_kbool(w, "cii_only", c->cii_only);
    rjw_kstr(w, "statement", c->statement);
    if (full) {
        rjw_kstr(w, "guidance", c->guidance);
        rjw_kstr(w, "objectives", c->objectives);
    }
    rjw_obj_end(w);
}
