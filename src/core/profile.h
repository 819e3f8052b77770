/*
 * profile.h - profiles: a selection of a catalog's controls and the orgs it applies to.
 *
 * Owns profiles and profile_controls. A profile comes from an OSCAL profile document (imports with
 * include-all / include-controls / exclude-controls, resolved against a catalog in the store or
 * bound explicitly) or is made by ticking controls. Applicability says to whom it applies: org
 * kinds, sectors, CII only, a minimum CII grade. A profile reaches exactly as far as its catalog
 * (the catalog's TLP and grants are copied); creating one needs the publish permission at a CERT.
 */
#ifndef RABTA_PROFILE_H
#define RABTA_PROFILE_H

#include <stdbool.h>

#include "base/mem.h"
#include "core/actor.h"
#include "core/org.h"
#include "db/db.h"

#define PROFILE_MAX_LIST 16

/* To whom a profile applies. Empty lists mean "any". */
struct profile_applicability {
    int nkinds;
    enum rb_org_kind kinds[KIND__COUNT];
    int nsectors;
    const char *sectors[PROFILE_MAX_LIST];
    bool cii_only;
    int min_cii_grade; /* 0: any; else CII institutions of at least this grade */
};

/* True when the profile applies to org (pure; tested by unit tests). */
bool profile_applies(const struct profile_applicability *ap, const rb_org *org);

/* Parses "institution,provincial_cert" / "health,energy" lists into ap; RB_EINVAL naming the
 * field ("applies_kinds" / "applies_sectors") on an unknown name. Strings must outlive ap. */
int profile_applicability_parse(struct profile_applicability *ap, const char *kinds,
                                const char *sectors, rb_arena *a, rb_errinfo *ei);

typedef struct rb_profile {
    char *id, *catalog_id, *catalog_title, *oscal_uuid, *title, *version, *owner_org, *tlp,
        *created_at;
    char *applies_kinds, *applies_sectors; /* comma-separated, NULL = any */
    bool cii_only;
    int min_cii_grade;
    int controls;
} rb_profile;

/* Imports an OSCAL profile. Its imports are resolved against catalog_id when given, else by the
 * href ("#<uuid>" of a stored catalog). Errors: RB_EINVAL with the JSON path, RB_ENOTFOUND (the
 * catalog cannot be found: bind it with catalog_id), RB_EPERM. *selected gets the control count. */
int profile_import(rb_db *db, const rb_actor *actor, rb_arena *a, const char *json, size_t len,
                   const char *catalog_id, const struct profile_applicability *ap,
                   char out_id[RB_ID_SIZE], int *selected, rb_errinfo *ei);

/* Makes a profile from ticked controls (OSCAL ids of catalog_id). */
int profile_create(rb_db *db, const rb_actor *actor, rb_arena *a, const char *catalog_id,
                   const char *title,
                   const char *const *control_ids, int ncontrols,
                   const struct profile_applicability *ap, char out_id[RB_ID_SIZE],
                   rb_errinfo *ei);

int profile_get(rb_db *db, const rb_actor *actor, const char *id, rb_arena *a, rb_profile *out);
int profile_list(rb_db *db, const rb_actor *actor, const char *after_id, int limit, rb_arena *a,
                 rb_profile **out, int *n, bool *more);
/* The OSCAL ids of the profile's controls, in catalog order. */
int profile_control_ids(rb_db *db, const rb_actor *actor, const char *id, rb_arena *a,
                        char ***out, int *n);
/* Fills ap from a stored profile. */
void profile_applicability_of(const rb_profile *p, struct profile_applicability *ap,
                              rb_arena *a);

/* How the API shows a profile (rjw_record, json/json.h). */
extern const struct rb_record profile_record;

#endif
