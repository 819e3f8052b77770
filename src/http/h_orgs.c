/* h_orgs.c - the org tree: get, create, update (the list is a row in list.c). */
#include "base/common.h"
#include "core/org.h"
#include "http/body.h"
#include "http/router.h"

static void answer_org(rb_req *r, const char *id, int status)
{
    rb_org o;
    int rc = org_get(r->db, &r->actor, id, &r->arena, &o);
    if (!req_check(r, rc, NULL))
        return;
    rj_writer *w = req_json_begin(r, status);
    rjw_record(w, &o, &org_record);
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
