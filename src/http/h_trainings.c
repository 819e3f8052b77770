/* h_trainings.c - training sessions: what fits no row (see http/trainings.h): the iCalendar of a
 * session and an org's feed, material uploads, and the gaps view's query parameters. The rest are
 * rows in view_trainings.c and list_trainings.c. */
#include "base/common.h"
#include "core/files.h"
#include "core/kind.h"
#include "core/training.h"
#include "http/body.h"
#include "http/router.h"
#include "http/trainings.h"

#define ICS_TYPE "text/calendar; charset=utf-8"

REQ_DOCUMENT(h_trainings_ics, ICS_TYPE,
             training_ics(r->db, &r->actor, r->params[0], &r->arena, out), NULL)

void h_calendar_feed_public(rb_req *r)
{
    /* Whatever is wrong with the token (unknown, revoked, malformed), the answer is 404. */
    rb_buf *out = req_out_begin(r, 200, ICS_TYPE);
    int rc = calendar_feed_ics(r->db, r->params[0], &r->arena, out);
    if (rc == RB_ENOTFOUND)
        req_error(r, 404, "not_found", NULL, "no such calendar feed");
    else
        req_check(r, rc, NULL);
}

void h_trainings_attach(rb_req *r)
{
    h_files_attach(r, TRAINING_FILE_MAX, training_attach);
}

void h_trainings_gaps(rb_req *r)
{
    const char *root = req_query(r, "root"), *campaign = req_query(r, "campaign_id");
    const char *domain = req_query(r, "domain"), *v;
    double below = 50;
    int limit = 100;
    char *end = NULL;
    if ((v = req_query(r, "below"))) {
        below = strtod(v, &end);
        if (!end || *end || !(below > 0 && below <= 100)) {
            req_error(r, 422, "invalid_field", "below",
                      "\"below\" is the score under which a domain is weak: above 0, at most 100");
            return;
        }
    }
    if ((v = req_query(r, "limit"))) {
        long n = strtol(v, &end, 10);
        if (!end || *end || n < 1 || n > TRAINING_INVITE_MAX) {
            req_error(r, 422, "invalid_field", "limit",
                      "\"limit\" is how many weak orgs to list per domain: 1 to %d",
                      TRAINING_INVITE_MAX);
            return;
        }
        limit = (int)n;
    }
    if (domain && strlen(domain) > 64) {
        req_error(r, 422, "invalid_field", "domain", "\"domain\" is a domain id");
        return;
    }
    struct training_gaps g;
    int rc = training_gaps(r->db, &r->actor, root, campaign, below, domain, limit, &r->arena, &g);
    if (rc == RB_EINVAL) {
        req_error(r, 422, "invalid_field", "domain", "the campaign's catalog has no such domain");
        return;
    }
    if (req_check(r, rc, NULL))
        training_gaps_write(req_json_begin(r, 200), &g);
}

void h_calendar_feed_create(rb_req *r)
{
    char token[AUTH_TOKEN_SIZE], id[RB_ID_SIZE];
    if (!req_check(r, calendar_feed_create(r->db, &r->actor, r->params[0], token, id, &r->ei),
                   &r->ei))
        return;
    rb_calendar_feed f;
    if (!req_check(r, calendar_feed_get(r->db, &r->actor, r->params[0], &r->arena, &f), NULL))
        return;
    char path[160];
    rb_fmt(path, sizeof(path), "/api/v1/calendar/%s.ics", token);
    rj_writer *w = req_json_begin(r, 201);
    rjw_obj(w);
    rjw_members(w, &f, &calendar_feed_record);
    rjw_kstr(w, "token", token);
    rjw_kstr(w, "path", path);
    rjw_obj_end(w);
}
