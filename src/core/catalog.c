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

/* The columns of catalog_members, in order. */
#define CATALOG_COLS                                                                               \
    "o.id, o.oscal_uuid, o.title, o.version, o.oscal_version, o.last_modified, o.owner_org, "     \
    "o.tlp, o.groups_count, o.controls_count, o.enhancements_count, o.created_at"

/* A catalog shows as "controls" the controls that are not enhancements (the struct counts both). */
static void write_own_controls(rj_writer *w, const void *row)
{
    const rb_catalog *c = row;
    rjw_int(w, c->controls - c->enhancements);
}
static const struct rb_mtype own_controls_type = {
    .kind = RB_MT_INT, .size = sizeof(int), .write = write_own_controls};

static const struct rb_member catalog_members[] = {
    RB_MEMBER(rb_catalog, id, "id", rb_text),
    RB_MEMBER(rb_catalog, oscal_uuid, "oscal_uuid", rb_text),
    RB_MEMBER(rb_catalog, title, "title", rb_text),
    RB_MEMBER(rb_catalog, version, "version", rb_text),
    RB_MEMBER(rb_catalog, oscal_version, "oscal_version", rb_text),
    RB_MEMBER(rb_catalog, last_modified, "last_modified", rb_text),
    RB_MEMBER(rb_catalog, owner_org, "owner_org", rb_text),
    RB_MEMBER(rb_catalog, tlp, "tlp", rb_text),
    RB_MEMBER(rb_catalog, groups, "groups", rb_int),
    RB_MEMBER(rb_catalog, controls, "controls", own_controls_type),
    RB_MEMBER(rb_catalog, enhancements, "enhancements", rb_int),
    RB_MEMBER(rb_catalog, created_at, "created_at", rb_text),
};
static const struct rb_record catalog_record = RB_RECORD(rb_catalog, catalog_members);

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
        db_fill(st, a, &catalog_record, out);
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
    rc = db_page(st, limit, &catalog_record, a, &page, n, more);
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

/* The columns of control_members, in order. */
#define CONTROL_COLS                                                                               \
    "c.oscal_id, c.label, c.title, d.oscal_id, d.title, c.parent_idx, c.csf_function, c.weight, " \
    "c.cii_only, c.statement, c.guidance, c.objectives, c.idx, c.group_idx, c.domain_idx"

/* A control with a parent is an enhancement. */
static void write_enhancement(rj_writer *w, const void *row)
{
    rjw_bool(w, ((const rb_control *)row)->parent_idx >= 0);
}
static const struct rb_mtype enhancement_type = {
    .kind = RB_MT_INDEX, .size = sizeof(int), .write = write_enhancement};

/* A control as the API shows it; lists stop after the statement (CONTROL_BRIEF members). */
static const struct rb_member control_members[] = {
    RB_MEMBER(rb_control, oscal_id, "id", rb_text),
    RB_MEMBER(rb_control, label, "label", rb_text),
    RB_MEMBER(rb_control, title, "title", rb_text),
    RB_MEMBER(rb_control, domain_id, "domain_id", rb_text),
    RB_MEMBER(rb_control, domain_title, "domain_title", rb_text),
    RB_MEMBER(rb_control, parent_idx, "enhancement", enhancement_type),
    RB_MEMBER(rb_control, csf_function, "csf_function", rb_text),
    RB_MEMBER(rb_control, weight, "weight", rb_double),
    RB_MEMBER(rb_control, cii_only, "cii_only", rb_bool),
    RB_MEMBER(rb_control, statement, "statement", rb_text),
    RB_MEMBER(rb_control, guidance, "guidance", rb_text),
    RB_MEMBER(rb_control, objectives, "objectives", rb_text),
    RB_MEMBER(rb_control, idx, NULL, rb_int),
    RB_MEMBER(rb_control, group_idx, NULL, rb_index),
    RB_MEMBER(rb_control, domain_idx, NULL, rb_index),
};
#define CONTROL_BRIEF 10
static const struct rb_record control_record = RB_RECORD(rb_control, control_members);
static const struct rb_record control_brief = {control_members, CONTROL_BRIEF, sizeof(rb_control)};

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
    rc = db_page(st, limit, &control_record, a, &page, n, more);
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
        db_fill(st, a, &control_record, out);
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
    rjw_record(w, c, &catalog_record);
}

void control_write_json(rj_writer *w, const rb_control *c, bool full)
{
    rjw_record(w, c, full ? &control_record : &control_brief);
}
