/*
 * incident_answer.h - an incident read alone (GET /api/v1/incidents/{id}) from answers kept in
 * memory.
 *
 * The answer of incident_get is about 2.3 KB of JSON from six database pages that a national
 * database rarely holds in SQLite's cache. Most of it reads the same for every reader until the
 * incident changes: incident_parts' head and tail. Those are kept as bytes, per incident, with
 * the key they were made at:
 *
 *   - the incident's version (the incident counter at its last change: every write to it, its
 *     grants, TLP, handling periods, timeline and files bumps it, core/incident), and
 *   - the org counter (bumped by a trigger when an org's name or place changes: the answer names
 *     the owner, the affected org, the handling CERT and every CERT that handled it).
 *
 * A reading checks both against the database in its own snapshot, through the in-memory incident
 * index (core/incident_index: the incident counter, then the entry's version, in one indexed
 * statement that reads one page), and checks the sharing policy on every reading from the
 * index's entry (policy_may_read_ix, proven equal to the policy's SQL): a reader who may not read
 * it gets RB_ENOTFOUND as from the database. The live part (the clocks at the time, what the
 * reader may do) is worked out at every reading. Anything else (no answer kept, another version,
 * another org counter, a read outside a snapshot) reads the database as incident_get does and,
 * inside a snapshot, keeps the new answer.
 *
 * Bounded: at most INCIDENT_ANSWER_ENTRIES answers and INCIDENT_ANSWER_BYTES bytes held (answers
 * over INCIDENT_ANSWER_ONE_MAX are never kept); the oldest unused go first (a clock). One cache
 * per process, for one database file at a time.
 *
 * Must never: serve an answer kept at another version or org counter than the database's in the
 * reading's snapshot, or to a reader the policy refuses.
 */
#ifndef RABTA_INCIDENT_ANSWER_H
#define RABTA_INCIDENT_ANSWER_H

#include <stddef.h>
#include <stdint.h>

#include "base/mem.h"
#include "core/actor.h"
#include "core/incident.h"
#include "db/db.h"

#define INCIDENT_ANSWER_ENTRIES 8192
#define INCIDENT_ANSWER_BYTES (8u << 20)
#define INCIDENT_ANSWER_ONE_MAX (32u << 10)

/* One incident as incident_answer_write shows it. */
struct incident_answer {
    rb_incident x;           /* read from the database: all of it; else its live members */
    const char *head, *tail; /* the kept bytes (in the arena), or NULL: x is written whole */
    size_t nhead, ntail;
};

/* The incident id as incident_get reads it for actor, as an answer. Returns 0, RB_ENOTFOUND (no
 * such incident, or the actor may not read it), RB_ENOMEM or RB_EDB. */
int incident_answer_get(rb_db *db, const rb_actor *actor, const char *id, rb_arena *a,
                        struct incident_answer *out);

struct rj_writer;
/* Writes the answer: the same bytes as rjw_record(w, &x, &incident_full_record) of incident_get. */
void incident_answer_write(struct rj_writer *w, const void *answer);

struct incident_answer_stats {
    int64_t hits, misses, kept, entries, bytes;
};
void incident_answer_stats(struct incident_answer_stats *out);
/* Forgets every answer and zeroes the counts (tests). */
void incident_answer_reset(void);

#endif
