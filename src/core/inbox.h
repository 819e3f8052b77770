/*
 * inbox.h - who must act: one inbox per org, read per user.
 *
 * Owns the inbox and inbox_reads tables. An item says that an org must act on an object (a new
 * incident to triage, a notification from a CERT, an escalation, a deadline within the hour, an
 * overdue one, a task): its kind, the object (kind and id), a sentence of detail, and a dedup key
 * that makes an item the scheduler repeats happen once. Items are written inside the write that
 * causes them (core/write), and each queues the org's webhooks and e-mails in the same
 * transaction (core/notify), so nothing is announced that was not committed and nothing committed
 * goes unannounced. A user sees the items of their own org whose object they may read (the
 * object's kind decides, as for any read); reading is marked per user.
 */
#ifndef RABTA_INBOX_H
#define RABTA_INBOX_H

#include <stdbool.h>
#include <stdint.h>

#include "base/mem.h"
#include "core/actor.h"
#include "core/write.h"
#include "db/db.h"

struct rb_kind;

enum inbox_kind {
    INBOX_TRIAGE = 0, /* a new incident for the handling CERT to triage */
    INBOX_NOTICE,     /* a CERT tells the org about something that concerns it */
    INBOX_ESCALATED,  /* an incident was escalated to the org */
    INBOX_DUE_SOON,   /* a deadline of the org falls within the hour */
    INBOX_OVERDUE,    /* a deadline of the org has passed */
    INBOX_TASK,       /* a task was assigned to the org */
    INBOX_SHARED,     /* something was shared with the org */
    INBOX_ACKNOWLEDGE, /* an advisory was delivered to the org: acknowledge it */
    INBOX__COUNT
};
extern const char *const rb_inbox_kind_names[];  /* "triage", "notice", ..., NULL */
extern const char *const rb_inbox_kind_labels[]; /* "New incident to triage", ... for people */

/* The most items one page returns, and the most unread items inbox_unread counts. */
#define INBOX_PAGE_MAX 200
#define INBOX_COUNT_MAX 999

/* Inside w: puts an item in org_id's inbox about (k, object_id) and queues its messages. detail
 * (a sentence, FIELD_NOTE) may be NULL. With a dedup key, an item that exists already is not
 * added again and *added (may be NULL) is false. Returns 0 or RB_EDB. */
int inbox_add(rb_write *w, const char *org_id, enum inbox_kind kind, const struct rb_kind *k,
              const char *object_id, const char *detail, const char *dedup, bool *added);

typedef struct rb_inbox_item {
    int64_t seq;
    char *kind;
    char *label; /* the kind in words (set after the read) */
    char *object_kind, *object_id;
    char *object_name; /* the object's name for the reader (set after the read) */
    char *detail, *created_at;
    bool read;     /* the reader has read it (set after the read) */
    char *read_at; /* when this user read it, or NULL */
} rb_inbox_item;

/* An item as the API shows it (rjw_record). */
extern const struct rb_record inbox_item_record;

/* Items of the actor's org whose objects the actor may read, newest first, before sequence
 * `before` (0: from the newest), at most limit (1..INBOX_PAGE_MAX); unread_only leaves out what
 * the actor has read. Rows live in the arena. */
int inbox_list(rb_db *db, const rb_actor *actor, bool unread_only, int64_t before, int limit,
               rb_arena *a, rb_inbox_item **out, int *n, bool *more);

/* How many of those items the actor has not read (at most INBOX_COUNT_MAX). */
int inbox_unread(rb_db *db, const rb_actor *actor, int *count);

/* Marks items of the actor's org read for the actor: the n given, or with all every one. Items of
 * other orgs are ignored. *marked (may be NULL) gets how many were newly marked. */
int inbox_mark_read(rb_db *db, const rb_actor *actor, const int64_t *seqs, int n, bool all,
                    int *marked, rb_errinfo *ei);

#endif
