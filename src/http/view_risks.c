/*
 * view_risks.c - the view and action rows of risks and of the risk matrix (view.h); their routes
 * name them in routes.txt.
 *
 * Must never: hold SQL (core does), or answer otherwise than docs/api.md says.
 */
#include "base/common.h"
#include "core/risk.h"
#include "http/risks.h"
#include "http/view.h"

/* ---- one risk, with its linked controls ---- */

struct risk_view {
    rb_risk risk;
    struct risk_controls_view controls;
};

static int risk_read(rb_req *r, const char *id, void *row)
{
    struct risk_view *v = row;
    int rc = risk_get(r->db, &r->actor, id, &r->arena, &v->risk);
    return rc ? rc : risk_controls(r->db, &r->actor, id, &r->arena, &v->controls);
}

static void risk_write(rj_writer *w, const void *row)
{
    const struct risk_view *v = row;
    rjw_obj(w);
    rjw_members(w, &v->risk, &risk_record);
    rjw_krecords(w, "controls", v->controls.items, v->controls.n, &risk_control_record);
    rjw_key(w, "controls_assessment");
    if (v->controls.assessment_id) {
        rjw_obj(w);
        rjw_kstr(w, "assessment_id", v->controls.assessment_id);
        rjw_kstr(w, "campaign_title", v->controls.campaign_title);
        rjw_kstr(w, "reviewed_at", v->controls.reviewed_at);
        rjw_obj_end(w);
    } else {
        rjw_null(w);
    }
    rjw_obj_end(w);
}
const struct view_def view_risk = {sizeof(struct risk_view), risk_read, NULL, risk_write};

ACTION_RUN(risk_create_run, risk_create(r->db, &r->actor, in, id, &r->ei))
const struct action_def action_risk_create = {&body_risk, risk_create_run, &view_risk, 201};

ACTION_RUN(risk_update_run, risk_update(r->db, &r->actor, r->params[0], in, &r->ei))
const struct action_def action_risk_update = {&body_risk_update, risk_update_run, &view_risk, 200};

ACTION_RUN_BODY(risk_accept_run, struct risk_accept_body,
                risk_accept(r->db, &r->actor, r->params[0], b->reason, b->review_date, &r->ei))
const struct action_def action_risk_accept = {&body_risk_accept, risk_accept_run, &view_risk, 200};

/* ---- the matrix ---- */

VIEW_READ(matrix_read, risk_matrix_get(r->db, row))

static void matrix_write(rj_writer *w, const void *row)
{
    rjw_obj(w);
    risk_matrix_write(w, row);
    rjw_obj_end(w);
}
const struct view_def view_risk_matrix = {sizeof(struct risk_matrix), matrix_read, NULL,
                                          matrix_write};
