/*
 * view_trainings.c - the view and action rows of training sessions and of an org's calendar feed
 * (view.h); their routes name them in routes.txt.
 *
 * Must never: hold SQL (core does), or answer otherwise than docs/api.md says.
 */
#include "base/common.h"
#include "base/rtime.h"
#include "core/training.h"
#include "http/list.h"
#include "http/trainings.h"
#include "http/view.h"

VIEW_READ(training_read, training_get(r->db, &r->actor, id, &r->arena, row))
const struct view_def view_training = {sizeof(rb_training), training_read, &training_record, NULL};

ACTION_RUN(create_run, training_create(r->db, &r->actor, in, id, &r->ei))
const struct action_def action_training_create = {&body_training, create_run, &view_training, 201};

ACTION_RUN(update_run, training_update(r->db, &r->actor, r->params[0], in, &r->ei))
const struct action_def action_training_update = {&body_training_update, update_run, &view_training,
                                                  200};

ACTION_RUN_BODY(invite_run, struct invite_body,
                training_invite(r->db, &r->actor, r->params[0], b->org_ids, b->n, NULL, &r->ei))
const struct action_def action_training_invite = {&body_training_invite, invite_run, &view_training,
                                                  200};

ACTION_RUN_BODY(unregister_run, struct unregister_body,
                training_unregister(r->db, &r->actor, r->params[0], b->person_id, &r->ei))
const struct action_def action_training_unregister = {&body_training_unregister, unregister_run,
                                                      &view_training, 200};

/* ---- the people of the session {id} and its links: written, then answered as their lists show
 * them ---- */

VIEW_READ(person_read, list_pick(r, &list_training_people, id, row))
static const struct view_def view_training_person = {sizeof(rb_training_person), person_read,
                                                     &training_person_record, NULL};

ACTION_RUN(register_run, training_register(r->db, &r->actor, r->params[0], in, id, &r->ei))
const struct action_def action_training_register = {&body_training_person, register_run,
                                                    &view_training_person, 201};

/* Attendance and feedback are answered by the person they name (rc 0: a person of the session's,
 * whose id fits). */
static int person_answer(int rc, const char *person_id, char id[RB_ID_SIZE])
{
    if (!rc)
        rb_strlcpy(id, person_id, RB_ID_SIZE);
    return rc;
}

static int attend_run(rb_req *r, const void *in, char id[RB_ID_SIZE])
{
    const struct attend_body *b = in;
    return person_answer(
        training_attend(r->db, &r->actor, r->params[0], b->person_id, b->mode, &r->ei),
        b->person_id, id);
}
const struct action_def action_training_attend = {&body_training_attend, attend_run,
                                                  &view_training_person, 200};

static int feedback_run(rb_req *r, const void *in, char id[RB_ID_SIZE])
{
    const struct feedback_body *b = in;
    return person_answer(training_feedback(r->db, &r->actor, r->params[0], b->person_id, b->rating,
                                           b->comment, &r->ei),
                         b->person_id, id);
}
const struct action_def action_training_feedback = {&body_training_feedback, feedback_run,
                                                    &view_training_person, 200};

VIEW_READ(link_read, list_pick(r, &list_training_links, id, row))
static const struct view_def view_training_link = {sizeof(rb_training_link), link_read,
                                                   &training_link_record, NULL};

ACTION_RUN_BODY(link_run, struct training_link_body,
                training_link_add(r->db, &r->actor, r->params[0], b->title, b->url, id, &r->ei))
const struct action_def action_training_link = {&body_training_link, link_run, &view_training_link,
                                                201};

/* ?since= and ?until= as RFC 3339 UTC; a value that is no time is RB_EINVAL. */
static int span_of(rb_req *r, const char *key, char out[RB_TIME_SIZE], const char **bound)
{
    const char *v = req_query(r, key);
    int64_t t = 0;
    *bound = NULL;
    if (!v)
        return 0;
    if (strlen(v) > 40 || rb_time_parse(v, &t))
        return rb_err(&r->ei, RB_EINVAL, key, "\"%s\" must be a date or an RFC 3339 time", key);
    rb_time_format(t, out);
    *bound = out;
    return 0;
}

static int rollup_read(rb_req *r, const char *id, void *row)
{
    char since[RB_TIME_SIZE], until[RB_TIME_SIZE];
    const char *s = NULL, *u = NULL;
    RB_UNUSED(id);
    int rc = span_of(r, "since", since, &s);
    if (!rc)
        rc = span_of(r, "until", until, &u);
    return rc ? rc : training_rollup(r->db, &r->actor, req_query(r, "root"), s, u, &r->arena, row);
}
const struct view_def view_training_rollup = {sizeof(struct training_rollup), rollup_read, NULL,
                                              training_rollup_write};

VIEW_READ(feed_read, calendar_feed_get(r->db, &r->actor, id, &r->arena, row))
const struct view_def view_calendar_feed = {sizeof(rb_calendar_feed), feed_read,
                                            &calendar_feed_record, NULL};

ACTION_RUN(feed_revoke_run, calendar_feed_revoke(r->db, &r->actor, r->params[0], &r->ei))
const struct action_def action_calendar_feed_revoke = {NULL, feed_revoke_run, NULL, 204};
