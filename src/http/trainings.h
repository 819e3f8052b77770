/*
 * trainings.h - the rows and handlers of training sessions (core/training): their body readers
 * (body_trainings.c, rows of rb_bodies), views and actions (view_trainings.c), lists
 * (list_trainings.c), and what fits no row (h_trainings.c): the iCalendar of a session, the
 * org's calendar feed and its public URL, material uploads and the gaps view with its query
 * parameters. The routes of {id} name kind_training, so dispatch answers 404 to whoever may not
 * read the session (a draft: everyone but its owner).
 */
#ifndef RABTA_HTTP_TRAININGS_H
#define RABTA_HTTP_TRAININGS_H

#include "core/training.h"
#include "http/request.h"

struct body_def;
struct view_def;
struct action_def;
struct list_def;

struct invite_body {
    const char **org_ids;
    int n;
};
struct attend_body {
    const char *person_id;
    int mode; /* enum training_mode (in_person or virtual); -1: did not attend (null) */
};
struct feedback_body {
    const char *person_id;
    int rating;
    const char *comment;
};
struct unregister_body {
    const char *person_id;
};
struct training_link_body {
    const char *title, *url;
};

/* struct training_input (POST and PATCH), struct invite_body, struct person_input,
 * struct attend_body, struct feedback_body, struct training_link_body. */
extern const struct body_def body_training, body_training_update, body_training_invite,
    body_training_person, body_training_attend, body_training_feedback, body_training_link,
    body_training_unregister;

/* One session; the roll-up (?root=); an org's calendar feed (never its token). */
extern const struct view_def view_training, view_training_rollup, view_calendar_feed;
/* Create (201), change (200), invite (200) and take a registration back (200), answered by the
 * session; revoke the feed (204); register (201), record attendance and feedback (200), answered
 * by the person; add a link (201), answered by the link. */
extern const struct action_def action_training_create, action_training_update,
    action_training_invite, action_training_unregister, action_calendar_feed_revoke,
    action_training_register, action_training_attend, action_training_feedback,
    action_training_link;

/* GET /api/v1/trainings (filters, paged by id) and a session's invites, people and links. */
extern const struct list_def list_trainings, list_training_invites, list_training_people,
    list_training_links;

void h_trainings_ics(rb_req *r);
void h_trainings_attach(rb_req *r);
void h_trainings_gaps(rb_req *r);
void h_calendar_feed_create(rb_req *r);
void h_calendar_feed_public(rb_req *r);

#endif
