/*
 * body_incidents.h - the JSON bodies of incidents, the inbox and the reporting policy (the
 * readers live in body_incidents.c and are rows of rb_bodies, body.h).
 */
#ifndef RABTA_BODY_INCIDENTS_H
#define RABTA_BODY_INCIDENTS_H

#include <stdbool.h>
#include <stdint.h>

#include "core/incident.h"
#include "core/incident_work.h"
#include "core/reporting.h"

struct body_def;

struct reason_body {
    const char *reason;
};
struct text_body {
    const char *text;
};
struct stage_body {
    int stage; /* enum incident_stage */
    const char *text;
};
struct merge_body {
    const char *into, *reason;
};
struct link_body {
    const char *incident_id, *reason;
};
#define INBOX_READ_MAX 500
struct inbox_read_body {
    int64_t seqs[INBOX_READ_MAX];
    int n;
    bool all;
};
#define REPORTING_RULES_MAX 64
struct reporting_body {
    struct reporting_change rules[REPORTING_RULES_MAX];
    int n;
};

/* struct incident_input (core/incident.h) for POST and PATCH; struct task_input for tasks. */
extern const struct body_def body_incident, body_incident_update, body_escalate, body_comment,
    body_stage, body_merge, body_link, body_task, body_task_update, body_inbox_read, body_reporting;

#endif
