/*
 * catalog.h - guideline catalogs: OSCAL catalogs imported (or shipped) and stored control by
 * control, searchable, exportable back to OSCAL.
 *
 * Owns catalogs, catalog_groups and controls. A catalog is a shareable object (kind "catalog"):
 * owned by the CERT that imported it, TLP GREEN by default (every org of the community reads it),
 * CLEAR or AMBER on request (AMBER is granted to the owner's subtree). Every read goes through the
 * sharing policy; importing needs the publish permission at a CERT. The "domain" of a control is
 * its top-level group; scores roll up by domain.
 */
#ifndef RABTA_CATALOG_H
#define RABTA_CATALOG_H

#include <stdbool.h>

#include "base/buf.h"
#include "base/mem.h"
#include "core/actor.h"
#include "db/db.h"
#include "formats/tlp.h"

typedef struct rb_catalog {
    char *id, *oscal_uuid, *title, *version, *oscal_version, *last_modified, *owner_org, *tlp,
        *created_at;
    int groups, controls, enhancements;
} rb_catalog;

typedef struct rb_catalog_group {
    char *oscal_id, *title;
    int depth;
    char *parent_id; /* the parent's oscal_id, NULL for a top-level group */
    int controls; /* controls directly or indirectly in the group */
} rb_catalog_group;

typedef struct rb_control {
    int idx, parent_idx; /* parent_idx -1 when none */
    char *oscal_id, *label, *title, *statement, *guidance, *objectives, *csf_function;
    char *domain_id, *domain_title;
    double weight;
    bool cii_only;
} rb_control;

struct catalog_import_stats {
    int groups, controls, enhancements;
};

/* The tlp of catalog_import that says: the document's own TLP marking (formats/oscal.h,
 * oscal_marking_read), else the catalog kind's default (GREEN). */
#define CATALOG_TLP_OF_DOCUMENT TLP__COUNT

/* Parses an OSCAL catalog and stores it, owned by the actor's org, in one transaction with its
 * audit entry. tlp is the one to store (an explicit choice wins over the document's marking), or
 * CATALOG_TLP_OF_DOCUMENT. Errors: RB_EINVAL with ei->field the JSON path of the first problem (nothing
 * stored), RB_EPERM (not a publisher at a CERT), RB_ETOOBIG. */
int catalog_import(rb_db *db, const rb_actor *actor, rb_arena *a, const char *json, size_t len,
                   enum rb_tlp tlp,
                   char out_id[RB_ID_SIZE], struct catalog_import_stats *stats, rb_errinfo *ei);

/* Catalogs the actor may read, newest first, after the catalog id `after_id` (cursor). */
int catalog_list(rb_db *db, const rb_actor *actor, const char *after_id, int limit, rb_arena *a,
                 rb_catalog **out, int *n, bool *more);
/* One catalog; RB_ENOTFOUND when absent or not readable. */
int catalog_get(rb_db *db, const rb_actor *actor, const char *id, rb_arena *a, rb_catalog *out);
/* The national guideline as actor sees it: the id of the oldest catalog of the root org that
 * actor may read (with newest, the latest) into out, "" when there is none. Returns 0 or
 * RB_EDB. */
int catalog_national(rb_db *db, const rb_actor *actor, bool newest, char out[RB_ID_SIZE]);

/* Every group of a readable catalog, in document order, with control counts. */
int catalog_groups(rb_db *db, const rb_actor *actor, const char *id, rb_arena *a,
                   rb_catalog_group **out, int *n);

struct control_filter {
    const char *q;      /* text found in the id, label, title or statement (case-insensitive) */
    const char *domain; /* a top-level group's OSCAL id */
    int after_idx;      /* cursor: the idx of the last control of the previous page, or -1 */
    int limit;
};
/* Controls of a readable catalog in document order. */
int catalog_controls(rb_db *db, const rb_actor *actor, const char *id,
                     const struct control_filter *f, rb_arena *a, rb_control **out, int *n,
                     bool *more);
/* One control by its OSCAL id ("ac-2.1"). */
int catalog_control(rb_db *db, const rb_actor *actor, const char *id, const char *oscal_id,
                    rb_arena *a, rb_control *out);

struct oscal_catalog;
/* The controls of catalog_id (at most ncontrols, its count) in document order into cat->controls
 * (ids, titles, groups, parents, and with_json their OSCAL JSON), counting cat->nenhancements; in
 * the arena. No policy check: the caller has read the catalog. Returns 0, RB_ENOMEM or RB_EDB. */
int catalog_control_tree(rb_db *db, const char *catalog_id, int ncontrols, bool with_json,
                         rb_arena *a, struct oscal_catalog *cat);

/* Writes a readable catalog back as OSCAL catalog JSON. */
int catalog_export(rb_db *db, const rb_actor *actor, const char *id, rb_buf *out);

/* How the API shows a catalog, one of its groups and one control: in full (with guidance and
 * objectives), or brief in lists (rjw_record, json/json.h). */
extern const struct rb_record catalog_record, catalog_group_record, control_record,
    control_brief_record;

#endif
