/*
 * incident_index.h - lists, counts and the responsiveness roll-up of incidents, from an index in
 * memory.
 *
 * A national deployment holds millions of incidents, and the filters people combine (severity,
 * status, class, province, handling CERT, overdue, a period, words) are too many for one SQL index
 * each; a roll-up over all of them must answer in well under a tenth of a second. So the process
 * keeps, per database, one compact entry per incident (its number, orgs, province, severity,
 * status, class, TLP, CII, times, grants and handling periods: about 70 bytes) and scans it.
 *
 * It follows the database, never the other way round: every incident write bumps the incident
 * counter and stamps the incident with it (core/incident: incident_touch, also called by
 * core/share for grants and TLP changes), and each use of the index first reads the counter and
 * loads the incidents changed since (an indexed query), so a write by any connection or process is
 * seen by the next read. Every entry is checked with policy_may_read_ix (the sharing policy over
 * org numbers, proven equal to policy_may_read); the rows of a page are then read through the
 * policy's SQL again, so a page never holds what its reader may not read even if the index lagged.
 * Text search uses the incidents_fts table.
 */
#ifndef RABTA_INCIDENT_INDEX_H
#define RABTA_INCIDENT_INDEX_H

#include <stdbool.h>
#include <stdint.h>

#include "base/mem.h"
#include "core/actor.h"
#include "core/deadline.h"
#include "core/incident.h"
#include "db/db.h"

/* What to list; zero members do not narrow (bitmasks: bit (1 << value)). */
struct incident_filter {
    unsigned severities; /* enum rb_severity bits */
    unsigned statuses;   /* enum incident_status bits */
    int rsit_class;      /* index in rsit_classes + 1; 0 any */
    int province;        /* index in rb_provinces + 1; 0 any; -1 incidents without a province */
    int overdue;         /* 1 overdue only, -1 not overdue only, 0 any */
    int open;            /* 1 open only (not closed, rejected or merged), -1 ended only, 0 any */
    int cii;             /* 1 CII involved, -1 not, 0 any */
    const char *handling_org_id; /* the CERT handling it now */
    const char *org_id;          /* the affected org */
    const char *q;               /* words in the title, description or affected services */
    int64_t since, until;        /* reported in [since, until); 0 unbounded */
    int64_t before;              /* the cursor: numbers below it; 0 from the newest */
    int limit;                   /* 1..500 */
    bool count;                  /* also count every match (*total) */
};

/* The words of a text search as an FTS5 query (each word a quoted prefix), or NULL when q has no
 * word. Lives in the arena. */
char *incident_fts_query(rb_arena *a, const char *q);

/* Readable incidents matching f, newest first. *total is the number of matches when f->count
 * (else -1). Errors: RB_EINVAL for an unknown org id in the filter is not an error: it matches
 * nothing. */
int incident_list(rb_db *db, const rb_actor *actor, const struct incident_filter *f, rb_arena *a,
                  rb_incident **out, int *n, bool *more, int64_t *total);

/* Counts of the readable incidents matching f (f->limit, before and count are ignored). */
struct incident_counts {
    int64_t total, open, overdue;
    int64_t by_severity[SEV__COUNT];         /* open ones */
    int64_t overdue_by_severity[SEV__COUNT]; /* open ones */
    int64_t by_status[IST__COUNT];           /* all */
    int64_t open_by_province[8][SEV__COUNT]; /* rb_provinces order, then "none" */
    int nprovinces;                          /* rows used in open_by_province */
};
int incident_counts(rb_db *db, const rb_actor *actor, const struct incident_filter *f,
                    struct incident_counts *out);

/*
 * Responsiveness over the readable incidents reported in [since, until), per handling CERT and
 * per province, with the whole as the first group. The unit of acknowledgement is a handling
 * period (a CERT's turn with an incident, core/incident): acknowledged in time, late, missed (not
 * acknowledged by its deadline), pending (its deadline is ahead), or handed on (escalated before
 * its deadline). ack_share is in_time / (in_time + late + missed), -1 when none was judged.
 * Containment counts for the CERT that handled the incident when it was contained.
 */
struct resp_group {
    char *key;  /* org id or province code; "" for the whole */
    char *name; /* the CERT's or the province's name; "All" */
    int64_t incidents;
    int64_t periods, in_time, late, missed, pending, handed_on;
    double ack_share;
    int64_t ack_median;     /* seconds from receiving to acknowledging; -1 none */
    int64_t contained;      /* incidents contained */
    int64_t contain_median; /* seconds from reporting to containment; -1 none */
    int64_t open[SEV__COUNT], overdue[SEV__COUNT];
};
struct responsiveness {
    int64_t since, until, now;
    struct resp_group *certs; /* the whole first, then CERTs by name */
    int ncerts;
    struct resp_group *provinces; /* the whole first, then provinces in rb_provinces order */
    int nprovinces;
};
int incident_responsiveness(rb_db *db, const rb_actor *actor, int64_t since, int64_t until,
                            rb_arena *a, struct responsiveness *out);

struct rj_writer;
void incident_counts_write_json(struct rj_writer *w, const struct incident_counts *c);
void responsiveness_write_json(struct rj_writer *w, const struct responsiveness *r);

/* For core/incident_answer: brings the index up to the database (as a list does) and says whether
 * it holds incident number seq at version (the incident counter at its last change, compared in
 * its low 32 bits) and whether actor may read it: IX_CHANGED when it has no such entry or the
 * entry is at another version, else IX_READABLE or IX_REFUSED (policy_may_read_ix). *orgs is the
 * org counter read in the same snapshot as the incident counter (0 when it has no row yet). */
enum ix_check { IX_CHANGED = 0, IX_READABLE, IX_REFUSED };
int incident_index_check(rb_db *db, const rb_actor *actor, int64_t seq, int64_t version,
                         enum ix_check *state, int64_t *orgs);

/* Forgets the index (tests; the next use loads it again). */
void incident_index_reset(void);
/* The index's size: entries and bytes held. */
void incident_index_size(int64_t *entries, int64_t *bytes);

#endif
