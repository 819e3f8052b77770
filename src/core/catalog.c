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
#include "core/audit.h"
#include "core/catalog.h"
#include "core/policy.h"
#include "formats/oscal.h"
#include "json/json.h"

#define CATALOG_COLS                                                                               \
    "o.id, o.oscal_uuid, o.title, o.version, o.oscal_version, o.last_modified, o.owner_org, "     \
    "o.tlp, o.created_at, o.groups_count, o.controls_count, o.enhancements_count"

static void catalog_from_row(rb_stmt *st, rb_arena *a, rb_catalog *c)
{
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

static int insert_parsed(rb_db *db, const char *id, const rb_actor *actor,
                         const struct oscal_catalog *cat, enum rb_tlp tlp)
{
    char now[RB_TIME_SIZE];
    rb_time_format(rb_now(), now);
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
    rc = db_step(st);
    db_done(st);
    if (rc < 0)
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
        rc = db_step(st);
        db_done(st);
        if (rc < 0)
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
        const char *w = prop(c, "weight"), *applies = prop(c, "applies-to");
        int64_t weight = 1;
        if (w && rb_parse_int64(w, 1, 10, &weight))
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
        rc = db_step(st);
        db_done(st);
        if (rc < 0)
            return rc;
    }
    return 0;
}

int catalog_import(rb_db *db, const rb_actor *actor, const char *json, size_t len, enum rb_tlp tlp,
                   char out_id[RB_ID_SIZE], struct catalog_import_stats *stats, rb_errinfo *ei)
{
    if (!policy_can(actor, PERM_PUBLISH) || !rb_org_kind_is_cert(actor->org.kind))
        return rb_err(ei, RB_EPERM, "", "only analysts and admins of a CERT may import catalogs");
    if (tlp != TLP_CLEAR && tlp != TLP_GREEN && tlp != TLP_AMBER)
        return rb_err(ei, RB_EINVAL, "tlp", "a catalog is shared as CLEAR, GREEN or AMBER");
    rb_arena a;
    rb_arena_init(&a, (size_t)256 << 20);
    struct oscal_catalog cat;
    int rc = oscal_catalog_parse(json, len, &a, &cat, ei);
    if (rc)
        goto out;
    char id[RB_ID_SIZE];
    rb_uuid_new(id);
    if ((rc = db_begin(db)))
        goto out;
    rc = insert_parsed(db, id, actor, &cat, tlp);
    if (!rc && tlp == TLP_AMBER) {
        /* AMBER guidance goes to the owner's constituency. */
        rb_stmt *st = NULL;
        char now[RB_TIME_SIZE];
        rb_time_format(rb_now(), now);
        if (!(rc = db_prepare(db,
                              "INSERT INTO grants(object_kind, object_id, org_id, scope, "
                              "granted_by, created_at) VALUES ('catalog', ?1, ?2, 'subtree', ?3, ?4)",
                              &st))) {
            db_bind_text(st, 1, id);
            db_bind_text(st, 2, actor->org.id);
            db_bind_text(st, 3, actor->label);
            db_bind_text(st, 4, now);
            rc = db_step(st);
            db_done(st);
            rc = rc < 0 ? rc : 0;
        }
    }
    if (!rc)
        rc = audit_append(db, actor, "catalog.import", "catalog", id, actor->org.id);
    if (!rc)
        rc = db_commit(db);
    if (rc) {
        db_rollback(db);
        rb_err(ei, rc, "", "cannot store the catalog");
        goto out;
    }
    rb_strlcpy(out_id, id, RB_ID_SIZE);
    if (stats) {
        stats->groups = cat.ngroups;
        stats->controls = cat.ncontrols - cat.nenhancements;
        stats->enhancements = cat.nenhancements;
    }
out:
    rb_arena_release(&a);
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
    policy_bind_actor(st, actor, "catalog", false);
    rc = db_step(st);
    if (rc == DB_ROW)
        catalog_from_row(st, a, out);
    db_done(st);
    return rc == DB_ROW ? 0 : (rc < 0 ? rc : RB_ENOTFOUND);
}
