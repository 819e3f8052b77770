/*
 * incident.h - incidents: reported in a minute, handled against the clock, escalated up the CERT
 * hierarchy.
 *
 * Owns the incidents and incident_handlers tables (tasks and links: core/incident_work; lists,
 * counts and responsiveness: core/incident_index; the reporting policy: core/reporting).
 *
 * Who is who. The owner reported it: an institution about itself, or a CERT about an org of its
 * constituency (org_id, the affected org). The handling CERT is the affected org's parent CERT
 * (the National CERT handles its own). At report time the handling CERT, the affected org and
 * every CERT between the reporting CERT and the affected org are granted (scope org); the handling
 * CERT finds a "triage" item in its inbox, the others a "notice". Default TLP:AMBER.
 *
 * Status follows incident_transitions, one table saying who may move which status: the handling
 * CERT's analysts and admins (PARTY_HANDLER), and the reporters, analysts and admins of the
 * affected or reporting org (PARTY_AFFECTED). Merging is its own action (incident_merge).
 *
 * Clocks (core/deadline) come from the reporting policy row of the handling CERT's tier and the
 * severity; their due times are stored while the incident is open. Acknowledging is the handling
 * CERT's first act (the move to triaged does it too); each escalation starts a new handling period
 * whose CERT acknowledges again.
 *
 * Escalation grants the next CERT up, moves handling to it, records why in the timeline and in
 * incident_handlers (whose key makes it happen once) and puts an item in its inbox. It happens by
 * hand (an analyst of the handling CERT, with a reason) or by the rules of core/deadline, tried
 * after every write that changes what they look at and by the scheduler (core/scheduler) for
 * acknowledgement deadlines. TLP:AMBER+STRICT and RED incidents are not escalated by anyone but
 * their owner's sharing: TLP 2.0 lets recipients pass them on to nobody.
 *
 * Every write is one transaction with its timeline events and audit entries.
 */
#ifndef RABTA_INCIDENT_H
#define RABTA_INCIDENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/mem.h"
#include "core/actor.h"
#include "core/deadline.h"
#include "core/write.h"
#include "db/db.h"
#include "formats/tlp.h"
#include "json/field.h"

enum incident_status {
    IST_NEW = 0,
    IST_TRIAGED,
    IST_CONTAINED,
    IST_ERADICATED,
    IST_RECOVERED,
    IST_CLOSED,
    IST_REJECTED,
    IST_MERGED,
    IST__COUNT
};
extern const char *const rb_incident_status_names[]; /* "new", ..., NULL */

/* What the viewer is to an incident (bits). */
enum incident_party {
    PARTY_HANDLER = 1u,  /* an analyst or admin of the handling CERT */
    PARTY_AFFECTED = 2u, /* a reporter, analyst or admin of the affected org or the reporting org */
};

struct incident_transition {
    enum incident_status from, to;
    unsigned who;       /* incident_party bits that may make it */
    const char *action; /* for the timeline: "triaged", "reopened" */
};
extern const struct incident_transition incident_transitions[];
extern const int incident_ntransitions;

/* The row for from -> to, or NULL when the table has none. */
const struct incident_transition *incident_transition_find(enum incident_status from,
                                                           enum incident_status to);
/* The statuses `who` may move an incident in `from` to, in table order; returns how many. */
int incident_next_statuses(enum incident_status from, unsigned who,
                           enum incident_status out[IST__COUNT]);
/* Closed, rejected or merged: the clocks stop. */
bool incident_status_ended(enum incident_status s);

/* Attachments: the most bytes per file and files per incident (core/kind.h row). */
#define INCIDENT_FILE_MAX (10 * 1024 * 1024)
#define INCIDENT_FILES_MAX 50

typedef struct rb_incident_handler {
    int n;
    char *org_id, *org_name, *since, *until, *ack_due, *acknowledged_at, *acknowledged_by, *rule,
        *reason;
} rb_incident_handler;

typedef struct rb_incident {
    char *id;
    int64_t number;  /* the report order */
    char *reference; /* "INC-000042", what people use */
    char *title, *description, *rsit_class, *rsit_type;
    char *rsit_class_label, *rsit_type_label; /* the taxonomy's words */
    char *severity, *status, *tlp;
    bool cii;
    char *affected_services, *owner_org, *owner_name, *org_id, *org_name, *province,
        *handling_org, *handling_name, *handling_since, *merged_into, *reported_by, *detected_at,
        *reported_at, *acknowledged_at, *contained_at, *notified_at, *final_report_at, *ended_at,
        *updated_at;
    int escalations;
    int nclocks;    /* CLOCK__COUNT */
    int next_clock; /* deadline_next: the index in clocks, -1 when none runs */
    bool overdue;   /* any clock is */
    int party;      /* the reader's incident_party bits */
    char *ack_due, *early_warning_due, *notification_due, *final_report_due; /* as stored */
    bool at_root;   /* the National CERT handles it: nowhere further up */
    bool writer;    /* the reader's role may report or triage (comment, link, attach) */
    int64_t version; /* the incident counter at its last change (core/incident_answer's key) */
    int nhandlers;
    rb_incident_handler *handlers; /* oldest first; NULL in lists */
    struct clock clocks[CLOCK__COUNT]; /* at the time of reading */
} rb_incident;

/* An incident as the API shows it (rjw_record): incident_record in lists, incident_full_record
 * (with handling_history) when read alone. */
extern const struct rb_record incident_record, incident_full_record;

/* The three parts of incident_full_record, in order: what reads the same for every reader until
 * the incident or an org it names changes (head: "id" to "escalations"; tail:
 * "handling_history"), and what is worked out at each reading (live: the clocks at the time, the
 * reader's part, "you"). Their members written one after the other into one object are exactly
 * rjw_record of the full record (core/incident_answer keeps head and tail as bytes). */
struct incident_parts {
    struct rb_record head, live, tail;
};
const struct incident_parts *incident_parts(void);

/* What the live part needs of an incident, small enough to keep beside its answer. */
struct incident_live {
    char owner_org[RB_ID_SIZE], org_id[RB_ID_SIZE], handling_org[RB_ID_SIZE];
    struct incident_times times;
    int64_t due[CLOCK__COUNT]; /* as stored */
    enum incident_status status;
    enum rb_tlp tlp;
    bool acknowledged, at_root;
};
/* Takes the live part's inputs from x as read (incident_get). False when x holds a status or TLP
 * that is none of the names (the answer then cannot be kept). */
bool incident_live_of(const rb_incident *x, struct incident_live *out);
/* Fills the live members of x (clocks, next_clock, overdue, party, writer and what "you" reads:
 * status, tlp, acknowledged_at, at_root) from l for actor at now; the others stay as they are. */
void incident_live_apply(const struct incident_live *l, const rb_actor *actor, int64_t now,
                         rb_incident *x);

/* A report or a change. For incident_update NULL strings and -1 mean "unchanged". */
struct incident_input {
    const char *title, *description, *rsit_class, *rsit_type, *detected_at, *affected_services;
    const char *org_id;  /* report: the affected org when a CERT reports about another org */
    int severity;        /* enum rb_severity */
    int tlp;             /* enum rb_tlp; report: -1 is AMBER */
    int cii;             /* 0, 1 */
    int status;          /* update: enum incident_status */
    const char *comment; /* update: a note kept in the timeline with the change */
};
void incident_input_init(struct incident_input *in);

/* Reports an incident. Errors: RB_EINVAL (field named: unknown class or type, a time in the
 * future, ...), RB_EPERM (the role may not report, or org_id is not in the reporter's
 * constituency), RB_ENOTFOUND (org_id). */
int incident_report(rb_db *db, const rb_actor *actor, rb_arena *a, const struct incident_input *in,
                    char out_id[RB_ID_SIZE], rb_errinfo *ei);

/* Changes a readable incident. A status change must be in incident_transitions for the actor's
 * party (RB_ECONFLICT naming the allowed ones otherwise); fields may be changed by either party;
 * the TLP by core/share's rules. */
int incident_update(rb_db *db, const rb_actor *actor, rb_arena *a, const char *id,
                    const struct incident_input *in, rb_errinfo *ei);

/* A readable incident with its clocks at now and its handling periods. RB_ENOTFOUND otherwise. */
int incident_get(rb_db *db, const rb_actor *actor, const char *id, rb_arena *a, rb_incident *out);

/* The same by the incident's number (the in-memory index's key); the handling periods are not
 * read. */
int incident_get_by_seq(rb_db *db, const rb_actor *actor, int64_t seq, rb_arena *a,
                        rb_incident *out);

/* The handling CERT acknowledges (its analysts and admins). RB_ECONFLICT when acknowledged. */
int incident_acknowledge(rb_db *db, const rb_actor *actor, const char *id, rb_errinfo *ei);

/* Escalates by hand to the next CERT up (an analyst or admin of the handling CERT; reason
 * FIELD_NOTE, required). RB_ECONFLICT at the National CERT, when ended, or for AMBER+STRICT and
 * RED. */
int incident_escalate(rb_db *db, const rb_actor *actor, const char *id, const char *reason,
                      rb_errinfo *ei);

/* A comment in the timeline (any reader whose role may report or triage). */
int incident_comment(rb_db *db, const rb_actor *actor, const char *id, const char *text,
                     rb_errinfo *ei);

/* Files the incident notification or the final report (either party; text FIELD_PROSE): meets
 * that clock. */
enum incident_stage { STAGE_NOTIFICATION = 0, STAGE_FINAL_REPORT, STAGE__COUNT };
extern const char *const rb_incident_stage_names[]; /* "notification", "final_report", NULL */
int incident_file_report(rb_db *db, const rb_actor *actor, const char *id,
                         enum incident_stage stage, const char *text, rb_errinfo *ei);

/* Merges a duplicate into a survivor the actor may read (the duplicate's handling CERT): the
 * duplicate ends as merged and points at the survivor; both timelines say so and they are
 * linked. RB_EINVAL (field "into") for itself or an ended survivor. */
int incident_merge(rb_db *db, const rb_actor *actor, const char *id, const char *into,
                   const char *reason, rb_errinfo *ei);

/* Attaches a file to a readable incident (any reader whose role may report or triage): at most
 * INCIDENT_FILE_MAX bytes (RB_ETOOBIG) and INCIDENT_FILES_MAX files (RB_ECONFLICT); core/files
 * keeps its SHA-256 and serves it only to the incident's readers. */
int incident_attach(rb_db *db, const rb_actor *actor, const char *id, const char *filename,
                    const char *content_type, const void *data, size_t len, char out_id[RB_ID_SIZE],
                    rb_errinfo *ei);

/* ---- for the modules around incidents (incident_work, scheduler, reporting, import) ---- */

/* What the writes need of an incident, read without a policy check (after one). */
struct incident_row {
    char id[RB_ID_SIZE], owner_org[RB_ID_SIZE], org_id[RB_ID_SIZE], handling_org[RB_ID_SIZE];
    char province[64], title[512];
    enum rb_tlp tlp;
    enum rb_severity severity;
    enum incident_status status;
    bool cii;
    int nhandlers;
    int64_t detected_at, reported_at, handling_since, acknowledged_at, notified_at, final_report_at,
        ended_at;
    int64_t due[CLOCK__COUNT]; /* the stored due times (0: none) */
};
int incident_row_load(rb_db *db, const char *id, struct incident_row *out);
/* The incident id for a write by actor: kind_load (the policy), then incident_row_load. Returns 0,
 * or RB_ENOTFOUND ("no such incident", also when the actor may not read it) or RB_EDB with ei (may
 * be NULL: the other incident of a merge or a link). */
int incident_load_for_write(rb_db *db, const rb_actor *actor, const char *id,
                            struct incident_row *x, rb_errinfo *ei);
/* Who may make a write to an incident (incident_start). */
enum incident_writer {
    WRITER_PARTY,       /* the affected org or the handling CERT: any incident_party bit */
    WRITER_HANDLER,     /* the handling CERT's analysts and admins (PARTY_HANDLER) */
    WRITER_CONTRIBUTOR, /* any reader whose role may report or triage (incident_may_contribute) */
};
/* The start of every write to an incident: incident_load_for_write, then the actor must be who,
 * else RB_EPERM with refusal (the caller's words for its write). */
int incident_start(rb_db *db, const rb_actor *actor, const char *id, enum incident_writer who,
                   const char *refusal, struct incident_row *x, rb_errinfo *ei);
/* May the actor's role report or triage (comment on, link, attach to a readable incident)? */
bool incident_may_contribute(const rb_actor *actor);
/* The other incident of a merge or a link, id as the input's member field: one the actor may
 * read (incident_load_for_write), else RB_EINVAL "\"<field>\" must be an incident you may read". */
int incident_load_other(rb_db *db, const rb_actor *actor, const char *field, const char *id,
                        struct incident_row *y, rb_errinfo *ei);
/* What someone says with a change (a reason, a comment, a report): it obeys the field rule and is
 * not blank; else RB_EINVAL naming field, with if_blank when it is blank. */
int incident_check_said(enum rb_field_kind rule, const char *field, const char *text,
                        const char *if_blank, rb_errinfo *ei);
/* What the clocks of x count from (core/deadline). */
void incident_times_of(const struct incident_row *x, struct incident_times *t);
/* The actor's incident_party bits for the incident. */
unsigned incident_party_of(const rb_actor *actor, const struct incident_row *x);
/* Inside w: computes the incident's due times again from the reporting policy and stores them
 * with next_due and next_check; then marks it changed (incident_touch). */
int incident_refresh_dues(rb_write *w, const struct incident_row *x);
/* Inside w: marks the incident changed for the in-memory index (the incident counter). */
int incident_touch(rb_write *w, const char *id);
/* The end of a write to x that moves no clock: incident_touch when rc is 0, then write_end with
 * the audit entry action on x (its owner org) or the refusal. Returns what write_end does. */
int incident_end(rb_write *w, int rc, const struct incident_row *x, const char *action,
                 const char *refusal);
/* Inside w: tries the escalation rules on the incident, escalating as long as one holds (at most
 * to the National CERT). ack_overdue says whether its acknowledgement deadline has passed. */
int incident_auto_escalate(rb_write *w, const char *id, bool ack_overdue);
/* Inside w: escalates x one level for rule with the sentence why. *done is false when there is
 * no CERT further up or the escalation has been made already. */
int incident_escalate_in(rb_write *w, const struct incident_row *x, enum escalation_rule rule,
                         const char *why, bool *done);

#endif
