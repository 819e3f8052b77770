/*
 * policy.h - the sharing policy (DESIGN §5) and the permission table. The heart of rabta.
 *
 * Every read of a shareable object goes through policy_may_read (one object) or the SQL form
 * POLICY_SQL_READABLE (lists, counts, roll-ups); the two are the same rule and a randomized test
 * proves they agree. A refused read is reported as "not found" by callers, never "forbidden".
 *
 * Rules, made exact:
 *   CLEAR        anyone signed in; also anonymous callers where the kind is public
 *   GREEN        anyone signed in (the community is the whole deployment)
 *   AMBER        the owner; each granted org; for a `subtree` grant, every org below it
 *   AMBER+STRICT the owner; each granted org itself (a subtree grant reads as an org grant)
 *   RED          as AMBER+STRICT
 * Rank gives no implicit access: an ancestor CERT reads only what it was granted.
 */
#ifndef RABTA_POLICY_H
#define RABTA_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/actor.h"
#include "db/db.h"
#include "formats/tlp.h"

enum rb_scope { SCOPE_ORG = 0, SCOPE_SUBTREE = 1 };
extern const char *const rb_scope_names[]; /* "org", "subtree", NULL */
extern const struct rb_mtype rb_scope_mtype; /* by those names (base/record.h) */

struct policy_grant {
    const char *org_id;
    enum rb_scope scope;
};

/* What the policy needs to know about a shareable object. */
struct policy_object {
    const char *owner_org;
    enum rb_tlp tlp;
    bool public_kind; /* CLEAR objects of this kind may be read without signing in */
    const struct policy_grant *grants;
    size_t ngrants;
};

/* The reader; `org` NULL means an anonymous caller. */
bool policy_may_read(const rb_orgref *viewer, const struct policy_object *obj);

/* May `actor` add the grant (target, scope) to obj? `target` must carry its ancestors.
 * Returns 0, RB_EPERM (with ei saying why), or RB_EINVAL for a scope the TLP refuses. */
int policy_may_grant(const rb_actor *actor, const struct policy_object *obj,
                     const rb_orgref *target, enum rb_scope scope, rb_errinfo *ei);

/* May `actor` change obj's TLP to `to`? Only the owner lowers it; any writer may raise it. */
int policy_may_set_tlp(const rb_actor *actor, const struct policy_object *obj, enum rb_tlp to,
                       rb_errinfo *ei);

/*
 * The same rule as policy_may_read, as an SQL predicate over an object row aliased `o` with
 * columns id, owner_org and tlp (the TLP name). Placeholders: ?101 the viewer's org id (NULL for
 * anonymous), ?102 the object kind as stored in grants.object_kind, ?103 1 when the kind is
 * public, ?104 1 for the local operator (the CLI), who reads everything. Bind them with
 * policy_bind or policy_bind_actor.
 */
#define POLICY_SQL_READABLE POLICY_SQL_READABLE_AS("o", "?102", "?103")

/*
 * The same predicate over another alias, for a second kind in the same statement (counting the
 * readable assessments of each campaign, say): A is the alias ("a"), KIND the kind as an SQL
 * literal ("'assessment'") and PUBLIC "1" or "0". The viewer placeholders ?101 and ?104 are shared.
 */
#define POLICY_SQL_READABLE_AS(A, KIND, PUBLIC)                                                    \
    "(?104 = 1 OR (" A ".tlp = 'CLEAR' AND (?101 IS NOT NULL OR " PUBLIC " = 1))"                  \
    " OR (" A ".tlp = 'GREEN' AND ?101 IS NOT NULL)"                                               \
    " OR " A ".owner_org = ?101"                                                                   \
    " OR EXISTS (SELECT 1 FROM grants g WHERE g.object_kind = " KIND " AND g.object_id = " A       \
    ".id AND (g.org_id = ?101 OR (" A ".tlp = 'AMBER' AND g.scope = 'subtree' AND EXISTS (SELECT"  \
    " 1 FROM org_closure c WHERE c.ancestor_id = g.org_id AND c.descendant_id = ?101)))))"

/*
 * The rule for a signed-in org given as an SQL expression VIEWER (a column such as "g.id"), not a
 * bound viewer: "may that org read object A?". For questions about many readers at once (may every
 * org that a campaign reaches read its catalog?). Never true for the local operator by rank.
 */
#define POLICY_SQL_READABLE_BY(A, KIND, VIEWER)                                                    \
    "(" A ".tlp IN ('CLEAR', 'GREEN') OR " A ".owner_org = " VIEWER                               \
    " OR EXISTS (SELECT 1 FROM grants g2 WHERE g2.object_kind = " KIND " AND g2.object_id = " A   \
    ".id AND (g2.org_id = " VIEWER " OR (" A ".tlp = 'AMBER' AND g2.scope = 'subtree' AND EXISTS"  \
    " (SELECT 1 FROM org_closure c2 WHERE c2.ancestor_id = g2.org_id AND c2.descendant_id = "      \
    VIEWER ")))))"

/*
 * The same rule over org numbers, for in-memory indexes that check a million objects in one
 * request (core/incident_index): orgs are numbered by the index, an object's grants are numbers
 * POLICY_IX_GRANT(org, subtree). The randomized test proves it agrees with policy_may_read.
 */
#define POLICY_IX_NONE UINT32_MAX
#define POLICY_IX_GRANT(org, subtree) ((((uint32_t)(org)) << 1) | ((subtree) ? 1u : 0u))
struct policy_viewer_ix {
    uint32_t org;               /* POLICY_IX_NONE: an anonymous caller */
    int nanc;
    uint32_t anc[RB_MAX_DEPTH]; /* the viewer's ancestors */
    bool all;                   /* the local operator (the CLI) reads everything */
};
bool policy_may_read_ix(const struct policy_viewer_ix *v, enum rb_tlp tlp, bool public_kind,
                        uint32_t owner, const uint32_t *grants, int ngrants);

struct rb_kind;
/* Binds ?101-?104 for viewer reading objects of kind k (core/kind.h). */
int policy_bind(rb_stmt *st, const rb_orgref *viewer, const struct rb_kind *k);
/* The same for an actor (NULL: anonymous); a system actor reads everything. */
int policy_bind_actor(rb_stmt *st, const rb_actor *actor, const struct rb_kind *k);

/* ---- permissions: what each role may do, as one table ---- */
enum rb_perm {
    PERM_READ = 0,     /* read what the sharing policy allows */
    PERM_REPORT,       /* report incidents, acknowledge advisories, fill assessments and risks */
    PERM_TRIAGE,       /* triage, forward, escalate, review */
    PERM_PUBLISH,      /* publish advisories, catalogs, campaigns, trainings */
    PERM_SHARE,        /* add grants */
    PERM_ORG_MANAGE,   /* create and update orgs below one's own */
    PERM_USER_MANAGE,  /* create, disable, reset users */
    PERM_USER_READ,    /* list users */
    PERM_AUDIT_READ,   /* read the audit trail */
    PERM_TOKEN_OWN,    /* create and revoke one's own API tokens */
    PERM_RISK_ACCEPT,  /* accept a risk of one's own org's register (admins) */
    PERM__COUNT
};

struct perm_row {
    enum rb_perm perm;
    const char *name;
    const char *what; /* "share objects": completes "your role may not ..." */
    unsigned roles; /* bit (1 << role) for each role that holds it */
};
extern const struct perm_row rb_perm_table[PERM__COUNT];

/* True when the actor's role holds perm (system actors hold all). */
bool policy_can(const rb_actor *actor, enum rb_perm perm);

/* Tree helpers over rb_orgref. */
bool policy_in_subtree(const char *root_id, const rb_orgref *o); /* o == root or below it */
bool policy_is_ancestor(const char *anc_id, const rb_orgref *o); /* strictly above o */
/* Orgs a user may see in the directory: their own, their ancestors and their subtree. */
bool policy_may_see_org(const rb_actor *actor, const rb_orgref *o);

#endif
