/* h_profiles.c - what a campaign of a profile would reach, and a profile exported as OSCAL: the
 * profile itself and its resolved catalog (the list is a row in list.c; reading, making and the
 * trend are rows in view.c). The route loaded {id} through the policy before these run. */
#include "base/common.h"
#include "core/campaign.h"
#include "core/profile.h"
#include "http/body.h"
#include "http/router.h"

/* What launching a campaign of the profile would do, before the CERT launches it. */
void h_profiles_reach(rb_req *r)
{
    struct campaign_input in = {.profile_id = r->params[0],
                                .kind = req_query(r, "kind"),
                                .province = req_query(r, "province"),
                                .sector = req_query(r, "sector")};
    int orgs = 0;
    int rc = campaign_reach(r->db, &r->actor, &r->arena, &in, &orgs, &r->ei);
    if (rc && rc != RB_EINVAL) {
        req_fail(r, rc, &r->ei);
        return;
    }
    rj_writer *w = req_json_begin(r, 200);
    rjw_obj(w);
    rjw_kint(w, "orgs", rc ? 0 : orgs);
    rjw_kbool(w, "launchable", rc == 0);
    rjw_kstr(w, "reason", rc ? r->ei.msg : NULL);
    rjw_obj_end(w);
}

/* The profile as an OSCAL profile document. */
REQ_DOCUMENT(h_profiles_export, "application/json",
             profile_export(r->db, &r->actor, r->params[0], out), NULL)

/* The profile's resolved catalog, as an OSCAL catalog document. */
REQ_DOCUMENT(h_profiles_resolved, "application/json",
             profile_resolved(r->db, &r->actor, r->params[0], out, &r->ei), &r->ei)
