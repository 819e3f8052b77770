/*
 * history.c - the shared timeline table.
 *
 * Must never return an event of an object its reader may not read, or write one outside the
 * write it records.
 */
#include "base/common.h"
#include "core/history.h"
#include "core/kind.h"

int history_add(rb_write *w, const struct rb_kind *k, const char *object_id, const char *action,
                const char *part, const char *comment)
{
    if (!k->history)
        return rb_err(w->ei, RB_EINTERNAL, "", "a %s has no history", k->name);
    return db_exec(w->db,
                   "INSERT INTO history(object_kind, object_id, at, actor, action, part, comment) "
                   "VALUES (?1,?2,?3,?4,?5,?6,?7)",
                   DB_ARGS(DB_TEXT(k->name), DB_TEXT(object_id), DB_TEXT(w->now),
                           DB_TEXT(w->actor->label), DB_TEXT(action), DB_TEXT(part),
                           DB_TEXT(comment)));
}

/* Read only: the kinds show their timelines each in their own words (http/list.c). */
static const struct rb_member event_members[] = {
    RB_HIDDEN_MEMBERS(rb_event, seq, at, actor, action, part, comment),
};
static const struct rb_record event_record = RB_RECORD(rb_event, event_members);

int history_list(rb_db *db, const rb_actor *actor, const struct rb_kind *k, const char *object_id,
                 int64_t after, int limit, rb_arena *a, rb_event **out, int *n, bool *more)
{
    if (limit < 1 || limit > HISTORY_PAGE_MAX)
        limit = HISTORY_PAGE_MAX;
    rb_stmt *st = NULL;
    int rc = kind_query(
        k, db, actor, object_id,
        "SELECT seq, at, actor, action, part, comment FROM history WHERE "
        "object_kind = ?1 AND object_id = ?2 AND seq > ?3 ORDER BY seq LIMIT ?4",
        DB_ARGS(DB_TEXT(k->name), DB_TEXT(object_id), DB_INT(after), DB_INT(limit + 1)), &st);
    return rc ? rc : db_page(st, limit, &event_record, a, out, n, more);
}
