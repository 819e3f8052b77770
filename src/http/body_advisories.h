/*
 * body_advisories.h - the JSON bodies of advisories: authoring, publishing, a record's move and
 * the deadlines (the readers live in body_advisories.c and are rows of rb_bodies, body.h).
 */
#ifndef RABTA_BODY_ADVISORIES_H
#define RABTA_BODY_ADVISORIES_H

#include "core/advisory.h"

struct body_def;

struct publish_body {
    int scope; /* enum rb_scope: "subtree" or "orgs" (SCOPE_ORG) */
    const char *org_ids[ADVISORY_PUBLISH_ORGS_MAX];
    int n;
};
struct ack_body {
    int status; /* enum ack_status */
    const char *note;
};
struct adv_policy_body {
    int severity; /* enum adv_severity */
    int ack_hours, mitigate_days;
};

/* struct advisory_input (core/advisory.h) for POST and PATCH. */
extern const struct body_def body_advisory, body_advisory_update, body_publish, body_ack,
    body_adv_policy;

#endif
