/*
 * scheduler.h - what the server does by itself, every minute: deadline notices, acknowledgement
 * escalations and overdue tasks.
 *
 * One tick looks at the database's state, never at what an earlier tick remembered: the incidents
 * whose next_check has come (core/incident stores it with their due times) and the open tasks past
 * their due date. Every effect has a key that makes it happen once: an inbox item's dedup key
 * ("overdue:<incident>:<clock>:<due>"), an escalation's handling period (core/incident). So ticks
 * may be repeated, run by two processes, or missed while the server was down: the first tick after
 * a restart does what fell due meanwhile, exactly once. Time is rb_now(), which tests move
 * (rabta serve --clock-file); the server runs a tick before it starts listening and then every
 * --tick-seconds.
 *
 * Each incident is handled in a write of its own (its notices, escalation and audit entry commit
 * together), as the system actor labelled "scheduler".
 */
#ifndef RABTA_SCHEDULER_H
#define RABTA_SCHEDULER_H

#include <stdint.h>

#include "db/db.h"

/* The most incidents and tasks one tick handles; what is left waits for the next tick. */
#define SCHEDULER_BATCH 1000

struct tick_result {
    int incidents;   /* incidents looked at */
    int notices;     /* inbox items added */
    int escalations; /* handling periods opened */
    int tasks;       /* overdue tasks announced */
};

/* Runs one tick at rb_now(). Returns 0 or the first error (what was done before it stays). */
int scheduler_tick(rb_db *db, struct tick_result *res);

#endif
