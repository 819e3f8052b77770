/*
 * view_incidents.c - the view and action rows of incidents, their tasks and links, the taxonomy,
 * the reporting policy and the inbox count (view.h); their routes name them in
 * routes.txt.
 *
 * Must never: hold SQL (core does), or answer otherwise than docs/api.md says.
 */
#include "base/common.h"
#include "core/inbox.h"
#include "core/incident.h"
#include "core/incident_answer.h"
#include "core/incident_work.h"
#include "core/reporting.h"
#include "formats/rsit.h"
#include "http/body_incidents.h"
#include "http/view.h"

/* ---- incidents ---- */

/* From the answers kept in memory when they hold it (core/incident_answer), which checks the
 * policy on every reading: its GET route leaves the load of {id} to it (ROUTE_READS_POLICY). */
VIEW_READ(incident_read, incident_answer_get(r->db, &r->actor, id, &r->arena, row))
const struct view_def view_incident = {sizeof(struct incident_answer), incident_read, NULL,
                                       incident_answer_write};

ACTION_RUN(incident_report_run, incident_report(r->db, &r->actor, &r->arena, in, id, &r->ei))
const struct action_def action_incident_report = {&body_incident, incident_report_run,
                                                  &view_incident, 201};

ACTION_RUN(incident_update_run,
           incident_update(r->db, &r->actor, &r->arena, r->params[0], in, &r->ei))
const struct action_def action_incident_update = {&body_incident_update, incident_update_run,
                                                  &view_incident, 200};

ACTION_RUN(incident_ack_run, incident_acknowledge(r->db, &r->actor, r->params[0], &r->ei))
const struct action_def action_incident_acknowledge = {NULL, incident_ack_run, &view_incident, 200};

ACTION_RUN(incident_escalate_run,
           incident_escalate(r->db, &r->actor, r->params[0],
                             ((const struct reason_body *)in)->reason, &r->ei))
const struct action_def action_incident_escalate = {&body_escalate, incident_escalate_run,
                                                    &view_incident, 200};

ACTION_RUN(incident_comment_run, incident_comment(r->db, &r->actor, r->params[0],
                                                  ((const struct text_body *)in)->text, &r->ei))
const struct action_def action_incident_comment = {&body_comment, incident_comment_run,
                                                   &view_incident, 201};

ACTION_RUN_BODY(incident_stage_run, struct stage_body,
                incident_file_report(r->db, &r->actor, r->params[0], (enum incident_stage)b->stage,
                                     b->text, &r->ei))
const struct action_def action_incident_report_stage = {&body_stage, incident_stage_run,
                                                        &view_incident, 201};

ACTION_RUN_BODY(incident_merge_run, struct merge_body,
                incident_merge(r->db, &r->actor, r->params[0], b->into, b->reason, &r->ei))
const struct action_def action_incident_merge = {&body_merge, incident_merge_run, &view_incident,
                                                 200};

/* ---- tasks and links ---- */

VIEW_READ(task_read, incident_task_get(r->db, &r->actor, r->params[0], id, &r->arena, row))
const struct view_def view_task = {sizeof(rb_task), task_read, &task_record, NULL};

ACTION_RUN(task_add_run, incident_task_add(r->db, &r->actor, r->params[0], in, id, &r->ei))
const struct action_def action_task_add = {&body_task, task_add_run, &view_task, 201};

static int task_update_run(rb_req *r, const void *in, char id[RB_ID_SIZE])
{
    rb_strlcpy(id, r->params[1], RB_ID_SIZE);
    return incident_task_update(r->db, &r->actor, r->params[0], r->params[1], in, &r->ei);
}
const struct action_def action_task_update = {&body_task_update, task_update_run, &view_task, 200};

VIEW_READ(link_read, incident_link_get(r->db, &r->actor, r->params[0], id, &r->arena, row))
const struct view_def view_link = {sizeof(rb_link), link_read, &link_record, NULL};

static int link_add_run(rb_req *r, const void *in, char id[RB_ID_SIZE])
{
    const struct link_body *b = in;
    int rc = incident_link(r->db, &r->actor, r->params[0], b->incident_id, b->reason, &r->ei);
    if (!rc)
        rb_strlcpy(id, b->incident_id, RB_ID_SIZE);
    return rc;
}
const struct action_def action_link_add = {&body_link, link_add_run, &view_link, 201};

/* ---- the taxonomy, the reporting policy, the inbox count ---- */

/* The taxonomy is RSIT's table (formats/rsit.h): there is nothing to read. */
VIEW_READ(nothing_read, 0)

/* A class and each of its types are shown alike: id, label, description. */
static const struct rb_member class_members[] = {
    RB_MEMBERS(struct rsit_class, id, label, description),
};
static const struct rb_record class_record = RB_RECORD(struct rsit_class, class_members);
static const struct rb_member type_members[] = {
    RB_MEMBERS(struct rsit_type, id, label, description),
};
static const struct rb_record type_record = RB_RECORD(struct rsit_type, type_members);

static void taxonomy_write(rj_writer *w, const void *row)
{
    RB_UNUSED(row);
    rjw_obj(w);
    rjw_kstr(w, "name", "ENISA Reference Security Incident Taxonomy");
    rjw_kstr(w, "version", rsit_version);
    rjw_karr(w, "classes");
    for (int i = 0; i < rsit_nclasses; i++) {
        rjw_obj(w);
        rjw_members(w, &rsit_classes[i], &class_record);
        rjw_krecords(w, "types", rsit_classes[i].types, rsit_classes[i].ntypes, &type_record);
        rjw_obj_end(w);
    }
    rjw_arr_end(w);
    rjw_obj_end(w);
}
const struct view_def view_taxonomy = {1, nothing_read, NULL, taxonomy_write};

struct policy_view {
    rb_reporting_row *rows;
    int n;
};

static int policy_read(rb_req *r, const char *id, void *row)
{
    struct policy_view *v = row;
    RB_UNUSED(id);
    return reporting_list(r->db, &r->arena, &v->rows, &v->n);
}

static void policy_write(rj_writer *w, const void *row)
{
    const struct policy_view *v = row;
    reporting_write_json(w, v->rows, v->n);
}
const struct view_def view_reporting = {sizeof(struct policy_view), policy_read, NULL,
                                        policy_write};

ACTION_RUN_BODY(policy_set_run, struct reporting_body,
                reporting_set(r->db, &r->actor, b->rules, b->n, NULL, &r->arena, &r->ei))
const struct action_def action_reporting_set = {&body_reporting, policy_set_run, &view_reporting,
                                                200};

VIEW_READ(unread_read, inbox_unread(r->db, &r->actor, row))

static void unread_write(rj_writer *w, const void *row)
{
    int n = *(const int *)row;
    rjw_obj(w);
    rjw_kint(w, "unread", n);
    rjw_kbool(w, "capped", n >= INBOX_COUNT_MAX);
    rjw_obj_end(w);
}
const struct view_def view_inbox_count = {sizeof(int), unread_read, NULL, unread_write};
