/*
 * history.h - what happened to an object, in order: one timeline for every kind.
 *
 * Owns the history table, keyed by (object kind, object id). An event has a time, the actor's
 * label, an action in words ("submitted", "control returned", "escalated"), an optional part of
 * the object it concerns (an assessment's control id, an incident's task) and an optional comment
 * (FIELD_NOTE). Events are written inside the write they record (core/write), so the event, the
 * change and its audit entry commit together; they are never changed or deleted. Reads go through
 * the object's kind: who may not read the object gets RB_ENOTFOUND.
 */
#ifndef RABTA_HISTORY_H
#define RABTA_HISTORY_H

#include <stdbool.h>
#include <stdint.h>

#include "base/mem.h"
#include "core/actor.h"
#include "core/write.h"
#include "db/db.h"

struct rb_kind;

typedef struct rb_event {
    int64_t seq;
    char *at, *actor, *action, *part, *comment;
} rb_event;

/* The most events one list returns. */
#define HISTORY_PAGE_MAX 5000

/* Appends an event to (k, object_id) inside w, at w->now by w->actor. part and comment may be
 * NULL. Returns 0, RB_EINTERNAL (k's row has no history) or RB_EDB. */
int history_add(rb_write *w, const struct rb_kind *k, const char *object_id, const char *action,
                const char *part, const char *comment);

/* Events of a readable object, oldest first, after sequence `after` (0: from the first), at most
 * limit (1..HISTORY_PAGE_MAX); *more says whether more follow. Rows live in the arena. Returns 0,
 * RB_ENOTFOUND (no such object, or not readable), RB_EDB, RB_ENOMEM. */
int history_list(rb_db *db, const rb_actor *actor, const struct rb_kind *k, const char *object_id,
                 int64_t after, int limit, rb_arena *a, rb_event **out, int *n, bool *more);

#endif
