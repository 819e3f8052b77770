/* h_assessments.c - assessments as OSCAL (results, POA&M), and their evidence files (the list, the
 * history and the files' list are rows in list.c; reading, answering, submitting and reviewing,
 * rows in view.c). */
#include "base/common.h"
#include "core/assessment.h"
#include "http/body.h"
#include "http/list.h"
#include "http/router.h"

REQ_DOCUMENT(h_assessments_oscal, "application/json",
             assessment_export_oscal(r->db, &r->actor, r->params[0], out), NULL)

REQ_DOCUMENT(h_assessments_poam, "application/json",
             assessment_export_poam(r->db, &r->actor, r->params[0], out, &r->ei), &r->ei)

void h_assessments_attach(rb_req *r)
{
    /* Visibility and permission are decided first (in core), then size and parameters: someone
     * who may not see the assessment gets 404 whatever they send. A body past the route's cap
     * was dropped; report it with a length the core refuses as too large. */
    const char *control = req_query(r, "control_id"), *filename = req_query(r, "filename");
    size_t len = r->body_too_big ? (size_t)ATTACHMENT_MAX_BYTES + 1 : r->body.len;
    char id[RB_ID_SIZE];
    int rc = assessment_attach(r->db, &r->actor, &r->arena, r->params[0], control, filename,
                               req_header(r, "Content-Type"), r->body.ptr, len, id, &r->ei);
    if (!req_check(r, rc, &r->ei))
        return;
    rb_attachment *rows = NULL;
    int n = 0;
    rc = assessment_attachments(r->db, &r->actor, r->params[0], &r->arena, &rows, &n);
    if (!req_check(r, rc, NULL))
        return;
    for (int i = 0; i < n; i++)
        if (strcmp(rows[i].id, id) == 0)
            rjw_record(req_json_begin(r, 201), &rows[i], &assessment_attachment_record);
}

void h_assessments_attachment(rb_req *r)
{
    rb_attachment t;
    const void *data = NULL;
    int rc =
        assessment_attachment(r->db, &r->actor, r->params[0], r->params[1], &r->arena, &t, &data);
    if (!req_check(r, rc, NULL))
        return;
    /* Always a download, never rendered in the page. */
    req_download(r, t.filename, t.content_type, data, (size_t)t.size);
}
