/*
 * share.h - grants and TLP changes for every shareable kind: the only code that writes the
 * grants table.
 *
 * A shareable object (core/kind.h) has an owner org, a TLP and grants (org, scope). share makes
 * the grants a kind gives every new object (its row's `grants`: the owner's subtree, its parent
 * CERT, every CERT above it), copies grants from one object to another (a profile reaches as far
 * as its catalog), adds grants by the policy's rules (policy_may_grant) and changes the TLP by
 * them (policy_may_set_tlp, then the kind's check_reach). What follows an object (a catalog's profiles) gets the same grants
 * and TLP in the same write. Every change is audited as "<kind>.share" or "<kind>.tlp" and, for
 * kinds with a timeline, recorded there too.
 */
#ifndef RABTA_SHARE_H
#define RABTA_SHARE_H

#include "base/mem.h"
#include "core/actor.h"
#include "core/policy.h"
#include "core/write.h"
#include "db/db.h"
#include "formats/tlp.h"

struct rb_kind;

typedef struct rb_grant {
    char *org_id, *org_name, *scope, *granted_by, *created_at;
} rb_grant;

/* Inside w: the grants k->grants gives a new object owned by owner_org. */
int share_defaults(rb_write *w, const struct rb_kind *k, const char *object_id,
                   const char *owner_org);

/* Inside w: grants (k, object_id) to org_id by the kind's own rule rather than a person's choice
 * (an incident's handling CERT, each escalation): the caller has decided it may; no policy
 * check. A grant that exists already is widened from org to subtree, never narrowed. */
int share_grant(rb_write *w, const struct rb_kind *k, const char *object_id, const char *org_id,
                enum rb_scope scope);

/* Inside w: gives (to, to_id) every grant of (from, from_id). */
int share_copy(rb_write *w, const struct rb_kind *from, const char *from_id,
               const struct rb_kind *to, const char *to_id);

/* Shares a readable object with org_id (scope org or subtree), as policy_may_grant allows; a
 * grant that exists already is widened from org to subtree, never narrowed. Errors (ei says why):
 * RB_ENOTFOUND (the object is not readable, or field "org_id": no such org), RB_EPERM, RB_EINVAL
 * (a subtree grant on AMBER+STRICT or RED). */
int share_add(rb_db *db, const rb_actor *actor, rb_arena *a, const struct rb_kind *k,
              const char *object_id, const char *org_id, enum rb_scope scope, rb_errinfo *ei);

/* The grants of a readable object, by org name. Rows live in the arena. */
int share_list(rb_db *db, const rb_actor *actor, const struct rb_kind *k, const char *object_id,
               rb_arena *a, rb_grant **out, int *n);

/* Inside w: changes the TLP of an object the caller has loaded, by the same rules as
 * share_set_tlp (records it in the timeline; nothing when it is the TLP already). */
int share_tlp_in(rb_write *w, const struct rb_kind *k, const char *object_id, enum rb_tlp to,
                 rb_errinfo *ei);

/* The JSON object the API uses for a grant (rjw_record, json/json.h). */
extern const struct rb_record share_grant_record;

/* Changes a readable object's TLP as policy_may_set_tlp allows (only the owner lowers it; any
 * sharer the route lets write it may raise it) and as the kind allows (k->tlp_allowed), then asks
 * k->check_reach, inside the same write, whether what other objects show of it still reaches only
 * its readers (a catalog's campaigns). Errors: RB_ENOTFOUND, RB_EPERM, RB_EINVAL (field "tlp"). */
int share_set_tlp(rb_db *db, const rb_actor *actor, rb_arena *a, const struct rb_kind *k,
                  const char *object_id, enum rb_tlp to, rb_errinfo *ei);

#endif
