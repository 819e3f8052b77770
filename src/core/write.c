/*
 * write.c - the one write path: the lock, the credential again, the audit entry, commit or
 * rollback.
 *
 * Must never let a write proceed for a credential that ended while its request was in flight, or
 * commit a change without its audit entry (only bookkeeping, action NULL, has none).
 */
#include "base/common.h"
#include "base/crypto.h"
#include "core/audit.h"
#include "core/auth.h"
#include "core/history.h"
#include "core/write.h"

int write_begin(rb_write *w, rb_db *db, const rb_actor *actor, rb_errinfo *ei)
{
    w->db = db;
    w->actor = actor;
    w->ei = ei;
    w->audited = false;
    w->a = NULL;
    rb_time_format(rb_now(), w->now);
    int rc = db_begin(db);
    if (rc)
        return rb_err(ei, rc, "", "cannot start a transaction; try again");
    rc = actor ? auth_recheck(db, actor) : 0;
    if (rc) {
        db_rollback(db);
        if (rc == RB_EAUTH)
            return rb_err(ei, RB_EAUTH, "",
                          "your sign-in ended while the request was on its way (the token was "
                          "revoked, the session ended or the account changed); sign in again");
        return rb_err(ei, rc, "", "cannot check your sign-in; try again");
    }
    return 0;
}

int write_begin_new(rb_write *w, rb_db *db, const rb_actor *actor, char id[RB_ID_SIZE],
                    rb_errinfo *ei)
{
    rb_uuid_new(id);
    return write_begin(w, db, actor, ei);
}

void write_use_arena(rb_write *w, rb_arena *a)
{
    if (!w->a)
        w->a = a;
}

rb_arena *write_arena(rb_write *w)
{
    if (!w->a) {
        rb_arena_init(&w->own, WRITE_ARENA_MAX);
        w->a = &w->own;
    }
    return w->a;
}

int write_cap(rb_write *w, const char *count_sql, const char *id, int64_t max, const char *fmt, ...)
{
    int64_t n = 0;
    int rc = db_query_int(w->db, count_sql, DB_ARGS(DB_TEXT(id)), &n);
    if (rc || n < max)
        return rc;
    va_list ap;
    va_start(ap, fmt);
    rc = rb_verr(w->ei, RB_ECONFLICT, "", fmt, ap);
    va_end(ap);
    return rc;
}

int write_audit(rb_write *w, const char *action, const struct rb_kind *kind, const char *object_id,
                const char *org_id)
{
    if (!w->actor)
        return RB_EINTERNAL;
    int rc = audit_append(w->db, w->actor, action, kind, object_id, org_id);
    if (!rc)
        w->audited = true;
    return rc;
}

int write_end(rb_write *w, int rc, const char *action, const struct rb_kind *kind,
              const char *object_id, const char *org_id, const char *fail)
{
    if (!rc && action && !w->actor)
        rc = RB_EINTERNAL;
    if (!rc && action && !w->audited)
        rc = audit_append(w->db, w->actor, action, kind, object_id, org_id);
    if (!rc)
        rc = db_commit(w->db);
    if (rc) {
        db_rollback(w->db);
        /* Keep the reason of a refusal made inside the transaction. */
        if (w->ei && !w->ei->code)
            rb_err(w->ei, rc, "", "%s", fail ? fail : "the change could not be saved");
    }
    if (w->a == &w->own)
        rb_arena_release(&w->own);
    w->a = NULL;
    return rc;
}

/* Known by its address; its text is one no caller binds, so that even a build that merged equal
 * constants could not take an argument of the caller's for it. */
const char write_now[] = "(write_exec: the write's time)";

int write_exec(rb_db *db, const rb_actor *actor, const struct write_entry *e, const char *sql,
               const struct db_arg *args, size_t n, rb_errinfo *ei)
{
    if (n > WRITE_EXEC_ARGS_MAX)
        return RB_EINTERNAL;
    rb_write w;
    int rc = write_begin(&w, db, actor, ei);
    if (rc)
        return rc;
    struct db_arg v[WRITE_EXEC_ARGS_MAX];
    for (size_t i = 0; i < n; i++) {
        v[i] = args[i];
        if (v[i].type == DB_ARG_TEXT && v[i].text == write_now)
            v[i].text = w.now;
    }
    if (e->cap.count_sql)
        rc = write_cap(&w, e->cap.count_sql, e->cap.of, e->cap.max, e->cap.message, e->cap.max);
    if (!rc)
        rc = db_exec(db, sql, v, n);
    if (!rc && e->unchanged.code && db_changes(db) != 1)
        rc = rb_err(ei, e->unchanged.code, e->unchanged.field, "%s", e->unchanged.message);
    if (!rc && e->event)
        rc = history_add(&w, e->kind, e->object_id, e->event, e->part, e->comment);
    return write_end(&w, rc, e->action, e->kind, e->object_id, e->org_id, e->fail);
}
