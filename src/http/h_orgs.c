/* h_orgs.c - the org tree: list (level by level, paginated), get, create, update. */
#include "base/common.h"
#include "base/utf8.h"
#include "core/org.h"
#include "http/body.h"
#include "http/list.h"
#include "http/router.h"

static bool orgs_read(rb_req *r, struct list_query *q)
{
    struct org_filter *f = q->filter;
    f->cii = -1;
    f->limit = q->limit;
    f->after_id = q->cursor;
    f->root = req_query(r, "root");
    f->kind = req_query(r, "kind");
    f->province = req_query(r, "province");
    f->sector = req_query(r, "sector");
    f->q = req_query(r, "q");
    const char *cii = req_query(r, "cii");
    if (cii) {
        if (strcmp(cii, "true") != 0 && strcmp(cii, "false") != 0) {
            req_error(r, 422, "invalid_field", "cii", "\"cii\" must be true or false");
            return false;
        }
        f->cii = cii[0] == 't';
    }
    enum rb_org_kind k;
    if (f->kind && rb_org_kind_parse(f->kind, &k)) {
        req_error(r, 422, "invalid_field", "kind", "unknown org kind \"%.*s\"",
                  RB_CUT(f->kind, 40));
        return false;
    }
    return true;
}

static int orgs_rows(rb_req *r, const struct list_query *q, void **rows, int *n, bool *more)
{
    rb_org *o = NULL;
    int rc = org_list(r->db, &r->actor, q->filter, &r->arena, &o, n, more);
    *rows = o;
    return rc;
}

static void orgs_write(rj_writer *w, const void *row)
{
    org_write_json(w, row);
}

LIST_ID_FIRST(rb_org);
const struct list_def list_orgs = {
    .pages = LIST_PAGES_BY_ID,
    .filter_size = sizeof(struct org_filter),
    .read = orgs_read,
    .list = orgs_rows,
    .row_size = sizeof(rb_org),
    .write = orgs_write,
};

static void answer_org(rb_req *r, const char *id, int status)
{
    rb_org o;
    int rc = org_get(r->db, &r->actor, id, &r->arena, &o);
    if (!req_check(r, rc, NULL))
        return;
    rj_writer *w = req_json_begin(r, status);
    org_write_json(w, &o);
}

void h_orgs_get(rb_req *r)
{
    answer_org(r, r->params[0], 200);
}

void h_orgs_create(rb_req *r)
{
    rb_org_input in;
    if (!req_body(r, &body_org, &in))
        return;
    rb_errinfo ei;
    rb_errinfo_clear(&ei);
    char id[RB_ID_SIZE];
    int rc = org_create(r->db, &r->actor, &in, id, &ei);
    if (!req_check(r, rc, &ei))
        return;
    answer_org(r, id, 201);
}

void h_orgs_update(rb_req *r)
{
    rb_org_input in; /* JSON null clears an optional member */
    if (!req_body(r, &body_org, &in))
        return;
    rb_errinfo ei;
    rb_errinfo_clear(&ei);
    int rc = org_update(r->db, &r->actor, r->params[0], &in, &ei);
    if (!req_check(r, rc, &ei))
        return;
    answer_org(r, r->params[0], 200);
}
