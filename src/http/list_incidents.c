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

LIST_DEF(list_incidents, rb_incident,
         incident_list(r->db, &r->actor, q->filter, &r->arena, &out, n, more, NULL),
         LIST_BY_NUMBER(rb_incident, number, 1, UINT32_MAX),
         LIST_FILTER(struct incident_filter, incidents_read), .record = &incident_record);

/* ---- GET /api/v1/incidents/{id}/tasks, /links; GET /api/v1/tasks (the caller's org's) ---- */

LIST_DEF(list_incident_tasks, rb_task,
         incident_tasks(r->db, &r->actor, r->params[0], &r->arena, &out, n),
         .record = &task_record);
LIST_DEF(list_my_tasks, rb_task, incident_tasks_mine(r->db, &r->actor, 200, &r->arena, &out, n),
         .record = &task_record);

LIST_DEF(list_incident_links, rb_link,
         incident_links(r->db, &r->actor, r->params[0], &r->arena, &out, n),
         .record = &link_record);

/* ---- GET /api/v1/inbox: the caller's org's items, newest first ---- */

static bool inbox_read_filter(rb_req *r, struct list_query *q)
{
    return list_query_flag(r, "unread", q->filter);
}

LIST_DEF(list_inbox, rb_inbox_item,
         inbox_list(r->db, &r->actor, *(bool *)q->filter, q->after > 0 ? q->after : 0, q->limit,
                    &r->arena, &out, n, more),
         LIST_BY_NUMBER(rb_inbox_item, seq, 1, INT64_MAX), LIST_FILTER(bool, inbox_read_filter),
         .record = &inbox_item_record);

/* ---- GET /api/v1/<kind>s/{id}/timeline: oldest first, for the route's kind ---- */

/* The timeline as every kind with one shows it. */
static const struct rb_member event_members[] = {
    RB_MEMBERS(rb_event, seq, at, actor, action, part, comment),
};
static const struct rb_record event_record = RB_RECORD(rb_event, event_members);

LIST_DEF(list_timeline, rb_event,
         history_list(r->db, &r->actor, r->route->kind, r->params[0], q->after > 0 ? q->after : 0,
                      q->limit, &r->arena, &out, n, more),
         LIST_BY_NUMBER(rb_event, seq, 0, INT64_MAX), .record = &event_record);

/* ---- GET /api/v1/<kind>s/{id}/files: the files of the route's kind's object ---- */

LIST_ID_FIRST(rb_file);

LIST_DEF(list_files, rb_file,
         files_list(r->db, &r->actor, r->route->kind, r->params[0], &r->arena, &out, n),
         .record = &file_record);
