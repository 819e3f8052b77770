/*
 * profile.h - profiles: a tailoring of a catalog's controls and the orgs it applies to.
 *
 * Owns profiles and profile_controls. A profile comes from an OSCAL profile document or is made by
 * ticking controls (and is then written as the OSCAL profile that selects them). Either way it is
 * resolved as the OSCAL 1.1.2 profile-resolution specification says (formats/oscal.h:
 * oscal_profile_resolve: imports, merge, modify) when it is stored, and the resolved catalog is
 * kept with it: each of its controls has the text that catalog gives it (parameters set, parts
 * added or removed), which is what a campaign of the profile asks and an assessment shows. The
 * controls all come from one stored catalog, the profile's catalog_id.
 *
 * What an import names (docs/decisions.md, "How an import names a stored catalog or profile"):
 * an href, or the rlinks of the back-matter resource an href "#uuid" names, is rabta's address of
 * a stored catalog or profile ("/api/v1/catalogs/<id>/oscal", "/api/v1/profiles/<id>", absolute
 * or relative: what matters is the path's end "catalogs/<id>" or "profiles/<id>", optionally
 * followed by "/oscal" or, for a profile, "/resolved"), or "urn:uuid:<uuid>", the OSCAL uuid of a
 * stored catalog (the newest import of it), else of a stored profile. rabta never fetches a URL.
 * A profile imported from a stored profile imports that profile's resolved catalog.
 *
 * Applicability says to whom it applies: org kinds, sectors, CII only, a minimum CII grade. A
 * profile reaches exactly as far as its catalog (the catalog's TLP and grants are copied);
 * creating one needs the publish permission at a CERT.
 */
#ifndef RABTA_PROFILE_H
#define RABTA_PROFILE_H

#include <stdbool.h>

#include "base/buf.h"
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

/* The "resolution-tool" of the catalogs rabta resolves. */
#define PROFILE_TOOL "rabta 0.1.0"

/* Imports an OSCAL profile and resolves it: its imports name stored catalogs or profiles (see
 * above), or, when catalog_id is given, every import of the profile itself is that catalog.
 * Errors: RB_EINVAL with the JSON path (of the profile; an imported profile's failure is named in
 * the message); RB_ENOTFOUND, field "catalog": an import names nothing the actor may read (import
 * it first, or bind the profile with catalog_id); RB_EPERM. *selected gets the control count
 * (ancestors of the controls listed included). */
int profile_import(rb_db *db, const rb_actor *actor, rb_arena *a, const char *json, size_t len,
                   const char *catalog_id, const struct profile_applicability *ap,
                   char out_id[RB_ID_SIZE], int *selected, rb_errinfo *ei);

/* Makes a profile from ticked controls (OSCAL ids of catalog_id): exactly those, in the
 * catalog's groups; its OSCAL document is kept (profile_export). */
int profile_create(rb_db *db, const rb_actor *actor, rb_arena *a, const char *catalog_id,
                   const char *title, const char *const *control_ids, int ncontrols,
                   const struct profile_applicability *ap, char out_id[RB_ID_SIZE], rb_errinfo *ei);

int profile_get(rb_db *db, const rb_actor *actor, const char *id, rb_arena *a, rb_profile *out);
int profile_list(rb_db *db, const rb_actor *actor, const char *after_id, int limit, rb_arena *a,
                 rb_profile **out, int *n, bool *more);
/* The OSCAL ids of the profile's controls, in catalog order. */
int profile_control_ids(rb_db *db, const rb_actor *actor, const char *id, rb_arena *a, char ***out,
                        int *n);
/* Appends the profile as an OSCAL profile document {"profile": ...}: the document it was
 * imported from, as it was given; a profile made by ticking controls as the profile that selects
 * them (include-controls, exclude-controls for their ancestors that were not ticked, merge as-is,
 * its catalog named by a back-matter resource). RB_ENOTFOUND when the actor may not read it;
 * RB_ETOOBIG at out's cap; RB_EDB. */
int profile_export(rb_db *db, const rb_actor *actor, const char *id, rb_buf *out);

/* Appends the profile's resolved catalog (OSCAL catalog JSON, with the "resolution-tool" and
 * "source-profile-uuid" props and the "source-profile" link to /api/v1/profiles/<id>/oscal), as
 * it was made when the profile was stored. RB_ENOTFOUND when the actor may not read it; for a
 * profile stored before rabta kept them, the errors of resolving it now (ei says why). */
int profile_resolved(rb_db *db, const rb_actor *actor, const char *id, rb_buf *out, rb_errinfo *ei);

/* Fills ap from a stored profile. */
void profile_applicability_of(const rb_profile *p, struct profile_applicability *ap, rb_arena *a);

/* How the API shows a profile (rjw_record, json/json.h). */
extern const struct rb_record profile_record;

#endif
