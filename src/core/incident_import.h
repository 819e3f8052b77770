/*
 * incident_import.h - importing past incidents from a CSV or JSON file.
 *
 * Two steps, so nothing is written from a file before all of it has been checked:
 *
 *   incident_import_read   parses the file and checks every row (columns, values, the org, the
 *                          times and their order, the status against the times); the good rows
 *                          become ready-to-store rows, each bad one a problem naming its place
 *                          (CSV line, JSON array index) and its column, in words
 *   incident_import_store  stores the good rows in one write (all or nothing)
 *
 * The columns (CSV header / JSON members) are the API's member names; docs/operations.md lists
 * them. Required: title, rsit_class, rsit_type, severity, status, org, detected_at, reported_at.
 * Optional: description, tlp (default AMBER), cii_involved (yes/no, true/false, 1/0; default no),
 * affected_services, acknowledged_at, contained_at, notified_at, final_report_at, ended_at,
 * reported_by. An empty CSV cell, or a JSON null, is an absent value. `org` is the affected org:
 * its id, its short name or its full name (case-insensitive), when that names one org. The
 * imported incident counts as reported by that org (its owner), handled by the org's parent CERT
 * (the National CERT handles its own).
 *
 * Each stored incident gets what a report would have given it then, and nothing that a report
 * would have set off now: the grant to the handling CERT (scope org), a first handling period
 * since reported_at (acknowledged when acknowledged_at is given), its status and times, its
 * stored due times from the reporting policy (incident_refresh_dues, which also moves the
 * incident counter so the server's in-memory index picks it up), the timeline event "imported"
 * and its audit entry "incident.import". No inbox item, no e-mail or webhook, no escalation rule;
 * and no look by the scheduler (next_check is left empty) until the incident next changes in
 * rabta, so deadlines that passed years ago announce nothing.
 */
#ifndef RABTA_INCIDENT_IMPORT_H
#define RABTA_INCIDENT_IMPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "base/mem.h"
#include "core/actor.h"
#include "db/db.h"

enum import_format { IMPORT_CSV = 0, IMPORT_JSON };

/* The most rows one file may hold, and its size. */
#define IMPORT_MAX_ROWS 1000000
#define IMPORT_MAX_BYTES ((size_t)512 * 1024 * 1024)

/* One bad row: where it is and what is wrong. */
struct import_problem {
    size_t where;   /* CSV: the line the row starts on; JSON: the array index */
    char field[40]; /* the column, or "" for the row as a whole */
    char msg[400];  /* what is wrong, in words */
};

struct import_row; /* a checked row, ready to store (incident_import.c) */

struct incident_import {
    enum import_format format;
    size_t total; /* rows in the file */
    struct import_row *rows;
    size_t nrows; /* good rows */
    struct import_problem *problems;
    size_t nproblems; /* bad rows: one problem each */
};

/* Called now and then while reading or storing: done of total rows. */
typedef void (*import_progress_fn)(void *ctx, size_t done, size_t total);

/* Reads and checks every row of text[0..len) as format, in arena a (which then holds
 * everything imp points at, a parsed JSON document included). Returns 0 when the file could be
 * read as a whole -- its bad rows, if any, are in imp->problems; RB_EINVAL or RB_ETOOBIG when it
 * cannot (not CSV or JSON, no header, an unknown or missing column, not an array of objects, past
 * a cap), with ei naming the place ("line 1, field 4"); RB_EDB, RB_ENOMEM. progress may be
 * NULL. imp is set on success only. */
int incident_import_read(rb_db *db, enum import_format format, const char *text, size_t len,
                         rb_arena *a, struct incident_import *imp, import_progress_fn progress,
                         void *ctx, rb_errinfo *ei);

/* Stores the good rows of imp in one write as actor (the local operator: a system actor), each
 * with its timeline event and audit entry; source names the file in the timeline. Returns 0 and
 * the number stored in *stored, or an error with ei saying why (nothing stored). An imp with no
 * good rows stores nothing and writes nothing. */
int incident_import_store(rb_db *db, const rb_actor *actor, const struct incident_import *imp,
                          const char *source, import_progress_fn progress, void *ctx,
                          size_t *stored, rb_errinfo *ei);

/* "line 7, severity: ..." / "index 3, org: ..." for a problem of imp. */
void incident_import_problem_text(const struct incident_import *imp, const struct import_problem *p,
                                  char *out, size_t size);

#endif
