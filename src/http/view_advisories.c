/*
 * view_advisories.c - the view and action rows of advisories, their records and deadlines
 * (view.h); their routes name them in routes.txt.
 *
 * Must never: hold SQL (core does), or answer otherwise than docs/api.md says.
 */
#include "base/common.h"
#include "core/advisory.h"
#include "http/body_advisories.h"
#include "http/view.h"

VIEW_READ(advisory_read, advisory_get(r->db, &r->actor, id, &r->arena, row))
const struct view_def view_advisory = {sizeof(rb_advisory), advisory_read, &advisory_record, NULL};

ACTION_RUN(advisory_create_run, advisory_create(r->db, &r->actor, &r->arena, in, id, &r->ei))
const struct action_def action_advisory_create = {&body_advisory, advisory_create_run,
                                                  &view_advisory, 201};

ACTION_RUN(advisory_revise_run,
           advisory_revise(r->db, &r->actor, &r->arena, r->params[0], in, &r->ei))
const struct action_def action_advisory_revise = {&body_advisory_update, advisory_revise_run,
                                                  &view_advisory, 200};

ACTION_RUN_BODY(advisory_publish_run, struct publish_body,
                advisory_publish(r->db, &r->actor, r->params[0], (enum rb_scope)b->scope,
                                 b->org_ids, b->n, &r->ei))
const struct action_def action_advisory_publish = {&body_publish, advisory_publish_run,
                                                   &view_advisory, 200};

ACTION_RUN_BODY(advisory_ack_run, struct ack_body,
                advisory_ack(r->db, &r->actor, r->params[0], (enum ack_status)b->status, b->note,
                             &r->ei))
const struct action_def action_advisory_ack = {&body_ack, advisory_ack_run, &view_advisory, 200};

VIEW_READ(ack_stats_read, advisory_ack_stats(r->db, &r->actor, id, &r->arena, row))
const struct view_def view_ack_stats = {sizeof(rb_ack_stats), ack_stats_read, NULL,
                                        advisory_ack_stats_write};

struct adv_policy_view {
    rb_adv_policy *rows;
    int n;
};

static int adv_policy_read(rb_req *r, const char *id, void *row)
{
    struct adv_policy_view *v = row;
    RB_UNUSED(id);
    return advisory_policy_get(r->db, &r->arena, &v->rows, &v->n);
}

static void adv_policy_write(rj_writer *w, const void *row)
{
    const struct adv_policy_view *v = row;
    rjw_obj(w);
    rjw_krecords(w, "rules", v->rows, v->n, &adv_policy_record);
    rjw_obj_end(w);
}
const struct view_def view_adv_policy = {sizeof(struct adv_policy_view), adv_policy_read, NULL,
                                         adv_policy_write};

ACTION_RUN_BODY(adv_policy_set_run, struct adv_policy_body,
                advisory_policy_set(r->db, &r->actor, (enum adv_severity)b->severity, b->ack_hours,
                                    b->mitigate_days, &r->ei))
const struct action_def action_adv_policy_set = {&body_adv_policy, adv_policy_set_run,
                                                 &view_adv_policy, 200};
