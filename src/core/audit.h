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

#include <stdint.h>

#include "base/mem.h"
#include "core/actor.h"
#include "db/db.h"

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
} rb_audit_entry;

struct rj_writer;
/* Writes e as the JSON object the API and the CLI use for an audit entry. */
void audit_entry_write_json(struct rj_writer *w, const rb_audit_entry *e);

/* Entries the actor may read (auditors and admins: their org and, for a CERT, its subtree), newest
 * first, before sequence `before` (0 = from the newest), at most limit. Optional org_id narrows to
 * one org (which must be readable, else RB_ENOTFOUND). Rows live in the arena.
 * Returns RB_EPERM when the role may not read the audit trail. */
int audit_list(rb_db *db, const rb_actor *actor, const char *org_id, int64_t before, int limit,
               rb_arena *a, rb_audit_entry **out, int *n);

#endif
