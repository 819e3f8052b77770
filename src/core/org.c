/*
 * org.c - the org tree and its closure table.
 *
 * The closure table (org_closure) holds every (ancestor, descendant) pair, so "is X below Y" and
 * "the subtree of Y" are single indexed lookups in any SQL database. It is maintained only here.
 */
#include "base/common.h"
#include "base/utf8.h"
#include "base/crypto.h"
#include "base/rtime.h"
#include "core/kind.h"
#include "core/org.h"
#include "core/policy.h"
#include "core/write.h"
#include "json/field.h"
#include "json/json.h"

const char *const rb_provinces[] = {"punjab",      "sindh",           "khyber_pakhtunkhwa",
                                    "balochistan", "gilgit_baltistan", "azad_jammu_kashmir",
                                    "islamabad",   NULL};
const char *const rb_province_names[] = {"Punjab",      "Sindh",            "Khyber Pakhtunkhwa",
                                         "Balochistan", "Gilgit-Baltistan", "Azad Jammu & Kashmir",
                                         "Islamabad Capital Territory", NULL};
const char *const rb_sectors[] = {"government", "telecom", "energy",    "finance",
                                  "health",     "water",   "transport", "education",
                                  "emergency",  "other",   NULL};

/* The columns of org_members, in order. */
#define ORG_COLS                                                                                   \
    "o.id, o.parent_id, o.kind, o.name, o.short_name, o.province, o.sector, o.cii, o.cii_grade, "  \
    "o.cii_review_date, o.depth, "                                                                 \
    "(SELECT count(*) FROM orgs k WHERE k.parent_id = o.id AND " ORG_VISIBLE("k") "), "           \
    "o.created_at, o.updated_at"

/* The org alias A is one the viewer ?90 (NULL: the local operator) may see: the viewer's own org,
 * its subtree and its ancestors (policy_may_see_org as SQL). */
#define ORG_VISIBLE(A)                                                                             \
    "(?90 IS NULL OR EXISTS (SELECT 1 FROM org_closure c WHERE c.ancestor_id = ?90 AND "           \
    "c.descendant_id = " A ".id) OR EXISTS (SELECT 1 FROM org_closure c WHERE c.ancestor_id = "    \
    A ".id AND c.descendant_id = ?90))"

void org_input_init(rb_org_input *in)
{
    memset(in, 0, sizeof(*in));
    in->kind = -1;
    in->cii = -1;
    in->cii_grade = -1;
}

/* A CII grade only for a CII institution: null otherwise. */
static void write_cii_grade(rj_writer *w, const void *row)
{
    const rb_org *o = row;
    if (o->cii)
        rjw_int(w, o->cii_grade);
    else
        rjw_null(w);
}

static const struct rb_member org_members[] = {
    RB_MEMBERS(rb_org, id, parent_id),
    RB_MEMBER(rb_org, kind, rb_org_kind_mtype),
    RB_MEMBERS(rb_org, name, short_name, province, sector, cii),
    RB_DERIVED(rb_org, cii_grade, "cii_grade", rb_int, write_cii_grade),
    RB_MEMBERS(rb_org, cii_review_date, depth, children, created_at, updated_at),
};
const struct rb_record org_record = RB_RECORD(rb_org, org_members);

int org_ref_load(rb_db *db, const char *id, rb_orgref *out)
{
    rb_stmt *st = NULL;
    memset(out, 0, sizeof(*out));
    if (!id || !rb_uuid_valid(id))
        return RB_ENOTFOUND;
    int rc = db_query(db, "SELECT kind FROM orgs WHERE id = ?1", DB_ARGS(DB_TEXT(id)), &st);
    if (rc)
        return rc;
    rc = db_step(st);
    if (rc == DB_ROW) {
        enum rb_org_kind k = KIND_INSTITUTION;
        rb_org_kind_parse(db_col_text(st, 0), &k);
        out->kind = k;
        rb_strlcpy(out->id, id, sizeof(out->id));
    }
    db_done(st);
    if (rc != DB_ROW)
        return rc < 0 ? rc : RB_ENOTFOUND;
    return org_ref_ancestors(db, out);
}

int org_ref_ancestors(rb_db *db, rb_orgref *out)
{
    rb_stmt *st = NULL;
    out->nanc = 0;
    int rc = db_query(db,
                      "SELECT ancestor_id FROM org_closure WHERE descendant_id = ?1 AND depth > 0 "
                      "ORDER BY depth DESC",
                      DB_ARGS(DB_TEXT(out->id)), &st);
    if (rc)
        return rc;
    while ((rc = db_step(st)) == DB_ROW) {
        if (out->nanc >= RB_MAX_DEPTH) {
            rc = RB_EINTERNAL;
            break;
        }
        rb_strlcpy(out->ancestors[out->nanc++], db_col_text(st, 0), RB_ID_SIZE);
    }
    db_done(st);
    return rc < 0 ? rc : 0;
}

int org_kind_load(rb_db *db, const rb_actor *actor, const char *id, struct kind_ref *out)
{
    rb_orgref ref;
    int rc = org_ref_load(db, id, &ref);
    if (rc)
        return rc;
    if (!policy_may_see_org(actor, &ref))
        return RB_ENOTFOUND;
    rb_strlcpy(out->owner_org, ref.id, sizeof(out->owner_org));
    rb_strlcpy(out->owner_parent, ref.nanc > 0 ? ref.ancestors[ref.nanc - 1] : "",
               sizeof(out->owner_parent));
    return 0;
}

int org_root(rb_db *db, rb_orgref *out)
{
    char id[RB_ID_SIZE];
    int rc = db_query_text_buf(db, "SELECT id FROM orgs WHERE parent_id IS NULL", NULL, 0, id,
                               sizeof(id));
    if (rc || !id[0])
        return rc ? rc : RB_ENOTFOUND;
    return org_ref_load(db, id, out);
}

int org_count(rb_db *db, int64_t *out)
{
    return db_query_int(db, "SELECT count(*) FROM orgs", NULL, 0, out);
}

static bool in_list(const char *const *list, const char *s)
{
    for (int i = 0; list[i]; i++)
        if (strcmp(list[i], s) == 0)
            return true;
    return false;
}

/* A name field: the field rule of its kind, and at least min characters. */
static int check_name(const char *field, const char *s, enum rb_field_kind kind, size_t min,
                      rb_errinfo *ei)
{
    int rc = rb_field_checks(kind, field, s, ei);
    if (rc)
        return rc;
    if (strlen(s) < min)
        return rb_err(ei, RB_EINVAL, field, "\"%s\" must be at least %zu characters long", field,
                      min);
    return 0;
}

/* Validates the descriptive fields shared by create and update (those present in `in`). The
 * resulting CII state (cii, grade) is checked by the caller against the kind. */
static int check_fields(const rb_org_input *in, rb_errinfo *ei)
{
    int rc;
    if (in->name && (rc = check_name("name", in->name, FIELD_NAME, 2, ei)))
        return rc;
    if (in->short_name && in->short_name[0] &&
        (rc = check_name("short_name", in->short_name, FIELD_SHORT, 1, ei)))
        return rc;
    if (in->province && in->province[0] && !in_list(rb_provinces, in->province))
        return rb_err(ei, RB_EINVAL, "province",
                      "\"province\" must be one of: punjab, sindh, khyber_pakhtunkhwa, "
                      "balochistan, gilgit_baltistan, azad_jammu_kashmir, islamabad");
    if (in->sector && in->sector[0] && !in_list(rb_sectors, in->sector))
        return rb_err(ei, RB_EINVAL, "sector",
                      "\"sector\" must be one of: government, telecom, energy, finance, health, "
                      "water, transport, education, emergency, other");
    if (in->cii_review_date && in->cii_review_date[0] && rb_date_parse(in->cii_review_date, NULL))
        return rb_err(ei, RB_EINVAL, "cii_review_date",
                      "\"cii_review_date\" must be a date like 2027-06-30");
    if (in->cii_grade > 3)
        return rb_err(ei, RB_EINVAL, "cii_grade", "\"cii_grade\" must be 1, 2 or 3");
    return 0;
}

static int check_cii(enum rb_org_kind kind, bool cii, int grade, const char *review,
                     rb_errinfo *ei)
{
    if (!cii && review && review[0])
        return rb_err(ei, RB_EINVAL, "cii_review_date",
                      "\"cii_review_date\" applies only to CII institutions (set \"cii\": true)");
    if (cii && kind != KIND_INSTITUTION)
        return rb_err(ei, RB_EINVAL, "cii",
                      "only institutions are designated CII (a CERT for CII has kind cii_cert)");
    if (cii && grade < 1)
        return rb_err(ei, RB_EINVAL, "cii_grade", "a CII institution needs \"cii_grade\" 1 to 3");
    if (!cii && grade > 0)
        return rb_err(ei, RB_EINVAL, "cii_grade",
                      "\"cii_grade\" applies only to CII institutions (set \"cii\": true)");
    return 0;
}

static const char *nz(const char *s)
{
    return (s && s[0]) ? s : NULL;
}

static int insert_org(rb_write *w, const char *id, const char *parent_id, const char *kind,
                      const rb_org_input *in, int depth)
{
    bool cii = in->cii == 1;
    int rc = db_exec(w->db,
                     "INSERT INTO orgs(id, parent_id, kind, name, short_name, province, sector, "
                     "cii, cii_grade, cii_review_date, depth, created_at, updated_at) VALUES "
                     "(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?12)",
                     DB_ARGS(DB_TEXT(id), DB_TEXT(parent_id), DB_TEXT(kind), DB_TEXT(in->name),
                             DB_TEXT(nz(in->short_name)), DB_TEXT(nz(in->province)),
                             DB_TEXT(nz(in->sector)), DB_INT(cii),
                             DB_INT_OR_NULL(cii, in->cii_grade),
                             DB_TEXT(cii ? nz(in->cii_review_date) : NULL), DB_INT(depth),
                             DB_TEXT(w->now)));
    if (!rc)
        rc = db_exec(w->db,
                     "INSERT INTO org_closure(ancestor_id, descendant_id, depth) SELECT "
                     "ancestor_id, ?1, depth + 1 FROM org_closure WHERE descendant_id = ?2",
                     DB_ARGS(DB_TEXT(id), DB_TEXT(parent_id)));
    if (!rc)
        rc = db_exec(w->db,
                     "INSERT INTO org_closure(ancestor_id, descendant_id, depth) VALUES (?1, ?1, "
                     "0)",
                     DB_ARGS(DB_TEXT(id)));
    return rc;
}

int org_create_root(rb_db *db, const rb_actor *actor, const char *name, const char *short_name,
                    char out_id[RB_ID_SIZE], rb_errinfo *ei)
{
    rb_org_input in;
    org_input_init(&in);
    in.name = name;
    in.short_name = short_name;
    int rc = check_fields(&in, ei);
    if (rc)
        return rc;
    if (!in.name)
        return rb_err(ei, RB_EINVAL, "name", "the National CERT needs a name");
    char id[RB_ID_SIZE];
    rb_write w;
    if ((rc = write_begin_new(&w, db, actor, id, ei)))
        return rc;
    rc = insert_org(&w, id, NULL, "national_cert", &in, 0);
    if (rc == RB_ECONFLICT)
        rb_err(ei, rc, "", "a National CERT already exists; there is exactly one root");
    if ((rc = write_end(&w, rc, "org.create", &kind_org, id, id, "cannot create the National CERT")))
        return rc;
    rb_strlcpy(out_id, id, RB_ID_SIZE);
    return 0;
}

int org_create(rb_db *db, const rb_actor *actor, const rb_org_input *in, char out_id[RB_ID_SIZE],
               rb_errinfo *ei)
{
    int rc;
    if (!in->name)
        return rb_err(ei, RB_EINVAL, "name", "\"name\" is required");
    if (in->kind < 0)
        return rb_err(ei, RB_EINVAL, "kind", "\"kind\" is required");
    if (in->kind == KIND_NATIONAL_CERT)
        return rb_err(ei, RB_EINVAL, "kind",
                      "there is exactly one national_cert, the root; choose another kind");
    if (!in->parent_id)
        return rb_err(ei, RB_EINVAL, "parent_id", "\"parent_id\" is required");
    if ((rc = check_fields(in, ei)) ||
        (rc = check_cii((enum rb_org_kind)in->kind, in->cii == 1, in->cii_grade,
                        in->cii_review_date, ei)))
        return rc;
    rb_orgref parent;
    rc = org_ref_load(db, in->parent_id, &parent);
    if (rc == RB_ENOTFOUND || (!rc && !policy_may_see_org(actor, &parent)))
        return rb_err(ei, RB_ENOTFOUND, "parent_id", "no org with that parent_id");
    if (rc)
        return rb_err(ei, rc, "", "cannot read the parent org");
    if (!policy_can(actor, PERM_ORG_MANAGE) ||
        !(actor->system || policy_in_subtree(actor->org.id, &parent)) ||
        !rb_org_kind_is_cert(actor->org.kind))
        return rb_err(ei, RB_EPERM, "parent_id",
                      "only an admin of a CERT may create orgs, and only below its own CERT");
    if (!rb_org_kind_is_cert(parent.kind))
        return rb_err(ei, RB_EINVAL, "parent_id",
                      "institutions have no children: the parent must be a CERT");
    if (parent.nanc + 2 > RB_MAX_DEPTH)
        return rb_err(ei, RB_EINVAL, "parent_id", "the tree may be at most %d levels deep",
                      RB_MAX_DEPTH);
    char id[RB_ID_SIZE];
    rb_write w;
    if ((rc = write_begin_new(&w, db, actor, id, ei)))
        return rc;
    rc = insert_org(&w, id, parent.id, rb_org_kind_names[in->kind], in, parent.nanc + 1);
    if (rc == RB_ECONFLICT)
        rb_err(ei, rc, "name", "an org named \"%.*s\" already exists under that parent",
               RB_CUT(in->name, 100));
    if ((rc = write_end(&w, rc, "org.create", &kind_org, id, id, "cannot create the org")))
        return rc;
    rb_strlcpy(out_id, id, RB_ID_SIZE);
    return 0;
}

/* Moves id (and its subtree) under new_parent in the closure table. Caller checked no cycle. */
static int reparent(rb_db *db, const char *id, const rb_orgref *new_parent)
{
    static const char *const steps[] = {
        ("DELETE FROM org_closure WHERE descendant_id IN (SELECT descendant_id FROM org_closure "
        "WHERE ancestor_id = ?1) AND ancestor_id NOT IN (SELECT descendant_id FROM org_closure "
        "WHERE ancestor_id = ?1)"),
        ("INSERT INTO org_closure(ancestor_id, descendant_id, depth) SELECT p.ancestor_id, "
        "s.descendant_id, p.depth + s.depth + 1 FROM org_closure p, org_closure s WHERE "
        "p.descendant_id = ?2 AND s.ancestor_id = ?1"),
        ("UPDATE orgs SET parent_id = ?2 WHERE id = ?1"),
        ("UPDATE orgs SET depth = (SELECT max(c.depth) FROM org_closure c WHERE c.descendant_id = "
        "orgs.id) WHERE id IN (SELECT descendant_id FROM org_closure WHERE ancestor_id = ?1)"),
    };
    static const bool uses_parent[] = {false, true, true, false};
    const struct db_arg args[] = {DB_TEXT(id), DB_TEXT(new_parent->id)};
    int rc = 0;
    for (size_t i = 0; !rc && i < RB_ARRAY_LEN(steps); i++)
        rc = db_exec(db, steps[i], args, uses_parent[i] ? 2 : 1);
    return rc;
}

/* Deepest level below id, relative to id (0 for a leaf). */
static int subtree_height(rb_db *db, const char *id, int *out)
{
    int64_t h = 0;
    int rc = db_query_int(db, "SELECT max(depth) FROM org_closure WHERE ancestor_id = ?1",
                          DB_ARGS(DB_TEXT(id)), &h);
    *out = (int)h;
    return rc;
}

int org_update(rb_db *db, const rb_actor *actor, const char *id, const rb_org_input *in,
               rb_arena *a, rb_errinfo *ei)
{
    rb_org cur;
    int rc = org_get(db, actor, id, a, &cur);
    if (rc) {
        rb_err(ei, rc, "", rc == RB_ENOTFOUND ? "no such org" : "cannot read the org");
        goto out;
    }
    rb_orgref ref;
    if ((rc = org_ref_load(db, id, &ref)))
        goto out;
    bool own = !actor->system && strcmp(actor->org.id, id) == 0;
    if (!policy_can(actor, PERM_ORG_MANAGE) ||
        !(actor->system || own || policy_is_ancestor(actor->org.id, &ref))) {
        rc = rb_err(ei, RB_EPERM, "", "only an admin of this org or of a CERT above it may change it");
        goto out;
    }
    /* CII designation is the constituency CERT's decision, not the institution's own. */
    if (own && actor->org.nanc > 0 &&
        (in->cii >= 0 || in->cii_grade >= 0 || in->cii_review_date)) {
        rc = rb_err(ei, RB_EPERM, "cii",
                    "CII designation is set by a CERT above the org, not by the org itself");
        goto out;
    }
    if (in->kind >= 0 && in->kind != (int)cur.kind) {
        rc = rb_err(ei, RB_EINVAL, "kind", "an org's kind cannot change; create a new org");
        goto out;
    }
    if ((rc = check_fields(in, ei)))
        goto out;
    bool cii = in->cii >= 0 ? in->cii == 1 : cur.cii;
    int grade = in->cii_grade >= 0 ? in->cii_grade : (in->cii == 0 ? 0 : cur.cii_grade);
    if ((rc = check_cii(cur.kind, cii, grade, in->cii == 0 ? NULL : in->cii_review_date, ei)))
        goto out;
    rb_orgref np;
    bool move = in->parent_id && (!cur.parent_id || strcmp(in->parent_id, cur.parent_id) != 0);
    if (move) {
        bool national_admin = actor->system || actor->org.nanc == 0;
        if (!national_admin) {
            rc = rb_err(ei, RB_EPERM, "parent_id", "only the national admin may move an org");
            goto out;
        }
        if (!cur.parent_id) {
            rc = rb_err(ei, RB_EINVAL, "parent_id", "the National CERT is the root; it has no parent");
            goto out;
        }
        rc = org_ref_load(db, in->parent_id, &np);
        if (rc) {
            rc = rb_err(ei, RB_ENOTFOUND, "parent_id", "no org with that parent_id");
            goto out;
        }
        if (policy_in_subtree(id, &np)) {
            rc = rb_err(ei, RB_EINVAL, "parent_id",
                        "an org cannot move below itself or its own subtree (that makes a cycle)");
            goto out;
        }
        if (!rb_org_kind_is_cert(np.kind)) {
            rc = rb_err(ei, RB_EINVAL, "parent_id", "the new parent must be a CERT");
            goto out;
        }
        int h = 0;
        if ((rc = subtree_height(db, id, &h)))
            goto out;
        if (np.nanc + 2 + h > RB_MAX_DEPTH) {
            rc = rb_err(ei, RB_EINVAL, "parent_id", "the move would make the tree deeper than %d",
                        RB_MAX_DEPTH);
            goto out;
        }
    }
    rb_write w;
    if ((rc = write_begin(&w, db, actor, ei)))
        goto out;
    rc = db_exec(db,
                 "UPDATE orgs SET name = coalesce(?2, name), "
                    "short_name = CASE WHEN ?3 IS NULL THEN short_name WHEN ?3 = '' THEN NULL "
                    "ELSE ?3 END, "
                    "province = CASE WHEN ?4 IS NULL THEN province WHEN ?4 = '' THEN NULL ELSE ?4 "
                    "END, "
                    "sector = CASE WHEN ?5 IS NULL THEN sector WHEN ?5 = '' THEN NULL ELSE ?5 END, "
                    "cii = ?6, cii_grade = ?7, "
                    "cii_review_date = CASE WHEN ?6 = 0 THEN NULL WHEN ?8 IS NULL THEN "
                    "cii_review_date WHEN ?8 = '' THEN NULL ELSE ?8 END, "
                    "updated_at = ?9 WHERE id = ?1",
                 DB_ARGS(DB_TEXT(id), DB_TEXT(in->name), DB_TEXT(in->short_name),
                         DB_TEXT(in->province), DB_TEXT(in->sector), DB_INT(cii),
                         DB_INT_OR_NULL(cii, grade), DB_TEXT(in->cii_review_date),
                         DB_TEXT(w.now)));
    if (rc == RB_ECONFLICT)
        rb_err(ei, rc, "name", "an org with that name already exists under the same parent");
    if (!rc && move)
        rc = reparent(db, id, &np);
    rc = write_end(&w, rc, move ? "org.move" : "org.update", &kind_org, id, id,
                   "cannot update the org");
out:
    return rc;
}

/* Binds ORG_VISIBLE's viewer: the actor's org, or NULL for the local operator. */
static int bind_viewer(rb_stmt *st, const rb_actor *actor)
{
    return db_bind_text(st, 90, actor->system ? NULL : actor->org.id);
}

int org_get(rb_db *db, const rb_actor *actor, const char *id, rb_arena *a, rb_org *out)
{
    if (!id || !rb_uuid_valid(id))
        return RB_ENOTFOUND;
    /* Visible: the actor's org, its subtree and its ancestors (policy_may_see_org, as SQL). */
    rb_stmt *st = NULL;
    int rc = db_query(db, "SELECT " ORG_COLS " FROM orgs o WHERE o.id = ?1 AND " ORG_VISIBLE("o"),
                      DB_ARGS(DB_TEXT(id)), &st);
    if (rc)
        return rc;
    bind_viewer(st, actor);
    if ((rc = db_one(st, a, &org_record, out)))
        return rc;
    return out->id ? 0 : RB_ENOMEM;
}

int org_list(rb_db *db, const rb_actor *actor, const struct org_filter *f, rb_arena *a,
             rb_org **out, int *n, bool *more)
{
    int limit = f->limit > 0 ? f->limit : 50;
    const char *pattern = NULL;
    if (f->q && f->q[0] && !(pattern = db_like_contains(a, f->q)))
        return RB_ENOMEM;
    int64_t c_depth = 0;
    char *c_name = NULL;
    if (f->after_id) {
        rb_org cur;
        int rc = org_get(db, actor, f->after_id, a, &cur);
        if (rc)
            return rc == RB_ENOTFOUND ? RB_EINVAL : rc;
        c_depth = cur.depth;
        c_name = cur.name;
    }
    rb_stmt *st = NULL;
    int rc = db_query(
        db,
        "SELECT " ORG_COLS " FROM orgs o WHERE " ORG_VISIBLE("o") " "
        "AND (?1 IS NULL OR EXISTS (SELECT 1 FROM org_closure c WHERE c.ancestor_id = ?1 AND "
        "c.descendant_id = o.id)) "
        "AND (?2 IS NULL OR o.kind = ?2) AND (?3 IS NULL OR o.province = ?3) "
        "AND (?4 IS NULL OR o.sector = ?4) AND (?5 IS NULL OR lower(o.name) LIKE ?5 ESCAPE '\\') "
        "AND (?6 < 0 OR o.cii = ?6) "
        "AND (?7 IS NULL OR o.depth > ?8 OR (o.depth = ?8 AND (o.name > ?9 OR (o.name = ?9 AND "
        "o.id > ?7)))) "
        "ORDER BY o.depth, o.name, o.id LIMIT ?10",
        DB_ARGS(DB_TEXT(f->root), DB_TEXT(f->kind), DB_TEXT(f->province), DB_TEXT(f->sector),
                DB_TEXT(pattern), DB_INT(f->cii), DB_TEXT(f->after_id), DB_INT(c_depth),
                DB_TEXT(c_name), DB_INT(limit + 1)),
        &st);
    if (rc)
        return rc;
    bind_viewer(st, actor);
    return db_page(st, limit, &org_record, a, out, n, more);
}

