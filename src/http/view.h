/*
 * view.h - the one object handler and the one write handler. Every route that answers one object
 * (GET /api/v1/orgs/{id}) names a view row, and every write that answers with an object or with
 * 204 (POST /api/v1/orgs, PATCH /api/v1/orgs/{id}, POST /api/v1/campaigns/{id}/close) names an
 * action row, by name in the route table (routes.txt). Both kinds of row live in view.c.
 *
 * h_view answers the view of {id}: `read` calls core and fills `size` bytes in the request
 * arena, then `record` (rjw_record) or `write` shows it with 200. Core's error is answered as
 * req_fail answers it (404 for what the caller may not read).
 *
 * h_action does, in this order: the body (req_body with `body`; none when NULL), `run` (core,
 * for the route's {id}; its refusal is answered with r->ei, which core filled), then the answer:
 * the view of the object run made (the id it sets) or else of {id}, with `status`; 204 when the
 * action has no view.
 *
 * Adding one: in view.c a `read` (and a `write` when no record of core's shows the object) and
 * `const struct view_def view_x`, or a `run` and `const struct action_def action_x`; declare it
 * below and name it in its route's line of routes.txt. Rows hold no SQL: they only call core. A `read` or
 * `run` that is one call of core is written with VIEW_READ, ACTION_RUN or ACTION_RUN_BODY below.
 */
#ifndef RABTA_VIEW_H
#define RABTA_VIEW_H

#include "http/body.h"
#include "http/request.h"

struct view_def {
    size_t size; /* of what read fills */
    /* Calls core for the object id (and the request's other parameters) into row, zeroed.
     * Returns 0 or core's error. */
    int (*read)(rb_req *r, const char *id, void *row);
    const struct rb_record *record; /* how row is shown; when NULL, write shows it */
    void (*write)(rj_writer *w, const void *row);
};

struct action_def {
    const struct body_def *body; /* the body's reader, or NULL: the action takes no body */
    /* Calls core with what the body gave (in) for the route's {id}; a write that makes an object
     * sets id to its id. Returns 0, or core's error with r->ei saying why. */
    int (*run)(rb_req *r, const void *in, char id[RB_ID_SIZE]);
    const struct view_def *view; /* what answers, or NULL: 204 */
    int status;                  /* with the view */
};

/*
 * VIEW_READ(name, call) defines the `read` function `name` of a view whose object is what one call
 * of core fills: `call`, written with the read function's parameters (r, id and row, the object
 * to fill). It returns call's error code.
 */
#define VIEW_READ(name, call)                                                                      \
    static int name(rb_req *r, const char *id, void *row)                                          \
    {                                                                                              \
        (void)r;                                                                                   \
        (void)id;                                                                                  \
        (void)row;                                                                                 \
        return call;                                                                               \
    }

/*
 * ACTION_RUN(name, call) defines the `run` function `name` of an action that is one call of core:
 * `call`, written with the run function's parameters (r, in, the body as read, and id, for the
 * id of what it makes). It returns call's error code.
 */
#define ACTION_RUN(name, call)                                                                     \
    static int name(rb_req *r, const void *in, char id[RB_ID_SIZE])                                \
    {                                                                                              \
        (void)in;                                                                                  \
        (void)id;                                                                                  \
        return call;                                                                               \
    }

/* ACTION_RUN_BODY(name, type, call): the same for a `call` that reads the body's members: it is
 * written with b, the body as a `const type *`. */
#define ACTION_RUN_BODY(name, type, call)                                                          \
    static int name(rb_req *r, const void *in, char id[RB_ID_SIZE])                                \
    {                                                                                              \
        const type *b = in;                                                                        \
        (void)id;                                                                                  \
        return call;                                                                               \
    }

/* Answers the view of id with status, or core's error. */
void req_view(rb_req *r, const struct view_def *def, const char *id, int status);

extern const struct view_def view_org, view_user, view_catalog, view_catalog_alone, view_control,
    view_grants, view_profile, view_trend, view_campaign, view_rollup, view_assessment,
    view_incident, view_task, view_link, view_taxonomy, view_reporting, view_inbox_count,
    view_advisory, view_ack_stats, view_adv_policy;
extern const struct action_def action_org_create, action_org_update, action_me_password,
    action_user_create, action_user_update, action_user_password, action_token_revoke,
    action_grants_add, action_profile_create, action_campaign_launch, action_campaign_close,
    action_assessment_save, action_assessment_submit, action_assessment_review,
    action_assessment_poam, action_incident_report, action_incident_update,
    action_incident_acknowledge, action_incident_escalate, action_incident_comment,
    action_incident_report_stage, action_incident_merge, action_task_add, action_task_update,
    action_link_add, action_reporting_set, action_advisory_create, action_advisory_revise,
    action_advisory_publish, action_advisory_ack, action_adv_policy_set, action_webhook_remove;

#endif
