/* list_incidents.c - the list rows of incidents, their tasks and links, the inbox, and the two
 * lists every kind with a timeline or files shares (the route's kind decides which objects). */
#include "base/common.h"
#include "core/files.h"
#include "core/history.h"
#include "core/inbox.h"
#include "core/incident.h"
#include "core/incident_index.h"
#include "core/incident_work.h"
#include "http/list.h"
#include "http/router.h"

/* ---- GET /api/v1/incidents: newest first, paged by number ---- */

static bool incidents_read(rb_req *r, struct list_query *q)
{
    struct incident_filter *f = q->filter;
    if (!incident_filter_read(r, f))
        return false;
    f->limit = q->limit;
    f->before = q->after > 0 ? q->after : 0;
    return true;
}

LIST_ROWS(incidents_rows, rb_incident,
          incident_list(r->db, &r->actor, q->filter, &r->arena, &out, n, more, NULL))

const struct list_def list_incidents = {
    LIST_BY_NUMBER(rb_incident, number, 1, UINT32_MAX),
    LIST_FILTER(struct incident_filter, incidents_read),
    .list = incidents_rows,
    .record = &incident_record,
};

/* ---- GET /api/v1/incidents/{id}/tasks, /links; GET /api/v1/tasks (the caller's org's) ---- */

LIST_ROWS(tasks_rows, rb_task, incident_tasks(r->db, &r->actor, r->params[0], &r->arena, &out, n))

LIST_ROWS(my_tasks_rows, rb_task, incident_tasks_mine(r->db, &r->actor, 200, &r->arena, &out, n))

const struct list_def list_incident_tasks = {.list = tasks_rows, .record = &task_record};
const struct list_def list_my_tasks = {.list = my_tasks_rows, .record = &task_record};

LIST_ROWS(links_rows, rb_link, incident_links(r->db, &r->actor, r->params[0], &r->arena, &out, n))

const struct list_def list_incident_links = {.list = links_rows, .record = &link_record};

/* ---- GET /api/v1/inbox: the caller's org's items, newest first ---- */

static bool inbox_read_filter(rb_req *r, struct list_query *q)
{
    return list_query_flag(r, "unread", q->filter);
}

LIST_ROWS(inbox_rows, rb_inbox_item,
          inbox_list(r->db, &r->actor, *(bool *)q->filter, q->after > 0 ? q->after : 0, q->limit,
                     &r->arena, &out, n, more))

const struct list_def list_inbox = {
    LIST_BY_NUMBER(rb_inbox_item, seq, 1, INT64_MAX),
    LIST_FILTER(bool, inbox_read_filter),
    .list = inbox_rows,
    .record = &inbox_item_record,
};

/* ---- GET /api/v1/<kind>s/{id}/timeline: oldest first, for the route's kind ---- */

LIST_ROWS(timeline_rows, rb_event,
          history_list(r->db, &r->actor, r->route->kind, r->params[0], q->after > 0 ? q->after : 0,
                       q->limit, &r->arena, &out, n, more))

/* The timeline as every kind with one shows it. */
static const struct rb_member event_members[] = {
    RB_MEMBERS(rb_event, seq, at, actor, action, part, comment),
};
static const struct rb_record event_record = RB_RECORD(rb_event, event_members);

const struct list_def list_timeline = {
    LIST_BY_NUMBER(rb_event, seq, 0, INT64_MAX),
    .list = timeline_rows,
    .record = &event_record,
};

/* ---- GET /api/v1/<kind>s/{id}/files: the files of the route's kind's object ---- */

LIST_ID_FIRST(rb_file);
LIST_ROWS(files_rows, rb_file,
          files_list(r->db, &r->actor, r->route->kind, r->params[0], &r->arena, &out, n))

const struct list_def list_files = {.list = files_rows, .record = &file_record};
