/* list_risks.c - the list row of the readable risks, the register (see list.h). */
#include "base/common.h"
#include "core/risk.h"
#include "http/list.h"
#include "http/risks.h"
#include "json/field.h"

bool risk_filter_read(rb_req *r, struct risk_filter *f)
{
    const char *v;
    f->level = f->status = f->treatment = -1;
    if ((v = req_query(r, "org_id")) && rb_field_checks(FIELD_ID, "org_id", v, &(rb_errinfo){0}))
        return list_query_refuse(r, "org_id", "\"org_id\" is an org's id");
    f->org_id = v;
    if (!list_query_name(r, "level", risk_level_names,
                         "\"level\" is one of low, medium, high, critical", &f->level) ||
        !list_query_name(r, "status", risk_status_names,
                         "\"status\" is one of open, in_progress, done, accepted, closed",
                         &f->status) ||
        !list_query_name(r, "treatment", risk_treatment_names,
                         "\"treatment\" is one of mitigate, accept, transfer, avoid",
                         &f->treatment))
        return false;
    if ((v = req_query(r, "category")) && rb_name_index(risk_category_names, v) < 0)
        return list_query_refuse(r, "category",
                                 "\"category\" is one of strategic, operational, technical, "
                                 "compliance, third_party, people, physical");
    f->category = v;
    return list_query_flag(r, "overdue", &f->overdue) &&
           list_query_text(r, "q", 200, "\"q\" holds at most 200 bytes", &f->q);
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

LIST_DEF(list_risks, rb_risk, risk_list(r->db, &r->actor, q->filter, &r->arena, &out, n, more),
         LIST_BY_ID(rb_risk), LIST_FILTER(struct risk_filter, risks_read), .record = &risk_record);
