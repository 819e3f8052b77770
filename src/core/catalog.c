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

static const struct rb_member catalog_members[] = {
    RB_MEMBERS(rb_catalog, id, oscal_uuid, title, version, oscal_version, last_modified, owner_org,
               tlp, groups),
    RB_DERIVED(rb_catalog, controls, "controls", rb_int, write_own_controls),
    RB_MEMBERS(rb_catalog, enhancements, created_at),
};
const struct rb_record catalog_record = RB_RECORD(rb_catalog, catalog_members);

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

static int insert_parsed(rb_write *w, const char *id, const struct oscal_catalog *cat,
                         enum rb_tlp tlp)
{
    int rc = db_exec(w->db,
                     "INSERT INTO catalogs(id, oscal_uuid, title, version, oscal_version, "
                     "last_modified, owner_org, tlp, metadata_json, params_json, back_matter_json, "
                     "groups_count, controls_count, enhancements_count, created_at) VALUES "
                     "(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15)",
                     DB_ARGS(DB_TEXT(id), DB_TEXT(cat->uuid), DB_TEXT(cat->title),
                             DB_TEXT(cat->version), DB_TEXT(cat->oscal_version),
                             DB_TEXT(cat->last_modified), DB_TEXT(w->actor->org.id),
                             DB_TEXT(tlp_name(tlp)), DB_TEXT(cat->metadata_json),
                             DB_TEXT(cat->params_json), DB_TEXT(cat->back_matter_json),
                             DB_INT(cat->ngroups), DB_INT(cat->ncontrols),
                             DB_INT(cat->nenhancements), DB_TEXT(w->now)));
    for (int i = 0; !rc && i < cat->ngroups; i++) {
        const struct oscal_group *g = &cat->groups[i];
        rc = db_exec(w->db,
                     "INSERT INTO catalog_groups(catalog_id, idx, oscal_id, title, class, "
                     "parent_idx, depth, json) VALUES (?1,?2,?3,?4,?5,?6,?7,?8)",
                     DB_ARGS(DB_TEXT(id), DB_INT(i), DB_TEXT(g->id), DB_TEXT(g->title),
                             DB_TEXT(g->class_), DB_INDEX(g->parent), DB_INT(g->depth),
                             DB_TEXT(g->json)));
    }
    for (int i = 0; !rc && i < cat->ncontrols; i++) {
        const struct oscal_control *c = &cat->controls[i];
        const char *wt = prop(c, "weight"), *applies = prop(c, "applies-to");
        int64_t weight = 1;
        if (wt && rb_parse_int64(wt, 1, 10, &weight))
            weight = 1;
        rc = db_exec(w->db,
                     "INSERT INTO controls(catalog_id, idx, oscal_id, label, title, class, "
                     "group_idx, domain_idx, parent_idx, statement, guidance, objectives, "
                     "csf_function, weight, cii_only, json) VALUES "
                     "(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16)",
                     DB_ARGS(DB_TEXT(id), DB_INT(i), DB_TEXT(c->id), DB_TEXT(c->label),
                             DB_TEXT(c->title), DB_TEXT(c->class_), DB_INDEX(c->group),
                             DB_INDEX(domain_of(cat, c->group)), DB_INDEX(c->parent),
                             DB_TEXT(c->statement), DB_TEXT(c->guidance), DB_TEXT(c->objectives),
                             DB_TEXT(prop(c, "csf-function")), DB_DOUBLE((double)weight),
                             DB_INT(applies && strcmp(applies, "cii") == 0), DB_TEXT(c->json)));
    }
    return rc;
}

int catalog_import(rb_db *db, const rb_actor *actor, rb_arena *arena, const char *json,
                   size_t len, enum rb_tlp tlp,
                   char out_id[RB_ID_SIZE], struct catalog_import_stats *stats, rb_errinfo *ei)
{
    if (!policy_can(actor, PERM_PUBLISH) || !rb_org_kind_is_cert(actor->org.kind))
        return rb_err(ei, RB_EPERM, "", "only analysts and admins of a CERT may import catalogs");
    if ((unsigned)tlp > TLP__COUNT ||
        (tlp != CATALOG_TLP_OF_DOCUMENT && !(kind_catalog.tlp_allowed & (1u << tlp))))
        return rb_err(ei, RB_EINVAL, "tlp", "a catalog is shared as CLEAR, GREEN or AMBER");
    struct oscal_catalog cat;
    int rc = oscal_catalog_parse(json, len, arena, &cat, ei);
    if (rc)
        goto out;
    /* An explicit TLP wins; else the document's own marking; else the kind's default. */
    if (tlp == CATALOG_TLP_OF_DOCUMENT) {
        tlp = cat.tlp >= 0 ? (enum rb_tlp)cat.tlp : kind_catalog.default_tlp;
        if (!(kind_catalog.tlp_allowed & (1u << tlp))) {
            rc = rb_err(ei, RB_EINVAL, "catalog.metadata.props",
                        "the document is marked TLP:%s; a catalog is shared as CLEAR, GREEN or "
                        "AMBER (give the TLP to import it with)",
                        tlp_name(tlp));
            goto out;
        }
    }
    char id[RB_ID_SIZE];
    rb_write w;
    if ((rc = write_begin_new(&w, db, actor, id, ei)))
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

int catalog_national(rb_db *db, const rb_actor *actor, bool newest, char out[RB_ID_SIZE])
{
    rb_stmt *st = NULL;
    out[0] = '\0';
    int rc = db_query(db,
                      newest ? "SELECT o.id FROM catalogs o WHERE o.owner_org = (SELECT id FROM "
                               "orgs WHERE parent_id IS NULL) AND " POLICY_SQL_READABLE
                               " ORDER BY o.created_at DESC, o.id DESC LIMIT 1"
                             : "SELECT o.id FROM catalogs o WHERE o.owner_org = (SELECT id FROM "
                               "orgs WHERE parent_id IS NULL) AND " POLICY_SQL_READABLE
                               " ORDER BY o.created_at, o.id LIMIT 1",
                      NULL, 0, &st);
    if (rc)
        return rc;
    policy_bind_actor(st, actor, &kind_catalog);
    return db_text_buf(st, out, RB_ID_SIZE);
}

int catalog_get(rb_db *db, const rb_actor *actor, const char *id, rb_arena *a, rb_catalog *out)
{
    return kind_get(&kind_catalog, db, actor,
                    "SELECT " CATALOG_COLS " FROM catalogs o WHERE o.id = ?1 AND "
                    POLICY_SQL_READABLE,
                    id, a, &catalog_record, out);
}

int catalog_list(rb_db *db, const rb_actor *actor, const char *after_id, int limit, rb_arena *a,
                 rb_catalog **out, int *n, bool *more)
{
    return kind_page_newest(&kind_catalog, db, actor,
                            "SELECT " CATALOG_COLS " FROM catalogs o WHERE " POLICY_SQL_READABLE
                            " AND " KIND_OLDER_THAN("catalogs") " ORDER BY o.created_at DESC, "
                            "o.id DESC LIMIT ?2",
                            after_id, limit, &catalog_record, a, out, n, more);
}

/* A group as the API shows it, with its parent's OSCAL id; the columns of catalog_groups'. */
static const struct rb_member group_members[] = {
    RB_MEMBER_AS(rb_catalog_group, oscal_id, "id", rb_text),
    RB_MEMBERS(rb_catalog_group, title, depth, parent_id, controls),
};
const struct rb_record catalog_group_record = RB_RECORD(rb_catalog_group, group_members);

int catalog_groups(rb_db *db, const rb_actor *actor, const char *id, rb_arena *a,
                   rb_catalog_group **out, int *n)
{
    rb_catalog cat;
    int rc = catalog_get(db, actor, id, a, &cat);
    rb_stmt *st = NULL;
    if (!rc)
        rc = db_query(db,
                      "SELECT g.oscal_id, g.title, g.depth, (SELECT p.oscal_id FROM catalog_groups "
                      "p WHERE p.catalog_id = g.catalog_id AND p.idx = g.parent_idx), (SELECT "
                      "count(*) FROM controls c WHERE c.catalog_id = g.catalog_id AND "
                      "(c.group_idx = g.idx OR c.domain_idx = g.idx)) FROM catalog_groups g WHERE "
                      "g.catalog_id = ?1 ORDER BY g.idx",
                      DB_ARGS(DB_TEXT(id)), &st);
    return rc ? rc : db_rows(st, &catalog_group_record, a, out, n);
}

/* The columns of control_members, in order. */
#define CONTROL_COLS                                                                               \
    "c.oscal_id, c.label, c.title, d.oscal_id, d.title, c.parent_idx, c.csf_function, c.weight, " \
    "c.cii_only, c.statement, c.guidance, c.objectives, c.idx"
/* The controls of catalog ?1, each with its domain (d). */
#define CONTROL_SELECT                                                                             \
    "SELECT " CONTROL_COLS " FROM controls c LEFT JOIN catalog_groups d ON d.catalog_id = "       \
    "c.catalog_id AND d.idx = c.domain_idx WHERE c.catalog_id = ?1 "

/* A control with a parent is an enhancement. */
static void write_enhancement(rj_writer *w, const void *row)
{
    rjw_bool(w, ((const rb_control *)row)->parent_idx >= 0);
}

/* A control as the API shows it; lists stop after the statement (CONTROL_BRIEF members). */
static const struct rb_member control_members[] = {
    RB_MEMBER_AS(rb_control, oscal_id, "id", rb_text),
    RB_MEMBERS(rb_control, label, title, domain_id, domain_title),
    RB_DERIVED(rb_control, parent_idx, "enhancement", rb_index, write_enhancement),
    RB_MEMBERS(rb_control, csf_function, weight, cii_only, statement, guidance, objectives),
    RB_HIDDEN_MEMBERS(rb_control, idx),
};
#define CONTROL_BRIEF 10
const struct rb_record control_record = RB_RECORD(rb_control, control_members);
const struct rb_record control_brief_record = {control_members, CONTROL_BRIEF, sizeof(rb_control)};

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
    rc = db_query(db,
                  CONTROL_SELECT "AND c.idx > ?2 AND (?3 IS NULL OR d.oscal_id = ?3) AND (?4 IS "
                  "NULL OR lower(c.oscal_id) LIKE ?4 ESCAPE '\\' OR lower(c.title) LIKE ?4 ESCAPE "
                  "'\\' OR lower(c.statement) LIKE ?4 ESCAPE '\\' OR lower(coalesce(c.label, '')) "
                  "LIKE ?4 ESCAPE '\\') ORDER BY c.idx LIMIT ?5",
                  DB_ARGS(DB_TEXT(id), DB_INT(f->after_idx), DB_TEXT(f->domain),
                          DB_TEXT(pattern), DB_INT(limit + 1)),
                  &st);
    if (rc)
        return rc;
    return db_page(st, limit, &control_record, a, out, n, more);
}

int catalog_control(rb_db *db, const rb_actor *actor, const char *id, const char *oscal_id,
                    rb_arena *a, rb_control *out)
{
    rb_catalog cat;
    int rc = catalog_get(db, actor, id, a, &cat);
    if (rc)
        return rc;
    return db_query_one(db, CONTROL_SELECT "AND c.oscal_id = ?2",
                        DB_ARGS(DB_TEXT(id), DB_TEXT(oscal_id)), a, &control_record, out);
}

/* What the OSCAL writer needs of a stored catalog besides its metadata: the documents kept whole,
 * its groups and its controls (in the column order of the SELECTs below). */
static const struct rb_member document_members[] = {
    RB_HIDDEN_MEMBERS(struct oscal_catalog, metadata_json, params_json, back_matter_json),
};
static const struct rb_record document_record = RB_RECORD(struct oscal_catalog, document_members);
static const struct rb_member oscal_group_members[] = {
    RB_HIDDEN_MEMBERS(struct oscal_group, id, title),
    RB_HIDDEN(struct oscal_group, parent, rb_index),
    RB_HIDDEN_MEMBERS(struct oscal_group, depth, json),
};
static const struct rb_record oscal_group_record =
    RB_RECORD(struct oscal_group, oscal_group_members);
/* Without its last member (the JSON), what profile selection needs. */
static const struct rb_member oscal_control_members[] = {
    RB_HIDDEN_MEMBERS(struct oscal_control, id, title),
    RB_HIDDEN(struct oscal_control, group, rb_index),
    RB_HIDDEN(struct oscal_control, parent, rb_index),
    RB_HIDDEN_MEMBERS(struct oscal_control, json),
};
static const struct rb_record oscal_control_record =
    RB_RECORD(struct oscal_control, oscal_control_members);
static const struct rb_record oscal_control_tree = {oscal_control_members, 4,
                                                    sizeof(struct oscal_control)};

int catalog_control_tree(rb_db *db, const char *catalog_id, int ncontrols, bool with_json,
                         rb_arena *a, struct oscal_catalog *cat)
{
    rb_stmt *st = NULL;
    bool more = false;
    int rc = db_query(db,
                      with_json ? "SELECT oscal_id, title, group_idx, parent_idx, json FROM "
                                  "controls WHERE catalog_id = ?1 ORDER BY idx"
                                : "SELECT oscal_id, title, group_idx, parent_idx FROM controls "
                                  "WHERE catalog_id = ?1 ORDER BY idx",
                      DB_ARGS(DB_TEXT(catalog_id)), &st);
    if (!rc)
        rc = db_page(st, ncontrols, with_json ? &oscal_control_record : &oscal_control_tree, a,
                     &cat->controls, &cat->ncontrols, &more);
    if (rc)
        return rc;
    cat->nenhancements = 0;
    for (int i = 0; i < cat->ncontrols; i++)
        cat->nenhancements += cat->controls[i].parent >= 0;
    return 0;
}

int catalog_export(rb_db *db, const rb_actor *actor, const char *id, rb_buf *out)
{
    rb_arena a;
    rb_arena_init(&a, (size_t)256 << 20);
    rb_catalog meta;
    struct oscal_catalog cat;
    memset(&cat, 0, sizeof(cat));
    rb_stmt *st = NULL;
    bool more = false;
    int rc = catalog_get(db, actor, id, &a, &meta);
    if (!rc && !(rc = db_query(db,
                               "SELECT metadata_json, params_json, back_matter_json FROM "
                               "catalogs WHERE id = ?1",
                               DB_ARGS(DB_TEXT(id)), &st)))
        rc = db_one(st, &a, &document_record, &cat);
    if (!rc && !(rc = db_query(db,
                               "SELECT oscal_id, title, parent_idx, depth, json FROM "
                               "catalog_groups WHERE catalog_id = ?1 ORDER BY idx",
                               DB_ARGS(DB_TEXT(id)), &st)))
        rc = db_page(st, meta.groups, &oscal_group_record, &a, &cat.groups, &cat.ngroups, &more);
    if (!rc)
        rc = catalog_control_tree(db, id, meta.controls, true, &a, &cat);
    if (!rc) {
        cat.uuid = meta.oscal_uuid;
        cat.title = meta.title;
        cat.marking = oscal_marking(meta.tlp);
        rc = oscal_catalog_write(&cat, out);
    }
    rb_arena_release(&a);
    return rc;
}

