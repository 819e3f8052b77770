/* list_risks.c - the list row of the readable risks, the register (see list.h). */
#include "base/common.h"
#include "core/risk.h"
#include "http/list.h"
#include "http/risks.h"
#include "json/field.h"

static bool bad(rb_req *r, const char *field, const char *msg)
{
    req_error(r, 422, "invalid_field", field, "%s", msg);
    return false;
}

bool risk_filter_read(rb_req *r, struct risk_filter *f)
{
    const char *v;
    f->level = f->status = f->treatment = -1;
    if ((v = req_query(r, "org_id")) && rb_field_checks(FIELD_ID, "org_id", v, &(rb_errinfo){0}))
        return bad(r, "org_id", "\"org_id\" is an org's id");
    f->org_id = v;
    if ((v = req_query(r, "level")) && (f->level = rb_name_index(risk_level_names, v)) < 0)
        return bad(r, "level", "\"level\" is one of low, medium, high, critical");
    if ((v = req_query(r, "status")) && (f->status = rb_name_index(risk_status_names, v)) < 0)
        return bad(r, "status", "\"status\" is one of open, in_progress, done, accepted, closed");
    if ((v = req_query(r, "treatment")) &&
        (f->treatment = rb_name_index(risk_treatment_names, v)) < 0)
        return bad(r, "treatment", "\"treatment\" is one of mitigate, accept, transfer, avoid");
    if ((v = req_query(r, "category")) && rb_name_index(risk_category_names, v) < 0)
        return bad(r, "category",
                   "\"category\" is one of strategic, operational, technical, compliance, "
                   "third_party, people, physical");
    f->category = v;
    if ((v = req_query(r, "overdue"))) {
        if (strcmp(v, "1") != 0 && strcmp(v, "0") != 0)
            return bad(r, "overdue", "\"overdue\" must be 1 or 0");
        f->overdue = v[0] == '1';
    }
    if ((v = req_query(r, "q")) && strlen(v) > 200)
        return bad(r, "q", "\"q\" holds at most 200 bytes");
    f->q = v;
    return true;
}

static bool risks_read(rb_req *r, struct list_query *q)
{
    struct risk_filter *f = q->filter;
    if (!risk_filter_read(r, f))
        return false;
    f->limit = q->limit;
    f->after_id = q->cursor;
    return true;
}

LIST_ROWS(risks_rows, rb_risk, risk_list(r->db, &r->actor, q->filter, &r->arena, &out, n, more))

_Static_assert(offsetof(rb_risk, id) == 0, "a risk must begin with its id");
const struct list_def list_risks = {
    .pages = LIST_PAGES_BY_ID,
    .filter_size = sizeof(struct risk_filter),
    .read = risks_read,
    .list = risks_rows,
    .record = &risk_record,
};
