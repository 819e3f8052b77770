/*
 * write.h - the one write path of core.
 *
 * Every write of every module has the same shape (curl's Curl_http_req_make: the result starts
 * at failure, one exit, outputs set only on success):
 *
 *     rb_write w;
 *     int rc = write_begin(&w, db, actor, ei);        lock, then the credential again
 *     if (rc)
 *         goto out;
 *     rc = <the change>, using w.now for its times;   INSERT/UPDATE through db_run
 *     if (!rc)
 *         rc = history_add(&w, ...);                  kinds with a timeline (core/history)
 *     rc = write_end(&w, rc, "org.create", &kind_org, id, org_id, "cannot create the org");
 *     if (rc)
 *         goto out;                                   rolled back; ei says why
 *     <set the outputs>
 *
 * write_begin takes the database's write lock (BEGIN IMMEDIATE) and then, inside that
 * transaction, checks the actor's credential again (auth_recheck): a request is authorised when
 * its headers arrive, but a large body may take minutes, and a token revoked, a session ended or
 * an account disabled meanwhile stops the write here. write_end appends the audit entry and
 * commits, or rolls back when anything failed, so a change is never committed without its audit
 * entry (and history event) and never reported as done when it was not.
 *
 * Bookkeeping writes go the same way without an actor and without an audit entry:
 * write_begin(&w, db, NULL, ei) and write_end(&w, rc, NULL, NULL, NULL, NULL, fail). They are the
 * server keeping its own state, not anyone's action on an object: a sign-in attempt reserved from
 * an account's allowance (core/auth; the outcome, a failed or a new session, is audited by a write
 * of its own) and a lease taken on outbound messages (core/notify_send; each delivery is audited
 * when its outcome is recorded). An audit entry for each would record no one's decision and, for
 * the attempts, let anyone who knows an email fill the trail. They still take the write lock, so
 * what they count and change inside is atomic.
 *
 * Many writes are one statement (and perhaps its history event); write_exec is the whole shape
 * for them:
 *
 *     return write_exec(db, actor,
 *                       &(struct write_entry){"training.feedback", &kind_training, id, org,
 *                                             .fail = "cannot record the feedback",
 *                                             .event = "feedback given"},
 *                       "INSERT INTO training_feedback(person_id, training_id, rating, given_at) "
 *                       "VALUES (?1,?2,?3,?4) ON CONFLICT (person_id) DO UPDATE ...",
 *                       DB_ARGS(DB_TEXT(person_id), DB_TEXT(id), DB_INT(rating), WRITE_NOW), ei);
 */
#ifndef RABTA_WRITE_H
#define RABTA_WRITE_H

#include "base/mem.h"
#include "base/rtime.h"
#include "core/actor.h"
#include "db/db.h"

struct rb_kind;

typedef struct rb_write {
    rb_db *db;
    const rb_actor *actor;
    rb_errinfo *ei;         /* may be NULL */
    char now[RB_TIME_SIZE]; /* the write's time: every row it stamps uses this one */
    bool audited;           /* write_audit appended the write's own entry already */
    /* What the write's helpers allocate in (write_arena): the caller's arena (write_use_arena:
     * the request's), else one of the write's own, made at the first use and released by
     * write_end. */
    rb_arena *a;
    rb_arena own;
} rb_write;

/* Begins a write for actor, or a bookkeeping write when actor is NULL (no credential to check).
 * Returns 0 inside a transaction; RB_EAUTH (nothing begun, ei says to sign in again) when the
 * credential no longer holds; RB_EDB. */
int write_begin(rb_write *w, rb_db *db, const rb_actor *actor, rb_errinfo *ei);

/* write_begin for a write that creates an object: first mints the object's id into id
 * (rb_uuid_new), so a create reads "char id[RB_ID_SIZE]; rb_write w; write_begin_new(...)".
 * Returns as write_begin; id is set either way. */
int write_begin_new(rb_write *w, rb_db *db, const rb_actor *actor, char id[RB_ID_SIZE],
                    rb_errinfo *ei);

/* The memory of this write: whatever core allocates while the write is open (rows collected
 * before they are changed, a document walked, messages built) goes here, and dies with the
 * caller's arena or, without one, with write_end. */
#define WRITE_ARENA_MAX ((size_t)256 << 20)
void write_use_arena(rb_write *w, rb_arena *a);
rb_arena *write_arena(rb_write *w);
/* Appends the write's own audit entry now, before entries of what the write causes next (an
 * incident's report comes before the escalations it triggers); write_end then appends none. */
int write_audit(rb_write *w, const char *action, const struct rb_kind *kind, const char *object_id,
                const char *org_id);

/* Inside w, before a create that a cap bounds: counts with count_sql (one count, ?1 = id) and
 * refuses with RB_ECONFLICT, saying fmt in w->ei, when the count is max or more (checked inside the
 * write, so two creates cannot both take the last place). Returns 0, that refusal, or RB_EDB. */
int write_cap(rb_write *w, const char *count_sql, const char *id, int64_t max, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Ends the write begun by write_begin. When rc is 0, appends the audit entry (action on the
 * object of kind, recorded against org_id; object_id and org_id may be NULL), unless write_audit
 * did or action is NULL (a bookkeeping write: no entry, and only then), and commits; otherwise,
 * or when either fails, rolls back. A failure says `fail` in ei unless ei already holds a reason.
 * Returns the final result; RB_EINTERNAL (rolled back) for an action without an actor. */
int write_end(rb_write *w, int rc, const char *action, const struct rb_kind *kind,
              const char *object_id, const char *org_id, const char *fail);

/* What write_exec does besides its statement: the audit entry and the failure's words, as
 * write_end takes them; when cap.count_sql is not NULL, the cap checked first (write_cap: ?1 =
 * cap.of, refused at cap.max or more, saying cap.message with %d for cap.max); when
 * unchanged.code is not 0, the refusal of a statement that changes other than one row (that code,
 * field and message); when event is not NULL, the history event (history_add: event, part,
 * comment; each may be NULL but event) on the object. */
struct write_entry {
    const char *action;
    const struct rb_kind *kind;
    const char *object_id, *org_id;
    const char *fail;
    struct {
        const char *count_sql, *of;
        int max;
        const char *message;
    } cap;
    struct {
        int code;
        const char *field, *message;
    } unchanged;
    const char *event, *part, *comment;
};

/* An argument of write_exec that binds the write's time (w.now); it means nothing elsewhere. */
extern const char write_now[];
#define WRITE_NOW DB_TEXT(write_now)
#define WRITE_EXEC_ARGS_MAX 16

/* A write of one statement: write_begin, db_exec(sql, args) with WRITE_NOW as the write's time,
 * then, as e says, the cap (before the statement), the row check, the history event and
 * write_end. Returns as write_end; RB_EINTERNAL for more than WRITE_EXEC_ARGS_MAX arguments. */
int write_exec(rb_db *db, const rb_actor *actor, const struct write_entry *e, const char *sql,
               const struct db_arg *args, size_t n, rb_errinfo *ei);

#endif
