/*
 * policy.c - the sharing policy and the permission table.
 *
 * Pure functions over rb_orgref and policy_object: no database, no clock. The one database-facing
 * piece is policy_bind for the SQL predicate in policy.h. Must never grant access by rank.
 */
#include "base/common.h"
#include "core/kind.h"
#include "core/policy.h"

const char *const rb_scope_names[] = {"org", "subtree", NULL};
const struct rb_mtype rb_scope_mtype = {.kind = RB_MT_ENUM,
                                        .size = sizeof(enum rb_scope),
                                        .names = rb_scope_names,
                                        .fallback = SCOPE_ORG};

#define R(role) (1u << (role))
#define R_ALL (R(ROLE_ADMIN) | R(ROLE_ANALYST) | R(ROLE_REPORTER) | R(ROLE_VIEWER) | R(ROLE_AUDITOR))

const struct perm_row rb_perm_table[PERM__COUNT] = {
    {PERM_READ, "read", "read", R_ALL},
    {PERM_REPORT, "report", "report incidents or fill in assessments and risks",
     R(ROLE_ADMIN) | R(ROLE_ANALYST) | R(ROLE_REPORTER)},
    {PERM_TRIAGE, "triage", "triage, escalate or review", R(ROLE_ADMIN) | R(ROLE_ANALYST)},
    {PERM_PUBLISH, "publish", "publish catalogs, profiles, campaigns or advisories",
     R(ROLE_ADMIN) | R(ROLE_ANALYST)},
    {PERM_SHARE, "share", "share objects with other orgs", R(ROLE_ADMIN) | R(ROLE_ANALYST)},
    {PERM_ORG_MANAGE, "org_manage", "create or change orgs", R(ROLE_ADMIN)},
    {PERM_USER_MANAGE, "user_manage", "create, disable or reset users", R(ROLE_ADMIN)},
    {PERM_USER_READ, "user_read", "list users (admins and auditors do)",
     R(ROLE_ADMIN) | R(ROLE_AUDITOR)},
    {PERM_AUDIT_READ, "audit_read", "read the audit trail (admins and auditors do)",
     R(ROLE_ADMIN) | R(ROLE_AUDITOR)},
    {PERM_TOKEN_OWN, "token_own", "hold API tokens", R_ALL},
    {PERM_RISK_ACCEPT, "risk_accept", "accept risks (an admin of the org does, with a reason)",
     R(ROLE_ADMIN)},
};

bool policy_can(const rb_actor *actor, enum rb_perm perm)
{
    if (actor->system)
        return true;
    if ((int)perm < 0 || perm >= PERM__COUNT)
        return false;
    return (rb_perm_table[perm].roles & R(actor->role)) != 0;
}

bool policy_is_ancestor(const char *anc_id, const rb_orgref *o)
{
    for (int i = 0; i < o->nanc; i++)
        if (strcmp(o->ancestors[i], anc_id) == 0)
            return true;
    return false;
}

bool policy_in_subtree(const char *root_id, const rb_orgref *o)
{
    return strcmp(o->id, root_id) == 0 || policy_is_ancestor(root_id, o);
}

bool policy_may_see_org(const rb_actor *actor, const rb_orgref *o)
{
    if (actor->system)
        return true;
    return policy_in_subtree(actor->org.id, o) || policy_is_ancestor(o->id, &actor->org);
}

bool policy_may_read(const rb_orgref *viewer, const struct policy_object *obj)
{
    bool signed_in = viewer != NULL;
    switch (obj->tlp) {
    case TLP_CLEAR:
        if (signed_in || obj->public_kind)
            return true;
        break;
    case TLP_GREEN:
        if (signed_in)
            return true;
        break;
    default:
        break;
    }
    if (!signed_in)
        return false;
    if (obj->owner_org && strcmp(obj->owner_org, viewer->id) == 0)
        return true;
    for (size_t i = 0; i < obj->ngrants; i++) {
        const struct policy_grant *g = &obj->grants[i];
        if (strcmp(g->org_id, viewer->id) == 0)
            return true;
        /* Only AMBER lets a subtree grant reach below the granted org. */
        if (obj->tlp == TLP_AMBER && g->scope == SCOPE_SUBTREE &&
            policy_is_ancestor(g->org_id, viewer))
            return true;
    }
    return false;
}

bool policy_may_read_ix(const struct policy_viewer_ix *v, enum rb_tlp tlp, bool public_kind,
                        uint32_t owner, const uint32_t *grants, int ngrants)
{
    bool signed_in = v->org != POLICY_IX_NONE;
    if (v->all || (tlp == TLP_CLEAR && (signed_in || public_kind)) ||
        (tlp == TLP_GREEN && signed_in))
        return true;
    if (!signed_in)
        return false;
    if (owner == v->org)
        return true;
    for (int i = 0; i < ngrants; i++) {
        uint32_t org = grants[i] >> 1;
        if (org == v->org)
            return true;
        if (tlp == TLP_AMBER && (grants[i] & 1u))
            for (int k = 0; k < v->nanc; k++)
                if (v->anc[k] == org)
                    return true;
    }
    return false;
}

int policy_may_grant(const rb_actor *actor, const struct policy_object *obj,
                     const rb_orgref *target, enum rb_scope scope, rb_errinfo *ei)
{
    if (!policy_can(actor, PERM_SHARE))
        return rb_err(ei, RB_EPERM, "", "your role may not share objects");
    bool owner = actor->system || (obj->owner_org && strcmp(obj->owner_org, actor->org.id) == 0);
    if (scope == SCOPE_SUBTREE && (obj->tlp == TLP_AMBER_STRICT || obj->tlp == TLP_RED))
        return rb_err(ei, RB_EINVAL, "scope",
                      "TLP:%s may only be shared with single orgs (scope \"org\"), not a subtree",
                      tlp_name(obj->tlp));
    if (owner)
        return 0;
    if (!policy_may_read(&actor->org, obj))
        return rb_err(ei, RB_ENOTFOUND, "", "not found");
    switch (obj->tlp) {
    case TLP_CLEAR:
        return rb_err(ei, RB_EPERM, "", "only the owner shares TLP:CLEAR objects");
    case TLP_GREEN:
        /* Recipients may share within the community, which is the whole deployment. */
        return 0;
    case TLP_AMBER:
        if (!rb_org_kind_is_cert(actor->org.kind))
            return rb_err(ei, RB_EPERM, "",
                          "only a CERT may forward TLP:AMBER it received, and only to its "
                          "constituents or its ancestor CERTs");
        if (policy_in_subtree(actor->org.id, target))
            return 0; /* down to its own constituents */
        if (policy_is_ancestor(target->id, &actor->org) && scope == SCOPE_ORG)
            return 0; /* up to its ancestor CERTs */
        return rb_err(ei, RB_EPERM, "org_id",
                      "a recipient of TLP:AMBER may forward it only to its own constituents or, "
                      "with scope \"org\", to its ancestor CERTs");
    default:
        return rb_err(ei, RB_EPERM, "", "only the owner shares TLP:%s objects",
                      tlp_name(obj->tlp));
    }
}

int policy_may_set_tlp(const rb_actor *actor, const struct policy_object *obj, enum rb_tlp to,
                       rb_errinfo *ei)
{
    bool owner = actor->system || (obj->owner_org && strcmp(obj->owner_org, actor->org.id) == 0);
    if (to < obj->tlp && !owner)
        return rb_err(ei, RB_EPERM, "tlp", "only the owner may lower the TLP (from %s to %s)",
                      tlp_name(obj->tlp), tlp_name(to));
    return 0;
}

int policy_bind_actor(rb_stmt *st, const rb_actor *actor, const struct rb_kind *k)
{
    int rc = policy_bind(st, actor ? &actor->org : NULL, k);
    if (!rc)
        rc = db_bind_int(st, 104, actor && actor->system ? 1 : 0);
    return rc;
}

int policy_bind(rb_stmt *st, const rb_orgref *viewer, const struct rb_kind *k)
{
    int rc = viewer ? db_bind_text(st, 101, viewer->id) : db_bind_null(st, 101);
    if (!rc)
        rc = db_bind_text(st, 102, k->name);
    if (!rc)
        rc = db_bind_int(st, 103, k->public_kind ? 1 : 0);
    return rc;
}
