/*
 * inventory.c - each org's inventory of the products it runs (see inventory.h).
 *
 * Must never: let anyone but the org's own writers change its inventory, show it to an org that
 * is neither the org nor above it, or store anything from a CSV file with a bad row.
 */
#include "base/common.h"
#include "base/crypto.h"
#include "base/utf8.h"
#include "core/inventory.h"
#include "core/kind.h"
#include "core/org.h"
#include "core/policy.h"
#include "core/write.h"
#include "formats/csv.h"
#include "json/field.h"
#include "json/json.h"

#define ITEM_COLS                                                                                  \
    "id, org_id, vendor, product, version, cpe, purl, created_by, created_at, updated_at"
/* The list's order, which the unique index (org_id, vendor, product, version, all NOCASE) serves.
 */
#define ITEM_ORDER "vendor COLLATE NOCASE, product COLLATE NOCASE, version COLLATE NOCASE"

static const struct rb_member item_members[] = {
    RB_MEMBERS(rb_inventory_item, id, org_id, vendor, product, version, cpe, purl, created_by,
               created_at, updated_at),
};
const struct rb_record inventory_record = RB_RECORD(rb_inventory_item, item_members);

/* ---- the rules of an item ---- */

/* A member and its rule, in the order the API and the CSV header show them. */
static const struct {
    const char *name;
    enum rb_field_kind kind;
} members[] = {
    {"vendor", FIELD_NAME}, {"product", FIELD_TITLE}, {"version", FIELD_SHORT},
    {"cpe", FIELD_TITLE},   {"purl", FIELD_URL},
};
enum { M_VENDOR, M_PRODUCT, M_VERSION, M_CPE, M_PURL, M__COUNT };
/* The columns a file may have before the reader stops looking (each must be one of members). */
#define CSV_COLUMNS_MAX 32

/* Where member m of in is. */
static const char **member_at(struct inventory_input *in, int m)
{
    const char **at[M__COUNT] = {&in->vendor, &in->product, &in->version, &in->cpe, &in->purl};
    return at[m];
}

/* The value of member m of in. */
static const char *member_of(const struct inventory_input *in, int m)
{
    const char *v[M__COUNT] = {in->vendor, in->product, in->version, in->cpe, in->purl};
    return v[m];
}

static bool has_text(const char *s)
{
    for (; s && *s; s++)
        if (*s != ' ')
            return true;
    return false;
}

bool inventory_cpe_ok(const char *s)
{
    if (strncmp(s, "cpe:2.3:", 8) == 0) {
        /* Formatted string: 13 components split by colons that no backslash escapes; the part is
         * a, o, h or a wildcard, and no component is empty. */
        int parts = 1;
        size_t len = 0;
        for (const char *p = s; *p; p++) {
            if (*p == ' ')
                return false;
            if (*p == '\\' && p[1]) {
                p++;
                len++;
                continue;
            }
            if (*p == ':') {
                if (len == 0)
                    return false;
                parts++;
                len = 0;
                continue;
            }
            len++;
        }
        return parts == 13 && len > 0 && strchr("aoh*-", s[8]) && s[9] == ':';
    }
    if (strncmp(s, "cpe:/", 5) == 0) {
        /* URI: a part, then at most six more components (vendor ... language), no spaces. */
        if (!s[5] || !strchr("aoh", s[5]) || (s[6] && s[6] != ':'))
            return false;
        int parts = 1;
        for (const char *p = s + 5; *p; p++) {
            if (*p == ' ')
                return false;
            parts += *p == ':';
        }
        return parts <= 7;
    }
    return false;
}

bool inventory_purl_ok(const char *s)
{
    /* pkg:type/namespace.../name@version?qualifiers#subpath: a type that starts with a letter and
     * holds letters, digits, '.', '+' and '-'; then a name, the last segment before '@'. */
    if (strncasecmp(s, "pkg:", 4) != 0)
        return false;
    const char *p = s + 4;
    while (*p == '/')
        p++;
    const char *type = p;
    if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
        return false;
    while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
           *p == '.' || *p == '+' || *p == '-')
        p++;
    if (p == type || *p != '/')
        return false;
    p++;
    size_t path = strcspn(p, "?#");
    if (memchr(p, ' ', strlen(p)))
        return false;
    const char *end = p + path, *slash = p;
    for (const char *q = p; q < end; q++)
        if (*q == '/' && q + 1 < end)
            slash = q + 1;
    const char *at = memchr(slash, '@', (size_t)(end - slash));
    const char *name_end = at ? at : end;
    while (name_end > slash && name_end[-1] == '/')
        name_end--;
    return name_end > slash;
}

int inventory_check(const struct inventory_input *in, bool change, rb_errinfo *ei)
{
    bool any = false;
    for (int m = 0; m < M__COUNT; m++) {
        const char *s = member_of(in, m);
        int rc = rb_field_checks(members[m].kind, members[m].name, s, ei);
        if (rc)
            return rc;
        any |= s != NULL;
        bool required = m == M_VENDOR || m == M_PRODUCT;
        if (required && (change ? s != NULL : true) && !has_text(s))
            return rb_err(ei, RB_EINVAL, members[m].name, "\"%s\" is required: the %s's name",
                          members[m].name, m == M_VENDOR ? "vendor" : "product");
    }
    if (change && !any)
        return rb_err(ei, RB_EINVAL, "",
                      "nothing to change: give vendor, product, version, cpe or purl");
    if (!rb_empty(in->cpe) && !inventory_cpe_ok(in->cpe))
        return rb_err(ei, RB_EINVAL, "cpe",
                      "\"cpe\" must be a CPE 2.3 name (cpe:2.3:part:vendor:product:version and "
                      "the other components, 13 in all, * for any) or a CPE 2.2 URI "
                      "(cpe:/a:vendor:product:version), with no spaces");
    if (!rb_empty(in->purl) && !inventory_purl_ok(in->purl))
        return rb_err(ei, RB_EINVAL, "purl",
                      "\"purl\" must be a package URL: pkg:type/name, with an optional namespace "
                      "and @version (pkg:npm/lodash@4.17.21), with no spaces");
    return 0;
}

/* ---- who may do what ---- */

int inventory_kind_load(rb_db *db, const rb_actor *actor, const char *id, struct kind_ref *out)
{
    rb_orgref ref;
    int rc = org_ref_load(db, id, &ref);
    if (rc)
        return rc;
    bool own = actor && actor->org.id[0] && strcmp(actor->org.id, ref.id) == 0;
    if (!actor ||
        (!actor->system && !own && !(actor->org.id[0] && policy_is_ancestor(actor->org.id, &ref))))
        return RB_ENOTFOUND;
    rb_strlcpy(out->owner_org, ref.id, sizeof(out->owner_org));
    rb_strlcpy(out->owner_parent, ref.nanc > 0 ? ref.ancestors[ref.nanc - 1] : "",
               sizeof(out->owner_parent));
    rb_strlcpy(out->subject, ref.id, sizeof(out->subject));
    return 0;
}

/* Reading: the org itself or a CERT above it; RB_ENOTFOUND otherwise. */
static int may_read(rb_db *db, const rb_actor *actor, const char *org_id)
{
    struct kind_ref ref;
    return kind_load(&kind_inventory, db, actor, org_id, &ref);
}

/* Writing: the org's own admins, analysts and reporters (and the local operator). */
static int may_write(rb_db *db, const rb_actor *actor, const char *org_id, rb_errinfo *ei)
{
    int rc = may_read(db, actor, org_id);
    if (rc || actor->system)
        return rc;
    if (!policy_can(actor, PERM_REPORT))
        return rb_err(ei, RB_EPERM, "", "your role (%s) may not change the inventory",
                      rb_role_names[actor->role]);
    if (strcmp(actor->org.id, org_id) != 0)
        return rb_err(ei, RB_EPERM, "",
                      "only the org itself changes its inventory: it is the org's own "
                      "declaration of what it runs");
    return 0;
}

/* ---- writes ---- */

static int count_items(rb_db *db, const char *org_id, int64_t *n)
{
    return db_query_int(db, "SELECT count(*) FROM inventory WHERE org_id = ?1",
                        DB_ARGS(DB_TEXT(org_id)), n);
}

/* An empty optional text is stored as NULL (cpe, purl). */
static const char *or_null(const char *s)
{
    return rb_empty(s) ? NULL : s;
}

/* Inserts one item; with skip_duplicate a duplicate is skipped (*added false) instead of
 * refused (RB_ECONFLICT). */
static int insert_item(rb_write *w, const char *id, const char *org_id,
                       const struct inventory_input *in, bool skip_duplicate, bool *added)
{
    int rc =
        db_exec(w->db,
                skip_duplicate ? "INSERT OR IGNORE INTO inventory(id, org_id, vendor, product, "
                                 "version, cpe, purl, created_by, created_at, updated_at) "
                                 "VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?9)"
                               : "INSERT INTO inventory(id, org_id, vendor, product, "
                                 "version, cpe, purl, created_by, created_at, updated_at) "
                                 "VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?9)",
                DB_ARGS(DB_TEXT(id), DB_TEXT(org_id), DB_TEXT(in->vendor), DB_TEXT(in->product),
                        DB_TEXT(in->version ? in->version : ""), DB_TEXT(or_null(in->cpe)),
                        DB_TEXT(or_null(in->purl)), DB_TEXT(w->actor->label), DB_TEXT(w->now)));
    if (!rc && added)
        *added = db_changes(w->db) == 1;
    return rc;
}

static int duplicate_err(rb_errinfo *ei, const struct inventory_input *in)
{
    return rb_err(ei, RB_ECONFLICT, "", "the inventory already has %.*s %.*s%s%.*s",
                  RB_CUT(in->vendor, 80), RB_CUT(in->product, 120),
                  rb_empty(in->version) ? "" : " version ", RB_CUT(in->version, 64));
}

int inventory_add(rb_db *db, const rb_actor *actor, const char *org_id,
                  const struct inventory_input *in, char out_id[RB_ID_SIZE], rb_errinfo *ei)
{
    int rc = may_write(db, actor, org_id, ei);
    if (rc || (rc = inventory_check(in, false, ei)))
        return rc;
    char id[RB_ID_SIZE];
    rb_write w;
    if ((rc = write_begin_new(&w, db, actor, id, ei)))
        return rc;
    rc = write_cap(&w, "SELECT count(*) FROM inventory WHERE org_id = ?1", org_id, INVENTORY_MAX,
                   "an inventory holds at most %d items; remove some first", INVENTORY_MAX);
    if (!rc && (rc = insert_item(&w, id, org_id, in, false, NULL)) == RB_ECONFLICT)
        duplicate_err(ei, in);
    rc = write_end(&w, rc, "inventory.add", &kind_inventory, org_id, org_id, "cannot add the item");
    if (!rc)
        memcpy(out_id, id, RB_ID_SIZE);
    return rc;
}

/* Reads item_id of org_id with no policy check (inside a write, after may_write). */
static int read_item(rb_db *db, const char *org_id, const char *item_id, rb_arena *a,
                     rb_inventory_item *out)
{
    if (!item_id || !rb_uuid_valid(item_id))
        return RB_ENOTFOUND;
    return db_query_one(db, "SELECT " ITEM_COLS " FROM inventory WHERE id = ?1 AND org_id = ?2",
                        DB_ARGS(DB_TEXT(item_id), DB_TEXT(org_id)), a, &inventory_record, out);
}

int inventory_update(rb_db *db, const rb_actor *actor, const char *org_id, const char *item_id,
                     const struct inventory_input *in, rb_errinfo *ei)
{
    int rc = may_write(db, actor, org_id, ei);
    if (rc || (rc = inventory_check(in, true, ei)))
        return rc;
    rb_arena a;
    rb_arena_init(&a, 64 * 1024);
    rb_write w;
    if ((rc = write_begin(&w, db, actor, ei)))
        goto out;
    rb_inventory_item cur;
    if ((rc = read_item(db, org_id, item_id, &a, &cur)) == RB_ENOTFOUND)
        rb_err(ei, rc, "", "the org's inventory has no such item");
    if (!rc) {
        struct inventory_input v = {cur.vendor, cur.product, cur.version, cur.cpe, cur.purl};
        for (int m = 0; m < M__COUNT; m++)
            if (member_of(in, m))
                *member_at(&v, m) = member_of(in, m);
        rc = db_exec(db,
                     "UPDATE inventory SET vendor = ?3, product = ?4, version = ?5, cpe = ?6, "
                     "purl = ?7, updated_at = ?8 WHERE id = ?1 AND org_id = ?2",
                     DB_ARGS(DB_TEXT(item_id), DB_TEXT(org_id), DB_TEXT(v.vendor),
                             DB_TEXT(v.product), DB_TEXT(v.version ? v.version : ""),
                             DB_TEXT(or_null(v.cpe)), DB_TEXT(or_null(v.purl)), DB_TEXT(w.now)));
        if (rc == RB_ECONFLICT)
            duplicate_err(ei, &v);
    }
    rc = write_end(&w, rc, "inventory.update", &kind_inventory, org_id, org_id,
                   "cannot change the item");
out:
    rb_arena_release(&a);
    return rc;
}

int inventory_remove(rb_db *db, const rb_actor *actor, const char *org_id, const char *item_id,
                     rb_errinfo *ei)
{
    int rc = may_write(db, actor, org_id, ei);
    if (rc)
        return rc;
    if (!item_id || !rb_uuid_valid(item_id))
        return rb_err(ei, RB_ENOTFOUND, "", "the org's inventory has no such item");
    return write_exec(db, actor,
                      &(struct write_entry){
                          "inventory.remove", &kind_inventory, org_id, org_id,
                          .fail = "cannot remove the item",
                          .unchanged = {RB_ENOTFOUND, "", "the org's inventory has no such item"}},
                      "DELETE FROM inventory WHERE id = ?1 AND org_id = ?2",
                      DB_ARGS(DB_TEXT(item_id), DB_TEXT(org_id)), ei);
}

/* ---- reads ---- */

int inventory_get(rb_db *db, const rb_actor *actor, const char *org_id, const char *item_id,
                  rb_arena *a, rb_inventory_item *out)
{
    int rc = may_read(db, actor, org_id);
    return rc ? rc : read_item(db, org_id, item_id, a, out);
}

int inventory_list(rb_db *db, const rb_actor *actor, const char *org_id,
                   const struct inventory_filter *f, rb_arena *a, rb_inventory_item **out, int *n,
                   bool *more)
{
    int rc = may_read(db, actor, org_id);
    if (rc)
        return rc;
    int limit = f->limit > 0 ? f->limit : 50;
    const char *pattern = NULL;
    if (!rb_empty(f->q) && !(pattern = db_like_contains(a, f->q)))
        return RB_ENOMEM;
    rb_inventory_item after = {0};
    if (f->after_id && (rc = read_item(db, org_id, f->after_id, a, &after)))
        return rc == RB_ENOTFOUND ? RB_EINVAL : rc;
    rb_stmt *st = NULL;
    rc = db_query(db,
                  "SELECT " ITEM_COLS " FROM inventory WHERE org_id = ?1 AND (?2 IS NULL OR "
                  "lower(vendor) LIKE ?2 ESCAPE '\\' OR lower(product) LIKE ?2 ESCAPE '\\') AND "
                  "(?3 IS NULL OR (vendor COLLATE NOCASE, product COLLATE NOCASE, version COLLATE "
                  "NOCASE) > (?4, ?5, ?6)) ORDER BY " ITEM_ORDER " LIMIT ?7",
                  DB_ARGS(DB_TEXT(org_id), DB_TEXT(pattern), DB_TEXT(after.id),
                          DB_TEXT(after.vendor), DB_TEXT(after.product), DB_TEXT(after.version),
                          DB_INT(limit + 1)),
                  &st);
    return rc ? rc : db_page(st, limit, &inventory_record, a, out, n, more);
}

int inventory_count(rb_db *db, const rb_actor *actor, const char *org_id, int64_t *out)
{
    int rc = may_read(db, actor, org_id);
    return rc ? rc : count_items(db, org_id, out);
}

int inventory_each(rb_db *db, const char *org_id,
                   int (*fn)(void *ctx, const char *org_id, const char *item_id, const char *vendor,
                             const char *product, const char *version, const char *cpe,
                             const char *purl),
                   void *ctx)
{
    rb_stmt *st = NULL;
    int rc = db_query(db,
                      "SELECT org_id, id, vendor, product, version, cpe, purl FROM inventory "
                      "WHERE ?1 IS NULL OR org_id = ?1 ORDER BY org_id, " ITEM_ORDER,
                      DB_ARGS(DB_TEXT(org_id)), &st);
    if (rc)
        return rc;
    while ((rc = db_step(st)) == DB_ROW)
        if ((rc = fn(ctx, db_col_text(st, 0), db_col_text(st, 1), db_col_text(st, 2),
                     db_col_text(st, 3), db_col_text(st, 4), db_col_text(st, 5),
                     db_col_text(st, 6))))
            break;
    db_done(st);
    return rc == DB_DONE ? 0 : rc;
}

/* ---- CSV ---- */

/* One row of the file (csv_row_fn): its cells into the item's members, then inventory_check. */
static int read_row(const void *ctx, const csv_record *rec, const int *at, void *row_,
                    size_t *field, rb_arena *a, rb_errinfo *bad)
{
    (void)ctx;
    (void)a;
    struct inventory_row *row = row_;
    row->line = rec->line;
    for (size_t k = 0; k < rec->nfields; k++)
        if (rec->fields[k].len > 0)
            *member_at(&row->in, at[k]) = rec->fields[k].ptr;
    int rc = inventory_check(&row->in, false, bad);
    for (size_t k = 0; rc && k < rec->nfields; k++)
        if (strcmp(bad->field, members[at[k]].name) == 0)
            *field = k + 1;
    return rc;
}

int inventory_csv_read(const char *text, size_t len, rb_arena *a, struct inventory_file *out,
                       rb_errinfo *ei)
{
    const struct csv_limits lim = {INVENTORY_MAX + 1, CSV_COLUMNS_MAX, rb_field_max(FIELD_URL)};
    static const char *const names[M__COUNT + 1] = {"vendor", "product", "version",
                                                    "cpe",    "purl",    NULL};
    static const int required[] = {M_VENDOR, M_PRODUCT};
    struct csv_sheet sh;
    struct csv_rows r;
    int rc = csv_read_sheet(
        text, len, INVENTORY_CSV_MAX_BYTES, &lim, "vendor,product,version,cpe,purl", names,
        "vendor, product, version, cpe and purl", required, RB_ARRAY_LEN(required),
        "vendor and product; optional: version, cpe, purl", a, &sh, ei);
    if (!rc && !(rc = csv_sheet_rows(&sh, sizeof(struct inventory_row), INVENTORY_PROBLEMS_MAX,
                                     read_row, NULL, a, &r, ei)))
        *out = (struct inventory_file){r.rows, r.nrows, r.total, r.nbad, r.problems, r.nproblems};
    return rc;
}

int inventory_import(rb_db *db, const rb_actor *actor, const char *org_id,
                     const struct inventory_file *f, bool replace, inventory_progress_fn progress,
                     void *ctx, struct inventory_counts *out, rb_errinfo *ei)
{
    int rc = may_write(db, actor, org_id, ei);
    if (rc)
        return rc;
    if (f->nbad > 0)
        return csv_refuse_bad(ei, &f->problems[0], f->nbad, f->total);
    struct inventory_counts c = {.rows = f->nrows};
    rb_write w;
    if ((rc = write_begin(&w, db, actor, ei)))
        return rc;
    int64_t n = 0;
    if (replace && !(rc = count_items(db, org_id, &n))) {
        c.removed = (size_t)n;
        rc = db_exec(db, "DELETE FROM inventory WHERE org_id = ?1", DB_ARGS(DB_TEXT(org_id)));
    }
    for (size_t i = 0; !rc && i < f->nrows; i++) {
        char id[RB_ID_SIZE];
        bool added = false;
        rb_uuid_new(id);
        if ((rc = insert_item(&w, id, org_id, &f->rows[i].in, true, &added)))
            break;
        if (added)
            c.added++;
        else
            c.duplicates++;
        if (progress && ((i + 1) % 100 == 0 || i + 1 == f->nrows))
            progress(ctx, i + 1, f->nrows);
    }
    if (!rc && !(rc = count_items(db, org_id, &n))) {
        c.items = (size_t)n;
        if (n > INVENTORY_MAX)
            rc = rb_err(ei, RB_ECONFLICT, "",
                        "an inventory holds at most %d items, and this file would make it %" PRId64
                        "; import with replace, or remove some first",
                        INVENTORY_MAX, n);
    }
    rc = write_end(&w, rc, "inventory.import", &kind_inventory, org_id, org_id,
                   "cannot import the inventory");
    if (!rc)
        *out = c;
    return rc;
}

int inventory_export(rb_db *db, const rb_actor *actor, const char *org_id, rb_buf *out)
{
    int rc = may_read(db, actor, org_id);
    if (rc)
        return rc;
    static const char *const head[] = {"vendor", "product", "version", "cpe", "purl", NULL};
    csv_writer w;
    csv_writer_init(&w, out, 0);
    csv_header(&w, head);
    rb_stmt *st = NULL;
    if ((rc = db_query(db,
                       "SELECT vendor, product, version, cpe, purl FROM inventory WHERE org_id = "
                       "?1 ORDER BY " ITEM_ORDER,
                       DB_ARGS(DB_TEXT(org_id)), &st)))
        return rc;
    while ((rc = db_step(st)) == DB_ROW) {
        for (int m = 0; m < M__COUNT; m++)
            csv_text(&w, db_col_text(st, m));
        if ((rc = csv_end(&w)))
            break;
    }
    db_done(st);
    return rc == DB_DONE ? 0 : rc;
}
