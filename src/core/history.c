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
    rb_stmt *st = NULL;
    int rc = db_prepare(w->db,
                        "INSERT INTO history(object_kind, object_id, at, actor, action, part, "
                        "comment) VALUES (?1,?2,?3,?4,?5,?6,?7)",
                        &st);
    if (rc)
        return rc;
    db_bind_text(st, 1, k->name);
    db_bind_text(st, 2, object_id);
    db_bind_text(st, 3, w->now);
    db_bind_text(st, 4, w->actor->label);
    db_bind_text(st, 5, action);
    db_bind_text(st, 6, part);
    db_bind_text(st, 7, comment);
    return db_run(st);
}

/* Read only: the kinds show their timelines each in their own words (http/list.c). */
static const struct rb_member event_members[] = {
    RB_MEMBER(rb_event, seq, NULL, rb_int64),  RB_MEMBER(rb_event, at, NULL, rb_text),
    RB_MEMBER(rb_event, actor, NULL, rb_text), RB_MEMBER(rb_event, action, NULL, rb_text),
    RB_MEMBER(rb_event, part, NULL, rb_text),  RB_MEMBER(rb_event, comment, NULL, rb_text),
};
static const struct rb_record event_record = RB_RECORD(rb_event, event_members);

int history_list(rb_db *db, const rb_actor *actor, const struct rb_kind *k, const char *object_id,
                 int64_t after, int limit, rb_arena *a, rb_event **out, int *n, bool *more)
{
    struct kind_ref ref;
    int rc = kind_load(k, db, actor, object_id, &ref);
    if (rc)
        return rc;
    if (limit < 1 || limit > HISTORY_PAGE_MAX)
        limit = HISTORY_PAGE_MAX;
    rb_stmt *st = NULL;
    if ((rc = db_prepare(db,
                         "SELECT seq, at, actor, action, part, comment FROM history WHERE "
                         "object_kind = ?1 AND object_id = ?2 AND seq > ?3 ORDER BY seq LIMIT ?4",
                         &st)))
        return rc;
    db_bind_text(st, 1, k->name);
    db_bind_text(st, 2, object_id);
    db_bind_int(st, 3, after);
    db_bind_int(st, 4, limit + 1);
    void *page = NULL;
    rc = db_page(st, limit, &event_record, a, &page, n, more);
    if (!rc)
        *out = page;
    return rc;
}
