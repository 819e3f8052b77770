/* h_profiles.c - profiles: read, create (ticked controls or an OSCAL profile), trend (the list is a
 * row in list.c). */
#include "base/common.h"
#include "core/campaign.h"
#include "core/profile.h"
#include "http/body.h"
#include "http/router.h"

static void answer_profile(rb_req *r, const char *id, int status)
{
    rb_profile p;
    char **ids = NULL;
    int n = 0;
    int rc = profile_get(r->db, &r->actor, id, &r->arena, &p);
    if (!rc)
        rc = profile_control_ids(r->db, &r->actor, id, &r->arena, &ids, &n);
    if (!req_check(r, rc, NULL))
        return;
    rj_writer *w = req_json_begin(r, status);
    rjw_obj(w);
    rjw_key(w, "profile");
    rjw_record(w, &p, &profile_record);
    rjw_key(w, "control_ids");
    rjw_arr(w);
    for (int i = 0; i < n; i++)
        rjw_str(w, ids[i]);
    rjw_arr_end(w);
    rjw_obj_end(w);
}

void h_profiles_get(rb_req *r)
{
    answer_profile(r, r->params[0], 200);
}

void h_profiles_create(rb_req *r)
{
    struct profile_body in;
    if (!req_body(r, &body_profile, &in))
        return;
    rb_errinfo ei;
    rb_errinfo_clear(&ei);
    char id[RB_ID_SIZE];
    int rc;
    if (in.oscal) {
        /* An OSCAL profile document given inline. */
        char *text = cJSON_PrintUnformatted(in.oscal);
        if (!text) {
            req_fail(r, RB_ENOMEM, NULL);
            return;
        }
        int selected = 0;
        rc = profile_import(r->db, &r->actor, &r->arena, text, strlen(text), in.catalog_id, &in.ap, id,
                            &selected, &ei);
        cJSON_free(text);
    } else {
        rc = profile_create(r->db, &r->actor, &r->arena, in.catalog_id, in.title, in.control_ids,
                            in.ncontrols, &in.ap, id, &ei);
    }
    if (!req_check(r, rc, &ei))
        return;
    answer_profile(r, id, 201);
}
void h_profiles_trend(rb_req *r)
{
    struct trend_point *pts = NULL;
    int n = 0;
    rb_profile p;
    int rc = profile_get(r->db, &r->actor, r->params[0], &r->arena, &p);
    if (!rc)
        rc = campaign_trend(r->db, &r->actor, r->params[0], req_query(r, "root"), &r->arena, &pts,
                            &n);
    if (!req_check(r, rc, NULL))
        return;
    rj_writer *w = req_json_begin(r, 200);
    rjw_obj(w);
    rjw_kstr(w, "profile_id", p.id);
    rjw_key(w, "campaigns");
    rjw_arr(w);
    for (int i = 0; i < n; i++)
        rjw_record(w, &pts[i], &trend_point_record);
    rjw_arr_end(w);
    rjw_obj_end(w);
}

/* What launching a campaign of the profile would do, before the CERT launches it. */
void h_profiles_reach(rb_req *r)
{
    struct campaign_input in = {.profile_id = r->params[0],
                                .kind = req_query(r, "kind"),
                                .province = req_query(r, "province"),
                                .sector = req_query(r, "sector")};
    rb_errinfo ei;
    rb_errinfo_clear(&ei);
    int orgs = 0;
    int rc = campaign_reach(r->db, &r->actor, &r->arena, &in, &orgs, &ei);
    if (rc && rc != RB_EINVAL) {
        req_fail(r, rc, &ei);
        return;
    }
    rj_writer *w = req_json_begin(r, 200);
    rjw_obj(w);
    rjw_kint(w, "orgs", rc ? 0 : orgs);
    rjw_kbool(w, "launchable", rc == 0);
    rjw_kstr(w, "reason", rc ? ei.msg : NULL);
    rjw_obj_end(w);
}
