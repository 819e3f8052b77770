/* list_advisories.c - the list rows of advisories: the readable advisories, an advisory's
 * revisions and records, and the caller's org's records. */
#include "base/common.h"
#include "core/advisory.h"
#include "http/list.h"
#include "http/router.h"

/* ---- GET /api/v1/advisories: newest first, paged by number ---- */

/* What a filter of a record's status is refused with. */
#define ACK_STATUS_IS                                                                              \
    "is one of delivered, acknowledged, not_affected, affected, mitigating, mitigated"

static bool advisories_read(rb_req *r, struct list_query *q)
{
    struct advisory_filter *f = q->filter;
    const char *v;
    f->severity = -1;
    f->my_status = -1;
    if (!list_query_name(r, "severity", adv_severity_names,
                         "\"severity\" is one of critical, high, medium, low, none", &f->severity))
        return false;
    if ((v = req_query(r, "status"))) {
        if (strcmp(v, "draft") == 0)
            f->status = 1;
        else if (strcmp(v, "published") == 0)
            f->status = 2;
        else
            return list_query_refuse(r, "status", "\"status\" is draft or published");
    }
    if (!list_query_name(r, "my_status", ack_status_names, "\"my_status\" " ACK_STATUS_IS,
                         &f->my_status) ||
        !list_query_flag(r, "to_act", &f->to_act) ||
        !list_query_text(r, "q", 200, "\"q\" holds at most 200 bytes", &f->q) ||
        !list_query_text(r, "cve", 40, "\"cve\" is one CVE id", &f->cve))
        return false;
    f->limit = q->limit;
    f->before = q->after > 0 ? q->after : 0;
    return true;
}

LIST_DEF(list_advisories, rb_advisory,
         advisory_list(r->db, &r->actor, q->filter, &r->arena, &out, n, more),
         LIST_BY_NUMBER(rb_advisory, number, 1, INT64_MAX),
         LIST_FILTER(struct advisory_filter, advisories_read), .record = &advisory_record);

/* ---- GET /api/v1/advisories/{id}/revisions, /acks ---- */

LIST_DEF(list_advisory_revisions, rb_revision,
         advisory_revisions(r->db, &r->actor, r->params[0], &r->arena, &out, n),
         .record = &revision_record);

static bool acks_read(rb_req *r, struct list_query *q)
{
    struct ack_filter *f = q->filter;
    f->status = -1;
    return list_query_name(r, "status", ack_status_names, "\"status\" " ACK_STATUS_IS,
                           &f->status) &&
           list_query_flag(r, "overdue", &f->overdue) &&
           list_query_text(r, "province", 64, "\"province\" is a province code", &f->province);
}

LIST_DEF(list_advisory_acks, rb_ack,
         advisory_acks(r->db, &r->actor, r->params[0], q->filter, &r->arena, &out, n),
         LIST_FILTER(struct ack_filter, acks_read), .record = &ack_record);

/* ---- GET /api/v1/acks: the caller's org's records, what is due first ---- */

static bool my_acks_read(rb_req *r, struct list_query *q)
{
    return list_query_flag(r, "all", q->filter);
}

LIST_DEF(list_my_acks, rb_ack,
         advisory_my_acks(r->db, &r->actor, *(bool *)q->filter, 200, &r->arena, &out, n),
         LIST_FILTER(bool, my_acks_read), .record = &my_ack_record);
