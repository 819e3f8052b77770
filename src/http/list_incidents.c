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
    return incident_filter_read(r, q->filter);
}

static int incidents_rows(rb_req *r, const struct list_query *q, void **rows, int *n, bool *more)
{
    struct incident_filter *f = q->filter;
    f->limit = q->limit;
    f->before = q->after > 0 ? q->after : 0;
    rb_incident *x = NULL;
    int rc = incident_list(r->db, &r->actor, f, &r->arena, &x, n, more, NULL);
    *rows = x;
    return rc;
}

static void incident_row_write(rj_writer *w, const void *row)
{
    incident_write_json(w, row);
}

static int64_t incident_number(const void *last)
{
    return ((const rb_incident *)last)->number;
}

const struct list_def list_incidents = {
    .pages = LIST_PAGES_BY_NUMBER,
    .after_min = 1,
    .after_max = UINT32_MAX,
    .number = incident_number,
    .filter_size = sizeof(struct incident_filter),
    .read = incidents_read,
    .list = incidents_rows,
    .row_size = sizeof(rb_incident),
    .write = incident_row_write,
};

/* ---- GET /api/v1/incidents/{id}/tasks, /links; GET /api/v1/tasks (the caller's org's) ---- */

static int tasks_rows(rb_req *r, const struct list_query *q, void **rows, int *n, bool *more)
{
    (void)q;
    (void)more;
    rb_task *t = NULL;
    int rc = incident_tasks(r->db, &r->actor, r->params[0], &r->arena, &t, n);
    *rows = t;
    return rc;
}

static int my_tasks_rows(rb_req *r, const struct list_query *q, void **rows, int *n, bool *more)
{
    (void)q;
    (void)more;
    rb_task *t = NULL;
    int rc = incident_tasks_mine(r->db, &r->actor, 200, &r->arena, &t, n);
    *rows = t;
    return rc;
}

static void task_row_write(rj_writer *w, const void *row)
{
    task_write_json(w, row);
}

const struct list_def list_incident_tasks = {
    .list = tasks_rows, .row_size = sizeof(rb_task), .write = task_row_write};
const struct list_def list_my_tasks = {
    .list = my_tasks_rows, .row_size = sizeof(rb_task), .write = task_row_write};

static int links_rows(rb_req *r, const struct list_query *q, void **rows, int *n, bool *more)
{
    (void)q;
    (void)more;
    rb_link *l = NULL;
    int rc = incident_links(r->db, &r->actor, r->params[0], &r->arena, &l, n);
    *rows = l;
    return rc;
}

static void link_row_write(rj_writer *w, const void *row)
{
    link_write_json(w, row);
}

const struct list_def list_incident_links = {
    .list = links_rows, .row_size = sizeof(rb_link), .write = link_row_write};

/* ---- GET /api/v1/inbox: the caller's org's items, newest first ---- */

static bool inbox_read_filter(rb_req *r, struct list_query *q)
{
    bool *unread = q->filter;
    const char *v = req_query(r, "unread");
    if (v && strcmp(v, "1") != 0 && strcmp(v, "0") != 0) {
        req_error(r, 422, "invalid_field", "unread", "\"unread\" must be 1 or 0");
        return false;
    }
    *unread = v && v[0] == '1';
    return true;
}

static int inbox_rows(rb_req *r, const struct list_query *q, void **rows, int *n, bool *more)
{
    rb_inbox_item *it = NULL;
    int rc = inbox_list(r->db, &r->actor, *(bool *)q->filter, q->after > 0 ? q->after : 0, q->limit,
                        &r->arena, &it, n, more);
    *rows = it;
    return rc;
}

static void inbox_row_write(rj_writer *w, const void *row)
{
    inbox_item_write_json(w, row);
}

static int64_t inbox_number(const void *last)
{
    return ((const rb_inbox_item *)last)->seq;
}

const struct list_def list_inbox = {
    .pages = LIST_PAGES_BY_NUMBER,
    .after_min = 1,
    .after_max = INT64_MAX,
    .number = inbox_number,
    .filter_size = sizeof(bool),
    .read = inbox_read_filter,
    .list = inbox_rows,
    .row_size = sizeof(rb_inbox_item),
    .write = inbox_row_write,
};

/* ---- GET /api/v1/<kind>s/{id}/timeline: oldest first, for the route's kind ---- */

static int timeline_rows(rb_req *r, const struct list_query *q, void **rows, int *n, bool *more)
{
    rb_event *e = NULL;
    int rc = history_list(r->db, &r->actor, r->route->kind, r->params[0],
                          q->after > 0 ? q->after : 0, q->limit, &r->arena, &e, n, more);
    *rows = e;
    return rc;
}

static void event_write(rj_writer *w, const void *row)
{
    const rb_event *e = row;
    rjw_obj(w);
    rjw_kint(w, "seq", e->seq);
    rjw_kstr(w, "at", e->at);
    rjw_kstr(w, "actor", e->actor);
    rjw_kstr(w, "action", e->action);
    rjw_kstr(w, "part", e->part);
    rjw_kstr(w, "comment", e->comment);
    rjw_obj_end(w);
}

static int64_t event_number(const void *last)
{
    return ((const rb_event *)last)->seq;
}

const struct list_def list_timeline = {
    .pages = LIST_PAGES_BY_NUMBER,
    .after_min = 0,
    .after_max = INT64_MAX,
    .number = event_number,
    .list = timeline_rows,
    .row_size = sizeof(rb_event),
    .write = event_write,
};

/* ---- GET /api/v1/<kind>s/{id}/files: the files of the route's kind's object ---- */

static int files_rows(rb_req *r, const struct list_query *q, void **rows, int *n, bool *more)
{
    (void)q;
    (void)more;
    rb_file *f = NULL;
    int rc = files_list(r->db, &r->actor, r->route->kind, r->params[0], &r->arena, &f, n);
    *rows = f;
    return rc;
}

void list_file_write(rj_writer *w, const void *row)
{
    const rb_file *f = row;
    rjw_obj(w);
    rjw_kstr(w, "id", f->id);
    rjw_kstr(w, "filename", f->filename);
    rjw_kstr(w, "content_type", f->content_type);
    rjw_kint(w, "size", f->size);
    rjw_kstr(w, "sha256", f->sha256);
    rjw_kstr(w, "created_by", f->created_by);
    rjw_kstr(w, "created_at", f->created_at);
    rjw_obj_end(w);
}

const struct list_def list_files = {
    .list = files_rows, .row_size = sizeof(rb_file), .write = list_file_write};
