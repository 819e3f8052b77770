/* h_assessments.c - assessments: list, read, answer, submit, review, history, OSCAL, evidence. */
#include "base/common.h"
#include "core/assessment.h"
#include "http/body.h"
#include "http/list.h"
#include "http/router.h"

static bool assessments_read(rb_req *r, struct list_query *q)
{
    struct assessment_filter *f = q->filter;
    f->limit = q->limit;
    f->after_id = q->cursor;
    f->campaign_id = req_query(r, "campaign_id");
    f->org_id = req_query(r, "org_id");
    f->status = req_query(r, "status");
    static const char *const statuses[] = {"not_started", "draft", "submitted", "returned",
                                           "accepted", NULL};
    bool known = !f->status;
    for (int i = 0; !known && statuses[i]; i++)
        known = strcmp(statuses[i], f->status) == 0;
    if (!known) {
        req_error(r, 422, "invalid_field", "status",
                  "\"status\" must be not_started, draft, submitted, returned or accepted");
        return false;
    }
    if (req_query(r, "mine"))
        f->org_id = r->actor.org.id;
    return true;
}

static int assessments_rows(rb_req *r, const struct list_query *q, void **rows, int *n, bool *more)
{
    rb_assessment *x = NULL;
    int rc = assessment_list(r->db, &r->actor, q->filter, &r->arena, &x, n, more);
    *rows = x;
    return rc;
}

static void assessments_write(rj_writer *w, const void *row)
{
    assessment_write_json(w, row);
}

LIST_ID_FIRST(rb_assessment);
const struct list_def list_assessments = {
    .pages = LIST_PAGES_BY_ID,
    .filter_size = sizeof(struct assessment_filter),
    .read = assessments_read,
    .list = assessments_rows,
    .row_size = sizeof(rb_assessment),
    .write = assessments_write,
};

static void answer_assessment(rb_req *r, const char *id, int status)
{
    rb_assessment x;
    rb_assessment_item *items = NULL;
    int n = 0;
    int rc = assessment_get(r->db, &r->actor, id, &r->arena, &x);
    if (!rc)
        rc = assessment_items(r->db, &r->actor, id, &r->arena, &items, &n);
    if (!req_check(r, rc, NULL))
        return;
    rj_writer *w = req_json_begin(r, status);
    rjw_obj(w);
    rjw_key(w, "assessment");
    assessment_write_json(w, &x);
    rjw_key(w, "controls");
    rjw_arr(w);
    for (int i = 0; i < n; i++) {
        const rb_assessment_item *it = &items[i];
        rjw_obj(w);
        rjw_kstr(w, "id", it->control_id);
        rjw_kstr(w, "label", it->label);
        rjw_kstr(w, "title", it->title);
        rjw_kstr(w, "domain_id", it->domain_id);
        rjw_kstr(w, "domain_title", it->domain_title);
        rjw_kstr(w, "statement", it->statement);
        rjw_kstr(w, "guidance", it->guidance);
        rjw_key(w, "answer");
        if (it->answered) {
            rjw_obj(w);
            rjw_kstr(w, "status", it->status);
            rjw_kint(w, "maturity", it->maturity);
            rjw_kstr(w, "evidence", it->evidence);
            rjw_kstr(w, "review", it->review);
            rjw_kstr(w, "review_comment", it->review_comment);
            rjw_obj_end(w);
        } else {
            rjw_null(w);
        }
        rjw_obj_end(w);
    }
    rjw_arr_end(w);
    rjw_obj_end(w);
}

void h_assessments_get(rb_req *r)
{
    answer_assessment(r, r->params[0], 200);
}

void h_assessments_answers(rb_req *r)
{
    struct answers_body in;
    if (!req_body(r, &body_answers, &in))
        return;
    rb_errinfo ei;
    rb_errinfo_clear(&ei);
    int rc = assessment_save(r->db, &r->actor, r->params[0], in.items, in.n, &ei);
    if (!req_check(r, rc, &ei))
        return;
    answer_assessment(r, r->params[0], 200);
}

void h_assessments_submit(rb_req *r)
{
    rb_errinfo ei;
    rb_errinfo_clear(&ei);
    int rc = assessment_submit(r->db, &r->actor, r->params[0], &ei);
    if (!req_check(r, rc, &ei))
        return;
    answer_assessment(r, r->params[0], 200);
}

void h_assessments_review(rb_req *r)
{
    struct review_body in;
    if (!req_body(r, &body_review, &in))
        return;
    rb_errinfo ei;
    rb_errinfo_clear(&ei);
    int rc = assessment_review(r->db, &r->actor, r->params[0], in.items, in.n, &ei);
    if (!req_check(r, rc, &ei))
        return;
    answer_assessment(r, r->params[0], 200);
}

static int history_rows(rb_req *r, const struct list_query *q, void **rows, int *n, bool *more)
{
    (void)q;
    (void)more;
    rb_assessment_event *ev = NULL;
    int rc = assessment_history(r->db, &r->actor, r->params[0], &r->arena, &ev, n);
    *rows = ev;
    return rc;
}

static void history_write(rj_writer *w, const void *row)
{
    const rb_assessment_event *ev = row;
    rjw_obj(w);
    rjw_kstr(w, "at", ev->at);
    rjw_kstr(w, "actor", ev->actor);
    rjw_kstr(w, "action", ev->action);
    rjw_kstr(w, "control_id", ev->control_id);
    rjw_kstr(w, "comment", ev->comment);
    rjw_obj_end(w);
}

/* Every step of the assessment, oldest first. */
const struct list_def list_history = {
    .list = history_rows,
    .row_size = sizeof(rb_assessment_event),
    .write = history_write,
};

void h_assessments_oscal(rb_req *r)
{
    rb_buf *out = req_out_begin(r, 200, "application/json");
    req_check(r, assessment_export_oscal(r->db, &r->actor, r->params[0], out), NULL);
}

static void attachments_write(rj_writer *w, const void *row)
{
    const rb_attachment *t = row;
    rjw_obj(w);
    rjw_kstr(w, "id", t->id);
    rjw_kstr(w, "control_id", t->control_id);
    rjw_kstr(w, "filename", t->filename);
    rjw_kstr(w, "content_type", t->content_type);
    rjw_kint(w, "size", t->size);
    rjw_kstr(w, "sha256", t->sha256);
    rjw_kstr(w, "created_by", t->created_by);
    rjw_kstr(w, "created_at", t->created_at);
    rjw_obj_end(w);
}

void h_assessments_attach(rb_req *r)
{
    /* Visibility and permission are decided first (in core), then size and parameters: someone
     * who may not see the assessment gets 404 whatever they send. A body past the route's cap
     * was dropped; report it with a length the core refuses as too large. */
    const char *control = req_query(r, "control_id"), *filename = req_query(r, "filename");
    size_t len = r->body_too_big ? (size_t)ATTACHMENT_MAX_BYTES + 1 : r->body.len;
    rb_errinfo ei;
    rb_errinfo_clear(&ei);
    char id[RB_ID_SIZE];
    int rc = assessment_attach(r->db, &r->actor, r->params[0], control, filename,
                               req_header(r, "Content-Type"), r->body.ptr, len, id, &ei);
    if (!req_check(r, rc, &ei))
        return;
    rb_attachment *rows = NULL;
    int n = 0;
    rc = assessment_attachments(r->db, &r->actor, r->params[0], &r->arena, &rows, &n);
    if (!req_check(r, rc, NULL))
        return;
    for (int i = 0; i < n; i++)
        if (strcmp(rows[i].id, id) == 0)
            attachments_write(req_json_begin(r, 201), &rows[i]);
}

static int attachments_rows(rb_req *r, const struct list_query *q, void **rows, int *n, bool *more)
{
    (void)q;
    (void)more;
    rb_attachment *t = NULL;
    int rc = assessment_attachments(r->db, &r->actor, r->params[0], &r->arena, &t, n);
    *rows = t;
    return rc;
}

/* Every file's metadata, by control then time. */
const struct list_def list_attachments = {
    .list = attachments_rows,
    .row_size = sizeof(rb_attachment),
    .write = attachments_write,
};

void h_assessments_attachment(rb_req *r)
{
    rb_attachment t;
    const void *data = NULL;
    int rc = assessment_attachment(r->db, &r->actor, r->params[0], r->params[1], &r->arena, &t,
                                   &data);
    if (!req_check(r, rc, NULL))
        return;
    /* Always a download, never rendered in the page (the name has no quotes or controls). */
    rb_buf_add(req_out_begin(r, 200, t.content_type), data, (size_t)t.size);
    /* RFC 6266: an ASCII fallback name, and the exact UTF-8 name percent-encoded. */
    rb_buf d;
    rb_buf_init(&d, sizeof(r->disposition) - 1);
    rb_buf_adds(&d, "attachment; filename=\"");
    for (const unsigned char *p = (const unsigned char *)t.filename; *p; p++)
        rb_buf_addc(&d, *p < 0x80 && *p != '\\' ? (char)*p : '_');
    rb_buf_adds(&d, "\"; filename*=UTF-8''");
    for (const unsigned char *p = (const unsigned char *)t.filename; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("-._~", *p))
            rb_buf_addc(&d, (char)*p);
        else
            rb_buf_printf(&d, "%%%02X", *p);
    }
    rb_strlcpy(r->disposition, d.err ? "attachment" : rb_buf_cstr(&d), sizeof(r->disposition));
    rb_buf_release(&d);
}
