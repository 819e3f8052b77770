/*
 * org.h - the hierarchy: the National CERT at the root, CERTs below it, institutions as leaves.
 *
 * Owns the orgs and org_closure tables. Rules: exactly one national_cert, created by org_create_root
 * (rabta init); every other org has a CERT parent; institutions have no children; the tree has no
 * cycles (re-parenting refuses a new parent inside the org's own subtree) and at most RB_MAX_DEPTH
 * levels. CII institutions carry a grade (1 low .. 3 most critical) and a review date.
 * Every write audits itself in its transaction.
 */
#ifndef RABTA_ORG_H
#define RABTA_ORG_H

#include <stdbool.h>

#include "base/mem.h"
#include "core/actor.h"
#include "db/db.h"

typedef struct rb_org {
    char *id, *parent_id, *name, *short_name, *province, *sector, *cii_review_date, *created_at,
        *updated_at;
    enum rb_org_kind kind;
    bool cii;
    int cii_grade; /* 0 when not CII */
    int depth;     /* 0 for the root */
    int children;
} rb_org;

/* Input for create and update. For update, NULL strings and negative ints mean "unchanged", and
 * "" clears an optional string. */
typedef struct rb_org_input {
    const char *parent_id, *name, *short_name, *province, *sector, *cii_review_date;
    int kind;      /* enum rb_org_kind, or -1 */
    int cii;       /* 0, 1, or -1 */
    int cii_grade; /* 1..3, 0 to clear, or -1 */
} rb_org_input;

void org_input_init(rb_org_input *in);

/* Province and sector codes accepted (NULL-terminated) and their display names. */
extern const char *const rb_provinces[];
extern const char *const rb_province_names[];
extern const char *const rb_sectors[];

/* Creates the National CERT (the root). RB_ECONFLICT when one exists. */
int org_create_root(rb_db *db, const rb_actor *actor, const char *name, const char *short_name,
                    char out_id[RB_ID_SIZE], rb_errinfo *ei);

/* Creates an org below in->parent_id. The actor must be an admin whose org is the parent or above
 * it (the national admin anywhere). Errors: RB_EINVAL (field named), RB_ENOTFOUND (parent not
 * visible), RB_EPERM, RB_ECONFLICT (a sibling has that name). */
int org_create(rb_db *db, const rb_actor *actor, const rb_org_input *in, char out_id[RB_ID_SIZE],
               rb_errinfo *ei);

/* Updates an org: by its own admin, or an admin of a CERT above it. Only the national admin may
 * move an org (parent_id). What it reads lives in a (the caller's arena). */
int org_update(rb_db *db, const rb_actor *actor, const char *id, const rb_org_input *in,
               rb_arena *a, rb_errinfo *ei);

/* Reads one org the actor may see (own, ancestors, subtree). RB_ENOTFOUND otherwise. */
int org_get(rb_db *db, const rb_actor *actor, const char *id, rb_arena *a, rb_org *out);

struct org_filter {
    const char *root;     /* only this org and its subtree */
    const char *kind;
    const char *province;
    const char *sector;
    const char *q;        /* substring of the name, case-insensitive */
    int cii;              /* -1 any, 0, 1 */
    const char *after_id; /* cursor: the last id of the previous page */
    int limit;
};

/* Lists the orgs the actor may see, in tree order by level (depth, name). Fills at most
 * f->limit rows in the arena; *more is true when another page follows. */
int org_list(rb_db *db, const rb_actor *actor, const struct org_filter *f, rb_arena *a,
             rb_org **out, int *n, bool *more);

/* The one JSON object the API and the CLI use for an org (rjw_record, json/json.h). */
extern const struct rb_record org_record;

struct kind_ref;
/* kind_org's load (core/kind.h): an org the actor may see; its owner is itself. */
int org_kind_load(rb_db *db, const rb_actor *actor, const char *id, struct kind_ref *out);

/* Loads id's kind and ancestors. RB_ENOTFOUND when there is no such org. No policy check. */
int org_ref_load(rb_db *db, const char *id, rb_orgref *out);
/* Fills out->ancestors for out->id (already set). */
int org_ref_ancestors(rb_db *db, rb_orgref *out);
/* The root's ref, RB_ENOTFOUND before `rabta init`. */
int org_root(rb_db *db, rb_orgref *out);
/* Number of orgs in the database. */
int org_count(rb_db *db, int64_t *out);

#endif
