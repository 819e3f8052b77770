/*
 * audit.h - the tamper-evident audit trail.
 *
 * Every write in rabta appends one entry inside its own transaction: time, actor, org, action,
 * object kind and id, never object content. Each entry's hash is SHA-256 over the previous entry's
 * hash and this entry's fields (length-prefixed), so changing, deleting or reordering any entry
 * breaks the chain at that entry; audit_verify finds the first break.
 */
#ifndef RABTA_AUDIT_H
#define RABTA_AUDIT_H

#include <stdbool.h>
#include <stdint.h>

#include "base/mem.h"
#include "core/actor.h"
#include "db/db.h"

/* Every action a write records (NULL-terminated), in the order the API documents them; GET
 * /api/v1/meta lists them as "audit_actions" so the UI can prove it has words for each. A new
 * action is added here (tests/api/test_audit.py fails on an action of src/ missing here, and the
 * browser tests on one without words in ui/state.js). */
extern const char *const rb_audit_actions[];

/* Appends an entry. Must be called inside the write's transaction (db_begin); returns 0 or
 * RB_EDB / RB_EINTERNAL (not in a transaction). org_id and object_id may be NULL. */
struct rb_kind;
int audit_append(rb_db *db, const rb_actor *actor, const char *action, const struct rb_kind *kind,
                 const char *object_id, const char *org_id);

struct audit_verify_result {
    int64_t entries;   /* entries checked */
    int64_t bad_seq;   /* first bad entry's sequence number, 0 when intact */
    char reason[200];  /* what is wrong with it */
    char head[65];     /* hash of the last entry (record it elsewhere to detect truncation) */
};

/* Walks the whole chain. Returns 0 when intact, RB_ECONFLICT when broken (res says where), or
 * RB_EDB. */
int audit_verify(rb_db *db, struct audit_verify_result *res);

typedef struct rb_audit_entry {
    int64_t seq;
    char *at, *actor_id, *actor_label, *org_id, *org_name, *action, *object_kind, *object_id,
        *hash;
    char *object_name; /* set by the reader's layer when the reader may read the object */
} rb_audit_entry;

/* The JSON object the API and the CLI use for an audit entry (rjw_record, json/json.h). */
extern const struct rb_record audit_entry_record;

/* What to list; NULL members do not narrow. */
struct audit_query {
    const char *org_id;      /* entries recorded against this org (one the actor may read) */
    const char *actor;       /* text found in the actor's label, case-insensitive */
    const char *action;      /* one action ("assessment.submit"), or a family ("assessment.") */
    const char *object_kind; /* a kind's name ("campaign") */
    const char *object_id;
    const char *since, *until; /* RFC 3339 UTC times, inclusive ("2026-12-01T00:00:00Z") */
    bool changes_only;       /* leave out sign-ins and sign-outs (session.*) */
    int64_t before;          /* entries before this sequence number; 0 = from the newest */
    int limit;               /* 1..500; 0 = 50 */
};

/* Entries the actor may read (auditors and admins: their org and, for a CERT, its subtree),
 * newest first, as q narrows them; *more says whether another page follows. Rows live in the
 * arena. Returns RB_EPERM when the role may not read the audit trail, RB_ENOTFOUND when q->org_id
 * is not the actor's org or below it. */
int audit_list(rb_db *db, const rb_actor *actor, const struct audit_query *q, rb_arena *a,
               rb_audit_entry **out, int *n, bool *more);

#endif
