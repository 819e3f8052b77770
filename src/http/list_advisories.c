/* list_advisories.c - the list rows of advisories: the readable advisories, an advisory's
 * revisions and records, and the caller's org's records. */
#include "base/common.h"
#include "core/advisory.h"
#include "http/list.h"
#include "http/router.h"

/* ---- GET /api/v1/advisories: newest first, paged by number ---- */

static bool bad(rb_req *r, const char *field, const char *msg)
{
    req_error(r, 422, "invalid_field", field, "%s", msg);
    return false;
}

static bool advisories_read(rb_req *r, struct list_query *q)
{
    struct advisory_filter *f = q->filter;
    const char *v;
    f->severity = -1;
    f->my_status = -1;
    if ((v = req_query(r, "severity")) && (f->severity = rb_name_index(adv_severity_names, v)) < 0)
        return bad(r, "severity", "\"severity\" is one of critical, high, medium, low, none");
    if ((v = req_query(r, "status"))) {
        if (strcmp(v, "draft") == 0)
            f->status = 1;
        else if (strcmp(v, "published") == 0)
            f->status = 2;
        else
            return bad(r, "status", "\"status\" is draft or published");
    }
    if ((v = req_query(r, "my_status")) && (f->my_status = rb_name_index(ack_status_names, v)) < 0)
        return bad(r, "my_status",
                   "\"my_status\" is one of delivered, acknowledged, not_affected, affected, "
                   "mitigating, mitigated");
    if ((v = req_query(r, "to_act"))) {
        if (strcmp(v, "1") != 0 && strcmp(v, "0") != 0)
            return bad(r, "to_act", "\"to_act\" must be 1 or 0");
        f->to_act = v[0] == '1';
    }
    if ((v = req_query(r, "q")) && strlen(v) > 200)
        return bad(r, "q", "\"q\" holds at most 200 bytes");
    f->q = v;
    if ((v = req_query(r, "cve")) && strlen(v) > 40)
        return bad(r, "cve", "\"cve\" is one CVE id");
    f->cve = v;
    f->limit = q->limit;
    f->before = q->after > 0 ? q->after : 0;
    return true;
}

LIST_ROWS(advisories_rows, rb_advisory,
          advisory_list(r->db, &r->actor, q->filter, &r->arena, &out, n, more))

const struct list_def list_advisories = {
    LIST_BY_NUMBER(rb_advisory, number, 1, INT64_MAX),
    .filter_size = sizeof(struct advisory_filter),
    .read = advisories_read,
    .list = advisories_rows,
    .record = &advisory_record,
};

/* ---- GET /api/v1/advisories/{id}/revisions, /acks ---- */

LIST_ROWS(revisions_rows, rb_revision,
          advisory_revisions(r->db, &r->actor, r->params[0], &r->arena, &out, n))

const struct list_def list_advisory_revisions = {.list = revisions_rows,
                                                 .record = &revision_record};

static bool acks_read(rb_req *r, struct list_query *q)
{
    struct ack_filter *f = q->filter;
    const char *v;
    f->status = -1;
    if ((v = req_query(r, "status")) && (f->status = rb_name_index(ack_status_names, v)) < 0)
        return bad(r, "status",
                   "\"status\" is one of delivered, acknowledged, not_affected, affected, "
                   "mitigating, mitigated");
    if ((v = req_query(r, "overdue"))) {
        if (strcmp(v, "1") != 0 && strcmp(v, "0") != 0)
            return bad(r, "overdue", "\"overdue\" must be 1 or 0");
        f->overdue = v[0] == '1';
    }
    if ((v = req_query(r, "province")) && strlen(v) > 64)
        return bad(r, "province", "\"province\" is a province code");
    f->province = v;
    return true;
}

LIST_ROWS(acks_rows, rb_ack,
          advisory_acks(r->db, &r->actor, r->params[0], q->filter, &r->arena, &out, n))

const struct list_def list_advisory_acks = {
    .filter_size = sizeof(struct ack_filter),
    .read = acks_read,
    .list = acks_rows,
    .record = &ack_record,
};

/* ---- GET /api/v1/acks: the caller's org's records, what is due first ---- */

static bool my_acks_read(rb_req *r, struct list_query *q)
{
    bool *all = q->filter;
    const char *v = req_query(r, "all");
    if (v && strcmp(v, "1") != 0 && strcmp(v, "0") != 0)
        return bad(r, "all", "\"all\" must be 1 or 0");
    *all = v && v[0] == '1';
    return true;
}

LIST_ROWS(my_acks_rows, rb_ack,
          advisory_my_acks(r->db, &r->actor, *(bool *)q->filter, 200, &r->arena, &out, n))

const struct list_def list_my_acks = {
    .filter_size = sizeof(bool),
    .read = my_acks_read,
    .list = my_acks_rows,
    .record = &my_ack_record,
};
