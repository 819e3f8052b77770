/*
 * share.c - grants: defaults at creation, copies, additions and TLP changes by the policy.
 *
 * Must never write a grant the policy refuses, or change an object's reach without changing the
 * reach of what follows it.
 */
#include "base/common.h"
#include "base/utf8.h"
#include "core/history.h"
#include "core/kind.h"
#include "core/org.h"
#include "core/share.h"
#include "json/json.h"

/* Inserts one grant (widening org to subtree when it exists), inside w. */
static int put_grant(rb_write *w, const struct rb_kind *k, const char *object_id,
                     const char *org_id, enum rb_scope scope)
{
    return db_exec(w->db,
                   "INSERT INTO grants(object_kind, object_id, org_id, scope, granted_by, "
                   "created_at) VALUES (?1,?2,?3,?4,?5,?6) ON CONFLICT (object_kind, object_id, "
                   "org_id) DO UPDATE SET scope = excluded.scope WHERE grants.scope = 'org'",
                   DB_ARGS(DB_TEXT(k->name), DB_TEXT(object_id), DB_TEXT(org_id),
                           DB_TEXT(rb_scope_names[scope]), DB_TEXT(w->actor->label),
                           DB_TEXT(w->now)));
}

int share_defaults(rb_write *w, const struct rb_kind *k, const char *object_id,
                   const char *owner_org)
{
    int rc = 0;
    if (k->grants & KGRANT_OWNER_SUBTREE)
        rc = put_grant(w, k, object_id, owner_org, SCOPE_SUBTREE);
    if (!rc && (k->grants & (KGRANT_ANCESTORS | KGRANT_PARENT)))
        rc = db_exec(w->db,
                     "INSERT INTO grants(object_kind, object_id, org_id, scope, granted_by, "
                     "created_at) SELECT ?1, ?2, ancestor_id, 'org', ?4, ?5 FROM org_closure "
                     "WHERE descendant_id = ?3 AND depth > 0 AND (?6 = 0 OR depth = 1) ON "
                     "CONFLICT DO NOTHING",
                     DB_ARGS(DB_TEXT(k->name), DB_TEXT(object_id), DB_TEXT(owner_org),
                             DB_TEXT(w->actor->label), DB_TEXT(w->now),
                             DB_INT((k->grants & KGRANT_ANCESTORS) ? 0 : 1)));
    return rc;
}

int share_copy(rb_write *w, const struct rb_kind *from, const char *from_id,
               const struct rb_kind *to, const char *to_id)
{
    return db_exec(w->db,
                   "INSERT INTO grants(object_kind, object_id, org_id, scope, granted_by, "
                   "created_at) SELECT ?3, ?4, org_id, scope, ?5, ?6 FROM grants WHERE "
                   "object_kind = ?1 AND object_id = ?2 ON CONFLICT DO NOTHING",
                   DB_ARGS(DB_TEXT(from->name), DB_TEXT(from_id), DB_TEXT(to->name), DB_TEXT(to_id),
                           DB_TEXT(w->actor->label), DB_TEXT(w->now)));
}

/* What the policy reads of an object (kind->tlp_sql's columns) and of each of its grants. */
static const struct rb_member policy_object_members[] = {
    RB_HIDDEN_MEMBERS(struct policy_object, owner_org),
    RB_HIDDEN(struct policy_object, tlp, tlp_mtype),
};
static const struct rb_record policy_object_record =
    RB_RECORD(struct policy_object, policy_object_members);
static const struct rb_member policy_grant_members[] = {
    RB_HIDDEN_MEMBERS(struct policy_grant, org_id),
    RB_HIDDEN(struct policy_grant, scope, rb_scope_mtype),
};
static const struct rb_record policy_grant_record =
    RB_RECORD(struct policy_grant, policy_grant_members);

/* The policy's view of an object: owner, TLP, grants (in the arena). */
static int load_object(rb_db *db, const struct rb_kind *k, const char *id, rb_arena *a,
                       struct policy_object *obj)
{
    memset(obj, 0, sizeof(*obj));
    obj->public_kind = k->public_kind;
    int n = 0;
    int rc = db_query_one(db, k->tlp_sql, DB_ARGS(DB_TEXT(id)), a, &policy_object_record, obj);
    if (!rc)
        rc = db_query_rows(db,
                           "SELECT org_id, scope FROM grants WHERE object_kind = ?1 AND "
                           "object_id = ?2 ORDER BY org_id",
                           DB_ARGS(DB_TEXT(k->name), DB_TEXT(id)), &policy_grant_record, a,
                           &obj->grants, &n);
    obj->ngrants = (size_t)n;
    return rc;
}

/* Calls fn on each object that follows (k, id) (k->follower, found by k->followers_sql). */
static int each_follower(rb_write *w, const struct rb_kind *k, const char *id,
                         int (*fn)(rb_write *w, const struct rb_kind *fk, const char *fid,
                                   const void *arg),
                         const void *arg)
{
    if (!k->follower)
        return 0;
    rb_stmt *st = NULL;
    int rc = db_query(w->db, k->followers_sql, DB_ARGS(DB_TEXT(id)), &st);
    if (rc)
        return rc;
    /* Collected first: the statement may not stay open across the writes. */
    const struct rb_id_row *f = NULL;
    int n = 0;
    rc = db_rows(st, &rb_id_row_record, write_arena(w), &f, &n);
    for (int i = 0; !rc && i < n; i++)
        rc = fn(w, k->follower, f[i].id, arg);
    return rc;
}

struct grant_arg {
    const char *org_id;
    enum rb_scope scope;
};

static int follow_grant(rb_write *w, const struct rb_kind *fk, const char *fid, const void *arg)
{
    const struct grant_arg *g = arg;
    return put_grant(w, fk, fid, g->org_id, g->scope);
}

static int follow_tlp(rb_write *w, const struct rb_kind *fk, const char *fid, const void *arg)
{
    return db_exec(w->db, fk->set_tlp_sql,
                   DB_ARGS(DB_TEXT(fid), DB_TEXT(tlp_name(*(const enum rb_tlp *)arg))));
}

int share_grant(rb_write *w, const struct rb_kind *k, const char *object_id, const char *org_id,
                enum rb_scope scope)
{
    int rc = put_grant(w, k, object_id, org_id, scope);
    if (!rc)
        rc = each_follower(w, k, object_id, follow_grant, &(struct grant_arg){org_id, scope});
    return rc;
}

int share_add(rb_db *db, const rb_actor *actor, rb_arena *a, const struct rb_kind *k,
              const char *object_id, const char *org_id, enum rb_scope scope, rb_errinfo *ei)
{
    struct kind_ref ref;
    int rc = kind_load(k, db, actor, object_id, &ref);
    if (rc)
        return rb_err(ei, rc, "", "not found");
    rb_orgref target;
    if (org_ref_load(db, org_id, &target))
        return rb_err(ei, RB_ENOTFOUND, "org_id", "no org with that org_id");
    struct policy_object obj;
    if ((rc = load_object(db, k, object_id, a, &obj)) ||
        (rc = policy_may_grant(actor, &obj, &target, scope, ei)))
        return rc;
    char action[64], note[300];
    rb_fmt(action, sizeof(action), "%s.share", k->name);
    rb_write w;
    if ((rc = write_begin(&w, db, actor, ei)))
        return rc;
    write_use_arena(&w, a);
    rc = share_grant(&w, k, object_id, target.id, scope);
    if (!rc && k->touch)
        rc = k->touch(&w, object_id);
    if (!rc && k->history) {
        rb_org o;
        rb_actor sys;
        rb_actor_system(&sys, NULL);
        if (org_get(db, &sys, target.id, a, &o) == 0)
            rb_fmt(note, sizeof(note), "%s (%s)", o.name, rb_scope_names[scope]);
        else
            rb_fmt(note, sizeof(note), "%s (%s)", target.id, rb_scope_names[scope]);
        rc = history_add(&w, k, object_id, "shared", NULL, note);
    }
    return write_end(&w, rc, action, k, object_id, ref.owner_org, "cannot share it");
}

/* A grant as the API shows it; the columns of share_list's SELECT. */
static const struct rb_member grant_members[] = {
    RB_MEMBERS(rb_grant, org_id, org_name, scope, granted_by, created_at),
};
const struct rb_record share_grant_record = RB_RECORD(rb_grant, grant_members);

int share_list(rb_db *db, const rb_actor *actor, const struct rb_kind *k, const char *object_id,
               rb_arena *a, rb_grant **out, int *n)
{
    return kind_rows(k, db, actor, object_id,
                     "SELECT g.org_id, o.name, g.scope, g.granted_by, g.created_at FROM grants g "
                     "JOIN orgs o ON o.id = g.org_id WHERE g.object_kind = ?1 AND g.object_id = ?2 "
                     "ORDER BY o.name, g.org_id",
                     a, &share_grant_record, out, n);
}

int share_tlp_in(rb_write *w, const struct rb_kind *k, const char *object_id, enum rb_tlp to,
                 rb_errinfo *ei)
{
    if (!(k->tlp_allowed & (1u << to)))
        return rb_err(ei, RB_EINVAL, "tlp", "a %s cannot be shared as TLP:%s", k->name,
                      tlp_name(to));
    if (!policy_can(w->actor, PERM_SHARE))
        return rb_err(ei, RB_EPERM, "", "your role may not change how objects are shared");
    struct policy_object obj;
    int rc = load_object(w->db, k, object_id, write_arena(w), &obj);
    if (!rc)
        rc = policy_may_set_tlp(w->actor, &obj, to, ei);
    if (!rc && obj.tlp != to) {
        rc = follow_tlp(w, k, object_id, &to);
        if (!rc)
            rc = each_follower(w, k, object_id, follow_tlp, &to);
        if (!rc && k->check_reach)
            rc = k->check_reach(w, object_id, ei);
        if (!rc && k->history) {
            char note[64];
            rb_fmt(note, sizeof(note), "TLP:%s to TLP:%s", tlp_name(obj.tlp), tlp_name(to));
            rc = history_add(w, k, object_id, "TLP changed", NULL, note);
        }
        if (!rc && k->touch)
            rc = k->touch(w, object_id);
    }
    return rc;
}

int share_set_tlp(rb_db *db, const rb_actor *actor, rb_arena *a, const struct rb_kind *k,
                  const char *object_id, enum rb_tlp to, rb_errinfo *ei)
{
    struct kind_ref ref;
    int rc = kind_load(k, db, actor, object_id, &ref);
    if (rc)
        return rb_err(ei, rc, "", "not found");
    char action[64];
    rb_fmt(action, sizeof(action), "%s.tlp", k->name);
    rb_write w;
    if ((rc = write_begin(&w, db, actor, ei)))
        return rc;
    write_use_arena(&w, a);
    rc = share_tlp_in(&w, k, object_id, to, ei);
    return write_end(&w, rc, action, k, object_id, ref.owner_org, "cannot change the TLP");
}
