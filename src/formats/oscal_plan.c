/*
 * oscal_plan.c - OSCAL assessment plans: a campaign written as what it assesses (the controls of
 * its profile), whom (the orgs in scope, as parties) and by when (a milestone on the due date)
 * (formats/oscal.h). How the codec's files fit together is explained atop oscal_int.h.
 *
 * Written with the JSON writer straight into the caller's buffer; no allocation.
 *
 * Must never: make up a uuid or read the clock (the caller gives both), or build JSON by hand.
 */
#include "base/common.h"
#include "formats/oscal_int.h"
#include "json/json.h"

#define TEXT_MAX 600 /* a description naming a profile or a campaign */

static const char ssp_remarks[] =
    "rabta keeps no system security plan: what is assessed is each organization in scope "
    "against the controls of the campaign's profile, resolved, which this href names.";

static bool in_scope(const struct oscal_party *p)
{
    return p->role_id && strcmp(p->role_id, "assessed-organization") == 0;
}

/* The orgs in scope as subjects {type party, include-subjects}. */
static void write_subjects(rj_writer *w, const struct oscal_plan *p, const char *key)
{
    rjw_karr(w, key);
    rjw_obj(w);
    rjw_kstr(w, "type", "party");
    rjw_kstr(w, "description", "The organizations in the campaign's scope, each assessing itself.");
    rjw_karr(w, "include-subjects");
    for (int i = 0; i < p->nparties; i++)
        if (in_scope(&p->parties[i])) {
            rjw_obj(w);
            rjw_kstr(w, "subject-uuid", p->parties[i].uuid);
            rjw_kstr(w, "type", "party");
            rjw_obj_end(w);
        }
    rjw_arr_end(w);
    rjw_obj_end(w);
    rjw_arr_end(w);
}

static void write_controls(rj_writer *w, const struct oscal_plan *p)
{
    char desc[TEXT_MAX];
    rb_fmt(desc, sizeof(desc), "Every control of the profile \"%s\", as its resolution gives it.",
           p->profile_title ? p->profile_title : "");
    rjw_kobj(w, "reviewed-controls");
    rjw_kstr(w, "description", desc);
    rjw_karr(w, "props");
    oscal__write_prop(w, "profile-id", p->ns, p->profile_id, NULL);
    rjw_arr_end(w);
    rjw_karr(w, "control-selections");
    rjw_obj(w);
    rjw_karr(w, "include-controls");
    for (int i = 0; i < p->ncontrols; i++) {
        rjw_obj(w);
        rjw_kstr(w, "control-id", p->control_ids[i]);
        rjw_obj_end(w);
    }
    rjw_arr_end(w);
    rjw_obj_end(w);
    rjw_arr_end(w);
    rjw_obj_end(w);
}

static void write_task(rj_writer *w, const struct oscal_plan *p)
{
    rjw_karr(w, "tasks");
    oscal__open_milestone(w, p->task_uuid, "Self-assessments due",
                          "Each organization in scope submits its self-assessment by the end of "
                          "this day (UTC); its parent CERT then reviews it.",
                          p->due);
    write_subjects(w, p, "subjects");
    rjw_obj_end(w);
    rjw_arr_end(w);
}

int oscal_plan_write(const struct oscal_plan *p, rb_buf *out)
{
    const struct oscal_meta m = {
        .title = p->title,
        .last_modified = p->last_modified,
        .version = p->status,
        .marking = p->marking,
        .parties = p->parties,
        .nparties = p->nparties,
    };
    rj_writer w;
    oscal__begin(&w, out, "assessment-plan", p->uuid, &m, "import-ssp", p->ssp_href, ssp_remarks);
    write_controls(&w, p);
    write_subjects(&w, p, "assessment-subjects");
    write_task(&w, p);
    return oscal__end(&w);
}
