/*
 * view.c - the one object handler and the one write handler (view.h), and every view's and
 * action's row: how it calls core and how it shows what core gave. The rows follow the route
 * table's order.
 *
 * Must never: hold SQL (core does), or answer otherwise than docs/api.md says.
 */
#include "base/common.h"
#include "core/assessment.h"
#include "core/campaign.h"
#include "core/catalog.h"
#include "core/org.h"
#include "core/profile.h"
#include "core/share.h"
#include "core/user.h"
#include "http/router.h"
#include "http/view.h"

void req_view(rb_req *r, const struct view_def *def, const char *id, int status)
{
    void *row = rb_arena_alloc(&r->arena, def->size);
    if (!req_check(r, row ? def->read(r, id, row) : RB_ENOMEM, NULL))
        return;
    rj_writer *w = req_json_begin(r, status);
    if (def->record)
        rjw_record(w, row, def->record);
    else
        def->write(w, row);
}

void h_view(rb_req *r)
{
    req_view(r, r->route->view, r->params[0], 200);
}

void h_action(rb_req *r)
{
    const struct action_def *def = r->route->action;
    void *in = def->body ? rb_arena_alloc(&r->arena, def->body->size) : NULL;
    if (def->body && !in) {
        req_fail(r, RB_ENOMEM, NULL);
        return;
    }
    if (def->body && !req_body(r, def->body, in))
        return;
    char id[RB_ID_SIZE] = "";
    if (!req_check(r, def->run(r, in, id), &r->ei))
        return;
    if (def->view)
        req_view(r, def->view, id[0] ? id : r->params[0], def->status);
    else
        req_no_content(r);
}

/* ---- orgs ---- */

VIEW_READ(org_read, org_get(r->db, &r->actor, id, &r->arena, row))
const struct view_def view_org = {sizeof(rb_org), org_read, &org_record, NULL};

ACTION_RUN(org_create_run, org_create(r->db, &r->actor, in, id, &r->ei))
const struct action_def action_org_create = {&body_org, org_create_run, &view_org, 201};

ACTION_RUN(org_update_run, org_update(r->db, &r->actor, r->params[0], in, &r->arena, &r->ei))
const struct action_def action_org_update = {&body_org, org_update_run, &view_org, 200};

/* ---- the caller's password, users ---- */

static int me_password_run(rb_req *r, const void *in, char id[RB_ID_SIZE])
{
    const struct password_body *p = in;
    RB_UNUSED(id);
    /* The session making the change survives it; every other one ends. */
    return user_set_password(r->db, &r->actor, r->actor.user_id, p->current_password, p->password,
                             r->via_cookie ? req_cookie(r, REQ_SESSION_COOKIE) : NULL, &r->arena,
                             &r->ei);
}
const struct action_def action_me_password = {&body_password, me_password_run, NULL, 204};

VIEW_READ(user_read, user_get(r->db, &r->actor, id, &r->arena, row))
const struct view_def view_user = {sizeof(rb_user), user_read, &user_record, NULL};

ACTION_RUN(user_create_run, user_create(r->db, &r->actor, in, id, &r->ei))
const struct action_def action_user_create = {&body_user, user_create_run, &view_user, 201};

static int user_update_run(rb_req *r, const void *in, char id[RB_ID_SIZE])
{
    RB_UNUSED(id);
    const struct user_update_body *u = in;
    return user_set_disabled(r->db, &r->actor, r->params[0], u->disabled, &r->arena, &r->ei);
}
const struct action_def action_user_update = {&body_user_update, user_update_run, &view_user, 200};

static int user_password_run(rb_req *r, const void *in, char id[RB_ID_SIZE])
{
    RB_UNUSED(id);
    if (strcmp(r->params[0], r->actor.user_id) == 0)
        return rb_err(&r->ei, RB_EINVAL, "",
                      "change your own password with POST /api/v1/me/password");
    const struct user_password_body *p = in;
    return user_set_password(r->db, &r->actor, r->params[0], NULL, p->password, NULL, &r->arena,
                             &r->ei);
}
const struct action_def action_user_password = {&body_user_password, user_password_run, NULL, 204};

ACTION_RUN(token_revoke_run, token_revoke(r->db, &r->actor, r->params[0], &r->ei))
const struct action_def action_token_revoke = {NULL, token_revoke_run, NULL, 204};

/* ---- catalogs, and the grants of any shareable object (the route names its kind) ---- */

struct catalog_view {
    rb_catalog catalog;
    rb_catalog_group *groups;
    int n;
};

static int catalog_read(rb_req *r, const char *id, void *row)
{
    struct catalog_view *v = row;
    int rc = catalog_get(r->db, &r->actor, id, &r->arena, &v->catalog);
    return rc ? rc : catalog_groups(r->db, &r->actor, id, &r->arena, &v->groups, &v->n);
}

static void catalog_write(rj_writer *w, const void *row)
{
    const struct catalog_view *v = row;
    rjw_obj(w);
    rjw_krecord(w, "catalog", &v->catalog, &catalog_record);
    rjw_krecords(w, "groups", v->groups, v->n, &catalog_group_record);
    rjw_obj_end(w);
}
const struct view_def view_catalog = {sizeof(struct catalog_view), catalog_read, NULL,
                                      catalog_write};

/* The catalog without its groups: the answer to an import. */
VIEW_READ(catalog_alone_read, catalog_get(r->db, &r->actor, id, &r->arena, row))
const struct view_def view_catalog_alone = {sizeof(rb_catalog), catalog_alone_read, &catalog_record,
                                            NULL};

VIEW_READ(control_read, catalog_control(r->db, &r->actor, id, r->params[1], &r->arena, row))
const struct view_def view_control = {sizeof(rb_control), control_read, &control_record, NULL};

struct grants_view {
    rb_grant *rows;
    int n;
};

static int grants_read(rb_req *r, const char *id, void *row)
{
    struct grants_view *v = row;
    return share_list(r->db, &r->actor, r->route->kind, id, &r->arena, &v->rows, &v->n);
}

/* Every grant at once, in the shape of a list's page. */
static void grants_write(rj_writer *w, const void *row)
{
    const struct grants_view *v = row;
    rjw_obj(w);
    rjw_krecords(w, "items", v->rows, v->n, &share_grant_record);
    rjw_kstr(w, "next_cursor", NULL);
    rjw_obj_end(w);
}
const struct view_def view_grants = {sizeof(struct grants_view), grants_read, NULL, grants_write};

static int grants_add_run(rb_req *r, const void *in, char id[RB_ID_SIZE])
{
    const struct grant_body *g = in;
    RB_UNUSED(id);
    return share_add(r->db, &r->actor, &r->arena, r->route->kind, r->params[0], g->org_id,
                     (enum rb_scope)g->scope, &r->ei);
}
const struct action_def action_grants_add = {&body_grant, grants_add_run, &view_grants, 201};

/* ---- profiles ---- */

struct profile_view {
    rb_profile profile;
    char **control_ids;
    int n;
};

static int profile_read(rb_req *r, const char *id, void *row)
{
    struct profile_view *v = row;
    int rc = profile_get(r->db, &r->actor, id, &r->arena, &v->profile);
    return rc ? rc : profile_control_ids(r->db, &r->actor, id, &r->arena, &v->control_ids, &v->n);
}

static void profile_write(rj_writer *w, const void *row)
{
    const struct profile_view *v = row;
    rjw_obj(w);
    rjw_krecord(w, "profile", &v->profile, &profile_record);
    rjw_karr(w, "control_ids");
    for (int i = 0; i < v->n; i++)
        rjw_str(w, v->control_ids[i]);
    rjw_arr_end(w);
    rjw_obj_end(w);
}
const struct view_def view_profile = {sizeof(struct profile_view), profile_read, NULL,
                                      profile_write};

/* Ticked controls, or an OSCAL profile document given inline ("oscal"). */
static int profile_create_run(rb_req *r, const void *in, char id[RB_ID_SIZE])
{
    const struct profile_body *p = in;
    if (!p->oscal)
        return profile_create(r->db, &r->actor, &r->arena, p->catalog_id, p->title, p->control_ids,
                              p->ncontrols, &p->ap, id, &r->ei);
    char *text = cJSON_PrintUnformatted(p->oscal);
    if (!text)
        return RB_ENOMEM;
    int selected = 0;
    int rc = profile_import(r->db, &r->actor, &r->arena, text, strlen(text), p->catalog_id, &p->ap,
                            id, &selected, &r->ei);
    cJSON_free(text);
    return rc;
}
const struct action_def action_profile_create = {&body_profile, profile_create_run, &view_profile,
                                                 201};

struct trend_view {
    rb_profile profile;
    struct trend_point *points;
    int n;
};

static int trend_read(rb_req *r, const char *id, void *row)
{
    struct trend_view *v = row;
    int rc = profile_get(r->db, &r->actor, id, &r->arena, &v->profile);
    return rc ? rc
              : campaign_trend(r->db, &r->actor, id, req_query(r, "root"), &r->arena, &v->points,
                               &v->n);
}

static void trend_write(rj_writer *w, const void *row)
{
    const struct trend_view *v = row;
    rjw_obj(w);
    rjw_kstr(w, "profile_id", v->profile.id);
    rjw_krecords(w, "campaigns", v->points, v->n, &trend_point_record);
    rjw_obj_end(w);
}
const struct view_def view_trend = {sizeof(struct trend_view), trend_read, NULL, trend_write};

/* ---- campaigns ---- */

VIEW_READ(campaign_read, campaign_get(r->db, &r->actor, id, &r->arena, row))
const struct view_def view_campaign = {sizeof(rb_campaign), campaign_read, &campaign_record, NULL};

static int campaign_launch_run(rb_req *r, const void *in, char id[RB_ID_SIZE])
{
    int created = 0;
    return campaign_launch(r->db, &r->actor, &r->arena, in, id, &created, &r->ei);
}
const struct action_def action_campaign_launch = {&body_campaign, campaign_launch_run,
                                                  &view_campaign, 201};

ACTION_RUN(campaign_close_run, campaign_close(r->db, &r->actor, r->params[0], &r->arena, &r->ei))
const struct action_def action_campaign_close = {NULL, campaign_close_run, &view_campaign, 200};

VIEW_READ(rollup_read, campaign_rollup(r->db, &r->actor, id, req_query(r, "root"), &r->arena, row))

static void rollup_write(rj_writer *w, const void *row)
{
    rollup_write_json(w, row);
}
const struct view_def view_rollup = {sizeof(struct rollup), rollup_read, NULL, rollup_write};

/* ---- assessments: every change answers the whole assessment ---- */

struct assessment_view {
    rb_assessment assessment;
    rb_assessment_item *items;
    int n;
    rb_poam_plan *plans; /* the org's plan for its gaps (POA&M) */
    int nplans;
};

static int assessment_read(rb_req *r, const char *id, void *row)
{
    struct assessment_view *v = row;
    int rc = assessment_get(r->db, &r->actor, id, &r->arena, &v->assessment);
    if (!rc)
        rc = assessment_items(r->db, &r->actor, id, &r->arena, &v->items, &v->n);
    return rc ? rc : assessment_poam_list(r->db, &r->actor, id, &r->arena, &v->plans, &v->nplans);
}

static void assessment_write(rj_writer *w, const void *row)
{
    const struct assessment_view *v = row;
    rjw_obj(w);
    rjw_krecord(w, "assessment", &v->assessment, &assessment_record);
    rjw_krecords(w, "controls", v->items, v->n, &assessment_item_record);
    rjw_krecords(w, "poam", v->plans, v->nplans, &assessment_poam_record);
    rjw_obj_end(w);
}
const struct view_def view_assessment = {sizeof(struct assessment_view), assessment_read, NULL,
                                         assessment_write};

ACTION_RUN_BODY(assessment_save_run, struct answers_body,
                assessment_save(r->db, &r->actor, &r->arena, r->params[0], b->items, b->n, &r->ei))
const struct action_def action_assessment_save = {&body_answers, assessment_save_run,
                                                  &view_assessment, 200};

ACTION_RUN(assessment_submit_run,
           assessment_submit(r->db, &r->actor, &r->arena, r->params[0], &r->ei))
const struct action_def action_assessment_submit = {NULL, assessment_submit_run, &view_assessment,
                                                    200};

ACTION_RUN_BODY(assessment_review_run, struct review_body,
                assessment_review(r->db, &r->actor, &r->arena, r->params[0], b->items, b->n,
                                  &r->ei))
const struct action_def action_assessment_review = {&body_review, assessment_review_run,
                                                    &view_assessment, 200};

ACTION_RUN(assessment_poam_run,
           assessment_poam_set(r->db, &r->actor, &r->arena, r->params[0], r->params[1], in, &r->ei))
const struct action_def action_assessment_poam = {&body_poam, assessment_poam_run, &view_assessment,
                                                  200};
