/*
 * deadline.h - deadline clocks: when things are due, what is due next, what is overdue.
 *
 * Pure: no database, no clock of its own (the caller passes `now`). An incident has four clocks:
 *
 *   clock          due (from the reporting policy)                      met when
 *   acknowledge    handling_since + ack[severity] (the handling CERT's)  the handling CERT triages
 * it early warning  detected_at + early_warning (early_warning_cii if     the incident is reported
 *                  CII is involved)
 *   notification   detected_at + notification                           a notification is filed
 *   final report   detected_at + final_report                           a final report is filed
 *
 * Due times are computed by deadline_dues from one rule of the reporting policy (the handling
 * CERT's tier and the incident's severity) and stored with the incident while it is open, so a
 * change of policy is applied to open incidents by computing them again, and a closed incident
 * keeps the deadlines it was judged by. A clock whose deadline is 0 in the policy does not apply
 * (CLOCK_NONE). A clock is MET when it was met by its due time, MET_LATE when met after it, OVERDUE
 * when unmet past it, DUE_SOON when unmet and due within DEADLINE_SOON seconds, else PENDING. Once
 * an incident is closed (or rejected, or merged) its unmet clocks stop: they are CLOCK_STOPPED. The
 * defaults (DESIGN §6) are those of deadline_rule_default; the national admin edits them
 * (core/incident keeps the policy table).
 *
 * The escalation rules are a table too (escalation_rule): given what is known about an incident
 * at its handling CERT, which rule, if any, sends it to the next CERT up.
 */
#ifndef RABTA_DEADLINE_H
#define RABTA_DEADLINE_H

#include <stdbool.h>
#include <stdint.h>

/* NCISS-style severity, most severe first. */
enum rb_severity {
    SEV_EMERGENCY = 0,
    SEV_SEVERE,
    SEV_HIGH,
    SEV_MEDIUM,
    SEV_LOW,
    SEV_BASELINE,
    SEV__COUNT
};
extern const char *const rb_severity_names[]; /* "emergency", ..., NULL */

/* A clock due within this many seconds is "due soon" (the inbox warns within the hour). */
#define DEADLINE_SOON 3600

/* One row of the reporting policy (a tier and a severity): seconds from the event each deadline
 * counts from; 0: the deadline does not apply. */
struct deadline_rule {
    int64_t ack;               /* from handling_since: the handling CERT acknowledges */
    int64_t early_warning;     /* from detected_at: the early warning (the report itself) */
    int64_t early_warning_cii; /* the same when CII is involved */
    int64_t notification;      /* from detected_at: the incident notification */
    int64_t final_report;      /* from detected_at: the final report */
};

/* The defaults of DESIGN §6 for a severity: early warning 24 h after detection (6 h with CII),
 * notification 72 h, final report 30 days; acknowledgement 1 h emergency, 4 h severe, 8 h high,
 * 24 h medium, 72 h low and baseline. */
void deadline_rule_default(enum rb_severity sev, struct deadline_rule *out);

enum clock_kind {
    CLOCK_ACK = 0,
    CLOCK_EARLY_WARNING,
    CLOCK_NOTIFICATION,
    CLOCK_FINAL_REPORT,
    CLOCK__COUNT
};
extern const char *const rb_clock_names[]; /* "acknowledge", "early_warning", ... */

enum clock_state {
    CLOCK_NONE = 0,
    CLOCK_PENDING,
    CLOCK_DUE_SOON,
    CLOCK_OVERDUE,
    CLOCK_MET,
    CLOCK_MET_LATE,
    CLOCK_STOPPED
};
extern const char *const rb_clock_state_names[]; /* "none", "pending", ... */

/* What an incident's clocks count from and when they were met; 0: not (yet). */
struct incident_times {
    enum rb_severity severity;
    bool cii;
    int64_t detected_at;
    int64_t reported_at;
    int64_t handling_since; /* when the handling CERT got it (reported_at, or its escalation) */
    int64_t acknowledged_at;
    int64_t notified_at;
    int64_t final_report_at;
    int64_t ended_at; /* closed, rejected or merged */
};

struct clock {
    enum clock_kind kind;
    enum clock_state state;
    int64_t due; /* 0 when it does not apply */
    int64_t met; /* 0 when not met */
};

/* The due times of t's four clocks under rule r, in enum clock_kind order (0: does not apply). */
void deadline_dues(const struct deadline_rule *r, const struct incident_times *t,
                   int64_t due[CLOCK__COUNT]);
/* The four clocks of t at `now` from their due times (deadline_dues, or as stored). */
void deadline_clocks(const int64_t due[CLOCK__COUNT], const struct incident_times *t, int64_t now,
                     struct clock out[CLOCK__COUNT]);
/* The index of the unmet, running clock due first, or -1 when none runs. */
int deadline_next(const struct clock c[CLOCK__COUNT]);
/* True when any clock is overdue. */
bool deadline_any_overdue(const struct clock c[CLOCK__COUNT]);

/* ---- escalation rules ---- */

enum escalation_rule {
    ESC_NONE = 0,
    ESC_SEVERITY,       /* severity severe or emergency */
    ESC_CII,            /* CII involved */
    ESC_CROSS_PROVINCE, /* linked to an incident in another province */
    ESC_ACK_OVERDUE,    /* the handling CERT did not acknowledge in time */
    ESC_MANUAL,         /* an analyst of the handling CERT, with a reason */
    ESC__COUNT
};
extern const char *const rb_escalation_names[]; /* "none", "severity", ... */

/* What the rules look at, for an incident at its handling CERT. */
struct escalation_facts {
    enum rb_severity severity;
    bool cii;
    bool cross_province;
    bool ack_overdue;
    bool at_root;    /* the handling CERT is the National CERT: nowhere further up */
    bool restricted; /* TLP:AMBER+STRICT or RED: recipients may not pass it on (TLP 2.0) */
    bool ended;      /* closed, rejected or merged: never escalated */
    unsigned fired;  /* bit (1 << rule) for each rule that has escalated this incident already */
};

/* The first rule of the table that sends the incident one level up now, or ESC_NONE. `fired`
 * holds the rules that escalated it from this level already, so none fires twice here; at the
 * next level up the rules are tried again, so what is serious climbs to the National CERT. An
 * AMBER+STRICT or RED incident is never escalated automatically: TLP 2.0 lets only its owner share
 * it further. *why (may be NULL) gets a sentence for the
 * timeline. */
enum escalation_rule escalation_rule(const struct escalation_facts *f, const char **why);

#endif
