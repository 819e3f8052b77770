/* list_trainings.c - the list rows of training sessions: the readable sessions (by start time,
 * paged by id), and a session's invited orgs, people and links. */
#include "base/common.h"
#include "base/rtime.h"
#include "core/training.h"
#include "http/list.h"
#include "http/router.h"
#include "http/trainings.h"

/* A time filter: RFC 3339 or a date, kept as RFC 3339 UTC in the arena. */
static bool when(rb_req *r, const char *key, const char **out)
{
    const char *v = req_query(r, key);
    int64_t t = 0;
    if (!v)
        return true;
    if (strlen(v) > 40 || rb_time_parse(v, &t)) {
        req_error(r, 422, "invalid_field", key,
                  "\"%s\" must be a date (2026-03-01) or a date and time (RFC 3339)", key);
        return false;
    }
    char *s = rb_arena_alloc(&r->arena, RB_TIME_SIZE);
    if (!s)
        return req_check(r, RB_ENOMEM, NULL);
    rb_time_format(t, s);
    *out = s;
    return true;
}

static bool trainings_read(rb_req *r, struct list_query *q)
{
    struct training_filter *f = q->filter;
    const char *v;
    f->status = -1;
    f->mode = -1;
    if (!list_query_name(r, "status", training_status_names,
                         "\"status\" is draft, scheduled or cancelled", &f->status) ||
        !list_query_name(r, "mode", training_mode_names, "\"mode\" is in_person, virtual or hybrid",
                         &f->mode) ||
        !list_query_text(r, "org_id", 64, "\"org_id\" is an org id", &f->org_id))
        return false;
    if ((v = req_query(r, "order"))) {
        if (strcmp(v, "newest") != 0 && strcmp(v, "oldest") != 0)
            return list_query_refuse(r, "order",
                                     "\"order\" is oldest (by start, the default) or newest");
        f->newest_first = strcmp(v, "newest") == 0;
    }
    if (!when(r, "from", &f->from) || !when(r, "to", &f->to) ||
        !when(r, "ends_from", &f->ends_from) || !list_query_flag(r, "invited", &f->invited) ||
        !list_query_flag(r, "mine", &f->mine))
        return false;
    f->after_id = q->cursor;
    f->limit = q->limit;
    return true;
}

LIST_DEF(list_trainings, rb_training,
         training_list(r->db, &r->actor, q->filter, &r->arena, &out, n, more),
         LIST_BY_ID(rb_training), LIST_FILTER(struct training_filter, trainings_read),
         .record = &training_record);

LIST_DEF(list_training_invites, rb_training_invite,
         training_invites(r->db, &r->actor, r->params[0], &r->arena, &out, n),
         .record = &training_invite_record);

LIST_ID_FIRST(rb_training_person);

LIST_DEF(list_training_people, rb_training_person,
         training_people(r->db, &r->actor, r->params[0], &r->arena, &out, n),
         .record = &training_person_record);

LIST_ID_FIRST(rb_training_link);

LIST_DEF(list_training_links, rb_training_link,
         training_links(r->db, &r->actor, r->params[0], &r->arena, &out, n),
         .record = &training_link_record);
